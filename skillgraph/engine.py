"""The engine: records -> graph -> embeddings and indexes -> recommenders, in one object.

`api/`, `evaluation/` and the CLI hold an Engine and nothing below it. An Engine is never
changed in place once built: `updated()` returns a new one sharing what did not change, so a
service can swap engines between requests while requests in flight finish on the old one.

What a build adds to the records it is given (kept in `Engine.derived`, so that a change can
start again from the records as given and `updated` answers exactly like a fresh build):

- roles without requirements get an inferred profile (provenance INFERRED);
- roles whose declared requirements are all TECHNOLOGY skills (137 O*NET occupations rate no
  skill or knowledge element, only software) keep those and get inferred non-technology
  requirements added (INFERRED): a profile of tools alone says nothing of the work itself;
- learning items without skill tags get inferred tags (from their text);
- employees without skills but with an `about` text get inferred skills (evidence INFERRED).

Requirements a caller passes in marked INFERRED are taken as given; callers that want them
derived afresh strip them first (`declared_only`).
"""

from __future__ import annotations

import copy
import time
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from types import MappingProxyType
from typing import Any

import numpy as np

from skillgraph.config import Settings
from skillgraph.data.schema import (
    Employee,
    Feedback,
    LearningItem,
    MentorOffer,
    Provenance,
    Records,
    Role,
    SkillKind,
    SkillRequirement,
    TargetKind,
)
from skillgraph.data.validate import check_references
from skillgraph.errors import NotFoundError, SkillgraphError, SnapshotError
from skillgraph.graph.ontology import SkillGraph
from skillgraph.graph.snapshot import SNAPSHOT_VERSION
from skillgraph.graph.transitions import TRANSITIONS_FORMAT, TransitionGraph, observed_moves
from skillgraph.recommend.base import EngineContext, Explanation, Query, Recommendation
from skillgraph.recommend.content import ContentRecommender
from skillgraph.recommend.explain import reason_of
from skillgraph.recommend.gaps import GapReport, analyze_gaps, analyze_role_gaps
from skillgraph.recommend.mentors import MentorRecommender
from skillgraph.recommend.paths import CareerPath, PathFinder
from skillgraph.recommend.plans import DevelopmentPlan, build_plan
from skillgraph.recommend.roles import RoleRecommender
from skillgraph.retrieval import texts
from skillgraph.retrieval.encoder import Encoder, load_encoder
from skillgraph.retrieval.index import VectorIndex, build_index
from skillgraph.retrieval.inference import SkillInferrer
from skillgraph.retrieval.manifest import FORMAT_VERSION as INDEX_FORMAT

ProgressFn = Callable[[str, int, int], None]
TextRecipe = Callable[[SkillGraph], list[tuple[str, str]]]
INDEX_KINDS = ("skills", "roles", "employees", "mentors", "items")
ROLE_TEXT_NEIGHBOURS = 30
ENCODE_CHUNK = 1024  # texts per encoder call: progress steps, and cache shards of useful size
INFERRED_PROFILE_SKILLS = 15  # requirements an inferred (or completed) profile gets
PROGRESS_EVERY = 50
SKILL_LIST_LEVEL = 3.0  # a bare skill list names skills held at "intermediate"
MAX_EXPLAINED_GAPS = 5
# What a saved engine is made of, with the format this code reads and writes each in. A saved
# engine's manifest records them; one saved with other formats is refused with a SnapshotError
# that says to run `skillgraph build`, instead of being unpickled into objects this code no
# longer matches. A format is bumped where its artefact is defined.
ARTEFACT_FORMATS: Mapping[str, int] = MappingProxyType(
    {"graph": SNAPSHOT_VERSION, "transitions": TRANSITIONS_FORMAT, "indexes": INDEX_FORMAT}
)


def artefact_format_problem(found: object) -> str | None:
    """What in a manifest's record of artefact formats differs from ARTEFACT_FORMATS (None:
    nothing). Artefacts this code does not know are ignored."""
    if not isinstance(found, Mapping):
        return "it records no artefact formats (saved before they were recorded)"
    for name, expected in ARTEFACT_FORMATS.items():
        if found.get(name) != expected:
            return f"its {name} format is {found.get(name)}, this version reads {expected}"
    return None


