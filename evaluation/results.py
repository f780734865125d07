"""What an evaluation run produces: every number, as plain data that serialises to JSON."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from evaluation.beyond import GroupParity
from evaluation.significance import Comparison, Interval


@dataclass
class SystemResult:
    name: str
    kind: str  # "engine" or "baseline"
    configuration: str | None  # the configuration an engine was built with
    metrics: dict[str, Interval]  # mean and bootstrap CI per metric
    per_query: dict[str, dict[str, float]]  # metric -> query id -> score
    beyond: dict[str, float | None]  # coverage, diversity, novelty, gini, unmatched, ...
    exposure: dict[str, int] = field(default_factory=dict)  # mentor tasks: lists per mentor
    parity: dict[str, GroupParity] = field(default_factory=dict)  # attribute -> per-group quality
    failures: int = 0  # queries the system refused (typed errors), scored 0
    failure_examples: list[str] = field(default_factory=list)
    median_ms: float = 0.0  # median time to answer one query
    ranked: dict[str, list[str]] = field(default_factory=dict)  # query -> top-k answer
    # queries, seconds, cpu_seconds, ms_per_query, median_ms, p99_ms of the ranking stage;
    # fit_seconds (what the system prepared before the first query); engines: build_seconds
    timing: dict[str, float] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "kind": self.kind,
            "configuration": self.configuration,
            "metrics": {
                m: {"mean": i.mean, "ci_low": i.low, "ci_high": i.high}
                for m, i in self.metrics.items()
            },
            "per_query": self.per_query,
            "beyond": self.beyond,
            "exposure": self.exposure,
            "parity": {a: p.to_dict() for a, p in self.parity.items()},
            "failures": self.failures,
            "failure_examples": self.failure_examples,
            "median_ms": self.median_ms,
            "timing": self.timing,
            "ranked": self.ranked,
        }


@dataclass
class ProtocolResult:
    name: str
    task: str
    description: str
    queries: int
    headline: str  # the metric parity and charts are drawn for
    notes: list[str] = field(default_factory=list)
    skipped: dict[str, int] = field(default_factory=dict)
    unknown: dict[str, Any] | None = None  # Resolved.to_dict() for ground-truth files
    systems: list[SystemResult] = field(default_factory=list)
    comparisons: list[Comparison] = field(default_factory=list)
    applicable: bool = True
    metrics: list[str] = field(default_factory=list)  # this protocol's (empty: the run's)
    k: int = 0  # this protocol's list length (0: the run's)

    def system(self, name: str) -> SystemResult:
        for s in self.systems:
            if s.name == name:
                return s
        raise KeyError(name)

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "task": self.task,
            "description": self.description,
            "applicable": self.applicable,
            "queries": self.queries,
            "headline": self.headline,
            "metrics": self.metrics,
            "k": self.k,
            "notes": self.notes,
            "skipped": self.skipped,
            "unknown": self.unknown,
            "systems": [s.to_dict() for s in self.systems],
            "comparisons": [c.to_dict() for c in self.comparisons],
        }


@dataclass
class EvaluationResult:
    title: str
    created: str  # ISO timestamp (the one value that differs between identical runs)
    dataset: dict[str, Any]  # description, sources, counts
    configurations: list[dict[str, Any]]
    metrics: list[str]
    k: int
    seed: int
    resamples: int
    confidence: float
    gain_convention: str
    attributions: list[str]
    protocols: list[ProtocolResult]
    versions: dict[str, str] = field(default_factory=dict)
    supply_demand: dict[str, Any] | None = None  # evaluation/supply.py; None: not asked for

    def to_dict(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "created": self.created,
            "dataset": self.dataset,
            "configurations": self.configurations,
            "metrics": self.metrics,
            "k": self.k,
            "seed": self.seed,
            "resamples": self.resamples,
            "confidence": self.confidence,
            "gain_convention": self.gain_convention,
            "attributions": self.attributions,
            "versions": self.versions,
            "protocols": [p.to_dict() for p in self.protocols],
            "supply_demand": self.supply_demand,
        }
