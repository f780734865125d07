"""The learning catalogue as arrays, and content relevance scored for every candidate at once.

`ItemTable` is built when the content recommender is fitted: per item its partial-credit levels
(credit.py), pitch level, duration, modality and embedding. `score_items` computes, for one
query's needs, exactly the signals of content.py's per-item rule (coverage, level_fit, text and
their weighted relevance) for every item that reaches a need above the learner's level, with a
few numpy operations instead of a Python loop over the items. Sums run need by need, in the
order content.py adds them, so the numbers are the same; only the text cosine comes from one
matrix product instead of one dot product per item (float32 rounding, below 1e-6).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from skillgraph.data.schema import LearningItem, Modality
from skillgraph.recommend.credit import CreditTable
from skillgraph.recommend.gaps import EPSILON, GapAnalyzer
from skillgraph.recommend.needs import Needs
from skillgraph.retrieval.vectors import VectorIndex

MODALITY_CODE = {m: i for i, m in enumerate(Modality)}


class ItemTable:
    """Tagged learning items (rows) with what content scoring needs about each."""

    def __init__(
        self,
        analyzer: GapAnalyzer,
        items: Sequence[LearningItem],
        taught: Mapping[str, Mapping[str, float]],
        index: VectorIndex | None,
        dim: int,
    ) -> None:
        self.items = list(items)
        self.row = {item.id: r for r, item in enumerate(self.items)}
        self.credit = CreditTable(analyzer, [taught[item.id] for item in self.items])
        self.level = np.array([item.level for item in self.items], dtype=np.float64)
        self.hours = np.array([item.duration_hours for item in self.items], dtype=np.float64)
        self.modality = np.array([MODALITY_CODE[i.modality] for i in self.items], dtype=np.int64)
        order = sorted(range(len(self.items)), key=lambda r: self.items[r].id)
        self.rank = np.empty(len(self.items), dtype=np.int64)
        self.rank[order] = np.arange(len(self.items))
        self.vectors = _vectors(index, [item.id for item in self.items], dim)


@dataclass
class ScoredItems:
    """Candidate rows of an ItemTable and their signals for one query's needs."""

    rows: np.ndarray
    levels: np.ndarray  # (rows, needs): the level each item takes each need to
    reached: np.ndarray  # (rows, needs): above the learner's current level
    coverage: np.ndarray
    level_fit: np.ndarray
    text: np.ndarray
    relevance: np.ndarray

    def best(self, table: ItemTable, count: int) -> np.ndarray:
        """Positions of the `count` most relevant candidates, by (-relevance, item id)."""
        order = np.lexsort((table.rank[self.rows], -self.relevance))
        return order[:count]


def score_items(
    table: ItemTable,
    needs: Needs,
    query_vector: np.ndarray,
    weights: Mapping[str, float],
    max_stretch: float,
    *,
    modalities: Collection[Modality] | None,
    max_hours: float | None,
    excluded: Collection[str],
) -> ScoredItems:
    """Every allowed item reaching a need above its current level, scored (see module doc)."""
    skill_ids = [n.skill_id for n in needs.needs]
    required = [n.required_level for n in needs.needs]
    rows, levels = table.credit.credited(skill_ids, required)
    allowed = _allowed(table, rows, modalities, max_hours, excluded)
    rows, levels = rows[allowed], levels[allowed]
    current = np.array([n.current_level for n in needs.needs])
    reached = levels > current + EPSILON
    keep = reached.any(axis=1)
    rows, levels, reached = rows[keep], levels[keep], reached[keep]
    coverage = _coverage(needs, levels, reached)
    lowest = np.where(reached, current, np.inf).min(axis=1)
    excess = table.level[rows] - (lowest + max_stretch)
    level_fit = np.where(excess > 0, 0.5 ** np.maximum(excess, 0.0), 1.0)
    cosine = table.vectors[rows] @ np.asarray(query_vector, dtype=np.float32)
    text = np.minimum(1.0, np.maximum(0.0, cosine.astype(np.float64)))
    relevance = (
        weights["coverage"] * coverage + weights["level_fit"] * level_fit + weights["text"] * text
    )
    return ScoredItems(rows, levels, reached, coverage, level_fit, text, relevance)


def _allowed(
    table: ItemTable,
    rows: np.ndarray,
    modalities: Collection[Modality] | None,
    max_hours: float | None,
    excluded: Collection[str],
) -> np.ndarray:
    keep = np.ones(len(rows), dtype=bool)
    if modalities is not None:
        keep &= np.isin(table.modality[rows], [MODALITY_CODE[m] for m in modalities])
    if max_hours is not None:
        keep &= table.hours[rows] <= max_hours + EPSILON
    if excluded:
        gone = [table.row[i] for i in excluded if i in table.row]
        keep &= ~np.isin(rows, gone)
    return keep


def _coverage(needs: Needs, levels: np.ndarray, reached: np.ndarray) -> np.ndarray:
    """content._coverage for every row: closed share of the importance x gap weighted needs.
    The per-need terms are added left to right (a cumulative sum), as content.py adds them."""
    total = 0.0
    weights = []
    for need in needs.needs:
        weight = max(need.importance, EPSILON) * need.gap
        total += weight
        weights.append(weight)
    if total <= 0 or not len(levels):
        return np.zeros(len(levels))
    required = np.array([n.required_level for n in needs.needs])
    current = np.array([n.current_level for n in needs.needs])
    gap = np.array([n.gap for n in needs.needs])
    gained = np.minimum(levels, required) - current
    terms = np.asarray(weights) * np.maximum(0.0, gained) / np.where(gap > 0, gap, 1.0)
    terms = np.where(reached & (gap > 0), terms, 0.0)
    closed: np.ndarray = np.cumsum(terms, axis=1)[:, -1]
    return closed / total


def _vectors(index: VectorIndex | None, ids: Sequence[str], dim: int) -> np.ndarray:
    """The items' embeddings in row order; zero rows for items the index does not hold."""
    out = np.zeros((len(ids), dim), dtype=np.float32)
    if index is None or not len(index):
        return out
    known, vectors = index.export()
    position = {item_id: r for r, item_id in enumerate(ids)}
    pairs = [(position[i], k) for k, i in enumerate(known) if i in position]
    if pairs:
        target, source = zip(*pairs, strict=True)
        out[list(target)] = vectors[list(source)]
    return out
