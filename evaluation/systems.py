"""What gets evaluated: the engine and the baselines behind one `rank(task, query, k)` call.

Every system answers with ids of the task's item kind (roles, skills, learning items, or mentors
as people: an offer id is mapped to the mentor's employee id), best first.

Baselines (one name each, all tasks):

| name       | roles, learning items, mentors (recommend.baselines) | skills (role_skills)         |
|------------|------------------------------------------------------|------------------------------|
| random     | RandomRecommender (seeded)                           | seeded shuffle of the skills |
| popularity | PopularityRecommender                                | required by the most roles   |
| tfidf      | TF-IDF cosine of the query text to target texts      | TF-IDF cosine to skill texts |
| embedding  | EmbeddingOnlyRecommender                             | nearest skills to the text   |
| graph      | GraphOnlyRecommender                                 | most required in the family  |

TF-IDF reads the same text recipes as the embedding model (skillgraph.retrieval.texts), with
English stop words removed, word 1-2 grams and sublinear tf; it keeps the product's hard rules
(not the current role; no mentor who is oneself, one's manager or report, or has no free place).

Roles related to a role (role_related_roles with a role query) are ranked by the same signals
computed once for all roles (a recommend.baselines recommender would build an explanation for
every candidate, ~2 s a query on ESCO): random a seeded shuffle; popularity moves into the role
plus 0.99 x the share of employees holding its skills; embedding the cosine of the role vectors;
graph the readiness (gaps.py, with partial credit) of someone fully in the role for each role,
from one matrix (recommend.credit.CreditTable). The engine is asked with every move (up, lateral,
down): related roles go both ways.

`prepare(task)` builds what a system needs for a task (fitting, indexes), so the runner can time
it apart from the ranking itself.
"""

from __future__ import annotations

import itertools
import zlib
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

import numpy as np

from evaluation.groundtruth import Task, mentor_person
from evaluation.protocols import EvalQuery
from skillgraph.data.schema import (
    FeedbackVerdict,
    Provenance,
    Records,
    Role,
    SkillKind,
    SkillRequirement,
    TargetKind,
)
from skillgraph.errors import NotFoundError, ValidationError
from skillgraph.recommend.base import Query, Recommender
from skillgraph.recommend.baselines import (
    EmbeddingOnlyRecommender,
    GraphOnlyRecommender,
    PopularityRecommender,
    RandomRecommender,
)
from skillgraph.recommend.credit import CreditTable
from skillgraph.recommend.gaps import EPSILON, analyzer_for, merged_profile, role_levels
from skillgraph.recommend.mentors import may_mentor
from skillgraph.retrieval import texts

if TYPE_CHECKING:
    from skillgraph.engine import Engine

BASELINES = ("random", "popularity", "tfidf", "embedding", "graph")
TARGET_OF_TASK = {
    Task.NEXT_ROLE: "roles",
    Task.ROLE_RELATED_ROLES: "roles",
    Task.SKILLS_ITEMS: "content",
    Task.EMPLOYEE_MENTORS: "mentors",
}
INDEX_OF_TASK = {
    Task.NEXT_ROLE: "roles",
    Task.ROLE_RELATED_ROLES: "roles",
    Task.SKILLS_ITEMS: "items",
    Task.EMPLOYEE_MENTORS: "mentors",
    Task.ROLE_SKILLS: "skills",
}
POSITIVE = (FeedbackVerdict.ACCEPTED, FeedbackVerdict.USEFUL)
ALL_MOVES = ("up", "lateral", "down")
HOLDER_SHARE = 0.99  # popularity tie-break weight, as recommend.baselines.PopularityRecommender
SkillRanker = Callable[[EvalQuery, int], list[str]]
RoleRanker = Callable[[EvalQuery, int], list[str]]


class System(Protocol):
    name: str
    kind: str  # "engine" or "baseline"

    def prepare(self, task: Task) -> None: ...

    def rank(self, task: Task, query: EvalQuery, k: int) -> list[str]: ...


def engine_query(query: EvalQuery, k: int, task: Task | None = None) -> Query:
    """The engine's query; related roles from a role are asked for in every direction."""
    related = task is Task.ROLE_RELATED_ROLES and query.employee_id is None
    return Query(
        employee_id=query.employee_id,
        role_id=query.role_id,
        skill_ids=query.skill_ids,
        k=k,
        filters={"moves": list(ALL_MOVES)} if related else {},
    )


