"""Ground-truth files: a company's own judgements of what should be recommended.

Formats (chosen by extension):

- `.tsv` / `.csv`: a header row with the columns `query`, `item`, `grade` (other columns ignored).
- `.json`: an array of objects `{"query": ..., "item": ..., "grade": ...}`, or an object
  `{query: {item: grade}}` (the ranx qrels shape).

`grade` is an integer >= 0: 0 = judged not relevant, 1 = relevant, 2 and up = more relevant
(linear gain, see evaluation.metrics). A pair given twice with the same grade is accepted once;
with different grades it is an error that names both rows.

What the ids mean depends on the task:

| task               | query                                | item                            |
|--------------------|--------------------------------------|---------------------------------|
| role_related_roles | role id                              | role id                         |
| skills_items       | skill id, or several joined with `|` | learning item id                |
| employee_mentors   | employee id (the mentee)             | mentor's employee id or offer id |
| role_skills        | role id                              | skill id                        |
| next_role          | employee id                          | role id                         |

Ids the engine does not know are reported by `GroundTruth.resolve`, never silently dropped.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any, Protocol

from skillgraph.data.schema import Records
from skillgraph.data.tables import iter_rows, read_text
from skillgraph.errors import DatasetError, ValidationError

COLUMNS = ("query", "item", "grade")
SKILL_SEPARATOR = "|"
MAX_EXAMPLES = 5


class Task(StrEnum):
    ROLE_RELATED_ROLES = "role_related_roles"
    SKILLS_ITEMS = "skills_items"
    EMPLOYEE_MENTORS = "employee_mentors"
    ROLE_SKILLS = "role_skills"
    NEXT_ROLE = "next_role"


# (kind of query id, kind of item id) per task
TASK_KINDS: dict[Task, tuple[str, str]] = {
    Task.ROLE_RELATED_ROLES: ("role", "role"),
    Task.SKILLS_ITEMS: ("skill", "item"),
    Task.EMPLOYEE_MENTORS: ("employee", "mentor"),
    Task.ROLE_SKILLS: ("role", "skill"),
    Task.NEXT_ROLE: ("employee", "role"),
}


def parse_task(value: str) -> Task:
    try:
        return Task(value.strip().lower())
    except ValueError:
        names = ", ".join(t.value for t in Task)
        raise ValidationError(f"unknown task {value!r}; expected one of {names}") from None


class HasRecords(Protocol):
    @property
    def records(self) -> Records: ...


@dataclass(frozen=True)
class UnknownIds:
    """Ids of one kind that the engine does not know: how many, and a few of them."""

    kind: str
    count: int
    examples: tuple[str, ...]


@dataclass(frozen=True)
class Resolved:
    """Ground truth restricted to ids the engine knows, plus what was left out and why."""

    task: Task
    qrels: dict[str, dict[str, int]]
    unknown: tuple[UnknownIds, ...]  # per kind ("query role", "item skill", ...)
    dropped_pairs: int  # judgements that named an unknown query or item
    dropped_queries: int  # queries left without any known item

    def to_dict(self) -> dict[str, Any]:
        return {
            "task": self.task.value,
            "queries": len(self.qrels),
            "dropped_pairs": self.dropped_pairs,
            "dropped_queries": self.dropped_queries,
            "unknown": [
                {"kind": u.kind, "count": u.count, "examples": list(u.examples)}
                for u in self.unknown
            ],
        }


@dataclass(frozen=True)
class GroundTruth:
    task: Task
    qrels: dict[str, dict[str, int]]
    source: str  # file name, for reports
    pairs: int = field(default=0)

    def resolve(self, known: Records | HasRecords) -> Resolved:
        """Split ids into known and unknown against an engine (or its records)."""
        records = known if isinstance(known, Records) else known.records
        query_kind, item_kind = TASK_KINDS[self.task]
        unknown: dict[str, list[str]] = {f"query {query_kind}": [], f"item {item_kind}": []}
        kept: dict[str, dict[str, int]] = {}
        dropped_pairs = 0
        for query, items in self.qrels.items():
            missing_query = _unknown_query_ids(records, query_kind, query)
            unknown[f"query {query_kind}"].extend(missing_query)
            for item, grade in items.items():
                item_id = _known_item(records, item_kind, item)
                if missing_query or item_id is None:
                    dropped_pairs += 1
                    if item_id is None:
                        unknown[f"item {item_kind}"].append(item)
                    continue
                kept.setdefault(query, {})[item_id] = max(
                    grade, kept.get(query, {}).get(item_id, 0)
                )
        return Resolved(
            task=self.task,
            qrels=kept,
            unknown=tuple(_summarise(kind, ids) for kind, ids in unknown.items() if ids),
            dropped_pairs=dropped_pairs,
            dropped_queries=sum(1 for q in self.qrels if q not in kept),
        )


def load_groundtruth(path: Path, task: Task | str) -> GroundTruth:
    """Read a ground-truth file; DatasetError names the file, row and field of any problem."""
    task = task if isinstance(task, Task) else parse_task(task)
    suffix = path.suffix.lower()
    if suffix == ".json":
        rows = _json_rows(path)
    elif suffix in {".tsv", ".tab", ".txt"}:
        rows = _table_rows(path, "\t")
    elif suffix == ".csv":
        rows = _table_rows(path, ",")
    else:
        raise DatasetError(
            f"unsupported ground-truth format {suffix!r}; use .csv, .tsv or .json", file=str(path)
        )
    qrels, pairs = _collect(path, rows)
    if not qrels:
        raise DatasetError("no judgements in the file", file=str(path))
    return GroundTruth(task=task, qrels=qrels, source=path.name, pairs=pairs)


def split_skill_query(query: str) -> tuple[str, ...]:
    """'s1|s2' -> ('s1', 's2') (a skills_items query may name several skills)."""
    return tuple(p.strip() for p in query.split(SKILL_SEPARATOR) if p.strip())


def mentor_person(records: Records, mentor_id: str) -> str | None:
    """The employee id behind a mentor reference (an offer id or the mentor's employee id)."""
    offer = records.mentors.get(mentor_id)
    if offer is not None:
        return offer.employee_id
    if any(o.employee_id == mentor_id for o in records.mentors.values()):
        return mentor_id
    return None


# -- reading -------------------------------------------------------------------------------------

Row = tuple[int, dict[str, Any]]


def _table_rows(path: Path, delimiter: str) -> Iterator[Row]:
    yield from iter_rows(path, required=COLUMNS, delimiter=delimiter)


def _json_rows(path: Path) -> Iterator[Row]:
    try:
        data = json.loads(read_text(path))
    except json.JSONDecodeError as exc:
        raise DatasetError(f"invalid JSON: {exc.msg}", file=str(path), row=exc.lineno) from None
    if isinstance(data, list):
        for number, entry in enumerate(data, start=1):
            if not isinstance(entry, dict):
                raise DatasetError(
                    "expected an object with query, item, grade", file=str(path), row=number
                )
            missing = [c for c in COLUMNS if c not in entry]
            if missing:
                raise DatasetError(
                    f"missing {', '.join(missing)}", file=str(path), row=number, field=missing[0]
                )
            yield number, entry
    elif isinstance(data, dict):
        number = 0
        for query, items in data.items():
            if not isinstance(items, dict):
                raise DatasetError(
                    "expected {item: grade} for each query", file=str(path), field=str(query)
                )
            for item, grade in items.items():
                number += 1
                yield number, {"query": query, "item": item, "grade": grade}
    else:
        raise DatasetError(
            "expected an array of {query, item, grade} or an object {query: {item: grade}}",
            file=str(path),
        )


def _collect(path: Path, rows: Iterator[Row]) -> tuple[dict[str, dict[str, int]], int]:
    qrels: dict[str, dict[str, int]] = {}
    first_row: dict[tuple[str, str], int] = {}
    pairs = 0
    for number, row in rows:
        query = _identifier(row.get("query"), path, number, "query")
        item = _identifier(row.get("item"), path, number, "item")
        grade = _grade(row.get("grade"), path, number)
        previous = qrels.get(query, {}).get(item)
        if previous is not None and previous != grade:
            raise DatasetError(
                f"pair ({query}, {item}) has grade {grade} here but {previous} in row "
                f"{first_row[(query, item)]}",
                file=str(path),
                row=number,
                field="grade",
            )
        if previous is None:
            first_row[(query, item)] = number
            qrels.setdefault(query, {})[item] = grade
            pairs += 1
    return qrels, pairs


def _identifier(value: Any, path: Path, row: int, name: str) -> str:
    text = (
        str(value).strip() if isinstance(value, str | int) and not isinstance(value, bool) else ""
    )
    if not text:
        raise DatasetError(f"empty or invalid {name} id", file=str(path), row=row, field=name)
    return text


def _grade(value: Any, path: Path, row: int) -> int:
    if isinstance(value, bool):
        grade: int | None = None
    elif isinstance(value, int):
        grade = value
    elif isinstance(value, float) and value.is_integer():
        grade = int(value)
    elif isinstance(value, str) and value.strip().lstrip("+").isdigit():
        grade = int(value.strip())
    else:
        grade = None
    if grade is None or grade < 0:
        raise DatasetError(
            f"grade must be an integer >= 0, got {value!r}", file=str(path), row=row, field="grade"
        )
    return grade


# -- resolving -----------------------------------------------------------------------------------


def _unknown_query_ids(records: Records, kind: str, query: str) -> list[str]:
    if kind == "skill":
        ids = split_skill_query(query)
        return [s for s in ids if s not in records.skills] or ([] if ids else [query])
    known: Mapping[str, object] = records.roles if kind == "role" else records.employees
    return [] if query in known else [query]


def _known_item(records: Records, kind: str, item: str) -> str | None:
    """The canonical id of a known item, or None."""
    if kind == "role":
        return item if item in records.roles else None
    if kind == "item":
        return item if item in records.items else None
    if kind == "skill":
        return item if item in records.skills else None
    return mentor_person(records, item)


def _summarise(kind: str, ids: list[str]) -> UnknownIds:
    distinct = list(dict.fromkeys(ids))
    return UnknownIds(kind=kind, count=len(distinct), examples=tuple(distinct[:MAX_EXAMPLES]))
