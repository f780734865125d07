"""Recommendation latency and memory at company scale (100,000 employees), on a synthetic company.

    .venv/bin/python benchmarks/bench_recommend.py [--queries 300] [--employees 100000]
        [--encoder model|hashing] [--cache-dir DIR (default: <temp>/skillgraph-bench-cache)]
        [--baseline-ref GIT_REF [--baseline-queries 60]] [--profile FILE]

Builds an Engine on `make_synthetic.make_company()` (timed, with the resident memory it adds and
the peak), then answers, for each of `--queries` seeded random active employees, what the web page
shows: gaps against the current role + 10 mentors + 10 learning items + 5 career paths (explored
within 3 moves, each hop with its gaps, 3 items and 3 mentors). Prints p50 / p90 / p99 / max of
every part and of the full answer, plus next roles (k=10) on the side.

Embeddings. `--encoder model` (default): the real all-MiniLM-L6-v2 for skills, roles, learning
items and mentor offers, behind a CachedEncoder in `--cache-dir` (the first run encodes ~31,000
texts, about 30 minutes here; later runs read them back). Employees get projection vectors
instead: the level-weighted mean of the real vectors of the skills they hold plus their role's
vector, normalised (the 1 % known only by an `about` text, whose skills the engine infers, are
encoded by the model). Encoding 100,000 employee texts with the model would take hours on this
shared 2-core machine, and the query cost does not depend on the values of these vectors: they
are read from the index by id (`index.vector`) and searched in the same index either way.
`--encoder hashing` uses the HashingEncoder for everything (fast, for profiling).

Latency is wall-clock (what a caller waits) and CPU time of the process (what the code costs;
the machine is shared, so wall-clock includes waiting for a core). BLAS and OpenMP pools are
limited to one thread, as a service worker runs (settings.retrieval.threads = 1).

`--baseline-ref REF` runs the same measurement twice, each in its own process (memory figures
do not mix): on this tree, and on a copy of it where the modules the optimisations changed are
as they were at git revision REF (the OPTIMISED list; the ADDED modules removed), so the rest of
the engine is the same on both sides. Both are printed side by side.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import json
import os
import platform
import pstats
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import faiss
import numpy as np
import scipy.sparse as sp
from make_synthetic import Size, make_company, mentor_load  # type: ignore[import-not-found]
from threadpoolctl import threadpool_limits

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
PARTS = ("gaps", "mentors", "content", "paths")
EXTRA = ("next_roles",)


# encoders -------------------------------------------------------------------------------------
class PrecomputedEncoder:
    """Serves known texts (the employees') from a table and passes the rest to `inner`."""

    def __init__(self, inner: Any, table: dict[str, np.ndarray]) -> None:
        self.inner = inner
        self.model_id = inner.model_id
        self.dim = inner.dim
        self.table = table

    def encode(self, texts: Sequence[str], *, progress: bool = False) -> np.ndarray:
        out = np.empty((len(texts), self.dim), dtype=np.float32)
        missing = [i for i, t in enumerate(texts) if t not in self.table]
        for i, text in enumerate(texts):
            if text in self.table:
                out[i] = self.table[text]
        if missing:
            out[missing] = self.inner.encode([texts[i] for i in missing], progress=progress)
        return out


def make_encoder(kind: str, cache_dir: Path, records: Any) -> Any:
    from skillgraph.config import RetrievalSettings
    from skillgraph.retrieval.encoder import HashingEncoder, load_encoder

    if kind == "hashing":
        inner: Any = HashingEncoder(384)
    else:
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        inner = load_encoder(RetrievalSettings(threads=1), cache_dir)
    return PrecomputedEncoder(inner, employee_projections(inner, records))


def employee_projections(encoder: Any, records: Any) -> dict[str, np.ndarray]:
    """employee text -> normalised (level-weighted mean of held skill vectors + role vector)."""
    from skillgraph.data.schema import SkillKind
    from skillgraph.retrieval import texts

    labels = {sid: s.label for sid, s in records.skills.items()}
    skill_ids = [s for s, k in records.skills.items() if k.kind is not SkillKind.GROUP]
    skill_vectors = encoder.encode([texts.skill_text(records.skills[s]) for s in skill_ids])
    role_ids = list(records.roles)
    role_vectors = encoder.encode([texts.role_text(records.roles[r], labels) for r in role_ids])
    column = {s: i for i, s in enumerate(skill_ids)}
    role_row = {r: i for i, r in enumerate(role_ids)}
    employees = [e for e in records.employees.values() if e.active]
    rows, cols, vals = [], [], []
    for n, emp in enumerate(employees):
        total = sum(s.level for s in emp.skills if s.skill_id in column) or 1.0
        for s in emp.skills:
            if s.skill_id in column:
                rows.append(n)
                cols.append(column[s.skill_id])
                vals.append(s.level / total)
    weights = sp.csr_matrix((vals, (rows, cols)), shape=(len(employees), len(skill_ids)))
    vectors = weights @ skill_vectors + role_vectors[[role_row[e.role_id] for e in employees]]
    vectors /= np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)
    roles = records.roles
    return {
        texts.employee_text(e, roles[e.role_id].title, labels): v.astype(np.float32)
        for e, v in zip(employees, vectors, strict=True)
    }


