"""Records and engine answers into response bodies; request bodies into records."""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping
from datetime import date, datetime
from enum import Enum
from typing import Any

from api import schemas as s
from skillgraph.data.schema import (
    Employee,
    LearningItem,
    MentorOffer,
    Records,
    Role,
    Skill,
    level_name,
)
from skillgraph.store import Stored
from skillgraph.store.codec import to_doc


def jsonable(value: Any) -> Any:
    """Plain JSON data from dataclasses, enums, dates, tuples, sets and numpy scalars."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime | date):
        return value.isoformat()
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        to_dict = getattr(value, "to_dict", None)
        if callable(to_dict):
            return jsonable(to_dict())
        return {f.name: jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Mapping):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    if isinstance(value, set | frozenset):
        return sorted(jsonable(v) for v in value)
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if hasattr(value, "item") and callable(value.item):  # numpy scalar
        return jsonable(value.item())
    return value


def _versioned(stored: Stored[Any]) -> dict[str, Any]:
    return {"version": stored.version, "updated_at": stored.updated_at}


def _label(records: Records, skill_id: str) -> str:
    skill = records.skills.get(skill_id)
    return skill.label if skill else skill_id


def skill_public(skill: Skill) -> s.SkillPublic:
    return s.SkillPublic.model_validate(to_doc(skill))


def skill_record(stored: Stored[Skill]) -> s.SkillRecord:
    return s.SkillRecord.model_validate({**to_doc(stored.record), **_versioned(stored)})


def role_public(role: Role, records: Records) -> dict[str, Any]:
    doc = to_doc(role)
    doc["profile_inferred"] = role.profile_inferred
    doc["requirements"] = [
        {
            **to_doc(req),
            "label": _label(records, req.skill_id),
            "level_name": level_name(req.level),
        }
        for req in role.requirements
    ]
    return doc


def role_record(stored: Stored[Role], records: Records) -> s.RoleRecord:
    """The stored role; its profile is the engine's (inferred) one when none was declared."""
    role = stored.record
    engine_role = records.roles.get(role.id)
    if not role.requirements and engine_role is not None:
        role = dataclasses.replace(role, requirements=engine_role.requirements)
    return s.RoleRecord.model_validate({**role_public(role, records), **_versioned(stored)})


def employee_public(emp: Employee, records: Records) -> dict[str, Any]:
    doc = to_doc(emp)
    role = records.roles.get(emp.role_id)
    doc["role_title"] = role.title if role else ""
    doc["skills"] = [
        {**to_doc(sk), "label": _label(records, sk.skill_id), "level_name": level_name(sk.level)}
        for sk in emp.skills
    ]
    return doc


def employee_record(stored: Stored[Employee], records: Records) -> s.EmployeeRecord:
    return s.EmployeeRecord.model_validate(
        {**employee_public(stored.record, records), **_versioned(stored)}
    )


def mentor_record(stored: Stored[MentorOffer], load: Mapping[str, int]) -> s.MentorOfferRecord:
    return s.MentorOfferRecord.model_validate(
        {**to_doc(stored.record), **_versioned(stored), "load": load.get(stored.record.id, 0)}
    )


def item_record(stored: Stored[LearningItem]) -> s.LearningItemRecord:
    return s.LearningItemRecord.model_validate({**to_doc(stored.record), **_versioned(stored)})


def recommendation(rec: Any) -> dict[str, Any]:
    data: dict[str, Any] = jsonable(rec)
    return data


def query_echo(**values: Any) -> dict[str, Any]:
    return {k: jsonable(v) for k, v in values.items() if v not in (None, (), [], {})}
