"""Request and response bodies. Requests forbid unknown fields (no mass assignment).

Families: XCreate (POST), XUpdate (PATCH, every field optional), XPublic (responses).
Levels use the 0-5 proficiency scale of skillgraph.data.schema.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, ClassVar, Generic, TypeVar

from pydantic import BaseModel, ConfigDict, Field, Strict, StringConstraints, model_validator

from skillgraph.data.schema import (
    Evidence,
    FeedbackVerdict,
    MentorMode,
    Modality,
    Provenance,
    SkillKind,
    TargetKind,
)

T = TypeVar("T")

NewId = Annotated[
    str,
    StringConstraints(min_length=1, max_length=128, pattern=r"^[A-Za-z0-9][A-Za-z0-9._:@-]*$"),
]
Ref = Annotated[str, StringConstraints(min_length=1, max_length=300)]
Label = Annotated[str, StringConstraints(min_length=1, max_length=300)]
Short = Annotated[str, StringConstraints(max_length=300)]
Text = Annotated[str, StringConstraints(max_length=20_000)]
Comment = Annotated[str, StringConstraints(max_length=2_000)]
# strict numbers and booleans: false is not 0, 0 is not false ("1" is not 1)
SInt = Annotated[int, Strict()]
SFloat = Annotated[float, Strict()]  # an int is a float
SBool = Annotated[bool, Strict()]
Level = Annotated[float, Strict(), Field(ge=0.0, le=5.0, description="0 none .. 5 expert")]
Importance = Annotated[float, Strict(), Field(ge=0.0, le=1.0)]
Rating = Annotated[int, Strict(), Field(ge=1, le=5)]
UtcOffset = Annotated[float, Strict(), Field(ge=-12.0, le=14.0)]
MANY = 500  # longest list accepted in a body


class RequestModel(BaseModel):
    model_config = ConfigDict(extra="forbid")
    nullable: ClassVar[frozenset[str]] = frozenset()

    def changes(self) -> dict[str, Any]:
        """The fields the client set, JSON-ready; null only where clearing makes sense."""
        data = self.model_dump(mode="json", exclude_unset=True)
        return {k: v for k, v in data.items() if v is not None or k in self.nullable}


class PublicModel(BaseModel):
    model_config = ConfigDict(extra="ignore")


class Versioned(PublicModel):
    version: int = Field(description="increments on every change; send it back as If-Match")
    updated_at: datetime


class Page(PublicModel, Generic[T]):
    items: list[T]
    total: int = Field(description="number of items matching, across all pages")
    offset: int
    limit: int


class Problem(BaseModel):
    """application/problem+json (RFC 9457)."""

    model_config = ConfigDict(
        extra="allow",
        json_schema_extra={
            "example": {
                "type": "urn:skillgraph:problem:not-found",
                "title": "Not found",
                "status": 404,
                "detail": "unknown employee id: 'e999'",
                "instance": "/v1/employees/e999",
                "kind": "employee",
                "id": "e999",
            }
        },
    )
    type: str
    title: str
    status: int
    detail: str
    instance: str | None = None


# ---------------------------------------------------------------------- skills


class SkillCreate(RequestModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "example": {
                "id": "kubernetes",
                "label": "Kubernetes",
                "alt_labels": ["k8s"],
                "description": "Running containers in clusters",
                "kind": "technology",
            }
        },
    )
    id: NewId
    label: Label
    alt_labels: list[Label] = Field(default_factory=list, max_length=50)
    description: Text = ""
    kind: SkillKind = SkillKind.SKILL


class SkillUpdate(RequestModel):
    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"example": {"alt_labels": ["k8s", "kube"]}}
    )
    label: Label | None = None
    alt_labels: list[Label] | None = Field(default=None, max_length=50)
    description: Text | None = None
    kind: SkillKind | None = None


class SkillPublic(PublicModel):
    id: str
    label: str
    alt_labels: list[str] = []
    description: str = ""
    kind: SkillKind
    source: str
    source_uri: str = ""


class SkillRecord(SkillPublic, Versioned):
    pass


class SkillHit(PublicModel):
    skill: SkillPublic
    score: float = Field(description="1.0 for an exact label match; else cosine similarity")
    match: str = Field(description="label | semantic")


class InferRequest(RequestModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "example": {"text": "I build data pipelines in Python and tune SQL queries", "k": 5}
        },
    )
    text: Annotated[str, StringConstraints(min_length=1, max_length=20_000)]
    k: SInt = Field(default=20, ge=1, le=100)


class InferredSkill(PublicModel):
    skill_id: str
    label: str
    score: float


# ---------------------------------------------------------------------- roles


class RequirementIn(RequestModel):
    skill_id: Ref
    level: Level
    importance: Importance = 1.0


class RequirementPublic(PublicModel):
    skill_id: str
    label: str
    level: float
    level_name: str
    importance: float
    provenance: Provenance
    score: float | None = None


class RoleCreate(RequestModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "example": {
                "id": "data-engineer",
                "title": "Data engineer",
                "family": "data",
                "seniority": 2,
                "requirements": [
                    {"skill_id": "python", "level": 3, "importance": 1.0},
                    {"skill_id": "sql", "level": 3, "importance": 0.8},
                ],
            }
        },
    )
    id: NewId
    title: Label
    description: Text = ""
    family: Short = ""
    seniority: SInt = Field(default=0, ge=0, le=10)
    requirements: list[RequirementIn] = Field(default_factory=list, max_length=MANY)
    alt_titles: list[Label] = Field(default_factory=list, max_length=50)
    tasks: list[Text] = Field(default_factory=list, max_length=100)
    group: Short = ""


class RoleUpdate(RequestModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"example": {"seniority": 3}})
    title: Label | None = None
    description: Text | None = None
    family: Short | None = None
    seniority: SInt | None = Field(default=None, ge=0, le=10)
    requirements: list[RequirementIn] | None = Field(default=None, max_length=MANY)
    alt_titles: list[Label] | None = Field(default=None, max_length=50)
    tasks: list[Text] | None = Field(default=None, max_length=100)
    group: Short | None = None


class RolePublic(PublicModel):
    id: str
    title: str
    description: str = ""
    family: str = ""
    seniority: int = 0
    alt_titles: list[str] = []
    tasks: list[str] = []
    group: str = ""
    source: str = "company"
    source_uri: str = ""
    profile_inferred: bool = False
    requirements: list[RequirementPublic] = []


class RoleRecord(RolePublic, Versioned):
    pass


# ---------------------------------------------------------------------- employees


class SkillLevelIn(RequestModel):
    skill_id: Ref
    level: Level
    evidence: Evidence = Evidence.SELF
    updated: date | None = None


class SkillLevelPublic(PublicModel):
    skill_id: str
    label: str
    level: float
    level_name: str
    evidence: Evidence
    updated: date | None = None


class RoleSpellIn(RequestModel):
    role_id: Ref
    start: date
    end: date | None = None

    @model_validator(mode="after")
    def _ordered(self) -> RoleSpellIn:
        if self.end is not None and self.end < self.start:
            raise ValueError("end is before start")
        return self


class RoleSpellPublic(PublicModel):
    role_id: str
    start: date
    end: date | None = None


_EMPLOYEE_EXAMPLE: dict[str, Any] = {
    "id": "e042",
    "name": "Ada Lovelace",
    "role_id": "data-engineer",
    "manager_id": "e007",
    "department": "Analytics",
    "location": "London",
    "utc_offset": 0,
    "skills": [{"skill_id": "python", "level": 4, "evidence": "assessment"}],
    "history": [{"role_id": "data-analyst", "start": "2019-03-01", "end": "2022-06-30"}],
    "interests": ["machine learning"],
    "about": "Pipelines, tests, and the occasional dashboard.",
}


class EmployeeCreate(RequestModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"example": _EMPLOYEE_EXAMPLE})
    id: NewId
    name: Label
    role_id: Ref
    manager_id: Ref | None = None
    department: Short = ""
    location: Short = ""
    utc_offset: UtcOffset = 0.0
    skills: list[SkillLevelIn] = Field(default_factory=list, max_length=MANY)
    history: list[RoleSpellIn] = Field(default_factory=list, max_length=100)
    interests: list[Short] = Field(default_factory=list, max_length=100)
    about: Text = ""
    active: SBool = True


class EmployeeUpdate(RequestModel):
    """Every field (L&D admins). Employees and managers may change only EmployeeSelfUpdate's."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "example": {"role_id": "senior-data-engineer", "manager_id": "e007", "active": True}
        },
    )
    nullable: ClassVar[frozenset[str]] = frozenset({"manager_id"})
    name: Label | None = None
    role_id: Ref | None = None
    manager_id: Ref | None = None
    department: Short | None = None
    location: Short | None = None
    utc_offset: UtcOffset | None = None
    skills: list[SkillLevelIn] | None = Field(default=None, max_length=MANY)
    history: list[RoleSpellIn] | None = Field(default=None, max_length=100)
    interests: list[Short] | None = Field(default=None, max_length=100)
    about: Text | None = None
    active: SBool | None = None


