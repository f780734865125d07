"""Bearer tokens: JWT HS256 signed with settings.api.jwt_secret.

Claims: `sub` (an employee id, or a service name), `role` (employee | manager | ld_admin |
service), `iat`, `exp`, `iss`. Tokens are minted by `skillgraph token` (mint_token).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum

import jwt

from skillgraph.config import DEVELOPMENT_SECRET, Settings
from skillgraph.errors import SkillgraphError, ValidationError

ALGORITHM = "HS256"
ISSUER = "skillgraph"
MIN_SECRET_BYTES = 32


class AccessRole(StrEnum):
    """What a caller may do; see api/access.py for the rules."""

    EMPLOYEE = "employee"  # their own profile and recommendations
    MANAGER = "manager"  # also their reports (direct and indirect), and checkpoint approval
    LD_ADMIN = "ld_admin"  # everything: records, imports, reindex, matching rounds
    SERVICE = "service"  # another system: reads recommendations and the catalogue


@dataclass(frozen=True, slots=True)
class Principal:
    subject: str
    role: AccessRole

    @property
    def is_admin(self) -> bool:
        return self.role is AccessRole.LD_ADMIN


class AuthenticationError(SkillgraphError):
    """No token, a bad signature, an expired or malformed token (HTTP 401)."""


def check_secret(settings: Settings) -> None:
    """Refuse to run outside development with the published development secret."""
    secret = settings.api.jwt_secret
    if settings.api.mode != "development" and secret == DEVELOPMENT_SECRET:
        raise ValidationError(
            f"api.mode is {settings.api.mode!r} but api.jwt_secret is the development secret; "
            "set SKILLGRAPH_API__JWT_SECRET to a random value of at least "
            f"{MIN_SECRET_BYTES} bytes"
        )
    if len(secret.encode("utf-8")) < MIN_SECRET_BYTES:
        raise ValidationError(f"api.jwt_secret must be at least {MIN_SECRET_BYTES} bytes long")


def mint_token(
    settings: Settings,
    subject: str,
    role: AccessRole | str,
    ttl: timedelta | int | None = None,
) -> str:
    """A signed token for `subject` with `role`, valid for `ttl` (a timedelta or minutes;
    default api.token_ttl_minutes)."""
    try:
        access = AccessRole(role)
    except ValueError:
        known = ", ".join(r.value for r in AccessRole)
        raise ValidationError(f"unknown role {role!r}; known: {known}") from None
    if not subject:
        raise ValidationError("a token needs a subject")
    if ttl is None:
        lifetime = timedelta(minutes=settings.api.token_ttl_minutes)
    elif isinstance(ttl, timedelta):
        lifetime = ttl
    else:
        lifetime = timedelta(minutes=ttl)
    now = datetime.now(UTC)
    claims = {
        "sub": subject,
        "role": access.value,
        "iss": ISSUER,
        "iat": int(now.timestamp()),
        "exp": int((now + lifetime).timestamp()),
    }
    return jwt.encode(claims, settings.api.jwt_secret, algorithm=ALGORITHM)


def decode_token(settings: Settings, token: str) -> Principal:
    """The caller of a valid token; AuthenticationError naming what is wrong otherwise."""
    try:
        claims = jwt.decode(
            token,
            settings.api.jwt_secret,
            algorithms=[ALGORITHM],
            issuer=ISSUER,
            options={"require": ["sub", "role", "exp", "iat", "iss"]},
        )
    except jwt.ExpiredSignatureError:
        raise AuthenticationError("token expired") from None
    except jwt.InvalidSignatureError:
        raise AuthenticationError("token signature is invalid") from None
    except jwt.PyJWTError as exc:
        raise AuthenticationError(f"invalid token: {exc}") from None
    try:
        role = AccessRole(claims["role"])
    except ValueError:
        raise AuthenticationError(f"invalid token: unknown role {claims['role']!r}") from None
    subject = claims["sub"]
    if not isinstance(subject, str) or not subject:
        raise AuthenticationError("invalid token: empty subject")
    return Principal(subject, role)
