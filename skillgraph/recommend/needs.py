"""What a query asks to learn: the skills, the level needed and the level now.

A query names an employee (their gaps against `target_role_id`, else `role_id`, else their
current role), or a role pair without an employee (someone fully in `role_id` moving to
`target_role_id`), or one role (all it requires, from nothing), or only skills ("what do we have
for SQL?"). `skill_ids` and the `topics` filter narrow the needs to those skills; a skill the role
does not require is needed at the `target_level` filter, else DEFAULT_TARGET_LEVEL, or one level
above what the person holds when they already reach that.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from skillgraph.data.schema import MAX_LEVEL, MIN_LEVEL, Employee
from skillgraph.errors import ValidationError
from skillgraph.recommend.base import EngineContext, GapReason, Query
from skillgraph.recommend.gaps import EPSILON, GapAnalyzer, GapReport, held_levels, role_levels
from skillgraph.retrieval.vectors import VectorIndex

DEFAULT_TARGET_LEVEL = 3.0  # "works independently", what a role usually expects
NEED_FILTERS = frozenset({"target_level", "current_level", "topics"})


@dataclass(frozen=True)
class Need:
    skill_id: str
    label: str
    required_level: float
    current_level: float
    importance: float

    @property
    def gap(self) -> float:
        return max(0.0, self.required_level - self.current_level)

    def reason(self) -> GapReason:
        return GapReason(
            self.skill_id, self.label, self.required_level, self.current_level, self.importance
        )


@dataclass(frozen=True)
class Needs:
    needs: tuple[Need, ...]
    report: GapReport | None = None  # the gap report the needs come from, if any
    employee: Employee | None = None
    held: Mapping[str, float] = field(default_factory=dict)  # what the learner holds

    def __bool__(self) -> bool:
        return bool(self.needs)

    def by_id(self) -> dict[str, Need]:
        return {n.skill_id: n for n in self.needs}


def level_filter(filters: Mapping[str, Any], key: str) -> float | None:
    value = filters.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValidationError(f"filter {key!r} must be a number, got {value!r}")
    if not MIN_LEVEL <= float(value) <= MAX_LEVEL:
        raise ValidationError(f"filter {key!r} must be within [0, 5], got {value}")
    return float(value)


def string_list(filters: Mapping[str, Any], key: str) -> tuple[str, ...]:
    value = filters.get(key)
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    if isinstance(value, Sequence | set | frozenset) and all(isinstance(v, str) for v in value):
        return tuple(value)
    raise ValidationError(f"filter {key!r} must be a string or a list of strings, got {value!r}")


def check_filters(filters: Mapping[str, Any], allowed: frozenset[str], who: str) -> None:
    unknown = sorted(set(filters) - allowed)
    if unknown:
        raise ValidationError(
            f"{who}: unknown filter(s) {', '.join(unknown)}; known: {', '.join(sorted(allowed))}"
        )


def needs_for(ctx: EngineContext, query: Query, analyzer: GapAnalyzer) -> Needs:
    """The needs of a (checked) query; ValidationError when it names nothing to learn."""
    topics = (*query.skill_ids, *string_list(query.filters, "topics"))
    for skill_id in topics:
        ctx.graph.skill(skill_id)
    target = level_filter(query.filters, "target_level")
    employee = ctx.employee(query.employee_id) if query.employee_id is not None else None
    held, report = _subject(ctx, query, analyzer, employee)
    if not topics:
        if report is None:
            raise ValidationError("the query names no employee, role or skill to recommend for")
        needs = tuple(
            Need(r.skill_id, r.label, r.required_level, r.current_level, r.importance)
            for r in report.gaps
        )
        return Needs(needs, report, employee, held)
    chosen = [
        need
        for skill_id in dict.fromkeys(topics)
        if (need := _topic_need(ctx, analyzer, held, report, skill_id, target)) is not None
    ]
    return Needs(tuple(chosen), report, employee, held)


def needs_vector(ctx: EngineContext, needs: Needs, text: str) -> np.ndarray:
    """The query embedding of the needs, without running the model at query time: the
    normalised mean of the needed skills' vectors in the "skills" index. When a needed skill
    has no vector there (skill groups are not indexed), the embedding of `text` instead."""
    found = indexed_vectors(ctx, "skills")
    if found is not None and needs.needs:
        rows, matrix = found
        positions = [rows[n.skill_id] for n in needs.needs if n.skill_id in rows]
        if len(positions) == len(needs.needs):
            mean = matrix[positions].astype(np.float64).mean(axis=0)
            norm = float(np.linalg.norm(mean))
            if norm > 0:
                return (mean / norm).astype(np.float32)
    return np.asarray(ctx.encoder.encode([text])[0], dtype=np.float32)


def indexed_vectors(ctx: EngineContext, name: str) -> tuple[dict[str, int], np.ndarray] | None:
    """(id -> row, matrix) of every vector in the context's `name` index, read once per graph
    and index; None when the context has no such index."""
    index = ctx.indexes.get(name)
    if index is None:
        return None
    # keyed by id; the value holds the index, so the id is not reused while it is kept
    _, rows, matrix = ctx.graph.derived(("vectors", id(index)), lambda: _vectors_of(index))
    return rows, matrix


def _vectors_of(index: VectorIndex) -> tuple[VectorIndex, dict[str, int], np.ndarray]:
    """The index, id -> row, and its vectors as one matrix."""
    ids, matrix = index.export()
    return index, {id_: row for row, id_ in enumerate(ids)}, matrix


def _subject(
    ctx: EngineContext, query: Query, analyzer: GapAnalyzer, employee: Employee | None
) -> tuple[dict[str, float], GapReport | None]:
    if employee is not None:
        held = held_levels(employee)
        role = query.target_role_id or query.role_id or employee.role_id
        return held, analyzer.report(held, role, employee_id=employee.id)
    current = level_filter(query.filters, "current_level") or 0.0
    if query.role_id is not None and query.target_role_id is not None:
        held = role_levels(ctx.graph, query.role_id)
        return held, analyzer.report(held, query.target_role_id)
    role_id = query.target_role_id or query.role_id
    held = dict.fromkeys(query.skill_ids, current) if current > 0 else {}
    if role_id is None:
        return held, None
    return held, analyzer.report(held, role_id)


def _topic_need(
    ctx: EngineContext,
    analyzer: GapAnalyzer,
    held: Mapping[str, float],
    report: GapReport | None,
    skill_id: str,
    target: float | None,
) -> Need | None:
    label = ctx.skill_label(skill_id)
    if report is not None and report.has(skill_id):
        row = report.row(skill_id)
        required = target if target is not None else row.required_level
        importance = row.importance
    else:
        required = target if target is not None else DEFAULT_TARGET_LEVEL
        importance = 1.0
    current = analyzer.effective_level(held, skill_id, cap=required)
    if current + EPSILON >= required and target is None:
        required = min(MAX_LEVEL, float(int(current)) + 1.0)
        current = analyzer.effective_level(held, skill_id, cap=required)
    if current + EPSILON >= required:
        return None
    return Need(skill_id, label, required, current, importance)
