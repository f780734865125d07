"""Typed columns of a company table: one kind per field, read from JSON values or CSV text.

Every kind reads a JSON value (`from_json`) or a CSV cell (`from_text`) and writes both back
(`to_json`, `to_text`), so a table round-trips through either form. A bad value raises
`CellError` with a message; the table reader adds the file, row and field.
"""

from __future__ import annotations

import dataclasses
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from functools import cache
from types import MappingProxyType
from typing import Any, Protocol

LIST_SEPARATOR = "|"  # between values of a multi-valued CSV cell
PART_SEPARATOR = ":"  # between the parts of one nested entry in a CSV cell
_TRUE = {"true", "yes", "1", "y"}
_FALSE = {"false", "no", "0", "n"}
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


class CellError(ValueError):
    """A bad value; `field` is the path inside the row, e.g. ``skills[2].level``."""

    def __init__(self, message: str, field: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.field = field

    def within(self, prefix: str) -> CellError:
        if not self.field:
            return CellError(self.message, prefix)
        joint = "" if self.field.startswith("[") else "."
        return CellError(self.message, f"{prefix}{joint}{self.field}")


class Kind(Protocol):
    def from_json(self, value: Any) -> Any: ...
    def from_text(self, text: str) -> Any: ...
    def to_json(self, value: Any) -> Any: ...
    def to_text(self, value: Any) -> str: ...


def _type_name(value: Any) -> str:
    return {bool: "true/false", str: "a string", list: "a list", dict: "an object"}.get(
        type(value), type(value).__name__
    )


def _plain_number(value: float) -> int | float:
    return int(value) if value.is_integer() and abs(value) < 2**53 else value


def _range_text(low: float | None, high: float | None) -> str:
    if low is not None and high is not None:
        return f"between {_plain_number(float(low))} and {_plain_number(float(high))}"
    return f"at least {low}" if low is not None else f"at most {high}"


@dataclass(frozen=True, slots=True)
class Text:
    """Free text, kept as written."""

    def from_json(self, value: Any) -> str:
        if not isinstance(value, str):
            raise CellError(f"expected a string, got {_type_name(value)}")
        return value

    def from_text(self, text: str) -> str:
        return text

    def to_json(self, value: Any) -> Any:
        return value

    def to_text(self, value: Any) -> str:
        return str(value)


@dataclass(frozen=True, slots=True)
class Ident(Text):
    """An id: surrounding whitespace dropped, never empty."""

    def from_json(self, value: Any) -> str:
        return self.from_text(Text.from_json(self, value))

    def from_text(self, text: str) -> str:
        text = text.strip()
        if not text:
            raise CellError("empty id")
        return text


@dataclass(frozen=True, slots=True)
class Number:
    low: float | None = None
    high: float | None = None

    def check(self, number: float) -> float:
        if not math.isfinite(number):
            raise CellError(f"expected a finite number, got {number}")
        if (self.low is not None and number < self.low) or (
            self.high is not None and number > self.high
        ):
            raise CellError(f"{_plain_number(number)} is not {_range_text(self.low, self.high)}")
        return number

    def from_json(self, value: Any) -> float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise CellError(f"expected a number, got {_type_name(value)}")
        return self.check(float(value))

    def from_text(self, text: str) -> float:
        try:
            number = float(text.strip())
        except ValueError:
            raise CellError(f"expected a number, got {text!r}") from None
        return self.check(number)

    def to_json(self, value: Any) -> Any:
        return _plain_number(float(value))

    def to_text(self, value: Any) -> str:
        return str(_plain_number(float(value)))


@dataclass(frozen=True, slots=True)
class Integer:
    low: int | None = None
    high: int | None = None

    def check(self, number: int) -> int:
        Number(self.low, self.high).check(float(number))
        return number

    def from_json(self, value: Any) -> int:
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if isinstance(value, bool) or not isinstance(value, int):
            raise CellError(f"expected a whole number, got {_type_name(value)} {value!r}")
        return self.check(value)

    def from_text(self, text: str) -> int:
        try:
            number = float(text.strip())
        except ValueError:
            raise CellError(f"expected a whole number, got {text!r}") from None
        return self.from_json(number)

    def to_json(self, value: Any) -> Any:
        return int(value)

    def to_text(self, value: Any) -> str:
        return str(int(value))


@dataclass(frozen=True, slots=True)
class Boolean:
    def from_json(self, value: Any) -> bool:
        if not isinstance(value, bool):
            raise CellError(f"expected true or false, got {_type_name(value)} {value!r}")
        return value

    def from_text(self, text: str) -> bool:
        word = text.strip().lower()
        if word in _TRUE:
            return True
        if word in _FALSE:
            return False
        raise CellError(f"expected true/false (or yes/no, 1/0), got {text!r}")

    def to_json(self, value: Any) -> Any:
        return bool(value)

    def to_text(self, value: Any) -> str:
        return "true" if value else "false"


@dataclass(frozen=True, slots=True)
class Choice:
    """One value of an enum, written by its value."""

    enum: type[StrEnum]

    def allowed(self) -> str:
        return ", ".join(m.value for m in self.enum)

    def from_json(self, value: Any) -> StrEnum:
        if not isinstance(value, str):
            raise CellError(f"expected one of {self.allowed()}, got {_type_name(value)}")
        return self.from_text(value)

    def from_text(self, text: str) -> StrEnum:
        try:
            return self.enum(text.strip().lower())
        except ValueError:
            raise CellError(f"unknown value {text!r}; allowed: {self.allowed()}") from None

    def to_json(self, value: Any) -> Any:
        return str(value.value)

    def to_text(self, value: Any) -> str:
        return str(value.value)


@dataclass(frozen=True, slots=True)
class Day:
    """A calendar date, YYYY-MM-DD."""

    def from_json(self, value: Any) -> date:
        return self.from_text(Text().from_json(value))

    def from_text(self, text: str) -> date:
        text = text.strip()
        try:
            if not _DAY.fullmatch(text):
                raise ValueError
            return date.fromisoformat(text)
        except ValueError:
            raise CellError(f"expected a date YYYY-MM-DD, got {text!r}") from None

    def to_json(self, value: Any) -> Any:
        return value.isoformat()

    def to_text(self, value: Any) -> str:
        return str(value.isoformat())


@dataclass(frozen=True, slots=True)
class Moment:
    """A date and time in ISO 8601, e.g. 2024-05-02T09:30:00+00:00."""

    def from_json(self, value: Any) -> datetime:
        return self.from_text(Text().from_json(value))

    def from_text(self, text: str) -> datetime:
        text = text.strip()
        try:
            if not _DAY.match(text):
                raise ValueError
            return datetime.fromisoformat(text)
        except ValueError:
            raise CellError(
                f"expected an ISO date-time like 2024-05-02T09:30:00, got {text!r}"
            ) from None

    def to_json(self, value: Any) -> Any:
        return value.isoformat()

    def to_text(self, value: Any) -> str:
        return str(value.isoformat())


@dataclass(frozen=True, slots=True)
class ListOf:
    """Several values; a JSON list, or one CSV cell with values separated by '|'."""

    item: Kind

    def from_json(self, value: Any) -> tuple[Any, ...]:
        if not isinstance(value, list):
            raise CellError(f"expected a list, got {_type_name(value)}")
        return tuple(_at(i, self.item.from_json, v) for i, v in enumerate(value))

    def from_text(self, text: str) -> tuple[Any, ...]:
        parts = [p.strip() for p in text.split(LIST_SEPARATOR)]
        return tuple(_at(i, self.item.from_text, p) for i, p in enumerate(p for p in parts if p))

    def to_json(self, value: Any) -> Any:
        return [self.item.to_json(v) for v in value]

    def to_text(self, value: Any) -> str:
        return LIST_SEPARATOR.join(self.item.to_text(v) for v in value)


def _at(index: int, parse: Any, value: Any) -> Any:
    try:
        return parse(value)
    except CellError as exc:
        raise exc.within(f"[{index}]") from None


@cache
def _required(cls: type) -> tuple[str, ...]:
    return tuple(
        f.name
        for f in dataclasses.fields(cls)
        if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
    )


@cache
def _defaults(cls: type) -> Mapping[str, Any]:
    result: dict[str, Any] = {}
    for f in dataclasses.fields(cls):
        if f.default is not dataclasses.MISSING:
            result[f.name] = f.default
        elif f.default_factory is not dataclasses.MISSING:
            result[f.name] = f.default_factory()
    return MappingProxyType(result)


@dataclass(frozen=True, slots=True)
class RecordSpec:
    """How the fields of one record type are read; required fields are those without default."""

    cls: type
    columns: Mapping[str, Kind]

    def required(self) -> list[str]:
        return list(_required(self.cls))

    def defaults(self) -> Mapping[str, Any]:
        return _defaults(self.cls)

    def build(self, values: Mapping[str, Any], *, textual: bool) -> Any:
        """The record from a JSON object or a CSV row; blank / null means the default."""
        unknown = [k for k in values if k not in self.columns and not k.startswith("_")]
        if unknown:
            raise CellError(
                f"unknown field {unknown[0]!r}; allowed: {', '.join(self.columns)}", unknown[0]
            )
        parsed: dict[str, Any] = {}
        for name, kind in self.columns.items():
            raw = values.get(name)
            if raw is None or (isinstance(raw, str) and textual and not raw.strip()):
                continue
            try:
                parsed[name] = kind.from_text(raw) if textual else kind.from_json(raw)
            except CellError as exc:
                raise exc.within(name) from None
        missing = [name for name in _required(self.cls) if name not in parsed]
        if missing:
            raise CellError(f"missing required field {missing[0]!r}", missing[0])
        return self.cls(**parsed)

    def to_json(self, record: Any) -> dict[str, Any]:
        """Fields that differ from their default (required fields always)."""
        defaults = self.defaults()
        doc: dict[str, Any] = {}
        for name, kind in self.columns.items():
            value = getattr(record, name)
            if name in defaults and value == defaults[name]:
                continue
            doc[name] = None if value is None else kind.to_json(value)
        return doc

    def to_row(self, record: Any) -> dict[str, str]:
        row: dict[str, str] = {}
        for name, kind in self.columns.items():
            value = getattr(record, name)
            row[name] = "" if value is None else kind.to_text(value)
        return row


@dataclass(frozen=True, slots=True)
class Nested:
    """A list of small records, e.g. the skills of an employee.

    JSON: a list of objects. CSV: entries separated by '|', each entry its parts separated by
    ':' in field order, the first part an id. Ids may themselves contain ':' (``esco:...``), so
    the parts after the id are read from the right; trailing parts may be left out (defaults).
    """

    spec: RecordSpec

    def from_json(self, value: Any) -> tuple[Any, ...]:
        if not isinstance(value, list):
            raise CellError(f"expected a list of objects, got {_type_name(value)}")
        return tuple(_at(i, self._object, v) for i, v in enumerate(value))

    def _object(self, value: Any) -> Any:
        if not isinstance(value, dict):
            raise CellError(f"expected an object, got {_type_name(value)}")
        return self.spec.build(value, textual=False)

    def from_text(self, text: str) -> tuple[Any, ...]:
        entries = [e.strip() for e in text.split(LIST_SEPARATOR) if e.strip()]
        return tuple(_at(i, self._entry, e) for i, e in enumerate(entries))

    def _entry(self, entry: str) -> Any:
        names = list(self.spec.columns)
        tokens = entry.split(PART_SEPARATOR)
        minimum = len([n for n in self.spec.required() if n != names[0]])
        first_error: CellError | None = None
        for tail in range(min(len(names) - 1, len(tokens) - 1), minimum - 1, -1):
            head = PART_SEPARATOR.join(tokens[: len(tokens) - tail])
            values = dict(zip(names, [head, *tokens[len(tokens) - tail :]], strict=False))
            try:
                return self.spec.build(values, textual=True)
            except CellError as exc:
                first_error = first_error or exc
        if first_error is not None:
            raise first_error
        raise CellError(f"expected {self.pattern()}, got {entry!r}")

    def pattern(self) -> str:
        names = list(self.spec.columns)
        required = set(self.spec.required())
        return "".join(
            (f"{PART_SEPARATOR}{n}" if n in required else f"[{PART_SEPARATOR}{n}]") if i else n
            for i, n in enumerate(names)
        )

    def to_json(self, value: Any) -> Any:
        return [self.spec.to_json(v) for v in value]

    def to_text(self, value: Any) -> str:
        return LIST_SEPARATOR.join(self._entry_text(v) for v in value)

    def _entry_text(self, record: Any) -> str:
        row = self.spec.to_row(record)
        defaults = self.spec.defaults()
        names = list(self.spec.columns)
        last = max(
            (
                i
                for i, n in enumerate(names)
                if n not in defaults or getattr(record, n) != defaults[n]
            ),
            default=0,
        )
        return PART_SEPARATOR.join(row[n] for n in names[: last + 1])


def spec(cls: type, columns: Mapping[str, Kind]) -> RecordSpec:
    """A RecordSpec whose columns are exactly the dataclass fields, in field order."""
    names = [f.name for f in dataclasses.fields(cls)]
    if set(names) != set(columns):
        raise TypeError(f"columns of {cls.__name__} must be exactly {names}")
    return RecordSpec(cls, {n: columns[n] for n in names})
