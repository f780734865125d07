"""Invariants under random inputs (Hypothesis): readiness, gap order, content, mentor rules."""

from __future__ import annotations

import dataclasses
from functools import cache

from hypothesis import given, settings
from hypothesis import strategies as st
from recommend.synthetic import context_for, tiny_context, tiny_records

from skillgraph.data.schema import (
    Records,
    RelationKind,
    Role,
    Skill,
    SkillLevel,
    SkillRelation,
    SkillRequirement,
)
from skillgraph.graph.ontology import SkillGraph
from skillgraph.recommend.base import EngineContext, Query
from skillgraph.recommend.content import ContentRecommender
from skillgraph.recommend.gaps import EPSILON, GapAnalyzer, analyze_gaps, held_levels
from skillgraph.recommend.mentors import MentorRecommender
from skillgraph.retrieval.encoder import HashingEncoder

TINY_SKILLS = sorted(tiny_records().skills)
TINY_ROLES = sorted(tiny_records().roles)
LEVELS = st.sampled_from([0.0, 0.5, 1.0, 1.5, 2.0, 2.5, 3.0, 3.5, 4.0, 4.5, 5.0])
HELD = st.dictionaries(st.sampled_from(TINY_SKILLS), LEVELS, max_size=8)


@cache
def shared_ctx() -> EngineContext:
    return tiny_context(HashingEncoder(32))


@settings(max_examples=150, deadline=None)
@given(held=HELD, role=st.sampled_from(TINY_ROLES), skill=st.sampled_from(TINY_SKILLS),
       step=st.sampled_from([0.5, 1.0, 2.5]))  # fmt: skip
def test_readiness_is_bounded_and_monotone(
    held: dict[str, float], role: str, skill: str, step: float
) -> None:
    ctx = shared_ctx()
    before = analyze_gaps(ctx, held, role)
    assert 0.0 <= before.readiness <= 100.0
    more = {**held, skill: min(5.0, held.get(skill, 0.0) + step)}
    after = analyze_gaps(ctx, more, role)
    assert after.readiness >= before.readiness - EPSILON
    for old, new in zip(
        sorted(before.rows, key=lambda r: r.skill_id),
        sorted(after.rows, key=lambda r: r.skill_id),
        strict=True,
    ):
        assert new.current_level >= old.current_level - EPSILON
        assert 0.0 <= old.gap <= old.required_level
    closed = before.readiness_if_closed([g.skill_id for g in before.gaps])
    assert closed == 100.0 or not before.gaps


@st.composite
def random_ontology(draw: st.DrawFn) -> tuple[SkillGraph, dict[str, float]]:
    """Skills s0..sn with prerequisite and broader edges only from lower to higher index
    (acyclic), one role requiring a random subset, and random held levels."""
    n = draw(st.integers(3, 9))
    skills = {f"s{i}": Skill(f"s{i}", f"Skill {i}") for i in range(n)}
    pairs = [(i, j) for i in range(n) for j in range(i + 1, n)]
    prereqs = draw(st.lists(st.sampled_from(pairs), max_size=2 * n, unique=True))
    broader = draw(st.lists(st.sampled_from(pairs), max_size=n, unique=True))
    relations = [SkillRelation(f"s{i}", f"s{j}", RelationKind.PREREQUISITE) for i, j in prereqs]
    relations += [SkillRelation(f"s{i}", f"s{j}", RelationKind.BROADER) for i, j in broader]
    required = draw(st.lists(st.sampled_from(sorted(skills)), min_size=1, unique=True))
    reqs = tuple(
        SkillRequirement(s, draw(st.sampled_from([1.0, 2.0, 3.0, 4.0])),
                         draw(st.sampled_from([0.2, 0.5, 1.0])))
        for s in required
    )  # fmt: skip
    records = Records(
        skills=skills, relations=relations, roles={"r": Role("r", "R", requirements=reqs)}
    )
    held = draw(st.dictionaries(st.sampled_from(sorted(skills)), LEVELS, max_size=n))
    return SkillGraph.build(records), held


@settings(max_examples=150, deadline=None)
@given(case=random_ontology())
def test_gap_order_respects_prerequisites(case: tuple[SkillGraph, dict[str, float]]) -> None:
    graph, held = case
    report = GapAnalyzer(graph).report(held, "r")
    order = [g.skill_id for g in report.gaps]
    for later_pos, later in enumerate(order):
        for earlier in graph.all_prerequisites(later):
            if earlier in order:
                assert order.index(earlier) < later_pos, (order, earlier, later)
    assert {g.skill_id for g in report.rows} == {r.skill_id for r in graph.role_profile("r")}


def _with_ari_skills(levels: dict[str, float]) -> Records:
    records = tiny_records()
    ari = records.employees["ari"]
    records.employees["ari"] = dataclasses.replace(
        ari, skills=tuple(SkillLevel(s, lv) for s, lv in levels.items() if lv > 0)
    )
    return records


@settings(max_examples=40, deadline=None)
@given(levels=HELD, role=st.sampled_from(TINY_ROLES), k=st.integers(1, 12))
def test_content_never_teaches_only_what_is_held(
    levels: dict[str, float], role: str, k: int
) -> None:
    ctx = context_for(_with_ari_skills(levels), HashingEncoder(32))
    held = held_levels(ctx.employee("ari"))
    recs = (
        ContentRecommender().fit(ctx).recommend(Query(employee_id="ari", target_role_id=role, k=k))
    )
    assert len(recs) <= k
    for rec in recs:
        taught = ctx.item(rec.item_id).skills
        if taught:
            assert any(held.get(t.skill_id, 0.0) < t.level for t in taught), rec.item_id
        for gap in rec.explanation.gaps:
            assert gap.current_level < gap.required_level
            assert rec.payload["reaches"][gap.skill_id] > gap.current_level


@settings(max_examples=40, deadline=None)
@given(
    mentee=st.sampled_from(sorted(tiny_records().employees)),
    role=st.sampled_from(TINY_ROLES),
    load=st.dictionaries(st.sampled_from(sorted(tiny_records().mentors)), st.integers(0, 3)),
    mode=st.sampled_from([None, "one_on_one", "peer", "reverse", "group"]),
)
def test_mentors_keep_the_hard_rules(
    mentee: str, role: str, load: dict[str, int], mode: str | None
) -> None:
    ctx = dataclasses.replace(shared_ctx(), mentor_load=load)
    rec = MentorRecommender().fit(ctx)
    filters = {"mode": mode} if mode else {}
    recs = rec.recommend(Query(employee_id=mentee, target_role_id=role, k=20, filters=filters))
    person = ctx.employee(mentee)
    for r in recs:
        offer = ctx.offer(r.item_id)
        mentor = ctx.employee(offer.employee_id)
        assert offer.capacity - load.get(offer.id, 0) > 0
        assert mentor.id != mentee
        assert mentor.active
        assert person.manager_id != mentor.id
        assert mentor.manager_id != mentee
        assert r.payload["mode"] in {m.value for m in offer.modes}
        if mode:
            assert r.payload["mode"] == mode
