"""Reading a JSON array of objects element by element, so every error names its row and line."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from skillgraph.data.tables import read_text
from skillgraph.errors import DatasetError

_WHITESPACE = " \t\n\r"


@dataclass(frozen=True, slots=True)
class JsonRow:
    row: int  # array index + 1
    line: int  # line where the element starts
    value: Any


class _DuplicateKeyError(ValueError):
    pass


def _no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise _DuplicateKeyError(f"key {key!r} appears twice in one object")
        result[key] = value
    return result


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


_DECODER = json.JSONDecoder(object_pairs_hook=_no_duplicate_keys, parse_constant=_reject_constant)


def _skip(text: str, pos: int) -> int:
    while pos < len(text) and text[pos] in _WHITESPACE:
        pos += 1
    return pos


def _line_col(text: str, pos: int) -> tuple[int, int]:
    line = text.count("\n", 0, pos) + 1
    return line, pos - (text.rfind("\n", 0, pos) + 1) + 1


def _syntax_error(file: str, text: str, pos: int, message: str, row: int | None) -> DatasetError:
    line, col = _line_col(text, pos)
    return DatasetError(
        f"malformed JSON at line {line} column {col}: {message}", file=file, row=row
    )


def read_json_array(path: Path) -> list[JsonRow]:
    """The elements of the top-level array, each with its row number and starting line."""
    file = str(path)
    text = read_text(path)
    pos = _skip(text, 0)
    if pos >= len(text) or text[pos] != "[":
        raise _syntax_error(file, text, pos, "expected a JSON array '[' of objects", None)
    rows: list[JsonRow] = []
    pos = _skip(text, pos + 1)
    if pos < len(text) and text[pos] == "]":
        return _finish(file, text, pos + 1, rows)
    while True:
        row = len(rows) + 1
        try:
            value, end = _DECODER.raw_decode(text, pos)
        except json.JSONDecodeError as exc:
            raise _syntax_error(file, text, exc.pos, exc.msg, row) from None
        except ValueError as exc:  # duplicate key or NaN / Infinity
            raise _syntax_error(file, text, pos, str(exc), row) from None
        rows.append(JsonRow(row, _line_col(text, pos)[0], value))
        pos = _skip(text, end)
        if pos < len(text) and text[pos] == ",":
            pos = _skip(text, pos + 1)
            continue
        if pos < len(text) and text[pos] == "]":
            return _finish(file, text, pos + 1, rows)
        raise _syntax_error(file, text, pos, "expected ',' or ']' after an element", row)


def _finish(file: str, text: str, pos: int, rows: list[JsonRow]) -> list[JsonRow]:
    pos = _skip(text, pos)
    if pos < len(text):
        raise _syntax_error(file, text, pos, "extra data after the closing ']'", None)
    return rows
