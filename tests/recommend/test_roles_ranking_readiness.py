"""Next roles rank every candidate by readiness alone and build gap reports only for the ones
returned: the answers equal those of ranking on full gap reports, field for field."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

import pytest
from recommend.random_world import random_context
from recommend.synthetic import context_for, tiny_records

from skillgraph.recommend.base import EngineContext, Query, Recommendation
from skillgraph.recommend.gaps import GapAnalyzer
from skillgraph.recommend.roles import RoleRecommender
from skillgraph.retrieval.encoder import HashingEncoder


def queries(ctx: EngineContext) -> list[Query]:
    found: list[Query] = []
    for k in (1, 3, 10):
        found += [Query(employee_id=e, k=k) for e in ctx.records.employees]
        found += [Query(role_id=r, k=k) for r in ctx.records.roles]
    found += [Query(employee_id=e, filters={"min_readiness": 40}) for e in ctx.records.employees]
    found += [
        Query(role_id=r, filters={"moves": ["up", "lateral", "down"]}) for r in ctx.records.roles
    ]
    return found


def answers(ctx: EngineContext, *, full_reports: bool) -> list[list[Recommendation] | str]:
    recommender = RoleRecommender().fit(ctx)
    analyzer = GapAnalyzer(ctx.graph, ctx.settings.recommend)
    if full_reports:
        # every candidate's readiness read off its full report, as first written
        def readiness(held: Mapping[str, float], role_id: str) -> float:
            return analyzer.report(held, role_id).readiness

        analyzer.readiness = readiness  # type: ignore[method-assign]
    recommender._analyzer = analyzer
    found: list[list[Recommendation] | str] = []
    for query in queries(ctx):
        try:
            found.append(recommender.recommend(query))
        except KeyError as exc:  # the same errors either way
            found.append(str(exc))
    return found


@pytest.mark.parametrize("seed", range(6))
def test_ranking_on_readiness_equals_ranking_on_full_reports(seed: int) -> None:
    ctx = random_context(seed)
    fast = answers(ctx, full_reports=False)
    assert fast == answers(ctx, full_reports=True)
    assert any(isinstance(a, list) and a for a in fast)  # the worlds do have moves


def test_interests_of_every_kind_rank_the_same() -> None:
    records = tiny_records()
    role_id, skill_id = sorted(records.roles)[-1], sorted(records.skills)[0]
    for n, employee_id in enumerate(sorted(records.employees)):
        interests = [(role_id,), (skill_id, "machine learning"), ("leading a team",), ()][n % 4]
        records.employees[employee_id] = replace(
            records.employees[employee_id], interests=interests
        )
    ctx = context_for(records, HashingEncoder(64))
    assert answers(ctx, full_reports=False) == answers(ctx, full_reports=True)


def test_only_returned_roles_get_a_gap_report() -> None:
    ctx = random_context(3)
    recommender = RoleRecommender().fit(ctx)
    reported: list[str] = []
    analyzer = GapAnalyzer(ctx.graph, ctx.settings.recommend)
    plain_report = analyzer.report

    def counting(held: Mapping[str, float], role_id: str, **kwargs: Any) -> Any:
        reported.append(role_id)
        return plain_report(held, role_id, **kwargs)

    analyzer.report = counting  # type: ignore[method-assign]
    recommender._analyzer = analyzer
    for role_id in ctx.records.roles:
        reported.clear()
        found = recommender.recommend(Query(role_id=role_id, k=1))
        assert reported == [r.item_id for r in found]
