"""Confidence intervals and paired significance tests over per-query scores.

All resampling is seeded (numpy default_rng), so the same inputs give the same numbers.

- `bootstrap_ci`: percentile bootstrap of the mean, resampling queries with replacement.
- `randomisation_test`: paired sign-flip permutation test of the mean difference (two-sided),
  p = (1 + #{|mean(flipped)| >= |mean(observed)|}) / (1 + resamples), never exactly 0.
- `wilcoxon_p`: scipy's Wilcoxon signed-rank test (zero differences dropped; p = 1 when every
  difference is zero).
- `holm`: Holm-Bonferroni adjustment, for one system compared with several baselines.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, replace
from typing import Any

import numpy as np

from skillgraph.errors import ValidationError

DEFAULT_RESAMPLES = 2000
DEFAULT_CONFIDENCE = 0.95


@dataclass(frozen=True)
class Interval:
    mean: float
    low: float
    high: float


@dataclass(frozen=True)
class Comparison:
    """A system against a baseline on one metric, paired over the same queries."""

    system: str
    baseline: str
    metric: str
    n: int
    system_mean: float
    baseline_mean: float
    difference: float  # system - baseline
    ci_low: float  # bootstrap CI of the difference
    ci_high: float
    p_randomisation: float
    p_wilcoxon: float
    p_holm: float = 1.0  # randomisation p adjusted over the baselines of this system and metric

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def bootstrap_ci(
    values: Sequence[float] | np.ndarray,
    *,
    resamples: int = DEFAULT_RESAMPLES,
    confidence: float = DEFAULT_CONFIDENCE,
    seed: int = 0,
) -> Interval:
    """Mean and percentile-bootstrap interval; an empty sample gives (0, 0, 0)."""
    data = _as_array(values)
    _check(resamples, confidence)
    if data.size == 0:
        return Interval(0.0, 0.0, 0.0)
    mean = float(data.mean())
    if data.size == 1 or np.all(data == data[0]):
        return Interval(mean, mean, mean)
    means = _resampled_means(data, resamples, seed)
    tail = (1.0 - confidence) / 2.0
    low, high = np.quantile(means, [tail, 1.0 - tail])
    # the percentile interval can miss the mean by float noise on tiny samples
    return Interval(mean, float(min(low, mean)), float(max(high, mean)))


def randomisation_test(
    a: Sequence[float] | np.ndarray,
    b: Sequence[float] | np.ndarray,
    *,
    resamples: int = DEFAULT_RESAMPLES,
    seed: int = 0,
) -> float:
    """Two-sided p-value of the paired mean difference under random sign flips."""
    diff = _paired(a, b)
    if diff.size == 0 or not np.any(diff):
        return 1.0
    rng = np.random.default_rng(seed)
    observed = abs(float(diff.mean()))
    signs = rng.choice(np.array([-1.0, 1.0]), size=(resamples, diff.size))
    flipped = np.abs((signs * diff).mean(axis=1))
    extreme = int(np.count_nonzero(flipped >= observed - 1e-12))
    return (1 + extreme) / (1 + resamples)


def wilcoxon_p(a: Sequence[float] | np.ndarray, b: Sequence[float] | np.ndarray) -> float:
    """Two-sided Wilcoxon signed-rank p-value (1.0 when there is nothing to test)."""
    from scipy.stats import wilcoxon

    diff = _paired(a, b)
    nonzero = diff[diff != 0]
    if nonzero.size == 0:
        return 1.0
    with warnings.catch_warnings():
        # small samples with ties: scipy notes it switches to the normal approximation
        warnings.simplefilter("ignore", UserWarning)
        warnings.simplefilter("ignore", RuntimeWarning)
        result = wilcoxon(nonzero)
    p = float(result.pvalue)
    return 1.0 if np.isnan(p) else p


def holm(pvalues: Sequence[float]) -> list[float]:
    """Holm-Bonferroni adjusted p-values, in the input order."""
    m = len(pvalues)
    order = sorted(range(m), key=lambda i: pvalues[i])
    adjusted = [1.0] * m
    running = 0.0
    for rank, index in enumerate(order):
        running = max(running, min(1.0, (m - rank) * pvalues[index]))
        adjusted[index] = running
    return adjusted


def compare(
    system: str,
    baseline: str,
    metric: str,
    system_scores: Mapping[str, float],
    baseline_scores: Mapping[str, float],
    *,
    resamples: int = DEFAULT_RESAMPLES,
    confidence: float = DEFAULT_CONFIDENCE,
    seed: int = 0,
) -> Comparison:
    """Paired comparison over the queries both were scored on (sorted ids, so order-free)."""
    queries = sorted(set(system_scores) & set(baseline_scores))
    a = np.array([system_scores[q] for q in queries], dtype=np.float64)
    b = np.array([baseline_scores[q] for q in queries], dtype=np.float64)
    diff = bootstrap_ci(a - b, resamples=resamples, confidence=confidence, seed=seed)
    return Comparison(
        system=system,
        baseline=baseline,
        metric=metric,
        n=len(queries),
        system_mean=float(a.mean()) if a.size else 0.0,
        baseline_mean=float(b.mean()) if b.size else 0.0,
        difference=diff.mean,
        ci_low=diff.low,
        ci_high=diff.high,
        p_randomisation=randomisation_test(a, b, resamples=resamples, seed=seed),
        p_wilcoxon=wilcoxon_p(a, b),
    )


def with_holm(comparisons: Sequence[Comparison]) -> list[Comparison]:
    """Fill p_holm, adjusting within each (system, metric) family of baselines."""
    families: dict[tuple[str, str], list[int]] = {}
    for i, c in enumerate(comparisons):
        families.setdefault((c.system, c.metric), []).append(i)
    out = list(comparisons)
    for members in families.values():
        adjusted = holm([comparisons[i].p_randomisation for i in members])
        for i, p in zip(members, adjusted, strict=True):
            out[i] = replace(comparisons[i], p_holm=p)
    return out


def _resampled_means(data: np.ndarray, resamples: int, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    means = np.empty(resamples, dtype=np.float64)
    chunk = max(1, 2_000_000 // data.size)  # bound memory on large query sets
    for start in range(0, resamples, chunk):
        stop = min(resamples, start + chunk)
        idx = rng.integers(0, data.size, size=(stop - start, data.size))
        means[start:stop] = data[idx].mean(axis=1)
    return means


def _as_array(values: Sequence[float] | np.ndarray) -> np.ndarray:
    return np.asarray(values, dtype=np.float64).ravel()


def _paired(a: Sequence[float] | np.ndarray, b: Sequence[float] | np.ndarray) -> np.ndarray:
    x, y = _as_array(a), _as_array(b)
    if x.shape != y.shape:
        raise ValidationError(f"paired samples differ in size: {x.size} and {y.size}")
    return x - y


def _check(resamples: int, confidence: float) -> None:
    if resamples < 1:
        raise ValidationError(f"resamples must be at least 1, got {resamples}")
    if not 0.0 < confidence < 1.0:
        raise ValidationError(f"confidence must be in (0, 1), got {confidence}")
