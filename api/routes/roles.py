"""Roles with their skill profiles (declared, or inferred by the engine when none was given)."""

import dataclasses
from typing import Annotated

from fastapi import APIRouter, Depends, Query, status

from api import convert
from api import schemas as s
from api.deps import AdminUser, CurrentUser, Paging, RuntimeDep, StateDep, StoreDep, paging_for
from api.routes.common import READ_ERRORS, WRITE_ERRORS, IfMatch, if_match_version
from skillgraph.config import Settings
from skillgraph.data.schema import Role
from skillgraph.store import Kind
from skillgraph.store.codec import from_doc, to_doc


def _role_doc(body: s.RequestModel, base: dict[str, object] | None = None) -> dict[str, object]:
    changes = body.changes()
    if "requirements" in changes:
        changes["requirements"] = [
            {**req, "provenance": "declared"} for req in changes["requirements"]
        ]
    return {**(base or {}), **changes}


def build(settings: Settings) -> APIRouter:
    router = APIRouter(prefix="/v1/roles", tags=["roles"])
    PagingDep = Annotated[Paging, Depends(paging_for(settings))]

    @router.get("", response_model=s.Page[s.RolePublic], responses=READ_ERRORS)
    def list_roles(
        user: CurrentUser,
        state: StateDep,
        page: PagingDep,
        q: Annotated[
            str | None, Query(min_length=1, max_length=200, description="title or meaning")
        ] = None,
        family: Annotated[str | None, Query(max_length=200)] = None,
        min_score: Annotated[
            float | None,
            Query(ge=-1.0, le=1.0, description="with q: drop meaning matches below this cosine"),
        ] = None,
    ) -> s.Page[s.RolePublic]:
        records = state.engine.records
        roles = [r for r in records.roles.values() if family is None or r.family == family]
        if q is None:
            ordered = sorted(roles, key=lambda r: r.id)
        else:
            allowed = {r.id for r in roles}
            needle = q.casefold()
            titled = [
                r.id
                for r in sorted(roles, key=lambda r: r.title)
                if needle in r.title.casefold() or any(needle in t.casefold() for t in r.alt_titles)
            ]
            wanted = min(len(allowed), page.offset + page.limit)
            semantic = [
                rid
                for rid, score in state.engine.search_roles(q, k=max(wanted, 1))
                if min_score is None or score >= min_score
            ]
            ids = list(dict.fromkeys([*titled, *(r for r in semantic if r in allowed)]))
            ordered = [records.roles[rid] for rid in ids]
        window = ordered[page.offset : page.offset + page.limit]
        items = [s.RolePublic.model_validate(convert.role_public(r, records)) for r in window]
        return s.Page(items=items, total=len(ordered), offset=page.offset, limit=page.limit)

    @router.get("/{role_id}", response_model=s.RoleRecord, responses=READ_ERRORS)
    def get_role(user: CurrentUser, store: StoreDep, state: StateDep, role_id: str) -> s.RoleRecord:
        """The role and its skill profile (levels, importance, declared or inferred)."""
        return convert.role_record(store.get(Kind.ROLE, role_id), state.engine.records)

    @router.post(
        "",
        response_model=s.RoleRecord,
        status_code=status.HTTP_201_CREATED,
        responses=WRITE_ERRORS,
    )
    def create_role(
        user: AdminUser, store: StoreDep, runtime: RuntimeDep, body: s.RoleCreate
    ) -> s.RoleRecord:
        role = from_doc(Role, {**_role_doc(body), "source": "company"})
        stored = store.upsert_role(role, create=True)
        runtime.sync()
        return convert.role_record(stored, runtime.current().engine.records)

    @router.patch("/{role_id}", response_model=s.RoleRecord, responses=WRITE_ERRORS)
    def update_role(
        user: AdminUser,
        store: StoreDep,
        runtime: RuntimeDep,
        role_id: str,
        body: s.RoleUpdate,
        if_match: IfMatch = None,
    ) -> s.RoleRecord:
        current = store.get(Kind.ROLE, role_id)
        role = from_doc(Role, _role_doc(body, to_doc(current.record)))
        stored = store.upsert_role(
            dataclasses.replace(role, id=role_id),
            expected_version=if_match_version(if_match) or current.version,
        )
        runtime.sync()
        return convert.role_record(stored, runtime.current().engine.records)

    return router
