"""CachedEncoder: an on-disk embedding cache keyed by (model_id, sha256(text)).

Layout, one folder per model under the cache directory:

    <cache_dir>/<model slug>-<hash of model_id>/
        meta.json                 {"model_id": ..., "dim": ...}
        shard-<random>.vecs.npy   float32 (n, dim), written first
        shard-<random>.keys.npy   uint8 (n, 32): sha256 of each text; written last, so a shard
                                  whose keys file exists is complete

Each encode call that meets new texts appends a shard per SHARD_TEXTS new texts (temp file +
os.replace, so a crash leaves no partial shard and loses at most one chunk of work). Vectors are
memory-mapped, keys are held in a dict (about 100 bytes per text: 100k texts cost ~10 MB of RAM
plus the page cache). When more than MAX_SHARDS shards pile up they
are merged into one. Several processes may share a cache: shard names never collide, and a shard
that disappears under a merge is skipped (its texts are encoded again).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import uuid
from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np

from skillgraph.errors import ValidationError
from skillgraph.retrieval.encoder import PROGRESS_MIN_TEXTS, Encoder, progress_bar

MAX_SHARDS = 32
SHARD_TEXTS = 2048  # texts encoded and saved per shard
_KEYS = ".keys.npy"
_VECS = ".vecs.npy"


class CachedEncoder:
    """Wraps an Encoder; texts seen before (by this model) are read back, not encoded."""

    def __init__(self, inner: Encoder, cache_dir: Path) -> None:
        self.inner = inner
        self.model_id = inner.model_id
        self.dim = inner.dim
        self.folder = Path(cache_dir) / _folder_name(inner.model_id)
        self.folder.mkdir(parents=True, exist_ok=True)
        self._write_meta()
        self._shards: list[np.ndarray] = []
        self._lookup: dict[bytes, tuple[int, int]] = {}
        self.hits = 0
        self.misses = 0
        self._load()

    def __len__(self) -> int:
        return len(self._lookup)

    def encode(self, texts: Sequence[str], *, progress: bool = False) -> np.ndarray:
        keys = [hashlib.sha256(t.encode("utf-8")).digest() for t in texts]
        new: dict[bytes, str] = {}
        for key, text in zip(keys, texts, strict=True):
            if key not in self._lookup and key not in new:
                new[key] = text
        self.misses += len(new)
        self.hits += len(texts) - len(new)
        if new:
            self._encode_new(list(new), list(new.values()), progress=progress)
        return self._gather(keys)

    def forget(self, texts: Iterable[str]) -> int:
        """Drop the vectors of these texts (erasure of a person) and rewrite the shards without
        them; returns how many were cached."""
        gone = {hashlib.sha256(t.encode("utf-8")).digest() for t in texts} & self._lookup.keys()
        if not gone:
            return 0
        for key in gone:
            del self._lookup[key]
        self._merge()
        return len(gone)

    def _encode_new(self, keys: list[bytes], texts: list[str], *, progress: bool) -> None:
        """Encode in chunks of SHARD_TEXTS, saving a shard after each: an interrupted long job
        keeps what it did."""
        chunks = range(0, len(texts), SHARD_TEXTS)
        if not progress or len(texts) < PROGRESS_MIN_TEXTS:
            for start in chunks:
                end = start + SHARD_TEXTS
                self._append_shard(keys[start:end], self.inner.encode(texts[start:end]))
            return
        with progress_bar() as bar:
            task = bar.add_task(f"encoding ({self.model_id})", total=len(texts))
            for start in chunks:
                end = start + SHARD_TEXTS
                self._append_shard(keys[start:end], self.inner.encode(texts[start:end]))
                bar.advance(task, len(keys[start:end]))

    def _gather(self, keys: list[bytes]) -> np.ndarray:
        out = np.empty((len(keys), self.dim), dtype=np.float32)
        places = np.array([self._lookup[k] for k in keys], dtype=np.int64).reshape(-1, 2)
        for shard in np.unique(places[:, 0]):
            mine = np.flatnonzero(places[:, 0] == shard)
            out[mine] = self._shards[shard][places[mine, 1]]
        return out

    def _append_shard(self, keys: list[bytes], vectors: np.ndarray) -> None:
        matrix = np.ascontiguousarray(vectors, dtype=np.float32)
        if matrix.shape != (len(keys), self.dim):
            raise ValidationError(f"encoder returned shape {matrix.shape} for {len(keys)} texts")
        stem = self.folder / f"shard-{uuid.uuid4().hex}"
        _atomic_save(Path(str(stem) + _VECS), matrix)
        key_array = np.frombuffer(b"".join(keys), dtype=np.uint8).reshape(-1, 32)
        _atomic_save(Path(str(stem) + _KEYS), key_array)
        self._register(key_array, matrix)
        if len(self._shards) > MAX_SHARDS:
            self._merge()

    def _register(self, keys: np.ndarray, vectors: np.ndarray) -> None:
        shard = len(self._shards)
        self._shards.append(vectors)
        for row, key in enumerate(keys):
            self._lookup[key.tobytes()] = (shard, row)

    def _load(self) -> None:
        for keys_path in sorted(self.folder.glob("shard-*" + _KEYS)):
            vecs_path = Path(str(keys_path)[: -len(_KEYS)] + _VECS)
            try:
                keys = np.load(keys_path, allow_pickle=False)
                vectors = np.load(vecs_path, mmap_mode="r", allow_pickle=False)
            except (FileNotFoundError, ValueError, OSError):
                continue  # merged away by another process, or damaged: re-encode those texts
            if keys.ndim == 2 and keys.shape[1] == 32 and vectors.shape == (len(keys), self.dim):
                self._register(keys, vectors)

    def _merge(self) -> None:
        old = sorted(self.folder.glob("shard-*" + _KEYS))
        keys = list(self._lookup)
        vectors = self._gather(keys)
        self._shards, self._lookup = [], {}
        stem = self.folder / f"shard-{uuid.uuid4().hex}"
        _atomic_save(Path(str(stem) + _VECS), vectors)
        key_array = np.frombuffer(b"".join(keys), dtype=np.uint8).reshape(-1, 32)
        _atomic_save(Path(str(stem) + _KEYS), key_array)
        self._register(key_array, vectors)
        for keys_path in old:
            keys_path.unlink(missing_ok=True)  # keys first: the shard stops counting as complete
            Path(str(keys_path)[: -len(_KEYS)] + _VECS).unlink(missing_ok=True)

    def _write_meta(self) -> None:
        meta = self.folder / "meta.json"
        if meta.exists():
            return
        tmp = meta.with_name(f".meta.{uuid.uuid4().hex}.tmp")
        tmp.write_text(json.dumps({"model_id": self.model_id, "dim": self.dim}), encoding="utf-8")
        os.replace(tmp, meta)


def _folder_name(model_id: str) -> str:
    slug = re.sub(r"[^A-Za-z0-9._-]+", "_", model_id)[:48]
    return f"{slug}-{hashlib.sha256(model_id.encode()).hexdigest()[:12]}"


def _atomic_save(path: Path, array: np.ndarray) -> None:
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
    with tmp.open("wb") as fh:
        np.save(fh, array, allow_pickle=False)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)
