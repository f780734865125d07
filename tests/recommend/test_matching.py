"""Mentoring rounds: validation, the global optimum, modes, caps, reasons, and the proposal life."""

from __future__ import annotations

import itertools
import json
from collections.abc import Mapping

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from recommend.matching_world import (
    emp,
    inputs,
    offer,
    records,
    strong,
)

from skillgraph.data.schema import MentorMode, Records
from skillgraph.errors import NotFoundError, ValidationError
from skillgraph.recommend.matching import (
    MatchInputs,
    RoundDefinition,
    RoundResult,
    UnmatchedReason,
    solve_round,
)
from skillgraph.recommend.matching_proposal import (
    Proposal,
    ProposalState,
    add_manual,
    capacity_in_use,
    close,
    lock,
    propose,
    publish,
    remove,
    resolve,
    respond,
    swap,
)
from skillgraph.recommend.matching_solver import Objective
from skillgraph.recommend.mentors import overlap_hours

ONE = MentorMode.ONE_ON_ONE


def pairs(result: RoundResult) -> dict[str, str]:
    return {m.mentee_ids[0]: m.offer_id for m in result.matches}


def reasons(result: RoundResult) -> dict[str, UnmatchedReason]:
    return {u.mentee_id: u.reason for u in result.unmatched}


def greedy_trap() -> tuple[Records, MatchInputs]:
    """a's favourite (x) is b's only option: greedy top-1 strands b, the optimum does not."""
    people = [emp("a"), emp("b"), emp("x", role=4), emp("y", role=4)]
    rec = records(people, [offer("ox", "x"), offer("oy", "y")])
    table = {("a", "ox"): 0.9, ("a", "oy"): 0.8, ("b", "ox"): 0.7}
    return rec, inputs(rec, table=table)


# the global optimum ----------------------------------------------------------------------------
def brute_force_quality(
    rec: Records, inp: MatchInputs, mentees: list[str], capacity: Mapping[str, int], ok: set
) -> float:
    """Best total quality over every assignment of mentees to allowed offers within capacity."""
    options = [[None, *sorted(o for (m2, o) in ok if m2 == m)] for m in mentees]
    best = 0.0
    for combo in itertools.product(*options):
        load: dict[str, int] = {}
        total = 0.0
        for mentee, offer_id in zip(mentees, combo, strict=True):
            if offer_id is None:
                continue
            load[offer_id] = load.get(offer_id, 0) + 1
            score = inp.score(mentee, offer_id)
            assert score is not None
            total += score.quality
        if all(load[o] <= capacity[o] for o in load):
            best = max(best, total)
    return best


def test_optimum_beats_greedy_and_equals_brute_force() -> None:
    rec, inp = greedy_trap()
    definition = RoundDefinition(id="r", mentee_ids=("a", "b"))
    greedy = solve_round(definition, inp, greedy=True)
    best = solve_round(definition, inp)
    assert pairs(greedy) == {"a": "ox"}
    assert reasons(greedy) == {"b": UnmatchedReason.ALL_MENTORS_FULL}
    assert pairs(best) == {"a": "oy", "b": "ox"}
    ok = {("a", "ox"), ("a", "oy"), ("b", "ox")}
    expected = brute_force_quality(rec, inp, ["a", "b"], {"ox": 1, "oy": 1}, ok)
    assert best.stats.total_quality == pytest.approx(expected) == pytest.approx(1.5)
    assert greedy.stats.total_quality < best.stats.total_quality
    assert best.solver.exact_over_candidates
    assert not greedy.solver.exact_over_candidates


def test_every_pair_keeps_its_explanation() -> None:
    people = [emp("a", skills={"python": 1}), emp("x", role=4, skills=strong("python", "sql"))]
    rec = records(people, [offer("ox", "x")], required=("python", "sql", "cloud"))
    result = solve_round(RoundDefinition(id="r", mentee_ids=("a",)), inputs(rec))
    (match,) = result.matches
    assert {g.skill_id for g in match.gaps} == {"python", "sql"}
    python = next(g for g in match.gaps if g.skill_id == "python")
    assert (python.current_level, python.required_level) == (1.0, 4.0)
    assert match.mentor_levels == {"python": 5.0, "sql": 5.0}
    assert match.quality == pytest.approx(7 / 11, abs=1e-6)  # python 3 + sql 4 of 3 + 4 + 4
    assert "PYTHON 1 -> 4 (mentor 5)" in match.text
    assert match.signals["quality"] == pytest.approx(match.quality)


