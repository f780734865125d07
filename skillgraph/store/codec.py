"""Records <-> JSON documents, driven by the dataclass type hints of skillgraph.data.schema.

One generic codec keeps the stored form and the record types from drifting apart: a new
field with a default is read from old documents without a migration.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from collections.abc import Mapping
from datetime import date, datetime
from enum import Enum
from functools import cache
from typing import Any, TypeVar

from skillgraph.errors import DatasetError

T = TypeVar("T")
JSON = dict[str, Any]


def to_doc(record: Any) -> JSON:
    """A dataclass record as a JSON-ready dict (enums by value, dates ISO, tuples as lists)."""
    if not dataclasses.is_dataclass(record) or isinstance(record, type):
        raise TypeError(f"expected a dataclass record, got {type(record).__name__}")
    return {f.name: _encode(getattr(record, f.name)) for f in dataclasses.fields(record)}


def from_doc(cls: type[T], doc: Mapping[str, Any], *, where: str = "") -> T:
    """The record of type `cls` from a document; unknown keys are an error naming the field."""
    hints = _hints(cls)  # type: ignore[arg-type]
    known = {f.name for f in dataclasses.fields(cls)}  # type: ignore[arg-type]
    extra = sorted(set(doc) - known)
    if extra:
        raise DatasetError(
            f"unknown field(s) {', '.join(extra)}", file=where or None, field=extra[0]
        )
    values: dict[str, Any] = {}
    for name in known & set(doc):
        try:
            values[name] = _decode(hints[name], doc[name])
        except (TypeError, ValueError) as exc:
            raise DatasetError(str(exc), file=where or None, field=name) from None
    try:
        return cls(**values)
    except TypeError as exc:  # a required field is missing
        raise DatasetError(str(exc), file=where or None) from None


@cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def _encode(value: Any) -> Any:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime | date):
        return value.isoformat()
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return to_doc(value)
    if isinstance(value, tuple | list):
        return [_encode(v) for v in value]
    if isinstance(value, Mapping):
        return {str(k): _encode(v) for k, v in value.items()}
    return value


def _decode(hint: Any, value: Any) -> Any:
    origin = typing.get_origin(hint)
    args = typing.get_args(hint)
    if origin in (typing.Union, types.UnionType):
        if value is None and type(None) in args:
            return None
        inner = [a for a in args if a is not type(None)]
        return _decode(inner[0], value)
    if origin is tuple:
        if not isinstance(value, list | tuple):
            raise TypeError(f"expected a list, got {type(value).__name__}")
        return tuple(_decode(args[0], v) for v in value)
    if origin in (dict, Mapping) or hint is dict:
        if not isinstance(value, Mapping):
            raise TypeError(f"expected an object, got {type(value).__name__}")
        value_hint = args[1] if len(args) == 2 else Any
        return {k: _decode(value_hint, v) for k, v in value.items()}
    if hint is Any:
        return value
    if isinstance(hint, type):
        return _decode_scalar(hint, value)
    return value


def _decode_scalar(hint: type, value: Any) -> Any:
    if dataclasses.is_dataclass(hint):
        if not isinstance(value, Mapping):
            raise TypeError(f"expected an object for {hint.__name__}")
        return from_doc(hint, value)
    if issubclass(hint, Enum):
        return hint(value)
    if hint is datetime:
        return value if isinstance(value, datetime) else datetime.fromisoformat(value)
    if hint is date:
        return value if isinstance(value, date) else date.fromisoformat(value)
    if hint is float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise TypeError(f"expected a number, got {value!r}")
        return float(value)
    if hint in (int, str, bool) and not isinstance(value, hint):
        raise TypeError(f"expected {hint.__name__}, got {value!r}")
    return value
