"""Scriptable answers: one query in, plain JSON-able data out (CLI, batch exports).

A query is an employee id, a role id, or a comma-separated list of skill ids; `kind` is one of
gaps, mentors, content, roles, paths, plan.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from enum import Enum
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from skillgraph.engine import Engine
from skillgraph.errors import DatasetError, SkillgraphError, ValidationError
from skillgraph.recommend.base import Query

KINDS = ("gaps", "mentors", "content", "roles", "paths", "plan")


@dataclass(frozen=True)
class Options:
    k: int = 10
    max_hops: int = 3
    mode: str | None = None
    target_role_id: str | None = None


@dataclass(frozen=True)
class Subject:
    """Who or what a query is about: exactly one of the three."""

    employee_id: str | None = None
    role_id: str | None = None
    skill_ids: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        return self.employee_id or self.role_id or ",".join(self.skill_ids)


def to_jsonable(value: Any) -> Any:
    """Dataclasses, enums, dates, mappings and sequences as plain JSON values."""
    if hasattr(value, "to_dict") and callable(value.to_dict):
        return to_jsonable(value.to_dict())
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [to_jsonable(v) for v in value]
    if isinstance(value, float):
        return round(value, 4)
    return value


def single_query(*, employee: str | None, role: str | None, skills: str | None) -> Subject:
    given = [x for x in (employee, role, skills) if x]
    if len(given) != 1:
        raise ValidationError("give exactly one of: an employee id, --role, or --skills")
    if skills:
        return Subject(skill_ids=tuple(s.strip() for s in skills.split(",") if s.strip()))
    return Subject(employee_id=employee, role_id=role)


def parse_line(line: str, engine: Engine) -> Subject:
    """A batch line: an employee id, a role id, or a comma-separated skill list."""
    text = line.strip()
    if text in engine.records.employees:
        return Subject(employee_id=text)
    if text in engine.records.roles:
        return Subject(role_id=text)
    return Subject(skill_ids=tuple(s.strip() for s in text.split(",") if s.strip()))


def queries_from_file(path: Path) -> Iterator[str]:
    try:
        with path.open(encoding="utf-8") as handle:
            for line in handle:
                if line.strip() and not line.lstrip().startswith("#"):
                    yield line
    except FileNotFoundError:
        raise DatasetError("file not found", file=str(path)) from None


def all_queries(engine: Engine, *, roles: bool = False) -> Iterator[str]:
    if roles:
        yield from engine.records.roles
    else:
        yield from (e.id for e in engine.records.employees.values() if e.active)


def stream(
    engine: Engine, kind: str, lines: Iterable[str], options: Options
) -> Iterator[dict[str, Any]]:
    """One JSON-able row per query; a query that fails yields its error instead of stopping."""
    for line in lines:
        subject = parse_line(line, engine)
        try:
            yield {
                "query": subject.label,
                "kind": kind,
                "result": answer(engine, kind, subject, options),
            }
        except SkillgraphError as exc:
            yield {"query": subject.label, "kind": kind, "error": str(exc)}


def answer(engine: Engine, kind: str, subject: Subject, options: Options) -> Any:
    if kind not in KINDS:
        raise ValidationError(f"unknown answer kind {kind!r}; one of {', '.join(KINDS)}")
    target = options.target_role_id
    filters: dict[str, Any] = {"mode": options.mode} if options.mode else {}
    query = Query(
        employee_id=subject.employee_id,
        role_id=subject.role_id,
        skill_ids=subject.skill_ids,
        target_role_id=target,
        k=options.k,
        filters=filters,
    )
    if kind == "gaps":
        return to_jsonable(_gaps(engine, subject, target))
    if kind == "mentors":
        return to_jsonable(engine.mentors(query))
    if kind == "content":
        return to_jsonable(engine.content(query))
    if kind == "roles":
        return to_jsonable(engine.next_roles(query))
    if kind == "paths":
        return to_jsonable(engine.paths(query, max_hops=options.max_hops))
    if subject.employee_id is None or target is None:
        raise ValidationError("a plan needs an employee id and --target")
    return to_jsonable(engine.plan(subject.employee_id, target))


def _gaps(engine: Engine, subject: Subject, target: str | None) -> Any:
    if subject.employee_id:
        return engine.gaps(subject.employee_id, target)
    if subject.role_id:
        if target is None:
            raise ValidationError("gaps of a role need --target (the role to compare against)")
        return engine.role_gaps(subject.role_id, target)
    if target is None:
        raise ValidationError("gaps of a skill list need --target")
    return engine.skill_gaps(dict.fromkeys(subject.skill_ids, 3.0), target)


def print_table(console: Console, kind: str, result: Any) -> None:
    """A compact human view; --json has everything."""
    if kind == "gaps":
        table = Table(
            title=f"gaps for {result.get('role_id')} (readiness {result.get('readiness')})"
        )
        for col in ("skill", "required", "current", "gap", "importance"):
            table.add_column(col)
        for row in result.get("rows", result.get("gaps", [])):
            table.add_row(
                str(row.get("label", row.get("skill_id"))),
                str(row.get("required_level")),
                str(row.get("current_level")),
                str(row.get("gap")),
                str(row.get("importance")),
            )
        console.print(table)
        return
    if isinstance(result, list):
        table = Table(title=kind)
        for col in ("#", "id", "score", "why"):
            table.add_column(col)
        for rank, row in enumerate(result, start=1):
            why = row.get("explanation", {}).get("text", "") if isinstance(row, dict) else ""
            ident = row.get("item_id") or row.get("target") or json.dumps(row)[:40]
            table.add_row(str(rank), str(ident), str(row.get("score", "")), why)
        console.print(table)
        return
    console.print_json(json.dumps(result))


def role_profile_rows(engine: Engine) -> Iterator[dict[str, Any]]:
    """Each role with its declared and inferred requirements."""
    labels = {sid: s.label for sid, s in engine.records.skills.items()}
    for role in engine.records.roles.values():
        yield {
            "role_id": role.id,
            "title": role.title,
            "family": role.family,
            "profile": "inferred" if role.profile_inferred else "declared",
            "skills": [
                {
                    "skill_id": r.skill_id,
                    "label": labels.get(r.skill_id, r.skill_id),
                    "level": r.level,
                    "importance": r.importance,
                    "provenance": r.provenance.value,
                    "score": r.score,
                }
                for r in role.requirements
            ],
        }


def solve_round_file(engine: Engine, path: Path, *, compare_greedy: bool = False) -> Any:
    """Solve a mentoring round defined in a JSON file."""
    from skillgraph.recommend import matching

    try:
        definition = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise DatasetError("file not found", file=str(path)) from None
    except json.JSONDecodeError as exc:
        raise DatasetError(f"invalid JSON: {exc.msg}", file=str(path), row=exc.lineno) from None
    return to_jsonable(
        matching.solve_definition(engine.ctx, definition, compare_greedy=compare_greedy)
    )
