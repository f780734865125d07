"""Mentoring rounds (L&D admins): define (validated before storing), solve into a proposal,
edit (swap / remove / lock / add), publish, close; each party accepts or declines its match.
Published matches use their mentors' capacity (the engine's mentor load)."""

import uuid
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query
from pydantic import ConfigDict, Field, Strict

from api import schemas as s
from api.auth import Principal
from api.deps import AdminUser, CurrentUser, Paging, RuntimeDep, StateDep, StoreDep, paging_for
from api.routes.common import READ_ERRORS, WRITE_ERRORS
from api.runtime import EngineState, Runtime
from skillgraph.config import Settings
from skillgraph.data.schema import MentorMode
from skillgraph.errors import PermissionDeniedError, ValidationError
from skillgraph.recommend import matching_proposal as mp
from skillgraph.recommend.matching_context import ContextGaps, context_inputs
from skillgraph.recommend.matching_round import (
    Cadence,
    MatchInputs,
    RoundDefinition,
    resolve_round,
)
from skillgraph.recommend.matching_solver import Objective
from skillgraph.recommend.supply import supply_demand
from skillgraph.store import Assignment, Store, WorkflowDoc

DEFINED = "defined"  # stored, not solved yet
Fraction = Annotated[float, Strict(), Field(gt=0.0, le=1.0)]


