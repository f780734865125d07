"""Bearer tokens: JWT HS256 signed with settings.api.jwt_secret.

Claims: `sub` (an employee id, or a service name), `role` (employee | manager | ld_admin |
service), `iat`, `exp`, `iss`. Tokens are minted by `skillgraph token` (mint_token).
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable
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
    return _verified(settings, token)[0]


def _verified(settings: Settings, token: str) -> tuple[Principal, float]:
    """The caller and the expiry (epoch seconds) of a valid token."""
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
    return Principal(subject, role), float(claims["exp"])


class TokenCache:
    """Tokens already verified, so a client that repeats its token skips the HMAC and the
    claim checks; expiry is still checked on every use. Bounded (the oldest verified go
    first); only valid tokens are kept. One per app: its secret is fixed for its lifetime."""

    def __init__(self, settings: Settings, max_entries: int = 4096) -> None:
        self.settings = settings
        self.max_entries = max_entries
        self._entries: OrderedDict[str, tuple[Principal, float]] = OrderedDict()
        self._lock = threading.Lock()
        self.clock: Callable[[], float] = time.time

    def principal(self, token: str) -> Principal:
        """Like `decode_token`, from the cache when the token was verified before."""
        hit = self._entries.get(token)
        if hit is not None:
            principal, expires = hit
            if self.clock() < expires:
                return principal
            raise AuthenticationError("token expired")  # it leaves with the oldest
        principal, expires = _verified(self.settings, token)
        with self._lock:
            self._entries[token] = (principal, expires)
            if len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)
        return principal
