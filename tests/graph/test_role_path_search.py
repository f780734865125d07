"""Hop-bounded shortest paths and Yen's k shortest paths against brute force."""

from __future__ import annotations

import itertools

import networkx as nx
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from skillgraph.errors import ValidationError
from skillgraph.graph.path_search import EdgeList


def _edges(pairs: dict[tuple[int, int], float], n: int) -> EdgeList:
    src = np.array([u for u, _ in pairs], dtype=np.int64)
    dst = np.array([v for _, v in pairs], dtype=np.int64)
    return EdgeList(n, src, dst, np.array(list(pairs.values())))


def _brute_force(
    pairs: dict[tuple[int, int], float], n: int, s: int, t: int, max_hops: int
) -> list[float]:
    g: nx.DiGraph[int] = nx.DiGraph()
    g.add_nodes_from(range(n))
    g.add_edges_from(pairs)
    costs = [
        sum(pairs[(u, v)] for u, v in itertools.pairwise(path))
        for path in nx.all_simple_paths(g, s, t, cutoff=max_hops)
    ]
    return sorted(costs)


def test_shortest_prefers_cheap_long_path_only_within_the_hop_limit() -> None:
    # 0 -> 3 direct costs 5; 0 -> 1 -> 2 -> 3 costs 3
    pairs = {(0, 3): 5.0, (0, 1): 1.0, (1, 2): 1.0, (2, 3): 1.0}
    edges = _edges(pairs, 4)
    best = edges.shortest(0, 3, 3)
    assert best is not None
    assert best.nodes == (0, 1, 2, 3)
    assert best.cost == pytest.approx(3.0)
    limited = edges.shortest(0, 3, 2)
    assert limited is not None
    assert limited.nodes == (0, 3)


def test_unreachable_gives_none_and_no_paths() -> None:
    edges = _edges({(0, 1): 1.0, (2, 3): 1.0}, 4)
    assert edges.shortest(0, 3, 5) is None
    assert edges.k_shortest(0, 3, 3, 5) == []


def test_equal_cost_prefers_fewer_hops() -> None:
    edges = _edges({(0, 2): 2.0, (0, 1): 1.0, (1, 2): 1.0}, 3)
    best = edges.shortest(0, 2, 3)
    assert best is not None
    assert best.nodes == (0, 2)


def test_best_from_lists_every_reachable_node_cheapest_first() -> None:
    pairs = {(0, 1): 1.0, (1, 2): 1.0, (0, 2): 3.0, (2, 3): 0.5, (4, 0): 1.0}
    paths = _edges(pairs, 5).best_from(0, 2)
    assert [p.nodes[-1] for p in paths] == [1, 2, 3]
    assert paths[1].nodes == (0, 1, 2)
    assert paths[2].nodes == (0, 2, 3)  # the 3-hop route via 1 is beyond the limit
    assert [p.cost for p in paths] == sorted(p.cost for p in paths)


def test_bad_edges_are_rejected() -> None:
    with pytest.raises(ValidationError):
        EdgeList(2, np.array([0]), np.array([2]), np.array([1.0]))
    with pytest.raises(ValidationError):
        EdgeList(2, np.array([0]), np.array([1]), np.array([np.inf]))


@st.composite
def _graphs(draw: st.DrawFn) -> tuple[dict[tuple[int, int], float], int]:
    n = draw(st.integers(3, 7))
    pairs = draw(
        st.dictionaries(
            st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)).filter(lambda p: p[0] != p[1]),
            st.sampled_from([0.5, 1.0, 1.5, 2.0, 3.0]),
            max_size=n * (n - 1),
        )
    )
    return pairs, n


@settings(max_examples=150, deadline=None)
@given(graph=_graphs(), k=st.integers(1, 6), max_hops=st.integers(1, 4))
def test_yen_matches_brute_force(
    graph: tuple[dict[tuple[int, int], float], int], k: int, max_hops: int
) -> None:
    pairs, n = graph
    edges = _edges(pairs, n)
    found = edges.k_shortest(0, n - 1, k, max_hops)
    expected = _brute_force(pairs, n, 0, n - 1, max_hops)[:k]
    assert [p.cost for p in found] == pytest.approx(expected)
    assert len({p.nodes for p in found}) == len(found)  # distinct
    for p in found:
        assert p.nodes[0] == 0
        assert p.nodes[-1] == n - 1
        assert len(set(p.nodes)) == len(p.nodes)  # loopless
        assert p.hops <= max_hops
        assert p.cost == pytest.approx(edges.path_cost(p.nodes))
    assert [p.cost for p in found] == sorted(p.cost for p in found)
