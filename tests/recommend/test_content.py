"""Learning content: gap closing, prerequisites first, filters, MMR diversity, explanations."""

from __future__ import annotations

import numpy as np
import pytest
from recommend.recommender_contract import RecommenderContract
from recommend.synthetic import tiny_context

from skillgraph.config import RetrievalSettings
from skillgraph.errors import ValidationError
from skillgraph.recommend.base import EngineContext, Query, Recommendation, Recommender
from skillgraph.recommend.content import ContentRecommender
from skillgraph.recommend.gaps import analyze_gaps, held_levels
from skillgraph.retrieval.encoder import HashingEncoder
from skillgraph.retrieval.index import build_index

K = 20


@pytest.fixture(scope="module")
def ctx() -> EngineContext:
    return tiny_context(HashingEncoder(64))


@pytest.fixture(scope="module")
def content(ctx: EngineContext) -> ContentRecommender:
    return ContentRecommender().fit(ctx)


def ask(rec: ContentRecommender, **kwargs: object) -> list[Recommendation]:
    kwargs.setdefault("k", K)
    return rec.recommend(Query(**kwargs))  # type: ignore[arg-type]


def ids(recs: list[Recommendation]) -> list[str]:
    return [r.item_id for r in recs]


class TestContentContract(RecommenderContract):
    def make_recommender(self) -> Recommender:
        return ContentRecommender()

    def contract_queries(self) -> list[Query]:
        return [
            Query(employee_id="ari", target_role_id="scientist"),
            Query(skill_ids=("sql",)),
            Query(role_id="analyst", target_role_id="scientist", k=5),
        ]


def test_items_close_gaps_of_ari(ctx: EngineContext, content: ContentRecommender) -> None:
    recs = ask(content, employee_id="ari", target_role_id="scientist")
    gaps = {g.skill_id for g in analyze_gaps(ctx, "ari", "scientist").gaps}
    assert recs
    for rec in recs:
        named = {g.skill_id for g in rec.explanation.gaps}
        if not rec.payload["prerequisite_for"]:
            assert named, rec.item_id
            assert named <= gaps, rec.item_id
    assert "w_viz" not in ids(recs)  # visualisation is no gap for a Data Scientist


def test_known_skills_are_not_taught_again(ctx: EngineContext, content: ContentRecommender) -> None:
    sam = held_levels(ctx.employee("sam"))
    recs = ask(content, employee_id="sam", target_role_id="lead_scientist")
    assert recs
    for rec in recs:
        taught = ctx.item(rec.item_id).skills
        assert any(sam.get(t.skill_id, 0.0) < t.level for t in taught), rec.item_id
    assert "c_py_adv" not in ids(recs)  # Sam holds Python 4 already


def test_prerequisite_items_come_first(content: ContentRecommender) -> None:
    recs = ask(content, employee_id="ari", target_role_id="scientist")
    order = ids(recs)
    assert "c_ml" in order
    ml = recs[order.index("c_ml")]
    helpers = ml.payload["requires_first"]
    assert "c_py_adv" in helpers
    assert "c_py_basics" in helpers
    assert helpers.index("c_py_basics") < helpers.index("c_py_adv")
    for helper in helpers:
        assert order.index(helper) < order.index("c_ml")
    for rec in recs:
        for helper in rec.payload["requires_first"]:
            if helper in order:
                assert order.index(helper) < order.index(rec.item_id)


def test_prerequisite_chain_takes_the_dependents_score(content: ContentRecommender) -> None:
    recs = ask(content, employee_id="ari", target_role_id="scientist")
    by_id = {r.item_id: r for r in recs}
    ml = by_id["c_ml"]
    for helper in ml.payload["requires_first"]:
        assert by_id[helper].score >= ml.score
        assert "c_ml" in by_id[helper].payload["prerequisite_for"] or any(
            "c_ml" in by_id[h].payload["prerequisite_for"]
            for h in by_id[helper].payload["prerequisite_for"]
            if h in by_id
        )
    basics = by_id["c_py_basics"]
    assert "Advanced Python" in basics.explanation.text  # "take it before Advanced Python"


def test_unmet_prerequisite_without_teacher_is_demoted(content: ContentRecommender) -> None:
    # only courses, and no Python course: nothing can teach Machine learning's Python 3 first
    filters = {"modality": "course", "exclude": ["c_py_adv", "c_py_basics"]}
    recs = ask(content, employee_id="ari", target_role_id="scientist", filters=filters)
    ml = next(r for r in recs if r.item_id == "c_ml")
    assert {"skill_id": "python", "level": 3.0} in ml.payload["unmet_prerequisites"]
    assert ml.explanation.signals["prerequisite_penalty"] == 0.5
    assert "Python 3 first" in ml.explanation.text
    free = next(r for r in ask(content, employee_id="ari", target_role_id="scientist")
                if r.item_id == "c_ml")  # fmt: skip
    assert free.explanation.signals["relevance"] > ml.explanation.signals["relevance"]


