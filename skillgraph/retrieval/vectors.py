"""The vector index protocol and the input checks every implementation shares.

Vectors are L2-normalised float32 rows, so the inner product the indexes rank by is cosine.
Ids are the entity ids (strings); each index maps them to its own row numbers.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Sequence
from typing import Protocol, runtime_checkable

import numpy as np

from skillgraph.errors import ConflictError, ValidationError

Allow = Callable[[str], bool] | Collection[str] | None
Hits = list[list[tuple[str, float]]]  # per query: (id, cosine score), best first


@runtime_checkable
class VectorIndex(Protocol):
    """Nearest-neighbour search over vectors keyed by string ids."""

    dim: int
    index_type: str

    def __len__(self) -> int: ...

    def ids(self) -> list[str]: ...

    def add(self, ids: Sequence[str], vectors: np.ndarray) -> None:
        """Add new ids; ConflictError if one is present already."""
        ...

    def upsert(self, ids: Sequence[str], vectors: np.ndarray) -> None:
        """Add new ids and replace the vectors of present ones."""
        ...

    def remove(self, ids: Iterable[str]) -> None:
        """Remove ids; unknown ids are ignored."""
        ...

    def vector(self, id_: str) -> np.ndarray:
        """The stored vector of `id_`; NotFoundError if absent."""
        ...

    def search(self, queries: np.ndarray, k: int, *, allow: Allow = None) -> Hits:
        """Per query the k best (id, score), best first, only ids that `allow` admits: a
        predicate on ids, or a collection of ids. Exactly min(k, allowed count) results."""
        ...

    def export(self) -> tuple[list[str], np.ndarray]:
        """All ids and their vectors (row i belongs to ids[i])."""
        ...


def as_matrix(
    vectors: np.ndarray, dim: int, *, rows: int | None = None, what: str = "vectors"
) -> np.ndarray:
    """A C-contiguous float32 (n, dim) matrix; a single vector becomes one row."""
    matrix = np.asarray(vectors, dtype=np.float32)
    if matrix.ndim == 1:
        matrix = matrix.reshape(1, -1)
    if matrix.ndim != 2 or matrix.shape[1] != dim:
        raise ValidationError(f"{what}: expected shape (n, {dim}), got {tuple(np.shape(vectors))}")
    if rows is not None and matrix.shape[0] != rows:
        raise ValidationError(f"{what}: {matrix.shape[0]} rows for {rows} ids")
    if not np.isfinite(matrix).all():
        raise ValidationError(f"{what}: contains NaN or infinite values")
    return np.ascontiguousarray(matrix)


def check_new_ids(ids: Sequence[str]) -> list[str]:
    """The ids as a list; rejects non-strings and an id given twice in one call."""
    if isinstance(ids, str):
        raise ValidationError("ids must be a sequence of strings, not one string")
    out = list(ids)
    for id_ in out:
        if not isinstance(id_, str):
            raise ValidationError(f"index ids must be strings, got {type(id_).__name__}")
    if len(set(out)) != len(out):
        seen: set[str] = set()
        for id_ in out:
            if id_ in seen:
                raise ConflictError(f"id {id_!r} given twice in one call")
            seen.add(id_)
    return out


def check_k(k: int) -> int:
    if k < 0:
        raise ValidationError(f"k must be >= 0, got {k}")
    return int(k)


def check_allow(allow: Allow) -> Allow:
    if isinstance(allow, str):
        raise ValidationError("allow must be a predicate or a collection of ids, not one string")
    return allow


def top_k_rows(scores: np.ndarray, k: int) -> np.ndarray:
    """Indices of the k highest scores, best first (equal scores: lower index first); -inf rows
    never appear."""
    finite = int(np.isfinite(scores).sum())
    k = min(k, finite)
    if k <= 0:
        return np.zeros(0, dtype=np.int64)
    if k < scores.shape[0]:
        part = np.argpartition(-scores, k - 1)[:k]
    else:
        part = np.arange(scores.shape[0])
    order = np.lexsort((part, -scores[part]))
    return part[order]
