"""Vector indexes: the protocol, the exact oracle, FAISS, building by size, saving and loading.

The implementations live in vectors.py (protocol), exact.py, faiss_index.py and manifest.py
(persistence); this module is the one place callers import from.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from skillgraph.config import RetrievalSettings
from skillgraph.retrieval.exact import ExactIndex
from skillgraph.retrieval.faiss_index import INDEX_TYPES, FaissIndex, choose_index_type
from skillgraph.retrieval.manifest import Manifest, load_index, read_manifest, save_index
from skillgraph.retrieval.vectors import Allow, Hits, VectorIndex

__all__ = [
    "INDEX_TYPES",
    "Allow",
    "ExactIndex",
    "FaissIndex",
    "Hits",
    "Manifest",
    "VectorIndex",
    "build_index",
    "choose_index_type",
    "load_index",
    "read_manifest",
    "save_index",
]


def build_index(
    ids: Sequence[str],
    vectors: np.ndarray,
    *,
    settings: RetrievalSettings,
    index_type: str = "auto",
) -> VectorIndex:
    """A FaissIndex over the vectors; "auto" picks the type by size (flat up to
    settings.flat_max, see faiss_index.choose_index_type)."""
    matrix = np.asarray(vectors, dtype=np.float32)
    dim = int(matrix.shape[1]) if matrix.ndim == 2 else int(matrix.shape[0])
    index = FaissIndex(dim, index_type=index_type, flat_max=settings.flat_max)
    if len(ids) and index_type == "auto":
        # choose the type for the final size up front instead of growing through a rebuild
        index.rebuild(choose_index_type(len(ids), settings.flat_max))
    index.add(ids, matrix)
    return index
