"""Development plans: goals, the 70-20-10 mix, the timeline, checkpoint transitions."""

from __future__ import annotations

import json
import math
from datetime import date, timedelta

import pytest
from recommend.synthetic import tiny_context

from skillgraph.data.schema import LearningChannel
from skillgraph.errors import NotFoundError, PermissionDeniedError, ValidationError
from skillgraph.recommend.base import EngineContext
from skillgraph.recommend.content import ContentRecommender
from skillgraph.recommend.gaps import analyze_gaps, held_levels
from skillgraph.recommend.mentors import MentorRecommender
from skillgraph.recommend.plans import (
    CheckpointStatus,
    DevelopmentPlan,
    PlanOptions,
    build_plan,
)
from skillgraph.retrieval.encoder import HashingEncoder

START = date(2025, 1, 6)


@pytest.fixture(scope="module")
def ctx() -> EngineContext:
    return tiny_context(HashingEncoder(64))


@pytest.fixture(scope="module")
def recommenders(ctx: EngineContext) -> tuple[ContentRecommender, MentorRecommender]:
    return ContentRecommender().fit(ctx), MentorRecommender().fit(ctx)


def make_plan(
    ctx: EngineContext,
    recommenders: tuple[ContentRecommender, MentorRecommender],
    employee: str = "ari",
    target: str = "scientist",
    **options: float,
) -> DevelopmentPlan:
    content, mentors = recommenders
    return build_plan(
        ctx,
        employee,
        target,
        content=content,
        mentors=mentors,
        options=PlanOptions(**options),  # type: ignore[arg-type]
        start=START,
    )


@pytest.fixture
def plan(
    ctx: EngineContext, recommenders: tuple[ContentRecommender, MentorRecommender]
) -> DevelopmentPlan:
    return make_plan(ctx, recommenders)


def test_goals_are_the_ordered_gaps(ctx: EngineContext, plan: DevelopmentPlan) -> None:
    report = analyze_gaps(ctx, "ari", "scientist")
    assert [g.skill_id for g in plan.goals] == [g.skill_id for g in report.gaps]
    assert plan.readiness == pytest.approx(report.readiness)
    assert plan.projected_readiness > plan.readiness
    assert plan.manager_id == "lena"


def test_actions_cover_goals_in_all_three_channels(plan: DevelopmentPlan) -> None:
    goal_ids = {g.id for g in plan.goals}
    assert all(set(a.goal_ids) <= goal_ids and a.goal_ids for a in plan.actions)
    assert {a.channel for a in plan.actions} == set(LearningChannel)
    mentor = [a for a in plan.actions if a.kind == "mentor"]
    assert mentor
    assert mentor[0].channel is LearningChannel.PEOPLE
    targets = [a.target_id for a in plan.actions]
    assert len(targets) == len(set(targets))


def test_mix_shares_are_effort_shares(plan: DevelopmentPlan) -> None:
    total = sum(a.effort_hours for a in plan.actions)
    for channel in LearningChannel:
        hours = sum(a.effort_hours for a in plan.actions if a.channel is channel)
        assert plan.mix[channel.value] == pytest.approx(hours / total)
    assert sum(plan.mix.values()) == pytest.approx(1.0)
    assert plan.target_mix == {"experience": 0.7, "people": 0.2, "formal": 0.1}


def test_timeline_spends_hours_at_the_weekly_rate(
    ctx: EngineContext, recommenders: tuple[ContentRecommender, MentorRecommender]
) -> None:
    slow = make_plan(ctx, recommenders, hours_per_week=4.0)
    fast = make_plan(ctx, recommenders, hours_per_week=8.0)
    assert slow.weeks == math.ceil(slow.total_hours / 4.0)
    assert fast.weeks == math.ceil(fast.total_hours / 8.0)
    assert fast.weeks < slow.weeks
    previous_start = 0
    for action in slow.actions:
        assert previous_start <= action.start_week <= action.end_week
        previous_start = action.start_week


def test_prerequisite_items_are_scheduled_first(ctx: EngineContext, plan: DevelopmentPlan) -> None:
    held = held_levels(ctx.employee("ari"))
    checked = 0
    for i, action in enumerate(plan.actions):
        if action.kind != "content":
            continue
        for pre in ctx.item(action.target_id).prerequisites:
            if held.get(pre.skill_id, 0.0) >= pre.level:
                continue
            earlier = [a.target_id for a in plan.actions[:i] if a.kind == "content"]
            assert any(
                s.skill_id == pre.skill_id and s.level >= pre.level
                for t in earlier
                for s in ctx.item(t).skills
            ), (action.target_id, pre)
            checked += 1
    assert checked, "the plan has an item with a prerequisite Ari lacks"


