"""Dependency aliases for routes: the runtime, engine, store, caller, paging and limits."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated

from fastapi import Depends, Query, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from api.access import require_admin
from api.auth import AuthenticationError, Principal, decode_token
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


def get_runtime(request: Request) -> Runtime:
    runtime: Runtime = request.app.state.runtime
    return runtime


RuntimeDep = Annotated[Runtime, Depends(get_runtime)]


def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


SettingsDep = Annotated[Settings, Depends(get_settings)]


def get_store(runtime: RuntimeDep) -> Store:
    return runtime.store


StoreDep = Annotated[Store, Depends(get_store)]


def get_state(runtime: RuntimeDep) -> EngineState:
    return runtime.current()


StateDep = Annotated[EngineState, Depends(get_state)]


def get_engine(state: StateDep) -> "Engine":
    return state.engine


if TYPE_CHECKING:
    EngineDep = Annotated[Engine, Depends(get_engine)]
else:  # FastAPI resolves annotations at runtime; the engine module loads lazily
    EngineDep = Annotated[object, Depends(get_engine)]


def current_user(
    settings: SettingsDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> Principal:
    if credentials is None:
        raise AuthenticationError("missing bearer token")
    if credentials.scheme.lower() != "bearer":
        raise AuthenticationError("use the Bearer scheme")
    return decode_token(settings, credentials.credentials)


CurrentUser = Annotated[Principal, Depends(current_user)]


def admin_user(user: CurrentUser) -> Principal:
    require_admin(user)
    return user


AdminUser = Annotated[Principal, Depends(admin_user)]


@dataclass(frozen=True)
class Paging:
    offset: int
    limit: int


def paging_for(settings: Settings) -> Callable[..., Paging]:
    """`?offset=&limit=` with limit capped at settings.api.max_page_size (422 above)."""
    max_page = settings.api.max_page_size

    def paging(
        offset: Annotated[int, Query(ge=0, le=10_000_000, description="items to skip")] = 0,
        limit: Annotated[
            int, Query(ge=1, le=max_page, description=f"page size, at most {max_page}")
        ] = min(50, max_page),
    ) -> Paging:
        return Paging(offset, limit)

    return paging
