"""The store keeps records faithfully, versions writes, and replaces all-or-nothing."""

from __future__ import annotations

import dataclasses
import threading

import pytest

from skillgraph.data.schema import (
    Employee,
    LearningItem,
    Records,
    RelationKind,
    SkillLevel,
    SkillRelation,
    SkillTaught,
)
from skillgraph.errors import ConflictError, NotFoundError, ValidationError
from skillgraph.store import Kind, Op, Store
from skillgraph.store import database as store_database


def test_round_trip_keeps_every_record(store: Store, company: Records) -> None:
    store.replace_records(company)
    loaded = store.load_records()
    assert loaded.skills == company.skills
    assert loaded.roles == company.roles
    assert loaded.employees == company.employees
    assert loaded.mentors == company.mentors
    assert loaded.items == company.items
    assert loaded.feedback == company.feedback
    assert sorted(loaded.relations, key=str) == sorted(company.relations, key=str)
    assert loaded.sources == company.sources
    assert store.counts()["employees"] == 3


def test_revision_grows_with_every_write(store: Store, company: Records) -> None:
    start = store.revision()
    r1 = store.replace_records(company)
    stored = store.upsert_item(LearningItem("c-sql", "SQL basics", skills=(SkillTaught("sql", 2),)))
    assert r1 == start + 1
    assert store.revision() == r1 + 1
    assert stored.version == 1
    changes = store.changes_since(r1 - 1)
    assert [(c.op, c.entity_id) for c in changes] == [(Op.REPLACE, None), (Op.UPSERT, "c-sql")]


def test_crash_mid_import_keeps_previous_data(
    store: Store, company: Records, monkeypatch: pytest.MonkeyPatch
) -> None:
    store.replace_records(company)
    before = store.revision()
    bigger = dataclasses.replace(
        company,
        items={
            **company.items,
            **{f"c{i}": LearningItem(f"c{i}", f"Course {i}") for i in range(2500)},
        },
    )
    calls = {"n": 0}
    real_insert = store_database._insert_documents

    def failing_insert(conn, rows):  # type: ignore[no-untyped-def]
        def rows_then_crash():  # type: ignore[no-untyped-def]
            for row in rows:
                calls["n"] += 1
                if calls["n"] > 1500:  # after at least one batch reached the database
                    raise RuntimeError("disk on fire")
                yield row

        real_insert(conn, rows_then_crash())

    monkeypatch.setattr(store_database, "_insert_documents", failing_insert)
    with pytest.raises(RuntimeError, match="disk on fire"):
        store.replace_records(bigger)
    assert calls["n"] > 1000
    assert store.revision() == before
    loaded = store.load_records()
    assert loaded.items == company.items
    assert loaded.employees == company.employees


def test_upsert_versions_and_optimistic_concurrency(store: Store, company: Records) -> None:
    store.replace_records(company)
    ann = company.employees["ann"]
    changed = dataclasses.replace(ann, skills=(*ann.skills, SkillLevel("ml", 1.0)))
    stored = store.upsert_employee(changed, expected_version=1)
    assert stored.version == 2
    assert store.get(Kind.EMPLOYEE, "ann").record == changed
    with pytest.raises(ConflictError):
        store.upsert_employee(changed, expected_version=1)
    with pytest.raises(ConflictError):
        store.upsert_employee(changed, create=True)
    with pytest.raises(NotFoundError):
        store.upsert_employee(dataclasses.replace(changed, id="nobody"), create=False)


def test_upsert_refuses_unknown_references(store: Store, company: Records) -> None:
    store.replace_records(company)
    with pytest.raises(ValidationError, match="role"):
        store.upsert_employee(Employee("eve", "Eve", "astronaut"))
    with pytest.raises(ValidationError, match="skill"):
        store.upsert_employee(Employee("eve", "Eve", "ds", skills=(SkillLevel("cobol", 2),)))
    with pytest.raises(ValidationError, match="cycle"):
        store.upsert_employee(dataclasses.replace(company.employees["boss"], manager_id="bob"))
    assert "eve" not in store.load_records().employees


def test_delete_refuses_what_is_still_used(store: Store, company: Records) -> None:
    store.replace_records(company)
    with pytest.raises(ConflictError):
        store.delete(Kind.SKILL, "ml")
    store.delete(Kind.ITEM, "c-ml")
    with pytest.raises(NotFoundError):
        store.get(Kind.ITEM, "c-ml")
    with pytest.raises(NotFoundError):
        store.delete(Kind.ITEM, "c-ml")


def test_page_orders_by_id_and_counts(store: Store, company: Records) -> None:
    store.replace_records(company)
    page = store.page(Kind.EMPLOYEE, offset=1, limit=1)
    assert page.total == 3
    assert [s.record.id for s in page.items] == ["bob"]
    mine = store.page(Kind.FEEDBACK, owner_id="ann")
    assert [s.record.id for s in mine.items] == ["f1"]


def test_seeding_twice_conflicts(store: Store, company: Records) -> None:
    start = store.revision()
    store.replace_records(company, expected_revision=start)
    with pytest.raises(ConflictError):
        store.replace_records(company, expected_revision=start)


def test_concurrent_writers_lose_nothing(store: Store, company: Records) -> None:
    store.replace_records(company)
    errors: list[BaseException] = []

    def write(n: int) -> None:
        try:
            for i in range(10):
                store.upsert_item(LearningItem(f"t{n}-{i}", f"Course {n}-{i}"))
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=write, args=(n,)) for n in range(4)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert errors == []
    assert len(store.load_records().items) == 1 + 40
    revisions = [c.revision for c in store.changes_since(0)]
    assert revisions == sorted(revisions)
    assert len(set(revisions)) == len(revisions)


def test_restart_reads_the_same_file(store_url: str, company: Records) -> None:
    first = Store(store_url)
    first.replace_records(company)
    revision = first.revision()
    first.close()
    second = Store(store_url)
    assert second.revision() == revision
    assert second.load_records().employees == company.employees
    second.close()


def test_relations_refuse_loops_and_cycles(store: Store, company: Records) -> None:
    store.replace_records(company)
    with pytest.raises(ValidationError, match="itself"):
        store.add_relations([SkillRelation("ml", "ml", RelationKind.PREREQUISITE)])
    with pytest.raises(ValidationError, match=r"prerequisite relations would form a cycle"):
        store.add_relations([SkillRelation("ml", "py", RelationKind.PREREQUISITE)])
    store.add_relations([SkillRelation("ml", "py", RelationKind.BROADER)])
    with pytest.raises(ValidationError, match="broader"):
        store.add_relations([SkillRelation("py", "ml", RelationKind.BROADER)])
    assert len(store.load_records().relations) == 3
