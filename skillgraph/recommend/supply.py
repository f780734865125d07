"""Mentor supply against mentee demand, per skill, skill group, department and location; the
shortage list ("recruit mentors for X"); and the per-skill deficit across past rounds.

Demand on a skill: the active employees (or the members of a cohort) with an open gap on it;
`demand` weighs each by the gap's importance, `demand_count` counts them.

Supply on a skill: mentor offers that are available, of an active employee, with free places
(capacity minus `used`), whose mentor holds the skill at `min_mentor_level` (default 4,
"advanced: coaches others") or, with min_mentor_level=None, at the highest level the demand
needs; an offer with topics counts only for those skills and the skills under them. `supply` is
their free places (times `mentees_per_place`: the circle size of a group round), `mentors` the
number of distinct mentors. A mentor's places count for every skill they qualify on, so
supplies of different skills do not add up. `mode` and `offer_ids` restrict the supply to the
offers of one mode or of one round.

ratio = supply / demand (None without demand); deficit = max(0, demand - supply).

Skill groups are the broader skills of the ontology (every ancestor through `broader` relations):
demand = employees with a gap on any skill of the group (weighted by their largest importance
there), supply = the free places of the offers qualified on any of those skills (each offer once).
Departments and locations: the demand of their employees against the supply of their mentors.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from skillgraph.data.schema import MentorMode, MentorOffer, Records, RelationKind
from skillgraph.recommend.base import GapReason
from skillgraph.recommend.matching_result import RoundResult

GapsOf = Callable[[str], Sequence[GapReason]]
DEFAULT_MIN_MENTOR_LEVEL = 4.0
TOP_PER_SLICE = 5


@dataclass(frozen=True)
class Balance:
    """Demand and supply on one skill or skill group (within a slice of the company)."""

    skill_id: str
    label: str
    demand_count: int
    demand: float
    mentors: int
    supply: int
    members: tuple[str, ...] = ()  # skill groups: the skills with demand under the group

    @property
    def ratio(self) -> float | None:
        return round(self.supply / self.demand, 4) if self.demand > 0 else None

    @property
    def deficit(self) -> float:
        return round(max(0.0, self.demand - self.supply), 4)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "skill_id": self.skill_id,
            "label": self.label,
            "demand_count": self.demand_count,
            "demand": round(self.demand, 4),
            "mentors": self.mentors,
            "supply": self.supply,
            "ratio": self.ratio,
            "deficit": self.deficit,
        }
        if self.members:
            out["members"] = list(self.members)
        return out


@dataclass(frozen=True)
class Slice:
    """A department or location: its totals and its largest shortages."""

    name: str
    demand_count: int  # employees with at least one open gap
    mentors: int
    supply: int  # free places of its mentors
    shortages: tuple[Balance, ...]  # its skills with a deficit, largest first

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "demand_count": self.demand_count,
            "mentors": self.mentors,
            "supply": self.supply,
            "shortages": [b.to_dict() for b in self.shortages],
        }


@dataclass(frozen=True)
class SupplyDemand:
    by_skill: tuple[Balance, ...]  # largest deficit first
    by_group: tuple[Balance, ...]
    by_department: tuple[Slice, ...]
    by_location: tuple[Slice, ...]
    min_mentor_level: float | None

    @property
    def shortages(self) -> tuple[Balance, ...]:
        return tuple(b for b in self.by_skill if b.deficit > 0)

    def shortage_lines(self) -> list[str]:
        return [shortage_line(b) for b in self.shortages]

    def to_dict(self) -> dict[str, Any]:
        return {
            "min_mentor_level": self.min_mentor_level,
            "by_skill": [b.to_dict() for b in self.by_skill],
            "by_group": [b.to_dict() for b in self.by_group],
            "by_department": [s.to_dict() for s in self.by_department],
            "by_location": [s.to_dict() for s in self.by_location],
            "shortages": [{**b.to_dict(), "message": shortage_line(b)} for b in self.shortages],
        }


def shortage_line(b: Balance) -> str:
    return (
        f"recruit mentors for {b.label}: demand {b.demand:g} ({b.demand_count} people), "
        f"supply {b.supply} places ({b.mentors} mentors), deficit {b.deficit:g}"
    )


@dataclass(frozen=True)
class _Demand:
    employee_id: str
    skill_id: str
    importance: float
    required_level: float


def supply_demand(
    records: Records,
    gaps_of: GapsOf,
    *,
    cohort: Iterable[str] | None = None,
    skills: Iterable[str] | None = None,
    min_mentor_level: float | None = DEFAULT_MIN_MENTOR_LEVEL,
    used: Mapping[str, int] | None = None,
    mode: MentorMode | None = None,
    offer_ids: Collection[str] | None = None,
    mentees_per_place: int = 1,
) -> SupplyDemand:
    """Supply and demand over the company (or a cohort, or some skills); see the module doc.
    `mode` / `offer_ids` count only the offers of that mode / those offers as supply;
    `mentees_per_place` is the circle size of a group round (a place is one circle)."""
    demand = _demand(records, gaps_of, cohort, skills)
    offers = free_places(records, used or {}, mode, offer_ids)
    offers = {o: n * max(1, mentees_per_place) for o, n in offers.items()}
    ancestors = AncestorLookup(records)
    by_skill_rows: dict[str, list[_Demand]] = {}
    for d in demand:
        by_skill_rows.setdefault(d.skill_id, []).append(d)
    qualified = {
        s: _qualified(
            records,
            offers,
            s,
            min_mentor_level or max(d.required_level for d in rows),
            ancestors,
        )
        for s, rows in sorted(by_skill_rows.items())
    }
    by_skill = [_balance(records, s, by_skill_rows[s], qualified[s], offers) for s in qualified]
    return SupplyDemand(
        by_skill=_sorted(by_skill),
        by_group=_sorted(_groups(records, by_skill_rows, qualified, offers, ancestors)),
        by_department=_slices(records, demand, qualified, offers, "department"),
        by_location=_slices(records, demand, qualified, offers, "location"),
        min_mentor_level=min_mentor_level,
    )


def _demand(
    records: Records,
    gaps_of: GapsOf,
    cohort: Iterable[str] | None,
    skills: Iterable[str] | None,
) -> list[_Demand]:
    if cohort is None:
        people = sorted(e.id for e in records.employees.values() if e.active)
    else:
        people = list(dict.fromkeys(cohort))
    wanted = set(skills) if skills is not None else None
    out = []
    for person in people:
        for g in gaps_of(person):
            if g.gap > 0 and (wanted is None or g.skill_id in wanted):
                out.append(_Demand(person, g.skill_id, g.importance, g.required_level))
    return out


def free_places(
    records: Records,
    used: Mapping[str, int],
    mode: MentorMode | None = None,
    offer_ids: Collection[str] | None = None,
) -> dict[str, int]:
    """offer id -> free places, for offers that can take someone now."""
    free = {}
    wanted = None if offer_ids is None else set(offer_ids)
    for offer in records.mentors.values():
        if (wanted is not None and offer.id not in wanted) or (
            mode is not None and mode not in offer.modes
        ):
            continue
        mentor = records.employees.get(offer.employee_id)
        places = offer.capacity - int(used.get(offer.id, 0))
        if offer.available and mentor is not None and mentor.active and places > 0:
            free[offer.id] = places
    return free


def _qualified(
    records: Records,
    offers: Mapping[str, int],
    skill_id: str,
    level: float,
    ancestors: AncestorLookup,
) -> set[str]:
    found = set()
    for offer_id in offers:
        offer = records.mentors[offer_id]
        if not _offers_topic(offer, skill_id, ancestors):
            continue
        mentor = records.employees[offer.employee_id]
        if any(s.skill_id == skill_id and s.level >= level for s in mentor.skills):
            found.add(offer_id)
    return found


def _offers_topic(offer: MentorOffer, skill_id: str, ancestors: AncestorLookup) -> bool:
    if not offer.topics:
        return True
    return bool(set(offer.topics) & ({skill_id} | ancestors(skill_id)))


def _balance(
    records: Records,
    skill_id: str,
    demand: Iterable[_Demand],
    qualified: set[str],
    offers: Mapping[str, int],
    members: tuple[str, ...] = (),
) -> Balance:
    weight: dict[str, float] = {}
    for d in demand:
        weight[d.employee_id] = max(weight.get(d.employee_id, 0.0), d.importance)
    skill = records.skills.get(skill_id)
    return Balance(
        skill_id=skill_id,
        label=skill.label if skill else skill_id,
        demand_count=len(weight),
        demand=sum(weight.values()),
        mentors=len({records.mentors[o].employee_id for o in qualified}),
        supply=sum(offers[o] for o in qualified),
        members=members,
    )


def _groups(
    records: Records,
    by_skill_rows: Mapping[str, list[_Demand]],
    qualified: Mapping[str, set[str]],
    offers: Mapping[str, int],
    ancestors: AncestorLookup,
) -> list[Balance]:
    members: dict[str, set[str]] = {}
    for skill_id in qualified:
        for group in ancestors(skill_id):
            members.setdefault(group, set()).add(skill_id)
    out = []
    for group, skills in sorted(members.items()):
        rows = [d for s in sorted(skills) for d in by_skill_rows[s]]
        offer_ids = set().union(*(qualified[s] for s in skills))
        out.append(_balance(records, group, rows, offer_ids, offers, tuple(sorted(skills))))
    return out


def _slices(
    records: Records,
    demand: Sequence[_Demand],
    qualified: Mapping[str, set[str]],
    offers: Mapping[str, int],
    attribute: str,
) -> tuple[Slice, ...]:
    def where(employee_id: str) -> str:
        return str(getattr(records.employees[employee_id], attribute)) or "(unknown)"

    def offer_where(offer_id: str) -> str:
        return where(records.mentors[offer_id].employee_id)

    names = sorted({where(d.employee_id) for d in demand} | {offer_where(o) for o in offers})
    out = []
    for name in names:
        rows = [d for d in demand if where(d.employee_id) == name]
        local = {o: n for o, n in offers.items() if offer_where(o) == name}
        balances = [
            _balance(
                records,
                s,
                [d for d in rows if d.skill_id == s],
                qualified[s] & set(local),
                local,
            )
            for s in sorted({d.skill_id for d in rows})
        ]
        out.append(
            Slice(
                name=name,
                demand_count=len({d.employee_id for d in rows}),
                mentors=len({records.mentors[o].employee_id for o in local}),
                supply=sum(local.values()),
                shortages=_sorted([b for b in balances if b.deficit > 0])[:TOP_PER_SLICE],
            )
        )
    return tuple(sorted(out, key=lambda s: (-sum(b.deficit for b in s.shortages), s.name)))


def _sorted(balances: Iterable[Balance]) -> tuple[Balance, ...]:
    return tuple(sorted(balances, key=lambda b: (-b.deficit, -b.demand, b.skill_id)))


class AncestorLookup:
    """Every broader skill above a skill (transitive), from the records' relations; memoised."""

    def __init__(self, records: Records) -> None:
        self._parents: dict[str, list[str]] = {}
        for rel in records.relations:
            if rel.kind is RelationKind.BROADER:
                self._parents.setdefault(rel.source, []).append(rel.target)
        self._memo: dict[str, frozenset[str]] = {}

    def __call__(self, skill_id: str) -> frozenset[str]:
        if skill_id not in self._memo:
            seen: set[str] = set()
            stack = list(self._parents.get(skill_id, ()))
            while stack:
                node = stack.pop()
                if node not in seen:
                    seen.add(node)
                    stack.extend(self._parents.get(node, ()))
            self._memo[skill_id] = frozenset(seen)
        return self._memo[skill_id]


