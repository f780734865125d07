"""ExactIndex: brute-force cosine search in numpy, the oracle FAISS indexes are tested against."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np

from skillgraph.errors import ConflictError, NotFoundError
from skillgraph.retrieval.vectors import (
    Allow,
    Hits,
    as_matrix,
    check_allow,
    check_k,
    check_new_ids,
    top_k_rows,
)

_SCORE_BLOCK = 1 << 24  # floats per query block (64 MiB of scores)


class ExactIndex:
    """Every vector in one growing numpy matrix; removal moves the last row into the gap."""

    index_type = "exact"

    def __init__(self, dim: int) -> None:
        self.dim = dim
        self._matrix = np.zeros((16, dim), dtype=np.float32)
        self._ids: list[str] = []
        self._rows: dict[str, int] = {}

    def __len__(self) -> int:
        return len(self._ids)

    def __contains__(self, id_: object) -> bool:
        return id_ in self._rows

    def ids(self) -> list[str]:
        return list(self._ids)

    def add(self, ids: Sequence[str], vectors: np.ndarray) -> None:
        new_ids = check_new_ids(ids)
        matrix = as_matrix(vectors, self.dim, rows=len(new_ids))
        present = [i for i in new_ids if i in self._rows]
        if present:
            raise ConflictError(
                f"id {present[0]!r} is already in the index ({len(present)} present)"
            )
        self._append(new_ids, matrix)

    def upsert(self, ids: Sequence[str], vectors: np.ndarray) -> None:
        new_ids = check_new_ids(ids)
        matrix = as_matrix(vectors, self.dim, rows=len(new_ids))
        fresh = []
        for pos, id_ in enumerate(new_ids):
            row = self._rows.get(id_)
            if row is None:
                fresh.append(pos)
            else:
                self._matrix[row] = matrix[pos]
        self._append([new_ids[p] for p in fresh], matrix[fresh])

    def remove(self, ids: Iterable[str]) -> None:
        for id_ in ids:
            row = self._rows.pop(id_, None)
            if row is None:
                continue
            last = len(self._ids) - 1
            if row != last:
                moved = self._ids[last]
                self._ids[row] = moved
                self._rows[moved] = row
                self._matrix[row] = self._matrix[last]
            self._ids.pop()

    def vector(self, id_: str) -> np.ndarray:
        row = self._rows.get(id_)
        if row is None:
            raise NotFoundError("indexed vector", id_)
        return self._matrix[row].copy()

    def export(self) -> tuple[list[str], np.ndarray]:
        return list(self._ids), self._matrix[: len(self._ids)].copy()

    def search(self, queries: np.ndarray, k: int, *, allow: Allow = None) -> Hits:
        q = as_matrix(queries, self.dim, what="queries")
        k = check_k(k)
        n = len(self._ids)
        if n == 0 or k == 0:
            return [[] for _ in range(q.shape[0])]
        mask = self._allowed_mask(check_allow(allow))
        data = self._matrix[:n]
        block = max(1, _SCORE_BLOCK // n)
        hits: Hits = []
        for start in range(0, q.shape[0], block):
            scores = q[start : start + block] @ data.T
            if mask is not None:
                scores[:, ~mask] = -np.inf
            for row_scores in scores:
                top = top_k_rows(row_scores, k)
                hits.append([(self._ids[r], float(row_scores[r])) for r in top])
        return hits

    def _allowed_mask(self, allow: Allow) -> np.ndarray | None:
        if allow is None:
            return None
        if callable(allow):
            return np.fromiter(
                (bool(allow(i)) for i in self._ids), dtype=bool, count=len(self._ids)
            )
        mask = np.zeros(len(self._ids), dtype=bool)
        rows = [self._rows[i] for i in allow if i in self._rows]
        mask[rows] = True
        return mask

    def _append(self, ids: list[str], matrix: np.ndarray) -> None:
        if not ids:
            return
        n = len(self._ids)
        needed = n + len(ids)
        if needed > self._matrix.shape[0]:
            grown = np.zeros((max(needed, 2 * self._matrix.shape[0]), self.dim), dtype=np.float32)
            grown[:n] = self._matrix[:n]
            self._matrix = grown
        self._matrix[n:needed] = matrix
        for offset, id_ in enumerate(ids):
            self._rows[id_] = n + offset
        self._ids.extend(ids)

    @classmethod
    def from_arrays(cls, ids: Sequence[str], vectors: np.ndarray) -> ExactIndex:
        matrix = np.asarray(vectors, dtype=np.float32)
        index = cls(matrix.shape[1] if matrix.ndim == 2 else len(matrix))
        index.add(ids, matrix)
        return index
