"""GET /v1/employees/{id}/recommendations: the four single answers in one, same access rules,
same errors, the same bytes through the fast path as through the FastAPI route."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import urlencode

import pytest
from api_harness import Api, wait_ready
from fastapi.testclient import TestClient

from api.app import create_app
from api.fastpath import FastReads
from api.runtime import EngineFactory
from api.schemas import EmployeeRecommendationsPublic
from skillgraph.retrieval.encoder import HashingEncoder

# (caller, caller's role, person, target role or None)
READERS = [
    ("bob", "employee", "bob", "ds"),
    ("ann", "employee", "ann", None),
    ("mgr", "manager", "bob", "mle"),
    ("svc", "service", "ann", "mle"),
    ("root", "ld_admin", "bob", None),
]


def _full(api: Api, caller: str, role: str, person: str, **params: Any) -> Any:
    query = urlencode({k: v for k, v in params.items() if v is not None})
    path = f"/v1/employees/{person}/recommendations" + (f"?{query}" if query else "")
    return api.client.get(path, headers=api.auth(caller, role))


def _single(api: Api, caller: str, role: str, path: str, **params: Any) -> Any:
    response = api.client.get(
        path,
        params={k: v for k, v in params.items() if v is not None},
        headers=api.auth(caller, role),
    )
    assert response.status_code == 200, (path, response.text)
    return response.json()


@pytest.mark.parametrize(("caller", "role", "person", "target"), READERS)
def test_full_answer_is_the_four_single_answers(
    shared_api: Api, caller: str, role: str, person: str, target: str | None
) -> None:
    response = _full(shared_api, caller, role, person, target_role=target)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["employee_id"] == person
    assert body["target_role"] == target
    base = f"/v1/employees/{person}"
    expected = {
        "gaps": _single(shared_api, caller, role, f"{base}/gaps", target_role=target),
        "mentors": _single(shared_api, caller, role, f"{base}/mentors", target_role=target, k=10),
        "content": _single(shared_api, caller, role, f"{base}/content", target_role=target, k=10),
        "paths": _single(
            shared_api, caller, role, "/v1/paths", employee_id=person, to=target, k=5, max_hops=3
        ),
    }
    assert {part: body[part] for part in expected} == expected
    assert body["gaps"]["role_id"] == (target or body["gaps"]["role_id"])
    EmployeeRecommendationsPublic.model_validate(body)


def test_k_and_hops_shape_each_part(shared_api: Api) -> None:
    params = {"target_role": "ds", "k_mentors": 1, "k_content": 2, "k_paths": 1, "max_hops": 2}
    body = _full(shared_api, "bob", "employee", "bob", **params).json()
    assert len(body["mentors"]["items"]) <= 1
    assert 0 < len(body["content"]["items"]) <= 2
    assert len(body["paths"]["items"]) <= 1
    assert body["paths"]["query"]["max_hops"] == 2
    for path in body["paths"]["items"]:
        assert len(path["hops"]) <= 2
    single = _single(
        shared_api, "bob", "employee", "/v1/employees/bob/content", target_role="ds", k=2
    )
    assert body["content"] == single


@pytest.mark.parametrize(
    ("caller", "role", "person"),
    [
        ("ann", "employee", "bob"),  # someone else
        ("ann", "employee", "ghost"),  # 403 whether the id exists or not
        ("mgr", "manager", "cat"),  # not a report
        ("bob", "employee", "mgr"),  # the manager, upwards
    ],
)
def test_only_self_reports_service_and_admins(
    shared_api: Api, caller: str, role: str, person: str
) -> None:
    response = _full(shared_api, caller, role, person)
    assert response.status_code == 403, response.text
    assert response.headers["content-type"] == "application/problem+json"


def test_missing_token_is_401(shared_api: Api) -> None:
    response = shared_api.client.get("/v1/employees/ann/recommendations")
    assert response.status_code == 401
    assert response.headers["content-type"] == "application/problem+json"


@pytest.mark.parametrize("params", [{}, {"target_role": "nowhere"}])
def test_unknown_ids_are_404_problems(shared_api: Api, params: dict[str, str]) -> None:
    person = "ghost" if not params else "ann"
    response = _full(shared_api, "root", "ld_admin", person, **params)
    assert response.status_code == 404, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["status"] == 404


@pytest.mark.parametrize(
    "params",
    [
        {"k_mentors": 0},
        {"k_content": 100_000},
        {"k_paths": "two"},
        {"k_mentors": 2.5},
        {"max_hops": 0},
        {"max_hops": 7},
        {"target_role": ""},
    ],
)
def test_bad_parameters_are_422_problems(shared_api: Api, params: dict[str, Any]) -> None:
    response = _full(shared_api, "ann", "employee", "ann", **params)
    assert response.status_code == 422, response.text
    problem = response.json()
    assert response.headers["content-type"] == "application/problem+json"
    assert problem["errors"], problem


@pytest.fixture(scope="module")
def routes_only(shared_api: Api, api_encoder: HashingEncoder) -> Iterator[Api]:
    """The same data served without the fast path (every request through FastAPI)."""
    app = create_app(
        shared_api.settings, engine_factory=EngineFactory(api_encoder), fast_reads=False
    )
    with TestClient(app) as client:
        wait_ready(client)
        yield Api(client, shared_api.settings, app)


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"target_role": "ds", "k_mentors": 3, "k_content": 4, "k_paths": 2, "max_hops": 2},
        {"k_paths": "03"},
    ],
)
def test_fast_path_answers_as_the_route(
    shared_api: Api, routes_only: Api, params: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    answered: list[str] = []
    original = FastReads._answer

    async def spy(self: FastReads, scope: dict[str, Any]) -> Any:
        response = await original(self, scope)
        if response is not None:
            answered.append(scope["path"])
        return response

    monkeypatch.setattr(FastReads, "_answer", spy)
    fast = _full(shared_api, "bob", "employee", "bob", **params)
    assert answered == ["/v1/employees/bob/recommendations"]
    slow = _full(routes_only, "bob", "employee", "bob", **params)
    assert fast.status_code == slow.status_code == 200
    assert fast.json() == slow.json()
    assert fast.headers["content-type"] == slow.headers["content-type"] == "application/json"
    assert "engine;dur=" in fast.headers["server-timing"]
