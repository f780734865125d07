"""A data directory: everything one engine needs, written atomically.

    <data_dir>/records.snapshot      ingested records and their graph (what `ingest` writes)
    <data_dir>/engine/               the built engine: graph with inferred profiles, indexes,
                                     career graph, manifest naming the records it was built from
    <data_dir>/embeddings/           embedding cache keyed by model id and text hash
    <data_dir>/skillgraph.db         the store (SQLite by default)

A rebuild writes a new engine folder beside the old one and swaps it in with a rename.
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import shutil
import tempfile
import time
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from skillgraph.config import Settings
from skillgraph.data.schema import Records
from skillgraph.engine import Engine, ProgressFn
from skillgraph.errors import SnapshotError
from skillgraph.graph.ontology import SkillGraph
from skillgraph.graph.snapshot import load_snapshot, save_snapshot
from skillgraph.recommend.base import EngineContext
from skillgraph.retrieval.encoder import Encoder, load_encoder
from skillgraph.retrieval.index import load_index, save_index
from skillgraph.retrieval.inference import SkillInferrer

RECORDS_FILE = "records.snapshot"
ENGINE_DIR = "engine"
MANIFEST = "manifest.json"
ENGINE_FORMAT = 1
INDEX_KINDS = ("skills", "roles", "employees", "mentors", "items")


def records_path(settings: Settings) -> Path:
    return settings.data_dir / RECORDS_FILE


def engine_path(settings: Settings) -> Path:
    return settings.data_dir / ENGINE_DIR


# ---------------------------------------------------------------------- records


def load_records(settings: Settings) -> Records:
    path = records_path(settings)
    if not path.exists():
        raise SnapshotError(
            f"no records in {settings.data_dir}: "
            "run `skillgraph ingest ...` or `skillgraph build DATASET`"
        )
    return load_snapshot(path).records


def ingest(
    settings: Settings, load: Callable[[Records | None], Records], *, replace: bool = False
) -> Records:
    """Load new records onto what the data directory holds (or instead of it) and save.

    The graph is built before anything is written, so bad input leaves the directory as it was.
    """
    path = records_path(settings)
    base = None if replace or not path.exists() else load_snapshot(path).records
    records = load(base)
    graph = SkillGraph.build(records)
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    save_snapshot(graph, path)
    return records


def info(settings: Settings) -> dict[str, Any]:
    counts: dict[str, Any] = {}
    graph = load_snapshot(records_path(settings)) if records_path(settings).exists() else None
    if graph is None:
        raise SnapshotError(f"nothing ingested in {settings.data_dir}")
    counts.update(graph.records.counts())
    counts.update({f"graph {k}": v for k, v in graph.counts().items()})
    manifest = read_engine_manifest(settings)
    counts["engine"] = "built" if engine_ready(settings) else ("stale" if manifest else "not built")
    if manifest:
        counts["model"] = manifest.get("model_id", "")
        counts["built at"] = manifest.get("built_at", "")
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
    except json.JSONDecodeError as exc:
        raise SnapshotError(f"corrupted engine manifest {path}: {exc}") from None
    return data


def engine_ready(settings: Settings) -> bool:
    """True when the saved engine was built from the current records with the configured model."""
    manifest = read_engine_manifest(settings)
    source = records_path(settings)
    return bool(
        manifest
        and source.exists()
        and manifest.get("format") == ENGINE_FORMAT
        and manifest.get("records_sha256") == _file_digest(source)
        and manifest.get("model") == settings.retrieval.model
    )


def build_engine(
    settings: Settings,
    *,
    records: Records | None = None,
    encoder: Encoder | None = None,
    progress: ProgressFn | None = None,
    revision: int = 0,
) -> Engine:
    """Build from the data directory's records (or the given ones) and save beside the old."""
    records = records if records is not None else load_records(settings)
    engine = Engine.build(
        records, settings, encoder=_encoder(settings, encoder), progress=progress, revision=revision
    )
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
        except SnapshotError:
            pass  # rebuilt below
    return build_engine(settings, encoder=encoder, progress=progress)


def _encoder(settings: Settings, encoder: Encoder | None) -> Encoder:
    return encoder or load_encoder(settings.retrieval, settings.data_dir / "embeddings")


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
        source = records_path(settings)
        manifest = {
            "format": ENGINE_FORMAT,
            "model": settings.retrieval.model,
            "model_id": engine.encoder.model_id,
            "dim": engine.encoder.dim,
            "revision": engine.revision,
            "records_sha256": _file_digest(source) if source.exists() else None,
            "counts": engine.records.counts(),
            "built_at": datetime.now(UTC).isoformat(timespec="seconds"),
        }
        (staging / MANIFEST).write_text(json.dumps(manifest, indent=2), encoding="utf-8")
        _swap_in(staging, target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return target


def _swap_in(staging: Path, target: Path) -> None:
    old = target.with_name(f".{target.name}-old-{os.getpid()}-{time.monotonic_ns()}")
    if target.exists():
        os.replace(target, old)
    os.replace(staging, target)
    shutil.rmtree(old, ignore_errors=True)


def load_engine(settings: Settings, *, encoder: Encoder | None = None) -> Engine:
    folder = engine_path(settings)
    manifest = read_engine_manifest(settings)
    if manifest is None:
        raise SnapshotError(f"no engine built in {settings.data_dir}")
    encoder = _encoder(settings, encoder)
    graph = load_snapshot(folder / "graph.snapshot")
    indexes = {
        kind: load_index(folder / "indexes" / kind, model_id=encoder.model_id, dim=encoder.dim)
        for kind in INDEX_KINDS
    }
    try:
        with (folder / "transitions.pkl").open("rb") as handle:
            transitions = pickle.load(handle)  # our own file, written by save_engine
    except (OSError, pickle.UnpicklingError, EOFError) as exc:
        raise SnapshotError(f"cannot read the career graph in {folder}: {exc}") from None
    ctx = EngineContext(graph, encoder, indexes, settings)
    inferrer = SkillInferrer(graph, encoder, indexes["skills"], indexes["roles"])
    engine = Engine.from_parts(
        settings, ctx, inferrer, transitions, int(manifest.get("revision", 0))
    )
    return engine


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
