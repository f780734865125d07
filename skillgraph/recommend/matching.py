"""Mentoring programs: match a whole cohort to mentors at once, globally, within capacities.

    definition = RoundDefinition(id="r1", gap_skills=("python",), max_share_per_mentor=0.1)
    result = solve_round(definition, inputs)          # RoundResult: matches + unmatched + stats
    proposal = propose(definition, inputs)            # the same, as an editable draft

How a round is solved:

1. `resolve_round` checks the definition against the records (ValidationError before anything
   runs) and fixes the cohort, the offers and their capacities (matching_round.py).
2. Candidates: for each mentee, the offers that pass the hard rules and score a positive quality
   with the mentor recommender's pair score, best `top_m` kept (matching_candidates.py).
   Mentees left without a candidate are unmatched with the rule that kept mentors away.
3. Group mode forms circles of mentees with shared gaps first (matching_circles.py); a circle's
   quality with an offer is the mean of its members' pair qualities (0 for a member the offer is
   not a candidate of), and the offer must pass the hard rules for every member.
4. An exact capacitated assignment (matching_solver.py) over those candidates: the optimum is
   exact over the candidate set (top_m per mentee); with top_m at least the number of offers it is
   the exact optimum over every eligible pair.
5. Unmatched mentees with candidates get the reason: all their eligible mentors full, or held at
   the per-mentor share cap, or the top mentors' joint share used up.

Locked matches (from a proposal) are kept as they are and use their capacity; excluded pairs
(removed by an admin) are never proposed again.

`solve_definition(ctx, definition_dict)` is the whole job for the CLI and batch use: validate the
JSON definition, score with the engine's mentor recommender, solve, and return plain data with the
mentor shortages on the round's skills (and, when asked, the greedy baseline compared).
"""

from __future__ import annotations

import gc
import math
import time
from collections.abc import Collection, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import numpy as np

from skillgraph.data.schema import MentorMode
from skillgraph.errors import ValidationError
from skillgraph.recommend.base import EngineContext, GapReason
from skillgraph.recommend.matching_candidates import (
    Candidate,
    Exclusion,
    RoundRules,
    covered_gap_text,
    mentee_candidates,
    usable_capacity,
)
from skillgraph.recommend.matching_circles import Circle, form_circles
from skillgraph.recommend.matching_context import context_inputs
from skillgraph.recommend.matching_result import (
    Match,
    RoundResult,
    SolverInfo,
    Unmatched,
    UnmatchedReason,
    compare_results,
    reason_counts,
    round_stats,
)
from skillgraph.recommend.matching_round import (
    MIN_CIRCLE_SIZE,
    MatchInputs,
    PairScore,
    ResolvedRound,
    RoundDefinition,
    check_definition,
    resolve_round,
)
from skillgraph.recommend.matching_solver import (
    Assignment,
    AssignmentProblem,
    Engine,
    solve_exact,
    solve_greedy,
)
from skillgraph.recommend.mentors import MentorRecommender
from skillgraph.recommend.supply import supply_demand

__all__ = [
    "Match",
    "MatchInputs",
    "PairScore",
    "RoundDefinition",
    "RoundResult",
    "Unmatched",
    "UnmatchedReason",
    "solve_definition",
    "solve_round",
]


@dataclass(frozen=True)
class _Row:
    """A row of the assignment: one mentee, or one circle."""

    id: str
    mentee_ids: tuple[str, ...]
    candidates: tuple[Candidate, ...]  # for circles: quality is the circle's
    member_scores: Mapping[str, Mapping[str, PairScore]] | None = None  # circles: offer -> mentee
    circle: Circle | None = None

    def scores_with(self, offer_id: str) -> Mapping[str, PairScore]:
        """mentee -> pair score with this offer (members the offer does not help are absent)."""
        if self.member_scores is not None:
            return self.member_scores[offer_id]
        found = next(c.score for c in self.candidates if c.offer_id == offer_id)
        return {self.id: found}


