"""What to evaluate: dataset, protocols, metrics, baselines, and the engine set-ups to compare.

Read from a small TOML file (see evaluation/configs/example.toml and docs/evaluation.md) or built
from the `skillgraph evaluate` options. Relative paths in a file are relative to that file.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from evaluation.groundtruth import Task, parse_task
from evaluation.metrics import DEFAULT_METRICS, normalise_metrics
from evaluation.protocols import PROTOCOLS, RELATED_ROLES_K
from evaluation.systems import BASELINES
from skillgraph.config import RecommendSettings, Settings
from skillgraph.errors import ValidationError

DATASET_KINDS = ("sample", "company", "esco", "onet")
INDEX_CHOICES = ("auto", "flat", "hnsw")
FLAT_ALWAYS = 10**12  # flat_max that keeps every collection on an exact flat index
SAMPLE_COMPANY = Path(__file__).resolve().parents[1] / "datasets" / "sample_company"
CLI_DEFAULT_K = 10
CLI_DEFAULT_SEED = 42


@dataclass(frozen=True)
class DatasetSpec:
    """`kind` sample | company | esco | onet; `path` its folder; `base` an ontology below it."""

    kind: str = "sample"
    path: Path | None = None
    base: DatasetSpec | None = None

    @classmethod
    def parse(cls, text: str, *, relative_to: Path | None = None) -> DatasetSpec:
        """ "sample", "esco:PATH", "onet:PATH", "company:PATH" or a company folder PATH."""
        value = text.strip()
        if value == "sample":
            return cls("sample")
        kind, sep, rest = value.partition(":")
        if sep and kind in DATASET_KINDS and kind != "sample":
            return cls(kind, _resolve(Path(rest), relative_to))
        return cls("company", _resolve(Path(value), relative_to))

    def describe(self) -> str:
        own = "sample company" if self.kind == "sample" else f"{self.kind} {self.path}"
        return f"{own} on {self.base.describe()}" if self.base else own


@dataclass(frozen=True)
class Configuration:
    """One engine set-up: model, index type and recommender weights."""

    name: str = "default"
    model: str | None = None  # a sentence-transformers model name or folder, or "hashing"
    index: str = "auto"  # auto (by size) | flat (exact) | hnsw (approximate)
    weights: Mapping[str, float] = field(default_factory=dict)  # career-move signal weights
    recommend: Mapping[str, Any] = field(default_factory=dict)  # other RecommendSettings fields

    def __post_init__(self) -> None:
        if self.index not in INDEX_CHOICES:
            raise ValidationError(
                f"configuration {self.name!r}: index {self.index!r} is not one of "
                f"{', '.join(INDEX_CHOICES)}"
            )
        known = set(RecommendSettings().transition_weights)
        unknown = sorted(set(self.weights) - known)
        if unknown:
            raise ValidationError(
                f"configuration {self.name!r}: unknown weight(s) {', '.join(unknown)}; "
                f"known: {', '.join(sorted(known))}"
            )
        fields_known = {f.name for f in fields(RecommendSettings)} - {"transition_weights"}
        bad = sorted(set(self.recommend) - fields_known)
        if bad:
            raise ValidationError(
                f"configuration {self.name!r}: unknown recommend setting(s) {', '.join(bad)}"
            )

    def settings(self, base: Settings, data_dir: Path) -> Settings:
        retrieval = base.retrieval
        if self.model:
            retrieval = replace(retrieval, model=self.model)
        if self.index == "flat":
            retrieval = replace(retrieval, flat_max=FLAT_ALWAYS)
        elif self.index == "hnsw":
            retrieval = replace(retrieval, flat_max=0)
        recommend = replace(base.recommend, **dict(self.recommend))
        if self.weights:
            merged = {**recommend.transition_weights, **self.weights}
            recommend = replace(recommend, transition_weights=merged)
        return replace(base, retrieval=retrieval, recommend=recommend, data_dir=data_dir)

    def describe(self, base: Settings) -> dict[str, Any]:
        return {
            "name": self.name,
            "model": self.model or base.retrieval.model,
            "index": self.index,
            "weights": {**base.recommend.transition_weights, **self.weights},
            "recommend": dict(self.recommend),
        }


@dataclass(frozen=True)
class GroundTruthSpec:
    path: Path
    task: Task


@dataclass(frozen=True)
class EvaluationConfig:
    title: str = "skillgraph offline evaluation"
    dataset: DatasetSpec = field(default_factory=DatasetSpec)
    protocols: tuple[str, ...] = ()  # empty: every protocol that applies to the dataset
    ground_truth: tuple[GroundTruthSpec, ...] = ()
    metrics: tuple[str, ...] = DEFAULT_METRICS
    k: int = 10  # list length for the beyond-accuracy metrics
    seed: int = 42
    resamples: int = 2000
    confidence: float = 0.95
    baselines: tuple[str, ...] = BASELINES
    configurations: tuple[Configuration, ...] = (Configuration(),)
    group_by: tuple[str, ...] = ("department", "location", "family")
    group_min_queries: int = 5  # smaller groups are listed, never named best or worst
    next_role_sample: int | None = None  # None: every employee with a move
    skill_inference_sample: int = 50
    min_rating: int = 4
    related_roles_sample: int | None = None  # None: every role with a related role
    related_roles_k: int = RELATED_ROLES_K  # the related-roles protocol's own list length
    settings: Settings = field(default_factory=Settings)
    cache_dir: Path | None = None  # embeddings cached in cache_dir/embeddings between runs
    supply_demand: bool = True  # the mentor supply-and-demand section (companies with mentors)
    rounds: tuple[Path, ...] = ()  # mentoring rounds, oldest first: deficit trends (supply.py)

    def __post_init__(self) -> None:
        object.__setattr__(self, "metrics", tuple(normalise_metrics(self.metrics)))
        unknown = [p for p in self.protocols if p not in PROTOCOLS]
        if unknown:
            raise ValidationError(
                f"unknown protocol(s) {', '.join(unknown)}; expected {', '.join(PROTOCOLS)}"
            )
        if not isinstance(self.group_min_queries, int) or self.group_min_queries < 1:
            raise ValidationError(
                f"'group_min_queries' must be a whole number >= 1, got {self.group_min_queries!r}"
            )
        bad = [b for b in self.baselines if b not in BASELINES]
        if bad:
            raise ValidationError(
                f"unknown baseline(s) {', '.join(bad)}; expected {', '.join(BASELINES)}"
            )
        names = [c.name for c in self.configurations]
        if not names or len(set(names)) != len(names):
            raise ValidationError("configurations need distinct names (and at least one)")
        for name, value in (("k", self.k), ("related_roles.k", self.related_roles_k)):
            if not 1 <= value <= self.settings.recommend.max_k:
                raise ValidationError(
                    f"{name} must be within 1..{self.settings.recommend.max_k}, got {value}"
                )

    @classmethod
    def from_toml(cls, path: Path, *, settings: Settings | None = None) -> EvaluationConfig:
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise ValidationError(f"configuration file not found: {path}") from None
        except tomllib.TOMLDecodeError as exc:
            raise ValidationError(f"{path}: invalid TOML: {exc}") from None
        return cls.from_mapping(data, relative_to=path.parent, settings=settings)

    @classmethod
    def from_mapping(
        cls,
        data: Mapping[str, Any],
        *,
        relative_to: Path | None = None,
        settings: Settings | None = None,
    ) -> EvaluationConfig:
        known = {
            "title", "dataset", "protocols", "ground_truth", "metrics", "k", "seed",
            "resamples", "confidence", "baselines", "configuration", "group_by", "protocol",
            "group_min_queries", "cache_dir", "supply_demand", "rounds",
        }  # fmt: skip
        unknown = sorted(set(data) - known)
        if unknown:
            raise ValidationError(f"unknown configuration key(s): {', '.join(unknown)}")
        options = _table(data, "protocol")
        values: dict[str, Any] = {
            "dataset": _dataset(data.get("dataset", "sample"), relative_to),
            "ground_truth": tuple(
                _ground_truth(g, relative_to) for g in data.get("ground_truth", [])
            ),
            "configurations": tuple(_configuration(c) for c in data.get("configuration", []))
            or (Configuration(),),
            "next_role_sample": _table(options, "next_role").get("sample") or None,
            "skill_inference_sample": _table(options, "skill_inference").get("sample", 50),
            "min_rating": _table(options, "mentor_feedback").get("min_rating", 4),
            "related_roles_sample": _table(options, "related_roles").get("sample") or None,
            "related_roles_k": _table(options, "related_roles").get("k", RELATED_ROLES_K),
            "settings": settings or Settings(),
        }
        for key in ("title", "k", "seed", "resamples", "confidence", "group_min_queries"):
            if key in data:
                values[key] = data[key]
        for key in ("protocols", "metrics", "baselines", "group_by"):
            if key in data:
                values[key] = tuple(str(v) for v in _list(data, key))
        if data.get("cache_dir"):
            values["cache_dir"] = _resolve(Path(str(data["cache_dir"])), relative_to)
        if "supply_demand" in data:
            if not isinstance(data["supply_demand"], bool):
                raise ValidationError("'supply_demand' must be true or false")
            values["supply_demand"] = data["supply_demand"]
        if "rounds" in data:
            values["rounds"] = tuple(
                _resolve(Path(str(r)), relative_to) for r in _list(data, "rounds")
            )
        return cls(**values)

    @classmethod
    def from_cli(
        cls,
        *,
        dataset: str = "sample",
        config_file: Path | None = None,
        protocols: Sequence[str] = (),
        ground_truth: Path | None = None,
        task: str | None = None,
        k: int = CLI_DEFAULT_K,
        seed: int = CLI_DEFAULT_SEED,
        settings: Settings | None = None,
        rounds: Sequence[Path] = (),
    ) -> EvaluationConfig:
        """The `skillgraph evaluate` options over an optional TOML file: an option given on the
        command line wins; options left at their defaults keep the file's values. `rounds` are
        added after the file's."""
        base = (
            cls.from_toml(config_file, settings=settings)
            if config_file
            else cls(settings=settings or Settings())
        )
        changes: dict[str, Any] = {}
        if dataset != "sample" or config_file is None:
            changes["dataset"] = DatasetSpec.parse(dataset)
        if protocols:
            changes["protocols"] = tuple(protocols)
        if ground_truth is not None:
            if not task:
                raise ValidationError(
                    "a ground-truth file needs --task (one of "
                    + ", ".join(t.value for t in Task)
                    + ")"
                )
            changes["ground_truth"] = (
                *base.ground_truth,
                GroundTruthSpec(ground_truth, parse_task(task)),
            )
        elif task:
            raise ValidationError("--task is for a --ground-truth file")
        if k != CLI_DEFAULT_K or config_file is None:
            changes["k"] = k
        if seed != CLI_DEFAULT_SEED or config_file is None:
            changes["seed"] = seed
        if rounds:
            changes["rounds"] = (*base.rounds, *rounds)
        if base.cache_dir is None and settings is not None:
            changes["cache_dir"] = settings.data_dir  # share the engine's embedding cache
        return replace(base, **changes) if changes else base

    def describe(self) -> dict[str, Any]:
        return {
            "dataset": self.dataset.describe(),
            "protocols": list(self.protocols) or "all that apply",
            "ground_truth": [
                {"path": str(g.path), "task": g.task.value} for g in self.ground_truth
            ],
            "metrics": list(self.metrics),
            "k": self.k,
            "seed": self.seed,
            "resamples": self.resamples,
            "confidence": self.confidence,
            "baselines": list(self.baselines),
            "group_by": list(self.group_by),
            "group_min_queries": self.group_min_queries,
            "next_role_sample": self.next_role_sample,
            "skill_inference_sample": self.skill_inference_sample,
            "min_rating": self.min_rating,
            "related_roles_sample": self.related_roles_sample,
            "related_roles_k": self.related_roles_k,
            "supply_demand": self.supply_demand,
            "rounds": [str(r) for r in self.rounds],
        }


