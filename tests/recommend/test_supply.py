"""Mentor supply and demand: per skill, group, department, location; shortages; trends."""

from __future__ import annotations

import json

import pytest
from recommend.matching_world import emp, offer, plain_gaps, records

from skillgraph.data.schema import MentorMode, Records, Role, SkillRequirement
from skillgraph.recommend.base import GapReason
from skillgraph.recommend.matching_result import Match, RoundResult, SolverInfo, round_stats
from skillgraph.recommend.supply import deficit_trends, shortage_line, supply_demand


def company() -> Records:
    """Mentees need SQL (importance 1) and Python (0.5) at 4; mentors' role needs nothing.

    a: SQL gap             (data, paris)      x: SQL 5, Python 3, 2 places    (data, paris)
    b: SQL and Python gaps (data, paris)      y: SQL 4, Python 5, 1 place, used (eng, berlin)
    c: no gap              (data, paris)      z: SQL 3, Python 5, 3 places, topic python only
    e: SQL gap             (eng, berlin)                                      (data, paris)
    d: inactive, SQL gap
    """
    people = [
        emp("a", skills={"sql": 1, "python": 5}, department="data", location="paris"),
        emp("b", skills={"sql": 2, "python": 2}, department="data", location="paris"),
        emp("c", skills={"sql": 5, "python": 5}, department="data", location="paris"),
        emp("e", skills={"python": 4}, department="eng", location="berlin"),
        emp("d", skills={}, active=False),
        emp("x", role=5, skills={"sql": 5, "python": 3}, department="data", location="paris"),
        emp("y", role=5, skills={"sql": 4, "python": 5}, department="eng", location="berlin"),
        emp("z", role=5, skills={"sql": 3, "python": 5}, department="data", location="paris"),
    ]
    offers = [offer("ox", "x", 2), offer("oy", "y", 1), offer("oz", "z", 3, topics=("python",))]
    rec = records(people, offers)
    needs = (SkillRequirement("sql", 4.0, 1.0), SkillRequirement("python", 4.0, 0.5))
    rec.roles["r2"] = Role("r2", "Analyst", seniority=2, requirements=needs)
    rec.roles["r5"] = Role("r5", "Principal", seniority=5)
    return rec


USED = {"oy": 1}


def by_id(balances: tuple) -> dict:
    return {b.skill_id: b for b in balances}


def test_per_skill_demand_supply_ratio_and_deficit() -> None:
    rec = company()
    result = supply_demand(rec, plain_gaps(rec), used=USED)
    skills = by_id(result.by_skill)
    assert set(skills) == {"sql", "python"}
    sql, python = skills["sql"], skills["python"]
    assert (sql.demand_count, sql.demand, sql.mentors, sql.supply) == (3, 3.0, 1, 2)
    assert sql.ratio == pytest.approx(2 / 3, abs=1e-4)
    assert sql.deficit == pytest.approx(1.0)
    # x holds python at 3 only; y is full; z's 3 places count (python is its topic)
    assert (python.demand_count, python.demand, python.mentors, python.supply) == (1, 0.5, 1, 3)
    assert python.deficit == 0.0
    assert [b.skill_id for b in result.shortages] == ["sql"]
    assert result.shortage_lines() == [
        "recruit mentors for SQL: demand 3 (3 people), supply 2 places (1 mentors), deficit 1"
    ]
    assert shortage_line(sql) == result.shortage_lines()[0]


def test_mentor_level_threshold_and_topics() -> None:
    rec = company()
    lower = by_id(supply_demand(rec, plain_gaps(rec), used=USED, min_mentor_level=3.0).by_skill)
    assert (lower["python"].mentors, lower["python"].supply) == (2, 5)  # x now qualifies
    assert lower["sql"].supply == 2  # z holds SQL at 3 but offers python only
    needed = by_id(supply_demand(rec, plain_gaps(rec), used=USED, min_mentor_level=None).by_skill)
    assert needed["python"].supply == 3  # needed level 4: x (3) does not qualify
    everyone = by_id(supply_demand(rec, plain_gaps(rec)).by_skill)
    assert everyone["sql"].supply == 3  # y's place is free when nothing is in use


