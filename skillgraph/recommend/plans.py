"""Development plans: goals from the gaps, actions in the 70-20-10 mix, a timeline, checkpoints.

A plan for an employee and a target role takes the open gaps (prerequisites first) as goals. For
each goal it picks at most one action per learning channel: experience (a stretch assignment or a
project), people (a mentor, else a community) and formal (a course, article, video, podcast, book
or workshop), preferring actions already chosen for an earlier goal. An item that needs another
first brings that item along, before it. The mix reported is the share of effort hours per
channel; the 70-20-10 target is reported beside it.

Timeline: goals in order; within a goal formal first, then people, then experience (learn, get
coached, apply). Effort hours are spent at `hours_per_week`: an action spans the weeks its hours
fall in. A mentor counts `mentor_hours_per_goal` per goal it covers.

Checkpoints: one per goal, due at the end of the goal's last action. A checkpoint is `pending`
until the employee's manager approves it or returns it with a comment; a returned checkpoint goes
back to pending when the employee resubmits it. Approved is final. Anyone but the manager gets
PermissionDeniedError; any other transition is a ValidationError.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from skillgraph.data.schema import CHANNEL_SHARE, LearningChannel, Modality
from skillgraph.errors import NotFoundError, PermissionDeniedError, ValidationError
from skillgraph.recommend.base import EngineContext, Query, Recommendation
from skillgraph.recommend.gaps import GapReport, analyze_gaps, analyzer_for

if TYPE_CHECKING:
    from skillgraph.recommend.base import Recommender

CHANNEL_ORDER = (LearningChannel.FORMAL, LearningChannel.PEOPLE, LearningChannel.EXPERIENCE)
MENTORING = "mentoring"


class CheckpointStatus(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    RETURNED = "returned"


@dataclass(frozen=True)
class PlanOptions:
    hours_per_week: float = 4.0
    mentor_hours_per_goal: float = 6.0  # six one-hour sessions per goal a mentor covers
    candidates: int = 50  # content looked at per channel
    mentors: int = 5  # mentors looked at


@dataclass
class PlanGoal:
    id: str
    skill_id: str
    label: str
    from_level: float
    to_level: float
    importance: float
    provenance: str
    reached_level: float = 0.0  # what the planned actions take the employee to


@dataclass
class PlanAction:
    id: str
    goal_ids: list[str]
    channel: LearningChannel
    kind: str  # "content" | "mentor"
    target_id: str  # learning item id or mentor offer id
    title: str
    modality: str  # item modality, or "mentoring"
    effort_hours: float
    start_week: int = 1  # 1-based, inclusive
    end_week: int = 1
    reason: str = ""


@dataclass
class Checkpoint:
    id: str
    goal_id: str
    due: date
    description: str
    status: CheckpointStatus = CheckpointStatus.PENDING
    comment: str = ""
    approver_id: str | None = None
    decided_on: date | None = None


@dataclass
class DevelopmentPlan:
    id: str
    employee_id: str
    manager_id: str | None
    role_id: str
    target_role_id: str
    start: date
    hours_per_week: float
    readiness: float
    projected_readiness: float
    goals: list[PlanGoal] = field(default_factory=list)
    actions: list[PlanAction] = field(default_factory=list)
    checkpoints: list[Checkpoint] = field(default_factory=list)
    mix: dict[str, float] = field(default_factory=dict)  # channel -> share of effort hours
    target_mix: dict[str, float] = field(default_factory=dict)
    weeks: int = 0
    flags: list[str] = field(default_factory=list)

    @property
    def total_hours(self) -> float:
        return sum(a.effort_hours for a in self.actions)

    @property
    def completed(self) -> bool:
        return bool(self.checkpoints) and all(
            c.status is CheckpointStatus.APPROVED for c in self.checkpoints
        )

    def checkpoint(self, checkpoint_id: str) -> Checkpoint:
        for c in self.checkpoints:
            if c.id == checkpoint_id:
                return c
        raise NotFoundError("checkpoint", checkpoint_id)

    def approve(
        self, checkpoint_id: str, manager_id: str, comment: str = "", *, on: date | None = None
    ) -> Checkpoint:
        """pending -> approved, by the employee's manager."""
        return self._decide(checkpoint_id, manager_id, CheckpointStatus.APPROVED, comment, on)

    def return_(
        self, checkpoint_id: str, manager_id: str, comment: str, *, on: date | None = None
    ) -> Checkpoint:
        """pending -> returned, by the employee's manager, saying why."""
        if not comment.strip():
            raise ValidationError("returning a checkpoint needs a comment saying what to redo")
        return self._decide(checkpoint_id, manager_id, CheckpointStatus.RETURNED, comment, on)

    def resubmit(self, checkpoint_id: str, employee_id: str, comment: str = "") -> Checkpoint:
        """returned -> pending, by the employee."""
        if employee_id != self.employee_id:
            raise PermissionDeniedError("only the plan's employee can resubmit a checkpoint")
        cp = self.checkpoint(checkpoint_id)
        if cp.status is not CheckpointStatus.RETURNED:
            raise ValidationError(f"checkpoint {cp.id!r} is {cp.status.value}, not returned")
        cp.status, cp.comment, cp.approver_id, cp.decided_on = (
            CheckpointStatus.PENDING,
            comment,
            None,
            None,
        )
        return cp

    def _decide(
        self,
        checkpoint_id: str,
        manager_id: str,
        status: CheckpointStatus,
        comment: str,
        on: date | None,
    ) -> Checkpoint:
        cp = self.checkpoint(checkpoint_id)
        if self.manager_id is None or manager_id != self.manager_id:
            raise PermissionDeniedError(
                f"{manager_id!r} is not the manager of {self.employee_id!r}"
            )
        if cp.status is not CheckpointStatus.PENDING:
            raise ValidationError(
                f"checkpoint {cp.id!r} is {cp.status.value}; only a pending one can be "
                f"{status.value}"
            )
        cp.status, cp.comment, cp.approver_id = status, comment, manager_id
        cp.decided_on = on or date.today()
        return cp

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["start"] = self.start.isoformat()
        for action in data["actions"]:
            action["channel"] = str(action["channel"])
        for cp in data["checkpoints"]:
            cp["due"] = cp["due"].isoformat()
            cp["status"] = str(cp["status"])
            cp["decided_on"] = cp["decided_on"].isoformat() if cp["decided_on"] else None
        data["total_hours"] = self.total_hours
        data["completed"] = self.completed
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> DevelopmentPlan:
        try:
            return cls(
                id=data["id"],
                employee_id=data["employee_id"],
                manager_id=data.get("manager_id"),
                role_id=data["role_id"],
                target_role_id=data["target_role_id"],
                start=date.fromisoformat(data["start"]),
                hours_per_week=float(data["hours_per_week"]),
                readiness=float(data["readiness"]),
                projected_readiness=float(data["projected_readiness"]),
                goals=[PlanGoal(**g) for g in data.get("goals", [])],
                actions=[
                    PlanAction(**{**a, "channel": LearningChannel(a["channel"])})
                    for a in data.get("actions", [])
                ],
                checkpoints=[_checkpoint_from(c) for c in data.get("checkpoints", [])],
                mix=dict(data.get("mix", {})),
                target_mix=dict(data.get("target_mix", {})),
                weeks=int(data.get("weeks", 0)),
                flags=list(data.get("flags", [])),
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise ValidationError(f"not a development plan: {exc}") from None


def _checkpoint_from(data: dict[str, Any]) -> Checkpoint:
    decided = data.get("decided_on")
    return Checkpoint(
        id=data["id"],
        goal_id=data["goal_id"],
        due=date.fromisoformat(data["due"]),
        description=data["description"],
        status=CheckpointStatus(data.get("status", "pending")),
        comment=data.get("comment", ""),
        approver_id=data.get("approver_id"),
        decided_on=date.fromisoformat(decided) if decided else None,
    )


# building ---------------------------------------------------------------------------------
def build_plan(
    ctx: EngineContext,
    employee_id: str,
    target_role_id: str,
    *,
    content: Recommender | None = None,
    mentors: Recommender | None = None,
    options: PlanOptions | None = None,
    start: date | None = None,
    plan_id: str | None = None,
) -> DevelopmentPlan:
    """A plan closing the employee's gaps for the target role. `content` and `mentors` are
    fitted recommenders (fitted here on `ctx` when not given)."""
    options = options or PlanOptions()
    if options.hours_per_week <= 0:
        raise ValidationError(f"hours_per_week must be positive, got {options.hours_per_week}")
    employee = ctx.employee(employee_id)
    report = analyze_gaps(ctx, employee, target_role_id, analyzer=analyzer_for(ctx))
    start = start or date.today()
    goals = [
        PlanGoal(
            id=f"g{i}",
            skill_id=row.skill_id,
            label=row.label,
            from_level=row.current_level,
            to_level=row.required_level,
            importance=row.importance,
            provenance=row.provenance.value,
            reached_level=row.current_level,
        )
        for i, row in enumerate(report.gaps, start=1)
    ]
    plan = DevelopmentPlan(
        id=plan_id or f"plan-{employee_id}-{target_role_id}-{start.isoformat()}",
        employee_id=employee_id,
        manager_id=employee.manager_id,
        role_id=employee.role_id,
        target_role_id=target_role_id,
        start=start,
        hours_per_week=options.hours_per_week,
        readiness=report.readiness,
        projected_readiness=report.readiness,
        goals=goals,
        target_mix={c.value: share for c, share in CHANNEL_SHARE.items()},
        flags=sorted(report.flags),
    )
    if not goals:
        plan.flags.append("ready")
        return plan
    query = Query(employee_id=employee_id, target_role_id=target_role_id)
    by_channel, first = _content_by_channel(ctx, content, query, options)
    picker = _ActionPicker(ctx, plan, options, first)
    picker.pick(by_channel, _mentors(ctx, mentors, query))
    _schedule(plan, options)
    _reach(plan, report, picker.reached)
    return plan


def _content_by_channel(
    ctx: EngineContext, content: Recommender | None, query: Query, options: PlanOptions
) -> tuple[dict[LearningChannel, list[Recommendation]], dict[str, list[str]]]:
    """Candidates per channel, and for every item what to take first: computed over the whole
    catalogue, since a prerequisite may be taught in another channel than the item."""
    if content is None:
        from skillgraph.recommend.content import ContentRecommender

        content = ContentRecommender().fit(ctx)
    k = min(options.candidates, ctx.settings.recommend.max_k)

    def ask(filters: dict[str, Any]) -> list[Recommendation]:
        return content.recommend(
            Query(
                employee_id=query.employee_id,
                target_role_id=query.target_role_id,
                k=k,
                filters={**filters, "mmr_lambda": 1.0},
            )
        )

    by_channel = {channel: ask({"channel": channel.value}) for channel in LearningChannel}
    first = {r.item_id: list(r.payload.get("requires_first", [])) for r in ask({})}
    return by_channel, first


def _mentors(ctx: EngineContext, mentors: Recommender | None, query: Query) -> list[Recommendation]:
    if mentors is None:
        from skillgraph.recommend.mentors import MentorRecommender

        mentors = MentorRecommender().fit(ctx)
    return mentors.recommend(
        Query(employee_id=query.employee_id, target_role_id=query.target_role_id, k=5)
    )


class _ActionPicker:
    """Per goal at most one action per channel, reusing actions chosen for earlier goals."""

    def __init__(
        self,
        ctx: EngineContext,
        plan: DevelopmentPlan,
        options: PlanOptions,
        first: dict[str, list[str]],
    ) -> None:
        self.ctx = ctx
        self.first = first  # item id -> items to take before it
        self.plan = plan
        self.options = options
        self.by_target: dict[str, PlanAction] = {}
        self.reached: dict[str, float] = {}  # goal skill -> best level the actions reach

    def pick(
        self,
        content: dict[LearningChannel, list[Recommendation]],
        mentors: list[Recommendation],
    ) -> None:
        for goal in self.plan.goals:
            found = False
            for channel in CHANNEL_ORDER:
                options = list(content.get(channel, []))
                if channel is LearningChannel.PEOPLE:
                    found |= self._take_mentor(goal, mentors) or self._take_item(goal, options)
                else:
                    found |= self._take_item(goal, options)
            if not found:
                self.plan.flags.append(f"no_action_for:{goal.skill_id}")

    def _take_item(self, goal: PlanGoal, recs: list[Recommendation]) -> bool:
        fitting = [r for r in recs if goal.skill_id in r.payload.get("reaches", {})]
        if not fitting:
            return False
        # the item going furthest on this goal; among equals one already planned, then rank
        rec = min(
            fitting,
            key=lambda r: (
                -min(float(r.payload["reaches"][goal.skill_id]), goal.to_level),
                r.item_id not in self.by_target,
                fitting.index(r),
            ),
        )
        helpers = list(rec.payload.get("requires_first", []))
        if not helpers and rec.payload.get("unmet_prerequisites"):
            helpers = self.first.get(rec.item_id, [])
        for helper in helpers:
            self._add_item(goal, helper, None)
        self._add_item(goal, rec.item_id, rec)
        self._note(goal, float(rec.payload["reaches"][goal.skill_id]))
        return True

    def _take_mentor(self, goal: PlanGoal, recs: list[Recommendation]) -> bool:
        fitting = [r for r in recs if goal.skill_id in r.payload.get("mentor_levels", {})]
        if not fitting:
            return False
        reused = [r for r in fitting if r.item_id in self.by_target]
        rec = (reused or fitting)[0]
        action = self.by_target.get(rec.item_id)
        if action is None:
            action = PlanAction(
                id=f"a{len(self.plan.actions) + 1}",
                goal_ids=[],
                channel=LearningChannel.PEOPLE,
                kind="mentor",
                target_id=rec.item_id,
                title=f"Mentoring with {rec.payload.get('name', rec.item_id)}",
                modality=MENTORING,
                effort_hours=0.0,
                reason=rec.explanation.text,
            )
            self._register(action)
        if goal.id not in action.goal_ids:
            action.goal_ids.append(goal.id)
            action.effort_hours += self.options.mentor_hours_per_goal
        level = float(rec.payload["mentor_levels"][goal.skill_id])
        self._note(goal, min(level, goal.to_level))
        return True

    def _add_item(self, goal: PlanGoal, item_id: str, rec: Recommendation | None) -> None:
        action = self.by_target.get(item_id)
        if action is None:
            item = self.ctx.item(item_id)
            action = PlanAction(
                id=f"a{len(self.plan.actions) + 1}",
                goal_ids=[],
                channel=item.channel,
                kind="content",
                target_id=item.id,
                title=item.title,
                modality=Modality(item.modality).value,
                effort_hours=float(item.duration_hours),
                reason=rec.explanation.text if rec else "teaches a prerequisite of the next item",
            )
            self._register(action)
        if goal.id not in action.goal_ids:
            action.goal_ids.append(goal.id)

    def _register(self, action: PlanAction) -> None:
        self.plan.actions.append(action)
        self.by_target[action.target_id] = action

    def _note(self, goal: PlanGoal, level: float) -> None:
        self.reached[goal.skill_id] = max(self.reached.get(goal.skill_id, 0.0), level)


def _schedule(plan: DevelopmentPlan, options: PlanOptions) -> None:
    """Actions in goal order (formal, people, experience within a goal), hours spent at
    hours_per_week; checkpoints due when a goal's last action ends."""
    rate = options.hours_per_week
    ordered: list[PlanAction] = []
    for goal in plan.goals:
        # picked formal, people, experience, each after the items it needs first
        ordered.extend(a for a in plan.actions if a.goal_ids and a.goal_ids[0] == goal.id)
    plan.actions = ordered
    hours = 0.0
    end_of_goal: dict[str, int] = {}
    for action in ordered:
        action.start_week = int(hours // rate) + 1
        hours += action.effort_hours
        action.end_week = max(action.start_week, math.ceil(hours / rate - 1e-9))
        for goal_id in action.goal_ids:
            end_of_goal[goal_id] = max(end_of_goal.get(goal_id, 0), action.end_week)
    plan.weeks = max(end_of_goal.values(), default=0)
    last = 0
    for i, goal in enumerate(plan.goals, start=1):
        week = end_of_goal.get(goal.id, last + 1)
        last = max(last, week)
        plan.checkpoints.append(
            Checkpoint(
                id=f"cp{i}",
                goal_id=goal.id,
                due=plan.start + timedelta(weeks=week),
                description=(
                    f"{goal.label}: show level {_fmt(goal.to_level)} (from {_fmt(goal.from_level)})"
                ),
            )
        )
    plan.weeks = max(plan.weeks, last)
    total = sum(a.effort_hours for a in ordered)
    plan.mix = {
        c.value: (sum(a.effort_hours for a in ordered if a.channel is c) / total if total else 0.0)
        for c in LearningChannel
    }


def _reach(plan: DevelopmentPlan, report: GapReport, reached: dict[str, float]) -> None:
    for goal in plan.goals:
        goal.reached_level = max(
            goal.from_level, min(reached.get(goal.skill_id, 0.0), goal.to_level)
        )
    plan.projected_readiness = report.readiness_with(
        {g.skill_id: g.reached_level for g in plan.goals}
    )


def _fmt(level: float) -> str:
    return f"{level:.1f}".rstrip("0").rstrip(".")
