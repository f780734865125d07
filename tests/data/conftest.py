"""Real ESCO / O*NET records, loaded once per test session (the tests that use them skip without
the public data)."""

from __future__ import annotations

from pathlib import Path

import pytest

from skillgraph.data.esco import load_esco_report
from skillgraph.data.load_report import LoadReport
from skillgraph.data.onet import load_onet_report
from skillgraph.data.schema import Records

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


@pytest.fixture(scope="session")
def esco_loaded(esco_dir: Path) -> tuple[Records, LoadReport]:
    return load_esco_report(esco_dir)


@pytest.fixture(scope="session")
def onet_loaded(onet_dir: Path) -> tuple[Records, LoadReport]:
    return load_onet_report(onet_dir)


@pytest.fixture
def esco_tiny() -> Path:
    return FIXTURES / "esco_tiny"


@pytest.fixture
def onet_tiny() -> Path:
    return FIXTURES / "onet_tiny"
