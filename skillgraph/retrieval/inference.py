"""Skill inference: which skills a text (a role description, a course, a self-description) is about.

`SkillInferrer.infer_skills` fuses three signals, each scaled to [0, 1] per query:

1. text: cosine of the text to every skill text (the skill index, GROUP skills excluded),
   min-max scaled over the `candidates` best skills (the best is 1, the candidates-th is 0);
2. roles: the `top_roles` roles nearest to the text among roles with DECLARED profiles (the role
   index); a skill's evidence is the importance-weighted share of those roles that require it,
   each role weighted by exp((similarity - best similarity) / role_temperature), so near roles
   count much more than far ones. Neighbouring roles' skills are strong evidence: a description
   says what a job is about, its neighbours' profiles say what it takes;
3. graph: a skill gains from its graph neighbours (related, broader, narrower; one hop) in
   proportion to their text+roles score, divided by sqrt(its degree) so hubs do not win by size;
   this spreads score to skills the text does not name and boosts skills whose neighbours score.

score = w_text * text + w_roles * roles + w_graph * graph, weights normalised to sum to 1 (a
missing role index drops that signal), so every score is in [0, 1]. The default weights were
tuned on a seeded dev split of ESCO occupations, disjoint from the reported split (see
benchmarks/bench_inference.py and BENCHMARKS.md, "Skill inference").
"""

from __future__ import annotations

import math
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field

import numpy as np

from skillgraph.config import RetrievalSettings
from skillgraph.data.schema import (
    MAX_LEVEL,
    Evidence,
    LearningItem,
    Provenance,
    Role,
    SkillKind,
    SkillLevel,
    SkillRequirement,
    SkillTaught,
)
from skillgraph.errors import ValidationError
from skillgraph.graph.ontology import SkillGraph
from skillgraph.retrieval.encoder import Encoder
from skillgraph.retrieval.index import build_index
from skillgraph.retrieval.texts import MAX_ROLE_SKILLS, item_text, role_text, skill_text
from skillgraph.retrieval.vectors import VectorIndex

DEFAULT_LEVEL = 3.0  # "works independently": what a role expects when neighbours say nothing
EMPLOYEE_LEVEL = 2.0  # "basic": a self-description names skills, it does not grade them
ITEM_LEVEL_GAIN = 1.0  # a course pitched at level L takes a learner to about L + 1
ROLE_TEXT_SKILLS = MAX_ROLE_SKILLS  # key skills in the role texts the role index is built from


@dataclass(frozen=True)
class InferenceWeights:
    """Weights and sizes of the fusion; defaults tuned on the ESCO dev split."""

    text: float = 0.2
    roles: float = 0.75
    graph: float = 0.05
    top_roles: int = 20
    role_temperature: float = 0.1
    candidates: int = 200

    def __post_init__(self) -> None:
        if min(self.text, self.roles, self.graph) < 0 or self.text + self.roles + self.graph <= 0:
            raise ValidationError("inference weights must be >= 0 and not all 0")
        if self.top_roles < 1 or self.candidates < 2 or self.role_temperature <= 0:
            raise ValidationError("top_roles >= 1, candidates >= 2, role_temperature > 0")


@dataclass
class _RoleEvidence:
    share: dict[str, float] = field(default_factory=dict)  # skill -> weighted share in [0, 1]
    levels: dict[str, list[tuple[float, float]]] = field(default_factory=dict)  # (level, weight)


