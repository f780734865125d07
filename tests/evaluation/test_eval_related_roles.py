"""Related roles on a tiny ontology whose answer is known: two unit groups of roles that share
skills inside the group and none across, and one role alone in its group."""

from __future__ import annotations

import copy
import io
from pathlib import Path

import pytest
from rich.console import Console

from evaluation.config import DatasetSpec, EvaluationConfig
from evaluation.groundtruth import Task
from evaluation.metrics import metrics_at
from evaluation.protocols import (
    EvalQuery,
    classification_truth,
    onet_related_truth,
    related_roles,
)
from evaluation.report import print_summary, render_html, timing_line
from evaluation.results import EvaluationResult
from evaluation.runner import prepare, related_truth, run_evaluation
from evaluation.systems import make_baseline
from skillgraph.config import Settings
from skillgraph.data.onet import load_onet
from skillgraph.data.onet_related import read_related_occupations
from skillgraph.data.schema import Records, Role, Skill, SkillRequirement
from skillgraph.errors import ValidationError
from skillgraph.recommend.base import Query
from skillgraph.recommend.baselines import EmbeddingOnlyRecommender, GraphOnlyRecommender
from skillgraph.retrieval.encoder import HashingEncoder

ONET_TINY = Path(__file__).parents[1] / "fixtures" / "onet_tiny"
SKILLS = {
    "python": "Python programming",
    "sql": "SQL databases",
    "java": "Java programming",
    "testing": "software testing",
    "english": "English language",
    "french": "French language",
    "interpreting": "interpreting speech",
    "translation": "written translation",
    "cooking": "cooking meals",
}
ROLES = {  # id: (unit group, skills at level 3)
    "dev-backend": ("2512", ("python", "sql", "java")),
    "dev-web": ("2512", ("python", "java", "testing")),
    "dev-data": ("2512", ("python", "sql", "testing")),
    "interpreter-conference": ("2643", ("english", "french", "interpreting")),
    "interpreter-court": ("2643", ("english", "interpreting", "translation")),
    "translator": ("2643", ("english", "french", "translation")),
    "cook": ("5120", ("cooking",)),
}
GROUPS = {"2512": ["dev-backend", "dev-data", "dev-web"]}


def _ontology() -> Records:
    skills = {s: Skill(id=s, label=label, source="esco") for s, label in SKILLS.items()}
    roles = {
        rid: Role(
            id=rid,
            title=rid.replace("-", " "),
            description=f"Works with {', '.join(SKILLS[s] for s in needs)}.",
            family=f"ISCO {group[:2]}",
            group=group,
            requirements=tuple(SkillRequirement(s, 3.0, 1.0) for s in needs),
            source="esco",
        )
        for rid, (group, needs) in ROLES.items()
    }
    return Records(skills=skills, roles=roles, sources=["tiny"])


@pytest.fixture(scope="module")
def tiny() -> Records:
    return _ontology()


@pytest.fixture(scope="module")
def result(tiny: Records) -> EvaluationResult:
    config = EvaluationConfig(protocols=("related_roles",), resamples=200, group_by=("family",))
    return run_evaluation(config, records=tiny, encoder=HashingEncoder())


def test_same_unit_group_is_relevant_and_a_lone_role_is_left_out(tiny: Records) -> None:
    truth = classification_truth(tiny)
    assert truth.qrels["dev-web"] == {"dev-backend": 1, "dev-data": 1}
    assert truth.qrels["translator"] == {"interpreter-conference": 1, "interpreter-court": 1}
    assert "cook" not in truth.qrels
    prepared = related_roles(tiny, truth)
    assert [q.id for q in prepared.queries] == sorted(set(ROLES) - {"cook"})
    assert prepared.skipped == {"roles without a related role": 1}
    assert prepared.k == 20


def test_the_build_does_not_see_the_classification(tiny: Records) -> None:
    prepared = related_roles(tiny)
    assert all(r.family == "" and r.group == "" for r in prepared.train.roles.values())
    assert all(r.group for r in tiny.roles.values())  # the input is left as it was
    query = next(q for q in prepared.queries if q.id == "dev-web")
    assert query.groups == {"family": "ISCO 25"}  # parity still reads the real family


def test_onet_codes_grade_the_detailed_occupation_above_the_broad_one() -> None:
    roles = {
        code: Role(id=code, title=code, source="onet")
        for code in ("15-1252.00", "15-1252.01", "15-1253.00", "15-1299.00", "29-1141.00")
    }
    truth = classification_truth(Records(roles=roles))
    assert truth.qrels["15-1252.00"] == {"15-1252.01": 2, "15-1253.00": 1}
    assert "15-1299.00" not in truth.qrels
    assert "29-1141.00" not in truth.qrels


def test_engine_and_graph_find_the_unit_group_random_does_not(result: EvaluationResult) -> None:
    (protocol,) = result.protocols
    assert protocol.queries == len(ROLES) - 1
    assert protocol.k == 20
    assert protocol.headline == "ndcg@20"
    assert protocol.metrics == metrics_at(result.metrics, 20)
    scores = {s.name: s.metrics["ndcg@20"].mean for s in protocol.systems}
    assert scores["graph"] == pytest.approx(1.0)  # no skill is shared across groups
    assert scores["engine"] >= 0.95
    assert scores["engine"] > scores["random"]
    for system in protocol.systems:
        assert all(q not in answer for q, answer in system.ranked.items())  # never itself


