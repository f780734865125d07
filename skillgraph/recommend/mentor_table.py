"""Mentor offers as arrays, and every mentor candidate of a query scored at once.

`OfferTable` is built when the mentor recommender first answers: per offer the mentor's
partial-credit levels (credit.py), seniority, time zone, department, capacity left, modes, the
skills its topics allow, and the offer's and the mentor's embeddings. The functions below apply
mentors.py's rules (eligibility, candidate generation, coverage, mode fit, the five signals and
their weighted score) to arrays of candidates instead of one candidate at a time. Sums run need
by need in the order mentors.py adds them, so the numbers are the same; only cosines come from
one matrix product (float32 rounding, below 1e-6).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import scipy.sparse as sp

from skillgraph.data.schema import Employee, MentorMode, MentorOffer
from skillgraph.recommend.credit import CreditTable, dense_rows
from skillgraph.recommend.gaps import EPSILON, GapAnalyzer
from skillgraph.recommend.needs import Needs
from skillgraph.retrieval.vectors import VectorIndex, top_k_rows

if TYPE_CHECKING:
    from skillgraph.graph.ontology import SkillGraph

MODES = tuple(MentorMode)
MODE_CODE = {m: i for i, m in enumerate(MODES)}
NO_CODE = -2  # an id the table does not know: equal to no code (-1 is "no manager")
SCORE_COLUMNS = 2048  # cached offer-score columns, per skill and per employee (20 KB per 5k)
BELOW_NEEDED_CREDIT = 0.3  # a mentor ahead of the mentee but below the needed level helps a little
UNKNOWN_SENIORITY_FIT = 0.5


@dataclass(frozen=True)
class OfferSource:
    """What the table needs about one offer (mentors.py's candidate)."""

    offer: MentorOffer
    mentor: Employee
    seniority: int
    held: Mapping[str, float]


class OfferTable:
    """Mentor offers (rows) with their arrays; `load` gives an offer's current mentees."""

    def __init__(
        self,
        analyzer: GapAnalyzer,
        sources: Sequence[OfferSource],
        load: Callable[[str], int],
        indexes: Mapping[str, VectorIndex],
        dim: int,
        skill_vector: Callable[[str], np.ndarray | None],
    ) -> None:
        """`skill_vector`: a skill's embedding (None when it has none), for `search_scores`."""
        self.sources = list(sources)
        offers = [s.offer for s in self.sources]
        mentors = [s.mentor for s in self.sources]
        self.row = {o.id: r for r, o in enumerate(offers)}
        self.credit = CreditTable(analyzer, [s.held for s in self.sources])
        self.seniority = np.array([s.seniority for s in self.sources], dtype=np.int64)
        self.utc = np.array([m.utc_offset for m in mentors], dtype=np.float64)
        self.capacity = np.array([o.capacity for o in offers], dtype=np.int64)
        self.free = self.capacity - np.array([load(o.id) for o in offers], dtype=np.int64)
        available = np.array(
            [o.available and m.active for o, m in zip(offers, mentors, strict=True)], dtype=bool
        )
        self.open = available & (self.free > 0)
        self.codes: dict[str, int] = {}
        self.mentor_code = self._encode([m.id for m in mentors])
        self.manager_code = self._encode([m.manager_id for m in mentors])
        self.departments = {
            d: i for i, d in enumerate(dict.fromkeys(m.department for m in mentors))
        }
        self.department = np.array(
            [self.departments[m.department] for m in mentors], dtype=np.int64
        )
        width = max((len(o.modes) for o in offers), default=0)
        self.mode_at = np.full((len(offers), width), -1, dtype=np.int64)
        for r, offer in enumerate(offers):
            self.mode_at[r, : len(offer.modes)] = [MODE_CODE[m] for m in offer.modes]
        self.has_topics = np.array([bool(o.topics) for o in offers], dtype=bool)
        self.topics = _topic_matrix(analyzer.graph, offers, self.credit.column)
        self.holders = _holders(analyzer.graph, self.sources)
        self.offer_vectors, self.in_index = _vectors(
            indexes.get("mentors"), [o.id for o in offers], dim
        )
        self.mentor_vectors, _ = _vectors(indexes.get("employees"), [m.id for m in mentors], dim)
        self._skill_vector = skill_vector
        self._skill_column = functools.lru_cache(maxsize=SCORE_COLUMNS)(self._column_of_skill)
        self._employee_column = functools.lru_cache(maxsize=SCORE_COLUMNS)(self._column_of)

    def __len__(self) -> int:
        return len(self.sources)

    def _encode(self, ids: Sequence[str | None]) -> np.ndarray:
        return np.array(
            [-1 if i is None else self.codes.setdefault(i, len(self.codes)) for i in ids],
            dtype=np.int64,
        )

    def code(self, employee_id: str | None) -> int:
        return NO_CODE if employee_id is None else self.codes.get(employee_id, NO_CODE)

    def search_scores(
        self, skill_ids: Sequence[str], mentee_id: str | None, mentee_vector: np.ndarray | None
    ) -> tuple[bool, np.ndarray | None]:
        """Scores that rank the offers as their cosine with mentors.py's query vector does
        (the normalised mean of the needed skills' vectors plus the mentee's vector), made from
        cached per-skill and per-mentee columns instead of one product with every offer per
        query. (False, None) when a skill has no vector (the caller encodes the needs' text);
        (True, None) when the query vector is zero (no search)."""
        vectors = [self._skill_vector(s) for s in skill_ids]
        if not vectors or any(v is None for v in vectors):
            return False, None
        mean = np.stack(vectors).astype(np.float64).mean(axis=0)  # type: ignore[arg-type]
        norm = float(np.linalg.norm(mean))
        if norm <= 0:
            return False, None
        total = sum(self._skill_column(s) for s in skill_ids) / (len(skill_ids) * norm)
        query = mean / norm
        if mentee_vector is not None and mentee_id is not None:
            total = total + self._employee_column(mentee_id, mentee_vector.tobytes())
            query = query + mentee_vector
        if float(np.linalg.norm(query)) <= 0:
            return True, None
        return True, np.asarray(total, dtype=np.float64)

    def _column_of_skill(self, skill_id: str) -> np.ndarray:
        vector = self._skill_vector(skill_id)
        return self.offer_vectors.astype(np.float64) @ np.asarray(vector, dtype=np.float64)

    def _column_of(self, employee_id: str, vector: bytes) -> np.ndarray:
        query = np.frombuffer(vector, dtype=np.float32).astype(np.float64)
        return self.offer_vectors.astype(np.float64) @ query

    def topic_allows(self, rows: np.ndarray, skill_ids: Sequence[str]) -> np.ndarray:
        """(rows, skills): the offer covers the skill (no topics, or a topic at, above or under
        it; mentors.py `_offers_topic`)."""
        allowed = dense_rows(self.topics, self.credit.columns(skill_ids), rows)
        return allowed | ~self.has_topics[rows][:, None]


def overlap_hours(offsets: np.ndarray, other: float, workday_hours: float) -> np.ndarray:
    """mentors.overlap_hours for many offsets against one."""
    distance = np.abs(offsets - other) % 24.0
    distance = np.minimum(distance, 24.0 - distance)
    return np.maximum(0.0, workday_hours - distance)


def eligible(
    table: OfferTable,
    mentee: Employee | None,
    *,
    excluded: Collection[str],
    other_department: bool,
    min_overlap: float | None,
    workday_hours: float,
) -> np.ndarray:
    """Mask over the rows: open offers, not excluded, within the rules for this mentee."""
    keep = table.open.copy()
    gone = [table.row[o] for o in excluded if o in table.row]
    keep[gone] = False
    if mentee is None:
        return keep
    me = table.code(mentee.id)
    keep &= table.mentor_code != me  # not oneself
    keep &= table.manager_code != me  # not one's direct report
    if mentee.manager_id is not None:
        keep &= table.mentor_code != table.code(mentee.manager_id)  # not one's manager
    if other_department:
        keep &= table.department != table.departments.get(mentee.department, NO_CODE)
    if min_overlap is not None:
        keep &= overlap_hours(table.utc, mentee.utc_offset, workday_hours) >= min_overlap
    return keep


def candidates(
    table: OfferTable,
    needs: Needs,
    allowed: np.ndarray,
    scores: np.ndarray | None,
    fetch: int,
) -> np.ndarray:
    """Sorted rows: allowed holders of a needed skill (or a narrower one), and the `fetch`
    allowed offers that rank best by `scores` (one per offer: the cosine with the query
    vector, or what ranks alike; None: no search), as mentors.py `_generate`."""
    parts = [table.holders.get(n.skill_id, np.zeros(0, dtype=np.int64)) for n in needs.needs]
    found = np.unique(np.concatenate(parts)) if parts else np.zeros(0, dtype=np.int64)
    found = found[allowed[found]]
    searchable = np.flatnonzero(allowed & table.in_index)
    if scores is not None and len(searchable):
        found = np.union1d(found, searchable[top_k_rows(scores[searchable], fetch)])
    return found.astype(np.int64)


@dataclass
class ScoredOffers:
    """Scored candidate rows (only those with coverage and a fitting mode)."""

    rows: np.ndarray
    levels: np.ndarray  # (rows, needs): the mentor's level as counted for each need
    values: np.ndarray  # (rows, needs): coverage value per need, 0 when not covered
    mode: np.ndarray  # MODE_CODE of the chosen mode
    signals: dict[str, np.ndarray]  # coverage, similarity, mode_fit, overlap, availability
    score: np.ndarray


GroupFit = Callable[[int, list[int]], float]  # (row, covered need positions) -> fit


def score_offers(
    table: OfferTable,
    rows: np.ndarray,
    needs: Needs,
    *,
    wanted: MentorMode | None,
    mentee_seniority: int,
    mentee_vector: np.ndarray | None,
    mentee_offset: float | None,
    weights: Mapping[str, float],
    workday_hours: float,
    group_fit: GroupFit,
) -> ScoredOffers:
    skill_ids = [n.skill_id for n in needs.needs]
    required = np.array([n.required_level for n in needs.needs])
    current = np.array([n.current_level for n in needs.needs])
    gap = np.array([n.gap for n in needs.needs])
    levels = table.credit.levels(skill_ids, required, rows)
    values = _values(levels, required, current, gap) * table.topic_allows(rows, skill_ids)
    coverage = _weighted_coverage(values, needs)
    keep = coverage > EPSILON
    rows, levels, values, coverage = rows[keep], levels[keep], values[keep], coverage[keep]
    fits = _mode_fits(table, rows, levels, values, required, current, mentee_seniority)
    fits[MODE_CODE[MentorMode.GROUP]] = _group_fits(table, rows, values, wanted, group_fit)
    mode, fit = _choose_mode(table, rows, fits, wanted)
    keep = mode >= 0
    rows, levels, values, coverage, mode, fit = (
        a[keep] for a in (rows, levels, values, coverage, mode, fit)
    )
    if mentee_vector is None:
        similarity = np.zeros(len(rows))
    else:
        cosine = table.mentor_vectors[rows] @ np.asarray(mentee_vector, dtype=np.float32)
        similarity = np.minimum(1.0, np.maximum(0.0, cosine.astype(np.float64)))
    if mentee_offset is None:
        overlap = np.ones(len(rows))
    else:
        overlap = overlap_hours(table.utc[rows], mentee_offset, workday_hours) / workday_hours
    capacity = table.capacity[rows]
    availability = np.where(capacity > 0, table.free[rows] / np.maximum(capacity, 1), 0.0)
    signals = {
        "coverage": coverage,
        "similarity": similarity,
        "mode_fit": fit,
        "overlap": overlap,
        "availability": availability,
    }
    score = np.zeros(len(rows))
    for name, value in signals.items():
        score = score + weights[name] * value
    return ScoredOffers(rows, levels, values, mode, signals, score)


def _values(
    levels: np.ndarray, required: np.ndarray, current: np.ndarray, gap: np.ndarray
) -> np.ndarray:
    """1 at the needed level; 0.3 x the share of the gap the mentor is ahead below it."""
    ahead = (levels > current + EPSILON) & (gap > 0)
    below = BELOW_NEEDED_CREDIT * (levels - current) / np.where(gap > 0, gap, 1.0)
    return np.where(levels + EPSILON >= required, 1.0, np.where(ahead, below, 0.0))


def _weighted_coverage(values: np.ndarray, needs: Needs) -> np.ndarray:
    total = sum(n.importance * n.gap for n in needs.needs)
    covered = np.zeros(len(values))
    if total <= EPSILON:
        for j in range(len(needs.needs)):
            covered = covered + values[:, j]
        count = float(len(needs.needs))
        return covered / count if count else covered
    for j, n in enumerate(needs.needs):
        covered = covered + np.where(values[:, j] > 0, values[:, j] * n.importance * n.gap, 0.0)
    return covered / total


def _mode_fits(
    table: OfferTable,
    rows: np.ndarray,
    levels: np.ndarray,
    values: np.ndarray,
    required: np.ndarray,
    current: np.ndarray,
    mentee_seniority: int,
) -> np.ndarray:
    """(modes, rows) fit of each mode, NaN where its rule fails (mentors.py `_mode_fit`)."""
    nan = np.nan
    seniority = table.seniority[rows]
    known = (seniority > 0) & (mentee_seniority > 0)
    delta = seniority - mentee_seniority
    covered = values > 0
    fits = np.full((len(MODES), len(rows)), nan)
    one = np.where(delta > 0, np.where(delta <= 2, 1.0, 0.8), nan)
    fits[MODE_CODE[MentorMode.ONE_ON_ONE]] = np.where(known, one, UNKNOWN_SENIORITY_FIT)
    ahead = np.zeros(len(rows))
    for j in range(levels.shape[1]):
        ahead = ahead + np.where(covered[:, j], np.maximum(0.0, levels[:, j] - required[j]), 0.0)
    count = np.maximum(covered.sum(axis=1), 1)
    level_close = 1.0 - np.minimum(1.0, (ahead / count) / 5.0)
    peer = np.where(np.abs(delta) > 1, nan, 0.5 * (1.0 - 0.5 * np.abs(delta)) + 0.5 * level_close)
    fits[MODE_CODE[MentorMode.PEER]] = np.where(known, peer, UNKNOWN_SENIORITY_FIT)
    stronger = np.all(~covered | (levels > current + EPSILON), axis=1)
    reverse = known & (delta < 0) & stronger
    fits[MODE_CODE[MentorMode.REVERSE]] = np.where(reverse, 1.0, nan)
    return fits


def _group_fits(
    table: OfferTable,
    rows: np.ndarray,
    values: np.ndarray,
    wanted: MentorMode | None,
    group_fit: GroupFit,
) -> np.ndarray:
    """Group fit where the offer lists the group mode (and no other mode is asked for)."""
    out = np.full(len(rows), np.nan)
    if wanted not in (None, MentorMode.GROUP):
        return out
    offers_group = (table.mode_at[rows] == MODE_CODE[MentorMode.GROUP]).any(axis=1)
    for p in np.flatnonzero(offers_group):
        out[p] = group_fit(int(rows[p]), np.flatnonzero(values[p] > 0).tolist())
    return out


def _choose_mode(
    table: OfferTable, rows: np.ndarray, fits: np.ndarray, wanted: MentorMode | None
) -> tuple[np.ndarray, np.ndarray]:
    """Per row, the mode kept (-1: none) and its fit: `wanted` if offered and fitting, else the
    offer's modes in its order, a later one only when better by more than EPSILON."""
    positions = np.arange(len(rows))
    if wanted is not None:
        code = MODE_CODE[wanted]
        offered = (table.mode_at[rows] == code).any(axis=1)
        fit = np.where(offered, fits[code], np.nan)
        return np.where(np.isnan(fit), -1, code), fit
    best = np.full(len(rows), -1, dtype=np.int64)
    best_fit = np.full(len(rows), np.nan)
    for p in range(table.mode_at.shape[1]):
        code = table.mode_at[rows, p]
        fit = np.where(code >= 0, fits[np.maximum(code, 0), positions], np.nan)
        better = ~np.isnan(fit) & ((best < 0) | (fit > best_fit + EPSILON))
        best = np.where(better, code, best)
        best_fit = np.where(better, fit, best_fit)
    return best, best_fit


def _topic_matrix(
    graph: SkillGraph, offers: Sequence[MentorOffer], column: Mapping[str, int]
) -> sp.csc_matrix:
    """(offers, skills): the skills an offer's topics allow (a topic, under or above one)."""
    rows: list[int] = []
    cols: list[int] = []
    for r, offer in enumerate(offers):
        allowed: set[str] = set()
        for topic in offer.topics:
            allowed |= {topic, *graph.descendants(topic), *graph.ancestors(topic)}
        cols += [column[s] for s in allowed]
        rows += [r] * len(allowed)
    data = np.ones(len(rows), dtype=bool)
    return sp.csc_matrix((data, (rows, cols)), shape=(len(offers), len(column)), dtype=bool)


def _holders(graph: SkillGraph, sources: Sequence[OfferSource]) -> dict[str, np.ndarray]:
    """skill -> sorted rows whose mentor holds it or a narrower skill (at any level)."""
    found: dict[str, list[int]] = {}
    for r, source in enumerate(sources):
        for skill_id in source.held:
            for key in {skill_id, *graph.ancestors(skill_id)}:
                found.setdefault(key, []).append(r)
    return {s: np.unique(np.array(r, dtype=np.int64)) for s, r in found.items()}


def _vectors(
    index: VectorIndex | None, ids: Sequence[str], dim: int
) -> tuple[np.ndarray, np.ndarray]:
    """The vectors of `ids` in order (zero rows when absent) and which are present."""
    out = np.zeros((len(ids), dim), dtype=np.float32)
    present = np.zeros(len(ids), dtype=bool)
    if index is None or not len(index):
        return out, present
    known, vectors = index.export()
    position: dict[str, list[int]] = {}
    for r, id_ in enumerate(ids):
        position.setdefault(id_, []).append(r)
    for k, id_ in enumerate(known):
        for r in position.get(id_, ()):
            out[r] = vectors[k]
            present[r] = True
    return out, present
