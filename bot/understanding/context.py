"""Conversation context for follow-ups, kept in the database (`conversation_state`), not in memory.

Several `silobridge serve` workers may answer the same session, one message each, so the last
intent and slots of a session live in one row. A context older than `understanding.session_ttl_min`
minutes (measured on the request's clock, so a fixed `--now` behaves the same way every run) is
ignored and overwritten.

Nothing personal is stored: the row is keyed by an HMAC-SHA256 of the session id (which often holds a
platform handle such as `whatsapp:85291234567`), and phone numbers in the stored slots and history are
masked. The HMAC key comes from `SILOBRIDGE_SECRET_KEY`, else from `$SILOBRIDGE_HOME/secret-key`
(generated once, mode 0600); several servers that share one database must share that key.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import logging
import os
import secrets
import tempfile
import time
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, Field, ValidationError
from sqlalchemy import delete, select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError

from bot.audit import mask_value
from bot.understanding.dates import Grain
from bot.understanding.entities import GroupBy, LineItem, Measure
from core.config import Settings
from core.db import Database
from core.models import ConversationState

log = logging.getLogger(__name__)

SECRET_KEY_ENV = "SILOBRIDGE_SECRET_KEY"
SECRET_KEY_FILE = "secret-key"
# For callers that pass no key (unit tests, one-off scripts): still a hash, but not a secret one.
_UNKEYED = b"silobridge-conversation-state-without-a-secret-key"


class Slots(BaseModel):
    """What the conversation is about, merged over turns: the planner maps these to tool arguments.

    - `sku`: the product (SKU) -> `product` of stock_lookup, delivery_eta, check_promise, demand_forecast,
      and the item of shipping_cost; `sku_candidates` lists every SKU when the words fit several.
    - `qty` / `qty_unit` ("unit" or "box"): the quantity. `items`: when two or more products are named
      ("送觀塘 3 件藍樽同 2 件紅樽運費幾錢?"), each with the quantity written next to it (shipping_cost items).
    - `area`: delivery area code (delivery_eta, check_promise, shipping_cost, forecast by area);
      `region`: HKI / KLN / NT / ISL (forecast, replenishment, sales); `location`: a stock location code
      (a source to check or a replenishment target); `category`: a product category.
    - `date_from` / `date_to`: the day or period (both included); a single day has both equal;
      `deadline` is True when said as a limit ("by Friday") -> check_promise's deadline;
      `time` ("HH:MM") the clock time on that day. `compare_from` / `compare_to`: a second period
      ("this week vs last week").
    - `order_id`: normalised order id (order_status); `vehicle`: a van id (plan_routes).
    - `order_value` (HKD) and `weight_kg`: shipping_cost inputs when said.
    - `group_by`, `measure`, `compare_previous`: sales_summary options.
    """

    sku: str | None = None
    sku_candidates: list[str] = Field(default_factory=list)
    items: list[LineItem] = Field(default_factory=list,
                                  description="every product with its quantity, when the message names two or more")
    unknown_product: str | None = Field(None, description="an SKU-like word that names no product")
    qty: int | None = None
    qty_unit: Literal["unit", "box"] = "unit"
    area: str | None = None
    region: str | None = None
    location: str | None = None
    category: str | None = None
    date_from: date | None = None
    date_to: date | None = None
    date_grain: Grain | None = None
    deadline: bool = False
    time: str | None = None
    compare_from: date | None = None
    compare_to: date | None = None
    order_id: str | None = None
    vehicle: str | None = Field(None, description="a van named by id, plate or driver (plan_routes)")
    order_value: float | None = None
    weight_kg: float | None = None
    group_by: GroupBy | None = None
    measure: Measure | None = None
    compare_previous: bool = False


class ConversationContext(BaseModel):
    """One session's memory: the last intent, the merged slots and the reply language."""

    last_intent: str | None = None
    slots: Slots = Field(default_factory=Slots)
    lang: str = "en"
    turns: int = 0
    at_risk_orders: bool = Field(False, description="the last order_status turn listed the orders at risk")
    updated_at: datetime | None = None
    # The last few (question, answer) pairs, for the LLM agent's follow-ups; newest last.
    history: list[tuple[str, str]] = Field(default_factory=list)


HISTORY_TURNS = 4
_UPSERTS: dict[str, Callable[[type[ConversationState]], Any]] = {"sqlite": sqlite_insert,
                                                                   "postgresql": postgresql_insert}


def session_secret_key(settings: Settings) -> bytes:
    """The key that hashes session ids: `SILOBRIDGE_SECRET_KEY`, else `$SILOBRIDGE_HOME/secret-key`.

    The file is created on first use (mode 0600, atomically, so workers starting together on one
    home agree on one key). Servers on different machines that share a database must share the
    environment variable instead.
    """
    configured = settings.secret(SECRET_KEY_ENV)
    if configured:
        return configured.encode("utf-8")
    return _key_from_file(Path(settings.home) / SECRET_KEY_FILE)


