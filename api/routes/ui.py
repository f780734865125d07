"""The career-path page at /ui, the dataset credits it shows (/v1/meta) and, in development
only, sign-in helpers (/v1/dev/people, /v1/dev/token) that mint a token for a sample person.

The page is static (api/static: plain ES modules, no build step); everything it shows comes
from the API with the signed-in person's token, so it can show nothing the API refuses.
"""

from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import FileResponse, RedirectResponse
from pydantic import Field

import skillgraph
from api import schemas as s
from api.auth import AccessRole, mint_token
from api.deps import StateDep
from api.routes.common import problems
from skillgraph.config import Settings
from skillgraph.errors import NotFoundError

STATIC_DIR = Path(__file__).resolve().parents[1] / "static"
INDEX = "index.html"
DEVELOPMENT = "development"
CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".md": "text/markdown; charset=utf-8",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".ico": "image/x-icon",
}
# the page loads only its own files and talks only to its own origin
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; "
    "form-action 'self'"
)
STATIC_HEADERS = {
    "Cache-Control": "no-cache",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}


class MetaPublic(s.PublicModel):
    version: str
    sources: list[str] = Field(description="datasets the engine was built from")
    attributions: list[str] = Field(description="credits to show wherever their data is shown")
    dev_sign_in: bool = Field(description="true when /v1/dev/* sign-in helpers are available")


class DevPerson(s.PublicModel):
    id: str
    name: str
    role_id: str
    role_title: str
    department: str
    is_manager: bool = Field(description="has people reporting to them (token role manager)")
    reports: int = Field(description="direct and indirect reports")


class DevTokenRequest(s.RequestModel):
    employee_id: s.Ref


class DevToken(s.PublicModel):
    token: str
    employee_id: str
    role: AccessRole
    expires_in_minutes: int


def static_file(name: str) -> FileResponse:
    """A file of api/static; 404 for anything outside it or missing."""
    path = (STATIC_DIR / name).resolve()
    if not path.is_relative_to(STATIC_DIR) or not path.is_file():
        raise NotFoundError("page file", name)
    headers = dict(STATIC_HEADERS)
    if path.suffix == ".html":
        headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
    media_type = CONTENT_TYPES.get(path.suffix, "text/plain; charset=utf-8")
    return FileResponse(path, media_type=media_type, headers=headers)


def _page_routes(router: APIRouter) -> None:
    @router.api_route("/ui", methods=["GET", "HEAD"], include_in_schema=False)
    def page() -> FileResponse:
        return static_file(INDEX)

    @router.get("/", include_in_schema=False)
    def root() -> RedirectResponse:
        return RedirectResponse("/ui", status_code=307)

    @router.api_route("/ui/{name:path}", methods=["GET", "HEAD"], include_in_schema=False)
    def page_file(name: str) -> FileResponse:
        return static_file(name or INDEX)


def _meta_route(router: APIRouter, settings: Settings) -> None:
    @router.get("/v1/meta", response_model=MetaPublic, responses=problems(503), tags=["meta"])
    def meta(state: StateDep) -> MetaPublic:
        """Version, the datasets behind the engine and their attribution strings (no token
        needed: the page shows the credits, e.g. for ESCO and O*NET, next to their data)."""
        records = state.engine.records
        return MetaPublic(
            version=skillgraph.__version__,
            sources=list(records.sources),
            attributions=list(records.attributions),
            dev_sign_in=settings.api.mode == DEVELOPMENT,
        )


def _dev_routes(router: APIRouter, settings: Settings) -> None:
    @router.get("/v1/dev/people", response_model=list[DevPerson], tags=["development"])
    def dev_people(
        state: StateDep,
        q: Annotated[str | None, Query(min_length=1, max_length=200)] = None,
    ) -> list[DevPerson]:
        """Development only: sample people to sign in as (no token needed)."""
        records = state.engine.records
        needle = q.casefold() if q else None
        people = []
        for emp in sorted(records.employees.values(), key=lambda e: (e.name, e.id)):
            if not emp.active or (needle and needle not in f"{emp.name} {emp.id}".casefold()):
                continue
            role = records.roles.get(emp.role_id)
            reports = len(state.org.reports(emp.id))
            people.append(
                DevPerson(
                    id=emp.id,
                    name=emp.name,
                    role_id=emp.role_id,
                    role_title=role.title if role else emp.role_id,
                    department=emp.department,
                    is_manager=reports > 0,
                    reports=reports,
                )
            )
        return people

    @router.post(
        "/v1/dev/token", response_model=DevToken, responses=problems(404, 422), tags=["development"]
    )
    def dev_token(state: StateDep, body: DevTokenRequest) -> DevToken:
        """Development only: a token for a sample person, role manager if anyone reports to
        them, else employee."""
        emp = state.engine.records.employees.get(body.employee_id)
        if emp is None or not emp.active:
            raise NotFoundError("employee", body.employee_id)
        role = AccessRole.MANAGER if state.org.reports(emp.id) else AccessRole.EMPLOYEE
        return DevToken(
            token=mint_token(settings, emp.id, role),
            employee_id=emp.id,
            role=role,
            expires_in_minutes=settings.api.token_ttl_minutes,
        )


def build(settings: Settings) -> APIRouter:
    """The page and its helpers; the /v1/dev routes exist only in development mode (404
    elsewhere, as for any unknown path)."""
    router = APIRouter()
    _page_routes(router)
    _meta_route(router, settings)
    if settings.api.mode == DEVELOPMENT:
        _dev_routes(router, settings)
    return router