# random small rounds: rules and capacity hold, and the total equals brute force ------------------
@st.composite
def small_rounds(draw: st.DrawFn) -> tuple[Records, MatchInputs, RoundDefinition]:
    n_mentees = draw(st.integers(1, 4))
    n_mentors = draw(st.integers(1, 3))
    mentees = [f"m{i}" for i in range(n_mentees)]
    mentors = [f"x{j}" for j in range(n_mentors)]
    depts = st.sampled_from(["a", "b"])
    offsets = st.sampled_from([0.0, 5.0, 10.0])
    people = []
    for m in mentees:
        boss = draw(st.sampled_from([None, *mentors]))
        people.append(emp(m, manager=boss, department=draw(depts), offset=draw(offsets)))
    for x in mentors:
        boss = draw(st.sampled_from([None, *mentees]))
        people.append(emp(x, role=3, manager=boss, department=draw(depts), offset=draw(offsets)))
    caps = {f"o{x}": draw(st.integers(0, 2)) for x in mentors}
    offers = [offer(f"o{x}", x, capacity=caps[f"o{x}"]) for x in mentors]
    rec = records(people, offers)
    cells = [(m, f"o{x}") for m in mentees for x in mentors]
    known = draw(st.lists(st.sampled_from(cells), unique=True))
    table = {cell: draw(st.integers(1, 100)) / 100 for cell in known}
    definition = RoundDefinition(
        id="h",
        mentee_ids=tuple(mentees),
        cross_department_only=draw(st.booleans()),
        min_overlap_hours=draw(st.sampled_from([None, 4.0])),
        objective=draw(st.sampled_from(list(Objective))),
    )
    return rec, inputs(rec, table=table), definition


def allowed(rec: Records, d: RoundDefinition, mentee_id: str, offer_id: str) -> bool:
    """The hard rules, written again from the specification."""
    mentee = rec.employees[mentee_id]
    mentor = rec.employees[rec.mentors[offer_id].employee_id]
    if mentor.id == mentee.id or mentee.manager_id == mentor.id or mentor.manager_id == mentee.id:
        return False
    if d.cross_department_only and mentor.department == mentee.department:
        return False
    hours = overlap_hours(mentor.utc_offset, mentee.utc_offset)
    return d.min_overlap_hours is None or hours >= d.min_overlap_hours


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(world=small_rounds())
def test_random_rounds_keep_rules_capacity_and_optimum(
    world: tuple[Records, MatchInputs, RoundDefinition],
) -> None:
    rec, inp, d = world
    capacity = {o: rec.mentors[o].capacity for o in rec.mentors}
    if sum(capacity.values()) == 0:
        with pytest.raises(ValidationError, match="zero total capacity"):
            solve_round(d, inp)
        return
    result = solve_round(d, inp)
    load: dict[str, int] = {}
    for m in result.matches:
        assert allowed(rec, d, m.mentee_ids[0], m.offer_id)
        load[m.offer_id] = load.get(m.offer_id, 0) + 1
    assert all(load[o] <= capacity[o] for o in load)
    matched = [m.mentee_ids[0] for m in result.matches]
    unmatched = [u.mentee_id for u in result.unmatched]
    assert sorted(matched + unmatched) == sorted(d.mentee_ids)
    ok = {
        (m, o)
        for m in d.mentee_ids
        for o in rec.mentors
        if inp.score(m, o) is not None and allowed(rec, d, m, o) and capacity[o] > 0
    }
    if d.objective is Objective.QUALITY:
        expected = brute_force_quality(rec, inp, list(d.mentee_ids), capacity, ok)
        assert result.stats.total_quality == pytest.approx(expected, abs=1e-6)
    for u in result.unmatched:
        assert u.detail


