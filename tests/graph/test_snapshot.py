"""Snapshots: round trip, atomic writes, and every way a file can be wrong."""

from __future__ import annotations

import os
import struct
from pathlib import Path

import pytest

from skillgraph.errors import SnapshotError
from skillgraph.graph import snapshot
from skillgraph.graph.ontology import SkillGraph
from skillgraph.graph.snapshot import HEADER, MAGIC, SNAPSHOT_VERSION, load_snapshot, save_snapshot


@pytest.fixture
def saved(graph: SkillGraph, tmp_path: Path) -> Path:
    path = tmp_path / "graph.snapshot"
    save_snapshot(graph, path)
    return path


def _patch(path: Path, offset: int, data: bytes) -> None:
    raw = bytearray(path.read_bytes())
    raw[offset : offset + len(data)] = data
    path.write_bytes(bytes(raw))


def test_round_trip_answers_the_same(graph: SkillGraph, saved: Path) -> None:
    loaded = load_snapshot(saved)
    assert loaded.records == graph.records
    assert loaded.counts() == graph.counts()
    assert loaded.ancestors("ml") == graph.ancestors("ml")
    assert loaded.related("py", radius=2) == graph.related("py", radius=2)
    assert loaded.similarity("django", "flask") == graph.similarity("django", "flask")
    assert loaded.roles_requiring("py") == graph.roles_requiring("py")
    assert loaded.prerequisite_order(["ml", "stats"]) == ["stats", "ml"]
    assert set(loaded.g.edges(keys=True)) == set(graph.g.edges(keys=True))


def test_file_layout(saved: Path) -> None:
    raw = saved.read_bytes()
    assert raw.startswith(MAGIC)
    _, version, _, length, _ = HEADER.unpack_from(raw)
    assert version == SNAPSHOT_VERSION
    assert length == len(raw) - HEADER.size


def test_caches_do_not_change_the_snapshot(graph: SkillGraph, tmp_path: Path) -> None:
    fresh = SkillGraph.build(graph.records)
    save_snapshot(fresh, tmp_path / "a")
    fresh.similarity("ml", "writing")
    fresh.ancestors("django")
    _ = fresh.g
    save_snapshot(fresh, tmp_path / "b")
    assert (tmp_path / "a").read_bytes() == (tmp_path / "b").read_bytes()


def test_overwrite_is_atomic_and_leaves_no_temp_files(graph: SkillGraph, saved: Path) -> None:
    changed = graph.with_roles({})
    save_snapshot(changed, saved)
    assert [p.name for p in saved.parent.iterdir()] == [saved.name]


def test_failed_write_keeps_the_old_file(
    graph: SkillGraph, saved: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = saved.read_bytes()

    def broken_replace(src: str, dst: str) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(OSError, match="disk full"):
        save_snapshot(graph, saved)
    assert saved.read_bytes() == before
    assert [p.name for p in saved.parent.iterdir()] == [saved.name]


def test_creates_missing_folders(graph: SkillGraph, tmp_path: Path) -> None:
    path = tmp_path / "a" / "b" / "graph.snapshot"
    save_snapshot(graph, path)
    assert load_snapshot(path).counts() == graph.counts()


def test_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "nothing.snapshot"
    with pytest.raises(SnapshotError, match="not found") as caught:
        load_snapshot(path)
    assert str(path) in str(caught.value)


def test_other_version(saved: Path) -> None:
    _patch(saved, len(MAGIC), struct.pack("<I", SNAPSHOT_VERSION + 1))
    with pytest.raises(SnapshotError, match=f"version {SNAPSHOT_VERSION + 1}") as caught:
        load_snapshot(saved)
    assert str(saved) in str(caught.value)


def test_other_record_schema(saved: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(snapshot, "SCHEMA_FINGERPRINT", b"\x00" * 16)
    with pytest.raises(SnapshotError, match="another record schema"):
        load_snapshot(saved)


def test_truncated(saved: Path) -> None:
    raw = saved.read_bytes()
    saved.write_bytes(raw[: len(raw) // 2])
    with pytest.raises(SnapshotError, match="truncated") as caught:
        load_snapshot(saved)
    assert str(saved) in str(caught.value)


def test_truncated_inside_the_header(saved: Path) -> None:
    saved.write_bytes(saved.read_bytes()[: HEADER.size - 3])
    with pytest.raises(SnapshotError, match="not a skillgraph snapshot"):
        load_snapshot(saved)


def test_corrupted_payload(saved: Path) -> None:
    raw = bytearray(saved.read_bytes())
    raw[HEADER.size + 100] ^= 0xFF
    saved.write_bytes(bytes(raw))
    with pytest.raises(SnapshotError, match="checksum") as caught:
        load_snapshot(saved)
    assert str(saved) in str(caught.value)


def test_not_a_snapshot(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("hello, this is not a graph\n" * 10)
    with pytest.raises(SnapshotError, match="not a skillgraph snapshot"):
        load_snapshot(path)


@pytest.mark.realdata
@pytest.mark.slow
def test_real_esco_round_trip(esco_graph: SkillGraph, tmp_path: Path) -> None:
    path = tmp_path / "esco.snapshot"
    save_snapshot(esco_graph, path)
    loaded = load_snapshot(path)
    assert loaded.counts() == esco_graph.counts()
    role_id = next(iter(esco_graph.records.roles))
    assert loaded.role_profile(role_id) == esco_graph.role_profile(role_id)
    skill_id = next(iter(esco_graph.records.skills))
    assert loaded.related(skill_id, radius=2) == esco_graph.related(skill_id, radius=2)
