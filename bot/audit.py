"""The audit log: every question, who asked, what ran, how it ended. Phone numbers are masked."""

from __future__ import annotations

import logging
import re
from datetime import datetime
from typing import Any

from sqlalchemy import insert

from core.db import Database
from core.models import AuditEntry

log = logging.getLogger(__name__)

# Hong Kong (8 digits starting 2-9, optionally +852/852) and generic international numbers.
_PHONE = re.compile(r"(?<!\d)(?:\+?852[ -]?)?[2-9]\d{3}[ -]?\d{4}(?!\d)|(?<!\d)\+?\d{10,15}(?!\d)")


def mask_phone_numbers(text: str | None) -> str | None:
    """Replace phone numbers with their last two digits shown: `whatsapp:85291234567` -> `whatsapp:*********67`."""
    if text is None:
        return None
    return _PHONE.sub(lambda m: "*" * (len(m.group()) - 2) + m.group()[-2:], text)


def mask_value(value: Any) -> Any:
    """Mask phone numbers inside strings, lists and dicts (tool arguments)."""
    if isinstance(value, str):
        return mask_phone_numbers(value)
    if isinstance(value, list):
        return [mask_value(item) for item in value]
    if isinstance(value, dict):
        return {key: mask_value(item) for key, item in value.items()}
    return value


def record(db: Database, *, at: datetime, user: str | None, role: str, channel: str, question: str,
           intent: str | None, tool_calls: list[dict[str, Any]], outcome: str, latency_ms: float,
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
