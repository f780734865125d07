"""A fast path for the hottest reads: plain successful GETs of a person's recommendations.

FastAPI resolves dependencies and validates parameters for every request, which costs more
CPU than a small company's recommendation itself. This ASGI middleware answers `GET
/v1/employees/{id}/content|mentors|gaps|next-roles|recommendations` directly when the
request is one it fully understands: a valid cached bearer token, only the documented query
parameters, each once, with plainly valid values, no body. It computes the answer with the
very functions the routes use (api/reads.py), so the bodies are the same bytes.

Anything else, including every error (bad or missing token, access denied, unknown id,
out-of-range k, engine not ready), passes through to FastAPI untouched, which produces the
canonical answer and problem+json error; an error is then computed twice, a rare cost.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qsl

from starlette.types import ASGIApp, Receive, Scope, Send

from api import reads
from api.auth import Principal, TokenCache
from api.deps import state_of
from api.encoding import JsonBytes
from api.runtime import EngineState
from skillgraph.config import Settings
from skillgraph.data.schema import MentorMode, Modality
from skillgraph.errors import SkillgraphError

_PATH = re.compile(r"^/v1/employees/([^/]+)/(content|mentors|gaps|next-roles|recommendations)$")
_INT = re.compile(r"^[0-9]{1,6}$")
_DECIMAL = re.compile(r"^[0-9]{1,6}(\.[0-9]{1,6})?$")
_MAX_REF = 300  # RoleRef in api/routes/recommendations.py
_MAX_HOPS = 6  # MAX_HOPS there
_MAX_HOURS = 10_000.0
_PARAMS = {
    "content": frozenset({"target_role", "modality", "max_hours", "k"}),
    "mentors": frozenset({"target_role", "mode", "k"}),
    "gaps": frozenset({"target_role"}),
    "next-roles": frozenset({"k"}),
    "recommendations": frozenset({"target_role", "k_mentors", "k_content", "k_paths", "max_hops"}),
}
_MODALITIES = {m.value: m for m in Modality}
_MODES = {m.value: m for m in MentorMode}

Answer = Callable[[Principal, EngineState], JsonBytes]


class FastReads:
    """Pure ASGI middleware; `enabled=False` sends everything to FastAPI (tests compare)."""

    def __init__(self, app: ASGIApp, settings: Settings, enabled: bool = True) -> None:
        self.app = app
        self.max_k = settings.recommend.max_k
        self.default_k = min(10, self.max_k)
        self.path_k = min(5, self.max_k)
        self.enabled = enabled

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self.enabled and scope["type"] == "http" and scope["method"] == "GET":
            response = await self._answer(scope)
            if response is not None:
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)

    async def _answer(self, scope: Scope) -> JsonBytes | None:
        match = _PATH.match(scope["path"])
        if match is None:
            return None
        app_state = scope["app"].state
        token = _bearer_token(scope)
        answer = self._plan(match.group(2), match.group(1), scope.get("query_string", b""))
        if token is None or answer is None:
            return None
        tokens: TokenCache = app_state.tokens
        try:
            user = tokens.principal(token)
            state = await state_of(app_state.runtime)
            return answer(user, state)
        except SkillgraphError:
            return None  # FastAPI answers it again, with the canonical problem+json

    def _plan(self, kind: str, employee_id: str, raw_query: bytes) -> Answer | None:
        """How to answer, or None when the query is not plainly valid."""
        params = _query(raw_query, _PARAMS[kind])
        if params is None:
            return None
        target = params.get("target_role")
        if target is not None and not 0 < len(target) <= _MAX_REF:
            return None
        if kind == "recommendations":
            return self._full(employee_id, target, params)
        k = self._k(params.get("k"))
        if k is None:
            return None
        if kind == "gaps":
            return lambda user, state: reads.gaps(user, state, employee_id, target)
        if kind == "next-roles":
            return lambda user, state: reads.next_roles(user, state, employee_id, k=k)
        if kind == "mentors":
            mode = _choice(params.get("mode"), _MODES)
            if mode is False:
                return None
            return lambda user, state: reads.mentors(
                user, state, employee_id, target_role=target, k=k, mode=mode or None
            )
        modality = _choice(params.get("modality"), _MODALITIES)
        hours = _hours(params.get("max_hours"))
        if modality is False or hours is False:
            return None
        return lambda user, state: reads.content(
            user,
            state,
            employee_id,
            target_role=target,
            k=k,
            modality=modality or None,
            max_hours=hours or None,
        )

    def _full(self, employee_id: str, target: str | None, params: dict[str, str]) -> Answer | None:
        k_mentors = self._k(params.get("k_mentors"))
        k_content = self._k(params.get("k_content"))
        k_paths = self._k(params.get("k_paths"), self.path_k)
        hops = _bounded_int(params.get("max_hops"), 3, _MAX_HOPS)
        if k_mentors is None or k_content is None or k_paths is None or hops is None:
            return None
        return lambda user, state: reads.recommendations(
            user,
            state,
            employee_id,
            target_role=target,
            k_mentors=k_mentors,
            k_content=k_content,
            k_paths=k_paths,
            max_hops=hops,
        )

    def _k(self, raw: str | None, default: int | None = None) -> int | None:
        return _bounded_int(raw, self.default_k if default is None else default, self.max_k)


def _bounded_int(raw: str | None, default: int, most: int) -> int | None:
    """`default` when absent, the value when in 1..most, None when not plainly valid."""
    if raw is None:
        return default
    if not _INT.match(raw):
        return None
    value = int(raw)
    return value if 1 <= value <= most else None


def _bearer_token(scope: Scope) -> str | None:
    """The bearer token of a request without a body; None for anything else."""
    token = None
    for name, value in scope["headers"]:
        if name in (b"content-length", b"transfer-encoding"):
            return None  # a GET with a body: the body limit and FastAPI decide
        if name == b"authorization" and token is None:
            scheme, _, rest = value.decode("latin-1").partition(" ")
            if scheme.lower() != "bearer" or not rest or " " in rest:
                return None
            token = rest
    return token


def _query(raw: bytes, allowed: frozenset[str]) -> dict[str, str] | None:
    """The parameters when each is allowed, given once and not empty."""
    if not raw:
        return {}
    try:
        pairs = parse_qsl(raw.decode("latin-1"), keep_blank_values=True, strict_parsing=True)
    except ValueError:
        return None
    params = dict(pairs)
    if len(params) != len(pairs) or not params.keys() <= allowed or "" in params.values():
        return None
    return params


def _choice(raw: str | None, known: dict[str, Any]) -> Any:
    """The enum member, None when absent, False when not one of them."""
    if raw is None:
        return None
    return known.get(raw, False)


def _hours(raw: str | None) -> float | bool | None:
    if raw is None:
        return None
    if not _DECIMAL.match(raw):
        return False
    hours = float(raw)
    return hours if 0 < hours <= _MAX_HOURS else False
