"""Career paths: the k best routes from one role to another, and open exploration.

A path is a sequence of kept moves of the transition graph (graph/transitions.py); its cost is
the sum of the edge costs (-log weight), its score the product of the edge weights, so a path
is as plausible as its weakest moves allow and every extra hop costs something. `k_best` gives
the k cheapest loopless paths within `max_hops` (Yen's algorithm over hop-bounded searches,
graph/path_search.py), cheapest first; `explore` gives the best path to each role reachable in
`max_hops`, best first. Both use only moves of the types in `moves` (default up and lateral: a
step down is taken only when asked for).

Each hop carries the gap report at that hop. Skills accumulate along the path: at hop i the
person holds what they hold now (an employee's skills, or the start role's profile) raised to
the requirements of every role reached before, i.e. the gaps of earlier hops are taken as
closed. Effort hours per hop follow effort.py over that hop's open gaps, so nothing is counted
twice; the path's effort is their sum. With a ContentRecommender / MentorRecommender, each hop
lists the best content and mentors for its open gaps (queried as the employee towards the hop's
target restricted to those skills, or the hop's source role towards its target without an
employee).

Speed: the hops of one answer are built first (a hop shared by several paths once), then their
content and mentors are asked for together: each distinct query once, its needs computed once
for both recommenders, and through `recommend_many`, which scores the queries of one answer in
one pass (content_table.score_items_many, mentor_table.score_offers_many). The answers are
those of one `recommend` per hop.

An unknown role or employee raises NotFoundError; a target that cannot be reached within
`max_hops` gives an empty PathList whose `reason` says why.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from skillgraph.errors import ValidationError
from skillgraph.graph.path_search import Path
from skillgraph.graph.transitions import MoveType, Transition, TransitionGraph
from skillgraph.recommend.base import (
    EngineContext,
    Query,
    Recommendation,
    Recommender,
    check_query,
)
from skillgraph.recommend.effort import effort_hours
from skillgraph.recommend.gaps import GapAnalyzer, GapReport, analyzer_for, held_levels, role_levels
from skillgraph.recommend.needs import Needs, needs_for

MAX_HOPS = 6
DEFAULT_MOVES = (MoveType.UP, MoveType.LATERAL)


@dataclass(frozen=True)
class PathHop:
    from_role: str
    to_role: str
    to_title: str
    move: MoveType
    signals: Mapping[str, float]  # the edge's transition signals
    weight: float
    cost: float
    observed_count: int
    gaps: GapReport  # with the skills of the earlier hops taken as learnt
    readiness: float
    effort_hours: float
    content: tuple[Recommendation, ...] = ()
    mentors: tuple[Recommendation, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "from_role": self.from_role,
            "to_role": self.to_role,
            "to_title": self.to_title,
            "move": self.move.value,
            "signals": dict(self.signals),
            "weight": self.weight,
            "cost": self.cost,
            "observed_count": self.observed_count,
            "readiness": round(self.readiness, 1),
            "effort_hours": self.effort_hours,
            "gaps": self.gaps.to_dict(),
            "content": [_rec_dict(r) for r in self.content],
            "mentors": [_rec_dict(r) for r in self.mentors],
        }


HopMemo = dict[tuple[str, str, frozenset[tuple[str, float]]], PathHop]


@dataclass(frozen=True)
class CareerPath:
    from_role: str
    to_role: str
    employee_id: str | None
    hops: list[PathHop]
    total_cost: float
    total_score: float  # product of the edge weights, exp(-total_cost)
    total_effort_hours: float

    @property
    def roles(self) -> list[str]:
        return [self.from_role, *(h.to_role for h in self.hops)]

    @property
    def text(self) -> str:
        steps = " -> ".join(f"{h.to_title} ({h.move.value})" for h in self.hops)
        return (
            f"{len(self.hops)} move{'s' if len(self.hops) != 1 else ''}: {steps}; "
            f"score {self.total_score:.2f}, about {self.total_effort_hours:.0f} h of learning"
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "from_role": self.from_role,
            "to_role": self.to_role,
            "employee_id": self.employee_id,
            "roles": self.roles,
            "hops": [h.to_dict() for h in self.hops],
            "total_cost": self.total_cost,
            "total_score": self.total_score,
            "total_effort_hours": self.total_effort_hours,
            "text": self.text,
        }


class PathList(list[CareerPath]):
    """Paths, best first; `reason` says why the list is empty (or shorter than asked)."""

    def __init__(self, paths: Iterable[CareerPath] = (), reason: str | None = None) -> None:
        super().__init__(paths)
        self.reason = reason


class PathFinder:
    """Paths over a transition graph, each hop explained with gaps, effort, content, mentors."""

    def __init__(
        self,
        transitions: TransitionGraph,
        ctx: EngineContext,
        content_rec: Recommender | None = None,
        mentor_rec: Recommender | None = None,
        *,
        per_hop: int = 3,
    ) -> None:
        if per_hop < 0:
            raise ValidationError(f"per_hop must be >= 0, got {per_hop}")
        self.transitions = transitions
        self.ctx = ctx
        self.content_rec = content_rec
        self.mentor_rec = mentor_rec
        self.per_hop = per_hop
        self._analyzer: GapAnalyzer = analyzer_for(ctx)
        self._masks: dict[frozenset[MoveType] | None, np.ndarray | None] = {}

    # queries ------------------------------------------------------------------------------
    def k_best(
        self,
        from_role: str | None,
        to_role: str,
        k: int = 3,
        max_hops: int = 3,
        employee_id: str | None = None,
        *,
        moves: Iterable[MoveType | str] | None = DEFAULT_MOVES,
        details: bool = True,
    ) -> PathList:
        """The k cheapest loopless paths from_role -> to_role of at most max_hops moves, each
        move of a type in `moves` (None: any). `from_role` None: the employee's current role.
        `details` False leaves out content and mentors."""
        start, held = self._start(from_role, employee_id)
        target = self.transitions.index_of(to_role)
        self._check(k, max_hops)
        if start == to_role:
            return PathList(reason=f"{self._title(start)} is already the current role")
        found = self.transitions.edges.k_shortest(
            self.transitions.index_of(start),
            target,
            k,
            max_hops,
            usable=self._move_mask(_move_types(moves)),
        )
        if not found:
            return PathList(reason=self._unreachable(start, to_role, max_hops, moves))
        paths = self._career_paths(found, held, employee_id, details)
        reason = None
        if len(paths) < k:
            reason = f"only {len(paths)} distinct path(s) within {max_hops} moves"
        return PathList(paths, reason)

    def explore(
        self,
        from_role: str | None,
        max_hops: int = 2,
        limit: int = 10,
        employee_id: str | None = None,
        *,
        moves: Iterable[MoveType | str] | None = DEFAULT_MOVES,
        exclude: Iterable[str] = (),
        details: bool = True,
    ) -> PathList:
        """The best path to each role reachable within max_hops moves of the types in `moves`
        (None: any), best first, at most `limit`; roles in `exclude` are not destinations."""
        start, held = self._start(from_role, employee_id)
        self._check(limit, max_hops)
        types = _move_types(moves)
        skipped = {start, *exclude}
        best = self.transitions.edges.iter_best_from(
            self.transitions.index_of(start), max_hops, usable=self._move_mask(types)
        )
        role_ids = self.transitions.role_ids
        kept = (p for p in best if role_ids[p.nodes[-1]] not in skipped)
        chosen = list(itertools.islice(kept, limit))
        if not chosen:
            kinds = "any" if types is None else " or ".join(sorted(m.value for m in types))
            reason = f"no role reachable from {self._title(start)} within {max_hops} {kinds} moves"
            return PathList(reason=reason)
        return PathList(self._career_paths(chosen, held, employee_id, details))

    def path(
        self, roles: Sequence[str], employee_id: str | None = None, *, details: bool = True
    ) -> CareerPath:
        """The hops along a given role sequence (pairs need not be kept edges)."""
        if len(roles) < 2:
            raise ValidationError("a path needs at least two roles")
        _, held = self._start(roles[0], employee_id)
        moves = [self.transitions.pair(a, b) for a, b in itertools.pairwise(roles)]
        found = self._assemble(roles[0], moves, held, employee_id, {})
        return self._detailed([found], employee_id)[0] if details else found

    # building -----------------------------------------------------------------------------
    def _start(
        self, from_role: str | None, employee_id: str | None
    ) -> tuple[str, dict[str, float]]:
        if employee_id is not None:
            emp = self.ctx.employee(employee_id)
            start = from_role or emp.role_id
            self.transitions.index_of(start)
            return start, held_levels(emp)
        if from_role is None:
            raise ValidationError("a path needs a from_role or an employee_id")
        self.transitions.index_of(from_role)
        return from_role, role_levels(self.ctx.graph, from_role)

    def _check(self, k: int, max_hops: int) -> None:
        max_k = self.ctx.settings.recommend.max_k
        if not 1 <= k <= max_k:
            raise ValidationError(f"k must be between 1 and {max_k}, got {k}")
        if not 1 <= max_hops <= MAX_HOPS:
            raise ValidationError(f"max_hops must be between 1 and {MAX_HOPS}, got {max_hops}")

    def _career_paths(
        self,
        found: Sequence[Path],
        held: Mapping[str, float],
        employee_id: str | None,
        details: bool,
    ) -> list[CareerPath]:
        """The paths with their hops; `memo` shares hops between them: paths often start with
        the same moves, and a hop depends only on the move and the levels reached before it."""
        memo: HopMemo = {}
        paths = []
        for path in found:
            ids = [self.transitions.role_ids[i] for i in path.nodes]
            moves = [self.transitions.edge(a, b) for a, b in itertools.pairwise(ids)]
            paths.append(self._assemble(ids[0], moves, held, employee_id, memo))
        return self._detailed(paths, employee_id) if details else paths

    def _detailed(self, paths: list[CareerPath], employee_id: str | None) -> list[CareerPath]:
        """The paths with content and mentors on every hop: each distinct hop asked once, and
        the hops of one answer asked together (their needs computed once for both
        recommenders, their mentors scored in one pass)."""
        hops = list({id(h): h for p in paths for h in p.hops}.values())
        filled = dict(zip(map(id, hops), self._with_details(hops, employee_id), strict=True))
        return [replace(p, hops=[filled[id(h)] for h in p.hops]) for p in paths]

    def _with_details(self, hops: Sequence[PathHop], employee_id: str | None) -> list[PathHop]:
        queries = [self._hop_query(hop, employee_id) for hop in hops]
        distinct: dict[tuple[object, ...], tuple[Query, Needs]] = {}
        for query in queries:
            if query is not None and _key(query) not in distinct:
                needs = self._needs(query)
                if needs is not None:
                    distinct[_key(query)] = (query, needs)
        asked = [q for q, _ in distinct.values()]
        needs_list = [n for _, n in distinct.values()]
        keys = list(distinct)
        content = dict(zip(keys, _ask_many(self.content_rec, asked, needs_list), strict=True))
        mentors = dict(zip(keys, _ask_many(self.mentor_rec, asked, needs_list), strict=True))
        return [
            hop
            if query is None
            else replace(
                hop, content=content.get(_key(query), ()), mentors=mentors.get(_key(query), ())
            )
            for hop, query in zip(hops, queries, strict=True)
        ]

    def _hop_query(self, hop: PathHop, employee_id: str | None) -> Query | None:
        """What a hop asks the recommenders: its open gaps, as the employee towards the hop's
        target (or someone in the hop's source role); None when there is nothing to ask."""
        gap_ids = tuple(r.skill_id for r in hop.gaps.gaps)
        if not gap_ids or self.per_hop <= 0:
            return None
        return Query(
            employee_id=employee_id,
            role_id=None if employee_id else hop.from_role,
            target_role_id=hop.to_role,
            skill_ids=gap_ids,
            k=self.per_hop,
        )

    def _needs(self, query: Query) -> Needs | None:
        """The query's needs (shared by content and mentors), None when they refuse it."""
        try:
            check_query(self.ctx, query)
            return needs_for(self.ctx, query, self._analyzer)
        except ValidationError:
            return None

    def _assemble(
        self,
        start: str,
        moves: Sequence[Transition],
        held: Mapping[str, float],
        employee_id: str | None,
        memo: HopMemo,
    ) -> CareerPath:
        """The path's hops without content and mentors (`_detailed` adds them)."""
        levels = dict(held)
        hops = []
        for move in moves:
            key = (move.source, move.target, frozenset(levels.items()))
            hop = memo.get(key)
            if hop is None:
                report = self._analyzer.report(levels, move.target, employee_id=employee_id)
                hop = memo[key] = self._hop(move, report)
            hops.append(hop)
            for skill_id, level in role_levels(self.ctx.graph, move.target).items():
                levels[skill_id] = max(levels.get(skill_id, 0.0), level)
        cost = math.fsum(m.cost for m in moves)
        return CareerPath(
            from_role=start,
            to_role=moves[-1].target,
            employee_id=employee_id,
            hops=hops,
            total_cost=round(cost, 6),
            total_score=round(math.exp(-cost), 6),
            total_effort_hours=round(math.fsum(h.effort_hours for h in hops), 1),
        )

    def _hop(self, move: Transition, report: GapReport) -> PathHop:
        return PathHop(
            from_role=move.source,
            to_role=move.target,
            to_title=self._title(move.target),
            move=move.move,
            signals=dict(move.signals),
            weight=move.weight,
            cost=move.cost,
            observed_count=move.observed_count,
            gaps=report,
            readiness=report.readiness,
            effort_hours=effort_hours(report),
        )

    # helpers ------------------------------------------------------------------------------
    def _move_mask(self, types: frozenset[MoveType] | None) -> np.ndarray | None:
        """The edge mask of these move types, made once (it spans every edge of the graph);
        read only by the searches."""
        if types not in self._masks:
            self._masks[types] = self.transitions.move_mask(types)
        return self._masks[types]

    def _title(self, role_id: str) -> str:
        return self.ctx.graph.role(role_id).title

    def _role_seniority(self, role_id: str) -> int:
        return self.ctx.graph.role(role_id).seniority

    def _unreachable(
        self, start: str, target: str, max_hops: int, moves: Iterable[MoveType | str] | None
    ) -> str:
        types = _move_types(moves)
        if not self.transitions.out_edges(start, moves=types):
            return f"{self._title(start)} has no such moves in the transition graph"
        kinds = "" if types is None else " or ".join(sorted(m.value for m in types)) + " "
        return (
            f"{self._title(target)} cannot be reached from {self._title(start)} within "
            f"{max_hops} {kinds}moves (each role keeps its strongest moves only; "
            "allow more moves, other move types, or go through an intermediate role)"
        )


def _move_types(moves: Iterable[MoveType | str] | None) -> frozenset[MoveType] | None:
    if moves is None:
        return None
    try:
        return frozenset(MoveType(m) for m in moves)
    except ValueError:
        known = ", ".join(m.value for m in MoveType)
        raise ValidationError(f"moves take {known}; got {list(moves)}") from None


def _ask(recommender: Recommender | None, query: Query) -> tuple[Recommendation, ...]:
    """The recommender's answer, or nothing when it has nothing to say for this hop."""
    if recommender is None:
        return ()
    try:
        return tuple(recommender.recommend(query))
    except ValidationError:  # e.g. nothing it can offer for these gaps
        return ()


def _key(query: Query) -> tuple[object, ...]:
    """A hop's query as a dict key (a Query holds a dict of filters; hops have none)."""
    return (query.employee_id, query.role_id, query.target_role_id, query.skill_ids, query.k)


def _ask_many(
    recommender: Recommender | None, queries: list[Query], needs: list[Needs]
) -> list[tuple[Recommendation, ...]]:
    """Each query's answer (`_ask`), through the recommender's `recommend_many` when it has
    one (content and mentors do: it shares work between the queries)."""
    many = getattr(recommender, "recommend_many", None)
    if many is None:
        return [_ask(recommender, q) for q in queries]
    return [tuple(found) for found in many(queries, needs)]


def _rec_dict(rec: Recommendation) -> dict[str, Any]:
    why = rec.explanation
    return {
        "id": rec.item_id,
        "kind": rec.kind.value,
        "score": rec.score,
        "text": why.text,
        "gaps": [g.skill_id for g in why.gaps],
    }