def solve_round(
    definition: RoundDefinition,
    inputs: MatchInputs,
    *,
    locked: Sequence[Match] = (),
    excluded: Collection[tuple[str, str]] = (),
    engine: Engine = Engine.AUTO,
    greedy: bool = False,
) -> RoundResult:
    """Solve a round (see the module docstring). `greedy=True` gives the by-hand baseline
    (each mentee in cohort order takes the best mentor with room) instead of the optimum."""
    started = time.perf_counter()
    resolved = resolve_round(definition, inputs)
    locked = _check_locked(resolved, locked)
    capacity = _capacity_after(resolved, locked)
    taken = {m for match in locked for m in match.mentee_ids}
    pool = [m for m in resolved.mentee_ids if m not in taken]
    rules = RoundRules(resolved, inputs)
    with _collector_paused():
        candidates, unmatched = _candidates(rules, resolved, inputs, pool, set(excluded))
        if definition.mode is MentorMode.GROUP:
            rows, left_over = _circle_rows(rules, resolved, inputs, candidates, set(excluded))
            unmatched.extend(left_over)
        else:
            rows = [_pair_row(m, candidates[m]) for m in pool if m in candidates]
    offer_ids = sorted(resolved.offers)
    problem = _problem(resolved, rows, offer_ids, capacity, locked)
    solving = time.perf_counter()
    assignment = (
        solve_greedy(problem) if greedy else solve_exact(problem, definition.objective, engine)
    )
    solved = time.perf_counter()
    matches = [*locked, *_matches(inputs, rows, offer_ids, problem, assignment)]
    unmatched.extend(_unplaced(resolved, rows, offer_ids, problem, assignment))
    order = {m: i for i, m in enumerate(resolved.mentee_ids)}
    matches.sort(key=lambda x: order.get(x.mentee_ids[0], len(order)))
    unmatched.sort(key=lambda u: order.get(u.mentee_id, len(order)))
    return RoundResult(
        round_id=definition.id,
        matches=tuple(matches),
        unmatched=tuple(unmatched),
        stats=round_stats(resolved.cohort_size, matches, usable_capacity(resolved)),
        solver=SolverInfo(
            engine="greedy" if greedy else assignment.engine.value,
            objective=definition.objective.value,
            candidate_edges=len(problem.rows),
            top_m=definition.top_m,
            seconds=round(time.perf_counter() - started, 4),
            exact_over_candidates=not greedy,
            candidate_seconds=round(solving - started, 4),
            solve_seconds=round(solved - solving, 4),
        ),
        mentee_gaps={m: tuple(g.skill_id for g in resolved.gaps[m]) for m in resolved.mentee_ids},
    )


def solve_definition(
    ctx: EngineContext,
    definition: Mapping[str, Any] | RoundDefinition,
    *,
    compare_greedy: bool = False,
    recommender: MentorRecommender | None = None,
    used: Mapping[str, int] | None = None,
    engine: Engine = Engine.AUTO,
) -> dict[str, Any]:
    """A round from its JSON definition, solved over an engine context, as JSON-able data.

    The definition is validated first (ValidationError before anything is scored). Pair quality
    is the mentor recommender's (`recommender`, else one fitted on `ctx`); `used` is capacity held
    by published matches of other rounds (default: `ctx.mentor_load`). The result has every field
    of `RoundResult.to_dict()`, plus `definition`, `unmatched_reasons` (counts), `shortages` (the
    round's skills where the cohort's demand exceeds the free places of the round's mentors of
    its mode, from supply.supply_demand) and, with `compare_greedy`, `greedy` (its stats, solver
    and reasons) and `comparison` (matching_result.compare_results: exact vs greedy).
    """
    checked = _checked_definition(definition)
    inputs = context_inputs(ctx, checked, recommender=recommender, used=used)
    result = solve_round(checked, inputs, engine=engine)
    balance = supply_demand(
        inputs.records,
        inputs.gaps_of,
        cohort=list(result.mentee_gaps),
        skills=checked.gap_skills or None,
        used=inputs.used,
        mode=checked.mode,
        offer_ids=checked.offer_ids,
        mentees_per_place=checked.circle_size or 1,
    )
    out: dict[str, Any] = {
        "definition": checked.to_dict(),
        **result.to_dict(),
        "unmatched_reasons": reason_counts(result),
        "shortages": balance.to_dict()["shortages"],
    }
    if compare_greedy:
        greedy = solve_round(checked, inputs, greedy=True)
        out["greedy"] = {
            "stats": greedy.stats.to_dict(),
            "solver": greedy.solver.to_dict(),
            "unmatched_reasons": reason_counts(greedy),
        }
        out["comparison"] = compare_results(result, greedy)
    return out


