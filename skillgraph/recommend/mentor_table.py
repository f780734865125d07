"""Mentor offers as arrays, and every mentor candidate of a query scored at once.

`OfferTable` is built when the mentor recommender first answers: per offer the mentor's
partial-credit levels (credit.py), seniority, time zone, department, capacity left, modes, the
skills its topics allow, and the offer's and the mentor's embeddings. The functions below apply
mentors.py's rules (eligibility, candidate generation, coverage, mode fit, the five signals and
their weighted score) to arrays of candidates instead of one candidate at a time. Sums run need
by need in the order mentors.py adds them, so the numbers are the same; only cosines come from
one matrix product (float32 rounding, below 1e-6). `score_offers_many` scores the candidates
of several queries of one mentee at once (need_grid.py).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import scipy.sparse as sp

from skillgraph.data.schema import Employee, MentorMode, MentorOffer
from skillgraph.recommend.credit import CreditTable, dense_rows
from skillgraph.recommend.gaps import EPSILON, GapAnalyzer
from skillgraph.recommend.need_grid import NeedGrid
from skillgraph.recommend.needs import Needs
from skillgraph.retrieval.vectors import VectorIndex, top_k_rows

if TYPE_CHECKING:
    from skillgraph.graph.ontology import SkillGraph

MODES = tuple(MentorMode)
MODE_CODE = {m: i for i, m in enumerate(MODES)}
NO_CODE = -2  # an id the table does not know: equal to no code (-1 is "no manager")
SCORE_CACHE_FLOATS = 16_000_000  # offer x skill cosines kept: 64 MB of float32 at most
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
        skill_vectors: Callable[[], tuple[Mapping[str, int], np.ndarray] | None],
    ) -> None:
        """`skill_vectors`: (skill id -> row, matrix) of the skills' embeddings, or None."""
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
        self.seats = np.array([max(1, o.max_group_size - 1) for o in offers], dtype=np.int64)
        self.has_topics = np.array([bool(o.topics) for o in offers], dtype=bool)
        self.topics = _topic_matrix(analyzer.graph, offers, self.credit.column)
        self.holders = _holders(analyzer.graph, self.sources)
        self.offer_vectors, self.in_index = _vectors(
            indexes.get("mentors"), [o.id for o in offers], dim
        )
        self.mentor_vectors, _ = _vectors(indexes.get("employees"), [m.id for m in mentors], dim)
        self._skill_vectors = skill_vectors
        self._all_columns: np.ndarray | None = None  # skills x offers, when within budget
        columns = min(4096, max(64, SCORE_CACHE_FLOATS // max(len(offers), 1)))
        self._skill_columns = _Columns(self.offer_vectors, columns)
        self._mentee_columns = _Columns(self.offer_vectors, max(16, columns // 8))

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
        per-skill and per-mentee score columns instead of a product with every offer per query.
        (False, None) when a skill has no vector (the caller encodes the needs' text); (True,
        None) when the query vector is zero (no search).

        The columns of every skill are computed in one product on first use when offers x
        skills fit SCORE_CACHE_FLOATS; otherwise the most recently used are kept."""
        found = self._skill_vectors()
        if found is None or not skill_ids or any(s not in found[0] for s in skill_ids):
            return False, None
        rows, matrix = found
        positions = [rows[s] for s in skill_ids]
        mean = matrix[positions].astype(np.float64).mean(axis=0)
        norm = float(np.linalg.norm(mean))
        if norm <= 0:
            return False, None
        columns = self._columns(skill_ids, positions, matrix)
        total = columns.astype(np.float64).sum(axis=0) / (len(skill_ids) * norm)
        query = mean / norm
        if mentee_vector is not None and mentee_id is not None:
            mine = self._mentee_columns.get([mentee_id], lambda _: mentee_vector[None, :])[0]
            total = total + mine.astype(np.float64)
            query = query + mentee_vector
        if float(np.linalg.norm(query)) <= 0:
            return True, None
        return True, total

    def warm(self) -> None:
        """Compute every skill's score column now, when within budget."""
        found = self._skill_vectors()
        if found is not None and len(self) * len(found[1]) <= SCORE_CACHE_FLOATS:
            self._columns([], [], found[1])

    def _columns(
        self, skill_ids: Sequence[str], positions: list[int], matrix: np.ndarray
    ) -> np.ndarray:
        """(skills, offers) cosines of the offers with these skills."""
        if self._all_columns is None and len(self) * len(matrix) <= SCORE_CACHE_FLOATS:
            self._all_columns = np.ascontiguousarray(matrix @ self.offer_vectors.T)
        if self._all_columns is not None:
            return self._all_columns[positions]
        by_skill = dict(zip(skill_ids, positions, strict=True))
        return np.stack(
            self._skill_columns.get(skill_ids, lambda ids: matrix[[by_skill[i] for i in ids]])
        )

    def topic_allows(self, rows: np.ndarray, skill_ids: Sequence[str]) -> np.ndarray:
        """(rows, skills): the offer covers the skill (no topics, or a topic at, above or under
        it; mentors.py `_offers_topic`)."""
        allowed = dense_rows(self.topics, self.credit.columns(skill_ids), rows)
        return allowed | ~self.has_topics[rows][:, None]


class _Columns:
    """Score columns `matrix @ vector` by key, the least recently used dropped past `size`;
    the missing ones of a call are computed in one matrix product. Safe across threads."""

    def __init__(self, matrix: np.ndarray, size: int) -> None:
        self.matrix = matrix
        self.size = size
        self._kept: OrderedDict[str, np.ndarray] = OrderedDict()
        self._lock = threading.Lock()

    def get(
        self, keys: Sequence[str], vectors: Callable[[list[str]], np.ndarray]
    ) -> list[np.ndarray]:
        """The columns of `keys`; `vectors(missing keys)` gives the rows to multiply by."""
        with self._lock:
            found = {k: self._kept[k] for k in keys if k in self._kept}
        missing = [k for k in dict.fromkeys(keys) if k not in found]
        if missing:
            block = self.matrix @ np.asarray(vectors(missing), dtype=np.float32).T
            found.update(zip(missing, np.ascontiguousarray(block.T), strict=True))
        with self._lock:
            for key in keys:
                self._kept[key] = found[key]
                self._kept.move_to_end(key)
            while len(self._kept) > self.size:
                self._kept.popitem(last=False)
        return [found[k] for k in keys]


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
    *,
    searchable: np.ndarray | None = None,
) -> np.ndarray:
    """Sorted rows: allowed holders of a needed skill (or a narrower one), and the `fetch`
    allowed offers that rank best by `scores` (one per offer: the cosine with the query
    vector, or what ranks alike; None: no search), as mentors.py `_generate`."""
    parts = [table.holders.get(n.skill_id, np.zeros(0, dtype=np.int64)) for n in needs.needs]
    found = np.unique(np.concatenate(parts)) if parts else np.zeros(0, dtype=np.int64)
    found = found[allowed[found]]
    if searchable is None:  # the allowed offers in the index (callers may share it)
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


@dataclass(frozen=True)
class GroupFit:
    """The group-mode fit: `fit(row, covered need positions)` counts the other employees with
    a gap on those needs; `sizes()` gives, per need, how many have a gap on it and `skipped`
    how many of them never count (the mentor, the mentee), so a need alone filling the group
    settles the fit at 1 without counting (mentors.group_fill)."""

    fit: Callable[[int, list[int]], float]
    sizes: Callable[[], np.ndarray]
    skipped: int


def score_offers_many(
    table: OfferTable,
    rows_list: Sequence[np.ndarray],
    needs_list: Sequence[Needs],
    *,
    wanted: MentorMode | None,
    mentee_seniority: int,
    mentee_vector: np.ndarray | None,
    mentee_offset: float | None,
    weights: Mapping[str, float],
    workday_hours: float,
    groups: Sequence[GroupFit],
) -> list[ScoredOffers]:
    """Candidate offers scored for several queries of one mentee (candidate rows and needs
    each) in one pass: their rows are stacked and their needs padded to the widest, so each array
    operation runs once for all of them. Padding adds only zeros, which leaves every sum as
    it is; the numbers are those of one query at a time."""
    grid = NeedGrid.of(needs_list)
    counts = [len(r) for r in rows_list]
    rows = np.concatenate([np.asarray(r, dtype=np.int64) for r in rows_list])
    query = np.repeat(np.arange(len(rows_list)), counts)
    valid, required, current = grid.valid[query], grid.required[query], grid.current[query]
    gap, importance = grid.gap[query], grid.importance[query]
    levels, allowed = _levels_and_topics(table, rows, grid, query)
    values = np.where(valid, _values(levels, required, current, gap) * allowed, 0.0)
    totals = np.array([sum(n.importance * n.gap for n in needs.needs) for needs in needs_list])
    coverage = _weighted_coverage_rows(values, importance, gap, totals[query], grid, query)
    keep = coverage > EPSILON
    rows, query, levels, values, coverage = (
        a[keep] for a in (rows, query, levels, values, coverage)
    )
    required, current = required[keep], current[keep]
    fits = _mode_fits(table, rows, levels, values, required, current, mentee_seniority)
    fits[MODE_CODE[MentorMode.GROUP]] = _group_fits(table, rows, query, values, wanted, groups)
    mode, fit = _choose_mode(table, rows, fits, wanted)
    keep = mode >= 0
    rows, query, levels, values, coverage, mode, fit = (
        a[keep] for a in (rows, query, levels, values, coverage, mode, fit)
    )
    bounds = np.searchsorted(query, np.arange(len(rows_list) + 1)).tolist()
    similarity = np.zeros(len(rows))
    if mentee_vector is not None:
        vector = np.asarray(mentee_vector, dtype=np.float32)
        for q in range(len(rows_list)):  # one product per query, as alone (same rounding)
            part = slice(bounds[q], bounds[q + 1])
            cosine = table.mentor_vectors[rows[part]] @ vector
            similarity[part] = np.minimum(1.0, np.maximum(0.0, cosine.astype(np.float64)))
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
    out = []
    for q, width in enumerate(grid.widths):
        part = slice(bounds[q], bounds[q + 1])
        out.append(
            ScoredOffers(
                rows[part],
                levels[part, :width],
                values[part, :width],
                mode[part],
                {name: value[part] for name, value in signals.items()},
                score[part],
            )
        )
    return out


def _levels_and_topics(
    table: OfferTable, rows: np.ndarray, grid: NeedGrid, query: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """(rows, width): the mentor's level as counted for each need of the row's query
    (CreditTable.levels), and whether the offer's topics allow the need's skill."""
    distinct = np.unique(rows)
    at = np.searchsorted(distinct, rows)[:, None]
    cols = table.credit.columns(grid.skill_ids)
    need_cols = grid.column[query]
    direct = dense_rows(table.credit.direct, cols, distinct)[at, need_cols]
    partial = dense_rows(table.credit.partial, cols, distinct)[at, need_cols]
    levels = np.maximum(direct, np.minimum(partial, grid.required[query]))
    topics = dense_rows(table.topics, cols, distinct)[at, need_cols]
    return levels, topics | ~table.has_topics[rows][:, None]


def _weighted_coverage_rows(
    values: np.ndarray,
    importance: np.ndarray,
    gap: np.ndarray,
    total: np.ndarray,
    grid: NeedGrid,
    query: np.ndarray,
) -> np.ndarray:
    """mentors._weighted_coverage per row against its query's needs; terms added left to
    right (a cumulative sum), the padding adding zeros."""
    if not len(values) or not values.shape[1]:
        return np.zeros(len(values))
    terms = np.where(values > 0, values * importance * gap, 0.0)
    weighted = np.cumsum(terms, axis=1)[:, -1]
    covered = np.cumsum(values, axis=1)[:, -1]
    count = np.maximum(np.array(grid.widths, dtype=np.float64), 1.0)[query]
    small = total <= EPSILON
    result: np.ndarray = np.where(small, covered / count, weighted / np.where(small, 1.0, total))
    return result


def _values(
    levels: np.ndarray, required: np.ndarray, current: np.ndarray, gap: np.ndarray
) -> np.ndarray:
    """1 at the needed level; 0.3 x the share of the gap the mentor is ahead below it."""
    ahead = (levels > current + EPSILON) & (gap > 0)
    below = BELOW_NEEDED_CREDIT * (levels - current) / np.where(gap > 0, gap, 1.0)
    return np.where(levels + EPSILON >= required, 1.0, np.where(ahead, below, 0.0))


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
    beyond = np.where(covered, np.maximum(0.0, levels - required), 0.0)
    ahead = np.cumsum(beyond, axis=1)[:, -1] if beyond.size else np.zeros(len(rows))
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
    query: np.ndarray,
    values: np.ndarray,
    wanted: MentorMode | None,
    groups: Sequence[GroupFit],
) -> np.ndarray:
    """Group fit where the offer lists the group mode (and no other mode is asked for);
    `groups[query[p]]` counts for row p."""
    out = np.full(len(rows), np.nan)
    if wanted not in (None, MentorMode.GROUP):
        return out
    offers_group = (table.mode_at[rows] == MODE_CODE[MentorMode.GROUP]).any(axis=1)
    if not offers_group.any():
        return out
    covered = values > 0
    sizes = np.zeros((len(groups), values.shape[1]), dtype=np.int64)
    for q in np.unique(query[offers_group]).tolist():
        found = groups[q].sizes()
        sizes[q, : len(found)] = found
    skipped = np.array([g.skipped for g in groups], dtype=np.int64)[query]
    largest = np.where(covered, sizes[query], 0).max(axis=1, initial=0)
    full = offers_group & (largest - skipped >= table.seats[rows])
    out[full] = 1.0
    for p in np.flatnonzero(offers_group & ~full).tolist():
        fit = groups[int(query[p])].fit
        out[p] = fit(int(rows[p]), np.flatnonzero(covered[p]).tolist())
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