# modes ------------------------------------------------------------------------------------------
def test_group_circles_are_formed_from_shared_gaps() -> None:
    data = dict.fromkeys(("python", "cloud", "comm", "ml"), 5.0)  # gaps: sql, stats
    engineering = dict.fromkeys(("sql", "stats", "comm", "ml"), 5.0)  # gaps: python, cloud
    people = [emp(f"m{i}", skills=data if i % 2 else engineering) for i in range(6)]
    people += [
        emp("gx", role=4, skills=strong("sql", "stats")),
        emp("gy", role=4, skills=strong("python", "cloud")),
    ]
    rec = records(people, [offer("ogx", "gx"), offer("ogy", "gy")])
    d = RoundDefinition(id="g", mentee_ids=tuple(f"m{i}" for i in range(6)),
                        mode=MentorMode.GROUP, circle_size=3)  # fmt: skip
    result = solve_round(d, inputs(rec))
    circles = {m.offer_id: set(m.mentee_ids) for m in result.matches}
    assert circles == {"ogx": {"m1", "m3", "m5"}, "ogy": {"m0", "m2", "m4"}}
    for m in result.matches:
        assert set(m.shared_skills) == {g.skill_id for g in m.gaps}
        assert m.quality == pytest.approx(1.0)
        assert "circle of 3" in m.text
    assert not result.unmatched


def test_group_leftovers_circles_without_mentor_and_group_size_rule() -> None:
    mentees = tuple(f"m{i}" for i in range(4))
    people = [emp("m0", manager="gx"), emp("m1", manager="gy"), emp("m2"), emp("m3")]
    people += [emp(x, role=4, skills=strong("python")) for x in ("gx", "gy", "small")]
    offers = [offer("ogx", "gx"), offer("ogy", "gy"), offer("osmall", "small", max_group_size=2)]
    rec = records(people, offers, required=("python",))
    d = RoundDefinition(id="g", mentee_ids=mentees, mode=MentorMode.GROUP, circle_size=3)
    result = solve_round(d, inputs(rec))
    assert not result.matches
    got = reasons(result)
    assert got["m3"] is UnmatchedReason.CIRCLE_UNFILLED  # 4 mentees: one circle of 3 + one left
    # gx manages m0, gy manages m1: no group mentor may lead the circle m0, m1, m2
    assert [got[m] for m in ("m0", "m1", "m2")] == [UnmatchedReason.NO_MENTOR_FOR_CIRCLE] * 3
    only_small = RoundDefinition(id="s", mentee_ids=("m2",), offer_ids=("osmall",),
                                 mode=MentorMode.GROUP, circle_size=3)  # fmt: skip
    result = solve_round(only_small, inputs(rec))
    assert reasons(result) == {"m2": UnmatchedReason.MODE_RULE}
    assert "takes groups of at most 2" in result.unmatched[0].detail


def test_reverse_mode_needs_a_more_junior_mentor_stronger_on_the_gap() -> None:
    people = [
        emp("boss", role=4, skills={"python": 3}),
        emp("junior", role=2, skills={"python": 5}),
        emp("weak_junior", role=2, skills={"python": 2}),
        emp("senior", role=5, skills={"python": 5}),
    ]
    offers = [offer("oj", "junior"), offer("ow", "weak_junior"), offer("os", "senior")]
    rec = records(people, offers, required=("python",))
    table = {("boss", "oj"): 0.5, ("boss", "ow"): 0.9, ("boss", "os"): 1.0}
    d = RoundDefinition(id="rev", mentee_ids=("boss",), mode=MentorMode.REVERSE)
    assert pairs(solve_round(d, inputs(rec, table=table))) == {"boss": "oj"}
    del table[("boss", "oj")]
    result = solve_round(d, inputs(rec, table=table))
    assert reasons(result) == {"boss": UnmatchedReason.MODE_RULE}
    assert "os: not more junior" in result.unmatched[0].detail


