"""The skill ontology: skills, skill groups and roles as one typed graph, with the queries above it.

`g` is a networkx.MultiDiGraph. Nodes carry `kind` (NodeKind) and `label`. Edges carry `kind`
(EdgeKind) and are keyed by it, so there is at most one edge of a kind between two nodes:

- BROADER narrower -> broader and NARROWER broader -> narrower (both stored);
- RELATED both ways, with `weight` (the stronger of the two if the source lists both);
- PREREQUISITE prerequisite -> skill (the prerequisite comes first);
- REQUIRES role -> skill, with `level`, `importance`, `provenance`.

Lookups go through plain adjacency tuples built once (O(degree)); what similarity needs
(ancestor sets, depths, related neighbourhoods) is computed on first use and cached.
The graph is immutable: `with_roles` returns a new graph sharing the skill side.
"""

from __future__ import annotations

import graphlib
import heapq
from collections import deque
from collections.abc import Callable, Hashable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Any, TypeVar

import networkx as nx

from skillgraph.data.schema import Records, RelationKind, Role, Skill, SkillKind, SkillRequirement
from skillgraph.data.validate import validate
from skillgraph.errors import DatasetError, NotFoundError

T = TypeVar("T")
SIMILARITY_DECAY = 0.5  # related-edge similarity is SIMILARITY_DECAY ** hops
SIMILARITY_RADIUS = 2  # ... up to this many related hops


class NodeKind(StrEnum):
    SKILL = "skill"
    GROUP = "group"
    ROLE = "role"


class EdgeKind(StrEnum):
    BROADER = "broader"
    NARROWER = "narrower"
    RELATED = "related"
    PREREQUISITE = "prerequisite"
    REQUIRES = "requires"


@dataclass(slots=True)
class _SkillIndex:
    """Skill-side adjacency; shared, never mutated, by graphs that differ only in roles."""

    broader: dict[str, tuple[str, ...]]
    narrower: dict[str, tuple[str, ...]]
    related: dict[str, tuple[str, ...]]
    prerequisites: dict[str, tuple[str, ...]]  # skill -> its direct prerequisites
    depth: dict[str, int]  # longest broader chain up to a root (roots: 0)
    ancestors: dict[str, frozenset[str]] = field(default_factory=dict)  # cache, lazily filled
    near: dict[str, dict[str, int]] = field(default_factory=dict)  # cache: related hops
    before: dict[str, frozenset[str]] = field(default_factory=dict)  # cache: all prerequisites


@dataclass(slots=True)
class _RoleIndex:
    requiring: dict[str, tuple[str, ...]]  # skill -> roles, most important first
    families: dict[str, tuple[str, ...]]  # family -> roles in record order


