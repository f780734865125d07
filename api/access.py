"""Who may see whom: employees themselves, managers their reports, L&D admins everyone."""

from __future__ import annotations

from collections.abc import Mapping

from api.auth import AccessRole, Principal
from skillgraph.data.schema import Employee
from skillgraph.errors import PermissionDeniedError


class OrgChart:
    """The reporting lines of one set of employees; reports are direct and indirect."""

    def __init__(self, employees: Mapping[str, Employee]) -> None:
        self._children: dict[str, list[str]] = {}
        for emp in employees.values():
            if emp.manager_id is not None:
                self._children.setdefault(emp.manager_id, []).append(emp.id)
        self._reports: dict[str, frozenset[str]] = {}

    def reports(self, manager_id: str) -> frozenset[str]:
        cached = self._reports.get(manager_id)
        if cached is not None:
            return cached
        seen: set[str] = set()
        stack = list(self._children.get(manager_id, ()))
        while stack:
            current = stack.pop()
            if current in seen or current == manager_id:
                continue
            seen.add(current)
            stack.extend(self._children.get(current, ()))
        result = frozenset(seen)
        self._reports[manager_id] = result
        return result


def may_see_person(principal: Principal, employee_id: str, org: OrgChart) -> bool:
    """Profile and personal recommendations: self, a manager's reports, admins."""
    if principal.role is AccessRole.LD_ADMIN:
        return True
    if principal.subject == employee_id:
        return principal.role in (AccessRole.EMPLOYEE, AccessRole.MANAGER)
    if principal.role is AccessRole.MANAGER:
        return employee_id in org.reports(principal.subject)
    return False


def require_person(principal: Principal, employee_id: str, org: OrgChart) -> None:
    if not may_see_person(principal, employee_id, org):
        raise PermissionDeniedError(
            "you may access only your own records and those of people who report to you"
        )


def require_recommendations(principal: Principal, employee_id: str, org: OrgChart) -> None:
    """Recommendations for a person: as for the profile, plus service accounts."""
    if principal.role is AccessRole.SERVICE:
        return
    require_person(principal, employee_id, org)


def require_role(principal: Principal, *roles: AccessRole) -> None:
    if principal.role not in roles:
        allowed = ", ".join(r.value for r in roles)
        raise PermissionDeniedError(f"this needs one of the roles: {allowed}")


def require_admin(principal: Principal) -> None:
    require_role(principal, AccessRole.LD_ADMIN)
