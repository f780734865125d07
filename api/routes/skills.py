"""Skills of the ontology: list, search by text (labels + embeddings), read, write, infer."""

import dataclasses
from typing import Annotated

from fastapi import APIRouter, Body, Depends, Query, status

from api import convert
from api import schemas as s
from api.deps import AdminUser, CurrentUser, Paging, RuntimeDep, StateDep, StoreDep, paging_for
from api.routes.common import READ_ERRORS, WRITE_ERRORS, IfMatch, if_match_version
from skillgraph.config import Settings
from skillgraph.data.schema import Records, RelationKind, Skill, SkillKind, SkillRelation
from skillgraph.errors import ValidationError
from skillgraph.store import Kind
from skillgraph.store.codec import from_doc, to_doc

MAX_SEARCH_HITS = 500


class RelationIn(s.RequestModel):
    source: s.Ref
    target: s.Ref
    kind: RelationKind
    weight: s.SFloat = s.Field(default=1.0, ge=0.0, le=1.0)


def search_skills(records: Records, hits: list[tuple[str, float]], text: str) -> list[s.SkillHit]:
    """Label matches first (exact 1.0, contained 0.9), then embedding neighbours by cosine."""
    needle = text.casefold().strip()
    best: dict[str, s.SkillHit] = {}
    for skill in records.skills.values():
        labels = [skill.label.casefold(), *(a.casefold() for a in skill.alt_labels)]
        if needle in labels:
            score = 1.0
        elif any(needle in label for label in labels):
            score = 0.9
        else:
            continue
        best[skill.id] = s.SkillHit(skill=convert.skill_public(skill), score=score, match="label")
    for skill_id, score in hits:
        found = records.skills.get(skill_id)
        if found is None or skill_id in best:
            continue
        best[skill_id] = s.SkillHit(
            skill=convert.skill_public(found), score=round(float(score), 6), match="semantic"
        )
    ranked = sorted(best.values(), key=lambda h: (-h.score, h.skill.label, h.skill.id))
    return ranked[:MAX_SEARCH_HITS]


def build(settings: Settings) -> APIRouter:
    router = APIRouter(prefix="/v1/skills", tags=["skills"])
    PagingDep = Annotated[Paging, Depends(paging_for(settings))]
    max_k = settings.recommend.max_k

    @router.get("", response_model=s.Page[s.SkillHit], responses=READ_ERRORS)
    def list_skills(
        user: CurrentUser,
        state: StateDep,
        page: PagingDep,
        q: Annotated[
            str | None,
            Query(min_length=1, max_length=200, description="text: label match + meaning"),
        ] = None,
        kind: SkillKind | None = None,
    ) -> s.Page[s.SkillHit]:
        records = state.engine.records
        if q is None:
            skills = sorted(
                (sk for sk in records.skills.values() if kind is None or sk.kind is kind),
                key=lambda sk: sk.id,
            )
            window = skills[page.offset : page.offset + page.limit]
            items = [
                s.SkillHit(skill=convert.skill_public(sk), score=1.0, match="all") for sk in window
            ]
            return s.Page(items=items, total=len(skills), offset=page.offset, limit=page.limit)
        wanted = min(MAX_SEARCH_HITS, page.offset + page.limit)
        hits = search_skills(records, state.engine.search_skills(q, k=wanted), q)
        if kind is not None:
            hits = [h for h in hits if h.skill.kind is kind]
        found = hits[page.offset : page.offset + page.limit]
        return s.Page(items=found, total=len(hits), offset=page.offset, limit=page.limit)

    @router.post("/infer", response_model=list[s.InferredSkill], responses=READ_ERRORS)
    def infer_skills(
        user: CurrentUser, state: StateDep, body: s.InferRequest
    ) -> list[s.InferredSkill]:
        """Skills a free text (a CV, a project description) shows, best first."""
        if body.k > max_k:
            raise ValidationError(f"k must be at most {max_k}")
        records = state.engine.records
        return [
            s.InferredSkill(
                skill_id=sid,
                label=records.skills[sid].label if sid in records.skills else sid,
                score=round(float(score), 6),
            )
            for sid, score in state.engine.infer_skills(body.text, k=body.k)
        ]

    @router.post(
        "/relations",
        status_code=status.HTTP_204_NO_CONTENT,
        responses=WRITE_ERRORS,
    )
    def add_relations(
        user: AdminUser,
        store: StoreDep,
        runtime: RuntimeDep,
        body: Annotated[list[RelationIn], Body(max_length=s.MANY)],
    ) -> None:
        """Add broader / related / prerequisite relations between skills (rebuilds the graph)."""
        store.add_relations(SkillRelation(r.source, r.target, r.kind, r.weight) for r in body)
        runtime.sync()

    @router.get("/{skill_id}", response_model=s.SkillRecord, responses=READ_ERRORS)
    def get_skill(user: CurrentUser, store: StoreDep, skill_id: str) -> s.SkillRecord:
        return convert.skill_record(store.get(Kind.SKILL, skill_id))

    @router.post(
        "",
        response_model=s.SkillRecord,
        status_code=status.HTTP_201_CREATED,
        responses=WRITE_ERRORS,
    )
    def create_skill(
        user: AdminUser, store: StoreDep, runtime: RuntimeDep, body: s.SkillCreate
    ) -> s.SkillRecord:
        skill = from_doc(Skill, {**body.model_dump(mode="json"), "source": "company"})
        stored = store.upsert_skill(skill, create=True)
        runtime.sync()
        return convert.skill_record(stored)

    @router.patch("/{skill_id}", response_model=s.SkillRecord, responses=WRITE_ERRORS)
    def update_skill(
        user: AdminUser,
        store: StoreDep,
        runtime: RuntimeDep,
        skill_id: str,
        body: s.SkillUpdate,
        if_match: IfMatch = None,
    ) -> s.SkillRecord:
        current = store.get(Kind.SKILL, skill_id)
        skill = from_doc(Skill, {**to_doc(current.record), **body.changes()})
        stored = store.upsert_skill(
            dataclasses.replace(skill, id=skill_id),
            expected_version=if_match_version(if_match) or current.version,
        )
        runtime.sync()
        return convert.skill_record(stored)

    return router
