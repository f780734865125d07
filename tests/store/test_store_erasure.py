"""Erasure removes a person everywhere and leaves a receipt that does not name them."""

from __future__ import annotations

import orjson
import pytest

from skillgraph.data.schema import Records
from skillgraph.errors import NotFoundError
from skillgraph.store import Assignment, Kind, Store, subject_digest
from skillgraph.store.scrub import names, scrub


def _dump_everything(store: Store) -> str:
    """Every row of every table, as text, to search for the id."""
    from sqlalchemy import select

    from skillgraph.store import tables

    parts = []
    with store._engine.connect() as conn:
        for table in tables.metadata.sorted_tables:
            for row in conn.execute(select(table)):
                data = {str(k): v for k, v in row._mapping.items()}
                parts.append(orjson.dumps(data, default=str).decode())
    return "\n".join(parts)


def test_erase_removes_the_person_everywhere(store: Store, company: Records) -> None:
    store.replace_records(company)
    plan = store.create_plan("boss", "draft", {"target": "ds", "mentors": [{"id": "x"}]})
    other = store.create_plan("bob", "draft", {"mentors": [{"employee_id": "boss"}, {"x": 1}]})
    rnd = store.create_round("draft", {"mentees": ["bob", "boss"], "pairs": [["bob", "ann"]]})
    store.add_assignments(
        [Assignment("", "boss", "bob", "active"), Assignment("", "ann", "bob", "pending")]
    )
    assert store.mentor_load() == {"boss": 1, "ann": 1}

    receipt = store.erase_employee("boss")

    assert receipt.subject_digest == subject_digest("boss")
    assert receipt.removed["employee"] == 1
    assert receipt.removed["mentor_offers"] == 1
    assert receipt.removed["feedback"] == 1  # f1 names boss's offer
    assert receipt.removed["plans"] == 1
    assert receipt.removed["assignments"] == 1
    assert receipt.updated["reports_reassigned"] == 1
    assert receipt.updated["plans_rewritten"] == 1
    assert receipt.updated["rounds_rewritten"] == 1
    everything = _dump_everything(store)
    assert '"boss"' not in everything
    assert "m-boss" not in everything
    loaded = store.load_records()
    assert "boss" not in loaded.employees
    assert loaded.employees["ann"].manager_id is None
    assert set(loaded.feedback) == {"f2"}
    with pytest.raises(NotFoundError):
        store.get_plan(plan.id)
    assert store.get_plan(other.id).body["mentors"] == [{"x": 1}]
    assert store.get_round(rnd.id).body["mentees"] == ["bob"]
    assert store.mentor_load() == {"ann": 1}
    assert [r.id for r in store.erasure_receipts("boss")] == [receipt.id]
    with pytest.raises(NotFoundError):
        store.erase_employee("boss")
    assert store.get(Kind.EMPLOYEE, "bob").record.manager_id == "ann"


def test_scrub_removes_only_what_names_the_person() -> None:
    doc = {
        "a": "p",
        "b": ["p", "q", "p-2", "saw p today"],
        "c": [{"m": "p"}, {"m": "q"}, {"deep": {"ids": ["p"]}}],
        "d": {"p": 1, "q": 2},
        "e": "note about p",
    }
    clean = scrub(doc, "p")
    assert clean == {
        "a": None,
        "b": ["q", "p-2"],
        "c": [{"m": "q"}],
        "d": {"q": 2},
        "e": "note about [erased]",
    }
    assert names(doc, "p")
    assert not names(clean, "p")
    assert not names({"a": "pp"}, "p")
