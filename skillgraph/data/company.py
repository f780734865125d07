"""A company directory (datasets/FORMAT.md) to Records and back.

`load_company` reads every table the directory has, as `<table>.json` (an array of objects) or
`<table>.csv`, checks it row by row, merges it onto `base` (a public ontology, so company roles
may require ESCO or O*NET skills) and validates the result. `write_company` writes the tables
back as JSON (or CSV) losslessly; each file is replaced atomically.
"""

from __future__ import annotations

import csv
import io
import json
import os
import secrets
from collections import Counter
from pathlib import Path
from typing import Any, Literal

from skillgraph.data.columns import CellError
from skillgraph.data.company_checks import (
    LoadedTable,
    check_ids,
    check_relation_cycles,
    check_rows,
)
from skillgraph.data.company_tables import TABLES, Table
from skillgraph.data.jsonarray import read_json_array
from skillgraph.data.schema import Records
from skillgraph.data.tables import iter_rows
from skillgraph.data.validate import merge, validate
from skillgraph.errors import DatasetError

Format = Literal["json", "csv"]
FORMATS: tuple[Format, ...] = ("json", "csv")
_ATTR_OF = {t.name: t.attr for t in TABLES}


def load_company(path: Path, *, base: Records | None = None) -> Records:
    """The company's records merged onto `base`, validated; `base` itself is left unchanged."""
    directory = Path(path)
    if not directory.is_dir():
        raise DatasetError("not a directory of company tables", file=str(directory))
    files = table_files(directory)
    if not files:
        expected = ", ".join(f"{t.name}.json" for t in TABLES)
        raise DatasetError(
            f"no company tables found; expected some of {expected} (or .csv)", file=str(directory)
        )
    loaded = {table.name: read_table(table, file) for table, file in files}
    base = base if base is not None else Records()
    check_ids(loaded, base, _ATTR_OF)
    source = f"company {directory.resolve().name}"
    merged = merge(base, _records(loaded, source), source=str(directory))
    check_rows(loaded, merged)
    relations = loaded.get("relations")
    check_relation_cycles(merged.relations, file=relations.file if relations else str(directory))
    return validate(merged, file=str(directory))


def table_files(directory: Path) -> list[tuple[Table, Path]]:
    """The table files present; a table given both as JSON and as CSV is an error."""
    found: list[tuple[Table, Path]] = []
    for table in TABLES:
        present = [directory / f"{table.name}.{fmt}" for fmt in FORMATS]
        present = [p for p in present if p.is_file()]
        if len(present) > 1:
            raise DatasetError(
                f"both {present[0].name} and {present[1].name} exist; keep one", file=str(directory)
            )
        found.extend((table, p) for p in present)
    return found


def read_table(table: Table, path: Path) -> LoadedTable:
    """The records of one file, each with its row (JSON: array index + 1; CSV: header is row 1)."""
    loaded = LoadedTable(table.name, str(path), table.what)
    if path.suffix == ".json":
        for element in read_json_array(path):
            if not isinstance(element.value, dict):
                raise DatasetError(
                    f"expected an object (line {element.line})", file=str(path), row=element.row
                )
            loaded.rows.append(
                (element.row, _build(table, element.value, False, path, element.row, element.line))
            )
    else:
        required = table.spec.required()
        for row, values in iter_rows(path, required=required):
            loaded.rows.append((row, _build(table, values, True, path, row, None)))
    return loaded


def _build(
    table: Table, values: dict[str, Any], textual: bool, path: Path, row: int, line: int | None
) -> Any:
    try:
        return table.spec.build(values, textual=textual)
    except CellError as exc:
        where = f" (line {line})" if line is not None else ""
        raise DatasetError(
            f"{exc.message}{where}", file=str(path), row=row, field=exc.field or None
        ) from None


def _records(loaded: dict[str, LoadedTable], source: str) -> Records:
    records = Records(sources=[source])
    for table in TABLES:
        rows = loaded[table.name].rows if table.name in loaded else []
        if table.keyed:
            setattr(records, table.attr, {rec.id: rec for _, rec in rows})
        else:
            setattr(records, table.attr, [rec for _, rec in rows])
    return records


