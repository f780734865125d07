"""HTTP load on loopback against the same recommendation computed in-process, in one run.

    .venv/bin/python benchmarks/bench_http.py [--dataset sample|synthetic] [--employees 20000]
        [--encoder real|hashing] [--requests 3000] [--concurrency 16] [--latency-requests 600]

What it measures, on one data directory (a temp folder, removed at the end), with a 1-worker
and a 2-worker uvicorn server up side by side on free loopback ports (same store; each worker
limited to one compute thread by settings.retrieval.threads), driven by a small asyncio client
that keeps its connections open and sends pre-built requests:
1. latency at concurrency 1, one request at a time in turn to each side, so that a change in
   the neighbours' load falls on all alike: the full recommendation of a person in-process,
   computed by the very function the endpoint uses, `api.reads.full_answer` (gaps against the
   current role, 10 mentors, 10 learning items, 5 career paths within 3 moves: what
   bench_recommend.py times as the full answer), alone and plus the orjson encoding of the
   body (`api.encoding.dumps`), then `GET /v1/employees/{id}/recommendations` on each server
   (that function + encoding + access check + HTTP); then `GET /health` (the trivial endpoint
   of the same app) on each server;
2. throughput at `--concurrency` connections, closed loop, in three slices per server taken
   in turn: req/s, p50, p99, errors, for both endpoints;
3. on each server, a load run during which an admin calls `POST /v1/admin/reindex`: it lasts
   until the reindex has answered and the engine is swapped (bounded by --time-cap), errors
   counted;
4. the ratios the targets name: HTTP p50 over in-process p50 (the overhead), 2-worker over
   1-worker throughput, and the error total. The servers' CPU per request (from /proc) is
   printed beside the wall times, and the load average before and after, because on a busy
   machine wall times mostly measure the neighbours.

Every loop is bounded (request counts and a time cap). The client runs on the same 2 cores as
the server: at 2 workers it takes a share of them, which caps the scaling seen. Requires only
the project's own dependencies (wrk or locust are not needed).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import resource
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "benchmarks"))

from api.auth import mint_token  # noqa: E402
from api.threads import limit_threads  # noqa: E402
from skillgraph.config import ApiSettings, RetrievalSettings, Settings  # noqa: E402
from skillgraph.data.schema import Records  # noqa: E402

SECRET = "benchmark-secret-0123456789-abcdefghijklmnop"
SAMPLE = REPO / "datasets" / "sample_company"
CLOCK_TICK = os.sysconf("SC_CLK_TCK")
# the full recommendation, as bench_recommend.py's full answer (no target role: the current one)
FULL = {"k_mentors": 10, "k_content": 10, "k_paths": 5, "max_hops": 3}
IN_ENGINE = "full answer, engine (api.reads.full_answer)"
IN_BODY = "full answer, engine + JSON body (full_answer + dumps)"


# ---------------------------------------------------------------------- data


def company(dataset: str, employees: int) -> Records:
    if dataset == "sample":
        from skillgraph.data.company import load_company

        return load_company(SAMPLE)
    from make_synthetic import Size, make_company  # type: ignore[import-not-found,unused-ignore]

    size = Size(
        employees=employees,
        items=max(200, employees // 5),
        roles=max(50, min(3_000, employees // 30)),
        mentors=max(20, employees // 20),
    )
    return make_company(size)


def prepare(data_dir: Path, records: Records, model: str) -> Settings:
    """A store holding `records` and the engine built from them, saved, as a service has."""
    from api.runtime import EngineFactory
    from skillgraph.store import Store

    settings = Settings(
        data_dir=data_dir,
        retrieval=RetrievalSettings(model=model, threads=1),
        api=ApiSettings(jwt_secret=SECRET),
    )
    store = Store.open(settings)
    try:
        revision = store.replace_records(records)
    finally:
        store.close()
    factory = EngineFactory()
    factory.save(factory.build(records, settings, revision=revision), settings)
    return settings


# ---------------------------------------------------------------------- results


@dataclass
class Run:
    name: str
    wall: list[float] = field(default_factory=list)  # seconds per request
    errors: int = 0
    elapsed: float = 0.0
    server_cpu: float | None = None  # seconds, all server processes
    note: str = ""

    @property
    def rps(self) -> float:
        return len(self.wall) / self.elapsed if self.elapsed else 0.0

    def p(self, q: float) -> float:
        return 1000 * percentile(self.wall, q) if self.wall else float("nan")

    def cpu_ms(self) -> str:
        if self.server_cpu is None or not self.wall:
            return ""
        return f"{1000 * self.server_cpu / len(self.wall):.2f}"


def percentile(values: Sequence[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


# ---------------------------------------------------------------------- in-process


class InProcess:
    """The same recommendation without HTTP: `api.reads.full_answer` (the engine's four
    answers in the documented shape), alone or plus encoding the body the endpoint sends."""

    def __init__(self, settings: Settings, targets: list[str]) -> None:
        from skillgraph.workspace import load_engine

        self.engine = load_engine(settings)
        self.targets = targets
        for i in range(min(len(targets), 100)):  # first touches of lazily built tables
            self.answer(i, True)

    def answer(self, i: int, body: bool) -> None:
        from api.encoding import dumps
        from api.reads import full_answer

        employee = self.targets[i % len(self.targets)]
        answer = full_answer(self.engine, employee, target_role=None, **FULL)
        if body:
            dumps(answer)

    def timed(self, i: int, body: bool, run: Run) -> None:
        start, start_cpu = time.perf_counter(), time.thread_time()
        self.answer(i, body)
        run.wall.append(time.perf_counter() - start)
        run.elapsed += run.wall[-1]
        run.server_cpu = (run.server_cpu or 0.0) + time.thread_time() - start_cpu


# ---------------------------------------------------------------------- server


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Server:
    proc: subprocess.Popen[bytes]
    port: int
    workers: int

    def cpu_seconds(self) -> float:
        """utime + stime of the uvicorn process and its worker processes."""
        total = 0
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            pid, ppid = int(entry.name), int(fields[1])
            if pid == self.proc.pid or ppid == self.proc.pid:
                total += int(fields[11]) + int(fields[12])
        return total / CLOCK_TICK

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


def start_server(settings: Settings, workers: int) -> Server:
    port = free_port()
    env = {
        **os.environ,
        "SKILLGRAPH_DATA_DIR": str(settings.data_dir),
        "SKILLGRAPH_RETRIEVAL__MODEL": settings.retrieval.model,
        "SKILLGRAPH_RETRIEVAL__THREADS": str(settings.retrieval.threads),
        "SKILLGRAPH_API__JWT_SECRET": SECRET,
        "HF_HUB_OFFLINE": "1",
        "TRANSFORMERS_OFFLINE": "1",
    }
    command = [
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
    ]
    server = Server(subprocess.Popen(command, cwd=REPO, env=env), port, workers)
    try:
        asyncio.run(_wait_ready(server))
    except BaseException:
        server.stop()
        raise
    return server


async def _wait_ready(server: Server, timeout: float = 600.0) -> None:
    """Every worker answers /ready: many ready answers in a row over fresh connections."""
    deadline = time.monotonic() + timeout
    in_a_row = 0
    while in_a_row < 10 * server.workers:
        if time.monotonic() > deadline or server.proc.poll() is not None:
            raise RuntimeError("the server did not become ready")
        try:
            async with Connection(server.port) as conn:
                status, body = await conn.get(b"/ready", b"")
        except OSError:
            status, body = 0, b""
        if status == 503 and json.loads(body).get("phase") in ("failed", "empty"):
            raise RuntimeError(f"the server cannot answer: {body.decode()}")
        in_a_row = in_a_row + 1 if status == 200 else 0
        await asyncio.sleep(0.02 if status == 200 else 0.3)


# ---------------------------------------------------------------------- client


class Connection:
    """One keep-alive HTTP/1.1 connection sending pre-built GETs (a few us per request)."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None
        self.engine_ms: float | None = None  # the last answer's Server-Timing engine;dur=

    async def __aenter__(self) -> Connection:
        self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self.writer is not None:
            self.writer.close()

    async def request(self, raw: bytes) -> tuple[int, bytes]:
        assert self.reader is not None
        assert self.writer is not None
        self.writer.write(raw)
        head = await self.reader.readuntil(b"\r\n\r\n")
        status = int(head[9:12])
        length = 0
        self.engine_ms = None
        for line in head.split(b"\r\n")[1:]:
            name, _, value = line.partition(b":")
            if name.lower() == b"content-length":
                length = int(value)
            elif name.lower() == b"server-timing" and b"dur=" in value:
                self.engine_ms = float(value.split(b"dur=")[1].split(b";")[0])
        body = await self.reader.readexactly(length) if length else b""
        return status, body

    async def get(self, path: bytes, auth: bytes) -> tuple[int, bytes]:
        return await self.request(request_bytes(path, auth))


