"""Evaluation configuration: the example file reads, options map onto engine settings."""

from __future__ import annotations

from pathlib import Path

import pytest

from evaluation.config import (
    FLAT_ALWAYS,
    Configuration,
    DatasetSpec,
    EvaluationConfig,
)
from evaluation.groundtruth import Task
from skillgraph.config import Settings
from skillgraph.errors import ValidationError

EXAMPLE = Path(__file__).resolve().parents[2] / "evaluation" / "configs" / "example.toml"


def test_example_file_reads_with_every_configuration() -> None:
    config = EvaluationConfig.from_toml(EXAMPLE)
    assert config.dataset.kind == "sample"
    assert [c.name for c in config.configurations][:2] == ["default", "skills-heavy"]
    assert config.metrics[0] == "ndcg@10"
    assert config.next_role_sample is None  # 0 in the file means all
    assert config.skill_inference_sample == 50


def test_configuration_maps_onto_settings(tmp_path: Path) -> None:
    base = Settings()
    heavy = Configuration("heavy", index="flat", weights={"skills": 0.9}, model="hashing")
    settings = heavy.settings(base, tmp_path)
    assert settings.retrieval.model == "hashing"
    assert settings.retrieval.flat_max == FLAT_ALWAYS
    assert settings.recommend.transition_weights["skills"] == 0.9
    assert (
        settings.recommend.transition_weights["text"] == base.recommend.transition_weights["text"]
    )
    assert settings.data_dir == tmp_path
    assert Configuration("h", index="hnsw").settings(base, tmp_path).retrieval.flat_max == 0
    plain = Configuration("p", recommend={"partial_credit_related": 0.0})
    assert plain.settings(base, tmp_path).recommend.partial_credit_related == 0.0


@pytest.mark.parametrize(
    "bad",
    [
        {"index": "ivf-pq"},
        {"weights": {"vibes": 1.0}},
        {"recommend": {"no_such_field": 1}},
    ],
)
def test_bad_configurations_are_rejected(bad: dict[str, object]) -> None:
    with pytest.raises(ValidationError):
        Configuration("x", **bad)  # type: ignore[arg-type]


def test_unknown_keys_protocols_and_duplicate_names_are_rejected() -> None:
    with pytest.raises(ValidationError, match="unknown configuration key"):
        EvaluationConfig.from_mapping({"metric": ["ndcg@10"]})
    with pytest.raises(ValidationError, match="protocol"):
        EvaluationConfig(protocols=("astrology",))
    with pytest.raises(ValidationError, match="distinct"):
        EvaluationConfig(configurations=(Configuration("a"), Configuration("a")))
    with pytest.raises(ValidationError):
        EvaluationConfig(metrics=("ndcg",))


def test_dataset_strings_and_relative_paths(tmp_path: Path) -> None:
    assert DatasetSpec.parse("sample").kind == "sample"
    esco = DatasetSpec.parse("esco:data/esco", relative_to=tmp_path)
    assert (esco.kind, esco.path) == ("esco", tmp_path / "data" / "esco")
    assert DatasetSpec.parse("my_company").kind == "company"
    config = EvaluationConfig.from_mapping(
        {
            "dataset": {"source": "company", "path": "acme", "base": "onet:onet"},
            "ground_truth": [{"path": "g.csv", "task": "next_role"}],
        },
        relative_to=tmp_path,
    )
    assert config.dataset.path == tmp_path / "acme"
    assert config.dataset.base is not None
    assert config.dataset.base.kind == "onet"
    assert config.ground_truth[0].path == tmp_path / "g.csv"
    assert config.ground_truth[0].task is Task.NEXT_ROLE


def test_command_line_options_win_over_the_file(tmp_path: Path) -> None:
    from_file = EvaluationConfig.from_cli(config_file=EXAMPLE)
    assert from_file.k == 10
    truth = tmp_path / "g.csv"
    cli = EvaluationConfig.from_cli(
        dataset="onet:/data/onet",
        config_file=EXAMPLE,
        protocols=["skill_inference"],
        ground_truth=truth,
        task="role_skills",
        k=5,
        seed=7,
    )
    assert cli.dataset.kind == "onet"
    assert cli.protocols == ("skill_inference",)
    assert (cli.k, cli.seed) == (5, 7)
    assert cli.ground_truth[-1].task is Task.ROLE_SKILLS
    with pytest.raises(ValidationError, match="--task"):
        EvaluationConfig.from_cli(ground_truth=truth)


@pytest.mark.parametrize("value", [0, -3, 2.5, "five"])
def test_group_min_queries_must_be_a_positive_whole_number(value: object) -> None:
    with pytest.raises(ValidationError, match="group_min_queries"):
        EvaluationConfig.from_mapping({"group_min_queries": value})


def test_group_min_queries_reaches_the_config() -> None:
    assert EvaluationConfig.from_mapping({"group_min_queries": 3}).group_min_queries == 3
