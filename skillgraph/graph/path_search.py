"""Hop-bounded shortest paths and Yen's k loopless shortest paths over an edge list.

Career paths are short (a few hops) on a sparse graph (each role keeps its best few dozen
moves), so every search is a layered Bellman-Ford bounded by the hop budget: layer h holds the
cheapest walk of at most h hops to every node, all edges relaxed at once with numpy. Costs are
positive, so a cheapest walk never repeats a node; on equal cost the walk with fewer hops wins.
Yen's algorithm builds the k best loopless paths from these spur searches; with the hop budget of
each spur set to what the root path leaves, it returns the k best paths within the hop limit.
"""

from __future__ import annotations

import heapq
import itertools
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import numpy as np

from skillgraph.errors import ValidationError

MIN_COST = 1e-9  # every edge costs something, so cheapest walks are loopless
SORT_OR_MARK = 64  # edges out of a frontier: sorted when fewer than 1/64 of all, else marked


@dataclass(frozen=True)
class Path:
    nodes: tuple[int, ...]
    cost: float

    @property
    def hops(self) -> int:
        return len(self.nodes) - 1


class EdgeList:
    """Directed edges (src[i] -> dst[i], cost[i]) over nodes 0..n-1, sorted by (dst, src)."""

    def __init__(self, n: int, src: np.ndarray, dst: np.ndarray, cost: np.ndarray) -> None:
        src = np.asarray(src, dtype=np.int64)
        dst = np.asarray(dst, dtype=np.int64)
        cost = np.asarray(cost, dtype=np.float64)
        if not (src.shape == dst.shape == cost.shape):
            raise ValidationError("edge arrays differ in length")
        if len(src) and (min(src.min(), dst.min()) < 0 or max(src.max(), dst.max()) >= n):
            raise ValidationError("edge endpoint out of range")
        if len(cost) and not np.all(np.isfinite(cost)):
            raise ValidationError("edge costs must be finite")
        order = np.lexsort((src, dst))
        self.n = n
        self.src = src[order]
        self.dst = dst[order]
        self.cost = np.maximum(cost[order], MIN_COST)
        self._index = {
            (int(u), int(v)): i for i, (u, v) in enumerate(zip(self.src, self.dst, strict=True))
        }
        self._derive()

    def _derive(self) -> None:
        targets, starts = np.unique(self.dst, return_index=True)
        self._targets = targets  # nodes with at least one in-edge
        self._starts = starts  # first edge of each target's segment
        self._out = np.argsort(self.src, kind="stable")  # edges grouped by source
        self._out_starts = np.searchsorted(self.src[self._out], np.arange(self.n + 1))

    def __setstate__(self, state: dict[str, object]) -> None:
        vars(self).update(state)
        self._derive()  # pickles written before `_out` existed lack it

    def __len__(self) -> int:
        return len(self.src)

    def edge_index(self, u: int, v: int) -> int | None:
        return self._index.get((u, v))

    def path_cost(self, nodes: Sequence[int]) -> float:
        total = 0.0
        for u, v in itertools.pairwise(nodes):
            i = self._index.get((u, v))
            if i is None:
                raise ValidationError(f"no edge {u} -> {v}")
            total += float(self.cost[i])
        return total

    # layered Bellman-Ford -----------------------------------------------------------------
    def layers(
        self,
        source: int,
        max_hops: int,
        *,
        banned_nodes: np.ndarray | None = None,
        banned_edges: np.ndarray | None = None,
        frontier: bool = True,
    ) -> tuple[list[np.ndarray], list[np.ndarray]]:
        """dist[h][v]: cheapest cost of at most h hops; pred[h][v]: the last edge, -1 if the
        h-hop best is the (h-1)-hop best, -2 if unreached.

        With `frontier` (the default) a layer relaxes only the edges out of the nodes whose
        cost changed in the layer before: another edge offers what it offered then, which
        cannot strictly improve its target now. The result is the same as relaxing every
        edge (frontier=False): among the edges reaching a strictly better cost, the first in
        (dst, src) order wins either way."""
        dist0 = np.full(self.n, np.inf)
        dist0[source] = 0.0
        pred0 = np.full(self.n, -2, dtype=np.int64)
        pred0[source] = -1
        dists, preds = [dist0], [pred0]
        changed = np.array([source], dtype=np.int64)
        for _ in range(max_hops):
            prev = dists[-1]
            dist, pred = prev.copy(), np.where(np.isfinite(prev), -1, -2)
            edges = self._edges_out_of(changed) if frontier else np.arange(len(self.src))
            changed = np.zeros(0, dtype=np.int64)
            if len(edges):
                # banned edges cost inf; read for these edges only, not the whole list
                cost = self._cost_of(edges, banned_nodes, banned_edges)
                cand = prev[self.src[edges]] + cost
                heads = self.dst[edges]  # non-decreasing: edges are in (dst, src) order
                starts = np.flatnonzero(np.r_[True, heads[1:] != heads[:-1]])
                targets = heads[starts]
                best, arg = _segment_argmin(cand, starts)
                better = best < prev[targets]
                changed = targets[better]
                dist[changed] = best[better]
                pred[changed] = edges[arg[better]]
            dists.append(dist)
            preds.append(pred)
            if not len(changed):
                break  # nothing changed: later layers would be equal
        return dists, preds

    def _cost_of(
        self, edges: np.ndarray, banned_nodes: np.ndarray | None, banned_edges: np.ndarray | None
    ) -> np.ndarray:
        """The costs of `edges`, inf for a banned edge or an edge touching a banned node."""
        usable = np.ones(len(edges), dtype=bool)
        if banned_edges is not None:
            usable &= ~banned_edges[edges]
        if banned_nodes is not None:
            usable &= ~banned_nodes[self.src[edges]] & ~banned_nodes[self.dst[edges]]
        return np.where(usable, self.cost[edges], np.inf)

    def _edges_out_of(self, nodes: np.ndarray) -> np.ndarray:
        """Every edge leaving one of `nodes`, in this list's (dst, src) order."""
        starts, ends = self._out_starts[nodes], self._out_starts[nodes + 1]
        counts = ends - starts
        total = int(counts.sum())
        offsets = np.arange(total) - np.repeat(np.cumsum(counts) - counts, counts)
        edges = self._out[np.repeat(starts, counts) + offsets]
        if total * SORT_OR_MARK < len(self.src):
            return np.sort(edges)
        # many edges: marking them and reading the marks back in order beats sorting
        marks = np.zeros(len(self.src), dtype=bool)
        marks[edges] = True
        return np.flatnonzero(marks)

    def walk_back(self, preds: list[np.ndarray], target: int) -> tuple[int, ...]:
        nodes = [target]
        h, v = len(preds) - 1, target
        while h > 0:
            e = int(preds[h][v])
            if e >= 0:
                v = int(self.src[e])
                nodes.append(v)
            h -= 1
        return tuple(reversed(nodes))

    def shortest(
        self,
        source: int,
        target: int,
        max_hops: int,
        *,
        banned_nodes: np.ndarray | None = None,
        banned_edges: np.ndarray | None = None,
    ) -> Path | None:
        if source == target:
            return Path((source,), 0.0)
        if max_hops <= 0:
            return None
        dists, preds = self.layers(
            source, max_hops, banned_nodes=banned_nodes, banned_edges=banned_edges
        )
        cost = float(dists[-1][target])
        if not np.isfinite(cost):
            return None
        return Path(self.walk_back(preds, target), cost)

    def best_from(
        self, source: int, max_hops: int, *, usable: np.ndarray | None = None
    ) -> list[Path]:
        """The cheapest path of at most max_hops to every reachable node but the source,
        cheapest first (ties: fewer hops, then node index). `usable`: edge mask (None: all)."""
        return list(self.iter_best_from(source, max_hops, usable=usable))

    def iter_best_from(
        self, source: int, max_hops: int, *, usable: np.ndarray | None = None
    ) -> Iterator[Path]:
        """`best_from` one path at a time: the order is settled with arrays, and each path is
        traced back only when the caller gets to it (callers usually want the first few)."""
        dists, preds = self.layers(
            source, max_hops, banned_edges=None if usable is None else ~usable
        )
        final = dists[-1]
        hops = self._hop_counts(preds)
        reached = np.flatnonzero(np.isfinite(final))
        reached = reached[reached != source]
        for v in reached[np.lexsort((reached, hops[reached], final[reached]))]:
            yield Path(self.walk_back(preds, int(v)), float(final[v]))

    def _hop_counts(self, preds: list[np.ndarray]) -> np.ndarray:
        """Per node, the number of edges `walk_back` traces from the last layer."""
        hops = np.zeros(self.n, dtype=np.int64)
        for pred in preds[1:]:
            step = pred >= 0
            before = hops.copy()
            hops[step] = before[self.src[pred[step]]] + 1
        return hops

    def k_shortest(
        self,
        source: int,
        target: int,
        k: int,
        max_hops: int,
        *,
        usable: np.ndarray | None = None,
    ) -> list[Path]:
        """Yen's k cheapest loopless paths of at most max_hops hops, cheapest first, over the
        edges `usable` admits (a mask in this list's order; None: all)."""
        if k < 1 or source == target:
            return []
        unusable = np.zeros(len(self.src), dtype=bool) if usable is None else ~usable
        first = self.shortest(source, target, max_hops, banned_edges=unusable)
        if first is None:
            return []
        found = [first]
        candidates: list[tuple[float, int, tuple[int, ...]]] = []
        seen = {first.nodes}
        while len(found) < k:
            self._push_deviations(found, target, max_hops, unusable, candidates, seen)
            if not candidates:
                break
            cost, _, nodes = heapq.heappop(candidates)
            found.append(Path(nodes, cost))
        return found

    def _push_deviations(
        self,
        found: list[Path],
        target: int,
        max_hops: int,
        unusable: np.ndarray,
        candidates: list[tuple[float, int, tuple[int, ...]]],
        seen: set[tuple[int, ...]],
    ) -> None:
        last = found[-1].nodes
        for i in range(len(last) - 1):
            root = last[: i + 1]
            budget = max_hops - i
            banned_edges = unusable.copy()
            for path in found:
                if path.nodes[: i + 1] == root and len(path.nodes) > i + 1:
                    e = self._index.get((path.nodes[i], path.nodes[i + 1]))
                    if e is not None:
                        banned_edges[e] = True
            banned_nodes = np.zeros(self.n, dtype=bool)
            banned_nodes[list(root[:-1])] = True
            spur = self.shortest(
                root[-1], target, budget, banned_nodes=banned_nodes, banned_edges=banned_edges
            )
            if spur is None:
                continue
            nodes = root[:-1] + spur.nodes
            if nodes in seen:
                continue
            seen.add(nodes)
            heapq.heappush(candidates, (self.path_cost(nodes), len(nodes), nodes))


def _segment_argmin(values: np.ndarray, starts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per segment [starts[i], starts[i+1]): the minimum and the index of its first occurrence."""
    mins = np.minimum.reduceat(values, starts)
    lengths = np.diff(np.append(starts, len(values)))
    segment = np.repeat(np.arange(len(starts)), lengths)
    hits = np.flatnonzero(values == mins[segment])
    # hits ascend, so their segments do too: the first hit of a segment is where it changes
    hit_segment = segment[hits]
    first = np.flatnonzero(np.r_[True, hit_segment[1:] != hit_segment[:-1]])
    arg = np.full(len(starts), -2, dtype=np.int64)
    arg[hit_segment[first]] = hits[first]
    return mins, arg
