"""Records through the API: create, read, update with versions, and the engine sees writes."""

from __future__ import annotations

from api_harness import Api


def test_new_employee_is_recommended_without_restart(api: Api) -> None:
    created = api.client.post(
        "/v1/employees",
        json={
            "id": "eve",
            "name": "Eve Expert",
            "role_id": "mle",
            "manager_id": "boss",
            "skills": [
                {"skill_id": "stats", "level": 5},
                {"skill_id": "python", "level": 5},
                {"skill_id": "sql", "level": 5},
            ],
        },
        headers=api.admin,
    )
    assert created.status_code == 201, created.text
    assert created.json()["version"] == 1
    offer = api.client.post(
        "/v1/mentors",
        json={"id": "m-eve", "employee_id": "eve", "capacity": 3, "topics": ["stats", "sql"]},
        headers=api.auth("eve"),
    )
    assert offer.status_code == 201, offer.text
    mentors = api.client.get("/v1/employees/bob/mentors?k=10", headers=api.admin).json()
    assert "m-eve" in [m["item_id"] for m in mentors["items"]]


def test_changed_skills_change_the_gaps(api: Api) -> None:
    before = api.client.get("/v1/employees/bob/gaps?target_role=ds", headers=api.auth("bob")).json()
    rows = {r["skill_id"]: r for r in before["rows"]}
    assert rows["ml"]["gap"] > 0
    patched = api.client.patch(
        "/v1/employees/bob",
        json={
            "skills": [
                {"skill_id": "ml", "level": 5},
                {"skill_id": "python", "level": 5},
                {"skill_id": "stats", "level": 5},
                {"skill_id": "sql", "level": 5},
            ]
        },
        headers=api.auth("bob"),
    )
    assert patched.status_code == 200, patched.text
    assert patched.json()["version"] == 2
    after = api.client.get("/v1/employees/bob/gaps?target_role=ds", headers=api.auth("bob")).json()
    assert after["readiness"] == 100.0
    assert before["readiness"] < 100.0


def test_new_course_is_recommended(api: Api) -> None:
    created = api.client.post(
        "/v1/learning-items",
        json={
            "id": "c-spark2",
            "title": "Spark tuning clinic",
            "skills": [{"skill_id": "spark", "level": 4}],
            "duration_hours": 6,
        },
        headers=api.admin,
    )
    assert created.status_code == 201, created.text
    content = api.client.get("/v1/content?skills=spark&k=10", headers=api.auth("bob")).json()
    assert "c-spark2" in [c["item_id"] for c in content["items"]]
    deleted = api.client.delete("/v1/learning-items/c-spark2", headers=api.admin)
    assert deleted.status_code == 204
    content = api.client.get("/v1/content?skills=spark&k=10", headers=api.auth("bob")).json()
    assert "c-spark2" not in [c["item_id"] for c in content["items"]]


def test_stale_if_match_is_409(api: Api) -> None:
    first = api.client.patch(
        "/v1/employees/ann", json={"about": "one"}, headers={**api.auth("ann"), "If-Match": "1"}
    )
    assert first.status_code == 200
    second = api.client.patch(
        "/v1/employees/ann", json={"about": "two"}, headers={**api.auth("ann"), "If-Match": "1"}
    )
    assert second.status_code == 409
    assert api.client.get("/v1/employees/ann", headers=api.auth("ann")).json()["about"] == "one"


def test_duplicate_and_dangling_references(api: Api) -> None:
    dup = api.client.post("/v1/skills", json={"id": "ml", "label": "ML again"}, headers=api.admin)
    assert dup.status_code == 409
    dangling = api.client.post(
        "/v1/employees", json={"id": "x1", "name": "X", "role_id": "astronaut"}, headers=api.admin
    )
    assert dangling.status_code == 422
    assert "astronaut" in dangling.json()["detail"]
    loop = api.client.patch("/v1/employees/boss", json={"manager_id": "ann"}, headers=api.admin)
    assert loop.status_code == 422


def test_role_profile_and_update(api: Api) -> None:
    role = api.client.get("/v1/roles/ds", headers=api.auth("ann")).json()
    assert {r["skill_id"] for r in role["requirements"]} == {"python", "stats", "ml", "sql"}
    assert all(r["provenance"] == "declared" for r in role["requirements"])
    updated = api.client.patch(
        "/v1/roles/ds",
        json={"requirements": [{"skill_id": "ml", "level": 4}]},
        headers=api.admin,
    )
    assert updated.status_code == 200, updated.text
    gaps = api.client.get("/v1/employees/mgr/gaps", headers=api.admin).json()
    assert [r["skill_id"] for r in gaps["rows"]] == ["ml"]


def test_lists_paginate_with_total(api: Api) -> None:
    first = api.client.get("/v1/employees?limit=2", headers=api.admin).json()
    second = api.client.get("/v1/employees?limit=2&offset=2", headers=api.admin).json()
    assert first["total"] == second["total"] == 6
    ids = [e["id"] for e in first["items"] + second["items"]]
    assert len(ids) == len(set(ids)) == 4
    items = api.client.get("/v1/learning-items?limit=1", headers=api.admin).json()
    assert items["total"] == 5
    assert len(items["items"]) == 1


def test_skill_search_by_label_and_meaning(api: Api) -> None:
    exact = api.client.get("/v1/skills?q=python3", headers=api.auth("ann")).json()
    assert exact["items"][0]["skill"]["id"] == "python"
    assert exact["items"][0]["match"] == "label"
    partial = api.client.get("/v1/skills?q=spark", headers=api.auth("ann")).json()
    assert partial["items"][0]["skill"]["id"] == "spark"


def test_feedback_is_the_callers_own(api: Api) -> None:
    given = api.client.post(
        "/v1/feedback",
        json={"target_kind": "mentor", "target_id": "m-cat", "verdict": "accepted", "rating": 4},
        headers=api.auth("bob"),
    )
    assert given.status_code == 201, given.text
    assert given.json()["employee_id"] == "bob"
    spoofed = api.client.post(
        "/v1/feedback",
        json={
            "employee_id": "ann",
            "target_kind": "mentor",
            "target_id": "m-cat",
            "verdict": "declined",
        },
        headers=api.auth("bob"),
    )
    assert spoofed.status_code == 422
    bad_rating = api.client.post(
        "/v1/feedback",
        json={"target_kind": "mentor", "target_id": "m-cat", "verdict": "useful", "rating": 6},
        headers=api.auth("bob"),
    )
    assert bad_rating.status_code == 422
    mine = api.client.get("/v1/feedback", headers=api.auth("bob")).json()
    assert {f["employee_id"] for f in mine["items"]} == {"bob"}
    assert mine["total"] == 2