def test_coverage_objective_matches_more_than_quality() -> None:
    people = [emp("a"), emp("b"), emp("x", role=4), emp("y", role=4)]
    rec = records(people, [offer("ox", "x"), offer("oy", "y")])
    table = {("a", "ox"): 0.9, ("a", "oy"): 0.1, ("b", "ox"): 0.5}
    inp = inputs(rec, table=table)
    by_quality = solve_round(RoundDefinition(id="q", mentee_ids=("a", "b")), inp)
    by_coverage = solve_round(
        RoundDefinition(id="c", mentee_ids=("a", "b"), objective=Objective.COVERAGE), inp
    )
    assert pairs(by_quality) == {"a": "ox"}
    assert pairs(by_coverage) == {"a": "oy", "b": "ox"}
    assert by_coverage.stats.matched > by_quality.stats.matched
    assert by_coverage.stats.total_quality < by_quality.stats.total_quality


def star_round() -> tuple[Records, MatchInputs, tuple[str, ...]]:
    """Ten mentees; everyone's favourite is the star (10 places); four others have 2 each."""
    mentees = tuple(f"m{i}" for i in range(10))
    people = [emp(m) for m in mentees] + [emp(f"x{j}", role=4) for j in range(5)]
    offers = [offer("star", "x0", capacity=10)] + [offer(f"o{j}", f"x{j}", 2) for j in range(1, 5)]
    rec = records(people, offers)
    table = {(m, "star"): 0.9 for m in mentees}
    table |= {(m, f"o{j}"): 0.5 for m in mentees for j in range(1, 5)}
    return rec, inputs(rec, table=table), mentees


def test_max_share_per_mentor_is_respected() -> None:
    _, inp, mentees = star_round()
    free = solve_round(RoundDefinition(id="free", mentee_ids=mentees), inp)
    assert list(pairs(free).values()).count("star") == 10
    capped = solve_round(
        RoundDefinition(id="cap", mentee_ids=mentees, max_share_per_mentor=0.2), inp
    )
    load = list(pairs(capped).values())
    assert load.count("star") == 2  # ceil(0.2 x 10)
    assert all(load.count(f"o{j}") <= 2 for j in range(1, 5))
    assert capped.stats.matched == 10
    assert capped.stats.max_mentor_share == pytest.approx(0.2)
    assert capped.stats.exposure_gini < free.stats.exposure_gini


def test_share_cap_reason() -> None:
    people = [emp(f"m{i}") for i in range(4)] + [emp("x", role=4)]
    rec = records(people, [offer("ox", "x", capacity=4)])
    inp = inputs(rec, table={(f"m{i}", "ox"): 0.5 for i in range(4)})
    d = RoundDefinition(id="s", mentee_ids=tuple(f"m{i}" for i in range(4)),
                        max_share_per_mentor=0.25)  # fmt: skip
    result = solve_round(d, inp)
    assert len(result.matches) == 1
    assert set(reasons(result).values()) == {UnmatchedReason.MENTOR_SHARE_CAP}


def test_top_mentor_share_caps_the_most_wanted_mentors_together() -> None:
    mentees = tuple(f"m{i}" for i in range(4))
    people = [emp(m) for m in mentees] + [emp(x, role=4) for x in ("a", "b", "c")]
    rec = records(people, [offer(f"o{x}", x, capacity=4) for x in ("a", "b", "c")])
    table = {(m, "oa"): 0.9 for m in mentees} | {(m, "ob"): 0.8 for m in mentees}
    table |= {(m, "oc"): 0.3 for m in mentees}
    d = RoundDefinition(id="t", mentee_ids=mentees, top_mentor_share=0.25,
                        top_mentor_fraction=0.5)  # fmt: skip
    result = solve_round(d, inputs(rec, table=table))  # top: oa, ob; together 1 mentee
    load = list(pairs(result).values())
    assert load.count("oa") + load.count("ob") == 1
    assert load.count("oa") == 1
    assert load.count("oc") == 3
    assert result.solver.engine == "lp"
    assert result.stats.total_quality == pytest.approx(0.9 + 3 * 0.3)


# bad rounds -------------------------------------------------------------------------------------
def test_no_eligible_mentor_is_unmatched_with_reason() -> None:
    people = [emp("a"), emp("x", role=4, skills={"comm": 5})]
    rec = records(people, [offer("ox", "x")], required=("python",))
    result = solve_round(RoundDefinition(id="r", mentee_ids=("a",)), inputs(rec))
    assert reasons(result) == {"a": UnmatchedReason.NO_MENTOR_FOR_GAPS}
    assert "PYTHON" in result.unmatched[0].detail


