"""Development plans through the API; only the employee's manager decides checkpoints."""

from __future__ import annotations

from api_harness import Api


def _plan(api: Api) -> dict[str, object]:
    response = api.client.post(
        "/v1/employees/bob/plans", json={"target_role": "ds"}, headers=api.auth("bob")
    )
    assert response.status_code == 201, response.text
    return response.json()


def test_plan_is_stored_and_listed(api: Api) -> None:
    plan = _plan(api)
    assert plan["employee_id"] == "bob"
    assert plan["manager_id"] == "mgr"
    assert plan["checkpoints"], plan
    listed = api.client.get("/v1/employees/bob/plans", headers=api.auth("mgr", "manager")).json()
    assert [p["id"] for p in listed["items"]] == [plan["id"]]
    assert api.client.get(f"/v1/plans/{plan['id']}", headers=api.auth("ann")).status_code == 403


def test_only_the_manager_approves(api: Api) -> None:
    plan = _plan(api)
    cid = plan["checkpoints"][0]["id"]  # type: ignore[index]
    url = f"/v1/plans/{plan['id']}/checkpoints/{cid}"
    assert api.client.post(f"{url}/approve", json={}, headers=api.auth("bob")).status_code == 403
    boss = api.client.post(f"{url}/approve", json={}, headers=api.auth("boss", "manager"))
    assert boss.status_code == 403  # a skip-level manager reads, the direct manager decides
    ok = api.client.post(
        f"{url}/approve", json={"comment": "well done"}, headers=api.auth("mgr", "manager")
    )
    assert ok.status_code == 200, ok.text
    checkpoint = next(c for c in ok.json()["checkpoints"] if c["id"] == cid)
    assert checkpoint["status"] == "approved"
    assert checkpoint["approver_id"] == "mgr"
    again = api.client.post(f"{url}/approve", json={}, headers=api.auth("mgr", "manager"))
    assert again.status_code == 422


def test_return_needs_a_comment_and_resubmit_reopens(api: Api) -> None:
    plan = _plan(api)
    cid = plan["checkpoints"][0]["id"]  # type: ignore[index]
    url = f"/v1/plans/{plan['id']}/checkpoints/{cid}"
    mgr = api.auth("mgr", "manager")
    assert api.client.post(f"{url}/return", json={}, headers=mgr).status_code == 422
    returned = api.client.post(f"{url}/return", json={"comment": "add the demo"}, headers=mgr)
    assert returned.status_code == 200
    reopened = api.client.post(f"{url}/resubmit", json={"comment": "done"}, headers=api.auth("bob"))
    assert reopened.status_code == 200
    status = next(c for c in reopened.json()["checkpoints"] if c["id"] == cid)["status"]
    assert status == "pending"


def test_checkpoint_status_cannot_be_set_directly(api: Api) -> None:
    plan = _plan(api)
    cid = plan["checkpoints"][0]["id"]  # type: ignore[index]
    response = api.client.post(
        f"/v1/plans/{plan['id']}/checkpoints/{cid}/resubmit",
        json={"status": "approved"},
        headers=api.auth("bob"),
    )
    assert response.status_code == 422


def test_an_unknown_checkpoint_action_is_refused_and_changes_nothing(api: Api) -> None:
    plan = _plan(api)
    cid = plan["checkpoints"][0]["id"]  # type: ignore[index]
    url = f"/v1/plans/{plan['id']}/checkpoints/{cid}"
    mgr = api.auth("mgr", "manager")
    refused = api.client.post(f"{url}/complete", json={}, headers=mgr)
    assert refused.status_code == 422
    assert "action" in refused.text
    stored = api.client.get(f"/v1/plans/{plan['id']}", headers=mgr).json()
    assert stored["version"] == plan["version"]
