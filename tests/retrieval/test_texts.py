"""Text recipes: most informative words first, within the model's window."""

from __future__ import annotations

from skillgraph.data.schema import (
    Employee,
    LearningItem,
    MentorMode,
    MentorOffer,
    Role,
    Skill,
    SkillLevel,
    SkillRequirement,
    SkillTaught,
)
from skillgraph.retrieval.texts import (
    MAX_WORDS,
    employee_text,
    item_text,
    mentor_text,
    role_text,
    skill_text,
)

LABELS = {"py": "Python", "sql": "SQL", "stats": "statistics", "ml": "machine learning"}


def test_skill_text_label_first_then_alternatives_and_description() -> None:
    skill = Skill("py", "Python", alt_labels=("python", "Python 3", "py"), description="A language")
    text = skill_text(skill)
    assert text.startswith("Python.")
    assert "Python 3" in text
    assert "A language." in text
    assert text.count("python") == 0  # the label again in lower case adds nothing


def test_role_text_ranks_skills_by_importance_and_can_leave_them_out() -> None:
    role = Role(
        "da",
        "Data analyst",
        description="Turns data into decisions",
        requirements=(
            SkillRequirement("ml", 2, importance=0.2),
            SkillRequirement("sql", 3, importance=1.0),
            SkillRequirement("stats", 3, importance=0.8),
            SkillRequirement("unknown", 3, importance=0.9),
        ),
    )
    text = role_text(role, LABELS)
    assert text.startswith("Data analyst.")
    assert text.index("SQL") < text.index("statistics") < text.index("machine learning")
    assert "unknown" not in text
    assert "Key skills" not in role_text(role, LABELS, max_skills=0)


def test_employee_text_lists_strongest_skills_with_level_names() -> None:
    emp = Employee(
        "e1",
        "Ada",
        "da",
        skills=(SkillLevel("sql", 2), SkillLevel("py", 5)),
        interests=("ml", "leading teams"),
        about="I like puzzles",
    )
    text = employee_text(emp, "Data analyst", LABELS)
    assert text.startswith("Data analyst.")
    assert text.index("Python (expert)") < text.index("SQL (basic)")
    assert "machine learning" in text
    assert "leading teams" in text
    assert "I like puzzles" in text


def test_mentor_text_uses_topics_or_strong_skills() -> None:
    emp = Employee("e1", "Ada", "da", skills=(SkillLevel("sql", 4), SkillLevel("ml", 1)))
    with_topics = mentor_text(MentorOffer("m1", "e1", 2, topics=("py",)), emp, LABELS)
    assert "Python" in with_topics
    assert "SQL" not in with_topics
    open_offer = mentor_text(MentorOffer("m2", "e1", 2, modes=(MentorMode.REVERSE,)), emp, LABELS)
    assert "SQL" in open_offer
    assert "machine learning" not in open_offer
    assert "reverse" in open_offer


def test_item_text_and_clipping() -> None:
    item = LearningItem(
        "c1",
        "Intro to SQL",
        description="Querying databases. " * 100,
        skills=(SkillTaught("sql", 3),),
        syllabus="select, join",
    )
    text = item_text(item, LABELS)
    assert text.startswith("Intro to SQL.")
    assert len(text.split()) == MAX_WORDS
    short = item_text(LearningItem("c2", "Intro", skills=(SkillTaught("sql", 3),)), LABELS)
    assert "Teaches: SQL (intermediate)" in short
