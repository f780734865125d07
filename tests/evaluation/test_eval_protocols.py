"""Protocols hold out what is predicted and build the right judgements (no engine needed)."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from evaluation.groundtruth import GroundTruth, Task
from evaluation.protocols import (
    groundtruth,
    last_move,
    mentor_feedback,
    next_role,
    rewind,
    skill_inference,
)
from skillgraph.data.schema import (
    Employee,
    Feedback,
    FeedbackVerdict,
    MentorOffer,
    Records,
    Role,
    RoleSpell,
    Skill,
    SkillLevel,
    SkillRequirement,
    TargetKind,
)
from skillgraph.errors import ValidationError


def _role(rid: str, family: str = "Data", description: str = "Does data work.") -> Role:
    reqs = (
        SkillRequirement("sql", 3.0, 1.0),
        SkillRequirement("python", 2.0, 0.5),
    )
    return Role(rid, rid.title(), description=description, family=family, requirements=reqs)


def _records() -> Records:
    records = Records()
    records.skills = {s: Skill(s, s.upper()) for s in ("sql", "python")}
    records.roles = {
        "analyst": _role("analyst"),
        "scientist": _role("scientist"),
        "lead": _role("lead", description=""),
        "sales": _role("sales", family="Sales"),
    }
    records.employees = {
        "mover": Employee(
            "mover",
            "M",
            "scientist",
            department="Data",
            location="London",
            skills=(SkillLevel("python", 4.0),),
            history=(
                RoleSpell("analyst", date(2018, 1, 1), date(2020, 12, 31)),
                RoleSpell("scientist", date(2021, 1, 1)),
            ),
        ),
        "stayer": Employee(
            "stayer", "S", "analyst", history=(RoleSpell("analyst", date(2019, 1, 1)),)
        ),
        "mentor": Employee("mentor", "T", "lead", department="Data"),
    }
    records.mentors = {"offer-1": MentorOffer("offer-1", "mentor", capacity=2)}
    records.feedback = {
        "f1": Feedback(
            "f1", "mover", TargetKind.ROLE, "scientist", FeedbackVerdict.ACCEPTED,
            created_at=datetime(2021, 2, 1),
        ),
        "f2": Feedback("f2", "mover", TargetKind.MENTOR, "offer-1", FeedbackVerdict.ACCEPTED, 5),
        "f3": Feedback("f3", "stayer", TargetKind.MENTOR, "mentor", FeedbackVerdict.USEFUL, 4),
        "f4": Feedback("f4", "stayer", TargetKind.MENTOR, "offer-1", FeedbackVerdict.DECLINED, 5),
        "f5": Feedback("f5", "mentor", TargetKind.MENTOR, "offer-1", FeedbackVerdict.ACCEPTED, 3),
    }  # fmt: skip
    return records


def test_last_move_and_rewind() -> None:
    emp = _records().employees["mover"]
    move = last_move(emp)
    assert move is not None
    assert (move.from_role, move.to_role, move.start) == ("analyst", "scientist", date(2021, 1, 1))
    before = rewind(emp, move)
    assert before.role_id == "analyst"
    assert [s.role_id for s in before.history] == ["analyst"]
    assert before.history[0].end is None  # the previous role is current again
    assert before.skills == emp.skills  # skills as they are (the documented leak)


def test_last_move_ignores_repeated_spells_and_undated_current_role() -> None:
    same = Employee(
        "x", "X", "analyst",
        history=(RoleSpell("analyst", date(2019, 1, 1)), RoleSpell("analyst", date(2020, 1, 1))),
    )  # fmt: skip
    assert last_move(same) is None
    promoted = Employee("y", "Y", "lead", history=(RoleSpell("analyst", date(2019, 1, 1)),))
    move = last_move(promoted)
    assert move is not None
    assert (move.from_role, move.to_role) == ("analyst", "lead")
    assert rewind(promoted, move).role_id == "analyst"


def test_next_role_holds_out_the_move_and_leaves_the_input_alone() -> None:
    records = _records()
    prepared = next_role(records)
    assert prepared.task is Task.NEXT_ROLE
    assert prepared.qrels == {"mover": {"scientist": 1}}
    assert prepared.train.employees["mover"].role_id == "analyst"
    assert "f1" not in prepared.train.feedback  # role feedback after the move
    assert "f2" in prepared.train.feedback
    assert records.employees["mover"].role_id == "scientist"
    assert "f1" in records.feedback
    (query,) = prepared.queries
    assert query.employee_id == "mover"
    assert query.groups["department"] == "Data"
    assert "Analyst" in query.text
    assert prepared.skipped["no move in history"] == 2
    assert any("Leak caveat" in n for n in prepared.notes)


def test_skill_inference_strips_a_seeded_sample_of_roles() -> None:
    records = _records()
    first = skill_inference(records, sample=2, seed=7)
    assert first.qrels.keys() == skill_inference(records, sample=2, seed=7).qrels.keys()
    assert len(first.qrels) == 2
    assert "lead" not in first.qrels  # no description, not eligible
    for rid, judged in first.qrels.items():
        assert judged == {"sql": 2, "python": 1}
        assert first.train.roles[rid].requirements == ()
        assert records.roles[rid].requirements  # input untouched
    query = first.queries[0]
    assert "SQL" not in query.text  # the description only, not the skill list
    with pytest.raises(ValidationError):
        skill_inference(records, sample=0)


def test_mentor_feedback_uses_accepted_high_ratings_as_people() -> None:
    prepared = mentor_feedback(_records(), min_rating=4)
    assert prepared.qrels == {"mover": {"mentor": 2}, "stayer": {"mentor": 1}}
    assert "f2" not in prepared.train.feedback
    assert "f3" not in prepared.train.feedback
    assert "f4" in prepared.train.feedback  # declined: kept, not a judgement
    assert prepared.skipped["not accepted or rated too low"] == 2
    assert mentor_feedback(_records(), min_rating=5).qrels == {"mover": {"mentor": 2}}


def test_groundtruth_protocol_forms_queries_and_reports_unknown_ids() -> None:
    truth = GroundTruth(
        Task.NEXT_ROLE, {"stayer": {"lead": 1, "ghost": 1}, "nobody": {"x": 1}}, "g"
    )
    prepared = groundtruth(_records(), truth)
    assert prepared.qrels == {"stayer": {"lead": 1}}
    assert [q.employee_id for q in prepared.queries] == ["stayer"]
    assert prepared.unknown is not None
    assert {u.kind for u in prepared.unknown.unknown} == {"query employee", "item role"}
    roles = groundtruth(_records(), GroundTruth(Task.ROLE_SKILLS, {"analyst": {"sql": 1}}, "r"))
    assert roles.queries[0].role_id == "analyst"
    assert roles.queries[0].text.startswith("Analyst")
