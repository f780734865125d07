"""The company format: reading the tiny hand-written company; lossless write/load round trips."""

from __future__ import annotations

import dataclasses
import shutil
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from skillgraph.data.columns import Nested
from skillgraph.data.company import load_company, write_company
from skillgraph.data.company_tables import REQUIREMENT, SKILL_LEVEL, TABLES
from skillgraph.data.schema import (
    Employee,
    Evidence,
    Feedback,
    FeedbackVerdict,
    LearningItem,
    MentorMode,
    MentorOffer,
    Modality,
    Provenance,
    Records,
    RelationKind,
    Role,
    RoleSpell,
    Skill,
    SkillKind,
    SkillLevel,
    SkillRelation,
    SkillRequirement,
    SkillTaught,
    TargetKind,
)
from skillgraph.errors import DatasetError

TINY = Path(__file__).resolve().parents[1] / "fixtures" / "company_tiny"


def without_sources(records: Records) -> Records:
    return dataclasses.replace(records, sources=[], attributions=[])


@pytest.fixture(scope="module")
def tiny() -> Records:
    return load_company(TINY)


def test_tiny_company_loads_every_table(tiny: Records) -> None:
    assert tiny.counts() == {
        "skills": 9,
        "relations": 6,
        "roles": 4,
        "employees": 6,
        "mentors": 3,
        "items": 5,
        "feedback": 3,
    }
    assert tiny.sources == ["company company_tiny"]


def test_csv_cells_are_read_into_typed_records(tiny: Records) -> None:
    python = tiny.skills["python"]
    assert python.alt_labels == ("Python 3", "Python programming")
    assert python.kind is SkillKind.TECHNOLOGY
    assert tiny.skills["programming"].kind is SkillKind.GROUP
    assert SkillRelation("dataviz", "pandas", RelationKind.RELATED, 0.5) in tiny.relations
    lead = tiny.employees["e1"]
    assert lead.manager_id is None
    assert lead.skills[0] == SkillLevel("python", 5.0, Evidence.MANAGER)
    assert lead.skills[2].evidence is Evidence.SELF  # evidence left out: the default
    assert lead.history == (
        RoleSpell("scientist", date(2019, 1, 1), date(2021, 12, 31)),
        RoleSpell("lead", date(2022, 1, 1), None),
    )
    assert tiny.employees["e2"].utc_offset == 1.0
    assert tiny.employees["e2"].interests == ("scientist", "ml")
    assert tiny.employees["e4"].skills == ()
    assert "Tableau dashboards" in tiny.employees["e4"].about
    assert tiny.employees["e6"].active is False
    assert tiny.feedback["f1"].created_at == datetime(2024, 5, 2, 9, 30, tzinfo=UTC)
    assert tiny.feedback["f2"].rating is None


def test_json_tables_are_read_into_typed_records(tiny: Records) -> None:
    scientist = tiny.roles["scientist"]
    assert scientist.seniority == 3
    assert SkillRequirement("ml", 3.0, 1.0) in scientist.requirements
    assert all(r.provenance is Provenance.DECLARED for r in scientist.requirements)
    assert tiny.roles["analytics-writer"].requirements == ()
    assert tiny.mentors["m1"].modes == (MentorMode.ONE_ON_ONE, MentorMode.GROUP)
    assert tiny.mentors["m1"].max_group_size == 4
    assert tiny.mentors["m2"].max_group_size == 6  # default
    course = tiny.items["c2"]
    assert course.modality is Modality.COURSE
    assert course.skills == (SkillTaught("ml", 3.0),)
    assert [p.skill_id for p in course.prerequisites] == ["pandas", "statistics"]
    assert tiny.items["c5"].skills == ()


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_write_then_load_is_lossless(tiny: Records, tmp_path: Path, fmt: str) -> None:
    out = tmp_path / "company_tiny"
    write_company(tiny, out, fmt=fmt)  # type: ignore[arg-type]
    assert sorted(p.name for p in out.iterdir()) == sorted(f"{t.name}.{fmt}" for t in TABLES)
    assert load_company(out) == tiny


def test_writing_twice_gives_the_same_bytes(tiny: Records, tmp_path: Path) -> None:
    write_company(tiny, tmp_path / "a")
    write_company(load_company(tmp_path / "a"), tmp_path / "b")
    for path in (tmp_path / "a").iterdir():
        assert path.read_bytes() == (tmp_path / "b" / path.name).read_bytes()


