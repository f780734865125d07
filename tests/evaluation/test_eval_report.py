"""Outputs: results.json with every number; report.html self-contained with its charts."""

from __future__ import annotations

import base64
import json
import re
from pathlib import Path

from rich.console import Console

from evaluation.beyond import GroupParity
from evaluation.metrics import GAIN_CONVENTION
from evaluation.report import print_summary, render_html, write_outputs
from evaluation.results import EvaluationResult, ProtocolResult, SystemResult
from evaluation.significance import Interval, compare, with_holm

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def _system(name: str, kind: str, scores: dict[str, float]) -> SystemResult:
    mean = sum(scores.values()) / len(scores)
    return SystemResult(
        name=name,
        kind=kind,
        configuration="default" if kind == "engine" else None,
        metrics={"ndcg@10": Interval(mean, max(0.0, mean - 0.1), min(1.0, mean + 0.1))},
        per_query={"ndcg@10": scores},
        beyond={
            "coverage": 0.4,
            "diversity": 0.3,
            "novelty": 2.5,
            "exposure_gini": 0.2,
            "unmatched_rate": 0.0,
            "capacity_utilisation": 0.5,
        },
        exposure={"m1": 3, "m2": 1, "m3": 0},
        parity={
            "department": GroupParity(
                "department", {"Data": (0.8, 2), "Sales": (0.4, 1)}, 0.4, "Data", "Sales"
            )
        },
        ranked={"q1": ["m1"], "q2": ["m2"], "q3": []},
    )


def _result() -> EvaluationResult:
    engine = _system("engine", "engine", {"q1": 1.0, "q2": 0.9, "q3": 0.5})
    random = _system("random", "baseline", {"q1": 0.1, "q2": 0.0, "q3": 0.2})
    protocol = ProtocolResult(
        name="groundtruth:mentors.csv",
        task="employee_mentors",
        description="Judgements from mentors.csv",
        queries=3,
        headline="ndcg@10",
        notes=["A note <with> markup"],
        unknown={
            "task": "employee_mentors",
            "queries": 3,
            "dropped_pairs": 2,
            "dropped_queries": 1,
            "unknown": [{"kind": "item mentor", "count": 2, "examples": ["ghost-1", "ghost-2"]}],
        },
        systems=[engine, random],
        comparisons=with_holm(
            [
                compare(
                    "engine",
                    "random",
                    "ndcg@10",
                    engine.per_query["ndcg@10"],
                    random.per_query["ndcg@10"],
                    resamples=200,
                )
            ]
        ),
    )
    skipped = ProtocolResult("next_role", "next_role", "no moves", 0, "ndcg@10", applicable=False)
    return EvaluationResult(
        title="Test run",
        created="2025-01-01T00:00:00+00:00",
        dataset={"description": "tiny", "sources": ["esco v1.1.1"], "counts": {"roles": 3}},
        configurations=[{"name": "default", "model": "hashing"}],
        metrics=["ndcg@10"],
        k=10,
        seed=42,
        resamples=200,
        confidence=0.95,
        gain_convention=GAIN_CONVENTION,
        attributions=["This service uses the ESCO classification of the European Commission."],
        protocols=[protocol, skipped],
    )


def test_outputs_are_written_and_json_holds_every_number(tmp_path: Path) -> None:
    paths = write_outputs(_result(), tmp_path / "out")
    assert set(paths) == {"results", "report"}
    data = json.loads(paths["results"].read_text(encoding="utf-8"))
    system = data["protocols"][0]["systems"][0]
    assert system["per_query"]["ndcg@10"] == {"q1": 1.0, "q2": 0.9, "q3": 0.5}
    assert system["metrics"]["ndcg@10"]["ci_low"] <= system["metrics"]["ndcg@10"]["mean"]
    assert data["protocols"][0]["comparisons"][0]["baseline"] == "random"
    assert data["gain_convention"] == GAIN_CONVENTION
    assert not list((tmp_path / "out").glob(".*.tmp"))  # atomic: no temp file left


def test_html_is_self_contained_with_embedded_charts(tmp_path: Path) -> None:
    page = write_outputs(_result(), tmp_path)["report"].read_text(encoding="utf-8")
    assert not re.search(r"""(src|href)\s*=\s*["']?\s*(https?:)?//""", page)
    assert "<script" not in page
    assert "<link" not in page
    images = re.findall(r"src='data:image/png;base64,([A-Za-z0-9+/=]+)'", page)
    # metrics, beyond accuracy, exposure Lorenz curves, parity by department
    assert len(images) == 4
    assert all(base64.b64decode(i).startswith(PNG_MAGIC) for i in images)
    for text in ("Test run", "linear gain", "ghost-1", "European Commission", "Not applicable"):
        assert text in page
    assert "&lt;with&gt;" in page  # notes are escaped


def test_rich_summary_names_systems_and_unknown_ids() -> None:
    console = Console(record=True, width=200)
    print_summary(console, _result())
    text = console.export_text()
    assert "engine" in text
    assert "random" in text
    assert "ghost-1" in text
    assert "not applicable" in text


def test_render_is_deterministic_for_the_same_result() -> None:
    assert render_html(_result()) == render_html(_result())


def test_narrow_terminal_gets_systems_as_columns() -> None:
    console = Console(record=True, width=80)
    print_summary(console, _result())
    text = console.export_text()
    assert "report.html" in text  # where the intervals are
    header = next(line for line in text.splitlines() if "engine" in line and "random" in line)
    assert header.index("engine") < header.index("random")  # one column per system
    assert all(len(line) <= 80 for line in text.splitlines())
