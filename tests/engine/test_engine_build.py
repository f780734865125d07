"""Engine.build: what it infers and marks, what it leaves alone, ontology-only engines, cache."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from engine.engine_answers import answer_snapshot

from skillgraph.config import Settings
from skillgraph.data.esco import load_esco
from skillgraph.data.onet import load_onet
from skillgraph.data.schema import (
    Evidence,
    Provenance,
    Records,
    Role,
    Skill,
    SkillKind,
    SkillRequirement,
)
from skillgraph.engine import Engine, needs_inferred_profile
from skillgraph.errors import DatasetError, NotFoundError
from skillgraph.recommend.base import Query
from skillgraph.retrieval.cache import CachedEncoder
from skillgraph.retrieval.encoder import HashingEncoder

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


class CountingEncoder:
    """A HashingEncoder that counts the texts it is asked to encode."""

    def __init__(self) -> None:
        self.inner = HashingEncoder(64)
        self.model_id = self.inner.model_id
        self.dim = self.inner.dim
        self.texts = 0

    def encode(self, texts: Sequence[str], *, progress: bool = False) -> np.ndarray:
        self.texts += len(texts)
        return self.inner.encode(texts)


def test_build_infers_what_is_missing_and_marks_it(
    tiny_records: Records, settings: Settings, hashing_encoder: HashingEncoder
) -> None:
    engine = Engine.build(tiny_records, settings, encoder=hashing_encoder)
    writer = engine.records.roles["analytics-writer"]
    assert writer.requirements
    assert writer.profile_inferred
    assert all(q.score is not None for q in writer.requirements)
    declared = engine.records.roles["analyst"]
    assert declared == tiny_records.roles["analyst"]
    dana = engine.records.employees["e4"]  # only an `about` text
    assert dana.skills
    assert {s.evidence for s in dana.skills} == {Evidence.INFERRED}
    assert all(s.skill_id in engine.records.skills for s in dana.skills)
    assert engine.records.items["c5"].skills  # the untagged Chart Club
    assert engine.derived.role_skills.keys() == {"analytics-writer"}
    assert engine.derived.items == {"c5"}
    assert engine.derived.employees == {"e4"}
    counts = engine.counts()
    assert counts["inferred role profiles"] == 1
    assert counts["employees with inferred skills"] == 1


def test_build_leaves_the_given_records_alone(
    tiny_records: Records, settings: Settings, hashing_encoder: HashingEncoder
) -> None:
    engine = Engine.build(tiny_records, settings, encoder=hashing_encoder)
    assert tiny_records.items["c5"].skills == ()
    assert tiny_records.employees["e4"].skills == ()
    assert tiny_records.roles["analytics-writer"].requirements == ()
    source = engine.source_records()
    for table in ("roles", "items", "employees", "mentors", "skills"):
        assert getattr(source, table) == getattr(tiny_records, table), table


def _tech_world() -> Records:
    """Three developer roles with rated skills and one whose profile lists only technologies."""
    skills = {
        "python": Skill("python", "Python", kind=SkillKind.TECHNOLOGY),
        "docker": Skill("docker", "Docker containers", kind=SkillKind.TECHNOLOGY),
        "debugging": Skill("debugging", "Debugging software"),
        "design": Skill("design", "Software design"),
        "testing": Skill("testing", "Software testing"),
        "sql": Skill("sql", "Databases and SQL", kind=SkillKind.KNOWLEDGE),
    }

    def role(rid: str, title: str, needs: dict[str, float]) -> Role:
        reqs = tuple(SkillRequirement(s, 3.0, imp) for s, imp in needs.items())
        return Role(rid, title, description=f"{title} who writes software", requirements=reqs)

    roles = {
        "dev": role("dev", "Software developer", {"python": 0.8, "debugging": 1, "design": 0.9}),
        "tester": role("tester", "Software tester", {"python": 0.5, "testing": 1, "debugging": 1}),
        "data": role("data", "Database developer", {"sql": 1, "python": 0.7, "debugging": 0.6}),
        "ops": role("ops", "Software operations developer", {"python": 0.5, "docker": 0.5}),
    }
    return Records(skills=skills, roles=roles)


def test_technology_only_profiles_get_inferred_skills_added(
    settings: Settings, hashing_encoder: HashingEncoder
) -> None:
    records = _tech_world()
    engine = Engine.build(records, settings, encoder=hashing_encoder)
    ops = engine.records.roles["ops"]
    declared = [q for q in ops.requirements if q.provenance is Provenance.DECLARED]
    added = [q for q in ops.requirements if q.provenance is Provenance.INFERRED]
    assert declared == list(records.roles["ops"].requirements)
    assert added, "a technology-only profile gets inferred skills"
    assert all(engine.records.skills[q.skill_id].kind is not SkillKind.TECHNOLOGY for q in added)
    assert {q.skill_id for q in added}.isdisjoint(q.skill_id for q in declared)
    assert not ops.profile_inferred  # mixed: declared technologies, inferred skills
    for rid in ("dev", "tester", "data"):
        assert engine.records.roles[rid] == records.roles[rid]
    assert engine.derived.role_skills == {"ops": tuple(q.skill_id for q in added)}
    assert engine.source_records().roles == records.roles
    assert engine.counts()["roles with inferred additions"] == 1


def test_needs_inferred_profile_rule() -> None:
    from skillgraph.graph.ontology import SkillGraph

    records = _tech_world()
    given = replace(
        records.roles["ops"],
        id="given",
        requirements=(SkillRequirement("python", 3, provenance=Provenance.INFERRED),),
    )
    records.roles["given"] = given
    records.roles["bare"] = Role("bare", "Bare role")
    graph = SkillGraph.build(records)
    verdicts = {rid: needs_inferred_profile(graph, r) for rid, r in records.roles.items()}
    assert verdicts == {
        "dev": False,
        "tester": False,
        "data": False,
        "ops": True,
        "given": False,  # requirements passed in as inferred are taken as given
        "bare": True,
    }


@pytest.mark.parametrize("loader", ["esco", "onet"])
def test_an_ontology_alone_makes_a_working_engine(
    loader: str, settings: Settings, hashing_encoder: HashingEncoder
) -> None:
    records = (
        load_esco(FIXTURES / "esco_tiny") if loader == "esco" else load_onet(FIXTURES / "onet_tiny")
    )
    engine = Engine.build(records, settings, encoder=hashing_encoder)
    assert not engine.records.employees
    role_ids = list(engine.records.roles)
    for rid in role_ids:
        assert engine.records.roles[rid].requirements, "every role has a profile"
        moves = engine.next_roles(Query(role_id=rid, k=5))
        assert all(m.item_id != rid and m.item_id in engine.records.roles for m in moves)
        for path in engine.paths(Query(role_id=rid, k=5), max_hops=2):
            assert path.roles[0] == rid
            assert len(set(path.roles)) == len(path.roles)
    report = engine.role_gaps(role_ids[0], role_ids[1])
    assert report.role_id == role_ids[1]
    assert 0 <= report.readiness <= 100
    skill = next(s for s, v in engine.records.skills.items() if v.kind is not SkillKind.GROUP)
    assert engine.content(Query(skill_ids=(skill,))) == []  # no items: nothing, no error
    assert engine.mentors(Query(skill_ids=(skill,))) == []
    inferred = engine.infer_skills("software developer who debugs python code", k=5)
    assert inferred
    assert all(s in engine.records.skills for s, _ in inferred)
    with pytest.raises(NotFoundError):
        engine.gaps("nobody")


def test_esco_role_without_relations_gets_an_inferred_profile(
    settings: Settings, hashing_encoder: HashingEncoder
) -> None:
    records = load_esco(FIXTURES / "esco_tiny")
    bare = [rid for rid, r in records.roles.items() if not r.requirements]
    assert bare, "the fixture has an occupation without skill relations"
    engine = Engine.build(records, settings, encoder=hashing_encoder)
    for rid in bare:
        assert engine.records.roles[rid].profile_inferred


def test_bad_references_are_refused_before_any_work(
    tiny_records: Records, settings: Settings
) -> None:
    broken = replace(
        tiny_records,
        employees={
            **tiny_records.employees,
            "e9": replace(tiny_records.employees["e2"], id="e9", role_id="astronaut"),
        },
    )
    encoder = CountingEncoder()
    with pytest.raises(DatasetError, match="astronaut"):
        Engine.build(broken, settings, encoder=encoder)
    assert encoder.texts == 0


def test_progress_reports_each_stage_to_completion(
    tiny_records: Records, settings: Settings, hashing_encoder: HashingEncoder
) -> None:
    seen: dict[str, tuple[int, int]] = {}
    engine = Engine.build(
        tiny_records,
        settings,
        encoder=hashing_encoder,
        progress=lambda stage, done, total: seen.__setitem__(stage, (done, total)),
    )
    assert {"embed skills", "embed roles", "embed employees", "embed items"} <= seen.keys()
    assert all(done == total for done, total in seen.values())
    assert set(engine.stats["seconds"]) >= {"graph", "career graph", "fit recommenders"}


def test_a_rebuild_with_unchanged_texts_calls_no_model(
    tiny_records: Records, settings: Settings, tmp_path: Path
) -> None:
    first_model = CountingEncoder()
    first = Engine.build(
        tiny_records, settings, encoder=CachedEncoder(first_model, tmp_path / "cache")
    )
    assert first_model.texts > 0
    again_model = CountingEncoder()  # a new process: a new model, the same cache folder
    again = Engine.build(
        tiny_records, settings, encoder=CachedEncoder(again_model, tmp_path / "cache")
    )
    assert again_model.texts == 0
    assert answer_snapshot(again) == answer_snapshot(first)


def test_roles_for_a_skill_list_rank_by_readiness(
    tiny_records: Records, settings: Settings, hashing_encoder: HashingEncoder
) -> None:
    engine = Engine.build(tiny_records, settings, encoder=hashing_encoder)
    found = engine.next_roles(Query(skill_ids=("sql", "dataviz", "statistics", "python"), k=3))
    assert found[0].item_id == "analyst"  # level 3 in all four meets the analyst profile
    assert found[0].score == 1.0
    assert [r.score for r in found] == sorted((r.score for r in found), reverse=True)
    assert all(g.current_level < g.required_level for r in found for g in r.explanation.gaps)
    with pytest.raises(NotFoundError):
        engine.next_roles(Query(skill_ids=("astrology",)))
