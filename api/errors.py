"""Every error leaves as application/problem+json (RFC 9457): type, title, status, detail.

SkillgraphError subclasses map to statuses here; a handler never leaks internals of a 500.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

import orjson
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import Response

from api.auth import AuthenticationError
from skillgraph.errors import (
    ConflictError,
    DatasetError,
    IndexMismatchError,
    ModelNotAvailableError,
    NotFoundError,
    PermissionDeniedError,
    SkillgraphError,
    SnapshotError,
    ValidationError,
)

PROBLEM_JSON = "application/problem+json"
log = logging.getLogger("skillgraph.api")


class EngineUnavailableError(SkillgraphError):
    """The engine is still loading, or failed to load (HTTP 503)."""


class PayloadTooLargeError(SkillgraphError):
    """A request body above settings.api.max_body_bytes (HTTP 413)."""


# most specific first: DatasetError before ValidationError is irrelevant (siblings), but
# subclasses such as CycleError must meet their parent's entry
_STATUS: tuple[tuple[type[SkillgraphError], int, str], ...] = (
    (AuthenticationError, 401, "unauthenticated"),
    (PermissionDeniedError, 403, "forbidden"),
    (NotFoundError, 404, "not-found"),
    (ConflictError, 409, "conflict"),
    (PayloadTooLargeError, 413, "payload-too-large"),
    (DatasetError, 422, "invalid-dataset"),
    (ValidationError, 422, "invalid-request"),
    (EngineUnavailableError, 503, "engine-unavailable"),
    (SnapshotError, 503, "engine-unavailable"),
    (IndexMismatchError, 503, "engine-unavailable"),
    (ModelNotAvailableError, 503, "engine-unavailable"),
    (SkillgraphError, 400, "bad-request"),
)
_TITLES = {
    400: "Bad request",
    401: "Unauthenticated",
    403: "Forbidden",
    404: "Not found",
    405: "Method not allowed",
    409: "Conflict",
    413: "Payload too large",
    415: "Unsupported media type",
    422: "Unprocessable content",
    500: "Internal server error",
    503: "Service unavailable",
}


class ProblemResponse(Response):
    media_type = PROBLEM_JSON

    def render(self, content: Any) -> bytes:
        return orjson.dumps(content)


def problem(
    status: int,
    detail: str,
    *,
    slug: str | None = None,
    instance: str | None = None,
    extra: Mapping[str, Any] | None = None,
    headers: Mapping[str, str] | None = None,
) -> ProblemResponse:
    body: dict[str, Any] = {
        "type": f"urn:skillgraph:problem:{slug or status}",
        "title": _TITLES.get(status, "Error"),
        "status": status,
        "detail": detail,
    }
    if instance:
        body["instance"] = instance
    if extra:
        body.update(extra)
    return ProblemResponse(body, status_code=status, headers=dict(headers or {}))


def problem_for(exc: SkillgraphError, instance: str | None = None) -> ProblemResponse:
    status, slug = next((s, g) for cls, s, g in _STATUS if isinstance(exc, cls))
    extra: dict[str, Any] = {}
    headers: dict[str, str] = {}
    if isinstance(exc, NotFoundError):
        extra = {"kind": exc.kind, "id": exc.id}
    elif isinstance(exc, DatasetError):
        extra = {k: v for k, v in (("file", exc.file), ("row", exc.row), ("field", exc.field)) if v}
    elif isinstance(exc, AuthenticationError):
        headers["WWW-Authenticate"] = 'Bearer error="invalid_token"'
    elif status == 503:
        headers["Retry-After"] = "5"
    return problem(status, str(exc), slug=slug, instance=instance, extra=extra, headers=headers)


async def _skillgraph_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, SkillgraphError)
    return problem_for(exc, request.url.path)


async def _validation_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    errors = [
        {
            "loc": [str(p) for p in err.get("loc", ())],
            "msg": err.get("msg", ""),
            "type": err["type"],
        }
        for err in exc.errors()
    ]
    first = errors[0] if errors else {"loc": [], "msg": "invalid request"}
    detail = f"{'.'.join(first['loc'])}: {first['msg']}" if first["loc"] else str(first["msg"])
    return problem(
        422, detail, slug="invalid-request", instance=request.url.path, extra={"errors": errors}
    )


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    detail = exc.detail if isinstance(exc.detail, str) else _TITLES.get(exc.status_code, "Error")
    headers = dict(exc.headers or {})
    if exc.status_code == 400:  # FastAPI could not read the body (bad bytes): invalid input
        return problem(
            422, f"request body: {detail}", slug="invalid-request", instance=request.url.path
        )
    if exc.status_code == 405:
        headers["Allow"] = ", ".join(_allowed_methods(request))
    return problem(exc.status_code, detail, instance=request.url.path, headers=headers)


def _allowed_methods(request: Request) -> list[str]:
    """Every method of every route on this path (Starlette names only the first route's)."""
    methods: set[str] = set()
    for route in request.app.routes:
        regex = getattr(route, "path_regex", None)
        if regex is not None and regex.match(request.url.path):
            methods |= set(getattr(route, "methods", None) or ())
    return sorted(methods)


async def _unexpected(request: Request, exc: Exception) -> Response:
    log.exception("unhandled error on %s %s", request.method, request.url.path)
    return problem(500, "internal error; see the server log", instance=request.url.path)


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(SkillgraphError, _skillgraph_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(Exception, _unexpected)
