"""SkillGraph queries on a small ontology with known answers, invariants, and the real ESCO."""

from __future__ import annotations

import itertools

import networkx as nx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from skillgraph.data.schema import (
    Records,
    RelationKind,
    Role,
    Skill,
    SkillRelation,
    SkillRequirement,
)
from skillgraph.errors import CycleError, DatasetError, NotFoundError
from skillgraph.graph.ontology import EdgeKind, NodeKind, SkillGraph

GROUPS = {"eng", "prog", "soft", "comm"}  # the tiny ontology of conftest.py
SKILLS = sorted({*GROUPS, "py", "java", "django", "flask", "ml", "stats", "writing"})


def test_counts_by_node_and_edge_kind(graph: SkillGraph) -> None:
    assert graph.counts() == {
        "skill": 7,
        "group": 4,
        "role": 3,
        "broader": 9,
        "narrower": 9,
        "related": 4,  # both ways
        "prerequisite": 3,
        "requires": 6,
    }


def test_networkx_view_matches_counts(graph: SkillGraph) -> None:
    g = graph.g
    assert isinstance(g, nx.MultiDiGraph)
    assert g.nodes["py"]["kind"] is NodeKind.SKILL
    assert g.nodes["prog"]["kind"] is NodeKind.GROUP
    assert g.nodes["dev"]["kind"] is NodeKind.ROLE
    assert g.has_edge("py", "prog", key=EdgeKind.BROADER)
    assert g.has_edge("prog", "py", key=EdgeKind.NARROWER)
    assert g.has_edge("stats", "py", key=EdgeKind.RELATED)
    assert g.has_edge("py", "stats", key=EdgeKind.RELATED)
    assert g.edges["writing", "stats", EdgeKind.RELATED]["weight"] == 0.5
    assert g.has_edge("py", "django", key=EdgeKind.PREREQUISITE)
    requires = g.edges["ds", "stats", EdgeKind.REQUIRES]
    assert (requires["level"], requires["importance"]) == (4, 1.0)
    by_kind: dict[str, int] = {}
    for _, _, kind in g.edges(data="kind"):
        by_kind[kind] = by_kind.get(kind, 0) + 1
    assert by_kind == {k: v for k, v in graph.counts().items() if k in set(EdgeKind) and v}


def test_lookups_and_unknown_ids(graph: SkillGraph) -> None:
    assert graph.skill("py").label == "Py"
    assert graph.role("dev").title == "Developer"
    assert graph.has_skill("py")
    assert not graph.has_skill("dev")
    with pytest.raises(NotFoundError, match="unknown skill id: 'cobol'"):
        graph.skill("cobol")
    with pytest.raises(NotFoundError, match="role"):
        graph.role("py")
    for query in (graph.broader, graph.ancestors, graph.related, graph.roles_requiring):
        with pytest.raises(NotFoundError):
            query("cobol")


def test_hierarchy(graph: SkillGraph) -> None:
    assert graph.broader("ml") == ["py", "stats"]
    assert sorted(graph.narrower("py")) == ["django", "flask", "ml"]
    assert graph.ancestors("ml") == {"py", "prog", "eng", "stats"}
    assert graph.ancestors("eng") == set()
    assert graph.descendants("prog") == {"py", "java", "django", "flask", "ml"}
    assert graph.depth("eng") == 0
    assert graph.depth("ml") == 3  # the longest chain: ml > py > prog > eng


def test_ancestors_are_copies(graph: SkillGraph) -> None:
    graph.ancestors("ml").clear()
    assert graph.ancestors("ml") == {"py", "prog", "eng", "stats"}


def test_related_radius(graph: SkillGraph) -> None:
    assert graph.related("py") == {"prog": 1, "django": 1, "flask": 1, "ml": 1, "stats": 1}
    two = graph.related("py", radius=2)
    assert {k for k, v in two.items() if v == 2} == {"eng", "java", "writing"}
    assert "py" not in two
    assert graph.related("py", radius=0) == {}
    skills_only = graph.related("py", radius=2, include_groups=False)
    assert skills_only == {k: v for k, v in two.items() if k not in GROUPS}