def test_ranking_time_is_reported_apart_from_the_build(result: EvaluationResult) -> None:
    (protocol,) = result.protocols
    for system in protocol.systems:
        timing = system.timing
        assert timing["queries"] == protocol.queries
        assert timing["seconds"] >= 0
        assert timing["ms_per_query"] >= 0
        assert timing["p99_ms"] >= timing["median_ms"]
    assert protocol.system("engine").timing["build_seconds"] > 0
    line = timing_line(protocol)
    assert line.startswith(
        f"engine build {protocol.system('engine').timing['build_seconds']:.1f} s"
    )
    assert line.count("ms/query") == len(protocol.systems)
    page = render_html(result)
    assert "ranking s" in page
    assert "ms/query" in page
    saved = result.to_dict()["protocols"][0]
    assert saved["k"] == 20
    assert "timing" in saved["systems"][0]


def test_role_rankers_keep_the_recommend_baselines_order(tiny: Records) -> None:
    from skillgraph.engine import Engine

    engine = Engine.build(
        related_roles(tiny).train,
        Settings(data_dir=Path("unused")),
        encoder=HashingEncoder(),
    )
    for name, recommender in (
        ("graph", GraphOnlyRecommender),
        ("embedding", EmbeddingOnlyRecommender),
    ):
        fitted = recommender("roles").fit(engine.ctx)
        system = make_baseline(name, engine, seed=1)
        for rid in ROLES:
            expected = [r.item_id for r in fitted.recommend(Query(role_id=rid, k=6))]
            query = EvalQuery(id=rid, role_id=rid)
            assert system.rank(Task.ROLE_RELATED_ROLES, query, 6) == expected, (name, rid)


def test_random_is_seeded_and_popularity_without_histories_ranks_by_id(tiny: Records) -> None:
    from skillgraph.engine import Engine

    engine = Engine.build(tiny, Settings(data_dir=Path("unused")), encoder=HashingEncoder())
    query = EvalQuery(id="dev-web", role_id="dev-web")
    first = make_baseline("random", engine, seed=3).rank(Task.ROLE_RELATED_ROLES, query, 6)
    again = make_baseline("random", engine, seed=3).rank(Task.ROLE_RELATED_ROLES, query, 6)
    assert first == again
    assert sorted(first) == sorted(set(ROLES) - {"dev-web"})
    popular = make_baseline("popularity", engine, seed=3).rank(Task.ROLE_RELATED_ROLES, query, 3)
    assert popular == sorted(set(ROLES) - {"dev-web"})[:3]


def test_onet_related_occupations_are_the_truth_when_shipped(tmp_path: Path) -> None:
    records = load_onet(ONET_TINY)
    config = EvaluationConfig(
        dataset=DatasetSpec("onet", ONET_TINY), protocols=("related_roles",), resamples=50
    )
    truth = related_truth(config, records)
    assert not truth.from_classification
    assert truth.qrels["15-1252.00"] == {"15-1253.00": 3, "29-1141.00": 1}
    assert truth.unknown is not None
    unknown = {u.kind: u.examples for u in truth.unknown.unknown}
    assert unknown == {"query role": ("31-9999.97",), "item role": ("15-1299.98",)}
    (prepared,) = prepare(config, records)
    assert prepared.unknown == truth.unknown  # shown in the report, not dropped
    assert prepared.train.roles["15-1252.00"].group == records.roles["15-1252.00"].group
    direct = onet_related_truth(records, read_related_occupations(ONET_TINY))
    assert direct.qrels == truth.qrels


def test_without_the_file_onet_falls_back_to_the_classification(tmp_path: Path) -> None:
    records = load_onet(ONET_TINY)
    config = EvaluationConfig(dataset=DatasetSpec("onet", tmp_path), protocols=("related_roles",))
    truth = related_truth(config, records)
    assert truth.from_classification
    assert truth.qrels == {"15-1252.00": {"15-1253.00": 1}, "15-1253.00": {"15-1252.00": 1}}
    (prepared,) = prepare(config, records)
    assert all(not r.group and not r.family for r in prepared.train.roles.values())


def test_the_protocol_reads_its_own_k_and_sample_from_a_file(tiny: Records) -> None:
    config = EvaluationConfig.from_mapping(
        {"protocol": {"related_roles": {"k": 5, "sample": 2}}, "protocols": ["related_roles"]}
    )
    assert (config.related_roles_k, config.related_roles_sample) == (5, 2)
    (prepared,) = prepare(config, tiny)
    assert len(prepared.queries) == 2
    assert prepared.k == 5
    assert metrics_at(["ndcg@10", "mrr", "precision@5"], 5) == ["ndcg@5", "mrr", "precision@5"]
    with pytest.raises(ValidationError, match=r"related_roles\.k"):
        EvaluationConfig.from_mapping({"protocol": {"related_roles": {"k": 0}}})


def test_the_terminal_keeps_bracketed_names(result: EvaluationResult) -> None:
    copied = copy.deepcopy(result)
    copied.protocols[0].systems[0].name = "engine[default]"
    for width in (200, 80):  # the wide and the narrow table
        out = io.StringIO()
        print_summary(Console(file=out, width=width), copied)
        assert "engine[default]" in out.getvalue()
        assert "time: engine[default] build" in out.getvalue().replace("\n", " ")