def test_groups_departments_locations() -> None:
    rec = company()
    result = supply_demand(rec, plain_gaps(rec), used=USED)
    groups = by_id(result.by_group)
    assert groups["data"].members == ("sql",)
    assert (groups["data"].demand_count, groups["data"].supply) == (3, 2)
    assert groups["engineering"].members == ("python",)
    departments = {s.name: s for s in result.by_department}
    assert [b.skill_id for b in departments["eng"].shortages] == ["sql"]
    assert departments["eng"].shortages[0].supply == 0  # y, the only eng mentor, is full
    assert departments["data"].shortages == ()  # x and z cover data's own demand
    assert result.by_department[0].name == "eng"  # the largest deficit first
    locations = {s.name: s for s in result.by_location}
    assert locations["berlin"].demand_count == 1
    assert locations["paris"].mentors == 2


def test_cohort_and_skill_restrictions() -> None:
    rec = company()
    only_a = supply_demand(rec, plain_gaps(rec), cohort=["a"], used=USED)
    assert [(b.skill_id, b.demand_count) for b in only_a.by_skill] == [("sql", 1)]
    assert only_a.shortages == ()
    only_python = supply_demand(rec, plain_gaps(rec), skills=["python"], used=USED)
    assert [b.skill_id for b in only_python.by_skill] == ["python"]


def test_supply_of_one_mode_one_round_and_circles() -> None:
    rec = company()
    rec.mentors["ox"] = offer("ox", "x", 2, modes=(MentorMode.PEER, MentorMode.GROUP))
    rec.mentors["oy"] = offer("oy", "y", 1, modes=(MentorMode.ONE_ON_ONE,))
    every = by_id(supply_demand(rec, plain_gaps(rec)).by_skill)
    assert every["sql"].supply == 3  # x's 2 places and y's 1
    one_on_one = by_id(supply_demand(rec, plain_gaps(rec), mode=MentorMode.ONE_ON_ONE).by_skill)
    assert (one_on_one["sql"].supply, one_on_one["sql"].mentors) == (1, 1)  # y only
    round_only = by_id(supply_demand(rec, plain_gaps(rec), offer_ids=["ox", "oz"]).by_skill)
    assert round_only["sql"].supply == 2  # z is not qualified on SQL
    circles = supply_demand(rec, plain_gaps(rec), mode=MentorMode.GROUP, mentees_per_place=4)
    assert by_id(circles.by_skill)["sql"].supply == 8  # x's 2 circles of 4
    assert circles.shortages == ()


def test_result_is_json_serialisable() -> None:
    rec = company()
    payload = supply_demand(rec, plain_gaps(rec), used=USED).to_dict()
    again = json.loads(json.dumps(payload))
    assert again["shortages"][0]["message"].startswith("recruit mentors for SQL")
    assert again["by_skill"][0]["skill_id"] == "sql"


def gap(skill: str) -> GapReason:
    return GapReason(skill, skill.upper(), 4.0, 1.0, 1.0)


def round_result(round_id: str, covered: dict[str, tuple[str, ...]]) -> RoundResult:
    """Mentees a, b, e need sql, b python too; `covered` says which gaps each match covers."""
    gaps = {"a": ("sql",), "b": ("sql", "python"), "e": ("sql",)}
    matches = [
        Match(m, "ox", "x", (m,), 0.5, gaps=tuple(gap(s) for s in skills))
        for m, skills in covered.items()
    ]
    return RoundResult(
        round_id=round_id,
        matches=tuple(matches),
        unmatched=(),
        stats=round_stats(3, matches, {"ox": 3}),
        solver=SolverInfo("assignment", "quality", len(matches), 50, 0.0),
        mentee_gaps=gaps,
    )


def test_deficit_trends_across_rounds() -> None:
    first = round_result("2024-q1", {"a": ("sql",)})
    second = round_result("2024-q2", {"a": ("sql",), "b": ("sql", "python")})
    trends = deficit_trends([first, second.to_dict()], company())
    assert [t.skill_id for t in trends] == ["sql", "python"]
    sql, python = trends
    assert sql.label == "SQL"
    assert [(p.round_id, p.demand, p.covered, p.deficit) for p in sql.points] == [
        ("2024-q1", 3, 1, 2),
        ("2024-q2", 3, 2, 1),
    ]
    assert [p.deficit for p in python.points] == [1, 0]
    assert sql.change == -1
    assert json.loads(json.dumps([t.to_dict() for t in trends]))[0]["change"] == -1
