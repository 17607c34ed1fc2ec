"""The one clock: Hong Kong local time, fixable with --now or SILOBRIDGE_NOW for reproducible answers."""

from __future__ import annotations

import os
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
    """Current Hong Kong local time (naive), unless fixed by `override` or SILOBRIDGE_NOW."""
    if isinstance(override, datetime):
        return to_local(override)
    fixed = override or os.environ.get("SILOBRIDGE_NOW")
    if fixed:
        return parse_now(fixed)
    return datetime.now(HK).replace(tzinfo=None, microsecond=0)


def today(override: str | datetime | None = None) -> date:
    """Hong Kong local date."""
    return now(override).date()
