"""schemathesis against the OpenAPI schema, every check, as an L&D admin: no server errors,
responses as documented, invalid input refused, valid input accepted."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
import schemathesis
from api_harness import api_settings, seed, wait_ready
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, settings
from schemathesis.config import SchemathesisConfig

from api.app import create_app
from api.auth import mint_token
from api.runtime import EngineFactory
from skillgraph.retrieval.encoder import HashingEncoder

# The schema is read at import; the app's store and engine open only in the fixture below.
DATA_DIR = Path(tempfile.gettempdir()) / f"skillgraph-fuzz-{os.getpid()}"
SETTINGS = api_settings(DATA_DIR)
APP = create_app(SETTINGS, engine_factory=EngineFactory(HashingEncoder(64)))
# Every check runs. Positive data may also meet 422: a schema-valid body can still name a role
# or skill the company does not have, or ask for a transition its state does not allow.
CONFIG = SchemathesisConfig.from_dict(
    {
        "checks": {
            "positive_data_acceptance": {
                "expected-statuses": ["2xx", "401", "403", "404", "409", "422"]
            }
        }
    }
)
# from_dict, not from_asgi: reading the schema must not start the app's lifespan at import.
schema = schemathesis.openapi.from_dict(APP.openapi(), config=CONFIG)
schema.app = APP
ADMIN = {"Authorization": f"Bearer {mint_token(SETTINGS, 'fuzz-admin', 'ld_admin')}"}


@pytest.fixture(scope="module", autouse=True)
def running_app() -> Iterator[None]:
    shutil.rmtree(DATA_DIR, ignore_errors=True)
    seed(SETTINGS)
    try:
        with TestClient(APP) as client:
            wait_ready(client)
            yield
    finally:
        shutil.rmtree(DATA_DIR, ignore_errors=True)


@schema.parametrize()
@settings(
    max_examples=6,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
def test_every_operation_conforms(case: schemathesis.Case) -> None:
    case.call_and_validate(headers=ADMIN)
