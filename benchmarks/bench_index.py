"""Vector index benchmark: flat vs HNSW32 vs HNSW-SQ8 vs IVF on clustered synthetic vectors.

For each size and index type: build time, bytes per vector (serialised FAISS structure), query
latency p50 / p99 one query at a time and per query in batches of 64, and recall@10 against exact
search. Everything goes through skillgraph's FaissIndex (string ids included), on one thread.
Times are CPU time of this process (time.process_time), so a busy shared machine slows the run
but does not distort the figures; wall-clock latency on an idle core is the same or lower.

    .venv/bin/python benchmarks/bench_index.py --sizes 10000,100000
    nice -n 5 .venv/bin/python benchmarks/bench_index.py --sizes 1000000 --types flat,ivf \\
        --nprobe-sweep 0.1,0.15,0.2,0.3
    nice -n 5 .venv/bin/python benchmarks/bench_index.py --sizes 1000000 --types hnsw_sq8 \\
        --ef-sweep 48,64,128,192

`--nprobe-sweep` / `--ef-sweep` re-query each built IVF / HNSW index at other settings (one build,
extra rows without build figures). Prints a markdown table (paste into BENCHMARKS.md, section
"Vector index").
"""

from __future__ import annotations

import argparse
import math
import os
import platform
import time
from pathlib import Path
from typing import Any

import faiss
import numpy as np

from skillgraph.retrieval.faiss_index import FaissIndex

BATCH = 64