def is_role_to_role(task: Task, query: EvalQuery) -> bool:
    return task is Task.ROLE_RELATED_ROLES and query.employee_id is None and bool(query.role_id)


def as_people(records: Records, ids: list[str]) -> list[str]:
    """Mentor offer ids -> the mentors' employee ids (first occurrence kept)."""
    people = [mentor_person(records, i) or i for i in ids]
    return list(dict.fromkeys(people))


class EngineSystem:
    """The engine as users get it."""

    kind = "engine"

    def __init__(self, engine: Engine, name: str = "engine") -> None:
        self.engine = engine
        self.name = name

    def prepare(self, task: Task) -> None:
        """Nothing: Engine.build fitted every recommender."""

    def rank(self, task: Task, query: EvalQuery, k: int) -> list[str]:
        engine = self.engine
        k = min(k, engine.settings.recommend.max_k)
        if task is Task.ROLE_SKILLS:
            return [skill for skill, _ in engine.infer_skills(query.text, k=k)]
        asked = engine_query(query, k, task)
        if task is Task.SKILLS_ITEMS:
            return [r.item_id for r in engine.content(asked)]
        if task is Task.EMPLOYEE_MENTORS:
            return as_people(engine.records, [r.item_id for r in engine.mentors(asked)])
        return [r.item_id for r in engine.next_roles(asked)]


class RecommenderBaseline:
    """A recommend.baselines recommender per target, and a skill ranker for role_skills."""

    kind = "baseline"

    def __init__(
        self,
        name: str,
        engine: Engine,
        make: Callable[[str], Recommender],
        skills: _Lazy,
        roles: _Lazy,
    ) -> None:
        self.name = name
        self.engine = engine
        self._make = make
        self._skills = skills
        self._roles = roles
        self._fitted: dict[str, Recommender] = {}

    def prepare(self, task: Task) -> None:
        if task is Task.ROLE_SKILLS:
            self._skills.build()
            return
        if task is Task.ROLE_RELATED_ROLES:
            self._roles.build()
        self._recommender(task)

    def rank(self, task: Task, query: EvalQuery, k: int) -> list[str]:
        k = min(k, self.engine.settings.recommend.max_k)
        if task is Task.ROLE_SKILLS:
            return self._skills(query, k)
        if is_role_to_role(task, query):
            return self._roles(query, k)
        target = TARGET_OF_TASK[task]
        recs = self._recommender(task).recommend(engine_query(query, k))
        ids = [r.item_id for r in recs]
        return as_people(self.engine.records, ids) if target == "mentors" else ids

    def _recommender(self, task: Task) -> Recommender:
        target = TARGET_OF_TASK[task]
        if target not in self._fitted:
            self._fitted[target] = self._make(target).fit(self.engine.ctx)
        return self._fitted[target]


class TfidfSystem:
    """TF-IDF cosine of the query text to each candidate's text (scikit-learn)."""

    kind = "baseline"
    name = "tfidf"

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._fitted: dict[str, _TfidfIndex] = {}

    def prepare(self, task: Task) -> None:
        self._index(task)

    def rank(self, task: Task, query: EvalQuery, k: int) -> list[str]:
        allowed = _allowed(self.engine.records, task, query)
        return self._index(task).search(query.text, k, allowed)

    def _index(self, task: Task) -> _TfidfIndex:
        target = INDEX_OF_TASK[task]
        if target not in self._fitted:
            self._fitted[target] = _TfidfIndex(candidate_texts(self.engine.records, task))
        return self._fitted[target]


@dataclass
class _TfidfIndex:
    pairs: list[tuple[str, str]]

    def __post_init__(self) -> None:
        from sklearn.feature_extraction.text import TfidfVectorizer

        self.ids = [i for i, _ in self.pairs]
        self.id_rank = np.argsort(np.argsort(np.array(self.ids, dtype=object)))  # ties by id
        self.vectorizer = TfidfVectorizer(
            sublinear_tf=True, ngram_range=(1, 2), stop_words="english"
        )
        corpus = [t for _, t in self.pairs]
        self.matrix = self.vectorizer.fit_transform(corpus) if any(corpus) else None
        # terms x candidates: a query row times it is ten times cheaper than matrix @ query.T
        self.by_term = self.matrix.T.tocsr() if self.matrix is not None else None

    def search(self, text: str, k: int, allowed: Callable[[str], bool]) -> list[str]:
        if self.by_term is None or not text.strip():
            return []
        scores = (self.vectorizer.transform([text]) @ self.by_term).toarray().ravel()
        hits = np.flatnonzero(scores > 0)
        order = hits[np.lexsort((self.id_rank[hits], -scores[hits]))]
        found: list[str] = []
        for i in order:
            if allowed(self.ids[i]):
                found.append(self.ids[i])
                if len(found) == k:
                    break
        return found


