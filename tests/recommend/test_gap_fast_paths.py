"""The fast paths of gap analysis give the numbers of the plain per-requirement algorithm, bit
for bit: credit pushed from the held skills (`held_credit`, `credit_targets`), readiness without
a report (`GapAnalyzer.readiness`), `readiness_with` from cached terms.

The reference functions below are the algorithm as first written (one `credit` loop per
requirement, readiness from a list of triples, prerequisite order always asked for)."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from recommend.random_world import random_context
from recommend.synthetic import tiny_context

from skillgraph.data.schema import Provenance
from skillgraph.recommend.base import EngineContext
from skillgraph.recommend.gaps import (
    EPSILON,
    Credit,
    CreditKind,
    GapAnalyzer,
    GapReport,
    SkillGap,
    analyzer_for,
    held_levels,
    merged_profile,
    readiness_of,
    role_levels,
)
from skillgraph.retrieval.encoder import HashingEncoder

SEEDS = range(8)


def reference_credit(
    analyzer: GapAnalyzer, held: Mapping[str, float], skill_id: str
) -> Credit | None:
    sources = analyzer.credit_sources(skill_id)
    best: tuple[str, CreditKind, float, float] | None = None
    for source, level in held.items():
        if level <= 0:
            continue
        kind = CreditKind.DIRECT if source == skill_id else sources.get(source)
        if kind is None:
            continue
        value = level * analyzer.factor(kind)
        if best is None or value > best[3] + EPSILON:
            best = (source, kind, level, value)
    if best is None:
        return None
    return Credit(best[0], best[1], best[2], analyzer.factor(best[1]))


def reference_readiness(pairs: Iterable[tuple[float, float, float]]) -> float:
    rows = list(pairs)
    if not rows:
        return 100.0
    weights = [max(imp, 0.0) for imp, _, _ in rows]
    if sum(weights) <= EPSILON:
        weights = [1.0] * len(rows)
    met = [1.0 if req <= EPSILON else min(max(cur, 0.0), req) / req for _, cur, req in rows]
    value = 100.0 * sum(w * m for w, m in zip(weights, met, strict=True)) / sum(weights)
    return min(100.0, max(0.0, value))


def reference_report(
    analyzer: GapAnalyzer, held: Mapping[str, float], role_id: str
) -> tuple[list[SkillGap], float, list[str]]:
    """(rows in profile order, readiness, open skills in prerequisite order)."""
    rows = []
    for req in merged_profile(analyzer.graph, role_id):
        raw = max(0.0, held.get(req.skill_id, 0.0))
        best = reference_credit(analyzer, held, req.skill_id)
        partial = min(best.level, req.level) if best is not None else 0.0
        current = max(raw, partial)
        evidence = best
        if best is not None and best.kind is not CreditKind.DIRECT and raw >= partial:
            evidence = Credit(req.skill_id, CreditKind.DIRECT, raw, 1.0) if raw > 0 else None
        rows.append(
            SkillGap(
                req.skill_id,
                analyzer.graph.skill(req.skill_id).label,
                req.level,
                current,
                raw,
                max(0.0, req.level - current),
                req.importance,
                evidence,
                req.provenance,
            )
        )
    readiness = reference_readiness((r.importance, r.current_level, r.required_level) for r in rows)
    ranked = sorted(rows, key=lambda r: (-r.importance, -r.gap, r.skill_id))
    order = analyzer.graph.prerequisite_order([r.skill_id for r in ranked if r.is_open])
    return rows, readiness, order


def profiles(ctx: EngineContext) -> list[dict[str, float]]:
    """Every employee's skills and every role's profile, as held maps."""
    found = [held_levels(e) for e in ctx.records.employees.values()]
    found += [role_levels(ctx.graph, r) for r in ctx.records.roles]
    return found


@pytest.mark.parametrize("seed", SEEDS)
def test_credit_targets_turn_credit_sources_around(seed: int) -> None:
    ctx = random_context(seed)
    analyzer = analyzer_for(ctx)
    skills = list(ctx.records.skills)
    for source in skills:
        expected = {
            (target, analyzer.credit_sources(target)[source])
            for target in skills
            if source in analyzer.credit_sources(target)
        }
        assert set(analyzer.credit_targets(source)) == expected


@pytest.mark.parametrize("seed", SEEDS)
def test_held_credit_is_the_credit_of_every_skill(seed: int) -> None:
    ctx = random_context(seed)
    analyzer = analyzer_for(ctx)
    for held in profiles(ctx):
        pushed = analyzer.held_credit(held)
        for skill_id in ctx.records.skills:
            assert pushed.credit(skill_id) == reference_credit(analyzer, held, skill_id)


@pytest.mark.parametrize("seed", SEEDS)
def test_reports_and_readiness_equal_the_reference_bit_for_bit(seed: int) -> None:
    ctx = random_context(seed)
    analyzer = GapAnalyzer(ctx.graph, ctx.settings.recommend)  # fresh: no cached reports
    for held in profiles(ctx):
        for role_id in ctx.records.roles:
            rows, readiness, order = reference_report(analyzer, held, role_id)
            report = analyzer.report(held, role_id)
            assert analyzer.readiness(held, role_id) == readiness  # exact, not approx
            assert report.readiness == readiness
            assert sorted(report.rows, key=lambda r: r.skill_id) == sorted(
                rows, key=lambda r: r.skill_id
            )
            assert [r.skill_id for r in report.gaps] == order


def test_the_tie_rule_keeps_the_first_of_two_credits_within_epsilon() -> None:
    ctx = tiny_context(HashingEncoder(16))
    analyzer = analyzer_for(ctx)
    skill_id = next(s for s in ctx.records.skills if len(analyzer.credit_sources(s)) >= 2)
    first, second = list(analyzer.credit_sources(skill_id))[:2]
    for a, b in [(first, second), (second, first)]:
        factor_a = analyzer.factor(analyzer.credit_sources(skill_id)[a])
        factor_b = analyzer.factor(analyzer.credit_sources(skill_id)[b])
        level_a = 2.0
        # b's credit beats a's by less than EPSILON: a, tried first, keeps it
        level_b = (level_a * factor_a + EPSILON / 2) / factor_b
        held = {a: level_a, b: level_b}
        assert analyzer.held_credit(held).credit(skill_id) == reference_credit(
            analyzer, held, skill_id
        )
        found = analyzer.held_credit(held).credit(skill_id)
        assert found is not None
        assert found.source_skill_id == a


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from([0.0, 0.0, 0.3, 0.5, 1.0, -0.2]),
            st.floats(-1.0, 6.0, allow_nan=False),
            st.sampled_from([0.0, 1e-12, 1.0, 2.0, 2.5, 3.0, 5.0]),
        ),
        max_size=12,
    )
)
def test_readiness_of_is_the_reference_formula(pairs: list[tuple[float, float, float]]) -> None:
    assert readiness_of(pairs) == reference_readiness(pairs)


@settings(max_examples=100, deadline=None)
@given(
    st.integers(0, 7),
    st.dictionaries(st.sampled_from([f"s{i}" for i in range(14)]), st.floats(0.0, 6.0)),
)
def test_readiness_with_is_the_reference_formula(seed: int, levels: dict[str, float]) -> None:
    ctx = random_context(seed)
    analyzer = analyzer_for(ctx)
    for employee in ctx.records.employees.values():
        report = analyzer.report(held_levels(employee), employee.role_id)
        expected = reference_readiness(
            (r.importance, max(r.current_level, levels.get(r.skill_id, 0.0)), r.required_level)
            for r in report.rows
        )
        assert report.readiness_with(levels) == expected


def test_readiness_with_counts_every_row_of_a_repeated_skill() -> None:
    row = SkillGap("sql", "SQL", 3.0, 1.0, 1.0, 2.0, 1.0, None, Provenance.DECLARED)
    other = SkillGap("py", "Python", 2.0, 0.0, 0.0, 2.0, 0.5, None, Provenance.DECLARED)
    report = GapReport(None, "r", "R", (row, other, row), readiness=0.0)
    expected = reference_readiness([(1.0, 3.0, 3.0), (0.5, 0.0, 2.0), (1.0, 3.0, 3.0)])
    assert report.readiness_with({"sql": 3.0}) == expected
    assert math.isclose(report.readiness_with({}), 100 * (2 / 3) / 2.5)


def test_readiness_checks_ids_like_a_report() -> None:
    ctx = tiny_context(HashingEncoder(16))
    analyzer = analyzer_for(ctx)
    role_id = next(iter(ctx.records.roles))
    with pytest.raises(KeyError, match="unknown skill"):
        analyzer.readiness({"no-such-skill": 2.0}, role_id)
    with pytest.raises(KeyError, match="unknown role"):
        analyzer.readiness({}, "no-such-role")
