"""Learning content: items that close the gaps, prerequisites first, diversified.

Needs come from needs.py (an employee's gaps against a role, or a list of skills). An item
reaches, on a needed skill, the level the partial-credit rule of gaps.py gives for the skills it
teaches (teaching PostgreSQL to 3 takes "databases" to 2.4), capped at the needed level. Only items
that move at least one need above the learner's current level are candidates, so an item whose
taught skills the learner already holds at that level is never recommended.

Signals, each in [0, 1]:

- coverage: per need, the share of the gap the item closes, averaged with weights
  importance x gap size.
- level_fit: 1 when the item is pitched at most `max_stretch` levels above the learner's current
  level on the needs it serves, halved for each level beyond.
- text: cosine of the needs' embedding and the item's embedding (clipped at 0). The needs'
  embedding is the normalised mean of the needed skills' vectors in the skills index
  (needs.needs_vector), so no model runs at query time; the text "Learn: <skills>." is
  encoded only when a needed skill has no vector.

relevance = 0.7 coverage + 0.15 level_fit + 0.15 text (DEFAULT_WEIGHTS). An item with a
prerequisite (LearningItem.prerequisites) the learner does not meet is kept when the catalogue,
within the query's filters, has items that teach it: those are added to the list before it, the
quickest teacher first, chained up to MAX_PREREQUISITE_DEPTH. Otherwise its relevance is
multiplied by `prerequisite_penalty`. (Prerequisites between skills in the graph order the gaps
and a plan's goals; an item's own prerequisites say what it needs.)

Selection is maximal marginal relevance over the item embeddings:
`mmr = lambda x relevance - (1 - lambda) x max cosine to the items already chosen`, lambda =
`mmr_lambda` (1: pure relevance). The score of a result is its MMR value, which never increases
down the list. An item that must come before another takes at least the other's score and is
placed before it, so the list stays sorted by score.

Filters: `modality` (one or a list), `channel` (experience | people | formal),
`max_duration_hours`, `mmr_lambda`, `exclude` (item ids), `topics`, `target_level`,
`current_level` (needs.py). Candidates come from a skill -> items map (an item is listed under the
skills it teaches and their broader skills) and from the items index for untagged items: those
match the closest need by embedding when the cosine reaches `semantic_threshold`, and are assumed
to take a learner one level above the level they are pitched at, at half the coverage.

Speed: candidates are found and scored with arrays (content_table.py, credit.py) and the
prerequisites of a pool item are planned only when MMR reaches it (see `_mmr`);
`vectorised=False` scores every candidate in Python and plans every pool item first, the
reference the arrays are tested against. `warm()` builds the item table before the first query.
`recommend_many` answers several queries, scoring those with the same filters in one pass
(content_table.score_items_many; a career path's hops), each as `recommend` would.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import networkx as nx
import numpy as np

from skillgraph.data.schema import (
    CHANNEL_OF_MODALITY,
    MAX_LEVEL,
    LearningChannel,
    LearningItem,
    Modality,
    TargetKind,
)
from skillgraph.errors import NotFoundError, ValidationError
from skillgraph.recommend.base import (
    EngineContext,
    GapReason,
    Query,
    Recommendation,
    Recommender,
    ask_each,
    check_query,
)
from skillgraph.recommend.content_table import ItemTable, ScoredItems, score_items_many
from skillgraph.recommend.explain import explanation, fmt_level
from skillgraph.recommend.gaps import EPSILON, GapAnalyzer, analyzer_for
from skillgraph.recommend.needs import (
    NEED_FILTERS,
    Need,
    Needs,
    check_filters,
    needs_for,
    needs_vector,
    string_list,
)

DEFAULT_WEIGHTS: dict[str, float] = {"coverage": 0.7, "level_fit": 0.15, "text": 0.15}
CONTENT_FILTERS = NEED_FILTERS | {
    "modality",
    "channel",
    "max_duration_hours",
    "mmr_lambda",
    "exclude",
}
MAX_PREREQUISITE_DEPTH = 3
SEMANTIC_DISCOUNT = 0.5


@dataclass
class _Scored:
    item: LearningItem
    relevance: float
    signals: dict[str, float]
    reached: dict[str, float]  # need skill id -> level the item takes the learner to
    semantic: bool = False
    unmet: list[tuple[str, float]] = field(default_factory=list)  # prerequisites not held
    helpers: list[str] = field(default_factory=list)  # items that teach them, in order
    helper_edges: list[tuple[str, str]] = field(default_factory=list)  # (first, then)


@dataclass(frozen=True)
class _Asked:
    """A checked query, its filters, its needs and their embedding."""

    query: Query
    rules: _Rules
    needs: Needs
    vector: np.ndarray


@dataclass(frozen=True)
class _Rules:
    """The filters of one query, checked."""

    modalities: frozenset[Modality] | None
    max_hours: float | None
    excluded: frozenset[str]
    mmr_lambda: float

    def allows(self, item: LearningItem) -> bool:
        if item.id in self.excluded:
            return False
        if self.modalities is not None and item.modality not in self.modalities:
            return False
        return self.max_hours is None or item.duration_hours <= self.max_hours + EPSILON


class ContentRecommender(Recommender):
    name = "content"
    kind = TargetKind.CONTENT

    def __init__(
        self,
        *,
        mmr_lambda: float = 0.7,
        weights: Mapping[str, float] | None = None,
        max_stretch: float = 2.0,
        prerequisite_penalty: float = 0.5,
        semantic_threshold: float = 0.35,
        overfetch: int = 5,
        min_candidates: int = 50,
        vectorised: bool = True,
    ) -> None:
        """`vectorised` False scores the candidates one by one in Python: the reference the
        array path (content_table.py) is tested against."""
        super().__init__()
        if not 0.0 <= mmr_lambda <= 1.0:
            raise ValidationError(f"mmr_lambda must be within [0, 1], got {mmr_lambda}")
        unknown = set(weights or {}) - set(DEFAULT_WEIGHTS)
        if unknown:
            raise ValidationError(f"unknown content weight(s): {', '.join(sorted(unknown))}")
        self.mmr_lambda = mmr_lambda
        self.weights = {**DEFAULT_WEIGHTS, **(weights or {})}
        self.max_stretch = max_stretch
        self.prerequisite_penalty = prerequisite_penalty
        self.semantic_threshold = semantic_threshold
        self.overfetch = overfetch
        self.min_candidates = min_candidates
        self.vectorised = vectorised
        self._analyzer: GapAnalyzer | None = None
        self._table: ItemTable | None = None
        self._by_skill: dict[str, set[str]] = {}  # skill -> items teaching it or a narrower one
        self._direct: dict[str, set[str]] = {}  # skill -> items teaching exactly it
        self._untagged: set[str] = set()
        self._taught: dict[str, dict[str, float]] = {}

    def params(self) -> dict[str, Any]:
        return {
            "mmr_lambda": self.mmr_lambda,
            "weights": dict(self.weights),
            "max_stretch": self.max_stretch,
            "prerequisite_penalty": self.prerequisite_penalty,
            "semantic_threshold": self.semantic_threshold,
            "overfetch": self.overfetch,
            "min_candidates": self.min_candidates,
            "vectorised": self.vectorised,
        }

    @property
    def analyzer(self) -> GapAnalyzer:
        if self._analyzer is None:
            self._analyzer = analyzer_for(self.ctx)
        return self._analyzer

    def warm(self) -> None:
        """Build now what the first query would build (the item table)."""
        if self.vectorised:
            _ = self.table

    @property
    def table(self) -> ItemTable:
        """The tagged items as arrays, built on first use."""
        if self._table is None:
            ctx = self.ctx
            tagged = [i for i in ctx.records.items.values() if i.id not in self._untagged]
            index = ctx.indexes.get("items")
            self._table = ItemTable(self.analyzer, tagged, self._taught, index, ctx.encoder.dim)
        return self._table

    # fit ----------------------------------------------------------------------------------
    def _fit(self, ctx: EngineContext) -> None:
        self._analyzer = analyzer_for(ctx)
        self._table = None
        self._by_skill, self._direct, self._untagged, self._taught = {}, {}, set(), {}
        for item in ctx.records.items.values():
            taught: dict[str, float] = {}
            for s in item.skills:
                taught[s.skill_id] = max(taught.get(s.skill_id, 0.0), s.level)
            self._taught[item.id] = taught
            if not taught:
                self._untagged.add(item.id)
            for skill_id in taught:
                self._direct.setdefault(skill_id, set()).add(item.id)
                for key in {skill_id, *ctx.graph.ancestors(skill_id)}:
                    self._by_skill.setdefault(key, set()).add(item.id)

    # recommend ----------------------------------------------------------------------------
    def recommend(self, query: Query) -> list[Recommendation]:
        return self._recommend(query, None)

    def recommend_many(
        self, queries: Sequence[Query], needs: Sequence[Needs] | None = None
    ) -> list[list[Recommendation]]:
        """`recommend` for each query, where a query it refuses (ValidationError) gets an empty
        list. `needs`, when given, are the queries' needs (needs.needs_for), computed once for
        several recommenders. Queries with the same filters are scored in one pass
        (content_table.score_items_many): a career path's hops, for instance."""
        asked = ask_each(self._asked, queries, needs)
        scores = self._scores_many([a for a in asked if a is not None])
        out: list[list[Recommendation]] = []
        for one in asked:
            try:
                out.append([] if one is None else self._answer(one, scores.get(id(one))))
            except ValidationError:
                out.append([])
        return out

    def _recommend(self, query: Query, needs: Needs | None) -> list[Recommendation]:
        asked = self._asked(query, needs)
        if asked is None:
            return []
        return self._answer(asked, self._scores_many([asked]).get(id(asked)))

    def _asked(self, query: Query, needs: Needs | None) -> _Asked | None:
        """The query checked, with its filters, needs and their embedding; None when it needs
        nothing."""
        ctx = self.ctx
        check_query(ctx, query)
        check_filters(query.filters, CONTENT_FILTERS, self.name)
        rules = self._rules(query.filters)
        if needs is None:
            needs = needs_for(ctx, query, self.analyzer)
        if not needs:
            return None
        return _Asked(query, rules, needs, needs_vector(ctx, needs, _needs_text(needs)))

    def _scores_many(self, batch: Sequence[_Asked]) -> dict[int, ScoredItems]:
        """id(asked) -> its table scores, the queries with the same filters scored together
        (none when not vectorised)."""
        if not self.vectorised:
            return {}
        groups: dict[_Rules, list[_Asked]] = {}
        for one in batch:
            groups.setdefault(one.rules, []).append(one)
        found: dict[int, ScoredItems] = {}
        for rules, members in groups.items():
            scored = score_items_many(
                self.table,
                [a.needs for a in members],
                [a.vector for a in members],
                self.weights,
                self.max_stretch,
                modalities=rules.modalities,
                max_hours=rules.max_hours,
                excluded=rules.excluded,
            )
            found.update(zip(map(id, members), scored, strict=True))
        return found

    def _answer(self, asked: _Asked, scores: ScoredItems | None) -> list[Recommendation]:
        ctx, query, needs, rules = self.ctx, asked.query, asked.needs, asked.rules
        scored = self._candidates(ctx, query, needs, rules, asked.vector, scores)
        # prerequisites only lower relevance, so the best `pool_size` before them hold the answer
        size = max(self.min_candidates, self.overfetch * query.k)
        if isinstance(scored, _TableScores):
            ids, relevance, vectors = scored.pool(size, lambda i: _vector_or_zero(ctx, i))
        else:
            pool = sorted(scored.values(), key=lambda c: (-c.relevance, c.item.id))[:size]
            ids = [c.item.id for c in pool]
        pending = set(ids)  # pool items whose prerequisites are not planned yet

        def plan(item_id: str) -> float:
            cand = scored[item_id]
            if item_id in pending:
                pending.discard(item_id)
                self._plan_prerequisites(ctx, cand, needs, rules)
            return cand.relevance

        if not isinstance(scored, _TableScores) or self.prerequisite_penalty > 1.0:
            relevance = np.array([plan(i) for i in ids])  # every item planned first
            vectors = np.stack([self._item_vector(ctx, i) for i in ids] or [np.zeros(1)])
        chosen = self._mmr(ids, relevance, vectors, query.k, rules.mmr_lambda, plan=plan)
        for item_id, _ in chosen:  # helpers are listed too: their own plans show
            for before, after in scored[item_id].helper_edges:
                for helper in (before, after):
                    if helper in pending:
                        plan(helper)
        return self._finish(ctx, needs, scored, chosen, query.k)

    def _rules(self, filters: Mapping[str, Any]) -> _Rules:
        modalities: set[Modality] | None = None
        names = string_list(filters, "modality")
        channels = string_list(filters, "channel")
        try:
            if names:
                modalities = {Modality(n) for n in names}
            if channels:
                wanted = {LearningChannel(c) for c in channels}
                by_channel = {m for m in Modality if CHANNEL_OF_MODALITY[m] in wanted}
                modalities = by_channel if modalities is None else modalities & by_channel
        except ValueError as exc:
            raise ValidationError(f"content filter: {exc}") from None
        max_hours = filters.get("max_duration_hours")
        if max_hours is not None and (
            isinstance(max_hours, bool) or not isinstance(max_hours, int | float) or max_hours <= 0
        ):
            raise ValidationError(
                f"max_duration_hours must be a positive number, got {max_hours!r}"
            )
        mmr_lambda = filters.get("mmr_lambda", self.mmr_lambda)
        if (
            isinstance(mmr_lambda, bool)
            or not isinstance(mmr_lambda, int | float)
            or not (0.0 <= mmr_lambda <= 1.0)
        ):
            raise ValidationError(f"mmr_lambda must be within [0, 1], got {mmr_lambda!r}")
        return _Rules(
            modalities=frozenset(modalities) if modalities is not None else None,
            max_hours=float(max_hours) if max_hours is not None else None,
            excluded=frozenset(string_list(filters, "exclude")),
            mmr_lambda=float(mmr_lambda),
        )

    # candidates ---------------------------------------------------------------------------
    def _candidates(
        self,
        ctx: EngineContext,
        query: Query,
        needs: Needs,
        rules: _Rules,
        query_vector: np.ndarray,
        scores: ScoredItems | None,
    ) -> Mapping[str, _Scored]:
        """`scores`: the table's scores of these needs (`_scores_many`), None when not
        vectorised."""
        if scores is not None:
            extra: dict[str, _Scored] = {}
            for match in self._semantic(ctx, query, needs, rules, query_vector):
                extra.setdefault(match.item.id, match)
            return _TableScores(self.table, scores, needs, extra)
        ids: set[str] = set()
        for need in needs.needs:
            ids |= self._by_skill.get(need.skill_id, set())
            for near in ctx.graph.related(need.skill_id, radius=1):
                ids |= self._direct.get(near, set())
        scored: dict[str, _Scored] = {}
        for item_id in sorted(ids):
            item = ctx.records.items[item_id]
            if not rules.allows(item):
                continue
            cand = self._score(ctx, item, needs, query_vector)
            if cand is not None:
                scored[item_id] = cand
        for cand in self._semantic(ctx, query, needs, rules, query_vector):
            scored.setdefault(cand.item.id, cand)
        return scored

    def _score(
        self, ctx: EngineContext, item: LearningItem, needs: Needs, query_vector: np.ndarray
    ) -> _Scored | None:
        taught = self._taught[item.id]
        reached: dict[str, float] = {}
        for need in needs.needs:
            level = self.analyzer.effective_level(taught, need.skill_id, cap=need.required_level)
            if level > need.current_level + EPSILON:
                reached[need.skill_id] = level
        if not reached:
            return None
        return self._scored(ctx, item, needs, reached, query_vector, semantic=False)

    def _scored(
        self,
        ctx: EngineContext,
        item: LearningItem,
        needs: Needs,
        reached: dict[str, float],
        query_vector: np.ndarray,
        *,
        semantic: bool,
    ) -> _Scored:
        by_id = needs.by_id()
        coverage = _coverage(needs, reached) * (SEMANTIC_DISCOUNT if semantic else 1.0)
        lowest = min(by_id[s].current_level for s in reached)
        excess = item.level - (lowest + self.max_stretch)
        vector = _vector_or_none(ctx, item.id)
        text = max(0.0, float(np.dot(vector, query_vector))) if vector is not None else 0.0
        signals = {"coverage": coverage, "level_fit": 0.5**excess if excess > 0 else 1.0}
        signals["text"] = min(1.0, text)
        relevance = sum(self.weights[k] * v for k, v in signals.items())
        return _Scored(item, relevance, signals, reached, semantic=semantic)

    def _semantic(
        self,
        ctx: EngineContext,
        query: Query,
        needs: Needs,
        rules: _Rules,
        query_vector: np.ndarray,
    ) -> list[_Scored]:
        """Untagged items close to the needs' embedding, each assigned to its closest need."""
        allowed = [i for i in self._untagged if rules.allows(ctx.records.items[i])]
        index = ctx.index("items")
        if not allowed or not len(index):
            return []
        fetch = max(self.min_candidates, self.overfetch * query.k)
        hits = index.search(query_vector[None, :], fetch, allow=allowed)[0]
        found = []
        for item_id, cosine in hits:
            if cosine < self.semantic_threshold:
                continue
            item = ctx.records.items[item_id]
            need = _closest_need(ctx, needs, ctx.index("items").vector(item_id))
            reach = min(MAX_LEVEL, item.level + 1.0, need.required_level)
            if reach > need.current_level + EPSILON:
                reached = {need.skill_id: reach}
                found.append(self._scored(ctx, item, needs, reached, query_vector, semantic=True))
        return found

    # prerequisites ------------------------------------------------------------------------
    def _plan_prerequisites(
        self, ctx: EngineContext, cand: _Scored, needs: Needs, rules: _Rules
    ) -> None:
        """Find items teaching unmet prerequisites; demote the item when there are none."""
        held = dict(needs.held)
        cand.unmet = self._unmet(cand.item, held)
        if not cand.unmet:
            return
        edges = self._helpers(ctx, cand.item, held, rules, depth=0, taken={cand.item.id})
        if edges is None:
            cand.relevance *= self.prerequisite_penalty
            cand.signals["prerequisite_penalty"] = self.prerequisite_penalty
        else:
            cand.helper_edges = edges
            cand.helpers = [first for first, _ in edges]

    def _unmet(self, item: LearningItem, held: Mapping[str, float]) -> list[tuple[str, float]]:
        return [
            (p.skill_id, p.level)
            for p in item.prerequisites
            if self.analyzer.effective_level(held, p.skill_id, cap=p.level) + EPSILON < p.level
        ]

    def _helpers(
        self,
        ctx: EngineContext,
        item: LearningItem,
        held: dict[str, float],
        rules: _Rules,
        *,
        depth: int,
        taken: set[str],
    ) -> list[tuple[str, str]] | None:
        """(teacher, item it comes before) pairs, teachers in the order to take them (updating
        `held` as they are taken), or None when some prerequisite has no teacher."""
        if depth >= MAX_PREREQUISITE_DEPTH:
            return None
        edges: list[tuple[str, str]] = []
        for skill_id, level in self._unmet(item, held):
            if self.analyzer.effective_level(held, skill_id, cap=level) + EPSILON >= level:
                continue  # an earlier teacher already took the learner there
            chain = self._teacher_chain(ctx, item.id, skill_id, level, held, rules, depth, taken)
            if chain is None:
                return None
            edges.extend(chain)
        return edges

    def _teacher_chain(
        self,
        ctx: EngineContext,
        dependent: str,
        skill_id: str,
        level: float,
        held: dict[str, float],
        rules: _Rules,
        depth: int,
        taken: set[str],
    ) -> list[tuple[str, str]] | None:
        """The quickest teacher of `skill_id` to `level` (after its own prerequisites)."""
        teachers = []
        for item_id in self._by_skill.get(skill_id, set()) - taken:
            item = ctx.records.items[item_id]
            reach = self.analyzer.effective_level(self._taught[item_id], skill_id, cap=level)
            if rules.allows(item) and reach + EPSILON >= level:
                teachers.append(item)
        teachers.sort(key=lambda i: (len(self._unmet(i, held)), i.duration_hours, i.id))
        for teacher in teachers:
            trial = dict(held)
            before = self._helpers(
                ctx, teacher, trial, rules, depth=depth + 1, taken=taken | {teacher.id}
            )
            if before is None:
                continue
            for s, lv in self._taught[teacher.id].items():
                trial[s] = max(trial.get(s, 0.0), lv)
            held.clear()
            held.update(trial)
            taken.update([*(first for first, _ in before), teacher.id])
            return [*before, (teacher.id, dependent)]
        return None

    # selection ----------------------------------------------------------------------------
    @staticmethod
    def _mmr(
        ids: list[str],
        relevance: np.ndarray,
        vectors: np.ndarray,
        k: int,
        mmr_lambda: float,
        *,
        plan: Callable[[str], float],
    ) -> list[tuple[str, float]]:
        """Maximal marginal relevance over the pool (ids, their relevance and vectors). An
        item's prerequisites are planned (`plan`, which returns its relevance after) when it
        first comes out on top: planning only lowers relevance, so an item on top after
        planning is on top among fully planned items too, and the choice is the one made with
        every item planned first (ties: the earlier item, as np.argmax)."""
        if not ids:
            return []
        max_sim = np.zeros(len(ids))
        remaining = list(range(len(ids)))
        chosen: list[tuple[str, float]] = []
        while remaining and len(chosen) < k:
            values = mmr_lambda * relevance[remaining] - (1.0 - mmr_lambda) * max_sim[remaining]
            best = remaining[int(np.argmax(values))]
            planned = plan(ids[best])
            if planned != relevance[best]:
                relevance[best] = planned
                continue  # demoted: look again
            chosen.append((ids[best], float(values.max())))
            remaining.remove(best)
            max_sim = np.maximum(max_sim, vectors @ vectors[best])
        return chosen

    def _item_vector(self, ctx: EngineContext, item_id: str) -> np.ndarray:
        if self.vectorised:
            row = self.table.row.get(item_id)
            if row is not None:
                return self.table.vectors[row]
        return _vector_or_zero(ctx, item_id)

    def _finish(
        self,
        ctx: EngineContext,
        needs: Needs,
        scored: Mapping[str, _Scored],
        chosen: list[tuple[str, float]],
        k: int,
    ) -> list[Recommendation]:
        score = dict(chosen)
        if not any(scored[item_id].helper_edges for item_id in score):
            # no item to place before another: the order is by score, then as chosen
            position = {n: i for i, (n, _) in enumerate(chosen)}
            listed = sorted(score, key=lambda n: (-score[n], position[n]))[:k]
            return [
                self._recommendation(ctx, needs, scored.get(n), n, score[n], []) for n in listed
            ]
        order: nx.DiGraph[str] = nx.DiGraph()
        order.add_nodes_from(score)
        for item_id, _ in chosen:
            for before, after in scored[item_id].helper_edges:
                _add_edge(order, before, after)
        position = {n: i for i, (n, _) in enumerate(chosen)}
        topo = nx.lexicographical_topological_sort(
            order, key=lambda n: (position.get(n, len(position)), n)
        )
        rank = {n: i for i, n in enumerate(topo)}
        for node in reversed(list(nx.topological_sort(order))):
            for succ in order.successors(node):
                score[node] = max(score.get(node, float("-inf")), score[succ])
        listed = sorted(order.nodes, key=lambda n: (-score[n], rank[n]))[:k]
        dependents = {n: sorted(order.successors(n)) for n in order.nodes}
        return [
            self._recommendation(ctx, needs, scored.get(n), n, score[n], dependents[n])
            for n in listed
        ]

    def _recommendation(
        self,
        ctx: EngineContext,
        needs: Needs,
        cand: _Scored | None,
        item_id: str,
        score: float,
        before: list[str],
    ) -> Recommendation:
        item = ctx.records.items[item_id]
        by_id = needs.by_id()
        if cand is not None:
            reasons = [by_id[s].reason() for s in by_id if s in cand.reached]
            reached = dict(cand.reached)
            signals = {**cand.signals, "relevance": cand.relevance}
        else:  # added only to teach a prerequisite of a listed item
            reasons, reached, signals = self._prerequisite_reasons(ctx, item, needs, before)
        phrases = [
            f"{r.skill_label} {fmt_level(r.current_level)} -> "
            f"{fmt_level(min(reached.get(r.skill_id, r.required_level), r.required_level))}"
            for r in reasons
        ]
        text = f"{item.title} ({item.modality.value}, {fmt_level(item.duration_hours)} h) teaches "
        text += ", ".join(phrases) or "related material"
        if before:
            text += "; take it before " + _titles(ctx, before)
        unmet = cand.unmet if cand is not None and not cand.helpers else []
        if unmet:
            text += "; needs " + ", ".join(
                f"{ctx.skill_label(s)} {fmt_level(lv)} first" for s, lv in unmet
            )
        payload = {
            "title": item.title,
            "provider": item.provider,
            "modality": item.modality.value,
            "channel": item.channel.value,
            "duration_hours": item.duration_hours,
            "level": item.level,
            "url": item.url,
            "reaches": reached,
            "prerequisite_for": before,
            "requires_first": cand.helpers if cand is not None else [],
            "unmet_prerequisites": [{"skill_id": s, "level": lv} for s, lv in unmet],
            "semantic_match": bool(cand and cand.semantic),
        }
        return Recommendation(
            item_id=item_id,
            kind=TargetKind.CONTENT,
            score=round(score, 6),
            explanation=explanation(reasons, signals, text, report=needs.report, reached=reached),
            payload=payload,
        )

    def _prerequisite_reasons(
        self, ctx: EngineContext, item: LearningItem, needs: Needs, before: list[str]
    ) -> tuple[list[GapReason], dict[str, float], dict[str, float]]:
        taught = self._taught[item.id]
        reasons: list[GapReason] = []
        reached: dict[str, float] = {}
        for dependent in before:
            for p in ctx.records.items[dependent].prerequisites:
                current = self.analyzer.effective_level(needs.held, p.skill_id, cap=p.level)
                reach = self.analyzer.effective_level(taught, p.skill_id, cap=p.level)
                if reach > current + EPSILON and p.skill_id not in reached:
                    reached[p.skill_id] = reach
                    label = ctx.skill_label(p.skill_id)
                    reasons.append(GapReason(p.skill_id, label, p.level, current, p.importance))
        return reasons, reached, {"prerequisite": 1.0}


