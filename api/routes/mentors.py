"""Mentor offers: people offering to mentor, on which topics, in which modes, how many."""

import dataclasses
from typing import Annotated

from fastapi import APIRouter, Depends, Response, status

from api import convert
from api import schemas as s
from api.auth import AccessRole, Principal
from api.deps import CurrentUser, Paging, RuntimeDep, StoreDep, paging_for
from api.routes.common import READ_ERRORS, WRITE_ERRORS, IfMatch, if_match_version
from skillgraph.config import Settings
from skillgraph.data.schema import MentorOffer
from skillgraph.errors import PermissionDeniedError
from skillgraph.store import Kind
from skillgraph.store.codec import from_doc, to_doc


def _require_owner(user: Principal, employee_id: str) -> None:
    """An offer is made by the mentor themself, or by an L&D admin for them."""
    if user.is_admin:
        return
    if user.role is AccessRole.SERVICE or user.subject != employee_id:
        raise PermissionDeniedError("only the mentor or an L&D admin can change a mentor offer")


def build(settings: Settings) -> APIRouter:
    router = APIRouter(prefix="/v1/mentors", tags=["mentors"])
    PagingDep = Annotated[Paging, Depends(paging_for(settings))]

    @router.get("", response_model=s.Page[s.MentorOfferRecord], responses=READ_ERRORS)
    def list_offers(
        user: CurrentUser, store: StoreDep, page: PagingDep, employee_id: str | None = None
    ) -> s.Page[s.MentorOfferRecord]:
        found = store.page(Kind.MENTOR, offset=page.offset, limit=page.limit, owner_id=employee_id)
        load = store.offer_load()
        return s.Page(
            items=[convert.mentor_record(o, load) for o in found.items],
            total=found.total,
            offset=page.offset,
            limit=page.limit,
        )

    @router.get("/{offer_id}", response_model=s.MentorOfferRecord, responses=READ_ERRORS)
    def get_offer(user: CurrentUser, store: StoreDep, offer_id: str) -> s.MentorOfferRecord:
        return convert.mentor_record(store.get(Kind.MENTOR, offer_id), store.offer_load())

    @router.post("", response_model=s.MentorOfferRecord, status_code=201, responses=WRITE_ERRORS)
    def create_offer(
        user: CurrentUser, store: StoreDep, runtime: RuntimeDep, body: s.MentorOfferCreate
    ) -> s.MentorOfferRecord:
        _require_owner(user, body.employee_id)
        stored = store.upsert_mentor(
            from_doc(MentorOffer, body.model_dump(mode="json")), create=True
        )
        runtime.sync()
        return convert.mentor_record(stored, store.offer_load())

    @router.patch("/{offer_id}", response_model=s.MentorOfferRecord, responses=WRITE_ERRORS)
    def update_offer(
        user: CurrentUser,
        store: StoreDep,
        runtime: RuntimeDep,
        offer_id: str,
        body: s.MentorOfferUpdate,
        if_match: IfMatch = None,
    ) -> s.MentorOfferRecord:
        current = store.get(Kind.MENTOR, offer_id)
        _require_owner(user, current.record.employee_id)
        offer = from_doc(MentorOffer, {**to_doc(current.record), **body.changes()})
        stored = store.upsert_mentor(
            dataclasses.replace(offer, id=offer_id),
            expected_version=if_match_version(if_match) or current.version,
        )
        runtime.sync()
        return convert.mentor_record(stored, store.offer_load())

    @router.delete("/{offer_id}", status_code=status.HTTP_204_NO_CONTENT, responses=WRITE_ERRORS)
    def delete_offer(
        user: CurrentUser, store: StoreDep, runtime: RuntimeDep, offer_id: str
    ) -> Response:
        current = store.get(Kind.MENTOR, offer_id)
        _require_owner(user, current.record.employee_id)
        store.delete(Kind.MENTOR, offer_id)
        runtime.sync()
        return Response(status_code=status.HTTP_204_NO_CONTENT)

    return router
