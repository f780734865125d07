"""Evaluation protocols: which queries to ask, what counts as relevant, what the engine may see.

Each protocol turns Records into a `Prepared` task: the records an engine is built from (with
whatever is being predicted held out), the queries, and the relevance judgements (qrels).

- next_role: for every employee with at least one dated move, hide the last move. The engine
  sees the employee as they were before it: previous role, history cut before the move, role
  feedback given since removed (so the move is not among the observed transitions either).
  Leak caveat: skills are the employee's skills as they are now, which may include what they
  learned in the new role; the scores are an optimistic bound for a true before-the-move state.
  Relevant: the role they moved to (grade 1).
- groundtruth: a company's own judgements file (evaluation.groundtruth) for any task; ids the
  engine does not know are reported. The engine sees all records: if the judgements were derived
  from the same records, that is a leak to keep in mind.
- skill_inference: a seeded sample of roles with declared skills and a description; their
  declared skills are removed before the engine is built, and the engine infers skills from
  title, description and tasks. Relevant: the declared skills, grade 2 for importance >= 0.75
  (ESCO essential), else 1.
- mentor_feedback: accepted or useful mentor feedback rated `min_rating` or more is relevant
  (grade 1, grade 2 for the top rating); those feedback records are removed before the build.
  Mentors are compared as people: an offer id and the mentor's employee id count as the same.
- related_roles: for every role with at least one related role, rank the other roles (the
  engine's role recommendations from a role, every direction of move). Related: O*NET's own
  Related Occupations when the dataset ships them (tiers graded 3/2/1), otherwise the
  classification: the same ISCO-08 unit group for ESCO and companies' `group` (grade 1), the same
  SOC detailed occupation (grade 2) or broad occupation (grade 1) for O*NET. When the truth comes
  from the classification, every role's `family` and `group` are blanked in the build (the
  transition graph's hierarchy signal reads them), so no system can read the answer off them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import TypeVar

import numpy as np

from evaluation.groundtruth import GroundTruth, Resolved, Task, mentor_person, split_skill_query
from skillgraph.data.onet import SOC_CODE
from skillgraph.data.onet_related import TIER_GRADES, RelatedOccupations
from skillgraph.data.schema import (
    Employee,
    FeedbackVerdict,
    Provenance,
    Records,
    Role,
    RoleSpell,
    SkillKind,
    SkillRequirement,
    TargetKind,
)
from skillgraph.errors import ValidationError
from skillgraph.retrieval.texts import employee_text, role_text

PROTOCOLS = ("next_role", "skill_inference", "mentor_feedback", "related_roles", "groundtruth")
ESSENTIAL_IMPORTANCE = 0.75
TOP_RATING = 5
RELATED_ROLES_K = 20
SOC_DETAILED, SOC_BROAD = 7, 6  # leading characters of "15-1252.00": "15-1252", "15-125"
ROLE_FEEDBACK = frozenset({TargetKind.ROLE, TargetKind.PATH, TargetKind.PLAN})
POSITIVE = frozenset({FeedbackVerdict.ACCEPTED, FeedbackVerdict.USEFUL})
T = TypeVar("T")


@dataclass(frozen=True)
class EvalQuery:
    """One question put to every system; `text` is what text-only baselines read."""

    id: str
    employee_id: str | None = None
    role_id: str | None = None
    skill_ids: tuple[str, ...] = ()
    text: str = ""
    groups: Mapping[str, str] = field(default_factory=dict)


@dataclass
class Prepared:
    name: str
    task: Task
    description: str
    train: Records
    queries: list[EvalQuery]
    qrels: dict[str, dict[str, int]]
    notes: list[str] = field(default_factory=list)
    skipped: dict[str, int] = field(default_factory=dict)  # reason -> count
    unknown: Resolved | None = None
    k: int | None = None  # the protocol's own list length (None: the run's k)

    @property
    def applicable(self) -> bool:
        return bool(self.queries)


# -- next role ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Move:
    employee_id: str
    from_role: str
    to_role: str
    start: date | None  # when the new role began (None: unknown)


def last_move(emp: Employee) -> Move | None:
    """The employee's last change of role from their dated history (None: never moved)."""
    chain: list[tuple[str, date | None]] = [
        (s.role_id, s.start) for s in sorted(emp.history, key=lambda s: s.start)
    ]
    if not chain or chain[-1][0] != emp.role_id:
        ended = max((s.end for s in emp.history if s.end), default=None)
        chain.append((emp.role_id, ended))
    for i in range(len(chain) - 1, 0, -1):
        if chain[i][0] != chain[i - 1][0]:
            return Move(emp.id, chain[i - 1][0], chain[i][0], chain[i][1])
    return None


