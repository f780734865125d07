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
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from skillgraph.errors import ValidationError

MIN_COST = 1e-9  # every edge costs something, so cheapest walks are loopless


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
        targets, starts = np.unique(self.dst, return_index=True)
        self._targets = targets  # nodes with at least one in-edge
        self._starts = starts  # first edge of each target's segment

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
    ) -> tuple[list[np.ndarray], list[np.ndarray]]:
        """dist[h][v]: cheapest cost of at most h hops; pred[h][v]: the last edge, -1 if the
        h-hop best is the (h-1)-hop best, -2 if unreached."""
        dist0 = np.full(self.n, np.inf)
        dist0[source] = 0.0
        pred0 = np.full(self.n, -2, dtype=np.int64)
        pred0[source] = -1
        dists, preds = [dist0], [pred0]
        usable = np.ones(len(self.src), dtype=bool)
        if banned_edges is not None:
            usable &= ~banned_edges
        if banned_nodes is not None:
            usable &= ~banned_nodes[self.src] & ~banned_nodes[self.dst]
        cost = np.where(usable, self.cost, np.inf)
        for _ in range(max_hops):
            prev = dists[-1]
            cand = prev[self.src] + cost
            dist, pred = prev.copy(), np.where(np.isfinite(prev), -1, -2)
            if len(cand):
                best, arg = _segment_argmin(cand, self._starts)
                better = best < prev[self._targets]
                nodes = self._targets[better]
                dist[nodes] = best[better]
                pred[nodes] = arg[better]
            dists.append(dist)
            preds.append(pred)
            if np.array_equal(dist, prev):
                break  # nothing changed: later layers would be equal
        return dists, preds

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
        dists, preds = self.layers(
            source, max_hops, banned_edges=None if usable is None else ~usable
        )
        final = dists[-1]
        reached = [int(v) for v in np.flatnonzero(np.isfinite(final)) if v != source]
        paths = [Path(self.walk_back(preds, v), float(final[v])) for v in reached]
        return sorted(paths, key=lambda p: (p.cost, p.hops, p.nodes[-1]))

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
    _, first = np.unique(segment[hits], return_index=True)
    arg = np.full(len(starts), -2, dtype=np.int64)
    arg[segment[hits[first]]] = hits[first]
    return mins, arg
