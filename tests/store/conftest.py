"""A store per test: SQLite in a temp dir always; PostgreSQL when TEST_POSTGRES_URL
is set."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import create_engine

from skillgraph.data.schema import (
    Employee,
    Feedback,
    FeedbackVerdict,
    LearningItem,
    MentorOffer,
    Records,
    RelationKind,
    Role,
    RoleSpell,
    Skill,
    SkillLevel,
    SkillRelation,
    SkillRequirement,
    SkillTaught,
    TargetKind,
)
from skillgraph.store import Store
from skillgraph.store import tables as store_tables

POSTGRES_URL = os.environ.get("TEST_POSTGRES_URL")


def reset_postgres(url: str) -> None:
    engine = create_engine(url)
    store_tables.metadata.drop_all(engine)
    engine.dispose()


@pytest.fixture(
    params=[
        "sqlite",
        pytest.param("postgres", marks=pytest.mark.postgres),
    ]
)
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'store.db'}"
    if not POSTGRES_URL:
        pytest.skip("TEST_POSTGRES_URL is not set")
    reset_postgres(POSTGRES_URL)
    return POSTGRES_URL


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    opened = Store(store_url)
    yield opened
    opened.close()


def small_company() -> Records:
    """Three skills, two roles, a manager with two reports, one mentor offer, one course."""
    skills = {
        s.id: s
        for s in (
            Skill("py", "Python programming"),
            Skill("sql", "SQL"),
            Skill("ml", "Machine learning"),
        )
    }
    roles = {
        r.id: r
        for r in (
            Role("analyst", "Data analyst", requirements=(SkillRequirement("sql", 3.0),)),
            Role(
                "ds",
                "Data scientist",
                seniority=3,
                requirements=(SkillRequirement("py", 3.0), SkillRequirement("ml", 3.0, 0.8)),
            ),
        )
    }
    employees = {
        e.id: e
        for e in (
            Employee("boss", "Bea Boss", "ds", skills=(SkillLevel("ml", 5.0),)),
            Employee(
                "ann",
                "Ann A",
                "analyst",
                manager_id="boss",
                skills=(SkillLevel("sql", 4.0), SkillLevel("py", 2.0)),
                history=(RoleSpell("analyst", date(2020, 1, 1)),),
            ),
            Employee("bob", "Bob B", "analyst", manager_id="ann", skills=(SkillLevel("sql", 2.0),)),
        )
    }
    mentors = {"m-boss": MentorOffer("m-boss", "boss", capacity=2, topics=("ml",))}
    items = {
        "c-ml": LearningItem(
            "c-ml", "Intro to ML", skills=(SkillTaught("ml", 2.0),), duration_hours=10.0
        )
    }
    feedback = {
        "f1": Feedback("f1", "ann", TargetKind.MENTOR, "m-boss", FeedbackVerdict.USEFUL, rating=5),
        "f2": Feedback("f2", "bob", TargetKind.CONTENT, "c-ml", FeedbackVerdict.ACCEPTED),
    }
    relations = [
        SkillRelation("py", "ml", RelationKind.PREREQUISITE),
        SkillRelation("sql", "py", RelationKind.RELATED, 0.5),
    ]
    return Records(
        skills=skills,
        relations=relations,
        roles=roles,
        employees=employees,
        mentors=mentors,
        items=items,
        feedback=feedback,
        sources=["test company"],
        attributions=["made up for tests"],
    )


@pytest.fixture
def company() -> Records:
    return small_company()
