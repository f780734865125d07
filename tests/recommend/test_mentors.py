"""Mentor recommendations: hard rules, modes, filters, scoring, explanations."""

from __future__ import annotations

import pytest
from recommend.recommender_contract import RecommenderContract
from recommend.synthetic import FULL_OFFER, context_for, tiny_context, tiny_records

from skillgraph.config import RetrievalSettings
from skillgraph.data.schema import MentorOffer
from skillgraph.errors import ValidationError
from skillgraph.recommend.base import EngineContext, Query, Recommendation, Recommender
from skillgraph.recommend.gaps import analyze_gaps
from skillgraph.recommend.mentors import MentorRecommender, overlap_hours
from skillgraph.retrieval.encoder import HashingEncoder
from skillgraph.retrieval.index import build_index

K = 20


@pytest.fixture(scope="module")
def ctx() -> EngineContext:
    return tiny_context(HashingEncoder(64))


@pytest.fixture(scope="module")
def mentors(ctx: EngineContext) -> MentorRecommender:
    return MentorRecommender().fit(ctx)


def ask(rec: MentorRecommender, **kwargs: object) -> list[Recommendation]:
    return rec.recommend(Query(k=K, **kwargs))  # type: ignore[arg-type]


def ids(recs: list[Recommendation]) -> list[str]:
    return [r.item_id for r in recs]


class TestMentorContract(RecommenderContract):
    def make_recommender(self) -> Recommender:
        return MentorRecommender()

    def contract_queries(self) -> list[Query]:
        return [
            Query(employee_id="ari", target_role_id="scientist"),
            Query(skill_ids=("ml",)),
            Query(employee_id="hana", skill_ids=("python",), filters={"mode": "reverse"}),
        ]


def test_best_one_on_one_mentor_for_ari_is_sam(mentors: MentorRecommender) -> None:
    recs = ask(mentors, employee_id="ari", target_role_id="scientist",
               filters={"mode": "one_on_one"})  # fmt: skip
    assert recs[0].item_id == "m_sam"
    sam = recs[0]
    assert sam.payload["mentor_levels"] == {"python": 4.0, "stats": 4.0, "ml": 3.0, "sql": 3.0}
    assert sam.explanation.signals["coverage"] == pytest.approx(1.0)


def test_full_mentor_is_never_returned(ctx: EngineContext, mentors: MentorRecommender) -> None:
    for employee in ctx.records.employees:
        for mode in (None, "one_on_one", "peer", "reverse", "group"):
            filters = {"mode": mode} if mode else {}
            recs = ask(mentors, employee_id=employee, target_role_id="lead_scientist",
                       filters=filters)  # fmt: skip
            assert FULL_OFFER not in ids(recs)
    # the same offer with its seat free is found: the rule, not the data, kept it out
    free = MentorRecommender().fit(context_for(tiny_records(), HashingEncoder(64)))
    assert FULL_OFFER in ids(ask(free, employee_id="ari", target_role_id="scientist"))


def test_never_self(ctx: EngineContext, mentors: MentorRecommender) -> None:
    for offer in ctx.records.mentors.values():
        recs = ask(mentors, employee_id=offer.employee_id, target_role_id="lead_scientist")
        assert all(r.payload["employee_id"] != offer.employee_id for r in recs)
    # Sam is a good mentor for Ml in general
    assert "m_sam" in ids(ask(mentors, skill_ids=("ml",)))


def test_never_own_manager_or_direct_report(mentors: MentorRecommender) -> None:
    found = ids(ask(mentors, employee_id="ari", target_role_id="scientist"))
    assert "m_lena" not in found  # Ari's manager
    assert "m_rui" not in found  # Ari's direct report
    # both are found for someone they have no reporting line with
    assert "m_lena" in ids(ask(mentors, employee_id="eli", target_role_id="scientist"))
    assert "m_rui" in ids(ask(mentors, employee_id="pia", target_role_id="scientist"))