def rewind(emp: Employee, move: Move) -> Employee:
    """The employee just before `move`: previous role, history cut, skills as they are."""
    before: list[RoleSpell] = []
    for spell in sorted(emp.history, key=lambda s: s.start):
        if move.start is not None and spell.start >= move.start:
            break
        before.append(spell)
    if before and before[-1].role_id == move.from_role:
        before[-1] = replace(before[-1], end=None)
    return replace(emp, role_id=move.from_role, history=tuple(before))


def next_role(records: Records, *, sample: int | None = None, seed: int = 42) -> Prepared:
    moves: list[Move] = []
    skipped = {"no move in history": 0, "role unknown": 0}
    for emp in records.employees.values():
        move = last_move(emp) if emp.active else None
        if move is None:
            skipped["no move in history"] += 1
        elif move.from_role not in records.roles or move.to_role not in records.roles:
            skipped["role unknown"] += 1
        else:
            moves.append(move)
    moves = _sample(sorted(moves, key=lambda m: m.employee_id), sample, seed)
    rewound = {m.employee_id: rewind(records.employees[m.employee_id], m) for m in moves}
    train = copy_records(records, employees={**records.employees, **rewound})
    train.feedback = {
        k: fb
        for k, fb in records.feedback.items()
        if not (fb.employee_id in rewound and fb.target_kind in ROLE_FEEDBACK)
    }
    labels = _labels(records)
    queries = [
        EvalQuery(
            id=m.employee_id,
            employee_id=m.employee_id,
            text=employee_text(rewound[m.employee_id], records.roles[m.from_role].title, labels),
            groups=_employee_groups(rewound[m.employee_id], records),
        )
        for m in moves
    ]
    return Prepared(
        name="next_role",
        task=Task.NEXT_ROLE,
        description="Hide each employee's last role move; rank roles for them as they were before.",
        train=train,
        queries=queries,
        qrels={m.employee_id: {m.to_role: 1} for m in moves},
        notes=[
            "Leak caveat: skills are the employees' current skills, which may include skills "
            "learned in the role they moved to; scores are an optimistic bound.",
            "The hidden moves are removed from the histories the engine learns transitions from.",
            "One relevant role per query: precision@k is at most 1/k and map equals mrr; "
            "hit_rate@k and mrr read most directly.",
        ],
        skipped={k: v for k, v in skipped.items() if v},
    )


# -- skill inference ------------------------------------------------------------------------------


def role_description(role: Role) -> str:
    """What a role says about itself without its skill list: title, description, tasks."""
    parts = [role.title, role.description, *role.tasks]
    return " ".join(p.strip() for p in parts if p and p.strip())


