"""The array paths answer as the per-item reference paths do, on random small companies.

ContentRecommender / MentorRecommender with vectorised=False score candidates one by one (the
reference); the default scores them with arrays (content_table.py, mentor_table.py, credit.py).
Their answers must match: same ids in the same order, numbers equal up to float32 rounding of
the cosines. Likewise the bulk credit table against GapAnalyzer.effective_level, the company-wide
demand against one gap report per employee, and the cached reports against fresh ones.
"""

from __future__ import annotations

import dataclasses
import enum
import math
import random
from collections.abc import Callable, Mapping
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from recommend.random_world import random_context

from skillgraph.errors import SkillgraphError
from skillgraph.recommend.base import EngineContext, Query, Recommendation
from skillgraph.recommend.content import ContentRecommender
from skillgraph.recommend.credit import CreditTable
from skillgraph.recommend.demand import open_gaps_by_skill
from skillgraph.recommend.gaps import GapAnalyzer, analyzer_for, held_levels
from skillgraph.recommend.mentors import MentorRecommender, group_fill
from skillgraph.recommend.needs import Need, Needs, needs_vector
from skillgraph.recommend.paths import PathFinder
from skillgraph.recommend.transition_build import build_transitions
from skillgraph.retrieval.index import ExactIndex

SEEDS = st.integers(min_value=0, max_value=1_000_000)
# cosines come from one float32 matrix product instead of one dot product each: a rounded
# number may differ by one unit of its rounding (scores 1e-6, explanation signals 1e-4)
TOLERANCE = 2e-6
SIGNAL_TOLERANCE = 1.01e-4

CONTENT_FILTERS: list[dict[str, Any]] = [
    {},
    {"modality": ["course", "video", "book"]},
    {"channel": "experience"},
    {"max_duration_hours": 5},
    {"mmr_lambda": 1.0},
    {"mmr_lambda": 0.0},
    {"exclude": ["i0", "i1"]},
]
MENTOR_FILTERS: list[dict[str, Any]] = [
    {},
    {"mode": "one_on_one"},
    {"mode": "peer"},
    {"mode": "reverse"},
    {"mode": "group"},
    {"other_department": True},
    {"min_overlap_hours": 4},
    {"exclude": ["m0"]},
]


