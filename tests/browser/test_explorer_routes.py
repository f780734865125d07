"""The routes behind the page (no browser): static files, /v1/meta, the development sign-in
helpers and role search's min_score, on a tiny company with the hashing encoder."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.auth import AccessRole, decode_token, mint_token
from api.runtime import EngineFactory
from skillgraph.config import ApiSettings, Settings
from skillgraph.data.schema import Employee, Records, Role, Skill, SkillLevel, SkillRequirement
from skillgraph.retrieval.encoder import HashingEncoder
from skillgraph.store import Store

SECRET = "routes-test-secret-0123456789-abcdefghijklmnopqrstuvwxyz"
CREDIT = "ESCO classification, European Commission, CC BY 4.0"


def tiny_company() -> Records:
    """lead <- (ana, ben); cid left the company (inactive)."""
    skills = [Skill("python", "Python"), Skill("sql", "SQL"), Skill("lead", "Leadership")]
    roles = [
        Role("data-analyst", "Data analyst", requirements=(SkillRequirement("sql", 3.0),)),
        Role("data-lead", "Data team lead", requirements=(SkillRequirement("lead", 3.0),)),
        Role("developer", "Python developer", requirements=(SkillRequirement("python", 3.0),)),
    ]
    employees = [
        Employee("lead", "Lee Lead", "data-lead", skills=(SkillLevel("lead", 4.0),)),
        Employee("ana", "Ana Analyst", "data-analyst", manager_id="lead"),
        Employee("ben", "Ben Builder", "developer", manager_id="lead"),
        Employee("cid", "Cid Gone", "developer", manager_id="lead", active=False),
    ]
    return Records(
        skills={s.id: s for s in skills},
        roles={r.id: r for r in roles},
        employees={e.id: e for e in employees},
        sources=["company tiny", "esco v1.1.1"],
        attributions=[CREDIT],
    )


@pytest.fixture(scope="module")
def make_client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Callable[[str], TestClient]]:
    opened: list[TestClient] = []

    def start(mode: str) -> TestClient:
        settings = Settings(
            data_dir=tmp_path_factory.mktemp(mode),
            api=ApiSettings(jwt_secret=SECRET, mode=mode),
        )
        store = Store.open(settings)
        store.replace_records(tiny_company())
        store.close()
        client = TestClient(create_app(settings, engine_factory=EngineFactory(HashingEncoder(64))))
        client.__enter__()
        opened.append(client)
        deadline = time.monotonic() + 60
        while client.get("/ready").status_code != 200:
            assert time.monotonic() < deadline, client.get("/ready").json()
            time.sleep(0.05)
        return client

    yield start
    for client in opened:
        client.__exit__(None, None, None)


@pytest.fixture(scope="module")
def dev(make_client: Callable[[str], TestClient]) -> TestClient:
    return make_client("development")


@pytest.fixture(scope="module")
def prod(make_client: Callable[[str], TestClient]) -> TestClient:
    return make_client("production")


def dev_settings() -> Settings:
    return Settings(api=ApiSettings(jwt_secret=SECRET))


def test_the_page_and_its_files_are_served_with_a_strict_policy(dev: TestClient) -> None:
    page = dev.get("/ui")
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assert "script-src 'self'" in page.headers["content-security-policy"]
    assert '<script type="module" src="/ui/app.js">' in page.text
    script = dev.get("/ui/app.js")
    assert script.status_code == 200
    assert script.headers["content-type"].startswith("text/javascript")
    assert dev.get("/ui/vendor/cytoscape.min.js").status_code == 200
    assert dev.get("/", follow_redirects=False).headers["location"] == "/ui"


@pytest.mark.parametrize(
    "path", ["/ui/missing.js", "/ui/../routes/ui.py", "/ui/%2e%2e/routes/ui.py", "/ui/vendor"]
)
def test_nothing_outside_the_static_folder_is_served(dev: TestClient, path: str) -> None:
    response = dev.get(path)
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"


def test_meta_gives_sources_and_attributions_without_a_token(
    dev: TestClient, prod: TestClient
) -> None:
    meta = dev.get("/v1/meta").json()
    assert meta["sources"] == ["company tiny", "esco v1.1.1"]
    assert meta["attributions"] == [CREDIT]
    assert meta["dev_sign_in"] is True
    assert prod.get("/v1/meta").json()["dev_sign_in"] is False


def test_dev_people_lists_active_people_and_who_manages(dev: TestClient) -> None:
    people = {p["id"]: p for p in dev.get("/v1/dev/people").json()}
    assert set(people) == {"lead", "ana", "ben"}
    assert people["lead"]["is_manager"] is True
    assert people["lead"]["reports"] == 3  # the inactive person still reports to lead
    assert people["ana"]["is_manager"] is False
    assert people["ana"]["role_title"] == "Data analyst"
    assert [p["id"] for p in dev.get("/v1/dev/people", params={"q": "ben"}).json()] == ["ben"]


@pytest.mark.parametrize(("person", "role"), [("lead", "manager"), ("ana", "employee")])
def test_dev_token_mints_the_right_role_and_it_works(
    dev: TestClient, person: str, role: str
) -> None:
    minted = dev.post("/v1/dev/token", json={"employee_id": person})
    assert minted.status_code == 200
    token = minted.json()["token"]
    assert decode_token(dev_settings(), token).role is AccessRole(role)
    own = dev.get(f"/v1/employees/{person}", headers={"Authorization": f"Bearer {token}"})
    assert own.status_code == 200


@pytest.mark.parametrize("person", ["nobody", "cid"])
def test_dev_token_refuses_unknown_or_inactive_people(dev: TestClient, person: str) -> None:
    response = dev.post("/v1/dev/token", json={"employee_id": person})
    assert response.status_code == 404
    assert person in response.json()["detail"]


def test_dev_helpers_do_not_exist_outside_development(prod: TestClient) -> None:
    assert prod.get("/v1/dev/people").status_code == 404
    assert prod.post("/v1/dev/token", json={"employee_id": "ana"}).status_code == 404
    assert "/v1/dev/token" not in prod.get("/openapi.json").json()["paths"]


def test_role_search_min_score_drops_weak_meaning_matches(dev: TestClient) -> None:
    auth = {"Authorization": f"Bearer {mint_token(dev_settings(), 'ana', 'employee')}"}
    loose = dev.get("/v1/roles", params={"q": "zzqxj"}, headers=auth).json()
    assert loose["total"] > 0  # meaning matches always have a nearest role
    strict = dev.get("/v1/roles", params={"q": "zzqxj", "min_score": 0.99}, headers=auth).json()
    assert strict["total"] == 0
    titled = dev.get("/v1/roles", params={"q": "data", "min_score": 0.99}, headers=auth).json()
    assert {r["id"] for r in titled["items"]} == {"data-analyst", "data-lead"}


def test_static_dir_holds_the_vendored_library_with_its_licence() -> None:
    vendor = Path(__file__).resolve().parents[2] / "api" / "static" / "vendor"
    assert (vendor / "cytoscape.LICENSE").read_text(encoding="utf-8").startswith("Copyright")
    assert "3.34.4" in (vendor / "README.md").read_text(encoding="utf-8")