def test_a_directory_may_mix_json_and_csv(tiny: Records, tmp_path: Path) -> None:
    write_company(tiny, tmp_path / "json")
    write_company(tiny, tmp_path / "csv", fmt="csv")
    mixed = tmp_path / "mixed"
    mixed.mkdir()
    for i, table in enumerate(TABLES):
        fmt = "json" if i % 2 else "csv"
        shutil.copy(tmp_path / fmt / f"{table.name}.{fmt}", mixed)
    assert without_sources(load_company(mixed)) == without_sources(tiny)


def test_loading_onto_a_base_keeps_the_base_and_can_reference_it(tmp_path: Path) -> None:
    base = Records(
        skills={"esco:s1": Skill("esco:s1", "Public skill", source="esco")}, sources=["esco test"]
    )
    company = tmp_path / "acme"
    company.mkdir()
    (company / "roles.csv").write_text(
        "id,title,requirements\nr1,Analyst,esco:s1:3:0.5\n", encoding="utf-8"
    )
    (company / "relations.csv").write_text(
        "source,target,kind\nlocal,esco:s1,broader\n", encoding="utf-8"
    )
    (company / "skills.csv").write_text("id,label\nlocal,Local skill\n", encoding="utf-8")
    merged = load_company(company, base=base)
    assert merged.roles["r1"].requirements == (SkillRequirement("esco:s1", 3.0, 0.5),)
    assert set(merged.skills) == {"esco:s1", "local"}
    assert merged.sources == ["esco test", "company acme"]
    assert set(base.skills) == {"esco:s1"}
    assert not base.roles
    out = tmp_path / "out"
    write_company(merged, out, base=base)  # only the company's own part
    again = load_company(out, base=base)
    assert set(again.skills) == {"esco:s1", "local"}
    assert without_sources(again) == without_sources(merged)


def test_nested_csv_entries_read_ids_with_colons_from_the_right() -> None:
    uri = "http://data.europa.eu/esco/skill/0005c151-5b5a"
    cell = f"esco:skill:abc:3|onet:2.A.1.a:4:0.5|plain:1|{uri}:2:0.25"
    requirements = Nested(REQUIREMENT).from_text(cell)
    assert [(r.skill_id, r.level, r.importance) for r in requirements] == [
        ("esco:skill:abc", 3.0, 1.0),
        ("onet:2.A.1.a", 4.0, 0.5),
        ("plain", 1.0, 1.0),
        (uri, 2.0, 0.25),
    ]
    assert Nested(REQUIREMENT).to_text(requirements) == cell
    levels = Nested(SKILL_LEVEL).from_text("a:b:4:project:2024-02-01|c:2::2023-01-05")
    assert levels == (
        SkillLevel("a:b", 4.0, Evidence.PROJECT, date(2024, 2, 1)),
        SkillLevel("c", 2.0, Evidence.SELF, date(2023, 1, 5)),
    )