def plain(value: Any) -> Any:
    """Dataclasses, enums, mappings and sequences as plain values, for comparing."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, Mapping):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if isinstance(value, np.floating):
        return float(value)
    return value


def assert_close(a: Any, b: Any, where: str = "") -> None:
    if isinstance(a, float) or isinstance(b, float):
        assert isinstance(a, int | float), where
        assert isinstance(b, int | float), where
        tolerance = SIGNAL_TOLERANCE if ".signals." in where else TOLERANCE
        assert math.isclose(a, b, rel_tol=0, abs_tol=tolerance), f"{where}: {a} != {b}"
    elif isinstance(a, dict):
        assert isinstance(b, dict), where
        assert a.keys() == b.keys(), f"{where}: {a} != {b}"
        for key in a:
            assert_close(a[key], b[key], f"{where}.{key}")
    elif isinstance(a, list):
        assert isinstance(b, list), where
        assert len(a) == len(b), f"{where}: {a} != {b}"
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            assert_close(x, y, f"{where}[{i}]")
    else:
        assert a == b, f"{where}: {a!r} != {b!r}"


def same_answer(reference: Callable[[], list[Recommendation]], fast: Callable[[], Any]) -> None:
    """Both return equal recommendations, or both raise the same kind of error."""
    try:
        expected = reference()
    except SkillgraphError as exc:
        with pytest.raises(type(exc)):
            fast()
        return
    got = fast()
    assert [r.item_id for r in got] == [r.item_id for r in expected]
    assert_close(plain(got), plain(expected), "answer")


def queries(ctx: EngineContext, rng: random.Random, filters: list[dict[str, Any]]) -> list[Query]:
    records = ctx.records
    roles, skills = sorted(records.roles), sorted(records.skills)
    found = []
    for emp in records.employees.values():
        found.append(Query(employee_id=emp.id, k=rng.randrange(1, 11), filters=rng.choice(filters)))
        target = rng.choice(roles)
        gaps = tuple(rng.sample(skills, 2))
        found.append(Query(employee_id=emp.id, target_role_id=target, skill_ids=gaps, k=3))
    found.append(Query(role_id=roles[0], target_role_id=roles[-1], k=5))
    found.append(Query(skill_ids=(skills[-1],), filters={"current_level": 1.0}, k=4))
    found.append(Query(skill_ids=(skills[0],), filters={"target_level": 4.0}))
    return found


@settings(max_examples=30, deadline=None)
@given(seed=SEEDS)
def test_content_arrays_answer_as_the_reference(seed: int) -> None:
    ctx = random_context(seed)
    reference = ContentRecommender(vectorised=False).fit(ctx)
    fast = ContentRecommender().fit(ctx)
    for query in queries(ctx, random.Random(seed), CONTENT_FILTERS):
        same_answer(lambda q=query: reference.recommend(q), lambda q=query: fast.recommend(q))


@settings(max_examples=30, deadline=None)
@given(seed=SEEDS, penalty=st.sampled_from([0.5, 1.0, 1.5]))
def test_content_lazy_prerequisite_planning_matches_planning_everything(
    seed: int, penalty: float
) -> None:
    ctx = random_context(seed)
    reference = ContentRecommender(vectorised=False, prerequisite_penalty=penalty).fit(ctx)
    fast = ContentRecommender(prerequisite_penalty=penalty, min_candidates=3).fit(ctx)
    small = ContentRecommender(
        vectorised=False, prerequisite_penalty=penalty, min_candidates=3
    ).fit(ctx)
    for query in queries(ctx, random.Random(seed), CONTENT_FILTERS)[:6]:
        same_answer(lambda q=query: small.recommend(q), lambda q=query: fast.recommend(q))
        same_answer(
            lambda q=query: reference.recommend(q),
            lambda q=query: ContentRecommender(prerequisite_penalty=penalty).fit(ctx).recommend(q),
        )


@settings(max_examples=30, deadline=None)
@given(seed=SEEDS)
def test_mentor_arrays_answer_as_the_reference(seed: int) -> None:
    ctx = random_context(seed)
    reference = MentorRecommender(vectorised=False).fit(ctx)
    fast = MentorRecommender().fit(ctx)
    for query in queries(ctx, random.Random(seed), MENTOR_FILTERS):
        same_answer(lambda q=query: reference.recommend(q), lambda q=query: fast.recommend(q))


@settings(max_examples=20, deadline=None)
@given(seed=SEEDS)
def test_mentor_candidate_search_keeps_the_nearest_offers(seed: int) -> None:
    # few candidates fetched: the search decides which offers are scored at all
    ctx = random_context(seed)
    reference = MentorRecommender(vectorised=False, min_candidates=1, overfetch=1).fit(ctx)
    fast = MentorRecommender(min_candidates=1, overfetch=1).fit(ctx)
    for query in queries(ctx, random.Random(seed), MENTOR_FILTERS):
        same_answer(lambda q=query: reference.recommend(q), lambda q=query: fast.recommend(q))


@settings(max_examples=40, deadline=None)
@given(seed=SEEDS)
def test_credit_table_equals_effective_levels(seed: int) -> None:
    ctx = random_context(seed)
    analyzer = GapAnalyzer(ctx.graph, ctx.settings.recommend)
    rng = random.Random(seed)
    skills = sorted(ctx.records.skills)
    holders = [held_levels(e) for e in ctx.records.employees.values()]
    holders.append({})
    table = CreditTable(analyzer, holders)
    caps = [rng.choice([0.5, 1.0, 2.5, 5.0]) for _ in skills]
    levels = table.levels(skills, caps, np.arange(len(holders)))
    for r, held in enumerate(holders):
        for j, skill in enumerate(skills):
            expected = analyzer.effective_level(held, skill, cap=caps[j])
            assert math.isclose(levels[r, j], max(expected, 0.0), abs_tol=1e-9)
    with_credit = set(table.rows_with_credit(skills).tolist())
    assert with_credit == {r for r, held in enumerate(holders) if any(v > 0 for v in held.values())}


@settings(max_examples=40, deadline=None)
@given(seed=SEEDS)
def test_company_demand_equals_one_report_per_employee(seed: int) -> None:
    ctx = random_context(seed)
    reference = MentorRecommender(vectorised=False).fit(ctx)
    expected = reference._group_demand(ctx)
    assert open_gaps_by_skill(analyzer_for(ctx), ctx.records.employees.values()) == expected


@settings(max_examples=40, deadline=None)
@given(seed=SEEDS)
def test_cached_reports_equal_fresh_ones(seed: int) -> None:
    ctx = random_context(seed)
    shared = analyzer_for(ctx)
    for emp in ctx.records.employees.values():
        for role in ctx.records.roles:
            fresh = GapAnalyzer(ctx.graph, ctx.settings.recommend).report(
                held_levels(emp), role, employee_id=emp.id
            )
            assert shared.report(held_levels(emp), role, employee_id=emp.id) == fresh
            assert shared.report(held_levels(emp), role, employee_id=emp.id) is shared.report(
                held_levels(emp), role, employee_id=emp.id
            )


def test_needs_vector_is_the_mean_of_the_skill_vectors() -> None:
    ctx = random_context(7)
    analyzer = analyzer_for(ctx)
    skills = sorted(ctx.records.skills)[:3]
    report = analyzer.report({}, sorted(ctx.records.roles)[-1])
    needs = Needs(tuple(Need(s, s, 3.0, 0.0, 1.0) for s in skills), report)
    index = ctx.indexes["skills"]
    mean = np.mean([index.vector(s) for s in skills], axis=0)
    got = needs_vector(ctx, needs, "Learn: anything.")
    assert np.allclose(got, mean / np.linalg.norm(mean), atol=1e-6)
    # a needed skill without a vector: the text is encoded instead
    ids, vectors = index.export()
    keep = [i for i, s in enumerate(ids) if s != skills[0]]
    partial = ExactIndex.from_arrays([ids[i] for i in keep], vectors[keep])
    ctx2 = dataclasses.replace(ctx, indexes={**ctx.indexes, "skills": partial})
    text = needs_vector(ctx2, needs, "Learn: anything.")
    assert np.allclose(text, ctx.encoder.encode(["Learn: anything."])[0], atol=1e-6)


@settings(max_examples=200, deadline=None)
@given(
    groups=st.lists(st.sets(st.sampled_from("abcdefgh"), max_size=8), max_size=4),
    skip=st.sets(st.sampled_from("abcdefgh"), max_size=2),
    seats=st.integers(min_value=1, max_value=6),
)
def test_group_fill_shortcut_equals_counting(
    groups: list[set[str]], skip: set[str], seats: int
) -> None:
    others = set().union(*groups) - skip if groups else set()
    assert group_fill(groups, skip, seats) == min(1.0, len(others) / seats)


@settings(max_examples=25, deadline=None)
@given(seed=SEEDS)
def test_paths_sharing_hops_equal_paths_built_alone(seed: int) -> None:
    ctx = random_context(seed)
    content, mentors = ContentRecommender().fit(ctx), MentorRecommender().fit(ctx)
    finder = PathFinder(build_transitions(ctx, top_n=3), ctx, content, mentors)
    for emp in list(ctx.records.employees.values())[:4]:
        found = finder.explore(None, max_hops=3, limit=5, employee_id=emp.id, moves=None)
        for path in found:
            alone = finder.path(path.roles, emp.id)
            assert_close(plain(path.hops), plain(alone.hops), "hops")