def skill_inference(records: Records, *, sample: int = 50, seed: int = 42) -> Prepared:
    eligible = sorted(
        rid
        for rid, role in records.roles.items()
        if _declared(role) and (role.description.strip() or role.tasks)
    )
    chosen = _sample(eligible, sample, seed)
    stripped = {rid: replace(records.roles[rid], requirements=()) for rid in chosen}
    train = copy_records(records, roles={**records.roles, **stripped})
    qrels = {
        rid: {
            r.skill_id: 2 if r.importance >= ESSENTIAL_IMPORTANCE else 1
            for r in _declared(records.roles[rid])
        }
        for rid in chosen
    }
    queries = [
        EvalQuery(
            id=rid,
            role_id=rid,
            text=role_description(records.roles[rid]),
            groups=_role_groups(records.roles[rid]),
        )
        for rid in chosen
    ]
    return Prepared(
        name="skill_inference",
        task=Task.ROLE_SKILLS,
        description=(
            f"Hide the declared skills of {len(chosen)} sampled roles (of {len(eligible)} "
            "eligible); infer skills from title, description and tasks."
        ),
        train=train,
        queries=queries,
        qrels=qrels,
        notes=[f"Grade 2 for skills of importance >= {ESSENTIAL_IMPORTANCE}, else 1."],
        skipped={"roles without declared skills or description": len(records.roles) - len(eligible)}
        if len(records.roles) > len(eligible)
        else {},
    )


# -- mentors from feedback ------------------------------------------------------------------------


def mentor_feedback(records: Records, *, min_rating: int = 4) -> Prepared:
    if not 1 <= min_rating <= TOP_RATING:
        raise ValidationError(f"min_rating must be within 1..{TOP_RATING}, got {min_rating}")
    qrels: dict[str, dict[str, int]] = {}
    held_out: set[str] = set()
    skipped = {"unknown mentee or mentor": 0, "not accepted or rated too low": 0}
    for fb in sorted(records.feedback.values(), key=lambda f: f.id):
        if fb.target_kind is not TargetKind.MENTOR:
            continue
        if fb.verdict not in POSITIVE or fb.rating is None or fb.rating < min_rating:
            skipped["not accepted or rated too low"] += 1
            continue
        person = mentor_person(records, fb.target_id)
        if person is None or fb.employee_id not in records.employees or person == fb.employee_id:
            skipped["unknown mentee or mentor"] += 1
            continue
        grade = 2 if fb.rating >= TOP_RATING else 1
        mine = qrels.setdefault(fb.employee_id, {})
        mine[person] = max(grade, mine.get(person, 0))
        held_out.add(fb.id)
    train = copy_records(records)
    train.feedback = {k: v for k, v in records.feedback.items() if k not in held_out}
    labels = _labels(records)
    queries = [_employee_query(records.employees[eid], records, labels) for eid in sorted(qrels)]
    return Prepared(
        name="mentor_feedback",
        task=Task.EMPLOYEE_MENTORS,
        description=(
            f"Mentorships accepted and rated {min_rating}+ in feedback are relevant "
            f"({len(held_out)} held out of the build)."
        ),
        train=train,
        queries=queries,
        qrels=qrels,
        notes=["Grade 2 for the top rating, else 1; mentors compared as people."],
        skipped={k: v for k, v in skipped.items() if v},
    )


# -- related roles --------------------------------------------------------------------------------


@dataclass(frozen=True)
class RelatedTruth:
    """Related-role judgements, where they come from, and whether the classification is the
    answer (then the build must not see it)."""

    qrels: dict[str, dict[str, int]]
    source: str
    from_classification: bool
    unknown: Resolved | None = None


def classification_truth(records: Records) -> RelatedTruth:
    """Roles of the same classification unit are related: O*NET roles by SOC code (same detailed
    occupation grade 2, same broad occupation grade 1), other roles by `group` (grade 1)."""
    by_key: dict[tuple[str, int], list[str]] = {}
    for rid, role in sorted(records.roles.items()):
        if role.source == "onet" and SOC_CODE.match(rid):
            by_key.setdefault((rid[:SOC_DETAILED], 2), []).append(rid)
            by_key.setdefault((rid[:SOC_BROAD], 1), []).append(rid)
        elif role.group.strip():
            by_key.setdefault((role.group.strip(), 1), []).append(rid)
    qrels: dict[str, dict[str, int]] = {}
    for (_, grade), members in by_key.items():
        for rid in members:
            for other in members:
                if other != rid:
                    mine = qrels.setdefault(rid, {})
                    mine[other] = max(grade, mine.get(other, 0))
    kinds = sorted({r.source for r in records.roles.values()})
    return RelatedTruth(
        qrels=qrels,
        source=_classification_source(kinds),
        from_classification=True,
    )


