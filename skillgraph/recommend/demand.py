"""Who needs what, company-wide: for every skill, the active employees with an open gap on it
against their current role (what group mentoring draws its circles from).

Computed for all employees at once: their held levels go into one CreditTable (credit.py), then
each role's employees are compared with its merged profile in one array operation. A gap is open
as in gaps.py: required level minus the level counted (direct, or partial credit capped at the
required level) above EPSILON.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from skillgraph.data.schema import Employee
from skillgraph.recommend.credit import CreditTable
from skillgraph.recommend.gaps import EPSILON, GapAnalyzer, held_levels, merged_profile


def open_gaps_by_skill(analyzer: GapAnalyzer, employees: Iterable[Employee]) -> dict[str, set[str]]:
    """skill id -> ids of the active employees with an open gap on it (current role)."""
    people = [e for e in employees if e.active]
    table = CreditTable(analyzer, [held_levels(e) for e in people])
    by_role: dict[str, list[int]] = {}
    for row, emp in enumerate(people):
        by_role.setdefault(emp.role_id, []).append(row)
    demand: dict[str, set[str]] = {}
    for role_id, rows in by_role.items():
        profile = merged_profile(analyzer.graph, role_id)
        if not profile:
            continue
        required = [r.level for r in profile]
        levels = table.levels([r.skill_id for r in profile], required, np.array(rows))
        open_rows, open_cols = np.nonzero(np.asarray(required) - levels > EPSILON)
        for r, c in zip(open_rows.tolist(), open_cols.tolist(), strict=True):
            demand.setdefault(profile[c].skill_id, set()).add(people[rows[r]].id)
    return demand
