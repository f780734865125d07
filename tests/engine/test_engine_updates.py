"""Engine.updated and Engine.without_employee answer exactly as a fresh build on the final records
(the incremental path and the rebuild path must never disagree)."""

from __future__ import annotations

import hashlib
import json
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from engine.engine_answers import answer_snapshot, index_ids
from hypothesis import HealthCheck, given
from hypothesis import settings as hyp_settings
from hypothesis import strategies as st

from skillgraph import engine as engine_module
from skillgraph.config import Settings
from skillgraph.data.schema import (
    Employee,
    LearningItem,
    MentorMode,
    MentorOffer,
    Modality,
    Records,
    Role,
    RoleSpell,
    SkillLevel,
    SkillRequirement,
    SkillTaught,
)
from skillgraph.engine import Engine
from skillgraph.errors import DatasetError, NotFoundError
from skillgraph.retrieval.cache import CachedEncoder
from skillgraph.retrieval.encoder import HashingEncoder

SKILL_SETS = [("python", "ml"), ("dataviz",)]
TARGET = "scientist"

NEW_PERSON = Employee(
    "e7",
    "Gil Ferreira",
    "analyst",
    manager_id="e1",
    department="Data",
    skills=(SkillLevel("sql", 3), SkillLevel("python", 3), SkillLevel("pandas", 2)),
    history=(RoleSpell("analyst", date(2023, 2, 1)),),
    interests=("scientist",),
)
ABOUT_ONLY = Employee(
    "e8", "Hana Ito", "scientist", manager_id="e1", about="I train models in Python and SQL."
)
NEW_ITEM = LearningItem(
    "c6", "Dashboards that people read", description="Charts and dashboards for analysts."
)
TAGGED_ITEM = LearningItem(
    "c7",
    "Python for data work",
    modality=Modality.VIDEO,
    skills=(SkillTaught("python", 3),),
    duration_hours=5,
)


def _build(records: Records, settings: Settings, encoder: HashingEncoder) -> Engine:
    return Engine.build(records, settings, encoder=encoder)


def _same(updated: Engine, fresh: Engine) -> None:
    assert updated.records == fresh.records
    assert updated.derived == fresh.derived
    assert index_ids(updated) == index_ids(fresh)
    for name, index in fresh.ctx.indexes.items():
        _ids, vectors = index.export()
        assert (updated.ctx.indexes[name].export()[1] == vectors).all(), name
    assert updated.transitions.edge_count() == fresh.transitions.edge_count()
    expected = answer_snapshot(fresh, target_role=TARGET, skill_sets=SKILL_SETS)
    got = answer_snapshot(updated, target_role=TARGET, skill_sets=SKILL_SETS)
    assert got.keys() == expected.keys()
    for key in expected:
        assert got[key] == expected[key], key


@pytest.fixture
def base(tiny_records: Records, settings: Settings, hashing_encoder: HashingEncoder) -> Engine:
    return _build(tiny_records, settings, hashing_encoder)


def _with(records: Records, **tables: dict) -> Records:
    """`records` with entries upserted into the named tables (new ids last, as dict.update)."""
    changed = {name: {**getattr(records, name), **values} for name, values in tables.items()}
    return replace(records, **changed)


def test_adding_people_and_items(
    base: Engine, tiny_records: Records, settings: Settings, hashing_encoder: HashingEncoder
) -> None:
    offer = MentorOffer("m4", "e7", capacity=2, modes=(MentorMode.PEER,), topics=("sql",))
    changes = Records(
        employees={"e7": NEW_PERSON, "e8": ABOUT_ONLY},
        mentors={"m4": offer},
        items={"c6": NEW_ITEM, "c7": TAGGED_ITEM},
    )
    updated = base.updated(changes)
    final = _with(
        tiny_records, employees=changes.employees, mentors=changes.mentors, items=changes.items
    )
    _same(updated, _build(final, settings, hashing_encoder))
    assert updated.derived.employees == {"e4", "e8"}
    assert updated.derived.items == {"c5", "c6"}
    assert "m4" in updated.ctx.indexes["mentors"].ids()


def test_changing_a_mentor_s_skills_re_encodes_the_offer(
    base: Engine, tiny_records: Records, settings: Settings, hashing_encoder: HashingEncoder
) -> None:
    chen = tiny_records.employees["e3"]  # offers m2
    changed = replace(chen, skills=(*chen.skills, SkillLevel("dataviz", 4)), about="I like charts.")
    updated = base.updated(Records(employees={"e3": changed}))
    _same(
        updated, _build(_with(tiny_records, employees={"e3": changed}), settings, hashing_encoder)
    )
    before = base.ctx.indexes["mentors"].vector("m2")
    assert not (updated.ctx.indexes["mentors"].vector("m2") == before).all()


