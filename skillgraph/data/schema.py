"""Typed records every layer above speaks, and the proficiency scale.

Proficiency is one scale, 0 to 5, for what a person has and what a role needs:

| level | name         | meaning                                              |
|-------|--------------|------------------------------------------------------|
| 0     | none         | no knowledge                                         |
| 1     | awareness    | knows the concepts, needs guidance                   |
| 2     | basic        | does simple tasks alone                              |
| 3     | intermediate | works independently on ordinary tasks                |
| 4     | advanced     | handles complex cases, coaches others                |
| 5     | expert       | sets direction, recognised authority                 |

Importance is a weight in [0, 1]. Mappings from public sources:

- O*NET Level (LV, 0-7) -> level = LV * 5 / 7, rounded to one decimal.
- O*NET Importance (IM, 1-5) -> importance = (IM - 1) / 4. Elements with IM < 2.5
  (importance < 0.375) are not counted as requirements of the occupation.
- ESCO essential -> level 3, importance 1.0; ESCO optional -> level 2, importance 0.5
  (ESCO carries no levels; 3 is "works independently", what an occupation expects).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum

MIN_LEVEL = 0.0
MAX_LEVEL = 5.0
LEVEL_NAMES = ("none", "awareness", "basic", "intermediate", "advanced", "expert")

ESCO_ESSENTIAL = (3.0, 1.0)  # (level, importance)
ESCO_OPTIONAL = (2.0, 0.5)
ONET_MIN_IMPORTANCE = 0.375


def onet_level(lv: float) -> float:
    """O*NET LV (0-7) onto the 0-5 scale."""
    return round(min(max(lv, 0.0), 7.0) * MAX_LEVEL / 7.0, 1)


def onet_importance(im: float) -> float:
    """O*NET IM (1-5) onto [0, 1]."""
    return round((min(max(im, 1.0), 5.0) - 1.0) / 4.0, 3)


def level_name(level: float) -> str:
    return LEVEL_NAMES[round(min(max(level, MIN_LEVEL), MAX_LEVEL))]


class SkillKind(StrEnum):
    SKILL = "skill"
    KNOWLEDGE = "knowledge"
    TECHNOLOGY = "technology"
    LANGUAGE = "language"
    GROUP = "group"  # a node of the hierarchy, not taught or required by itself
    OTHER = "other"


class RelationKind(StrEnum):
    BROADER = "broader"  # source is narrower than target
    RELATED = "related"
    PREREQUISITE = "prerequisite"  # source must come before target


class Provenance(StrEnum):
    DECLARED = "declared"
    INFERRED = "inferred"


class Evidence(StrEnum):
    SELF = "self"
    MANAGER = "manager"
    ASSESSMENT = "assessment"
    CERTIFICATION = "certification"
    PROJECT = "project"
    COURSE = "course"
    INFERRED = "inferred"


class MentorMode(StrEnum):
    ONE_ON_ONE = "one_on_one"  # mentor more senior
    PEER = "peer"  # similar seniority
    REVERSE = "reverse"  # mentor more junior, strong where the mentee is weak
    GROUP = "group"  # one mentor, several mentees with shared gaps


class Modality(StrEnum):
    COURSE = "course"
    ARTICLE = "article"
    VIDEO = "video"
    PODCAST = "podcast"
    BOOK = "book"
    WORKSHOP = "workshop"
    STRETCH_ASSIGNMENT = "stretch_assignment"
    PROJECT = "project"
    COMMUNITY = "community"


class LearningChannel(StrEnum):
    """The 70-20-10 model: experience, people, formal."""

    EXPERIENCE = "experience"
    PEOPLE = "people"
    FORMAL = "formal"


CHANNEL_OF_MODALITY: dict[Modality, LearningChannel] = {
    Modality.STRETCH_ASSIGNMENT: LearningChannel.EXPERIENCE,
    Modality.PROJECT: LearningChannel.EXPERIENCE,
    Modality.COMMUNITY: LearningChannel.PEOPLE,
    Modality.COURSE: LearningChannel.FORMAL,
    Modality.ARTICLE: LearningChannel.FORMAL,
    Modality.VIDEO: LearningChannel.FORMAL,
    Modality.PODCAST: LearningChannel.FORMAL,
    Modality.BOOK: LearningChannel.FORMAL,
    Modality.WORKSHOP: LearningChannel.FORMAL,
}
CHANNEL_SHARE: dict[LearningChannel, float] = {
    LearningChannel.EXPERIENCE: 0.7,
    LearningChannel.PEOPLE: 0.2,
    LearningChannel.FORMAL: 0.1,
}


class FeedbackVerdict(StrEnum):
    ACCEPTED = "accepted"
    DECLINED = "declined"
    USEFUL = "useful"
    NOT_USEFUL = "not_useful"


class TargetKind(StrEnum):
    MENTOR = "mentor"
    CONTENT = "content"
    ROLE = "role"
    PATH = "path"
    PLAN = "plan"
    SKILL = "skill"


@dataclass(frozen=True, slots=True)
class Skill:
    id: str
    label: str
    alt_labels: tuple[str, ...] = ()
    description: str = ""
    kind: SkillKind = SkillKind.SKILL
    source: str = "company"  # company | esco | onet
    source_uri: str = ""


@dataclass(frozen=True, slots=True)
class SkillRelation:
    source: str
    target: str
    kind: RelationKind
    weight: float = 1.0


@dataclass(frozen=True, slots=True)
class SkillRequirement:
    """A skill a role needs, at a level, with an importance."""

    skill_id: str
    level: float
    importance: float = 1.0
    provenance: Provenance = Provenance.DECLARED
    score: float | None = None  # confidence of an inferred requirement


@dataclass(frozen=True, slots=True)
class Role:
    id: str
    title: str
    description: str = ""
    family: str = ""  # job family; ISCO or SOC group for public occupations
    seniority: int = 0  # ladder level: 1 junior .. 5 director; O*NET job zone; 0 unknown
    requirements: tuple[SkillRequirement, ...] = ()
    alt_titles: tuple[str, ...] = ()
    tasks: tuple[str, ...] = ()
    group: str = ""  # finer classification code (ISCO 4-digit, SOC minor group)
    source: str = "company"
    source_uri: str = ""

    @property
    def profile_inferred(self) -> bool:
        return bool(self.requirements) and all(
            r.provenance is Provenance.INFERRED for r in self.requirements
        )


@dataclass(frozen=True, slots=True)
class SkillLevel:
    """A skill a person has."""

    skill_id: str
    level: float
    evidence: Evidence = Evidence.SELF
    updated: date | None = None


@dataclass(frozen=True, slots=True)
class RoleSpell:
    role_id: str
    start: date
    end: date | None = None  # None: current


@dataclass(frozen=True, slots=True)
class Employee:
    id: str
    name: str
    role_id: str
    manager_id: str | None = None
    department: str = ""
    location: str = ""
    utc_offset: float = 0.0  # hours, for time-zone overlap
    skills: tuple[SkillLevel, ...] = ()
    history: tuple[RoleSpell, ...] = ()
    interests: tuple[str, ...] = ()  # free text or role / skill ids
    about: str = ""  # free-text self-description
    active: bool = True


@dataclass(frozen=True, slots=True)
class MentorOffer:
    id: str
    employee_id: str
    capacity: int  # mentees at a time
    modes: tuple[MentorMode, ...] = (MentorMode.ONE_ON_ONE,)
    topics: tuple[str, ...] = ()  # skill ids the mentor offers; empty: any skill they hold
    max_group_size: int = 6
    available: bool = True


@dataclass(frozen=True, slots=True)
class SkillTaught:
    skill_id: str
    level: float  # the level a learner reaches


@dataclass(frozen=True, slots=True)
class LearningItem:
    id: str
    title: str
    description: str = ""
    provider: str = ""
    modality: Modality = Modality.COURSE
    duration_hours: float = 1.0
    level: float = 2.0  # the level it is pitched at
    skills: tuple[SkillTaught, ...] = ()
    prerequisites: tuple[SkillRequirement, ...] = ()  # skills needed before starting
    syllabus: str = ""
    url: str = ""

    @property
    def channel(self) -> LearningChannel:
        return CHANNEL_OF_MODALITY[self.modality]


@dataclass(frozen=True, slots=True)
class Feedback:
    id: str
    employee_id: str  # who gave it
    target_kind: TargetKind
    target_id: str
    verdict: FeedbackVerdict
    rating: int | None = None  # 1-5
    comment: str = ""
    context: str = ""  # the query or gap it answered
    created_at: datetime | None = None


@dataclass(slots=True)
class Records:
    """Everything an engine is built from, keyed by id. Built by loaders, merged across sources."""

    skills: dict[str, Skill] = field(default_factory=dict)
    relations: list[SkillRelation] = field(default_factory=list)
    roles: dict[str, Role] = field(default_factory=dict)
    employees: dict[str, Employee] = field(default_factory=dict)
    mentors: dict[str, MentorOffer] = field(default_factory=dict)
    items: dict[str, LearningItem] = field(default_factory=dict)
    feedback: dict[str, Feedback] = field(default_factory=dict)
    sources: list[str] = field(default_factory=list)  # e.g. ["esco v1.1.1", "company sample"]
    attributions: list[str] = field(default_factory=list)  # shown wherever source data is shown

    def counts(self) -> dict[str, int]:
        return {
            "skills": len(self.skills),
            "relations": len(self.relations),
            "roles": len(self.roles),
            "employees": len(self.employees),
            "mentors": len(self.mentors),
            "items": len(self.items),
            "feedback": len(self.feedback),
        }
