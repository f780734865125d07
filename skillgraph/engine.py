"""The engine: records -> graph -> embeddings and indexes -> recommenders, in one object.

`api/`, `evaluation/` and the CLI hold an Engine and nothing below it. An Engine is never
changed in place once built: `updated()` returns a new one sharing what did not change, so a
service can swap engines between requests while requests in flight finish on the old one.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np

from skillgraph.config import Settings
from skillgraph.data.schema import (
    Employee,
    LearningItem,
    MentorOffer,
    Provenance,
    Records,
    Role,
    SkillKind,
)
from skillgraph.data.validate import validate
from skillgraph.errors import NotFoundError, SkillgraphError
from skillgraph.graph.ontology import SkillGraph
from skillgraph.graph.transitions import TransitionGraph
from skillgraph.recommend.base import EngineContext, Query, Recommendation
from skillgraph.recommend.content import ContentRecommender
from skillgraph.recommend.gaps import GapReport, analyze_gaps, analyze_role_gaps
from skillgraph.recommend.mentors import MentorRecommender
from skillgraph.recommend.paths import CareerPath, PathFinder
from skillgraph.recommend.plans import DevelopmentPlan, build_plan
from skillgraph.recommend.roles import RoleRecommender
from skillgraph.retrieval import texts
from skillgraph.retrieval.encoder import Encoder, load_encoder
from skillgraph.retrieval.index import VectorIndex, build_index
from skillgraph.retrieval.inference import SkillInferrer

ProgressFn = Callable[[str, int, int], None]
TextRecipe = Callable[[SkillGraph], list[tuple[str, str]]]
INDEX_KINDS = ("skills", "roles", "employees", "mentors", "items")
ROLE_TEXT_NEIGHBOURS = 30


def _quiet(stage: str, done: int, total: int) -> None:
    """The default progress callback: say nothing."""


@dataclass(frozen=True)
class Engine:
    settings: Settings
    ctx: EngineContext
    transitions: TransitionGraph
    inferrer: SkillInferrer
    content_recommender: ContentRecommender
    mentor_recommender: MentorRecommender
    role_recommender: RoleRecommender
    path_finder: PathFinder
    revision: int = 0  # the store revision this engine reflects
    stats: Mapping[str, Any] = field(default_factory=dict)

    # ------------------------------------------------------------------ building

    @classmethod
    def build(
        cls,
        records: Records,
        settings: Settings,
        *,
        encoder: Encoder | None = None,
        progress: ProgressFn | None = None,
        revision: int = 0,
        mentor_load: Mapping[str, int] | None = None,
    ) -> Engine:
        """Validate, build the graph, embed and index everything, infer missing profiles, fit."""
        report = progress or _quiet
        validate(records)
        report("graph", 0, 1)
        graph = SkillGraph.build(records)
        report("graph", 1, 1)
        encoder = encoder or load_encoder(settings.retrieval, settings.data_dir / "embeddings")
        skill_index = _index(settings, encoder, report, "skills", _skill_texts(graph))
        role_index = _index(settings, encoder, report, "roles", _role_texts(graph))
        inferrer = SkillInferrer(graph, encoder, skill_index, role_index)
        graph = _with_inferred_profiles(graph, inferrer, report)
        _tag_untagged_items(graph.records, inferrer, report)
        indexes: dict[str, VectorIndex] = {
            "skills": skill_index,
            "roles": _index(settings, encoder, report, "roles", _role_texts(graph)),
            "employees": _index(settings, encoder, report, "employees", _employee_texts(graph)),
            "mentors": _index(settings, encoder, report, "mentors", _mentor_texts(graph)),
            "items": _index(settings, encoder, report, "items", _item_texts(graph)),
        }
        inferrer = SkillInferrer(graph, encoder, skill_index, indexes["roles"])
        ctx = EngineContext(graph, encoder, indexes, settings, dict(mentor_load or {}))
        return cls._fit(settings, ctx, inferrer, revision, report)

    @classmethod
    def _fit(
        cls,
        settings: Settings,
        ctx: EngineContext,
        inferrer: SkillInferrer,
        revision: int,
        report: ProgressFn,
    ) -> Engine:
        report("career graph", 0, 1)
        transitions = TransitionGraph.build(
            ctx.graph,
            text_similarity=role_text_similarity(ctx.indexes["roles"]),
            weights=settings.recommend.transition_weights,
        )
        report("career graph", 1, 1)
        return cls.from_parts(settings, ctx, inferrer, transitions, revision)

    @classmethod
    def from_parts(
        cls,
        settings: Settings,
        ctx: EngineContext,
        inferrer: SkillInferrer,
        transitions: TransitionGraph,
        revision: int,
    ) -> Engine:
        """Fit the recommenders on built parts (a loaded engine skips the career graph build)."""
        content = ContentRecommender().fit(ctx)
        mentors = MentorRecommender().fit(ctx)
        roles = RoleRecommender(transitions).fit(ctx)
        paths = PathFinder(roles.transitions, ctx, content_rec=content, mentor_rec=mentors)
        return cls(
            settings=settings,
            ctx=ctx,
            transitions=transitions,
            inferrer=inferrer,
            content_recommender=content,
            mentor_recommender=mentors,
            role_recommender=roles,
            path_finder=paths,
            revision=revision,
        )

    # ------------------------------------------------------------------ views

    @property
    def graph(self) -> SkillGraph:
        return self.ctx.graph

    @property
    def records(self) -> Records:
        return self.ctx.graph.records

    @property
    def encoder(self) -> Encoder:
        return self.ctx.encoder

    def counts(self) -> dict[str, Any]:
        counts: dict[str, Any] = dict(self.records.counts())
        counts.update({f"graph {k}": v for k, v in self.graph.counts().items()})
        counts["inferred role profiles"] = sum(
            r.profile_inferred for r in self.records.roles.values()
        )
        counts["career moves (edges)"] = self.transitions.edge_count()
        counts["model"] = self.encoder.model_id
        return counts

    # ------------------------------------------------------------------ answers

    def gaps(self, employee_id: str, target_role_id: str | None = None) -> GapReport:
        return analyze_gaps(self.ctx, employee_id, target_role_id)

    def role_gaps(self, role_id: str, target_role_id: str) -> GapReport:
        return analyze_role_gaps(self.ctx, role_id, target_role_id)

    def skill_gaps(self, levels: Mapping[str, float], role_id: str) -> GapReport:
        return analyze_gaps(self.ctx, levels, role_id)

    def mentors(self, query: Query) -> list[Recommendation]:
        return self.mentor_recommender.recommend(query)

    def content(self, query: Query) -> list[Recommendation]:
        return self.content_recommender.recommend(query)

    def next_roles(self, query: Query) -> list[Recommendation]:
        return self.role_recommender.recommend(query)

    def paths(self, query: Query, *, max_hops: int = 3) -> list[CareerPath]:
        start = query.role_id
        if query.employee_id is not None:
            start = start or self.ctx.employee(query.employee_id).role_id
        if start is None:
            raise SkillgraphError("a path needs an employee or a starting role")
        if query.target_role_id is not None:
            return self.path_finder.k_best(
                start,
                query.target_role_id,
                k=query.k,
                max_hops=max_hops,
                employee_id=query.employee_id,
            )
        return self.path_finder.explore(
            start, max_hops=max_hops, limit=query.k, employee_id=query.employee_id
        )

    def plan(self, employee_id: str, target_role_id: str) -> DevelopmentPlan:
        return build_plan(
            self.ctx,
            employee_id,
            target_role_id,
            content=self.content_recommender,
            mentors=self.mentor_recommender,
        )

    def infer_skills(self, text: str, k: int = 20) -> list[tuple[str, float]]:
        return self.inferrer.infer_skills(text, k=k)

    def search_roles(self, text: str, k: int = 10) -> list[tuple[str, float]]:
        """Roles whose text is nearest a free-text query."""
        vector = self.encoder.encode([text])
        return [
            (rid, float(score)) for rid, score in self.ctx.indexes["roles"].search(vector, k)[0]
        ]

    def search_skills(self, text: str, k: int = 10) -> list[tuple[str, float]]:
        vector = self.encoder.encode([text])
        return [(sid, float(s)) for sid, s in self.ctx.indexes["skills"].search(vector, k)[0]]

    # ------------------------------------------------------------------ changes

    def updated(
        self,
        changes: Records,
        *,
        removed_employees: Iterable[str] = (),
        removed_mentors: Iterable[str] = (),
        removed_items: Iterable[str] = (),
        revision: int | None = None,
        mentor_load: Mapping[str, int] | None = None,
    ) -> Engine:
        """A new engine with `changes` upserted and the given ids removed; self is untouched.

        Changed skills or roles rebuild the graph; employees, mentors and items are re-encoded
        and upserted into copies of their indexes.
        """
        removed_employees, removed_mentors, removed_items = (
            list(removed_employees),
            list(removed_mentors),
            list(removed_items),
        )
        records = _apply_changes(
            self.records, changes, removed_employees, removed_mentors, removed_items
        )
        if changes.skills or changes.roles or changes.relations:
            return Engine.build(
                records,
                self.settings,
                encoder=self.encoder,
                revision=self.revision if revision is None else revision,
                mentor_load=mentor_load if mentor_load is not None else self.ctx.mentor_load,
            )
        graph = copy.copy(self.graph)
        graph.records = records
        _tag_untagged_items(records, self.inferrer, _quiet)
        indexes = dict(self.ctx.indexes)
        plan: list[tuple[str, TextRecipe, Mapping[str, Any], list[str]]] = [
            ("employees", _employee_texts, changes.employees, removed_employees),
            ("mentors", _mentor_texts, changes.mentors, removed_mentors),
            ("items", _item_texts, changes.items, removed_items),
        ]
        for kind, recipe, changed, removed in plan:
            if changed or removed:
                indexes[kind] = _updated_index(
                    indexes[kind], self.settings, self.encoder, recipe(graph), changed, removed
                )
        ctx = EngineContext(
            graph,
            self.encoder,
            indexes,
            self.settings,
            dict(mentor_load if mentor_load is not None else self.ctx.mentor_load),
        )
        inferrer = SkillInferrer(graph, self.encoder, indexes["skills"], indexes["roles"])
        revision = self.revision if revision is None else revision
        if _moves_changed(self.records, changes, removed_employees):
            return Engine._fit(self.settings, ctx, inferrer, revision, _quiet)
        return Engine.from_parts(self.settings, ctx, inferrer, self.transitions, revision)

    def with_mentor_load(self, mentor_load: Mapping[str, int]) -> Engine:
        ctx = replace(self.ctx, mentor_load=dict(mentor_load))
        return Engine.from_parts(self.settings, ctx, self.inferrer, self.transitions, self.revision)

    def without_employee(self, employee_id: str, *, revision: int | None = None) -> Engine:
        """Erase a person: the record, their mentor offers, feedback, and every index entry."""
        if employee_id not in self.records.employees:
            raise NotFoundError("employee", employee_id)
        offers = [o.id for o in self.records.mentors.values() if o.employee_id == employee_id]
        return self.updated(
            Records(),
            removed_employees=[employee_id],
            removed_mentors=offers,
            revision=revision,
        )


# ---------------------------------------------------------------------- helpers


def _index(
    settings: Settings,
    encoder: Encoder,
    report: ProgressFn,
    name: str,
    pairs: Sequence[tuple[str, str]],
) -> VectorIndex:
    report(f"embed {name}", 0, len(pairs))
    ids = [i for i, _ in pairs]
    vectors = (
        encoder.encode([t for _, t in pairs], progress=len(pairs) > 2000)
        if pairs
        else np.zeros((0, encoder.dim), dtype=np.float32)
    )
    report(f"embed {name}", len(pairs), len(pairs))
    if not ids:
        return build_index(
            [], np.zeros((0, encoder.dim), dtype=np.float32), settings=settings.retrieval
        )
    return build_index(ids, vectors, settings=settings.retrieval)


def _updated_index(
    index: VectorIndex,
    settings: Settings,
    encoder: Encoder,
    entries: Sequence[tuple[str, str]],
    changed: Mapping[str, Any],
    removed: Sequence[str],
) -> VectorIndex:
    """A copy of `index` with `removed` gone and the `changed` entries re-encoded."""
    index = _copy_index(index, settings)
    present = set(index.ids())
    index.remove([i for i in removed if i in present])
    pairs = [(i, t) for i, t in entries if i in changed]
    if pairs:
        index.upsert([i for i, _ in pairs], encoder.encode([t for _, t in pairs]))
    return index


def _copy_index(index: VectorIndex, settings: Settings) -> VectorIndex:
    ids, vectors = index.export()
    return build_index(ids, vectors, settings=settings.retrieval)


def _labels(graph: SkillGraph) -> dict[str, str]:
    return {sid: s.label for sid, s in graph.records.skills.items()}


def _skill_texts(graph: SkillGraph) -> list[tuple[str, str]]:
    return [
        (sid, texts.skill_text(s))
        for sid, s in graph.records.skills.items()
        if s.kind is not SkillKind.GROUP
    ]


def _role_texts(graph: SkillGraph) -> list[tuple[str, str]]:
    labels = _labels(graph)
    return [(rid, texts.role_text(r, labels)) for rid, r in graph.records.roles.items()]


def _employee_texts(graph: SkillGraph) -> list[tuple[str, str]]:
    labels = _labels(graph)
    roles = graph.records.roles
    return [
        (eid, texts.employee_text(e, roles[e.role_id].title if e.role_id in roles else "", labels))
        for eid, e in graph.records.employees.items()
        if e.active
    ]


def _mentor_texts(graph: SkillGraph) -> list[tuple[str, str]]:
    labels = _labels(graph)
    employees = graph.records.employees
    return [
        (oid, texts.mentor_text(o, employees[o.employee_id], labels))
        for oid, o in graph.records.mentors.items()
        if o.employee_id in employees
    ]


def _item_texts(graph: SkillGraph) -> list[tuple[str, str]]:
    labels = _labels(graph)
    return [(iid, texts.item_text(i, labels)) for iid, i in graph.records.items.items()]


def _with_inferred_profiles(
    graph: SkillGraph, inferrer: SkillInferrer, report: ProgressFn
) -> SkillGraph:
    """Every role without declared skills gets an inferred profile (provenance INFERRED)."""
    bare = [r for r in graph.records.roles.values() if not r.requirements]
    if not bare:
        return graph
    inferred: dict[str, Role] = {}
    for done, role in enumerate(bare, start=1):
        inferred[role.id] = replace(role, requirements=inferrer.infer_role_profile(role))
        if done % 50 == 0 or done == len(bare):
            report("infer role profiles", done, len(bare))
    return graph.with_roles(inferred)


def _tag_untagged_items(records: Records, inferrer: SkillInferrer, report: ProgressFn) -> None:
    """Learning items that carry no skill tags get inferred ones."""
    bare = [i for i in records.items.values() if not i.skills]
    for done, item in enumerate(bare, start=1):
        records.items[item.id] = replace(item, skills=inferrer.infer_item_skills(item))
        if done % 50 == 0 or done == len(bare):
            report("tag learning items", done, len(bare))


def role_text_similarity(
    role_index: VectorIndex, neighbours: int = ROLE_TEXT_NEIGHBOURS
) -> dict[tuple[str, str], float]:
    """Cosine similarity of each role's text to its nearest roles' texts."""
    ids, vectors = role_index.export()
    if not ids:
        return {}
    hits = role_index.search(vectors, min(neighbours + 1, len(ids)))
    return {
        (source, target): float(score)
        for source, row in zip(ids, hits, strict=True)
        for target, score in row
        if target != source
    }


def _apply_changes(
    base: Records,
    changes: Records,
    removed_employees: Iterable[str],
    removed_mentors: Iterable[str],
    removed_items: Iterable[str],
) -> Records:
    gone_employees, gone_mentors, gone_items = (
        set(removed_employees),
        set(removed_mentors),
        set(removed_items),
    )
    employees: dict[str, Employee] = {
        k: v for k, v in base.employees.items() if k not in gone_employees
    }
    employees.update(changes.employees)
    if gone_employees:
        employees = {
            k: (replace(v, manager_id=None) if v.manager_id in gone_employees else v)
            for k, v in employees.items()
        }
    mentors: dict[str, MentorOffer] = {
        k: v
        for k, v in base.mentors.items()
        if k not in gone_mentors and v.employee_id not in gone_employees
    }
    mentors.update(changes.mentors)
    items: dict[str, LearningItem] = {k: v for k, v in base.items.items() if k not in gone_items}
    items.update(changes.items)
    feedback = {
        k: v
        for k, v in base.feedback.items()
        if v.employee_id not in gone_employees and v.target_id not in gone_employees | gone_mentors
    }
    feedback.update(changes.feedback)
    roles = {**base.roles, **changes.roles}
    return Records(
        skills={**base.skills, **changes.skills},
        relations=[*base.relations, *changes.relations],
        roles=roles,
        employees=employees,
        mentors=mentors,
        items=items,
        feedback=feedback,
        sources=list(base.sources),
        attributions=list(base.attributions),
    )


def _moves_changed(base: Records, changes: Records, removed: Iterable[str]) -> bool:
    """Observed moves feed the career graph: only history changes require rebuilding it."""
    if any(base.employees[e].history for e in removed if e in base.employees):
        return True
    return any(
        emp.history != (base.employees[eid].history if eid in base.employees else ())
        for eid, emp in changes.employees.items()
    )


def declared_only(records: Records) -> Records:
    """A copy whose roles keep only declared requirements (inferred ones are re-derived)."""
    roles = {
        rid: replace(
            r, requirements=tuple(q for q in r.requirements if q.provenance is Provenance.DECLARED)
        )
        for rid, r in records.roles.items()
    }
    return replace(records, roles=roles)


def save_path(settings: Settings) -> Path:
    return settings.data_dir / "engine"