def test_prerequisites(graph: SkillGraph) -> None:
    assert graph.prerequisites("django") == ["py"]
    assert graph.prerequisites("py") == []
    assert graph.all_prerequisites("ml") == {"stats"}


def test_prerequisite_order_is_stable(graph: SkillGraph) -> None:
    assert graph.prerequisite_order(["ml", "django", "stats", "py"]) == [
        "stats",
        "ml",
        "py",
        "django",
    ]
    assert graph.prerequisite_order(["java", "writing"]) == ["java", "writing"]
    assert graph.prerequisite_order(["django", "django", "py"]) == ["py", "django"]
    assert graph.prerequisite_order([]) == []


def test_prerequisite_order_sees_through_skills_not_given() -> None:
    records = Records(
        skills={n: Skill(n, n) for n in "abc"},
        relations=[
            SkillRelation("a", "b", RelationKind.PREREQUISITE),
            SkillRelation("b", "c", RelationKind.PREREQUISITE),
        ],
    )
    graph = SkillGraph.build(records)
    assert graph.prerequisite_order(["c", "a"]) == ["a", "c"]
    assert graph.all_prerequisites("c") == {"a", "b"}


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ("django", "flask", 2 * 2 / (3 + 3)),  # siblings under py (depth 2)
        ("py", "java", 2 * 1 / (2 + 2)),  # siblings under prog (depth 1)
        ("py", "prog", 2 * 1 / (2 + 1)),  # parent and child
        ("ml", "django", 2 * 2 / (3 + 3)),  # deepest common ancestor is py
        ("py", "stats", 0.5),  # no common ancestor, one related hop
        ("writing", "py", 0.25),  # two related hops
        ("writing", "django", 0.0),  # three related hops, different roots
        ("prog", "comm", 0.0),  # nothing shared
        ("java", "comm", 0.0),
    ],
)
def test_similarity_known_values(graph: SkillGraph, a: str, b: str, expected: float) -> None:
    assert graph.similarity(a, b) == pytest.approx(expected)
    assert graph.similarity(b, a) == pytest.approx(expected)


def test_sharing_only_a_root_counts_for_nothing() -> None:
    skills = {n: Skill(n, n) for n in ("root", "x", "y")}
    relations = [SkillRelation(c, "root", RelationKind.BROADER) for c in ("x", "y")]
    graph = SkillGraph.build(Records(skills=skills, relations=relations))
    assert graph.similarity("x", "y") == 0.0


@given(a=st.sampled_from(SKILLS), b=st.sampled_from(SKILLS))
def test_similarity_properties(graph: SkillGraph, a: str, b: str) -> None:
    value = graph.similarity(a, b)
    assert 0.0 <= value <= 1.0
    assert value == graph.similarity(b, a)
    assert (value == 1.0) == (a == b)


def test_roles(graph: SkillGraph) -> None:
    assert [r.skill_id for r in graph.role_profile("ds")] == ["stats", "ml", "py"]
    assert graph.roles_requiring("py") == ["dev", "ds"]  # importance 1.0 before 0.5
    assert graph.roles_requiring("ml") == ["ds"]
    assert graph.roles_requiring("java") == []
    assert graph.roles_in_family("ENG 1 Engineering") == ["dev", "ds"]
    assert graph.roles_in_family("ENG 1") == ["dev", "ds"]
    assert graph.roles_in_family("ENG") == ["dev", "ds"]  # leading words
    assert graph.roles_in_family("EN") == []  # not a word boundary
    assert graph.roles_in_family("Engineering") == []
    assert graph.roles_in_family("COM 2") == ["writer"]


