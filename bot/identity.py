"""Who is asking: a chat handle maps through staff.csv to a role; an unknown handle is a guest."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from core.db import Database
from core.models import Staff, StaffHandle
from tools.registry import Role

# Channels where the caller is trusted to state a role (a local terminal, the API behind the
# company's own auth, the demo web page). Chat platforms always go through staff.csv.
ROLE_CLAIM_CHANNELS = frozenset({"cli", "api", "eval", "web"})


class UnknownRole(ValueError):
    """A role name that is not one of product.md's roles."""


@dataclass(frozen=True)
class Identity:
    """The resolved asker."""

    role: Role
    handle: str | None = None
    staff_id: str | None = None
    name: str | None = None
    region: str | None = None


def parse_role(value: str) -> Role:
    """A role by name, with an error that lists the valid ones."""
    try:
        return Role(value.strip().lower())
    except ValueError:
        raise UnknownRole(f"unknown role {value!r}; use one of {', '.join(r.value for r in Role)}") from None


def resolve_identity(db: Database, *, handle: str | None, claimed_role: str | None, channel: str) -> Identity:
    """The asker's role: a claimed role where the channel allows it, else the handle's staff role, else guest."""
    if claimed_role and channel in ROLE_CLAIM_CHANNELS:
        return Identity(role=parse_role(claimed_role), handle=handle)
    if handle:
        with db.sessions() as session:
            row = session.execute(
                select(Staff).join(StaffHandle, StaffHandle.staff_id == Staff.staff_id)
                .where(StaffHandle.handle == handle.strip())
            ).scalar_one_or_none()
        if row is not None:
            return Identity(role=Role(row.role), handle=handle, staff_id=row.staff_id, name=row.name,
                            region=row.region)
    return Identity(role=Role.guest, handle=handle)
