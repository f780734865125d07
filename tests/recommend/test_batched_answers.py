"""Queries answered together (`recommend_many`, a career path's hops) answer as one at a time.

ContentRecommender and MentorRecommender score the queries of one mentee and filters in one
pass (need_grid.py, content_table.score_items_many, mentor_table.score_offers_many), padding the
needs to the widest query. The answers must be exactly those of `recommend` per query: same ids
in the same order and equal numbers (padding only adds zeros), on random small companies.
"""

from __future__ import annotations

import random
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from recommend.random_world import random_context
from recommend.test_vectorised_paths import CONTENT_FILTERS, MENTOR_FILTERS, plain

from skillgraph.errors import ValidationError
from skillgraph.recommend.base import EngineContext, Query, Recommender
from skillgraph.recommend.content import ContentRecommender
from skillgraph.recommend.gaps import analyzer_for
from skillgraph.recommend.mentors import MentorRecommender
from skillgraph.recommend.needs import needs_for
from skillgraph.recommend.paths import PathFinder
from skillgraph.recommend.transition_build import build_transitions

SEEDS = st.integers(min_value=0, max_value=1_000_000)


def mixed_queries(
    ctx: EngineContext, rng: random.Random, filters: list[dict[str, Any]]
) -> list[Query]:
    """Per employee a few hop-like queries (a target role, some skills) sharing filters, mixed
    with queries of other filters, other subjects, and one that is refused (k=0)."""
    records = ctx.records
    roles, skills = sorted(records.roles), sorted(records.skills)
    found = []
    for emp in list(records.employees.values())[:6]:
        shared = rng.choice(filters)
        for _ in range(rng.randrange(1, 5)):
            gaps = tuple(rng.sample(skills, rng.randrange(1, 5)))
            target = rng.choice(roles)
            found.append(
                Query(employee_id=emp.id, target_role_id=target, skill_ids=gaps, filters=shared)
            )
        found.append(Query(employee_id=emp.id, k=rng.randrange(1, 6), filters=rng.choice(filters)))
    found.append(Query(role_id=roles[0], target_role_id=roles[-1], k=5))
    found.append(Query(skill_ids=(skills[0],), filters={"target_level": 4.0}))
    found.append(Query(skill_ids=(skills[0],), k=0))
    rng.shuffle(found)
    return found


def one_at_a_time(recommender: Recommender, query: Query) -> list[Any]:
    try:
        return plain(recommender.recommend(query))
    except ValidationError:
        return []


def check_many(recommender: Any, ctx: EngineContext, found: list[Query]) -> None:
    expected = [one_at_a_time(recommender, q) for q in found]
    assert plain(recommender.recommend_many(found)) == expected
    valid = [q for q in found if q.k >= 1]
    needs = [needs_for(ctx, q, analyzer_for(ctx)) for q in valid]
    with_needs = recommender.recommend_many(valid, needs)
    assert plain(with_needs) == [one_at_a_time(recommender, q) for q in valid]


@settings(max_examples=25, deadline=None)
@given(seed=SEEDS)
def test_content_many_equals_one_at_a_time(seed: int) -> None:
    ctx = random_context(seed)
    found = mixed_queries(ctx, random.Random(seed), CONTENT_FILTERS)
    check_many(ContentRecommender().fit(ctx), ctx, found)
    check_many(ContentRecommender(vectorised=False).fit(ctx), ctx, found)


@settings(max_examples=25, deadline=None)
@given(seed=SEEDS)
def test_mentors_many_equals_one_at_a_time(seed: int) -> None:
    ctx = random_context(seed)
    found = mixed_queries(ctx, random.Random(seed), MENTOR_FILTERS)
    check_many(MentorRecommender().fit(ctx), ctx, found)
    check_many(MentorRecommender(vectorised=False).fit(ctx), ctx, found)


@settings(max_examples=15, deadline=None)
@given(seed=SEEDS)
def test_path_hops_list_what_their_query_gets_alone(seed: int) -> None:
    ctx = random_context(seed)
    content, mentors = ContentRecommender().fit(ctx), MentorRecommender().fit(ctx)
    finder = PathFinder(build_transitions(ctx, top_n=3), ctx, content, mentors)
    for emp in list(ctx.records.employees.values())[:4]:
        for path in finder.explore(None, max_hops=3, limit=5, employee_id=emp.id, moves=None):
            for hop in path.hops:
                gap_ids = tuple(r.skill_id for r in hop.gaps.gaps)
                if not gap_ids:
                    assert hop.content == ()
                    assert hop.mentors == ()
                    continue
                query = Query(
                    employee_id=emp.id, target_role_id=hop.to_role, skill_ids=gap_ids, k=3
                )
                assert plain(list(hop.content)) == one_at_a_time(content, query)
                assert plain(list(hop.mentors)) == one_at_a_time(mentors, query)
    bare = finder.explore(None, max_hops=3, limit=5, employee_id=emp.id, moves=None, details=False)
    assert all(h.content == () and h.mentors == () for p in bare for h in p.hops)
