"""Learning items of the catalogue (read by all, written by L&D admins)."""

import dataclasses
from typing import Annotated

from fastapi import APIRouter, Depends, Response, status

from api import convert
from api import schemas as s
from api.deps import AdminUser, CurrentUser, Paging, RuntimeDep, StoreDep, paging_for
from api.routes.common import READ_ERRORS, WRITE_ERRORS, IfMatch, if_match_version
from skillgraph.config import Settings
from skillgraph.data.schema import LearningItem
from skillgraph.store import Kind
from skillgraph.store.codec import from_doc, to_doc


def _item_doc(
    changes: dict[str, object], base: dict[str, object] | None = None
) -> dict[str, object]:
    if "prerequisites" in changes and isinstance(changes["prerequisites"], list):
        changes["prerequisites"] = [
            {**req, "provenance": "declared"} for req in changes["prerequisites"]
        ]
    return {**(base or {}), **changes}


def build(settings: Settings) -> APIRouter:
    router = APIRouter(prefix="/v1/learning-items", tags=["learning items"])
    PagingDep = Annotated[Paging, Depends(paging_for(settings))]

    @router.get("", response_model=s.Page[s.LearningItemRecord], responses=READ_ERRORS)
    def list_items(
        user: CurrentUser, store: StoreDep, page: PagingDep
    ) -> s.Page[s.LearningItemRecord]:
        found = store.page(Kind.ITEM, offset=page.offset, limit=page.limit)
        return s.Page(
            items=[convert.item_record(i) for i in found.items],
            total=found.total,
            offset=page.offset,
            limit=page.limit,
        )

    @router.get("/{item_id}", response_model=s.LearningItemRecord, responses=READ_ERRORS)
    def get_item(user: CurrentUser, store: StoreDep, item_id: str) -> s.LearningItemRecord:
        return convert.item_record(store.get(Kind.ITEM, item_id))

    @router.post("", response_model=s.LearningItemRecord, status_code=201, responses=WRITE_ERRORS)
    def create_item(
        user: AdminUser, store: StoreDep, runtime: RuntimeDep, body: s.LearningItemCreate
    ) -> s.LearningItemRecord:
        item = from_doc(LearningItem, _item_doc(body.model_dump(mode="json")))
        stored = store.upsert_item(item, create=True)
        runtime.sync()
        return convert.item_record(stored)

    @router.patch("/{item_id}", response_model=s.LearningItemRecord, responses=WRITE_ERRORS)
    def update_item(
        user: AdminUser,
        store: StoreDep,
        runtime: RuntimeDep,
        item_id: str,
        body: s.LearningItemUpdate,
        if_match: IfMatch = None,
    ) -> s.LearningItemRecord:
        current = store.get(Kind.ITEM, item_id)
        item = from_doc(LearningItem, _item_doc(body.changes(), to_doc(current.record)))
        stored = store.upsert_item(
            dataclasses.replace(item, id=item_id),
            expected_version=if_match_version(if_match) or current.version,
        )
        runtime.sync()
        return convert.item_record(stored)

    @router.delete("/{item_id}", status_code=status.HTTP_204_NO_CONTENT, responses=WRITE_ERRORS)
    def delete_item(
        user: AdminUser, store: StoreDep, runtime: RuntimeDep, item_id: str
    ) -> Response:
        store.delete(Kind.ITEM, item_id)
        runtime.sync()
        return Response(status_code=status.HTTP_204_NO_CONTENT)

    return router
