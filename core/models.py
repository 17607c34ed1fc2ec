"""SQLAlchemy 2 models: one table per file of data-format.md, plus the application's own tables.

Business tables are replaced as a whole by `silobridge load`; application tables (audit log,
conversation state, forecasts, import history) survive an import.

Date-times are stored as naive Hong Kong local time (offsets are converted on import), so SQLite
and PostgreSQL hold identical values. List cells (aliases, substitutes, handles) keep their `;`
text; `split_list()` turns them into Python lists.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    Numeric,
    String,
    Text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

Money = Numeric(14, 2, asdecimal=False)


class Base(DeclarativeBase):
    """Declarative base for every table."""


def split_list(cell: str | None) -> list[str]:
    """A `;`-separated cell as a list of stripped, non-empty items."""
    if not cell:
        return []
    return [item.strip() for item in cell.split(";") if item.strip()]


# --- business data (data-format.md) -------------------------------------------------------------


class ShippingRate(Base):
    """Delivery charges of one shipping zone."""

    __tablename__ = "shipping_rates"
    zone: Mapped[str] = mapped_column(String(32), primary_key=True)
    base_fee: Mapped[float] = mapped_column(Money)
    per_kg: Mapped[float] = mapped_column(Money)
    free_over: Mapped[float | None] = mapped_column(Money)
    consolidated_day: Mapped[str | None] = mapped_column(String(3))
    consolidated_discount_pct: Mapped[float | None] = mapped_column(Float)


class Area(Base):
    """A delivery area with its district, region, zone and representative point."""

    __tablename__ = "areas"
    code: Mapped[str] = mapped_column(String(32), primary_key=True)
    name_en: Mapped[str] = mapped_column(String(128))
    name_zh: Mapped[str] = mapped_column(String(128))
    district: Mapped[str] = mapped_column(String(64))
    region: Mapped[str] = mapped_column(String(3))
    zone: Mapped[str] = mapped_column(ForeignKey("shipping_rates.zone"))
    lat: Mapped[float] = mapped_column(Float)
    lon: Mapped[float] = mapped_column(Float)
    aliases: Mapped[str] = mapped_column(Text, default="")


class Location(Base):
    """A place where stock is held."""

    __tablename__ = "locations"
    code: Mapped[str] = mapped_column(String(32), primary_key=True)
    name_en: Mapped[str] = mapped_column(String(128))
    name_zh: Mapped[str] = mapped_column(String(128))
    area: Mapped[str | None] = mapped_column(ForeignKey("areas.code"))
    kind: Mapped[str] = mapped_column(String(16))
    lead_days_min: Mapped[int] = mapped_column(Integer)
    lead_days_max: Mapped[int] = mapped_column(Integer)
    cutoff: Mapped[str] = mapped_column(String(5))


class Product(Base):
    """A sellable product (SKU)."""

    __tablename__ = "products"
    sku: Mapped[str] = mapped_column(String(64), primary_key=True)
    name_en: Mapped[str] = mapped_column(String(256))
    name_zh: Mapped[str] = mapped_column(String(256))
    category: Mapped[str] = mapped_column(String(64), index=True)
    unit_price: Mapped[float] = mapped_column(Money)
    unit_cost: Mapped[float] = mapped_column(Money)
    weight_kg: Mapped[float] = mapped_column(Float)
    volume_l: Mapped[float] = mapped_column(Float)
    substitutes: Mapped[str] = mapped_column(Text, default="")
    aliases: Mapped[str] = mapped_column(Text, default="")


class Stock(Base):
    """Current stock of one product at one location."""

    __tablename__ = "stock"
    sku: Mapped[str] = mapped_column(ForeignKey("products.sku"), primary_key=True)
    location: Mapped[str] = mapped_column(ForeignKey("locations.code"), primary_key=True)
    on_hand: Mapped[int] = mapped_column(Integer)
    reserved: Mapped[int] = mapped_column(Integer)
    updated_at: Mapped[datetime] = mapped_column(DateTime)

    @property
    def available(self) -> int:
        """Units that can still be promised: on hand less reserved, never below zero."""
        return max(self.on_hand - self.reserved, 0)


class Sale(Base):
    """Daily sales of one product in one area through one channel."""

    __tablename__ = "sales"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    date: Mapped[date] = mapped_column(Date)
    sku: Mapped[str] = mapped_column(ForeignKey("products.sku"))
    area: Mapped[str] = mapped_column(ForeignKey("areas.code"))
    qty: Mapped[int] = mapped_column(Integer)
    revenue: Mapped[float] = mapped_column(Money)
    channel: Mapped[str] = mapped_column(String(16))
    __table_args__ = (Index("ix_sales_sku_date", "sku", "date"), Index("ix_sales_date", "date"))


class Customer(Base):
    """A customer (optional file)."""

    __tablename__ = "customers"
    customer_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(256))
    area: Mapped[str | None] = mapped_column(ForeignKey("areas.code"))
    tier: Mapped[str | None] = mapped_column(String(1))
    salesperson: Mapped[str | None] = mapped_column(String(64))


class Vehicle(Base):
    """A van with its driver, depot, capacity and shift."""

    __tablename__ = "vehicles"
    vehicle_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    plate: Mapped[str] = mapped_column(String(32))
    driver: Mapped[str] = mapped_column(String(128))
    driver_zh: Mapped[str] = mapped_column(String(128))
    depot: Mapped[str] = mapped_column(ForeignKey("locations.code"))
    capacity_kg: Mapped[float] = mapped_column(Float)
    capacity_l: Mapped[float] = mapped_column(Float)
    shift_start: Mapped[str] = mapped_column(String(5))
    shift_end: Mapped[str] = mapped_column(String(5))
    workdays: Mapped[str] = mapped_column(String(64))


class OrderLine(Base):
    """One line of a sales order."""

    __tablename__ = "orders"
    order_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    line: Mapped[int] = mapped_column(Integer, primary_key=True)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    customer_id: Mapped[str | None] = mapped_column(String(64))
    sku: Mapped[str] = mapped_column(ForeignKey("products.sku"))
    qty: Mapped[int] = mapped_column(Integer)
    area: Mapped[str] = mapped_column(ForeignKey("areas.code"))
    window_start: Mapped[datetime | None] = mapped_column(DateTime)
    window_end: Mapped[datetime | None] = mapped_column(DateTime)
    status: Mapped[str] = mapped_column(String(20), index=True)
    location: Mapped[str | None] = mapped_column(ForeignKey("locations.code"))
    vehicle: Mapped[str | None] = mapped_column(ForeignKey("vehicles.vehicle_id"))
    eta: Mapped[datetime | None] = mapped_column(DateTime)
    promised_by: Mapped[datetime | None] = mapped_column(DateTime)


class Supplier(Base):
    """One supplier's terms for one SKU (optional file)."""

    __tablename__ = "suppliers"
    supplier_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    sku: Mapped[str] = mapped_column(ForeignKey("products.sku"), primary_key=True)
    name: Mapped[str] = mapped_column(String(256))
    lead_days: Mapped[int] = mapped_column(Integer)
    moq: Mapped[int] = mapped_column(Integer)
    unit_cost: Mapped[float] = mapped_column(Money)
    deliver_to: Mapped[str] = mapped_column(ForeignKey("locations.code"))