# measuring ------------------------------------------------------------------------------------
def rss_mib() -> float:
    with open("/proc/self/status", encoding="ascii") as handle:
        for line in handle:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class Stages:
    """Progress callback: each stage lasts from its first report to its last."""

    def __init__(self) -> None:
        self.spans: dict[str, list[float]] = {}

    def __call__(self, stage: str, done: int, total: int) -> None:
        now = time.perf_counter()
        span = self.spans.setdefault(stage, [now, now])
        span[1] = now

    @property
    def seconds(self) -> dict[str, float]:
        return {stage: end - start for stage, (start, end) in self.spans.items()}


def answer_parts(engine: Any, employee_id: str) -> dict[str, Callable[[], object]]:
    from skillgraph.recommend.base import Query

    def paths() -> object:
        found = engine.paths(Query(employee_id=employee_id, k=5), max_hops=3)
        return [p.to_dict() for p in found]  # everything a client gets, lazies included

    return {
        "gaps": lambda: engine.gaps(employee_id),
        "mentors": lambda: engine.mentors(Query(employee_id=employee_id, k=10)),
        "content": lambda: engine.content(Query(employee_id=employee_id, k=10)),
        "paths": paths,
        "next_roles": lambda: engine.next_roles(Query(employee_id=employee_id, k=10)),
    }


