"""A saved engine records the format of each artefact; one saved in other formats (an older or
newer skillgraph) is refused with a SnapshotError that says to rebuild, and `open_engine`
rebuilds it, instead of unpickling objects the code no longer matches."""

from __future__ import annotations

import json
import pickle
from pathlib import Path
from typing import Any

import pytest
from engine.conftest import TINY

from skillgraph import workspace
from skillgraph.config import Settings
from skillgraph.data.company import load_company
from skillgraph.engine import ARTEFACT_FORMATS, Engine
from skillgraph.errors import SnapshotError
from skillgraph.graph import transitions as transitions_module
from skillgraph.graph.transitions import TRANSITIONS_FORMAT, TransitionGraph


def _saved(settings: Settings) -> Engine:
    workspace.ingest(settings, lambda base: load_company(TINY, base=base))
    return workspace.open_engine(settings)


def _manifest_path(settings: Settings) -> Path:
    return workspace.engine_path(settings) / "manifest.json"


def _edit_manifest(settings: Settings, change: dict[str, Any], drop: str | None = None) -> None:
    path = _manifest_path(settings)
    manifest = json.loads(path.read_text(encoding="utf-8"))
    manifest.update(change)
    if drop is not None:
        manifest.pop(drop)
    path.write_text(json.dumps(manifest), encoding="utf-8")


def test_the_manifest_records_the_format_of_every_artefact(settings: Settings) -> None:
    _saved(settings)
    manifest = json.loads(_manifest_path(settings).read_text(encoding="utf-8"))
    assert manifest["artefacts"] == dict(ARTEFACT_FORMATS)
    assert manifest["artefacts"]["transitions"] == TRANSITIONS_FORMAT
    assert workspace.engine_ready(settings)


@pytest.mark.parametrize(
    ("change", "drop", "said"),
    [
        ({}, "artefacts", "records no artefact formats"),
        (
            {"artefacts": {**ARTEFACT_FORMATS, "transitions": TRANSITIONS_FORMAT + 1}},
            None,
            "transitions format",
        ),
        ({"artefacts": {**ARTEFACT_FORMATS, "graph": 0}}, None, "graph format"),
    ],
)
def test_an_engine_saved_in_other_formats_is_refused_then_rebuilt(
    settings: Settings, change: dict[str, Any], drop: str | None, said: str
) -> None:
    built = _saved(settings)
    _edit_manifest(settings, change, drop)
    assert not workspace.engine_ready(settings)
    with pytest.raises(SnapshotError, match="skillgraph build") as caught:
        workspace.load_engine(settings)
    assert said in str(caught.value)
    rebuilt = workspace.open_engine(settings)  # not ready: built again and saved
    assert workspace.engine_ready(settings)
    assert rebuilt.records == built.records
    assert workspace.load_engine(settings).records == built.records


def test_a_career_graph_pickled_in_another_format_is_refused_on_load(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    _saved(settings)
    path = workspace.engine_path(settings) / "transitions.pkl"
    graph = pickle.loads(path.read_bytes())
    monkeypatch.setattr(transitions_module, "TRANSITIONS_FORMAT", TRANSITIONS_FORMAT + 1)
    path.write_bytes(pickle.dumps(graph))  # the manifest still claims the current format
    monkeypatch.undo()
    with pytest.raises(SnapshotError, match="skillgraph build") as caught:
        workspace.load_engine(settings)
    assert "transitions.pkl" in str(caught.value)


def test_an_unversioned_career_graph_does_not_unpickle(settings: Settings) -> None:
    engine = _saved(settings)
    state = engine.transitions.__getstate__()
    state.pop("_format")
    bare = TransitionGraph.__new__(TransitionGraph)
    with pytest.raises(SnapshotError, match="unversioned"):
        bare.__setstate__(state)
    copy = pickle.loads(pickle.dumps(engine.transitions))  # a current one round-trips
    assert copy.role_ids == engine.transitions.role_ids
    assert copy.out_edges(copy.role_ids[0]) == engine.transitions.out_edges(copy.role_ids[0])
