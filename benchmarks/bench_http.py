"""HTTP load on loopback: the recommendation endpoint and a trivial one, 1 and 2 workers.

    .venv/bin/python benchmarks/bench_http.py [--requests 1500] [--encoder hashing|real]

Builds a synthetic company (seeded), saves an engine and a store into a temp data dir, times
the same recommendation computed in-process, then starts `uvicorn --workers N` on a free
loopback port and drives it with an asyncio httpx client (concurrency 32, fixed request
count). Reports req/s, p50 and p99; the HTTP overhead at p50 is measured at concurrency 1
(no queueing) against the in-process p50. A last run reindexes in the middle of the load and
counts errors. The client shares the machine with the server, which caps the scaling seen.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from api.auth import mint_token  # noqa: E402
from skillgraph.config import ApiSettings, RetrievalSettings, Settings  # noqa: E402
from skillgraph.data.schema import (  # noqa: E402
    Employee,
    LearningItem,
    MentorOffer,
    Modality,
    Records,
    RelationKind,
    Role,
    Skill,
    SkillLevel,
    SkillRelation,
    SkillRequirement,
    SkillTaught,
)

SECRET = "benchmark-secret-0123456789-abcdefghijklmnop"
CONCURRENCY = 32


def synthetic_company(seed: int = 7, people: int = 400) -> Records:
    rng = random.Random(seed)
    skills = {
        f"s{i:03d}": Skill(
            f"s{i:03d}", f"skill {i} {rng.choice(['data', 'cloud', 'ml', 'web', 'lead'])}"
        )
        for i in range(80)
    }
    ids = sorted(skills)
    relations = [
        SkillRelation(ids[i], ids[i + 1], RelationKind.RELATED, 0.5) for i in range(0, 78, 3)
    ]
    relations += [
        SkillRelation(ids[i], ids[i + 10], RelationKind.PREREQUISITE) for i in range(0, 60, 7)
    ]
    roles = {}
    for r in range(24):
        reqs = tuple(
            SkillRequirement(sid, float(rng.randint(2, 5)), round(rng.uniform(0.4, 1.0), 2))
            for sid in rng.sample(ids, 6)
        )
        roles[f"r{r:02d}"] = Role(
            f"r{r:02d}", f"role {r}", family=f"f{r % 4}", seniority=1 + r % 5, requirements=reqs
        )
    role_ids = sorted(roles)
    employees = {}
    for e in range(people):
        held = tuple(SkillLevel(sid, float(rng.randint(1, 5))) for sid in rng.sample(ids, 8))
        manager = f"e{rng.randrange(0, e):04d}" if e > 0 else None
        employees[f"e{e:04d}"] = Employee(
            f"e{e:04d}",
            f"Person {e}",
            rng.choice(role_ids),
            manager_id=manager,
            department=f"d{e % 6}",
            utc_offset=float(rng.choice([-5, 0, 1, 8])),
            skills=held,
        )
    mentors = {
        f"m{e:04d}": MentorOffer(f"m{e:04d}", f"e{e:04d}", capacity=rng.randint(1, 4))
        for e in rng.sample(range(people), people // 8)
    }
    items = {}
    for i in range(200):
        taught = tuple(SkillTaught(sid, float(rng.randint(2, 5))) for sid in rng.sample(ids, 2))
        items[f"c{i:03d}"] = LearningItem(
            f"c{i:03d}",
            f"course {i}",
            skills=taught,
            duration_hours=float(rng.randint(2, 40)),
            modality=rng.choice(list(Modality)),
            level=float(rng.randint(1, 4)),
        )
    return Records(
        skills=skills,
        relations=relations,
        roles=roles,
        employees=employees,
        mentors=mentors,
        items=items,
        sources=["benchmark"],
    )


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def prepare(data_dir: Path, model: str) -> tuple[Settings, Records]:
    import torch

    torch.set_num_threads(1)
    from skillgraph.engine import Engine
    from skillgraph.store import Store
    from skillgraph.workspace import save_engine

    settings = Settings(
        data_dir=data_dir,
        retrieval=RetrievalSettings(model=model, threads=1),
        api=ApiSettings(jwt_secret=SECRET, max_page_size=200),
    )
    records = synthetic_company()
    store = Store.open(settings)
    revision = store.replace_records(records)
    store.close()
    engine = Engine.build(records, settings, revision=revision)
    save_engine(engine, settings)
    return settings, records


def in_process(settings: Settings, targets: list[tuple[str, str]], n: int) -> list[float]:
    from skillgraph.recommend.base import Query
    from skillgraph.workspace import load_engine

    engine = load_engine(settings)
    latencies = []
    for i in range(n):
        employee, role = targets[i % len(targets)]
        start = time.perf_counter()
        engine.content(Query(employee_id=employee, target_role_id=role, k=10))
        latencies.append(time.perf_counter() - start)
    return latencies


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_server(settings: Settings, workers: int) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    env = {
        **os.environ,
        "SKILLGRAPH_DATA_DIR": str(settings.data_dir),
        "SKILLGRAPH_RETRIEVAL__MODEL": settings.retrieval.model,
        "SKILLGRAPH_API__JWT_SECRET": SECRET,
        "HF_HUB_OFFLINE": "1",
        "TRANSFORMERS_OFFLINE": "1",
        "OMP_NUM_THREADS": "1",
    }
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            "api.app:create_app_from_env",
            "--factory",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--workers",
            str(workers),
            "--log-level",
            "warning",
            "--no-access-log",
        ],
        cwd=REPO,
        env=env,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 300
    ready = 0
    while ready < 10 * workers:  # every worker answers ready
        if time.monotonic() > deadline or proc.poll() is not None:
            proc.kill()
            raise RuntimeError("server did not become ready")
        try:
            ok = httpx.get(f"{url}/ready", timeout=5).status_code == 200
        except httpx.HTTPError:
            ok = False
        ready = ready + 1 if ok else 0
        time.sleep(0.05 if ok else 0.2)
    return proc, url


async def load(
    url: str,
    paths: list[str],
    headers: dict[str, str],
    total: int,
    concurrency: int,
    during: float | None = None,
) -> dict[str, float]:
    latencies: list[float] = []
    errors = 0
    counter = iter(range(total))
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)

    async with httpx.AsyncClient(
        base_url=url, headers=headers, limits=limits, timeout=120
    ) as client:

        async def worker() -> None:
            nonlocal errors
            for i in counter:
                start = time.perf_counter()
                try:
                    response = await client.get(paths[i % len(paths)])
                    if response.status_code != 200:
                        errors += 1
                except httpx.HTTPError:
                    errors += 1
                latencies.append(time.perf_counter() - start)

        async def reindex_midway() -> None:
            assert during is not None
            await asyncio.sleep(during)
            response = await client.post(
                "/v1/admin/reindex",
                headers={
                    "Authorization": f"Bearer {mint_token(SETTINGS_FOR_TOKENS, 'root', 'ld_admin')}"
                },
            )
            if response.status_code != 200:
                raise RuntimeError(f"reindex failed: {response.status_code} {response.text}")

        started = time.perf_counter()
        tasks = [worker() for _ in range(concurrency)]
        if during is not None:
            tasks.append(reindex_midway())
        await asyncio.gather(*tasks)
        elapsed = time.perf_counter() - started
    return {
        "requests": len(latencies),
        "rps": len(latencies) / elapsed,
        "p50_ms": 1000 * percentile(latencies, 0.5),
        "p99_ms": 1000 * percentile(latencies, 0.99),
        "errors": errors,
    }


SETTINGS_FOR_TOKENS = Settings(api=ApiSettings(jwt_secret=SECRET))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=1500)
    parser.add_argument("--encoder", choices=["hashing", "real"], default="hashing")
    args = parser.parse_args()
    model = "hashing" if args.encoder == "hashing" else RetrievalSettings().model
    rows: list[tuple[str, dict[str, float]]] = []
    with tempfile.TemporaryDirectory(prefix="skillgraph-bench-") as tmp:
        settings, records = prepare(Path(tmp), model)
        rng = random.Random(1)
        role_ids = sorted(records.roles)
        targets = [(e, rng.choice(role_ids)) for e in rng.sample(sorted(records.employees), 200)]
        inproc = in_process(settings, targets, 300)
        rows.append(
            (
                "in-process content (same query)",
                {
                    "requests": len(inproc),
                    "rps": len(inproc) / sum(inproc),
                    "p50_ms": 1000 * statistics.median(inproc),
                    "p99_ms": 1000 * percentile(inproc, 0.99),
                    "errors": 0,
                },
            )
        )
        headers = {"Authorization": f"Bearer {mint_token(SETTINGS_FOR_TOKENS, 'bench', 'service')}"}
        rec_paths = [f"/v1/employees/{e}/content?target_role={r}&k=10" for e, r in targets]
        for workers in (1, 2):
            proc, url = start_server(settings, workers)
            try:
                asyncio.run(load(url, rec_paths, headers, 100, 4))  # warm up
                rows.append(
                    (
                        f"HTTP content, {workers} worker(s), concurrency 1",
                        asyncio.run(load(url, rec_paths, headers, 300, 1)),
                    )
                )
                rows.append(
                    (
                        f"HTTP /health, {workers} worker(s), concurrency 1",
                        asyncio.run(load(url, ["/health"], headers, 300, 1)),
                    )
                )
                rows.append(
                    (
                        f"HTTP content, {workers} worker(s), concurrency {CONCURRENCY}",
                        asyncio.run(load(url, rec_paths, headers, args.requests, CONCURRENCY)),
                    )
                )
                rows.append(
                    (
                        f"HTTP /health, {workers} worker(s), concurrency {CONCURRENCY}",
                        asyncio.run(load(url, ["/health"], headers, args.requests, CONCURRENCY)),
                    )
                )
                if workers == 2:
                    rows.append(
                        (
                            f"HTTP content during reindex, {workers} workers",
                            asyncio.run(
                                load(
                                    url, rec_paths, headers, args.requests, CONCURRENCY, during=0.5
                                )
                            ),
                        )
                    )
            finally:
                proc.terminate()
                proc.wait(timeout=60)
    print("| run | requests | req/s | p50 ms | p99 ms | errors |")
    print("|---|---:|---:|---:|---:|---:|")
    for name, r in rows:
        print(
            f"| {name} | {int(r['requests'])} | {r['rps']:.0f} | {r['p50_ms']:.2f} | "
            f"{r['p99_ms']:.2f} | {int(r['errors'])} |"
        )
    by = dict(rows)
    base = by["in-process content (same query)"]["p50_ms"]
    c1 = by["HTTP content, 1 worker(s), concurrency 1"]["p50_ms"]
    one = by[f"HTTP content, 1 worker(s), concurrency {CONCURRENCY}"]["rps"]
    two = by[f"HTTP content, 2 worker(s), concurrency {CONCURRENCY}"]["rps"]
    print(f"\nHTTP overhead at p50 (concurrency 1 vs in-process): {100 * (c1 - base) / base:.1f}%")
    print(f"load average during the run: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print(f"2 workers vs 1 (content, concurrency {CONCURRENCY}): {two / one:.2f}x")


if __name__ == "__main__":
    main()
