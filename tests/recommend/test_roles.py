"""Next-role recommendations on the tiny company: ranking, filters, explanations, effort."""

from __future__ import annotations

from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from recommend.recommender_contract import RecommenderContract
from recommend.synthetic import context_for, tiny_context, tiny_records

from skillgraph.errors import ValidationError
from skillgraph.recommend.base import EngineContext, Query, Recommendation, Recommender
from skillgraph.recommend.effort import HOURS_TO_REACH, effort_hours, gap_hours
from skillgraph.recommend.gaps import analyze_gaps, analyze_role_gaps
from skillgraph.recommend.roles import RoleRecommender
from skillgraph.retrieval.encoder import HashingEncoder

K = 10


@pytest.fixture(scope="module")
def ctx() -> EngineContext:
    return tiny_context(HashingEncoder(64))


@pytest.fixture(scope="module")
def roles(ctx: EngineContext) -> RoleRecommender:
    return RoleRecommender().fit(ctx)


def ask(rec: RoleRecommender, **kwargs: object) -> list[Recommendation]:
    return rec.recommend(Query(k=K, **kwargs))  # type: ignore[arg-type]


def ids(recs: list[Recommendation]) -> list[str]:
    return [r.item_id for r in recs]


class TestRoleContract(RecommenderContract):
    def make_recommender(self) -> Recommender:
        return RoleRecommender()

    def contract_queries(self) -> list[Query]:
        return [
            Query(employee_id="ari"),
            Query(employee_id="jo", k=3),
            Query(role_id="engineer"),
        ]


# ranking ------------------------------------------------------------------------------------
def test_ari_is_pointed_up_the_ladder_to_data_scientist(roles: RoleRecommender) -> None:
    recs = ask(roles, employee_id="ari")
    assert recs[0].item_id == "scientist"
    top = recs[0]
    assert top.payload["move"] == "up"
    assert top.payload["observed_moves"] == 2  # lena and sam made this move
    assert "analyst" not in ids(recs)  # the current role is never offered


def test_a_junior_is_pointed_to_the_next_step(roles: RoleRecommender) -> None:
    assert ask(roles, employee_id="jo")[0].item_id == "analyst"


def test_default_moves_are_up_and_lateral(roles: RoleRecommender) -> None:
    for emp in ("ari", "jo", "lena", "hana"):
        assert {r.payload["move"] for r in ask(roles, employee_id=emp)} <= {"up", "lateral"}
    down = ask(roles, employee_id="ari", filters={"moves": "down"})
    assert ids(down) == ["junior_analyst"]


def test_roles_held_before_are_left_out_unless_asked(roles: RoleRecommender) -> None:
    everything = {"moves": ["up", "lateral", "down"]}
    plain = ids(ask(roles, employee_id="lena", filters=everything))
    assert "analyst" not in plain
    assert "scientist" not in plain
    held = ids(ask(roles, employee_id="lena", filters={**everything, "include_held": True}))
    assert {"analyst", "scientist"} <= set(held)


def test_readiness_comes_from_the_gap_analysis(ctx: EngineContext, roles: RoleRecommender) -> None:
    for rec in ask(roles, employee_id="ari"):
        report = analyze_gaps(ctx, "ari", rec.item_id)
        assert rec.payload["readiness"] == pytest.approx(report.readiness, abs=0.05)
        assert rec.explanation.signals["readiness"] == pytest.approx(
            report.readiness / 100, abs=1e-4
        )
        assert rec.payload["effort_hours"] == effort_hours(report)
        assert [g["skill_id"] for g in rec.payload["top_gaps"]] == [
            r.skill_id for r in report.gaps[:5]
        ]


def test_a_role_without_an_employee_uses_the_role_profile(
    ctx: EngineContext, roles: RoleRecommender
) -> None:
    recs = ask(roles, role_id="analyst")
    assert recs[0].item_id == "scientist"
    report = analyze_role_gaps(ctx, "analyst", "scientist")
    assert recs[0].payload["readiness"] == pytest.approx(report.readiness, abs=0.05)


