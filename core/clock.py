"""The one clock: Hong Kong local time, fixable with --now or SILOBRIDGE_NOW for reproducible answers.

The clock travels with the message (`IncomingMessage.now`, `ToolContext.now`); nothing here reads the
environment on each call. An entry point (the CLI, the server assembly) reads `SILOBRIDGE_NOW` once with
`fixed_now_from_environment` and passes the value down.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from datetime import date, datetime
from zoneinfo import ZoneInfo

HK = ZoneInfo("Asia/Hong_Kong")


class ClockError(ValueError):
    """A --now / SILOBRIDGE_NOW value that is not a date or an ISO 8601 date-time."""


def parse_now(value: str) -> datetime:
    """Parse `2026-11-25`, `2026-11-25T09:30` or `2026-11-25T09:30+08:00` into a naive HK local time."""
    text = value.strip()
    try:
        moment = datetime.fromisoformat(text)
    except ValueError as exc:
        raise ClockError(f"not a date or ISO date-time: {value!r} (example: 2026-11-25T09:30)") from exc
    if len(text) == 10:  # a bare date means the start of the working day
        moment = moment.replace(hour=9)
    return to_local(moment)


def to_local(moment: datetime) -> datetime:
    """A naive Hong Kong local time: offsets are converted, naive values are taken as local already."""
    if moment.tzinfo is not None:
        moment = moment.astimezone(HK).replace(tzinfo=None)
    return moment


def now(override: str | datetime | None = None) -> datetime:
    """Current Hong Kong local time (naive), unless fixed by `override` (a datetime or a --now text)."""
    if isinstance(override, datetime):
        return to_local(override)
    if override:
        return parse_now(override)
    return datetime.now(HK).replace(tzinfo=None, microsecond=0)


def fixed_now_from_environment(environ: Mapping[str, str] | None = None) -> str | None:
    """`SILOBRIDGE_NOW` when set (checked: `ClockError` if it is not a date-time), else None.

    Read once by an entry point, which passes the value down with each message.
    """
    fixed = (os.environ if environ is None else environ).get("SILOBRIDGE_NOW", "").strip()
    if not fixed:
        return None
    parse_now(fixed)
    return fixed


def today(override: str | datetime | None = None) -> date:
    """Hong Kong local date."""
    return now(override).date()
