"""The recommender contract: queries in, explained recommendations out.

Every recommender (mentors, content, roles, the baselines) is a `Recommender`: `fit` on an
`EngineContext`, `recommend` for a `Query`, `save` / `load` its parameters. Every
`Recommendation` carries an `Explanation` made of data (the gaps it closes with levels, the
named score signals, a readiness counterfactual) plus one line of prose.
"""

from __future__ import annotations

import json
import os
import tempfile
from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Self, TypeVar

from skillgraph.data.schema import (
    Employee,
    LearningItem,
    MentorOffer,
    Records,
    Skill,
    TargetKind,
)
from skillgraph.errors import NotFoundError, SkillgraphError, ValidationError

if TYPE_CHECKING:
    from skillgraph.config import Settings
    from skillgraph.graph.ontology import SkillGraph
    from skillgraph.retrieval.encoder import Encoder
    from skillgraph.retrieval.index import VectorIndex

INDEX_NAMES = ("skills", "roles", "employees", "mentors", "items")
PARAMS_FILE = "params.json"


@dataclass(frozen=True)
class GapReason:
    """One gap a recommendation helps close: the skill, the level needed and the level now."""

    skill_id: str
    skill_label: str
    required_level: float
    current_level: float
    importance: float

    @property
    def gap(self) -> float:
        return max(0.0, self.required_level - self.current_level)


@dataclass(frozen=True)
class Explanation:
    gaps: tuple[GapReason, ...] = ()  # which gaps it closes, at what level
    signals: Mapping[str, float] = field(default_factory=dict)  # named score components
    counterfactual: str | None = None  # "closing X raises readiness for R from 64 to 81"
    counterfactual_readiness: tuple[float, float] | None = None  # (before, after)
    text: str = ""  # one-line prose


@dataclass(frozen=True)
class Recommendation:
    item_id: str
    kind: TargetKind
    score: float
    explanation: Explanation
    payload: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Query:
    """What a caller asks for. `filters` keys are documented by each recommender."""

    employee_id: str | None = None
    role_id: str | None = None
    skill_ids: tuple[str, ...] = ()
    target_role_id: str | None = None
    k: int = 10
    filters: Mapping[str, Any] = field(default_factory=dict)


@dataclass
class EngineContext:
    """What recommenders see: the graph (and its records), the encoder, the vector indexes.

    `mentor_load` maps a mentor offer id to the number of mentees it currently has; the
    engine (from the store) fills it, an offer absent from it has no mentees.
    """

    graph: SkillGraph
    encoder: Encoder
    indexes: Mapping[str, VectorIndex]
    settings: Settings
    mentor_load: Mapping[str, int] = field(default_factory=dict)

    @property
    def records(self) -> Records:
        return self.graph.records

    def index(self, name: str) -> VectorIndex:
        try:
            return self.indexes[name]
        except KeyError:
            raise SkillgraphError(
                f"the engine context has no {name!r} index (has: {', '.join(self.indexes)})"
            ) from None

    def employee(self, employee_id: str) -> Employee:
        try:
            return self.records.employees[employee_id]
        except KeyError:
            raise NotFoundError("employee", employee_id) from None

    def offer(self, offer_id: str) -> MentorOffer:
        try:
            return self.records.mentors[offer_id]
        except KeyError:
            raise NotFoundError("mentor offer", offer_id) from None

    def item(self, item_id: str) -> LearningItem:
        try:
            return self.records.items[item_id]
        except KeyError:
            raise NotFoundError("learning item", item_id) from None

    def skill(self, skill_id: str) -> Skill:
        return self.graph.skill(skill_id)

    def skill_label(self, skill_id: str) -> str:
        skill = self.records.skills.get(skill_id)
        return skill.label if skill else skill_id

    def load_of(self, offer_id: str) -> int:
        return int(self.mentor_load.get(offer_id, 0))


class Recommender(ABC):
    """fit -> recommend -> save / load. Subclasses keep their tunables in `params()`.

    `load` rebuilds the recommender from its saved parameters and refits it on the given
    context, so a saved and reloaded recommender answers exactly like the original.
    """

    name: str = "recommender"
    kind: TargetKind = TargetKind.CONTENT

    def __init__(self) -> None:
        self._ctx: EngineContext | None = None

    @property
    def ctx(self) -> EngineContext:
        if self._ctx is None:
            raise SkillgraphError(f"{self.name}: call fit(ctx) before recommend")
        return self._ctx

    def fit(self, ctx: EngineContext) -> Self:
        self._ctx = ctx
        self._fit(ctx)
        return self

    def _fit(self, ctx: EngineContext) -> None:  # noqa: B027 - optional hook
        """Precompute what `recommend` needs; the default needs nothing."""

    @abstractmethod
    def recommend(self, query: Query) -> list[Recommendation]:
        """Best first; at most query.k results; unknown ids raise NotFoundError."""

    def params(self) -> dict[str, Any]:
        """JSON-serialisable constructor arguments."""
        return {}

    def save(self, directory: Path) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        payload = {"name": self.name, "class": type(self).__qualname__, "params": self.params()}
        write_json_atomic(directory / PARAMS_FILE, payload)

    @classmethod
    def load(cls, directory: Path, ctx: EngineContext) -> Self:
        path = directory / PARAMS_FILE
        try:
            payload = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise SkillgraphError(f"no saved recommender at {directory}") from None
        except json.JSONDecodeError as exc:
            raise SkillgraphError(f"corrupted recommender file {path}: {exc}") from None
        if payload.get("class") != cls.__qualname__:
            raise SkillgraphError(
                f"{path} holds a {payload.get('class')!r}, not a {cls.__qualname__!r}"
            )
        return cls(**payload.get("params", {})).fit(ctx)


def write_json_atomic(path: Path, payload: Any) -> None:
    """Write JSON to a temp file in the same folder, then os.replace."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(payload, handle, indent=2, sort_keys=True)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def check_query(ctx: EngineContext, query: Query) -> None:
    """k within [1, settings.recommend.max_k]; every id in the query known (NotFoundError)."""
    max_k = ctx.settings.recommend.max_k
    if not 1 <= query.k <= max_k:
        raise ValidationError(f"k must be between 1 and {max_k}, got {query.k}")
    if query.employee_id is not None:
        ctx.employee(query.employee_id)
    for role_id in (query.role_id, query.target_role_id):
        if role_id is not None:
            ctx.graph.role(role_id)
    for skill_id in query.skill_ids:
        ctx.graph.skill(skill_id)


def top_k(recommendations: list[Recommendation], k: int) -> list[Recommendation]:
    """Best first by score (ties by id for a stable order), one entry per id, at most k."""
    seen: set[str] = set()
    ordered: list[Recommendation] = []
    for rec in sorted(recommendations, key=lambda r: (-r.score, r.item_id)):
        if rec.item_id not in seen:
            seen.add(rec.item_id)
            ordered.append(rec)
    return ordered[:k]


Asked = TypeVar("Asked")
Given = TypeVar("Given")


def ask_each(
    ask: Callable[[Query, Given | None], Asked],
    queries: Sequence[Query],
    given: Sequence[Given] | None,
) -> list[Asked | None]:
    """`ask` for each query with its precomputed input (if any); None for a query it refuses
    (ValidationError), so a batch answers what it can, like the queries one at a time."""
    asked: list[Asked | None] = []
    for i, query in enumerate(queries):
        try:
            asked.append(ask(query, None if given is None else given[i]))
        except ValidationError:
            asked.append(None)
    return asked
