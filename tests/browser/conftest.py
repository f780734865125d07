"""The career-path page in a real chromium, driven through Playwright's sync API.

One service per session: the sample company built with the real embedding model into a
temporary data directory, served by the real app (uvicorn in a thread). Chromium is Debian's
(`apt install chromium`) or the one TEST_CHROMIUM names; Playwright's own browser
downloads are never used. Every page records console errors, page errors, failed requests and
error responses; a test fails on any it did not provoke on purpose (`watch.expect(...)`).
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest
import uvicorn

from api.app import create_app
from api.auth import mint_token
from api.runtime import EngineFactory
from skillgraph import workspace
from skillgraph.config import ApiSettings, Settings
from skillgraph.data.company import load_company

REPO = Path(__file__).resolve().parents[2]
SCREENSHOTS = REPO / "test-artifacts" / "screenshots"
SECRET = "browser-test-secret-0123456789-abcdefghijklmnopqrstuvwxyz"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DESKTOP = {"width": 1280, "height": 900}
READY_TIMEOUT_S = 300.0
STEP_TIMEOUT_MS = 30_000  # the slowest call (paths with their content) takes a few seconds
TOKEN_KEY = "skillgraph.token"  # sessionStorage key of api/static/modules/api.js
FAILED_LOAD = re.compile(r"Failed to load resource: the server responded with a status of (\d+)")


def chromium_executable() -> str | None:
    configured = os.environ.get("TEST_CHROMIUM")
    if configured:
        return configured if Path(configured).exists() else None
    return shutil.which("chromium") or shutil.which("chromium-browser")


@dataclass
class Explorer:
    """The running service: its URL and settings (to mint tokens and check what was stored)."""

    url: str
    settings: Settings

    def token(self, subject: str, role: str = "employee", ttl: timedelta | None = None) -> str:
        return mint_token(self.settings, subject, role, ttl)

    def get(self, path: str, subject: str, role: str = "employee", **params: Any) -> Any:
        """GET an API path as `subject`; the JSON body (raises on an error status)."""
        headers = {"Authorization": f"Bearer {self.token(subject, role)}"}
        response = httpx.get(f"{self.url}{path}", headers=headers, params=params, timeout=60)
        response.raise_for_status()
        return response.json()


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _cached(real_encoder: Any, cache_dir: Path) -> Any:
    """The real model behind an embedding cache that outlives the session (pytest's cache):
    later runs skip encoding the sample company again."""
    from skillgraph.retrieval.cache import CachedEncoder

    cached = CachedEncoder(real_encoder, cache_dir)
    if not len(cached):
        # an empty cache has len() 0, and callers test `encoder or default`
        cached.encode(["skillgraph"])
    return cached


def _wait_ready(url: str) -> None:
    deadline = time.monotonic() + READY_TIMEOUT_S
    body: Any = None
    while time.monotonic() < deadline:
        response = httpx.get(f"{url}/ready", timeout=10)
        body = response.json()
        if response.status_code == 200:
            return
        if body.get("phase") in ("failed", "empty"):
            break
        time.sleep(0.1)
    raise AssertionError(f"the service did not get ready: {body}")


@pytest.fixture(scope="session")
def chromium_path() -> str:
    path = chromium_executable()
    if path is None:
        pytest.skip("chromium not found (apt install chromium, or set TEST_CHROMIUM)")
    return path


@pytest.fixture(scope="session")
def explorer(
    chromium_path: str,
    real_encoder: Any,
    tmp_path_factory: pytest.TempPathFactory,
    request: pytest.FixtureRequest,
    sample_company_dir: Path,
) -> Iterator[Explorer]:
    """The sample company with the real model, served on 127.0.0.1 and a free port."""
    cache = getattr(request.config, "cache", None)
    cache_dir = (
        cache.mkdir("skillgraph-embeddings")
        if cache is not None
        else tmp_path_factory.mktemp("embeddings")
    )
    encoder = _cached(real_encoder, Path(cache_dir))
    settings = Settings(
        data_dir=tmp_path_factory.mktemp("explorer"),
        api=ApiSettings(jwt_secret=SECRET, mode="development"),
    )
    workspace.ingest(settings, lambda base: load_company(sample_company_dir, base=base))
    workspace.build_engine(settings, encoder=encoder)
    app = create_app(settings, engine_factory=EngineFactory(encoder))
    port = _free_port()
    config = uvicorn.Config(
        app, host="127.0.0.1", port=port, log_level="warning", lifespan="on", ws="none"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name="explorer-uvicorn", daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise AssertionError("uvicorn did not start")
        time.sleep(0.02)
    _wait_ready(url)
    yield Explorer(url, settings)
    server.should_exit = True
    thread.join(timeout=30)


@pytest.fixture(scope="session")
def browser(chromium_path: str) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@dataclass
class PageWatch:
    """What went wrong in the page: console errors, page errors, failed requests, error
    responses. `expect(status, path)` allows an error response a test provokes on purpose."""

    problems: list[str] = field(default_factory=list)
    expected: list[tuple[int, str]] = field(default_factory=list)
    checked: bool = False

    def expect(self, status: int, path: str) -> None:
        self.expected.append((status, path))

    def _allowed(self, status: int, url: str) -> bool:
        path = urlsplit(url).path
        return any(status == s and path.startswith(p) for s, p in self.expected)

    def on_console(self, message: Any) -> None:
        if message.type != "error":
            return
        failed = FAILED_LOAD.search(message.text)
        url = (message.location or {}).get("url", "")
        if failed and self._allowed(int(failed.group(1)), url):
            return
        self.problems.append(f"console error: {message.text} ({url})")

    def on_response(self, response: Any) -> None:
        if response.status >= 400 and not (
            response.status < 500 and self._allowed(response.status, response.url)
        ):
            self.problems.append(f"HTTP {response.status} {response.request.method} {response.url}")

    def check(self) -> None:
        self.checked = True
        assert not self.problems, "the page reported problems:\n" + "\n".join(self.problems)


@pytest.fixture
def watch() -> PageWatch:
    return PageWatch()


@pytest.fixture
def page(browser: Any, explorer: Explorer, watch: PageWatch) -> Iterator[Any]:
    """A fresh desktop page (own storage) that records every problem into `watch`."""
    context = browser.new_context(viewport=DESKTOP, base_url=explorer.url)
    context.set_default_timeout(STEP_TIMEOUT_MS)
    opened = context.new_page()
    opened.on("console", watch.on_console)
    opened.on("pageerror", lambda error: watch.problems.append(f"page error: {error}"))
    opened.on(
        "requestfailed",
        lambda req: watch.problems.append(f"request failed: {req.method} {req.url} {req.failure}"),
    )
    opened.on("response", watch.on_response)
    yield opened
    context.close()
    if not watch.checked:
        watch.check()


def _shoot(page: Any, name: str, *, full_page: bool = True) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=full_page)
    return path


@pytest.fixture(scope="session")
def shoot() -> Callable[..., Path]:
    """shoot(page, name, full_page=True): a screenshot in test-artifacts/screenshots/."""
    return _shoot


@pytest.fixture
def sign_in(explorer: Explorer) -> Callable[[Any, str, str, str], None]:
    """sign_in(page, subject, role, hash): put a token in the tab's session storage, as the
    sign-in form does, and open the page at `hash` (e.g. "#/explore")."""

    def put(page: Any, subject: str, role: str, hash_: str) -> None:
        page.goto("/ui#/signin")
        page.wait_for_selector("#token-form")
        page.evaluate(
            "([key, token]) => sessionStorage.setItem(key, token)",
            [TOKEN_KEY, explorer.token(subject, role)],
        )
        page.evaluate("(hash) => { window.location.hash = hash; }", hash_)

    return put
