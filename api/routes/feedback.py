"""Feedback on any recommendation: accepted, declined, useful or not, a 1-5 rating, a comment."""

import uuid
from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Depends

from api import schemas as s
from api.access import require_role
from api.auth import AccessRole
from api.deps import CurrentUser, Paging, RuntimeDep, StoreDep, paging_for
from api.routes.common import READ_ERRORS, WRITE_ERRORS
from skillgraph.config import Settings
from skillgraph.data.schema import Feedback
from skillgraph.store import Kind
from skillgraph.store.codec import to_doc


def build(settings: Settings) -> APIRouter:
    router = APIRouter(prefix="/v1/feedback", tags=["feedback"])
    PagingDep = Annotated[Paging, Depends(paging_for(settings))]

    @router.post("", response_model=s.FeedbackPublic, status_code=201, responses=WRITE_ERRORS)
    def give_feedback(
        user: CurrentUser, store: StoreDep, runtime: RuntimeDep, body: s.FeedbackCreate
    ) -> s.FeedbackPublic:
        """The giver is the caller; feedback reaches the engine's observed signals."""
        require_role(user, AccessRole.EMPLOYEE, AccessRole.MANAGER, AccessRole.LD_ADMIN)
        feedback = Feedback(
            id=uuid.uuid4().hex,
            employee_id=user.subject,
            target_kind=body.target_kind,
            target_id=body.target_id,
            verdict=body.verdict,
            rating=body.rating,
            comment=body.comment,
            context=body.context,
            created_at=datetime.now(UTC),
        )
        stored = store.upsert_feedback(feedback, create=True)
        runtime.sync()
        return s.FeedbackPublic.model_validate(to_doc(stored.record))

    @router.get("", response_model=s.Page[s.FeedbackPublic], responses=READ_ERRORS)
    def list_feedback(
        user: CurrentUser, store: StoreDep, page: PagingDep
    ) -> s.Page[s.FeedbackPublic]:
        """Admins see all feedback; everyone else the feedback they gave."""
        owner = None if user.is_admin else user.subject
        found = store.page(Kind.FEEDBACK, offset=page.offset, limit=page.limit, owner_id=owner)
        return s.Page(
            items=[s.FeedbackPublic.model_validate(to_doc(f.record)) for f in found.items],
            total=found.total,
            offset=page.offset,
            limit=page.limit,
        )

    return router