class SkillGraph:
    """Ontology over Records; build with `SkillGraph.build(records)`.

    The graph indexes the records it was built from: they must not change afterwards (make a
    new graph, or use `with_roles`).
    """

    records: Records

    def __init__(self, records: Records, skills: _SkillIndex, roles: _RoleIndex) -> None:
        self.records = records
        self._skills = skills
        self._roles = roles
        self._g: nx.MultiDiGraph[str] | None = None
        self._derived: dict[Hashable, Any] = {}

    @property
    def g(self) -> nx.MultiDiGraph[str]:
        """The whole ontology as a networkx graph, made on first use (queries do not need it)."""
        if self._g is None:
            self._g = _to_networkx(self.records, self.records.skills, self.records.roles.values())
        return self._g

    @classmethod
    def build(cls, records: Records) -> SkillGraph:
        """Validate references and acyclic prerequisites and hierarchy, then index.

        Raises DatasetError for an unknown id, an id used by both a skill and a role, or a cycle
        of broader relations; CycleError (naming the cycle) for cyclic prerequisites.
        """
        validate(records)
        _check_disjoint_ids(records)
        skills = _index_skills(records.skills, _unique_relations(records))
        return cls(records, skills, _index_roles(records.roles))

    # -- look-ups ------------------------------------------------------------------------------

    def skill(self, skill_id: str) -> Skill:
        try:
            return self.records.skills[skill_id]
        except KeyError:
            raise NotFoundError("skill", skill_id) from None

    def role(self, role_id: str) -> Role:
        try:
            return self.records.roles[role_id]
        except KeyError:
            raise NotFoundError("role", role_id) from None

    def has_skill(self, skill_id: str) -> bool:
        return skill_id in self.records.skills

    def has_role(self, role_id: str) -> bool:
        return role_id in self.records.roles

    # -- hierarchy -----------------------------------------------------------------------------

    def broader(self, skill_id: str) -> list[str]:
        """Direct parents."""
        self._check_skill(skill_id)
        return list(self._skills.broader.get(skill_id, ()))

    def narrower(self, skill_id: str) -> list[str]:
        """Direct children."""
        self._check_skill(skill_id)
        return list(self._skills.narrower.get(skill_id, ()))

    def ancestors(self, skill_id: str) -> set[str]:
        """Every skill or group above, transitively."""
        self._check_skill(skill_id)
        return set(self._ancestors(skill_id))

    def descendants(self, skill_id: str) -> set[str]:
        """Every skill or group below, transitively."""
        self._check_skill(skill_id)
        return _reach(skill_id, self._skills.narrower)

    def depth(self, skill_id: str) -> int:
        """Length of the longest broader chain from the skill up to a root (a root is 0)."""
        self._check_skill(skill_id)
        return self._skills.depth[skill_id]

    def related(
        self, skill_id: str, radius: int = 1, *, include_groups: bool = True
    ) -> dict[str, int]:
        """Skills within `radius` hops over related, broader and narrower edges -> hops.

        Excludes the skill itself; nearest first. Groups are traversed either way and
        left out of the answer when `include_groups` is false.
        """
        self._check_skill(skill_id)
        idx = self._skills
        hops = _bfs(skill_id, radius, (idx.related, idx.broader, idx.narrower))
        if not include_groups:
            skills = self.records.skills
            hops = {s: h for s, h in hops.items() if skills[s].kind is not SkillKind.GROUP}
        return hops

    # -- prerequisites -------------------------------------------------------------------------

    def prerequisites(self, skill_id: str) -> list[str]:
        """Direct prerequisites (they come before the skill)."""
        self._check_skill(skill_id)
        return list(self._skills.prerequisites.get(skill_id, ()))

    def all_prerequisites(self, skill_id: str) -> set[str]:
        """Prerequisites, transitively."""
        self._check_skill(skill_id)
        return set(self._all_prerequisites(skill_id))

    def _all_prerequisites(self, skill_id: str) -> frozenset[str]:
        cache = self._skills.before
        found = cache.get(skill_id)
        if found is None:
            found = cache[skill_id] = frozenset(_reach(skill_id, self._skills.prerequisites))
        return found

    def prerequisite_order(self, skill_ids: Iterable[str]) -> list[str]:
        """The given skills (repeats dropped) with prerequisites first, else in input order.

        A skill comes after every given skill it needs, directly or through skills that are
        not given. Among the skills whose prerequisites are placed, the earliest in the input
        goes next (Kahn's algorithm with a heap on input position), so the order is stable.
        """
        given = list(dict.fromkeys(skill_ids))
        for skill_id in given:
            self._check_skill(skill_id)
        position = {s: i for i, s in enumerate(given)}
        needs = {s: self._all_prerequisites(s) & position.keys() for s in given}
        waiting = {s: len(pre) for s, pre in needs.items()}
        unlocks: dict[str, list[str]] = {}
        for skill_id, pre in needs.items():
            for p in pre:
                unlocks.setdefault(p, []).append(skill_id)
        ready = [position[s] for s in given if waiting[s] == 0]
        heapq.heapify(ready)
        order: list[str] = []
        while ready:
            skill_id = given[heapq.heappop(ready)]
            order.append(skill_id)
            for nxt in unlocks.get(skill_id, ()):
                waiting[nxt] -= 1
                if waiting[nxt] == 0:
                    heapq.heappush(ready, position[nxt])
        return order  # complete: prerequisites are acyclic (checked by build)

    # -- similarity ----------------------------------------------------------------------------

    def similarity(self, a: str, b: str) -> float:
        """Graph similarity of two skills in [0, 1]: 1.0 iff a == b; symmetric.

        The larger of two signals:
        - hierarchy (Wu-Palmer): 2 * depth(c) / (depth(a) + depth(b)), c the deepest common
          ancestor-or-self of a and b in the broader hierarchy. Depth is the longest broader
          chain up to a root and roots have depth 0, so sharing only a top-level root (ESCO's
          "skills" or "knowledge" pillar) counts for nothing. A strict ancestor is strictly
          less deep than its descendants, so the value is below 1 for a != b.
        - related edges: SIMILARITY_DECAY ** hops for the fewest hops over related edges, up to
          SIMILARITY_RADIUS hops (0.5 one hop away, 0.25 two hops), 0 beyond.
        """
        self._check_skill(a)
        self._check_skill(b)
        if a == b:
            return 1.0
        near = self._near(a).get(b)
        related = SIMILARITY_DECAY**near if near is not None else 0.0
        return max(self._hierarchy_similarity(a, b), related)

    def _hierarchy_similarity(self, a: str, b: str) -> float:
        depth = self._skills.depth
        total = depth[a] + depth[b]
        if total == 0:
            return 0.0
        up_a = self._ancestors(a) | {a}
        up_b = self._ancestors(b) | {b}
        small, large = (up_a, up_b) if len(up_a) <= len(up_b) else (up_b, up_a)
        deepest = max((depth[c] for c in small if c in large), default=0)
        return 2.0 * deepest / total

    def _ancestors(self, skill_id: str) -> frozenset[str]:
        cache = self._skills.ancestors
        found = cache.get(skill_id)
        if found is None:
            found = cache[skill_id] = frozenset(_reach(skill_id, self._skills.broader))
        return found

    def _near(self, skill_id: str) -> dict[str, int]:
        cache = self._skills.near
        found = cache.get(skill_id)
        if found is None:
            found = cache[skill_id] = _bfs(skill_id, SIMILARITY_RADIUS, (self._skills.related,))
        return found

    # -- roles ---------------------------------------------------------------------------------

    def role_profile(self, role_id: str) -> tuple[SkillRequirement, ...]:
        return self.role(role_id).requirements

    def roles_requiring(self, skill_id: str) -> list[str]:
        """Roles whose profile lists the skill, most important first (ties in record order)."""
        self._check_skill(skill_id)
        return list(self._roles.requiring.get(skill_id, ()))

    def roles_in_family(self, family: str) -> list[str]:
        """Roles of a family, in record order.

        `family` is a Role.family value ("ISCO 25 Information and communications technology
        professionals") or its leading words ("ISCO 25", "SOC 15", or "ISCO" for all of them).
        """
        exact = self._roles.families.get(family)
        if exact is not None:
            return list(exact)
        prefix = family.strip() + " "
        found = [
            r
            for name, roles in self._roles.families.items()
            if name.startswith(prefix)
            for r in roles
        ]
        order = {role_id: i for i, role_id in enumerate(self.records.roles)}
        return sorted(found, key=order.__getitem__)

    def family_subgraph(self, family: str) -> nx.MultiDiGraph:
        """A copy of the roles of a family, the skills they require, and the edges among them."""
        roles = [self.records.roles[r] for r in self.roles_in_family(family)]
        skills = {req.skill_id for role in roles for req in role.requirements}
        return _to_networkx(self.records, skills, roles)

    def with_roles(self, roles: Mapping[str, Role]) -> SkillGraph:
        """A new graph with these roles added or replacing the ones of the same id."""
        if not roles:
            return self
        records = replace(self.records, roles={**self.records.roles, **roles})
        checked = Records(skills=self.records.skills, roles=dict(roles))
        validate(checked)
        _check_disjoint_ids(checked)
        return SkillGraph(records, self._skills, _index_roles(records.roles))

    def derived(self, key: Hashable, build: Callable[[], T]) -> T:
        """A value computed from this graph once and kept with it (e.g. a gap analyzer shared by
        the recommenders); `build` runs on the first call for `key`. Copies start empty."""
        if key not in self._derived:
            self._derived[key] = build()
        value: T = self._derived[key]
        return value

    # -- summary -------------------------------------------------------------------------------

    def counts(self) -> dict[str, int]:
        """Nodes by NodeKind and edges by EdgeKind, every kind present (zero if none)."""
        groups = sum(1 for s in self.records.skills.values() if s.kind is SkillKind.GROUP)
        idx = self._skills
        broader = sum(map(len, idx.broader.values()))
        return {
            NodeKind.SKILL.value: len(self.records.skills) - groups,
            NodeKind.GROUP.value: groups,
            NodeKind.ROLE.value: len(self.records.roles),
            EdgeKind.BROADER.value: broader,
            EdgeKind.NARROWER.value: broader,
            EdgeKind.RELATED.value: sum(map(len, idx.related.values())),
            EdgeKind.PREREQUISITE.value: sum(map(len, idx.prerequisites.values())),
            EdgeKind.REQUIRES.value: sum(map(len, self._roles.requiring.values())),
        }

    def _check_skill(self, skill_id: str) -> None:
        if skill_id not in self.records.skills:
            raise NotFoundError("skill", skill_id)

    def __repr__(self) -> str:
        return f"SkillGraph({len(self.records.skills)} skills, {len(self.records.roles)} roles)"

    def __copy__(self) -> SkillGraph:
        clone = SkillGraph(self.records, self._skills, self._roles)
        clone._g = self._g
        return clone

    def __getstate__(self) -> dict[str, Any]:
        skills = _SkillIndex(
            self._skills.broader,
            self._skills.narrower,
            self._skills.related,
            self._skills.prerequisites,
            self._skills.depth,
        )  # caches are rebuilt on demand
        return {"records": self.records, "skills": skills, "roles": self._roles}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.records = state["records"]
        saved = state["skills"]  # fresh caches (and every cache field, whatever the pickle had)
        self._skills = _SkillIndex(
            saved.broader, saved.narrower, saved.related, saved.prerequisites, saved.depth
        )
        self._roles = state["roles"]
        self._g = None
        self._derived = {}


