"""Each service worker limits its native thread pools to settings.retrieval.threads."""

from __future__ import annotations

import dataclasses
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from api_harness import api_settings, free_port, seed, wait_ready
from fastapi.testclient import TestClient

from api.app import create_app
from api.auth import mint_token
from api.runtime import EngineFactory
from api.threads import limit_threads, thread_pools
from skillgraph.config import RetrievalSettings
from skillgraph.retrieval.encoder import HashingEncoder

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def restore_limits() -> Iterator[None]:
    yield
    limit_threads(RetrievalSettings().threads)  # what every other test's app sets


@pytest.mark.usefixtures("restore_limits")
def test_app_startup_limits_the_pools_of_its_event_loop_thread(
    tmp_path: Path, api_encoder: HashingEncoder
) -> None:
    settings = api_settings(tmp_path / "data")
    settings = dataclasses.replace(settings, retrieval=RetrievalSettings(threads=3))
    seed(settings)
    app = create_app(settings, engine_factory=EngineFactory(api_encoder))
    with TestClient(app) as client:
        wait_ready(client)
        assert client.portal is not None
        pools = client.portal.call(_pools_async)  # the thread requests are served on
    assert pools, "numpy's BLAS at least is loaded"
    assert {p["threads"] for p in pools} == {3}, pools


async def _pools_async() -> list[dict[str, object]]:
    return thread_pools()


def test_a_worker_process_limits_every_thread(tmp_path: Path) -> None:
    """A real uvicorn worker: the pools seen from a thread-pool thread (admin status)."""
    settings = api_settings(tmp_path / "data")
    settings = dataclasses.replace(settings, retrieval=RetrievalSettings(model="hashing"))
    seed(settings)
    port = free_port()
    env = {
        **os.environ,
        "SKILLGRAPH_DATA_DIR": str(settings.data_dir),
        "SKILLGRAPH_RETRIEVAL__MODEL": "hashing",
        "SKILLGRAPH_RETRIEVAL__THREADS": "1",
        "SKILLGRAPH_API__JWT_SECRET": settings.api.jwt_secret,
    }
    for name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        env.pop(name, None)  # the worker must set them itself
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
        "--log-level",
        "warning",
    ]
    proc = subprocess.Popen(command, cwd=REPO, env=env)
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30) as client:
            _wait_listening(client, proc)
            wait_ready(client)
            token = mint_token(settings, "root", "ld_admin")
            status = client.get("/v1/admin/status", headers={"Authorization": f"Bearer {token}"})
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    assert status.status_code == 200, status.text
    threads = status.json()["threads"]
    assert threads["limit"] == 1
    apis = {p["api"] for p in threads["pools"]}
    assert "openmp" in apis, threads  # faiss's OpenMP, loaded with the engine
    assert {p["threads"] for p in threads["pools"]} == {1}, threads


def _wait_listening(client: httpx.Client, proc: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            client.get("/health")
            return
        except httpx.TransportError:
            time.sleep(0.1)
    raise AssertionError("the worker did not start listening")
