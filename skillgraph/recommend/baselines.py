"""Baselines for the offline evaluation, under the same Recommender contract.

Each ranks one kind of target, `target` = "content" (learning items), "mentors" (mentor offers)
or "roles" (roles for an employee's next move):

- RandomRecommender: a seeded shuffle; the same query always gets the same order.
- PopularityRecommender: how often a target is taken in the records. Content: accepted or useful
  feedback on the item; mentors: feedback on the offer plus current mentees (ctx.mentor_load);
  roles: moves into the role seen in employees' role histories (spell to spell, and last spell to
  the current role). Ties broken by the share of employees holding the target's skills (< 1).
- EmbeddingOnlyRecommender: cosine of the query to the targets' embeddings. The query vector is
  the sum of what the query names: the employee's profile, the target role (or the role), and
  the labels of `skill_ids`.
- GraphOnlyRecommender: skill overlap through the ontology, no embeddings. Content and mentors:
  per need (needs.py), the best graph.similarity of a skill the target teaches / holds to the
  needed skill, times min(1, level / needed level), averaged with weights importance x gap.
  Roles: readiness (gaps.py) of the employee (or of `role_id`) for each role.

Every baseline keeps the hard rules the product keeps: no offer of the mentee themselves, their
manager or report, no full or unavailable offer, not the current role. Explanations name the
needs a target touches, like the real recommenders do. Unknown filters are ignored.
"""

from __future__ import annotations

import hashlib
import itertools
import json
from collections import Counter
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

import numpy as np

from skillgraph.data.schema import FeedbackVerdict, TargetKind
from skillgraph.errors import NotFoundError, ValidationError
from skillgraph.recommend.base import (
    EngineContext,
    GapReason,
    Query,
    Recommendation,
    Recommender,
    check_query,
    top_k,
)
from skillgraph.recommend.explain import explanation, reason_of
from skillgraph.recommend.gaps import (
    EPSILON,
    GapAnalyzer,
    analyzer_for,
    held_levels,
    role_levels,
)
from skillgraph.recommend.mentors import may_mentor
from skillgraph.recommend.needs import Needs, needs_for

TARGETS: dict[str, TargetKind] = {
    "content": TargetKind.CONTENT,
    "mentors": TargetKind.MENTOR,
    "roles": TargetKind.ROLE,
}
INDEX_OF_TARGET = {"content": "items", "mentors": "mentors", "roles": "roles"}
POSITIVE = (FeedbackVerdict.ACCEPTED, FeedbackVerdict.USEFUL)
EXPLAINED_ROLE_GAPS = 3


