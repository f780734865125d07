"""The life of a round's matches: draft proposal -> admin edits -> publish -> accept / decline.

States: DRAFT (editable, re-solvable) -> PUBLISHED (each side answers) -> CLOSED (the program is
over; nothing can change). Every function takes a Proposal and returns a new one (immutable),
with `version` + 1 and a line in `log`; a transition the state does not allow raises
ValidationError, an unknown match id NotFoundError.

Edits on a draft:
- swap(a, b): the two matches exchange mentors (both checked against the hard rules);
- remove(match): the match goes, its mentees are unmatched (reason "removed") and the pair is
  never proposed again by a re-solve;
- lock(match): a re-solve keeps it as it is; a manual pair is always locked;
- add_manual(mentee, offer): checked against the hard rules and the offer's room;
- resolve(): solve again, keeping locked matches and excluded pairs.

Capacity: the matches of a PUBLISHED proposal that nobody declined use their offer's capacity
(`capacity_in_use`, fed to the next rounds as MatchInputs.used); a decline frees it, closing the
proposal frees all of it. In a circle a mentee's decline only takes that mentee out; the mentor's
decline frees the place.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Any

from skillgraph.data.schema import MentorMode
from skillgraph.errors import NotFoundError, ValidationError
from skillgraph.recommend.matching import circle_match, solve_round
from skillgraph.recommend.matching_candidates import (
    covered_gap_text,
    helps,
    rule_violation,
    usable_capacity,
)
from skillgraph.recommend.matching_circles import Circle
from skillgraph.recommend.matching_result import (
    Match,
    RoundStats,
    SolverInfo,
    Unmatched,
    UnmatchedReason,
    round_stats,
)
from skillgraph.recommend.matching_round import (
    MatchInputs,
    PairScore,
    ResolvedRound,
    RoundDefinition,
    resolve_round,
)
from skillgraph.recommend.matching_solver import Engine

FORMAT_VERSION = 1


class ProposalState(StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"
    CLOSED = "closed"


class Response(StrEnum):
    PENDING = "pending"
    ACCEPTED = "accepted"
    DECLINED = "declined"


@dataclass(frozen=True)
class ProposedMatch:
    match: Match
    locked: bool = False
    manual: bool = False
    mentor_response: Response = Response.PENDING
    mentee_responses: Mapping[str, Response] = field(default_factory=dict)

    @property
    def id(self) -> str:
        return self.match.id

    @property
    def declined(self) -> bool:
        """The match is off: the mentor declined, or every mentee did."""
        if self.mentor_response is Response.DECLINED:
            return True
        answers = [self.mentee_responses.get(m, Response.PENDING) for m in self.match.mentee_ids]
        return bool(answers) and all(a is Response.DECLINED for a in answers)

    @property
    def status(self) -> str:
        if self.declined:
            return "declined"
        sides = [self.mentor_response, *self.active_responses()]
        return "active" if all(s is Response.ACCEPTED for s in sides) else "pending"

    def active_responses(self) -> list[Response]:
        answers = [self.mentee_responses.get(m, Response.PENDING) for m in self.match.mentee_ids]
        return [a for a in answers if a is not Response.DECLINED]

    def to_dict(self) -> dict[str, Any]:
        return {
            "match": self.match.to_dict(),
            "locked": self.locked,
            "manual": self.manual,
            "mentor_response": self.mentor_response.value,
            "mentee_responses": {k: v.value for k, v in self.mentee_responses.items()},
            "status": self.status,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ProposedMatch:
        try:
            return cls(
                match=Match.from_dict(data["match"]),
                locked=bool(data.get("locked", False)),
                manual=bool(data.get("manual", False)),
                mentor_response=Response(data.get("mentor_response", "pending")),
                mentee_responses={
                    str(k): Response(v) for k, v in data.get("mentee_responses", {}).items()
                },
            )
        except (KeyError, ValueError) as exc:
            raise ValidationError(f"malformed proposed match: {exc!r}") from None


@dataclass(frozen=True)
class Proposal:
    id: str
    definition: RoundDefinition
    state: ProposalState
    matches: tuple[ProposedMatch, ...]
    unmatched: tuple[Unmatched, ...]
    stats: RoundStats
    solver: SolverInfo
    mentee_gaps: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    capacity: Mapping[str, int] = field(default_factory=dict)  # usable offer -> round units
    excluded: frozenset[tuple[str, str]] = frozenset()  # (mentee, offer) removed by an admin
    version: int = 1
    log: tuple[str, ...] = ()

    def match(self, match_id: str) -> ProposedMatch:
        for pm in self.matches:
            if pm.id == match_id:
                return pm
        raise NotFoundError("match", match_id)

    def to_dict(self) -> dict[str, Any]:
        return {
            "format": FORMAT_VERSION,
            "id": self.id,
            "definition": self.definition.to_dict(),
            "state": self.state.value,
            "matches": [m.to_dict() for m in self.matches],
            "unmatched": [u.to_dict() for u in self.unmatched],
            "stats": self.stats.to_dict(),
            "solver": self.solver.to_dict(),
            "mentee_gaps": {k: list(v) for k, v in self.mentee_gaps.items()},
            "capacity": dict(self.capacity),
            "excluded": sorted([m, o] for m, o in self.excluded),
            "version": self.version,
            "log": list(self.log),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Proposal:
        if data.get("format") != FORMAT_VERSION:
            raise ValidationError(f"unsupported proposal format {data.get('format')!r}")
        try:
            return cls(
                id=str(data["id"]),
                definition=RoundDefinition.from_dict(data["definition"]),
                state=ProposalState(data["state"]),
                matches=tuple(ProposedMatch.from_dict(m) for m in data["matches"]),
                unmatched=tuple(Unmatched.from_dict(u) for u in data["unmatched"]),
                stats=RoundStats(**data["stats"]),
                solver=SolverInfo(**data["solver"]),
                mentee_gaps={str(k): tuple(v) for k, v in data.get("mentee_gaps", {}).items()},
                capacity={str(k): int(v) for k, v in data.get("capacity", {}).items()},
                excluded=frozenset((str(m), str(o)) for m, o in data.get("excluded", ())),
                version=int(data.get("version", 1)),
                log=tuple(str(x) for x in data.get("log", ())),
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise ValidationError(f"malformed proposal: {exc!r}") from None


# creating and re-solving ------------------------------------------------------------------------
def propose(
    definition: RoundDefinition,
    inputs: MatchInputs,
    *,
    proposal_id: str | None = None,
    engine: Engine = Engine.AUTO,
) -> Proposal:
    """Solve the round into a draft proposal."""
    result = solve_round(definition, inputs, engine=engine)
    resolved = resolve_round(definition, inputs)
    return Proposal(
        id=proposal_id or definition.id,
        definition=definition,
        state=ProposalState.DRAFT,
        matches=tuple(ProposedMatch(m) for m in result.matches),
        unmatched=result.unmatched,
        stats=result.stats,
        solver=result.solver,
        mentee_gaps=result.mentee_gaps,
        capacity=usable_capacity(resolved),
        log=(f"proposed: {result.stats.matched} of {result.stats.cohort} matched",),
    )


def resolve(proposal: Proposal, inputs: MatchInputs, *, engine: Engine = Engine.AUTO) -> Proposal:
    """Solve the draft again: locked matches stay, removed pairs are not proposed again."""
    _need(proposal, ProposalState.DRAFT, "re-solve")
    kept = [pm for pm in proposal.matches if pm.locked]
    result = solve_round(
        proposal.definition,
        inputs,
        locked=[pm.match for pm in kept],
        excluded=proposal.excluded,
        engine=engine,
    )
    by_id = {pm.id: pm for pm in kept}
    matches = tuple(by_id.get(m.id, ProposedMatch(m)) for m in result.matches)
    return _next(
        proposal,
        f"re-solved keeping {len(kept)} locked: {result.stats.matched} matched",
        matches=matches,
        unmatched=result.unmatched,
        solver=result.solver,
    )


# edits ------------------------------------------------------------------------------------------
def lock(proposal: Proposal, match_id: str, locked: bool = True) -> Proposal:
    _need(proposal, ProposalState.DRAFT, "lock")
    pm = proposal.match(match_id)
    if pm.manual and not locked:
        raise ValidationError(f"match {match_id!r} was added by hand and stays locked")
    return _replace_match(
        proposal, replace(pm, locked=locked), f"{'locked' if locked else 'unlocked'} {match_id}"
    )


def remove(proposal: Proposal, match_id: str) -> Proposal:
    _need(proposal, ProposalState.DRAFT, "remove a match from")
    pm = proposal.match(match_id)
    gone = [
        Unmatched(m, UnmatchedReason.REMOVED, f"removed from {pm.match.offer_id} by an admin")
        for m in pm.match.mentee_ids
    ]
    excluded = proposal.excluded | {(m, pm.match.offer_id) for m in pm.match.mentee_ids}
    return _next(
        proposal,
        f"removed {match_id} ({pm.match.offer_id})",
        matches=tuple(x for x in proposal.matches if x.id != match_id),
        unmatched=(*proposal.unmatched, *gone),
        excluded=excluded,
    )


def swap(proposal: Proposal, first_id: str, second_id: str, inputs: MatchInputs) -> Proposal:
    """The two matches exchange their mentors; both new pairings must pass the hard rules."""
    _need(proposal, ProposalState.DRAFT, "swap matches of")
    if first_id == second_id:
        raise ValidationError("swap needs two different matches")
    a, b = proposal.match(first_id), proposal.match(second_id)
    if a.match.offer_id == b.match.offer_id:
        raise ValidationError(f"{first_id!r} and {second_id!r} already share mentor offer")
    resolved = resolve_round(proposal.definition, inputs)
    new_a = _rematch(resolved, inputs, a.match, b.match.offer_id)
    new_b = _rematch(resolved, inputs, b.match, a.match.offer_id)
    new = {a.id: new_a, b.id: new_b}
    matches = tuple(
        replace(pm, match=new[pm.id]) if pm.id in new else pm for pm in proposal.matches
    )
    return _next(proposal, f"swapped mentors of {first_id} and {second_id}", matches=matches)


def add_manual(proposal: Proposal, mentee_id: str, offer_id: str, inputs: MatchInputs) -> Proposal:
    """Add a pair by hand (pair modes); checked against the hard rules and the offer's room."""
    _need(proposal, ProposalState.DRAFT, "add a match to")
    resolved = resolve_round(proposal.definition, inputs)
    if resolved.definition.mode is MentorMode.GROUP:
        raise ValidationError("manual matches are for pair modes; edit circles by swapping")
    if mentee_id not in resolved.mentee_ids:
        raise ValidationError(f"{mentee_id!r} is not in the cohort of round {proposal.id!r}")
    if any(mentee_id in pm.match.mentee_ids for pm in proposal.matches):
        raise ValidationError(f"{mentee_id!r} is already matched; remove that match first")
    if offer_id not in resolved.offers:
        raise ValidationError(f"offer {offer_id!r} has no room in round {proposal.id!r}")
    used = sum(1 for pm in proposal.matches if pm.match.offer_id == offer_id)
    if used >= resolved.capacity[offer_id]:
        raise ValidationError(
            f"offer {offer_id!r} is full ({used} of {resolved.capacity[offer_id]} places)"
        )
    single = Match(mentee_id, offer_id, "", (mentee_id,), 0.0)
    match = _rematch(resolved, inputs, single, offer_id, manual=True)
    added = ProposedMatch(match, locked=True, manual=True)
    return _next(
        proposal,
        f"added {mentee_id} -> {offer_id} by hand",
        matches=(*proposal.matches, added),
        unmatched=tuple(u for u in proposal.unmatched if u.mentee_id != mentee_id),
        excluded=proposal.excluded - {(mentee_id, offer_id)},
    )


