"""Run an evaluation: load the dataset, prepare each protocol, build one engine per configuration,
ask the engines and the baselines every query, score everything, compare engine vs baselines.

The CLI (`skillgraph evaluate`) calls `EvaluationConfig.from_cli`, `run_evaluation`,
`print_summary` and `write_outputs`; nothing here prints unless asked to.
"""

from __future__ import annotations

import platform
import statistics
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from evaluation.beyond import (
    capacity_utilisation,
    catalog_coverage,
    exposure,
    gini,
    group_parity,
    intra_list_diversity,
    novelty,
    unmatched_rate,
)
from evaluation.config import (
    SAMPLE_COMPANY,
    Configuration,
    DatasetSpec,
    EvaluationConfig,
    GroundTruthSpec,
)
from evaluation.groundtruth import Task, load_groundtruth
from evaluation.metrics import GAIN_CONVENTION, evaluate, max_cutoff, metrics_at
from evaluation.protocols import (
    Prepared,
    RelatedTruth,
    classification_truth,
    copy_records,
    groundtruth,
    mentor_feedback,
    next_role,
    onet_related_truth,
    related_roles,
    skill_inference,
)
from evaluation.report import print_summary, write_outputs
from evaluation.results import EvaluationResult, ProtocolResult, SystemResult
from evaluation.significance import Comparison, bootstrap_ci, compare, with_holm
from evaluation.supply import (
    RoundFile,
    mentor_supply,
    not_applicable,
    not_applicable_reason,
    read_round,
)
from evaluation.systems import (
    EngineSystem,
    System,
    catalog,
    interaction_counts,
    make_baseline,
    mentor_capacities,
    vector_lookup,
)
from skillgraph.config import RetrievalSettings
from skillgraph.data.onet_related import has_related_occupations, read_related_occupations
from skillgraph.data.schema import Records
from skillgraph.errors import SkillgraphError
from skillgraph.retrieval.encoder import Encoder, load_encoder

if TYPE_CHECKING:
    from skillgraph.engine import Engine

__all__ = [
    "Configuration",
    "DatasetSpec",
    "EvaluationConfig",
    "GroundTruthSpec",
    "load_dataset",
    "print_summary",
    "run_evaluation",
    "write_outputs",
]

ProgressFn = Callable[[str, int, int], None]
MAX_FAILURE_EXAMPLES = 5


def _quiet(stage: str, done: int, total: int) -> None:
    """Default progress: say nothing."""


def run_evaluation(
    config: EvaluationConfig,
    *,
    progress: ProgressFn | None = None,
    records: Records | None = None,
    encoder: Encoder | None = None,
) -> EvaluationResult:
    """Every protocol of `config` for the engine (each configuration) and the baselines.

    `records` skips loading the dataset; `encoder` replaces the model of every configuration
    (tests pass a HashingEncoder). Deterministic: the same inputs give the same numbers.
    """
    report = progress or _quiet
    rounds = [read_round(path) for path in config.rounds]  # a bad file fails before any work
    records = records if records is not None else load_dataset(config.dataset, progress=report)
    prepared = prepare(config, records)
    pool = _EncoderPool(config, encoder)
    with tempfile.TemporaryDirectory(prefix="skillgraph-eval-") as tmp:
        protocols = [_run_protocol(p, config, pool, Path(tmp), report) for p in prepared]
        supply = (
            _supply_demand(records, rounds, config, pool, Path(tmp), report)
            if config.supply_demand
            else None
        )
    return EvaluationResult(
        title=config.title,
        created=datetime.now(UTC).isoformat(timespec="seconds"),
        dataset={
            "description": config.dataset.describe(),
            "sources": list(records.sources),
            "counts": records.counts(),
        },
        configurations=[c.describe(config.settings) for c in config.configurations]
        + [{"name": "run", **config.describe()}],
        metrics=list(config.metrics),
        k=config.k,
        seed=config.seed,
        resamples=config.resamples,
        confidence=config.confidence,
        gain_convention=GAIN_CONVENTION,
        attributions=list(dict.fromkeys(records.attributions)),
        protocols=protocols,
        versions=_versions(),
        supply_demand=supply,
    )