def test_inactive_mentor_is_never_returned(mentors: MentorRecommender) -> None:
    assert "m_ole" not in ids(ask(mentors, skill_ids=("ml",)))
    assert "m_ole" not in ids(ask(mentors, employee_id="ari", target_role_id="scientist"))


def test_reverse_mentoring(mentors: MentorRecommender) -> None:
    reverse = ask(mentors, employee_id="hana", skill_ids=("python",), filters={"mode": "reverse"})
    assert "m_jo" in ids(reverse)
    jo = next(r for r in reverse if r.item_id == "m_jo")
    assert jo.payload["mode"] == "reverse"
    assert jo.payload["seniority"] < 4
    assert all(r.payload["seniority"] < 4 for r in reverse)
    one_on_one = ask(mentors, employee_id="hana", skill_ids=("python",),
                     filters={"mode": "one_on_one"})  # fmt: skip
    assert "m_jo" not in ids(one_on_one)


def test_reverse_needs_a_stronger_junior(mentors: MentorRecommender) -> None:
    # Hana holds SQL at 4; no junior is stronger, so nobody reverse-mentors her in SQL
    recs = ask(mentors, employee_id="hana", skill_ids=("sql",), filters={"mode": "reverse"})
    assert recs == []


def test_peer_rule_keeps_seniority_within_one(mentors: MentorRecommender) -> None:
    peer = ask(mentors, employee_id="ari", target_role_id="scientist", filters={"mode": "peer"})
    assert peer, "Ari has peers"
    assert all(abs(r.payload["seniority"] - 2) <= 1 for r in peer)
    assert "m_hana" not in ids(peer)  # two levels up
    one_on_one = ask(mentors, employee_id="ari", target_role_id="scientist",
                     filters={"mode": "one_on_one"})  # fmt: skip
    assert "m_hana" in ids(one_on_one)  # Hana covers SQL: the mode rule, not coverage, kept her out
    assert all(r.payload["seniority"] > 2 for r in one_on_one)


def test_mode_must_be_offered(mentors: MentorRecommender) -> None:
    recs = ask(mentors, employee_id="ari", target_role_id="scientist", filters={"mode": "peer"})
    assert "m_sam" in ids(recs)  # Sam offers peer, is one level up
    recs = ask(mentors, employee_id="ari", target_role_id="scientist", filters={"mode": "reverse"})
    assert "m_sam" not in ids(recs)


def test_group_mode_counts_colleagues_with_the_same_gaps(
    ctx: EngineContext, mentors: MentorRecommender
) -> None:
    recs = ask(mentors, employee_id="ari", target_role_id="scientist", filters={"mode": "group"})
    sam = next(r for r in recs if r.item_id == "m_sam")
    covered = set(sam.payload["mentor_levels"])
    others = set()
    for emp in ctx.records.employees.values():
        if emp.active and emp.id not in {"ari", "sam"}:
            report = analyze_gaps(ctx, emp)
            if covered & {g.skill_id for g in report.gaps}:
                others.add(emp.id)
    seats = ctx.records.mentors["m_sam"].max_group_size - 1
    assert others
    assert sam.explanation.signals["mode_fit"] == pytest.approx(min(1.0, len(others) / seats))


def test_time_zone_overlap_filter(mentors: MentorRecommender) -> None:
    assert overlap_hours(0.0, 5.5) == 2.5
    assert overlap_hours(10.0, -10.0) == 4.0  # 20 hours apart is 4 hours the other way round
    base = ask(mentors, employee_id="ari", target_role_id="scientist")
    assert "m_sam" in ids(base)
    near = ask(mentors, employee_id="ari", target_role_id="scientist",
               filters={"min_overlap_hours": 4})  # fmt: skip
    assert "m_sam" not in ids(near)
    assert near
    assert all(r.payload["overlap_hours"] >= 4 for r in near)