def _key_from_file(path: Path) -> bytes:
    """The key stored at `path`, created first when there is none."""
    key = _read_key(path)
    if key is None:
        _create_key_file(path)
        key = _read_key(path)
    if key is None:
        raise RuntimeError(f"{path} is empty: delete it to generate a new key, or set {SECRET_KEY_ENV}")
    return key


def _read_key(path: Path, attempts: int = 20) -> bytes | None:
    """The key in `path`; None when the file does not exist. Waits briefly for a file being written."""
    for _attempt in range(attempts):
        try:
            content = path.read_text(encoding="utf-8").strip()
        except FileNotFoundError:
            return None
        if content:
            if path.stat().st_mode & 0o077:
                log.warning("%s is readable by other users; chmod 600 it", path)
            return content.encode("utf-8")
        time.sleep(0.05)  # another worker created the file and is writing it (non-linking file systems)
    return None


def _create_key_file(path: Path) -> None:
    """Write a new random key to `path` unless another process got there first (never overwrites)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=".secret-key.")  # mkstemp makes it 0600
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(secrets.token_hex(32) + "\n")
            handle.flush()
            os.fsync(handle.fileno())
        try:
            os.link(temporary, path)  # atomic, and fails when the file exists: the first writer wins
        except FileExistsError:
            pass
        except OSError:  # a file system without hard links: exclusive create instead
            _create_exclusively(path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)


def _create_exclusively(path: Path) -> None:
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(secrets.token_hex(32) + "\n")


class ContextStore:
    """Loads and saves conversation contexts in the `conversation_state` table (SQLite or PostgreSQL).

    Rows are keyed by `state_key(session_id)`, a keyed hash; pass `session_secret_key(settings)` as
    `secret_key` (the default, for tests, hashes without a secret).
    """

    def __init__(self, db: Database, ttl_minutes: int = 120, secret_key: bytes | None = None) -> None:
        self.db = db
        self.ttl = timedelta(minutes=ttl_minutes)
        self._secret_key = secret_key or _UNKEYED

    def state_key(self, session_id: str) -> str:
        """The row key of a session: HMAC-SHA256 of its id, hex (the raw id, often a handle, is not stored)."""
        return hmac.new(self._secret_key, session_id.encode("utf-8"), hashlib.sha256).hexdigest()

    def load(self, session_id: str | None, now: datetime) -> ConversationContext | None:
        """The session's context, or None when there is none, it has expired, or it cannot be read."""
        if not session_id:
            return None
        with self.db.engine.connect() as conn:  # Core, not the ORM: this runs on every question
            row = conn.execute(select(ConversationState.updated_at, ConversationState.state)
                               .where(ConversationState.session_id == self.state_key(session_id))).first()
        if row is None or row.updated_at is None:
            return None
        if now - row.updated_at > self.ttl or row.updated_at - now > self.ttl:
            return None
        try:
            return ConversationContext.model_validate(row.state or {})
        except ValidationError:
            return None  # a row written by an older version: start afresh

    def save(self, session_id: str | None, context: ConversationContext, now: datetime) -> None:
        """Store the session's context (insert or update; safe when two workers write at once)."""
        if not session_id:
            return
        context = context.model_copy(update={"updated_at": now})
        state = _masked_state(context)
        session_id = self.state_key(session_id)
        upsert = _UPSERTS.get(self.db.dialect)
        if upsert is not None:  # one statement, atomic when two workers write the same session
            values = upsert(ConversationState).values(session_id=session_id, updated_at=now, state=state)
            statement = values.on_conflict_do_update(index_elements=[ConversationState.session_id],
                                                        set_={"updated_at": now, "state": state})
            with self.db.engine.begin() as conn:
                conn.execute(statement)
            return
        for _attempt in range(2):
            try:
                with self.db.session() as session:
                    row = session.get(ConversationState, session_id)
                    if row is None:
                        session.add(ConversationState(session_id=session_id, updated_at=now, state=state))
                    else:
                        row.updated_at = now
                        row.state = state
                return
            except IntegrityError:
                continue  # another worker inserted the row first: update it on the second try

    def clear(self, session_id: str) -> None:
        """Forget a session ("/reset")."""
        with self.db.session() as session:
            session.execute(delete(ConversationState)
                            .where(ConversationState.session_id == self.state_key(session_id)))

    def purge_expired(self, now: datetime) -> int:
        """Delete contexts older than the TTL; returns how many were removed."""
        with self.db.session() as session:
            result = session.execute(delete(ConversationState).where(ConversationState.updated_at < now - self.ttl))
            return int(getattr(result, "rowcount", 0) or 0)  # a DELETE's CursorResult


def _masked_state(context: ConversationContext) -> dict[str, Any]:
    """The context as stored: JSON, with phone numbers in its slots and history masked."""
    state: dict[str, Any] = mask_value(context.model_dump(mode="json"))
    return state
