"""The tests every Recommender must pass, as a mixin.

Use it like this (any test directory; `tests/` is on sys.path through its conftest):

    from recommend.recommender_contract import RecommenderContract

    class TestMyRecommenderContract(RecommenderContract):
        def make_recommender(self) -> Recommender:
            return MyRecommender()

        def contract_queries(self) -> list[Query]:
            return [Query(employee_id="ari"), Query(employee_id="jo", k=3)]

`contract_queries` are queries that must return at least two results on the context of the
`contract_ctx` fixture (by default the tiny synthetic company with the hashing encoder; override
the fixture for another context).
"""

from __future__ import annotations

import math
from dataclasses import replace
from pathlib import Path

import pytest
from recommend.synthetic import tiny_context

from skillgraph.errors import NotFoundError, SkillgraphError, ValidationError
from skillgraph.recommend.base import EngineContext, Query, Recommendation, Recommender
from skillgraph.retrieval.encoder import HashingEncoder

UNKNOWN = "__no_such_id__"


def _key(recs: list[Recommendation]) -> list[tuple[str, float]]:
    return [(r.item_id, r.score) for r in recs]


class RecommenderContract:
    """Mix into a test class; define `make_recommender` and `contract_queries`."""

    def make_recommender(self) -> Recommender:
        raise NotImplementedError

    def contract_queries(self) -> list[Query]:
        raise NotImplementedError

    def unknown_queries(self) -> list[Query]:
        """Queries naming an id the context does not know; each must raise NotFoundError."""
        return [
            Query(employee_id=UNKNOWN),
            Query(role_id=UNKNOWN),
            Query(target_role_id=UNKNOWN),
            Query(skill_ids=(UNKNOWN,)),
        ]

    @pytest.fixture(scope="class")
    @classmethod
    def contract_ctx(cls) -> EngineContext:
        return tiny_context(HashingEncoder(64))

    @pytest.fixture
    def fitted(self, contract_ctx: EngineContext) -> Recommender:
        return self.make_recommender().fit(contract_ctx)

    # the contract -----------------------------------------------------------------------------
    def test_fit_returns_the_recommender(self, contract_ctx: EngineContext) -> None:
        rec = self.make_recommender()
        assert rec.fit(contract_ctx) is rec

    def test_recommend_before_fit_is_refused(self) -> None:
        with pytest.raises(SkillgraphError):
            self.make_recommender().recommend(self.contract_queries()[0])

    def test_contract_queries_give_results(self, fitted: Recommender) -> None:
        for query in self.contract_queries():
            assert len(fitted.recommend(query)) >= 2, query

    def test_k_is_respected(self, fitted: Recommender) -> None:
        for query in self.contract_queries():
            for k in (1, 2, 3):
                recs = fitted.recommend(replace(query, k=k))
                assert 1 <= len(recs) <= k, (query, k)

    def test_k_out_of_range_is_a_validation_error(
        self, fitted: Recommender, contract_ctx: EngineContext
    ) -> None:
        query = self.contract_queries()[0]
        for k in (0, -1, contract_ctx.settings.recommend.max_k + 1):
            with pytest.raises(ValidationError):
                fitted.recommend(replace(query, k=k))

    def test_no_item_is_listed_twice(self, fitted: Recommender) -> None:
        for query in self.contract_queries():
            ids = [r.item_id for r in fitted.recommend(query)]
            assert len(ids) == len(set(ids)), ids

    def test_scores_are_sorted_best_first(self, fitted: Recommender) -> None:
        for query in self.contract_queries():
            scores = [r.score for r in fitted.recommend(query)]
            assert all(math.isfinite(s) for s in scores)
            assert scores == sorted(scores, reverse=True), scores

    def test_kind_is_the_recommenders(self, fitted: Recommender) -> None:
        for query in self.contract_queries():
            assert {r.kind for r in fitted.recommend(query)} == {fitted.kind}

    def test_explanations_name_real_gaps(
        self, fitted: Recommender, contract_ctx: EngineContext
    ) -> None:
        for query in self.contract_queries():
            for rec in fitted.recommend(query):
                why = rec.explanation
                assert why.text.strip(), rec.item_id
                assert all(math.isfinite(v) for v in why.signals.values()), why.signals
                for gap in why.gaps:
                    assert contract_ctx.graph.has_skill(gap.skill_id), gap
                    assert gap.current_level < gap.required_level, gap
                    assert gap.skill_label == contract_ctx.graph.skill(gap.skill_id).label
                if why.counterfactual_readiness is not None:
                    before, after = why.counterfactual_readiness
                    assert 0.0 <= before <= after <= 100.0, why
                    assert why.counterfactual

    def test_same_query_same_answer(self, fitted: Recommender) -> None:
        for query in self.contract_queries():
            assert _key(fitted.recommend(query)) == _key(fitted.recommend(query))

    def test_save_and_load_give_identical_results(
        self, fitted: Recommender, contract_ctx: EngineContext, tmp_path: Path
    ) -> None:
        fitted.save(tmp_path / "saved")
        loaded = type(fitted).load(tmp_path / "saved", contract_ctx)
        assert loaded is not fitted
        assert loaded.name == fitted.name
        for query in self.contract_queries():
            assert _key(loaded.recommend(query)) == _key(fitted.recommend(query))

    def test_load_from_an_empty_folder_is_refused(
        self, contract_ctx: EngineContext, tmp_path: Path
    ) -> None:
        with pytest.raises(SkillgraphError):
            type(self.make_recommender()).load(tmp_path, contract_ctx)

    def test_unknown_ids_raise_not_found(self, fitted: Recommender) -> None:
        for query in self.unknown_queries():
            with pytest.raises(NotFoundError):
                fitted.recommend(query)
