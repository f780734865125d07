"""Fixtures of the CLI tests: a runner with the hashing model, and a built tiny company."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner, Result

from skillgraph.cli import app

TINY = Path(__file__).resolve().parents[1] / "fixtures" / "company_tiny"
FIXTURES = TINY.parent
HASHING_ENV = {"SKILLGRAPH_RETRIEVAL__MODEL": "hashing:64"}


def run_cli(*args: str | Path, env: dict[str, str] | None = None) -> Result:
    """`skillgraph ARGS` in process, with the fast hashing model unless `env` says otherwise."""
    runner = CliRunner(env=HASHING_ENV if env is None else env)
    return runner.invoke(app, [str(a) for a in args], catch_exceptions=False)


def json_lines(text: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in text.splitlines() if line.strip()]


@pytest.fixture(scope="module")
def tiny_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data directory with the tiny company ingested and its engine built."""
    data = tmp_path_factory.mktemp("tiny") / "data"
    result = run_cli("build", TINY, "--data-dir", data)
    assert result.exit_code == 0, result.output
    return data
