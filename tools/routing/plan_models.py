"""The product's route plan for a day: vans and drivers, their stops with arrival windows, what is left out."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, Field

from tools.routing.problem import UnservedReason

# Order statuses the planner routes: open ones, and those already on a van.
OPEN_STATUSES = ("new", "allocated", "picked")
DISPATCHED = "out_for_delivery"


class PlannedStop(BaseModel):
    """One delivery on a van's route: the order(s), where, when the van gets there and the window we tell."""

    sequence: int
    order_ids: list[str]
    area: str
    area_en: str
    area_zh: str
    lat: float
    lon: float
    eta: datetime
    arrival_from: datetime
    arrival_to: datetime
    customer_window_start: datetime | None = None
    customer_window_end: datetime | None = None
    weight_kg: float
    volume_l: float
    dispatched: bool = False
    # Minutes after the customer's window (only for orders already on the van, which stay on it).
    late_min: int = 0


class PlannedRoute(BaseModel):
    """One van's day: driver, depot, departure and return, stops in order, load against capacity."""

    vehicle_id: str
    plate: str
    driver: str
    driver_zh: str
    depot: str
    depot_en: str
    depot_zh: str
    depot_lat: float
    depot_lon: float
    departure: datetime
    return_at: datetime
    stops: list[PlannedStop]
    load_kg: float
    load_l: float
    capacity_kg: float
    capacity_l: float
    distance_km: float
    duration_min: float


class UnservedOrder(BaseModel):
    """An order the plan cannot serve, with why: `capacity`, `window`, `shift` or `stock` (and a finer detail
    code: for `stock` the sourcing reason, such as `crossborder_lead`, `supplier_arrival`, `after_cutoff` or
    `no_source`), and the first day it can go (None when no source can supply it yet)."""

    order_id: str
    area: str
    area_en: str
    area_zh: str
    reason: UnservedReason
    detail: str
    window_start: datetime | None = None
    window_end: datetime | None = None
    weight_kg: float
    volume_l: float
    vehicle: str | None = None
    first_day: date | None = None


class DayOff(BaseModel):
    """A day without vans: a Sunday (or other weekday without deliveries) or a general holiday, and the next
    delivery day."""

    reason: Literal["sunday", "public_holiday"]
    name_en: str | None = None
    name_zh: str | None = None
    next_delivery_day: date


class DayPlan(BaseModel):
    """The routes of one day, with totals, the orders left out, and how the plan was made."""

    plan_date: date
    created_at: datetime
    depot: str | None = None
    routes: list[PlannedRoute]
    unserved: list[UnservedOrder]
    orders_planned: int
    orders_total: int
    total_distance_km: float
    total_duration_min: float
    solve_seconds: float
    time_limit_s: float
    committed: bool = False
    chart_path: str | None = None
    notes: list[str] = Field(default_factory=list)
    # Set when the day has no deliveries at all (Sunday, general holiday).
    day_off: DayOff | None = None
    # The data version (latest import) the plan was made on: a committed plan is current only while it holds.
    data_version: int | None = None

    @property
    def late_orders(self) -> list[str]:
        """Orders already on a van that will arrive after their window."""
        return [o for route in self.routes for stop in route.stops if stop.late_min > 0 for o in stop.order_ids]

    @property
    def vans_used(self) -> int:
        """Vans with at least one stop."""
        return sum(1 for route in self.routes if route.stops)