class Promotion(Base):
    """A promotion of one SKU in a region or everywhere (optional file)."""

    __tablename__ = "promotions"
    promo_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    sku: Mapped[str] = mapped_column(ForeignKey("products.sku"), primary_key=True)
    name: Mapped[str] = mapped_column(String(256))
    region: Mapped[str] = mapped_column(String(3), primary_key=True)
    start: Mapped[date] = mapped_column(Date)
    end: Mapped[date] = mapped_column(Date)
    discount_pct: Mapped[float] = mapped_column(Float)


class Staff(Base):
    """A member of staff and their role (optional file)."""

    __tablename__ = "staff"
    staff_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(256))
    role: Mapped[str] = mapped_column(String(16))
    handles: Mapped[str] = mapped_column(Text, default="")
    region: Mapped[str | None] = mapped_column(String(3))


class StaffHandle(Base):
    """One chat identity (`platform:id`) of a member of staff, for lookup by handle."""

    __tablename__ = "staff_handles"
    handle: Mapped[str] = mapped_column(String(128), primary_key=True)
    staff_id: Mapped[str] = mapped_column(ForeignKey("staff.staff_id"))


# Insert order (parents first); deletion runs in reverse.
BUSINESS_TABLES = [
    ShippingRate,
    Area,
    Location,
    Product,
    Stock,
    Customer,
    Vehicle,
    OrderLine,
    Sale,
    Supplier,
    Promotion,
    Staff,
    StaffHandle,
]


# --- application state ----------------------------------------------------------------------------


class ImportRun(Base):
    """One successful `silobridge load`: the data version every cache keys on."""

    __tablename__ = "import_runs"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    loaded_at: Mapped[datetime] = mapped_column(DateTime)
    source: Mapped[str] = mapped_column(Text)
    row_counts: Mapped[dict] = mapped_column(JSON)
    seconds: Mapped[float] = mapped_column(Float)


class ConversationState(Base):
    """What a session last asked about, for follow-ups; in the database so any worker can serve it."""

    __tablename__ = "conversation_state"
    session_id: Mapped[str] = mapped_column(String(256), primary_key=True)
    updated_at: Mapped[datetime] = mapped_column(DateTime)
    state: Mapped[dict] = mapped_column(JSON)


