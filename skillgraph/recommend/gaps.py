"""Skill gaps: what a role needs against what a person (or another role) has.

Partial credit. For each skill S a role requires at level R, every skill T the person holds at
level L offers a credit, and the best credit counts:

| T is ...                                   | credit                               | evidence  |
|--------------------------------------------|--------------------------------------|-----------|
| S itself                                   | L                                    | direct    |
| narrower than S (a transitive descendant)  | partial_credit_narrower (0.8) x L    | narrower  |
| a direct broader skill of S                | partial_credit_related (0.5) x L     | broader   |
| related to S within one hop                | partial_credit_related (0.5) x L     | related   |

The factors come from settings.recommend. They are not multiplied again by the graph similarity:
at one hop the factor already is the discount. A partial credit never counts for more than R
(knowing PostgreSQL well makes you ready for "databases", not an expert in it); a direct level
counts as it is, so `current_level` may exceed R. Then `gap = max(0, R - current_level)`.

Readiness, 0 to 100, is the importance-weighted share of the requirements met:

    readiness = 100 x sum_i(importance_i x min(current_i, R_i) / R_i) / sum_i(importance_i)

A requirement at level 0 counts as met; when every importance is 0 the requirements weigh the
same; a role without requirements is 100 and flagged `no_requirements`. Readiness never
decreases when a level the person holds goes up (every credit grows with L).

Rows come open gaps first, in prerequisite order (graph.prerequisite_order), ties by importance
then gap size, both descending; met requirements follow by importance.

One profile against many roles (next roles, batch answers): `held_credit` finds the best credit
on every skill the profile reaches in one pass, each held skill pushing its credits
(`credit_targets`, the inverse of `credit_sources`) with the tie rule of `credit`; `readiness`
then gives `report(...).readiness` for a role, the same number, without building rows, so a
caller ranks on readiness and builds reports only for what it returns.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from skillgraph.config import RecommendSettings
from skillgraph.data.schema import Employee, Provenance, SkillRequirement
from skillgraph.errors import NotFoundError, ValidationError

if TYPE_CHECKING:
    from skillgraph.graph.ontology import SkillGraph
    from skillgraph.recommend.base import EngineContext

EPSILON = 1e-9
REPORT_CACHE = 1024  # gap reports kept per analyzer
HELD_CACHE = 64  # credit maps of held profiles kept per analyzer
FLAG_NO_SKILLS = "no_skills"
FLAG_INFERRED_PROFILE = "inferred_profile"
FLAG_NO_REQUIREMENTS = "no_requirements"


class CreditKind(StrEnum):
    DIRECT = "direct"
    NARROWER = "narrower"
    BROADER = "broader"
    RELATED = "related"


@dataclass(frozen=True)
class Credit:
    """Which held skill gave the credit for a required skill, and how."""

    source_skill_id: str
    kind: CreditKind
    source_level: float
    factor: float

    @property
    def level(self) -> float:
        return self.source_level * self.factor


_Best = tuple[str, CreditKind, float, float]  # source, kind, source level, level credited


class HeldCredit:
    """The best credit one held profile gives on every skill it reaches, found in one pass over
    the held skills (GapAnalyzer.held_credit): `credit(s)` is `GapAnalyzer.credit(held, s)`."""

    __slots__ = ("_factors", "best", "held", "rows")

    def __init__(
        self,
        held: Mapping[str, float],
        best: Mapping[str, _Best],
        factors: Mapping[CreditKind, float],
    ) -> None:
        self.held = held
        self.best = best  # skill -> (source skill, kind, source level, level credited)
        self._factors = factors
        # report rows of this profile by requirement: roles that share a requirement share it
        self.rows: dict[SkillRequirement, SkillGap] = {}

    def credit(self, skill_id: str) -> Credit | None:
        found = self.best.get(skill_id)
        if found is None:
            return None
        source, kind, level, _ = found
        return Credit(source, kind, level, self._factors[kind])


@dataclass(frozen=True)
class SkillGap:
    skill_id: str
    label: str
    required_level: float
    current_level: float  # after partial credit
    raw_level: float  # the level held of this very skill (0 if not held)
    gap: float
    importance: float
    evidence: Credit | None  # None: nothing held gave credit
    provenance: Provenance  # of the requirement: declared or inferred

    @property
    def is_open(self) -> bool:
        return self.gap > EPSILON

    def to_dict(self) -> dict[str, Any]:
        evidence = None
        if self.evidence is not None:
            evidence = {
                "source_skill_id": self.evidence.source_skill_id,
                "kind": self.evidence.kind.value,
                "source_level": self.evidence.source_level,
                "factor": self.evidence.factor,
            }
        return {
            "skill_id": self.skill_id,
            "label": self.label,
            "required_level": self.required_level,
            "current_level": self.current_level,
            "raw_level": self.raw_level,
            "gap": self.gap,
            "importance": self.importance,
            "evidence": evidence,
            "provenance": self.provenance.value,
        }


@dataclass(frozen=True)
class GapReport:
    employee_id: str | None
    role_id: str
    role_title: str
    rows: tuple[SkillGap, ...]  # every requirement: open gaps first (ordered), then met ones
    readiness: float
    flags: frozenset[str] = field(default_factory=frozenset)

    @functools.cached_property
    def gaps(self) -> tuple[SkillGap, ...]:
        """The open gaps, in order."""
        return tuple(r for r in self.rows if r.is_open)

    def row(self, skill_id: str) -> SkillGap:
        found = self._by_skill.get(skill_id)
        if found is None:
            raise NotFoundError("requirement", skill_id)
        return found

    def has(self, skill_id: str) -> bool:
        return skill_id in self._by_skill

    @functools.cached_property
    def _by_skill(self) -> dict[str, SkillGap]:
        return {r.skill_id: r for r in reversed(self.rows)}  # the first row of a skill wins

    def readiness_with(self, levels: Mapping[str, float]) -> float:
        """Readiness if the current level of some required skills became `levels` (higher only)."""
        if not self.rows:
            return 100.0
        weights, terms, total, positions = self._terms
        changed = list(terms)
        rows = self.rows
        for skill_id, level in levels.items():
            for i in positions.get(skill_id, ()):
                row = rows[i]
                changed[i] = weights[i] * _met(max(row.current_level, level), row.required_level)
        return _share_met(changed, total)

    @functools.cached_property
    def _terms(self) -> tuple[list[float], list[float], float, dict[str, list[int]]]:
        """readiness_of over the rows, taken apart: weights, per-row terms, their total, and the
        rows of each skill; `readiness_with` replaces a few terms and adds up again."""
        weights, total = _weights([r.importance for r in self.rows])
        terms = [
            w * _met(max(r.current_level, 0.0), r.required_level)
            for w, r in zip(weights, self.rows, strict=True)
        ]
        positions: dict[str, list[int]] = {}
        for i, r in enumerate(self.rows):
            positions.setdefault(r.skill_id, []).append(i)
        return weights, terms, total, positions

    def readiness_if_closed(self, skill_ids: Iterable[str]) -> float:
        """Readiness if the gaps on these skills were closed (counterfactual)."""
        wanted = set(skill_ids)
        return self.readiness_with(
            {r.skill_id: r.required_level for r in self.rows if r.skill_id in wanted}
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "employee_id": self.employee_id,
            "role_id": self.role_id,
            "role_title": self.role_title,
            "readiness": self.readiness,
            "flags": sorted(self.flags),
            "rows": [r.to_dict() for r in self.rows],
        }


def readiness_of(pairs: Iterable[tuple[float, float, float]]) -> float:
    """100 x importance-weighted share met, over (importance, current, required) triples."""
    rows = list(pairs)
    if not rows:
        return 100.0
    weights, total = _weights([imp for imp, _, _ in rows])
    return _share_met(
        [w * _met(cur, req) for w, (_, cur, req) in zip(weights, rows, strict=True)], total
    )


# readiness_of in parts, shared by the paths that skip terms known to be 0 (the same sums:
# adding 0.0 leaves a float sum as it was)
def _weights(importances: list[float]) -> tuple[list[float], float]:
    """The weight of each requirement (equal when every importance is 0) and their sum."""
    weights = [max(imp, 0.0) for imp in importances]
    total = sum(weights)
    if total <= EPSILON:
        weights = [1.0] * len(weights)
        total = sum(weights)
    return weights, total


def _met(current: float, required: float) -> float:
    """The share of one requirement met."""
    return 1.0 if required <= EPSILON else min(max(current, 0.0), required) / required


def _share_met(terms: list[float], total: float) -> float:
    """100 x the sum of weight x share met over the weights' sum, within [0, 100]."""
    value = 100.0 * sum(terms) / total
    return min(100.0, max(0.0, value))


