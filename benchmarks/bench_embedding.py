"""Embedding throughput: skillgraph's encoding pipeline vs bare SentenceTransformer.encode.

Same texts (ESCO skill texts built with skillgraph.retrieval.texts.skill_text), same loaded
model, same process; repetitions interleave the variants and alternate their order, and the table
reports medians. The pipeline is CachedEncoder(SentenceTransformerEncoder) with a cold cache (a
fresh cache folder each repetition), so it pays hashing, cache writes and normalisation on top of
the model. Times are medians of CPU time of the process (robust on a busy shared machine) and
of wall time. Also tries the ONNX backend of sentence-transformers (offline, no new packages).

    HF_HUB_OFFLINE=1 .venv/bin/python benchmarks/bench_embedding.py --esco ../shared/data/esco

Prints markdown (paste into BENCHMARKS.md, section "Embedding").
"""

from __future__ import annotations

import argparse
import csv
import os
import platform
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import torch

from skillgraph.config import RetrievalSettings
from skillgraph.data.schema import Skill
from skillgraph.errors import ModelNotAvailableError
from skillgraph.retrieval.cache import CachedEncoder
from skillgraph.retrieval.encoder import SentenceTransformerEncoder
from skillgraph.retrieval.texts import skill_text


def esco_skill_texts(esco: Path, n: int) -> list[str]:
    with (esco / "skills_en.csv").open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    texts = []
    for row in rows[:n]:
        alts = tuple(a for a in row.get("altLabels", "").split("\n") if a.strip())
        skill = Skill(row["conceptUri"], row["preferredLabel"], alts, row.get("description", ""))
        texts.append(skill_text(skill))
    return texts


def timed(fn: Callable[[], object]) -> tuple[float, float]:
    """(wall seconds, CPU seconds of this process)."""
    wall, cpu = time.perf_counter(), time.process_time()
    fn()
    return time.perf_counter() - wall, time.process_time() - cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--esco", type=Path, default=Path("../shared/data/esco"))
    parser.add_argument("--n", type=int, default=500, help="number of texts")
    parser.add_argument("--reps", type=int, default=5)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--batch-size", type=int, default=32)
    args = parser.parse_args()
    os.environ.setdefault(
        "HF_HUB_OFFLINE", "1"
    )  # benchmarks may set it; the library never reads it
    settings = RetrievalSettings(threads=args.threads, batch_size=args.batch_size)
    encoder = SentenceTransformerEncoder(settings)
    model = encoder.model
    texts = esco_skill_texts(args.esco, args.n)
    words = statistics.mean(len(t.split()) for t in texts)

    def bare() -> np.ndarray:
        return np.asarray(
            model.encode(
                texts,
                batch_size=args.batch_size,
                normalize_embeddings=True,
                convert_to_numpy=True,
                show_progress_bar=False,
            )
        )

    def pipeline_cold() -> np.ndarray:
        folder = Path(tempfile.mkdtemp(prefix="sg-bench-cache-"))
        try:
            return CachedEncoder(encoder, folder).encode(texts)
        finally:
            shutil.rmtree(folder, ignore_errors=True)

    bare()  # warm-up: first call pays allocator and kernel selection
    times: dict[str, list[tuple[float, float]]] = {"bare": [], "pipeline": []}
    for rep in range(args.reps):
        order = ["bare", "pipeline"] if rep % 2 == 0 else ["pipeline", "bare"]
        for name in order:
            times[name].append(timed(bare if name == "bare" else pipeline_cold))
    np.testing.assert_allclose(bare(), pipeline_cold(), atol=1e-5)

    warm_dir = Path(tempfile.mkdtemp(prefix="sg-bench-cache-"))
    warm = CachedEncoder(encoder, warm_dir)
    warm.encode(texts)
    warm_s = statistics.median(timed(lambda: warm.encode(texts))[1] for _ in range(args.reps))
    shutil.rmtree(warm_dir, ignore_errors=True)

    bare_s = statistics.median(cpu for _, cpu in times["bare"])
    pipe_s = statistics.median(cpu for _, cpu in times["pipeline"])
    bare_wall = statistics.median(wall for wall, _ in times["bare"])
    pipe_wall = statistics.median(wall for wall, _ in times["pipeline"])
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, torch {torch.__version__}, "
        f"{args.threads} thread(s), batch {args.batch_size}, model {encoder.model_id}; "
        f"{len(texts)} ESCO skill texts (mean {words:.0f} words); median of {args.reps} "
        "interleaved repetitions\n"
    )
    print("| variant | CPU s | texts per CPU s | vs bare (CPU) | wall s | vs bare (wall) |")
    print("|---|---|---|---|---|---|")
    print(
        f"| bare SentenceTransformer.encode | {bare_s:.2f} | {len(texts) / bare_s:.0f} | 1.000 | "
        f"{bare_wall:.2f} | 1.000 |"
    )
    print(
        f"| pipeline, cold cache | {pipe_s:.2f} | {len(texts) / pipe_s:.0f} | "
        f"{pipe_s / bare_s:.3f} | {pipe_wall:.2f} | {pipe_wall / bare_wall:.3f} |"
    )
    print(
        f"| pipeline, warm cache | {warm_s:.3f} | {len(texts) / warm_s:.0f} | "
        f"{warm_s / bare_s:.4f} | | |"
    )
    print(f"\noverhead of the cold pipeline (CPU): {100 * (pipe_s / bare_s - 1):+.1f} %")
    try_onnx(settings)


def try_onnx(settings: RetrievalSettings) -> None:
    try:
        SentenceTransformerEncoder(settings, backend="onnx")
    except ModelNotAvailableError as exc:
        cause = exc.__cause__
        first_line = str(cause).strip().splitlines()[0] if cause else str(exc)
        print(f"\nONNX backend: not available here ({type(cause).__name__}: {first_line})")
        return
    print("\nONNX backend: loads offline (compare with --backend runs)")


if __name__ == "__main__":
    main()