def company_part(records: Records, base: Records) -> Records:
    """The records that are not in `base`: what a company added on top of an ontology."""
    part = Records(sources=[s for s in records.sources if s not in base.sources])
    for table in TABLES:
        mine, theirs = getattr(records, table.attr), getattr(base, table.attr)
        if table.keyed:
            setattr(part, table.attr, {k: v for k, v in mine.items() if k not in theirs})
        else:
            left = Counter(theirs)
            kept = []
            for rel in mine:
                if left[rel] > 0:
                    left[rel] -= 1
                else:
                    kept.append(rel)
            setattr(part, table.attr, kept)
    return part


def write_company(
    records: Records, path: Path, *, base: Records | None = None, fmt: Format = "json"
) -> None:
    """Every table as `<table>.<fmt>` in `path` (created); with `base`, only what is not in it.

    All files are rendered before any is written, and each replaces its old version atomically.
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; use json or csv")
    directory = Path(path)
    if base is not None:
        records = company_part(records, base)
    rendered = {f"{t.name}.{fmt}": _render(t, list(_values(records, t)), fmt) for t in TABLES}
    for table in TABLES:
        for other in FORMATS:
            twin = directory / f"{table.name}.{other}"
            if other != fmt and twin.exists():
                raise DatasetError(
                    f"{twin.name} exists and would shadow {table.name}.{fmt}; remove it first",
                    file=str(twin),
                )
    directory.mkdir(parents=True, exist_ok=True)
    _write_all(directory, rendered)


def _values(records: Records, table: Table) -> list[Any]:
    value = getattr(records, table.attr)
    return list(value.values()) if table.keyed else list(value)


def _render(table: Table, rows: list[Any], fmt: Format) -> str:
    if fmt == "json":
        if not rows:
            return "[]\n"
        lines = ("  " + json.dumps(table.spec.to_json(r), ensure_ascii=False) for r in rows)
        return "[\n" + ",\n".join(lines) + "\n]\n"
    return _render_csv(table, rows)


def _render_csv(table: Table, rows: list[Any]) -> str:
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\n")
    # the csv module leaves a lone '\r' unquoted, which a reader takes for a line break
    quote_all = csv.writer(out, lineterminator="\n", quoting=csv.QUOTE_ALL)
    names = list(table.spec.columns)
    writer.writerow(names)
    for i, record in enumerate(rows):
        cells = table.spec.to_row(record)
        _check_csv_lossless(table, record, cells, row=i + 2)
        values = [cells[n] for n in names]
        (quote_all if any("\r" in v for v in values) else writer).writerow(values)
    return out.getvalue()


def _check_csv_lossless(table: Table, record: Any, cells: dict[str, str], *, row: int) -> None:
    field: str | None
    try:
        again = table.spec.build(cells, textual=True)
    except CellError as exc:
        again, field = None, exc.field
    else:
        field = next((n for n in cells if getattr(again, n) != getattr(record, n)), None)
    if again != record:
        raise DatasetError(
            "cannot be written as CSV without loss (an id or value holds '|' or ':' "
            "in a way the CSV form cannot tell apart); write JSON instead",
            file=f"{table.name}.csv",
            row=row,
            field=field,
        )


def _write_all(directory: Path, rendered: dict[str, str]) -> None:
    """Every file to a temporary sibling first, then each renamed over its old version."""
    temps: list[tuple[Path, str]] = []
    try:
        for name, text in rendered.items():
            temp = directory / f".{name}.{os.getpid()}.{secrets.token_hex(4)}.tmp"
            temps.append((temp, name))
            # open(..., "x") honours the umask, unlike mkstemp's private 0600 files
            with open(temp, "x", encoding="utf-8", newline="") as handle:
                handle.write(text)
                handle.flush()
                os.fsync(handle.fileno())
        for temp, name in temps:
            os.replace(temp, directory / name)
    finally:
        for temp, _ in temps:
            temp.unlink(missing_ok=True)