def load_dataset(spec: DatasetSpec, *, progress: ProgressFn | None = None) -> Records:
    """Records of a dataset spec (a company on top of its base ontology when one is named)."""
    from skillgraph.data.company import load_company
    from skillgraph.data.esco import load_esco
    from skillgraph.data.onet import load_onet

    base = load_dataset(spec.base, progress=progress) if spec.base else None
    if spec.kind == "sample":
        return load_company(SAMPLE_COMPANY, base=base)
    if spec.path is None:
        raise SkillgraphError(f"dataset {spec.kind} needs a path")
    if spec.kind == "esco":
        return load_esco(spec.path, progress=progress)
    if spec.kind == "onet":
        return load_onet(spec.path, progress=progress)
    return load_company(spec.path, base=base)


def prepare(config: EvaluationConfig, records: Records) -> list[Prepared]:
    """The protocols to run: those asked for, or every one that applies, plus each ground truth."""
    wanted = config.protocols or (
        "next_role",
        "skill_inference",
        "mentor_feedback",
        "related_roles",
    )
    out: list[Prepared] = []
    for name in wanted:
        if name == "next_role":
            out.append(next_role(records, sample=config.next_role_sample, seed=config.seed))
        elif name == "skill_inference":
            out.append(
                skill_inference(records, sample=config.skill_inference_sample, seed=config.seed)
            )
        elif name == "mentor_feedback":
            out.append(mentor_feedback(records, min_rating=config.min_rating))
        elif name == "related_roles":
            out.append(
                related_roles(
                    records,
                    related_truth(config, records),
                    sample=config.related_roles_sample,
                    seed=config.seed,
                    k=config.related_roles_k,
                )
            )
    if "groundtruth" in wanted and not config.ground_truth:
        raise SkillgraphError("the groundtruth protocol needs a ground-truth file")
    out.extend(
        groundtruth(records, load_groundtruth(spec.path, spec.task)) for spec in config.ground_truth
    )
    return out


def related_truth(config: EvaluationConfig, records: Records) -> RelatedTruth:
    """O*NET's Related Occupations when an O*NET dataset folder has them, else the
    classification (same ISCO unit group, SOC occupation or role group)."""
    spec = config.dataset
    if spec.kind == "onet" and spec.path is not None and has_related_occupations(spec.path):
        return onet_related_truth(records, read_related_occupations(spec.path))
    return classification_truth(records)


# -- one protocol ---------------------------------------------------------------------------------


@dataclass
class _Answers:
    system: System
    configuration: str | None
    engine: Engine
    ranked: dict[str, list[str]] = field(default_factory=dict)
    failures: list[str] = field(default_factory=list)
    millis: list[float] = field(default_factory=list)
    timing: dict[str, float] = field(default_factory=dict)  # build / fit and ranking, seconds


def _run_protocol(
    prepared: Prepared,
    config: EvaluationConfig,
    pool: _EncoderPool,
    tmp: Path,
    report: ProgressFn,
) -> ProtocolResult:
    scope = _Scope.of(prepared, config)
    result = ProtocolResult(
        name=prepared.name,
        task=prepared.task.value,
        description=prepared.description,
        queries=len(prepared.queries),
        headline=scope.metrics[0],
        notes=list(prepared.notes),
        skipped=dict(prepared.skipped),
        unknown=prepared.unknown.to_dict() if prepared.unknown else None,
        applicable=prepared.applicable,
        metrics=list(scope.metrics),
        k=scope.k,
    )
    if not prepared.applicable:
        result.notes.append("Not applicable to this dataset: no query could be formed.")
        return result
    depth = max(max_cutoff(scope.metrics), scope.k)
    answers = _engine_answers(prepared, config, pool, tmp, depth, report)
    reference = answers[0].engine
    for name in config.baselines:
        system = make_baseline(name, reference, seed=config.seed)
        answers.append(_ask(system, None, reference, prepared, depth, report))
    result.systems = [_score(a, prepared, config, scope) for a in answers]
    result.comparisons = _comparisons(result.systems, config, scope.metrics)
    return result


@dataclass(frozen=True)
class _Scope:
    """The metrics and list length of one protocol: the run's, or the protocol's own k."""

    metrics: tuple[str, ...]
    k: int

    @classmethod
    def of(cls, prepared: Prepared, config: EvaluationConfig) -> _Scope:
        if prepared.k is None:
            return cls(tuple(config.metrics), config.k)
        return cls(tuple(metrics_at(config.metrics, prepared.k)), prepared.k)


