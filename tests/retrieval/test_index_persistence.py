"""Saving and loading indexes: round trips, manifest checks, corruption, atomic replace."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from skillgraph.errors import IndexMismatchError
from skillgraph.retrieval.index import (
    ExactIndex,
    FaissIndex,
    VectorIndex,
    load_index,
    read_manifest,
    save_index,
)

DIM = 16
MODEL = "test-model:16:abc"


def unit_rows(n: int, seed: int = 0) -> np.ndarray:
    x = np.random.default_rng(seed).standard_normal((n, DIM)).astype(np.float32)
    return x / np.linalg.norm(x, axis=1, keepdims=True)


def make(kind: str, n: int = 300) -> VectorIndex:
    index: VectorIndex = ExactIndex(DIM) if kind == "exact" else FaissIndex(DIM, index_type=kind)
    index.add([f"v{i}" for i in range(n)], unit_rows(n))
    return index


@pytest.mark.parametrize("kind", ["exact", "flat", "hnsw", "hnsw_sq8", "ivf"])
def test_round_trip_gives_the_same_answers(tmp_path: Path, kind: str) -> None:
    index = make(kind)
    index.remove(["v3", "v4"])  # tombstones survive a save
    target = tmp_path / "skills"
    manifest = save_index(index, target, model_id=MODEL)
    assert manifest.count == len(index) == 298
    loaded = load_index(target, model_id=MODEL, dim=DIM)
    assert loaded.index_type == index.index_type
    assert sorted(loaded.ids()) == sorted(index.ids())
    q = unit_rows(5, seed=1)
    assert loaded.search(q, 7) == index.search(q, 7)
    loaded.add(["new"], q[:1])  # a loaded index keeps working
    assert loaded.search(q[:1], 1)[0][0][0] == "new"


def test_manifest_describes_the_index(tmp_path: Path) -> None:
    save_index(make("flat"), tmp_path / "ix", model_id=MODEL)
    manifest = read_manifest(tmp_path / "ix")
    assert (manifest.model_id, manifest.dim, manifest.count) == (MODEL, DIM, 300)
    assert manifest.index_type == "flat"
    assert manifest.checksum == manifest.files["index.faiss"]
    assert manifest.format_version == 1
    assert manifest.created_at


def test_other_model_or_dimension_is_refused(tmp_path: Path) -> None:
    save_index(make("flat"), tmp_path / "ix", model_id=MODEL)
    with pytest.raises(IndexMismatchError, match="model"):
        load_index(tmp_path / "ix", model_id="other:16:def", dim=DIM)
    with pytest.raises(IndexMismatchError, match="dimension"):
        load_index(tmp_path / "ix", model_id=MODEL, dim=32)


@pytest.mark.parametrize("damage", ["flip", "truncate", "ids", "delete"])
def test_corrupted_files_are_refused(tmp_path: Path, damage: str) -> None:
    save_index(make("hnsw"), tmp_path / "ix", model_id=MODEL)
    index_file = tmp_path / "ix" / "index.faiss"
    data = bytearray(index_file.read_bytes())
    if damage == "flip":
        data[len(data) // 2] ^= 0xFF
        index_file.write_bytes(bytes(data))
    elif damage == "truncate":
        index_file.write_bytes(bytes(data[: len(data) // 3]))
    elif damage == "ids":
        ids_file = tmp_path / "ix" / "ids.json"
        ids = json.loads(ids_file.read_text())
        ids[0], ids[1] = ids[1], ids[0]  # swapped labels would give wrong neighbours
        ids_file.write_text(json.dumps(ids))
    else:
        index_file.unlink()
    with pytest.raises(IndexMismatchError):
        load_index(tmp_path / "ix", model_id=MODEL, dim=DIM)


def test_missing_or_foreign_manifest(tmp_path: Path) -> None:
    with pytest.raises(IndexMismatchError, match="no saved index"):
        load_index(tmp_path / "nothing", model_id=MODEL, dim=DIM)
    save_index(make("flat"), tmp_path / "ix", model_id=MODEL)
    manifest_file = tmp_path / "ix" / "manifest.json"
    raw = json.loads(manifest_file.read_text())
    manifest_file.write_text(json.dumps({**raw, "format_version": 99}))
    with pytest.raises(IndexMismatchError, match="format version"):
        load_index(tmp_path / "ix", model_id=MODEL, dim=DIM)
    manifest_file.write_text("{not json")
    with pytest.raises(IndexMismatchError, match="unreadable"):
        load_index(tmp_path / "ix", model_id=MODEL, dim=DIM)


def test_save_replaces_the_whole_directory_and_leaves_no_temporaries(tmp_path: Path) -> None:
    target = tmp_path / "ix"
    save_index(make("flat", 50), target, model_id=MODEL)
    (target / "stray.txt").write_text("left from before")
    save_index(make("exact", 20), target, model_id=MODEL)
    assert sorted(p.name for p in target.iterdir()) == ["ids.json", "manifest.json", "vectors.npy"]
    assert len(load_index(target, model_id=MODEL, dim=DIM)) == 20
    assert [p.name for p in tmp_path.iterdir()] == ["ix"]


def test_failed_save_keeps_the_previous_index(tmp_path: Path) -> None:
    target = tmp_path / "ix"
    save_index(make("flat", 50), target, model_id=MODEL)

    class Broken(ExactIndex):
        def export(self) -> tuple[list[str], np.ndarray]:
            raise RuntimeError("disk full")

    broken = Broken(DIM)
    with pytest.raises(RuntimeError):
        save_index(broken, target, model_id=MODEL)
    assert len(load_index(target, model_id=MODEL, dim=DIM)) == 50
    assert [p.name for p in tmp_path.iterdir()] == ["ix"]