# -- building ------------------------------------------------------------------------------------


def _node_kind(skill: Skill) -> NodeKind:
    return NodeKind.GROUP if skill.kind is SkillKind.GROUP else NodeKind.SKILL


def _check_disjoint_ids(records: Records) -> None:
    clash = records.skills.keys() & records.roles.keys()
    if clash:
        first = sorted(clash)[0]
        raise DatasetError(
            f"id {first!r} names both a skill and a role ({len(clash)} such id(s)); "
            "skill and role ids must differ",
            field="id",
        )


def _index_skills(skills: Mapping[str, Skill], relations: Iterable[_Relation]) -> _SkillIndex:
    broader: dict[str, list[str]] = {}
    narrower: dict[str, list[str]] = {}
    related: dict[str, list[str]] = {}
    prerequisites: dict[str, list[str]] = {}
    for rel in relations:
        if rel.kind is RelationKind.BROADER:
            broader.setdefault(rel.source, []).append(rel.target)
            narrower.setdefault(rel.target, []).append(rel.source)
        elif rel.kind is RelationKind.RELATED:
            related.setdefault(rel.source, []).append(rel.target)
        else:
            prerequisites.setdefault(rel.target, []).append(rel.source)
    return _SkillIndex(
        broader=_frozen(broader),
        narrower=_frozen(narrower),
        related=_frozen(related),
        prerequisites=_frozen(prerequisites),
        depth=_depths(skills, broader),
    )