@dataclass(frozen=True)
class _Weighted:
    """A role's merged requirements as readiness weighs them: (skill, level, weight) each."""

    rows: tuple[tuple[str, float, float], ...]
    total: float


class GapAnalyzer:
    """Partial credit and gap reports over one graph; caches graph look-ups between calls.

    For each required skill S the analyzer keeps, once computed, the map of every other skill
    that gives credit for S to its kind (`credit_sources`), so crediting a held profile is one
    dict look-up per held skill. The last REPORT_CACHE reports are kept: one answer asks for
    the same report several times (the gaps, then the needs of content and of mentors).
    `analyzer_for` shares one analyzer per graph and settings.
    """

    def __init__(self, graph: SkillGraph, settings: RecommendSettings | None = None) -> None:
        self.graph = graph
        self.settings = settings or RecommendSettings()
        self._sources: dict[str, dict[str, CreditKind]] = {}
        self._targets: dict[str, tuple[tuple[str, CreditKind], ...]] = {}
        self._profiles: dict[str, tuple[SkillRequirement, ...]] = {}
        self._weighted_profiles: dict[str, _Weighted] = {}
        self._prerequisites: dict[str, bool] = {}
        self._factors = {kind: self._factor(kind) for kind in CreditKind}
        self._cached_report = functools.lru_cache(maxsize=REPORT_CACHE)(self._report)
        self._cached_held = functools.lru_cache(maxsize=HELD_CACHE)(self._held_credit)

    def __getstate__(self) -> dict[str, Any]:
        return {"graph": self.graph, "settings": self.settings}  # caches are rebuilt

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__init__(state["graph"], state["settings"])  # type: ignore[misc]

    # credit -------------------------------------------------------------------------------
    def credit(self, held: Mapping[str, float], skill_id: str) -> Credit | None:
        """The best credit the held skills give for `skill_id` (uncapped), or None.

        Held skills are tried in order; a later one wins only when better by more than EPSILON.
        """
        sources = self.credit_sources(skill_id)
        factors = self._factors
        best_source, best_kind, best_level, best_value = "", CreditKind.DIRECT, 0.0, 0.0
        found = False
        for source, level in held.items():
            if level <= 0:
                continue
            kind = CreditKind.DIRECT if source == skill_id else sources.get(source)
            if kind is None:
                continue
            value = level * factors[kind]
            if not found or value > best_value + EPSILON:
                best_source, best_kind, best_level, best_value = source, kind, level, value
                found = True
        if not found:
            return None
        return Credit(best_source, best_kind, best_level, factors[best_kind])

    def effective_level(self, held: Mapping[str, float], skill_id: str, cap: float) -> float:
        """The level counted for `skill_id`: the direct level, or the best partial credit
        capped at `cap` (the level asked for), whichever is higher."""
        raw = held.get(skill_id, 0.0)
        best = self.credit(held, skill_id)
        partial = min(best.level, cap) if best is not None else 0.0
        return max(raw, partial)

    def credit_sources(self, skill_id: str) -> Mapping[str, CreditKind]:
        """Every other skill that gives credit for `skill_id`, with how (the table above):
        its descendants (narrower), then its direct broader skills, then its one-hop
        neighbours (related); the first rule that applies decides."""
        found = self._sources.get(skill_id)
        if found is None:
            graph = self.graph
            found = dict.fromkeys(graph.descendants(skill_id), CreditKind.NARROWER)
            for parent in graph.broader(skill_id):
                found.setdefault(parent, CreditKind.BROADER)
            for near in graph.related(skill_id, radius=1):
                found.setdefault(near, CreditKind.RELATED)
            found.pop(skill_id, None)
            self._sources[skill_id] = found
        return found

    def credit_targets(self, source_id: str) -> tuple[tuple[str, CreditKind], ...]:
        """The skills that holding `source_id` gives partial credit for, with how: the inverse
        of `credit_sources` (S credits T as kind k iff credit_sources(T)[S] is k). Read off the
        same relations turned around: T narrower than S iff S is a descendant of T, T a direct
        broader skill of S iff S is a direct narrower skill of T, and one-hop neighbourhood is
        symmetric (related edges are stored both ways)."""
        found = self._targets.get(source_id)
        if found is None:
            graph = self.graph
            kinds = dict.fromkeys(graph.ancestors(source_id), CreditKind.NARROWER)
            for child in graph.narrower(source_id):
                kinds.setdefault(child, CreditKind.BROADER)
            for near in graph.related(source_id, radius=1):
                kinds.setdefault(near, CreditKind.RELATED)
            kinds.pop(source_id, None)
            found = self._targets[source_id] = tuple(kinds.items())
        return found

    def held_credit(self, held: Mapping[str, float]) -> HeldCredit:
        """`credit(held, s)` for every skill s at once (the held skills are checked); the last
        HELD_CACHE profiles are kept."""
        return self._cached_held(tuple(held.items()))

    def _held_credit(self, held_items: tuple[tuple[str, float], ...]) -> HeldCredit:
        for skill_id, _ in held_items:
            self.graph.skill(skill_id)  # NotFoundError for an unknown skill
        factors = self._factors
        best: dict[str, _Best] = {}
        # every held skill offers its credits in held order, so each skill sees its candidates
        # in the order `credit` tries them, with the same EPSILON rule
        for source, level in held_items:
            if level <= 0:
                continue
            for target, kind in ((source, CreditKind.DIRECT), *self.credit_targets(source)):
                value = level * factors[kind]
                seen = best.get(target)
                if seen is None or value > seen[3] + EPSILON:
                    best[target] = (source, kind, level, value)
        return HeldCredit(dict(held_items), best, factors)

    def profile(self, role_id: str) -> tuple[SkillRequirement, ...]:
        """The role's requirements as a report counts them (`merged_profile`), kept per role."""
        found = self._profiles.get(role_id)
        if found is None:
            found = tuple(_merge_requirements(self.graph.role_profile(role_id)))
            self._profiles[role_id] = found
        return found

    def readiness(self, held: Mapping[str, float], role_id: str) -> float:
        """`report(held, role_id).readiness`, the same number, without building the report:
        what ranking many roles for one profile needs before explaining a few of them."""
        weighted = self._weighted(role_id)
        if not weighted.rows:
            return 100.0
        credit = self.held_credit(held)
        best, raw_of = credit.best, credit.held
        terms = []
        # the arithmetic of report(): raw, partial capped, their max, the share met; written
        # out with comparisons (the same results as max / min here, at a fraction of the cost)
        for skill_id, required, weight in weighted.rows:
            if required <= EPSILON:
                terms.append(weight * 1.0)
                continue
            found = best.get(skill_id)
            if found is None:  # nothing held gives credit: current level 0, a term of 0
                continue
            raw = raw_of.get(skill_id, 0.0)
            raw = raw if raw > 0.0 else 0.0
            partial = required if required < found[3] else found[3]
            current = partial if partial > raw else raw  # >= 0: no clamp needed
            terms.append(weight * ((required if required < current else current) / required))
        return _share_met(terms, weighted.total)

    def _weighted(self, role_id: str) -> _Weighted:
        found = self._weighted_profiles.get(role_id)
        if found is None:
            profile = self.profile(role_id)
            weights, total = _weights([req.importance for req in profile])
            rows = tuple(
                (req.skill_id, req.level, w) for req, w in zip(profile, weights, strict=True)
            )
            found = self._weighted_profiles[role_id] = _Weighted(rows, total)
        return found

    def factor(self, kind: CreditKind) -> float:
        return self._factors[kind]

    def _factor(self, kind: CreditKind) -> float:
        if kind is CreditKind.DIRECT:
            return 1.0
        if kind is CreditKind.NARROWER:
            return self.settings.partial_credit_narrower
        return self.settings.partial_credit_related

    # reports ------------------------------------------------------------------------------
    def report(
        self,
        held: Mapping[str, float],
        role_id: str,
        *,
        employee_id: str | None = None,
        extra_flags: Iterable[str] = (),
    ) -> GapReport:
        """Gaps of `held` (skill id -> level) against the role's profile."""
        return self._cached_report(
            tuple(held.items()), role_id, employee_id, frozenset(extra_flags)
        )

    def _report(
        self,
        held_items: tuple[tuple[str, float], ...],
        role_id: str,
        employee_id: str | None,
        extra_flags: frozenset[str],
    ) -> GapReport:
        credit = self._cached_held(held_items)  # NotFoundError for an unknown skill
        held = credit.held
        role = self.graph.role(role_id)
        requirements = self.graph.role_profile(role_id)
        rows = [self._row(held, credit, req) for req in self.profile(role_id)]
        flags = set(extra_flags)
        if not any(level > 0 for level in held.values()):
            flags.add(FLAG_NO_SKILLS)
        if any(req.provenance is Provenance.INFERRED for req in requirements):
            flags.add(FLAG_INFERRED_PROFILE)
        if not requirements:
            flags.add(FLAG_NO_REQUIREMENTS)
        readiness = readiness_of((r.importance, r.current_level, r.required_level) for r in rows)
        return GapReport(
            employee_id=employee_id,
            role_id=role_id,
            role_title=role.title,
            rows=self._ordered(rows),
            readiness=readiness,
            flags=frozenset(flags),
        )

    def _row(
        self, held: Mapping[str, float], credit: HeldCredit, req: SkillRequirement
    ) -> SkillGap:
        found = credit.rows.get(req)
        if found is None:
            found = credit.rows[req] = self._new_row(held, credit, req)
        return found

    def _new_row(
        self, held: Mapping[str, float], credit: HeldCredit, req: SkillRequirement
    ) -> SkillGap:
        raw = max(0.0, held.get(req.skill_id, 0.0))
        best = credit.credit(req.skill_id)
        partial = min(best.level, req.level) if best is not None else 0.0
        current = max(raw, partial)
        evidence = best
        if best is not None and best.kind is not CreditKind.DIRECT and raw >= partial:
            evidence = Credit(req.skill_id, CreditKind.DIRECT, raw, 1.0) if raw > 0 else None
        return SkillGap(
            skill_id=req.skill_id,
            label=self.graph.skill(req.skill_id).label,
            required_level=req.level,
            current_level=current,
            raw_level=raw,
            gap=max(0.0, req.level - current),
            importance=req.importance,
            evidence=evidence,
            provenance=req.provenance,
        )

    def _has_prerequisites(self, skill_id: str) -> bool:
        found = self._prerequisites.get(skill_id)
        if found is None:
            found = self._prerequisites[skill_id] = bool(self.graph.prerequisites(skill_id))
        return found

    def _ordered(self, rows: list[SkillGap]) -> tuple[SkillGap, ...]:
        by_rank = sorted(rows, key=lambda r: (-r.importance, -r.gap, r.skill_id))
        open_rows = [r for r in by_rank if r.is_open]
        met_rows = [r for r in by_rank if not r.is_open]
        if not any(self._has_prerequisites(r.skill_id) for r in open_rows):
            return (*open_rows, *met_rows)  # nothing to reorder: prerequisite_order keeps it
        by_id = {r.skill_id: r for r in open_rows}
        order = self.graph.prerequisite_order([r.skill_id for r in open_rows])
        return (*[by_id[s] for s in order], *met_rows)


