"""Scriptable answers: one query in, plain JSON-able data out (CLI, batch exports).

A query is an employee id, a role id, or a comma-separated list of skill ids; `kind` is one of
gaps, mentors, content, roles, paths, plan. What each kind accepts:

| kind    | employee | role                         | skill list                     |
|---------|----------|------------------------------|--------------------------------|
| gaps    | yes      | with a target (role vs role) | with a target (held at level 3) |
| mentors | yes      | yes (the role's profile)     | yes                            |
| content | yes      | yes (the role's profile)     | yes                            |
| roles   | yes      | yes (moves from the role)    | yes (roles it fits best)       |
| paths   | yes      | yes (paths from the role)    | no                             |
| plan    | yes, with a target | no                 | no                             |
"""

from __future__ import annotations

import dataclasses
import functools
import json
import multiprocessing
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import Enum
from pathlib import Path
from typing import Any

from skillgraph.engine import SKILL_LIST_LEVEL, Engine
from skillgraph.errors import DatasetError, SkillgraphError, ValidationError
from skillgraph.recommend.base import Query

KINDS = ("gaps", "mentors", "content", "roles", "paths", "plan")
PARALLEL_MIN_QUERIES = 64  # below this, forking costs more than it saves
PARALLEL_CHUNK = 16  # queries per task: small enough to keep workers busy to the end


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
    # the plain types first, by exact type: a batch converts hundreds of values per answer
    kind = type(value)
    if kind is str or kind is int or kind is bool or value is None:
        return value
    if kind is float:
        return round(value, 4)
    if kind is dict:
        return {str(k): to_jsonable(v) for k, v in value.items()}
    if kind is list or kind is tuple:
        return [to_jsonable(v) for v in value]
    return _general_jsonable(value)


def _general_jsonable(value: Any) -> Any:
    if hasattr(value, "to_dict") and callable(value.to_dict):
        return to_jsonable(value.to_dict())
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {name: to_jsonable(getattr(value, name)) for name in _field_names(type(value))}
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


@functools.cache
def _field_names(cls: type) -> tuple[str, ...]:
    return tuple(f.name for f in dataclasses.fields(cls))


def _skill_list(text: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(s.strip() for s in text.split(",") if s.strip()))


def single_query(*, employee: str | None, role: str | None, skills: str | None) -> Subject:
    given = [x for x in (employee, role, skills) if x]
    if len(given) != 1:
        raise ValidationError("give exactly one of: an employee id, --role, or --skills")
    if skills:
        return Subject(skill_ids=_skill_list(skills))
    return Subject(employee_id=employee, role_id=role)


def parse_line(line: str, engine: Engine) -> Subject:
    """A batch line: an employee id, a role id, or a comma-separated skill list."""
    text = line.strip()
    records = engine.records
    if text in records.employees:
        return Subject(employee_id=text)
    if text in records.roles:
        return Subject(role_id=text)
    skills = _skill_list(text)
    if len(skills) == 1 and skills[0] not in records.skills:
        raise ValidationError(f"{text!r} is not an employee, role or skill id")
    return Subject(skill_ids=skills)