def test_a_history_change_rebuilds_the_career_graph(
    base: Engine, tiny_records: Records, settings: Settings, hashing_encoder: HashingEncoder
) -> None:
    ben = tiny_records.employees["e2"]
    moved = replace(
        ben,
        role_id="lead",
        history=(
            RoleSpell("analyst", date(2022, 3, 1), date(2024, 1, 1)),
            RoleSpell("lead", date(2024, 1, 2)),
        ),
    )
    updated = base.updated(Records(employees={"e2": moved}))
    assert updated.transitions is not base.transitions
    _same(updated, _build(_with(tiny_records, employees={"e2": moved}), settings, hashing_encoder))


def test_skill_changes_keep_the_career_graph(base: Engine, tiny_records: Records) -> None:
    ben = tiny_records.employees["e2"]
    updated = base.updated(Records(employees={"e2": replace(ben, skills=(SkillLevel("ml", 4),))}))
    assert updated.transitions is base.transitions


def test_an_employee_who_leaves_drops_out_of_the_people_index(
    base: Engine, tiny_records: Records, settings: Settings, hashing_encoder: HashingEncoder
) -> None:
    gone = replace(tiny_records.employees["e5"], active=False)
    updated = base.updated(Records(employees={"e5": gone}))
    assert "e5" not in updated.ctx.indexes["employees"].ids()
    _same(updated, _build(_with(tiny_records, employees={"e5": gone}), settings, hashing_encoder))


def test_giving_skills_to_someone_inferred_before(
    base: Engine, tiny_records: Records, settings: Settings, hashing_encoder: HashingEncoder
) -> None:
    dana = replace(tiny_records.employees["e4"], skills=(SkillLevel("sql", 3),))
    updated = base.updated(Records(employees={"e4": dana}))
    assert updated.records.employees["e4"].skills == dana.skills
    assert "e4" not in updated.derived.employees
    _same(updated, _build(_with(tiny_records, employees={"e4": dana}), settings, hashing_encoder))


def test_removing_items_and_offers(
    base: Engine, tiny_records: Records, settings: Settings, hashing_encoder: HashingEncoder
) -> None:
    updated = base.updated(Records(), removed_items=["c5", "c1"], removed_mentors=["m3"])
    final = replace(
        tiny_records,
        items={k: v for k, v in tiny_records.items.items() if k not in {"c1", "c5"}},
        mentors={k: v for k, v in tiny_records.mentors.items() if k != "m3"},
        feedback={
            k: v for k, v in tiny_records.feedback.items() if v.target_id not in {"m3", "c1", "c5"}
        },
    )
    _same(updated, _build(final, settings, hashing_encoder))


def test_role_changes_rebuild_from_the_given_records(
    base: Engine, tiny_records: Records, settings: Settings, hashing_encoder: HashingEncoder
) -> None:
    analyst = tiny_records.roles["analyst"]
    changed = replace(analyst, requirements=(*analyst.requirements, SkillRequirement("pandas", 2)))
    bare = Role("reporter", "Report Writer", description="Writes weekly reports with charts.")
    updated = base.updated(Records(roles={"analyst": changed, "reporter": bare}))
    assert updated.records.roles["reporter"].profile_inferred
    assert not updated.records.roles["analyst"].profile_inferred
    final = _with(tiny_records, roles={"analyst": changed, "reporter": bare})
    _same(updated, _build(final, settings, hashing_encoder))


def test_an_update_with_a_bad_reference_is_refused(base: Engine) -> None:
    stray = replace(NEW_PERSON, role_id="astronaut")
    with pytest.raises(DatasetError, match="astronaut"):
        base.updated(Records(employees={"e7": stray}))