def _engine_answers(
    prepared: Prepared,
    config: EvaluationConfig,
    pool: _EncoderPool,
    tmp: Path,
    depth: int,
    report: ProgressFn,
) -> list[_Answers]:
    from skillgraph.engine import Engine

    answers = []
    several = len(config.configurations) > 1
    for number, cfg in enumerate(config.configurations):
        settings = cfg.settings(config.settings, tmp / f"{prepared.name}-{number}")
        report(f"{prepared.name}: build engine {cfg.name}", 0, 1)
        encoder = pool.get(settings.retrieval)
        clock = _Clock()
        engine = Engine.build(
            copy_records(prepared.train),  # a build may tag items in place
            settings,
            encoder=encoder,
            progress=_prefixed(report, f"{prepared.name} [{cfg.name}]: "),
        )
        built = clock.lap()
        report(f"{prepared.name}: build engine {cfg.name}", 1, 1)
        name = f"engine[{cfg.name}]" if several else "engine"
        answered = _ask(EngineSystem(engine, name), cfg.name, engine, prepared, depth, report)
        answered.timing.update(
            {"build_seconds": round(built[0], 3), "build_cpu_seconds": round(built[1], 3)}
        )
        answers.append(answered)
    return answers


class _Clock:
    """Wall and CPU seconds (this process) since the last lap."""

    def __init__(self) -> None:
        self.wall = time.perf_counter()
        self.cpu = time.process_time()

    def lap(self) -> tuple[float, float]:
        wall, cpu = time.perf_counter(), time.process_time()
        out = (wall - self.wall, cpu - self.cpu)
        self.wall, self.cpu = wall, cpu
        return out


def _prefixed(report: ProgressFn, prefix: str) -> ProgressFn:
    def inner(stage: str, done: int, total: int) -> None:
        report(prefix + stage, done, total)

    return inner


def _ask(
    system: System,
    configuration: str | None,
    engine: Engine,
    prepared: Prepared,
    depth: int,
    report: ProgressFn,
) -> _Answers:
    out = _Answers(system, configuration, engine)
    stage = f"{prepared.name}: {system.name}"
    total = len(prepared.queries)
    clock = _Clock()
    system.prepare(prepared.task)
    fitted = clock.lap()
    for done, query in enumerate(prepared.queries, start=1):
        started = time.perf_counter()
        try:
            out.ranked[query.id] = system.rank(prepared.task, query, depth)
        except SkillgraphError as exc:
            out.ranked[query.id] = []
            out.failures.append(f"{query.id}: {exc}")
        out.millis.append((time.perf_counter() - started) * 1000.0)
        if done % 25 == 0 or done == total:
            report(stage, done, total)
    ranked = clock.lap()
    out.timing = {
        "fit_seconds": round(fitted[0], 3),
        "fit_cpu_seconds": round(fitted[1], 3),
        **ranking_timing(out.millis, ranked),
    }
    return out


def ranking_timing(millis: Sequence[float], clock: tuple[float, float]) -> dict[str, float]:
    """Queries, seconds (wall and CPU) and ms per query of a ranking stage."""
    values = np.asarray(millis, dtype=np.float64)
    count = int(values.size)
    return {
        "queries": count,
        "seconds": round(clock[0], 3),
        "cpu_seconds": round(clock[1], 3),
        "ms_per_query": round(clock[0] * 1000.0 / count, 3) if count else 0.0,
        "median_ms": round(float(np.median(values)), 3) if count else 0.0,
        "p99_ms": round(float(np.quantile(values, 0.99)), 3) if count else 0.0,
    }


def _score(
    answers: _Answers, prepared: Prepared, config: EvaluationConfig, scope: _Scope
) -> SystemResult:
    per_query = evaluate(prepared.qrels, answers.ranked, scope.metrics)
    intervals = {
        metric: bootstrap_ci(
            [scores[q] for q in sorted(scores)],
            resamples=config.resamples,
            confidence=config.confidence,
            seed=config.seed,
        )
        for metric, scores in per_query.items()
    }
    records = answers.engine.records
    task = prepared.task
    k = scope.k
    items = catalog(records, task)
    counts = interaction_counts(prepared.train, task)
    beyond: dict[str, float | None] = {
        "coverage": catalog_coverage(answers.ranked, items, k),
        "diversity": intra_list_diversity(answers.ranked, vector_lookup(answers.engine, task), k),
        "novelty": novelty(answers.ranked, counts, len(items), k),
        "exposure_gini": gini(list(exposure(answers.ranked, k, items).values())),
        "unmatched_rate": unmatched_rate(answers.ranked, [q.id for q in prepared.queries]),
    }
    shown: dict[str, int] = {}
    if task is Task.EMPLOYEE_MENTORS:
        capacity = capacity_utilisation(answers.ranked, mentor_capacities(records))
        beyond.update({f"capacity_{name}": v for name, v in capacity.to_dict().items()})
        shown = exposure(answers.ranked, k, items)
    headline = per_query[scope.metrics[0]]
    parity = {}
    for attribute in config.group_by:
        groups = {q.id: q.groups[attribute] for q in prepared.queries if attribute in q.groups}
        if len(set(groups.values())) > 1:
            parity[attribute] = group_parity(
                attribute, headline, groups, min_size=config.group_min_queries
            )
    return SystemResult(
        name=answers.system.name,
        kind=answers.system.kind,
        configuration=answers.configuration,
        metrics=intervals,
        per_query=per_query,
        beyond=beyond,
        exposure=shown,
        parity=parity,
        failures=len(answers.failures),
        failure_examples=answers.failures[:MAX_FAILURE_EXAMPLES],
        median_ms=statistics.median(answers.millis) if answers.millis else 0.0,
        ranked={q: answer[:k] for q, answer in sorted(answers.ranked.items())},
        timing=dict(answers.timing),
    )


