"""The data directory: atomic ingest, save and load of engines, lazy model, recovery."""

from __future__ import annotations

import shutil
import threading
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from engine.conftest import TINY, hashing_settings
from engine.engine_answers import answer_snapshot

from skillgraph import workspace
from skillgraph.config import RetrievalSettings, Settings
from skillgraph.data.company import load_company
from skillgraph.data.schema import Records
from skillgraph.engine import Engine
from skillgraph.errors import DatasetError, IndexMismatchError, SnapshotError
from skillgraph.retrieval.encoder import HashingEncoder
from skillgraph.workspace import LazyEncoder

SAMPLE_EMPLOYEES = ["e0006", "e0017", "e0200"]  # one with skills inferred from `about`


@pytest.fixture(scope="module")
def saved_sample(sample_company_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Engine:
    """The sample company built with the hashing model and saved in a data directory."""
    settings = hashing_settings(tmp_path_factory.mktemp("sample"))
    return workspace.build_engine(settings, records=load_company(sample_company_dir))


def test_a_saved_engine_answers_exactly_like_the_built_one(saved_sample: Engine) -> None:
    loaded = workspace.load_engine(saved_sample.settings)
    assert loaded.records == saved_sample.records
    assert loaded.derived == saved_sample.derived
    some_roles = list(saved_sample.records.roles)[::20]
    options = {
        "target_role": "engineering-manager",
        "skill_sets": [("python", "sql"), ("people-management",)],
        "employees": SAMPLE_EMPLOYEES,
        "roles": some_roles,
    }
    assert answer_snapshot(loaded, **options) == answer_snapshot(saved_sample, **options)


def test_opening_loads_the_model_only_when_a_text_needs_encoding(saved_sample: Engine) -> None:
    from skillgraph.recommend.base import Query

    engine = workspace.open_engine(saved_sample.settings)
    assert isinstance(engine.encoder, LazyEncoder)
    engine.gaps("e0006", "engineering-manager")
    engine.role_gaps("backend-engineer", "staff-backend-engineer")
    assert not engine.encoder.loaded
    engine.content(Query(employee_id="e0006", k=3))
    engine.infer_skills("writes python services")  # free text: needs the model
    assert engine.encoder.loaded


def test_lazy_encoder_loads_once_and_checks_the_model() -> None:
    calls = []

    def load() -> HashingEncoder:
        calls.append(1)
        return HashingEncoder(64)

    model = HashingEncoder(64)
    lazy = LazyEncoder(load, model.model_id, model.dim)
    threads = [threading.Thread(target=lazy.encode, args=(["some text"],)) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(calls) == 1
    assert np.array_equal(lazy.encode(["a b"]), model.encode(["a b"]))
    other = LazyEncoder(lambda: HashingEncoder(32), model.model_id, model.dim)
    with pytest.raises(IndexMismatchError, match="skillgraph build"):
        other.encode(["x"])


def _ingest_tiny(settings: Settings, path: Path = TINY) -> Records:
    return workspace.ingest(settings, lambda base: load_company(path, base=base))


def test_bad_company_input_leaves_the_records_byte_identical(
    settings: Settings, tmp_path: Path
) -> None:
    _ingest_tiny(settings)
    before = workspace.records_path(settings).read_bytes()
    broken = tmp_path / "broken"
    shutil.copytree(TINY, broken)
    rows = (broken / "employees.csv").read_text(encoding="utf-8").splitlines()
    rows[3] = rows[3].replace(",scientist,", ",astronaut,")  # row 4 of the file
    (broken / "employees.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    with pytest.raises(DatasetError) as caught:
        workspace.ingest(settings, lambda base: load_company(broken), replace=True)
    message = str(caught.value)
    assert "employees.csv" in message
    assert "astronaut" in message
    assert caught.value.field == "role_id"
    assert workspace.records_path(settings).read_bytes() == before
    assert sorted(p.name for p in settings.data_dir.iterdir()) == ["records.snapshot"]


def test_a_failed_build_leaves_records_and_engine_as_they_were(
    settings: Settings, tiny_records: Records
) -> None:
    workspace.build_engine(settings, records=tiny_records)
    records_before = workspace.records_path(settings).read_bytes()
    manifest_before = (workspace.engine_path(settings) / "manifest.json").read_bytes()

    class Broken(HashingEncoder):
        def encode(self, texts: Sequence[str], *, progress: bool = False) -> np.ndarray:
            raise OSError("disk full")

    changed = replace(tiny_records, feedback={})
    with pytest.raises(OSError, match="disk full"):
        workspace.build_engine(settings, records=changed, encoder=Broken(64))
    assert workspace.records_path(settings).read_bytes() == records_before
    assert (workspace.engine_path(settings) / "manifest.json").read_bytes() == manifest_before
    assert workspace.engine_ready(settings)


def test_a_failed_save_keeps_the_old_engine(
    settings: Settings, tiny_records: Records, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine = workspace.build_engine(settings, records=tiny_records)
    manifest_before = (workspace.engine_path(settings) / "manifest.json").read_bytes()

    def fail(*args: object, **kwargs: object) -> None:
        raise OSError("no space left on device")

    monkeypatch.setattr(workspace, "save_index", fail)
    with pytest.raises(OSError, match="no space"):
        workspace.save_engine(engine, settings)
    assert (workspace.engine_path(settings) / "manifest.json").read_bytes() == manifest_before
    assert not [p for p in settings.data_dir.iterdir() if p.name.startswith(".")]


def test_open_engine_builds_once_then_loads(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    _ingest_tiny(settings)
    assert not workspace.engine_ready(settings)
    built = workspace.open_engine(settings)
    assert workspace.engine_ready(settings)

    def no_build(*args: object, **kwargs: object) -> Engine:
        raise AssertionError("a current engine must be loaded, not rebuilt")

    monkeypatch.setattr(Engine, "build", no_build)
    loaded = workspace.open_engine(settings)
    assert loaded.records == built.records


def test_changed_records_or_model_make_the_engine_stale(settings: Settings) -> None:
    _ingest_tiny(settings)
    workspace.open_engine(settings)
    other_model = settings.with_overrides(retrieval=RetrievalSettings(model="hashing:32"))
    assert not workspace.engine_ready(other_model)
    with pytest.raises(IndexMismatchError):
        workspace.load_engine(other_model)
    rebuilt = workspace.open_engine(other_model)  # falls back to a build with that model
    assert rebuilt.encoder.dim == 32
    assert workspace.engine_ready(other_model)
    workspace.ingest(settings, lambda base: replace(base or Records(), feedback={}))
    assert not workspace.engine_ready(other_model)


def test_a_backend_with_other_vectors_makes_the_engine_stale(settings: Settings) -> None:
    _ingest_tiny(settings)
    workspace.open_engine(settings)
    same_vectors = replace(settings.retrieval, backend="onnx")
    int8 = replace(settings.retrieval, backend="onnx-int8")
    assert workspace.engine_ready(settings.with_overrides(retrieval=same_vectors))
    assert not workspace.engine_ready(settings.with_overrides(retrieval=int8))
    with pytest.raises(IndexMismatchError, match="onnx-int8"):
        workspace.load_engine(settings.with_overrides(retrieval=int8))


@pytest.mark.parametrize("damage", ["manifest", "graph", "transitions"])
def test_a_damaged_engine_is_refused_and_rebuilt(settings: Settings, damage: str) -> None:
    _ingest_tiny(settings)
    workspace.open_engine(settings)
    folder = workspace.engine_path(settings)
    target = {
        "manifest": folder / "manifest.json",
        "graph": folder / "graph.snapshot",
        "transitions": folder / "transitions.pkl",
    }[damage]
    target.write_bytes(target.read_bytes()[: len(target.read_bytes()) // 2])
    with pytest.raises(SnapshotError):
        workspace.load_engine(settings)
    engine = workspace.open_engine(settings)
    assert engine.records.employees
    assert workspace.load_engine(settings).records == engine.records


def test_info_counts_records_edges_and_engine_state(settings: Settings) -> None:
    with pytest.raises(SnapshotError, match="nothing ingested"):
        workspace.info(settings)
    records = _ingest_tiny(settings)
    counts = workspace.info(settings)
    assert counts["skills"] == len(records.skills)
    assert counts["roles"] == len(records.roles)
    assert counts["employees"] == len(records.employees)
    assert counts["mentors"] == len(records.mentors)
    assert counts["content items"] == len(records.items)
    assert counts["graph edges"] > 0
    assert counts["engine"] == "not built"
    workspace.open_engine(settings)
    counts = workspace.info(settings)
    assert counts["engine"] == "built"
    assert counts["inferred role profiles"] == 1
    assert counts["employees with inferred skills"] == 1


def test_a_rebuild_with_unchanged_texts_loads_no_model(
    settings: Settings, tiny_records: Records, monkeypatch: pytest.MonkeyPatch
) -> None:
    loads: list[str] = []
    real_load = workspace.load_encoder

    def counting_load(*args: object, **kwargs: object) -> object:
        loads.append("model")
        return real_load(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(workspace, "load_encoder", counting_load)
    workspace.build_engine(settings, records=tiny_records)
    assert loads == ["model"]  # the first build: no manifest to know the model by
    workspace.build_engine(settings)
    assert loads == ["model"]  # every text in the cache: the model is never loaded
    renamed = replace(tiny_records.roles["lead"], title="Head of Data")
    changed = replace(tiny_records, roles={**tiny_records.roles, "lead": renamed})
    workspace.build_engine(settings, records=changed)
    assert loads == ["model", "model"]  # a new text: loaded once, on demand
