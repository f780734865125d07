"""Authorization (OWASP API Top 10): object level, function level, property level, limits."""

from __future__ import annotations

from datetime import timedelta

import pytest
from api_harness import Api

PROBLEM = "application/problem+json"
PERSONAL = ["", "/gaps", "/mentors", "/content", "/next-roles", "/plans"]


@pytest.mark.parametrize("suffix", PERSONAL)
def test_employee_reads_only_themself(shared_api: Api, suffix: str) -> None:
    own = shared_api.client.get(f"/v1/employees/ann{suffix}", headers=shared_api.auth("ann"))
    assert own.status_code == 200, own.text
    other = shared_api.client.get(f"/v1/employees/bob{suffix}", headers=shared_api.auth("ann"))
    assert other.status_code == 403
    assert other.headers["content-type"].startswith(PROBLEM)


def test_forbidden_looks_the_same_for_unknown_ids(shared_api: Api) -> None:
    known = shared_api.client.get("/v1/employees/bob/gaps", headers=shared_api.auth("ann"))
    unknown = shared_api.client.get("/v1/employees/zed/gaps", headers=shared_api.auth("ann"))
    assert known.status_code == unknown.status_code == 403
    assert known.json()["detail"] == unknown.json()["detail"]


@pytest.mark.parametrize(("manager", "report"), [("mgr", "ann"), ("boss", "ann"), ("boss", "cat")])
def test_manager_reads_direct_and_indirect_reports(
    shared_api: Api, manager: str, report: str
) -> None:
    response = shared_api.client.get(
        f"/v1/employees/{report}/gaps", headers=shared_api.auth(manager, "manager")
    )
    assert response.status_code == 200


def test_manager_cannot_read_outside_their_line(shared_api: Api) -> None:
    response = shared_api.client.get("/v1/employees/cat", headers=shared_api.auth("mgr", "manager"))
    assert response.status_code == 403
    listing = shared_api.client.get("/v1/employees", headers=shared_api.auth("mgr", "manager"))
    assert {e["id"] for e in listing.json()["items"]} == {"mgr", "ann", "bob"}


def test_service_reads_recommendations_not_profiles(shared_api: Api) -> None:
    service = shared_api.auth("hr-portal", "service")
    assert shared_api.client.get("/v1/employees/ann/mentors", headers=service).status_code == 200
    assert shared_api.client.get("/v1/employees/ann", headers=service).status_code == 403
    assert shared_api.client.get("/v1/employees", headers=service).status_code == 403
    created = shared_api.client.post(
        "/v1/feedback",
        json={"target_kind": "content", "target_id": "c-ml", "verdict": "useful"},
        headers=service,
    )
    assert created.status_code == 403


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("post", "/v1/admin/reindex", None),
        ("post", "/v1/admin/import", {"path": "x"}),
        ("get", "/v1/admin/status", None),
        ("post", "/v1/skills", {"id": "new", "label": "New"}),
        ("post", "/v1/roles", {"id": "new", "title": "New"}),
        ("post", "/v1/learning-items", {"id": "new", "title": "New"}),
        ("post", "/v1/employees", {"id": "new", "name": "New", "role_id": "ds"}),
        ("delete", "/v1/employees/bob?erase=true", None),
    ],
)
@pytest.mark.parametrize("role", ["employee", "manager", "service"])
def test_functions_above_ones_role_are_403(
    shared_api: Api, method: str, path: str, body: object, role: str
) -> None:
    response = shared_api.client.request(
        method.upper(), path, json=body, headers=shared_api.auth("mgr", role)
    )
    assert response.status_code == 403, response.text
    assert response.headers["content-type"].startswith(PROBLEM)


@pytest.mark.parametrize(
    "field",
    [{"role_id": "head"}, {"manager_id": None}, {"active": False}, {"name": "Boss Ann"}],
)
def test_employee_cannot_patch_protected_fields(shared_api: Api, field: dict[str, object]) -> None:
    before = shared_api.client.get("/v1/employees/ann", headers=shared_api.auth("ann")).json()
    response = shared_api.client.patch(
        "/v1/employees/ann", json=field, headers=shared_api.auth("ann")
    )
    assert response.status_code == 422
    assert "L&D admin" in response.json()["detail"]
    after = shared_api.client.get("/v1/employees/ann", headers=shared_api.auth("ann")).json()
    assert after == before


def test_unknown_fields_are_refused_not_ignored(shared_api: Api) -> None:
    response = shared_api.client.patch(
        "/v1/employees/ann", json={"about": "hi", "version": 99}, headers=shared_api.auth("ann")
    )
    assert response.status_code == 422
    plan = shared_api.client.post(
        "/v1/employees/ann/plans",
        json={"target_role": "ds", "status": "approved"},
        headers=shared_api.auth("ann"),
    )
    assert plan.status_code == 422


def test_expired_and_forged_tokens_are_401(shared_api: Api) -> None:
    expired = shared_api.token("ann", "employee", ttl=timedelta(seconds=-5))
    response = shared_api.client.get(
        "/v1/employees/ann", headers={"Authorization": f"Bearer {expired}"}
    )
    assert response.status_code == 401
    assert "expired" in response.json()["detail"]
    forged = shared_api.token("ann", "ld_admin")[:-4] + "AAAA"
    response = shared_api.client.get(
        "/v1/admin/status", headers={"Authorization": f"Bearer {forged}"}
    )
    assert response.status_code == 401


@pytest.mark.parametrize(
    "path",
    [
        "/v1/employees/ann/mentors?k=101",
        "/v1/employees/ann/content?k=0",
        "/v1/content?skills=ml&k=1000",
        "/v1/skills?limit=201",
        "/v1/employees?limit=100000",
        "/v1/roles?offset=-1",
    ],
)
def test_excessive_k_or_page_size_is_422(shared_api: Api, path: str) -> None:
    response = shared_api.client.get(path, headers=shared_api.admin)
    assert response.status_code == 422
    assert response.headers["content-type"].startswith(PROBLEM)
