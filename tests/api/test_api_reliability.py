"""Reliability: swaps under load, restarts, erasure that leaves no trace."""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Callable
from pathlib import Path

import httpx
import orjson
import pytest
from api_harness import Api, LiveServer, api_company, api_settings, seed, wait_ready
from sqlalchemy import create_engine, select

from skillgraph.engine import Engine
from skillgraph.retrieval.encoder import HashingEncoder
from skillgraph.store import Store
from skillgraph.store import tables as store_tables
from skillgraph.workspace import save_engine

READS = [
    ("ann", "employee", "/v1/employees/ann/mentors?k=5"),
    ("ann", "employee", "/v1/employees/ann/content?target_role=ds&k=5"),
    ("ann", "employee", "/v1/employees/ann/gaps?target_role=mle"),
    ("mgr", "manager", "/v1/employees/bob/next-roles?k=3"),
    ("ann", "employee", "/v1/skills?q=python"),
]


def test_no_failures_while_reindexing(live_server: LiveServer) -> None:
    failures: list[str] = []
    done = threading.Event()
    counts = [0] * 4

    def reader(n: int) -> None:
        with httpx.Client(base_url=live_server.url, timeout=60) as client:
            while not done.is_set():
                subject, role, path = READS[(counts[n] + n) % len(READS)]
                try:
                    response = client.get(path, headers=live_server.auth(subject, role))
                    if response.status_code != 200:
                        failures.append(f"{path}: {response.status_code} {response.text[:200]}")
                except httpx.HTTPError as exc:
                    failures.append(f"{path}: {exc!r}")
                counts[n] += 1

    threads = [threading.Thread(target=reader, args=(n,)) for n in range(4)]
    for th in threads:
        th.start()
    with httpx.Client(base_url=live_server.url, timeout=120) as admin:
        for _ in range(3):
            response = admin.post("/v1/admin/reindex", headers=live_server.auth("root", "ld_admin"))
            assert response.status_code == 200, response.text
            assert response.json()["status"] == "done"
    done.set()
    for th in threads:
        th.join()
    assert failures == []
    assert sum(counts) >= 20


def test_restart_recovers_writes_from_the_store(make_api: Callable[..., Api]) -> None:
    first = make_api()
    data_dir = first.settings.data_dir
    created = first.client.post(
        "/v1/employees",
        json={
            "id": "zoe",
            "name": "Zoe",
            "role_id": "mle",
            "manager_id": "boss",
            "skills": [{"skill_id": "stats", "level": 5}, {"skill_id": "sql", "level": 5}],
        },
        headers=first.admin,
    )
    assert created.status_code == 201
    offer = first.client.post(
        "/v1/mentors",
        json={"id": "m-zoe", "employee_id": "zoe", "capacity": 2},
        headers=first.admin,
    )
    assert offer.status_code == 201
    first.client.__exit__(None, None, None)

    second = make_api(data_dir=data_dir)
    assert second.client.get("/v1/employees/zoe", headers=second.admin).status_code == 200
    mentors = second.client.get("/v1/employees/bob/mentors?k=10", headers=second.admin).json()
    assert "m-zoe" in [m["item_id"] for m in mentors["items"]]
    second.client.__exit__(None, None, None)

    shutil.rmtree(data_dir / "engine")  # saved indexes lost: rebuilt from the store
    third = make_api(data_dir=data_dir)
    mentors = third.client.get("/v1/employees/bob/mentors?k=10", headers=third.admin).json()
    assert "m-zoe" in [m["item_id"] for m in mentors["items"]]


def _everything_visible(api: Api) -> str:
    admin = api.admin
    paths = [
        "/v1/employees?limit=200",
        "/v1/mentors?limit=200",
        "/v1/feedback?limit=200",
        "/v1/skills?q=statistics&limit=200",
        "/v1/skills?limit=200",
        "/v1/roles?limit=200",
        "/v1/content?skills=stats,python,sql,ml,spark&k=100",
        "/v1/paths?from=analyst&max_hops=4&k=50",
        "/v1/paths?from=analyst&to=head&max_hops=4&k=50",
    ]
    for person in ("ann", "bob", "mgr", "cat", "boss"):
        paths += [
            f"/v1/employees/{person}/mentors?k=100",
            f"/v1/employees/{person}/mentors?k=100&mode=peer",
            f"/v1/employees/{person}/mentors?k=100&target_role=head",
            f"/v1/employees/{person}/content?k=100&target_role=ds",
            f"/v1/employees/{person}/next-roles?k=100",
            f"/v1/paths?employee_id={person}&max_hops=4&k=50",
            f"/v1/employees/{person}/plans",
        ]
    texts = []
    for path in paths:
        response = api.client.get(path, headers=admin)
        assert response.status_code == 200, (path, response.text)
        texts.append(response.text)
    return "\n".join(texts)