def check_artefact_formats(found: object, where: str) -> None:
    """SnapshotError, telling to run `skillgraph build`, unless the formats match this code."""
    problem = artefact_format_problem(found)
    if problem is not None:
        raise SnapshotError(
            f"the engine in {where} was saved by another version of skillgraph ({problem}): "
            "run `skillgraph build`"
        )


def _quiet(stage: str, done: int, total: int) -> None:
    """The default progress callback: say nothing."""


@dataclass(frozen=True)
class Derived:
    """What a build added to the records it was given; `strip` gives those records back."""

    role_skills: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    # role id -> skill ids of the INFERRED requirements the build added
    items: frozenset[str] = frozenset()  # items whose skill tags were inferred
    employees: frozenset[str] = frozenset()  # employees whose skills were inferred from `about`

    def strip(self, records: Records) -> Records:
        """`records` without what was derived (the records as the build was given them)."""
        roles = dict(records.roles)
        for role_id, added in self.role_skills.items():
            if role_id in roles:
                role = roles[role_id]
                kept = tuple(
                    q
                    for q in role.requirements
                    if q.provenance is not Provenance.INFERRED or q.skill_id not in added
                )
                roles[role_id] = replace(role, requirements=kept)
        items = {
            k: (replace(v, skills=()) if k in self.items else v) for k, v in records.items.items()
        }
        employees = {
            k: (replace(v, skills=()) if k in self.employees else v)
            for k, v in records.employees.items()
        }
        return replace(records, roles=roles, items=items, employees=employees)

    def without(self, *, items: Iterable[str] = (), employees: Iterable[str] = ()) -> Derived:
        return replace(
            self, items=self.items - set(items), employees=self.employees - set(employees)
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "role_skills": {k: list(v) for k, v in sorted(self.role_skills.items())},
            "items": sorted(self.items),
            "employees": sorted(self.employees),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Derived:
        return cls(
            role_skills={str(k): tuple(v) for k, v in data.get("role_skills", {}).items()},
            items=frozenset(data.get("items", ())),
            employees=frozenset(data.get("employees", ())),
        )


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
    stats: Mapping[str, Any] = field(default_factory=dict)  # build timings (seconds per stage)
    derived: Derived = field(default_factory=Derived)

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
        """Validate, build the graph, embed and index everything, infer what is missing, fit.

        `records` is not changed: the engine works on its own copy.
        """
        clock = _Clock(progress or _quiet)
        records = _own_copy(records)
        with clock.stage("graph"):
            graph = SkillGraph.build(records)
        if encoder is None:  # not `or`: an empty CachedEncoder has len() 0
            encoder = load_encoder(settings.retrieval, settings.data_dir / "embeddings")
        skill_index = _index(settings, encoder, clock, "skills", _skill_texts(graph))
        role_index = _index(settings, encoder, clock, "roles", _role_texts(graph))
        first = SkillInferrer(graph, encoder, skill_index, role_index)
        with clock.stage("infer role profiles"):
            graph, role_skills = _with_inferred_profiles(graph, first, clock.report)
        if role_skills:  # role texts list key skills: the inferred ones change them
            role_index = _index(settings, encoder, clock, "roles", _role_texts(graph))
        inferrer = SkillInferrer(graph, encoder, skill_index, role_index)
        with clock.stage("infer missing skills"):
            items = _tag_untagged_items(graph.records, inferrer, clock.report)
            employees = _infer_employee_skills(graph.records, inferrer, clock.report)
        indexes: dict[str, VectorIndex] = {
            "skills": skill_index,
            "roles": role_index,
            "employees": _index(settings, encoder, clock, "employees", _employee_texts(graph)),
            "mentors": _index(settings, encoder, clock, "mentors", _mentor_texts(graph)),
            "items": _index(settings, encoder, clock, "items", _item_texts(graph)),
        }
        ctx = EngineContext(graph, encoder, indexes, settings, dict(mentor_load or {}))
        with clock.stage("career graph"):
            transitions = _transitions(ctx)
        with clock.stage("fit recommenders"):
            engine = cls.from_parts(
                settings,
                ctx,
                inferrer,
                transitions,
                revision,
                derived=Derived(role_skills, items, employees),
            )
        return replace(engine, stats={"seconds": clock.seconds()})

    @classmethod
    def from_parts(
        cls,
        settings: Settings,
        ctx: EngineContext,
        inferrer: SkillInferrer,
        transitions: TransitionGraph,
        revision: int,
        *,
        derived: Derived | None = None,
        stats: Mapping[str, Any] | None = None,
    ) -> Engine:
        """Fit the recommenders on built parts (a loaded engine skips the career graph build)."""
        content = ContentRecommender().fit(ctx)
        mentors = MentorRecommender().fit(ctx)
        # Tables built here, before a service swaps this engine in, not on its first query.
        content.warm()
        mentors.warm()
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
            stats=dict(stats or {}),
            derived=derived or Derived(),
        )

    # ------------------------------------------------------------------ views

    @property
    def graph(self) -> SkillGraph:
        return self.ctx.graph

    @property
    def records(self) -> Records:
        """The records with what the build inferred (profiles, item tags, employee skills)."""
        return self.ctx.graph.records

    @property
    def encoder(self) -> Encoder:
        return self.ctx.encoder

    def source_records(self) -> Records:
        """The records as the engine was given them, without what it inferred."""
        return self.derived.strip(self.records)

    def counts(self) -> dict[str, Any]:
        counts: dict[str, Any] = dict(self.records.counts())
        counts.update({f"graph {k}": v for k, v in self.graph.counts().items()})
        roles = self.records.roles.values()
        counts["inferred role profiles"] = sum(r.profile_inferred for r in roles)
        counts["roles with inferred additions"] = sum(
            1 for rid in self.derived.role_skills if not self.records.roles[rid].profile_inferred
        )
        counts["items with inferred skills"] = len(self.derived.items)
        counts["employees with inferred skills"] = len(self.derived.employees)
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
        """Next roles for an employee or from a role; for a bare skill list, `roles_for_skills`."""
        if query.employee_id is None and query.role_id is None and query.skill_ids:
            return self.roles_for_skills(dict.fromkeys(query.skill_ids, SKILL_LIST_LEVEL), query.k)
        return self.role_recommender.recommend(query)

    def roles_for_skills(self, levels: Mapping[str, float], k: int = 10) -> list[Recommendation]:
        """Roles ranked by readiness (0-1) for someone holding these skills at these levels,
        among the roles that require one of them or a skill next to one (all roles if none)."""
        for skill_id in levels:
            self.graph.skill(skill_id)  # NotFoundError for an unknown id
        near = set(levels)
        for skill_id in levels:
            near.update(self.graph.related(skill_id, 1))
        candidates = {r for s in near for r in self.graph.roles_requiring(s)}
        ranked = []
        for role_id in sorted(candidates or self.records.roles):
            report = self.skill_gaps(levels, role_id)
            ranked.append((report.readiness, role_id, report))
        ranked.sort(key=lambda x: (-x[0], x[1]))
        return [_role_fit(report) for _, _, report in ranked[:k]]

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

        Answers exactly as `Engine.build` on the changed records would. Changed skills, roles
        or relations rebuild everything (from the records as given, so inferred profiles are
        inferred again); otherwise only the changed employees, mentor offers and items are
        inferred and encoded again, and the career graph is rebuilt only when observed moves
        changed.
        """
        removed = _Removed(set(removed_employees), set(removed_mentors), set(removed_items))
        revision = self.revision if revision is None else revision
        self._forget_texts_of(removed)
        load = dict(self.ctx.mentor_load if mentor_load is None else mentor_load)
        if changes.skills or changes.roles or changes.relations:
            source = _apply_changes(self.source_records(), changes, removed)
            return Engine.build(
                source, self.settings, encoder=self.encoder, revision=revision, mentor_load=load
            )
        records = _apply_changes(self.records, changes, removed)
        check_references(records)
        graph = copy.copy(self.graph)  # same skills and roles: share the skill-side indexes
        graph.records = records
        derived = self.derived.without(
            items=[*changes.items, *removed.items],
            employees=[*changes.employees, *removed.employees],
        )
        items = _tag_untagged_items(records, self.inferrer, _quiet, only=changes.items)
        people = _infer_employee_skills(records, self.inferrer, _quiet, only=changes.employees)
        derived = replace(
            derived, items=derived.items | items, employees=derived.employees | people
        )
        indexes = self._updated_indexes(graph, changes)
        ctx = EngineContext(graph, self.encoder, indexes, self.settings, load)
        inferrer = SkillInferrer(graph, self.encoder, indexes["skills"], indexes["roles"])
        moved = observed_moves(self.records) != observed_moves(records)
        transitions = _transitions(ctx) if moved else self.transitions
        return Engine.from_parts(
            self.settings, ctx, inferrer, transitions, revision, derived=derived
        )

    def _updated_indexes(self, graph: SkillGraph, changes: Records) -> dict[str, VectorIndex]:
        """Indexes of `graph`: the changed entries encoded again, the others' vectors reused."""
        mentor_of_changed = {
            o.id for o in graph.records.mentors.values() if o.employee_id in changes.employees
        }
        plan: list[tuple[str, TextRecipe, set[str]]] = [
            ("employees", _employee_texts, set(changes.employees)),
            ("mentors", _mentor_texts, set(changes.mentors) | mentor_of_changed),
            ("items", _item_texts, set(changes.items)),
        ]
        indexes = dict(self.ctx.indexes)
        for kind, recipe, changed in plan:
            entries = recipe(graph)
            old = indexes[kind]
            if changed or set(old.ids()) != {i for i, _ in entries}:
                indexes[kind] = _reindexed(old, entries, changed, self.settings, self.encoder)
        return indexes

    def with_mentor_load(self, mentor_load: Mapping[str, int]) -> Engine:
        ctx = replace(self.ctx, mentor_load=dict(mentor_load))
        return Engine.from_parts(
            self.settings,
            ctx,
            self.inferrer,
            self.transitions,
            self.revision,
            derived=self.derived,
            stats=self.stats,
        )

    def _forget_texts_of(self, removed: _Removed) -> None:
        """Erased people leave no trace in the embedding cache either."""
        forget = getattr(self.encoder, "forget", None)
        if forget is None or not (removed.employees or removed.mentors):
            return
        texts = [t for i, t in _employee_texts(self.graph) if i in removed.employees]
        texts += [t for i, t in _mentor_texts(self.graph) if i in removed.mentors]
        forget(texts)

    def without_employee(self, employee_id: str, *, revision: int | None = None) -> Engine:
        """Erase a person: the record, their mentor offers, feedback by or about them, and every
        index entry; their reports lose their manager id."""
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