def test_contradictory_constraints_leave_everyone_unmatched_with_reason() -> None:
    mentees = ("a", "b", "c")
    people = [emp(m, department="data") for m in mentees]
    people += [emp("x", role=4, department="data", skills=strong("python"))]
    rec = records(people, [offer("ox", "x", capacity=3)], required=("python",))
    d = RoundDefinition(id="r", mentee_ids=mentees, cross_department_only=True)
    result = solve_round(d, inputs(rec))
    assert not result.matches
    assert reasons(result) == dict.fromkeys(mentees, UnmatchedReason.CROSS_DEPARTMENT)
    assert all("cross-department only" in u.detail for u in result.unmatched)


def test_time_zone_and_manager_reasons() -> None:
    people = [
        emp("a", manager="x"),
        emp("b", offset=0.0),
        emp("x", role=4, skills=strong("python")),
        emp("far", role=4, offset=10.0, skills=strong("python")),
    ]
    rec = records(people, [offer("ox", "x"), offer("ofar", "far")], required=("python",))
    d = RoundDefinition(id="r", mentee_ids=("a", "b"), offer_ids=("ox", "ofar"),
                        min_overlap_hours=4)  # fmt: skip
    result = solve_round(d, inputs(rec))
    assert pairs(result) == {"b": "ox"}
    only_x = RoundDefinition(id="r2", mentee_ids=("a",), offer_ids=("ox",))
    assert reasons(solve_round(only_x, inputs(rec))) == {"a": UnmatchedReason.SELF_OR_MANAGER}
    only_far = RoundDefinition(id="r3", mentee_ids=("b",), offer_ids=("ofar",),
                               min_overlap_hours=4)  # fmt: skip
    result = solve_round(only_far, inputs(rec))
    assert reasons(result) == {"b": UnmatchedReason.TIME_ZONE}
    assert "shares 0 h < 4 h" in result.unmatched[0].detail


def test_no_open_gap_and_inactive_mentees() -> None:
    people = [
        emp("done", skills=strong("python")),
        emp("gone", active=False),
        emp("x", role=4, skills=strong("python")),
    ]
    rec = records(people, [offer("ox", "x", capacity=2)], required=("python",))
    result = solve_round(RoundDefinition(id="r", mentee_ids=("done", "gone")), inputs(rec))
    assert reasons(result) == {
        "done": UnmatchedReason.NO_OPEN_GAP,
        "gone": UnmatchedReason.INACTIVE,
    }


def test_cohort_from_gap_skills() -> None:
    people = [
        emp("a", skills={"python": 1, "sql": 5}),
        emp("b", skills={"python": 5, "sql": 1}),
        emp("c", skills={"python": 2, "sql": 2}),
        emp("x", role=4, skills=strong("python", "sql")),
    ]
    rec = records(people, [offer("ox", "x", capacity=5)], required=("python", "sql"))
    d = RoundDefinition(id="r", gap_skills=("python",))
    result = solve_round(d, inputs(rec, focus=("python",)))
    assert sorted(pairs(result)) == ["a", "c"]  # x has no python gap; b none either
    assert result.mentee_gaps == {"a": ("python",), "c": ("python",)}


