"""Employees: profiles with skills and role history; erasure removes a person everywhere."""

import dataclasses
from typing import Annotated

import pydantic
from fastapi import APIRouter, Depends, Query

from api import convert
from api import schemas as s
from api.access import require_person
from api.auth import AccessRole
from api.deps import (
    AdminUser,
    CurrentUser,
    Paging,
    RuntimeDep,
    StateDep,
    StoreDep,
    paging_for,
)
from api.routes.common import READ_ERRORS, WRITE_ERRORS, IfMatch, if_match_version
from skillgraph.config import Settings
from skillgraph.data.schema import Employee
from skillgraph.errors import PermissionDeniedError, ValidationError
from skillgraph.store import Kind
from skillgraph.store.codec import from_doc, to_doc


def build(settings: Settings) -> APIRouter:
    router = APIRouter(prefix="/v1/employees", tags=["employees"])
    PagingDep = Annotated[Paging, Depends(paging_for(settings))]

    @router.get("", response_model=s.Page[s.EmployeeRecord], responses=READ_ERRORS)
    def list_employees(
        user: CurrentUser,
        state: StateDep,
        store: StoreDep,
        page: PagingDep,
        q: Annotated[str | None, Query(min_length=1, max_length=200)] = None,
        department: Annotated[str | None, Query(max_length=300)] = None,
        role_id: Annotated[str | None, Query(max_length=300)] = None,
    ) -> s.Page[s.EmployeeRecord]:
        """People the caller may see: admins everyone, managers themselves and their reports."""
        if user.role is AccessRole.SERVICE:
            raise PermissionDeniedError("service accounts read recommendations, not profiles")
        records = state.engine.records
        visible: list[Employee]
        if user.is_admin:
            visible = list(records.employees.values())
        else:
            ids = {user.subject} | (
                state.org.reports(user.subject) if user.role is AccessRole.MANAGER else set()
            )
            visible = [records.employees[i] for i in ids if i in records.employees]
        needle = q.casefold() if q else None
        chosen = sorted(
            e.id
            for e in visible
            if (needle is None or needle in e.name.casefold() or needle in e.id.casefold())
            and (department is None or e.department == department)
            and (role_id is None or e.role_id == role_id)
        )
        window = chosen[page.offset : page.offset + page.limit]
        stored = store.get_many(Kind.EMPLOYEE, window)
        items = [convert.employee_record(stored[i], records) for i in window if i in stored]
        return s.Page(items=items, total=len(chosen), offset=page.offset, limit=page.limit)

    @router.get("/{employee_id}", response_model=s.EmployeeRecord, responses=READ_ERRORS)
    def get_employee(
        user: CurrentUser, state: StateDep, store: StoreDep, employee_id: str
    ) -> s.EmployeeRecord:
        require_person(user, employee_id, state.org)
        return convert.employee_record(store.get(Kind.EMPLOYEE, employee_id), state.engine.records)

    @router.post("", response_model=s.EmployeeRecord, status_code=201, responses=WRITE_ERRORS)
    def create_employee(
        user: AdminUser, store: StoreDep, runtime: RuntimeDep, body: s.EmployeeCreate
    ) -> s.EmployeeRecord:
        stored = store.upsert_employee(
            from_doc(Employee, body.model_dump(mode="json")), create=True
        )
        runtime.sync()
        return convert.employee_record(stored, runtime.current().engine.records)

    @router.patch("/{employee_id}", response_model=s.EmployeeRecord, responses=WRITE_ERRORS)
    def update_employee(
        user: CurrentUser,
        state: StateDep,
        store: StoreDep,
        runtime: RuntimeDep,
        employee_id: str,
        body: s.EmployeeUpdate,
        if_match: IfMatch = None,
    ) -> s.EmployeeRecord:
        """Admins change any field; a person (or their manager) only EmployeeSelfUpdate's
        fields: role, manager, department, name and active are refused with 422."""
        require_person(user, employee_id, state.org)
        changes = body.changes()
        if not user.is_admin:
            try:
                s.EmployeeSelfUpdate.model_validate(body.model_dump(exclude_unset=True))
            except pydantic.ValidationError:
                allowed = set(s.EmployeeSelfUpdate.model_fields)
                refused = sorted(set(body.model_fields_set) - allowed)
                raise ValidationError(
                    f"field(s) {', '.join(refused)} may be changed only by an L&D admin"
                ) from None
        current = store.get(Kind.EMPLOYEE, employee_id)
        employee = from_doc(Employee, {**to_doc(current.record), **changes})
        stored = store.upsert_employee(
            dataclasses.replace(employee, id=employee_id),
            expected_version=if_match_version(if_match) or current.version,
        )
        runtime.sync()
        return convert.employee_record(stored, runtime.current().engine.records)

    @router.delete("/{employee_id}", response_model=s.ErasureReceiptPublic, responses=WRITE_ERRORS)
    def erase_employee(
        user: AdminUser,
        store: StoreDep,
        runtime: RuntimeDep,
        employee_id: str,
        erase: Annotated[
            bool,
            Query(description="must be true: removes the person from every table and index"),
        ] = False,
    ) -> s.ErasureReceiptPublic:
        """Erase a person (right to erasure). To only deactivate, PATCH active=false."""
        if not erase:
            raise ValidationError(
                "pass erase=true to erase the person everywhere; to deactivate, PATCH active=false"
            )
        receipt = store.erase_employee(employee_id)
        runtime.sync()
        runtime.persist()
        return s.ErasureReceiptPublic(
            id=receipt.id,
            subject_digest=receipt.subject_digest,
            at=receipt.at,
            revision=receipt.revision,
            removed=receipt.removed,
            updated=receipt.updated,
            engine="removed from every index and the embedding cache; saved indexes rewritten",
        )

    return router
