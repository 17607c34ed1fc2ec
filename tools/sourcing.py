"""Where an order ships from and when it arrives: product.md's source, dispatch and ETA rules.

Choice of source, in order: the local location (no lead days) with enough available units that is
nearest to the delivery area by travel time; else a location with lead days (Shenzhen: goods leave a
Hong Kong depot `lead_days_min..max` working days after its dispatch day, so the ETA is a range);
else a split (what is local now, the rest later); else the next supplier arrival.

Dispatch day: today when the order is confirmed before the location's cutoff on a working day and no
typhoon signal No. 8+ / black rainstorm is in force; else the next working day. Local goods arrive on
their dispatch day.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Literal

from pydantic import BaseModel, Field
from sqlalchemy import bindparam, select

from core.models import Stock, Supplier
from tools.calendar import HolidayNote, WorkingCalendar, calendar_for
from tools.catalog import (
    AreaInfo,
    LocationInfo,
    LocationRef,
    Reference,
    fetch_rows,
    location_ref,
    reference_for,
)
from tools.registry import ToolContext, ToolInputError
from tools.travel import travel_times
from tools.weather import WeatherState

REASON_CODES = ("after_cutoff", "sunday", "public_holiday", "typhoon", "black_rain", "crossborder_lead", "split",
                "supplier_arrival")

# Built once: SQLAlchemy then reuses the compiled statements.
_ALL_STOCK = select(Stock.sku, Stock.location, Stock.on_hand, Stock.reserved, Stock.updated_at)
_STOCK_OF_SKUS = _ALL_STOCK.where(Stock.sku.in_(bindparam("skus", expanding=True)))
_SUPPLIERS_OF_SKU = select(Supplier.name, Supplier.lead_days, Supplier.deliver_to).where(
    Supplier.sku == bindparam("sku"))


@dataclass(frozen=True)
class StockRow:
    """Stock of one product at one location."""

    sku: str
    location: LocationInfo
    on_hand: int
    reserved: int
    updated_at: datetime
    # On hand less reserved, never below zero.
    available: int


class Shipment(BaseModel):
    """One part of a delivery: how many units, from where, leaving when, arriving when."""

    source: Literal["local", "crossborder", "supplier"]
    location: LocationRef
    qty: int
    dispatch_day: date
    eta_earliest: date
    eta_latest: date
    reasons: list[str] = Field(default_factory=list)
    travel_minutes: float | None = None
    supplier: str | None = None
    supplier_arrival: date | None = None


class DeliveryPlan(BaseModel):
    """How an order of one product to one area would be delivered, and why on those days."""

    choice: Literal["local", "crossborder", "split", "supplier", "unavailable"]
    shipments: list[Shipment] = Field(default_factory=list)
    # Every unit delivered between these dates (equal when the date is certain); None if no source at all.
    eta_earliest: date | None = None
    eta_latest: date | None = None
    dispatch_day: date | None = None
    source_location: LocationRef | None = None
    reasons: list[str] = Field(default_factory=list)
    skipped_holidays: list[HolidayNote] = Field(default_factory=list)
    short_qty: int = 0
    weather: WeatherState | None = None


def _merge(into: list[str], codes: Iterable[str]) -> None:
    for code in codes:
        if code not in into:
            into.append(code)


class Sourcer:
    """The sourcing rules bound to one request: calendar, weather, travel times and reference data."""

    def __init__(self, ctx: ToolContext) -> None:
        self.ctx = ctx
        self.reference: Reference = reference_for(ctx)
        self.calendar: WorkingCalendar = calendar_for(ctx.settings)
        self.travel = travel_times(ctx.db, ctx.settings, self.reference)
        self.weather: WeatherState = weather_for(ctx)
        self.suspended_today = self.weather.suspension_reasons(ctx.settings.delivery)
        self._supplier_offers: dict[str, list[tuple[str, int, str]]] = {}
        self._ranks: dict[tuple[str, str], dict[str, int]] = {}
        self._timings: dict[tuple[str, datetime], tuple[date, date, date, tuple[str, ...]]] = {}

    # --- data ---------------------------------------------------------------------------------

    def stock_rows(self, skus: Iterable[str]) -> dict[str, list[StockRow]]:
        """Stock rows of these products at known locations (one indexed query)."""
        wanted = sorted(set(skus))
        rows: dict[str, list[StockRow]] = {sku: [] for sku in wanted}
        if not wanted:
            return rows
        if len(wanted) * 2 > len(self.reference.products):
            found = fetch_rows(self.ctx, _ALL_STOCK)  # most of the catalogue: one plain scan is cheaper
        else:
            found = fetch_rows(self.ctx, _STOCK_OF_SKUS, {"skus": wanted})
        for sku, code, on_hand, reserved, updated_at in found:
            location = self.reference.locations.get(code)
            if location is not None and sku in rows:
                rows[sku].append(StockRow(sku, location, int(on_hand), int(reserved), updated_at,
                                          max(int(on_hand) - int(reserved), 0)))
        for sku_rows in rows.values():
            sku_rows.sort(key=lambda row: row.location.code)
        return rows

    # --- single shipments ---------------------------------------------------------------------

    def suspension_on(self, order_time: datetime) -> list[str]:
        """Weather suspension codes that apply to an order confirmed at `order_time` (today only)."""
        return self.suspended_today if order_time.date() == self.ctx.now.date() else []

    def travel_minutes(self, location: LocationInfo, area: AreaInfo | None, depart_at: datetime) -> float | None:
        """Minutes from the location's area to the delivery area (None outside Hong Kong or with no area)."""
        if area is None or not location.area or location.area not in self.reference.areas:
            return None
        return self.travel.travel_minutes(location.area, area.code, depart_at)

    def timing(self, location: LocationInfo, order_time: datetime) -> tuple[date, date, date, tuple[str, ...]]:
        """Dispatch day, earliest and latest ETA and reason codes from a location (cached per request)."""
        key = (location.code, order_time)
        found = self._timings.get(key)
        if found is None:
            decision = self.calendar.dispatch_day(order_time, location.cutoff,
                                                  suspended=self.suspension_on(order_time))
            reasons = list(decision.reasons)
            earliest = self.calendar.add_working_days(decision.dispatch_day, location.lead_days_min)
            latest = self.calendar.add_working_days(decision.dispatch_day, location.lead_days_max)
            if not location.is_local:
                reasons.append("crossborder_lead")
                _merge(reasons, self.calendar.skipped_between(decision.dispatch_day, latest)[0])
            found = (decision.dispatch_day, earliest, latest, tuple(reasons))
            self._timings[key] = found
        return found

    def ship_from(self, location: LocationInfo, qty: int, area: AreaInfo | None, order_time: datetime) -> Shipment:
        """A shipment of `qty` units from `location` for an order confirmed at `order_time`."""
        dispatch, earliest, latest, reasons = self.timing(location, order_time)
        # Built from already-typed values: skip re-validation (this runs for every line of a day's orders).
        return Shipment.model_construct(
            source="local" if location.is_local else "crossborder", location=location_ref(location), qty=qty,
            dispatch_day=dispatch, eta_earliest=earliest, eta_latest=latest, reasons=list(reasons),
            travel_minutes=self.travel_minutes(location, area, order_time), supplier=None, supplier_arrival=None)

    def from_supplier(self, sku: str, qty: int, area: AreaInfo, order_time: datetime) -> Shipment | None:
        """The earliest delivery through a supplier order placed now (None when no supplier is known).

        Supplier lead days are calendar days to the supplier's `deliver_to` location; the goods leave it
        on the next working day after arrival (plus that location's lead days).
        """
        offers = self._supplier_offers.get(sku)
        if offers is None:
            offers = [(str(name), int(lead), str(to))
                      for name, lead, to in fetch_rows(self.ctx, _SUPPLIERS_OF_SKU, {"sku": sku})]
            self._supplier_offers[sku] = offers
        best: Shipment | None = None
        for name, lead_days, deliver_to in offers:
            location = self.reference.locations.get(deliver_to)
            if location is None:
                continue
            arrival = order_time.date() + timedelta(days=int(lead_days))
            dispatch = self.calendar.next_working_day(arrival)
            earliest = self.calendar.add_working_days(dispatch, location.lead_days_min)
            latest = self.calendar.add_working_days(dispatch, location.lead_days_max)
            reasons = ["supplier_arrival"] + ([] if location.is_local else ["crossborder_lead"])
            _merge(reasons, self.calendar.skipped_between(dispatch, latest)[0])
            candidate = Shipment(source="supplier", location=location_ref(location), qty=qty, dispatch_day=dispatch,
                                 eta_earliest=earliest, eta_latest=latest, reasons=reasons,
                                 travel_minutes=self.travel_minutes(location, area, order_time),
                                 supplier=name, supplier_arrival=arrival)
            if best is None or (candidate.eta_latest, candidate.eta_earliest) < (best.eta_latest, best.eta_earliest):
                best = candidate
        return best

    # --- the rules ----------------------------------------------------------------------------

    def ranked_local(self, rows: list[StockRow], area: AreaInfo, order_time: datetime) -> list[StockRow]:
        """Local rows with available units, nearest to the area first (ties by code)."""
        local = [row for row in rows if row.location.is_local and row.available > 0]
        if len(local) < 2:
            return local
        rank = self._local_rank(area, order_time)
        return sorted(local, key=lambda row: rank.get(row.location.code, len(rank)))

    def _local_rank(self, area: AreaInfo, order_time: datetime) -> dict[str, int]:
        """Local locations by travel time to the area (ties by code), computed once per area and band."""
        key = (area.code, self.travel.provider.band_of(order_time))
        rank = self._ranks.get(key)
        if rank is None:
            def distance(location: LocationInfo) -> tuple[float, str]:
                minutes = self.travel_minutes(location, area, order_time)
                return (float("inf") if minutes is None else minutes, location.code)

            local = sorted((loc for loc in self.reference.locations.values() if loc.is_local), key=distance)
            rank = {location.code: index for index, location in enumerate(local)}
            self._ranks[key] = rank
        return rank

    @staticmethod
    def ranked_lead(rows: list[StockRow]) -> list[StockRow]:
        """Rows at locations with lead days that have available units, shortest lead first."""
        return sorted((r for r in rows if not r.location.is_local and r.available > 0),
                      key=lambda r: (r.location.lead_days_max, r.location.lead_days_min, r.location.code))

    def single_source(self, rows: list[StockRow], qty: int, area: AreaInfo, order_time: datetime) -> StockRow | None:
        """The one location that ships the whole quantity: the nearest local with enough, else the lead-days
        location with enough and the shortest lead; None when no single location has enough."""
        for row in self.ranked_local(rows, area, order_time):
            if row.available >= qty:
                return row
        for row in self.ranked_lead(rows):
            if row.available >= qty:
                return row
        return None

    def plan(self, sku: str, qty: int, area: AreaInfo, order_time: datetime, rows: list[StockRow],
             *, force_split: bool = False) -> DeliveryPlan:
        """The delivery of `qty` units of `sku` to `area`, following product.md's source rules."""
        if not force_split:
            single = self.single_source(rows, qty, area, order_time)
            if single is not None:
                choice = "local" if single.location.is_local else "crossborder"
                return self._finish(choice, [self.ship_from(single.location, qty, area, order_time)], 0)
        local = self.ranked_local(rows, area, order_time)
        lead = self.ranked_lead(rows)
        shipments: list[Shipment] = []
        remaining = qty
        for row in [*local, *lead]:
            if remaining <= 0:
                break
            take = min(row.available, remaining)
            shipments.append(self.ship_from(row.location, take, area, order_time))
            remaining -= take
        if remaining > 0:
            supplied = self.from_supplier(sku, remaining, area, order_time)
            if supplied is not None:
                shipments.append(supplied)
                remaining = 0
        if not shipments:
            return self._finish("unavailable", [], remaining)
        if len(shipments) == 1:
            choice = "supplier" if shipments[0].source == "supplier" else shipments[0].source
            return self._finish(choice, shipments, remaining)
        return self._finish("split", shipments, remaining)

    def line_ready(self, sku: str, qty: int, area: AreaInfo, allocated_to: str | None, rows: list[StockRow],
                   order_time: datetime, *, picked: bool = False) -> DeliveryPlan:
        """When an open order line's goods can be delivered: the one rule `order_status`, `plan_routes`,
        `delivery_eta` and `check_promise` share for an existing order.

        A line allocated to a location ships from it when the goods are there: picked, or the location holds
        the units on hand (its reservation is this order's). Otherwise (no allocation, or the allocated
        location does not hold them) the source rules choose among the units available after reservations.
        """
        location = self.reference.locations.get(allocated_to) if allocated_to else None
        if location is not None:
            held = next((row for row in rows if row.location.code == location.code), None)
            if picked or (held is not None and held.on_hand >= qty):
                choice = "local" if location.is_local else "crossborder"
                return self._finish(choice, [self.ship_from(location, qty, area, order_time)], 0)
        return self.plan(sku, qty, area, order_time, rows)

    def delivery_days(self, ready: DeliveryPlan, window_start: datetime | None,
                      promised_by: datetime | None) -> tuple[date | None, date | None, list[str]]:
        """The days an order line is delivered (earliest, latest, reason codes) once its goods are `ready`.

        Goods ready before the customer's window go on the window's day, or the next working day when that
        is a Sunday or holiday (with its reason code); with no window, goods ready before the promised day go
        on the last working day on or before it. Otherwise the line goes when its goods are ready.
        """
        latest = ready.eta_latest
        if latest is None:
            return ready.eta_earliest, None, list(ready.reasons)
        if window_start is not None:
            if window_start.date() <= latest:
                return ready.eta_earliest, latest, list(ready.reasons)
            reasons = list(ready.reasons)
            why = self.calendar.non_working_reason(window_start.date())
            if why and why not in reasons:
                reasons.append(why)
            day = self.calendar.working_day_on_or_after(window_start.date())
            return day, day, reasons
        if promised_by is not None and promised_by.date() > latest:
            day = promised_by.date()
            while day > latest and not self.calendar.is_working_day(day):
                day -= timedelta(days=1)
            return day, day, list(ready.reasons)
        return ready.eta_earliest, latest, list(ready.reasons)

    def _finish(self, choice: str, shipments: list[Shipment], short_qty: int) -> DeliveryPlan:
        reasons: list[str] = []
        holidays: dict[date, HolidayNote] = {}
        for shipment in shipments:
            _merge(reasons, shipment.reasons)
        if choice == "split":
            _merge(reasons, ["split"])
        if shipments:
            first_day = min(s.dispatch_day for s in shipments)
            last_day = max(s.eta_latest for s in shipments)
            order_day = self.ctx.now.date()
            start = min(order_day, first_day)
            day = start
            while day <= last_day:
                if self.calendar.is_holiday(day):
                    holidays[day] = self.calendar.holiday_note(day)
                day += timedelta(days=1)
        first = shipments[0] if shipments else None
        weather = self.weather if (self.weather.in_force or not self.weather.known) else None
        return DeliveryPlan(
            choice=choice,
            shipments=shipments,
            eta_earliest=max((s.eta_earliest for s in shipments), default=None),
            eta_latest=max((s.eta_latest for s in shipments), default=None),
            dispatch_day=first.dispatch_day if first else None,
            source_location=first.location if first else None,
            reasons=[code for code in REASON_CODES if code in reasons],
            skipped_holidays=[holidays[d] for d in sorted(holidays)],
            short_qty=short_qty,
            weather=weather,
        )


