"""Everything an engine answers for a set of subjects, as plain JSON data (to compare engines)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from skillgraph.answers import to_jsonable
from skillgraph.engine import Engine
from skillgraph.recommend.base import Query

INFER_TEXT = "builds python models and sql reports with charts"


def answer_snapshot(
    engine: Engine,
    *,
    target_role: str | None = None,
    skill_sets: Iterable[tuple[str, ...]] = (),
    employees: Iterable[str] | None = None,
    roles: Iterable[str] | None = None,
    k: int = 5,
) -> dict[str, Any]:
    """Gaps, mentors, content, next roles, paths (and a plan towards `target_role`) of every
    active employee (or of `employees`); next roles, paths and gaps of every role (or of
    `roles`); content and mentors of skill sets; skill inference of a fixed text."""
    out: dict[str, Any] = {}
    wanted = None if employees is None else set(employees)
    for emp in engine.records.employees.values():
        if not emp.active or (wanted is not None and emp.id not in wanted):
            continue
        query = Query(employee_id=emp.id, k=k)
        out[f"gaps {emp.id}"] = to_jsonable(engine.gaps(emp.id))
        out[f"mentors {emp.id}"] = to_jsonable(engine.mentors(query))
        out[f"content {emp.id}"] = to_jsonable(engine.content(query))
        out[f"roles {emp.id}"] = to_jsonable(engine.next_roles(query))
        out[f"paths {emp.id}"] = to_jsonable(engine.paths(query, max_hops=2))
        if target_role is not None and target_role != emp.role_id:
            out[f"plan {emp.id}"] = to_jsonable(engine.plan(emp.id, target_role))
    role_ids = list(engine.records.roles)
    for rid in role_ids if roles is None else list(roles):
        query = Query(role_id=rid, k=k)
        out[f"roles {rid}"] = to_jsonable(engine.next_roles(query))
        out[f"paths {rid}"] = to_jsonable(engine.paths(query, max_hops=2))
        other = role_ids[(role_ids.index(rid) + 1) % len(role_ids)]
        out[f"gaps {rid}->{other}"] = to_jsonable(engine.role_gaps(rid, other))
    for skills in skill_sets:
        query = Query(skill_ids=skills, k=k)
        out[f"content {skills}"] = to_jsonable(engine.content(query))
        out[f"mentors {skills}"] = to_jsonable(engine.mentors(query))
    out["infer"] = to_jsonable(engine.infer_skills(INFER_TEXT, k=k))
    return out


def index_ids(engine: Engine) -> dict[str, list[str]]:
    return {name: index.ids() for name, index in engine.ctx.indexes.items()}