def _comparisons(
    systems: Sequence[SystemResult], config: EvaluationConfig, metrics: Sequence[str]
) -> list[Comparison]:
    """Each engine vs each baseline, and each further engine configuration vs the first."""
    engines = [s for s in systems if s.kind == "engine"]
    baselines = [s for s in systems if s.kind == "baseline"]
    out = []
    for engine in engines:
        others = [*baselines, *([engines[0]] if engine is not engines[0] else [])]
        for other in others:
            for metric in metrics:
                out.append(
                    compare(
                        engine.name,
                        other.name,
                        metric,
                        engine.per_query[metric],
                        other.per_query[metric],
                        resamples=config.resamples,
                        confidence=config.confidence,
                        seed=config.seed,
                    )
                )
    return with_holm(out)


# -- mentor supply and demand ---------------------------------------------------------------------


def _supply_demand(
    records: Records,
    rounds: Sequence[RoundFile],
    config: EvaluationConfig,
    pool: _EncoderPool,
    tmp: Path,
    report: ProgressFn,
) -> dict[str, Any]:
    """On an engine built on the whole dataset with the first configuration."""
    from skillgraph.engine import Engine

    reason = not_applicable_reason(records)
    if reason is not None:
        return not_applicable(reason)
    settings = config.configurations[0].settings(config.settings, tmp / "supply")
    report("supply and demand: build engine", 0, 1)
    engine = Engine.build(
        copy_records(records),
        settings,
        encoder=pool.get(settings.retrieval),
        progress=_prefixed(report, "supply and demand: "),
    )
    section = mentor_supply(engine, rounds)
    report("supply and demand: build engine", 1, 1)
    return section


# -- encoders -------------------------------------------------------------------------------------


class MemoEncoder:
    """Remembers every text's vector for the run: configurations and protocols share texts."""

    def __init__(self, inner: Encoder) -> None:
        self.inner = inner
        self.model_id = inner.model_id
        self.dim = inner.dim
        self._memo: dict[str, np.ndarray] = {}

    def encode(self, texts: Sequence[str], *, progress: bool = False) -> np.ndarray:
        missing = list(dict.fromkeys(t for t in texts if t not in self._memo))
        if missing:
            vectors = self.inner.encode(missing, progress=progress)
            self._memo.update(zip(missing, np.asarray(vectors, dtype=np.float32), strict=True))
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return np.vstack([self._memo[t] for t in texts])


class _EncoderPool:
    def __init__(self, config: EvaluationConfig, fixed: Encoder | None) -> None:
        self._fixed = MemoEncoder(fixed) if fixed is not None else None
        self._cache_dir = config.cache_dir
        self._loaded: dict[tuple[str, str], MemoEncoder] = {}

    def get(self, settings: RetrievalSettings) -> Encoder:
        if self._fixed is not None:
            return self._fixed
        key = (settings.model, settings.backend)  # configurations may compare backends
        if key not in self._loaded:
            cache = self._cache_dir / "embeddings" if self._cache_dir else None
            self._loaded[key] = MemoEncoder(load_encoder(settings, cache))
        return self._loaded[key]


def _versions() -> dict[str, str]:
    versions = {"python": platform.python_version()}
    for package in ("skillgraph", "ranx", "numpy", "scipy", "scikit-learn"):
        try:
            versions[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            versions[package] = "unknown"
    return versions
