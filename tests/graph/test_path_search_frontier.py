"""The frontier search and the lazily traced best paths equal the full relaxation they replace.

EdgeList.layers relaxes only the edges out of the nodes that changed in the previous layer;
frontier=False relaxes every edge (the original search). Both must give the same costs and the
same predecessor edges, ties included (costs on a coarse grid make ties common). iter_best_from
must give what tracing every reached node and sorting by (cost, hops, node) gives.
"""

from __future__ import annotations

import pickle

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from skillgraph.graph.path_search import EdgeList, Path

GRAPHS = st.integers(min_value=2, max_value=12).flatmap(
    lambda n: st.tuples(
        st.just(n),
        st.dictionaries(
            st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)).filter(lambda e: e[0] != e[1]),
            st.sampled_from([0.5, 1.0, 1.5, 2.0]),  # a coarse grid: many equal-cost walks
            max_size=40,
        ),
    )
)


def _edges(n: int, pairs: dict[tuple[int, int], float]) -> EdgeList:
    src = np.array([u for u, _ in pairs], dtype=np.int64)
    dst = np.array([v for _, v in pairs], dtype=np.int64)
    return EdgeList(n, src, dst, np.array(list(pairs.values()), dtype=np.float64))


@settings(max_examples=300, deadline=None)
@given(graph=GRAPHS, data=st.data())
def test_frontier_layers_equal_full_relaxation(
    graph: tuple[int, dict[tuple[int, int], float]], data: st.DataObject
) -> None:
    n, pairs = graph
    edges = _edges(n, pairs)
    source = data.draw(st.integers(0, n - 1))
    hops = data.draw(st.integers(1, 6))
    banned_nodes = np.array(data.draw(st.lists(st.booleans(), min_size=n, max_size=n)))
    banned_nodes[source] = False
    banned_edges = np.array(
        data.draw(st.lists(st.booleans(), min_size=len(edges), max_size=len(edges))), dtype=bool
    )
    for kwargs in ({}, {"banned_nodes": banned_nodes, "banned_edges": banned_edges}):
        fast = edges.layers(source, hops, **kwargs)  # type: ignore[arg-type]
        full = edges.layers(source, hops, frontier=False, **kwargs)  # type: ignore[arg-type]
        assert len(fast[0]) == len(full[0])
        for a, b in zip(fast[0], full[0], strict=True):
            assert np.array_equal(a, b)
        for a, b in zip(fast[1], full[1], strict=True):
            assert np.array_equal(a, b)


@settings(max_examples=300, deadline=None)
@given(graph=GRAPHS, data=st.data())
def test_lazy_best_paths_equal_tracing_and_sorting_all(
    graph: tuple[int, dict[tuple[int, int], float]], data: st.DataObject
) -> None:
    n, pairs = graph
    edges = _edges(n, pairs)
    source = data.draw(st.integers(0, n - 1))
    hops = data.draw(st.integers(1, 5))
    usable = np.array(
        data.draw(st.lists(st.booleans(), min_size=len(edges), max_size=len(edges))), dtype=bool
    )
    dists, preds = edges.layers(source, hops, banned_edges=~usable, frontier=False)
    final = dists[-1]
    expected = sorted(
        (
            Path(edges.walk_back(preds, v), float(final[v]))
            for v in range(n)
            if v != source and np.isfinite(final[v])
        ),
        key=lambda p: (p.cost, p.hops, p.nodes[-1]),
    )
    assert list(edges.iter_best_from(source, hops, usable=usable)) == expected
    assert edges.best_from(source, hops, usable=usable) == expected


def test_an_edge_list_pickled_without_the_source_order_still_searches() -> None:
    edges = _edges(4, {(0, 1): 1.0, (1, 2): 1.0, (0, 2): 3.0, (2, 3): 1.0})
    state = dict(vars(edges))
    del state["_out"], state["_out_starts"]  # as pickled before the frontier search
    old = EdgeList.__new__(EdgeList)
    old.__setstate__(state)
    restored = pickle.loads(pickle.dumps(old))
    best = restored.shortest(0, 3, 3)
    assert best is not None
    assert best.nodes == (0, 1, 2, 3)


def test_equal_costs_list_the_path_with_fewer_hops_first() -> None:
    # node 2 costs 1.0 in two hops, node 3 costs 1.0 in one: 3 comes first despite its index
    edges = _edges(4, {(0, 1): 0.5, (1, 2): 0.5, (0, 3): 1.0})
    found = [p.nodes for p in edges.iter_best_from(0, 3)]
    assert found == [(0, 1), (0, 3), (0, 1, 2)]
