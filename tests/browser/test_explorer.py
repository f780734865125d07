"""The career-path explorer (/ui) in chromium against the real service and the sample company.

Each test asserts what is on screen and, where the page writes, what the API stored; the
`page` fixture fails a test on any console error, page error, failed request or error
response it did not provoke on purpose.
"""

from __future__ import annotations

import math
import re
from datetime import timedelta
from typing import Any

import pytest
from playwright.sync_api import expect

from api.auth import mint_token
from skillgraph.config import ApiSettings, Settings

pytestmark = pytest.mark.browser

EMPLOYEE = "e0006"  # Omar Kaur, Staff Backend Engineer, reports to e0004
OTHER = "e0002"  # Hana Dasgupta: not e0006's report
PLANNER = "e0007"  # Lucas Ziegler, reports to e0004
MANAGER = "e0004"  # Wen Weber
TARGET = ("head-of-data", "Head of Data")
PLAN_TARGET = "platform-engineering-lead"
PHONE = {"width": 390, "height": 844}


def wait_for_roles(page: Any) -> None:
    expect(page.locator("#role-list button[data-role]").first).to_be_visible()


def test_sign_in_pick_a_target_open_a_move_and_give_feedback(
    page: Any, explorer: Any, watch: Any, shoot: Any
) -> None:
    page.goto("/ui")
    expect(page.locator("#view-signin")).to_be_visible()
    expect(page.locator("#credits")).to_contain_text("Data: company sample_company")
    page.fill("#dev-filter", "Omar Kaur")
    expect(page.locator("#dev-person option")).to_have_count(1)
    shoot(page, "01-sign-in")
    page.click("#dev-form button[type=submit]")

    expect(page.locator("#explore-profile")).to_contain_text("Omar Kaur")
    expect(page.locator("#explore-profile")).to_contain_text("Staff Backend Engineer")
    wait_for_roles(page)
    expect(page.locator("#who-name")).to_have_text("Omar Kaur")
    next_roles = explorer.get(f"/v1/employees/{EMPLOYEE}/next-roles", EMPLOYEE, k=8)["items"]
    first = next_roles[0]
    button = page.locator(f"#role-list button[data-role='{first['item_id']}']")
    expect(button).to_contain_text(first["payload"]["title"])
    expect(button).to_contain_text(f"{round(first['payload']['readiness'])}% ready")
    assert page.locator("#graph canvas").count() > 0
    expect(page.locator(".legend")).to_contain_text("lateral move (dashed)")
    shoot(page, "02-where-can-i-go")

    page.fill("#role-query", "data")
    page.click("#role-search button[type=submit]")
    hit = page.locator("#search-results li", has_text=TARGET[1])
    expect(hit).to_be_visible()
    hit.get_by_role("button", name=re.compile("Set as target")).click()

    expect(page.locator(".target-banner")).to_contain_text(f"Target: {TARGET[1]}")
    expect(page.locator("#graph-title")).to_have_text(f"Paths to {TARGET[1]}")
    paths = explorer.get(
        "/v1/paths", EMPLOYEE, employee_id=EMPLOYEE, to=TARGET[0], k=3, max_hops=4
    )["items"]
    assert paths, "the sample company has a path from e0006 to Head of Data"
    expect(page.locator(".paths > li")).to_have_count(len(paths))
    hop = paths[0]["hops"][0]
    page.locator(".paths > li").first.locator(".hops button").first.click()

    detail = page.locator("#detail")
    expect(detail.locator("#detail-title")).to_have_text(hop["to_title"])
    expect(detail).to_contain_text(f"about {_hours(hop['effort_hours'])} of learning")
    open_rows = [r for r in hop["gaps"]["rows"] if r["gap"] > 0]
    gap = detail.locator(f"#gap-list li[data-skill='{open_rows[0]['skill_id']}']")
    expect(gap).to_contain_text(open_rows[0]["label"])
    needed = f"{_level(open_rows[0]['current_level'])} of {_level(open_rows[0]['required_level'])}"
    expect(gap).to_contain_text(f"{needed} needed")
    expect(detail.locator("#gap-list > li")).to_have_count(len(open_rows))
    content = detail.locator("#recs-content > li")
    mentors = detail.locator("#recs-mentor > li")
    expect(content).to_have_count(len(hop["content"]))
    expect(mentors).to_have_count(len(hop["mentors"]))
    assert hop["content"]
    assert hop["mentors"]
    expect(content.first.locator(".closes li").first).to_contain_text("→")
    expect(mentors.first).to_contain_text(hop["mentors"][0]["text"][:20])
    shoot(page, "03-move-detail")

    item_id = content.first.get_attribute("data-id")
    content.first.get_by_role("button", name=re.compile("^Useful")).click()
    expect(content.first.locator(".saved")).to_contain_text("Saved")
    expect(content.first.locator("button[data-verdict=useful]")).to_have_attribute(
        "aria-pressed", "true"
    )
    stored = explorer.get("/v1/feedback", EMPLOYEE)["items"]
    mine = [f for f in stored if f["target_id"] == item_id]
    assert [(f["target_kind"], f["verdict"]) for f in mine] == [("content", "useful")]
    assert mine[0]["employee_id"] == EMPLOYEE
    assert f"role:{hop['to_role']}" in mine[0]["context"]
    watch.check()


