"""Next roles: where an employee (or someone fully in a role) can move next, and why.

Candidates are the kept moves out of the current role in the transition graph
(graph/transitions.py), plus roles the employee names in `interests`; when fewer than k remain
after the filters, the moves out of those targets are added (their direct-pair signals computed
on demand). Each candidate gets three signals in [0, 1]:

- transition: the combined edge weight current role -> candidate.
- readiness: readiness for the candidate / 100 (gaps.py, the employee's actual skills with
  partial credit; without an employee, the current role's profile).
- interest: how well the candidate matches the employee's `interests`: 1 for a role named by
  id, the importance share of the candidate's profile on skills named by id, and the cosine of
  the free-text interests and the role's vector in the "roles" index; the largest counts.

Candidates are ranked on readiness alone (GapAnalyzer.readiness, no gap report); gap reports,
effort and counterfactuals are built for the k returned only.

score = sum of weight x signal over DEFAULT_WEIGHTS (transition 0.5, readiness 0.35,
interest 0.15); interest is dropped and the rest rescaled when the employee names no
interests. Effort hours are effort.py's rule over the open gaps. The counterfactual names the
gap whose closing raises readiness the most.

Filters (`Query.filters`): `moves` (up | lateral | down, one or a list; default up and
lateral), `include_held` (bool, default false: roles the employee held before are left out),
`min_readiness` (0-100), `family` (one or a list), `exclude` (role ids). `Query.target_role_id`
is not used here: a target is a path question (paths.py).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from skillgraph.data.schema import Employee, Role, TargetKind
from skillgraph.errors import ValidationError
from skillgraph.graph.transitions import SIGNALS, MoveType, Transition, TransitionGraph
from skillgraph.recommend.base import (
    EngineContext,
    Query,
    Recommendation,
    Recommender,
    check_query,
    top_k,
)
from skillgraph.recommend.effort import effort_hours
from skillgraph.recommend.explain import explanation, reason_of
from skillgraph.recommend.gaps import (
    GapAnalyzer,
    GapReport,
    SkillGap,
    analyzer_for,
    held_levels,
    role_levels,
)
from skillgraph.recommend.needs import check_filters, string_list
from skillgraph.recommend.transition_build import build_transitions

DEFAULT_WEIGHTS: dict[str, float] = {"transition": 0.5, "readiness": 0.35, "interest": 0.15}
DEFAULT_MOVES = (MoveType.UP, MoveType.LATERAL)
ROLE_FILTERS = frozenset({"moves", "include_held", "min_readiness", "family", "exclude"})
TOP_GAPS = 5
LEVER_CANDIDATES = 3  # gaps checked for the counterfactual


@dataclass(frozen=True)
class Subject:
    """Who moves: an employee (their skills) or someone fully in a role (its profile)."""

    role_id: str
    held: Mapping[str, float]
    employee: Employee | None
    interests: tuple[str, ...]
    held_before: frozenset[str]


@dataclass(frozen=True)
class _Candidate:
    """A ranked move; its gap report is built only if it is returned."""

    transition: Transition
    target: Role
    signals: dict[str, float]
    score: float


@dataclass(frozen=True)
class _Rules:
    moves: frozenset[MoveType]
    min_readiness: float
    families: frozenset[str]
    excluded: frozenset[str]


def parse_moves(filters: Mapping[str, Any], default: Sequence[MoveType]) -> frozenset[MoveType]:
    names = string_list(filters, "moves")
    if not names:
        return frozenset(default)
    try:
        return frozenset(MoveType(n) for n in names)
    except ValueError:
        known = ", ".join(m.value for m in MoveType)
        raise ValidationError(f"filter 'moves' takes {known}; got {list(names)}") from None


def subject_of(ctx: EngineContext, query: Query) -> Subject:
    """The employee's current role (or query.role_id) and skills, or a bare role."""
    if query.employee_id is not None:
        emp = ctx.employee(query.employee_id)
        role_id = query.role_id or emp.role_id
        before = frozenset(s.role_id for s in emp.history) | {emp.role_id}
        return Subject(role_id, held_levels(emp), emp, emp.interests, before - {role_id})
    if query.role_id is None:
        raise ValidationError("next roles need an employee_id or a role_id")
    return Subject(query.role_id, role_levels(ctx.graph, query.role_id), None, (), frozenset())


