"""Reading delimited text files with errors that name the file, row and field."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Sequence
from pathlib import Path

from skillgraph.errors import DatasetError

csv.field_size_limit(16 * 1024 * 1024)


def read_text(path: Path) -> str:
    """The whole file as UTF-8 (a BOM is dropped); wrong encodings name the byte offset."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise DatasetError("file not found", file=str(path)) from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise DatasetError(
            f"not valid UTF-8 (byte {exc.start}); save the file as UTF-8", file=str(path), row=line
        ) from None


def iter_rows(
    path: Path,
    *,
    required: Sequence[str] = (),
    delimiter: str = ",",
) -> Iterator[tuple[int, dict[str, str]]]:
    """Yield (row number, row) with row 1 the header, so row 2 is the first record.

    Quoted fields may span lines; the row number counts records, which is what a
    spreadsheet shows.
    """
    text = read_text(path)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        header = next(reader)
    except StopIteration:
        raise DatasetError("file is empty, expected a header row", file=str(path), row=1) from None
    except csv.Error as exc:
        raise DatasetError(f"malformed header: {exc}", file=str(path), row=1) from None
    header = [h.strip() for h in header]
    missing = [c for c in required if c not in header]
    if missing:
        raise DatasetError(
            f"missing column(s) {', '.join(missing)}; found {', '.join(header)}",
            file=str(path),
            row=1,
            field=missing[0],
        )
    row_no = 1
    while True:
        try:
            values = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise DatasetError(f"malformed CSV: {exc}", file=str(path), row=row_no + 1) from None
        row_no += 1
        if not values or all(not v.strip() for v in values):
            continue
        if len(values) > len(header):
            raise DatasetError(
                f"{len(values)} fields but the header has {len(header)}", file=str(path), row=row_no
            )
        values = values + [""] * (len(header) - len(values))
        yield row_no, dict(zip(header, values, strict=True))


def split_list(value: str, separators: str = "|;\n") -> tuple[str, ...]:
    """Split a multi-valued cell on any of the separators, dropping blanks."""
    parts = [value]
    for sep in separators:
        parts = [piece for part in parts for piece in part.split(sep)]
    return tuple(p.strip() for p in parts if p.strip())


def parse_float(
    value: str,
    *,
    file: str,
    row: int,
    field: str,
    low: float | None = None,
    high: float | None = None,
) -> float:
    try:
        number = float(value)
    except ValueError:
        raise DatasetError(
            f"expected a number, got {value!r}", file=file, row=row, field=field
        ) from None
    if (low is not None and number < low) or (high is not None and number > high):
        raise DatasetError(f"{number} is outside [{low}, {high}]", file=file, row=row, field=field)
    return number
