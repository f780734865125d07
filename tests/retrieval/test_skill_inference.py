"""Skill inference: fusion of text, neighbouring roles and graph, on a small known ontology."""

from __future__ import annotations

import pytest

from skillgraph.config import RetrievalSettings
from skillgraph.data.schema import (
    Evidence,
    LearningItem,
    Provenance,
    Records,
    RelationKind,
    Role,
    Skill,
    SkillKind,
    SkillRelation,
    SkillRequirement,
)
from skillgraph.errors import ValidationError
from skillgraph.graph.ontology import SkillGraph
from skillgraph.retrieval.encoder import Encoder, HashingEncoder
from skillgraph.retrieval.inference import (
    DEFAULT_LEVEL,
    InferenceWeights,
    SkillInferrer,
    _weighted_median,
)

SKILLS = {
    "sql": ("SQL", "writing queries against relational databases"),
    "stats": ("statistics", "statistical analysis, hypothesis tests, regression"),
    "viz": ("data visualisation", "charts and dashboards that present data"),
    "py": ("Python", "programming in the Python language"),
    "excel": ("spreadsheets", "Excel workbooks, pivot tables and formulas"),
    "ml": ("machine learning", "training predictive models from data"),
    "forklift": ("forklift driving", "operating a forklift truck in a warehouse"),
    "stock": ("stock control", "warehouse inventory and goods receipt"),
    "weld": ("welding", "joining metal parts with an arc welder"),
    "bake": ("baking", "making bread and pastry in an oven"),
    "dough": ("dough preparation", "kneading and proofing dough"),
}


def req(skill: str, level: float = 3.0, importance: float = 1.0) -> SkillRequirement:
    return SkillRequirement(skill, level, importance)


def ontology() -> Records:
    skills = {sid: Skill(sid, label, description=desc) for sid, (label, desc) in SKILLS.items()}
    skills["data"] = Skill("data", "data skills", kind=SkillKind.GROUP)
    relations = [
        SkillRelation("sql", "data", RelationKind.BROADER),
        SkillRelation("stats", "data", RelationKind.BROADER),
        SkillRelation("bake", "dough", RelationKind.RELATED),
        SkillRelation("forklift", "stock", RelationKind.RELATED),
    ]
    roles = {
        "scientist": Role(
            "scientist",
            "data scientist",
            "builds predictive models from business data with statistics and machine learning",
            requirements=(req("py", 4), req("stats", 4), req("ml", 4), req("sql", 3, 0.5)),
        ),
        "bi": Role(
            "bi",
            "business intelligence analyst",
            "analyses business data with database queries, reports and dashboards",
            requirements=(req("sql", 4), req("viz", 3), req("excel", 3), req("stats", 3, 0.5)),
        ),
        "warehouse": Role(
            "warehouse",
            "warehouse operative",
            "moves goods around the warehouse and keeps stock records",
            requirements=(req("forklift", 2), req("stock", 2)),
        ),
        "welder": Role("welder", "welder", "joins metal parts", requirements=(req("weld", 4),)),
        "baker": Role("baker", "baker", "bakes bread", requirements=(req("bake", 3),)),
        "newcomer": Role("newcomer", "data analyst", "analyses business data"),  # no profile
    }
    return Records(skills=skills, relations=relations, roles=roles)


def inferrer(encoder: Encoder, weights: InferenceWeights | None = None) -> SkillInferrer:
    graph = SkillGraph.build(ontology())
    return SkillInferrer.from_graph(graph, encoder, RetrievalSettings(), weights=weights)


@pytest.fixture(scope="module")
def hashing() -> SkillInferrer:
    return inferrer(HashingEncoder(256))


def test_scores_are_sorted_in_unit_range_without_groups(hashing: SkillInferrer) -> None:
    found = hashing.infer_skills("analyses business data with database queries", k=6)
    assert 0 < len(found) <= 6
    scores = [s for _, s in found]
    assert scores == sorted(scores, reverse=True)
    assert all(0.0 < s <= 1.0 for s in scores)
    assert "data" not in dict(hashing.infer_skills("data skills", k=20))


