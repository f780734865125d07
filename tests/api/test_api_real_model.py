"""With the real embedding model, text search and inference find skills by meaning."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from api_harness import Api, api_settings, seed, wait_ready
from fastapi.testclient import TestClient

from api.app import create_app
from api.runtime import EngineFactory

pytestmark = pytest.mark.model


@pytest.fixture(scope="module")
def model_api(tmp_path_factory: pytest.TempPathFactory, real_encoder: object) -> Iterator[Api]:
    folder: Path = tmp_path_factory.mktemp("model-api")
    settings = api_settings(folder)
    seed(settings)
    app = create_app(settings, engine_factory=EngineFactory(real_encoder))  # type: ignore[arg-type]
    with TestClient(app) as client:
        wait_ready(client)
        yield Api(client, settings, app)


def test_search_by_meaning_without_shared_words(model_api: Api) -> None:
    hits = model_api.client.get(
        "/v1/skills?q=training neural networks&limit=3", headers=model_api.auth("ann")
    ).json()["items"]
    assert hits[0]["skill"]["id"] == "ml"
    assert hits[0]["match"] == "semantic"


def test_infer_skills_from_a_description(model_api: Api) -> None:
    response = model_api.client.post(
        "/v1/skills/infer",
        json={"text": "I run hypothesis tests and regression analysis on survey data", "k": 2},
        headers=model_api.auth("ann"),
    )
    assert response.status_code == 200, response.text
    assert "stats" in [s["skill_id"] for s in response.json()]