class _TableScores(Mapping[str, _Scored]):
    """Scored candidates held as arrays (content_table.py), made into _Scored when asked for;
    each is made once, so changes to it (prerequisite planning) stay. `extra`: semantic
    matches of untagged items."""

    def __init__(
        self, table: ItemTable, scores: ScoredItems, needs: Needs, extra: dict[str, _Scored]
    ) -> None:
        self.table = table
        self.scores = scores
        self.needs = needs
        self.extra = extra
        self.made: dict[str, _Scored] = {}

    def _position(self, item_id: str) -> int | None:
        row = self.table.row.get(item_id)
        if row is None:
            return None
        rows = self.scores.rows  # sorted
        p = int(np.searchsorted(rows, row))
        return p if p < len(rows) and rows[p] == row else None

    def __getitem__(self, item_id: str) -> _Scored:
        if item_id not in self.made:
            p = self._position(item_id)
            if p is None:
                return self.extra[item_id]
            self._make(p)
        return self.made[item_id]

    def _make(self, p: int) -> None:
        s = self.scores
        item = self.table.items[int(s.rows[p])]
        levels, reached = s.levels[p].tolist(), s.reached[p].tolist()
        reach = {
            need.skill_id: level
            for need, level, hit in zip(self.needs.needs, levels, reached, strict=True)
            if hit
        }
        signals = {
            "coverage": float(s.coverage[p]),
            "level_fit": float(s.level_fit[p]),
            "text": float(s.text[p]),
        }
        self.made[item.id] = _Scored(item, float(s.relevance[p]), signals, reach)

    def __iter__(self) -> Iterator[str]:
        rows = self.scores.rows.tolist()
        yield from (self.table.items[r].id for r in rows)
        yield from (i for i in self.extra if self._position(i) is None)

    def __len__(self) -> int:
        return len(self.scores.rows) + sum(1 for i in self.extra if self._position(i) is None)

    def pool(
        self, count: int, vector_of: Callable[[str], np.ndarray]
    ) -> tuple[list[str], np.ndarray, np.ndarray]:
        """The `count` most relevant by (-relevance, item id): their ids, relevance and
        embeddings, read from the arrays (nothing is made into a _Scored)."""
        s, table = self.scores, self.table
        positions = s.best(table, count).tolist()
        rows = s.rows[positions].tolist()
        entries = [
            (-relevance, table.items[row].id, relevance, row)
            for relevance, row in zip(s.relevance[positions].tolist(), rows, strict=True)
        ]
        entries += [(-c.relevance, i, c.relevance, -1) for i, c in self.extra.items()]
        entries = sorted(entries)[:count]
        vectors = [table.vectors[row] if row >= 0 else vector_of(i) for _, i, _, row in entries]
        return (
            [i for _, i, _, _ in entries],
            np.array([relevance for _, _, relevance, _ in entries]),
            np.stack(vectors) if vectors else np.zeros((0, table.vectors.shape[1]), np.float32),
        )


