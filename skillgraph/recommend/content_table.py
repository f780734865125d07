"""The learning catalogue as arrays, and content relevance scored for every candidate at once.

`ItemTable` is built when the content recommender is fitted: per item its partial-credit levels
(credit.py), pitch level, duration, modality and embedding. `score_items_many` computes, for each
query's needs, exactly the signals of content.py's per-item rule (coverage, level_fit, text and
their weighted relevance) for every item that reaches a need above the learner's level, with a
few numpy operations instead of a Python loop over the items. Sums run need by need, in the
order content.py adds them, so the numbers are the same; only the text cosine comes from one
matrix product instead of one dot product per item (float32 rounding, below 1e-6). Several
queries with the same filters are scored at once (need_grid.py).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from skillgraph.data.schema import LearningItem, Modality
from skillgraph.recommend.credit import CreditTable, column_entries, dense_rows
from skillgraph.recommend.gaps import EPSILON, GapAnalyzer
from skillgraph.recommend.need_grid import NeedGrid
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


def score_items_many(
    table: ItemTable,
    needs_list: Sequence[Needs],
    query_vectors: Sequence[np.ndarray],
    weights: Mapping[str, float],
    max_stretch: float,
    *,
    modalities: Collection[Modality] | None,
    max_hours: float | None,
    excluded: Collection[str],
) -> list[ScoredItems]:
    """Candidate items scored for several queries with the same filters in one pass: their
    candidate rows are stacked and their needs padded to the widest, so each array operation
    runs once for all of them. Padding adds only zeros to the sums; the numbers are those of one
    query at a time (the text cosine is one product per query)."""
    grid = NeedGrid.of(needs_list)
    rows, query = _credited_rows(table, grid)
    levels = _levels(table, rows, query, grid)
    keep = _allowed(table, rows, modalities, max_hours, excluded)
    rows, query, levels = rows[keep], query[keep], levels[keep]
    current = grid.current[query]
    reached = (levels > current + EPSILON) & grid.valid[query]
    keep = reached.any(axis=1)
    rows, query, levels, reached, current = (
        a[keep] for a in (rows, query, levels, reached, current)
    )
    coverage = _coverage(grid, query, levels, reached, current)
    lowest = np.where(reached, current, np.inf).min(axis=1, initial=np.inf)
    excess = table.level[rows] - (lowest + max_stretch)
    level_fit = np.where(excess > 0, 0.5 ** np.maximum(excess, 0.0), 1.0)
    bounds = np.searchsorted(query, np.arange(len(needs_list) + 1)).tolist()
    cosine = np.zeros(len(rows), dtype=np.float32)
    for q, vector in enumerate(query_vectors):
        part = slice(bounds[q], bounds[q + 1])
        cosine[part] = table.vectors[rows[part]] @ np.asarray(vector, dtype=np.float32)
    text = np.minimum(1.0, np.maximum(0.0, cosine.astype(np.float64)))
    relevance = (
        weights["coverage"] * coverage + weights["level_fit"] * level_fit + weights["text"] * text
    )
    out = []
    for q, width in enumerate(grid.widths):
        part = slice(bounds[q], bounds[q + 1])
        out.append(
            ScoredItems(
                rows[part],
                levels[part, :width],
                reached[part, :width],
                coverage[part],
                level_fit[part],
                text[part],
                relevance[part],
            )
        )
    return out


def _credited_rows(table: ItemTable, grid: NeedGrid) -> tuple[np.ndarray, np.ndarray]:
    """Per query, the sorted rows with a direct level or a partial credit on one of its
    needed skills (CreditTable.credited), stacked; and the query of each row."""
    cols = table.credit.columns(grid.skill_ids)
    direct = column_entries(table.credit.direct, cols)
    partial = column_entries(table.credit.partial, cols)
    which = np.concatenate([direct[0], partial[0]])
    found = np.concatenate([direct[1], partial[1]]).astype(np.int64)
    member = np.zeros((len(grid.widths), len(grid.skill_ids)), dtype=bool)
    member[np.nonzero(grid.valid)[0], grid.column[grid.valid]] = True
    parts = [np.unique(found[member[q, which]]) for q in range(len(grid.widths))]
    counts = [len(part) for part in parts]
    rows = np.concatenate(parts) if parts else np.zeros(0, dtype=np.int64)
    return rows, np.repeat(np.arange(len(parts)), counts)


def _levels(table: ItemTable, rows: np.ndarray, query: np.ndarray, grid: NeedGrid) -> np.ndarray:
    """(rows, width): max(direct, min(partial, required)) on each need of the row's query."""
    distinct = np.unique(rows)
    at = np.searchsorted(distinct, rows)[:, None]
    cols = table.credit.columns(grid.skill_ids)
    need_cols = grid.column[query]
    direct = dense_rows(table.credit.direct, cols, distinct)[at, need_cols]
    partial = dense_rows(table.credit.partial, cols, distinct)[at, need_cols]
    levels: np.ndarray = np.maximum(direct, np.minimum(partial, grid.required[query]))
    return levels


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


def _coverage(
    grid: NeedGrid,
    query: np.ndarray,
    levels: np.ndarray,
    reached: np.ndarray,
    current: np.ndarray,
) -> np.ndarray:
    """content._coverage for every row against its query's needs: closed share of the
    importance x gap weighted needs. The per-need terms are added left to right (a cumulative
    sum), as content.py adds them; the padding adds zeros."""
    weights = np.maximum(grid.importance, EPSILON) * grid.gap * grid.valid
    totals = np.zeros(len(grid.widths))
    for q, width in enumerate(grid.widths):
        total = 0.0
        for weight in weights[q, :width].tolist():
            total += weight
        totals[q] = total
    if not len(levels) or not levels.shape[1]:
        return np.zeros(len(levels))
    required, gap = grid.required[query], grid.gap[query]
    gained = np.minimum(levels, required) - current
    terms = weights[query] * np.maximum(0.0, gained) / np.where(gap > 0, gap, 1.0)
    terms = np.where(reached & (gap > 0), terms, 0.0)
    closed = np.cumsum(terms, axis=1)[:, -1]
    total = totals[query]
    result: np.ndarray = np.where(total > 0, closed / np.where(total > 0, total, 1.0), 0.0)
    return result


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
