"""Metrics beyond accuracy: what the lists look like as a whole, and who gets what.

Definitions (top-k of each query's list, k given by the caller):

- catalog coverage: share of the catalog that appears in at least one list.
- intra-list diversity: 1 - mean pairwise cosine of the item embeddings in a list, averaged over
  lists with at least two embedded items.
- novelty: mean self-information -log2 p(item) of recommended items, p(item) = (count + 1) /
  (total + catalog size) from the interaction counts (Laplace smoothed, so unseen items count).
- exposure: the number of lists an item appears in (catalog items absent from every list: 0);
  its Gini coefficient is 0 when everyone is shown equally and (n - 1) / n when one item takes
  all exposure.
- capacity utilisation (mentors): if every mentee took their first suggestion, the share of the
  total mentoring capacity that would be used, the share of mentors asked beyond capacity, and the
  share of mentees whose first suggestion is already full.
- unmatched rate: share of queries answered with nothing.
- group parity: the mean of a per-query metric within each group (department, location, ...)
  and the largest gap between two groups.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np

Ranked = Mapping[str, Sequence[str]]
VectorLookup = Callable[[str], np.ndarray | None]


@dataclass(frozen=True)
class CapacityReport:
    utilisation: float  # used capacity / total capacity
    overloaded_share: float  # mentors asked by more first-choice mentees than their capacity
    unserved_share: float  # mentees whose first choice is beyond capacity

    def to_dict(self) -> dict[str, float]:
        return asdict(self)


@dataclass(frozen=True)
class GroupParity:
    attribute: str
    groups: dict[str, tuple[float, int]]  # group -> (mean, queries)
    max_gap: float
    best: str | None
    worst: str | None
    min_size: int = 1  # groups smaller than this are listed but not ranked

    def to_dict(self) -> dict[str, Any]:
        return {
            "attribute": self.attribute,
            "groups": {g: {"mean": m, "queries": n} for g, (m, n) in self.groups.items()},
            "max_gap": self.max_gap,
            "best": self.best,
            "worst": self.worst,
            "min_size": self.min_size,
        }


def top(ranked: Ranked, k: int) -> dict[str, list[str]]:
    """Each list cut to its first k distinct entries."""
    return {q: list(dict.fromkeys(items))[:k] for q, items in ranked.items()}


def catalog_coverage(ranked: Ranked, catalog: Collection[str], k: int) -> float:
    if not catalog:
        return 0.0
    shown = {item for items in top(ranked, k).values() for item in items}
    return len(shown & set(catalog)) / len(catalog)


def intra_list_diversity(ranked: Ranked, vector_of: VectorLookup, k: int) -> float | None:
    """Mean over lists of 1 - mean pairwise cosine; None when no list has two embedded items."""
    values: list[float] = []
    for items in top(ranked, k).values():
        vectors = [v for v in (vector_of(i) for i in items) if v is not None]
        if len(vectors) < 2:
            continue
        matrix = _unit_rows(np.vstack(vectors))
        sims = matrix @ matrix.T
        n = len(vectors)
        mean_pair = (float(sims.sum()) - float(np.trace(sims))) / (n * (n - 1))
        values.append(1.0 - mean_pair)
    return float(np.mean(values)) if values else None


def novelty(ranked: Ranked, counts: Mapping[str, float], catalog_size: int, k: int) -> float | None:
    """Mean -log2 p(item) over every recommended item; None when nothing was recommended."""
    total = float(sum(counts.values()))
    denominator = total + max(catalog_size, 1)
    bits = [
        -math.log2((float(counts.get(item, 0.0)) + 1.0) / denominator)
        for items in top(ranked, k).values()
        for item in items
    ]
    return float(np.mean(bits)) if bits else None


def exposure(ranked: Ranked, k: int, catalog: Collection[str] = ()) -> dict[str, int]:
    counts: Counter[str] = Counter(dict.fromkeys(catalog, 0))
    for items in top(ranked, k).values():
        counts.update(items)
    return dict(sorted(counts.items()))


def gini(values: Sequence[float] | np.ndarray) -> float:
    """Gini coefficient of non-negative values: 0 = equal; (n - 1) / n = all on one."""
    x = np.sort(np.asarray(values, dtype=np.float64).ravel())
    if x.size == 0 or x.sum() <= 0:
        return 0.0
    if np.any(x < 0):
        raise ValueError("gini needs non-negative values")
    n = x.size
    ranks = np.arange(1, n + 1, dtype=np.float64)
    return float((2.0 * np.sum(ranks * x)) / (n * x.sum()) - (n + 1.0) / n)


def capacity_utilisation(ranked: Ranked, capacities: Mapping[str, int]) -> CapacityReport:
    """First-choice demand on each mentor against their capacity."""
    demand: Counter[str] = Counter(items[0] for items in ranked.values() if items)
    total_capacity = sum(max(0, c) for c in capacities.values())
    used = sum(min(demand.get(m, 0), max(0, c)) for m, c in capacities.items())
    over = [m for m, c in capacities.items() if demand.get(m, 0) > max(0, c)]
    unserved = sum(max(0, n - max(0, capacities.get(m, 0))) for m, n in demand.items())
    asked = sum(demand.values())
    return CapacityReport(
        utilisation=used / total_capacity if total_capacity else 0.0,
        overloaded_share=len(over) / len(capacities) if capacities else 0.0,
        unserved_share=unserved / asked if asked else 0.0,
    )


def unmatched_rate(ranked: Ranked, query_ids: Collection[str]) -> float:
    if not query_ids:
        return 0.0
    return sum(1 for q in query_ids if not ranked.get(q)) / len(query_ids)


def group_parity(
    attribute: str, scores: Mapping[str, float], groups: Mapping[str, str], *, min_size: int = 1
) -> GroupParity:
    """Per-group mean of `scores` (query -> value). Every group is listed; best, worst and the gap
    only weigh groups of at least `min_size` queries, whose means are not one person's luck."""
    members: dict[str, list[float]] = {}
    for query, value in scores.items():
        group = groups.get(query)
        if group:
            members.setdefault(group, []).append(value)
    stats = {g: (float(np.mean(v)), len(v)) for g, v in sorted(members.items())}
    compared = {g: stat for g, stat in stats.items() if stat[1] >= min_size}
    if not compared:
        return GroupParity(attribute, stats, 0.0, None, None, min_size)
    best = max(compared, key=lambda g: (compared[g][0], g))
    worst = min(compared, key=lambda g: (compared[g][0], g))
    gap = compared[best][0] - compared[worst][0]
    return GroupParity(attribute, stats, gap, best, worst, min_size)


def _unit_rows(matrix: np.ndarray) -> np.ndarray:
    m = np.asarray(matrix, dtype=np.float64)
    norms = np.linalg.norm(m, axis=1, keepdims=True)
    return np.divide(m, norms, out=np.zeros_like(m), where=norms > 0)
