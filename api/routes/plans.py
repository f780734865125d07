"""Development plans: built for a person and a target role, checkpoints approved by managers."""

import uuid
from collections.abc import Callable
from enum import StrEnum
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path

from api import schemas as s
from api.access import require_person
from api.auth import Principal
from api.deps import CurrentUser, Paging, StateDep, StoreDep, paging_for
from api.routes.common import READ_ERRORS, WRITE_ERRORS
from skillgraph.config import Settings
from skillgraph.recommend.plans import DevelopmentPlan
from skillgraph.store import Store, WorkflowDoc

CheckpointId = Annotated[str, Path(min_length=1, max_length=200)]


class CheckpointAction(StrEnum):
    approve = "approve"
    return_ = "return"
    resubmit = "resubmit"


_Step = Callable[[DevelopmentPlan, str, str, str], Any]
_STEPS: dict[CheckpointAction, _Step] = {
    CheckpointAction.approve: DevelopmentPlan.approve,
    CheckpointAction.return_: DevelopmentPlan.return_,
    CheckpointAction.resubmit: DevelopmentPlan.resubmit,
}


def plan_public(doc: WorkflowDoc) -> s.PlanPublic:
    plan = DevelopmentPlan.from_dict(doc.body)
    return s.PlanPublic.model_validate(
        {
            **plan.to_dict(),
            "status": doc.status,
            "version": doc.version,
            "created_at": doc.created_at,
            "updated_at": doc.updated_at,
        }
    )


def _status(plan: DevelopmentPlan) -> str:
    return "completed" if plan.completed else "active"


def _decide(
    store: Store,
    plan_id: str,
    act: Callable[[DevelopmentPlan], Any],
) -> s.PlanPublic:
    doc = store.get_plan(plan_id)
    plan = DevelopmentPlan.from_dict(doc.body)
    act(plan)  # raises PermissionDeniedError / ValidationError / NotFoundError
    updated = store.update_plan(
        plan_id, _status(plan), plan.to_dict(), expected_version=doc.version
    )
    return plan_public(updated)


def build(settings: Settings) -> APIRouter:
    router = APIRouter(prefix="/v1", tags=["plans"])
    PagingDep = Annotated[Paging, Depends(paging_for(settings))]

    def visible_plan(user: Principal, state: Any, store: Store, plan_id: str) -> WorkflowDoc:
        doc = store.get_plan(plan_id)
        require_person(user, doc.employee_id or "", state.org)
        return doc

    @router.post(
        "/employees/{employee_id}/plans",
        response_model=s.PlanPublic,
        status_code=201,
        responses=WRITE_ERRORS,
    )
    def create_plan(
        user: CurrentUser, state: StateDep, store: StoreDep, employee_id: str, body: s.PlanCreate
    ) -> s.PlanPublic:
        """Goals from the gaps, actions in the 70-20-10 mix, a timeline and checkpoints."""
        require_person(user, employee_id, state.org)
        plan = state.engine.plan(employee_id, body.target_role)
        plan.id = f"{plan.id}-{uuid.uuid4().hex[:8]}"  # several plans a day stay apart
        doc = store.create_plan(employee_id, _status(plan), plan.to_dict(), plan_id=plan.id)
        return plan_public(doc)

    @router.get(
        "/employees/{employee_id}/plans",
        response_model=s.Page[s.PlanPublic],
        responses=READ_ERRORS,
    )
    def list_plans(
        user: CurrentUser, state: StateDep, store: StoreDep, employee_id: str, page: PagingDep
    ) -> s.Page[s.PlanPublic]:
        require_person(user, employee_id, state.org)
        found = store.list_plans(employee_id=employee_id, offset=page.offset, limit=page.limit)
        return s.Page(
            items=[plan_public(d) for d in found.items],
            total=found.total,
            offset=page.offset,
            limit=page.limit,
        )

    @router.get("/plans/{plan_id}", response_model=s.PlanPublic, responses=READ_ERRORS)
    def get_plan(user: CurrentUser, state: StateDep, store: StoreDep, plan_id: str) -> s.PlanPublic:
        return plan_public(visible_plan(user, state, store, plan_id))

    @router.post(
        "/plans/{plan_id}/checkpoints/{checkpoint_id}/{action}",
        response_model=s.PlanPublic,
        responses=WRITE_ERRORS,
    )
    def decide_checkpoint(
        user: CurrentUser,
        state: StateDep,
        store: StoreDep,
        plan_id: str,
        checkpoint_id: CheckpointId,
        action: CheckpointAction,
        body: s.CheckpointDecision,
    ) -> s.PlanPublic:
        """approve (pending -> approved) and return (pending -> returned, saying what to redo)
        by the employee's manager only; resubmit (returned -> pending) by the plan's employee."""
        visible_plan(user, state, store, plan_id)
        step = _STEPS[action]
        return _decide(store, plan_id, lambda p: step(p, checkpoint_id, user.subject, body.comment))

    return router
