"""A mentoring round: who is mentored, by whom, how, and the rules; validated before anything runs.

`RoundDefinition` is plain data (to_dict / from_dict for the store and the API). `resolve_round`
checks it against the records and returns the cohort, the offers with their round capacity, and
each mentee's open gaps on the round's skills; every problem raises ValidationError with a clear
message before anything is stored or solved.

Capacity of an offer in a round: the round's override (`capacities`) or the offer's capacity,
minus what published matches of other rounds already use (`MatchInputs.used`); with
`max_share_per_mentor` = s it is also at most ceil(s x cohort size) mentees (in group mode:
floor(ceil(s x cohort) / circle_size) circles; a circle takes one unit of an offer's capacity).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, fields
from enum import StrEnum
from typing import Any

from skillgraph.data.schema import Employee, MentorMode, MentorOffer, Records
from skillgraph.errors import ValidationError
from skillgraph.recommend.base import GapReason
from skillgraph.recommend.matching_solver import Objective

MAX_CIRCLE_SIZE = 12
MIN_CIRCLE_SIZE = 2
MAX_DURATION_WEEKS = 104
DEFAULT_TOP_M = 50
DEFAULT_WORKDAY_HOURS = 8.0


class Cadence(StrEnum):
    WEEKLY = "weekly"
    BIWEEKLY = "biweekly"
    MONTHLY = "monthly"


MEETINGS_PER_WEEK = {Cadence.WEEKLY: 1.0, Cadence.BIWEEKLY: 0.5, Cadence.MONTHLY: 12 / 52}


@dataclass(frozen=True)
class PairScore:
    """How well one mentor offer fits one mentee, and why (the gaps covered, with levels)."""

    quality: float  # (0, 1]; 0 or None from a scorer: the offer does not help this mentee
    gaps: tuple[GapReason, ...] = ()
    mentor_levels: Mapping[str, float] = field(default_factory=dict)  # skill id -> mentor level
    signals: Mapping[str, float] = field(default_factory=dict)
    text: str = ""


PairScorer = Callable[[str, str], "PairScore | None"]  # (mentee employee id, offer id)
GapsOf = Callable[[str], Sequence[GapReason]]  # open gaps of an employee (current role)
Shortlist = Callable[[str], Iterable[str]]  # offer ids worth scoring for a mentee


@dataclass(frozen=True)
class MatchInputs:
    """What a round is solved against. `score` is the single notion of pair quality (the mentor
    recommender's); `shortlist` (optional) names the offers worth scoring per mentee, default
    every offer of the round; `used` is capacity already taken by published matches."""

    records: Records
    gaps_of: GapsOf
    score: PairScorer
    shortlist: Shortlist | None = None
    used: Mapping[str, int] = field(default_factory=dict)
    workday_hours: float = DEFAULT_WORKDAY_HOURS


@dataclass(frozen=True)
class RoundDefinition:
    id: str
    name: str = ""
    mentee_ids: tuple[str, ...] = ()  # explicit cohort; empty: everyone with a gap in gap_skills
    gap_skills: tuple[str, ...] = ()  # the round's focus skills (and the cohort rule if no ids)
    offer_ids: tuple[str, ...] | None = None  # None: every available offer
    capacities: Mapping[str, int] = field(default_factory=dict)  # per-offer override
    mode: MentorMode = MentorMode.ONE_ON_ONE
    circle_size: int | None = None  # group mode only
    duration_weeks: int = 12
    cadence: Cadence = Cadence.BIWEEKLY
    cross_department_only: bool = False
    min_overlap_hours: float | None = None
    objective: Objective = Objective.QUALITY
    max_share_per_mentor: float | None = None  # e.g. 0.1: nobody takes more than 10% of the cohort
    top_mentor_share: float | None = None  # the top mentors together take at most this share
    top_mentor_fraction: float = 0.1  # which mentors are "top": this fraction, by demand
    top_m: int = DEFAULT_TOP_M  # candidates kept per mentee (or circle)

    def __post_init__(self) -> None:
        # accept the plain strings and lists of JSON payloads
        object.__setattr__(self, "mode", _enum(MentorMode, self.mode, "mode"))
        object.__setattr__(self, "cadence", _enum(Cadence, self.cadence, "cadence"))
        object.__setattr__(self, "objective", _enum(Objective, self.objective, "objective"))
        for name in ("mentee_ids", "gap_skills"):
            object.__setattr__(self, name, tuple(getattr(self, name)))
        if self.offer_ids is not None:
            object.__setattr__(self, "offer_ids", tuple(self.offer_ids))

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, StrEnum):
                value = value.value
            elif isinstance(value, tuple):
                value = list(value)
            elif isinstance(value, Mapping):
                value = dict(value)
            out[f.name] = value
        return out

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> RoundDefinition:
        """From JSON-like data; unknown keys and wrong types raise ValidationError."""
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(data) - known)
        if unknown:
            raise ValidationError(f"unknown round field(s): {', '.join(unknown)}")
        if not isinstance(data.get("id"), str) or not data["id"]:
            raise ValidationError("a round needs a non-empty string 'id'")
        values: dict[str, Any] = dict(data)
        for name in ("mentee_ids", "gap_skills"):
            values[name] = _str_tuple(data.get(name, ()), name)
        if data.get("offer_ids") is not None:
            values["offer_ids"] = _str_tuple(data["offer_ids"], "offer_ids")
        values["capacities"] = _capacities(data.get("capacities", {}))
        values["mode"] = _enum(MentorMode, data.get("mode", MentorMode.ONE_ON_ONE), "mode")
        values["cadence"] = _enum(Cadence, data.get("cadence", Cadence.BIWEEKLY), "cadence")
        values["objective"] = _enum(
            Objective, data.get("objective", Objective.QUALITY), "objective"
        )
        for name in ("circle_size", "duration_weeks", "top_m"):
            if name in data and data[name] is not None:
                values[name] = _int(data[name], name)
        for name in (
            "min_overlap_hours",
            "max_share_per_mentor",
            "top_mentor_share",
            "top_mentor_fraction",
        ):
            if name in data and data[name] is not None:
                values[name] = _number(data[name], name)
        if "cross_department_only" in data and not isinstance(data["cross_department_only"], bool):
            raise ValidationError("cross_department_only must be true or false")
        if "name" in data and not isinstance(data["name"], str):
            raise ValidationError("name must be a string")
        definition = cls(**values)
        check_definition(definition)
        return definition


@dataclass(frozen=True)
class ResolvedRound:
    """A definition checked against the records: the cohort, the offers and their capacities."""

    definition: RoundDefinition
    mentee_ids: tuple[str, ...]
    gaps: Mapping[str, tuple[GapReason, ...]]  # mentee -> open gaps on the round's skills
    offers: Mapping[str, MentorOffer]  # offers of the round with round capacity > 0
    capacity: Mapping[str, int]  # offer -> units this round (pairs or circles), share cap applied
    free_capacity: Mapping[str, int]  # offer -> units before the share cap
    share_cap: int | None  # per-offer unit cap from max_share_per_mentor

    @property
    def cohort_size(self) -> int:
        return len(self.mentee_ids)


# static checks ----------------------------------------------------------------------------------
def check_definition(d: RoundDefinition) -> None:
    """Everything that can be checked without the records."""
    _check_ids(d)
    _check_mode(d)
    _check_numbers(d)


def _check_ids(d: RoundDefinition) -> None:
    if not d.id.strip():
        raise ValidationError("a round needs a non-empty id")
    seen: set[str] = set()
    for mentee_id in d.mentee_ids:
        if mentee_id in seen:
            raise ValidationError(f"mentee {mentee_id!r} is listed twice in round {d.id!r}")
        seen.add(mentee_id)
    if not d.mentee_ids and not d.gap_skills:
        raise ValidationError(
            "empty cohort: give mentee_ids, or gap_skills to take everyone with a gap on them"
        )
    if d.offer_ids is not None:
        if not d.offer_ids:
            raise ValidationError("offer_ids is empty: no mentor can take part (omit it for all)")
        offers = set()
        for offer_id in d.offer_ids:
            if offer_id in offers:
                raise ValidationError(f"mentor offer {offer_id!r} is listed twice")
            offers.add(offer_id)
        stray = sorted(set(d.capacities) - offers)
        if stray:
            raise ValidationError(f"capacities name offer(s) not in the round: {', '.join(stray)}")
    if len(set(d.gap_skills)) != len(d.gap_skills):
        raise ValidationError("gap_skills lists a skill twice")


def _check_mode(d: RoundDefinition) -> None:
    if d.mode is MentorMode.GROUP:
        if d.circle_size is None:
            raise ValidationError("group mode needs circle_size (mentees per circle)")
        if not MIN_CIRCLE_SIZE <= d.circle_size <= MAX_CIRCLE_SIZE:
            raise ValidationError(
                f"invalid circle size {d.circle_size}: must be between {MIN_CIRCLE_SIZE} "
                f"and {MAX_CIRCLE_SIZE}"
            )
    elif d.circle_size is not None:
        raise ValidationError(f"circle_size is only for group mode, not {d.mode.value}")


def _check_numbers(d: RoundDefinition) -> None:
    if not 1 <= d.duration_weeks <= MAX_DURATION_WEEKS:
        raise ValidationError(f"duration_weeks must be in 1..{MAX_DURATION_WEEKS}")
    if d.top_m < 1:
        raise ValidationError("top_m must be at least 1")
    if d.min_overlap_hours is not None and d.min_overlap_hours < 0:
        raise ValidationError("min_overlap_hours must be >= 0")
    for name in ("max_share_per_mentor", "top_mentor_share"):
        value = getattr(d, name)
        if value is not None and not 0 < value <= 1:
            raise ValidationError(f"{name} must be in (0, 1], got {value}")
    if not 0 < d.top_mentor_fraction < 1:
        raise ValidationError("top_mentor_fraction must be in (0, 1)")
    for offer_id, cap in d.capacities.items():
        if cap < 0:
            raise ValidationError(f"capacity of offer {offer_id!r} must be >= 0, got {cap}")


# resolution against the records -----------------------------------------------------------------
def resolve_round(definition: RoundDefinition, inputs: MatchInputs) -> ResolvedRound:
    """Check the round against the records; ValidationError on anything that cannot run."""
    check_definition(definition)
    records = inputs.records
    _check_known(definition, records, inputs)
    hours = definition.min_overlap_hours
    if hours is not None and hours > inputs.workday_hours:
        raise ValidationError(
            f"min_overlap_hours {hours} exceeds the {inputs.workday_hours}-hour working day: "
            "no pair can ever meet it"
        )
    mentees, gaps = _cohort(definition, inputs)
    offers = _round_offers(definition, records)
    free = {o.id: _free_capacity(definition, o, inputs.used) for o in offers}
    if sum(free.values()) <= 0:
        raise ValidationError(
            f"zero total capacity: the {len(offers)} mentor offer(s) of round "
            f"{definition.id!r} have no free places"
        )
    share_cap = _share_cap(definition, len(mentees))
    capacity = {k: v if share_cap is None else min(v, share_cap) for k, v in free.items()}
    kept = {o.id: o for o in offers if capacity[o.id] > 0}
    return ResolvedRound(
        definition=definition,
        mentee_ids=mentees,
        gaps=gaps,
        offers=kept,
        capacity={k: capacity[k] for k in kept},
        free_capacity={k: free[k] for k in kept},
        share_cap=share_cap,
    )


def _check_known(d: RoundDefinition, records: Records, inputs: MatchInputs) -> None:
    unknown_mentees = [m for m in d.mentee_ids if m not in records.employees]
    if unknown_mentees:
        raise ValidationError(f"unknown employee id(s) in the cohort: {', '.join(unknown_mentees)}")
    unknown_skills = [s for s in d.gap_skills if s not in records.skills]
    if unknown_skills:
        raise ValidationError(f"unknown skill id(s) in gap_skills: {', '.join(unknown_skills)}")
    named = [*(d.offer_ids or ()), *d.capacities]
    unknown_offers = sorted({o for o in named if o not in records.mentors})
    if unknown_offers:
        raise ValidationError(f"unknown mentor offer id(s): {', '.join(unknown_offers)}")
    for offer_id in d.offer_ids or ():
        offer = records.mentors[offer_id]
        mentor = records.employees.get(offer.employee_id)
        if not offer.available or mentor is None or not mentor.active:
            raise ValidationError(f"mentor offer {offer_id!r} is not available")
    bad_used = [k for k, v in inputs.used.items() if v < 0]
    if bad_used:
        raise ValidationError(f"negative capacity in use for offer(s) {', '.join(bad_used)}")


def round_gaps(d: RoundDefinition, gaps: Sequence[GapReason]) -> tuple[GapReason, ...]:
    """The open gaps that count in this round (restricted to gap_skills when given)."""
    wanted = set(d.gap_skills)
    return tuple(g for g in gaps if g.gap > 0 and (not wanted or g.skill_id in wanted))


def _cohort(
    d: RoundDefinition, inputs: MatchInputs
) -> tuple[tuple[str, ...], dict[str, tuple[GapReason, ...]]]:
    records = inputs.records
    if d.mentee_ids:
        mentees = d.mentee_ids
    else:
        mentees = tuple(
            e.id
            for e in sorted(records.employees.values(), key=lambda e: e.id)
            if e.active and round_gaps(d, inputs.gaps_of(e.id))
        )
        if not mentees:
            raise ValidationError(
                f"empty cohort: no active employee has an open gap on {', '.join(d.gap_skills)}"
            )
    gaps = {m: round_gaps(d, inputs.gaps_of(m)) for m in mentees}
    return mentees, gaps


def _round_offers(d: RoundDefinition, records: Records) -> list[MentorOffer]:
    if d.offer_ids is not None:
        return [records.mentors[o] for o in d.offer_ids]
    return [
        o
        for o in sorted(records.mentors.values(), key=lambda o: o.id)
        if o.available and _active(records.employees.get(o.employee_id))
    ]


def _active(employee: Employee | None) -> bool:
    return employee is not None and employee.active


def _free_capacity(d: RoundDefinition, offer: MentorOffer, used: Mapping[str, int]) -> int:
    base = d.capacities.get(offer.id, offer.capacity)
    return max(0, int(base) - int(used.get(offer.id, 0)))


def _share_cap(d: RoundDefinition, cohort_size: int) -> int | None:
    if d.max_share_per_mentor is None:
        return None
    mentees = math.ceil(d.max_share_per_mentor * cohort_size - 1e-9)
    if d.mode is not MentorMode.GROUP:
        return max(1, mentees)
    size = d.circle_size or MIN_CIRCLE_SIZE
    circles = mentees // size
    if circles < 1:
        raise ValidationError(
            f"max_share_per_mentor {d.max_share_per_mentor} of a cohort of {cohort_size} is "
            f"{mentees} mentee(s) per mentor, fewer than one circle of {size}"
        )
    return circles


# parsing helpers --------------------------------------------------------------------------------
def _str_tuple(value: Any, name: str) -> tuple[str, ...]:
    if isinstance(value, str) or not isinstance(value, list | tuple):
        raise ValidationError(f"{name} must be a list of strings")
    if not all(isinstance(v, str) and v for v in value):
        raise ValidationError(f"{name} must be a list of non-empty strings")
    return tuple(value)


def _capacities(value: Any) -> dict[str, int]:
    if not isinstance(value, Mapping):
        raise ValidationError("capacities must map offer ids to numbers of mentees")
    return {str(k): _int(v, f"capacities[{k!r}]") for k, v in value.items()}


def _int(value: Any, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationError(f"{name} must be an integer, got {value!r}")
    return value


def _number(value: Any, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValidationError(f"{name} must be a number, got {value!r}")
    return float(value)


def _enum(kind: type[StrEnum], value: Any, name: str) -> Any:
    try:
        return kind(value)
    except ValueError:
        known = ", ".join(m.value for m in kind)
        raise ValidationError(f"unknown {name} {value!r}; known: {known}") from None
