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


def assert_explained_by_round_gaps(out: dict[str, Any]) -> None:
    """Every match is explained by gaps its mentees have in the round, nothing else."""
    for match in out["matches"]:
        needed = {s for m in match["mentee_ids"] for s in out["mentee_gaps"][m]}
        assert match["gaps"]
        assert {g["skill_id"] for g in match["gaps"]} <= needed, match["id"]


def test_pairs_are_explained_by_the_mentees_round_gaps_only(
    ctx: EngineContext, recommender: MentorRecommender
) -> None:
    # the recommender alone would also "need" a round skill the mentee's role does not require
    everyone = ["ari", "pia", "zed", "jo", "eli", "sam"]
    for skills in (["python", "cloud"], ["sql", "stats", "comm"], ["ml", "viz"]):
        focus = {"id": "focus", "mentee_ids": everyone, "gap_skills": skills}
        out = solve_definition(ctx, focus, recommender=recommender)
        assert_explained_by_round_gaps(out)
        for mentee, gaps in out["mentee_gaps"].items():
            assert set(gaps) <= set(skills), mentee


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
    assert_explained_by_round_gaps(out)
    assert len(placed) + len(out["unmatched"]) == stats["cohort"]
    if raw["mode"] == "group":
        assert all(len(m["mentee_ids"]) >= 2 and m["shared_skills"] for m in out["matches"])
    else:
        cap = -(-stats["cohort"] * raw["max_share_per_mentor"] // 1)
        offers = [m["offer_id"] for m in out["matches"]]
        assert max(offers.count(o) for o in offers) <= cap


def test_utilisation_and_exposure_count_only_offers_that_can_take_part() -> None:
    from recommend.matching_world import emp, inputs, offer, records, strong

    people = [emp("a"), emp("b"), emp("x", role=4, skills=strong("sql"))]
    people.append(emp("y", role=1, skills=strong("sql")))
    offers = [
        offer("ox", "x", 2, modes=(MentorMode.ONE_ON_ONE,)),
        offer("oy", "y", 5, modes=(MentorMode.REVERSE,)),  # never usable in a one-on-one round
        offer("oz", "x", 3, modes=(MentorMode.GROUP,), max_group_size=2),
    ]
    rec = records(people, offers)
    result = solve_round(RoundDefinition(id="r", mentee_ids=("a", "b")), inputs(rec))
    assert result.stats.matched == 2
    assert (result.stats.capacity, result.stats.used) == (2, 2)
    assert result.stats.utilisation == 1.0
    assert result.stats.exposure_gini == 0.0  # one usable offer, evenly "spread"
    circles = RoundDefinition(id="g", mentee_ids=("a", "b"), mode=MentorMode.GROUP, circle_size=3)
    assert solve_round(circles, inputs(rec)).stats.capacity == 0  # oz takes groups of 2 only


def test_comparison_of_a_known_greedy_trap() -> None:
    """a's favourite (x) is b's only option: greedy gives a x and strands b; the optimum gives a
    its second choice (y) and b x."""
    from recommend.matching_world import emp, inputs, offer, records

    from skillgraph.recommend.matching_result import compare_results

    rec = records([emp("a"), emp("b"), emp("x", role=4), emp("y", role=4)], [])
    rec.mentors.update({"ox": offer("ox", "x"), "oy": offer("oy", "y")})
    table = {("a", "ox"): 0.9, ("a", "oy"): 0.8, ("b", "ox"): 0.7}
    inp = inputs(rec, table=table)
    d = RoundDefinition(id="trap", mentee_ids=("a", "b"))
    comparison = compare_results(solve_round(d, inp), solve_round(d, inp, greedy=True))
    assert comparison["mentees"] == {
        "matched_by_both": 1,
        "matched_only_by_exact": 1,
        "matched_only_by_greedy": 0,
        "better_pair_in_exact": 0,
        "better_pair_in_greedy": 1,
        "same_mentor": 0,
    }
    total = comparison["stats"]["total_quality"]
    assert (total["exact"], total["greedy"]) == (pytest.approx(1.5), pytest.approx(0.9))
    assert comparison["stats"]["matched"]["difference"] == 1