def tiny() -> tuple[Records, MatchInputs]:
    people = [emp("a"), emp("b"), emp("x", role=4, skills=strong("python"))]
    rec = records(people, [offer("ox", "x", capacity=2)], required=("python",))
    return rec, inputs(rec)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"mentee_ids": ("a", "b", "a")}, "mentee 'a' is listed twice"),
        ({"mentee_ids": ("a", "nobody")}, "unknown employee id.*nobody"),
        ({"offer_ids": ("ox", "nope")}, "unknown mentor offer id.*nope"),
        ({"gap_skills": ("python", "rust")}, "unknown skill id.*rust"),
        ({"mentee_ids": ()}, "empty cohort"),
        ({"capacities": {"ox": 0}}, "zero total capacity"),
        ({"mode": MentorMode.GROUP, "circle_size": 1}, "invalid circle size 1"),
        ({"mode": MentorMode.GROUP, "circle_size": 40}, "invalid circle size 40"),
        ({"mode": MentorMode.GROUP}, "needs circle_size"),
        ({"circle_size": 3}, "only for group mode"),
        ({"min_overlap_hours": 9.0}, "exceeds the 8.0-hour working day"),
        ({"max_share_per_mentor": 0.0}, r"max_share_per_mentor must be in \(0, 1\]"),
        ({"top_mentor_share": 1.5}, r"top_mentor_share must be in \(0, 1\]"),
        ({"offer_ids": ()}, "offer_ids is empty"),
        ({"offer_ids": ("ox",), "capacities": {"oy": 1}}, "not in the round"),
        ({"duration_weeks": 0}, "duration_weeks"),
        (
            {"mode": MentorMode.GROUP, "circle_size": 3, "max_share_per_mentor": 0.5},
            "fewer than one circle",
        ),
    ],
)
def test_bad_rounds_are_refused_before_anything_runs(
    changes: dict[str, object], message: str
) -> None:
    _, inp = tiny()
    base: dict[str, object] = {"id": "r", "mentee_ids": ("a", "b")}
    definition = RoundDefinition(**{**base, **changes})  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match=message):
        solve_round(definition, inp)


def test_capacity_used_elsewhere_counts() -> None:
    rec, _ = tiny()
    with pytest.raises(ValidationError, match="zero total capacity"):
        solve_round(RoundDefinition(id="r", mentee_ids=("a",)), inputs(rec, used={"ox": 2}))
    result = solve_round(
        RoundDefinition(id="r", mentee_ids=("a", "b")), inputs(rec, used={"ox": 1})
    )
    assert len(result.matches) == 1  # a and b tie: either one, the other waits
    assert list(reasons(result).values()) == [UnmatchedReason.ALL_MENTORS_FULL]


def test_unavailable_offer_named_explicitly_is_refused() -> None:
    people = [emp("a"), emp("x", role=4)]
    rec = records(people, [offer("ox", "x")])
    rec.mentors["ox"] = rec.mentors["ox"].__class__("ox", "x", 1, available=False)
    with pytest.raises(ValidationError, match="'ox' is not available"):
        solve_round(RoundDefinition(id="r", mentee_ids=("a",), offer_ids=("ox",)), inputs(rec))


def test_definition_round_trips_and_from_dict_checks_types() -> None:
    d = RoundDefinition(id="r", mentee_ids=("a",), mode=MentorMode.GROUP, circle_size=4,
                        capacities={"ox": 2}, max_share_per_mentor=0.5)  # fmt: skip
    assert RoundDefinition.from_dict(json.loads(json.dumps(d.to_dict()))) == d
    plain = RoundDefinition(id="r", mentee_ids=["a"], mode="peer", objective="coverage")  # type: ignore[arg-type]
    assert plain.mode is MentorMode.PEER
    assert plain.objective is Objective.COVERAGE
    assert plain.mentee_ids == ("a",)
    with pytest.raises(ValidationError, match="unknown round field"):
        RoundDefinition.from_dict({"id": "r", "mentees": ["a"]})
    with pytest.raises(ValidationError, match="unknown mode"):
        RoundDefinition.from_dict({"id": "r", "mentee_ids": ["a"], "mode": "buddy"})
    with pytest.raises(ValidationError, match="list of strings"):
        RoundDefinition.from_dict({"id": "r", "mentee_ids": "a"})
    with pytest.raises(ValidationError, match="circle_size must be an integer"):
        RoundDefinition.from_dict({"id": "r", "mentee_ids": ["a"], "circle_size": "3"})


def test_result_is_json_serialisable_and_round_trips() -> None:
    _, inp = greedy_trap()
    result = solve_round(RoundDefinition(id="r", mentee_ids=("a", "b")), inp)
    again = RoundResult.from_dict(json.loads(json.dumps(result.to_dict())))
    assert again.to_dict() == result.to_dict()


# the proposal life ------------------------------------------------------------------------------
def draft() -> tuple[MatchInputs, Proposal]:
    _, inp = greedy_trap()
    return inp, propose(RoundDefinition(id="r", mentee_ids=("a", "b")), inp)


