"""Baselines: the shared contract for every baseline and target, and each baseline's rule."""

from __future__ import annotations

import numpy as np
import pytest
from recommend.recommender_contract import RecommenderContract
from recommend.synthetic import FULL_OFFER, tiny_context

from skillgraph.config import RetrievalSettings
from skillgraph.errors import ValidationError
from skillgraph.recommend.base import EngineContext, Query, Recommendation, Recommender
from skillgraph.recommend.baselines import (
    TARGETS,
    BaselineRecommender,
    EmbeddingOnlyRecommender,
    GraphOnlyRecommender,
    PopularityRecommender,
    RandomRecommender,
)
from skillgraph.recommend.gaps import analyze_gaps
from skillgraph.retrieval.encoder import HashingEncoder
from skillgraph.retrieval.index import build_index

BASELINES: tuple[type[BaselineRecommender], ...] = (
    RandomRecommender,
    PopularityRecommender,
    EmbeddingOnlyRecommender,
    GraphOnlyRecommender,
)
QUERIES = {
    "content": [Query(employee_id="ari", target_role_id="scientist"), Query(skill_ids=("sql",))],
    "mentors": [Query(employee_id="ari", target_role_id="scientist"), Query(skill_ids=("ml",))],
    "roles": [Query(employee_id="ari"), Query(employee_id="jo", k=4)],
}


def _contract_class(cls: type[BaselineRecommender], target: str) -> type:
    def make_recommender(self: RecommenderContract) -> Recommender:
        return cls(target=target)

    def contract_queries(self: RecommenderContract) -> list[Query]:
        return list(QUERIES[target])

    name = f"TestContract{cls.__name__}{target.title()}"
    return type(
        name,
        (RecommenderContract,),
        {"make_recommender": make_recommender, "contract_queries": contract_queries},
    )


for _cls in BASELINES:
    for _target in TARGETS:
        _made = _contract_class(_cls, _target)
        globals()[_made.__name__] = _made


@pytest.fixture(scope="module")
def ctx() -> EngineContext:
    return tiny_context(HashingEncoder(64))


def ids(recs: list[Recommendation]) -> list[str]:
    return [r.item_id for r in recs]


def test_unknown_target_is_refused() -> None:
    with pytest.raises(ValidationError):
        RandomRecommender(target="snacks")


def test_random_is_seeded(ctx: EngineContext) -> None:
    query = Query(employee_id="ari", k=16)
    first = RandomRecommender(seed=1).fit(ctx).recommend(query)
    again = RandomRecommender(seed=1).fit(ctx).recommend(query)
    other = RandomRecommender(seed=2).fit(ctx).recommend(query)
    assert ids(first) == ids(again)
    assert ids(first) != ids(other)
    assert set(ids(first)) == set(ctx.records.items)


def test_popularity_of_content_counts_positive_feedback(ctx: EngineContext) -> None:
    recs = PopularityRecommender("content").fit(ctx).recommend(Query(employee_id="ari", k=3))
    # v_sql1: accepted + useful; c_ml: accepted; c_stats only has a "not useful"
    assert ids(recs)[:2] == ["v_sql1", "c_ml"]


def test_popularity_of_roles_counts_observed_moves(ctx: EngineContext) -> None:
    rec = PopularityRecommender("roles").fit(ctx)
    top = ids(rec.recommend(Query(employee_id="jo", k=2)))
    # moves seen: into analyst (sam, pia), scientist (lena, sam), lead (lena), engineer (eli)
    assert set(top) == {"analyst", "scientist"}
    assert "analyst" not in ids(rec.recommend(Query(employee_id="ari", k=10)))  # current role


def test_popularity_of_mentors_and_hard_rules(ctx: EngineContext) -> None:
    rec = PopularityRecommender("mentors").fit(ctx)
    recs = rec.recommend(Query(employee_id="ari", k=10))
    assert ids(recs)[0] == "m_sam"  # accepted once, one mentee now
    assert not {FULL_OFFER, "m_lena", "m_rui", "m_ole"} & set(ids(recs))


def test_embedding_only_scores_are_cosines(ctx: EngineContext) -> None:
    rec = EmbeddingOnlyRecommender("content").fit(ctx)
    recs = rec.recommend(Query(skill_ids=("sql",), k=5))
    query = ctx.encoder.encode(["SQL"])[0]
    for r in recs:
        cosine = float(np.dot(query, ctx.index("items").vector(r.item_id)))
        assert r.score == pytest.approx(cosine, abs=1e-5)
    assert "sql" in {s.skill_id for s in ctx.item(recs[0].item_id).skills}


def test_graph_only_ranks_roles_by_readiness(ctx: EngineContext) -> None:
    recs = GraphOnlyRecommender("roles").fit(ctx).recommend(Query(employee_id="ari", k=10))
    readiness = {r: analyze_gaps(ctx, "ari", r).readiness for r in ctx.records.roles}
    expected = sorted((r for r in readiness if r != "analyst"), key=lambda r: (-readiness[r], r))
    assert ids(recs) == expected
    scientist = next(r for r in recs if r.item_id == "scientist")
    named = [g.skill_id for g in scientist.explanation.gaps]  # the first gaps to the role
    assert named == [g.skill_id for g in analyze_gaps(ctx, "ari", "scientist").gaps][:3]


def test_graph_only_prefers_direct_teachers(ctx: EngineContext) -> None:
    recs = GraphOnlyRecommender("content").fit(ctx).recommend(Query(skill_ids=("sql",), k=10))
    teaches_sql = [any(s.skill_id == "sql" for s in ctx.item(r.item_id).skills) for r in recs]
    assert teaches_sql[0]
    assert teaches_sql == sorted(teaches_sql, reverse=True)


def test_graph_only_mentors_cover_needs(ctx: EngineContext) -> None:
    recs = GraphOnlyRecommender("mentors").fit(ctx).recommend(Query(skill_ids=("ml",), k=10))
    assert ids(recs)[:2] in (["m_lena", "m_sam"], ["m_sam", "m_lena"])


@pytest.mark.model
def test_embedding_only_with_the_real_model(real_encoder: object) -> None:
    settings = RetrievalSettings()
    ctx = tiny_context(
        real_encoder,
        index_factory=lambda i, v: build_index(i, v, settings=settings),
    )
    recs = EmbeddingOnlyRecommender("content").fit(ctx).recommend(Query(skill_ids=("ml",), k=3))
    titles = [ctx.item(r.item_id).title.lower() for r in recs]
    assert any("machine learning" in t for t in titles[:2]), titles