class SkillInferrer:
    """Infers skills from text over a skill graph, a skill index and (optionally) a role index.

    `skill_index` holds one vector per non-GROUP skill (id = skill id, text = texts.skill_text);
    `role_index` one per role (id = role id, text = texts.role_text). Only roles whose profile is
    DECLARED count as evidence; roles added later are seen as the indexes change.
    """

    def __init__(
        self,
        graph: SkillGraph,
        encoder: Encoder,
        skill_index: VectorIndex,
        role_index: VectorIndex | None = None,
        *,
        weights: InferenceWeights | None = None,
    ) -> None:
        self.graph = graph
        self.encoder = encoder
        self.skill_index = skill_index
        self.role_index = role_index
        self.weights = weights or InferenceWeights()
        self._labels = {s.id: s.label for s in graph.records.skills.values()}
        self._declared = {
            r.id
            for r in graph.records.roles.values()
            if r.requirements and any(q.provenance is Provenance.DECLARED for q in r.requirements)
        }

    @classmethod
    def from_graph(
        cls,
        graph: SkillGraph,
        encoder: Encoder,
        settings: RetrievalSettings,
        *,
        weights: InferenceWeights | None = None,
        progress: bool = False,
    ) -> SkillInferrer:
        """Encode and index the graph's skills and roles, then make an inferrer over them."""
        skills = build_skill_index(graph, encoder, settings, progress=progress)
        roles = build_role_index(graph, encoder, settings, progress=progress)
        return cls(graph, encoder, skills, roles, weights=weights)

    # -- public ---------------------------------------------------------------------------------

    def infer_skills(
        self, text: str, k: int = 20, *, exclude_roles: Collection[str] = ()
    ) -> list[tuple[str, float]]:
        """The k skills the text is most about, (skill id, score in [0, 1]) best first.
        `exclude_roles` are not used as evidence (e.g. the role being inferred)."""
        scores, _ = self._infer(text, exclude_roles)
        ranked = sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))
        return ranked[:k]

    def infer_role_profile(self, role: Role, k: int = 15) -> tuple[SkillRequirement, ...]:
        """Requirements for a role known by its title and description (provenance INFERRED).

        level: weighted median of the levels the nearest declared roles require (DEFAULT_LEVEL
        when none of them requires the skill); importance: score relative to the best inferred
        skill of this role; score: the fused score (confidence).
        """
        text = role_text(role, self._labels, max_skills=0)
        scores, evidence = self._infer(text, exclude_roles={role.id})
        ranked = sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))[:k]
        if not ranked:
            return ()
        top = ranked[0][1] or 1.0
        return tuple(
            SkillRequirement(
                skill_id=skill_id,
                level=_weighted_median(evidence.levels.get(skill_id, []), DEFAULT_LEVEL),
                importance=round(min(score / top, 1.0), 3),
                provenance=Provenance.INFERRED,
                score=round(score, 4),
            )
            for skill_id, score in ranked
        )

    def infer_item_skills(
        self, item: LearningItem, k: int = 5, *, min_relative: float = 0.6
    ) -> tuple[SkillTaught, ...]:
        """Skills a learning item without tags teaches: the best k whose score is at least
        `min_relative` of the best; the level reached is the item's level + ITEM_LEVEL_GAIN."""
        found = self.infer_skills(item_text(item, self._labels), k)
        reached = min(item.level + ITEM_LEVEL_GAIN, MAX_LEVEL)
        return tuple(SkillTaught(s, reached) for s, _ in _strong(found, min_relative))

    def infer_employee_skills(
        self, about: str, k: int = 10, *, min_relative: float = 0.6
    ) -> tuple[SkillLevel, ...]:
        """Skills a free-text self-description names, at EMPLOYEE_LEVEL, evidence INFERRED."""
        if not about.strip():
            return ()
        found = self.infer_skills(about, k)
        return tuple(
            SkillLevel(s, EMPLOYEE_LEVEL, evidence=Evidence.INFERRED)
            for s, _ in _strong(found, min_relative)
        )

    # -- fusion ---------------------------------------------------------------------------------

    def _infer(
        self, text: str, exclude_roles: Collection[str]
    ) -> tuple[dict[str, float], _RoleEvidence]:
        w = self.weights
        query = self.encoder.encode([text])
        cosine = self._text_signal(query)
        evidence = self._role_signal(query, exclude_roles)
        use_roles = self.role_index is not None and bool(evidence.share)
        w_text, w_roles, w_graph = w.text, w.roles if use_roles else 0.0, w.graph
        total = w_text + w_roles + w_graph
        if total <= 0:  # only the roles signal was weighted and no role qualified
            w_text, total = 1.0, 1.0 + w_graph
        base = {
            s: (w_text * cosine.get(s, 0.0) + w_roles * evidence.share.get(s, 0.0))
            for s in cosine.keys() | evidence.share.keys()
        }
        spread = self._graph_signal(base) if w_graph > 0 else {}
        skills = self.graph.records.skills
        scores: dict[str, float] = {}
        for s in base.keys() | spread.keys():
            if s in skills and skills[s].kind is not SkillKind.GROUP:
                value = base.get(s, 0.0) + w_graph * spread.get(s, 0.0)
                scores[s] = min(max(value / total, 0.0), 1.0)
        return {s: v for s, v in scores.items() if v > 0}, evidence

    def _text_signal(self, query: np.ndarray) -> dict[str, float]:
        (hits,) = self.skill_index.search(query, self.weights.candidates)
        if not hits:
            return {}
        best, floor = hits[0][1], hits[-1][1]
        span = best - floor
        if span <= 1e-9:
            return {s: 1.0 for s, _ in hits}
        return {s: (c - floor) / span for s, c in hits}

    def _role_signal(self, query: np.ndarray, exclude: Collection[str]) -> _RoleEvidence:
        evidence = _RoleEvidence()
        if self.role_index is None:
            return evidence
        allowed = self._declared - set(exclude)
        if not allowed:
            return evidence
        (hits,) = self.role_index.search(query, self.weights.top_roles, allow=allowed)
        if not hits:
            return evidence
        best = hits[0][1]
        weights = [(r, math.exp((sim - best) / self.weights.role_temperature)) for r, sim in hits]
        total = sum(wr for _, wr in weights)
        roles = self.graph.records.roles
        for role_id, wr in weights:
            for req in roles[role_id].requirements:
                share = evidence.share.get(req.skill_id, 0.0) + wr * req.importance / total
                evidence.share[req.skill_id] = share
                evidence.levels.setdefault(req.skill_id, []).append((req.level, wr))
        return evidence

    def _graph_signal(self, base: Mapping[str, float]) -> dict[str, float]:
        strongest = sorted(base.items(), key=lambda kv: -kv[1])[: self.weights.candidates]
        raw: dict[str, float] = {}
        for skill_id, value in strongest:
            if value <= 0 or not self.graph.has_skill(skill_id):
                continue
            for neighbour in self.graph.related(skill_id, 1, include_groups=False):
                raw[neighbour] = raw.get(neighbour, 0.0) + value
        for skill_id in raw:
            degree = len(self.graph.related(skill_id, 1, include_groups=False))
            raw[skill_id] /= math.sqrt(max(degree, 1))
        top = max(raw.values(), default=0.0)
        return {s: v / top for s, v in raw.items()} if top > 0 else {}


