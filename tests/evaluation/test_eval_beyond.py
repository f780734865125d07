"""Beyond-accuracy metrics on small cases with known answers."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from evaluation.beyond import (
    capacity_utilisation,
    catalog_coverage,
    exposure,
    gini,
    group_parity,
    intra_list_diversity,
    novelty,
    unmatched_rate,
)


def test_gini_of_equal_exposure_is_zero_and_all_on_one_is_near_one() -> None:
    assert gini([3, 3, 3, 3]) == pytest.approx(0.0)
    assert gini([0] * 999 + [10]) == pytest.approx(999 / 1000)
    assert gini([0] * 999 + [10]) > 0.99
    assert gini([]) == 0.0
    assert gini([0, 0]) == 0.0


@settings(max_examples=50, deadline=None)
@given(
    st.lists(st.integers(min_value=0, max_value=50), min_size=1, max_size=40),
    st.integers(min_value=1, max_value=7),
)
def test_gini_is_bounded_and_scale_free(values: list[int], scale: int) -> None:
    g = gini(values)
    assert 0.0 <= g < 1.0
    assert gini([v * scale for v in values]) == pytest.approx(g, abs=1e-9)


def test_gini_grows_as_exposure_concentrates() -> None:
    assert gini([1, 2, 3, 4]) < gini([0, 0, 1, 9])


def test_catalog_coverage_counts_distinct_items_in_top_k() -> None:
    ranked = {"q1": ["a", "b", "c"], "q2": ["a", "d"]}
    assert catalog_coverage(ranked, ["a", "b", "c", "d", "e"], k=2) == pytest.approx(3 / 5)
    assert catalog_coverage(ranked, [], k=2) == 0.0


def test_intra_list_diversity_is_zero_for_identical_and_one_for_orthogonal() -> None:
    vectors = {
        "a": np.array([1.0, 0.0]),
        "a2": np.array([2.0, 0.0]),
        "b": np.array([0.0, 1.0]),
    }
    assert intra_list_diversity({"q": ["a", "a2"]}, vectors.get, k=5) == pytest.approx(0.0)
    assert intra_list_diversity({"q": ["a", "b"]}, vectors.get, k=5) == pytest.approx(1.0)
    assert intra_list_diversity({"q": ["a", "unknown"]}, vectors.get, k=5) is None


def test_novelty_is_mean_self_information_with_laplace_smoothing() -> None:
    counts = {"hit": 6.0, "rare": 0.0}
    # total 6, catalog 2 -> p(hit) = 7/8, p(rare) = 1/8
    value = novelty({"q": ["hit", "rare"]}, counts, catalog_size=2, k=2)
    assert value == pytest.approx((-math.log2(7 / 8) - math.log2(1 / 8)) / 2)
    assert novelty({"q": ["rare"]}, counts, 2, 1) > novelty({"q": ["hit"]}, counts, 2, 1)
    assert novelty({"q": []}, counts, 2, 1) is None


def test_exposure_includes_catalog_items_never_shown() -> None:
    shown = exposure({"q1": ["m1", "m2"], "q2": ["m1"]}, k=1, catalog=["m1", "m2", "m3"])
    assert shown == {"m1": 2, "m2": 0, "m3": 0}


def test_capacity_utilisation_from_first_choices() -> None:
    ranked = {"e1": ["m1"], "e2": ["m1"], "e3": ["m1"], "e4": ["m2"], "e5": []}
    report = capacity_utilisation(ranked, {"m1": 2, "m2": 2, "m3": 1})
    assert report.utilisation == pytest.approx(3 / 5)  # m1 full (2), m2 one of two
    assert report.overloaded_share == pytest.approx(1 / 3)  # m1
    assert report.unserved_share == pytest.approx(1 / 4)  # one of four asks m1 beyond capacity


def test_unmatched_rate_and_group_parity() -> None:
    assert unmatched_rate({"a": ["x"], "b": []}, ["a", "b", "c"]) == pytest.approx(2 / 3)
    parity = group_parity(
        "department",
        {"a": 1.0, "b": 0.5, "c": 0.0, "d": 0.2},
        {"a": "Data", "b": "Data", "c": "Sales", "d": ""},
    )
    assert parity.groups == {"Data": (0.75, 2), "Sales": (0.0, 1)}
    assert parity.max_gap == pytest.approx(0.75)
    assert (parity.best, parity.worst) == ("Data", "Sales")
    assert group_parity("x", {}, {}).max_gap == 0.0


def test_small_groups_are_listed_but_never_named_best_or_worst() -> None:
    scores = {"a": 0.9, "b": 0.7, "c": 0.5, "d": 0.0, "e": 1.0}
    groups = {"a": "Data", "b": "Data", "c": "Data", "d": "Sales", "e": "Legal"}
    parity = group_parity("department", scores, groups, min_size=2)
    assert set(parity.groups) == {"Data", "Sales", "Legal"}
    assert (parity.best, parity.worst, parity.max_gap) == ("Data", "Data", 0.0)
    assert parity.to_dict()["min_size"] == 2
    everyone = group_parity("department", scores, groups)
    assert (everyone.best, everyone.worst) == ("Legal", "Sales")
    assert everyone.max_gap == pytest.approx(1.0)
