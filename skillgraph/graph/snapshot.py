"""A SkillGraph on disk: a small header, then the pickled graph.

Layout (little-endian): magic b"SKGSNAP\\n" | format version u32 | record-schema fingerprint
16 bytes | payload length u64 | payload sha256 32 bytes | payload (pickle protocol 5).

The fingerprint covers the field names of the record dataclasses and of the graph's indexes, so
a snapshot written before a schema change is refused instead of unpickled into wrong fields.
The checksum catches truncation and corruption, not tampering: a snapshot is a trusted local
file (pickle runs code on load), never something accepted from users.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import pickle
import struct
import tempfile
from pathlib import Path

from skillgraph.data import schema
from skillgraph.errors import SnapshotError
from skillgraph.graph import ontology
from skillgraph.graph.ontology import SkillGraph

SNAPSHOT_VERSION = 1
MAGIC = b"SKGSNAP\n"
HEADER = struct.Struct("<8sI16sQ32s")


def _schema_fingerprint() -> bytes:
    parts: list[str] = []
    for module in (schema, ontology):
        for name in sorted(vars(module)):
            obj = getattr(module, name)
            if isinstance(obj, type) and dataclasses.is_dataclass(obj):
                parts.append(name + ":" + ",".join(f.name for f in dataclasses.fields(obj)))
    return hashlib.sha256("\n".join(parts).encode()).digest()[:16]


SCHEMA_FINGERPRINT = _schema_fingerprint()


def save_snapshot(graph: SkillGraph, path: Path) -> None:
    """Write atomically: a temporary file in the same folder, then a rename over `path`."""
    payload = pickle.dumps(graph, protocol=5)
    header = HEADER.pack(
        MAGIC, SNAPSHOT_VERSION, SCHEMA_FINGERPRINT, len(payload), hashlib.sha256(payload).digest()
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(header)
            out.write(payload)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def load_snapshot(path: Path) -> SkillGraph:
    """The graph saved at `path`; SnapshotError if missing, of another version, or damaged."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise SnapshotError(f"snapshot not found: {path}") from None
    except OSError as exc:
        raise SnapshotError(f"cannot read snapshot {path}: {exc.strerror or exc}") from None
    payload = _checked_payload(data, path)
    try:
        graph = pickle.loads(payload)
    except Exception as exc:  # any unpickling failure means a damaged or foreign file
        raise SnapshotError(f"snapshot {path} cannot be read back: {exc}") from None
    if not isinstance(graph, SkillGraph):
        raise SnapshotError(f"snapshot {path} holds a {type(graph).__name__}, not a SkillGraph")
    return graph


def _checked_payload(data: bytes, path: Path) -> memoryview:
    if len(data) < HEADER.size or not data.startswith(MAGIC):
        raise SnapshotError(f"{path} is not a skillgraph snapshot (bad header)")
    _, version, fingerprint, length, digest = HEADER.unpack_from(data)
    if version != SNAPSHOT_VERSION:
        raise SnapshotError(
            f"snapshot {path} has format version {version}, this skillgraph reads version "
            f"{SNAPSHOT_VERSION}; ingest the data again to rebuild it"
        )
    if fingerprint != SCHEMA_FINGERPRINT:
        raise SnapshotError(
            f"snapshot {path} was written with another record schema; ingest the data again"
        )
    payload = memoryview(data)[HEADER.size :]
    if len(payload) != length:
        raise SnapshotError(
            f"snapshot {path} is truncated or padded: {len(payload)} payload bytes, "
            f"header says {length}"
        )
    if hashlib.sha256(payload).digest() != digest:
        raise SnapshotError(f"snapshot {path} is corrupted (checksum mismatch)")
    return payload
