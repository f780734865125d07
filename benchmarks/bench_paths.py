"""Role-transition graph build time and career-path query latency on the public ontologies.

    .venv/bin/python benchmarks/bench_paths.py --data ../shared/data [--repeats 3] [--queries 50]

For ESCO (3,007 occupations) and O*NET (1,016): loads the ontology once, builds the transition
graph `--repeats` times (lexical text signal only, no embeddings: the graph layer alone), and
times `--queries` seeded random path queries: the hop-bounded search alone (k=5 best within 3
moves; explore within 2 moves) and the full PathFinder answer (with gap reports and effort per
hop, no content or mentors: an ontology has none). Prints a markdown table of medians and p95.
"""

from __future__ import annotations

import argparse
import platform
import random
import statistics
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

from skillgraph.config import Settings
from skillgraph.data.esco import load_esco
from skillgraph.data.onet import load_onet
from skillgraph.data.schema import Records
from skillgraph.graph.ontology import SkillGraph
from skillgraph.graph.transitions import TransitionGraph
from skillgraph.recommend.base import EngineContext
from skillgraph.recommend.paths import PathFinder
from skillgraph.retrieval.encoder import HashingEncoder

LOADERS: dict[str, Callable[[Path], Records]] = {
    "esco": lambda p: load_esco(p / "esco"),
    "onet": lambda p: load_onet(p / "onet"),
}


def _ms(samples: list[float]) -> str:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return f"{1000 * statistics.median(ordered):.1f} / {1000 * p95:.1f}"


def _timed(fn: Callable[[], object]) -> float:
    started = time.perf_counter()
    fn()
    return time.perf_counter() - started


def bench(name: str, data: Path, repeats: int, queries: int, seed: int) -> dict[str, str]:
    graph = SkillGraph.build(LOADERS[name](data))
    settings = Settings()
    weights = settings.recommend.transition_weights
    builds: list[float] = []
    transitions = None
    for _ in range(repeats):
        started = time.perf_counter()
        transitions = TransitionGraph.build(graph, weights=weights, top_n=30)
        builds.append(time.perf_counter() - started)
    assert transitions is not None
    ctx = EngineContext(graph=graph, encoder=HashingEncoder(16), indexes={}, settings=settings)
    finder = PathFinder(transitions, ctx)
    rng = random.Random(seed)
    n = len(transitions)
    pairs = [(a, b) for a, b in (rng.sample(range(n), 2) for _ in range(queries))]
    edges = transitions.edges
    ids = transitions.role_ids
    yen = [_timed(partial(edges.k_shortest, a, b, 5, 3)) for a, b in pairs]
    spread = [_timed(partial(edges.best_from, a, 2)) for a, _ in pairs]
    full = [
        _timed(partial(finder.k_best, ids[a], ids[b], k=5, max_hops=3, moves=None))
        for a, b in pairs
    ]
    explore = [
        _timed(partial(finder.explore, ids[a], max_hops=2, limit=10, moves=None)) for a, _ in pairs
    ]
    return {
        "ontology": name,
        "roles": str(n),
        "edges": str(transitions.number_of_edges),
        "build s (median)": f"{statistics.median(builds):.2f}",
        "Yen k=5, 3 hops ms": _ms(yen),
        "best-from 2 hops ms": _ms(spread),
        "k_best with gaps ms": _ms(full),
        "explore 10 with gaps ms": _ms(explore),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path("../shared/data"))
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--queries", type=int, default=50)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--only", choices=sorted(LOADERS), default=None)
    args = parser.parse_args()
    names = [args.only] if args.only else sorted(LOADERS)
    rows = [bench(n, args.data, args.repeats, args.queries, args.seed) for n in names]
    print(f"Python {platform.python_version()} on {platform.machine()}; medians / p95\n")
    header = list(rows[0])
    print("| " + " | ".join(header) + " |")
    print("|" + "---|" * len(header))
    for row in rows:
        print("| " + " | ".join(row[h] for h in header) + " |")


if __name__ == "__main__":
    main()