class EmployeeSelfUpdate(RequestModel):
    """What a person may change on their own profile (and a manager on a report's)."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"example": {"skills": [{"skill_id": "python", "level": 4}]}},
    )
    location: Short | None = None
    utc_offset: UtcOffset | None = None
    skills: list[SkillLevelIn] | None = Field(default=None, max_length=MANY)
    interests: list[Short] | None = Field(default=None, max_length=100)
    about: Text | None = None


class EmployeePublic(PublicModel):
    id: str
    name: str
    role_id: str
    role_title: str = ""
    manager_id: str | None = None
    department: str = ""
    location: str = ""
    utc_offset: float = 0.0
    skills: list[SkillLevelPublic] = []
    history: list[RoleSpellPublic] = []
    interests: list[str] = []
    about: str = ""
    active: bool = True


class EmployeeRecord(EmployeePublic, Versioned):
    pass


class ErasureReceiptPublic(PublicModel):
    model_config = ConfigDict(
        json_schema_extra={
            "example": {
                "id": "4f1c0a6d2b9e4b7f8a0c1d2e3f405162",
                "subject_digest": "9f86d081884c7d659a2feaa0c55ad015"
                "a3bf4f1b2b0b822cd15d6c15b0f00a08",
                "at": "2024-05-01T12:00:00Z",
                "revision": 57,
                "removed": {"employee": 1, "mentor_offers": 1, "feedback": 3},
                "updated": {"reports_reassigned": 2},
                "engine": "removed from every index and saved",
            }
        }
    )
    id: str
    subject_digest: str = Field(description="sha256 of the erased id; the id itself is not kept")
    at: datetime
    revision: int
    removed: dict[str, int]
    updated: dict[str, int]
    engine: str


# ---------------------------------------------------------------------- mentors


class MentorOfferCreate(RequestModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "example": {
                "id": "m-e042",
                "employee_id": "e042",
                "capacity": 2,
                "modes": ["one_on_one", "reverse"],
                "topics": ["python"],
            }
        },
    )
    id: NewId
    employee_id: Ref
    capacity: SInt = Field(ge=0, le=50)
    modes: list[MentorMode] = Field(
        default_factory=lambda: [MentorMode.ONE_ON_ONE], min_length=1, max_length=4
    )
    topics: list[Ref] = Field(default_factory=list, max_length=MANY)
    max_group_size: SInt = Field(default=6, ge=1, le=50)
    available: SBool = True


class MentorOfferUpdate(RequestModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"example": {"available": False}})
    capacity: SInt | None = Field(default=None, ge=0, le=50)
    modes: list[MentorMode] | None = Field(default=None, min_length=1, max_length=4)
    topics: list[Ref] | None = Field(default=None, max_length=MANY)
    max_group_size: SInt | None = Field(default=None, ge=1, le=50)
    available: SBool | None = None


class MentorOfferPublic(PublicModel):
    id: str
    employee_id: str
    capacity: int
    modes: list[MentorMode]
    topics: list[str] = []
    max_group_size: int = 6
    available: bool = True


class MentorOfferRecord(MentorOfferPublic, Versioned):
    load: int = Field(default=0, description="mentees the offer has now")


# ---------------------------------------------------------------------- learning items


class SkillTaughtIn(RequestModel):
    skill_id: Ref
    level: Level


class SkillTaughtPublic(PublicModel):
    skill_id: str
    level: float


class LearningItemCreate(RequestModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "example": {
                "id": "course-spark-101",
                "title": "Spark fundamentals",
                "provider": "Internal academy",
                "modality": "course",
                "duration_hours": 12,
                "level": 2,
                "skills": [{"skill_id": "spark", "level": 3}],
                "prerequisites": [{"skill_id": "python", "level": 2}],
                "url": "https://learn.example.com/spark-101",
            }
        },
    )
    id: NewId
    title: Label
    description: Text = ""
    provider: Short = ""
    modality: Modality = Modality.COURSE
    duration_hours: SFloat = Field(default=1.0, gt=0.0, le=10_000.0)
    level: Level = 2.0
    skills: list[SkillTaughtIn] = Field(default_factory=list, max_length=MANY)
    prerequisites: list[RequirementIn] = Field(default_factory=list, max_length=MANY)
    syllabus: Text = ""
    url: Annotated[str, StringConstraints(max_length=2_000)] = ""


class LearningItemUpdate(RequestModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"example": {"duration_hours": 8}})
    title: Label | None = None
    description: Text | None = None
    provider: Short | None = None
    modality: Modality | None = None
    duration_hours: SFloat | None = Field(default=None, gt=0.0, le=10_000.0)
    level: Level | None = None
    skills: list[SkillTaughtIn] | None = Field(default=None, max_length=MANY)
    prerequisites: list[RequirementIn] | None = Field(default=None, max_length=MANY)
    syllabus: Text | None = None
    url: Annotated[str, StringConstraints(max_length=2_000)] | None = None


class LearningItemPublic(PublicModel):
    id: str
    title: str
    description: str = ""
    provider: str = ""
    modality: Modality
    duration_hours: float
    level: float
    skills: list[SkillTaughtPublic] = []
    prerequisites: list[SkillTaughtPublic] = []
    syllabus: str = ""
    url: str = ""


class LearningItemRecord(LearningItemPublic, Versioned):
    pass


# ---------------------------------------------------------------------- feedback


class FeedbackCreate(RequestModel):
    """Feedback on a recommendation; the giver is the caller (from the token)."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "example": {
                "target_kind": "mentor",
                "target_id": "m-e007",
                "verdict": "useful",
                "rating": 5,
                "comment": "Exactly the Spark help I needed",
                "context": "gap: spark",
            }
        },
    )
    target_kind: TargetKind
    target_id: Ref
    verdict: FeedbackVerdict
    rating: Rating | None = None
    comment: Comment = ""
    context: Comment = ""


