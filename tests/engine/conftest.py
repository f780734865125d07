"""Fixtures of the engine tests: small records and settings for the hashing encoder."""

from __future__ import annotations

from pathlib import Path

import pytest

from skillgraph.config import RetrievalSettings, Settings
from skillgraph.data.company import load_company
from skillgraph.data.schema import Records

TINY = Path(__file__).resolve().parents[1] / "fixtures" / "company_tiny"
HASHING = "hashing:64"  # the settings' name of the 64-d HashingEncoder


def hashing_settings(data_dir: Path) -> Settings:
    return Settings(data_dir=data_dir, retrieval=RetrievalSettings(model=HASHING))


@pytest.fixture(scope="session")
def tiny_records() -> Records:
    return load_company(TINY)


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return hashing_settings(tmp_path / "data")
