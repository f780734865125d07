"""What every router shares: documented error responses and If-Match versions."""

from typing import Annotated, Any

from fastapi import Header

from api.errors import PROBLEM_JSON
from api.schemas import Problem
from skillgraph.errors import ValidationError

_DESCRIPTIONS = {
    401: "No token, a bad signature or an expired token",
    403: "The caller's role or relation to the person does not allow this",
    404: "Unknown id",
    409: "Conflicts with stored state (duplicate id, stale version, still in use)",
    413: "Request body above the configured limit",
    422: "Invalid request (fields, limits, unknown references)",
    503: "The engine is loading or unavailable",
}


def problems(*codes: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI entries for error statuses, all application/problem+json."""
    return {
        code: {"model": Problem, "description": _DESCRIPTIONS[code], "content": {PROBLEM_JSON: {}}}
        for code in codes
    }


READ_ERRORS = problems(401, 403, 404, 422, 503)
WRITE_ERRORS = problems(401, 403, 404, 409, 413, 422, 503)


def if_match_version(value: str | None) -> int | None:
    """The version a client last saw (If-Match: "3" or 3); None when not sent."""
    if value is None:
        return None
    text = value.strip().removeprefix("W/").strip('"')
    if not text.isdigit():
        raise ValidationError(f"If-Match must be a version number, got {value!r}")
    return int(text)


IfMatch = Annotated[
    str | None,
    Header(
        alias="If-Match",
        description="the version you last read; the write fails with 409 if it changed",
        max_length=20,
    ),
]
