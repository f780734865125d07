"""Mentoring rounds through the API: validated, solved, edited, published, answered."""

from __future__ import annotations

from api_harness import Api

ROUND = {
    "id": "r-ml",
    "name": "Data mentoring",
    "mentee_ids": ["bob", "mgr"],
    "gap_skills": ["python", "stats", "sql"],
}


def _free(api: Api, offer_id: str) -> int:
    listed = api.client.get("/v1/mentors", headers=api.admin).json()["items"]
    offer = next(o for o in listed if o["id"] == offer_id)
    return int(offer["capacity"] - offer["load"])


def test_round_lifecycle(api: Api) -> None:
    created = api.client.post("/v1/matching/rounds", json=ROUND, headers=api.admin)
    assert created.status_code == 201, created.text
    assert created.json()["status"] == "defined"
    solved = api.client.post("/v1/matching/rounds/r-ml/solve", headers=api.admin)
    assert solved.status_code == 200, solved.text
    proposal = solved.json()["proposal"]
    assert solved.json()["status"] == "draft"
    matches = proposal["matches"]
    assert matches, proposal
    matched = {m for pm in matches for m in pm["match"]["mentee_ids"]}
    assert "bob" in matched  # bob lacks python and stats for his role
    first = matches[0]["match"]
    locked = api.client.post(
        "/v1/matching/rounds/r-ml/edits",
        json={"action": "lock", "match_id": first["id"]},
        headers=api.admin,
    )
    assert locked.status_code == 200, locked.text
    before = _free(api, first["offer_id"])
    published = api.client.post("/v1/matching/rounds/r-ml/publish", headers=api.admin)
    assert published.status_code == 200, published.text
    assert published.json()["status"] == "published"
    assert _free(api, first["offer_id"]) == before - 1  # the place is taken

    mentee = first["mentee_ids"][0]
    url = f"/v1/matching/rounds/r-ml/matches/{first['id']}"
    outsider = api.client.post(f"{url}/accept", headers=api.auth("boss", "manager"))
    assert outsider.status_code == 403
    accepted = api.client.post(f"{url}/accept", headers=api.auth(mentee))
    assert accepted.status_code == 200, accepted.text
    mine = api.client.get("/v1/matching/assignments", headers=api.auth(mentee)).json()
    assert [a["mentor_id"] for a in mine] == [first["mentor_id"]]
    declined = api.client.post(f"{url}/decline", headers=api.auth(first["mentor_id"]))
    assert declined.status_code == 200, declined.text
    assert _free(api, first["offer_id"]) == before  # a declined match frees the place


def test_invalid_round_is_refused_before_storing(api: Api) -> None:
    bad = {**ROUND, "gap_skills": ["no-such-skill"]}
    response = api.client.post("/v1/matching/rounds", json=bad, headers=api.admin)
    assert response.status_code in (404, 422), response.text
    assert api.client.get("/v1/matching/rounds", headers=api.admin).json()["total"] == 0
    unknown_mode = api.client.post(
        "/v1/matching/rounds", json={**ROUND, "mode": "telepathy"}, headers=api.admin
    )
    assert unknown_mode.status_code == 422


def test_rounds_are_for_admins(api: Api) -> None:
    response = api.client.post(
        "/v1/matching/rounds", json=ROUND, headers=api.auth("mgr", "manager")
    )
    assert response.status_code == 403
    sd = api.client.get("/v1/matching/supply-demand", headers=api.auth("ann"))
    assert sd.status_code == 403


def test_supply_and_demand(api: Api) -> None:
    response = api.client.get("/v1/matching/supply-demand?min_mentor_level=4", headers=api.admin)
    assert response.status_code == 200, response.text
    by_skill = {row["skill_id"]: row for row in response.json()["by_skill"]}
    assert by_skill["python"]["demand_count"] >= 1  # bob lacks python for his role
    assert by_skill["python"]["supply"] >= 1  # cat and dan hold it at 4+
