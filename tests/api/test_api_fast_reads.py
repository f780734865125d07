"""The fast path answers exactly what the FastAPI routes answer; tokens are cached but still
expire; answers are encoded once and match the published schema."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import Any

import orjson
import pytest
from api_harness import Api, wait_ready
from fastapi.testclient import TestClient

from api import auth as auth_module
from api import convert, schemas
from api.app import create_app
from api.encoding import dumps
from api.fastpath import FastReads
from api.runtime import EngineFactory
from skillgraph.recommend.base import Query
from skillgraph.retrieval.encoder import HashingEncoder

# (subject, role, path): successes, then requests the fast path must hand to FastAPI
SUCCESSES = [
    ("ann", "employee", "/v1/employees/ann/content"),
    ("ann", "employee", "/v1/employees/ann/content?target_role=ds&k=3"),
    ("ann", "employee", "/v1/employees/ann/content?modality=workshop&max_hours=20.5&k=010"),
    ("mgr", "manager", "/v1/employees/bob/mentors?mode=peer&target_role=ds"),
    ("svc", "service", "/v1/employees/ann/mentors?k=1"),
    ("ann", "employee", "/v1/employees/ann/gaps"),
    ("ann", "employee", "/v1/employees/ann/gaps?target_role=mle"),
    ("mgr", "manager", "/v1/employees/bob/next-roles?k=2"),
]
EDGES = [
    ("ann", "employee", "/v1/employees/bob/content"),  # not hers: 403
    ("ann", "employee", "/v1/employees/ann/content?k=0"),
    ("ann", "employee", "/v1/employees/ann/content?k=1000"),
    ("ann", "employee", "/v1/employees/ann/content?k=2.5"),
    ("ann", "employee", "/v1/employees/ann/content?target_role="),
    ("ann", "employee", "/v1/employees/ann/content?target_role=nope"),
    ("ann", "employee", "/v1/employees/ann/content?modality=telepathy"),
    ("ann", "employee", "/v1/employees/ann/content?max_hours=-1"),
    ("ann", "employee", "/v1/employees/ann/mentors?mode=telepathy"),
    ("root", "ld_admin", "/v1/employees/ghost/content"),
    ("root", "ld_admin", "/v1/employees/ghost/gaps"),
]
# unusual but valid for FastAPI (the last of repeated values, unknown names ignored)
UNUSUAL = [
    ("ann", "employee", "/v1/employees/ann/content?k=3&k=4"),
    ("ann", "employee", "/v1/employees/ann/content?unknown=1"),
    ("ann", "employee", "/v1/employees/ann/gaps?k=3"),
    ("ann", "employee", "/v1/employees/ann/content?max_hours=1e3"),
]


@pytest.fixture
def both(make_api: Callable[..., Api], api_encoder: HashingEncoder) -> Iterator[tuple[Api, Api]]:
    """The same data served with the fast path and without it."""
    fast = make_api()
    app = create_app(fast.settings, engine_factory=EngineFactory(api_encoder), fast_reads=False)
    with TestClient(app) as client:
        wait_ready(client)
        yield fast, Api(client, fast.settings, app)


@pytest.fixture
def fast_answers(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Paths the fast path answered itself (it returns None to pass a request on)."""
    answered: list[str] = []
    original = FastReads._answer

    async def spy(self: FastReads, scope: dict[str, Any]) -> Any:
        response = await original(self, scope)
        if response is not None:
            answered.append(scope["path"])
        return response

    monkeypatch.setattr(FastReads, "_answer", spy)
    return answered


def _get(api: Api, subject: str, role: str, path: str) -> tuple[int, str, Any]:
    response = api.client.get(path, headers=api.auth(subject, role))
    return response.status_code, response.headers["content-type"], response.json()


@pytest.mark.parametrize(("subject", "role", "path"), SUCCESSES)
def test_fast_path_answers_successes_like_the_routes(
    both: tuple[Api, Api], fast_answers: list[str], subject: str, role: str, path: str
) -> None:
    fast, slow = both
    got = _get(fast, subject, role, path)
    assert len(fast_answers) == 1, "the fast path should have answered this one"
    assert got[0] == 200
    assert got == _get(slow, subject, role, path)


