"""A small random company (seeded) for checking the array paths against the per-item ones.

Skill hierarchy with groups, areas, leaves, a second parent now and then, related pairs and
acyclic prerequisites; roles with unknown and known seniority (one without requirements);
employees with managers, departments, time zones and some inactive; mentor offers with topics,
modes in any order, capacities and loads; learning items in every modality, some untagged
(semantic matches), some with prerequisites.
"""

from __future__ import annotations

import random

from recommend.synthetic import context_for

from skillgraph.data.schema import (
    Employee,
    LearningItem,
    MentorMode,
    MentorOffer,
    Modality,
    Records,
    RelationKind,
    Role,
    Skill,
    SkillKind,
    SkillLevel,
    SkillRelation,
    SkillRequirement,
    SkillTaught,
)
from skillgraph.recommend.base import EngineContext
from skillgraph.retrieval.encoder import HashingEncoder

WORDS = ("data", "cloud", "python", "sales", "design", "audit", "team", "model", "graph", "law")
HALF_LEVELS = [x / 2 for x in range(11)]


def random_records(seed: int) -> tuple[Records, dict[str, int]]:
    """Records and a mentor load, the same for the same seed."""
    rng = random.Random(seed)
    skills, relations = _skills(rng)
    skill_ids = sorted(skills)
    roles = _roles(rng, skill_ids)
    employees = _employees(rng, skill_ids, sorted(roles))
    mentors = _mentors(rng, skill_ids, sorted(employees))
    items = _items(rng, skill_ids)
    load = {o: rng.randrange(0, 3) for o in mentors if rng.random() < 0.3}
    records = Records(
        skills=skills,
        relations=relations,
        roles=roles,
        employees=employees,
        mentors=mentors,
        items=items,
    )
    return records, load


def random_context(seed: int) -> EngineContext:
    records, load = random_records(seed)
    return context_for(records, HashingEncoder(32), load=load)


def _label(rng: random.Random, n: int) -> str:
    return f"{rng.choice(WORDS)} {rng.choice(WORDS)} {n}"


def _skills(rng: random.Random) -> tuple[dict[str, Skill], list[SkillRelation]]:
    skills: dict[str, Skill] = {}
    relations: list[SkillRelation] = []
    groups = [f"g{i}" for i in range(2)]
    for g in groups:
        skills[g] = Skill(g, _label(rng, len(skills)), kind=SkillKind.GROUP)
    areas = [f"a{i}" for i in range(rng.randrange(2, 5))]
    for a in areas:
        skills[a] = Skill(a, _label(rng, len(skills)), kind=SkillKind.KNOWLEDGE)
        relations.append(SkillRelation(a, rng.choice(groups), RelationKind.BROADER))
    leaves = [f"s{i}" for i in range(rng.randrange(5, 14))]
    for s in leaves:
        skills[s] = Skill(s, _label(rng, len(skills)), kind=SkillKind.SKILL)
        parents = rng.sample(areas, 2 if rng.random() < 0.2 else 1)
        relations += [SkillRelation(s, p, RelationKind.BROADER) for p in parents]
    ordered = [*areas, *leaves]
    for _ in range(rng.randrange(0, 6)):
        a, b = rng.sample(ordered, 2)
        relations.append(SkillRelation(a, b, RelationKind.RELATED, weight=0.5))
    for _ in range(rng.randrange(0, 5)):
        i, j = sorted(rng.sample(range(len(leaves)), 2))
        relations.append(SkillRelation(leaves[i], leaves[j], RelationKind.PREREQUISITE))
    return skills, relations


def _roles(rng: random.Random, skill_ids: list[str]) -> dict[str, Role]:
    roles: dict[str, Role] = {}
    for n in range(rng.randrange(3, 7)):
        requirements = tuple(
            SkillRequirement(s, rng.choice(HALF_LEVELS[1:]), rng.choice([0.0, 0.3, 0.7, 1.0]))
            for s in rng.sample(skill_ids, rng.randrange(0 if n == 0 else 1, 6))
        )
        roles[f"r{n}"] = Role(
            f"r{n}",
            _label(rng, n),
            family=rng.choice(["f1", "f2"]),
            seniority=rng.randrange(0, 5),
            requirements=requirements,
        )
    return roles


def _employees(
    rng: random.Random, skill_ids: list[str], role_ids: list[str]
) -> dict[str, Employee]:
    employees: dict[str, Employee] = {}
    for n in range(rng.randrange(4, 14)):
        held = rng.sample(skill_ids, rng.randrange(0, 7))
        employees[f"e{n}"] = Employee(
            id=f"e{n}",
            name=_label(rng, n),
            role_id=rng.choice(role_ids),
            manager_id=f"e{rng.randrange(n)}" if n and rng.random() < 0.6 else None,
            department=rng.choice(["d1", "d2", "d3"]),
            utc_offset=rng.choice([-5.0, 0.0, 1.0, 5.5, 9.0]),
            skills=tuple(SkillLevel(s, rng.choice(HALF_LEVELS)) for s in held),
            active=rng.random() > 0.1,
        )
    return employees


def _mentors(
    rng: random.Random, skill_ids: list[str], employee_ids: list[str]
) -> dict[str, MentorOffer]:
    offers: dict[str, MentorOffer] = {}
    for n in range(rng.randrange(2, 10)):
        modes = rng.sample(list(MentorMode), rng.randrange(1, 5))
        topics = tuple(rng.sample(skill_ids, rng.randrange(1, 3))) if rng.random() < 0.4 else ()
        offers[f"m{n}"] = MentorOffer(
            id=f"m{n}",
            employee_id=rng.choice(employee_ids),
            capacity=rng.randrange(0, 4),
            modes=tuple(modes),
            topics=topics,
            max_group_size=rng.randrange(2, 7),
            available=rng.random() > 0.1,
        )
    return offers


def _items(rng: random.Random, skill_ids: list[str]) -> dict[str, LearningItem]:
    items: dict[str, LearningItem] = {}
    for n in range(rng.randrange(3, 16)):
        taught = rng.sample(skill_ids, rng.randrange(0, 4))
        prerequisites = tuple(
            SkillRequirement(s, rng.choice(HALF_LEVELS[1:7]))
            for s in rng.sample(skill_ids, 1 if rng.random() < 0.3 else 0)
        )
        items[f"i{n}"] = LearningItem(
            id=f"i{n}",
            title=_label(rng, n),
            modality=rng.choice(list(Modality)),
            duration_hours=rng.choice([0.5, 2.0, 8.0, 40.0]),
            level=rng.choice(HALF_LEVELS[1:]),
            skills=tuple(SkillTaught(s, rng.choice(HALF_LEVELS[1:])) for s in taught),
            prerequisites=prerequisites,
        )
    return items