def build_skill_index(
    graph: SkillGraph, encoder: Encoder, settings: RetrievalSettings, *, progress: bool = False
) -> VectorIndex:
    """An index of every non-GROUP skill's text (texts.skill_text)."""
    skills = [s for s in graph.records.skills.values() if s.kind is not SkillKind.GROUP]
    vectors = encoder.encode([skill_text(s) for s in skills], progress=progress)
    return build_index([s.id for s in skills], vectors, settings=settings)


def build_role_index(
    graph: SkillGraph,
    encoder: Encoder,
    settings: RetrievalSettings,
    *,
    max_skills: int = ROLE_TEXT_SKILLS,
    progress: bool = False,
) -> VectorIndex:
    """An index of every role's text (texts.role_text with up to `max_skills` key skills)."""
    labels = {s.id: s.label for s in graph.records.skills.values()}
    roles = list(graph.records.roles.values())
    texts = [role_text(r, labels, max_skills=max_skills) for r in roles]
    vectors = encoder.encode(texts, progress=progress)
    return build_index([r.id for r in roles], vectors, settings=settings)


def _strong(found: list[tuple[str, float]], min_relative: float) -> list[tuple[str, float]]:
    if not found:
        return []
    best = found[0][1]
    return [(s, v) for s, v in found if v >= min_relative * best]


def _weighted_median(votes: list[tuple[float, float]], default: float) -> float:
    """The level at which half of the weight is reached; `default` without votes."""
    if not votes:
        return default
    ordered = sorted(votes)
    half = sum(w for _, w in ordered) / 2
    running = 0.0
    for level, weight in ordered:
        running += weight
        if running >= half:
            return level
    return ordered[-1][0]
