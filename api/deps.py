"""Dependency aliases for routes: the runtime, engine, store, caller, paging and limits.

The cheap ones are `async def`: FastAPI runs a plain `def` dependency in the thread pool, one
hop per dependency per request, which costs more than the work they do."""

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated

from fastapi import Depends, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from api.access import require_admin
from api.auth import AuthenticationError, Principal, TokenCache
from api.runtime import EngineState, Runtime
from skillgraph.config import Settings
from skillgraph.store import Store

if TYPE_CHECKING:
    from skillgraph.engine import Engine

bearer = HTTPBearer(
    auto_error=False,
    scheme_name="bearer",
    description="JWT from `skillgraph token SUBJECT --role ROLE`",
)


async def get_runtime(request: Request) -> Runtime:
    runtime: Runtime = request.app.state.runtime
    return runtime


RuntimeDep = Annotated[Runtime, Depends(get_runtime)]


async def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


SettingsDep = Annotated[Settings, Depends(get_settings)]


async def get_store(runtime: RuntimeDep) -> Store:
    return runtime.store


StoreDep = Annotated[Store, Depends(get_store)]


async def state_of(runtime: Runtime) -> EngineState:
    """The engine state to answer with; at most every SYNC_INTERVAL_S it checks the store."""
    if runtime.sync_due():  # the store may have moved on: check it off the event loop
        return await run_in_threadpool(runtime.current)
    return runtime.current_state()


async def get_state(request: Request) -> EngineState:
    return await state_of(request.app.state.runtime)  # no sub-dependency: each one costs


StateDep = Annotated[EngineState, Depends(get_state)]


async def get_engine(state: StateDep) -> "Engine":
    return state.engine


if TYPE_CHECKING:
    EngineDep = Annotated[Engine, Depends(get_engine)]
else:  # FastAPI resolves annotations at runtime; the engine module loads lazily
    EngineDep = Annotated[object, Depends(get_engine)]


async def current_user(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> Principal:
    if credentials is None:
        raise AuthenticationError("missing bearer token")
    if credentials.scheme.lower() != "bearer":
        raise AuthenticationError("use the Bearer scheme")
    tokens: TokenCache = request.app.state.tokens
    return tokens.principal(credentials.credentials)


CurrentUser = Annotated[Principal, Depends(current_user)]


async def admin_user(user: CurrentUser) -> Principal:
    require_admin(user)
    return user


AdminUser = Annotated[Principal, Depends(admin_user)]


@dataclass(frozen=True)
class Paging:
    offset: int
    limit: int


def paging_for(settings: Settings) -> Callable[..., Awaitable[Paging]]:
    """`?offset=&limit=` with limit capped at settings.api.max_page_size (422 above)."""
    max_page = settings.api.max_page_size

    async def paging(
        offset: Annotated[int, Query(ge=0, le=10_000_000, description="items to skip")] = 0,
        limit: Annotated[
            int, Query(ge=1, le=max_page, description=f"page size, at most {max_page}")
        ] = min(50, max_page),
    ) -> Paging:
        return Paging(offset, limit)

    return paging