def test_plan_then_manager_approves_and_returns_checkpoints(
    page: Any, explorer: Any, watch: Any, shoot: Any, sign_in: Any
) -> None:
    sign_in(page, PLANNER, "employee", "#/plan")
    expect(page.locator("#plan-target")).to_be_visible()
    expect(page.locator("#plan-body")).to_contain_text("No plan yet")
    page.select_option("#plan-target", PLAN_TARGET)
    page.click("#plan-form button[type=submit]")
    expect(page.locator("#plan .checkpoint").first).to_be_visible()
    plan = explorer.get(f"/v1/employees/{PLANNER}/plans", PLANNER)["items"][0]
    assert plan["target_role_id"] == PLAN_TARGET
    expect(page.locator("#plan .timeline > li")).to_have_count(len(plan["actions"]))
    expect(page.locator("#plan .checkpoint")).to_have_count(len(plan["checkpoints"]))
    expect(page.locator("#plan .mix")).to_contain_text("aim 70%")
    expect(page.locator("#plan .checkpoint .badge").first).to_have_text("waiting for approval")
    # the employee sees the checkpoints but cannot decide them
    approve = page.locator("#plan").get_by_role("button", name=re.compile("^Approve"))
    expect(approve).to_have_count(0)
    shoot(page, "04-my-plan")

    page.click("#sign-out")
    expect(page.locator("#signin-message")).to_contain_text("You signed out")

    sign_in(page, MANAGER, "manager", "#/team")
    card = page.locator(f"#team-body section[data-person='{PLANNER}']")
    expect(card).to_be_visible()
    pending = card.locator(".checkpoint")
    expect(pending).to_have_count(len(plan["checkpoints"]))
    first, second = plan["checkpoints"][0], plan["checkpoints"][1]

    row = card.locator(f".checkpoint[data-checkpoint='{first['id']}']")
    row.locator("textarea").fill("Good progress on the first goal.")
    row.get_by_role("button", name=re.compile("^Approve")).click()
    expect(pending).to_have_count(len(plan["checkpoints"]) - 1)

    row = card.locator(f".checkpoint[data-checkpoint='{second['id']}']")
    row.get_by_role("button", name=re.compile("^Return")).click()
    expect(row).to_contain_text("Say what to redo")
    expect(row.locator("textarea")).to_have_attribute("aria-invalid", "true")
    row.locator("textarea").fill("Please add the project evidence.")
    row.get_by_role("button", name=re.compile("^Return")).click()
    expect(pending).to_have_count(len(plan["checkpoints"]) - 2)
    shoot(page, "05-my-team")

    stored = explorer.get(f"/v1/plans/{plan['id']}", MANAGER, "manager")
    decided = {c["id"]: c for c in stored["checkpoints"]}
    assert decided[first["id"]]["status"] == "approved"
    assert decided[first["id"]]["comment"] == "Good progress on the first goal."
    assert decided[first["id"]]["approver_id"] == MANAGER
    assert decided[second["id"]]["status"] == "returned"
    assert decided[second["id"]]["comment"] == "Please add the project evidence."
    watch.check()


