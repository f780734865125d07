"""The whole harness on the sample company: protocol -> engine + baselines -> scores -> report."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from evaluation.config import Configuration, EvaluationConfig
from evaluation.report import write_outputs
from evaluation.results import EvaluationResult
from evaluation.runner import run_evaluation
from evaluation.systems import BASELINES
from skillgraph.data.schema import Records
from skillgraph.retrieval.encoder import Encoder, HashingEncoder

NEXT_ROLE_SAMPLE = 40


@pytest.fixture(scope="module")
def sample_records(sample_company_dir: Path) -> Records:
    from skillgraph.data.company import load_company

    return load_company(sample_company_dir)


def _numbers(result: EvaluationResult) -> list[Any]:
    """Everything but the date and the timings."""
    out = []
    for p in result.protocols:
        for s in p.systems:
            out.append((s.name, s.metrics, s.per_query, s.beyond, s.ranked, s.parity))
        out.append([c.to_dict() for c in p.comparisons])
    return out


def _config(**changes: Any) -> EvaluationConfig:
    values: dict[str, Any] = {
        "protocols": ("next_role",),
        "next_role_sample": NEXT_ROLE_SAMPLE,
        "resamples": 300,
        "metrics": ("ndcg@10", "mrr", "hit_rate@5", "recall@10"),
    }
    values.update(changes)
    return EvaluationConfig(**values)


@pytest.fixture(scope="module")
def hashing_result(sample_records: Records) -> EvaluationResult:
    return run_evaluation(_config(), records=sample_records, encoder=HashingEncoder())


def test_next_role_scores_the_engine_and_every_baseline(hashing_result: EvaluationResult) -> None:
    (protocol,) = hashing_result.protocols
    assert protocol.applicable
    assert protocol.queries == NEXT_ROLE_SAMPLE
    assert [s.name for s in protocol.systems] == ["engine", *BASELINES]
    for system in protocol.systems:
        for metric, interval in system.metrics.items():
            assert 0.0 <= interval.low <= interval.mean <= interval.high <= 1.0, metric
            assert len(system.per_query[metric]) == NEXT_ROLE_SAMPLE
        assert 0.0 <= (system.beyond["coverage"] or 0.0) <= 1.0
    assert len(protocol.comparisons) == len(BASELINES) * 4
    engine, random = protocol.system("engine"), protocol.system("random")
    assert engine.failures == 0
    # one relevant role among ~70: a random ranking rarely finds it in its top 5
    assert random.metrics["hit_rate@5"].mean < 0.3
    assert engine.metrics["mrr"].mean > random.metrics["mrr"].mean
    assert "department" in engine.parity


def test_same_inputs_give_the_same_numbers(
    sample_records: Records, hashing_result: EvaluationResult
) -> None:
    again = run_evaluation(_config(), records=sample_records, encoder=HashingEncoder())
    assert _numbers(again) == _numbers(hashing_result)


def test_configurations_are_compared_with_each_other(sample_records: Records) -> None:
    config = _config(
        next_role_sample=20,
        baselines=("random",),
        configurations=(
            Configuration("default"),
            Configuration("observed-only", weights={"skills": 0.0, "text": 0.0, "observed": 1.0}),
        ),
    )
    result = run_evaluation(config, records=sample_records, encoder=HashingEncoder())
    (protocol,) = result.protocols
    names = [s.name for s in protocol.systems]
    assert names == ["engine[default]", "engine[observed-only]", "random"]
    pairs = {(c.system, c.baseline) for c in protocol.comparisons}
    assert ("engine[observed-only]", "engine[default]") in pairs
    assert result.configurations[1]["weights"]["observed"] == 1.0


def test_report_of_a_real_run_is_written(tmp_path: Path, hashing_result: EvaluationResult) -> None:
    paths = write_outputs(hashing_result, tmp_path)
    page = paths["report"].read_text(encoding="utf-8")
    assert "next_role" in page
    assert "Leak caveat" in page
    assert page.count("data:image/png;base64,") >= 3


@pytest.mark.slow
@pytest.mark.model
def test_next_role_with_the_real_model(sample_records: Records, real_encoder: Encoder) -> None:
    config = _config(next_role_sample=40, baselines=("random", "embedding", "tfidf"))
    result = run_evaluation(config, records=sample_records, encoder=real_encoder)
    (protocol,) = result.protocols
    engine, random = protocol.system("engine"), protocol.system("random")
    assert engine.failures == 0
    assert engine.metrics["mrr"].mean > random.metrics["mrr"].mean
    assert engine.beyond["diversity"] is not None


@pytest.mark.slow
@pytest.mark.realdata
def test_onet_as_an_ontology_only_engine(onet_dir: Path, tmp_path: Path) -> None:
    from evaluation.config import DatasetSpec
    from evaluation.runner import load_dataset

    spec = DatasetSpec("onet", onet_dir)
    config = EvaluationConfig(
        dataset=spec, skill_inference_sample=10, related_roles_sample=100, resamples=200
    )
    result = run_evaluation(config, records=load_dataset(spec), encoder=HashingEncoder())
    by_name = {p.name: p for p in result.protocols}
    assert not by_name["next_role"].applicable  # an ontology has no employees
    assert not by_name["mentor_feedback"].applicable
    inference = by_name["skill_inference"]
    assert inference.queries == 10
    engine, random = inference.system("engine"), inference.system("random")
    assert engine.metrics["ndcg@10"].mean > random.metrics["ndcg@10"].mean
    related = by_name["related_roles"]
    assert related.queries == 100
    assert related.headline == "ndcg@20"
    ndcg = {s.name: s.metrics["ndcg@20"].mean for s in related.systems}
    assert ndcg["engine"] > ndcg["random"]
    assert any("O*NET" in line for line in result.attributions)
    page = write_outputs(result, tmp_path)["report"].read_text(encoding="utf-8")
    assert "USDOL/ETA" in page
