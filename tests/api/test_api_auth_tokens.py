"""Tokens: minted and read back; expired, forged, malformed ones are refused with 401."""

from __future__ import annotations

from datetime import timedelta

import jwt
import pytest

from api.app import create_app
from api.auth import AccessRole, AuthenticationError, Principal, decode_token, mint_token
from skillgraph.config import DEVELOPMENT_SECRET, ApiSettings, Settings
from skillgraph.errors import ValidationError

SECRET = "a-test-secret-that-is-long-enough-0123456789"


def _settings(**api: object) -> Settings:
    return Settings(api=ApiSettings(**{"jwt_secret": SECRET, **api}))  # type: ignore[arg-type]


def test_round_trip() -> None:
    settings = _settings()
    token = mint_token(settings, "e042", "manager")
    assert decode_token(settings, token) == Principal("e042", AccessRole.MANAGER)


def test_ttl_in_minutes_or_timedelta() -> None:
    settings = _settings()
    for ttl in (5, timedelta(minutes=5)):
        claims = jwt.decode(
            mint_token(settings, "x", "employee", ttl), SECRET, algorithms=["HS256"]
        )
        assert claims["exp"] - claims["iat"] == 300


def test_expired_token_is_refused() -> None:
    settings = _settings()
    token = mint_token(settings, "e1", "employee", timedelta(seconds=-1))
    with pytest.raises(AuthenticationError, match="expired"):
        decode_token(settings, token)


def test_other_secret_is_refused() -> None:
    token = mint_token(
        _settings(jwt_secret="another-secret-of-enough-length-0123456789"), "e1", "employee"
    )
    with pytest.raises(AuthenticationError, match="signature"):
        decode_token(_settings(), token)


@pytest.mark.parametrize(
    "claims",
    [
        {"sub": "e1", "role": "god", "iss": "skillgraph", "iat": 0, "exp": 9999999999},
        {"sub": "e1", "iss": "skillgraph", "iat": 0, "exp": 9999999999},
        {"sub": "e1", "role": "employee", "iss": "elsewhere", "iat": 0, "exp": 9999999999},
        {"sub": "", "role": "employee", "iss": "skillgraph", "iat": 0, "exp": 9999999999},
    ],
)
def test_bad_claims_are_refused(claims: dict[str, object]) -> None:
    token = jwt.encode(claims, SECRET, algorithm="HS256")
    with pytest.raises(AuthenticationError):
        decode_token(_settings(), token)


def test_unsigned_token_is_refused() -> None:
    token = jwt.encode({"sub": "e1", "role": "ld_admin"}, key=None, algorithm="none")
    with pytest.raises(AuthenticationError):
        decode_token(_settings(), token)


def test_unknown_role_cannot_be_minted() -> None:
    with pytest.raises(ValidationError, match="unknown role"):
        mint_token(_settings(), "e1", "root")


def test_production_refuses_the_development_secret() -> None:
    settings = Settings(api=ApiSettings(mode="production", jwt_secret=DEVELOPMENT_SECRET))
    with pytest.raises(ValidationError, match="development secret"):
        create_app(settings)


def test_production_starts_with_a_real_secret() -> None:
    app = create_app(_settings(mode="production"))
    assert app.title == "skillgraph"


def test_short_secret_is_refused() -> None:
    with pytest.raises(ValidationError, match="at least 32 bytes"):
        create_app(_settings(jwt_secret="short"))
