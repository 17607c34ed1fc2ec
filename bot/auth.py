"""Proof of identity for the API (and, later, MCP): the service token and personal access tokens.

- The service token belongs to a trusted integration, which may state `role` and `user`. It is
  `SILOBRIDGE_API_TOKEN`, or else a token generated once into `$SILOBRIDGE_HOME/api-token` (mode 0600).
- A personal access token (`silobridge token create --user HANDLE`) speaks for one member of staff; the role
  comes from staff.csv each time it is used, never from the request. Only its SHA-256 hash is stored.

Tokens are never logged; comparisons are constant-time.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import os
import secrets
import stat
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Literal

from sqlalchemy import func, select, update

from core.clock import HK
from core.config import Settings
from core.db import Database
from core.models import PersonalToken, Staff, StaffHandle
from tools.registry import Role

log = logging.getLogger(__name__)

SERVICE_TOKEN_ENV = "SILOBRIDGE_API_TOKEN"
SERVICE_TOKEN_FILE = "api-token"
# A recognisable prefix lets secret scanners (and people) spot a leaked personal token.
PERSONAL_TOKEN_PREFIX = "sbp_"
_MAX_TOKEN_CHARS = 512
_LAST_USED_EVERY = timedelta(minutes=1)  # don't write on every request


class UnknownStaff(ValueError):
    """A user that staff.csv does not list (by handle, staff id or email)."""


@dataclass(frozen=True)
class StaffMember:
    """A member of staff found in staff.csv, with the identifier they were found by (`user`)."""

    staff_id: str
    name: str
    role: Role
    user: str


@dataclass(frozen=True)
class Principal:
    """Who proved themselves. `role` is None for the service token: the integration states it per request."""

    kind: Literal["service", "personal", "web"]
    role: Role | None = None
    user: str | None = None
    staff_id: str | None = None
    name: str | None = None


@dataclass(frozen=True)
class ServiceToken:
    """The service token and where it lives (None when it comes from the environment)."""

    value: str
    path: Path | None
    created: bool = False


@dataclass(frozen=True)
class IssuedToken:
    """A new personal access token; `token` is shown once and never stored."""

    id: int
    token: str
    member: StaffMember
    expires_at: datetime | None


def wall_clock() -> datetime:
    """The real Hong Kong time (naive). Never the fixed `--now` clock: expiry must not be replayable."""
    return datetime.now(HK).replace(tzinfo=None, microsecond=0)


def hash_secret(secret: str) -> str:
    """SHA-256 hex of a high-entropy secret (tokens, links, session ids): what the database keeps."""
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


# --- staff ---------------------------------------------------------------------------------------------------


def find_staff(db: Database, user: str | None) -> StaffMember | None:
    """The member of staff a user names: a handle (`slack:U..`, `email:amy@co.hk`), a staff id, or a bare
    email address matched to an `email:` handle (case-insensitive)."""
    value = (user or "").strip()
    if not value or len(value) > 256:
        return None
    with db.sessions() as session:
        by_handle = select(Staff, StaffHandle.handle).join(StaffHandle, StaffHandle.staff_id == Staff.staff_id)
        row = session.execute(by_handle.where(StaffHandle.handle == value)).first()
        if row is None and "@" in value:
            email = "email:" + value.lower().removeprefix("email:")
            row = session.execute(by_handle.where(func.lower(StaffHandle.handle) == email)).first()
        if row is not None:
            return _member(row[0], row[1])
        staff = session.get(Staff, value)
    return _member(staff, value) if staff is not None else None


def staff_by_id(db: Database, staff_id: str, user: str) -> StaffMember | None:
    """The member of staff with this id as staff.csv has them now (role changes take effect at once)."""
    with db.sessions() as session:
        staff = session.get(Staff, staff_id)
    return _member(staff, user) if staff is not None else None


def _member(staff: Staff, user: str) -> StaffMember:
    return StaffMember(staff_id=staff.staff_id, name=staff.name, role=Role(staff.role), user=user)


# --- the service token -----------------------------------------------------------------------------------------


def service_token_path(settings: Settings) -> Path:
    """Where a generated service token lives: `$SILOBRIDGE_HOME/api-token`."""
    return settings.home / SERVICE_TOKEN_FILE


def ensure_service_token(settings: Settings) -> ServiceToken:
    """SILOBRIDGE_API_TOKEN, else the token file, created (mode 0600) when missing. Safe for concurrent workers."""
    configured = settings.secret(SERVICE_TOKEN_ENV)
    if configured:
        return ServiceToken(configured, None)
    path = service_token_path(settings)
    existing = _read_token_file(path)
    if existing:
        return ServiceToken(existing, path)
    path.parent.mkdir(parents=True, exist_ok=True)
    token = secrets.token_urlsafe(32)
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another worker created it a moment ago
        return ServiceToken(_wait_for_token_file(path), path)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write(token)  # no newline: `read_text()` alone gives a usable header value
        handle.flush()
        os.fsync(handle.fileno())
    log.info("generated the API service token for POST /api/ask in %s (mode 0600)", path)
    return ServiceToken(token, path, created=True)


def read_service_token(settings: Settings) -> str | None:
    """The service token if one exists (the environment or the file); never creates one."""
    return settings.secret(SERVICE_TOKEN_ENV) or _read_token_file(service_token_path(settings))


def _read_token_file(path: Path) -> str | None:
    try:
        mode = path.stat().st_mode
        token = path.read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        return None
    if mode & (stat.S_IRWXG | stat.S_IRWXO):
        log.warning("%s was readable by other users; its mode is now 0600", path)
        path.chmod(0o600)
    return token or None


def _wait_for_token_file(path: Path, timeout_s: float = 5.0) -> str:
    deadline = time.monotonic() + timeout_s
    while (token := _read_token_file(path)) is None:
        if time.monotonic() > deadline:
            raise RuntimeError(f"{path} exists but holds no token; delete it and start again")
        time.sleep(0.05)
    return token


# --- personal access tokens ----------------------------------------------------------------------------------


def create_personal_token(db: Database, user: str, expires_days: int | None = None,
                          now: datetime | None = None) -> IssuedToken:
    """Issue a token for a member of staff; raises UnknownStaff for a user staff.csv does not list."""
    member = find_staff(db, user)
    if member is None:
        raise UnknownStaff(f"{user!r} is not in staff.csv (give a handle such as slack:U012AB3CD, or a staff_id)")
    if expires_days is not None and expires_days < 1:
        raise ValueError("expires_days must be at least 1")
    issued_at = now or wall_clock()
    token = PERSONAL_TOKEN_PREFIX + secrets.token_urlsafe(32)
    expires_at = issued_at + timedelta(days=expires_days) if expires_days else None
    row = PersonalToken(token_hash=hash_secret(token), staff_id=member.staff_id, user=member.user,
                        created_at=issued_at, expires_at=expires_at)
    with db.session() as session:
        session.add(row)
        session.flush()
        token_id = row.id
    return IssuedToken(id=token_id, token=token, member=member, expires_at=expires_at)


def list_personal_tokens(db: Database) -> list[PersonalToken]:
    """Every personal token's record (hashes only), oldest first."""
    with db.sessions() as session:
        return list(session.scalars(select(PersonalToken).order_by(PersonalToken.id)))