def candidate_texts(records: Records, task: Task) -> list[tuple[str, str]]:
    """(id, text) of every item of the task's kind, with the product's text recipes."""
    labels = {sid: s.label for sid, s in records.skills.items()}
    if task is Task.ROLE_SKILLS:
        return [
            (sid, texts.skill_text(s))
            for sid, s in sorted(records.skills.items())
            if s.kind is not SkillKind.GROUP
        ]
    if task is Task.SKILLS_ITEMS:
        return [(iid, texts.item_text(i, labels)) for iid, i in sorted(records.items.items())]
    if task is Task.EMPLOYEE_MENTORS:
        by_person: dict[str, list[str]] = {}
        for offer in sorted(records.mentors.values(), key=lambda o: o.id):
            emp = records.employees.get(offer.employee_id)
            if emp is not None:
                by_person.setdefault(emp.id, []).append(texts.mentor_text(offer, emp, labels))
        return [(p, " ".join(t)) for p, t in sorted(by_person.items())]
    return [(rid, texts.role_text(r, labels)) for rid, r in sorted(records.roles.items())]


def _allowed(records: Records, task: Task, query: EvalQuery) -> Callable[[str], bool]:
    mentee = records.employees.get(query.employee_id) if query.employee_id else None
    if task in (Task.NEXT_ROLE, Task.ROLE_RELATED_ROLES):
        current = mentee.role_id if mentee is not None else query.role_id
        return lambda rid: rid != current
    if task is Task.EMPLOYEE_MENTORS:
        open_people = {
            o.employee_id for o in records.mentors.values() if o.available and o.capacity > 0
        }

        def may(person: str) -> bool:
            mentor = records.employees.get(person)
            if person not in open_people or mentor is None or not mentor.active:
                return False
            return mentee is None or may_mentor(mentor, mentee)

        return may
    return lambda _id: True


# -- skill rankers for role_skills ----------------------------------------------------------------


def skill_ids(records: Records) -> list[str]:
    return sorted(sid for sid, s in records.skills.items() if s.kind is not SkillKind.GROUP)


def role_demand(records: Records) -> Counter[str]:
    """How many roles declare each skill (inferred profiles are the engine's output, not data)."""
    counts: Counter[str] = Counter()
    for role in records.roles.values():
        counts.update({r.skill_id for r in declared(role)})
    return counts


def declared(role: Role) -> list[SkillRequirement]:
    return [r for r in role.requirements if r.provenance is Provenance.DECLARED]


def random_skills(engine: Engine, seed: int) -> SkillRanker:
    pool = skill_ids(engine.records)

    def rank(query: EvalQuery, k: int) -> list[str]:
        rng = np.random.default_rng([seed, zlib.crc32(query.id.encode("utf-8"))])
        return [pool[i] for i in rng.permutation(len(pool))[:k]]

    return rank


def popular_skills(engine: Engine) -> SkillRanker:
    demand = role_demand(engine.records)
    ordered = sorted(skill_ids(engine.records), key=lambda s: (-demand.get(s, 0), s))
    return lambda _query, k: ordered[:k]


def embedded_skills(engine: Engine) -> SkillRanker:
    return lambda query, k: [s for s, _ in engine.search_skills(query.text, k=k)]


def family_skills(engine: Engine) -> SkillRanker:
    """Skills the other roles of the same family require, by summed importance."""
    records = engine.records
    demand = role_demand(records)

    def rank(query: EvalQuery, k: int) -> list[str]:
        role = records.roles.get(query.role_id or "")
        weight: dict[str, float] = {}
        if role is not None and role.family:
            for other in records.roles.values():
                if other.family == role.family and other.id != role.id:
                    for r in declared(other):
                        weight[r.skill_id] = weight.get(r.skill_id, 0.0) + r.importance
        ordered = sorted(
            skill_ids(records), key=lambda s: (-weight.get(s, 0.0), -demand.get(s, 0), s)
        )
        return ordered[:k]

    return rank