def _checked_definition(definition: Mapping[str, Any] | RoundDefinition) -> RoundDefinition:
    if isinstance(definition, RoundDefinition):
        check_definition(definition)
        return definition
    if not isinstance(definition, Mapping):
        raise ValidationError("a round definition must be a JSON object")
    return RoundDefinition.from_dict(definition)


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Scoring a cohort allocates millions of small objects that all stay alive until the
    round is solved; the cyclic collector would rescan them again and again (a third of the
    time at 10,000 mentees). Reference counting still frees everything as usual."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


# locked matches ---------------------------------------------------------------------------------
def _check_locked(resolved: ResolvedRound, locked: Sequence[Match]) -> list[Match]:
    cohort = set(resolved.mentee_ids)
    seen: set[str] = set()
    use: dict[str, int] = {}
    for match in locked:
        if match.offer_id not in resolved.free_capacity:
            raise ValidationError(
                f"locked match {match.id!r}: offer {match.offer_id!r} has no room"
            )
        for mentee in match.mentee_ids:
            if mentee not in cohort:
                raise ValidationError(f"locked match {match.id!r}: {mentee!r} is not in the cohort")
            if mentee in seen:
                raise ValidationError(f"mentee {mentee!r} is in two locked matches")
            seen.add(mentee)
        use[match.offer_id] = use.get(match.offer_id, 0) + 1
    for offer_id, count in use.items():
        if count > resolved.free_capacity[offer_id]:
            raise ValidationError(
                f"locked matches use {count} places of offer {offer_id!r}, which has "
                f"{resolved.free_capacity[offer_id]}"
            )
    return list(locked)


def _capacity_after(resolved: ResolvedRound, locked: Sequence[Match]) -> dict[str, int]:
    capacity = dict(resolved.capacity)
    for match in locked:
        capacity[match.offer_id] = max(0, capacity.get(match.offer_id, 0) - 1)
    return capacity


# candidates -------------------------------------------------------------------------------------
def _candidates(
    rules: RoundRules,
    resolved: ResolvedRound,
    inputs: MatchInputs,
    pool: Sequence[str],
    excluded: set[tuple[str, str]],
) -> tuple[dict[str, list[Candidate]], list[Unmatched]]:
    records = inputs.records
    offer_ids = set(resolved.offers)
    found: dict[str, list[Candidate]] = {}
    unmatched: list[Unmatched] = []
    for mentee_id in pool:
        if not records.employees[mentee_id].active:
            unmatched.append(
                Unmatched(mentee_id, UnmatchedReason.INACTIVE, "not an active employee")
            )
            continue
        if not resolved.gaps[mentee_id]:
            unmatched.append(_no_gap(resolved, mentee_id))
            continue
        kept, why = mentee_candidates(rules, resolved, inputs, mentee_id, offer_ids, excluded)
        if kept:
            found[mentee_id] = kept
        elif why is not None:
            unmatched.append(Unmatched(mentee_id, why.reason, why.detail))
    return found, unmatched


