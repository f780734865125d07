"""Mentors: who can help close an employee's gaps, within the rules of each mentoring mode.

Candidates are mentor offers that are available, of an active employee with free capacity
(capacity minus `ctx.mentor_load[offer_id]`). Never the mentee, their manager or a direct report.
Filters (`Query.filters`): `mode` (one_on_one | peer | reverse | group), `other_department`
(bool), `min_overlap_hours` (shared working hours, see `overlap_hours`), `topics` and
`target_level` (see needs.py), `exclude` (offer ids).

Candidate generation: the mentors index, queried with the needs' embedding (the mean of the
needed skills' vectors, needs.needs_vector) plus the mentee's profile, over-fetched (`overfetch`
x k, at least `min_candidates`), joined with every offer whose mentor holds a needed skill or a
narrower one. Then every candidate is scored exactly:

- coverage: per need, 1 when the mentor's level (partial credit as in gaps.py, capped at the
  needed level) reaches the needed level, 0.3 x the share of the gap the mentor is ahead of the
  mentee when below it, 0 when not ahead; averaged with weights importance x gap size. An offer
  with topics covers only those skills (or narrower / broader ones). Coverage 0: not a candidate.
- similarity: cosine of the mentee's and the mentor's employee embeddings (clipped to [0, 1]).
- mode_fit: how well the pair fits the mode (rules below); a mode whose rule fails is not offered.
- availability: free capacity / capacity. overlap: shared working hours / `workday_hours`.

score = sum of weight x signal over DEFAULT_WEIGHTS (coverage 0.6, similarity 0.15, mode_fit 0.1,
overlap 0.1, availability 0.05). Seniority is the ladder level of the current role.

Mode rules (the offer must list the mode; without a `mode` filter the best-fitting offered mode
is used):

- one_on_one: mentor more senior than the mentee (fit 1 for one or two levels up, 0.8 beyond).
- peer: seniority within one level; fit 0.5 x seniority closeness + 0.5 x level closeness (a peer
  just at the needed level fits better than a distant authority).
- reverse: mentor more junior AND ahead of the mentee on every covered gap; fit 1.
- group: fit = share of a full group (max_group_size - 1 other mentees) of other active employees
  who have an open gap (against their current role) on a skill this mentor covers.

An unknown seniority (0) passes one_on_one and peer with fit 0.5, and never passes reverse.

Speed: candidates are scored with arrays (mentor_table.py: one CreditTable of the mentors'
levels, cached offer x skill cosines for the search, the company-wide group demand computed at
once by demand.py); `vectorised=False` scores them one by one, the reference the arrays are
tested against. `warm()` builds the tables before the first query. `recommend_many` answers
several queries, scoring those of one mentee and filters in one pass (score_offers_many; a
career path's hops), each as `recommend` would.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence, Set
from dataclasses import dataclass
from typing import Any

import numpy as np

from skillgraph.data.schema import Employee, MentorMode, MentorOffer, TargetKind
from skillgraph.errors import NotFoundError, ValidationError
from skillgraph.recommend import mentor_table as arrays
from skillgraph.recommend.base import (
    EngineContext,
    GapReason,
    Query,
    Recommendation,
    Recommender,
    ask_each,
    check_query,
    top_k,
)
from skillgraph.recommend.demand import open_gaps_by_skill
from skillgraph.recommend.explain import explanation, fmt_level
from skillgraph.recommend.gaps import EPSILON, GapAnalyzer, analyzer_for, held_levels
from skillgraph.recommend.mentor_table import BELOW_NEEDED_CREDIT, UNKNOWN_SENIORITY_FIT
from skillgraph.recommend.needs import (
    NEED_FILTERS,
    Need,
    Needs,
    check_filters,
    indexed_vectors,
    needs_for,
    needs_vector,
    string_list,
)

DEFAULT_WEIGHTS: dict[str, float] = {
    "coverage": 0.6,
    "similarity": 0.15,
    "mode_fit": 0.1,
    "overlap": 0.1,
    "availability": 0.05,
}
MENTOR_FILTERS = NEED_FILTERS | {"mode", "other_department", "min_overlap_hours", "exclude"}


def overlap_hours(offset_a: float, offset_b: float, workday_hours: float = 8.0) -> float:
    """Shared hours of two same-hours working days `workday_hours` long in two time zones."""
    distance = abs(offset_a - offset_b) % 24.0
    distance = min(distance, 24.0 - distance)
    return max(0.0, workday_hours - distance)


@dataclass(frozen=True)
class Coverage:
    need: Need
    mentor_level: float
    value: float  # 0..1


@dataclass(frozen=True)
class _Asked:
    """A checked query, its needs and its filters."""

    query: Query
    needs: Needs
    mode: MentorMode | None
    excluded: frozenset[str]
    other_department: bool
    min_overlap: float | None

    @property
    def k(self) -> int:
        return self.query.k

    @property
    def batch_key(self) -> tuple[Any, ...]:
        """Queries with the same key are scored together."""
        mentee = self.needs.employee
        return (
            mentee.id if mentee else None,
            self.mode,
            self.excluded,
            self.other_department,
            self.min_overlap,
        )


@dataclass(frozen=True)
class _Candidate:
    offer: MentorOffer
    mentor: Employee
    seniority: int
    held: Mapping[str, float]


class MentorRecommender(Recommender):
    name = "mentors"
    kind = TargetKind.MENTOR

    def __init__(
        self,
        *,
        weights: Mapping[str, float] | None = None,
        overfetch: int = 5,
        min_candidates: int = 50,
        workday_hours: float = 8.0,
        vectorised: bool = True,
    ) -> None:
        """`vectorised` False scores the candidates one by one in Python: the reference the
        array path (mentor_table.py) is tested against."""
        super().__init__()
        unknown = set(weights or {}) - set(DEFAULT_WEIGHTS)
        if unknown:
            raise ValidationError(f"unknown mentor weight(s): {', '.join(sorted(unknown))}")
        self.weights = {**DEFAULT_WEIGHTS, **(weights or {})}
        self.overfetch = overfetch
        self.min_candidates = min_candidates
        self.workday_hours = workday_hours
        self.vectorised = vectorised
        self._table: arrays.OfferTable | None = None
        self._analyzer: GapAnalyzer | None = None
        self._candidates: dict[str, _Candidate] = {}
        self._holders: dict[str, set[str]] = {}
        self._demand: dict[str, set[str]] | None = None

    def params(self) -> dict[str, Any]:
        return {
            "weights": dict(self.weights),
            "overfetch": self.overfetch,
            "min_candidates": self.min_candidates,
            "workday_hours": self.workday_hours,
            "vectorised": self.vectorised,
        }

    # fit ----------------------------------------------------------------------------------
    def _fit(self, ctx: EngineContext) -> None:
        self._analyzer = analyzer_for(ctx)
        self._candidates = {}
        self._holders = {}
        self._demand = None
        self._table = None
        for offer in ctx.records.mentors.values():
            mentor = ctx.records.employees.get(offer.employee_id)
            if mentor is None:
                continue
            seniority = ctx.graph.role(mentor.role_id).seniority
            held = held_levels(mentor)
            self._candidates[offer.id] = _Candidate(offer, mentor, seniority, held)
            for skill_id in held:
                for key in {skill_id, *ctx.graph.ancestors(skill_id)}:
                    self._holders.setdefault(key, set()).add(offer.id)

    @property
    def analyzer(self) -> GapAnalyzer:
        if self._analyzer is None:
            self._analyzer = analyzer_for(self.ctx)
        return self._analyzer

    def warm(self) -> None:
        """Build now what the first queries would build: the offer table, its score columns
        and the company-wide group demand (seconds at 100,000 employees)."""
        if self.vectorised:
            self.table.warm()
            self._group_demand(self.ctx)

    @property
    def table(self) -> arrays.OfferTable:
        """The offers as arrays, built on first use."""
        if self._table is None:
            ctx = self.ctx
            sources = [
                arrays.OfferSource(c.offer, c.mentor, c.seniority, c.held)
                for c in self._candidates.values()
            ]
            self._table = arrays.OfferTable(
                self.analyzer,
                sources,
                ctx.load_of,
                ctx.indexes,
                ctx.encoder.dim,
                lambda: indexed_vectors(ctx, "skills"),
            )
        return self._table

    # recommend ----------------------------------------------------------------------------
    def recommend(self, query: Query) -> list[Recommendation]:
        asked = self._asked(query, None)
        if asked is None:
            return []
        if self.vectorised:
            return self._recommend_arrays([asked])[0]
        return self._recommend_python(asked)

    def recommend_many(
        self, queries: Sequence[Query], needs: Sequence[Needs] | None = None
    ) -> list[list[Recommendation]]:
        """`recommend` for each query, where a query it refuses (ValidationError) gets an empty
        list. `needs`, when given, are the queries' needs (needs.needs_for), computed once for
        several recommenders. Queries of one mentee with the same filters are scored in one
        pass (mentor_table.score_offers_many): a career path's hops, for instance."""
        asked = ask_each(self._asked, queries, needs)
        out: list[list[Recommendation]] = [[] for _ in queries]
        batches: dict[tuple[Any, ...], list[int]] = {}
        for i, one in enumerate(asked):
            if one is not None and self.vectorised:
                batches.setdefault(one.batch_key, []).append(i)
            elif one is not None:
                out[i] = self._recommend_python(one)
        for members in batches.values():
            batch = [a for a in (asked[i] for i in members) if a is not None]
            for i, recs in zip(members, self._recommend_arrays(batch), strict=True):
                out[i] = recs
        return out

    def _asked(self, query: Query, needs: Needs | None) -> _Asked | None:
        """The query checked, with its needs; None when it needs nothing."""
        ctx = self.ctx
        check_query(ctx, query)
        check_filters(query.filters, MENTOR_FILTERS, self.name)
        mode = _mode_filter(query.filters)
        if needs is None:
            needs = needs_for(ctx, query, self.analyzer)
        if not needs:
            return None
        return _Asked(
            query,
            needs,
            mode,
            frozenset(string_list(query.filters, "exclude")),
            _other_department(query.filters),
            _number(query.filters, "min_overlap_hours"),
        )

    def _recommend_python(self, asked: _Asked) -> list[Recommendation]:
        ctx, query, needs = self.ctx, asked.query, asked.needs
        eligible = self._eligible(ctx, query, needs.employee)
        if not eligible:
            return []
        results = []
        for offer_id in self._generate(ctx, query, needs, eligible):
            rec = self._score(ctx, self._candidates[offer_id], needs, asked.mode)
            if rec is not None:
                results.append(rec)
        return top_k(_best_offer_per_mentor(results), query.k)

    def _recommend_arrays(self, batch: Sequence[_Asked]) -> list[list[Recommendation]]:
        """The same answers as the per-candidate path, scored with mentor_table.py; the
        queries share their mentee and filters (`_Asked.batch_key`)."""
        ctx, table, first = self.ctx, self.table, batch[0]
        mentee = first.needs.employee
        allowed = arrays.eligible(
            table,
            mentee,
            excluded=first.excluded,
            other_department=first.other_department,
            min_overlap=first.min_overlap,
            workday_hours=self.workday_hours,
        )
        if not allowed.any():
            return [[] for _ in batch]
        mentee_vector = _vector_or_none(ctx, "employees", mentee.id) if mentee else None
        searchable = np.flatnonzero(allowed & table.in_index)
        rows = [self._candidate_rows(a, allowed, searchable, mentee_vector) for a in batch]
        scored = arrays.score_offers_many(
            table,
            rows,
            [a.needs for a in batch],
            wanted=first.mode,
            mentee_seniority=ctx.graph.role(mentee.role_id).seniority if mentee else 0,
            mentee_vector=mentee_vector,
            mentee_offset=mentee.utc_offset if mentee else None,
            weights=self.weights,
            workday_hours=self.workday_hours,
            groups=[self._group_fit_for(ctx, a.needs) for a in batch],
        )
        return [
            [self._recommendation_of(ctx, s, p, a.needs) for p in self._best_per_mentor(s, a.k)]
            for a, s in zip(batch, scored, strict=True)
        ]

    def _candidate_rows(
        self,
        asked: _Asked,
        allowed: np.ndarray,
        searchable: np.ndarray,
        mentee_vector: np.ndarray | None,
    ) -> np.ndarray:
        table, needs, mentee = self.table, asked.needs, asked.needs.employee
        composed, scores = table.search_scores(
            [n.skill_id for n in needs.needs], mentee.id if mentee else None, mentee_vector
        )
        if not composed:
            vector = self._query_vector(self.ctx, needs)
            scores = None if vector is None else table.offer_vectors @ vector
        fetch = max(self.min_candidates, self.overfetch * asked.k)
        return arrays.candidates(table, needs, allowed, scores, fetch, searchable=searchable)

    def _group_fit_for(self, ctx: EngineContext, needs: Needs) -> arrays.GroupFit:
        return arrays.GroupFit(
            fit=lambda row, covered: self._group_fit_of(ctx, row, needs, covered),
            sizes=lambda: np.array(
                [len(self._group_demand(ctx).get(n.skill_id, ())) for n in needs.needs]
            ),
            skipped=2 if needs.employee is not None else 1,
        )

    def _best_per_mentor(self, scored: arrays.ScoredOffers, k: int) -> list[int]:
        """Positions of the k best offers, one per mentor, by (-rounded score, offer id).

        Walks the offers by raw score: rounding keeps the order, so offers with the same
        rounded score come together and only those are put in id order."""
        sources = self.table.sources
        order = np.argsort(-scored.score, kind="stable").tolist()
        scores = scored.score.tolist()
        rows = scored.rows.tolist()
        chosen: list[int] = []
        mentors: set[str] = set()
        i = 0
        while i < len(order) and len(chosen) < k:
            rounded = round(scores[order[i]], 6)
            j = i + 1
            while j < len(order) and round(scores[order[j]], 6) == rounded:
                j += 1
            for p in sorted(order[i:j], key=lambda p: sources[rows[p]].offer.id):
                mentor = sources[rows[p]].mentor.id
                if mentor not in mentors and len(chosen) < k:
                    mentors.add(mentor)
                    chosen.append(p)
            i = j
        return chosen

    def _recommendation_of(
        self, ctx: EngineContext, scored: arrays.ScoredOffers, p: int, needs: Needs
    ) -> Recommendation:
        row = int(scored.rows[p])
        cand = self._candidates[self.table.sources[row].offer.id]
        covered = [
            Coverage(need, float(scored.levels[p, j]), float(scored.values[p, j]))
            for j, need in enumerate(needs.needs)
            if scored.values[p, j] > 0
        ]
        signals = {name: float(values[p]) for name, values in scored.signals.items()}
        mode = arrays.MODES[int(scored.mode[p])]
        free = int(self.table.free[row])
        return self._recommendation(
            ctx, cand, needs, covered, mode, signals, float(scored.score[p]), free
        )

    def _group_fit_of(
        self, ctx: EngineContext, row: int, needs: Needs, covered: list[int]
    ) -> float:
        cand = self._candidates[self.table.sources[row].offer.id]
        rows = [Coverage(needs.needs[j], 0.0, 1.0) for j in covered]
        return self._group_fit(ctx, cand, needs, rows)

    def _eligible(self, ctx: EngineContext, query: Query, mentee: Employee | None) -> set[str]:
        excluded = set(string_list(query.filters, "exclude"))
        other_department = _other_department(query.filters)
        min_overlap = _number(query.filters, "min_overlap_hours")
        keep = set()
        for offer_id, cand in self._candidates.items():
            if offer_id in excluded or not self._available(ctx, cand):
                continue
            if mentee is not None:
                if not may_mentor(cand.mentor, mentee):
                    continue
                if other_department and cand.mentor.department == mentee.department:
                    continue
                if min_overlap is not None and self._overlap(cand.mentor, mentee) < min_overlap:
                    continue
            keep.add(offer_id)
        return keep

    @staticmethod
    def _available(ctx: EngineContext, cand: _Candidate) -> bool:
        free = cand.offer.capacity - ctx.load_of(cand.offer.id)
        return cand.offer.available and cand.mentor.active and free > 0

    def _overlap(self, mentor: Employee, mentee: Employee) -> float:
        return overlap_hours(mentor.utc_offset, mentee.utc_offset, self.workday_hours)

    def _generate(
        self, ctx: EngineContext, query: Query, needs: Needs, eligible: set[str]
    ) -> list[str]:
        """Eligible offers from the index (over-fetched) and from the holders of needed skills."""
        found: dict[str, None] = {}
        for need in needs.needs:
            for offer_id in sorted(self._holders.get(need.skill_id, ())):
                if offer_id in eligible:
                    found[offer_id] = None
        fetch = max(self.min_candidates, self.overfetch * query.k)
        vector = self._query_vector(ctx, needs)
        index = ctx.index("mentors")
        if vector is not None and len(index):
            for offer_id, _ in index.search(vector[None, :], fetch, allow=eligible)[0]:
                found[offer_id] = None
        return [o for o in found if o in self._candidates]

    @staticmethod
    def _query_vector(ctx: EngineContext, needs: Needs) -> np.ndarray | None:
        labels = ", ".join(n.label for n in needs.needs)
        parts = [needs_vector(ctx, needs, f"Mentor in: {labels}.")]
        if needs.employee is not None:
            profile = _vector_or_none(ctx, "employees", needs.employee.id)
            if profile is not None:
                parts.append(profile)
        total = np.sum(parts, axis=0)
        norm = float(np.linalg.norm(total))
        return (total / norm).astype(np.float32) if norm > 0 else None

    # scoring ------------------------------------------------------------------------------
    def _score(
        self, ctx: EngineContext, cand: _Candidate, needs: Needs, mode: MentorMode | None
    ) -> Recommendation | None:
        covered = self._coverage(ctx, cand, needs)
        coverage = _weighted_coverage(covered, needs)
        if coverage <= EPSILON:
            return None
        fitted = self._mode(ctx, cand, needs, covered, mode)
        if fitted is None:
            return None
        chosen_mode, mode_fit = fitted
        mentee = needs.employee
        free = cand.offer.capacity - ctx.load_of(cand.offer.id)
        signals = {
            "coverage": coverage,
            "similarity": self._similarity(ctx, cand, needs),
            "mode_fit": mode_fit,
            "overlap": self._overlap(cand.mentor, mentee) / self.workday_hours if mentee else 1.0,
            "availability": free / cand.offer.capacity if cand.offer.capacity > 0 else 0.0,
        }
        score = sum(self.weights[name] * value for name, value in signals.items())
        return self._recommendation(ctx, cand, needs, covered, chosen_mode, signals, score, free)

    def _coverage(self, ctx: EngineContext, cand: _Candidate, needs: Needs) -> list[Coverage]:
        rows = []
        for need in needs.needs:
            if not self._offers_topic(ctx, cand.offer, need.skill_id):
                continue
            level = self.analyzer.effective_level(cand.held, need.skill_id, cap=need.required_level)
            if level + EPSILON >= need.required_level:
                value = 1.0
            elif level > need.current_level + EPSILON and need.gap > 0:
                value = BELOW_NEEDED_CREDIT * (level - need.current_level) / need.gap
            else:
                value = 0.0
            if value > 0:
                rows.append(Coverage(need, level, value))
        return rows

    @staticmethod
    def _offers_topic(ctx: EngineContext, offer: MentorOffer, skill_id: str) -> bool:
        if not offer.topics:
            return True
        if skill_id in offer.topics:
            return True
        ancestors = ctx.graph.ancestors(skill_id)
        return any(t in ancestors or skill_id in ctx.graph.ancestors(t) for t in offer.topics)

    def _mode(
        self,
        ctx: EngineContext,
        cand: _Candidate,
        needs: Needs,
        covered: list[Coverage],
        wanted: MentorMode | None,
    ) -> tuple[MentorMode, float] | None:
        modes = [wanted] if wanted is not None else list(cand.offer.modes)
        best: tuple[MentorMode, float] | None = None
        for mode in modes:
            if mode not in cand.offer.modes:
                continue
            fit = self._mode_fit(ctx, mode, cand, needs, covered)
            if fit is not None and (best is None or fit > best[1] + EPSILON):
                best = (mode, fit)
        return best

    def _mode_fit(
        self,
        ctx: EngineContext,
        mode: MentorMode,
        cand: _Candidate,
        needs: Needs,
        covered: list[Coverage],
    ) -> float | None:
        mentee = needs.employee
        mentee_seniority = ctx.graph.role(mentee.role_id).seniority if mentee else 0
        known = mentee_seniority > 0 and cand.seniority > 0
        delta = cand.seniority - mentee_seniority
        if mode is MentorMode.ONE_ON_ONE:
            if not known:
                return UNKNOWN_SENIORITY_FIT
            return (1.0 if delta <= 2 else 0.8) if delta > 0 else None
        if mode is MentorMode.PEER:
            if not known:
                return UNKNOWN_SENIORITY_FIT
            if abs(delta) > 1:
                return None
            ahead = [max(0.0, c.mentor_level - c.need.required_level) for c in covered]
            level_close = 1.0 - min(1.0, (sum(ahead) / len(ahead)) / 5.0)
            return 0.5 * (1.0 - 0.5 * abs(delta)) + 0.5 * level_close
        if mode is MentorMode.REVERSE:
            if not known or delta >= 0:
                return None
            stronger = all(c.mentor_level > c.need.current_level + EPSILON for c in covered)
            return 1.0 if stronger else None
        return self._group_fit(ctx, cand, needs, covered)

    def _group_fit(
        self, ctx: EngineContext, cand: _Candidate, needs: Needs, covered: list[Coverage]
    ) -> float:
        demand = self._group_demand(ctx)
        skip = {cand.mentor.id, *([needs.employee.id] if needs.employee else [])}
        groups = [demand.get(c.need.skill_id, set()) for c in covered]
        return group_fill(groups, skip, max(1, cand.offer.max_group_size - 1))

    def _group_demand(self, ctx: EngineContext) -> dict[str, set[str]]:
        """skill id -> active employees with an open gap on it against their current role."""
        if self._demand is None and self.vectorised:
            self._demand = open_gaps_by_skill(self.analyzer, ctx.records.employees.values())
        if self._demand is None:
            demand: dict[str, set[str]] = {}
            for emp in ctx.records.employees.values():
                if not emp.active:
                    continue
                report = self.analyzer.report(held_levels(emp), emp.role_id, employee_id=emp.id)
                for row in report.gaps:
                    demand.setdefault(row.skill_id, set()).add(emp.id)
            self._demand = demand
        return self._demand

    @staticmethod
    def _similarity(ctx: EngineContext, cand: _Candidate, needs: Needs) -> float:
        if needs.employee is None:
            return 0.0
        a = _vector_or_none(ctx, "employees", needs.employee.id)
        b = _vector_or_none(ctx, "employees", cand.mentor.id)
        if a is None or b is None:
            return 0.0
        return float(min(1.0, max(0.0, float(np.dot(a, b)))))

    def _recommendation(
        self,
        ctx: EngineContext,
        cand: _Candidate,
        needs: Needs,
        covered: list[Coverage],
        mode: MentorMode,
        signals: Mapping[str, float],
        score: float,
        free: int,
    ) -> Recommendation:
        reasons = [
            GapReason(
                c.need.skill_id,
                c.need.label,
                c.need.required_level,
                c.need.current_level,
                c.need.importance,
            )
            for c in covered
        ]
        phrases = [
            f"{c.need.label} {fmt_level(c.mentor_level)} vs needed "
            f"{fmt_level(c.need.required_level)}"
            for c in covered
        ]
        role = ctx.graph.role(cand.mentor.role_id)
        text = f"{cand.mentor.name} ({role.title}, {mode.value.replace('_', '-')}) covers " + (
            ", ".join(phrases)
        )
        mentee = needs.employee
        overlap = self._overlap(cand.mentor, mentee) if mentee else None
        reached = {c.need.skill_id: min(c.mentor_level, c.need.required_level) for c in covered}
        payload = {
            "offer_id": cand.offer.id,
            "employee_id": cand.mentor.id,
            "name": cand.mentor.name,
            "role_id": cand.mentor.role_id,
            "role_title": role.title,
            "department": cand.mentor.department,
            "seniority": cand.seniority,
            "mode": mode.value,
            "mentor_levels": {c.need.skill_id: c.mentor_level for c in covered},
            "needed_levels": {c.need.skill_id: c.need.required_level for c in covered},
            "free_capacity": free,
            "overlap_hours": overlap,
        }
        return Recommendation(
            item_id=cand.offer.id,
            kind=TargetKind.MENTOR,
            score=round(score, 6),
            explanation=explanation(reasons, signals, text, report=needs.report, reached=reached),
            payload=payload,
        )