def _role_fit(report: GapReport) -> Recommendation:
    """A role as a recommendation for a skill list: readiness, and the gaps left to close."""
    open_gaps = report.gaps
    named = ", ".join(g.label for g in open_gaps[:3]) or "none"
    text = (
        f"{report.role_title}: readiness {report.readiness:.0f}, {len(open_gaps)} gaps "
        f"(first: {named})"
    )
    return Recommendation(
        item_id=report.role_id,
        kind=TargetKind.ROLE,
        score=round(report.readiness / 100, 4),
        explanation=Explanation(
            gaps=tuple(reason_of(g) for g in open_gaps[:MAX_EXPLAINED_GAPS]),
            signals={"readiness": round(report.readiness / 100, 4)},
            text=text,
        ),
        payload={
            "title": report.role_title,
            "readiness": round(report.readiness, 1),
            "open_gaps": len(open_gaps),
        },
    )


class _Clock:
    """Progress reports and the seconds each build stage took."""

    def __init__(self, report: ProgressFn) -> None:
        self.report = report
        self._seconds: dict[str, float] = {}

    def stage(self, name: str) -> _Stage:
        return _Stage(self, name)

    def add(self, name: str, seconds: float) -> None:
        self._seconds[name] = self._seconds.get(name, 0.0) + seconds

    def seconds(self) -> dict[str, float]:
        return {k: round(v, 3) for k, v in self._seconds.items()}