def test_modality_and_duration_filters(ctx: EngineContext, content: ContentRecommender) -> None:
    plain = ask(content, employee_id="ari", target_role_id="scientist")
    assert {r.payload["modality"] for r in plain} != {"video"}
    assert max(r.payload["duration_hours"] for r in plain) > 5
    videos = ask(content, employee_id="ari", target_role_id="scientist",
                 filters={"modality": "video"})  # fmt: skip
    assert videos
    assert {r.payload["modality"] for r in videos} == {"video"}
    short = ask(content, employee_id="ari", target_role_id="scientist",
                filters={"max_duration_hours": 5})  # fmt: skip
    assert short
    assert all(ctx.item(r.item_id).duration_hours <= 5 for r in short)
    both = ask(content, employee_id="ari", target_role_id="scientist",
               filters={"modality": ["course", "project"]})  # fmt: skip
    assert {r.payload["modality"] for r in both} <= {"course", "project"}


def test_channel_filter(content: ContentRecommender) -> None:
    recs = ask(content, employee_id="ari", target_role_id="scientist",
               filters={"channel": "experience"})  # fmt: skip
    assert recs
    assert {r.payload["channel"] for r in recs} == {"experience"}


def test_mmr_spreads_the_list(ctx: EngineContext, content: ContentRecommender) -> None:
    def first_two_cosine(recs: list[Recommendation]) -> float:
        a, b = (ctx.index("items").vector(r.item_id) for r in recs[:2])
        return float(np.dot(a, b))

    relevance_only = ask(content, skill_ids=("sql",), k=3, filters={"mmr_lambda": 1.0})
    assert set(ids(relevance_only)[:2]) == {"v_sql1", "v_sql2"}  # the two near-copies
    diverse = ask(content, skill_ids=("sql",), k=3, filters={"mmr_lambda": 0.3})
    assert len(set(ids(diverse)[:2]) & {"v_sql1", "v_sql2"}) == 1
    assert first_two_cosine(diverse) < first_two_cosine(relevance_only)
    rel = [r.explanation.signals["relevance"] for r in relevance_only]
    assert rel == sorted(rel, reverse=True)


def test_skill_only_query(content: ContentRecommender) -> None:
    recs = ask(content, skill_ids=("sql",))
    assert recs
    assert all("sql" in r.payload["reaches"] for r in recs)
    assert all(r.explanation.counterfactual is None for r in recs)  # no role, no readiness
    at_four = ask(content, skill_ids=("sql",), filters={"target_level": 4})
    assert ids(at_four)[0] == "a_sql"  # the only item that reaches SQL 4


def test_explanations_say_from_and_to(content: ContentRecommender) -> None:
    recs = ask(content, employee_id="ari", target_role_id="scientist")
    sql = next(r for r in recs if r.item_id == "v_sql1")
    assert "SQL 2 -> 3" in sql.explanation.text
    cf = sql.explanation.counterfactual_readiness
    assert cf is not None
    assert cf[1] > cf[0]
    assert sql.explanation.counterfactual
    assert "Data Scientist" in sql.explanation.counterfactual


def test_untagged_items_match_by_meaning(ctx: EngineContext) -> None:
    loose = ContentRecommender(semantic_threshold=0.1).fit(ctx)
    recs = ask(loose, skill_ids=("ml",))
    found = {r.item_id: r for r in recs}
    assert "u_ml_article" in found
    assert found["u_ml_article"].payload["semantic_match"] is True
    strict = ContentRecommender(semantic_threshold=0.99).fit(ctx)
    assert "u_ml_article" not in ids(ask(strict, skill_ids=("ml",)))


def test_bad_filters_are_refused(content: ContentRecommender) -> None:
    for filters in (
        {"modality": "hologram"},
        {"channel": "osmosis"},
        {"max_duration_hours": -1},
        {"mmr_lambda": 2},
        {"colour": "blue"},
    ):
        with pytest.raises(ValidationError):
            ask(content, employee_id="ari", filters=filters)
    with pytest.raises(ValidationError):
        ContentRecommender(mmr_lambda=1.5)
    with pytest.raises(ValidationError):
        ask(content)  # nothing to recommend for


@pytest.mark.model
def test_real_model_with_faiss_matches_exact(real_encoder: object) -> None:
    settings = RetrievalSettings()
    faiss_ctx = tiny_context(
        real_encoder,
        index_factory=lambda i, v: build_index(i, v, settings=settings),
    )
    exact_ctx = tiny_context(real_encoder)
    query = Query(employee_id="ari", target_role_id="scientist", k=8)
    faiss_recs = ContentRecommender().fit(faiss_ctx).recommend(query)
    exact_recs = ContentRecommender().fit(exact_ctx).recommend(query)
    assert ids(faiss_recs) == ids(exact_recs)
    assert [r.score for r in faiss_recs] == pytest.approx([r.score for r in exact_recs], abs=1e-4)
    untagged = ContentRecommender().fit(faiss_ctx).recommend(Query(skill_ids=("ml",), k=20))
    assert "u_ml_article" in ids(untagged)  # the model sees the article is about ML