def test_one_checkpoint_per_goal_due_when_its_actions_end(plan: DevelopmentPlan) -> None:
    assert [c.goal_id for c in plan.checkpoints] == [g.id for g in plan.goals]
    for cp in plan.checkpoints:
        ends = [a.end_week for a in plan.actions if cp.goal_id in a.goal_ids]
        if ends:
            assert cp.due == START + timedelta(weeks=max(ends))
        assert cp.status is CheckpointStatus.PENDING
    assert len({c.id for c in plan.checkpoints}) == len(plan.checkpoints)


def test_manager_approves_and_others_are_refused(plan: DevelopmentPlan) -> None:
    first = plan.checkpoints[0].id
    with pytest.raises(PermissionDeniedError):
        plan.approve(first, "hana")  # Ari's manager's manager is not Ari's manager
    with pytest.raises(PermissionDeniedError):
        plan.approve(first, "ari")
    done = plan.approve(first, "lena", "well done", on=START)
    assert (done.status, done.approver_id, done.comment) == (
        CheckpointStatus.APPROVED,
        "lena",
        "well done",
    )
    with pytest.raises(ValidationError):
        plan.approve(first, "lena")  # approved is final
    with pytest.raises(ValidationError):
        plan.return_(first, "lena", "redo")


def test_return_and_resubmit(plan: DevelopmentPlan) -> None:
    cp = plan.checkpoints[1].id
    with pytest.raises(ValidationError):
        plan.return_(cp, "lena", "  ")  # returning needs a reason
    with pytest.raises(PermissionDeniedError):
        plan.return_(cp, "sam", "not yet")
    assert plan.return_(cp, "lena", "add a worked example").status is CheckpointStatus.RETURNED
    with pytest.raises(ValidationError):
        plan.approve(cp, "lena")  # must be resubmitted first
    with pytest.raises(PermissionDeniedError):
        plan.resubmit(cp, "lena")
    assert plan.resubmit(cp, "ari").status is CheckpointStatus.PENDING
    with pytest.raises(ValidationError):
        plan.resubmit(cp, "ari")
    assert plan.approve(cp, "lena").status is CheckpointStatus.APPROVED
    with pytest.raises(NotFoundError):
        plan.approve("cp-none", "lena")


def test_completed_when_every_checkpoint_is_approved(plan: DevelopmentPlan) -> None:
    assert not plan.completed
    for cp in plan.checkpoints:
        plan.approve(cp.id, "lena")
    assert plan.completed


def test_employee_without_manager_cannot_be_approved(
    ctx: EngineContext, recommenders: tuple[ContentRecommender, MentorRecommender]
) -> None:
    plan = make_plan(ctx, recommenders, employee="hana", target="lead_scientist")
    assert plan.manager_id is None
    assert plan.checkpoints
    for someone in ("lena", "hana"):
        with pytest.raises(PermissionDeniedError):
            plan.approve(plan.checkpoints[0].id, someone)


def test_no_gaps_no_goals(
    ctx: EngineContext, recommenders: tuple[ContentRecommender, MentorRecommender]
) -> None:
    plan = make_plan(ctx, recommenders, employee="sam", target="scientist")
    assert plan.goals == []
    assert plan.actions == []
    assert "ready" in plan.flags


def test_round_trip_through_a_dict(plan: DevelopmentPlan) -> None:
    plan.approve(plan.checkpoints[0].id, "lena", "ok", on=START)
    data = json.loads(json.dumps(plan.to_dict()))
    assert DevelopmentPlan.from_dict(data) == plan
    with pytest.raises(ValidationError):
        DevelopmentPlan.from_dict({"id": "x"})


def test_builds_its_own_recommenders_and_checks_options(ctx: EngineContext) -> None:
    plan = build_plan(ctx, "ari", "scientist", start=START)
    assert plan.goals
    assert plan.actions
    with pytest.raises(ValidationError):
        build_plan(ctx, "ari", "scientist", options=PlanOptions(hours_per_week=0))
    with pytest.raises(NotFoundError):
        build_plan(ctx, "nobody", "scientist")
