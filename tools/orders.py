"""`order_status`: where an order is, who carries it, when it arrives and whether its promise is at risk.

Without an order id it lists the day's open order lines whose promise is at risk ("今日有冇單趕唔切?"):
lines promised (or, without a promise, wanted by the end of their window) by the end of that day, and
any line whose planned ETA is already after its promise.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from typing import Literal

from pydantic import BaseModel, Field
from sqlalchemy import and_, or_, select

from core.models import OrderLine, Vehicle
from tools.catalog import AreaRef, LocationRef, ProductRef, area_ref, location_ref, product_ref
from tools.promise import Alternative, arrives_by, find_alternatives
from tools.registry import STAFF_ROLES, ToolContext, ToolInputError, ToolResult, tool
from tools.sourcing import Sourcer, StockRow, oldest_update, sourcer_for

OPEN_STATUSES = ("new", "allocated", "picked", "out_for_delivery")
_ORDER_ID = re.compile(r"^[A-Za-z]{1,6}-?\d{1,12}$")


class OrderStatusInput(BaseModel):
    """An order id, or nothing to list the day's orders whose promise is at risk."""

    order_id: str | None = Field(default=None, description="Order id such as SO-10231; leave empty to list the "
                                 "day's orders at risk.")
    day: date | None = Field(default=None, description="The day whose orders at risk to list; default today.")


class VehicleRef(BaseModel):
    """The van and driver an order is planned on."""

    vehicle_id: str
    plate: str
    driver: str
    driver_zh: str


class OrderLineStatus(BaseModel):
    """One order line: status, source, van, ETA, promise and whether the promise is at risk."""

    order_id: str
    line: int
    status: str
    product: ProductRef
    qty: int
    area: AreaRef
    location: LocationRef | None = None
    vehicle: VehicleRef | None = None
    planned_eta: datetime | None = None
    window_start: datetime | None = None
    window_end: datetime | None = None
    promised_by: datetime | None = None
    # The promise checked: `promised_by`, else the end of the customer's window.
    promise: datetime | None = None
    # Expected delivery: the planned ETA when there is one, else computed from the rules.
    expected_basis: Literal["planned", "computed", "delivered", "cancelled"]
    expected_earliest: date | None = None
    expected_latest: date | None = None
    reasons: list[str] = Field(default_factory=list)
    at_risk: bool = False
    alternatives: list[Alternative] = Field(default_factory=list)


class OrderStatusResult(ToolResult):
    """An order's lines, or the day's lines at risk."""

    asked_at: datetime
    mode: Literal["order", "at_risk"]
    order_id: str | None = None
    day: date
    lines: list[OrderLineStatus]
    checked_lines: int
    at_risk_lines: int


def _normalise_order_id(text: str) -> str:
    cleaned = re.sub(r"\s+", "", text).upper()
    if not _ORDER_ID.match(cleaned):
        raise ToolInputError(f"'{text}' does not look like an order id (example: SO-10231).",
                             f"「{text}」唔似訂單編號(例如 SO-10231)。", code="bad_order_id", field_name="order_id")
    if "-" not in cleaned:
        cleaned = re.sub(r"^([A-Z]+)(\d+)$", r"\1-\2", cleaned)
    return cleaned