class _Stage:
    def __init__(self, clock: _Clock, name: str) -> None:
        self.clock, self.name, self.started = clock, name, 0.0

    def __enter__(self) -> _Stage:
        self.started = time.perf_counter()
        return self

    def __exit__(self, *exc: object) -> None:
        self.clock.add(self.name, time.perf_counter() - self.started)


@dataclass(frozen=True)
class _Removed:
    employees: set[str]
    mentors: set[str]
    items: set[str]


def _own_copy(records: Records) -> Records:
    """A Records whose tables the build may change without touching the caller's."""
    return Records(
        skills=dict(records.skills),
        relations=list(records.relations),
        roles=dict(records.roles),
        employees=dict(records.employees),
        mentors=dict(records.mentors),
        items=dict(records.items),
        feedback=dict(records.feedback),
        sources=list(records.sources),
        attributions=list(records.attributions),
    )


def _embed(encoder: Encoder, texts_: Sequence[str], report: ProgressFn, stage: str) -> np.ndarray:
    """Encode in chunks, reporting after each (long encodes show their progress)."""
    if not texts_:
        return np.zeros((0, encoder.dim), dtype=np.float32)
    parts = []
    report(stage, 0, len(texts_))
    for start in range(0, len(texts_), ENCODE_CHUNK):
        parts.append(encoder.encode(list(texts_[start : start + ENCODE_CHUNK])))
        report(stage, min(start + ENCODE_CHUNK, len(texts_)), len(texts_))
    return np.vstack(parts)


