"""Bootstrap intervals and paired tests: correct where known, seeded, deterministic."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from evaluation.significance import (
    bootstrap_ci,
    compare,
    holm,
    randomisation_test,
    wilcoxon_p,
    with_holm,
)
from skillgraph.errors import ValidationError


@settings(max_examples=40, deadline=None)
@given(st.lists(st.floats(min_value=0.0, max_value=1.0), min_size=1, max_size=60))
def test_bootstrap_interval_contains_the_mean(values: list[float]) -> None:
    interval = bootstrap_ci(values, resamples=300, seed=3)
    assert interval.mean == pytest.approx(float(np.mean(values)))
    assert interval.low <= interval.mean <= interval.high


def test_bootstrap_is_deterministic_under_a_seed() -> None:
    values = np.random.default_rng(0).random(40)
    first = bootstrap_ci(values, seed=11)
    assert bootstrap_ci(values, seed=11) == first
    assert bootstrap_ci(values, seed=12) != first  # the seed is really used
    assert first.low < first.mean < first.high


def test_bootstrap_interval_narrows_with_more_queries() -> None:
    rng = np.random.default_rng(1)
    small = bootstrap_ci(rng.random(20), seed=0)
    large = bootstrap_ci(rng.random(2000), seed=0)
    assert (large.high - large.low) < (small.high - small.low)


def test_constant_and_empty_samples_have_zero_width() -> None:
    assert bootstrap_ci([0.4] * 10) == bootstrap_ci([0.4])
    interval = bootstrap_ci([0.4] * 10)
    assert interval.low == interval.high == pytest.approx(0.4)
    assert bootstrap_ci([]).mean == 0.0


def test_bad_parameters_are_rejected() -> None:
    with pytest.raises(ValidationError):
        bootstrap_ci([0.1, 0.2], confidence=1.5)
    with pytest.raises(ValidationError):
        randomisation_test([0.1], [0.1, 0.2])


def test_clear_difference_is_significant_and_no_difference_is_not() -> None:
    rng = np.random.default_rng(5)
    baseline = rng.random(40) * 0.5
    better = baseline + 0.3 + rng.random(40) * 0.05
    assert randomisation_test(better, baseline, seed=1) < 0.01
    assert wilcoxon_p(better, baseline) < 0.01
    assert randomisation_test(baseline, baseline) == 1.0
    assert wilcoxon_p(baseline, baseline) == 1.0
    noise = baseline + rng.normal(0, 0.01, 40)
    assert randomisation_test(noise, baseline, seed=1) > 0.01
    assert randomisation_test(better, baseline, seed=9) == randomisation_test(
        better, baseline, seed=9
    )


def test_holm_adjustment_matches_the_textbook_example() -> None:
    assert holm([0.01, 0.04, 0.03]) == pytest.approx([0.03, 0.06, 0.06])
    assert holm([0.5]) == [0.5]
    assert holm([0.6, 0.7]) == pytest.approx([1.0, 1.0])


def test_compare_pairs_queries_by_id_and_holm_fills_families() -> None:
    engine = {"a": 1.0, "b": 1.0, "c": 0.0, "only-engine": 1.0}
    base = {"c": 0.0, "b": 0.0, "a": 0.0}
    result = compare("engine", "random", "mrr", engine, base, resamples=500, seed=2)
    assert result.n == 3
    assert result.difference == pytest.approx(2.0 / 3.0)
    assert result.ci_low <= result.difference <= result.ci_high
    other = compare("engine", "popularity", "mrr", engine, engine, resamples=500, seed=2)
    adjusted = with_holm([result, other])
    assert adjusted[0].p_holm == pytest.approx(min(1.0, 2 * result.p_randomisation))
    assert adjusted[1].p_holm == 1.0