def test_write_refuses_a_directory_with_the_other_form_of_a_table(
    tiny: Records, tmp_path: Path
) -> None:
    (tmp_path / "skills.csv").write_text("id,label\nx,X\n", encoding="utf-8")
    with pytest.raises(DatasetError, match=r"skills\.csv exists"):
        write_company(tiny, tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["skills.csv"]  # nothing written


# ---------------------------------------------------------------- round trip of any records

_ID = st.from_regex(r"[a-z][a-z0-9_-]{0,6}(:[a-z0-9]{1,3})?", fullmatch=True)
_TEXT = st.text(st.characters(exclude_categories=["Cs"]), max_size=12)
_LEVEL = st.floats(0, 5, allow_nan=False)
_DATES = st.dates(date(1990, 1, 1), date(2030, 1, 1))


@st.composite
def company_records(draw: st.DrawFn) -> Records:
    skill_ids = draw(st.lists(_ID, min_size=1, max_size=5, unique=True))
    skills = {
        i: Skill(i, draw(_TEXT), tuple(draw(st.lists(_TEXT, max_size=2))), draw(_TEXT),
                 draw(st.sampled_from(SkillKind)), draw(_TEXT))
        for i in skill_ids
    }  # fmt: skip
    order = {s: n for n, s in enumerate(skill_ids)}
    pairs = st.tuples(st.sampled_from(skill_ids), st.sampled_from(skill_ids))
    relations = [
        SkillRelation(a, b, kind, draw(st.floats(0, 3)))
        for a, b in draw(st.lists(pairs, max_size=4))
        for kind in [draw(st.sampled_from(RelationKind))]
        if a != b and (kind is RelationKind.RELATED or order[a] < order[b])  # acyclic
    ]
    requirement = st.builds(
        SkillRequirement, st.sampled_from(skill_ids), _LEVEL, st.floats(0, 1),
        st.sampled_from(Provenance), st.none() | st.floats(-1, 1),
    )  # fmt: skip
    role_ids = draw(st.lists(_ID, min_size=1, max_size=3, unique=True))
    roles = {
        i: Role(i, draw(_TEXT), draw(_TEXT), draw(_TEXT), draw(st.integers(0, 5)),
                tuple(draw(st.lists(requirement, max_size=3, unique_by=lambda r: r.skill_id))),
                tuple(draw(st.lists(_TEXT, max_size=2))), tuple(draw(st.lists(_TEXT, max_size=2))))
        for i in role_ids
    }  # fmt: skip
    emp_ids = draw(st.lists(_ID, min_size=1, max_size=4, unique=True))
    employees = {}
    for n, i in enumerate(emp_ids):
        skill = st.builds(SkillLevel, st.sampled_from(skill_ids), _LEVEL,
                          st.sampled_from(Evidence), st.none() | _DATES)  # fmt: skip
        start = draw(_DATES)
        role_id = draw(st.sampled_from(role_ids))
        history = (
            RoleSpell(draw(st.sampled_from(role_ids)), start, start),
            RoleSpell(role_id, start),
        )
        employees[i] = Employee(
            i, draw(_TEXT), role_id, emp_ids[n - 1] if n else None, draw(_TEXT), draw(_TEXT),
            draw(st.floats(-12, 14)),
            tuple(draw(st.lists(skill, max_size=3, unique_by=lambda s: s.skill_id))),
            history, tuple(draw(st.lists(_TEXT, max_size=2))), draw(_TEXT), draw(st.booleans()),
        )  # fmt: skip
    offer = MentorOffer(
        "m1", emp_ids[0], draw(st.integers(0, 5)),
        tuple(draw(st.lists(st.sampled_from(MentorMode), min_size=1, max_size=4, unique=True))),
        tuple(draw(st.lists(st.sampled_from(skill_ids), max_size=2, unique=True))),
        draw(st.integers(2, 9)), draw(st.booleans()),
    )  # fmt: skip
    item = LearningItem(
        "i1", draw(_TEXT), draw(_TEXT), draw(_TEXT), draw(st.sampled_from(Modality)),
        draw(st.floats(0, 500)), draw(_LEVEL),
        tuple(draw(st.lists(st.builds(SkillTaught, st.sampled_from(skill_ids), _LEVEL),
                            max_size=2, unique_by=lambda s: s.skill_id))),
        tuple(draw(st.lists(requirement, max_size=2, unique_by=lambda r: r.skill_id))),
        draw(_TEXT), draw(_TEXT),
    )  # fmt: skip
    moment = st.datetimes(timezones=st.none() | st.just(UTC))
    feedback = Feedback(
        "f1", emp_ids[-1], TargetKind.CONTENT, "i1", draw(st.sampled_from(FeedbackVerdict)),
        draw(st.none() | st.integers(1, 5)), draw(_TEXT), draw(_TEXT), draw(st.none() | moment),
    )  # fmt: skip
    return Records(
        skills, relations, roles, employees, {"m1": offer}, {"i1": item}, {"f1": feedback}
    )


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(records=company_records())
def test_any_valid_company_round_trips_through_json(records: Records, tmp_path: Path) -> None:
    out = tmp_path / "json"
    shutil.rmtree(out, ignore_errors=True)
    write_company(records, out)
    assert without_sources(load_company(out)) == records


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(records=company_records())
def test_csv_either_round_trips_or_refuses_before_writing(records: Records, tmp_path: Path) -> None:
    out = tmp_path / "csv"
    shutil.rmtree(out, ignore_errors=True)
    try:
        write_company(records, out, fmt="csv")
    except DatasetError as exc:
        refused = str(exc)
    else:
        assert without_sources(load_company(out)) == records
        return
    assert "without loss" in refused
    assert not out.exists() or not any(out.iterdir())