def _index(
    settings: Settings,
    encoder: Encoder,
    clock: _Clock,
    name: str,
    pairs: Sequence[tuple[str, str]],
) -> VectorIndex:
    with clock.stage(f"embed {name}"):
        vectors = _embed(encoder, [t for _, t in pairs], clock.report, f"embed {name}")
        return build_index([i for i, _ in pairs], vectors, settings=settings.retrieval)


def _reindexed(
    index: VectorIndex,
    entries: Sequence[tuple[str, str]],
    changed: Collection[str],
    settings: Settings,
    encoder: Encoder,
) -> VectorIndex:
    """A new index over `entries`, in their order (as a fresh build makes it): entries in
    `changed` or absent from `index` are encoded, the others keep their vectors."""
    old_ids, old_vectors = index.export()
    row_of = {id_: row for row, id_ in enumerate(old_ids)}
    fresh = [(i, t) for i, t in entries if i in changed or i not in row_of]
    encoded = dict(
        zip([i for i, _ in fresh], _embed(encoder, [t for _, t in fresh], _quiet, ""), strict=True)
    )
    ids = [i for i, _ in entries]
    vectors = np.zeros((len(ids), encoder.dim), dtype=np.float32)
    for row, id_ in enumerate(ids):
        vectors[row] = encoded[id_] if id_ in encoded else old_vectors[row_of[id_]]
    return build_index(ids, vectors, settings=settings.retrieval)


def _transitions(ctx: EngineContext) -> TransitionGraph:
    return TransitionGraph.build(
        ctx.graph,
        text_similarity=role_text_similarity(ctx.indexes["roles"]),
        weights=ctx.settings.recommend.transition_weights,
    )


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


def needs_inferred_profile(graph: SkillGraph, role: Role) -> bool:
    """No requirements at all, or declared ones that are all technologies (see module doc)."""
    if not role.requirements:
        return True
    declared = [q for q in role.requirements if q.provenance is Provenance.DECLARED]
    skills = graph.records.skills
    return bool(declared) and all(
        q.skill_id in skills and skills[q.skill_id].kind is SkillKind.TECHNOLOGY
        for q in role.requirements
    )


def _with_inferred_profiles(
    graph: SkillGraph, inferrer: SkillInferrer, report: ProgressFn
) -> tuple[SkillGraph, dict[str, tuple[str, ...]]]:
    """The graph with inferred requirements for the roles that need them, and what was added."""
    wanting = [r for r in graph.records.roles.values() if needs_inferred_profile(graph, r)]
    completed: dict[str, Role] = {}
    added: dict[str, tuple[str, ...]] = {}
    for done, role in enumerate(wanting, start=1):
        extra = _inferred_requirements(graph, inferrer, role)
        if extra:
            completed[role.id] = replace(role, requirements=(*role.requirements, *extra))
            added[role.id] = tuple(q.skill_id for q in extra)
        if done % PROGRESS_EVERY == 0 or done == len(wanting):
            report("infer role profiles", done, len(wanting))
    return graph.with_roles(completed), added


