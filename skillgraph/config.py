"""Settings: frozen objects passed in. The one place that reads the environment is `from_env`."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from skillgraph.errors import ValidationError

DEFAULT_MODEL = "all-MiniLM-L6-v2"
DEVELOPMENT_SECRET = "skillgraph-development-secret-do-not-use-in-production"  # noqa: S105
ENV_PREFIX = "SKILLGRAPH_"


@dataclass(frozen=True, slots=True)
class RetrievalSettings:
    """Embedding model and vector indexes."""

    model: str = DEFAULT_MODEL  # any sentence-transformers model name or local path
    backend: str = "torch"  # torch | onnx | onnx-int8 (onnx*: "onnx" extra; models/README.md)
    export_dir: str = ""  # ONNX exports; "" = <folder of the embedding cache>/models
    batch_size: int = 32
    threads: int = 1  # one thread per worker; scale with processes
    flat_max: int = 50_000  # collections up to this size use an exact flat index


@dataclass(frozen=True, slots=True)
class RecommendSettings:
    """Weights and limits of the recommenders; documented in docs where they are used."""

    partial_credit_narrower: float = 0.8
    partial_credit_related: float = 0.5
    transition_weights: Mapping[str, float] = field(
        default_factory=lambda: {
            "skills": 0.45,
            "text": 0.2,
            "hierarchy": 0.1,
            "seniority": 0.1,
            "observed": 0.15,
        }
    )
    max_k: int = 100


@dataclass(frozen=True, slots=True)
class ApiSettings:
    """HTTP service."""

    host: str = "127.0.0.1"
    port: int = 8000
    workers: int = 1
    mode: str = "development"  # development | production
    jwt_secret: str = DEVELOPMENT_SECRET
    token_ttl_minutes: int = 60 * 12
    max_body_bytes: int = 5 * 1024 * 1024
    max_page_size: int = 200


@dataclass(frozen=True, slots=True)
class Settings:
    """Everything one engine and one service need."""

    data_dir: Path = Path("var/sample")
    database_url: str | None = None  # default: SQLite with WAL inside data_dir
    retrieval: RetrievalSettings = field(default_factory=RetrievalSettings)
    recommend: RecommendSettings = field(default_factory=RecommendSettings)
    api: ApiSettings = field(default_factory=ApiSettings)
    seed: int = 42

    @property
    def resolved_database_url(self) -> str:
        return self.database_url or f"sqlite:///{self.data_dir / 'skillgraph.db'}"

    def with_overrides(self, **changes: Any) -> Settings:
        return replace(self, **changes)

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **overrides: Any) -> Settings:
        """Read SKILLGRAPH_* variables, e.g. SKILLGRAPH_DATA_DIR, SKILLGRAPH_API__PORT."""
        env = os.environ if environ is None else environ
        base = cls()
        top: dict[str, Any] = {}
        nested: dict[str, dict[str, Any]] = {}
        for key, raw in env.items():
            if not key.startswith(ENV_PREFIX):
                continue
            name = key[len(ENV_PREFIX) :].lower()
            if "__" in name:
                group, sub = name.split("__", 1)
                nested.setdefault(group, {})[sub] = raw
            else:
                top[name] = raw
        values: dict[str, Any] = {}
        for f in fields(cls):
            if f.name in nested:
                group_obj = getattr(base, f.name)
                values[f.name] = _apply(group_obj, nested.pop(f.name), key_prefix=f.name)
            elif f.name in top:
                values[f.name] = _coerce(getattr(base, f.name), top.pop(f.name), f.name)
        unknown = [*top, *nested]
        if unknown:
            names = ", ".join(ENV_PREFIX + n.upper() for n in unknown)
            raise ValidationError(f"unknown settings variable(s): {names}")
        return replace(base, **values, **overrides)


def _apply(obj: Any, raw: Mapping[str, str], key_prefix: str) -> Any:
    known = {f.name for f in fields(obj)}
    changes: dict[str, Any] = {}
    for name, value in raw.items():
        if name not in known:
            raise ValidationError(
                f"unknown settings variable: {ENV_PREFIX}{key_prefix.upper()}__{name.upper()}"
            )
        changes[name] = _coerce(getattr(obj, name), value, f"{key_prefix}.{name}")
    return replace(obj, **changes)


def _coerce(current: Any, raw: str, name: str) -> Any:
    try:
        if isinstance(current, bool):
            return raw.strip().lower() in {"1", "true", "yes", "on"}
        if isinstance(current, int):
            return int(raw)
        if isinstance(current, float):
            return float(raw)
        if isinstance(current, Path):
            return Path(raw)
    except ValueError as exc:
        raise ValidationError(f"setting {name}: cannot read {raw!r}: {exc}") from exc
    if isinstance(current, Mapping):
        raise ValidationError(f"setting {name} cannot be set from the environment")
    return raw