def merged_profile(graph: SkillGraph, role_id: str) -> list[SkillRequirement]:
    """The role's requirements as a report counts them: one per skill."""
    return _merge_requirements(graph.role_profile(role_id))


def _merge_requirements(
    requirements: Iterable[SkillRequirement],
) -> list[SkillRequirement]:
    """One requirement per skill (the highest level, the highest importance)."""
    merged: dict[str, SkillRequirement] = {}
    for req in requirements:
        seen = merged.get(req.skill_id)
        if seen is None:
            merged[req.skill_id] = req
        else:
            merged[req.skill_id] = replace(
                seen,
                level=max(seen.level, req.level),
                importance=max(seen.importance, req.importance),
            )
    return list(merged.values())


def held_levels(employee: Employee) -> dict[str, float]:
    """skill id -> level an employee holds (the highest if listed twice)."""
    levels: dict[str, float] = {}
    for s in employee.skills:
        levels[s.skill_id] = max(levels.get(s.skill_id, 0.0), s.level)
    return levels


def role_levels(graph: SkillGraph, role_id: str) -> dict[str, float]:
    """skill id -> level a role requires: what someone fully in that role is taken to hold."""
    levels: dict[str, float] = {}
    for req in graph.role_profile(role_id):
        levels[req.skill_id] = max(levels.get(req.skill_id, 0.0), req.level)
    return levels


