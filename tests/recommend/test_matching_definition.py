"""solve_definition: a JSON round definition in, the solved round with shortages and the greedy
comparison out; and the example rounds shipped for the sample company."""

from __future__ import annotations

import json
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from recommend.synthetic import FULL_OFFER, tiny_context

from skillgraph.data.schema import MentorMode
from skillgraph.errors import ValidationError
from skillgraph.recommend.base import EngineContext
from skillgraph.recommend.matching import RoundDefinition, solve_definition, solve_round
from skillgraph.recommend.matching_context import ContextGaps, context_inputs
from skillgraph.recommend.matching_result import RoundResult
from skillgraph.recommend.mentors import MentorRecommender
from skillgraph.recommend.supply import supply_demand
from skillgraph.retrieval.encoder import HashingEncoder

COHORT = ["ari", "pia", "zed", "jo"]
ROUNDS = Path(__file__).resolve().parents[2] / "datasets" / "rounds"


@pytest.fixture(scope="module")
def ctx() -> EngineContext:
    return tiny_context(HashingEncoder(64))


@pytest.fixture(scope="module")
def recommender(ctx: EngineContext) -> MentorRecommender:
    return MentorRecommender().fit(ctx)


def definition(**changes: Any) -> dict[str, Any]:
    return {"id": "spring", "mentee_ids": COHORT, "max_share_per_mentor": 0.5, **changes}


def test_a_valid_round_is_solved_into_plain_json(
    ctx: EngineContext, recommender: MentorRecommender
) -> None:
    out = solve_definition(ctx, definition(), recommender=recommender)
    assert json.loads(json.dumps(out)) == out
    again = RoundResult.from_dict(out)  # the result fields are those of RoundResult
    expected = solve_round(
        RoundDefinition.from_dict(definition()),
        context_inputs(ctx, RoundDefinition.from_dict(definition()), recommender=recommender),
    )
    assert again.matches == expected.matches
    assert again.unmatched == expected.unmatched
    assert out["definition"]["mentee_ids"] == COHORT
    placed = [m for match in out["matches"] for m in match["mentee_ids"]]
    unplaced = [u["mentee_id"] for u in out["unmatched"]]
    assert sorted(placed + unplaced) == sorted(COHORT)
    assert sum(out["unmatched_reasons"].values()) == len(unplaced)
    assert all(m["offer_id"] != FULL_OFFER for m in out["matches"])  # its place is taken
    assert "greedy" not in out
    assert "comparison" not in out


def test_shortages_are_the_cohorts_unmet_demand_on_the_rounds_mentors(
    ctx: EngineContext, recommender: MentorRecommender
) -> None:
    deficits = {}
    for mode in ("one_on_one", "reverse"):
        out = solve_definition(
            ctx, definition(mode=mode, max_share_per_mentor=None), recommender=recommender
        )
        gaps = ContextGaps(ctx)
        expected = supply_demand(
            ctx.records, gaps, cohort=COHORT, used=ctx.mentor_load, mode=MentorMode(mode)
        )
        assert out["shortages"] == expected.to_dict()["shortages"]
        for shortage in out["shortages"]:
            assert shortage["deficit"] == pytest.approx(shortage["demand"] - shortage["supply"])
            assert shortage["demand_count"] <= len(COHORT)
            assert shortage["label"] in shortage["message"]
        deficits[mode] = {s["skill_id"]: s["deficit"] for s in out["shortages"]}
    # the reverse offers are a subset of the one-on-one ones: never less short
    assert deficits["one_on_one"]
    for skill, deficit in deficits["one_on_one"].items():
        assert deficits["reverse"][skill] >= deficit


def test_greedy_comparison_fields(ctx: EngineContext, recommender: MentorRecommender) -> None:
    out = solve_definition(ctx, definition(), compare_greedy=True, recommender=recommender)
    greedy = out["greedy"]
    assert set(greedy) == {"stats", "solver", "unmatched_reasons"}
    assert greedy["solver"]["engine"] == "greedy"
    stats = out["comparison"]["stats"]
    for name in ("matched", "mean_quality", "total_quality", "utilisation", "exposure_gini"):
        assert stats[name]["exact"] == out["stats"][name]
        assert stats[name]["greedy"] == greedy["stats"][name]
        assert stats[name]["difference"] == pytest.approx(
            stats[name]["exact"] - stats[name]["greedy"]
        )
    # the optimum never has less total quality than greedy on the same candidates
    assert stats["total_quality"]["difference"] >= -1e-9
    mentees = out["comparison"]["mentees"]
    assert mentees["matched_by_both"] + mentees["matched_only_by_exact"] == out["stats"]["matched"]
    assert mentees["same_mentor"] <= mentees["matched_by_both"]


class Untouchable:
    """A context that fails the test if anything reads it."""

    def __getattr__(self, name: str) -> Any:
        raise AssertionError(f"the context was used ({name}) before the definition was checked")


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        ({"mentee_ids": ["ari"]}, "needs a non-empty string 'id'"),
        (definition(mode="group"), "group mode needs circle_size"),
        (definition(mentee_ids=["ari", "ari"]), "listed twice"),
        (definition(colour="blue"), "unknown round field"),
        (definition(max_share_per_mentor="lots"), "must be a number"),
        (["not", "an", "object"], "must be a JSON object"),
    ],
)
def test_an_invalid_definition_is_refused_before_anything_else(bad: Any, message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        solve_definition(Untouchable(), bad)  # type: ignore[arg-type]


def test_definitions_checked_against_the_records(ctx: EngineContext) -> None:
    with pytest.raises(ValidationError, match="unknown employee id"):
        solve_definition(ctx, definition(mentee_ids=["ari", "nobody"]))


# the example rounds of the sample company --------------------------------------------------------
@pytest.fixture(scope="module")
def sample_ctx(sample_company_dir: Path) -> Iterator[EngineContext]:
    from skillgraph.config import Settings
    from skillgraph.data.company import load_company
    from skillgraph.engine import Engine

    records = load_company(sample_company_dir)
    with tempfile.TemporaryDirectory() as tmp:
        yield Engine.build(records, Settings(data_dir=Path(tmp)), encoder=HashingEncoder(64)).ctx


@pytest.mark.parametrize("name", ["sample_round.json", "sample_circles.json"])
def test_example_rounds_run_on_the_sample_company(sample_ctx: EngineContext, name: str) -> None:
    raw = json.loads((ROUNDS / name).read_text(encoding="utf-8"))
    out = solve_definition(sample_ctx, raw, compare_greedy=True)
    stats = out["stats"]
    assert stats["cohort"] >= 40
    assert stats["matched"] >= stats["cohort"] // 2  # the examples are meant to mostly work
    placed = [m for match in out["matches"] for m in match["mentee_ids"]]
    assert len(placed) == len(set(placed)) == stats["matched"]
    assert len(placed) + len(out["unmatched"]) == stats["cohort"]
    if raw["mode"] == "group":
        assert all(len(m["mentee_ids"]) >= 2 and m["shared_skills"] for m in out["matches"])
    else:
        cap = -(-stats["cohort"] * raw["max_share_per_mentor"] // 1)
        offers = [m["offer_id"] for m in out["matches"]]
        assert max(offers.count(o) for o in offers) <= cap