def test_other_department_filter(mentors: MentorRecommender) -> None:
    recs = ask(mentors, employee_id="ari", target_role_id="scientist",
               filters={"other_department": True})  # fmt: skip
    assert recs
    assert all(r.payload["department"] != "data" for r in recs)
    assert "m_eli" in ids(recs)


def test_topics_restrict_the_gaps(mentors: MentorRecommender) -> None:
    recs = ask(mentors, employee_id="ari", target_role_id="scientist", filters={"topics": ["sql"]})
    assert recs
    assert all({g.skill_id for g in r.explanation.gaps} == {"sql"} for r in recs)


def test_coverage_below_needed_level_counts_little(mentors: MentorRecommender) -> None:
    # Needed: Python 4. Eli holds Python 4 (full), Pia holds 2 (ahead of Ari's 1 only)
    recs = ask(mentors, employee_id="ari", skill_ids=("python",),
               filters={"target_level": 4, "mode": "peer"})  # fmt: skip
    signals = {r.item_id: r.explanation.signals["coverage"] for r in recs}
    assert signals["m_eli"] == pytest.approx(1.0)
    assert signals["m_pia"] == pytest.approx(0.3 * (2 - 1) / (4 - 1))
    assert ids(recs).index("m_eli") < ids(recs).index("m_pia")


def test_explanation_lists_levels_and_counterfactual(mentors: MentorRecommender) -> None:
    sam = ask(mentors, employee_id="ari", target_role_id="scientist")
    rec = next(r for r in sam if r.item_id == "m_sam")
    gaps = {g.skill_id: g for g in rec.explanation.gaps}
    assert gaps["python"].required_level == 4.0
    assert gaps["python"].current_level == 1.0
    assert "Python 4 vs needed 4" in rec.explanation.text
    before, after = rec.explanation.counterfactual_readiness or (0.0, 0.0)
    assert after == pytest.approx(100.0)
    assert before < 50.0
    assert set(rec.explanation.signals) >= {"coverage", "similarity", "mode_fit", "overlap"}


def test_one_result_per_mentor(ctx: EngineContext) -> None:
    records = tiny_records()
    second = MentorOffer("m_sam2", "sam", 5)
    records.mentors[second.id] = second
    rec = MentorRecommender().fit(context_for(records, HashingEncoder(64)))
    found = [r.payload["employee_id"] for r in ask(rec, employee_id="ari",
                                                   target_role_id="scientist")]  # fmt: skip
    assert found.count("sam") == 1


def test_bad_filters_are_refused(mentors: MentorRecommender) -> None:
    with pytest.raises(ValidationError):
        ask(mentors, employee_id="ari", filters={"mode": "telepathy"})
    with pytest.raises(ValidationError):
        ask(mentors, employee_id="ari", filters={"colour": "blue"})
    with pytest.raises(ValidationError):
        ask(mentors, employee_id="ari", filters={"min_overlap_hours": "lots"})
    with pytest.raises(ValidationError):
        ask(mentors, employee_id="ari", filters={"target_level": 9})
    with pytest.raises(ValidationError):
        ask(mentors, employee_id="ari", filters={"other_department": "no"})


def test_nothing_to_learn_gives_nothing(mentors: MentorRecommender) -> None:
    assert ask(mentors, employee_id="sam", target_role_id="scientist") == []


@pytest.mark.model
def test_real_model_with_faiss_finds_sam(real_encoder: object) -> None:
    settings = RetrievalSettings()
    ctx = tiny_context(
        real_encoder,
        index_factory=lambda i, v: build_index(i, v, settings=settings),
    )
    rec = MentorRecommender(min_candidates=2, overfetch=1).fit(ctx)
    recs = ask(rec, employee_id="ari", target_role_id="scientist", filters={"mode": "one_on_one"})
    assert recs[0].item_id == "m_sam"
    assert 0.0 < recs[0].explanation.signals["similarity"] <= 1.0
