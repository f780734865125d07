"""A round's inputs from an engine context: gaps from gaps.py, pair quality from the mentor
recommender (mentors.py), so cohort matching and single-mentee recommendations agree.

The mentor recommender answers "the best mentors for this mentee" (`recommend`), not "how good
is this one pair", so the adapter asks it once per mentee for its `top_m` best offers of the
round's mode on the mentee's gaps that count in the round, and keeps their scores as the mentee's
candidates (shortlist and score at once). Those gaps are the mentee's open gaps against their
current role, restricted to the round's `gap_skills` when it has some: asking the recommender
about the round's skills themselves would also count skills the mentee's role does not need (it
treats those as "one level up"), so pairs would be explained by gaps the round does not have.
A pair outside that list (an admin's manual pair or swap) is scored by asking the recommender
again with every other offer excluded.

The recommender applies its own eligibility first (available offer, active mentor, free capacity
after `ctx.mentor_load`, never oneself / manager / report); the round's rules are applied on top.
top_m is capped at `settings.recommend.max_k`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from skillgraph.recommend.base import EngineContext, GapReason, Query, Recommendation
from skillgraph.recommend.explain import reason_of
from skillgraph.recommend.gaps import GapAnalyzer, analyzer_for, held_levels
from skillgraph.recommend.matching_round import (
    GapsOf,
    MatchInputs,
    PairScore,
    RoundDefinition,
    round_gaps,
)
from skillgraph.recommend.mentors import MentorRecommender


class ContextGaps:
    """Open gaps of an employee against their current role, computed once per employee."""

    def __init__(self, ctx: EngineContext, analyzer: GapAnalyzer | None = None) -> None:
        self.ctx = ctx
        self.analyzer = analyzer or analyzer_for(ctx)
        self._cache: dict[str, tuple[GapReason, ...]] = {}

    def __call__(self, employee_id: str) -> tuple[GapReason, ...]:
        if employee_id not in self._cache:
            emp = self.ctx.employee(employee_id)
            report = self.analyzer.report(held_levels(emp), emp.role_id, employee_id=emp.id)
            self._cache[employee_id] = tuple(reason_of(row) for row in report.gaps)
        return self._cache[employee_id]


class RecommenderPairs:
    """Shortlist and pair score of a round from a fitted MentorRecommender."""

    def __init__(
        self, recommender: MentorRecommender, definition: RoundDefinition, gaps_of: GapsOf
    ) -> None:
        self.recommender = recommender
        self.definition = definition
        self.gaps_of = gaps_of
        self.k = max(1, min(definition.top_m, recommender.ctx.settings.recommend.max_k))
        self._best: dict[str, dict[str, PairScore]] = {}
        self._single: dict[tuple[str, str], PairScore | None] = {}

    def shortlist(self, mentee_id: str) -> list[str]:
        return list(self._best_for(mentee_id))

    def __call__(self, mentee_id: str, offer_id: str) -> PairScore | None:
        best = self._best_for(mentee_id)
        if offer_id in best:
            return best[offer_id]
        key = (mentee_id, offer_id)
        if key not in self._single:
            others = [o for o in self.recommender.ctx.records.mentors if o != offer_id]
            found = self._ask(mentee_id, k=1, exclude=others)
            self._single[key] = found.get(offer_id)
        return self._single[key]

    def _best_for(self, mentee_id: str) -> dict[str, PairScore]:
        if mentee_id not in self._best:
            self._best[mentee_id] = self._ask(mentee_id, k=self.k)
        return self._best[mentee_id]

    def _ask(
        self, mentee_id: str, *, k: int, exclude: list[str] | None = None
    ) -> dict[str, PairScore]:
        skills = self._skills_for(mentee_id)
        if skills is None:
            return {}
        filters: dict[str, Any] = {"mode": self.definition.mode.value}
        if exclude:
            filters["exclude"] = exclude
        query = Query(employee_id=mentee_id, skill_ids=skills, k=k, filters=filters)
        return {rec.item_id: pair_score_of(rec) for rec in self.recommender.recommend(query)}

    def _skills_for(self, mentee_id: str) -> tuple[str, ...] | None:
        """The skills to ask about: () for every gap of the role (a round without skills), the
        mentee's gaps among the round's skills, or None when the mentee has none of those."""
        if not self.definition.gap_skills:
            return ()
        skills = tuple(g.skill_id for g in round_gaps(self.definition, self.gaps_of(mentee_id)))
        return skills or None


def pair_score_of(rec: Recommendation) -> PairScore:
    """A mentor recommendation as a pair score: its score, gaps, mentor levels and signals."""
    levels: Mapping[str, Any] = rec.payload.get("mentor_levels", {}) or {}
    return PairScore(
        quality=float(min(1.0, max(0.0, rec.score))),
        gaps=rec.explanation.gaps,
        mentor_levels={str(k): float(v) for k, v in levels.items()},
        signals=dict(rec.explanation.signals),
        text=rec.explanation.text,
    )


def context_inputs(
    ctx: EngineContext,
    definition: RoundDefinition,
    *,
    recommender: MentorRecommender | None = None,
    used: Mapping[str, int] | None = None,
) -> MatchInputs:
    """MatchInputs for a round over an engine context (the recommender is fitted if not given).
    `used`: capacity taken by published matches of other rounds (matching_proposal.capacity_in_use);
    default: the context's mentor_load."""
    fitted = recommender if recommender is not None else MentorRecommender().fit(ctx)
    gaps = ContextGaps(ctx, fitted.analyzer)
    pairs = RecommenderPairs(fitted, definition, gaps)
    return MatchInputs(
        records=ctx.records,
        gaps_of=gaps,
        score=pairs,
        shortlist=pairs.shortlist,
        used=dict(ctx.mentor_load if used is None else used),
        workday_hours=fitted.workday_hours,
    )