def _unique_relations(records: Records) -> list[_Relation]:
    """Relations without repeats or self-loops; related made symmetric with the larger weight."""
    weights: dict[tuple[str, str, RelationKind], float] = {}
    for rel in records.relations:
        if rel.source == rel.target and rel.kind is not RelationKind.PREREQUISITE:
            if rel.kind is RelationKind.BROADER:
                raise DatasetError(f"skill {rel.source!r} is broader than itself", field="broader")
            continue
        pairs = [(rel.source, rel.target)]
        if rel.kind is RelationKind.RELATED:
            pairs.append((rel.target, rel.source))
        for source, target in pairs:
            key = (source, target, rel.kind)
            weights[key] = max(weights.get(key, rel.weight), rel.weight)
    return [_Relation(s, t, k, w) for (s, t, k), w in weights.items()]


@dataclass(frozen=True, slots=True)
class _Relation:
    source: str
    target: str
    kind: RelationKind
    weight: float


def _frozen(adjacency: dict[str, list[str]]) -> dict[str, tuple[str, ...]]:
    return {node: tuple(targets) for node, targets in adjacency.items()}


def _depths(skills: Mapping[str, Skill], broader: dict[str, list[str]]) -> dict[str, int]:
    """Longest broader chain to a root; DatasetError naming a cycle of broader relations."""
    sorter: graphlib.TopologicalSorter[str] = graphlib.TopologicalSorter()
    for skill_id in skills:
        sorter.add(skill_id, *broader.get(skill_id, ()))
    try:
        order = list(sorter.static_order())
    except graphlib.CycleError as exc:
        cycle = list(exc.args[1])
        raise DatasetError("broader cycle: " + " -> ".join(cycle), field="broader") from None
    depth: dict[str, int] = {}
    for skill_id in order:  # parents first
        parents = broader.get(skill_id, ())
        depth[skill_id] = 1 + max(depth[p] for p in parents) if parents else 0
    return depth