def test_lock_survives_resolve() -> None:
    inp, p = draft()
    assert {pm.id: pm.match.offer_id for pm in p.matches} == {"a": "oy", "b": "ox"}
    with pytest.raises(ValidationError, match="oy does not cover any gap of b"):
        swap(p, "a", "b", inp)
    # without b, a's favourite ox is free: a re-solve would move a there, unless a is locked
    unlocked = resolve(remove(p, "b"), inp)
    assert unlocked.match("a").match.offer_id == "ox"
    locked = resolve(lock(remove(p, "b"), "a"), inp)
    assert locked.match("a").locked
    assert locked.match("a").match.offer_id == "oy"
    assert "b" not in {pm.id for pm in locked.matches}  # b-ox was removed: not proposed again


def test_swap_checks_scores_and_lock_keeps_swap_through_resolve() -> None:
    people = [emp("a"), emp("b"), emp("x", role=4), emp("y", role=4)]
    rec = records(people, [offer("ox", "x"), offer("oy", "y")])
    table = {("a", "ox"): 0.9, ("a", "oy"): 0.2, ("b", "ox"): 0.3, ("b", "oy"): 0.8}
    inp = inputs(rec, table=table)
    p = propose(RoundDefinition(id="r", mentee_ids=("a", "b")), inp)
    assert {pm.id: pm.match.offer_id for pm in p.matches} == {"a": "ox", "b": "oy"}
    s = swap(p, "a", "b", inp)
    assert {pm.id: pm.match.offer_id for pm in s.matches} == {"a": "oy", "b": "ox"}
    assert s.stats.total_quality == pytest.approx(0.5)
    kept = resolve(lock(s, "a"), inp)
    assert kept.match("a").match.offer_id == "oy"  # the lock survives the re-solve
    assert kept.match("b").match.offer_id == "ox"  # the only place left
    back = resolve(s, inp)  # nothing locked: the optimum again
    assert back.match("a").match.offer_id == "ox"
    assert back.version == s.version + 1
    assert len(back.log) == len(s.log) + 1


def test_remove_then_resolve_never_proposes_the_pair_again() -> None:
    inp, p = draft()
    removed = remove(p, "b")
    assert {u.mentee_id: u.reason for u in removed.unmatched} == {"b": UnmatchedReason.REMOVED}
    again = resolve(removed, inp)
    assert ("b", "ox") in again.excluded
    assert all(pm.match.offer_id != "ox" or pm.id != "b" for pm in again.matches)
    assert reasons_of(again)["b"] is UnmatchedReason.NO_MENTOR_FOR_GAPS


def reasons_of(p: Proposal) -> dict[str, UnmatchedReason]:
    return {u.mentee_id: u.reason for u in p.unmatched}


def test_manual_pairs_are_checked_against_hard_rules() -> None:
    people = [emp("a", manager="x"), emp("b"), emp("x", role=4), emp("y", role=4)]
    rec = records(people, [offer("ox", "x", capacity=2), offer("oy", "y")])
    inp = inputs(rec, table={("b", "ox"): 0.5, ("b", "oy"): 0.4, ("a", "oy"): 0.3})
    p = remove(propose(RoundDefinition(id="r", mentee_ids=("a", "b")), inp), "a")
    with pytest.raises(ValidationError, match="own manager"):
        add_manual(p, "a", "ox", inp)
    with pytest.raises(ValidationError, match="already matched"):
        add_manual(p, "b", "ox", inp)
    with pytest.raises(ValidationError, match="not in the cohort"):
        add_manual(p, "y", "ox", inp)
    assert p.match("b").match.offer_id == "ox"
    added = add_manual(p, "a", "oy", inp)
    manual = added.match("a")
    assert manual.manual
    assert manual.locked
    assert "added by hand" in manual.match.text
    with pytest.raises(ValidationError, match="stays locked"):
        lock(added, "a", locked=False)