class BaselineRecommender(Recommender):
    """Shared plumbing: the candidate pool, the needs, the explanations."""

    base_name = "baseline"

    def __init__(self, target: str = "content") -> None:
        super().__init__()
        if target not in TARGETS:
            raise ValidationError(
                f"unknown baseline target {target!r}; known: {', '.join(TARGETS)}"
            )
        self.target = target
        self.kind = TARGETS[target]
        self.name = f"{self.base_name}-{target}"
        self._analyzer: GapAnalyzer | None = None

    def params(self) -> dict[str, Any]:
        return {"target": self.target}

    @property
    def analyzer(self) -> GapAnalyzer:
        if self._analyzer is None:
            self._analyzer = analyzer_for(self.ctx)
        return self._analyzer

    def _fit(self, ctx: EngineContext) -> None:
        self._analyzer = analyzer_for(ctx)

    def recommend(self, query: Query) -> list[Recommendation]:
        ctx = self.ctx
        check_query(ctx, query)
        needs = self._needs(query)
        pool = self._pool(query)
        scores = self._scores(query, needs, pool)
        recs = [self._recommendation(query, needs, id_, s) for id_, s in scores.items()]
        return top_k(recs, query.k)

    def _scores(self, query: Query, needs: Needs, pool: list[str]) -> dict[str, float]:
        raise NotImplementedError

    # pool -----------------------------------------------------------------------------------
    def _pool(self, query: Query) -> list[str]:
        ctx = self.ctx
        employee = ctx.employee(query.employee_id) if query.employee_id else None
        if self.target == "content":
            return sorted(ctx.records.items)
        if self.target == "roles":
            current = employee.role_id if employee else query.role_id
            return sorted(r for r in ctx.records.roles if r != current)
        pool = []
        for offer in ctx.records.mentors.values():
            mentor = ctx.records.employees.get(offer.employee_id)
            if mentor is None or not mentor.active or not offer.available:
                continue
            if offer.capacity - ctx.load_of(offer.id) <= 0:
                continue
            if employee is not None and not may_mentor(mentor, employee):
                continue
            pool.append(offer.id)
        return sorted(pool)

    def _needs(self, query: Query) -> Needs:
        if self.target == "roles" or not (
            query.employee_id or query.role_id or query.target_role_id or query.skill_ids
        ):
            employee = self.ctx.employee(query.employee_id) if query.employee_id else None
            return Needs((), None, employee, held_levels(employee) if employee else {})
        filters = {k: v for k, v in query.filters.items() if k in ("target_level", "topics")}
        return needs_for(self.ctx, replace(query, filters=filters), self.analyzer)

    # explanations ---------------------------------------------------------------------------
    def _recommendation(
        self, query: Query, needs: Needs, target_id: str, score: float
    ) -> Recommendation:
        reasons, reached = self._reasons(query, needs, target_id)
        report = needs.report
        if self.target == "roles":
            report = None
        names = ", ".join(r.skill_label for r in reasons) or "no open gap"
        text = f"{self.base_name} baseline ({self.target}); touches {names}"
        return Recommendation(
            item_id=target_id,
            kind=self.kind,
            score=round(float(score), 6),
            explanation=explanation(
                reasons, {self.base_name: float(score)}, text, report=report, reached=reached
            ),
            payload={"baseline": self.base_name, "target": self.target},
        )

    def _reasons(
        self, query: Query, needs: Needs, target_id: str
    ) -> tuple[list[GapReason], dict[str, float]]:
        if self.target == "roles":
            return self._role_reasons(query, target_id), {}
        levels = self._target_levels(target_id)
        reasons, reached = [], {}
        for need in needs.needs:
            level = self.analyzer.effective_level(levels, need.skill_id, cap=need.required_level)
            if level > need.current_level + EPSILON:
                reasons.append(need.reason())
                reached[need.skill_id] = level
        return reasons, reached

    def _role_reasons(self, query: Query, role_id: str) -> list[GapReason]:
        held = self._subject_levels(query)
        if held is None:
            return []
        report = self.analyzer.report(held, role_id)
        return [reason_of(r) for r in report.gaps[:EXPLAINED_ROLE_GAPS]]

    def _subject_levels(self, query: Query) -> dict[str, float] | None:
        if query.employee_id:
            return held_levels(self.ctx.employee(query.employee_id))
        if query.role_id:
            return role_levels(self.ctx.graph, query.role_id)
        return None

    def _target_levels(self, target_id: str) -> dict[str, float]:
        """Skill levels a content item teaches or a mentor holds."""
        records = self.ctx.records
        levels: dict[str, float] = {}
        if self.target == "content":
            for s in records.items[target_id].skills:
                levels[s.skill_id] = max(levels.get(s.skill_id, 0.0), s.level)
            return levels
        if self.target == "mentors":
            return held_levels(records.employees[records.mentors[target_id].employee_id])
        return role_levels(self.ctx.graph, target_id)


class RandomRecommender(BaselineRecommender):
    base_name = "random"

    def __init__(self, target: str = "content", seed: int = 42) -> None:
        super().__init__(target)
        self.seed = seed

    def params(self) -> dict[str, Any]:
        return {"target": self.target, "seed": self.seed}

    def _scores(self, query: Query, needs: Needs, pool: list[str]) -> dict[str, float]:
        key = json.dumps(
            [query.employee_id, query.role_id, list(query.skill_ids), query.target_role_id],
            sort_keys=True,
        )
        digest = int.from_bytes(hashlib.sha256(key.encode()).digest()[:8], "little")
        rng = np.random.default_rng([self.seed, digest])
        return dict(zip(pool, rng.random(len(pool)).tolist(), strict=True))


