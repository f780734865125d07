"""Checks across the rows of a company directory, each error naming the file, row and field.

skillgraph.data.validate checks merged Records as a whole; these checks run first, while the
row of every record is still known, so a person can find and fix the line.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from skillgraph.data.schema import (
    Employee,
    MentorMode,
    Records,
    RelationKind,
    SkillRelation,
    TargetKind,
)
from skillgraph.data.validate import check_unique, find_prerequisite_cycle
from skillgraph.errors import CycleError, DatasetError


@dataclass(slots=True)
class LoadedTable:
    """The records of one file with the row each came from."""

    name: str
    file: str
    what: str
    rows: list[tuple[int, Any]] = field(default_factory=list)

    def fail(self, row: int | None, field_: str, message: str) -> DatasetError:
        return DatasetError(message, file=self.file, row=row, field=field_)


Loaded = Mapping[str, LoadedTable]


def check_ids(loaded: Loaded, base: Records, attr_of: Mapping[str, str]) -> None:
    """No id twice within a file, nor an id the base already has."""
    for name, table in loaded.items():
        if name == "relations":
            continue
        check_unique(((row, rec.id) for row, rec in table.rows), file=table.file, what=table.what)
        existing = getattr(base, attr_of[name])
        for row, rec in table.rows:
            if rec.id in existing:
                raise table.fail(
                    row,
                    "id",
                    f"{table.what} id {rec.id!r} is already defined by "
                    f"{', '.join(base.sources) or 'the base records'}",
                )


def check_rows(loaded: Loaded, merged: Records) -> None:
    """Every id a row points at exists, and each row is consistent in itself."""
    checks: dict[str, Callable[[LoadedTable, Records], None]] = {
        "relations": _check_relations,
        "roles": _check_roles,
        "employees": _check_employees,
        "mentors": _check_mentors,
        "content": _check_content,
        "feedback": _check_feedback,
    }
    for name, table in loaded.items():
        if name in checks:
            checks[name](table, merged)


def _need(
    table: LoadedTable, row: int, field_: str, id_: str, known: Mapping[str, Any], what: str
) -> None:
    if id_ not in known:
        raise table.fail(row, field_, f"unknown {what} id {id_!r}")


def _skill_list(
    table: LoadedTable, row: int, name: str, ids: Iterable[str], skills: Mapping[str, Any]
) -> None:
    seen: set[str] = set()
    for i, skill_id in enumerate(ids):
        _need(table, row, f"{name}[{i}].skill_id", skill_id, skills, "skill")
        if skill_id in seen:
            raise table.fail(row, f"{name}[{i}].skill_id", f"skill {skill_id!r} is listed twice")
        seen.add(skill_id)


def _check_relations(table: LoadedTable, merged: Records) -> None:
    for row, rel in table.rows:
        _need(table, row, "source", rel.source, merged.skills, "skill")
        _need(table, row, "target", rel.target, merged.skills, "skill")
        if rel.source == rel.target:
            raise table.fail(row, "target", f"a skill cannot relate to itself ({rel.source!r})")


def _check_roles(table: LoadedTable, merged: Records) -> None:
    for row, role in table.rows:
        _skill_list(
            table, row, "requirements", (r.skill_id for r in role.requirements), merged.skills
        )


def _check_employees(table: LoadedTable, merged: Records) -> None:
    for row, emp in table.rows:
        _need(table, row, "role_id", emp.role_id, merged.roles, "role")
        if emp.manager_id is not None:
            _need(table, row, "manager_id", emp.manager_id, merged.employees, "employee")
        _skill_list(table, row, "skills", (s.skill_id for s in emp.skills), merged.skills)
        for i, spell in enumerate(emp.history):
            _need(table, row, f"history[{i}].role_id", spell.role_id, merged.roles, "role")
        _check_history(table, row, emp)
    _check_manager_cycles(table)


def _check_history(table: LoadedTable, row: int, emp: Employee) -> None:
    """Spells in date order, not overlapping; only the last may be open, and it is the role."""
    spells = emp.history
    for i, spell in enumerate(spells):
        if spell.end is not None and spell.end < spell.start:
            raise table.fail(
                row, f"history[{i}].end", f"ends ({spell.end}) before it starts ({spell.start})"
            )
        if i == 0:
            continue
        before = spells[i - 1]
        if before.end is None:
            raise table.fail(
                row, f"history[{i - 1}].end", "only the last spell may be open (no end)"
            )
        if spell.start < before.end:
            raise table.fail(
                row,
                f"history[{i}].start",
                f"starts ({spell.start}) before the previous spell ends ({before.end}); "
                "list spells oldest first",
            )
    if spells and spells[-1].end is None and spells[-1].role_id != emp.role_id:
        raise table.fail(
            row,
            f"history[{len(spells) - 1}].role_id",
            f"the open (current) spell is {spells[-1].role_id!r} but role_id is {emp.role_id!r}",
        )


def _check_manager_cycles(table: LoadedTable) -> None:
    manager = {emp.id: emp.manager_id for _, emp in table.rows}
    row_of = {emp.id: row for row, emp in table.rows}
    done: set[str] = set()
    for start in manager:
        chain: list[str] = []
        node: str | None = start
        while node is not None and node in manager and node not in done:
            if node in chain:
                cycle = chain[chain.index(node) :]
                raise table.fail(
                    row_of[node], "manager_id", "manager cycle: " + " -> ".join([*cycle, node])
                )
            chain.append(node)
            node = manager[node]
        done.update(chain)


def _check_mentors(table: LoadedTable, merged: Records) -> None:
    for row, offer in table.rows:
        _need(table, row, "employee_id", offer.employee_id, merged.employees, "employee")
        if not offer.modes:
            raise table.fail(row, "modes", "an offer needs at least one mode")
        for i, topic in enumerate(offer.topics):
            _need(table, row, f"topics[{i}]", topic, merged.skills, "skill")
        if MentorMode.GROUP in offer.modes and offer.max_group_size < 2:
            raise table.fail(row, "max_group_size", "group mentoring needs max_group_size >= 2")


def _check_content(table: LoadedTable, merged: Records) -> None:
    for row, item in table.rows:
        _skill_list(table, row, "skills", (s.skill_id for s in item.skills), merged.skills)
        _skill_list(
            table, row, "prerequisites", (p.skill_id for p in item.prerequisites), merged.skills
        )


def _feedback_targets(merged: Records) -> dict[TargetKind, tuple[Mapping[str, Any], str]]:
    return {
        TargetKind.MENTOR: (merged.mentors, "mentor offer"),
        TargetKind.CONTENT: (merged.items, "learning item"),
        TargetKind.ROLE: (merged.roles, "role"),
        TargetKind.SKILL: (merged.skills, "skill"),
    }


def _check_feedback(table: LoadedTable, merged: Records) -> None:
    targets = _feedback_targets(merged)
    for row, fb in table.rows:
        _need(table, row, "employee_id", fb.employee_id, merged.employees, "employee")
        if fb.target_kind in targets:
            known, what = targets[fb.target_kind]
            _need(table, row, "target_id", fb.target_id, known, what)


def check_relation_cycles(relations: list[SkillRelation], *, file: str) -> None:
    """No prerequisite cycle, and no cycle in the broader hierarchy."""
    cycle = find_prerequisite_cycle(relations)
    if cycle:
        raise CycleError(cycle, file=file)
    as_prerequisite = [
        SkillRelation(r.source, r.target, RelationKind.PREREQUISITE)
        for r in relations
        if r.kind is RelationKind.BROADER
    ]
    cycle = find_prerequisite_cycle(as_prerequisite)
    if cycle:
        raise DatasetError(
            "broader cycle: " + " -> ".join([*cycle, cycle[0]]), file=file, field="kind"
        )
