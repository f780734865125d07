"""The FastAPI application factory. Nothing opens files or databases at import time:
the store and the engine are opened in the lifespan of the app `create_app` returns."""

from __future__ import annotations

import dataclasses
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

import skillgraph
from api.auth import TokenCache, check_secret
from api.errors import PROBLEM_JSON, install_error_handlers
from api.fastpath import FastReads
from api.limits import BodyLimitMiddleware
from api.routes import (
    content,
    employees,
    feedback,
    matching,
    mentors,
    operations,
    plans,
    recommendations,
    roles,
    skills,
    ui,
)
from api.runtime import EngineFactory, Runtime
from api.threads import limit_threads
from skillgraph.config import ENV_PREFIX, Settings
from skillgraph.errors import ValidationError
from skillgraph.store import Store

# routes are matched in order: the hot reads first (no two routers' paths overlap)
ROUTERS = (
    operations,
    recommendations,
    skills,
    roles,
    employees,
    mentors,
    content,
    feedback,
    plans,
    matching,
    ui,
)
DESCRIPTION = """Skill gaps, mentors, learning content and internal career paths for the people
of a company, each recommendation explained (which gap it closes, at what level).

Authenticate with a bearer JWT (`skillgraph token SUBJECT --role ROLE`). Roles: `employee`
(their own profile and recommendations), `manager` (also their reports, and checkpoint
approval), `ld_admin` (everything), `service` (reads recommendations). Every error is
`application/problem+json`. Lists take `offset` and `limit` and return `total`."""


def create_app(
    settings: Settings,
    *,
    engine_factory: EngineFactory | None = None,
    fast_reads: bool = True,
) -> FastAPI:
    """The service for `settings`; refuses the development secret outside development.

    `fast_reads=False` turns off api/fastpath.py (every request through FastAPI's routes)."""
    check_secret(settings)
    factory = engine_factory or EngineFactory()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        # Nested lifespans (a test client inside another) share the first one's runtime.
        if getattr(app.state, "lifespans", 0):
            app.state.lifespans += 1
            try:
                yield
            finally:
                app.state.lifespans -= 1
            return
        # before the engine loads faiss and torch: they start their pools at this size
        limit_threads(settings.retrieval.threads)
        store = Store.open(settings)
        runtime = Runtime(settings, store, factory)
        app.state.runtime = runtime
        app.state.lifespans = 1
        runtime.start()
        try:
            yield
        finally:
            app.state.lifespans = 0
            store.close()

    app = FastAPI(
        title="skillgraph",
        version=skillgraph.__version__,
        description=DESCRIPTION,
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.tokens = TokenCache(settings)
    install_error_handlers(app)
    for module in ROUTERS:
        app.include_router(module.build(settings))
    app.include_router(operations.build_admin(settings))
    app.add_middleware(BodyLimitMiddleware, max_bytes=settings.api.max_body_bytes)
    app.add_middleware(FastReads, settings=settings, enabled=fast_reads)  # outermost
    app.openapi = lambda: _openapi(app)  # type: ignore[method-assign]
    return app


def _openapi(app: FastAPI) -> dict[str, Any]:
    """FastAPI's schema with every error response as application/problem+json."""
    if app.openapi_schema:
        return app.openapi_schema
    schema = get_openapi(
        title=app.title, version=app.version, description=app.description, routes=app.routes
    )
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    problem_ref = {"$ref": "#/components/schemas/Problem"}
    for path_item in schema.get("paths", {}).values():
        for operation in path_item.values():
            for code, response in operation.get("responses", {}).items():
                if not code.isdigit() or int(code) < 400:
                    continue
                response["content"] = {PROBLEM_JSON: {"schema": problem_ref}}
    for unused in ("HTTPValidationError", "ValidationError"):
        components.pop(unused, None)
    app.openapi_schema = schema
    return schema


# ---------------------------------------------------------------------- several workers

SETTINGS_FACTORY = "api.app:create_app_from_env"


def settings_factory_for(settings: Settings) -> str:
    """An import string for `uvicorn --workers N --factory`; the settings travel in the
    environment as SKILLGRAPH_* variables, which every worker process inherits."""
    for name, value in _flatten(settings).items():
        os.environ[name] = value
    return SETTINGS_FACTORY


def create_app_from_env() -> FastAPI:
    return create_app(Settings.from_env())


def _flatten(settings: Settings) -> dict[str, str]:
    out: dict[str, str] = {}
    defaults = Settings()
    for field in dataclasses.fields(settings):
        value = getattr(settings, field.name)
        if dataclasses.is_dataclass(value):
            for sub in dataclasses.fields(value):
                sub_value = getattr(value, sub.name)
                key = f"{ENV_PREFIX}{field.name.upper()}__{sub.name.upper()}"
                _put(out, key, sub_value, getattr(getattr(defaults, field.name), sub.name))
        else:
            _put(out, f"{ENV_PREFIX}{field.name.upper()}", value, getattr(defaults, field.name))
    return out


def _put(out: dict[str, str], key: str, value: Any, default: Any) -> None:
    if value is None:
        if default is not None:
            raise ValidationError(f"{key} cannot be unset through the environment")
        return
    if isinstance(value, bool | int | float | str | Path):
        out[key] = str(value).lower() if isinstance(value, bool) else str(value)
    elif value != default:
        raise ValidationError(f"{key} cannot be passed to worker processes; keep the default")