def test_family_subgraph(graph: SkillGraph) -> None:
    sub = graph.family_subgraph("ENG 1")
    assert set(sub.nodes) == {"dev", "ds", "py", "django", "stats", "ml"}
    assert sub.has_edge("ds", "ml", key=EdgeKind.REQUIRES)
    assert sub.has_edge("ml", "py", key=EdgeKind.BROADER)
    assert sub.has_edge("py", "django", key=EdgeKind.PREREQUISITE)
    assert not sub.has_node("prog")
    sub.remove_node("py")
    assert graph.g.has_node("py")  # a copy


def test_with_roles_replaces_and_adds(graph: SkillGraph) -> None:
    changed = graph.with_roles(
        {
            "dev": Role(
                "dev",
                "Developer",
                family="ENG 1 Engineering",
                requirements=(SkillRequirement("java", 3.0, 1.0),),
            ),
            "pm": Role("pm", "Product manager", requirements=(SkillRequirement("writing", 2.0),)),
        }
    )
    assert [r.skill_id for r in changed.role_profile("dev")] == ["java"]
    assert changed.roles_requiring("py") == ["ds"]
    assert changed.roles_requiring("writing") == ["writer", "pm"]
    assert changed.g.has_edge("dev", "java", key=EdgeKind.REQUIRES)
    assert not changed.g.has_edge("dev", "py", key=EdgeKind.REQUIRES)
    assert changed.counts()["role"] == 4
    # the original is untouched
    assert [r.skill_id for r in graph.role_profile("dev")] == ["py", "django"]
    assert "pm" not in graph.records.roles
    assert graph.roles_requiring("py") == ["dev", "ds"]
    assert changed.similarity("django", "flask") == graph.similarity("django", "flask")


def test_with_roles_validates(graph: SkillGraph) -> None:
    with pytest.raises(DatasetError, match="cobol"):
        graph.with_roles({"x": Role("x", "X", requirements=(SkillRequirement("cobol", 2.0),))})
    with pytest.raises(DatasetError, match="both a skill and a role"):
        graph.with_roles({"py": Role("py", "Python person")})


def test_build_rejects_unknown_ids(records: Records) -> None:
    records.relations.append(SkillRelation("py", "rust", RelationKind.RELATED))
    with pytest.raises(DatasetError, match="rust"):
        SkillGraph.build(records)


def test_build_rejects_skill_and_role_with_one_id(records: Records) -> None:
    records.roles["py"] = Role("py", "Pythonista")
    with pytest.raises(DatasetError, match="both a skill and a role"):
        SkillGraph.build(records)


def test_build_names_a_prerequisite_cycle(records: Records) -> None:
    records.relations.append(SkillRelation("django", "py", RelationKind.PREREQUISITE))
    with pytest.raises(CycleError) as caught:
        SkillGraph.build(records)
    assert set(caught.value.cycle) == {"py", "django"}
    assert "py" in str(caught.value)
    assert "django" in str(caught.value)


def test_build_names_a_broader_cycle(records: Records) -> None:
    records.relations.append(SkillRelation("eng", "django", RelationKind.BROADER))
    with pytest.raises(DatasetError, match="broader cycle") as caught:
        SkillGraph.build(records)
    assert all(n in str(caught.value) for n in ("eng", "prog", "py", "django"))


def test_repeated_and_reversed_related_relations_collapse(records: Records) -> None:
    records.relations.append(SkillRelation("stats", "py", RelationKind.RELATED, 0.5))
    records.relations.append(SkillRelation("py", "stats", RelationKind.RELATED, 1.0))
    graph = SkillGraph.build(records)
    assert graph.counts()["related"] == 4
    assert graph.g.edges["stats", "py", EdgeKind.RELATED]["weight"] == 1.0


# -- invariants on random graphs ---------------------------------------------------------------