def _classification_source(sources: list[str]) -> str:
    named = {
        "esco": "same ISCO-08 unit group (4-digit iscoGroup) as the role: grade 1",
        "onet": "same SOC detailed occupation as the role: grade 2; same SOC broad "
        "occupation: grade 1",
    }
    parts = [named[s] for s in sources if s in named]
    if any(s not in named for s in sources):
        parts.append("same role group (`group`) as the role: grade 1")
    return "; ".join(parts)


def onet_related_truth(records: Records, related: RelatedOccupations) -> RelatedTruth:
    """O*NET's Related Occupations as judgements; codes the records lack are reported."""
    truth = GroundTruth(
        task=Task.ROLE_RELATED_ROLES,
        qrels=related.pairs,
        source=Path(related.source).name,
        pairs=related.count(),
    )
    resolved = truth.resolve(records)
    grades = ", ".join(f"{tier} {grade}" for tier, grade in TIER_GRADES.items())
    return RelatedTruth(
        qrels=resolved.qrels,
        source=f"O*NET Related Occupations ({truth.pairs} pairs; grades {grades})",
        from_classification=False,
        unknown=resolved,
    )


def related_roles(
    records: Records,
    truth: RelatedTruth | None = None,
    *,
    sample: int | None = None,
    seed: int = 42,
    k: int = RELATED_ROLES_K,
) -> Prepared:
    truth = truth if truth is not None else classification_truth(records)
    judged = sorted(
        rid
        for rid, items in truth.qrels.items()
        if rid in records.roles and any(g >= 1 for g in items.values())
    )
    chosen = _sample(judged, sample, seed)
    roles = records.roles
    if truth.from_classification:
        roles = {rid: replace(r, family="", group="") for rid, r in roles.items()}
    labels = _labels(records)
    queries = [
        EvalQuery(
            id=rid,
            role_id=rid,
            text=role_text(records.roles[rid], labels),
            groups=_role_groups(records.roles[rid]),
        )
        for rid in chosen
    ]
    notes = [
        f"Relevant: {truth.source}.",
        "The engine answers as `recommend roles --role ROLE` (its role recommender with a role "
        "query), with the filter moves = up, lateral and down: related roles go both ways. "
        "Baselines rank every other role.",
    ]
    if truth.from_classification:
        notes.append(
            "Every role's family and classification group are blank in the build (the "
            "transition graph's hierarchy signal reads them): no system sees the answer."
        )
    if not records.employees:
        notes.append("No role histories: the popularity baseline has no signal (it ranks by id).")
    skipped = len(records.roles) - len(judged)
    return Prepared(
        name="related_roles",
        task=Task.ROLE_RELATED_ROLES,
        description=(
            f"Rank the other roles for {len(chosen)} roles (of {len(judged)} with a related "
            f"role) at k={k}."
        ),
        train=copy_records(records, roles=roles),
        queries=queries,
        qrels={rid: truth.qrels[rid] for rid in chosen},
        notes=notes,
        skipped={"roles without a related role": skipped} if skipped > 0 else {},
        unknown=truth.unknown,
        k=k,
    )


# -- external ground truth ------------------------------------------------------------------------


