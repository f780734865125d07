"""Saving and loading an index directory, described by manifest.json.

A saved index is a directory:

    manifest.json   format_version, model_id, dim, count, index_type, checksum (sha256 of the
                    index file), files (sha256 of every file), created_at, params
    index.faiss     FaissIndex: faiss.write_index output        (or vectors.npy for ExactIndex)
    ids.json        the string id of every row (null for a removed row awaiting rebuild)

`save_index` writes everything into a sibling temporary directory, then swaps it in with two
renames (old -> backup, new -> name) and deletes the backup; a reader never sees a half-written
index, only (for the instant between the renames) no index at all. `load_index` refuses an index
built with another model or dimension, from another format version, or whose files do not match
their checksums (IndexMismatchError): it never returns wrong neighbours.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import uuid
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import faiss as _faiss
import numpy as np

from skillgraph.errors import IndexMismatchError, ValidationError
from skillgraph.retrieval.exact import ExactIndex
from skillgraph.retrieval.faiss_index import FaissIndex
from skillgraph.retrieval.vectors import VectorIndex

faiss: Any = _faiss  # the bundled stubs miss most of the API
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
FAISS_FILE = "index.faiss"
VECTORS_FILE = "vectors.npy"
IDS_FILE = "ids.json"


@dataclass(frozen=True)
class Manifest:
    model_id: str
    dim: int
    count: int
    index_type: str
    checksum: str  # sha256 of the index file
    files: dict[str, str]  # every file -> sha256
    created_at: str
    params: dict[str, Any] = field(default_factory=dict)
    format_version: int = FORMAT_VERSION


def save_index(index: VectorIndex, directory: Path, *, model_id: str) -> Manifest:
    """Write `index` to `directory`, replacing what is there atomically."""
    directory = Path(directory)
    directory.parent.mkdir(parents=True, exist_ok=True)
    staging = directory.parent / f".{directory.name}.tmp-{uuid.uuid4().hex[:8]}"
    staging.mkdir()
    try:
        manifest = _write_contents(index, staging, model_id=model_id)
        _swap_in(staging, directory)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return manifest


def read_manifest(directory: Path) -> Manifest:
    """The manifest of a saved index; IndexMismatchError when missing or unreadable."""
    path = Path(directory) / MANIFEST
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        if raw.get("format_version") != FORMAT_VERSION:
            raise IndexMismatchError(
                f"index at {directory} has format version {raw.get('format_version')}, "
                f"this version reads {FORMAT_VERSION}: rebuild it"
            )
        return Manifest(**raw)
    except FileNotFoundError:
        raise IndexMismatchError(f"no saved index at {directory} (manifest.json missing)") from None
    except (json.JSONDecodeError, TypeError, UnicodeDecodeError, AttributeError) as exc:
        raise IndexMismatchError(f"unreadable manifest at {path}: {exc}") from None


def load_index(directory: Path, *, model_id: str, dim: int) -> VectorIndex:
    """The index saved in `directory`, after checking model, dimension and checksums."""
    directory = Path(directory)
    manifest = read_manifest(directory)
    if manifest.model_id != model_id:
        raise IndexMismatchError(
            f"index at {directory} was built with model {manifest.model_id!r}, "
            f"not {model_id!r}: rebuild it"
        )
    if manifest.dim != dim:
        raise IndexMismatchError(
            f"index at {directory} has dimension {manifest.dim}, the encoder gives {dim}"
        )
    for name, expected in manifest.files.items():
        actual = _sha256(directory / name)
        if actual != expected:
            raise IndexMismatchError(
                f"index file {directory / name} is corrupted (checksum differs)"
            )
    index = _read_contents(directory, manifest)
    if len(index) != manifest.count or index.dim != dim:
        raise IndexMismatchError(
            f"index at {directory} holds {len(index)} vectors, its manifest says {manifest.count}"
        )
    return index


def _write_contents(index: VectorIndex, folder: Path, *, model_id: str) -> Manifest:
    names: list[str | None]
    params: dict[str, Any] = {}
    if isinstance(index, FaissIndex):
        main = FAISS_FILE
        faiss.write_index(index.faiss_index, str(folder / main))
        names = index.row_ids()
        params = index.params()
    elif isinstance(index, ExactIndex):
        main = VECTORS_FILE
        ids, matrix = index.export()
        with (folder / main).open("wb") as fh:
            np.save(fh, matrix, allow_pickle=False)
        names = list(ids)
    else:
        raise ValidationError(f"cannot save an index of type {type(index).__name__}")
    (folder / IDS_FILE).write_text(json.dumps(names), encoding="utf-8")
    files = {name: _sha256(folder / name) for name in (main, IDS_FILE)}
    manifest = Manifest(
        model_id=model_id,
        dim=index.dim,
        count=len(index),
        index_type=index.index_type,
        checksum=files[main],
        files=files,
        created_at=datetime.now(UTC).isoformat(timespec="seconds"),
        params=params,
    )
    (folder / MANIFEST).write_text(json.dumps(asdict(manifest), indent=2), encoding="utf-8")
    for name in (*files, MANIFEST):
        _fsync(folder / name)
    return manifest


def _read_contents(directory: Path, manifest: Manifest) -> VectorIndex:
    try:
        names = json.loads((directory / IDS_FILE).read_text(encoding="utf-8"))
        if manifest.index_type == "exact":
            matrix = np.load(directory / VECTORS_FILE, allow_pickle=False)
            return ExactIndex.from_arrays(names, matrix) if names else ExactIndex(manifest.dim)
        raw = faiss.read_index(str(directory / FAISS_FILE))
        return FaissIndex.restore(raw, names, manifest.index_type, manifest.params)
    except (OSError, ValueError, RuntimeError, TypeError) as exc:
        raise IndexMismatchError(f"cannot read the index at {directory}: {exc}") from exc


def _swap_in(staging: Path, directory: Path) -> None:
    if not directory.exists():
        os.replace(staging, directory)
        return
    backup = directory.parent / f".{directory.name}.old-{uuid.uuid4().hex[:8]}"
    os.replace(directory, backup)
    os.replace(staging, directory)
    shutil.rmtree(backup, ignore_errors=True)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    try:
        with path.open("rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                digest.update(block)
    except FileNotFoundError:
        raise IndexMismatchError(f"index file {path} is missing") from None
    return digest.hexdigest()


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
