"""Hard rules of a round and the sparse candidate set: for each mentee, the eligible offers with a
positive quality, best first, at most `top_m`.

Hard rules, checked in this order (the first that fails is the reason an offer is excluded):

1. never oneself, one's own manager or one's direct report (always on);
2. the mode: the offer lists the round's mode; one_on_one needs a more senior mentor, peer one
   within a seniority level, reverse a more junior one (unknown seniority 0 passes one_on_one
   and peer, never reverse); group needs max_group_size >= circle size;
3. cross_department_only: both departments known and different;
4. min_overlap_hours: shared working hours (mentors.overlap_hours) at least that.

Then the pair is scored (`MatchInputs.score`); no score or quality <= 0: the offer does not
help. Reverse mode also needs the mentor stronger than the mentee on every covered gap.

When a mentee keeps no candidate, the offers a rule excluded are scored too, to say which rule
kept away mentors who would have helped (the rule excluding the most of them).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass

from skillgraph.data.schema import Employee, MentorMode, MentorOffer, Records
from skillgraph.recommend.base import GapReason
from skillgraph.recommend.matching_result import UnmatchedReason
from skillgraph.recommend.matching_round import (
    MatchInputs,
    PairScore,
    ResolvedRound,
    RoundDefinition,
)
from skillgraph.recommend.mentors import may_mentor, overlap_hours

EPSILON = 1e-9


@dataclass(frozen=True)
class Candidate:
    offer_id: str
    score: PairScore


@dataclass(frozen=True)
class Exclusion:
    reason: UnmatchedReason
    detail: str


def seniority(records: Records, employee: Employee) -> int:
    role = records.roles.get(employee.role_id)
    return role.seniority if role is not None else 0


class RoundRules:
    """The hard rules of one round, with what depends on the offer alone worked out once."""

    def __init__(self, resolved: ResolvedRound, inputs: MatchInputs) -> None:
        self.definition = resolved.definition
        self.records = inputs.records
        self.workday_hours = inputs.workday_hours
        self._mentor: dict[str, Employee] = {}
        self._seniority: dict[str, int] = {}
        self._offer_problem: dict[str, str | None] = {}
        for offer_id, offer in resolved.offers.items():
            mentor = self.records.employees[offer.employee_id]
            self._mentor[offer_id] = mentor
            self._seniority[offer_id] = seniority(self.records, mentor)
            self._offer_problem[offer_id] = _offer_problem(self.definition, offer)

    def violation(self, mentee: Employee, offer_id: str) -> Exclusion | None:
        """The first hard rule the pair breaks, or None."""
        mentor = self._mentor[offer_id]
        if not may_mentor(mentor, mentee):
            who = "oneself" if mentor.id == mentee.id else "own manager or direct report"
            return Exclusion(UnmatchedReason.SELF_OR_MANAGER, f"{offer_id} is {who}")
        problem = self._offer_problem[offer_id] or _seniority_problem(
            self.definition.mode, self._seniority[offer_id], seniority(self.records, mentee)
        )
        if problem is not None:
            return Exclusion(UnmatchedReason.MODE_RULE, f"{offer_id}: {problem}")
        d = self.definition
        if d.cross_department_only and (
            not mentor.department or not mentee.department or mentor.department == mentee.department
        ):
            return Exclusion(
                UnmatchedReason.CROSS_DEPARTMENT,
                f"{offer_id} is in department {mentor.department or '(unknown)'}",
            )
        if d.min_overlap_hours is not None:
            hours = overlap_hours(mentor.utc_offset, mentee.utc_offset, self.workday_hours)
            if hours + EPSILON < d.min_overlap_hours:
                return Exclusion(
                    UnmatchedReason.TIME_ZONE,
                    f"{offer_id} shares {hours:g} h < {d.min_overlap_hours:g} h",
                )
        return None


def rule_violation(
    resolved: ResolvedRound,
    inputs: MatchInputs,
    mentee: Employee,
    offer: MentorOffer,
) -> Exclusion | None:
    """The first hard rule the pair breaks, or None (for one-off checks of a pair)."""
    one = ResolvedRound(
        resolved.definition, (), {}, {offer.id: offer}, {offer.id: 1}, {offer.id: 1}, None
    )
    return RoundRules(one, inputs).violation(mentee, offer.id)


def usable_capacity(resolved: ResolvedRound) -> dict[str, int]:
    """The round's places on offers that can take part at all (they offer the round's mode and,
    for circles, take groups of its size): what utilisation and exposure are measured against."""
    d = resolved.definition
    return {
        offer_id: places
        for offer_id, places in resolved.capacity.items()
        if _offer_problem(d, resolved.offers[offer_id]) is None
    }


def _offer_problem(d: RoundDefinition, offer: MentorOffer) -> str | None:
    if d.mode not in offer.modes:
        return f"does not offer {d.mode.value.replace('_', '-')} mentoring"
    size = d.circle_size if d.mode is MentorMode.GROUP else None
    if size is not None and offer.max_group_size < size:
        return f"takes groups of at most {offer.max_group_size}"
    return None


def _seniority_problem(mode: MentorMode, mine: int, theirs: int) -> str | None:
    known = mine > 0 and theirs > 0
    if mode is MentorMode.ONE_ON_ONE and known and mine <= theirs:
        return "not more senior than the mentee"
    if mode is MentorMode.PEER and known and abs(mine - theirs) > 1:
        return "not within one seniority level"
    if mode is MentorMode.REVERSE and (not known or mine >= theirs):
        return "not more junior than the mentee" if known else "seniority unknown"
    return None


def helps(mode: MentorMode, score: PairScore | None) -> bool:
    """A positive quality; in reverse mode, stronger than the mentee on every covered gap."""
    if score is None or score.quality <= EPSILON:
        return False
    if mode is MentorMode.REVERSE and score.mentor_levels:
        return all(
            score.mentor_levels.get(g.skill_id, 0.0) > g.current_level + EPSILON for g in score.gaps
        )
    return True


def mentee_candidates(
    rules: RoundRules,
    resolved: ResolvedRound,
    inputs: MatchInputs,
    mentee_id: str,
    offer_ids: Collection[str],
    excluded: Collection[tuple[str, str]] = (),
) -> tuple[list[Candidate], Exclusion | None]:
    """The mentee's candidates (best first, at most top_m) and, when there is none, why."""
    mentee = inputs.records.employees[mentee_id]
    mode = resolved.definition.mode
    kept: list[Candidate] = []
    ruled_out: list[tuple[str, Exclusion]] = []
    for offer_id in _to_try(resolved, inputs, mentee_id, offer_ids):
        if (mentee_id, offer_id) in excluded:
            continue
        violation = rules.violation(mentee, offer_id)
        if violation is not None:
            ruled_out.append((offer_id, violation))
            continue
        score = inputs.score(mentee_id, offer_id)
        if score is not None and helps(mode, score):
            kept.append(Candidate(offer_id, score))
    kept.sort(key=lambda c: (-c.score.quality, c.offer_id))
    if kept:
        return kept[: resolved.definition.top_m], None
    return [], _why_none(resolved, inputs, mentee_id, ruled_out)