def _no_gap(resolved: ResolvedRound, mentee_id: str) -> Unmatched:
    skills = resolved.definition.gap_skills
    where = f"on {', '.join(skills)}" if skills else "against the current role"
    return Unmatched(mentee_id, UnmatchedReason.NO_OPEN_GAP, f"no open skill gap {where}")


def _pair_row(mentee_id: str, candidates: list[Candidate]) -> _Row:
    return _Row(mentee_id, (mentee_id,), tuple(candidates))


# circles ----------------------------------------------------------------------------------------
def _circle_rows(
    rules: RoundRules,
    resolved: ResolvedRound,
    inputs: MatchInputs,
    candidates: Mapping[str, list[Candidate]],
    excluded: set[tuple[str, str]],
) -> tuple[list[_Row], list[Unmatched]]:
    d = resolved.definition
    size = d.circle_size or MIN_CIRCLE_SIZE
    weights = {
        m: {g.skill_id: max(g.importance, 0.05) * g.gap for g in resolved.gaps[m]}
        for m in candidates
    }
    circles, left = form_circles(
        weights, size, min_size=max(MIN_CIRCLE_SIZE, math.ceil(size / 2)), id_prefix=d.id
    )
    unmatched = [
        Unmatched(
            m,
            UnmatchedReason.CIRCLE_UNFILLED,
            f"too few mentees with shared gaps left to fill a circle of {size}",
        )
        for m in left
    ]
    rows: list[_Row] = []
    for circle in circles:
        row = _circle_row(rules, resolved, circle, candidates, excluded)
        if row.candidates:
            rows.append(row)
        else:
            unmatched.extend(
                Unmatched(
                    m,
                    UnmatchedReason.NO_MENTOR_FOR_CIRCLE,
                    f"no group mentor fits every member of {circle.id} "
                    f"(shared gaps: {', '.join(circle.shared_skills)})",
                )
                for m in circle.members
            )
    return rows, unmatched


def _circle_row(
    rules: RoundRules,
    resolved: ResolvedRound,
    circle: Circle,
    candidates: Mapping[str, list[Candidate]],
    excluded: set[tuple[str, str]],
) -> _Row:
    by_member = {m: {c.offer_id: c.score for c in candidates[m]} for m in circle.members}
    offers = sorted({o for scores in by_member.values() for o in scores})
    kept: list[Candidate] = []
    member_scores: dict[str, dict[str, PairScore]] = {}
    for offer_id in offers:
        if not _fits_all(rules, circle, offer_id, excluded):
            continue
        scores = {m: by_member[m][offer_id] for m in circle.members if offer_id in by_member[m]}
        quality = sum(s.quality for s in scores.values()) / len(circle.members)
        if quality <= 0:
            continue
        member_scores[offer_id] = scores
        first = next(iter(scores.values()))
        kept.append(Candidate(offer_id, PairScore(quality, first.gaps, first.mentor_levels)))
    kept.sort(key=lambda c: (-c.score.quality, c.offer_id))
    kept = kept[: resolved.definition.top_m]
    chosen = {c.offer_id for c in kept}
    scores_kept = {o: s for o, s in member_scores.items() if o in chosen}
    return _Row(circle.id, circle.members, tuple(kept), scores_kept, circle)


def _fits_all(
    rules: RoundRules, circle: Circle, offer_id: str, excluded: set[tuple[str, str]]
) -> bool:
    employees = rules.records.employees
    return all(
        (m, offer_id) not in excluded and rules.violation(employees[m], offer_id) is None
        for m in circle.members
    )