class FeedbackPublic(PublicModel):
    id: str
    employee_id: str
    target_kind: TargetKind
    target_id: str
    verdict: FeedbackVerdict
    rating: int | None = None
    comment: str = ""
    context: str = ""
    created_at: datetime | None = None


# ---------------------------------------------------------------------- recommendations


class GapReasonPublic(PublicModel):
    skill_id: str
    skill_label: str
    required_level: float
    current_level: float
    importance: float


class ExplanationPublic(PublicModel):
    gaps: list[GapReasonPublic] = []
    signals: dict[str, float] = {}
    counterfactual: str | None = None
    counterfactual_readiness: list[float] | None = None
    text: str = ""


class RecommendationPublic(PublicModel):
    item_id: str
    kind: TargetKind
    score: float
    explanation: ExplanationPublic
    payload: dict[str, Any] = {}


class RecommendationList(PublicModel):
    model_config = ConfigDict(
        json_schema_extra={
            "example": {
                "query": {"employee_id": "e042", "target_role_id": "ml-engineer", "k": 3},
                "items": [
                    {
                        "item_id": "course-spark-101",
                        "kind": "content",
                        "score": 0.82,
                        "explanation": {
                            "gaps": [
                                {
                                    "skill_id": "spark",
                                    "skill_label": "Apache Spark",
                                    "required_level": 3,
                                    "current_level": 1,
                                    "importance": 1.0,
                                }
                            ],
                            "signals": {"coverage": 0.9, "level_fit": 1.0, "text": 0.4},
                            "counterfactual": "closing Spark raises readiness from 64 to 81",
                            "counterfactual_readiness": [64.0, 81.0],
                            "text": "Takes Apache Spark from 1 to 3 (needed: 3).",
                        },
                        "payload": {"title": "Spark fundamentals", "duration_hours": 12},
                    }
                ],
            }
        }
    )
    query: dict[str, Any]
    items: list[RecommendationPublic]