def make_baseline(name: str, engine: Engine, *, seed: int) -> System:
    """A baseline by name, over the engine's records, encoder and indexes."""
    if name == "tfidf":
        return TfidfSystem(engine)
    factories: dict[
        str,
        tuple[Callable[[str], Recommender], Callable[[], SkillRanker], Callable[[], RoleRanker]],
    ] = {
        "random": (
            lambda t: RandomRecommender(t, seed=seed),
            lambda: random_skills(engine, seed),
            lambda: random_roles(engine, seed),
        ),
        "popularity": (
            PopularityRecommender,
            lambda: popular_skills(engine),
            lambda: popular_roles(engine),
        ),
        "embedding": (
            EmbeddingOnlyRecommender,
            lambda: embedded_skills(engine),
            lambda: embedded_roles(engine),
        ),
        "graph": (
            GraphOnlyRecommender,
            lambda: family_skills(engine),
            lambda: readiness_roles(engine),
        ),
    }
    if name not in factories:
        raise ValidationError(f"unknown baseline {name!r}; expected one of {', '.join(BASELINES)}")
    make, skills_of, roles_of = factories[name]
    return RecommenderBaseline(name, engine, make, _Lazy(skills_of), _Lazy(roles_of))


class _Lazy:
    """Builds a ranker on first use (some read every skill or role of a large ontology)."""

    def __init__(self, factory: Callable[[], SkillRanker]) -> None:
        self._factory = factory
        self._ranker: SkillRanker | None = None

    def build(self) -> SkillRanker:
        if self._ranker is None:
            self._ranker = self._factory()
        return self._ranker

    def __call__(self, query: EvalQuery, k: int) -> list[str]:
        return self.build()(query, k)


# -- role rankers for related roles ---------------------------------------------------------------


def _others(ordered: Iterable[str], query: EvalQuery, k: int) -> list[str]:
    """The first k of `ordered` that are not the query's role."""
    return list(itertools.islice((r for r in ordered if r != query.role_id), k))


def random_roles(engine: Engine, seed: int) -> RoleRanker:
    pool = sorted(engine.records.roles)

    def rank(query: EvalQuery, k: int) -> list[str]:
        rng = np.random.default_rng([seed, zlib.crc32(query.id.encode("utf-8"))])
        return _others((pool[i] for i in rng.permutation(len(pool))), query, k)

    return rank


def popular_roles(engine: Engine) -> RoleRanker:
    """Moves into the role, then the share of employees holding its skills (one order)."""
    records = engine.records
    moves_in = interaction_counts(records, Task.ROLE_RELATED_ROLES)
    holders: Counter[str] = Counter()
    for emp in records.employees.values():
        holders.update({s.skill_id for s in emp.skills if s.level > 0})
    people = max(1, len(records.employees))

    def score(role: Role) -> float:
        skills = {r.skill_id for r in role.requirements}
        share = sum(holders[s] for s in skills) / people / len(skills) if skills else 0.0
        return moves_in.get(role.id, 0.0) + HOLDER_SHARE * share

    scores = {rid: score(role) for rid, role in records.roles.items()}
    ordered = sorted(scores, key=lambda r: (-scores[r], r))
    return lambda query, k: _others(ordered, query, k)


def _ranked_row(ids: Sequence[str], scores: np.ndarray, query: EvalQuery, k: int) -> list[str]:
    """Ids by score, best first (ties by id; `ids` sorted), the query's role left out."""
    order = np.lexsort((np.arange(len(ids)), -scores))
    return _others((ids[i] for i in order if np.isfinite(scores[i])), query, k)


def embedded_roles(engine: Engine) -> RoleRanker:
    """Cosine of the role vectors (the engine's "roles" index): EmbeddingOnlyRecommender's
    order for a role query."""
    ids, vectors = engine.ctx.index("roles").export()
    pairs = sorted(zip(ids, range(len(ids)), strict=True))
    ordered = [i for i, _ in pairs]
    matrix = _unit(np.asarray(vectors, dtype=np.float32)[[j for _, j in pairs]])
    row = {rid: n for n, rid in enumerate(ordered)}

    def rank(query: EvalQuery, k: int) -> list[str]:
        n = row.get(query.role_id or "")
        if n is None:
            return []
        return _ranked_row(ordered, matrix @ matrix[n], query, k)

    return rank


def readiness_roles(engine: Engine) -> RoleRanker:
    """Readiness of someone fully in the query's role for every role: GraphOnlyRecommender's
    order for a role query, from one matrix."""
    ids, matrix = readiness_matrix(engine)
    row = {rid: n for n, rid in enumerate(ids)}

    def rank(query: EvalQuery, k: int) -> list[str]:
        n = row.get(query.role_id or "")
        return [] if n is None else _ranked_row(ids, matrix[n], query, k)

    return rank


