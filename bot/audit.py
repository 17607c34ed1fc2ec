"""The audit log: every question, who asked, what ran, how it ended. Phone numbers are masked.

`mask_phone_numbers` is the one place that decides what a phone number looks like; the conversation
state (`bot/understanding/context.py`) masks its stored text with it too.
"""

from __future__ import annotations

import logging
import re
from datetime import datetime
from typing import Any

from sqlalchemy import insert

from bot.messages import Outcome
from core.db import Database
from core.models import AuditEntry

log = logging.getLogger(__name__)

# Digits as typed on a phone or a Chinese keyboard: ASCII and full-width.
_D = "[0-9\uff10-\uff19]"
_HK_FIRST = "[2-9\uff12-\uff19]"
# One separator between digit groups: space (also full-width), dot, hyphen and its Unicode look-alikes.
_S = "[ .\\-\u2010-\u2014\u3000\uff0e\uff0d]"
_PLUS = "[+\uff0b]"
_OPEN, _CLOSE = "[(\uff08]", "[)\uff09]"

# Not glued to an id or a number: `SO-10231`, `PO/2026/00123`, `WB-BL-500`, `3,450.50` stay as they are.
_BEFORE = rf"(?<![0-9\uff10-\uff19A-Za-z_])(?<![A-Za-z0-9][-/])(?<![0-9][.,]){_S}?"
_AFTER = rf"(?!{_D})(?![.,:]{_D})(?![-/]{_D})"

_HK_PREFIX = rf"(?:(?:{_PLUS}|00)?852|{_OPEN}{_PLUS}?852{_CLOSE})"
_CN_PREFIX = rf"(?:(?:{_PLUS}|00)?86|{_OPEN}{_PLUS}?86{_CLOSE})"
_PHONE_SHAPES = (
    # Hong Kong: 8 digits starting 2-9, as 4+4 with at most one separator, optionally after +852 / 852 / (852).
    rf"(?:{_HK_PREFIX}{_S}?)?{_HK_FIRST}{_D}{{3}}{_S}?{_D}{{4}}",
    # Mainland mobiles: 11 digits starting 13-19, as 3+4+4, optionally after +86 / 86 / (86).
    rf"(?:{_CN_PREFIX}{_S}?)?[1\uff11][3-9\uff13-\uff19]{_D}{_S}?{_D}{{4}}{_S}?{_D}{{4}}",
    # International: a + (or 00) and a country code, then groups (one may be in brackets): +44 20 7946 0958.
    rf"(?:{_PLUS}|00){_D}{{1,3}}(?:{_S}?{_OPEN}?{_D}{{1,4}}{_CLOSE}?){{2,6}}",
    # North American local form: (415) 555-0100.
    rf"{_OPEN}{_D}{{3}}{_CLOSE}{_S}?{_D}{{3}}{_S}?{_D}{{4}}",
    # Any long unbroken run of digits (a WhatsApp handle `whatsapp:85291234567`).
    rf"{_D}{{10,15}}",
)
_PHONE = re.compile(_BEFORE + "(?:" + "|".join(_PHONE_SHAPES) + ")" + _AFTER)
_MIN_DIGITS, _MAX_DIGITS = 8, 15
_KEEP_DIGITS = 2


def _digit_count(text: str) -> int:
    return sum(character.isdigit() for character in text)


def _mask_match(match: re.Match[str]) -> str:
    found = match.group()
    core = found.lstrip(" .-\u2010\u2011\u2012\u2013\u2014\u3000\uff0e\uff0d")  # the optional leading separator
    lead = found[: len(found) - len(core)]
    if not _MIN_DIGITS <= _digit_count(core) <= _MAX_DIGITS:
        return found  # too short or too long for a phone number (e.g. a long id)
    return lead + "*" * (len(core) - _KEEP_DIGITS) + core[-_KEEP_DIGITS:]


def mask_phone_numbers(text: str | None) -> str | None:
    """Replace phone numbers by stars, the last two digits shown: `whatsapp:85291234567` -> `whatsapp:*********67`.

    Recognised: Hong Kong numbers (`9123 4567`, `9123.4567`, `+852 9123-4567`, `(852) 91234567`, full-width
    `９１２３４５６７`), mainland mobiles (`+86 138 0013 8000`), international numbers with a `+`
    (`+44 20 7946 0958`, `+1 (415) 555-0100`) and any run of 10-15 digits. Order ids, SKUs, dates, times,
    quantities and money are left alone.
    """
    if text is None:
        return None
    return _PHONE.sub(_mask_match, text)


def mask_value(value: Any) -> Any:
    """Mask phone numbers inside strings, lists, tuples and dicts (tool arguments, conversation state)."""
    if isinstance(value, str):
        return mask_phone_numbers(value)
    if isinstance(value, list | tuple):
        return [mask_value(item) for item in value]
    if isinstance(value, dict):
        return {key: mask_value(item) for key, item in value.items()}
    return value


def record(db: Database, *, at: datetime, user: str | None, role: str, channel: str, question: str,
           intent: str | None, tool_calls: list[dict[str, Any]], outcome: Outcome, latency_ms: float,
           brain: str) -> None:
    """Write one audit entry; a failure to write is logged, never raised to the asker."""
    try:
        with db.engine.begin() as conn:  # a Core insert: this runs on every question
            conn.execute(insert(AuditEntry).values(
                at=at, user=mask_phone_numbers(user), role=role, channel=channel,
                question=mask_phone_numbers(question) or "", intent=intent, tool_calls=mask_value(tool_calls),
                outcome=outcome, latency_ms=round(latency_ms, 2), brain=brain))
    except Exception as exc:  # the answer matters more than its audit line
        log.error("audit log write failed: %s", type(exc).__name__)
