"""Embedding throughput: skillgraph's encoding pipeline vs bare SentenceTransformer.encode.

Same texts (ESCO skill texts built with skillgraph.retrieval.texts.skill_text), same loaded
model, same process; repetitions interleave the variants and alternate their order, and the table
reports medians. The pipeline is CachedEncoder(SentenceTransformerEncoder) with a cold cache (a
fresh cache folder each repetition), so it pays hashing, cache writes and normalisation on top of
the model. Times are medians of CPU time of the process (robust on a busy shared machine) and
of wall time.

The ONNX backends (settings.retrieval.backend "onnx" and "onnx-int8", the optional extra
`onnx`) run in the same repetitions through SentenceTransformerEncoder.encode (no cache), and
the run reports how close their vectors are to torch's (cosine, and how many of each text's 10
nearest neighbours among the texts stay the same) and what the one-time export costs. Without
onnxruntime they are skipped with a note.

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
from dataclasses import replace
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


def neighbour_agreement(reference: np.ndarray, other: np.ndarray, k: int = 10) -> float:
    """Mean share of each text's k nearest other texts (by `reference`) that `other` keeps."""

    def top(vectors: np.ndarray) -> np.ndarray:
        scores = vectors @ vectors.T
        np.fill_diagonal(scores, -np.inf)
        return np.argsort(-scores, axis=1)[:, :k]

    a, b = top(reference), top(other)
    return float(np.mean([len(set(x) & set(y)) / k for x, y in zip(a, b, strict=True)]))


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
    parser.add_argument("--backends", default="onnx,onnx-int8", help="ONNX variants to add")
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

    export_dir = Path(tempfile.mkdtemp(prefix="sg-bench-onnx-"))
    variants: dict[str, Callable[[], np.ndarray]] = {"bare": bare, "pipeline": pipeline_cold}
    loads: dict[str, tuple[float, float]] = {}
    for backend in [b for b in args.backends.split(",") if b]:
        loaded = load_onnx(replace(settings, backend=backend), export_dir, loads)
        if loaded is not None:
            variants[backend] = lambda e=loaded: e.encode(texts)  # type: ignore[misc]

    reference = bare()  # also the warm-up: the first call pays allocator and kernel selection
    outputs = {name: fn() for name, fn in variants.items()}  # warm-up of the others
    times: dict[str, list[tuple[float, float]]] = {name: [] for name in variants}
    names = list(variants)
    for rep in range(args.reps):
        order = names if rep % 2 == 0 else names[::-1]
        for name in order:
            times[name].append(timed(variants[name]))
    np.testing.assert_allclose(reference, outputs["pipeline"], atol=1e-5)

    warm_dir = Path(tempfile.mkdtemp(prefix="sg-bench-cache-"))
    warm = CachedEncoder(encoder, warm_dir)
    warm.encode(texts)
    warm_s = statistics.median(timed(lambda: warm.encode(texts))[1] for _ in range(args.reps))
    shutil.rmtree(warm_dir, ignore_errors=True)
    shutil.rmtree(export_dir, ignore_errors=True)

    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, load average "
        f"{os.getloadavg()[0]:.1f}, torch {torch.__version__}, {onnx_versions()}, "
        f"{args.threads} thread(s), batch {args.batch_size}, model {encoder.model_id}; "
        f"{len(texts)} ESCO skill texts (mean {words:.0f} words); median of {args.reps} "
        "interleaved repetitions\n"
    )
    labels = {
        "bare": "bare SentenceTransformer.encode (torch)",
        "pipeline": "pipeline (torch), cold cache",
        "onnx": "encoder, backend onnx",
        "onnx-int8": "encoder, backend onnx-int8",
    }
    bare_cpu = statistics.median(cpu for _, cpu in times["bare"])
    bare_wall = statistics.median(wall for wall, _ in times["bare"])
    print(
        "| variant | CPU s | texts per CPU s | vs bare (CPU) | wall s | vs bare (wall) "
        "| min cosine to torch | mean cosine | top-10 neighbours kept |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    for name in names:
        cpu = statistics.median(c for _, c in times[name])
        wall = statistics.median(w for w, _ in times[name])
        cosines = np.sum(outputs[name] * reference, axis=1)
        print(
            f"| {labels.get(name, name)} | {cpu:.2f} | {len(texts) / cpu:.0f} | "
            f"{cpu / bare_cpu:.3f} | {wall:.2f} | {wall / bare_wall:.3f} | "
            f"{cosines.min():.6f} | {cosines.mean():.6f} | "
            f"{neighbour_agreement(reference, outputs[name]):.3f} |"
        )
    print(
        f"| pipeline (torch), warm cache | {warm_s:.3f} | {len(texts) / warm_s:.0f} | "
        f"{warm_s / bare_cpu:.4f} | | | | | |"
    )
    pipe_cpu = statistics.median(c for _, c in times["pipeline"])
    print(f"\noverhead of the cold pipeline (CPU): {100 * (pipe_cpu / bare_cpu - 1):+.1f} %")
    for backend, (first, again) in loads.items():
        print(
            f"{backend}: first load (export or quantisation, + check) {first:.1f} s CPU, "
            f"later loads (stored export + check) {again:.1f} s CPU"
        )


def load_onnx(
    settings: RetrievalSettings, export_dir: Path, loads: dict[str, tuple[float, float]]
) -> SentenceTransformerEncoder | None:
    """The encoder for an ONNX backend, loaded twice: the first load exports (and quantises),
    the second reads the stored export; both CPU times go into `loads`."""
    try:
        first = timed(lambda: SentenceTransformerEncoder(settings, export_dir=export_dir))[1]
    except ModelNotAvailableError as exc:
        print(f"backend {settings.backend}: skipped ({exc})\n")
        return None
    started = time.process_time()
    encoder = SentenceTransformerEncoder(settings, export_dir=export_dir)
    loads[settings.backend] = (first, time.process_time() - started)
    return encoder


def onnx_versions() -> str:
    try:
        import onnxruntime
    except ImportError:
        return "no onnxruntime"
    return f"onnxruntime {onnxruntime.__version__}"


if __name__ == "__main__":
    main()
