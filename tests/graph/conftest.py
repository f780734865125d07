"""Graph fixtures: a small ontology with known answers, and the real ESCO graph built once."""

from __future__ import annotations

from pathlib import Path

import pytest

from skillgraph.data.esco import load_esco
from skillgraph.data.schema import (
    Records,
    RelationKind,
    Role,
    Skill,
    SkillKind,
    SkillRelation,
    SkillRequirement,
)
from skillgraph.graph.ontology import SkillGraph

GROUPS = ("eng", "prog", "soft", "comm")
BROADER = {  # narrower -> broader
    "prog": ("eng",),
    "py": ("prog",),
    "java": ("prog",),
    "django": ("py",),
    "flask": ("py",),
    "ml": ("py", "stats"),  # two parents
    "comm": ("soft",),
    "writing": ("comm",),
}
RELATED = (("py", "stats", 1.0), ("writing", "stats", 0.5))
PREREQUISITES = (("py", "django"), ("py", "flask"), ("stats", "ml"))  # first comes before second


def tiny_records() -> Records:
    """eng > prog > {py > {django, flask, ml}, java}; soft > comm > writing; stats > ml."""
    names = [*GROUPS, "py", "java", "django", "flask", "ml", "stats", "writing"]
    skills = {
        n: Skill(n, n.title(), kind=SkillKind.GROUP if n in GROUPS else SkillKind.SKILL)
        for n in names
    }
    relations = [
        SkillRelation(child, parent, RelationKind.BROADER)
        for child, parents in BROADER.items()
        for parent in parents
    ]
    relations += [SkillRelation(a, b, RelationKind.RELATED, w) for a, b, w in RELATED]
    relations += [SkillRelation(a, b, RelationKind.PREREQUISITE) for a, b in PREREQUISITES]
    roles = {
        "dev": Role(
            "dev",
            "Developer",
            family="ENG 1 Engineering",
            requirements=(SkillRequirement("py", 3.0, 1.0), SkillRequirement("django", 3.0, 0.5)),
        ),
        "ds": Role(
            "ds",
            "Data scientist",
            family="ENG 1 Engineering",
            requirements=(
                SkillRequirement("stats", 4.0, 1.0),
                SkillRequirement("ml", 3.0, 1.0),
                SkillRequirement("py", 2.0, 0.5),
            ),
        ),
        "writer": Role(
            "writer",
            "Writer",
            family="COM 2 Communication",
            requirements=(SkillRequirement("writing", 3.0, 1.0),),
        ),
    }
    return Records(skills=skills, relations=relations, roles=roles, sources=["tiny"])


@pytest.fixture
def records() -> Records:
    """A fresh copy of the tiny ontology's records, free to change."""
    return tiny_records()


@pytest.fixture(scope="session")
def graph() -> SkillGraph:
    """The tiny ontology, built once: a SkillGraph is immutable."""
    return SkillGraph.build(tiny_records())


@pytest.fixture(scope="session")
def esco_graph(esco_dir: Path) -> SkillGraph:
    """The full ESCO ontology, loaded and built once per session."""
    return SkillGraph.build(load_esco(esco_dir))