def queries_from_file(path: Path) -> list[tuple[int, str]]:
    """(line number, query) for each line that is neither blank nor a # comment."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        raise DatasetError("file not found", file=str(path)) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise DatasetError(f"cannot read the file: {exc}", file=str(path)) from None
    return [
        (number, line.strip())
        for number, line in enumerate(lines, start=1)
        if line.strip() and not line.lstrip().startswith("#")
    ]


def all_queries(engine: Engine, *, roles: bool = False) -> list[tuple[int, str]]:
    """Every role, or every active employee, numbered from 1."""
    if roles:
        ids = list(engine.records.roles)
    else:
        ids = [e.id for e in engine.records.employees.values() if e.active]
    return list(enumerate(ids, start=1))


def stream(
    engine: Engine, kind: str, queries: Iterable[tuple[int, str]], options: Options
) -> Iterator[dict[str, Any]]:
    """One JSON-able row per query; a query that fails yields its error (with its line number)
    instead of stopping the batch."""
    check_kind(kind)
    for number, text in queries:
        try:
            subject = parse_line(text, engine)
            yield {
                "query": subject.label,
                "kind": kind,
                "result": answer(engine, kind, subject, options),
            }
        except SkillgraphError as exc:
            yield {"query": text, "kind": kind, "line": number, "error": str(exc)}


def answer_lines(
    engine: Engine,
    kind: str,
    queries: Sequence[tuple[int, str]],
    options: Options,
    *,
    jobs: int = 1,
) -> Iterator[tuple[bool, str]]:
    """(failed, JSON line) per query, in query order. With jobs > 1 (and fork available) the
    queries are answered by forked worker processes sharing this one loaded engine."""
    check_kind(kind)
    if jobs <= 1 or len(queries) < PARALLEL_MIN_QUERIES or not _can_fork():
        for row in stream(engine, kind, queries, options):
            yield "error" in row, json.dumps(row, ensure_ascii=False)
        return
    global _SHARED
    _SHARED = (engine, kind, options)
    try:
        pool = multiprocessing.get_context("fork").Pool(jobs)
        with pool:
            chunks = [
                queries[i : i + PARALLEL_CHUNK] for i in range(0, len(queries), PARALLEL_CHUNK)
            ]
            for lines in pool.imap(_answer_chunk, chunks):
                yield from lines
    finally:
        _SHARED = None


_SHARED: tuple[Engine, str, Options] | None = None  # what forked workers answer with


def _can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()


def _answer_chunk(queries: Sequence[tuple[int, str]]) -> list[tuple[bool, str]]:
    """In a forked worker: the lines of a chunk of queries (the engine came with the fork)."""
    if _SHARED is None:  # pragma: no cover - only if called outside answer_lines
        raise SkillgraphError("no engine shared with this worker")
    engine, kind, options = _SHARED
    return [
        ("error" in row, json.dumps(row, ensure_ascii=False))
        for row in stream(engine, kind, queries, options)
    ]


def check_kind(kind: str) -> None:
    if kind not in KINDS:
        raise ValidationError(f"unknown answer kind {kind!r}; one of {', '.join(KINDS)}")


def answer(engine: Engine, kind: str, subject: Subject, options: Options) -> Any:
    """The answer of `kind` for `subject`, as JSON-able data."""
    check_kind(kind)
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
        if subject.skill_ids:
            raise ValidationError("paths start from an employee or a role (--role), not skills")
        paths = to_jsonable(engine.paths(query, max_hops=options.max_hops))
        roles = engine.records.roles
        for path in paths:
            path["titles"] = [roles[r].title if r in roles else r for r in path.get("roles", [])]
        return paths
    if subject.employee_id is None or target is None:
        raise ValidationError("a plan needs an employee id and --target")
    return to_jsonable(engine.plan(subject.employee_id, target))


def _gaps(engine: Engine, subject: Subject, target: str | None) -> Any:
    if subject.employee_id:
        return engine.gaps(subject.employee_id, target)
    if target is None:
        what = "a role" if subject.role_id else "a skill list"
        raise ValidationError(f"gaps of {what} need --target (the role to compare against)")
    if subject.role_id:
        return engine.role_gaps(subject.role_id, target)
    return engine.skill_gaps(dict.fromkeys(subject.skill_ids, SKILL_LIST_LEVEL), target)


# ---------------------------------------------------------------------- exports


def role_profile_rows(engine: Engine) -> Iterator[dict[str, Any]]:
    """Each role with its declared and inferred requirements (level, importance, score)."""
    labels = {sid: s.label for sid, s in engine.records.skills.items()}
    for role in engine.records.roles.values():
        provenances = {r.provenance.value for r in role.requirements}
        yield {
            "role_id": role.id,
            "title": role.title,
            "family": role.family,
            "seniority": role.seniority,
            "source": role.source,
            "profile": "mixed" if len(provenances) > 1 else next(iter(provenances), "empty"),
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


def inferred_skill_rows(engine: Engine, text: str, k: int) -> list[dict[str, Any]]:
    skills = engine.records.skills
    return [
        {
            "skill_id": sid,
            "label": skills[sid].label if sid in skills else sid,
            "kind": skills[sid].kind.value if sid in skills else "",
            "score": round(score, 4),
        }
        for sid, score in engine.infer_skills(text, k=k)
    ]


# ---------------------------------------------------------------------- mentoring rounds


def solve_round_file(engine: Engine, path: Path, *, compare_greedy: bool = False) -> Any:
    """Solve a mentoring round defined in a JSON file: the matches, the unmatched with their
    reasons, the mentor shortages on the round's skills, and (optionally) the greedy baseline."""
    from skillgraph.recommend.matching import RoundDefinition, solve_round
    from skillgraph.recommend.matching_context import ContextGaps, context_inputs
    from skillgraph.recommend.supply import supply_demand

    try:
        definition = RoundDefinition.from_dict(_read_json_object(path))
    except ValidationError as exc:
        raise DatasetError(str(exc), file=str(path)) from None
    inputs = context_inputs(engine.ctx, definition, recommender=engine.mentor_recommender)
    result = solve_round(definition, inputs)
    shortages = supply_demand(
        engine.records,
        ContextGaps(engine.ctx),
        cohort=list(result.mentee_gaps),
        skills=definition.gap_skills or None,
        used=engine.ctx.mentor_load,
    )
    out: dict[str, Any] = {
        **to_jsonable(result),
        "shortages": [
            {**to_jsonable(b), "message": line}
            for b, line in zip(shortages.shortages, shortages.shortage_lines(), strict=True)
        ],
    }
    if compare_greedy:
        greedy = solve_round(definition, inputs, greedy=True)
        out["greedy"] = {"stats": to_jsonable(greedy.stats), "solver": to_jsonable(greedy.solver)}
    return out


def _read_json_object(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise DatasetError("file not found", file=str(path)) from None
    except json.JSONDecodeError as exc:
        raise DatasetError(f"invalid JSON: {exc.msg}", file=str(path), row=exc.lineno) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise DatasetError(f"cannot read the file: {exc}", file=str(path)) from None
    if not isinstance(data, dict):
        raise DatasetError("expected a JSON object (a round definition)", file=str(path))
    return data
