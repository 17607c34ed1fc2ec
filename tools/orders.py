"""`order_status`: where an order is, who carries it, when it arrives and whether its promise is at risk.

Without an order id it lists the day's open order lines whose promise is at risk ("今日有冇單趕唔切?"):
lines promised (or, without a promise, wanted by the end of their window) by the end of that day, lines
taken that day (whatever their promised day), and any line whose planned ETA is already after its promise.
A line whose goods are ready before the customer's window goes on the window's day (or the next working
day when that is a Sunday or holiday).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Literal, NamedTuple

from pydantic import BaseModel, Field
from rapidfuzz import fuzz, process
from sqlalchemy import and_, bindparam, or_, select

from core.models import OrderLine, Vehicle
from tools.alternatives import Alternative, arrives_by, find_alternatives
from tools.catalog import (
    AreaRef,
    LocationRef,
    ProductRef,
    area_ref,
    fetch_rows,
    location_ref,
    one_connection,
    product_ref,
)
from tools.registry import STAFF_ROLES, ToolContext, ToolInputError, ToolResult, tool
from tools.routing.commit import left_out_orders
from tools.routing.plan_models import UnservedOrder
from tools.sourcing import DeliveryPlan, Sourcer, StockRow, oldest_update, sourcer_for

OPEN_STATUSES = ("new", "allocated", "picked", "out_for_delivery")
_ORDER_IDS = select(OrderLine.order_id).distinct()
_ID_NOISE = re.compile(r"[\s\-_/.#:]+")



class _Line(NamedTuple):
    """One order line as read for a status check (plain tuple: hundreds are checked per question)."""

    order_id: str
    line: int
    sku: str
    qty: int
    area: str
    status: str
    location: str | None
    vehicle: str | None
    eta: datetime | None
    window_start: datetime | None
    window_end: datetime | None
    promised_by: datetime | None


_orders = OrderLine.__table__
_LINE_COLUMNS = [_orders.c[name] for name in _Line._fields]
_ORDER_LINES = select(*_LINE_COLUMNS).where(_orders.c.order_id == bindparam("order_id")).order_by(_orders.c.line)
_DUE_LINES = select(*_LINE_COLUMNS).where(
    _orders.c.status.in_(OPEN_STATUSES),
    or_(_orders.c.promised_by < bindparam("end_of_day"),
        and_(_orders.c.promised_by.is_(None), _orders.c.window_end < bindparam("end_of_day")),
        and_(_orders.c.eta.is_not(None), _orders.c.promised_by.is_not(None), _orders.c.eta > _orders.c.promised_by),
        and_(_orders.c.created_at >= bindparam("start_of_day"), _orders.c.created_at < bindparam("end_of_day"))),
).order_by(_orders.c.promised_by, _orders.c.order_id, _orders.c.line)
_VEHICLES = select(Vehicle.vehicle_id, Vehicle.plate, Vehicle.driver, Vehicle.driver_zh).where(
    Vehicle.vehicle_id.in_(bindparam("ids", expanding=True)))


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
    # Units that no location or supplier can supply yet (computed lines only).
    short_qty: int = 0
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


def _id_key(text: str) -> str:
    """An order id without case, spaces or separators: `po/2026/00123`, `PO 2026 00123` and `PO202600123` agree."""
    return _ID_NOISE.sub("", text).upper()


def _order_ids(ctx: ToolContext) -> dict[str, str]:
    """Every loaded order id by its key (built once per data version)."""
    def build(_version: int) -> dict[str, str]:
        return {_id_key(order_id): order_id for (order_id,) in fetch_rows(ctx, _ORDER_IDS)}

    return ctx.db.cached("order_ids", build)


def resolve_order_id(ctx: ToolContext, text: str) -> str:
    """The loaded order id the text names (whatever the company's id shape, case or separators), or an input
    error that says there is no such order and offers the closest ids."""
    known = _order_ids(ctx)
    found = known.get(_id_key(text))
    if found is not None:
        return found
    closest = process.extract(_id_key(text), list(known), scorer=fuzz.ratio, limit=3, score_cutoff=60)
    suggestions = [known[key] for key, _, _ in closest]
    raise ToolInputError(f"There is no order {text.strip()}.", f"搵唔到訂單 {text.strip()}。",
                         code="unknown_order", field_name="order_id", suggestions=suggestions)


class _LineChecker:
    """Evaluates order lines against their promises with one request's sourcing rules."""

    def __init__(self, ctx: ToolContext, sourcer: Sourcer, lines: list[_Line]) -> None:
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
            for vehicle_id, plate, driver, driver_zh in fetch_rows(ctx, _VEHICLES, {"ids": sorted(vehicle_ids)}):
                self.vehicles[vehicle_id] = VehicleRef(vehicle_id=vehicle_id, plate=plate, driver=driver,
                                                       driver_zh=driver_zh)
        self.used_rows: list[StockRow] = []
        self.left_out: dict[str, UnservedOrder] = left_out_orders(ctx.db, ctx.today)

    def check(self, line: _Line, only_at_risk: bool = False,
              promise_override: datetime | None = None) -> OrderLineStatus | None:
        """The status of one line and whether its promise (or `promise_override`) is at risk (None for a line on
        time when `only_at_risk`).

        The expected day follows the one rule the route planner uses (`Sourcer.line_ready` then
        `Sourcer.delivery_days`), a planned ETA when the line is on a van, or the first day the committed plan
        of today gives an order it had to leave out.
        """
        reference = self.sourcer.reference
        product = reference.products[line.sku]
        area = reference.areas[line.area]
        location = reference.locations.get(line.location) if line.location else None
        promise = promise_override or line.promised_by or line.window_end
        basis = "computed"
        earliest = latest = None
        reasons: list[str] = []
        source = location_ref(location) if location else None
        short_qty = 0
        late = False
        now = self.ctx.now
        suspended = self.sourcer.suspended_today
        left_out = self.left_out.get(line.order_id)
        held_back = False
        if line.status in ("delivered", "cancelled"):
            basis = line.status
        elif line.eta is not None and line.eta.date() >= now.date():
            basis = "planned"
            expected = line.eta.date()
            if suspended and expected == now.date():
                expected = self.sourcer.calendar.next_working_day(expected)
                reasons = list(suspended)
            earliest = latest = expected
            late = (line.eta > promise) if (promise and not suspended) else bool(promise and expected > promise.date())
        elif left_out is not None and left_out.reason != "stock" and left_out.first_day is not None \
                and line.status != "out_for_delivery":
            # Today's committed routes had to leave it out (vans full, window, shift): it goes on the next day.
            earliest = latest = left_out.first_day
            reasons = ["left_out_of_routes"]
            late = promise is not None and latest > promise.date()
            held_back = True
        else:
            rows = self.stock.get(line.sku, [])
            self.used_rows.extend(rows)
            single = self.sourcer.single_source(rows, line.qty, area, now) \
                if only_at_risk and location is None else None
            if single is not None:
                # Fast path for the day's list: one location ships it all; a full plan only when it is late.
                _dispatch, _earliest, single_latest, _reasons = self.sourcer.timing(single.location, now)
                before_window = line.window_start is not None and line.window_start.date() > single_latest
                if not before_window and (promise is None or arrives_by(single_latest, promise)):
                    return None
            ready = self.sourcer.line_ready(line.sku, line.qty, area, line.location, rows, now,
                                            picked=line.status == "picked")
            earliest, latest, reasons = self.sourcer.delivery_days(ready, line.window_start, line.promised_by)
            source, short_qty = ready.source_location, ready.short_qty
            late = promise is not None and (short_qty > 0 or not arrives_by(latest, promise))
            held_back = latest != ready.eta_latest
        if only_at_risk and not late:
            return None
        status = OrderLineStatus(
            order_id=line.order_id, line=line.line, status=line.status, product=product_ref(product, self.ctx),
            qty=line.qty, area=area_ref(area), location=source,
            vehicle=self.vehicles.get(line.vehicle) if line.vehicle else None, planned_eta=line.eta,
            window_start=line.window_start, window_end=line.window_end, promised_by=line.promised_by,
            promise=promise, expected_basis=basis, expected_earliest=earliest, expected_latest=latest,
            reasons=reasons, short_qty=short_qty, at_risk=bool(late),
        )
        if late and promise is not None and basis == "computed" and not held_back:
            # What would keep it, as for a new promise: other locations, substitutes, a split.
            rows = self.stock.get(line.sku, [])
            plan = self.sourcer.plan(line.sku, line.qty, area, now, rows)
            status.alternatives = [alt for alt in find_alternatives(self.sourcer, self.ctx, product, line.qty, area,
                                                                    now, promise, plan, self.stock)
                                   if alt.keeps_promise or alt.kind == "split"]
        return status


@dataclass
class OrderPicture:
    """One existing order as `order_status` sees it: each line's status and expected day, the stock rows read,
    and the line that decides when the whole order arrives (its lines travel as one delivery)."""

    order_id: str
    lines: list[OrderLineStatus]
    stock: dict[str, list[StockRow]]
    allocated_to: dict[int, str | None]

    @property
    def open_lines(self) -> list[OrderLineStatus]:
        """The lines neither delivered nor cancelled."""
        return [line for line in self.lines if line.expected_basis in ("planned", "computed")]

    @property
    def last_line(self) -> OrderLineStatus | None:
        """The open line that arrives last (one with no date at all first): it sets the order's day."""
        def key(line: OrderLineStatus) -> tuple[bool, date]:
            return (line.expected_latest is None, line.expected_latest or date.min)

        return max(self.open_lines, key=key, default=None)


def order_picture(ctx: ToolContext, text: str, promise: datetime | None = None) -> OrderPicture:
    """The order named by `text` line by line, by the same rule as `order_status`, checked against its own
    promise or against `promise` when given (for `delivery_eta` and `check_promise` about an existing order)."""
    sourcer = sourcer_for(ctx)
    order_id = resolve_order_id(ctx, text)
    raw = [_Line(*row) for row in fetch_rows(ctx, _ORDER_LINES, {"order_id": order_id})]
    checker = _LineChecker(ctx, sourcer, raw)
    lines = [status for status in (checker.check(line, promise_override=promise) for line in raw)
             if status is not None]
    return OrderPicture(order_id=order_id, lines=lines, stock=checker.stock,
                        allocated_to={line.line: line.location for line in raw})


def order_delivery(ctx: ToolContext, picture: OrderPicture) -> tuple[OrderLineStatus, DeliveryPlan]:
    """The line that sets an open order's day and its delivery plan, dated as `order_status` dates it (the
    planned ETA, the customer's window or promised day, or the first day today's routes give it)."""
    line = picture.last_line
    if line is None:
        raise ToolInputError(f"Order {picture.order_id} is already delivered or cancelled.",
                             f"訂單 {picture.order_id} 已經送咗或者取消咗。", code="order_closed", field_name="order_id")
    sourcer = sourcer_for(ctx)
    area = sourcer.reference.areas[line.area.code]
    ready = sourcer.line_ready(line.product.sku, line.qty, area, picture.allocated_to.get(line.line),
                               picture.stock.get(line.product.sku, []), ctx.now,
                               picked=line.status in ("picked", "out_for_delivery"))
    return line, ready.model_copy(update={"eta_earliest": line.expected_earliest, "eta_latest": line.expected_latest,
                                          "reasons": list(line.reasons)})


@tool("order_status", input_model=OrderStatusInput, roles=STAFF_ROLES)
@one_connection
def order_status(ctx: ToolContext, args: OrderStatusInput) -> OrderStatusResult:
    """Status of an order by id (such as SO-10231): per line the status, the location it ships from, the van and
    driver, the planned ETA, the promise and whether it is at risk (ETA after the promised time), with what
    would keep it (another location, a substitute, a split). Without an order id: the day's open orders whose
    promise is at risk."""
    sourcer = sourcer_for(ctx)
    day = args.day or ctx.today
    if args.order_id:
        order_id = resolve_order_id(ctx, args.order_id)
        lines = [_Line(*row) for row in fetch_rows(ctx, _ORDER_LINES, {"order_id": order_id})]
    else:
        order_id = None
        end_of_day = datetime.combine(day + timedelta(days=1), time(0, 0))
        lines = [_Line(*row) for row in fetch_rows(ctx, _DUE_LINES, {"start_of_day": datetime.combine(day, time(0, 0)),
                                                                      "end_of_day": end_of_day})]
    checker = _LineChecker(ctx, sourcer, lines)
    checked = [checker.check(line, only_at_risk=order_id is None) for line in lines]
    shown = [status for status in checked if status is not None]
    return OrderStatusResult(
        data_as_of=oldest_update(checker.used_rows) or oldest_update(r for rows in checker.stock.values()
                                                                    for r in rows),
        asked_at=ctx.now,
        mode="order" if order_id else "at_risk",
        order_id=order_id,
        day=day,
        lines=shown,
        checked_lines=len(lines),
        at_risk_lines=sum(1 for status in shown if status.at_risk),
    )
