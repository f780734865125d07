"""FaissIndex: FAISS search behind stable string ids, with upsert, remove and filtered search.

Index types (inner product on unit vectors = cosine):

| type      | FAISS structure                     | exact | memory / vector (384-d) |
|-----------|-------------------------------------|-------|-------------------------|
| flat      | IndexFlatIP                         | yes   | 1.5 KiB                 |
| hnsw      | IndexHNSWFlat, M=32                 | no    | 1.5 KiB + graph         |
| hnsw_sq8  | IndexHNSWSQ, 8-bit scalar quantiser | no    | 0.4 KiB + graph         |
| ivf       | IndexIVFFlat, nlist = sqrt(n)       | no    | 1.5 KiB                 |

"auto" picks by size with `choose_index_type` (thresholds measured in benchmarks/bench_index.py, see
BENCHMARKS.md) and switches type when the collection grows past a threshold.

Rows: FAISS numbers vectors 0..n-1 in the order they are added; `_names[row]` is the string id.
HNSW cannot delete, so removal (and replacing a vector) leaves a tombstone row that searches skip;
when tombstones pass REBUILD_DEAD_FRACTION of the rows the index is rebuilt from the live vectors
(flat: milliseconds; HNSW at 1M vectors: minutes, so bulk deletions should be batched).
hnsw_sq8 keeps only 8-bit codes: `vector()` and rebuilds use the decoded vector (error < 1 % of
each dimension's range).

Filtered search is exact in what it admits and in how many it returns: flat searches with a FAISS
ID selector (exact); for the approximate types a small allowed set (up to BRUTE_FORCE_MAX) is
scored by brute force, a large one goes through the selector, and a query for which the
approximate search found fewer than min(k, allowed) hits is answered by brute force as well.
A predicate costs one Python call per stored id and search; pass a set of ids for big indexes.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from typing import Any

import faiss as _faiss
import numpy as np

from skillgraph.errors import ConflictError, NotFoundError, ValidationError
from skillgraph.retrieval.vectors import (
    Allow,
    Hits,
    as_matrix,
    check_allow,
    check_k,
    check_new_ids,
    top_k_rows,
)

INDEX_TYPES = ("flat", "hnsw", "hnsw_sq8", "ivf")
HNSW_MAX = 2_000_000  # above: hnsw_sq8 (memory); from bench_index, see BENCHMARKS.md
HNSW_M = 32
HNSW_EF_CONSTRUCTION = 80
HNSW_EF_SEARCH = 96
IVF_NPROBE_FRACTION = 0.06  # share of the lists probed per query
IVF_TRAIN_POINTS_PER_LIST = 64  # k-means sample size per list
REBUILD_DEAD_FRACTION = 0.25
BRUTE_FORCE_MAX = 8192  # allowed sets up to this size are scored exactly
faiss: Any = _faiss  # the stubs bundled with faiss-cpu miss most of its API
_SIZE_ORDER = {"flat": 0, "ivf": 1, "hnsw": 1, "hnsw_sq8": 2}  # auto moves up this order


def choose_index_type(count: int, flat_max: int) -> str:
    """flat up to `flat_max` vectors, HNSW32 up to HNSW_MAX, HNSW with 8-bit codes above."""
    if count <= flat_max:
        return "flat"
    if count <= HNSW_MAX:
        return "hnsw"
    return "hnsw_sq8"


class FaissIndex:
    """A FAISS index with string ids. `index_type="auto"` chooses by size (see module doc)."""

    def __init__(
        self,
        dim: int,
        *,
        index_type: str = "auto",
        flat_max: int = 50_000,
        ef_search: int = HNSW_EF_SEARCH,
        ef_construction: int = HNSW_EF_CONSTRUCTION,
        hnsw_m: int = HNSW_M,
        nprobe_fraction: float = IVF_NPROBE_FRACTION,
    ) -> None:
        if index_type != "auto" and index_type not in INDEX_TYPES:
            raise ValidationError(
                f"index_type {index_type!r}: expected auto or one of {INDEX_TYPES}"
            )
        self.dim = dim
        self.requested_type = index_type
        self.flat_max = flat_max
        self.ef_search = ef_search
        self.ef_construction = ef_construction
        self.hnsw_m = hnsw_m
        self.nprobe_fraction = nprobe_fraction
        self._names: list[str | None] = []
        self._rows: dict[str, int] = {}
        self._trained_for = 0
        self.index_type = self._type_for(0)
        self._faiss: Any = self._new_faiss(self.index_type, np.zeros((0, dim), dtype=np.float32))

    # -- size and ids -------------------------------------------------------------------------

    def __len__(self) -> int:
        return len(self._rows)

    def __contains__(self, id_: object) -> bool:
        return id_ in self._rows

    @property
    def dead(self) -> int:
        """Tombstone rows awaiting the next rebuild."""
        return len(self._names) - len(self._rows)

    @property
    def faiss_index(self) -> Any:
        return self._faiss

    def ids(self) -> list[str]:
        return [n for n in self._names if n is not None]

    def row_ids(self) -> list[str | None]:
        """The id of every FAISS row, None for a tombstone (what persistence saves)."""
        return list(self._names)

    def params(self) -> dict[str, Any]:
        return {
            "requested_type": self.requested_type,
            "flat_max": self.flat_max,
            "ef_search": self.ef_search,
            "ef_construction": self.ef_construction,
            "hnsw_m": self.hnsw_m,
            "nprobe_fraction": self.nprobe_fraction,
        }

    # -- changes ------------------------------------------------------------------------------

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
        self._bury([i for i in new_ids if i in self._rows])
        self._append(new_ids, matrix)

    def remove(self, ids: Iterable[str]) -> None:
        self._bury([i for i in ids if i in self._rows])
        self._maybe_rebuild()

    def rebuild(self, index_type: str | None = None) -> None:
        """Drop tombstones and rebuild the FAISS structure (optionally as another type)."""
        ids, matrix = self.export()
        self._reset(ids, matrix, index_type or self._type_for(len(ids)))

    def _reset(self, ids: list[str], matrix: np.ndarray, index_type: str) -> None:
        self.index_type = index_type
        self._faiss = self._new_faiss(index_type, matrix)
        self._names = list(ids)
        self._rows = {id_: row for row, id_ in enumerate(ids)}
        if len(ids):
            self._faiss.add(matrix)

    # -- reads --------------------------------------------------------------------------------

    def vector(self, id_: str) -> np.ndarray:
        row = self._rows.get(id_)
        if row is None:
            raise NotFoundError("indexed vector", id_)
        return np.asarray(self._faiss.reconstruct(row), dtype=np.float32)

    def export(self) -> tuple[list[str], np.ndarray]:
        live = [row for row, n in enumerate(self._names) if n is not None]
        matrix = self._reconstruct(np.asarray(live, dtype=np.int64))
        return [self._names[r] for r in live], matrix  # type: ignore[misc]

    def search(self, queries: np.ndarray, k: int, *, allow: Allow = None) -> Hits:
        q = as_matrix(queries, self.dim, what="queries")
        k = check_k(k)
        allow = check_allow(allow)
        if not self._rows or k == 0:
            return [[] for _ in range(q.shape[0])]
        if allow is None and self.dead == 0:
            return self._search_all(q, k)
        mask = self._allowed_mask(allow)
        allowed = np.flatnonzero(mask)
        if allowed.size == 0:
            return [[] for _ in range(q.shape[0])]
        if self.index_type != "flat" and allowed.size <= BRUTE_FORCE_MAX:
            return self._brute_force(q, k, allowed)  # exact; flat is exact with a selector too
        return self._search_selected(q, k, mask, allowed)

    # -- internals ----------------------------------------------------------------------------

    def _type_for(self, count: int) -> str:
        if self.requested_type != "auto":
            return self.requested_type
        return choose_index_type(count, self.flat_max)

    def _new_faiss(self, index_type: str, training: np.ndarray) -> Any:
        metric = faiss.METRIC_INNER_PRODUCT
        if index_type == "flat":
            return faiss.IndexFlatIP(self.dim)
        if index_type in ("hnsw", "hnsw_sq8"):
            if index_type == "hnsw":
                index = faiss.IndexHNSWFlat(self.dim, self.hnsw_m, metric)
            else:
                qtype = faiss.ScalarQuantizer.QT_8bit
                index = faiss.IndexHNSWSQ(self.dim, qtype, self.hnsw_m, metric)
                index.train(training if len(training) else np.zeros((1, self.dim), np.float32))
                self._trained_for = len(training)
            index.hnsw.efConstruction = self.ef_construction
            index.hnsw.efSearch = self.ef_search
            return index
        nlist = ivf_lists(len(training))
        quantizer = faiss.IndexFlatIP(self.dim)
        index = faiss.IndexIVFFlat(quantizer, self.dim, nlist, metric)
        index.cp.min_points_per_centroid = 1  # small collections: no "too few points" noise
        index.cp.max_points_per_centroid = IVF_TRAIN_POINTS_PER_LIST
        if len(training):
            index.train(training)
        else:
            index.train(np.eye(1, self.dim, dtype=np.float32))
        index.make_direct_map()  # reconstruct() by row
        index.nprobe = max(1, math.ceil(nlist * self.nprobe_fraction))
        self._trained_for = len(training)
        return index

    def _append(self, ids: list[str], matrix: np.ndarray) -> None:
        if not ids:
            return
        wanted = self._type_for(len(self._rows) + len(ids))
        grown = _SIZE_ORDER.get(wanted, 0) > _SIZE_ORDER.get(self.index_type, 0)
        if grown or self._outgrown_training(len(self._names) + len(ids)):
            # retype or refit with the new vectors in the training set (an untrained SQ8 or IVF
            # structure would lose what is added to it)
            old_ids, old = self.export()
            self._reset([*old_ids, *ids], np.vstack([old, matrix]), wanted)
            return
        start = len(self._names)
        self._names.extend(ids)
        for offset, id_ in enumerate(ids):
            self._rows[id_] = start + offset
        self._faiss.add(matrix)
        self._maybe_rebuild()

    def _bury(self, ids: list[str]) -> None:
        for id_ in ids:
            row = self._rows.pop(id_)
            self._names[row] = None

    def _maybe_rebuild(self) -> None:
        # grow into a bigger type at once; shrink only at the next tombstone rebuild, so a size
        # hovering at a threshold does not rebuild on every change
        wanted = self._type_for(len(self._rows))
        too_dead = self.dead > REBUILD_DEAD_FRACTION * max(len(self._names), 1)
        grown = _SIZE_ORDER.get(wanted, 0) > _SIZE_ORDER.get(self.index_type, 0)
        if grown or too_dead:
            self.rebuild(wanted)

    def _outgrown_training(self, rows: int) -> bool:
        # IVF lists and SQ8 ranges were fitted to the training set; refit when it quadruples
        # (an index created empty is fitted on the first vectors it gets).
        if self.index_type not in ("ivf", "hnsw_sq8"):
            return False
        return rows > 4 * self._trained_for

    def _reconstruct(self, rows: np.ndarray) -> np.ndarray:
        if rows.size == 0:
            return np.zeros((0, self.dim), dtype=np.float32)
        return np.asarray(self._faiss.reconstruct_batch(rows), dtype=np.float32).reshape(
            -1, self.dim
        )

    def _allowed_mask(self, allow: Allow) -> np.ndarray:
        alive = np.fromiter(
            (n is not None for n in self._names), dtype=bool, count=len(self._names)
        )
        if allow is None:
            return alive
        if callable(allow):
            return np.fromiter(
                (n is not None and bool(allow(n)) for n in self._names),
                dtype=bool,
                count=len(self._names),
            )
        mask = np.zeros(len(self._names), dtype=bool)
        rows = [self._rows[i] for i in allow if i in self._rows]
        mask[rows] = True
        return mask

    def _search_all(self, q: np.ndarray, k: int) -> Hits:
        kk = min(k, len(self._rows))
        if self.index_type == "hnsw" or self.index_type == "hnsw_sq8":
            self._faiss.hnsw.efSearch = max(self.ef_search, kk)
        scores, rows = self._faiss.search(q, kk)
        hits = self._to_hits(scores, rows)
        short = [i for i, h in enumerate(hits) if len(h) < kk]
        if short:  # HNSW may miss points in a tiny or disconnected graph
            exact = self._brute_force(q[short], k, np.arange(len(self._names)))
            for i, h in zip(short, exact, strict=True):
                hits[i] = h
        return hits

    def _search_selected(
        self, q: np.ndarray, k: int, mask: np.ndarray, allowed: np.ndarray
    ) -> Hits:
        bitmap = np.packbits(mask, bitorder="little")
        selector = faiss.IDSelectorBitmap(bitmap.size, faiss.swig_ptr(bitmap))
        kk = min(k, allowed.size)
        params = self._search_params(selector, kk)
        scores, rows = self._faiss.search(q, kk, params=params)
        hits = self._to_hits(scores, rows)
        short = [i for i, h in enumerate(hits) if len(h) < kk]
        if short:
            exact = self._brute_force(q[short], k, allowed)
            for i, h in zip(short, exact, strict=True):
                hits[i] = h
        del bitmap  # the selector points into it until here
        return hits

    def _search_params(self, selector: Any, k: int) -> Any:
        if self.index_type in ("hnsw", "hnsw_sq8"):
            return faiss.SearchParametersHNSW(sel=selector, efSearch=max(self.ef_search, k))
        if self.index_type == "ivf":
            return faiss.SearchParametersIVF(sel=selector, nprobe=self._faiss.nprobe)
        return faiss.SearchParameters(sel=selector)

    def _brute_force(self, q: np.ndarray, k: int, rows: np.ndarray) -> Hits:
        matrix = self._reconstruct(rows)
        scores = q @ matrix.T
        if self.dead:
            dead = np.fromiter((self._names[r] is None for r in rows), dtype=bool, count=rows.size)
            scores[:, dead] = -np.inf
        hits: Hits = []
        for row_scores in scores:
            top = top_k_rows(row_scores, k)
            hits.append([(self._names[rows[t]], float(row_scores[t])) for t in top])
        return hits

    def _to_hits(self, scores: np.ndarray, rows: np.ndarray) -> Hits:
        hits: Hits = []
        for row_scores, row_ids in zip(scores, rows, strict=True):
            found: list[tuple[str, float]] = []
            for score, row in zip(row_scores, row_ids, strict=True):
                name = self._names[row] if row >= 0 else None
                if name is not None:
                    found.append((name, float(score)))
            hits.append(found)
        return hits

    @classmethod
    def restore(
        cls, faiss_index: Any, names: list[str | None], index_type: str, params: dict[str, Any]
    ) -> FaissIndex:
        """The wrapper around a FAISS index read from disk (see manifest.py); `params` as
        returned by `params()`."""
        if faiss_index.ntotal != len(names):
            raise ValidationError(f"{faiss_index.ntotal} vectors for {len(names)} ids")
        options = dict(params)
        requested = str(options.pop("requested_type", "auto"))
        index = cls(int(faiss_index.d), index_type=requested, **options)
        index._faiss = faiss_index
        index.index_type = index_type
        index._names = list(names)
        index._rows = {n: row for row, n in enumerate(names) if n is not None}
        if index_type in ("hnsw", "hnsw_sq8"):
            faiss_index.hnsw.efSearch = index.ef_search
        if index_type in ("ivf", "hnsw_sq8"):
            index._trained_for = len(names)
        if index_type == "ivf" and faiss_index.direct_map.type == faiss.DirectMap.NoMap:
            faiss_index.make_direct_map()
        return index


def ivf_lists(count: int) -> int:
    """Number of IVF lists: sqrt(n), at least 1, at most n / 8 (k-means on 1M vectors and 1000
    lists trains in under a minute on one core; 4 sqrt(n) takes many minutes)."""
    return max(1, min(int(math.sqrt(max(count, 1))), max(count // 8, 1)))
