"""Settings reach uvicorn worker processes through SKILLGRAPH_* variables, unchanged."""

from __future__ import annotations

from pathlib import Path

import pytest

from api.app import SETTINGS_FACTORY, _flatten, settings_factory_for
from skillgraph.config import ApiSettings, RecommendSettings, RetrievalSettings, Settings
from skillgraph.errors import ValidationError


def test_flattened_settings_read_back_equal() -> None:
    settings = Settings(
        data_dir=Path("/srv/skillgraph"),
        database_url="postgresql+psycopg://db/skillgraph",
        retrieval=RetrievalSettings(model="hashing", batch_size=8),
        recommend=RecommendSettings(max_k=25),
        api=ApiSettings(mode="production", jwt_secret="s" * 40, workers=2, max_page_size=50),
        seed=7,
    )
    assert Settings.from_env(_flatten(settings)) == settings


def test_unpassable_settings_are_refused() -> None:
    odd = Settings(recommend=RecommendSettings(transition_weights={"skills": 1.0}))
    with pytest.raises(ValidationError, match="cannot be passed"):
        _flatten(odd)


def test_factory_string_and_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SKILLGRAPH_SEED", "1")  # restored after the test, with what we set
    settings = Settings(seed=99, api=ApiSettings(port=9999))
    for key in _flatten(settings):
        monkeypatch.setenv(key, "placeholder")
    assert settings_factory_for(settings) == SETTINGS_FACTORY
    assert Settings.from_env() == settings
