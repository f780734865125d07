"""The ONNX backends of SentenceTransformerEncoder against the torch model they replace."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from skillgraph.config import RetrievalSettings
from skillgraph.errors import ModelNotAvailableError, ValidationError
from skillgraph.retrieval import onnx_model
from skillgraph.retrieval.cache import CachedEncoder
from skillgraph.retrieval.encoder import SentenceTransformerEncoder, load_encoder

TEXTS = [
    "Python",
    "data analysis with pandas and numpy for monthly reporting",
    "drive a forklift in a warehouse",
    "teach mathematics to primary school children",
    "Manage a team of software engineers. " * 60,  # past the 256-token window: truncated
    "",
]


@pytest.fixture(scope="module")
def export_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("onnx-exports")


@pytest.fixture(scope="module")
def onnx_encoder(real_encoder: Any, export_dir: Path) -> SentenceTransformerEncoder:
    pytest.importorskip("onnxruntime", reason="the 'onnx' extra is not installed")
    return SentenceTransformerEncoder(
        RetrievalSettings(threads=1, backend="onnx"), export_dir=export_dir
    )


def test_unknown_backend_is_rejected_before_loading() -> None:
    with pytest.raises(ValidationError, match="openvino"):
        SentenceTransformerEncoder(RetrievalSettings(backend="openvino"))


def test_missing_onnxruntime_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "onnxruntime", None)  # import fails as if not installed
    with pytest.raises(ModelNotAvailableError, match=r"skillgraph\[onnx\]"):
        SentenceTransformerEncoder(RetrievalSettings(backend="onnx"))


def test_mean_pooling_ignores_padding() -> None:
    tokens = np.array([[[1.0, 2.0], [3.0, 4.0], [100.0, 100.0]]], dtype=np.float32)
    mask = np.array([[1, 1, 0]])
    np.testing.assert_allclose(onnx_model._pool(tokens, mask, "mean"), [[2.0, 3.0]])
    np.testing.assert_allclose(onnx_model._pool(tokens, mask, "max"), [[3.0, 4.0]])
    np.testing.assert_allclose(onnx_model._pool(tokens, mask, "cls"), [[1.0, 2.0]])


@pytest.mark.model
def test_onnx_agrees_with_torch(
    real_encoder: SentenceTransformerEncoder, onnx_encoder: SentenceTransformerEncoder
) -> None:
    expected = real_encoder.encode(TEXTS)
    got = onnx_encoder.encode(TEXTS)
    assert got.dtype == np.float32
    assert got.shape == expected.shape
    np.testing.assert_allclose(np.linalg.norm(got, axis=1), 1.0, atol=1e-5)
    assert np.min(np.sum(got * expected, axis=1)) > 0.999
    # one text alone (no padding) gives the vector it gets inside a padded batch
    np.testing.assert_allclose(onnx_encoder.encode(TEXTS[1:2])[0], got[1], atol=1e-5)
    assert onnx_encoder.model_id == real_encoder.model_id  # same vectors, same caches


@pytest.mark.model
def test_export_is_stored_once_and_reused(
    onnx_encoder: SentenceTransformerEncoder, export_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    stored = sorted(p.name for p in export_dir.rglob("*") if p.is_file())
    assert len(stored) == 1
    assert stored[0].endswith(".onnx")
    assert not stored[0].startswith(".")  # no temporary file left behind

    def no_export(st_model: Any) -> bytes:
        raise AssertionError("exported again")

    monkeypatch.setattr(onnx_model, "export_transformer", no_export)
    again = SentenceTransformerEncoder(
        RetrievalSettings(threads=1, backend="onnx"), export_dir=export_dir
    )
    np.testing.assert_allclose(again.encode(TEXTS[:2]), onnx_encoder.encode(TEXTS[:2]), atol=1e-6)


@pytest.mark.model
def test_a_damaged_export_is_replaced(
    onnx_encoder: SentenceTransformerEncoder, export_dir: Path, tmp_path: Path
) -> None:
    shutil.copytree(export_dir, tmp_path, dirs_exist_ok=True)
    (path,) = list(tmp_path.rglob("*.onnx"))
    size = path.stat().st_size
    path.write_bytes(path.read_bytes()[: size // 2])  # truncated: not a loadable graph
    again = SentenceTransformerEncoder(
        RetrievalSettings(threads=1, backend="onnx"), export_dir=tmp_path
    )
    assert path.stat().st_size == size
    np.testing.assert_allclose(again.encode(TEXTS[:2]), onnx_encoder.encode(TEXTS[:2]), atol=1e-6)


@pytest.mark.model
def test_int8_is_close_keeps_neighbours_and_has_its_own_id(
    real_encoder: SentenceTransformerEncoder, onnx_encoder: Any, export_dir: Path, tmp_path: Path
) -> None:
    pytest.importorskip("onnx", reason="the 'onnx' extra is not installed")
    # load_encoder stores exports in models/ beside the embedding cache; start from the float
    # export so that only the quantisation runs here
    shutil.copytree(export_dir, tmp_path / "models")
    settings = RetrievalSettings(threads=1, backend="onnx-int8")
    int8 = load_encoder(settings, cache_dir=tmp_path / "embeddings")
    assert isinstance(int8, CachedEncoder)  # keyed by model id: never reads torch vectors
    assert list((tmp_path / "models").rglob("*-int8.onnx"))
    expected, got = real_encoder.encode(TEXTS), int8.encode(TEXTS)
    assert np.min(np.sum(got * expected, axis=1)) > 0.97
    assert int8.model_id == real_encoder.model_id + ":onnx-int8"
    query = int8.encode(["software development in Python"])[0]
    assert np.argmax(got[:4] @ query) == 0  # "Python" stays the nearest of the four