def request_bytes(path: bytes, auth: bytes, method: bytes = b"GET") -> bytes:
    header = b"Authorization: Bearer " + auth + b"\r\n" if auth else b""
    return method + b" " + path + b" HTTP/1.1\r\nHost: 127.0.0.1\r\n" + header + b"\r\n"


async def drive(
    port: int,
    requests: list[bytes],
    total: int,
    concurrency: int,
    time_cap: float,
    keep_going: Callable[[], bool] | None = None,
) -> Run:
    """`concurrency` connections send requests round-robin from `requests` until `total`
    are done (or, with `keep_going`, while it says so), never longer than `time_cap`."""
    run = Run("")
    sent = 0
    deadline = time.monotonic() + time_cap

    def more() -> bool:
        if time.monotonic() > deadline:
            return False
        return keep_going() if keep_going is not None else sent < total

    async def worker() -> None:
        nonlocal sent
        conn: Connection | None = None
        while more():
            raw = requests[sent % len(requests)]
            sent += 1
            start = time.perf_counter()
            try:
                if conn is None:
                    conn = await Connection(port).__aenter__()
                status, _ = await conn.request(raw)
                if status != 200:
                    run.errors += 1
            except (OSError, asyncio.IncompleteReadError, ValueError):
                run.errors += 1
                if conn is not None:
                    await conn.__aexit__()
                conn = None
            run.wall.append(time.perf_counter() - start)
        if conn is not None:
            await conn.__aexit__()

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    run.elapsed = time.perf_counter() - started
    return run