class RoleRecommender(Recommender):
    name = "roles"
    kind = TargetKind.ROLE

    def __init__(
        self,
        transitions: TransitionGraph | None = None,
        *,
        weights: Mapping[str, float] | None = None,
        top_n: int = 30,
        neighbours: int = 30,
        use_embeddings: bool = True,
    ) -> None:
        """`transitions`: a graph built already (shared with a PathFinder); it is used when it
        covers the context's roles exactly, else `fit` builds one (build_transitions)."""
        super().__init__()
        unknown = set(weights or {}) - set(DEFAULT_WEIGHTS)
        if unknown:
            raise ValidationError(f"unknown role weight(s): {', '.join(sorted(unknown))}")
        self.weights = {**DEFAULT_WEIGHTS, **(weights or {})}
        if any(v < 0 for v in self.weights.values()) or sum(self.weights.values()) <= 0:
            raise ValidationError(f"role weights must be >= 0 and not all 0: {self.weights}")
        self.top_n = top_n
        self.neighbours = neighbours
        self.use_embeddings = use_embeddings
        self._given = transitions
        self._transitions: TransitionGraph | None = None
        self._analyzer: GapAnalyzer | None = None

    def params(self) -> dict[str, Any]:
        return {
            "weights": dict(self.weights),
            "top_n": self.top_n,
            "neighbours": self.neighbours,
            "use_embeddings": self.use_embeddings,
        }

    def _fit(self, ctx: EngineContext) -> None:
        given = self._given
        if given is not None and set(given.role_ids) == set(ctx.records.roles):
            self._transitions = given
        else:
            self._transitions = build_transitions(
                ctx,
                top_n=self.top_n,
                neighbours=self.neighbours,
                use_embeddings=self.use_embeddings,
            )
        self._analyzer = analyzer_for(ctx)

    @property
    def transitions(self) -> TransitionGraph:
        ctx = self.ctx  # raises when not fitted
        if self._transitions is None:
            self._transitions = build_transitions(
                ctx,
                top_n=self.top_n,
                neighbours=self.neighbours,
                use_embeddings=self.use_embeddings,
            )
        return self._transitions

    @property
    def analyzer(self) -> GapAnalyzer:
        if self._analyzer is None:
            self._analyzer = analyzer_for(self.ctx)
        return self._analyzer

    # recommend ----------------------------------------------------------------------------
    def recommend(self, query: Query) -> list[Recommendation]:
        ctx = self.ctx
        check_query(ctx, query)
        check_filters(query.filters, ROLE_FILTERS, self.name)
        subject = subject_of(ctx, query)
        rules = self._rules(query.filters, subject)
        interest = _Interest(ctx, subject.interests)
        weights = self._weights(interest.active)
        scored = []
        for transition in self._candidates(subject, rules, interest, query.k):
            found = self._scored(subject, transition, interest, weights, rules)
            if found is not None:
                scored.append(found)
        scored.sort(key=lambda c: (-c.score, c.transition.target))
        # gap reports and explanations only for what is returned: ranking needs readiness alone
        return top_k([self._recommendation(subject, c) for c in scored[: query.k]], query.k)

    def _rules(self, filters: Mapping[str, Any], subject: Subject) -> _Rules:
        min_readiness = filters.get("min_readiness", 0.0)
        if isinstance(min_readiness, bool) or not isinstance(min_readiness, int | float):
            raise ValidationError(f"filter 'min_readiness' must be a number, got {min_readiness!r}")
        if not 0 <= float(min_readiness) <= 100:
            raise ValidationError(
                f"filter 'min_readiness' must be within [0, 100]: {min_readiness}"
            )
        include_held = filters.get("include_held", False)
        if not isinstance(include_held, bool):
            raise ValidationError(f"filter 'include_held' must be true or false: {include_held!r}")
        excluded = {subject.role_id, *string_list(filters, "exclude")}
        if not include_held:
            excluded |= subject.held_before
        return _Rules(
            moves=parse_moves(filters, DEFAULT_MOVES),
            min_readiness=float(min_readiness),
            families=frozenset(string_list(filters, "family")),
            excluded=frozenset(excluded),
        )

    def _weights(self, with_interest: bool) -> dict[str, float]:
        kept = {k: v for k, v in self.weights.items() if with_interest or k != "interest"}
        total = sum(kept.values())
        if total <= 0:  # only interest had weight, and there is none
            kept = dict.fromkeys(kept, 1.0)
            total = float(len(kept))
        return {k: v / total for k, v in kept.items()}

    def _allowed(self, t: Transition, rules: _Rules) -> bool:
        if t.target in rules.excluded or t.move not in rules.moves:
            return False
        return not rules.families or self.ctx.graph.role(t.target).family in rules.families

    def _candidates(
        self, subject: Subject, rules: _Rules, interest: _Interest, k: int
    ) -> list[Transition]:
        graph = self.transitions
        found = {t.target: t for t in graph.out_edges(subject.role_id) if self._allowed(t, rules)}
        extra = [r for r in interest.roles if r != subject.role_id and r not in found]
        if len(found) < k:
            extra += [
                second.target
                for first in graph.out_edges(subject.role_id)
                for second in graph.out_edges(first.target)
            ]
        extra = [r for r in dict.fromkeys(extra) if r != subject.role_id and r not in found]
        for t in graph.pairs(subject.role_id, extra):
            if self._allowed(t, rules):
                found[t.target] = t
        return list(found.values())

    def _scored(
        self,
        subject: Subject,
        transition: Transition,
        interest: _Interest,
        weights: Mapping[str, float],
        rules: _Rules,
    ) -> _Candidate | None:
        readiness = self.analyzer.readiness(subject.held, transition.target)
        if readiness < rules.min_readiness:
            return None
        target = self.ctx.graph.role(transition.target)
        signals = {"transition": transition.weight, "readiness": readiness / 100.0}
        if interest.active:
            signals["interest"] = interest.score(target)
        score = round(float(sum(weights[k] * signals[k] for k in weights)), 6)
        return _Candidate(transition, target, signals, score)

    def _recommendation(self, subject: Subject, candidate: _Candidate) -> Recommendation:
        transition, target = candidate.transition, candidate.target
        signals, score = candidate.signals, candidate.score
        employee_id = subject.employee.id if subject.employee else None
        report = self.analyzer.report(subject.held, target.id, employee_id=employee_id)
        gaps = report.gaps
        hours = effort_hours(report)
        lever = _best_lever(report)
        reached = {lever.skill_id: lever.required_level} if lever is not None else {}
        all_signals = {**signals, **{f"edge_{k}": transition.signals[k] for k in SIGNALS}}
        text = _sentence(self.ctx, subject, transition, target, report, hours)
        return Recommendation(
            item_id=target.id,
            kind=TargetKind.ROLE,
            score=score,
            explanation=explanation(
                [reason_of(r) for r in gaps[:TOP_GAPS]],
                all_signals,
                text,
                report=report,
                reached=reached,
            ),
            payload={
                "from_role": subject.role_id,
                "title": target.title,
                "family": target.family,
                "seniority": target.seniority,
                "move": transition.move.value,
                "readiness": round(report.readiness, 1),
                "open_gaps": len(gaps),
                "top_gaps": [r.to_dict() for r in gaps[:TOP_GAPS]],
                "effort_hours": hours,
                "transition": transition.to_dict(),
                "observed_moves": transition.observed_count,
                "flags": sorted(report.flags),
            },
        )