def clustered(rng: np.random.Generator, n: int, dim: int, spread: float) -> np.ndarray:
    """Unit vectors around n/100 random centres; `spread` = noise norm relative to the centre
    (1.0 gives a same-cluster cosine of about 0.5, like sentence embeddings of one topic)."""
    centres = rng.standard_normal((max(n // 100, 1), dim)).astype(np.float32)
    centres /= np.linalg.norm(centres, axis=1, keepdims=True)
    out = np.empty((n, dim), dtype=np.float32)
    step = 100_000
    for start in range(0, n, step):
        m = min(step, n - start)
        labels = rng.integers(0, len(centres), m)
        noise = rng.standard_normal((m, dim)).astype(np.float32) * (spread / np.sqrt(dim))
        block = centres[labels] + noise
        out[start : start + m] = block / np.linalg.norm(block, axis=1, keepdims=True)
    return out


def exact_top_k(x: np.ndarray, q: np.ndarray, k: int) -> np.ndarray:
    rows = np.empty((len(q), k), dtype=np.int64)
    for start in range(0, len(q), 50):
        scores = q[start : start + 50] @ x.T
        part = np.argpartition(-scores, k - 1, axis=1)[:, :k]
        order = np.argsort(-np.take_along_axis(scores, part, axis=1), axis=1)
        rows[start : start + 50] = np.take_along_axis(part, order, axis=1)
    return rows


def build(index_type: str, x: np.ndarray, options: dict[str, Any]) -> tuple[FaissIndex, float]:
    ids = [str(i) for i in range(len(x))]
    started = time.process_time()
    index = FaissIndex(x.shape[1], index_type=index_type, **options)
    index.add(ids, x)
    return index, time.process_time() - started


def query(index: FaissIndex, q: np.ndarray, truth: np.ndarray, k: int) -> dict[str, float]:
    """Latency one query at a time and in batches, recall@k against `truth`."""
    single = []
    found = []
    for row in range(len(q)):
        t0 = time.process_time()
        (hits,) = index.search(q[row : row + 1], k)
        single.append(time.process_time() - t0)
        found.append([int(i) for i, _ in hits])
    batched = []
    for start in range(0, len(q), BATCH):
        t0 = time.process_time()
        index.search(q[start : start + BATCH], k)
        batched.append((time.process_time() - t0) / len(q[start : start + BATCH]))
    recall = np.mean([len(set(f) & set(t)) / k for f, t in zip(found, truth.tolist(), strict=True)])
    return {
        "p50_ms": 1000 * float(np.median(single)),
        "p99_ms": 1000 * float(np.percentile(single, 99)),
        "batched_ms": 1000 * float(np.median(batched)),
        "recall": float(recall),
    }


def sweep_settings(index: FaissIndex, args: argparse.Namespace) -> list[tuple[str, Any]]:
    """(label, setter value) pairs to re-query an already built index with."""
    if index.index_type == "ivf" and args.nprobe_sweep:
        nlist = index.faiss_index.nlist
        fractions = [float(f) for f in args.nprobe_sweep.split(",")]
        return [(f"nprobe {max(1, math.ceil(nlist * f))}/{nlist} ({f:.0%})", f) for f in fractions]
    if index.index_type in ("hnsw", "hnsw_sq8") and args.ef_sweep:
        return [(f"efSearch {int(e)}", int(e)) for e in args.ef_sweep.split(",")]
    return []


def apply_setting(index: FaissIndex, value: Any) -> None:
    if index.index_type == "ivf":
        index.faiss_index.nprobe = max(1, math.ceil(index.faiss_index.nlist * value))
    else:
        index.ef_search = value


def row(n: int, label: str, build_s: float | None, size: float | None, r: dict[str, float]) -> str:
    cells = [
        f"{n:,}",
        label,
        "" if build_s is None else f"{build_s:.1f}",
        "" if size is None else f"{size:.0f}",
        f"{r['p50_ms']:.2f}",
        f"{r['p99_ms']:.2f}",
        f"{r['batched_ms']:.3f}",
        f"{r['recall']:.3f}",
    ]
    return "| " + " | ".join(cells) + " |"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000", help="comma-separated collection sizes")
    parser.add_argument("--types", default="flat,hnsw,hnsw_sq8,ivf")
    parser.add_argument("--dim", type=int, default=384)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--k", type=int, default=10)
    parser.add_argument("--spread", type=float, default=1.0)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--ef-search", type=int, default=None, help="override HNSW efSearch")
    parser.add_argument("--nprobe-fraction", type=float, default=None, help="override IVF")
    parser.add_argument(
        "--nprobe-sweep",
        default="",
        help="IVF: also query the built index at these shares of lists probed, e.g. 0.12,0.25",
    )
    parser.add_argument(
        "--ef-sweep", default="", help="HNSW: also query the built index at these efSearch values"
    )
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--vectors",
        type=Path,
        default=None,
        help="a .npy of real unit vectors instead of synthetic ones (last --queries rows query)",
    )
    args = parser.parse_args()
    faiss.omp_set_num_threads(args.threads)
    options: dict[str, Any] = {}
    if args.ef_search:
        options["ef_search"] = args.ef_search
    if args.nprobe_fraction:
        options["nprobe_fraction"] = args.nprobe_fraction

    source = (
        f"real vectors from {args.vectors.name}"
        if args.vectors
        else f"synthetic clustered vectors (spread {args.spread})"
    )
    print(
        f"{source}; machine: {platform.machine()}, {os.cpu_count()} cores, load average "
        f"{os.getloadavg()[0]:.1f}, {args.threads} thread(s), "
        f"faiss {faiss.__version__}, dim {args.dim}, {args.queries} held-out queries, k={args.k}, "
        f"options {options or 'defaults'}\n"
    )
    print(
        "| n | type | build CPU s | bytes/vector | p50 ms | p99 ms | batched ms/query | recall@10 |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for n in (int(s) for s in args.sizes.split(",")):
        if args.vectors is not None:
            real = np.load(args.vectors).astype(np.float32)
            rows = np.random.default_rng(args.seed).permutation(len(real))
            x, q = real[rows[: len(real) - args.queries]][:n], real[rows[-args.queries :]]
            n = len(x)
        else:
            rng = np.random.default_rng(args.seed)
            data = clustered(rng, n + args.queries, args.dim, args.spread)
            x, q = data[:n], data[n:]
            del data
        truth = exact_top_k(x, q, args.k)
        for index_type in args.types.split(","):
            index, build_s = build(index_type, x, options)
            size = faiss.serialize_index(index.faiss_index).nbytes / len(x)
            print(row(n, index_type, build_s, size, query(index, q, truth, args.k)), flush=True)
            for label, value in sweep_settings(index, args):
                apply_setting(index, value)
                print(row(n, f"{index_type}, {label}", None, None, query(index, q, truth, args.k)))
            del index
    print(f"\nload average at the end: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
