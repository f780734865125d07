"""Are the answers of this tree those of an older revision? On the bench_recommend.py company.

    .venv/bin/python benchmarks/compare_answers.py --baseline-ref 005cccf [--answers 100]
        [--employees 100000] [--encoder model|hashing] [--cache-dir DIR]

Builds the engine twice, each in its own process: on this tree and on a copy where
bench_recommend.py's OPTIMISED modules are as they were at the revision. For the same seeded
sample of active employees, each side writes what the web page shows: 5 career paths within 3
moves (`to_dict()`, every hop with gaps, effort, 3 items and 3 mentors), 10 mentors and 10
learning items (ids, scores, explanation text). Then every string and id must be equal, every
list the same length in the same order and every number within 1e-9. Prints the counts
compared and the first differences; exits 1 when there is one.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import bench_recommend as bench  # type: ignore[import-not-found]

TOLERANCE = 1e-9


def answers(args: argparse.Namespace) -> dict[str, Any]:
    """employee id -> the page's paths, mentors and learning items, on the imported tree."""
    from skillgraph.recommend.base import Query

    engine, active = build_engine(args)
    sample = random.Random(args.seed).sample(active, args.answers)
    found = {}
    for employee_id in sample:
        paths = engine.paths(Query(employee_id=employee_id, k=5), max_hops=3)
        mentors = engine.mentors(Query(employee_id=employee_id, k=10))
        content = engine.content(Query(employee_id=employee_id, k=10))
        found[employee_id] = {
            "paths": [p.to_dict() for p in paths],
            "mentors": [[r.item_id, r.score, r.explanation.text] for r in mentors],
            "content": [[r.item_id, r.score, r.explanation.text] for r in content],
        }
    return found


def build_engine(args: argparse.Namespace) -> tuple[Any, list[str]]:
    """The engine on bench_recommend.py's company (one thread, as it measures), warmed, and
    the sorted active employee ids."""
    import faiss
    from threadpoolctl import threadpool_limits

    from skillgraph.config import RetrievalSettings, Settings
    from skillgraph.engine import Engine

    threadpool_limits(limits=1)
    faiss.omp_set_num_threads(1)
    size = bench.Size(employees=args.employees, items=args.items, mentors=args.mentors)
    records = bench.make_company(size, seed=args.seed)
    encoder = bench.make_encoder(args.encoder, args.cache_dir, records)
    settings = Settings(
        data_dir=Path(tempfile.gettempdir()) / "skillgraph-bench",
        retrieval=RetrievalSettings(threads=1),
    )
    load = bench.mentor_load(records, seed=args.seed)
    engine = Engine.build(records, settings, encoder=encoder, mentor_load=load)
    active = sorted(e.id for e in records.employees.values() if e.active)
    return engine, active


def differences(a: Any, b: Any, where: str, out: list[str]) -> int:
    """Numbers compared; differences appended to `out`."""
    if isinstance(a, bool) or isinstance(b, bool) or not isinstance(a, int | float):
        if isinstance(a, dict) and isinstance(b, dict):
            if set(a) != set(b):
                out.append(f"{where}: keys {sorted(set(a) ^ set(b))}")
                return 0
            return sum(differences(a[k], b[k], f"{where}.{k}", out) for k in a)
        if isinstance(a, list) and isinstance(b, list):
            if len(a) != len(b):
                out.append(f"{where}: {len(a)} vs {len(b)} entries")
                return 0
            pairs = enumerate(zip(a, b, strict=True))
            return sum(differences(x, y, f"{where}[{i}]", out) for i, (x, y) in pairs)
        if a != b:
            out.append(f"{where}: {a!r:.80} vs {b!r:.80}")
        return 0
    if not isinstance(b, int | float) or abs(a - b) > TOLERANCE:
        out.append(f"{where}: {a!r} vs {b!r}")
    return 1


def run_side(args: argparse.Namespace, package_root: Path | None, out: Path) -> dict[str, Any]:
    command = [sys.executable, str(Path(__file__).resolve()), "--write", str(out)]
    for name in ("employees", "items", "mentors", "seed", "encoder", "cache_dir", "answers"):
        command += [f"--{name.replace('_', '-')}", str(getattr(args, name))]
    env = dict(os.environ)
    if package_root is not None:
        env["PYTHONPATH"] = os.pathsep.join([str(package_root), str(bench.HERE)])
    subprocess.run(command, env=env, check=True)
    found: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline-ref", default="005cccf")
    parser.add_argument("--answers", type=int, default=100)
    parser.add_argument("--employees", type=int, default=bench.Size.employees)
    parser.add_argument("--items", type=int, default=bench.Size.items)
    parser.add_argument("--mentors", type=int, default=bench.Size.mentors)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--encoder", choices=("model", "hashing"), default="model")
    parser.add_argument(
        "--cache-dir", type=Path, default=Path(tempfile.gettempdir()) / "skillgraph-bench-cache"
    )
    parser.add_argument("--write", type=Path, help="write this tree's answers here (one side)")
    args = parser.parse_args()
    if args.write:
        found = answers(args)
        temp = args.write.with_suffix(".tmp")
        temp.write_text(json.dumps(found), encoding="utf-8")
        os.replace(temp, args.write)
        return
    with tempfile.TemporaryDirectory(prefix="skillgraph-compare-") as tmp:
        root = bench.baseline_tree(args.baseline_ref, Path(tmp) / "tree")
        before = run_side(args, root, Path(tmp) / "before.json")
        after = run_side(args, None, Path(tmp) / "after.json")
    out: list[str] = []
    numbers = differences(before, after, "answers", out)
    hops = sum(len(p["hops"]) for e in before.values() for p in e["paths"])
    print(
        f"{len(before)} employees, {hops} hops, {numbers} numbers compared "
        f"(tolerance {TOLERANCE}): {len(out)} differences"
    )
    for line in out[:20]:
        print(" ", line)
    sys.exit(1 if out else 0)


if __name__ == "__main__":
    main()