class _LineChecker:
    """Evaluates order lines against their promises with one request's sourcing rules."""

    def __init__(self, ctx: ToolContext, sourcer: Sourcer, lines: list[OrderLine]) -> None:
        self.ctx = ctx
        self.sourcer = sourcer
        reference = sourcer.reference
        skus = {line.sku for line in lines}
        for sku in list(skus):
            product = reference.products.get(sku)
            if product is not None:
                skus.update(product.substitutes)
        self.stock: dict[str, list[StockRow]] = sourcer.stock_rows(skus)
        vehicle_ids = {line.vehicle for line in lines if line.vehicle}
        self.vehicles: dict[str, VehicleRef] = {}
        if vehicle_ids:
            with ctx.db.sessions() as session:
                for vehicle in session.scalars(select(Vehicle).where(Vehicle.vehicle_id.in_(vehicle_ids))):
                    self.vehicles[vehicle.vehicle_id] = VehicleRef(vehicle_id=vehicle.vehicle_id, plate=vehicle.plate,
                                                                   driver=vehicle.driver, driver_zh=vehicle.driver_zh)
        self.used_rows: list[StockRow] = []

    def check(self, line: OrderLine, with_alternatives: bool = True) -> OrderLineStatus:
        """The status of one line and whether its promise is at risk."""
        reference = self.sourcer.reference
        product = reference.products[line.sku]
        area = reference.areas[line.area]
        location = reference.locations.get(line.location) if line.location else None
        promise = line.promised_by or line.window_end
        status = OrderLineStatus(
            order_id=line.order_id, line=line.line, status=line.status, product=product_ref(product, self.ctx),
            qty=line.qty, area=area_ref(area), location=location_ref(location) if location else None,
            vehicle=self.vehicles.get(line.vehicle) if line.vehicle else None, planned_eta=line.eta,
            window_start=line.window_start, window_end=line.window_end, promised_by=line.promised_by,
            promise=promise, expected_basis="computed",
        )
        if line.status in ("delivered", "cancelled"):
            status.expected_basis = line.status  # type: ignore[assignment]
            return status
        now = self.ctx.now
        suspended = self.sourcer.suspended_today
        if line.eta is not None and line.eta.date() >= now.date():
            status.expected_basis = "planned"
            expected = line.eta.date()
            if suspended and expected == now.date():
                expected = self.sourcer.calendar.next_working_day(expected)
                status.reasons = list(suspended)
            status.expected_earliest = status.expected_latest = expected
            late = (line.eta > promise) if (promise and not suspended) else bool(promise and expected > promise.date())
        elif location is not None:
            shipment = self.sourcer.ship_from(location, line.qty, area, now)
            status.expected_earliest, status.expected_latest = shipment.eta_earliest, shipment.eta_latest
            status.reasons = shipment.reasons
            late = promise is not None and not arrives_by(shipment.eta_latest, promise)
        else:
            rows = self.stock.get(line.sku, [])
            self.used_rows.extend(rows)
            plan = self.sourcer.plan(line.sku, line.qty, area, now, rows)
            status.expected_earliest, status.expected_latest = plan.eta_earliest, plan.eta_latest
            status.reasons = plan.reasons
            status.location = plan.source_location
            late = promise is not None and (plan.short_qty > 0 or not arrives_by(plan.eta_latest, promise))
        status.at_risk = bool(late)
        if status.at_risk and with_alternatives and promise is not None and status.expected_basis == "computed":
            # What would keep it, as for a new promise: other locations, substitutes, a split.
            rows = self.stock.get(line.sku, [])
            plan = self.sourcer.plan(line.sku, line.qty, area, now, rows)
            status.alternatives = [alt for alt in find_alternatives(self.sourcer, self.ctx, product, line.qty, area,
                                                                    now, promise, plan, self.stock)
                                   if alt.keeps_promise or alt.kind == "split"]
        return status


@tool("order_status", input_model=OrderStatusInput, result_model=OrderStatusResult, roles=STAFF_ROLES)
def order_status(ctx: ToolContext, args: OrderStatusInput) -> OrderStatusResult:
    """Status of an order by id (such as SO-10231): per line the status, the location it ships from, the van and
    driver, the planned ETA, the promise and whether it is at risk (ETA after the promised time), with what
    would keep it (another location, a substitute, a split). Without an order id: the day's open orders whose
    promise is at risk."""
    sourcer = sourcer_for(ctx)
    day = args.day or ctx.today
    with ctx.db.sessions() as session:
        if args.order_id:
            order_id = _normalise_order_id(args.order_id)
            lines = list(session.scalars(select(OrderLine).where(OrderLine.order_id == order_id)
                                         .order_by(OrderLine.line)))
            if not lines:
                raise ToolInputError(f"There is no order {order_id}.", f"搵唔到訂單 {order_id}。",
                                     code="unknown_order", field_name="order_id")
        else:
            order_id = None
            end_of_day = datetime.combine(day + timedelta(days=1), time(0, 0))
            lines = list(session.scalars(
                select(OrderLine).where(
                    OrderLine.status.in_(OPEN_STATUSES),
                    or_(OrderLine.promised_by < end_of_day,
                        and_(OrderLine.promised_by.is_(None), OrderLine.window_end < end_of_day),
                        and_(OrderLine.eta.is_not(None), OrderLine.promised_by.is_not(None),
                             OrderLine.eta > OrderLine.promised_by)),
                ).order_by(OrderLine.promised_by, OrderLine.order_id, OrderLine.line)))
    checker = _LineChecker(ctx, sourcer, lines)
    statuses = [checker.check(line, with_alternatives=True) for line in lines]
    shown = statuses if order_id else [s for s in statuses if s.at_risk]
    return OrderStatusResult(
        data_as_of=oldest_update(checker.used_rows) or oldest_update(r for rows in checker.stock.values()
                                                                    for r in rows),
        asked_at=ctx.now,
        mode="order" if order_id else "at_risk",
        order_id=order_id,
        day=day,
        lines=shown,
        checked_lines=len(statuses),
        at_risk_lines=sum(1 for s in statuses if s.at_risk),
    )
