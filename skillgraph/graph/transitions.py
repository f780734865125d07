"""The role-transition graph: from each role, the moves that make sense, with named signals.

Every ordered pair of roles (source -> target) gets five signals in [0, 1]:

- skills: how much of the target's skill profile the source covers, blended with how much of
  the source's profile the target reuses: 0.75 x coverage + 0.25 x reuse. Coverage is
  sum_k importance_k x min(held_k, required_k) / required_k over the target's requirements,
  divided by the sum of importances (as readiness in recommend/gaps.py, over role profiles);
  the source "holds" its own requirements at their levels plus partial credit through the
  hierarchy (a narrower skill gives 0.8 of its level to its broader skills, a broader skill and
  a related skill 0.5; factors from settings.recommend). Reuse is the coverage of the source's
  profile by the target. A role without a profile has no skills signal (0).
- text: cosine of TF-IDF vectors over title (twice), alternative titles, description and tasks;
  when embedding similarities are given (`text_similarity`, computed by the layer above), the
  mean of the lexical and the embedding similarity (a pair absent from the mapping counts 0).
- hierarchy: 1.0 same `group` (ISCO 4-digit / SOC minor group), 0.6 same `family`, otherwise
  0.4 x the share of the leading characters their group codes share (ISCO 2512 vs 2519 -> 0.3).
- seniority: by the ladder step (target - source): +1 -> 1.0, 0 -> 0.7, +2 -> 0.4, +3 or more
  -> 0.1, -1 -> 0.2, -2 or less -> 0.0; 0.5 when either seniority is unknown (0).
- observed: moves seen in employees' role histories, c(s, t) / (c(s) + 1) where c(s) counts
  every move out of s (one sighting 0.5, three of three 0.75).

A signal that no pair can have (no role with a seniority, no history at all, ...) is dropped and
the remaining weights are rescaled to sum to 1, so combined weights stay comparable between a
company and a bare ontology. weight = sum(w_k x signal_k); each role keeps its `top_n`
heaviest out-edges plus every observed move; cost = -log(weight) for path search, so the
score of a path is the product of its edge weights. Move type: "up" / "down" by seniority,
"lateral" when equal or unknown.

Everything is computed on row blocks with sparse products and numpy (no per-pair Python loop):
levels are compared on a 0.25 grid, and min(a, b) is a sum over the distinct levels u_j of
(u_j - u_{j-1}) x [a >= u_j] x [b >= u_j], which turns coverage into one sparse matrix product.
"""

from __future__ import annotations

import itertools
import math
import re
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

import networkx as nx
import numpy as np
import scipy.sparse as sp

from skillgraph.errors import NotFoundError, SnapshotError, ValidationError
from skillgraph.graph.path_search import EdgeList

if TYPE_CHECKING:
    from skillgraph.data.schema import Records, Role
    from skillgraph.graph.ontology import SkillGraph

SIGNALS = ("skills", "text", "hierarchy", "seniority", "observed")
COVERAGE_SHARE = 0.75  # of the skills signal; the rest is reuse of the source's profile
LEXICAL_SHARE = 0.5  # of the text signal when embedding similarities are given
SAME_GROUP, SAME_FAMILY, CODE_PREFIX = 1.0, 0.6, 0.4
UNKNOWN_SENIORITY = 0.5
OBSERVED_PRIOR = 1.0
NARROWER_CREDIT, RELATED_CREDIT = 0.8, 0.5
MIN_WEIGHT = 1e-6
BLOCK_ROWS = 512
# The layout of a pickled TransitionGraph (and of its features). Bump it with any change to the
# attributes these classes keep: a graph pickled by another format is refused on load
# (SnapshotError) instead of coming back as an object the code no longer matches.
TRANSITIONS_FORMAT = 1
LEVEL_UNITS = 4  # levels are compared on a 0.25 grid


class MoveType(StrEnum):
    UP = "up"
    LATERAL = "lateral"
    DOWN = "down"


FIT_BY_STEP = np.array([0.0, 0.2, 0.7, 1.0, 0.4, 0.1])  # steps -2 (or less) .. +3 (or more)