def test_nearest_declared_roles_supply_their_skills(hashing: SkillInferrer) -> None:
    roles_only = inferrer(HashingEncoder(256), InferenceWeights(text=0.0, roles=1.0, graph=0.0))
    found = roles_only.infer_skills("moves goods around the warehouse, stock records", k=3)
    assert {s for s, _ in found[:2]} == {"forklift", "stock"}
    scores = dict(found)
    assert scores["forklift"] == pytest.approx(scores["stock"])  # same role, same importance


def test_excluded_role_gives_no_evidence() -> None:
    roles_only = inferrer(HashingEncoder(256), InferenceWeights(text=0.0, roles=1.0, graph=0.0))
    text = "joins metal parts"
    assert roles_only.infer_skills(text, k=1)[0][0] == "weld"
    assert "weld" not in dict(roles_only.infer_skills(text, k=20, exclude_roles={"welder"}))


def test_graph_spreads_score_to_neighbours() -> None:
    text = "making bread and pastry in an oven"
    no_graph = inferrer(HashingEncoder(256), InferenceWeights(text=1.0, roles=0.0, graph=0.0))
    with_graph = inferrer(HashingEncoder(256), InferenceWeights(text=0.5, roles=0.0, graph=0.5))
    plain = dict(no_graph.infer_skills(text, k=20))
    smoothed = dict(with_graph.infer_skills(text, k=20))
    assert with_graph.infer_skills(text, k=1)[0][0] == "bake"
    # dough is related to bake: it gains relative to unrelated skills
    assert smoothed["dough"] / smoothed["bake"] > plain.get("dough", 0.0) / plain["bake"]


def test_role_profile_is_inferred_with_levels_from_neighbours(hashing: SkillInferrer) -> None:
    graph = hashing.graph
    welder_like = Role("new-welder", "welder", "joins metal parts")
    profile = hashing.infer_role_profile(welder_like, k=5)
    assert profile
    assert all(r.provenance is Provenance.INFERRED for r in profile)
    assert all(r.score is not None and 0 < r.score <= 1 for r in profile)
    assert profile[0].importance == 1.0
    assert profile[0].skill_id == "weld"
    assert profile[0].level == 4.0  # what the declared welder role asks
    assert graph.role("welder").requirements[0].provenance is Provenance.DECLARED
    own = hashing.infer_role_profile(graph.role("welder"), k=5)  # itself excluded as evidence
    assert {r.skill_id: r.level for r in own}.get("weld", DEFAULT_LEVEL) == DEFAULT_LEVEL


def test_items_and_self_descriptions(hashing: SkillInferrer) -> None:
    item = LearningItem("c1", "Bread baking", "making bread and pastry in an oven", level=4.5)
    taught = hashing.infer_item_skills(item, k=3)
    assert taught
    assert taught[0].skill_id == "bake"
    assert all(t.level == 5.0 for t in taught)
    levels = hashing.infer_employee_skills("I operate a forklift truck in a warehouse", k=3)
    assert levels
    assert levels[0].skill_id == "forklift"
    assert all(s.evidence is Evidence.INFERRED for s in levels)
    assert hashing.infer_employee_skills("   ") == ()


def test_weighted_median_and_weights_validation() -> None:
    assert _weighted_median([], 3.0) == 3.0
    assert _weighted_median([(2.0, 1.0), (4.0, 3.0)], 3.0) == 4.0
    assert _weighted_median([(2.0, 3.0), (4.0, 1.0), (5.0, 1.0)], 3.0) == 2.0
    with pytest.raises(ValidationError):
        InferenceWeights(text=0, roles=0, graph=0)
    with pytest.raises(ValidationError):
        InferenceWeights(top_roles=0)


@pytest.mark.model
def test_data_analysis_description_infers_data_skills(real_encoder) -> None:  # type: ignore[no-untyped-def]
    found = inferrer(real_encoder).infer_skills(
        "Data analyst: cleans company data, queries the sales database, tests hypotheses and "
        "reports trends to managers",
        k=11,
    )
    rank = {skill: i for i, (skill, _) in enumerate(found)}
    unrelated = [rank.get(s, 99) for s in ("forklift", "weld", "bake", "dough")]
    for data_skill in ("sql", "stats"):
        assert rank[data_skill] < min(unrelated)
    assert found[0][0] in {"sql", "stats", "viz", "excel"}