def revoke_personal_token(db: Database, token_id: int, now: datetime | None = None) -> bool:
    """Revoke a token by id; False when there is no such token (revoking twice is harmless)."""
    with db.session() as session:
        row = session.get(PersonalToken, token_id)
        if row is None:
            return False
        row.revoked_at = row.revoked_at or now or wall_clock()
    return True


# --- authentication ---------------------------------------------------------------------------------------------


def bearer_token(header: str | None) -> str | None:
    """The token of an `Authorization: Bearer <token>` header, or None."""
    scheme, _, token = (header or "").strip().partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token or len(token) > _MAX_TOKEN_CHARS:
        return None
    return token


def authenticate_bearer(db: Database, settings: Settings, header: str | None, *,
                        service_token: str | None = None, now: datetime | None = None) -> Principal | None:
    """Who an `Authorization` header proves: the service integration, a member of staff, or None (refuse)."""
    token = bearer_token(header)
    if token is None:
        return None
    expected = service_token or read_service_token(settings)
    if expected and hmac.compare_digest(token.encode(), expected.encode()):
        return Principal(kind="service")
    if token.startswith(PERSONAL_TOKEN_PREFIX):
        return _personal_principal(db, token, now or wall_clock())
    return None


def _personal_principal(db: Database, token: str, now: datetime) -> Principal | None:
    digest = hash_secret(token)
    with db.sessions() as session:
        row = session.scalar(select(PersonalToken).where(PersonalToken.token_hash == digest))
    if row is None or not hmac.compare_digest(row.token_hash, digest):
        return None
    if row.revoked_at is not None or (row.expires_at is not None and row.expires_at <= now):
        return None
    member = staff_by_id(db, row.staff_id, row.user)
    if member is None:  # no longer in staff.csv
        return None
    if row.last_used_at is None or now - row.last_used_at >= _LAST_USED_EVERY:
        with db.session() as session:
            session.execute(update(PersonalToken).where(PersonalToken.id == row.id).values(last_used_at=now))
    return Principal(kind="personal", role=member.role, user=member.user, staff_id=member.staff_id,
                     name=member.name)