def seniority_fit(step: int) -> float:
    """The seniority signal of a ladder step (target minus source), both known."""
    return float(FIT_BY_STEP[min(max(step, -2), 3) + 2])


def move_type(source_seniority: int, target_seniority: int) -> MoveType:
    if source_seniority <= 0 or target_seniority <= 0 or source_seniority == target_seniority:
        return MoveType.LATERAL
    return MoveType.UP if target_seniority > source_seniority else MoveType.DOWN


@dataclass(frozen=True)
class Transition:
    """One move source -> target with its signals, combined weight and path cost."""

    source: str
    target: str
    signals: Mapping[str, float]
    weight: float
    cost: float
    move: MoveType
    observed_count: int = 0

    def to_dict(self) -> dict[str, object]:
        return {
            "source": self.source,
            "target": self.target,
            "signals": dict(self.signals),
            "weight": self.weight,
            "cost": self.cost,
            "move": self.move.value,
            "observed_count": self.observed_count,
        }


def effective_weights(weights: Mapping[str, float], active: Iterable[str]) -> dict[str, float]:
    """The weights of the active signals, rescaled to sum to 1 (empty when none is active)."""
    unknown = sorted(set(weights) - set(SIGNALS))
    if unknown:
        raise ValidationError(
            f"unknown transition signal(s) {', '.join(unknown)}; known: {', '.join(SIGNALS)}"
        )
    for name, value in weights.items():
        if not math.isfinite(value) or value < 0:
            raise ValidationError(f"transition weight {name!r} must be >= 0, got {value}")
    kept = {name: float(weights.get(name, 0.0)) for name in SIGNALS if name in set(active)}
    total = sum(kept.values())
    if not kept:
        return {}  # no signal has data (roles without profiles or text): no edges
    if total <= 0:
        raise ValidationError(
            "every transition signal with data has weight 0 "
            f"(signals with data: {', '.join(kept) or 'none'})"
        )
    return {name: value / total for name, value in kept.items() if value > 0}