def _rematch(
    resolved: ResolvedRound,
    inputs: MatchInputs,
    match: Match,
    offer_id: str,
    *,
    manual: bool = False,
) -> Match:
    """`match`'s mentees with another offer: hard rules checked, pair scores recomputed."""
    records = inputs.records
    offer = records.mentors[offer_id]
    mentor = records.employees[offer.employee_id]
    scores: dict[str, PairScore] = {}
    for mentee_id in match.mentee_ids:
        mentee = records.employees[mentee_id]
        violation = rule_violation(resolved, inputs, mentee, offer)
        if violation is not None:
            raise ValidationError(f"{mentee_id} with {offer_id} breaks a rule: {violation.detail}")
        score = inputs.score(mentee_id, offer_id)
        if helps(resolved.definition.mode, score) and score is not None:
            scores[mentee_id] = score
    member_quality = {m: scores[m].quality if m in scores else 0.0 for m in match.mentee_ids}
    if match.is_circle:
        circle = Circle(match.id, match.mentee_ids, "", match.shared_skills)
        return circle_match(circle, offer_id, mentor.id, mentor.name, scores, member_quality)
    score = scores.get(match.mentee_ids[0])
    if score is None and not manual:
        raise ValidationError(f"{offer_id} does not cover any gap of {match.mentee_ids[0]}")
    quality = score.quality if score is not None else 0.0
    gaps = score.gaps if score is not None else ()
    levels = dict(score.mentor_levels) if score is not None else {}
    default_text = f"{mentor.name} covers {covered_gap_text(gaps, levels) or 'no scored gap'}"
    text = score.text if score is not None and score.text else default_text
    return Match(
        id=match.id,
        offer_id=offer_id,
        mentor_id=mentor.id,
        mentee_ids=match.mentee_ids,
        quality=round(quality, 6),
        gaps=gaps,
        mentor_levels=levels,
        signals={**(score.signals if score else {}), "quality": round(quality, 6)},
        text=f"{text} (added by hand)" if manual else text,
        member_quality=member_quality,
    )