class RoundCreate(s.RequestModel):
    """A mentoring round; see skillgraph/recommend/matching_round.py for every rule."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "example": {
                "id": "2024-q3-python",
                "name": "Python mentoring, Q3",
                "gap_skills": ["python"],
                "mode": "one_on_one",
                "duration_weeks": 12,
                "cadence": "biweekly",
                "max_share_per_mentor": 0.2,
            }
        },
    )
    id: s.NewId
    name: s.Short = ""
    mentee_ids: list[s.Ref] = Field(default_factory=list, max_length=20_000)
    gap_skills: list[s.Ref] = Field(default_factory=list, max_length=s.MANY)
    offer_ids: list[s.Ref] | None = Field(default=None, max_length=20_000)
    capacities: dict[str, Annotated[s.SInt, Field(ge=0, le=50)]] = Field(default_factory=dict)
    mode: MentorMode = MentorMode.ONE_ON_ONE
    circle_size: s.SInt | None = Field(default=None, ge=2, le=12)
    duration_weeks: s.SInt = Field(default=12, ge=1, le=104)
    cadence: Cadence = Cadence.BIWEEKLY
    cross_department_only: s.SBool = False
    min_overlap_hours: s.SFloat | None = Field(default=None, ge=0.0, le=24.0)
    objective: Objective = Objective.QUALITY
    max_share_per_mentor: Fraction | None = None
    top_mentor_share: Fraction | None = None
    top_mentor_fraction: Fraction = 0.1
    top_m: s.SInt = Field(default=50, ge=1, le=1_000)


class RoundEdit(s.RequestModel):
    """swap: match_id + other_match_id; remove / lock / unlock: match_id; add: mentee_id +
    offer_id (pair modes)."""

    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"example": {"action": "lock", "match_id": "e042"}}
    )
    action: Literal["swap", "remove", "lock", "unlock", "add"]
    match_id: s.Ref | None = None
    other_match_id: s.Ref | None = None
    mentee_id: s.Ref | None = None
    offer_id: s.Ref | None = None


class RoundPublic(s.PublicModel):
    id: str
    status: str = Field(description="defined | draft | published | closed")
    version: int
    created_at: Any
    updated_at: Any
    definition: dict[str, Any]
    proposal: dict[str, Any] | None = None


class AssignmentPublic(s.PublicModel):
    id: str
    round_id: str | None
    mentor_id: str
    mentee_id: str
    offer_id: str | None
    status: str


def round_public(doc: WorkflowDoc) -> RoundPublic:
    return RoundPublic(
        id=doc.id,
        status=doc.status,
        version=doc.version,
        created_at=doc.created_at,
        updated_at=doc.updated_at,
        definition=doc.body["definition"],
        proposal=doc.body.get("proposal"),
    )


def _used_elsewhere(store: Store, round_id: str) -> dict[str, int]:
    """Places taken by the published matches of other rounds."""
    published = []
    offset = 0
    while True:
        page = store.list_rounds(offset=offset, limit=200)
        published += [
            mp.Proposal.from_dict(d.body["proposal"])
            for d in page.items
            if d.id != round_id and d.status == mp.ProposalState.PUBLISHED.value
        ]
        offset += 200
        if offset >= page.total:
            return mp.capacity_in_use(published)


def _inputs(state: EngineState, store: Store, definition: RoundDefinition) -> MatchInputs:
    engine = state.engine
    return context_inputs(
        engine.ctx,
        definition,
        recommender=engine.mentor_recommender,
        used=_used_elsewhere(store, definition.id),
    )


def _proposal(doc: WorkflowDoc) -> mp.Proposal:
    if doc.body.get("proposal") is None:
        raise ValidationError(f"round {doc.id!r} is not solved yet: POST .../solve first")
    return mp.Proposal.from_dict(doc.body["proposal"])


def _save(store: Store, doc: WorkflowDoc, proposal: mp.Proposal) -> WorkflowDoc:
    body = {"definition": doc.body["definition"], "proposal": proposal.to_dict()}
    return store.update_round(doc.id, proposal.state.value, body, expected_version=doc.version)


def _assignments(proposal: mp.Proposal) -> list[Assignment]:
    closed = proposal.state is mp.ProposalState.CLOSED
    rows = []
    for pm in proposal.matches:
        for mentee in pm.match.mentee_ids:
            answer = pm.mentee_responses.get(mentee, mp.Response.PENDING)
            status = "declined" if answer is mp.Response.DECLINED else pm.status
            rows.append(
                Assignment(
                    id=uuid.uuid4().hex,
                    mentor_id=pm.match.mentor_id,
                    mentee_id=mentee,
                    status="closed" if closed else status,
                    offer_id=pm.match.offer_id,
                    match_id=f"{proposal.id}/{pm.id}",
                )
            )
    return rows


def _publish_state(runtime: Runtime, store: Store, proposal: mp.Proposal) -> None:
    store.replace_round_assignments(proposal.id, _assignments(proposal))
    runtime.sync()


def build(settings: Settings) -> APIRouter:
    router = APIRouter(prefix="/v1/matching", tags=["matching"])
    PagingDep = Annotated[Paging, Depends(paging_for(settings))]

    @router.post("/rounds", response_model=RoundPublic, status_code=201, responses=WRITE_ERRORS)
    def create_round(
        user: AdminUser, state: StateDep, store: StoreDep, body: RoundCreate
    ) -> RoundPublic:
        """Checked against the records (cohort, offers, capacities) before it is stored."""
        definition = RoundDefinition.from_dict(body.model_dump(mode="json", exclude_none=True))
        resolve_round(definition, _inputs(state, store, definition))
        doc = store.create_round(
            DEFINED, {"definition": definition.to_dict()}, round_id=definition.id
        )
        return round_public(doc)

    @router.get("/rounds", response_model=s.Page[RoundPublic], responses=READ_ERRORS)
    def list_rounds(user: AdminUser, store: StoreDep, page: PagingDep) -> s.Page[RoundPublic]:
        found = store.list_rounds(offset=page.offset, limit=page.limit)
        return s.Page(
            items=[round_public(d) for d in found.items],
            total=found.total,
            offset=page.offset,
            limit=page.limit,
        )

    @router.get("/rounds/{round_id}", response_model=RoundPublic, responses=READ_ERRORS)
    def get_round(user: AdminUser, store: StoreDep, round_id: str) -> RoundPublic:
        return round_public(store.get_round(round_id))

    @router.post("/rounds/{round_id}/solve", response_model=RoundPublic, responses=WRITE_ERRORS)
    def solve(user: AdminUser, state: StateDep, store: StoreDep, round_id: str) -> RoundPublic:
        """A draft proposal; solving a draft again keeps locked matches and removed pairs out."""
        doc = store.get_round(round_id)
        definition = RoundDefinition.from_dict(doc.body["definition"])
        inputs = _inputs(state, store, definition)
        if doc.body.get("proposal") is None:
            proposal = mp.propose(definition, inputs)
        else:
            proposal = mp.resolve(_proposal(doc), inputs)
        return round_public(_save(store, doc, proposal))

    @router.post("/rounds/{round_id}/edits", response_model=RoundPublic, responses=WRITE_ERRORS)
    def edit(
        user: AdminUser, state: StateDep, store: StoreDep, round_id: str, body: RoundEdit
    ) -> RoundPublic:
        doc = store.get_round(round_id)
        proposal = _proposal(doc)

        def need(value: str | None, name: str) -> str:
            if value is None:
                raise ValidationError(f"{body.action} needs {name}")
            return value

        if body.action == "swap":
            inputs = _inputs(state, store, proposal.definition)
            proposal = mp.swap(
                proposal,
                need(body.match_id, "match_id"),
                need(body.other_match_id, "other_match_id"),
                inputs,
            )
        elif body.action == "remove":
            proposal = mp.remove(proposal, need(body.match_id, "match_id"))
        elif body.action in ("lock", "unlock"):
            proposal = mp.lock(proposal, need(body.match_id, "match_id"), body.action == "lock")
        else:
            inputs = _inputs(state, store, proposal.definition)
            proposal = mp.add_manual(
                proposal,
                need(body.mentee_id, "mentee_id"),
                need(body.offer_id, "offer_id"),
                inputs,
            )
        return round_public(_save(store, doc, proposal))

    @router.post("/rounds/{round_id}/publish", response_model=RoundPublic, responses=WRITE_ERRORS)
    def publish(
        user: AdminUser, store: StoreDep, runtime: RuntimeDep, round_id: str
    ) -> RoundPublic:
        """Draft -> published: mentors and mentees are asked to accept; places are taken."""
        doc = store.get_round(round_id)
        proposal = mp.publish(_proposal(doc))
        saved = _save(store, doc, proposal)
        _publish_state(runtime, store, proposal)
        return round_public(saved)

    @router.post("/rounds/{round_id}/close", response_model=RoundPublic, responses=WRITE_ERRORS)
    def close(user: AdminUser, store: StoreDep, runtime: RuntimeDep, round_id: str) -> RoundPublic:
        """Published -> closed: the program is over, its places are free again."""
        doc = store.get_round(round_id)
        proposal = mp.close(_proposal(doc))
        saved = _save(store, doc, proposal)
        _publish_state(runtime, store, proposal)
        return round_public(saved)

    def answer(
        user: Principal, store: Store, runtime: Runtime, round_id: str, match_id: str, accept: bool
    ) -> RoundPublic:
        doc = store.get_round(round_id)
        proposal = _proposal(doc)
        match = proposal.match(match_id).match
        if user.subject not in (match.mentor_id, *match.mentee_ids):
            raise PermissionDeniedError("only the mentor or a mentee of a match can answer it")
        proposal = mp.respond(proposal, match_id, user.subject, accept)
        saved = _save(store, doc, proposal)
        _publish_state(runtime, store, proposal)
        return round_public(saved)

    @router.post(
        "/rounds/{round_id}/matches/{match_id}/accept",
        response_model=RoundPublic,
        responses=WRITE_ERRORS,
    )
    def accept(
        user: CurrentUser, store: StoreDep, runtime: RuntimeDep, round_id: str, match_id: str
    ) -> RoundPublic:
        """The caller (the match's mentor or a mentee) accepts a published match."""
        return answer(user, store, runtime, round_id, match_id, True)

    @router.post(
        "/rounds/{round_id}/matches/{match_id}/decline",
        response_model=RoundPublic,
        responses=WRITE_ERRORS,
    )
    def decline(
        user: CurrentUser, store: StoreDep, runtime: RuntimeDep, round_id: str, match_id: str
    ) -> RoundPublic:
        """The caller declines: their place (or the whole match, for the mentor) is freed."""
        return answer(user, store, runtime, round_id, match_id, False)

    @router.get("/assignments", response_model=list[AssignmentPublic], responses=READ_ERRORS)
    def assignments(
        user: CurrentUser,
        store: StoreDep,
        employee_id: Annotated[str | None, Query(max_length=300)] = None,
    ) -> list[AssignmentPublic]:
        """Mentorships of published rounds: the caller's own (admins: anyone's, or all)."""
        if not user.is_admin:
            if employee_id not in (None, user.subject):
                raise PermissionDeniedError("you may list only your own mentorships")
            employee_id = user.subject
        return [
            AssignmentPublic(
                id=a.id,
                round_id=a.round_id,
                mentor_id=a.mentor_id,
                mentee_id=a.mentee_id,
                offer_id=a.offer_id,
                status=a.status,
            )
            for a in store.list_assignments(employee_id=employee_id)
        ]

    @router.get("/supply-demand", response_model=dict[str, Any], responses=READ_ERRORS)
    def supply_and_demand(
        user: AdminUser,
        state: StateDep,
        skills: Annotated[
            str | None, Query(max_length=5_000, description="comma-separated")
        ] = None,
        min_mentor_level: Annotated[float, Query(ge=0, le=5)] = 4.0,
    ) -> dict[str, Any]:
        """Mentor supply against mentee demand per skill, group, department and location,
        with the shortage list ("recruit mentors for X")."""
        ctx = state.engine.ctx
        wanted = [p.strip() for p in skills.split(",") if p.strip()] if skills else None
        result = supply_demand(
            ctx.records,
            ContextGaps(ctx),
            skills=wanted,
            min_mentor_level=min_mentor_level,
            used=ctx.mentor_load,
        )
        data: dict[str, Any] = result.to_dict()
        return data

    return router