def _to_networkx(
    records: Records, skill_ids: Iterable[str], roles: Iterable[Role]
) -> nx.MultiDiGraph[str]:
    """The skills given, the relations among them, the roles given and their requirements."""
    skills = records.skills
    keep = set(skill_ids)
    g: nx.MultiDiGraph[str] = nx.MultiDiGraph()
    g.add_nodes_from(
        (s.id, {"kind": _node_kind(s), "label": s.label}) for s in skills.values() if s.id in keep
    )
    relations = [r for r in _unique_relations(records) if r.source in keep and r.target in keep]
    g.add_edges_from(_skill_edges(relations))  # type: ignore[arg-type]  # stubs lack keyed 4-tuples
    _add_roles(g, roles)
    return g


def _skill_edges(relations: Iterable[_Relation]) -> Iterable[tuple[str, str, str, dict[str, Any]]]:
    for rel in relations:
        if rel.kind is RelationKind.BROADER:
            yield rel.source, rel.target, EdgeKind.BROADER, {"kind": EdgeKind.BROADER}
            yield rel.target, rel.source, EdgeKind.NARROWER, {"kind": EdgeKind.NARROWER}
        elif rel.kind is RelationKind.RELATED:
            yield (
                rel.source,
                rel.target,
                EdgeKind.RELATED,
                {"kind": EdgeKind.RELATED, "weight": rel.weight},
            )
        else:
            yield (
                rel.source,
                rel.target,
                EdgeKind.PREREQUISITE,
                {"kind": EdgeKind.PREREQUISITE, "weight": rel.weight},
            )


def _add_roles(g: nx.MultiDiGraph, roles: Iterable[Role]) -> None:
    edges: list[tuple[str, str, str, dict[str, Any]]] = []
    for role in roles:
        g.add_node(role.id, kind=NodeKind.ROLE, label=role.title)
        for req in role.requirements:
            edges.append(
                (
                    role.id,
                    req.skill_id,
                    EdgeKind.REQUIRES,
                    {
                        "kind": EdgeKind.REQUIRES,
                        "level": req.level,
                        "importance": req.importance,
                        "provenance": req.provenance,
                    },
                )
            )
    g.add_edges_from(edges)  # type: ignore[arg-type]  # stubs lack keyed 4-tuples


def _index_roles(roles: Mapping[str, Role]) -> _RoleIndex:
    requiring: dict[str, list[tuple[float, int, str]]] = {}
    families: dict[str, list[str]] = {}
    for i, role in enumerate(roles.values()):
        for req in role.requirements:
            requiring.setdefault(req.skill_id, []).append((-req.importance, i, role.id))
        if role.family:
            families.setdefault(role.family, []).append(role.id)
    return _RoleIndex(
        requiring={
            s: tuple(dict.fromkeys(r for _, _, r in sorted(found)))
            for s, found in requiring.items()
        },
        families={f: tuple(ids) for f, ids in families.items()},
    )


# -- traversal -----------------------------------------------------------------------------------


def _reach(start: str, adjacency: Mapping[str, tuple[str, ...]]) -> set[str]:
    seen: set[str] = set()
    stack = list(adjacency.get(start, ()))
    while stack:
        node = stack.pop()
        if node not in seen:
            seen.add(node)
            stack.extend(adjacency.get(node, ()))
    seen.discard(start)
    return seen


def _bfs(
    start: str, radius: int, adjacencies: tuple[Mapping[str, tuple[str, ...]], ...]
) -> dict[str, int]:
    hops = {start: 0}
    queue = deque([start])
    while queue:
        node = queue.popleft()
        if hops[node] >= radius:
            continue
        for adjacency in adjacencies:
            for nxt in adjacency.get(node, ()):
                if nxt not in hops:
                    hops[nxt] = hops[node] + 1
                    queue.append(nxt)
    del hops[start]
    return hops