def test_erased_person_never_appears_again(api: Api) -> None:
    dan = '"dan"'
    plan = api.client.post(
        "/v1/employees/bob/plans", json={"target_role": "ds"}, headers=api.auth("bob")
    )
    assert plan.status_code == 201
    before = _everything_visible(api)
    assert dan in before  # the test can see dan while dan exists
    assert "m-dan" in before

    receipt = api.client.delete("/v1/employees/dan?erase=true", headers=api.admin)
    assert receipt.status_code == 200, receipt.text
    body = receipt.json()
    assert body["removed"]["employee"] == 1
    assert body["removed"]["mentor_offers"] == 1
    assert body["removed"]["feedback"] == 1  # ann's feedback on m-dan
    assert "dan" not in receipt.text.replace(body["subject_digest"], "")

    after = _everything_visible(api)
    assert dan not in after
    assert "m-dan" not in after
    assert api.client.get("/v1/employees/dan", headers=api.admin).status_code == 404
    assert api.client.get("/v1/mentors/m-dan", headers=api.admin).status_code == 404
    again = api.client.delete("/v1/employees/dan?erase=true", headers=api.admin)
    assert again.status_code == 404

    store = Store.open(api.settings)
    try:
        with store._engine.connect() as conn:
            for table in store_tables.metadata.sorted_tables:
                for row in conn.execute(select(table)):
                    text = orjson.dumps({str(k): v for k, v in row._mapping.items()}, default=str)
                    assert b'"dan"' not in text, (table.name, text)
                    assert b"m-dan" not in text, (table.name, text)
    finally:
        store.close()
    for path in (api.settings.data_dir / "engine").rglob("*"):
        if path.is_file():
            assert b"m-dan" not in path.read_bytes(), path


def test_erase_requires_the_explicit_flag(api: Api) -> None:
    response = api.client.delete("/v1/employees/dan", headers=api.admin)
    assert response.status_code == 422
    assert api.client.get("/v1/employees/dan", headers=api.admin).status_code == 200


def test_import_failure_keeps_the_previous_data(api: Api, tmp_path: Path) -> None:
    bad = {"employees": [{"id": "x1", "name": "X", "role_id": "no-such-role"}]}
    response = api.client.post("/v1/admin/import", json=bad, headers=api.admin)
    assert response.status_code == 422, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert api.client.get("/v1/employees/ann", headers=api.admin).status_code == 200


def test_import_path_must_stay_inside_the_import_folder(api: Api) -> None:
    response = api.client.post("/v1/admin/import", json={"path": "../../etc"}, headers=api.admin)
    assert response.status_code == 403


@pytest.mark.postgres
def test_restart_on_postgres(make_api: Callable[..., Api], tmp_path: Path) -> None:
    url = os.environ.get("TEST_POSTGRES_URL")
    if not url:
        pytest.skip("TEST_POSTGRES_URL is not set")
    engine = create_engine(url)
    store_tables.metadata.drop_all(engine)
    engine.dispose()
    settings = api_settings(tmp_path / "pg", url)
    seed(settings)
    first = make_api(data_dir=settings.data_dir, database_url=url)
    created = first.client.post(
        "/v1/employees",
        json={"id": "pia", "name": "Pia", "role_id": "ds", "manager_id": "boss"},
        headers=first.admin,
    )
    assert created.status_code == 201, created.text
    first.client.__exit__(None, None, None)
    second = make_api(data_dir=settings.data_dir, database_url=url)
    assert second.client.get("/v1/employees/pia", headers=second.admin).status_code == 200
    listed = second.client.get("/v1/employees?q=pia", headers=second.admin).json()
    assert [e["id"] for e in listed["items"]] == ["pia"]


def test_first_start_seeds_an_empty_store_from_the_saved_engine(
    make_api: Callable[..., Api], tmp_path: Path, api_encoder: HashingEncoder
) -> None:
    """`skillgraph build` saves an engine; the service's first start fills the store from it."""
    folder = tmp_path / "built"
    settings = api_settings(folder)
    engine = Engine.build(api_company(), settings, encoder=api_encoder)
    save_engine(engine, settings)
    started = make_api(data_dir=folder, seed_records=False)
    wait_ready(started.client)
    employees = started.client.get("/v1/employees", headers=started.admin).json()
    assert employees["total"] == len(api_company().employees)
    ready = started.client.get("/ready").json()
    assert ready["revision"] == ready["store_revision"] >= 1