def _add_edge(order: nx.DiGraph, before: str, after: str) -> None:
    """Add before -> after unless it would close a cycle (the first constraint wins)."""
    if before == after:
        return
    order.add_nodes_from([before, after])
    if not nx.has_path(order, after, before):
        order.add_edge(before, after)


def _titles(ctx: EngineContext, item_ids: list[str], shown: int = 2) -> str:
    titles = [ctx.records.items[i].title for i in item_ids]
    more = f" and {len(titles) - shown} more" if len(titles) > shown else ""
    return ", ".join(titles[:shown]) + more


def _coverage(needs: Needs, reached: Mapping[str, float]) -> float:
    total = 0.0
    closed = 0.0
    for need in needs.needs:
        weight = max(need.importance, EPSILON) * need.gap
        total += weight
        if need.skill_id in reached and need.gap > 0:
            gained = min(reached[need.skill_id], need.required_level) - need.current_level
            closed += weight * max(0.0, gained) / need.gap
    return closed / total if total > 0 else 0.0


def _closest_need(ctx: EngineContext, needs: Needs, vector: np.ndarray) -> Need:
    best, best_score = needs.needs[0], float("-inf")
    for need in needs.needs:
        skill_vector = _index_vector(ctx, "skills", need.skill_id)
        score = float(np.dot(skill_vector, vector)) if skill_vector is not None else -1.0
        if score > best_score:
            best, best_score = need, score
    return best


def _needs_text(needs: Needs) -> str:
    return "Learn: " + ", ".join(n.label for n in needs.needs) + "."


def _index_vector(ctx: EngineContext, index: str, id_: str) -> np.ndarray | None:
    try:
        return ctx.index(index).vector(id_)
    except (NotFoundError, KeyError):
        return None


def _vector_or_none(ctx: EngineContext, item_id: str) -> np.ndarray | None:
    return _index_vector(ctx, "items", item_id)


def _vector_or_zero(ctx: EngineContext, item_id: str) -> np.ndarray:
    vector = _vector_or_none(ctx, item_id)
    return vector if vector is not None else np.zeros(ctx.encoder.dim, dtype=np.float32)
