"""What solving a round returns: matches with their explanation, unmatched mentees with the
reason, and the statistics L&D look at (matched share, quality, utilisation, exposure Gini)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

import numpy as np

from skillgraph.errors import ValidationError
from skillgraph.recommend.base import GapReason


class UnmatchedReason(StrEnum):
    INACTIVE = "inactive"  # the employee is not active
    NO_OPEN_GAP = "no_open_gap"  # nothing to mentor on the round's skills
    NO_MENTOR_FOR_GAPS = "no_mentor_for_gaps"  # no mentor of the round covers the gaps
    SELF_OR_MANAGER = "self_or_manager"  # the only ones who could are oneself, manager or report
    MODE_RULE = "mode_rule"  # e.g. reverse: nobody more junior is stronger on the gaps
    CROSS_DEPARTMENT = "cross_department"  # the ones who could are in the same department
    TIME_ZONE = "time_zone"  # the ones who could share too few working hours
    ALL_MENTORS_FULL = "all_mentors_full"  # every eligible mentor's places went to others
    MENTOR_SHARE_CAP = "mentor_share_cap"  # eligible mentors reached max_share_per_mentor
    TOP_MENTOR_SHARE = "top_mentor_share"  # the top mentors' joint share is used up
    CIRCLE_UNFILLED = "circle_unfilled"  # group mode: too few mentees left to fill a circle
    NO_MENTOR_FOR_CIRCLE = "no_mentor_for_circle"  # no group mentor fits every member
    REMOVED = "removed"  # an admin removed the match
    DECLINED = "declined"  # a side declined the published match


@dataclass(frozen=True)
class Match:
    """One mentor offer with one mentee (pair modes) or a circle of mentees (group mode)."""

    id: str  # the mentee id for a pair, the circle id for a circle: stable across edits
    offer_id: str
    mentor_id: str
    mentee_ids: tuple[str, ...]
    quality: float
    gaps: tuple[GapReason, ...] = ()  # the gaps covered, with levels (circles: the shared ones)
    mentor_levels: Mapping[str, float] = field(default_factory=dict)
    signals: Mapping[str, float] = field(default_factory=dict)
    text: str = ""
    member_quality: Mapping[str, float] = field(default_factory=dict)  # per mentee
    shared_skills: tuple[str, ...] = ()  # group mode: the gaps the circle was formed on

    @property
    def is_circle(self) -> bool:
        return len(self.mentee_ids) > 1 or bool(self.shared_skills)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "offer_id": self.offer_id,
            "mentor_id": self.mentor_id,
            "mentee_ids": list(self.mentee_ids),
            "quality": self.quality,
            "gaps": [gap_to_dict(g) for g in self.gaps],
            "mentor_levels": dict(self.mentor_levels),
            "signals": dict(self.signals),
            "text": self.text,
            "member_quality": dict(self.member_quality),
            "shared_skills": list(self.shared_skills),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Match:
        try:
            return cls(
                id=str(data["id"]),
                offer_id=str(data["offer_id"]),
                mentor_id=str(data["mentor_id"]),
                mentee_ids=tuple(str(m) for m in data["mentee_ids"]),
                quality=float(data["quality"]),
                gaps=tuple(gap_from_dict(g) for g in data.get("gaps", ())),
                mentor_levels={str(k): float(v) for k, v in data.get("mentor_levels", {}).items()},
                signals={str(k): float(v) for k, v in data.get("signals", {}).items()},
                text=str(data.get("text", "")),
                member_quality={
                    str(k): float(v) for k, v in data.get("member_quality", {}).items()
                },
                shared_skills=tuple(str(s) for s in data.get("shared_skills", ())),
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise ValidationError(f"malformed match: {exc!r}") from None


@dataclass(frozen=True)
class Unmatched:
    mentee_id: str
    reason: UnmatchedReason
    detail: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"mentee_id": self.mentee_id, "reason": self.reason.value, "detail": self.detail}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Unmatched:
        try:
            return cls(
                str(data["mentee_id"]), UnmatchedReason(data["reason"]), data.get("detail", "")
            )
        except (KeyError, ValueError) as exc:
            raise ValidationError(f"malformed unmatched entry: {exc!r}") from None


@dataclass(frozen=True)
class RoundStats:
    cohort: int
    matched: int  # mentees matched
    matched_share: float
    mean_quality: float  # over matched mentees
    total_quality: float
    capacity: int  # units (pairs or circles) the round's offers have
    used: int  # units used
    utilisation: float  # used / capacity
    mentors_used: int
    exposure_gini: (
        float  # Gini of mentees per offer over the round's offers: 0 spread, 1 one takes all
    )
    max_mentor_share: float  # the largest share of the cohort one mentor takes

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass(frozen=True)
class SolverInfo:
    engine: str
    objective: str
    candidate_edges: int
    top_m: int
    seconds: float  # the whole round
    exact_over_candidates: bool = True  # the optimum is exact over the candidate set
    candidate_seconds: float = 0.0  # scoring pairs and forming circles
    solve_seconds: float = 0.0  # the assignment itself

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass(frozen=True)
class RoundResult:
    round_id: str
    matches: tuple[Match, ...]
    unmatched: tuple[Unmatched, ...]
    stats: RoundStats
    solver: SolverInfo
    mentee_gaps: Mapping[str, tuple[str, ...]]  # mentee -> gap skill ids of the round (trends)

    def match_of(self, mentee_id: str) -> Match | None:
        for m in self.matches:
            if mentee_id in m.mentee_ids:
                return m
        return None

    def to_dict(self) -> dict[str, Any]:
        return {
            "round_id": self.round_id,
            "matches": [m.to_dict() for m in self.matches],
            "unmatched": [u.to_dict() for u in self.unmatched],
            "stats": self.stats.to_dict(),
            "solver": self.solver.to_dict(),
            "mentee_gaps": {k: list(v) for k, v in self.mentee_gaps.items()},
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> RoundResult:
        try:
            return cls(
                round_id=str(data["round_id"]),
                matches=tuple(Match.from_dict(m) for m in data["matches"]),
                unmatched=tuple(Unmatched.from_dict(u) for u in data["unmatched"]),
                stats=RoundStats(**data["stats"]),
                solver=SolverInfo(**data["solver"]),
                mentee_gaps={str(k): tuple(v) for k, v in data.get("mentee_gaps", {}).items()},
            )
        except (KeyError, TypeError) as exc:
            raise ValidationError(f"malformed round result: {exc!r}") from None


def gap_to_dict(gap: GapReason) -> dict[str, Any]:
    return {
        "skill_id": gap.skill_id,
        "skill_label": gap.skill_label,
        "required_level": gap.required_level,
        "current_level": gap.current_level,
        "importance": gap.importance,
    }


def gap_from_dict(data: Mapping[str, Any]) -> GapReason:
    return GapReason(
        skill_id=str(data["skill_id"]),
        skill_label=str(data.get("skill_label", data["skill_id"])),
        required_level=float(data["required_level"]),
        current_level=float(data["current_level"]),
        importance=float(data.get("importance", 1.0)),
    )


def gini(values: Sequence[float]) -> float:
    """Gini coefficient of non-negative values: 0 all equal, towards 1 one holds all."""
    x = np.sort(np.asarray(values, dtype=np.float64))
    n = len(x)
    if n == 0 or x.sum() <= 0:
        return 0.0
    ranks = np.arange(1, n + 1)
    return float((2.0 * np.sum(ranks * x) / (n * x.sum())) - (n + 1) / n)


def round_stats(
    cohort: int,
    matches: Sequence[Match],
    capacity: Mapping[str, int],
) -> RoundStats:
    """Statistics of a set of matches against the round's offers and their unit capacities."""
    matched = sum(len(m.mentee_ids) for m in matches)
    qualities = [m.member_quality.get(x, m.quality) for m in matches for x in m.mentee_ids]
    load: dict[str, int] = dict.fromkeys(capacity, 0)
    mentees_of: dict[str, int] = dict.fromkeys(capacity, 0)
    for m in matches:
        load[m.offer_id] = load.get(m.offer_id, 0) + 1
        mentees_of[m.offer_id] = mentees_of.get(m.offer_id, 0) + len(m.mentee_ids)
    total_capacity = sum(capacity.values())
    used = sum(load.values())
    return RoundStats(
        cohort=cohort,
        matched=matched,
        matched_share=matched / cohort if cohort else 0.0,
        mean_quality=float(np.mean(qualities)) if qualities else 0.0,
        total_quality=float(sum(qualities)),
        capacity=total_capacity,
        used=used,
        utilisation=used / total_capacity if total_capacity else 0.0,
        mentors_used=sum(1 for v in load.values() if v > 0),
        exposure_gini=gini(list(mentees_of.values())),
        max_mentor_share=max(mentees_of.values(), default=0) / cohort if cohort else 0.0,
    )