def test_without_employee_erases_every_trace(
    base: Engine, tiny_records: Records, settings: Settings, hashing_encoder: HashingEncoder
) -> None:
    erased = base.without_employee("e3")  # Chen: a mentor (m2), with feedback about the offer
    assert "e3" not in erased.records.employees
    assert all(o.employee_id != "e3" for o in erased.records.mentors.values())
    assert all(
        f.employee_id != "e3" and f.target_id not in {"e3", "m2"}
        for f in erased.records.feedback.values()
    )
    for name, ids in index_ids(erased).items():
        assert not {"e3", "m2"} & set(ids), name
    text = json.dumps(answer_snapshot(erased, target_role=TARGET, skill_sets=SKILL_SETS))
    assert '"e3"' not in text
    assert '"m2"' not in text
    assert "Chen Li" not in text
    final = replace(
        tiny_records,
        employees={k: v for k, v in tiny_records.employees.items() if k != "e3"},
        mentors={k: v for k, v in tiny_records.mentors.items() if k != "m2"},
        feedback={
            k: v
            for k, v in tiny_records.feedback.items()
            if v.employee_id != "e3" and v.target_id not in {"e3", "m2"}
        },
    )
    _same(erased, _build(final, settings, hashing_encoder))
    assert "e3" in base.records.employees  # the old engine is untouched


def test_without_a_manager_clears_their_reports_manager(base: Engine) -> None:
    erased = base.without_employee("e1")
    assert all(e.manager_id != "e1" for e in erased.records.employees.values())
    with pytest.raises(NotFoundError):
        erased.without_employee("e1")


_OPERATIONS = st.sampled_from(
    ["add", "add-about", "skills", "move", "leave", "item", "erase-e5", "drop-c3"]
)


@hyp_settings(
    max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(operations=st.lists(_OPERATIONS, min_size=1, max_size=4))
def test_any_sequence_of_updates_equals_one_build(
    operations: list[str],
    tiny_records: Records,
    settings: Settings,
    hashing_encoder: HashingEncoder,
) -> None:
    engine = _build(tiny_records, settings, hashing_encoder)
    final = tiny_records
    for op in operations:
        engine, final = _step(op, engine, final)
    _same(engine, _build(final, settings, hashing_encoder))


def _step(op: str, engine: Engine, final: Records) -> tuple[Engine, Records]:
    """One change, applied to the engine and to the expected records."""
    if op == "erase-e5":
        if "e5" not in final.employees:
            return engine, final
        offers = {k for k, v in final.mentors.items() if v.employee_id == "e5"}
        final = replace(
            final,
            employees={k: v for k, v in final.employees.items() if k != "e5"},
            mentors={k: v for k, v in final.mentors.items() if k not in offers},
            feedback={
                k: v
                for k, v in final.feedback.items()
                if v.employee_id != "e5" and v.target_id not in offers | {"e5"}
            },
        )
        return engine.without_employee("e5"), final
    if op == "drop-c3":
        final = replace(
            final,
            items={k: v for k, v in final.items.items() if k != "c3"},
            feedback={k: v for k, v in final.feedback.items() if v.target_id != "c3"},
        )
        return engine.updated(Records(), removed_items=["c3"]), final
    changes = _changes(op, final)
    final = _with(final, employees=changes.employees, items=changes.items)
    return engine.updated(changes), final


def _changes(op: str, final: Records) -> Records:
    ben = final.employees["e2"]
    if op == "add":
        return Records(employees={"e7": NEW_PERSON})
    if op == "add-about":
        return Records(employees={"e8": ABOUT_ONLY})
    if op == "skills":
        return Records(
            employees={"e2": replace(ben, skills=(*ben.skills[:2], SkillLevel("ml", 2)))}
        )
    if op == "move":
        spells = (
            RoleSpell("analyst", date(2022, 3, 1), date(2024, 6, 1)),
            RoleSpell("scientist", date(2024, 6, 2)),
        )
        return Records(employees={"e2": replace(ben, role_id="scientist", history=spells)})
    if op == "leave":
        return Records(employees={"e2": replace(ben, active=False)})
    return Records(items={"c6": NEW_ITEM})


def test_erasure_leaves_no_vector_in_the_embedding_cache(
    tiny_records: Records, settings: Settings, tmp_path: Path
) -> None:
    cache_dir = tmp_path / "cache"
    engine = Engine.build(
        tiny_records, settings, encoder=CachedEncoder(HashingEncoder(), cache_dir)
    )
    person = engine.records.employees["e3"]
    mine = [t for i, t in engine_module._employee_texts(engine.graph) if i == person.id]
    mine += [t for i, t in engine_module._mentor_texts(engine.graph) if i == "m2"]
    keys = {hashlib.sha256(t.encode("utf-8")).digest() for t in mine}
    assert len(keys) == 2
    assert keys <= set(CachedEncoder(HashingEncoder(), cache_dir)._lookup)

    engine.without_employee("e3")

    reopened = CachedEncoder(HashingEncoder(), cache_dir)
    assert not keys & set(reopened._lookup)
    others = len(reopened)
    assert others > 0  # everyone else is still cached