async def drive_with_reindex(
    port: int, requests: list[bytes], concurrency: int, time_cap: float, admin: bytes
) -> tuple[Run, str]:
    """Load before, during and after a reindex (the run ends 1 s after it answered)."""
    finished_at: list[float] = []
    outcome: list[str] = []

    async def reindex() -> None:
        await asyncio.sleep(1.0)
        try:
            async with Connection(port) as conn:
                raw = request_bytes(b"/v1/admin/reindex?wait=true", admin, b"POST")
                raw = raw[:-2] + b"Content-Length: 0\r\n\r\n"
                status, body = await asyncio.wait_for(conn.request(raw), time_cap)
            detail = json.loads(body) if body else {}
            outcome.append(f"reindex {status}: {detail.get('seconds', '?')} s")
        except (OSError, TimeoutError, asyncio.IncompleteReadError) as exc:
            outcome.append(f"reindex failed: {exc!r}")
        finished_at.append(time.monotonic())

    def keep_going() -> bool:
        return not finished_at or time.monotonic() < finished_at[0] + 1.0

    load, _ = await asyncio.gather(
        drive(port, requests, 0, concurrency, time_cap, keep_going), reindex()
    )
    return load, outcome[0] if outcome else "reindex did not finish"


async def interleaved_latency(
    inproc: InProcess | None,
    servers: list[Server],
    requests: list[bytes],
    n: int,
    label: str,
) -> list[Run]:
    """Concurrency 1, one request at a time in turn to each side (in-process first), so a
    change in the neighbours' load falls on every side alike."""
    local = [Run(f"in-process {IN_ENGINE}"), Run(f"in-process {IN_BODY}")]
    remote = [Run(f"HTTP {label}, {s.workers} worker(s), concurrency 1") for s in servers]
    inside = [Run(f"(of which the engine, Server-Timing, {s.workers} worker(s))") for s in servers]
    cpu = [s.cpu_seconds() for s in servers]
    conns = [await Connection(s.port).__aenter__() for s in servers]
    try:
        for i in range(n):
            if inproc is not None:  # the two ask for different people: no cache hit between
                inproc.timed(i, False, local[0])
                inproc.timed(i + len(requests) // 2, True, local[1])
            for conn, run in zip(conns, remote, strict=True):
                start = time.perf_counter()
                status, _ = await conn.request(requests[i % len(requests)])
                run.wall.append(time.perf_counter() - start)
                run.elapsed += run.wall[-1]
                run.errors += status != 200
                if conn.engine_ms is not None:
                    inside[conns.index(conn)].wall.append(conn.engine_ms / 1000)
    finally:
        for conn in conns:
            await conn.__aexit__()
    for server, run, before in zip(servers, remote, cpu, strict=True):
        run.server_cpu = server.cpu_seconds() - before
    timed_inside = [run for run in inside if run.wall]
    return ([*local] if inproc is not None else []) + remote + timed_inside


def alternating_throughput(
    servers: list[Server], requests: list[bytes], args: argparse.Namespace, label: str
) -> list[Run]:
    """Closed-loop load at --concurrency, in 3 slices per server taken in turn."""
    c = args.concurrency
    runs = [Run(f"HTTP {label}, {s.workers} worker(s), concurrency {c}") for s in servers]
    for _ in range(3):
        for server, run in zip(servers, runs, strict=True):
            before = server.cpu_seconds()
            part = asyncio.run(drive(server.port, requests, args.requests // 3, c, args.time_cap))
            run.server_cpu = (run.server_cpu or 0.0) + server.cpu_seconds() - before
            run.wall += part.wall
            run.elapsed += part.elapsed
            run.errors += part.errors
    return runs


def during_reindex(server: Server, requests: list[bytes], args: argparse.Namespace) -> Run:
    before = server.cpu_seconds()
    run, note = asyncio.run(
        drive_with_reindex(server.port, requests, args.concurrency, args.time_cap, args.admin)
    )
    run.server_cpu = server.cpu_seconds() - before
    run.name = (
        f"HTTP full during a reindex, {server.workers} worker(s), concurrency {args.concurrency}"
    )
    run.note = note
    return run


# ---------------------------------------------------------------------- main


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dataset", choices=["sample", "synthetic"], default="sample")
    parser.add_argument("--employees", type=int, default=20_000, help="synthetic size")
    parser.add_argument("--encoder", choices=["real", "hashing"], default=None)
    parser.add_argument("--requests", type=int, default=3_000, help="per throughput run")
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--latency-requests", type=int, default=600)
    parser.add_argument("--time-cap", type=float, default=180.0, help="seconds per run")
    args = parser.parse_args()
    encoder = args.encoder or ("real" if args.dataset == "sample" else "hashing")
    model = "hashing" if encoder == "hashing" else RetrievalSettings().model
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # stop the servers on the way out
    _fast_event_loop()
    limit_threads(1)  # the in-process side computes with one thread, as a worker does
    load_before = os.getloadavg()
    rows: list[Run] = []
    with tempfile.TemporaryDirectory(prefix="skillgraph-bench-http-") as tmp:
        records = company(args.dataset, args.employees)
        started = time.perf_counter()
        settings = prepare(Path(tmp), records, model)
        print(f"built {records.counts()} with {model} in {time.perf_counter() - started:.0f} s")
        rng = random.Random(1)
        active = sorted(e for e, emp in records.employees.items() if emp.active)
        people = rng.sample(active, min(200, len(active)))
        inproc = InProcess(settings, people)
        service = mint_token(settings, "bench", "service").encode()
        args.admin = mint_token(settings, "root", "ld_admin").encode()
        query = "&".join(f"{name}={value}" for name, value in FULL.items())
        full = [
            request_bytes(f"/v1/employees/{e}/recommendations?{query}".encode(), service)
            for e in people
        ]
        health = [request_bytes(b"/health", b"")]
        servers: list[Server] = []
        try:
            for workers in (1, 2):  # both up at once (same store); idle, one costs nothing
                servers.append(start_server(settings, workers))
            for server in servers:  # warm up every worker
                asyncio.run(drive(server.port, full, 200, 4, args.time_cap))
            n = args.latency_requests
            rows += asyncio.run(interleaved_latency(inproc, servers, full, n, "full"))
            rows += asyncio.run(interleaved_latency(None, servers, health, n, "/health"))
            rows += alternating_throughput(servers, full, args, "full")
            rows += alternating_throughput(servers, health, args, "/health")
            rows += [during_reindex(server, full, args) for server in servers]
        finally:
            for server in servers:
                server.stop()
    report(rows, args, model, load_before)


def _fast_event_loop() -> None:
    """uvloop for the client when installed (it comes with uvicorn[standard])."""
    try:
        import uvloop
    except ImportError:
        return
    asyncio.set_event_loop_policy(uvloop.EventLoopPolicy())


def report(rows: list[Run], args: argparse.Namespace, model: str, load_before: Any) -> None:
    print(
        f"\ndataset {args.dataset}, model {model}, {os.cpu_count()} cores, "
        f"python {sys.version.split()[0]}"
    )
    print("| run | requests | req/s | p50 ms | p99 ms | server CPU ms/req | errors |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        note = f" ({r.note})" if r.note else ""
        print(
            f"| {r.name}{note} | {len(r.wall)} | {f'{r.rps:.0f}' if r.elapsed else ''} | "
            f"{r.p(0.5):.2f} | "
            f"{r.p(0.99):.2f} | {r.cpu_ms()} | {r.errors} |"
        )
    by = {r.name: r for r in rows}
    base = by[f"in-process {IN_BODY}"]
    engine_only = by[f"in-process {IN_ENGINE}"]
    c = args.concurrency
    print()
    print(
        "the full recommendation: GET /v1/employees/{id}/recommendations?"
        + "&".join(f"{name}={value}" for name, value in FULL.items())
        + "; in-process: api.reads.full_answer (the function the endpoint calls) + "
        "api.encoding.dumps, the same people"
    )
    for workers in (1, 2):
        http = by[f"HTTP full, {workers} worker(s), concurrency 1"]
        overhead = 100 * (http.p(0.5) - base.p(0.5)) / base.p(0.5)
        bare = 100 * (http.p(0.5) - engine_only.p(0.5)) / engine_only.p(0.5)
        print(
            f"HTTP p50 / in-process (engine + JSON) p50, {workers} worker(s): {http.p(0.5):.2f} / "
            f"{base.p(0.5):.2f} ms = {overhead:+.1f}% (target <= +20%); "
            f"over the engine alone: {bare:+.1f}%"
        )
    for workers in (1, 2):
        inside = by.get(f"(of which the engine, Server-Timing, {workers} worker(s))")
        http = by[f"HTTP full, {workers} worker(s), concurrency 1"]
        if inside is not None:
            print(
                f"HTTP p50 - engine p50 inside the server, {workers} worker(s): "
                f"{http.p(0.5) - inside.p(0.5):.2f} ms (what HTTP adds to the same process's "
                f"own compute: +{100 * (http.p(0.5) / inside.p(0.5) - 1):.1f}%)"
            )
    if base.server_cpu and by["HTTP full, 1 worker(s), concurrency 1"].server_cpu:
        http_cpu = by["HTTP full, 1 worker(s), concurrency 1"]
        per_http = http_cpu.server_cpu / len(http_cpu.wall)  # type: ignore[operator]
        per_base = base.server_cpu / len(base.wall)
        print(
            f"server CPU per request / in-process CPU per answer + JSON, 1 worker: "
            f"{1000 * per_http:.2f} / {1000 * per_base:.2f} ms = "
            f"+{100 * (per_http - per_base) / per_base:.1f}%"
        )
    for label in ("full", "/health"):
        one = by[f"HTTP {label}, 1 worker(s), concurrency {c}"].rps
        two = by[f"HTTP {label}, 2 worker(s), concurrency {c}"].rps
        target = " (target >= 1.6x)" if label == "full" else ""
        print(f"2 workers / 1 worker throughput, {label}: {two / one:.2f}x{target}")
    errors = sum(r.errors for r in rows)
    print(f"errors over the whole run, reindexes included: {errors} (target 0)")
    usage = resource.getrusage(resource.RUSAGE_SELF)
    print(f"client + in-process CPU: {usage.ru_utime + usage.ru_stime:.1f} s")
    print(
        "load average before: {:.2f} {:.2f} {:.2f}; after: {:.2f} {:.2f} {:.2f}".format(
            *load_before, *os.getloadavg()
        )
    )


if __name__ == "__main__":
    main()