def measure(args: argparse.Namespace) -> dict[str, Any]:
    from skillgraph.config import RetrievalSettings, Settings
    from skillgraph.engine import Engine

    # one thread per worker, as the service runs (settings.retrieval.threads): on a shared
    # 2-core machine, multi-threaded BLAS for one small matrix-vector product is 5x slower
    threadpool_limits(limits=1)
    faiss.omp_set_num_threads(1)
    result: dict[str, Any] = {"python": platform.python_version()}
    rss0 = rss_mib()
    started = time.perf_counter()
    size = Size(employees=args.employees, items=args.items, mentors=args.mentors)
    records = make_company(size, seed=args.seed)
    result["generate_s"] = time.perf_counter() - started
    load = mentor_load(records, seed=args.seed)
    rss_records = rss_mib()
    encoder = make_encoder(args.encoder, args.cache_dir, records)
    result["encoder"] = encoder.model_id
    rss_before = rss_mib()
    stages = Stages()
    settings = Settings(
        data_dir=Path(tempfile.gettempdir()) / "skillgraph-bench",
        retrieval=RetrievalSettings(threads=1),
    )
    started = time.perf_counter()
    engine = Engine.build(records, settings, encoder=encoder, progress=stages, mentor_load=load)
    result["build_s"] = time.perf_counter() - started
    result["build_stages_s"] = stages.seconds
    gc.collect()
    result["rss_records_mib"] = rss_records - rss0
    result["rss_engine_mib"] = rss_mib() - rss_before
    result["peak_mib"] = peak_mib()
    result["counts"] = records.counts()
    if args.build_only:
        return result
    active = sorted(e.id for e in records.employees.values() if e.active)
    rng = random.Random(args.seed)
    sample = rng.sample(active, args.queries + args.warmup)
    first = time.perf_counter()
    for recommender in (engine.content_recommender, engine.mentor_recommender):
        warm = getattr(recommender, "warm", None)  # absent before the optimisations
        if warm is not None:
            warm()
    result["warm_s"] = time.perf_counter() - first
    first = time.perf_counter()
    for employee_id in sample[: args.warmup]:
        for call in answer_parts(engine, employee_id).values():
            call()
    result["warmup_s"] = time.perf_counter() - first
    result["warmup_queries"] = args.warmup
    times: dict[str, list[float]] = {p: [] for p in (*PARTS, *EXTRA)}
    cpu: dict[str, list[float]] = {p: [] for p in (*PARTS, *EXTRA)}
    profiler = cProfile.Profile() if args.profile else None
    if profiler:
        profiler.enable()
    for employee_id in sample[args.warmup :]:
        for part, call in answer_parts(engine, employee_id).items():
            began, began_cpu = time.perf_counter(), time.process_time()
            call()
            times[part].append(time.perf_counter() - began)
            cpu[part].append(time.process_time() - began_cpu)
    if profiler:
        profiler.disable()
        profiler.dump_stats(args.profile)
        pstats.Stats(profiler, stream=sys.stderr).sort_stats("cumulative").print_stats(45)
    times["full"] = [sum(times[p][i] for p in PARTS) for i in range(args.queries)]
    cpu["full"] = [sum(cpu[p][i] for p in PARTS) for i in range(args.queries)]
    result["ms"] = {part: summary(values) for part, values in times.items()}
    result["cpu_ms"] = {part: summary(values) for part, values in cpu.items()}
    result["peak_after_queries_mib"] = peak_mib()
    result["rss_after_queries_mib"] = rss_mib() - rss_before
    return result


def summary(seconds: list[float]) -> dict[str, float]:
    ms = sorted(1000 * s for s in seconds)

    def pct(q: float) -> float:
        return ms[min(len(ms) - 1, round(q * (len(ms) - 1)))]

    return {"p50": statistics.median(ms), "p90": pct(0.9), "p99": pct(0.99), "max": ms[-1]}


