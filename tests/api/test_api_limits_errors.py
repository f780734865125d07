"""Errors are problem+json; bodies above the limit get 413 whether declared or streamed."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from api_harness import Api

PROBLEM = "application/problem+json"


@pytest.fixture
def bare(make_api: Callable[..., Api]) -> Api:
    """An app over an empty store: no engine needed for these checks."""
    return make_api(seed_records=False, max_body_bytes=1_000)


def test_health_answers_without_an_engine(bare: Api) -> None:
    assert bare.client.get("/health").json() == {"status": "ok"}


def test_ready_is_503_problem_until_there_is_an_engine(bare: Api) -> None:
    response = bare.client.get("/ready")
    assert response.status_code == 503
    assert response.headers["content-type"].startswith(PROBLEM)
    assert response.json()["status"] == 503
    assert response.json()["phase"] in ("starting", "empty", "failed")


def test_declared_oversized_body_is_413(bare: Api) -> None:
    body = b'{"id": "x", "label": "' + b"a" * 2_000 + b'"}'
    response = bare.client.post(
        "/v1/skills", content=body, headers={**bare.admin, "content-type": "application/json"}
    )
    assert response.status_code == 413
    assert response.headers["content-type"].startswith(PROBLEM)
    assert "1000 bytes" in response.json()["detail"]


def test_streamed_oversized_body_is_413(bare: Api) -> None:
    def chunks() -> Iterator[bytes]:  # no Content-Length: chunked transfer
        yield b'{"id": "x", "label": "'
        for _ in range(10):
            yield b"a" * 200
        yield b'"}'

    response = bare.client.post(
        "/v1/skills", content=chunks(), headers={**bare.admin, "content-type": "application/json"}
    )
    assert response.status_code == 413
    assert response.headers["content-type"].startswith(PROBLEM)


def test_small_body_passes_the_limit(bare: Api) -> None:
    response = bare.client.post("/v1/skills", json={"id": "x", "label": "X"}, headers=bare.admin)
    assert response.status_code != 413


@pytest.mark.parametrize(
    ("headers", "needle"),
    [
        ({}, "missing"),
        ({"Authorization": "Bearer not-a-jwt"}, "invalid token"),
        ({"Authorization": "Basic dXNlcjpwYXNz"}, "missing"),
    ],
)
def test_unauthenticated_is_401_problem(bare: Api, headers: dict[str, str], needle: str) -> None:
    response = bare.client.get("/v1/skills", headers=headers)
    assert response.status_code == 401
    assert response.headers["content-type"].startswith(PROBLEM)
    assert needle in response.json()["detail"]
    assert response.headers["www-authenticate"].startswith("Bearer")


def test_unknown_route_and_method_are_problems(bare: Api) -> None:
    missing = bare.client.get("/v1/nothing-here")
    assert missing.status_code == 404
    assert missing.headers["content-type"].startswith(PROBLEM)
    wrong = bare.client.put("/health")
    assert wrong.status_code == 405
    assert wrong.headers["content-type"].startswith(PROBLEM)


def test_validation_error_is_422_problem_with_locations(bare: Api) -> None:
    response = bare.client.post(
        "/v1/skills", json={"id": "bad id!", "label": ""}, headers=bare.admin
    )
    assert response.status_code == 422
    body = response.json()
    assert response.headers["content-type"].startswith(PROBLEM)
    assert {tuple(e["loc"][-1:]) for e in body["errors"]} >= {("id",), ("label",)}


def test_openapi_documents_problem_json_for_errors(bare: Api) -> None:
    schema = bare.client.get("/openapi.json").json()
    for path, item in schema["paths"].items():
        for method, op in item.items():
            for code, response in op["responses"].items():
                if code.isdigit() and int(code) >= 400:
                    assert list(response["content"]) == [PROBLEM], (path, method, code)
    assert "Problem" in schema["components"]["schemas"]
    assert "bearer" in schema["components"]["securitySchemes"]
