"""Recommendations, each explained: gaps, mentors, content, next roles, career paths, and
all of a person's at once (`/employees/{id}/recommendations`).

The person-centred reads (gaps, mentors, content, next roles, the full answer) run on the
event loop: the engine answers from memory in a few milliseconds, not much more than a hop
to the thread pool and back costs under load. They return JSON bytes encoded once
(api/encoding.py); `response_model` documents them. Their plain successful GETs are usually
answered by api/fastpath.py before reaching here.
"""

from typing import Annotated, Any

from fastapi import APIRouter, Query

from api import convert, reads
from api import schemas as s
from api.access import require_recommendations
from api.deps import CurrentUser, StateDep
from api.encoding import JsonBytes
from api.routes.common import READ_ERRORS
from skillgraph.config import Settings
from skillgraph.data.schema import MentorMode, Modality
from skillgraph.errors import ValidationError
from skillgraph.recommend.base import Query as RecQuery

RoleRef = Annotated[str | None, Query(min_length=1, max_length=300)]
MAX_HOPS = 6
MaxHops = Annotated[int, Query(ge=1, le=MAX_HOPS, description="role moves per path, at most 6")]


def _skill_list(raw: str) -> tuple[str, ...]:
    skills = tuple(dict.fromkeys(p.strip() for p in raw.split(",") if p.strip()))
    if not skills:
        raise ValidationError("skills: give at least one skill id (comma-separated)")
    if len(skills) > 100:
        raise ValidationError("skills: at most 100 skill ids")
    return skills


def build(settings: Settings) -> APIRouter:
    router = APIRouter(prefix="/v1", tags=["recommendations"])
    max_k = settings.recommend.max_k
    K = Annotated[int, Query(ge=1, le=max_k, description=f"results wanted, at most {max_k}")]
    default_k = min(10, max_k)
    path_k = min(5, max_k)

    @router.get(
        "/employees/{employee_id}/gaps", response_model=s.GapReportPublic, responses=READ_ERRORS
    )
    async def employee_gaps(
        user: CurrentUser, state: StateDep, employee_id: str, target_role: RoleRef = None
    ) -> Any:
        """Skill gaps against the target role (default: the current role), with readiness."""
        return reads.gaps(user, state, employee_id, target_role)

    @router.get("/roles/{role_id}/gaps", response_model=s.GapReportPublic, responses=READ_ERRORS)
    async def role_gaps(
        user: CurrentUser,
        state: StateDep,
        role_id: str,
        target_role: Annotated[str, Query(min_length=1, max_length=300)],
    ) -> Any:
        """What someone fully proficient in one role lacks for another."""
        return JsonBytes(state.engine.role_gaps(role_id, target_role).to_dict())

    @router.get(
        "/employees/{employee_id}/mentors",
        response_model=s.RecommendationList,
        responses=READ_ERRORS,
    )
    async def employee_mentors(
        user: CurrentUser,
        state: StateDep,
        employee_id: str,
        mode: MentorMode | None = None,
        target_role: RoleRef = None,
        k: K = default_k,
    ) -> Any:
        """Mentors who close the person's gaps, available (capacity left), explained."""
        return reads.mentors(user, state, employee_id, target_role=target_role, k=k, mode=mode)

    @router.get(
        "/employees/{employee_id}/content",
        response_model=s.RecommendationList,
        responses=READ_ERRORS,
    )
    async def employee_content(
        user: CurrentUser,
        state: StateDep,
        employee_id: str,
        target_role: RoleRef = None,
        modality: Modality | None = None,
        max_hours: Annotated[float | None, Query(gt=0, le=10_000)] = None,
        k: K = default_k,
    ) -> Any:
        """Learning content for the person's gaps, prerequisites first, diversified."""
        return reads.content(
            user,
            state,
            employee_id,
            target_role=target_role,
            k=k,
            modality=modality,
            max_hours=max_hours,
        )

    @router.get("/content", response_model=s.RecommendationList, responses=READ_ERRORS)
    async def content_for_skills(
        user: CurrentUser,
        state: StateDep,
        skills: Annotated[
            str, Query(min_length=1, max_length=5_000, description="comma-separated skill ids")
        ],
        modality: Modality | None = None,
        max_hours: Annotated[float | None, Query(gt=0, le=10_000)] = None,
        k: K = default_k,
    ) -> Any:
        """Learning content for an explicit list of skills (no person involved)."""
        skill_ids = _skill_list(skills)
        filters = reads.content_filters(modality, max_hours)
        query = RecQuery(skill_ids=skill_ids, k=k, filters=filters)
        echo = convert.query_echo(skill_ids=list(skill_ids), k=k, **filters)
        return reads.listing(echo, state.engine.content(query))

    @router.get(
        "/employees/{employee_id}/next-roles",
        response_model=s.RecommendationList,
        responses=READ_ERRORS,
    )
    async def next_roles(
        user: CurrentUser, state: StateDep, employee_id: str, k: K = default_k
    ) -> Any:
        """Internal roles the person could move to next, with what they would need."""
        return reads.next_roles(user, state, employee_id, k=k)

    @router.get(
        "/employees/{employee_id}/recommendations",
        response_model=s.EmployeeRecommendationsPublic,
        responses=READ_ERRORS,
    )
    async def employee_recommendations(
        user: CurrentUser,
        state: StateDep,
        employee_id: str,
        target_role: RoleRef = None,
        k_mentors: K = default_k,
        k_content: K = default_k,
        k_paths: K = path_k,
        max_hops: MaxHops = 3,
    ) -> Any:
        """Everything for a person's page in one answer: gaps against the target role
        (default: the current role), mentors, learning content and career paths (toward the
        target role when given, else exploring), each part as its single endpoint answers."""
        return reads.recommendations(
            user,
            state,
            employee_id,
            target_role=target_role,
            k_mentors=k_mentors,
            k_content=k_content,
            k_paths=k_paths,
            max_hops=max_hops,
        )

    @router.get("/paths", response_model=s.CareerPathList, responses=READ_ERRORS)
    def career_paths(
        user: CurrentUser,
        state: StateDep,
        from_role: Annotated[str | None, Query(alias="from", min_length=1, max_length=300)] = None,
        to_role: Annotated[str | None, Query(alias="to", min_length=1, max_length=300)] = None,
        employee_id: Annotated[str | None, Query(min_length=1, max_length=300)] = None,
        max_hops: MaxHops = 3,
        k: K = path_k,
    ) -> s.CareerPathList:
        """Career paths from a role (or a person's role) to a target, or exploring from it."""
        if employee_id is not None:
            require_recommendations(user, employee_id, state.org)
        elif from_role is None:
            raise ValidationError("give `from` (a role id) or `employee_id`")
        query = RecQuery(employee_id=employee_id, role_id=from_role, target_role_id=to_role, k=k)
        paths = state.engine.paths(query, max_hops=max_hops)
        echo = convert.query_echo(
            employee_id=employee_id,
            role_id=from_role,
            target_role_id=to_role,
            k=k,
            max_hops=max_hops,
        )
        return s.CareerPathList(query=echo, items=[convert.jsonable(p) for p in paths])

    return router
