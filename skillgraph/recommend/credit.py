"""Partial credit in bulk: the level many holders reach on any skill, as sparse matrices.

A holder is anything with a skill -> level map: a learning item (what it teaches), a mentor
(what they hold), an employee. `CreditTable` stores, for n holders over every skill of the graph,

- `direct[h, s]`: the level holder h has of s itself (0 when absent or not positive);
- `partial[h, s]`: the best credit h's other skills give for s, uncapped: the largest
  factor x level over the skills T that credit s (GapAnalyzer.credit_sources).

so the level gaps.py counts for s with a cap c is `max(direct, min(partial, c))`, for many holders
and skills with a few numpy operations. It equals `GapAnalyzer.effective_level` up to the
EPSILON tie rule of `GapAnalyzer.credit` (which keeps the first of two credits within 1e-9).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import scipy.sparse as sp

from skillgraph.recommend.gaps import GapAnalyzer


class CreditMap:
    """skill -> the skills it gives credit for, with the factor: a CSR matrix over every skill
    of the graph (row: the held skill, column: the credited skill). One per analyzer."""

    def __init__(self, analyzer: GapAnalyzer) -> None:
        skill_ids = list(analyzer.graph.records.skills)
        self.skill_ids = skill_ids
        self.column = {s: i for i, s in enumerate(skill_ids)}
        rows: list[int] = []
        cols: list[int] = []
        values: list[float] = []
        for target, j in self.column.items():
            for source, kind in analyzer.credit_sources(target).items():
                i = self.column.get(source)
                if i is not None:
                    rows.append(i)
                    cols.append(j)
                    values.append(analyzer.factor(kind))
        n = len(skill_ids)
        self.matrix = sp.csr_matrix(
            (np.array(values, dtype=np.float64), (rows, cols)), shape=(n, n)
        )
        self.matrix.sort_indices()

    @classmethod
    def of(cls, analyzer: GapAnalyzer) -> CreditMap:
        """The analyzer's map, built once per graph."""
        factors = (
            analyzer.settings.partial_credit_narrower,
            analyzer.settings.partial_credit_related,
        )
        return analyzer.graph.derived(("credit map", *factors), lambda: cls(analyzer))


class CreditTable:
    """Direct and partial levels of `holders` (row i: holders[i]) on every skill."""

    def __init__(self, analyzer: GapAnalyzer, holders: Sequence[Mapping[str, float]]) -> None:
        credit = CreditMap.of(analyzer)
        self.column = credit.column
        n, width = len(holders), len(credit.skill_ids)
        rows, cols, levels = _held_triples(holders, credit.column)
        self.direct = sp.csc_matrix((levels, (rows, cols)), shape=(n, width))
        self.partial = _partial(credit.matrix, rows, cols, levels, (n, width))

    def __len__(self) -> int:
        return int(self.direct.shape[0])

    def rows_with_credit(self, skill_ids: Sequence[str]) -> np.ndarray:
        """Sorted rows with a direct level or a partial credit on one of the skills."""
        return self.credited(skill_ids, [0.0] * len(skill_ids))[0]

    def credited(
        self, skill_ids: Sequence[str], caps: Sequence[float] | np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        """`rows_with_credit` and their `levels`, reading each matrix's columns once."""
        cols = self.columns(skill_ids)
        direct = column_entries(self.direct, cols)
        partial = column_entries(self.partial, cols)
        rows = np.unique(np.concatenate([direct[1], partial[1]])).astype(np.int64)
        levels = np.maximum(
            _scatter(direct, rows, len(cols)),
            np.minimum(_scatter(partial, rows, len(cols)), np.asarray(caps, dtype=np.float64)),
        )
        return rows, levels

    def levels(
        self, skill_ids: Sequence[str], caps: Sequence[float] | np.ndarray, rows: np.ndarray
    ) -> np.ndarray:
        """(len(rows), len(skill_ids)): max(direct, min(partial, cap)) per row and skill;
        `rows` sorted, without repeats."""
        cols = self.columns(skill_ids)
        direct = dense_rows(self.direct, cols, rows)
        partial = dense_rows(self.partial, cols, rows)
        return np.maximum(direct, np.minimum(partial, np.asarray(caps, dtype=np.float64)))

    def columns(self, skill_ids: Sequence[str]) -> np.ndarray:
        return np.array([self.column[s] for s in skill_ids], dtype=np.int64)


def column_entries(
    matrix: sp.csc_matrix, cols: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(position in `cols`, row, value) of every stored entry of these CSC columns; read from
    the arrays directly (scipy's column indexing costs more than the work for a few columns)."""
    starts, ends = matrix.indptr[cols], matrix.indptr[cols + 1]
    counts = ends - starts
    total = int(counts.sum())
    offsets = np.arange(total) - np.repeat(np.cumsum(counts) - counts, counts)
    positions = np.repeat(starts, counts) + offsets
    which = np.repeat(np.arange(len(cols)), counts)
    return which, matrix.indices[positions], matrix.data[positions]


def dense_rows(matrix: sp.csc_matrix, cols: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """The given rows (sorted) of a few CSC columns, as a dense (rows, cols) array."""
    return _scatter(column_entries(matrix, cols), rows, len(cols), matrix.dtype)


def _scatter(
    entries: tuple[np.ndarray, np.ndarray, np.ndarray],
    rows: np.ndarray,
    width: int,
    dtype: np.dtype | type = np.float64,
) -> np.ndarray:
    """Column entries (position, row, value) laid out over the given rows (sorted)."""
    which, found, values = entries
    out = np.zeros((len(rows), width), dtype=dtype)
    if not len(rows) or not len(found):
        return out
    where = np.searchsorted(rows, found)
    inside = where < len(rows)
    inside[inside] = rows[where[inside]] == found[inside]
    out[where[inside], which[inside]] = values[inside]
    return out


def _held_triples(
    holders: Sequence[Mapping[str, float]], column: Mapping[str, int]
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(row, skill column, level) of every positive held level (the highest if repeated)."""
    rows: list[int] = []
    cols: list[int] = []
    levels: list[float] = []
    for r, held in enumerate(holders):
        for skill_id, level in held.items():
            if level > 0 and skill_id in column:
                rows.append(r)
                cols.append(column[skill_id])
                levels.append(level)
    return (
        np.array(rows, dtype=np.int64),
        np.array(cols, dtype=np.int64),
        np.array(levels, dtype=np.float64),
    )


def _partial(
    credit: sp.csr_matrix,
    rows: np.ndarray,
    cols: np.ndarray,
    levels: np.ndarray,
    shape: tuple[int, int],
) -> sp.csc_matrix:
    """Per (row, skill), the largest factor x level over the row's held skills crediting it."""
    counts = np.diff(credit.indptr)[cols]
    total = int(counts.sum())
    if total == 0:
        return sp.csc_matrix(shape, dtype=np.float64)
    offsets = np.arange(total) - np.repeat(np.cumsum(counts) - counts, counts)
    positions = np.repeat(credit.indptr[cols], counts) + offsets
    out_rows = np.repeat(rows, counts)
    out_cols = credit.indices[positions]
    values = np.repeat(levels, counts) * credit.data[positions]
    key = out_rows * shape[1] + out_cols
    order = np.lexsort((-values, key))  # per key, the largest value first
    key, values = key[order], values[order]
    first = np.flatnonzero(np.r_[True, key[1:] != key[:-1]])
    key, values = key[first], values[first]
    return sp.csc_matrix((values, (key // shape[1], key % shape[1])), shape=shape)