def groundtruth(records: Records, truth: GroundTruth) -> Prepared:
    resolved = truth.resolve(records)
    labels = _labels(records)
    queries = [_query_for(truth.task, q, records, labels) for q in sorted(resolved.qrels)]
    notes = ["The engine is built from all records; judgements derived from the same records leak."]
    if resolved.unknown:
        notes.append(
            f"{resolved.dropped_pairs} judgement(s) name ids the engine does not know; "
            f"{resolved.dropped_queries} quer(y/ies) left without a known item (see unknown ids)."
        )
    return Prepared(
        name=f"groundtruth:{truth.source}",
        task=truth.task,
        description=f"{truth.task.value} judgements from {truth.source} ({truth.pairs} pairs).",
        train=records,
        queries=queries,
        qrels=resolved.qrels,
        notes=notes,
        skipped={"queries without a known item": resolved.dropped_queries}
        if resolved.dropped_queries
        else {},
        unknown=resolved,
    )


def _query_for(task: Task, query: str, records: Records, labels: Mapping[str, str]) -> EvalQuery:
    if task in (Task.NEXT_ROLE, Task.EMPLOYEE_MENTORS):
        return _employee_query(records.employees[query], records, labels, query_id=query)
    if task is Task.SKILLS_ITEMS:
        skills = split_skill_query(query)
        text = ", ".join(labels.get(s, s) for s in skills)
        return EvalQuery(id=query, skill_ids=skills, text=text)
    role = records.roles[query]
    text = role_description(role) if task is Task.ROLE_SKILLS else role_text(role, labels)
    return EvalQuery(id=query, role_id=query, text=text, groups=_role_groups(role))


# -- helpers --------------------------------------------------------------------------------------


def _employee_query(
    emp: Employee, records: Records, labels: Mapping[str, str], *, query_id: str | None = None
) -> EvalQuery:
    role = records.roles.get(emp.role_id)
    title = role.title if role else ""
    held = {s.skill_id: s.level for s in emp.skills}
    gaps = [
        labels.get(r.skill_id, r.skill_id)
        for r in (role.requirements if role else ())
        if held.get(r.skill_id, 0.0) < r.level
    ]
    text = employee_text(emp, title, labels)
    if gaps:
        text = f"{text} Needs: {', '.join(gaps)}."
    return EvalQuery(
        id=query_id or emp.id,
        employee_id=emp.id,
        role_id=None,
        text=text,
        groups=_employee_groups(emp, records),
    )


def _employee_groups(emp: Employee, records: Records) -> dict[str, str]:
    role = records.roles.get(emp.role_id)
    groups = {"department": emp.department, "location": emp.location}
    if role is not None:
        groups.update(_role_groups(role))
    return {k: v for k, v in groups.items() if v}


def _role_groups(role: Role) -> dict[str, str]:
    groups = {"family": role.family}
    if role.seniority:
        groups["seniority"] = str(role.seniority)
    return {k: v for k, v in groups.items() if v}


def _declared(role: Role) -> tuple[SkillRequirement, ...]:
    return tuple(r for r in role.requirements if r.provenance is Provenance.DECLARED)


def _labels(records: Records) -> dict[str, str]:
    return {sid: s.label for sid, s in records.skills.items() if s.kind is not SkillKind.GROUP}


def _sample(values: list[T], size: int | None, seed: int) -> list[T]:
    if size is None or size >= len(values):
        return values
    if size < 1:
        raise ValidationError(f"sample size must be at least 1, got {size}")
    rng = np.random.default_rng(seed)
    picked = sorted(rng.choice(len(values), size=size, replace=False).tolist())
    return [values[i] for i in picked]


def copy_records(
    records: Records,
    *,
    roles: Mapping[str, Role] | None = None,
    employees: Mapping[str, Employee] | None = None,
) -> Records:
    """A shallow copy of records with some collections replaced (the input is left unchanged)."""
    return Records(
        skills=dict(records.skills),
        relations=list(records.relations),
        roles=dict(records.roles if roles is None else roles),
        employees=dict(records.employees if employees is None else employees),
        mentors=dict(records.mentors),
        items=dict(records.items),
        feedback=dict(records.feedback),
        sources=list(records.sources),
        attributions=list(records.attributions),
    )