def _inferred_requirements(
    graph: SkillGraph, inferrer: SkillInferrer, role: Role
) -> tuple[SkillRequirement, ...]:
    if not role.requirements:
        return inferrer.infer_role_profile(role, k=INFERRED_PROFILE_SKILLS)
    held = {q.skill_id for q in role.requirements}
    skills = graph.records.skills
    wider = inferrer.infer_role_profile(role, k=INFERRED_PROFILE_SKILLS + len(held))
    return tuple(
        q
        for q in wider
        if q.skill_id not in held and skills[q.skill_id].kind is not SkillKind.TECHNOLOGY
    )[:INFERRED_PROFILE_SKILLS]


def _tag_untagged_items(
    records: Records,
    inferrer: SkillInferrer,
    report: ProgressFn,
    *,
    only: Collection[str] | None = None,
) -> frozenset[str]:
    """Learning items without skill tags get inferred ones (in place); returns their ids."""
    bare = [i for i in records.items.values() if not i.skills and (only is None or i.id in only)]
    tagged: set[str] = set()
    for done, item in enumerate(bare, start=1):
        skills = inferrer.infer_item_skills(item)
        if skills:
            records.items[item.id] = replace(item, skills=skills)
            tagged.add(item.id)
        if done % PROGRESS_EVERY == 0 or done == len(bare):
            report("tag learning items", done, len(bare))
    return frozenset(tagged)


def _infer_employee_skills(
    records: Records,
    inferrer: SkillInferrer,
    report: ProgressFn,
    *,
    only: Collection[str] | None = None,
) -> frozenset[str]:
    """Employees with no skills but an `about` text get inferred skills (in place)."""
    bare = [
        e
        for e in records.employees.values()
        if not e.skills and e.about.strip() and (only is None or e.id in only)
    ]
    inferred: set[str] = set()
    for done, emp in enumerate(bare, start=1):
        skills = inferrer.infer_employee_skills(emp.about)
        if skills:
            records.employees[emp.id] = replace(emp, skills=skills)
            inferred.add(emp.id)
        if done % PROGRESS_EVERY == 0 or done == len(bare):
            report("infer employee skills", done, len(bare))
    return frozenset(inferred)


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


def _apply_changes(base: Records, changes: Records, removed: _Removed) -> Records:
    """`base` with `changes` upserted (in place of the same ids, new ones last) and `removed`
    gone, with what hangs on removed people: their mentor offers, feedback by or about them,
    and the manager id of their reports."""
    gone_people = removed.employees
    employees: dict[str, Employee] = {
        k: v for k, v in base.employees.items() if k not in gone_people
    }
    employees.update(changes.employees)
    if gone_people:
        employees = {
            k: (replace(v, manager_id=None) if v.manager_id in gone_people else v)
            for k, v in employees.items()
        }
    mentors: dict[str, MentorOffer] = {
        k: v
        for k, v in base.mentors.items()
        if k not in removed.mentors and v.employee_id not in gone_people
    }
    mentors.update(changes.mentors)
    items: dict[str, LearningItem] = {k: v for k, v in base.items.items() if k not in removed.items}
    items.update(changes.items)
    gone_targets = gone_people | removed.mentors | removed.items
    gone_targets |= {k for k, v in base.mentors.items() if v.employee_id in gone_people}
    feedback: dict[str, Feedback] = {
        k: v
        for k, v in base.feedback.items()
        if v.employee_id not in gone_people and v.target_id not in gone_targets
    }
    feedback.update(changes.feedback)
    return Records(
        skills={**base.skills, **changes.skills},
        relations=[*base.relations, *changes.relations],
        roles={**base.roles, **changes.roles},
        employees=employees,
        mentors=mentors,
        items=items,
        feedback=feedback,
        sources=list(base.sources),
        attributions=list(base.attributions),
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