class AuditEntry(Base):
    """One question, who asked it, what ran and how it ended. Phone numbers are masked before storage."""

    __tablename__ = "audit_log"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(DateTime, index=True)
    user: Mapped[str | None] = mapped_column(String(256))
    role: Mapped[str] = mapped_column(String(16))
    channel: Mapped[str] = mapped_column(String(32))
    question: Mapped[str] = mapped_column(Text)
    intent: Mapped[str | None] = mapped_column(String(64))
    tool_calls: Mapped[list] = mapped_column(JSON)
    outcome: Mapped[str] = mapped_column(String(32))
    latency_ms: Mapped[float] = mapped_column(Float)
    brain: Mapped[str] = mapped_column(String(16))


class ProcessedEvent(Base):
    """Platform event ids already answered, so a retried webhook is never answered twice."""

    __tablename__ = "processed_events"
    event_key: Mapped[str] = mapped_column(String(256), primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime)


class ForecastSeries(Base):
    """One fitted series (product x region): which model, when, on which data."""

    __tablename__ = "forecast_series"
    sku: Mapped[str] = mapped_column(String(64), primary_key=True)
    region: Mapped[str] = mapped_column(String(3), primary_key=True)
    model: Mapped[str] = mapped_column(String(64))
    data_hash: Mapped[str] = mapped_column(String(64))
    fitted_at: Mapped[datetime] = mapped_column(DateTime)
    fit_seconds: Mapped[float] = mapped_column(Float)
    history_days: Mapped[int] = mapped_column(Integer)
    details: Mapped[dict] = mapped_column(JSON, default=dict)


class ForecastPoint(Base):
    """A stored daily forecast: mean and interval bounds."""

    __tablename__ = "forecast_points"
    sku: Mapped[str] = mapped_column(String(64), primary_key=True)
    region: Mapped[str] = mapped_column(String(3), primary_key=True)
    date: Mapped[date] = mapped_column(Date, primary_key=True)
    mean: Mapped[float] = mapped_column(Float)
    lower: Mapped[float] = mapped_column(Float)
    upper: Mapped[float] = mapped_column(Float)
    __table_args__ = (
        ForeignKeyConstraint(["sku", "region"], ["forecast_series.sku", "forecast_series.region"], ondelete="CASCADE"),
    )


class ForecastRefit(Base):
    """The refit of the forecasts after one data version: who holds it (a lease, so one process of many does
    the work) and when it finished (then every stored series matches that version's data)."""

    __tablename__ = "forecast_refits"
    data_version: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    owner: Mapped[str] = mapped_column(String(128))
    started_at: Mapped[datetime] = mapped_column(DateTime)
    lease_until: Mapped[datetime] = mapped_column(DateTime)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)


class RoutePlan(Base):
    """A stored route plan for one date (the latest plan wins)."""

    __tablename__ = "route_plans"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    plan_date: Mapped[date] = mapped_column(Date, index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    committed: Mapped[bool] = mapped_column(Boolean, default=False)
    plan: Mapped[dict] = mapped_column(JSON)


# --- access: personal tokens, web sign-in links and sessions (bot/auth.py, bot/signin.py) ---------------------
# Secrets are stored only as SHA-256 hashes. `staff_id` has no foreign key: staff.csv is replaced by every
# import, so the member of staff (and their role) is looked up again each time a token or session is used.


class PersonalToken(Base):
    """A personal access token (`silobridge token create`): its user's role comes from staff.csv."""

    __tablename__ = "personal_tokens"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True, index=True)
    staff_id: Mapped[str] = mapped_column(String(64))
    user: Mapped[str] = mapped_column(String(256))
    created_at: Mapped[datetime] = mapped_column(DateTime)
    expires_at: Mapped[datetime | None] = mapped_column(DateTime)
    last_used_at: Mapped[datetime | None] = mapped_column(DateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime)


class WebLoginLink(Base):
    """A one-time web sign-in link asked for in a chat app; used at most once, before it expires."""

    __tablename__ = "web_login_links"
    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    staff_id: Mapped[str] = mapped_column(String(64))
    user: Mapped[str] = mapped_column(String(256))
    created_at: Mapped[datetime] = mapped_column(DateTime)
    expires_at: Mapped[datetime] = mapped_column(DateTime, index=True)
    used_at: Mapped[datetime | None] = mapped_column(DateTime)


class WebSession(Base):
    """A signed-in web page visitor (the cookie holds the id; only its hash is stored)."""

    __tablename__ = "web_sessions"
    id_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    staff_id: Mapped[str] = mapped_column(String(64))
    user: Mapped[str] = mapped_column(String(256))
    created_at: Mapped[datetime] = mapped_column(DateTime)
    expires_at: Mapped[datetime] = mapped_column(DateTime, index=True)