# the assignment problem -------------------------------------------------------------------------
def _problem(
    resolved: ResolvedRound,
    rows: Sequence[_Row],
    offer_ids: Sequence[str],
    capacity: Mapping[str, int],
    locked: Sequence[Match],
) -> AssignmentProblem:
    col = {o: j for j, o in enumerate(offer_ids)}
    r_idx, c_idx, quality = [], [], []
    for i, row in enumerate(rows):
        for cand in row.candidates:
            r_idx.append(i)
            c_idx.append(col[cand.offer_id])
            quality.append(min(1.0, cand.score.quality))
    caps = np.array([capacity.get(o, 0) for o in offer_ids], dtype=np.int64)
    top, top_capacity = _top_mentors(resolved, offer_ids, c_idx, quality, locked)
    return AssignmentProblem(
        n_rows=len(rows),
        n_cols=len(offer_ids),
        rows=np.asarray(r_idx, dtype=np.int64),
        cols=np.asarray(c_idx, dtype=np.int64),
        quality=np.asarray(quality, dtype=np.float64),
        capacity=caps,
        row_weight=np.array([len(r.mentee_ids) for r in rows], dtype=np.int64),
        top=top,
        top_capacity=top_capacity,
    )


def _top_mentors(
    resolved: ResolvedRound,
    offer_ids: Sequence[str],
    cols: Sequence[int],
    quality: Sequence[float],
    locked: Sequence[Match],
) -> tuple[np.ndarray | None, int | None]:
    """The top mentors are the `top_mentor_fraction` of offers most in demand (summed candidate
    quality); together they take at most floor(top_mentor_share x cohort) mentees."""
    d = resolved.definition
    if d.top_mentor_share is None or not offer_ids:
        return None, None
    demand = np.bincount(
        np.asarray(cols, dtype=np.int64), weights=np.asarray(quality), minlength=len(offer_ids)
    )
    wanted = int(np.count_nonzero(demand > 0))
    n_top = max(1, math.ceil(d.top_mentor_fraction * wanted)) if wanted else 0
    order = sorted(range(len(offer_ids)), key=lambda j: (-demand[j], offer_ids[j]))
    top = np.zeros(len(offer_ids), dtype=bool)
    top[order[:n_top]] = True
    share = math.floor(d.top_mentor_share * resolved.cohort_size + 1e-9)
    if d.mode is MentorMode.GROUP:
        share //= d.circle_size or MIN_CIRCLE_SIZE
    top_ids = {offer_ids[int(j)] for j in np.flatnonzero(top)}
    share -= sum(1 for m in locked if m.offer_id in top_ids)
    return top, max(0, share)


# reading the solution ---------------------------------------------------------------------------
def _matches(
    inputs: MatchInputs,
    rows: Sequence[_Row],
    offer_ids: Sequence[str],
    problem: AssignmentProblem,
    assignment: Assignment,
) -> list[Match]:
    out = []
    for r in assignment.matched_rows.tolist():
        edge = int(assignment.edge_of_row[r])
        offer_id = offer_ids[int(problem.cols[edge])]
        out.append(_match(inputs, rows[r], offer_id))
    return out


def _match(inputs: MatchInputs, row: _Row, offer_id: str) -> Match:
    records = inputs.records
    offer = records.mentors[offer_id]
    mentor = records.employees[offer.employee_id]
    scores = row.scores_with(offer_id)
    member_quality = {m: (scores[m].quality if m in scores else 0.0) for m in row.mentee_ids}
    quality = sum(member_quality.values()) / len(row.mentee_ids)
    if row.circle is None:
        score = scores[row.id]
        text = (
            score.text
            or f"{mentor.name} covers {covered_gap_text(score.gaps, score.mentor_levels)}"
        )
        return Match(
            id=row.id,
            offer_id=offer_id,
            mentor_id=mentor.id,
            mentee_ids=row.mentee_ids,
            quality=round(quality, 6),
            gaps=score.gaps,
            mentor_levels=dict(score.mentor_levels),
            signals={**score.signals, "quality": round(quality, 6)},
            text=text,
            member_quality=member_quality,
        )
    return circle_match(row.circle, offer_id, mentor.id, mentor.name, scores, member_quality)