# trends across rounds ---------------------------------------------------------------------------
@dataclass(frozen=True)
class TrendPoint:
    round_id: str
    demand: int  # cohort mentees with a gap on the skill
    covered: int  # of them, matched to a mentor who covers it
    deficit: int  # demand - covered

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass(frozen=True)
class SkillTrend:
    skill_id: str
    label: str
    points: tuple[TrendPoint, ...]  # in the order of the rounds given

    @property
    def change(self) -> int:
        """Deficit of the last round minus that of the first (negative: improving)."""
        return self.points[-1].deficit - self.points[0].deficit if self.points else 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "skill_id": self.skill_id,
            "label": self.label,
            "points": [p.to_dict() for p in self.points],
            "change": self.change,
        }


def deficit_trends(
    results: Sequence[RoundResult | Mapping[str, Any]], records: Records | None = None
) -> list[SkillTrend]:
    """Per skill, per round (oldest first): demand, covered and deficit; largest last deficit
    first. Rounds are RoundResults or their to_dict() (as the store keeps them)."""
    rounds = [r if isinstance(r, RoundResult) else RoundResult.from_dict(r) for r in results]
    skills = sorted({s for r in rounds for gaps in r.mentee_gaps.values() for s in gaps})
    trends = []
    for skill_id in skills:
        points = tuple(_trend_point(r, skill_id) for r in rounds)
        skill = records.skills.get(skill_id) if records is not None else None
        trends.append(SkillTrend(skill_id, skill.label if skill else skill_id, points))
    return sorted(trends, key=lambda t: (-t.points[-1].deficit, -t.change, t.skill_id))


def _trend_point(result: RoundResult, skill_id: str) -> TrendPoint:
    needing = [m for m, gaps in result.mentee_gaps.items() if skill_id in gaps]
    covered = 0
    for mentee_id in needing:
        match = result.match_of(mentee_id)
        if match is not None and any(g.skill_id == skill_id for g in match.gaps):
            covered += 1
    return TrendPoint(result.round_id, len(needing), covered, len(needing) - covered)