def readiness_matrix(engine: Engine) -> tuple[list[str], np.ndarray]:
    """(sorted role ids, R) with R[i, j] the readiness (0-100, as gaps.py) of someone holding
    role i's profile for role j."""
    graph = engine.ctx.graph
    ids = sorted(engine.records.roles)
    table = CreditTable(analyzer_for(engine.ctx), [role_levels(graph, r) for r in ids])
    rows = np.arange(len(ids))
    out = np.full((len(ids), len(ids)), 100.0, dtype=np.float32)
    for j, target in enumerate(ids):
        profile = [r for r in merged_profile(graph, target) if r.skill_id in table.column]
        if profile:
            out[:, j] = _readiness_column(table, profile, rows)
    return ids, out


def _readiness_column(
    table: CreditTable, profile: Sequence[SkillRequirement], rows: np.ndarray
) -> np.ndarray:
    required = np.array([r.level for r in profile], dtype=np.float64)
    levels = table.levels([r.skill_id for r in profile], required, rows)
    met = np.where(
        required > EPSILON,
        np.minimum(np.maximum(levels, 0.0), required) / np.where(required > EPSILON, required, 1.0),
        1.0,
    )
    weights = np.array([max(r.importance, 0.0) for r in profile], dtype=np.float64)
    if weights.sum() <= EPSILON:
        weights = np.ones_like(weights)
    return np.clip(100.0 * (met @ weights) / weights.sum(), 0.0, 100.0)


def _unit(matrix: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return np.divide(matrix, norms, out=np.zeros_like(matrix), where=norms > 0)


# -- what the beyond-accuracy metrics need --------------------------------------------------------


def catalog(records: Records, task: Task) -> list[str]:
    """Everything a system could recommend for the task."""
    if task is Task.ROLE_SKILLS:
        return skill_ids(records)
    if task is Task.SKILLS_ITEMS:
        return sorted(records.items)
    if task is Task.EMPLOYEE_MENTORS:
        return sorted(
            {o.employee_id for o in records.mentors.values() if o.available and o.capacity > 0}
        )
    return sorted(records.roles)


def interaction_counts(records: Records, task: Task) -> dict[str, float]:
    """How often each item was taken before: what novelty measures against."""
    if task is Task.ROLE_SKILLS:
        return {k: float(v) for k, v in role_demand(records).items()}
    counts: Counter[str] = Counter()
    if task in (Task.NEXT_ROLE, Task.ROLE_RELATED_ROLES):
        for emp in records.employees.values():
            chain = [s.role_id for s in sorted(emp.history, key=lambda s: s.start)]
            if not chain or chain[-1] != emp.role_id:
                chain.append(emp.role_id)
            counts.update(b for a, b in itertools.pairwise(chain) if a != b)
        return {k: float(v) for k, v in counts.items()}
    kind = TargetKind.CONTENT if task is Task.SKILLS_ITEMS else TargetKind.MENTOR
    for fb in records.feedback.values():
        if fb.target_kind is kind and fb.verdict in POSITIVE:
            target = fb.target_id
            if kind is TargetKind.MENTOR:
                target = mentor_person(records, target) or target
            counts[target] += 1
    return {k: float(v) for k, v in counts.items()}


def mentor_capacities(records: Records) -> dict[str, int]:
    """Mentor (person) -> places over their available offers."""
    capacity: Counter[str] = Counter()
    for offer in records.mentors.values():
        if offer.available:
            capacity[offer.employee_id] += max(0, offer.capacity)
    return {p: c for p, c in capacity.items() if c > 0}


def vector_lookup(engine: Engine, task: Task) -> Callable[[str], np.ndarray | None]:
    """The engine's embedding of an item of the task's kind (None when it has none)."""
    index = engine.ctx.index(INDEX_OF_TASK[task])
    first_offer: dict[str, str] = {}
    if task is Task.EMPLOYEE_MENTORS:
        for offer in sorted(engine.records.mentors.values(), key=lambda o: o.id, reverse=True):
            first_offer[offer.employee_id] = offer.id  # the smallest offer id wins

    def lookup(item_id: str) -> np.ndarray | None:
        try:
            return np.asarray(index.vector(first_offer.get(item_id, item_id)))
        except (NotFoundError, KeyError):
            return None

    return lookup
