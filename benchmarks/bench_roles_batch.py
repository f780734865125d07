"""Next roles for every role of a built data directory (`recommend roles --all --roles`), and
one `next_roles` query at a time, optionally side by side with the code of an older revision.

    nice -n 5 .venv/bin/python benchmarks/bench_roles_batch.py --data-dir DIR \\
        [--k 10,20] [--jobs 2,1] [--single 200] [--baseline-ref GIT_REF]

DIR holds an ingested and built engine (ESCO v1.1.1 has 3,007 occupations: `skillgraph ingest
esco ../shared/data/esco -d DIR && skillgraph build -d DIR`). For each k and --jobs the batch
runs as the CLI does, in its own process (one engine load, forked workers for --jobs > 1):
wall time, and CPU time (user + system, the workers included). `--single N` times N
`Engine.next_roles` queries one at a time in a process that loaded the engine (wall and CPU,
p50 / p99 / max), after one query that fills the caches; with `--freeze` the process calls
gc.freeze() after the load, as the batch CLI does (full collections then skip the engine: they
cost about 0.1 s each on ESCO and make the p99).

`--baseline-ref REF` runs everything twice, one run after the other under the same load: on a
copy of the `skillgraph` package as it was at git revision REF (`git archive`, same venv, same
data directory) and on this tree; prints both side by side with the ratio, and checks that the
two batches answer the same (the same roles in the same order, scores within 1e-9).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SCORE_TOLERANCE = 1e-9

SINGLE = """
import json, sys, time
from pathlib import Path
from skillgraph.config import Settings
from skillgraph.recommend.base import Query
from skillgraph.workspace import load_engine