# features -----------------------------------------------------------------------------------
class _Profiles:
    """Skill profiles as sparse threshold matrices, for coverage by sparse products."""

    def __init__(self, graph: SkillGraph, roles: Sequence[str], narrower: float, related: float):
        required = [_merged_profile(graph, r) for r in roles]
        columns = sorted({s for prof in required for s in prof})
        col = {s: i for i, s in enumerate(columns)}
        credit = _credit_map(graph, columns, col, narrower, related)
        held = _triples(_expanded(prof, col, credit) for prof in required)
        need_rows, need_cols, need_units, need_weights = _requirements(required, col)
        self.has_profile = np.array([bool(p) for p in required])
        zero = need_units == 0
        self.zero_met = np.bincount(need_rows[zero], need_weights[zero], minlength=len(roles))
        units = np.unique(np.concatenate([held[2], need_units]))
        thresholds = units[units > 0]
        steps = np.diff(np.concatenate([[0], thresholds])) / LEVEL_UNITS
        shape = (len(roles), len(columns) * max(len(thresholds), 1))
        a_rows, a_cols, a_index = _unary(held[0], held[1], held[2], thresholds, len(columns))
        self.a = sp.csr_matrix((steps[a_index], (a_rows, a_cols)), shape=shape, dtype=np.float32)
        level = np.maximum(need_units, 1) / LEVEL_UNITS
        b_rows, b_cols, _ = _unary(
            need_rows[~zero], need_cols[~zero], need_units[~zero], thresholds, len(columns)
        )
        per_need = (need_weights / level)[~zero]
        b_source = np.repeat(np.arange(len(per_need)), _counts(need_units[~zero], thresholds))
        self.b = sp.csr_matrix(
            (per_need[b_source], (b_rows, b_cols)), shape=shape, dtype=np.float32
        )
        self.a_t = self.a.T.tocsr()
        self.b_t = self.b.T.tocsr()

    def __getstate__(self) -> dict[str, object]:
        # the transposes are derived: leave them out of pickles, rebuild on load
        return {k: v for k, v in vars(self).items() if k not in ("a_t", "b_t")}

    def __setstate__(self, state: dict[str, object]) -> None:
        vars(self).update(state)
        self.a_t = self.a.T.tocsr()
        self.b_t = self.b.T.tocsr()

    def block(self, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(coverage, reuse) of the rows (sources) against every role (targets)."""
        coverage = (self.a[rows] @ self.b_t).toarray().astype(np.float64) + self.zero_met[None, :]
        reuse = (self.b[rows] @ self.a_t).toarray().astype(np.float64) + self.zero_met[rows][
            :, None
        ]
        usable = self.has_profile[rows][:, None] & self.has_profile[None, :]
        return np.where(usable, np.clip(coverage, 0, 1), 0.0), np.where(
            usable, np.clip(reuse, 0, 1), 0.0
        )


def _dense(matrix: sp.csr_matrix) -> np.ndarray:
    return np.asarray(matrix.toarray(), dtype=np.float64)


def _merged_profile(graph: SkillGraph, role_id: str) -> dict[str, tuple[float, float]]:
    """skill -> (level, importance): the highest of each when a skill is listed twice."""
    merged: dict[str, tuple[float, float]] = {}
    for req in graph.role_profile(role_id):
        level = max(0.0, req.level)
        old = merged.get(req.skill_id)
        if old is not None:
            level, importance = max(old[0], level), max(old[1], req.importance)
        else:
            importance = req.importance
        merged[req.skill_id] = (level, importance)
    return merged


def _importances(profile: Mapping[str, tuple[float, float]]) -> dict[str, float]:
    weights = {s: max(0.0, imp) for s, (_, imp) in profile.items()}
    if sum(weights.values()) <= 0:
        return dict.fromkeys(profile, 1.0)
    return weights


def _credit_map(
    graph: SkillGraph,
    columns: Sequence[str],
    col: Mapping[str, int],
    narrower: float,
    related: float,
) -> dict[str, list[tuple[int, float]]]:
    """For each required skill, the other required skills holding it gives credit to."""
    credit: dict[str, list[tuple[int, float]]] = {}
    for skill in columns:
        gains: dict[int, float] = {}
        for other in graph.related(skill, radius=1):
            if other in col:
                gains[col[other]] = related
        for ancestor in graph.ancestors(skill):
            if ancestor in col:
                gains[col[ancestor]] = max(gains.get(col[ancestor], 0.0), narrower)
        gains.pop(col[skill], None)
        credit[skill] = list(gains.items())
    return credit


def _expanded(
    profile: Mapping[str, tuple[float, float]],
    col: Mapping[str, int],
    credit: Mapping[str, list[tuple[int, float]]],
) -> dict[int, float]:
    """Column -> level a person fully in the role counts for, with partial credit."""
    held: dict[int, float] = {}
    for skill, (level, _) in profile.items():
        for target, factor in credit[skill]:
            value = level * factor
            if value > held.get(target, 0.0):
                held[target] = value
    for skill, (level, _) in profile.items():
        held[col[skill]] = max(held.get(col[skill], 0.0), level)
    return held


def _triples(held: Iterable[Mapping[int, float]]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(rows, columns, level units) of every held level."""
    rows: list[int] = []
    cols: list[int] = []
    levels: list[float] = []
    for r, levels_of_role in enumerate(held):
        rows += [r] * len(levels_of_role)
        cols += list(levels_of_role)
        levels += list(levels_of_role.values())
    return (
        np.array(rows, dtype=np.int64),
        np.array(cols, dtype=np.int64),
        _units(np.array(levels, dtype=np.float64)),
    )


def _requirements(
    required: Sequence[Mapping[str, tuple[float, float]]], col: Mapping[str, int]
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(rows, columns, level units, importance / sum of the role's importances)."""
    rows: list[int] = []
    cols: list[int] = []
    levels: list[float] = []
    weights: list[float] = []
    for r, prof in enumerate(required):
        importances = _importances(prof)
        total = sum(importances.values()) or 1.0
        for skill, (level, _) in prof.items():
            rows.append(r)
            cols.append(col[skill])
            levels.append(level)
            weights.append(importances[skill] / total)
    return (
        np.array(rows, dtype=np.int64),
        np.array(cols, dtype=np.int64),
        _units(np.array(levels, dtype=np.float64)),
        np.array(weights, dtype=np.float64),
    )


def _units(levels: np.ndarray) -> np.ndarray:
    return np.rint(np.clip(levels, 0.0, None) * LEVEL_UNITS).astype(np.int64)


def _counts(units: np.ndarray, thresholds: np.ndarray) -> np.ndarray:
    """How many thresholds each level reaches."""
    return np.searchsorted(thresholds, units, side="right")


def _unary(
    rows: np.ndarray, cols: np.ndarray, units: np.ndarray, thresholds: np.ndarray, width: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """One entry per (level, threshold reached): its row, column block j * width + col, and j."""
    counts = _counts(units, thresholds)
    total = int(counts.sum())
    starts = np.repeat(np.cumsum(counts) - counts, counts)
    j = np.arange(total) - starts
    return np.repeat(rows, counts), j * width + np.repeat(cols, counts), j


def role_document(role: Role) -> str:
    return " ".join([role.title, role.title, *role.alt_titles, role.description, *role.tasks])


def _tfidf(roles: Sequence[Role]) -> sp.csr_matrix:
    docs = [role_document(r) for r in roles]
    # Imported here: sklearn costs seconds at import, and a loaded engine never needs it.
    from sklearn.feature_extraction.text import TfidfVectorizer

    vectorizer = TfidfVectorizer(stop_words="english", sublinear_tf=True, dtype=np.float32)
    try:
        return vectorizer.fit_transform(docs).tocsr()
    except ValueError:  # empty vocabulary: no role has any text
        return sp.csr_matrix(np.zeros((len(docs), 1), dtype=np.float32))


def _embedding_matrix(
    similarity: Mapping[tuple[str, str], float], index: Mapping[str, int]
) -> sp.csr_matrix:
    """Symmetric sparse matrix of the given similarities (a pair given both ways: the larger)."""
    pairs: dict[tuple[int, int], float] = {}
    for (a, b), value in similarity.items():
        if a not in index:
            raise NotFoundError("role", a)
        if b not in index:
            raise NotFoundError("role", b)
        clipped = min(1.0, max(0.0, float(value)))
        for key in ((index[a], index[b]), (index[b], index[a])):
            pairs[key] = max(pairs.get(key, 0.0), clipped)
    n = len(index)
    rows = [i for i, _ in pairs]
    cols = [j for _, j in pairs]
    return sp.csr_matrix((list(pairs.values()), (rows, cols)), shape=(n, n), dtype=np.float64)


def _code_prefixes(roles: Sequence[Role]) -> tuple[np.ndarray, np.ndarray]:
    """(prefix ids n x L, code lengths) of group codes; -1 where no code or too short."""
    codes = [_code(r.group) for r in roles]
    width = max((len(c) for c in codes), default=0)
    ids = np.full((len(roles), width), -1, dtype=np.int64)
    for p in range(width):
        seen: dict[str, int] = {}
        for i, code in enumerate(codes):
            if len(code) > p:
                ids[i, p] = seen.setdefault(code[: p + 1], len(seen))
    return ids, np.array([len(c) for c in codes], dtype=np.int64)


def _code(group: str) -> str:
    """A classification code without separators ("15-1252.00" -> "15125200"); "" if no digit."""
    return re.sub(r"[^0-9A-Za-z]", "", group) if re.search(r"\d", group) else ""


def _labels(values: Sequence[str]) -> np.ndarray:
    """Integer label per value; -1 for empty."""
    seen: dict[str, int] = {}
    return np.array([seen.setdefault(v, len(seen)) if v else -1 for v in values], dtype=np.int64)


def observed_moves(records: Records) -> dict[tuple[str, str], int]:
    """Counts of consecutive role changes in employees' histories (then their current role)."""
    counts: dict[tuple[str, str], int] = {}
    for emp in records.employees.values():
        spells = sorted(emp.history, key=lambda s: s.start)
        sequence = [s.role_id for s in spells]
        if not sequence or sequence[-1] != emp.role_id:
            sequence.append(emp.role_id)
        for a, b in itertools.pairwise(sequence):
            if a != b:
                counts[(a, b)] = counts.get((a, b), 0) + 1
    return counts


class _Features:
    """Every signal of every pair, computed for a block of source rows at a time."""

    def __init__(
        self,
        graph: SkillGraph,
        roles: Sequence[Role],
        text_similarity: Mapping[tuple[str, str], float] | None,
        narrower: float,
        related: float,
    ) -> None:
        self.n = len(roles)
        index = {r.id: i for i, r in enumerate(roles)}
        self.timings: dict[str, float] = {}
        started = time.perf_counter()
        self.profiles = _Profiles(graph, [r.id for r in roles], narrower, related)
        self.timings["profiles"] = time.perf_counter() - started
        started = time.perf_counter()
        self.tfidf = _tfidf(roles)
        self.tfidf_t = self.tfidf.T.tocsr()
        self.embedding = (
            _embedding_matrix(text_similarity, index) if text_similarity is not None else None
        )
        self.timings["text"] = time.perf_counter() - started
        # roles with the same family and group share a "place"; hierarchy is per place pair
        self.place = _labels([f"{r.family}\x1f{r.group}" for r in roles])
        first = np.unique(self.place, return_index=True)[1]
        places = [roles[i] for i in first]
        self.group = _labels([r.group for r in places])
        self.family = _labels([r.family for r in places])
        self.prefix, self.code_length = _code_prefixes(places)
        self.seniority = np.array([max(0, r.seniority) for r in roles], dtype=np.int64)
        counts = observed_moves(graph.records)
        rows = [index[a] for a, b in counts if a in index and b in index]
        cols = [index[b] for a, b in counts if a in index and b in index]
        vals = [c for (a, b), c in counts.items() if a in index and b in index]
        self.observed = sp.csr_matrix(
            (np.array(vals, dtype=np.float64), (rows, cols)), shape=(self.n, self.n)
        )
        self.moves_out = np.asarray(self.observed.sum(axis=1)).ravel()

    def __getstate__(self) -> dict[str, object]:
        return {k: v for k, v in vars(self).items() if k != "tfidf_t"}

    def __setstate__(self, state: dict[str, object]) -> None:
        vars(self).update(state)
        self.tfidf_t = self.tfidf.T.tocsr()

    def active(self) -> list[str]:
        found = []
        if self.profiles.has_profile.any():
            found.append("skills")
        if self.tfidf.nnz or (self.embedding is not None and self.embedding.nnz):
            found.append("text")
        if (self.group[self.place] >= 0).any() or (self.family[self.place] >= 0).any():
            found.append("hierarchy")
        if (self.seniority > 0).any():
            found.append("seniority")
        if self.observed.nnz:
            found.append("observed")
        return found

    def block(self, rows: np.ndarray) -> dict[str, np.ndarray]:
        coverage, reuse = self.profiles.block(rows)
        return {
            "skills": COVERAGE_SHARE * coverage + (1 - COVERAGE_SHARE) * reuse,
            "text": self._text(rows),
            "hierarchy": self._hierarchy(rows),
            "seniority": self._seniority(rows),
            "observed": self.observed[rows].toarray()
            / (self.moves_out[rows][:, None] + OBSERVED_PRIOR),
        }

    def counts(self, rows: np.ndarray) -> np.ndarray:
        return self.observed[rows].toarray()

    def _text(self, rows: np.ndarray) -> np.ndarray:
        lexical = np.clip((self.tfidf[rows] @ self.tfidf_t).toarray(), 0.0, 1.0)
        if self.embedding is None:
            return lexical.astype(np.float64)
        return LEXICAL_SHARE * lexical + (1 - LEXICAL_SHARE) * self.embedding[rows].toarray()

    def _hierarchy(self, rows: np.ndarray) -> np.ndarray:
        sources, inverse = np.unique(self.place[rows], return_inverse=True)
        by_place = self._place_similarity(sources)
        return by_place[inverse[:, None], self.place[None, :]]

    def _place_similarity(self, sources: np.ndarray) -> np.ndarray:
        """Hierarchy signal between the given places and every place."""
        group, family = self.group, self.family
        same_group = (group[sources][:, None] == group[None, :]) & (group[sources][:, None] >= 0)
        same_family = (family[sources][:, None] == family[None, :]) & (
            family[sources][:, None] >= 0
        )
        shared = np.zeros((len(sources), len(group)))
        for p in range(self.prefix.shape[1]):
            mine = self.prefix[sources, p][:, None]
            shared += (mine == self.prefix[None, :, p]) & (mine >= 0)
        longest = np.maximum(self.code_length[sources][:, None], self.code_length[None, :])
        prefix_share = np.divide(shared, longest, out=np.zeros_like(shared), where=longest > 0)
        return np.maximum.reduce(
            [SAME_GROUP * same_group, SAME_FAMILY * same_family, CODE_PREFIX * prefix_share]
        )

    def _seniority(self, rows: np.ndarray) -> np.ndarray:
        source = self.seniority[rows][:, None]
        target = self.seniority[None, :]
        fit = FIT_BY_STEP[np.clip(target - source, -2, 3) + 2]
        known = (source > 0) & (target > 0)
        return np.where(known, fit, UNKNOWN_SENIORITY)


# the graph ----------------------------------------------------------------------------------
class TransitionGraph:
    """Role -> role moves. Build with `TransitionGraph.build`; query with `out_edges`, `edge`,
    `pair` (any pair, even without a kept edge); `edges` is the search structure for paths."""

    def __init__(
        self,
        roles: Sequence[Role],
        weights: Mapping[str, float],
        src: np.ndarray,
        dst: np.ndarray,
        signals: np.ndarray,
        counts: np.ndarray,
        features: _Features,
        timings: Mapping[str, float],
    ) -> None:
        self.role_ids: tuple[str, ...] = tuple(r.id for r in roles)
        self._seniority = np.array([r.seniority for r in roles], dtype=np.int64)
        self._index = {r: i for i, r in enumerate(self.role_ids)}
        self.weights = dict(weights)  # effective: active signals only, summing to 1
        self._signals = signals  # (edges, len(SIGNALS))
        self._counts = counts
        self._weight = self._combine(signals)
        cost = -np.log(np.maximum(self._weight, MIN_WEIGHT))
        self.edges = EdgeList(len(self.role_ids), src, dst, cost)
        order = np.lexsort((dst, src))
        self._src, self._dst = src[order], dst[order]
        self._signals, self._counts = signals[order], counts[order]
        self._weight = self._weight[order]
        self._starts = np.searchsorted(self._src, np.arange(len(self.role_ids) + 1))
        self._edge_moves = _moves(self._seniority[self.edges.src], self._seniority[self.edges.dst])
        self._features = features
        self.timings = dict(timings)
        self._nx: nx.DiGraph[str] | None = None

    @classmethod
    def build(
        cls,
        graph: SkillGraph,
        *,
        text_similarity: Mapping[tuple[str, str], float] | None = None,
        weights: Mapping[str, float],
        top_n: int = 30,
        partial_credit_narrower: float = NARROWER_CREDIT,
        partial_credit_related: float = RELATED_CREDIT,
    ) -> TransitionGraph:
        """Every role of the graph's records as a node; see the module docstring."""
        if top_n < 1:
            raise ValidationError(f"top_n must be at least 1, got {top_n}")
        started = time.perf_counter()
        roles = [graph.records.roles[r] for r in sorted(graph.records.roles)]
        features = _Features(
            graph, roles, text_similarity, partial_credit_narrower, partial_credit_related
        )
        effective = effective_weights(weights, features.active())
        picked = time.perf_counter()
        src, dst, signals, counts = _select_edges(features, effective, top_n)
        timings = {
            **features.timings,
            "edges": time.perf_counter() - picked,
            "total": time.perf_counter() - started,
        }
        return cls(roles, effective, src, dst, signals, counts, features, timings)

    # look-ups -----------------------------------------------------------------------------
    def __len__(self) -> int:
        return len(self.role_ids)

    def __contains__(self, role_id: object) -> bool:
        return role_id in self._index

    @property
    def number_of_edges(self) -> int:
        return len(self._src)

    def edge_count(self) -> int:
        return len(self._src)

    def index_of(self, role_id: str) -> int:
        try:
            return self._index[role_id]
        except KeyError:
            raise NotFoundError("role", role_id) from None

    def seniority(self, role_id: str) -> int:
        return int(self._seniority[self.index_of(role_id)])

    def out_edges(
        self, role_id: str, *, moves: Iterable[MoveType | str] | None = None
    ) -> list[Transition]:
        """The kept moves out of a role, heaviest first (ties by target id)."""
        i = self.index_of(role_id)
        allowed = {MoveType(m) for m in moves} if moves is not None else None
        found = [self._transition(e) for e in range(self._starts[i], self._starts[i + 1])]
        if allowed is not None:
            found = [t for t in found if t.move in allowed]
        return sorted(found, key=lambda t: (-t.weight, t.target))

    def has_edge(self, source: str, target: str) -> bool:
        return self._edge_position(self.index_of(source), self.index_of(target)) is not None

    def edge(self, source: str, target: str) -> Transition:
        """A kept edge; NotFoundError("transition", "a -> b") when the pair was not kept."""
        e = self._edge_position(self.index_of(source), self.index_of(target))
        if e is None:
            raise NotFoundError("transition", f"{source} -> {target}")
        return self._transition(e)

    def pair(self, source: str, target: str) -> Transition:
        """The signals of any pair, computed on demand (kept edges give the same numbers)."""
        return self.pairs(source, [target])[0]

    def pairs(self, source: str, targets: Iterable[str]) -> list[Transition]:
        """`pair` for many targets of one source, computing the source's signals once."""
        i = self.index_of(source)
        columns = [self.index_of(t) for t in targets]
        if i in columns:
            raise ValidationError(f"a move needs two different roles, got {source!r} twice")
        if not columns:
            return []
        rows = np.array([i])
        block = self._features.block(rows)
        counts = self._features.counts(rows)[0]
        values = np.stack([block[name][0, columns] for name in SIGNALS], axis=1)
        weights = self._combine(values)
        return [
            self._make(i, j, values[c], float(weights[c]), int(counts[j]))
            for c, j in enumerate(columns)
        ]

    def move(self, source: str, target: str) -> MoveType:
        return move_type(self.seniority(source), self.seniority(target))

    def move_mask(self, moves: Iterable[MoveType | str] | None) -> np.ndarray | None:
        """Mask over `edges` of the moves of these types (None: every edge)."""
        if moves is None:
            return None
        allowed = np.zeros(3, dtype=bool)  # by move code + 1 (codes are -1, 0, 1)
        allowed[[MOVE_CODES[MoveType(m)] + 1 for m in moves]] = True
        return allowed[self._edge_moves + 1]

    def __getstate__(self) -> dict[str, object]:
        # the networkx view is a cache; the format is checked by __setstate__
        return {**vars(self), "_nx": None, "_format": TRANSITIONS_FORMAT}

    def __setstate__(self, state: dict[str, object]) -> None:
        found = state.pop("_format", None)
        if found != TRANSITIONS_FORMAT:
            raise SnapshotError(
                f"a career graph saved in format {found or 'unversioned'}, this version of "
                f"skillgraph reads format {TRANSITIONS_FORMAT}: run `skillgraph build`"
            )
        vars(self).update(state)

    def to_networkx(self) -> nx.DiGraph[str]:
        """The kept edges as a networkx DiGraph (attrs: signals, weight, cost, move, observed)."""
        if self._nx is None:
            g: nx.DiGraph[str] = nx.DiGraph()
            g.add_nodes_from(self.role_ids)
            for e in range(len(self._src)):
                t = self._transition(e)
                g.add_edge(
                    t.source,
                    t.target,
                    **t.signals,
                    weight=t.weight,
                    cost=t.cost,
                    move=t.move.value,
                    observed_count=t.observed_count,
                )
            self._nx = g
        return self._nx

    def stats(self) -> dict[str, object]:
        return {
            "roles": len(self),
            "edges": self.number_of_edges,
            "weights": dict(self.weights),
            "seconds": dict(self.timings),
        }

    # internals ----------------------------------------------------------------------------
    def _combine(self, signals: np.ndarray) -> np.ndarray:
        w = np.array([self.weights.get(name, 0.0) for name in SIGNALS])
        return np.asarray(signals @ w, dtype=np.float64)

    def _edge_position(self, i: int, j: int) -> int | None:
        lo, hi = self._starts[i], self._starts[i + 1]
        pos = lo + int(np.searchsorted(self._dst[lo:hi], j))
        return pos if pos < hi and self._dst[pos] == j else None

    def _transition(self, e: int) -> Transition:
        return self._make(
            int(self._src[e]),
            int(self._dst[e]),
            self._signals[e],
            float(self._weight[e]),
            int(self._counts[e]),
        )

    def _make(self, i: int, j: int, values: np.ndarray, weight: float, count: int) -> Transition:
        source, target = self.role_ids[i], self.role_ids[j]
        return Transition(
            source=source,
            target=target,
            signals={name: round(float(v), 6) for name, v in zip(SIGNALS, values, strict=True)},
            weight=weight,
            cost=float(-math.log(max(weight, MIN_WEIGHT))),
            move=move_type(int(self._seniority[i]), int(self._seniority[j])),
            observed_count=count,
        )


MOVE_CODES = {MoveType.DOWN: -1, MoveType.LATERAL: 0, MoveType.UP: 1}


def _moves(source: np.ndarray, target: np.ndarray) -> np.ndarray:
    """Move codes (-1 down, 0 lateral, 1 up) as in `move_type`, vectorised."""
    known = (source > 0) & (target > 0)
    return np.where(known, np.sign(target - source), 0).astype(np.int64)


def _select_edges(
    features: _Features, weights: Mapping[str, float], top_n: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Per source row: the top_n heaviest targets plus every observed move, weight > 0."""
    n = features.n
    w = {name: weights.get(name, 0.0) for name in SIGNALS}
    src_parts, dst_parts, sig_parts, cnt_parts = [], [], [], []
    for start in range(0, n, BLOCK_ROWS):
        rows = np.arange(start, min(n, start + BLOCK_ROWS))
        block = features.block(rows)
        combined = np.zeros((len(rows), n))
        for name in SIGNALS:
            combined += w[name] * block[name]
        combined[np.arange(len(rows)), rows] = -1.0  # no self-moves
        counts = features.counts(rows)
        keep = np.zeros_like(combined, dtype=bool)
        if n - 1 > top_n:
            best = np.argpartition(-combined, top_n - 1, axis=1)[:, :top_n]
            keep[np.arange(len(rows))[:, None], best] = True
        else:
            keep[:] = True
        keep |= counts > 0
        keep &= combined > MIN_WEIGHT
        r, c = np.nonzero(keep)
        src_parts.append(rows[r])
        dst_parts.append(c)
        sig_parts.append(np.stack([block[name][r, c] for name in SIGNALS], axis=1))
        cnt_parts.append(counts[r, c])
    if not src_parts:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, np.zeros((0, len(SIGNALS))), np.zeros(0)
    return (
        np.concatenate(src_parts).astype(np.int64),
        np.concatenate(dst_parts).astype(np.int64),
        np.concatenate(sig_parts).astype(np.float64),
        np.concatenate(cnt_parts).astype(np.int64),
    )