def test_min_readiness_and_family_filters(roles: RoleRecommender) -> None:
    all_recs = ask(roles, employee_id="ari")
    floor = sorted(r.payload["readiness"] for r in all_recs)[len(all_recs) // 2]
    kept = ask(roles, employee_id="ari", filters={"min_readiness": floor})
    assert kept
    assert all(r.payload["readiness"] >= floor - 0.05 for r in kept)
    assert len(kept) < len(all_recs)
    eng = ask(roles, employee_id="ari", filters={"family": "eng"})
    assert eng
    assert {r.payload["family"] for r in eng} == {"eng"}


def test_explanation_has_signals_and_a_readiness_counterfactual(roles: RoleRecommender) -> None:
    top = ask(roles, employee_id="ari")[0]
    why = top.explanation
    for name in ("transition", "readiness", "edge_skills", "edge_observed", "edge_seniority"):
        assert name in why.signals
    assert why.counterfactual_readiness is not None
    before, after = why.counterfactual_readiness
    assert after > before
    assert why.counterfactual is not None
    assert "Data Scientist" in why.counterfactual
    assert why.gaps
    assert all(g.current_level < g.required_level for g in why.gaps)


def test_interests_lift_a_named_role() -> None:
    plain_ctx = context_for(tiny_records(), HashingEncoder(64))
    records = tiny_records()
    ari = records.employees["ari"]
    records.employees["ari"] = replace(ari, interests=("engineer",))
    keen_ctx = context_for(records, HashingEncoder(64))
    query = Query(employee_id="ari", k=K)
    plain = RoleRecommender().fit(plain_ctx).recommend(query)
    keen = RoleRecommender().fit(keen_ctx).recommend(query)
    assert ids(keen).index("engineer") < ids(plain).index("engineer")
    engineer = next(r for r in keen if r.item_id == "engineer")
    assert engineer.explanation.signals["interest"] == 1.0


def test_few_direct_moves_are_topped_up_with_second_steps(ctx: EngineContext) -> None:
    narrow = RoleRecommender(top_n=1).fit(ctx)
    recs = narrow.recommend(Query(employee_id="jo", k=5))
    assert len(recs) >= 2  # one kept edge, the rest reached through it


def test_bad_queries_are_validation_errors(roles: RoleRecommender) -> None:
    for filters in (
        {"moves": "sideways"},
        {"min_readiness": 120},
        {"include_held": "yes"},
        {"salary": 10},
    ):
        with pytest.raises(ValidationError):
            ask(roles, employee_id="ari", filters=filters)
    with pytest.raises(ValidationError):
        ask(roles)  # neither an employee nor a role
    with pytest.raises(ValidationError):
        RoleRecommender(weights={"luck": 1.0})


# effort -------------------------------------------------------------------------------------
def test_gap_hours_known_values() -> None:
    assert gap_hours(2.4, 3) == pytest.approx(0.6 * HOURS_TO_REACH[3])
    assert gap_hours(0, 2) == pytest.approx(HOURS_TO_REACH[1] + HOURS_TO_REACH[2])
    assert gap_hours(3, 2) == 0.0
    assert gap_hours(0, 5) == pytest.approx(sum(HOURS_TO_REACH))


@settings(max_examples=100, deadline=None)
@given(
    a=st.floats(0, 5, allow_nan=False),
    b=st.floats(0, 5, allow_nan=False),
    c=st.floats(0, 5, allow_nan=False),
)
def test_gap_hours_add_up_along_the_scale(a: float, b: float, c: float) -> None:
    low, mid, high = sorted((a, b, c))
    assert gap_hours(low, high) == pytest.approx(gap_hours(low, mid) + gap_hours(mid, high))
    assert gap_hours(high, low) == 0.0