def circle_match(
    circle: Circle,
    offer_id: str,
    mentor_id: str,
    mentor_name: str,
    scores: Mapping[str, PairScore],
    member_quality: Mapping[str, float],
) -> Match:
    """A circle's match: the shared gaps the mentor covers, at the members' lowest level."""
    quality = sum(member_quality.values()) / max(1, len(circle.members))
    gaps = _circle_gaps(circle, scores)
    levels: dict[str, float] = {}
    for s in scores.values():
        for skill, level in s.mentor_levels.items():
            levels[skill] = max(levels.get(skill, 0.0), level)
    covered = covered_gap_text(gaps, levels) or "the circle's gaps"
    return Match(
        id=circle.id,
        offer_id=offer_id,
        mentor_id=mentor_id,
        mentee_ids=circle.members,
        quality=round(quality, 6),
        gaps=gaps,
        mentor_levels=levels,
        signals={"quality": round(quality, 6), "members_helped": float(len(scores))},
        text=f"{mentor_name} leads a circle of {len(circle.members)} on {covered}",
        member_quality=dict(member_quality),
        shared_skills=circle.shared_skills,
    )


def _circle_gaps(circle: Circle, scores: Mapping[str, PairScore]) -> tuple[GapReason, ...]:
    by_skill: dict[str, GapReason] = {}
    for s in scores.values():
        for g in s.gaps:
            seen = by_skill.get(g.skill_id)
            if seen is None:
                by_skill[g.skill_id] = g
            else:
                by_skill[g.skill_id] = GapReason(
                    g.skill_id,
                    g.skill_label,
                    max(seen.required_level, g.required_level),
                    min(seen.current_level, g.current_level),
                    max(seen.importance, g.importance),
                )
    shared = [by_skill[s] for s in circle.shared_skills if s in by_skill]
    others = [g for k, g in sorted(by_skill.items()) if k not in circle.shared_skills]
    return tuple(shared or others)


def _unplaced(
    resolved: ResolvedRound,
    rows: Sequence[_Row],
    offer_ids: Sequence[str],
    problem: AssignmentProblem,
    assignment: Assignment,
) -> list[Unmatched]:
    load = np.bincount(problem.cols[assignment.chosen_edges()], minlength=len(offer_ids))
    caps = problem.capacity
    edges_of: dict[int, list[int]] = {}
    for e, r in enumerate(problem.rows.tolist()):
        edges_of.setdefault(r, []).append(e)
    out: list[Unmatched] = []
    for r in np.flatnonzero(assignment.edge_of_row < 0).tolist():
        cols = sorted({int(problem.cols[e]) for e in edges_of.get(r, [])})
        why = _why_unplaced(resolved, cols, offer_ids, load, caps, problem.top)
        out.extend(Unmatched(m, why.reason, why.detail) for m in rows[r].mentee_ids)
    return out


def _why_unplaced(
    resolved: ResolvedRound,
    cols: Sequence[int],
    offer_ids: Sequence[str],
    load: np.ndarray,
    caps: np.ndarray,
    top: np.ndarray | None,
) -> Exclusion:
    names = ", ".join(offer_ids[j] for j in cols[:5]) + (" ..." if len(cols) > 5 else "")
    with_room = [j for j in cols if load[j] < caps[j]]
    if with_room and top is not None and all(top[j] for j in with_room):
        return Exclusion(
            UnmatchedReason.TOP_MENTOR_SHARE,
            f"eligible mentors with room ({names}) are top mentors, whose joint share is used up",
        )
    capped = [
        j for j in cols if resolved.capacity[offer_ids[j]] < resolved.free_capacity[offer_ids[j]]
    ]
    if capped:
        return Exclusion(
            UnmatchedReason.MENTOR_SHARE_CAP,
            f"{len(cols)} eligible mentor(s) ({names}) are at the per-mentor cap of "
            f"{resolved.share_cap} or full",
        )
    return Exclusion(
        UnmatchedReason.ALL_MENTORS_FULL,
        f"all {len(cols)} eligible mentor(s) ({names}) are full with better-placed mentees",
    )