def test_an_employee_cannot_open_another_persons_pages(
    page: Any, watch: Any, shoot: Any, sign_in: Any
) -> None:
    watch.expect(403, f"/v1/employees/{OTHER}")
    sign_in(page, EMPLOYEE, "employee", f"#/explore/{OTHER}")
    profile = page.locator("#explore-profile")
    expect(profile).to_contain_text("Not allowed")
    expect(profile).to_contain_text("only your own records")
    expect(page.locator("#explore-body")).to_be_hidden()
    shoot(page, "06-refused")
    page.evaluate("() => { window.location.hash = '#/plan/" + OTHER + "'; }")
    expect(page.locator("#plan-message")).to_contain_text("Not allowed")
    expect(page.locator("#plan")).to_have_count(0)
    page.get_by_role("link", name="Back to your own plan").click()
    expect(page.locator("#plan-title")).to_have_text("My plan")
    watch.check()


def test_a_wrong_or_expired_token_returns_to_sign_in(
    page: Any, explorer: Any, watch: Any, shoot: Any
) -> None:
    page.goto("/ui")
    page.fill("#token-input", "not-a-token")
    page.click("#token-form button[type=submit]")
    expect(page.locator("#signin-message")).to_contain_text("That is not an access token")
    expect(page.locator("#token-input")).to_have_attribute("aria-invalid", "true")

    watch.expect(401, "/v1/")
    other = Settings(api=ApiSettings(jwt_secret="another-secret-0123456789-abcdefghijklmnop"))
    forged = mint_token(other, EMPLOYEE, "employee")
    page.fill("#token-input", forged)
    page.click("#token-form button[type=submit]")
    expect(page.locator("#signin-message")).to_contain_text("signature is invalid")
    expect(page.locator("#view-signin")).to_be_visible()
    expect(page.locator("#nav")).to_be_hidden()
    shoot(page, "07-token-refused")

    expired = explorer.token(EMPLOYEE, ttl=timedelta(minutes=-5))
    page.fill("#token-input", expired)
    page.click("#token-form button[type=submit]")
    expect(page.locator("#signin-message")).to_contain_text("token expired")
    expect(page.locator("#view-signin")).to_be_visible()

    page.fill("#token-input", explorer.token(EMPLOYEE))
    page.click("#token-form button[type=submit]")
    expect(page.locator("#explore-profile")).to_contain_text("Omar Kaur")
    wait_for_roles(page)
    watch.check()


def test_a_search_without_a_match_says_so(page: Any, watch: Any, sign_in: Any) -> None:
    sign_in(page, EMPLOYEE, "employee", "#/explore")
    wait_for_roles(page)
    page.click("#role-search button[type=submit]")
    expect(page.locator("#search-results")).to_contain_text("Type a role title")
    page.fill("#role-query", "zzqxj qwertyuiop")
    page.click("#role-search button[type=submit]")
    expect(page.locator("#no-match")).to_contain_text("No role matches “zzqxj qwertyuiop”")
    expect(page.locator("#search-results li")).to_have_count(0)
    page.fill("#role-query", "accountant")
    page.click("#role-search button[type=submit]")
    expect(page.locator("#search-results li", has_text="Accountant").first).to_be_visible()
    watch.check()