def group_fill(groups: Sequence[Set[str]], skip: Set[str], seats: int) -> float:
    """min(1, |union of groups minus skip| / seats): how full a group these needs make."""
    if any(len(g) - len(skip) >= seats for g in groups):
        return 1.0  # one skill alone fills the group, whoever is skipped
    others: set[str] = set()
    for group in groups:
        others |= group - skip
    return min(1.0, len(others) / seats)


def may_mentor(mentor: Employee, mentee: Employee) -> bool:
    """Never oneself, one's own manager, or one's direct report."""
    if mentor.id == mentee.id:
        return False
    if mentee.manager_id == mentor.id:
        return False
    return mentor.manager_id != mentee.id


def _weighted_coverage(covered: list[Coverage], needs: Needs) -> float:
    total = sum(n.importance * n.gap for n in needs.needs)
    if total <= EPSILON:
        total = float(len(needs.needs))
        return sum(c.value for c in covered) / total if total else 0.0
    return sum(c.value * c.need.importance * c.need.gap for c in covered) / total


def _best_offer_per_mentor(results: list[Recommendation]) -> list[Recommendation]:
    best: dict[str, Recommendation] = {}
    for rec in results:
        mentor_id = str(rec.payload["employee_id"])
        seen = best.get(mentor_id)
        if seen is None or (rec.score, seen.item_id) > (seen.score, rec.item_id):
            best[mentor_id] = rec
    return list(best.values())


def _mode_filter(filters: Mapping[str, Any]) -> MentorMode | None:
    value = filters.get("mode")
    if value is None:
        return None
    try:
        return MentorMode(value)
    except ValueError:
        known = ", ".join(m.value for m in MentorMode)
        raise ValidationError(f"unknown mentoring mode {value!r}; known: {known}") from None


def _other_department(filters: Mapping[str, Any]) -> bool:
    value = filters.get("other_department", False)
    if not isinstance(value, bool):
        raise ValidationError(f"other_department must be true or false, not {value!r}")
    return value


def _number(filters: Mapping[str, Any], key: str) -> float | None:
    value = filters.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValidationError(f"filter {key!r} must be a number, got {value!r}")
    return float(value)


def _vector_or_none(ctx: EngineContext, index: str, id_: str) -> np.ndarray | None:
    try:
        return ctx.index(index).vector(id_)
    except (NotFoundError, KeyError):
        return None