def _to_try(
    resolved: ResolvedRound, inputs: MatchInputs, mentee_id: str, offer_ids: Collection[str]
) -> list[str]:
    if inputs.shortlist is None:
        return sorted(offer_ids)
    wanted = dict.fromkeys(inputs.shortlist(mentee_id))
    return [o for o in wanted if o in offer_ids]


def _why_none(
    resolved: ResolvedRound,
    inputs: MatchInputs,
    mentee_id: str,
    ruled_out: Iterable[tuple[str, Exclusion]],
) -> Exclusion:
    mode = resolved.definition.mode
    would_help = [
        (offer_id, ex)
        for offer_id, ex in ruled_out
        if helps(mode, inputs.score(mentee_id, offer_id))
    ]
    skills = ", ".join(g.skill_label for g in resolved.gaps.get(mentee_id, ())) or "the gaps"
    if not would_help:
        return Exclusion(
            UnmatchedReason.NO_MENTOR_FOR_GAPS, f"no mentor of the round covers {skills}"
        )
    counts = Counter(ex.reason for _, ex in would_help)
    reason, _ = max(counts.items(), key=lambda kv: (kv[1], kv[0].value))
    examples = "; ".join(ex.detail for _, ex in would_help if ex.reason is reason)
    return Exclusion(
        reason,
        f"{len(would_help)} mentor(s) would cover {skills} but the round's rules exclude them "
        f"({_RULE_TEXT[reason]}): {examples}",
    )


_RULE_TEXT = {
    UnmatchedReason.SELF_OR_MANAGER: "never oneself, one's manager or direct report",
    UnmatchedReason.MODE_RULE: "the mode's seniority and offer rules",
    UnmatchedReason.CROSS_DEPARTMENT: "cross-department only",
    UnmatchedReason.TIME_ZONE: "minimum shared working hours",
}


def covered_gap_text(gaps: Iterable[GapReason], mentor_levels: Mapping[str, float]) -> str:
    """ "Python 1 -> 4 (mentor 5), SQL 2 -> 3 (mentor 4)"."""
    parts = []
    for g in gaps:
        mentor = mentor_levels.get(g.skill_id)
        suffix = f" (mentor {mentor:g})" if mentor is not None else ""
        parts.append(f"{g.skill_label} {g.current_level:g} -> {g.required_level:g}{suffix}")
    return ", ".join(parts)