@pytest.mark.parametrize(("subject", "role", "path"), EDGES)
def test_fast_path_hands_everything_else_to_the_routes(
    both: tuple[Api, Api], fast_answers: list[str], subject: str, role: str, path: str
) -> None:
    fast, slow = both
    got = _get(fast, subject, role, path)
    assert fast_answers == []
    assert got[0] != 200
    assert got[1] == "application/problem+json"
    assert got == _get(slow, subject, role, path)


@pytest.mark.parametrize(("subject", "role", "path"), UNUSUAL)
def test_unusual_queries_go_to_the_routes(
    both: tuple[Api, Api], fast_answers: list[str], subject: str, role: str, path: str
) -> None:
    fast, slow = both
    got = _get(fast, subject, role, path)
    assert fast_answers == []
    assert got == _get(slow, subject, role, path)


def test_requests_without_a_usable_token_go_to_the_routes(
    api: Api, fast_answers: list[str]
) -> None:
    path = "/v1/employees/ann/content"
    assert api.client.get(path).status_code == 401
    bad = {"Authorization": "Bearer not-a-token"}
    assert api.client.get(path, headers=bad).status_code == 401
    basic = {"Authorization": "Basic YW5uOnB3"}
    assert api.client.get(path, headers=basic).status_code == 401
    assert fast_answers == []


def test_cached_token_still_expires(api: Api, monkeypatch: pytest.MonkeyPatch) -> None:
    headers = {"Authorization": f"Bearer {api.token('ann', ttl=timedelta(minutes=5))}"}
    paths = ("/v1/employees/ann/content", "/v1/employees/ann/plans")  # fast path and a route
    for path in paths:
        assert api.client.get(path, headers=headers).status_code == 200
    later = time.time() + 3600
    monkeypatch.setattr(api.app.state.tokens, "clock", lambda: later)
    for path in paths:
        response = api.client.get(path, headers=headers)
        assert response.status_code == 401
        assert "expired" in response.json()["detail"]


def test_token_cache_verifies_once_and_stays_bounded(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[str] = []
    original = auth_module._verified

    def counting(settings: Any, token: str) -> Any:
        calls.append(token)
        return original(settings, token)

    monkeypatch.setattr(auth_module, "_verified", counting)
    cache = auth_module.TokenCache(api.settings, max_entries=2)
    tokens = [api.token(f"user{i}") for i in range(3)]
    for token in tokens[:1] * 3:
        assert cache.principal(token).subject == "user0"
    assert calls == tokens[:1]
    for token in tokens:
        cache.principal(token)
    cache.principal(tokens[0])  # pushed out by the third: verified again
    assert calls == [tokens[0], tokens[1], tokens[2], tokens[0]]


def test_encoded_answers_match_the_schema_and_the_plain_conversion(shared_api: Api) -> None:
    engine = shared_api.app.state.runtime.current_state().engine
    asks = {
        "content": engine.content(Query(employee_id="ann", target_role_id="ds", k=5)),
        "mentors": next(
            found
            for person in sorted(engine.records.employees)
            if (found := engine.mentors(Query(employee_id=person, target_role_id="ds", k=5)))
        ),
        "roles": engine.next_roles(Query(employee_id="bob", k=5)),
    }
    for kind, recs in asks.items():
        assert recs, kind
        body = dumps({"query": {"k": 5}, "items": recs})
        plain = {"query": {"k": 5}, "items": [convert.recommendation(r) for r in recs]}
        assert orjson.loads(body) == orjson.loads(orjson.dumps(plain)), kind
        schemas.RecommendationList.model_validate_json(body)
    report = engine.gaps("ann", "ds")
    assert orjson.loads(dumps(report.to_dict())) == convert.jsonable(report)
    schemas.GapReportPublic.model_validate_json(dumps(report.to_dict()))
