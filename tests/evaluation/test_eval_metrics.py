"""Ranking metrics through ranx, checked against hand-computed values and sklearn."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.metrics import ndcg_score

from evaluation.metrics import (
    evaluate,
    judged_queries,
    max_cutoff,
    mean_scores,
    normalise_metrics,
    parse_metric,
    ranked_to_run,
)
from skillgraph.errors import ValidationError

QRELS = {"q1": {"a": 2, "b": 1, "c": 0}, "q2": {"x": 1}}
RANKED = {"q1": ["b", "z", "a"], "q2": ["y", "x"]}


def test_precision_recall_mrr_hit_rate_match_hand_computed_values() -> None:
    scores = evaluate(QRELS, RANKED, ["precision@2", "recall@2", "mrr", "hit_rate@1", "map@3"])
    assert scores["precision@2"] == {"q1": 0.5, "q2": 0.5}  # one hit in two, both queries
    assert scores["recall@2"] == {"q1": 0.5, "q2": 1.0}  # b of {a, b}; x of {x}
    assert scores["mrr"] == {"q1": 1.0, "q2": 0.5}
    assert scores["hit_rate@1"] == {"q1": 1.0, "q2": 0.0}
    # AP q1: relevant at ranks 1 and 3 -> (1/1 + 2/3) / 2
    assert scores["map@3"]["q1"] == pytest.approx((1.0 + 2.0 / 3.0) / 2.0)


def test_ndcg_uses_linear_gain_like_sklearn() -> None:
    scores = evaluate(QRELS, RANKED, ["ndcg@3", "ndcg_burges@3"])
    # linear gain: DCG = 1/log2(2) + 0 + 2/log2(4); IDCG = 2/log2(2) + 1/log2(3)
    dcg = 1.0 + 2.0 / math.log2(4)
    idcg = 2.0 + 1.0 / math.log2(3)
    assert scores["ndcg@3"]["q1"] == pytest.approx(dcg / idcg)
    items = ["a", "b", "c", "z"]
    y_true = np.array([[2, 1, 0, 0]])
    y_score = np.array([[1.0, 3.0, 0.0, 2.0]])  # ranking b, z, a, c
    assert scores["ndcg@3"]["q1"] == pytest.approx(ndcg_score(y_true, y_score, k=3))
    assert len(items) == y_true.shape[1]
    # exponential gain weighs the grade-2 item more, so the late hit costs more
    assert scores["ndcg_burges@3"]["q1"] < scores["ndcg@3"]["q1"]


@settings(max_examples=40, deadline=None)
@given(
    grades=st.lists(st.integers(min_value=0, max_value=3), min_size=2, max_size=12),
    seed=st.integers(min_value=0, max_value=10_000),
    k=st.integers(min_value=1, max_value=12),
)
def test_ndcg_agrees_with_sklearn_on_random_rankings(grades: list[int], seed: int, k: int) -> None:
    if not any(grades):
        grades = [*grades[:-1], 1]
    items = [f"i{n}" for n in range(len(grades))]
    order = np.random.default_rng(seed).permutation(len(items))
    ranked = {"q": [items[i] for i in order]}
    qrels = {"q": dict(zip(items, grades, strict=True))}
    ours = evaluate(qrels, ranked, [f"ndcg@{k}"])[f"ndcg@{k}"]["q"]
    y_score = np.zeros(len(items))
    y_score[order] = np.arange(len(items), 0, -1)  # first ranked gets the highest score
    expected = ndcg_score(np.array([grades]), np.array([y_score]), k=k)
    assert ours == pytest.approx(expected, abs=1e-9)


def test_unanswered_query_scores_zero_and_unjudged_queries_are_left_out() -> None:
    qrels = {"q1": {"a": 1}, "q2": {"b": 1}, "q3": {"c": 0}}
    scores = evaluate(qrels, {"q1": ["a"], "extra": ["a"]}, ["ndcg@5", "mrr"])
    assert scores["ndcg@5"] == {"q1": 1.0, "q2": 0.0}
    assert judged_queries(qrels) == ["q1", "q2"]
    assert mean_scores(scores) == {"ndcg@5": 0.5, "mrr": 0.5}


def test_query_order_does_not_change_scores() -> None:
    forward = evaluate(QRELS, RANKED, ["ndcg@3"])
    backward = evaluate(dict(reversed(QRELS.items())), dict(reversed(RANKED.items())), ["ndcg@3"])
    assert forward == backward


def test_ranked_to_run_keeps_rank_order_without_ties_and_drops_repeats() -> None:
    run = ranked_to_run({"q": ["b", "a", "b", "c"]}, ["q", "empty"])
    assert list(run["q"]) == ["b", "a", "c"]
    assert run["q"]["b"] > run["q"]["a"] > run["q"]["c"]
    assert len(run["empty"]) == 1  # a placeholder that is never relevant


@pytest.mark.parametrize("name", ["ndcg", "precision", "foo@3", "ndcg@0", "recall@x", ""])
def test_bad_metric_names_are_rejected(name: str) -> None:
    with pytest.raises(ValidationError):
        parse_metric(name)


def test_metric_names_are_normalised_and_cutoffs_found() -> None:
    assert normalise_metrics(["NDCG@10", "mrr", "ndcg@10", "map"]) == ["ndcg@10", "mrr", "map"]
    assert max_cutoff(["ndcg@10", "recall@20", "mrr"]) == 20
    assert max_cutoff(["mrr"], default=7) == 7
