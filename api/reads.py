"""The person-centred recommendation answers, as response bodies: one implementation for the
FastAPI routes (api/routes/recommendations.py) and the fast path (api/fastpath.py).

Each checks access, asks the engine (in memory: no database round trip) and encodes the
answer once, straight to JSON bytes (api/encoding.py). The engine's time goes out in a
`Server-Timing: engine;dur=<ms>` header, so a client can tell it from the cost of HTTP.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from api import convert
from api.access import require_recommendations
from api.auth import Principal
from api.encoding import JsonBytes
from api.runtime import EngineState
from skillgraph.data.schema import MentorMode, Modality
from skillgraph.recommend.base import Query

if TYPE_CHECKING:
    from skillgraph.engine import Engine

T = TypeVar("T")


def gaps(
    user: Principal, state: EngineState, employee_id: str, target_role: str | None
) -> JsonBytes:
    require_recommendations(user, employee_id, state.org)
    report, ms = timed(lambda: state.engine.gaps(employee_id, target_role))
    return timed_body(report.to_dict(), ms)


def mentors(
    user: Principal,
    state: EngineState,
    employee_id: str,
    *,
    target_role: str | None,
    k: int,
    mode: MentorMode | None,
) -> JsonBytes:
    require_recommendations(user, employee_id, state.org)
    body, ms = timed(lambda: mentor_list(state.engine, employee_id, target_role, k, mode))
    return timed_body(body, ms)


def content(
    user: Principal,
    state: EngineState,
    employee_id: str,
    *,
    target_role: str | None,
    k: int,
    modality: Modality | None,
    max_hours: float | None,
) -> JsonBytes:
    require_recommendations(user, employee_id, state.org)
    filters = content_filters(modality, max_hours)
    body, ms = timed(lambda: content_list(state.engine, employee_id, target_role, k, filters))
    return timed_body(body, ms)


def mentor_list(
    engine: Engine,
    employee_id: str,
    target_role: str | None,
    k: int,
    mode: MentorMode | None = None,
) -> dict[str, Any]:
    """The body of /employees/{id}/mentors: the query echoed and the mentors."""
    filters = {"mode": mode.value} if mode else {}
    query = Query(employee_id=employee_id, target_role_id=target_role, k=k, filters=filters)
    echo = convert.query_echo(employee_id=employee_id, target_role_id=target_role, k=k, mode=mode)
    return {"query": echo, "items": engine.mentors(query)}


def content_list(
    engine: Engine,
    employee_id: str,
    target_role: str | None,
    k: int,
    filters: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The body of /employees/{id}/content: the query echoed and the learning items."""
    filters = filters or {}
    query = Query(employee_id=employee_id, target_role_id=target_role, k=k, filters=filters)
    echo = convert.query_echo(employee_id=employee_id, target_role_id=target_role, k=k, **filters)
    return {"query": echo, "items": engine.content(query)}


def next_roles(user: Principal, state: EngineState, employee_id: str, *, k: int) -> JsonBytes:
    require_recommendations(user, employee_id, state.org)
    query = Query(employee_id=employee_id, k=k)
    echo = convert.query_echo(employee_id=employee_id, k=k)
    return listing(echo, *timed(lambda: state.engine.next_roles(query)))


def recommendations(
    user: Principal,
    state: EngineState,
    employee_id: str,
    *,
    target_role: str | None,
    k_mentors: int,
    k_content: int,
    k_paths: int,
    max_hops: int,
) -> JsonBytes:
    """Everything a person's page shows, in one answer: gaps, mentors, content, paths."""
    require_recommendations(user, employee_id, state.org)
    body, ms = timed(
        lambda: full_answer(
            state.engine,
            employee_id,
            target_role=target_role,
            k_mentors=k_mentors,
            k_content=k_content,
            k_paths=k_paths,
            max_hops=max_hops,
        )
    )
    return timed_body(body, ms)


def full_answer(
    engine: Engine,
    employee_id: str,
    *,
    target_role: str | None,
    k_mentors: int,
    k_content: int,
    k_paths: int,
    max_hops: int,
) -> dict[str, Any]:
    """The four parts, each as its single endpoint returns it (no access check: the caller's).

    Also what benchmarks/bench_http.py times in-process, so both sides compute the same."""
    path_query = Query(employee_id=employee_id, target_role_id=target_role, k=k_paths)
    path_echo = convert.query_echo(
        employee_id=employee_id, target_role_id=target_role, k=k_paths, max_hops=max_hops
    )
    return {
        "employee_id": employee_id,
        "target_role": target_role,
        "gaps": engine.gaps(employee_id, target_role).to_dict(),
        "mentors": mentor_list(engine, employee_id, target_role, k_mentors),
        "content": content_list(engine, employee_id, target_role, k_content),
        "paths": {
            "query": path_echo,
            # to_dict: orjson would write the dataclass's fields, not the documented shape
            "items": [path.to_dict() for path in engine.paths(path_query, max_hops=max_hops)],
        },
    }


def listing(query: dict[str, Any], recs: list[Any], engine_ms: float | None = None) -> JsonBytes:
    return timed_body({"query": query, "items": recs}, engine_ms)


def timed(compute: Callable[[], T]) -> tuple[T, float]:
    """The result and the milliseconds it took."""
    start = time.perf_counter()
    result = compute()
    return result, 1000 * (time.perf_counter() - start)


def timed_body(body: Any, engine_ms: float | None) -> JsonBytes:
    if engine_ms is None:
        return JsonBytes(body)
    return JsonBytes(body, headers={"Server-Timing": f"engine;dur={engine_ms:.3f}"})


def content_filters(modality: Modality | None, max_hours: float | None) -> dict[str, Any]:
    filters: dict[str, Any] = {}
    if modality is not None:
        filters["modality"] = modality.value
    if max_hours is not None:
        filters["max_duration_hours"] = max_hours
    return filters
