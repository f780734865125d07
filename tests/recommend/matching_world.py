"""Tiny companies for the matching tests: records, plain gaps, and pair scorers with known values.

Roles r1..r5 have seniority 1..5 and all require the skills in REQUIRED at level 4.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

from skillgraph.data.schema import (
    Employee,
    MentorMode,
    MentorOffer,
    Records,
    RelationKind,
    Role,
    Skill,
    SkillLevel,
    SkillRelation,
    SkillRequirement,
)
from skillgraph.recommend.base import GapReason
from skillgraph.recommend.matching import MatchInputs, PairScore

SKILLS = ("python", "sql", "cloud", "stats", "ml", "comm")
GROUPS = {"data": ("sql", "stats", "ml"), "engineering": ("python", "cloud")}
REQUIRED = SKILLS
ALL_MODES = tuple(MentorMode)


def skill_records() -> tuple[dict[str, Skill], list[SkillRelation]]:
    skills = {s: Skill(s, s.upper()) for s in SKILLS}
    relations = []
    for group, members in GROUPS.items():
        skills[group] = Skill(group, group.title())
        relations += [SkillRelation(m, group, RelationKind.BROADER) for m in members]
    return skills, relations


def roles(required: Iterable[str] = REQUIRED, level: float = 4.0) -> dict[str, Role]:
    reqs = tuple(SkillRequirement(s, level, 1.0) for s in required)
    return {
        f"r{i}": Role(f"r{i}", f"Role {i}", seniority=i, requirements=reqs) for i in range(1, 6)
    }


def emp(
    id_: str,
    *,
    role: int = 2,
    skills: Mapping[str, float] | None = None,
    manager: str | None = None,
    department: str = "dept",
    offset: float = 0.0,
    location: str = "here",
    active: bool = True,
) -> Employee:
    return Employee(
        id=id_,
        name=id_.title(),
        role_id=f"r{role}",
        manager_id=manager,
        department=department,
        location=location,
        utc_offset=offset,
        skills=tuple(SkillLevel(s, lv) for s, lv in (skills or {}).items()),
        active=active,
    )


def offer(
    id_: str,
    employee_id: str,
    capacity: int = 1,
    modes: tuple[MentorMode, ...] = ALL_MODES,
    max_group_size: int = 6,
    topics: tuple[str, ...] = (),
) -> MentorOffer:
    return MentorOffer(id_, employee_id, capacity, modes, topics, max_group_size)


def records(
    employees: Iterable[Employee],
    offers: Iterable[MentorOffer],
    *,
    required: Iterable[str] = REQUIRED,
) -> Records:
    skills, relations = skill_records()
    return Records(
        skills=skills,
        relations=relations,
        roles=roles(required),
        employees={e.id: e for e in employees},
        mentors={o.id: o for o in offers},
    )


def plain_gaps(rec: Records) -> Callable[[str], list[GapReason]]:
    """Open gaps against the current role: required - held, no partial credit."""

    def gaps_of(employee_id: str) -> list[GapReason]:
        e = rec.employees[employee_id]
        held = {s.skill_id: s.level for s in e.skills}
        out = []
        for req in rec.roles[e.role_id].requirements:
            current = held.get(req.skill_id, 0.0)
            if current < req.level:
                label = rec.skills[req.skill_id].label
                out.append(GapReason(req.skill_id, label, req.level, current, req.importance))
        return out

    return gaps_of


def coverage_scorer(
    rec: Records, gaps_of: Callable[[str], list[GapReason]], focus: Iterable[str] = ()
) -> Callable[[str, str], PairScore | None]:
    """Quality = gap-weighted share of the mentee's gaps the mentor holds at the needed level."""
    wanted = set(focus)

    def score(mentee_id: str, offer_id: str) -> PairScore | None:
        mentor = rec.employees[rec.mentors[offer_id].employee_id]
        held = {s.skill_id: s.level for s in mentor.skills}
        gaps = [g for g in gaps_of(mentee_id) if not wanted or g.skill_id in wanted]
        total = sum(g.gap * g.importance for g in gaps)
        covered = [g for g in gaps if held.get(g.skill_id, 0.0) >= g.required_level]
        if not covered or total <= 0:
            return None
        quality = sum(g.gap * g.importance for g in covered) / total
        levels = {g.skill_id: held[g.skill_id] for g in covered}
        return PairScore(round(quality, 6), tuple(covered), levels, {"coverage": quality})

    return score


def table_scorer(
    rec: Records,
    table: Mapping[tuple[str, str], float],
    gaps_of: Callable[[str], list[GapReason]],
) -> Callable[[str, str], PairScore | None]:
    """Quality from a table (mentee, offer) -> quality; missing pairs score None."""

    def score(mentee_id: str, offer_id: str) -> PairScore | None:
        quality = table.get((mentee_id, offer_id))
        if quality is None:
            return None
        mentor = rec.employees[rec.mentors[offer_id].employee_id]
        held = {s.skill_id: s.level for s in mentor.skills}
        gaps = tuple(gaps_of(mentee_id))
        levels = {g.skill_id: held.get(g.skill_id, 5.0) for g in gaps}
        return PairScore(quality, gaps, levels, {"table": quality})

    return score


def inputs(
    rec: Records,
    *,
    table: Mapping[tuple[str, str], float] | None = None,
    used: Mapping[str, int] | None = None,
    focus: Iterable[str] = (),
) -> MatchInputs:
    gaps_of = plain_gaps(rec)
    score = (
        table_scorer(rec, table, gaps_of)
        if table is not None
        else coverage_scorer(rec, gaps_of, focus)
    )
    return MatchInputs(records=rec, gaps_of=gaps_of, score=score, used=dict(used or {}))


def strong(*skills: str, level: float = 5.0) -> dict[str, float]:
    return dict.fromkeys(skills, level)