def test_phone_width_and_keyboard_only(page: Any, watch: Any, shoot: Any) -> None:
    page.set_viewport_size(PHONE)
    page.goto("/ui")
    expect(page.locator("#dev-person option").first).to_be_attached()
    page.focus("#dev-filter")
    page.keyboard.type("Omar Kaur")
    page.keyboard.press("Tab")  # the list of people
    page.keyboard.press("Tab")  # the sign-in button
    page.keyboard.press("Enter")
    wait_for_roles(page)
    expect(page.locator("#explore-title")).to_be_focused()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    graph = page.locator("#graph").bounding_box()
    assert graph is not None
    assert graph["width"] <= PHONE["width"]
    expect(page.locator("#nav")).to_be_visible()
    _labelled(page)
    shoot(page, "08-phone-explore", full_page=False)

    first = page.locator("#role-list button[data-role]").first
    first.focus()
    page.keyboard.press("Enter")
    expect(page.locator("#detail-title")).to_be_focused()
    expect(page.locator("#detail-title")).to_have_text(re.compile(r"\S"))
    expect(page.locator("#gap-list > li").first).to_be_visible()
    expect(first).to_have_attribute("aria-pressed", "true")
    # on one column the detail sits below the list: it is scrolled to the top of the screen
    top = page.evaluate("document.getElementById('detail-title').getBoundingClientRect().top")
    assert 0 <= top < PHONE["height"] / 4
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    shoot(page, "09-phone-detail", full_page=False)
    assert page.locator("[role=status][aria-live=polite]#status").count() == 1
    watch.check()


def test_loading_state_then_a_readable_message_for_a_server_error(
    page: Any, explorer: Any, watch: Any, shoot: Any, sign_in: Any
) -> None:
    held: list[Any] = []
    page.route("**/v1/paths?*", lambda route: held.append(route))  # answered below, by hand
    sign_in(page, EMPLOYEE, "employee", "#/explore")
    loading = page.locator("#role-list .loading")
    expect(loading).to_contain_text("Finding the roles you could move to")
    expect(page.locator("#role-list")).to_have_attribute("aria-busy", "true")
    for _ in range(100):  # Playwright delivers the held request while the page waits
        if held:
            break
        page.wait_for_timeout(50)
    assert len(held) == 1
    held[0].fulfill(
        status=500,
        content_type="application/problem+json",
        body='{"type": "urn:skillgraph:problem:500", "title": "Internal server error", '
        '"status": 500, "detail": "the path finder is out of order"}',
    )
    alert = page.locator("#role-list [role=alert]")
    expect(alert).to_contain_text("The service had a problem (500 Internal server error)")
    expect(alert).to_contain_text("the path finder is out of order")
    expect(page.locator("#explore-profile")).to_contain_text("Omar Kaur")
    expect(loading).to_have_count(0)
    shoot(page, "10-server-error")
    # the only errors are the answer faked above (response + console): anything else fails
    assert len(watch.problems) == 2, watch.problems
    assert all("500" in p for p in watch.problems), watch.problems
    watch.problems.clear()

    page.unroute("**/v1/paths?*")
    alert.get_by_role("button", name="Try again").click()
    wait_for_roles(page)
    expect(page.locator("#role-list [role=alert]")).to_have_count(0)
    watch.check()


def _labelled(page: Any) -> None:
    """Every visible form control has a label (or an aria-label)."""
    unlabelled = page.evaluate(
        """() => [...document.querySelectorAll('input, select, textarea')]
            .filter((el) => el.offsetParent !== null)
            .filter((el) => !(el.labels && el.labels.length) && !el.getAttribute('aria-label'))
            .map((el) => el.id || el.name || el.outerHTML.slice(0, 60))"""
    )
    assert unlabelled == []


def _hours(value: float) -> str:
    """As the page writes hours (dom.js fmtHours)."""
    if 0 < value < 10:
        return f"{float(f'{value:.1f}'):g} h"
    return f"{math.floor(value + 0.5)} h"


def _level(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}"
