"""Fixtures over api_harness (the synthetic company, app starters, a live uvicorn)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from api_harness import (
    Api,
    LiveServer,
    api_settings,
    seed,
    start_live_server,
    wait_ready,
)
from fastapi.testclient import TestClient

from api.app import create_app
from api.runtime import EngineFactory
from skillgraph.retrieval.encoder import HashingEncoder


@pytest.fixture(scope="session")
def api_encoder() -> HashingEncoder:
    return HashingEncoder(64)


@pytest.fixture
def make_api(tmp_path: Path, api_encoder: HashingEncoder) -> Iterator[Callable[..., Api]]:
    """Start an app on a fresh seeded store; call again for a restart on the same data."""
    opened: list[TestClient] = []

    def start(
        *,
        data_dir: Path | None = None,
        seed_records: bool = True,
        database_url: str | None = None,
        **api: object,
    ) -> Api:
        folder = data_dir or tmp_path / "data"
        settings = api_settings(folder, database_url, **api)
        if seed_records and database_url is None and not (folder / "skillgraph.db").exists():
            seed(settings)
        app = create_app(settings, engine_factory=EngineFactory(api_encoder))
        client = TestClient(app)
        client.__enter__()
        opened.append(client)
        if seed_records:
            wait_ready(client)
        return Api(client, settings, app)

    yield start
    for client in opened:
        client.__exit__(None, None, None)


@pytest.fixture
def api(make_api: Callable[..., Api]) -> Api:
    return make_api()


@pytest.fixture(scope="module")
def shared_api(
    tmp_path_factory: pytest.TempPathFactory, api_encoder: HashingEncoder
) -> Iterator[Api]:
    """One read-mostly app per test module (faster); tests must not change its records."""
    folder = tmp_path_factory.mktemp("shared-api")
    settings = api_settings(folder)
    seed(settings)
    app = create_app(settings, engine_factory=EngineFactory(api_encoder))
    with TestClient(app) as client:
        wait_ready(client)
        yield Api(client, settings, app)


@pytest.fixture
def live_server(tmp_path: Path, api_encoder: HashingEncoder) -> Iterator[LiveServer]:
    settings = api_settings(tmp_path / "live")
    seed(settings)
    server = start_live_server(
        create_app(settings, engine_factory=EngineFactory(api_encoder)), settings
    )
    yield server
    server.stop()
