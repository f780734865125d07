"""The company format: which tables a company directory holds and how their fields are read.

Field names are the field names of the records in skillgraph.data.schema; datasets/FORMAT.md
documents the same tables for people.
"""

from __future__ import annotations

from dataclasses import dataclass

from skillgraph.data.columns import (
    Boolean,
    Choice,
    Day,
    Ident,
    Integer,
    ListOf,
    Moment,
    Nested,
    Number,
    RecordSpec,
    Text,
    spec,
)
from skillgraph.data.schema import (
    MAX_LEVEL,
    MIN_LEVEL,
    Employee,
    Evidence,
    Feedback,
    FeedbackVerdict,
    LearningItem,
    MentorMode,
    MentorOffer,
    Modality,
    Provenance,
    RelationKind,
    Role,
    RoleSpell,
    Skill,
    SkillKind,
    SkillLevel,
    SkillRelation,
    SkillRequirement,
    SkillTaught,
    TargetKind,
)

MAX_SENIORITY = 5
MIN_UTC_OFFSET, MAX_UTC_OFFSET = -12.0, 14.0
MAX_CAPACITY = 50

LEVEL = Number(MIN_LEVEL, MAX_LEVEL)
IMPORTANCE = Number(0.0, 1.0)
IDS = ListOf(Ident())
TEXTS = ListOf(Text())

REQUIREMENT = spec(
    SkillRequirement,
    {
        "skill_id": Ident(),
        "level": LEVEL,
        "importance": IMPORTANCE,
        "provenance": Choice(Provenance),
        "score": Number(),
    },
)
SKILL_LEVEL = spec(
    SkillLevel,
    {"skill_id": Ident(), "level": LEVEL, "evidence": Choice(Evidence), "updated": Day()},
)
SPELL = spec(RoleSpell, {"role_id": Ident(), "start": Day(), "end": Day()})
TAUGHT = spec(SkillTaught, {"skill_id": Ident(), "level": LEVEL})


@dataclass(frozen=True, slots=True)
class Table:
    name: str  # file stem: <name>.json or <name>.csv
    attr: str  # the Records attribute it fills
    spec: RecordSpec
    keyed: bool = True  # records have an `id`

    @property
    def what(self) -> str:
        """The record kind in messages: 'skill', 'learning item'."""
        return _WHAT[self.name]


_WHAT = {
    "skills": "skill",
    "relations": "relation",
    "roles": "role",
    "employees": "employee",
    "mentors": "mentor offer",
    "content": "learning item",
    "feedback": "feedback",
}

TABLES: tuple[Table, ...] = (
    Table(
        "skills",
        "skills",
        spec(
            Skill,
            {
                "id": Ident(),
                "label": Text(),
                "alt_labels": TEXTS,
                "description": Text(),
                "kind": Choice(SkillKind),
                "source": Text(),
                "source_uri": Text(),
            },
        ),
    ),
    Table(
        "relations",
        "relations",
        spec(
            SkillRelation,
            {
                "source": Ident(),
                "target": Ident(),
                "kind": Choice(RelationKind),
                "weight": Number(0.0, None),
            },
        ),
        keyed=False,
    ),
    Table(
        "roles",
        "roles",
        spec(
            Role,
            {
                "id": Ident(),
                "title": Text(),
                "description": Text(),
                "family": Text(),
                "seniority": Integer(0, MAX_SENIORITY),
                "requirements": Nested(REQUIREMENT),
                "alt_titles": TEXTS,
                "tasks": TEXTS,
                "group": Text(),
                "source": Text(),
                "source_uri": Text(),
            },
        ),
    ),
    Table(
        "employees",
        "employees",
        spec(
            Employee,
            {
                "id": Ident(),
                "name": Text(),
                "role_id": Ident(),
                "manager_id": Ident(),
                "department": Text(),
                "location": Text(),
                "utc_offset": Number(MIN_UTC_OFFSET, MAX_UTC_OFFSET),
                "skills": Nested(SKILL_LEVEL),
                "history": Nested(SPELL),
                "interests": TEXTS,
                "about": Text(),
                "active": Boolean(),
            },
        ),
    ),
    Table(
        "mentors",
        "mentors",
        spec(
            MentorOffer,
            {
                "id": Ident(),
                "employee_id": Ident(),
                "capacity": Integer(0, MAX_CAPACITY),
                "modes": ListOf(Choice(MentorMode)),
                "topics": IDS,
                "max_group_size": Integer(2, MAX_CAPACITY),
                "available": Boolean(),
            },
        ),
    ),
    Table(
        "content",
        "items",
        spec(
            LearningItem,
            {
                "id": Ident(),
                "title": Text(),
                "description": Text(),
                "provider": Text(),
                "modality": Choice(Modality),
                "duration_hours": Number(0.0, None),
                "level": LEVEL,
                "skills": Nested(TAUGHT),
                "prerequisites": Nested(REQUIREMENT),
                "syllabus": Text(),
                "url": Text(),
            },
        ),
    ),
    Table(
        "feedback",
        "feedback",
        spec(
            Feedback,
            {
                "id": Ident(),
                "employee_id": Ident(),
                "target_kind": Choice(TargetKind),
                "target_id": Ident(),
                "verdict": Choice(FeedbackVerdict),
                "rating": Integer(1, 5),
                "comment": Text(),
                "context": Text(),
                "created_at": Moment(),
            },
        ),
    ),
)
TABLE_NAMES = tuple(t.name for t in TABLES)
