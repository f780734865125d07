"""Recommendation endpoints answer with explained, bounded, access-checked results."""

from __future__ import annotations

from api_harness import Api


def test_gaps_report_open_gaps_first_with_readiness(shared_api: Api) -> None:
    report = shared_api.client.get(
        "/v1/employees/bob/gaps?target_role=ds", headers=shared_api.auth("bob")
    ).json()
    assert report["role_id"] == "ds"
    assert 0 <= report["readiness"] < 100
    gaps = [r["gap"] for r in report["rows"]]
    open_count = sum(g > 0 for g in gaps)
    assert all(g > 0 for g in gaps[:open_count])
    assert {r["skill_id"] for r in report["rows"] if r["gap"] > 0} >= {"ml", "python", "stats"}


def test_default_target_is_the_current_role(shared_api: Api) -> None:
    report = shared_api.client.get("/v1/employees/ann/gaps", headers=shared_api.auth("ann")).json()
    assert report["role_id"] == "analyst"


def test_role_to_role_gaps(shared_api: Api) -> None:
    report = shared_api.client.get(
        "/v1/roles/analyst/gaps?target_role=mle", headers=shared_api.auth("ann")
    ).json()
    assert report["employee_id"] is None
    assert {r["skill_id"] for r in report["rows"]} == {"python", "ml", "spark"}


def test_mentors_are_explained_and_bounded(shared_api: Api) -> None:
    body = shared_api.client.get(
        "/v1/employees/bob/mentors?k=1&target_role=ds", headers=shared_api.auth("bob")
    ).json()
    assert len(body["items"]) == 1
    rec = body["items"][0]
    assert rec["kind"] == "mentor"
    assert rec["item_id"] in {"m-cat", "m-dan"}
    assert rec["explanation"]["gaps"], rec
    assert rec["explanation"]["text"]
    assert body["query"]["k"] == 1


def test_content_for_a_person_and_for_skills(shared_api: Api) -> None:
    mine = shared_api.client.get(
        "/v1/employees/bob/content?target_role=ds&k=10", headers=shared_api.auth("bob")
    ).json()
    ids = [c["item_id"] for c in mine["items"]]
    assert "c-spark" not in ids  # spark is no gap for a data scientist
    assert ids, mine
    spark = shared_api.client.get("/v1/content?skills=spark", headers=shared_api.auth("bob")).json()
    assert spark["items"][0]["item_id"] == "c-spark"
    workshops = shared_api.client.get(
        "/v1/content?skills=spark,ml&modality=workshop", headers=shared_api.auth("bob")
    ).json()
    assert [c["item_id"] for c in workshops["items"]] == ["c-spark"]


def test_unknown_ids_are_404_problems(shared_api: Api) -> None:
    for path in ("/v1/employees/zed/gaps", "/v1/content?skills=nope", "/v1/roles/zed"):
        response = shared_api.client.get(path, headers=shared_api.admin)
        assert response.status_code == 404, (path, response.text)
        assert response.json()["title"] == "Not found"
    target = shared_api.client.get(
        "/v1/employees/ann/gaps?target_role=zed", headers=shared_api.admin
    )
    assert target.status_code == 404


def test_next_roles_and_paths(shared_api: Api) -> None:
    roles = shared_api.client.get(
        "/v1/employees/ann/next-roles?k=3", headers=shared_api.auth("ann")
    ).json()
    assert roles["items"]
    assert "analyst" not in [r["item_id"] for r in roles["items"]]
    paths = shared_api.client.get(
        "/v1/paths?from=analyst&to=mle&max_hops=3&k=2", headers=shared_api.auth("ann")
    )
    assert paths.status_code == 200, paths.text
    assert len(paths.json()["items"]) <= 2
    mine = shared_api.client.get("/v1/paths?employee_id=bob", headers=shared_api.auth("ann"))
    assert mine.status_code == 403


def test_infer_skills_from_text(shared_api: Api) -> None:
    response = shared_api.client.post(
        "/v1/skills/infer",
        json={"text": "Apache Spark jobs and SQL databases every day", "k": 3},
        headers=shared_api.auth("ann"),
    )
    assert response.status_code == 200, response.text
    found = [s["skill_id"] for s in response.json()]
    assert len(found) <= 3
    assert {"spark", "sql"} & set(found)