def _resolve(path: Path, relative_to: Path | None) -> Path:
    path = path.expanduser()
    return path if path.is_absolute() or relative_to is None else relative_to / path


def _table(data: Mapping[str, Any], key: str) -> Mapping[str, Any]:
    value = data.get(key, {})
    if not isinstance(value, Mapping):
        raise ValidationError(f"{key!r} must be a table")
    return value


def _list(data: Mapping[str, Any], key: str) -> list[Any]:
    value = data[key]
    if not isinstance(value, list):
        raise ValidationError(f"{key!r} must be a list")
    return value


def _dataset(value: Any, relative_to: Path | None) -> DatasetSpec:
    if isinstance(value, str):
        return DatasetSpec.parse(value, relative_to=relative_to)
    if not isinstance(value, Mapping):
        raise ValidationError("'dataset' must be a string or a table")
    kind = str(value.get("source", "sample"))
    if kind not in DATASET_KINDS:
        raise ValidationError(
            f"dataset source {kind!r}: expected one of {', '.join(DATASET_KINDS)}"
        )
    path = value.get("path")
    if kind != "sample" and not path:
        raise ValidationError(f"dataset source {kind!r} needs a 'path'")
    base = value.get("base")
    return DatasetSpec(
        kind=kind,
        path=_resolve(Path(str(path)), relative_to) if path else None,
        base=DatasetSpec.parse(str(base), relative_to=relative_to) if base else None,
    )


def _ground_truth(value: Any, relative_to: Path | None) -> GroundTruthSpec:
    if not isinstance(value, Mapping) or "path" not in value or "task" not in value:
        raise ValidationError("each [[ground_truth]] needs 'path' and 'task'")
    return GroundTruthSpec(
        _resolve(Path(str(value["path"])), relative_to), parse_task(str(value["task"]))
    )


def _configuration(value: Any) -> Configuration:
    if not isinstance(value, Mapping) or "name" not in value:
        raise ValidationError("each [[configuration]] needs a 'name'")
    unknown = sorted(set(value) - {"name", "model", "index", "weights", "recommend"})
    if unknown:
        raise ValidationError(
            f"configuration {value['name']!r}: unknown key(s) {', '.join(unknown)}"
        )
    weights = {str(k): float(v) for k, v in _table(value, "weights").items()}
    return Configuration(
        name=str(value["name"]),
        model=str(value["model"]) if value.get("model") else None,
        index=str(value.get("index", "auto")),
        weights=weights,
        recommend=dict(_table(value, "recommend")),
    )