data_dir, k, n, freeze = Path(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
started, cpu = time.perf_counter(), time.process_time()
engine = load_engine(Settings.from_env(data_dir=data_dir))
load = (time.perf_counter() - started, time.process_time() - cpu)
if freeze == "freeze":
    import gc
    gc.freeze()
roles = list(engine.records.roles)
picked = roles[:: max(1, len(roles) // n)][:n]
engine.next_roles(Query(role_id=picked[0], k=k))
wall, cpu_ms = [], []
for role_id in picked:
    started, cpu = time.perf_counter(), time.process_time()
    engine.next_roles(Query(role_id=role_id, k=k))
    wall.append(1000 * (time.perf_counter() - started))
    cpu_ms.append(1000 * (time.process_time() - cpu))
print(json.dumps({"load": load, "wall": wall, "cpu": cpu_ms}))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, required=True)
    parser.add_argument("--k", default="10,20", help="comma-separated k values")
    parser.add_argument("--jobs", default="2,1", help="comma-separated --jobs values")
    parser.add_argument("--single", type=int, default=200, help="single queries to time (0: none)")
    parser.add_argument("--baseline-ref", default=None, help="git revision to compare with")
    parser.add_argument(
        "--freeze", action="store_true", help="single queries: gc.freeze() after the load"
    )
    parser.add_argument("--out-dir", type=Path, default=None, help="where the JSON lines go")
    args = parser.parse_args()
    ks = [int(x) for x in args.k.split(",")]
    jobs = [int(x) for x in args.jobs.split(",")]
    args.data_dir = args.data_dir.resolve()  # the runs work in a neutral directory
    out_dir = (args.out_dir or Path(tempfile.mkdtemp(prefix="bench-roles-"))).resolve()
    out_dir.mkdir(parents=True, exist_ok=True)
    print(machine())
    with tempfile.TemporaryDirectory(prefix="bench-roles-src-") as scratch:
        sides: dict[str, Path | None] = {"now": None}
        if args.baseline_ref:
            sides = {"before": baseline_source(args.baseline_ref, Path(scratch)), "now": None}
        for source in sides.values():
            check_source(source)
        print("\n| k | jobs | " + " | ".join(f"{s} wall s | {s} CPU s" for s in sides), end="")
        print(" | wall ratio | same answers | load |" if len(sides) == 2 else " | load |")
        print("|---" * (3 + 2 * len(sides) + (2 if len(sides) == 2 else 0)) + "|")
        for k in ks:
            for j in jobs:
                row = {
                    s: batch(src, args.data_dir, k, j, out_dir / f"{s}_k{k}_j{j}.jsonl")
                    for s, src in sides.items()
                }
                cells = " | ".join(f"{row[s]['wall']:.1f} | {row[s]['cpu']:.1f}" for s in sides)
                extra = ""
                if len(sides) == 2:
                    same = same_answers(
                        out_dir / f"before_k{k}_j{j}.jsonl", out_dir / f"now_k{k}_j{j}.jsonl"
                    )
                    extra = f" {row['before']['wall'] / row['now']['wall']:.1f}x | {same} |"
                load = f" {os.getloadavg()[0]:.1f} |"
                print(f"| {k} | {j} | {cells} |{extra}{load}", flush=True)
        if args.single:
            print(f"\nsingle `next_roles` queries ({args.single}, after one warm-up), ms:")
            print("| code | k | load s | wall p50 | wall p99 | wall max | CPU p50 | CPU p99 |")
            print("|---|---|---|---|---|---|---|---|")
            for k in ks:
                for side, src in sides.items():
                    found = single(src, args.data_dir, k, args.single, args.freeze)
                    wall, cpu = sorted(found["wall"]), sorted(found["cpu"])
                    print(
                        f"| {side} | {k} | {found['load'][0]:.2f} | {pct(wall, 0.5):.1f} | "
                        f"{pct(wall, 0.99):.1f} | {wall[-1]:.1f} | {pct(cpu, 0.5):.1f} | "
                        f"{pct(cpu, 0.99):.1f} |",
                        flush=True,
                    )
    print(f"\nJSON lines in {out_dir}; load average at the end {os.getloadavg()[0]:.1f}")


def machine() -> str:
    return (
        f"{platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, "
        f"Python {platform.python_version()}, load average {os.getloadavg()[0]:.1f}"
    )


def baseline_source(ref: str, scratch: Path) -> Path:
    """The skillgraph package as it was at `ref`, unpacked under `scratch`."""
    archive = subprocess.run(
        ["git", "archive", ref, "skillgraph"], cwd=ROOT, check=True, capture_output=True
    ).stdout
    subprocess.run(["tar", "-x", "-C", str(scratch)], input=archive, check=True)
    return scratch


def environment(source: Path | None) -> dict[str, str]:
    env = dict(os.environ, HF_HUB_OFFLINE="1")
    env["PYTHONPATH"] = str(source if source is not None else ROOT)
    return env


def check_source(source: Path | None) -> None:
    """The code a side runs is the one it names (python -c puts the working directory first on
    sys.path, hence the neutral working directory of every run)."""
    done = subprocess.run(
        [sys.executable, "-c", "import skillgraph; print(skillgraph.__file__)"],
        env=environment(source),
        cwd=tempfile.gettempdir(),
        check=True,
        capture_output=True,
        text=True,
    )
    expected = (source if source is not None else ROOT).resolve()
    if not Path(done.stdout.strip()).resolve().is_relative_to(expected):
        raise SystemExit(f"expected skillgraph from {expected}, got {done.stdout.strip()}")


def batch(source: Path | None, data_dir: Path, k: int, jobs: int, out: Path) -> dict[str, float]:
    """Wall and CPU seconds of one `recommend roles --all --roles` run (workers included)."""
    command = [
        sys.executable,
        "-c",
        "from skillgraph.cli import app; app()",
        *("recommend", "roles", "--all", "--roles", "-k", str(k), "--jobs", str(jobs)),
        *("-d", str(data_dir), "-o", str(out)),
    ]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(
        command,
        env=environment(source),
        cwd=tempfile.gettempdir(),
        check=True,
        capture_output=True,
    )
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return {"wall": wall, "cpu": cpu}


def single(source: Path | None, data_dir: Path, k: int, n: int, freeze: bool) -> dict[str, Any]:
    mode = "freeze" if freeze else "plain"
    command = [sys.executable, "-c", SINGLE, str(data_dir), str(k), str(n), mode]
    done = subprocess.run(
        command,
        env=environment(source),
        cwd=tempfile.gettempdir(),
        check=True,
        capture_output=True,
        text=True,
    )
    found: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return found


def same_answers(old: Path, new: Path) -> str:
    """ "yes" when both files list the same queries, roles in the same order and scores within
    SCORE_TOLERANCE; else what differs first."""
    lines = 0
    with old.open(encoding="utf-8") as a, new.open(encoding="utf-8") as b:
        for lines, (x, y) in enumerate(zip(a, b, strict=False), start=1):
            if x == y:
                continue
            left, right = json.loads(x), json.loads(y)
            if left.get("query") != right.get("query"):
                return f"no: query of line {lines}"
            ra, rb = left.get("result", []), right.get("result", [])
            if [r["item_id"] for r in ra] != [r["item_id"] for r in rb]:
                return f"no: ranking of line {lines}"
            if any(
                abs(p["score"] - q["score"]) > SCORE_TOLERANCE for p, q in zip(ra, rb, strict=True)
            ):
                return f"no: scores of line {lines}"
        if a.readline() or b.readline():
            return "no: the line counts differ"
    return f"yes ({lines} lines)"


def pct(values: list[float], q: float) -> float:
    return values[min(len(values) - 1, int(q * len(values)))]


if __name__ == "__main__":
    main()