# publishing and answers -------------------------------------------------------------------------
def publish(proposal: Proposal) -> Proposal:
    """Draft -> published: the matches now use their mentors' capacity."""
    _need(proposal, ProposalState.DRAFT, "publish")
    if not proposal.matches:
        raise ValidationError(f"proposal {proposal.id!r} has no match to publish")
    return _next(proposal, "published", state=ProposalState.PUBLISHED)


def respond(proposal: Proposal, match_id: str, employee_id: str, accept: bool) -> Proposal:
    """The mentor or a mentee of a published match accepts or declines it (once)."""
    _need(proposal, ProposalState.PUBLISHED, "answer a match of")
    pm = proposal.match(match_id)
    if pm.declined:
        raise ValidationError(f"match {match_id!r} was already declined")
    answer = Response.ACCEPTED if accept else Response.DECLINED
    if employee_id == pm.match.mentor_id:
        if pm.mentor_response is not Response.PENDING:
            raise ValidationError(f"the mentor already answered match {match_id!r}")
        updated = replace(pm, mentor_response=answer)
    elif employee_id in pm.match.mentee_ids:
        if pm.mentee_responses.get(employee_id, Response.PENDING) is not Response.PENDING:
            raise ValidationError(f"{employee_id!r} already answered match {match_id!r}")
        updated = replace(pm, mentee_responses={**pm.mentee_responses, employee_id: answer})
    else:
        raise ValidationError(f"{employee_id!r} is not a side of match {match_id!r}")
    unmatched = proposal.unmatched
    if not accept:
        who = "the mentor" if employee_id == pm.match.mentor_id else employee_id
        losing = pm.match.mentee_ids if updated.declined else (employee_id,)
        unmatched = (
            *unmatched,
            *(Unmatched(m, UnmatchedReason.DECLINED, f"{who} declined") for m in losing),
        )
    verb = "accepted" if accept else "declined"
    return _replace_match(proposal, updated, f"{employee_id} {verb} {match_id}", unmatched)