@st.composite
def dags(draw: st.DrawFn) -> tuple[list[str], list[tuple[str, str]]]:
    """Skill ids in a random order and prerequisite edges that go forward in a hidden order."""
    n = draw(st.integers(min_value=1, max_value=12))
    hidden = draw(st.permutations([f"s{i}" for i in range(n)]))
    pairs = [(i, j) for i, j in itertools.combinations(range(n), 2)]
    chosen = draw(st.lists(st.sampled_from(pairs), unique=True, max_size=30)) if pairs else []
    return hidden, [(hidden[i], hidden[j]) for i, j in chosen]


def _prerequisite_records(ids: list[str], edges: list[tuple[str, str]]) -> Records:
    return Records(
        skills={s: Skill(s, s) for s in sorted(ids)},
        relations=[SkillRelation(a, b, RelationKind.PREREQUISITE) for a, b in edges],
    )


@settings(max_examples=60, deadline=None)
@given(dag=dags(), data=st.data())
def test_prerequisite_order_respects_every_edge(
    dag: tuple[list[str], list[tuple[str, str]]], data: st.DataObject
) -> None:
    ids, edges = dag
    graph = SkillGraph.build(_prerequisite_records(ids, edges))
    asked = data.draw(st.lists(st.sampled_from(ids), max_size=len(ids) + 2))
    order = graph.prerequisite_order(asked)
    assert sorted(order) == sorted(set(asked))
    place = {s: i for i, s in enumerate(order)}
    closure = nx.transitive_closure_dag(nx.DiGraph(edges)) if edges else nx.DiGraph()
    for a, b in closure.edges:
        if a in place and b in place:
            assert place[a] < place[b]
    unconstrained = [
        s
        for s in dict.fromkeys(asked)
        if not any((p, s) in closure.edges or (s, p) in closure.edges for p in place)
    ]
    assert [s for s in order if s in unconstrained] == unconstrained  # stable among free skills


@settings(max_examples=60, deadline=None)
@given(dag=dags(), data=st.data())
def test_build_rejects_any_prerequisite_cycle(
    dag: tuple[list[str], list[tuple[str, str]]], data: st.DataObject
) -> None:
    ids, edges = dag
    if not edges:
        back = (ids[0], ids[0])  # a skill that needs itself
    else:
        closure = nx.transitive_closure_dag(nx.DiGraph(edges))
        a, b = data.draw(st.sampled_from(sorted(closure.edges)))
        back = (b, a)  # closes a cycle through a path a -> ... -> b
    with pytest.raises(CycleError) as caught:
        SkillGraph.build(_prerequisite_records(ids, [*edges, back]))
    cycle = caught.value.cycle
    ring = list(zip(cycle, [*cycle[1:], cycle[0]], strict=True))
    assert all(pair in {*edges, back} for pair in ring)  # the named cycle is real


# -- the real ESCO ---------------------------------------------------------------------------


@pytest.mark.realdata
@pytest.mark.slow
def test_real_esco_graph(esco_graph: SkillGraph) -> None:
    counts = esco_graph.counts()
    assert counts["skill"] == 13_896
    assert counts["role"] == 3_007
    assert counts["broader"] == counts["narrower"] > 20_000
    assert counts["prerequisite"] == 0
    by_label = {s.label: s.id for s in esco_graph.records.skills.values()}
    python = by_label["Python (computer programming)"]
    programming = by_label["computer programming"]
    assert programming in esco_graph.ancestors(python)
    developer = next(
        r for r in esco_graph.records.roles.values() if r.title == "software developer"
    )
    assert developer.id in esco_graph.roles_requiring(programming)
    assert 0.0 < esco_graph.similarity(python, by_label["Java (computer programming)"]) < 1.0
    assert esco_graph.roles_in_family("ISCO 25")
    sample = list(esco_graph.records.skills)[::997]
    for a, b in itertools.product(sample, repeat=2):
        value = esco_graph.similarity(a, b)
        assert value == esco_graph.similarity(b, a)
        assert (value == 1.0) == (a == b)
