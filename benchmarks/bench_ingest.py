"""Ingest of the public releases: load, graph build, snapshot save and reload; wall time, peak RSS.

    .venv/bin/python benchmarks/bench_ingest.py [--data ../shared/data] [--repeat 3]

Each dataset runs in its own child process, so each peak RSS (getrusage ru_maxrss, the high-water
mark of the whole process: interpreter, imports and the data) belongs to that dataset alone.
Times are medians over the repetitions. Also times 20,000 similarity calls on random skill pairs
(cold caches, then warm) and the first use of the networkx view. Prints a markdown table.
"""

from __future__ import annotations

import argparse
import json
import platform
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
DATASETS = ("esco", "onet")


def _timed(action: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    result = action()
    return time.perf_counter() - start, result


def measure(dataset: str, folder: Path, repeat: int) -> dict[str, Any]:
    """One dataset, in this process: medians of `repeat` runs of every stage."""
    from skillgraph.data.esco import load_esco
    from skillgraph.data.onet import load_onet
    from skillgraph.graph.ontology import SkillGraph
    from skillgraph.graph.snapshot import load_snapshot, save_snapshot

    loader = load_esco if dataset == "esco" else load_onet
    times: dict[str, list[float]] = {"ingest": [], "build": [], "save": [], "reload": []}
    size = 0
    graph = None
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"{dataset}.snapshot"
        for _ in range(repeat):
            seconds, records = _timed(lambda: loader(folder))
            times["ingest"].append(seconds)
            seconds, graph = _timed(lambda: SkillGraph.build(records))  # noqa: B023
            times["build"].append(seconds)
            seconds, _ = _timed(lambda: save_snapshot(graph, path))  # noqa: B023
            times["save"].append(seconds)
            size = path.stat().st_size
            seconds, _ = _timed(lambda: load_snapshot(path))
            times["reload"].append(seconds)
    assert graph is not None
    rng = random.Random(7)
    ids = list(graph.records.skills)
    pairs = [(rng.choice(ids), rng.choice(ids)) for _ in range(20_000)]
    cold, _ = _timed(lambda: [graph.similarity(a, b) for a, b in pairs])
    warm, _ = _timed(lambda: [graph.similarity(a, b) for a, b in pairs])
    networkx, g = _timed(lambda: graph.g)
    return {
        "dataset": dataset,
        **{name: statistics.median(values) for name, values in times.items()},
        "snapshot_mb": size / 1e6,
        "similarity_20k_cold": cold,
        "similarity_20k_warm": warm,
        "networkx_view": networkx,
        "nodes": g.number_of_nodes(),
        "edges": g.number_of_edges(),
        "counts": graph.counts(),
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def _table(rows: list[dict[str, Any]]) -> str:
    lines = [
        f"Python {platform.python_version()} on {platform.machine()}, medians; RSS is the peak "
        "of a process that only loads that dataset.",
        "",
        "| dataset | ingest s | peak RSS MB | build s | snapshot MB | save s | reload s "
        "| sim 20k cold / warm s | networkx view s | nodes / edges |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        lines.append(
            f"| {r['dataset']} | {r['ingest']:.2f} | {r['peak_rss_mb']:.0f} | {r['build']:.2f} "
            f"| {r['snapshot_mb']:.1f} | {r['save']:.2f} | {r['reload']:.2f} "
            f"| {r['similarity_20k_cold']:.2f} / {r['similarity_20k_warm']:.2f} "
            f"| {r['networkx_view']:.2f} | {r['nodes']:,} / {r['edges']:,} |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=REPO.parent / "shared" / "data")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--only", choices=DATASETS, help=argparse.SUPPRESS)  # child process
    args = parser.parse_args()
    if args.only:
        print(json.dumps(measure(args.only, args.data / args.only, args.repeat)))
        return
    rows = []
    for dataset in DATASETS:
        out = subprocess.run(
            [
                sys.executable,
                __file__,
                "--only",
                dataset,
                "--data",
                str(args.data),
                "--repeat",
                str(args.repeat),
            ],
            check=True,
            capture_output=True,
            text=True,
            cwd=REPO,
        )
        rows.append(json.loads(out.stdout.strip().splitlines()[-1]))
    print(_table(rows))
    for r in rows:
        print(f"\n{r['dataset']} graph counts: {r['counts']}")


if __name__ == "__main__":
    main()