class PopularityRecommender(BaselineRecommender):
    base_name = "popularity"

    def __init__(self, target: str = "content") -> None:
        super().__init__(target)
        self._counts: Counter[str] = Counter()
        self._holders: dict[str, float] = {}

    def _fit(self, ctx: EngineContext) -> None:
        super()._fit(ctx)
        self._counts = _taken_counts(ctx, self.target)
        holders: Counter[str] = Counter()
        for emp in ctx.records.employees.values():
            holders.update({s.skill_id for s in emp.skills if s.level > 0})
        total = max(1, len(ctx.records.employees))
        self._holders = {s: n / total for s, n in holders.items()}

    def _scores(self, query: Query, needs: Needs, pool: list[str]) -> dict[str, float]:
        scores = {}
        for target_id in pool:
            skills = self._target_levels(target_id)
            share = sum(self._holders.get(s, 0.0) for s in skills) / len(skills) if skills else 0.0
            scores[target_id] = self._counts.get(target_id, 0) + 0.99 * share
        return scores


def _taken_counts(ctx: EngineContext, target: str) -> Counter[str]:
    counts: Counter[str] = Counter()
    if target == "roles":
        for emp in ctx.records.employees.values():
            spells = sorted(emp.history, key=lambda s: s.start)
            chain = [s.role_id for s in spells]
            if not chain or chain[-1] != emp.role_id:
                chain.append(emp.role_id)
            counts.update(b for a, b in itertools.pairwise(chain) if a != b)
        return counts
    kind = TargetKind.CONTENT if target == "content" else TargetKind.MENTOR
    for fb in ctx.records.feedback.values():
        if fb.target_kind is kind and fb.verdict in POSITIVE:
            counts[fb.target_id] += 1
    if target == "mentors":
        for offer_id, load in ctx.mentor_load.items():
            counts[offer_id] += int(load)
    return counts


class EmbeddingOnlyRecommender(BaselineRecommender):
    base_name = "embedding"

    def _scores(self, query: Query, needs: Needs, pool: list[str]) -> dict[str, float]:
        vector = self._query_vector(query)
        index = self.ctx.index(INDEX_OF_TARGET[self.target])
        if vector is None or not pool or not len(index):
            return {}
        hits = index.search(
            vector[None, :], min(len(pool), self.ctx.settings.recommend.max_k), allow=pool
        )[0]
        return dict(hits)

    def _query_vector(self, query: Query) -> np.ndarray | None:
        ctx = self.ctx
        parts: list[np.ndarray] = []
        if query.employee_id:
            parts.extend(_vectors(ctx, "employees", [query.employee_id]))
        roles = [r for r in (query.target_role_id, query.role_id) if r is not None]
        parts.extend(_vectors(ctx, "roles", roles))
        if query.skill_ids:
            labels = ", ".join(ctx.skill_label(s) for s in query.skill_ids)
            parts.append(ctx.encoder.encode([labels])[0])
        if not parts:
            return None
        total = np.sum(parts, axis=0)
        norm = float(np.linalg.norm(total))
        return (total / norm).astype(np.float32) if norm > 0 else None


class GraphOnlyRecommender(BaselineRecommender):
    base_name = "graph"

    def __init__(self, target: str = "content") -> None:
        super().__init__(target)
        self._similarity: dict[tuple[str, str], float] = {}

    def _scores(self, query: Query, needs: Needs, pool: list[str]) -> dict[str, float]:
        if self.target == "roles":
            held = self._subject_levels(query)
            if held is None:
                return {}
            return {r: self.analyzer.report(held, r).readiness / 100.0 for r in pool}
        total = sum(max(n.importance, EPSILON) * n.gap for n in needs.needs)
        if total <= 0:
            return {}
        scores = {}
        for target_id in pool:
            levels = self._target_levels(target_id)
            value = sum(
                max(n.importance, EPSILON)
                * n.gap
                * self._match(levels, n.skill_id, n.required_level)
                for n in needs.needs
            )
            if value > 0:
                scores[target_id] = value / total
        return scores

    def _match(self, levels: Mapping[str, float], skill_id: str, needed: float) -> float:
        best = 0.0
        for source, level in levels.items():
            sim = self._sim(source, skill_id)
            if sim > 0:
                best = max(best, sim * min(1.0, level / needed if needed > 0 else 1.0))
        return best

    def _sim(self, a: str, b: str) -> float:
        key = (a, b)
        if key not in self._similarity:
            self._similarity[key] = float(self.ctx.graph.similarity(a, b))
        return self._similarity[key]


def _vectors(ctx: EngineContext, index: str, ids: list[str]) -> list[np.ndarray]:
    found = []
    for id_ in ids:
        try:
            found.append(ctx.index(index).vector(id_))
        except (NotFoundError, KeyError):
            continue
    return found