def reason_counts(result: RoundResult) -> dict[str, int]:
    """Unmatched mentees per reason, most frequent first."""
    counts: dict[str, int] = {}
    for u in result.unmatched:
        counts[u.reason.value] = counts.get(u.reason.value, 0) + 1
    return dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))


QUALITY_TIE = 1e-9  # qualities closer than this count as equal
COMPARED_STATS = (
    "matched",
    "matched_share",
    "mean_quality",
    "total_quality",
    "utilisation",
    "mentors_used",
    "exposure_gini",
    "max_mentor_share",
)


def compare_results(
    exact: RoundResult, baseline: RoundResult, *, baseline_name: str = "greedy"
) -> dict[str, Any]:
    """The optimum against a baseline on the same round: each statistic side by side, and per
    mentee who is matched by one only and, among those matched by both, who got the better pair."""
    exact_stats, base_stats = exact.stats.to_dict(), baseline.stats.to_dict()
    stats = {
        name: {
            "exact": exact_stats[name],
            baseline_name: base_stats[name],
            "difference": exact_stats[name] - base_stats[name],
        }
        for name in COMPARED_STATS
    }
    mine, theirs = _member_quality(exact), _member_quality(baseline)
    both = mine.keys() & theirs.keys()
    my_offer, their_offer = _offer_of(exact), _offer_of(baseline)
    return {
        "stats": stats,
        "mentees": {
            "matched_by_both": len(both),
            "matched_only_by_exact": len(mine.keys() - theirs.keys()),
            f"matched_only_by_{baseline_name}": len(theirs.keys() - mine.keys()),
            "better_pair_in_exact": sum(1 for m in both if mine[m] > theirs[m] + QUALITY_TIE),
            f"better_pair_in_{baseline_name}": sum(
                1 for m in both if theirs[m] > mine[m] + QUALITY_TIE
            ),
            "same_mentor": sum(1 for m in both if my_offer[m] == their_offer[m]),
        },
    }


def _member_quality(result: RoundResult) -> dict[str, float]:
    return {
        mentee: match.member_quality.get(mentee, match.quality)
        for match in result.matches
        for mentee in match.mentee_ids
    }


def _offer_of(result: RoundResult) -> dict[str, str]:
    return {mentee: match.offer_id for match in result.matches for mentee in match.mentee_ids}
