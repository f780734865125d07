"""A data directory: everything one engine needs, written atomically.

    <data_dir>/records.snapshot      ingested records and their graph (what `ingest` writes)
    <data_dir>/engine/               the built engine: graph with inferred profiles, indexes,
                                     career graph, manifest naming the records it was built from
    <data_dir>/embeddings/           embedding cache keyed by model id and text hash
    <data_dir>/skillgraph.db         the store (SQLite by default)

Every write goes to a temporary file or folder beside its target and is renamed over it, so a
failed or interrupted command leaves the directory as it was. A rebuild writes a new engine
folder beside the old one and swaps it in with a rename.

Opening a saved engine does not load the embedding model: the engine gets a `LazyEncoder` that
loads it on the first text to encode (free-text queries, content and mentor queries); gaps,
paths and exports answer without it.
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import shutil
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

from skillgraph.config import Settings
from skillgraph.data.schema import Records
from skillgraph.engine import (
    ARTEFACT_FORMATS,
    Derived,
    Engine,
    ProgressFn,
    artefact_format_problem,
    check_artefact_formats,
)
from skillgraph.errors import IndexMismatchError, SnapshotError
from skillgraph.graph.ontology import EdgeKind, SkillGraph
from skillgraph.graph.snapshot import load_snapshot, save_snapshot
from skillgraph.graph.transitions import TransitionGraph
from skillgraph.recommend.base import EngineContext
from skillgraph.retrieval.cache import CachedEncoder
from skillgraph.retrieval.encoder import Encoder, load_encoder, vector_space
from skillgraph.retrieval.index import load_index, save_index
from skillgraph.retrieval.inference import SkillInferrer

RECORDS_FILE = "records.snapshot"
ENGINE_DIR = "engine"
EMBEDDINGS_DIR = "embeddings"
MANIFEST = "manifest.json"
ENGINE_FORMAT = 2
INDEX_KINDS = ("skills", "roles", "employees", "mentors", "items")
Loader = Callable[[Records | None], Records]


def records_path(settings: Settings) -> Path:
    return settings.data_dir / RECORDS_FILE


def engine_path(settings: Settings) -> Path:
    return settings.data_dir / ENGINE_DIR


# ---------------------------------------------------------------------- encoder


class LazyEncoder:
    """An Encoder that loads its model on the first `encode` (thread-safe).

    `model_id` and `dim` are known up front (from the saved engine's manifest); the loaded model
    must match them, else IndexMismatchError (the model files changed since the build).
    """

    def __init__(self, load: Callable[[], Encoder], model_id: str, dim: int) -> None:
        self._load = load
        self.model_id = model_id
        self.dim = dim
        self._encoder: Encoder | None = None
        self._lock = threading.Lock()

    @property
    def loaded(self) -> bool:
        return self._encoder is not None

    def encode(self, texts: Sequence[str], *, progress: bool = False) -> np.ndarray:
        return self.inner().encode(texts, progress=progress)

    def inner(self) -> Encoder:
        encoder = self._encoder
        if encoder is None:
            with self._lock:
                if self._encoder is None:
                    self._encoder = self._checked(self._load())
                encoder = self._encoder
        return encoder

    def _checked(self, encoder: Encoder) -> Encoder:
        if encoder.model_id != self.model_id or encoder.dim != self.dim:
            raise IndexMismatchError(
                f"the engine was built with model {self.model_id} ({self.dim}-d), the model "
                f"loaded now is {encoder.model_id} ({encoder.dim}-d): run `skillgraph build`"
            )
        return encoder


def configured_encoder(settings: Settings) -> Encoder:
    """The model the settings name, behind the data directory's embedding cache."""
    return load_encoder(settings.retrieval, settings.data_dir / EMBEDDINGS_DIR)


def _cache_first_encoder(settings: Settings) -> Encoder:
    """The configured model behind the cache, loaded only if a text is not in the cache (a
    rebuild with unchanged texts then loads no model). Its id and width come from the last
    build's manifest; without one the model is loaded now."""
    try:
        manifest = read_engine_manifest(settings)
    except SnapshotError:
        manifest = None
    if not manifest or manifest.get("model") != vector_space(settings.retrieval):
        return configured_encoder(settings)
    model_id, dim = str(manifest["model_id"]), int(manifest["dim"])
    lazy = LazyEncoder(lambda: load_encoder(settings.retrieval), model_id, dim)
    return CachedEncoder(lazy, settings.data_dir / EMBEDDINGS_DIR)


# ---------------------------------------------------------------------- records


def load_records(settings: Settings) -> Records:
    path = records_path(settings)
    if not path.exists():
        raise SnapshotError(
            f"no records in {settings.data_dir}: "
            "run `skillgraph ingest ...` or `skillgraph build DATASET`"
        )
    return load_snapshot(path).records


def ingest(settings: Settings, load: Loader, *, replace: bool = False) -> Records:
    """Load new records onto what the data directory holds (or instead of it) and save.

    The graph is built (and so validated) before anything is written: bad input leaves the
    directory byte for byte as it was.
    """
    path = records_path(settings)
    base = None if replace or not path.exists() else load_snapshot(path).records
    graph = SkillGraph.build(load(base))
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    save_snapshot(graph, path)
    return graph.records


def info(settings: Settings) -> dict[str, Any]:
    """Counts of what the data directory holds, and the state of its engine."""
    if not records_path(settings).exists():
        raise SnapshotError(
            f"nothing ingested in {settings.data_dir}: "
            "run `skillgraph ingest ...` or `skillgraph build DATASET`"
        )
    graph = load_snapshot(records_path(settings))
    counts: dict[str, Any] = {}
    for key, value in graph.records.counts().items():
        counts["content items" if key == "items" else key] = value
    graph_counts = graph.counts()
    counts.update({f"graph {k}": v for k, v in graph_counts.items()})
    counts["graph edges"] = sum(graph_counts[k.value] for k in EdgeKind)
    manifest = read_engine_manifest(settings)
    counts["engine"] = "built" if engine_ready(settings) else ("stale" if manifest else "not built")
    if manifest:
        counts["model"] = manifest.get("model_id", "")
        counts["built at"] = manifest.get("built_at", "")
        for key, value in manifest.get("derived_counts", {}).items():
            counts[key] = value
    counts["sources"] = ", ".join(graph.records.sources)
    return counts


# ---------------------------------------------------------------------- engine


def _file_digest(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def read_engine_manifest(settings: Settings) -> dict[str, Any] | None:
    path = engine_path(settings) / MANIFEST
    if not path.exists():
        return None
    try:
        data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise SnapshotError(f"corrupted engine manifest {path}: {exc}") from None
    return data


def engine_ready(settings: Settings) -> bool:
    """True when the saved engine was built from the current records with the configured model."""
    try:
        manifest = read_engine_manifest(settings)
    except SnapshotError:
        return False
    source = records_path(settings)
    return bool(
        manifest
        and source.exists()
        and manifest.get("format") == ENGINE_FORMAT
        and artefact_format_problem(manifest.get("artefacts")) is None
        and manifest.get("records_sha256") == _file_digest(source)
        and manifest.get("model") == vector_space(settings.retrieval)
    )


def build_engine(
    settings: Settings,
    *,
    records: Records | None = None,
    encoder: Encoder | None = None,
    progress: ProgressFn | None = None,
    revision: int = 0,
) -> Engine:
    """Build from the data directory's records (or the given ones) and save beside the old.

    Given `records` replace the directory's records only once the engine is built, so a build
    that fails leaves the directory as it was.
    """
    source = records if records is not None else load_records(settings)
    if encoder is not None:
        engine = Engine.build(
            source, settings, encoder=encoder, progress=progress, revision=revision
        )
    else:
        try:
            lazy = _cache_first_encoder(settings)
            engine = Engine.build(
                source, settings, encoder=lazy, progress=progress, revision=revision
            )
        except IndexMismatchError:  # the model files changed since the last build
            eager = configured_encoder(settings)
            engine = Engine.build(
                source, settings, encoder=eager, progress=progress, revision=revision
            )
    if records is not None:
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        save_snapshot(SkillGraph.build(records), records_path(settings))
    save_engine(engine, settings)
    return engine


def open_engine(
    settings: Settings,
    *,
    encoder: Encoder | None = None,
    progress: ProgressFn | None = None,
) -> Engine:
    """The saved engine when it is current, else a fresh build (saved)."""
    if engine_ready(settings):
        try:
            return load_engine(settings, encoder=encoder)
        except (SnapshotError, IndexMismatchError):
            pass  # damaged or from another model: rebuilt below
    return build_engine(settings, encoder=encoder, progress=progress)


def save_engine(engine: Engine, settings: Settings) -> Path:
    """Write the engine into a temp folder beside the old one, then swap."""
    target = engine_path(settings)
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(dir=settings.data_dir, prefix=".engine-"))
    try:
        save_snapshot(engine.graph, staging / "graph.snapshot")
        for kind in INDEX_KINDS:
            save_index(
                engine.ctx.indexes[kind],
                staging / "indexes" / kind,
                model_id=engine.encoder.model_id,
            )
        with (staging / "transitions.pkl").open("wb") as handle:
            pickle.dump(engine.transitions, handle, protocol=pickle.HIGHEST_PROTOCOL)
        (staging / MANIFEST).write_text(
            json.dumps(_manifest(engine, settings), indent=2), encoding="utf-8"
        )
        _swap_in(staging, target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return target


def _manifest(engine: Engine, settings: Settings) -> dict[str, Any]:
    source = records_path(settings)
    counts = engine.counts()
    return {
        "format": ENGINE_FORMAT,
        "artefacts": dict(ARTEFACT_FORMATS),
        "model": vector_space(settings.retrieval),
        "model_id": engine.encoder.model_id,
        "dim": engine.encoder.dim,
        "revision": engine.revision,
        "records_sha256": _file_digest(source) if source.exists() else None,
        "counts": engine.records.counts(),
        "derived_counts": {
            k: counts[k]
            for k in (
                "inferred role profiles",
                "roles with inferred additions",
                "items with inferred skills",
                "employees with inferred skills",
                "career moves (edges)",
            )
        },
        "derived": engine.derived.to_dict(),
        "build_seconds": dict(engine.stats.get("seconds", {})),
        "built_at": datetime.now(UTC).isoformat(timespec="seconds"),
    }


def _swap_in(staging: Path, target: Path) -> None:
    old = target.with_name(f".{target.name}-old-{os.getpid()}-{time.monotonic_ns()}")
    if target.exists():
        os.replace(target, old)
    os.replace(staging, target)
    shutil.rmtree(old, ignore_errors=True)


def load_engine(settings: Settings, *, encoder: Encoder | None = None) -> Engine:
    """The saved engine; without `encoder`, a LazyEncoder for the configured model.

    SnapshotError when there is none, it is of another format or damaged; IndexMismatchError
    when it was built with another model than the settings name.
    """
    folder = engine_path(settings)
    manifest = read_engine_manifest(settings)
    if manifest is None:
        raise SnapshotError(f"no engine built in {settings.data_dir}")
    if manifest.get("format") != ENGINE_FORMAT:
        raise SnapshotError(f"the engine in {folder} has another format: run `skillgraph build`")
    check_artefact_formats(manifest.get("artefacts"), str(folder))
    if manifest.get("model") != vector_space(settings.retrieval):
        raise IndexMismatchError(
            f"the engine in {folder} was built with model {manifest.get('model')!r}, the "
            f"settings name {vector_space(settings.retrieval)!r}: run `skillgraph build`"
        )
    if encoder is None:
        model_id, dim = str(manifest["model_id"]), int(manifest["dim"])
        encoder = LazyEncoder(lambda: configured_encoder(settings), model_id, dim)
    graph = load_snapshot(folder / "graph.snapshot")
    indexes = {
        kind: load_index(folder / "indexes" / kind, model_id=encoder.model_id, dim=encoder.dim)
        for kind in INDEX_KINDS
    }
    transitions = _load_transitions(folder / "transitions.pkl")
    ctx = EngineContext(graph, encoder, indexes, settings)
    inferrer = SkillInferrer(graph, encoder, indexes["skills"], indexes["roles"])
    return Engine.from_parts(
        settings,
        ctx,
        inferrer,
        transitions,
        int(manifest.get("revision", 0)),
        derived=Derived.from_dict(manifest.get("derived", {})),
        stats={"seconds": manifest.get("build_seconds", {})},
    )


def _load_transitions(path: Path) -> TransitionGraph:
    try:
        with path.open("rb") as handle:
            transitions = pickle.load(handle)  # our own file, written by save_engine
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError) as exc:
        raise SnapshotError(f"cannot read the career graph {path}: {exc}") from None
    except SnapshotError as exc:  # saved in another format (TransitionGraph.__setstate__)
        raise SnapshotError(f"{path}: {exc}") from None
    if not isinstance(transitions, TransitionGraph):
        raise SnapshotError(f"{path} does not hold a career graph")
    return transitions


def write_lines_atomic(path: Path, lines: Iterable[str]) -> int:
    """Write lines to a temp file beside `path`, then rename; returns the number of lines."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    count = 0
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            for line in lines:
                handle.write(line if line.endswith("\n") else line + "\n")
                count += 1
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return count