class CreditPublic(PublicModel):
    source_skill_id: str
    kind: str
    source_level: float
    factor: float


class GapRowPublic(PublicModel):
    skill_id: str
    label: str
    required_level: float
    current_level: float
    raw_level: float
    gap: float
    importance: float
    evidence: CreditPublic | None = None
    provenance: str


class GapReportPublic(PublicModel):
    model_config = ConfigDict(
        json_schema_extra={
            "example": {
                "employee_id": "e042",
                "role_id": "ml-engineer",
                "role_title": "ML engineer",
                "readiness": 64.0,
                "flags": [],
                "rows": [
                    {
                        "skill_id": "spark",
                        "label": "Apache Spark",
                        "required_level": 3,
                        "current_level": 1,
                        "raw_level": 1,
                        "gap": 2,
                        "importance": 1.0,
                        "evidence": None,
                        "provenance": "declared",
                    }
                ],
            }
        }
    )
    employee_id: str | None
    role_id: str
    role_title: str
    readiness: float
    flags: list[str]
    rows: list[GapRowPublic]


class CareerPathList(PublicModel):
    query: dict[str, Any]
    items: list[dict[str, Any]] = Field(
        description="career paths best first: steps (role moves), gaps per step, time, score"
    )


class EmployeeRecommendationsPublic(PublicModel):
    """A person's full recommendation: each part as its single endpoint returns it."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "example": {
                "employee_id": "e042",
                "target_role": "ml-engineer",
                "gaps": {
                    "employee_id": "e042",
                    "role_id": "ml-engineer",
                    "role_title": "ML engineer",
                    "readiness": 64.0,
                    "flags": [],
                    "rows": [],
                },
                "mentors": {
                    "query": {"employee_id": "e042", "target_role_id": "ml-engineer", "k": 10},
                    "items": [],
                },
                "content": {
                    "query": {"employee_id": "e042", "target_role_id": "ml-engineer", "k": 10},
                    "items": [],
                },
                "paths": {
                    "query": {
                        "employee_id": "e042",
                        "target_role_id": "ml-engineer",
                        "k": 5,
                        "max_hops": 3,
                    },
                    "items": [],
                },
            }
        },
    )
    employee_id: str
    target_role: str | None = Field(description="the role asked for; null: the current role")
    gaps: GapReportPublic
    mentors: RecommendationList
    content: RecommendationList
    paths: CareerPathList


# ---------------------------------------------------------------------- plans


class PlanCreate(RequestModel):
    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"example": {"target_role": "ml-engineer"}}
    )
    target_role: Ref


class CheckpointDecision(RequestModel):
    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"example": {"comment": "Good progress, approved."}}
    )
    comment: Comment = ""


class PlanGoalPublic(PublicModel):
    id: str
    skill_id: str
    label: str
    from_level: float
    to_level: float
    importance: float
    provenance: str
    reached_level: float = 0.0


class PlanActionPublic(PublicModel):
    id: str
    goal_ids: list[str]
    channel: str
    kind: str
    target_id: str
    title: str
    modality: str
    effort_hours: float
    start_week: int
    end_week: int
    reason: str = ""


class CheckpointPublic(PublicModel):
    id: str
    goal_id: str
    due: date
    description: str
    status: str
    comment: str = ""
    approver_id: str | None = None
    decided_on: date | None = None


class PlanPublic(PublicModel):
    id: str
    employee_id: str
    manager_id: str | None = None
    role_id: str
    target_role_id: str
    start: date
    hours_per_week: float
    readiness: float
    projected_readiness: float
    goals: list[PlanGoalPublic] = []
    actions: list[PlanActionPublic] = []
    checkpoints: list[CheckpointPublic] = []
    mix: dict[str, float] = {}
    target_mix: dict[str, float] = {}
    weeks: int = 0
    flags: list[str] = []
    total_hours: float = 0.0
    completed: bool = False
    status: str
    version: int
    created_at: datetime
    updated_at: datetime


# ---------------------------------------------------------------------- operations


class HealthPublic(PublicModel):
    status: str = "ok"


class ReadyPublic(PublicModel):
    status: str
    phase: str
    revision: int | None = None
    store_revision: int
    detail: str = ""
    reindexing: bool = False


class ReindexResult(PublicModel):
    status: str = Field(description="done | started")
    revision: int | None = None
    seconds: float | None = None
    counts: dict[str, int] = {}


class ImportPath(RequestModel):
    """A company dataset directory on the server, inside the allowed import folder."""

    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"example": {"path": "acme-2024-05"}}
    )
    path: Annotated[str, StringConstraints(min_length=1, max_length=1_000)]


class ImportResult(PublicModel):
    revision: int
    counts: dict[str, int]
    engine: str
