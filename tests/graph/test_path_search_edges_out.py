"""The edges out of a frontier come in edge-list order, whether sorted or marked.

EdgeList._edges_out_of sorts the edges out of a few nodes and marks them in a mask when they are
many (SORT_OR_MARK); the layered search relies on the (dst, src) order of the result either way.
Also: banned nodes and edges cost nothing to the frontier search but stay banned.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from skillgraph.graph import path_search
from skillgraph.graph.path_search import EdgeList


def random_edges(seed: int, n: int, m: int) -> EdgeList:
    rng = np.random.default_rng(seed)
    pairs = {(int(u), int(v)) for u, v in rng.integers(0, n, size=(m, 2)) if u != v}
    src = np.array([u for u, _ in pairs], dtype=np.int64)
    dst = np.array([v for _, v in pairs], dtype=np.int64)
    return EdgeList(n, src, dst, rng.uniform(0.1, 2.0, size=len(pairs)))


@pytest.mark.parametrize("threshold", [1, 64, 10**9])  # always marked, as shipped, always sorted
@settings(max_examples=60, deadline=None)
@given(seed=st.integers(0, 10_000), fraction=st.floats(0.0, 1.0))
def test_edges_out_of_nodes_in_list_order(threshold: int, seed: int, fraction: float) -> None:
    edges = random_edges(seed, 40, 300)
    rng = np.random.default_rng(seed + 1)
    nodes = np.flatnonzero(rng.random(40) < fraction)
    expected = np.flatnonzero(np.isin(edges.src, nodes))
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(path_search, "SORT_OR_MARK", threshold)
        found = edges._edges_out_of(nodes)
    assert found.dtype == expected.dtype
    np.testing.assert_array_equal(found, expected)


@settings(max_examples=60, deadline=None)
@given(seed=st.integers(0, 10_000))
def test_banned_nodes_and_edges_are_never_used(seed: int) -> None:
    edges = random_edges(seed, 25, 150)
    rng = np.random.default_rng(seed)
    banned_nodes = rng.random(25) < 0.2
    banned_nodes[0] = False
    banned_edges = rng.random(len(edges)) < 0.2
    dists, preds = edges.layers(0, 4, banned_nodes=banned_nodes, banned_edges=banned_edges)
    full = edges.layers(0, 4, banned_nodes=banned_nodes, banned_edges=banned_edges, frontier=False)
    for got, want in zip(dists, full[0], strict=True):
        np.testing.assert_array_equal(got, want)
    for pred in preds:
        used = pred[pred >= 0]
        assert not banned_edges[used].any()
        assert not banned_nodes[edges.src[used]].any()
        assert not banned_nodes[edges.dst[used]].any()