def close(proposal: Proposal) -> Proposal:
    """Published -> closed: the program is over and its capacity is free again."""
    _need(proposal, ProposalState.PUBLISHED, "close")
    return _next(proposal, "closed", state=ProposalState.CLOSED)


def capacity_in_use(proposals: Iterable[Proposal]) -> dict[str, int]:
    """offer id -> places used by published, not declined matches (MatchInputs.used)."""
    used: dict[str, int] = {}
    for p in proposals:
        if p.state is not ProposalState.PUBLISHED:
            continue
        for pm in p.matches:
            if not pm.declined:
                used[pm.match.offer_id] = used.get(pm.match.offer_id, 0) + 1
    return used


# helpers ----------------------------------------------------------------------------------------
_ALLOWED = {
    ProposalState.DRAFT: "edit, re-solve or publish",
    ProposalState.PUBLISHED: "answer or close",
    ProposalState.CLOSED: "nothing",
}


def _need(proposal: Proposal, state: ProposalState, action: str) -> None:
    if proposal.state is not state:
        raise ValidationError(
            f"cannot {action} proposal {proposal.id!r}: it is {proposal.state.value} "
            f"(a {proposal.state.value} proposal allows: {_ALLOWED[proposal.state]})"
        )


def _replace_match(
    proposal: Proposal,
    updated: ProposedMatch,
    note: str,
    unmatched: tuple[Unmatched, ...] | None = None,
) -> Proposal:
    matches = tuple(updated if pm.id == updated.id else pm for pm in proposal.matches)
    return _next(proposal, note, matches=matches, unmatched=unmatched or proposal.unmatched)


def _next(proposal: Proposal, note: str, **changes: Any) -> Proposal:
    updated = replace(proposal, **changes)
    live = [_live(pm) for pm in updated.matches if not pm.declined]
    cohort = proposal.stats.cohort
    stats = round_stats(cohort, live, updated.capacity)
    return replace(updated, stats=stats, version=proposal.version + 1, log=(*proposal.log, note))


def _live(pm: ProposedMatch) -> Match:
    """The match without the mentees who declined it."""
    staying = tuple(
        m for m in pm.match.mentee_ids if pm.mentee_responses.get(m) is not Response.DECLINED
    )
    if staying == pm.match.mentee_ids:
        return pm.match
    return replace(pm.match, mentee_ids=staying)
