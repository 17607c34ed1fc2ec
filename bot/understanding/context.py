"""Conversation context for follow-ups, kept in the database (`conversation_state`), not in memory.

Several `silobridge serve` workers may answer the same session, one message each, so the last
intent and slots of a session live in one row keyed by session id. A context older than
`understanding.session_ttl_min` minutes (measured on the request's clock, so a fixed `--now`
behaves the same way every run) is ignored and overwritten.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Literal

from pydantic import BaseModel, Field, ValidationError
from sqlalchemy import delete, select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError

from bot.understanding.dates import Grain
from bot.understanding.entities import GroupBy, LineItem, Measure
from core.db import Database
from core.models import ConversationState


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
_UPSERTS = {"sqlite": sqlite_insert, "postgresql": postgresql_insert}


class ContextStore:
    """Loads and saves conversation contexts in the `conversation_state` table (SQLite or PostgreSQL)."""

    def __init__(self, db: Database, ttl_minutes: int = 120) -> None:
        self.db = db
        self.ttl = timedelta(minutes=ttl_minutes)

    def load(self, session_id: str | None, now: datetime) -> ConversationContext | None:
        """The session's context, or None when there is none, it has expired, or it cannot be read."""
        if not session_id:
            return None
        with self.db.engine.connect() as conn:  # Core, not the ORM: this runs on every question
            row = conn.execute(select(ConversationState.updated_at, ConversationState.state)
                               .where(ConversationState.session_id == session_id)).first()
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
        state = context.model_dump(mode="json")
        upsert = _UPSERTS.get(self.db.dialect)
        if upsert is not None:  # one statement, atomic when two workers write the same session
            statement = upsert(ConversationState).values(session_id=session_id, updated_at=now, state=state)
            statement = statement.on_conflict_do_update(index_elements=[ConversationState.session_id],
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
            session.execute(delete(ConversationState).where(ConversationState.session_id == session_id))

    def purge_expired(self, now: datetime) -> int:
        """Delete contexts older than the TTL; returns how many were removed."""
        with self.db.session() as session:
            result = session.execute(delete(ConversationState).where(ConversationState.updated_at < now - self.ttl))
            return int(result.rowcount or 0)