def test_publish_uses_capacity_and_decline_frees_it() -> None:
    inp, p = draft()
    published = publish(p)
    assert capacity_in_use([p]) == {}  # a draft uses nothing
    assert capacity_in_use([published]) == {"ox": 1, "oy": 1}
    accepted = respond(published, "a", "a", accept=True)
    accepted = respond(accepted, "a", "y", accept=True)
    assert accepted.match("a").status == "active"
    declined = respond(accepted, "b", "x", accept=False)
    assert declined.match("b").declined
    assert capacity_in_use([declined]) == {"oy": 1}
    assert reasons_of(declined)["b"] is UnmatchedReason.DECLINED
    assert declined.stats.matched == 1
    # the freed place is there for the next round
    rec = inp.records
    nxt = solve_round(
        RoundDefinition(id="next", mentee_ids=("b",)),
        MatchInputs(rec, inp.gaps_of, inp.score, used=capacity_in_use([declined])),
    )
    assert pairs(nxt) == {"b": "ox"}
    assert capacity_in_use([close(declined)]) == {}


def test_invalid_transitions_are_refused() -> None:
    inp, p = draft()
    with pytest.raises(ValidationError, match="cannot answer a match of proposal 'r': it is draft"):
        respond(p, "a", "a", accept=True)
    with pytest.raises(ValidationError, match="cannot close"):
        close(p)
    published = publish(p)
    with pytest.raises(ValidationError, match="it is published"):
        publish(published)
    with pytest.raises(ValidationError, match="it is published"):
        swap(published, "a", "b", inp)
    with pytest.raises(ValidationError, match="it is published"):
        resolve(published, inp)
    with pytest.raises(ValidationError, match="it is published"):
        lock(published, "a")
    with pytest.raises(ValidationError, match="not a side"):
        respond(published, "a", "b", accept=True)
    once = respond(published, "a", "a", accept=False)
    with pytest.raises(ValidationError, match="already declined"):
        respond(once, "a", "y", accept=True)
    twice = respond(published, "b", "b", accept=True)
    with pytest.raises(ValidationError, match="already answered"):
        respond(twice, "b", "b", accept=False)
    with pytest.raises(NotFoundError):
        respond(published, "zz", "a", accept=True)
    closed = close(published)
    assert closed.state is ProposalState.CLOSED
    with pytest.raises(ValidationError, match="it is closed"):
        respond(closed, "b", "x", accept=True)


def test_proposal_round_trips_through_json() -> None:
    _, p = draft()
    p = respond(publish(lock(p, "a")), "a", "a", accept=True)
    again = Proposal.from_dict(json.loads(json.dumps(p.to_dict())))
    assert again == p
    with pytest.raises(ValidationError, match="unsupported proposal format"):
        Proposal.from_dict({**p.to_dict(), "format": 99})


# over an engine context: the mentor recommender's pair score is the match quality ---------------
def test_context_inputs_reuse_the_mentor_recommender() -> None:
    from recommend.synthetic import FULL_OFFER, tiny_context

    from skillgraph.recommend.base import Query
    from skillgraph.recommend.gaps import analyze_gaps
    from skillgraph.recommend.matching_context import context_inputs
    from skillgraph.recommend.mentors import MentorRecommender
    from skillgraph.retrieval.encoder import HashingEncoder

    ctx = tiny_context(HashingEncoder(64))
    recommender = MentorRecommender().fit(ctx)
    cohort = ("ari", "pia", "zed", "jo")
    d = RoundDefinition(id="ctx", mentee_ids=cohort, max_share_per_mentor=0.5)
    inp = context_inputs(ctx, d, recommender=recommender)
    assert [g.skill_id for g in inp.gaps_of("ari")] == [
        r.skill_id for r in analyze_gaps(ctx, "ari").gaps
    ]
    result = solve_round(d, inp)
    assert result.matches
    for m in result.matches:
        mentee = m.mentee_ids[0]
        query = Query(employee_id=mentee, k=50, filters={"mode": "one_on_one"})
        scores = {r.item_id: r.score for r in recommender.recommend(query)}
        assert m.quality == pytest.approx(scores[m.offer_id], abs=1e-6)
        assert m.gaps
        assert m.offer_id != FULL_OFFER  # its only place is taken (ctx.mentor_load)
    load = list(pairs(result).values())
    assert all(load.count(o) <= 2 for o in set(load))  # ceil(0.5 x 4)
    assert sorted([*pairs(result), *reasons(result)]) == sorted(cohort)
