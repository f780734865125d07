"""Cross-record checks: unknown ids in relations, duplicates on merge, prerequisite cycles."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import fields
from typing import Any

from skillgraph.data.schema import Records, RelationKind, SkillRelation
from skillgraph.errors import CycleError, DatasetError

_KEYED = ("skills", "roles", "employees", "mentors", "items", "feedback")


def merge(base: Records, extra: Records, *, source: str = "") -> Records:
    """A new Records with both; an id present in both (same kind) is an error naming it."""
    merged = Records()
    for f in fields(Records):
        name = f.name
        left, right = getattr(base, name), getattr(extra, name)
        if name in _KEYED:
            clash = left.keys() & right.keys()
            if clash:
                first = sorted(clash)[0]
                what = name if name == "feedback" else name[:-1]
                earlier = ", ".join(base.sources) or "earlier input"
                raise DatasetError(
                    f"duplicate {what} id {first!r} ({len(clash)} duplicate(s)) "
                    f"already loaded from {earlier}",
                    file=source or None,
                    field="id",
                )
            setattr(merged, name, {**left, **right})
        elif name in ("sources", "attributions"):
            setattr(merged, name, [*left, *(x for x in right if x not in left)])
        else:
            setattr(merged, name, [*left, *right])
    return merged


def check_unique(ids: Iterable[tuple[int, str]], *, file: str, what: str) -> None:
    """Raise on the first id seen twice; ids come with their row numbers."""
    seen: dict[str, int] = {}
    for row, id_ in ids:
        if id_ in seen:
            raise DatasetError(
                f"duplicate {what} id {id_!r} (first at row {seen[id_]})",
                file=file,
                row=row,
                field="id",
            )
        seen[id_] = row


def check_references(records: Records, *, file: str | None = None) -> None:
    """Every id a record points at must exist."""
    skills, roles, employees = records.skills, records.roles, records.employees

    def need(table: Mapping[str, Any], id_: str, what: str, where: str, field_: str) -> None:
        if id_ not in table:
            raise DatasetError(f"unknown {what} id {id_!r} in {where}", file=file, field=field_)

    for rel in records.relations:
        need(skills, rel.source, "skill", f"{rel.kind.value} relation", "source")
        need(skills, rel.target, "skill", f"{rel.kind.value} relation", "target")
    for role in roles.values():
        for req in role.requirements:
            need(skills, req.skill_id, "skill", f"role {role.id!r}", "skills")
    for emp in employees.values():
        need(roles, emp.role_id, "role", f"employee {emp.id!r}", "role_id")
        if emp.manager_id is not None:
            need(employees, emp.manager_id, "employee", f"employee {emp.id!r}", "manager_id")
        for sk in emp.skills:
            need(skills, sk.skill_id, "skill", f"employee {emp.id!r}", "skills")
        for spell in emp.history:
            need(roles, spell.role_id, "role", f"history of employee {emp.id!r}", "history")
    for offer in records.mentors.values():
        need(employees, offer.employee_id, "employee", f"mentor offer {offer.id!r}", "employee_id")
        for topic in offer.topics:
            need(skills, topic, "skill", f"mentor offer {offer.id!r}", "topics")
    for item in records.items.values():
        for taught in item.skills:
            need(skills, taught.skill_id, "skill", f"learning item {item.id!r}", "skills")
        for pre in item.prerequisites:
            need(skills, pre.skill_id, "skill", f"learning item {item.id!r}", "prerequisites")


def find_prerequisite_cycle(relations: Iterable[SkillRelation]) -> list[str] | None:
    """One cycle among prerequisite edges, as a list of skill ids, or None."""
    succ: dict[str, list[str]] = {}
    for rel in relations:
        if rel.kind is RelationKind.PREREQUISITE:
            succ.setdefault(rel.source, []).append(rel.target)
    white, grey, black = 0, 1, 2
    color: dict[str, int] = {}
    for start in sorted(succ):
        if color.get(start, white) != white:
            continue
        stack: list[tuple[str, int]] = [(start, 0)]
        path: list[str] = []
        while stack:
            node, i = stack.pop()
            if i == 0:
                color[node] = grey
                path.append(node)
            nexts = succ.get(node, [])
            if i < len(nexts):
                stack.append((node, i + 1))
                nxt = nexts[i]
                state = color.get(nxt, white)
                if state == grey:
                    return path[path.index(nxt) :]
                if state == white:
                    stack.append((nxt, 0))
            else:
                color[node] = black
                path.pop()
    return None


def check_acyclic(relations: Iterable[SkillRelation], *, file: str | None = None) -> None:
    cycle = find_prerequisite_cycle(relations)
    if cycle:
        raise CycleError(cycle, file=file)


def validate(records: Records, *, file: str | None = None) -> Records:
    check_references(records, file=file)
    check_acyclic(records.relations, file=file)
    return records
