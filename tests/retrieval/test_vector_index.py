"""Vector indexes: FAISS against the numpy oracle, approximate recall, changes, filtered search."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from skillgraph.config import RetrievalSettings
from skillgraph.errors import ConflictError, NotFoundError, ValidationError
from skillgraph.retrieval import faiss_index
from skillgraph.retrieval.index import ExactIndex, FaissIndex, build_index, choose_index_type

DIM = 32


def unit_rows(rng: np.random.Generator, n: int, dim: int = DIM) -> np.ndarray:
    x = rng.standard_normal((n, dim)).astype(np.float32)
    return x / np.linalg.norm(x, axis=1, keepdims=True)


def clustered(rng: np.random.Generator, n: int, dim: int, clusters: int) -> np.ndarray:
    """Points around random centres: the shape of real embedding collections."""
    centres = unit_rows(rng, clusters, dim)
    labels = rng.integers(0, clusters, n)
    x = centres[labels] + 0.35 * rng.standard_normal((n, dim)).astype(np.float32) / np.sqrt(dim)
    return (x / np.linalg.norm(x, axis=1, keepdims=True)).astype(np.float32)


def names(n: int, prefix: str = "v") -> list[str]:
    return [f"{prefix}{i}" for i in range(n)]


def recall_at(exact: list[list[tuple[str, float]]], approx: list[list[tuple[str, float]]]) -> float:
    found = [
        len({i for i, _ in a} & {i for i, _ in e}) / len(e)
        for e, a in zip(exact, approx, strict=True)
    ]
    return float(np.mean(found))


def assert_same_hits(a: list[list[tuple[str, float]]], b: list[list[tuple[str, float]]]) -> None:
    assert len(a) == len(b)
    for ha, hb in zip(a, b, strict=True):
        assert [i for i, _ in ha] == [i for i, _ in hb]
        np.testing.assert_allclose([s for _, s in ha], [s for _, s in hb], atol=1e-5)


@pytest.fixture(scope="module")
def data() -> tuple[list[str], np.ndarray, np.ndarray]:
    rng = np.random.default_rng(7)
    return names(2000), unit_rows(rng, 2000), unit_rows(rng, 40)


@pytest.mark.parametrize("k", [1, 10, 50])
def test_faiss_flat_equals_exact_index(
    data: tuple[list[str], np.ndarray, np.ndarray], k: int
) -> None:
    ids, x, q = data
    flat = FaissIndex(DIM, index_type="flat")
    flat.add(ids, x)
    assert_same_hits(flat.search(q, k), ExactIndex.from_arrays(ids, x).search(q, k))


def test_scores_are_cosines_best_first(data: tuple[list[str], np.ndarray, np.ndarray]) -> None:
    ids, x, q = data
    hits = FaissIndex(DIM, index_type="flat")
    hits.add(ids, x)
    result = hits.search(q[:1], 5)[0]
    scores = [s for _, s in result]
    assert scores == sorted(scores, reverse=True)
    row = ids.index(result[0][0])
    assert scores[0] == pytest.approx(float(q[0] @ x[row]), abs=1e-5)


@pytest.mark.parametrize("index_type", ["hnsw", "hnsw_sq8", "ivf"])
def test_approximate_recall_at_10_on_clustered_data(index_type: str) -> None:
    rng = np.random.default_rng(11)
    both = clustered(rng, 4100, 64, clusters=40)
    x, q = both[:4000], both[4000:]  # queries drawn like the data, not indexed
    ids = names(len(x))
    approx = FaissIndex(64, index_type=index_type)
    approx.add(ids, x)
    assert approx.index_type == index_type
    assert recall_at(ExactIndex.from_arrays(ids, x).search(q, 10), approx.search(q, 10)) >= 0.95


def test_auto_type_follows_size_thresholds() -> None:
    assert choose_index_type(10, flat_max=100) == "flat"
    assert choose_index_type(100, flat_max=100) == "flat"
    assert choose_index_type(101, flat_max=100) != "flat"
    rng = np.random.default_rng(3)
    index = build_index(names(300), unit_rows(rng, 300), settings=RetrievalSettings(flat_max=200))
    assert index.index_type == choose_index_type(300, 200)
    grows = FaissIndex(DIM, flat_max=50)
    grows.add(names(40), unit_rows(rng, 40))
    assert grows.index_type == "flat"
    grows.add(names(40, "w"), unit_rows(rng, 40))
    assert grows.index_type == choose_index_type(80, 50)
    assert len(grows) == 80
    grows.remove(names(10))  # 70 left, still above flat_max
    grows.remove(names(40, "w")[:15])  # 55 left, few tombstones: no rebuild yet
    assert grows.index_type == choose_index_type(80, 50)
    grows.remove(names(40, "w")[15:30])  # 40 left: tombstones force a rebuild, sized for 40
    assert grows.index_type == "flat"
    assert grows.dead == 0


@pytest.mark.parametrize(
    "make",
    [
        lambda: ExactIndex(DIM),
        lambda: FaissIndex(DIM, index_type="flat"),
        lambda: FaissIndex(DIM, index_type="hnsw"),
    ],
)
def test_add_upsert_remove_semantics(make) -> None:  # type: ignore[no-untyped-def]
    rng = np.random.default_rng(5)
    x = unit_rows(rng, 6)
    index = make()
    index.add(["a", "b", "c"], x[:3])
    with pytest.raises(ConflictError):
        index.add(["c", "d"], x[3:5])
    assert len(index) == 3  # the failed add changed nothing
    index.upsert(["b", "d"], x[3:5])
    assert sorted(index.ids()) == ["a", "b", "c", "d"]
    np.testing.assert_allclose(index.vector("b"), x[3], atol=1e-6)
    assert index.search(x[3:4], 1)[0][0][0] in {"b", "d"}
    assert index.search(x[1:2], 4)[0][0][0] != "b"  # the old vector of b is gone
    index.remove(["a", "zzz"])
    assert sorted(index.ids()) == ["b", "c", "d"]
    assert "a" not in [i for i, _ in index.search(x[0:1], 10)[0]]
    with pytest.raises(NotFoundError):
        index.vector("a")
    assert len(index.search(x[:2], 10)[0]) == 3


def test_bad_input_is_rejected() -> None:
    index = FaissIndex(DIM, index_type="flat")
    with pytest.raises(ValidationError):
        index.add(["a"], np.zeros((1, DIM + 1), np.float32))
    with pytest.raises(ValidationError):
        index.add(["a", "b"], np.zeros((1, DIM), np.float32))
    with pytest.raises(ConflictError):
        index.add(["a", "a"], np.zeros((2, DIM), np.float32))
    with pytest.raises(ValidationError):
        index.search(np.zeros((1, DIM), np.float32), 3, allow="a")
    with pytest.raises(ValidationError):
        FaissIndex(DIM, index_type="lsh")


def test_empty_index_and_k_zero() -> None:
    q = np.ones((2, DIM), np.float32) / np.sqrt(DIM)
    for index in (ExactIndex(DIM), FaissIndex(DIM)):
        assert index.search(q, 5) == [[], []]
        index.add(["a"], q[:1])
        assert index.search(q, 0) == [[], []]
        assert [len(h) for h in index.search(q, 5)] == [1, 1]


@pytest.mark.parametrize("index_type", ["flat", "hnsw", "hnsw_sq8", "ivf"])
@pytest.mark.parametrize("as_predicate", [False, True])
def test_filter_admitting_one_percent_returns_exactly_k(
    index_type: str, as_predicate: bool
) -> None:
    rng = np.random.default_rng(13)
    x = clustered(rng, 3000, DIM, clusters=30)
    ids = names(len(x))
    allowed = set(ids[::100])  # 30 ids
    index = FaissIndex(DIM, index_type=index_type)
    index.add(ids, x)
    allow = (lambda i: i in allowed) if as_predicate else allowed
    hits = index.search(x[:20], 10, allow=allow)
    assert all(len(h) == 10 for h in hits)
    assert all(i in allowed for h in hits for i, _ in h)
    exact = ExactIndex.from_arrays(ids, x).search(x[:20], 10, allow=allowed)
    if index_type in (
        "flat",
        "hnsw",
        "ivf",
    ):  # exact storage: the small allowed set is scored exactly
        assert_same_hits(hits, exact)
    assert index.search(x[:1], 50, allow=allow)[0].__len__() == 30  # fewer allowed than k


@pytest.mark.parametrize("index_type", ["flat", "hnsw"])
def test_large_filters_use_the_selector_and_still_fill_k(
    index_type: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(faiss_index, "BRUTE_FORCE_MAX", 500)  # force the FAISS selector path
    rng = np.random.default_rng(17)
    x = clustered(rng, 4000, 16, clusters=50)
    ids = names(len(x))
    allowed = set(ids[::3])
    index = FaissIndex(16, index_type=index_type)
    index.add(ids, x)
    hits = index.search(x[:30], 10, allow=allowed)
    assert all(len(h) == 10 and all(i in allowed for i, _ in h) for h in hits)
    exact = ExactIndex.from_arrays(ids, x).search(x[:30], 10, allow=allowed)
    assert recall_at(exact, hits) >= 0.95


def test_tombstones_trigger_rebuild_and_stay_hidden() -> None:
    rng = np.random.default_rng(19)
    x = unit_rows(rng, 400)
    index = FaissIndex(DIM, index_type="hnsw")
    index.add(names(400), x)
    index.remove(names(50))
    assert index.dead == 50
    assert all(int(i[1:]) >= 50 for h in index.search(x[:50], 5) for i, _ in h)
    assert [len(h) for h in index.search(x[:5], 5)] == [5] * 5
    index.remove(names(150)[50:])
    assert index.dead == 0  # past the rebuild fraction
    assert len(index) == 250
    assert_same_hits(
        index.search(x[:10], 5), ExactIndex.from_arrays(names(400)[150:], x[150:]).search(x[:10], 5)
    )


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    ops=st.lists(
        st.tuples(
            st.sampled_from(["add", "upsert", "remove"]), st.lists(st.integers(0, 30), max_size=8)
        ),
        max_size=12,
    ),
    seed=st.integers(0, 2**16),
)
def test_flat_index_matches_oracle_under_any_changes(
    ops: list[tuple[str, list[int]]], seed: int
) -> None:
    rng = np.random.default_rng(seed)
    oracle, flat = ExactIndex(8), FaissIndex(8, index_type="flat")
    for op, keys in ops:
        ids = list(dict.fromkeys(f"k{k}" for k in keys))
        vecs = unit_rows(rng, len(ids), 8)
        if op == "remove":
            oracle.remove(ids)
            flat.remove(ids)
        elif op == "upsert":
            oracle.upsert(ids, vecs)
            flat.upsert(ids, vecs)
        else:
            fresh = [i for i in ids if i not in oracle]
            rows = [ids.index(i) for i in fresh]
            oracle.add(fresh, vecs[rows])
            flat.add(fresh, vecs[rows])
    assert sorted(oracle.ids()) == sorted(flat.ids())
    q = unit_rows(rng, 3, 8)
    allow = set(oracle.ids()[::2])
    assert_same_hits(oracle.search(q, 4), flat.search(q, 4))
    assert_same_hits(oracle.search(q, 4, allow=allow), flat.search(q, 4, allow=allow))


@pytest.mark.model
def test_real_model_neighbours_make_sense(real_encoder) -> None:  # type: ignore[no-untyped-def]
    texts = ["software development in Python", "forklift driving", "baking bread", "SQL databases"]
    index = build_index(names(4), real_encoder.encode(texts), settings=RetrievalSettings())
    (hits,) = index.search(real_encoder.encode(["python programming"]), 4)
    order = [texts[int(i[1:])] for i, _ in hits]
    assert order[0] == "software development in Python"
    assert order.index("software development in Python") < order.index("forklift driving")