def weather_for(ctx: ToolContext) -> WeatherState:
    """The warnings in force for this request: `ctx.weather_now` when the caller fixed it, else read once from
    the injected reader (`ctx.weather`)."""
    if ctx.weather_now is None:
        ctx.weather_now = ctx.weather.current(ctx.settings)
    return ctx.weather_now


def sourcer_for(ctx: ToolContext) -> Sourcer:
    """The request's `Sourcer` (built once per request)."""
    if ctx.sourcer is None:
        ctx.sourcer = Sourcer(ctx)
    return ctx.sourcer


def oldest_update(rows: Iterable[StockRow]) -> datetime | None:
    """The oldest `updated_at` among the stock rows an answer used (how fresh the answer is at worst)."""
    return min((row.updated_at for row in rows), default=None)


def figures_as_of(rows: Iterable[StockRow], plan: DeliveryPlan) -> datetime | None:
    """When the figures behind a delivery plan were updated: the stock rows of the locations it ships from
    (all rows read when it ships from none, e.g. out of stock everywhere); the oldest of them at worst."""
    rows = list(rows)
    sources = {shipment.location.code for shipment in plan.shipments}
    used = [row for row in rows if row.location.code in sources]
    return oldest_update(used or rows)


def required(value: str | None, field_name: str) -> str:
    """A product or area the question must name when no order id is given."""
    if value is None or not value.strip():
        raise ToolInputError(f"Which {field_name}? Give a {field_name} or an order id.",
                             f"邊個{'產品' if field_name == 'product' else '地區'}?請講產品同地區,或者訂單號碼。",
                             code="invalid_argument", field_name=field_name)
    return value