def analyzer_for(ctx: EngineContext) -> GapAnalyzer:
    """The context's gap analyzer: one per graph and partial-credit factors, shared by every
    recommender and answer (its caches depend on the graph only)."""
    settings = ctx.settings.recommend
    key = ("gap analyzer", settings.partial_credit_narrower, settings.partial_credit_related)
    return ctx.graph.derived(key, lambda: GapAnalyzer(ctx.graph, settings))


def analyze_gaps(
    ctx: EngineContext,
    subject: str | Employee | Mapping[str, float],
    role_id: str | None = None,
    *,
    analyzer: GapAnalyzer | None = None,
) -> GapReport:
    """Gaps of an employee (id or record) or of a skill-level map against a role.

    The role defaults to the employee's current role; for a skill map it is required.
    Unknown employee, role or skill ids raise NotFoundError.
    """
    analyzer = analyzer or analyzer_for(ctx)
    if isinstance(subject, str):
        subject = ctx.employee(subject)
    if isinstance(subject, Employee):
        return analyzer.report(
            held_levels(subject), role_id or subject.role_id, employee_id=subject.id
        )
    if role_id is None:
        raise ValidationError("a role is needed to analyse the gaps of a list of skills")
    return analyzer.report(dict(subject), role_id)


def analyze_role_gaps(
    ctx: EngineContext, role_id: str, target_role_id: str, *, analyzer: GapAnalyzer | None = None
) -> GapReport:
    """Gaps of someone who fully holds `role_id` against `target_role_id` (no employee)."""
    return analyze_gaps(ctx, role_levels(ctx.graph, role_id), target_role_id, analyzer=analyzer)
