"""Engine answers straight to JSON bytes with orjson, for the hot read endpoints.

The routes still declare their pydantic `response_model` (the OpenAPI schema, checked by the
schema tests), but return a ready `Response`, so FastAPI neither validates the answer a second
time nor walks it in Python. orjson writes dataclasses, enums, tuples, dates and numpy values
itself; `_default` covers the rest the way `convert.jsonable` does (sets sorted, mappings).
NaN and infinities become null, as in `convert.jsonable`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

import orjson
from starlette.responses import Response

_OPTIONS = orjson.OPT_SERIALIZE_NUMPY | orjson.OPT_NON_STR_KEYS


class JsonBytes(Response):
    """application/json from bytes already encoded (or anything `dumps` takes)."""

    media_type = "application/json"

    def render(self, content: Any) -> bytes:
        return content if isinstance(content, bytes) else dumps(content)


def dumps(value: Any) -> bytes:
    return orjson.dumps(value, default=_default, option=_OPTIONS)


def _default(value: Any) -> Any:
    if isinstance(value, Mapping):
        return dict(value)
    if isinstance(value, set | frozenset):
        return sorted(value)
    to_dict = getattr(value, "to_dict", None)
    if callable(to_dict):
        return to_dict()
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: getattr(value, f.name) for f in dataclasses.fields(value)}
    item = getattr(value, "item", None)
    if callable(item):  # numpy scalar types orjson does not know
        return item()
    raise TypeError(f"cannot encode {type(value).__name__} as JSON")