# baseline -------------------------------------------------------------------------------------
def run_subprocess(args: argparse.Namespace, package_root: Path | None, queries: int) -> Any:
    command = [sys.executable, str(Path(__file__).resolve()), "--json", "--queries", str(queries)]
    for name in ("employees", "items", "mentors", "seed", "encoder", "cache_dir", "warmup"):
        command += [f"--{name.replace('_', '-')}", str(getattr(args, name))]
    env = dict(os.environ)
    if package_root is not None:
        env["PYTHONPATH"] = os.pathsep.join([str(package_root), str(HERE)])
    done = subprocess.run(command, env=env, check=True, stdout=subprocess.PIPE, text=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


# the modules whose optimisation the baseline measures (recommend/ and graph/; the answer's
# paths, content and mentors), and the modules that optimisation added, since 005cccf. The
# rest of the engine is today's on both sides, so it must import with these modules as they
# were at the baseline revision.
OPTIMISED = (
    "recommend/paths.py", "recommend/content.py", "recommend/content_table.py",
    "recommend/mentors.py", "recommend/mentor_table.py", "graph/path_search.py",
)  # fmt: skip
ADDED = ("recommend/need_grid.py",)


def baseline_tree(ref: str, into: Path) -> Path:
    """This tree's skillgraph package with the optimised modules as they were at `ref`: the
    rest of the engine is today's, so the comparison isolates the optimisations."""
    package = into / "skillgraph"
    shutil.copytree(REPO / "skillgraph", package, ignore=shutil.ignore_patterns("__pycache__"))
    for name in ADDED:
        (package / name).unlink(missing_ok=True)
    for name in OPTIMISED:
        old = subprocess.run(
            ["git", "show", f"{ref}:skillgraph/{name}"],
            cwd=REPO,
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        (package / name).write_text(old, encoding="utf-8")
    return into


# printing -------------------------------------------------------------------------------------
LABELS = {
    "gaps": "gaps (current role)",
    "mentors": "mentors (k=10)",
    "content": "learning items (k=10)",
    "paths": "career paths (k=5, <= 3 moves, 3 items + 3 mentors per hop)",
    "full": "**full answer** (the four above)",
    "next_roles": "next roles (k=10), not in the full answer",
}


def print_report(runs: list[tuple[str, dict[str, Any]]], args: argparse.Namespace) -> None:
    first = runs[0][1]
    print(f"Python {first['python']} on {platform.machine()}, {os.cpu_count()} cores (shared)")
    print(f"company: {first['counts']}; encoder: {first['encoder']} ({args.encoder})")
    print(f"{args.queries} queries (baseline: {args.baseline_queries}), seed {args.seed}\n")
    names = [name for name, _ in runs]
    header = [f"{n}: {kind} p50 / p99 ms" for n in names for kind in ("wall", "CPU")]
    print("| part | " + " | ".join(header) + " |")
    print("|---|" + "---|" * len(header))
    for part in ("gaps", "mentors", "content", "paths", "full", "next_roles"):
        cells = [
            f"{r[key][part]['p50']:.1f} / {r[key][part]['p99']:.1f}"
            for _, r in runs
            for key in ("ms", "cpu_ms")
        ]
        print(f"| {LABELS[part]} | " + " | ".join(cells) + " |")
    print()
    print("| build and memory | " + " | ".join(names) + " |")
    print("|---|" + "---|" * len(runs))
    rows = [
        ("build (s)", lambda r: f"{r['build_s']:.0f}"),
        ("RSS added by the engine (MiB)", lambda r: f"{r['rss_engine_mib']:.0f}"),
        (
            "... and after warm() and the queries (MiB)",
            lambda r: f"{r['rss_after_queries_mib']:.0f}",
        ),
        ("RSS of the records (MiB)", lambda r: f"{r['rss_records_mib']:.0f}"),
        ("peak RSS of the process (MiB)", lambda r: f"{r['peak_after_queries_mib']:.0f}"),
        ("warm(): tables, score columns, group demand (s)", lambda r: f"{r['warm_s']:.1f}"),
        ("first queries after (s)", lambda r: f"{r['warmup_s']:.1f} ({r['warmup_queries']})"),
    ]
    for label, cell in rows:
        print(f"| {label} | " + " | ".join(cell(r) for _, r in runs) + " |")
    print()
    for name, r in runs:
        stages = r["build_stages_s"]
        listed = ", ".join(f"{k} {v:.1f}" for k, v in stages.items())
        other = r["build_s"] - sum(stages.values())
        print(f"build stages, {name} (s): {listed}, between stages {other:.1f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--employees", type=int, default=Size.employees)
    parser.add_argument("--items", type=int, default=Size.items)
    parser.add_argument("--mentors", type=int, default=Size.mentors)
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--encoder", choices=("model", "hashing"), default="model")
    parser.add_argument(
        "--cache-dir", type=Path, default=Path(tempfile.gettempdir()) / "skillgraph-bench-cache"
    )
    parser.add_argument("--baseline-ref", help="git revision to compare against")
    parser.add_argument("--baseline-queries", type=int, default=60)
    parser.add_argument("--profile", help="write cProfile stats of the query loop here")
    parser.add_argument("--build-only", action="store_true")
    parser.add_argument("--json", action="store_true", help="print one JSON line (subprocesses)")
    args = parser.parse_args()
    if args.json or args.build_only:
        result = measure(args)
        print(json.dumps(result))
        return
    runs: list[tuple[str, dict[str, Any]]] = []
    if args.baseline_ref:
        with tempfile.TemporaryDirectory(prefix="skillgraph-baseline-") as tmp:
            root = baseline_tree(args.baseline_ref, Path(tmp))
            runs.append(
                (f"before ({args.baseline_ref})", run_subprocess(args, root, args.baseline_queries))
            )
        runs.append(("after", run_subprocess(args, REPO, args.queries)))
    else:
        args.baseline_queries = 0
        runs.append(("this tree", measure(args)))
    print_report(runs, args)


if __name__ == "__main__":
    main()