def _best_lever(report: GapReport) -> SkillGap | None:
    """The open gap whose closing raises readiness the most (ties: report order).

    Readiness adds up per requirement, so the gain of closing one gap grows with
    importance x gap / required level; the few largest are checked with the report itself."""
    best: SkillGap | None = None
    gain = 0.0
    likely = sorted(report.gaps, key=lambda r: -r.importance * r.gap / max(r.required_level, 1e-9))[
        :LEVER_CANDIDATES
    ]
    for row in sorted(likely, key=report.gaps.index):
        after = report.readiness_if_closed([row.skill_id])
        if after - report.readiness > gain + 1e-9:
            best, gain = row, after - report.readiness
    return best


def _sentence(
    ctx: EngineContext,
    subject: Subject,
    transition: Transition,
    target: Role,
    report: GapReport,
    hours: float,
) -> str:
    source = ctx.graph.role(subject.role_id).title
    parts = [
        f"{target.title}: {transition.move.value} move from {source}",
        f"readiness {report.readiness:.0f}",
    ]
    gaps = report.gaps
    if gaps:
        parts.append(f"{len(gaps)} gap{'s' if len(gaps) != 1 else ''} (about {hours:.0f} h)")
    else:
        parts.append("no open gaps")
    if transition.observed_count:
        n = transition.observed_count
        parts.append(f"a move made {n} time{'s' if n != 1 else ''} before")
    return ", ".join(parts)


class _Interest:
    """The employee's interests, split into role ids, skill ids and free text."""

    def __init__(self, ctx: EngineContext, interests: Sequence[str]) -> None:
        self.ctx = ctx
        self.roles = [i for i in interests if i in ctx.records.roles]
        self.skills = {i for i in interests if i in ctx.records.skills}
        texts = [i for i in interests if i not in ctx.records.roles and i not in ctx.records.skills]
        self.vector: np.ndarray | None = None
        roles_index = ctx.indexes.get("roles")
        if texts and roles_index is not None:
            self.vector = np.asarray(ctx.encoder.encode(["; ".join(texts)])[0], dtype=np.float32)
        self.active = bool(self.roles or self.skills or self.vector is not None)

    def score(self, role: Role) -> float:
        if not self.active:
            return 0.0
        if role.id in self.roles:
            return 1.0
        return max(self._skill_share(role), self._text(role))

    def _skill_share(self, role: Role) -> float:
        if not self.skills:
            return 0.0
        profile = self.ctx.graph.role_profile(role.id)
        total = sum(max(r.importance, 0.0) for r in profile)
        if total <= 0:
            return 0.0
        return sum(max(r.importance, 0.0) for r in profile if r.skill_id in self.skills) / total

    def _text(self, role: Role) -> float:
        if self.vector is None:
            return 0.0
        index = self.ctx.indexes["roles"]
        try:
            vector = index.vector(role.id)
        except KeyError:  # NotFoundError: the role has no vector
            return 0.0
        return float(min(1.0, max(0.0, float(np.dot(self.vector, vector)))))
