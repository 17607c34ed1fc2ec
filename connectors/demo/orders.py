"""Order lines: the last week's deliveries, the day's ~150 deliveries and the open orders of the next days.

Orders due on the delivery day (`run_day`) are in every state before delivery: new, allocated and
picked (goods reserved at a location), and some already out for delivery on three vans with an ETA.
Allocation reserves stock, so `reserved` in stock.csv matches the open orders. The planted orders of
`plants.py` are added, and the order numbered SO-10231 is the tracked one. Order numbers follow the
order of creation.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta

import numpy as np

from connectors.demo.catalog import DemoProduct
from connectors.demo.people import DemoCustomer
from connectors.demo.places import AREAS, VEHICLES, area_by_code
from connectors.demo.plants import (
    FIRST_ORDER_NUMBER,
    PLANTED_ORDERS,
    PLANTED_SKUS,
    TRACKED_ORDER_ID,
    PlantedOrder,
)
from connectors.demo.seasons import is_working_day, next_working_day
from connectors.demo.stock import DemoStock

ORDERS_DUE_ON_RUN_DAY = 150
PAST_ORDERS_PER_DAY = 14
FUTURE_ORDERS_PER_DAY = 16
FUTURE_DAYS = 3
PAST_WORKING_DAYS = 6
# Vans already out when the demo starts, and how many stops each has left.
VANS_OUT = {"V01": 6, "V02": 7, "V05": 7}

_WINDOWS: tuple[tuple[str, str] | None, ...] = (
    ("09:00", "12:00"), ("10:00", "13:00"), ("12:00", "15:00"), ("14:00", "18:00"), ("15:00", "18:00"),
    ("09:00", "18:00"), None,
)
_WINDOW_WEIGHTS = np.array([0.2, 0.12, 0.18, 0.2, 0.1, 0.1, 0.1])
_CASE_QTY = {"A": (48, 96, 144), "B": (24, 48, 72), "C": (12, 24, 36)}


@dataclass(frozen=True)
class DemoOrderLine:
    """One row of orders.csv (`order_id` is filled in once all orders are numbered)."""

    order_id: str
    line: int
    created_at: datetime
    customer_id: str
    sku: str
    qty: int
    area: str
    window_start: datetime | None
    window_end: datetime | None
    status: str
    location: str
    vehicle: str
    eta: datetime | None
    promised_by: datetime | None


@dataclass
class _Order:
    created_at: datetime
    lines: list[DemoOrderLine]


def _at(day: date, clock: str) -> datetime:
    return datetime.combine(day, time.fromisoformat(clock))


_AREA_BY_CODE = area_by_code()


def _distance_km(a: str, b: str) -> float:
    """Straight-line distance between two areas' representative points."""
    first, second = _AREA_BY_CODE[a], _AREA_BY_CODE[b]
    dlat = (first.lat - second.lat) * 111.0
    dlon = (first.lon - second.lon) * 111.0 * math.cos(math.radians(22.3))
    return math.hypot(dlat, dlon)


class OrderBook:
    """Builds the orders against the stock rows, reserving units as orders are allocated."""

    def __init__(self, products: tuple[DemoProduct, ...], customers: list[DemoCustomer], stock: list[DemoStock],
                 today: date, rng: np.random.Generator) -> None:
        self.rng = rng
        self.today = today
        self.run_day = next_working_day(today, include_today=True)
        self.customers = customers
        self.stock = {(row.sku, row.location): row for row in stock}
        self.products = {product.sku: product for product in products}
        sellable = [product for product in products
                    if product.sku not in PLANTED_SKUS and product.launched_days_ago is None]
        self.skus = [product.sku for product in sellable]
        weights = np.array([product.daily_units for product in sellable])
        self.sku_weights = weights / weights.sum()
        area_weights = np.array([area.weight for area in AREAS])
        self.area_weights = area_weights / area_weights.sum()
        tier_weight = {"A": 3.0, "B": 1.5, "C": 1.0}
        customer_weights = np.array([tier_weight[customer.tier] for customer in customers])
        self.customer_weights = customer_weights / customer_weights.sum()
        self.orders: list[_Order] = []
        # Units that open (not yet allocated) demo orders will need, so open orders never overbook stock.
        self.committed: dict[tuple[str, str], int] = {}

    # --- building blocks -----------------------------------------------------------------------------

    def _customer_and_area(self) -> tuple[DemoCustomer | None, str]:
        if self.rng.random() < 0.75:
            customer = self.customers[int(self.rng.choice(len(self.customers), p=self.customer_weights))]
            return customer, customer.area
        return None, AREAS[int(self.rng.choice(len(AREAS), p=self.area_weights))].code

    def _lines(self, customer: DemoCustomer | None, source: str | None = None) -> list[tuple[str, int]]:
        """One to three lines; with a `source`, only what that location can still cover (qty shrunk to fit)."""
        count = int(self.rng.choice([1, 2, 3], p=[0.6, 0.28, 0.12]))
        lines: list[tuple[str, int]] = []
        for _ in range(count * 4):
            if len(lines) == count:
                break
            sku = str(self.rng.choice(self.skus, p=self.sku_weights))
            if any(sku == taken for taken, _ in lines):
                continue
            qty = int(self.rng.integers(1, 5)) if customer is None else int(self.rng.choice(_CASE_QTY[customer.tier]))
            product = self.products[sku]
            if product.weight_kg > 3 or product.volume_l > 10:  # heavy or bulky goods go by the few
                qty = max(1, qty // 6)
            if source is not None:
                qty = min(qty, self._uncommitted(sku, source))
                if qty < 1:
                    continue
                self.committed[(sku, source)] = self.committed.get((sku, source), 0) + qty
            lines.append((sku, qty))
        return lines

    def _uncommitted(self, sku: str, location: str) -> int:
        """Units at a location not reserved and not yet wanted by another open order of the demo."""
        return self.stock[(sku, location)].available - self.committed.get((sku, location), 0)

    def _window(self, day: date) -> tuple[datetime | None, datetime | None]:
        """A delivery window the customer asked for on `day`, or none."""
        window = _WINDOWS[int(self.rng.choice(len(_WINDOWS), p=_WINDOW_WEIGHTS))]
        if window is None:
            return None, None
        return _at(day, window[0]), _at(day, window[1])

    def _nearest_source(self, area: str) -> str:
        """The local warehouse (Cheung Sha Wan hub or Yuen Long) nearest the delivery area."""
        return min(("CSW", "YL"), key=lambda code: _distance_km(code, area))

    def _reserve(self, location: str, lines: list[tuple[str, int]]) -> None:
        for sku, qty in lines:
            self.stock[(sku, location)].reserved += qty
            self.committed[(sku, location)] -= qty

    def _take_out(self, location: str, lines: list[tuple[str, int]]) -> None:
        """Goods loaded on a van have left the location."""
        for sku, qty in lines:
            row = self.stock[(sku, location)]
            row.on_hand = max(row.on_hand - qty, row.reserved)
            self.committed[(sku, location)] = self.committed.get((sku, location), 0) - qty

    def _add(self, created_at: datetime, customer: DemoCustomer | None, area: str, lines: list[tuple[str, int]],
             window: tuple[datetime | None, datetime | None], status: str, location: str = "", vehicle: str = "",
             eta: datetime | None = None, promised_by: datetime | None = None) -> None:
        order_lines = [DemoOrderLine("", number, created_at, customer.customer_id if customer else "", sku, qty,
                                     area, window[0], window[1], status, location, vehicle, eta, promised_by)
                       for number, (sku, qty) in enumerate(lines, start=1)]
        self.orders.append(_Order(created_at, order_lines))

    def _created_before(self, latest: datetime, days: int) -> datetime:
        """A time in office hours (08:30-20:00) on one of the `days` days up to `latest`."""
        while True:
            day = latest.date() - timedelta(days=int(self.rng.integers(0, days)))
            moment = _at(day, "08:30") + timedelta(minutes=int(self.rng.integers(0, 690)))
            if moment < latest:
                return moment

    # --- the three groups of orders ---------------------------------------------------------------------

    def add_past_week(self) -> None:
        """Delivered and cancelled orders of the last six working days (a fixed count, whatever the holidays)."""
        past_days: list[date] = []
        day = self.today
        while len(past_days) < PAST_WORKING_DAYS:
            day -= timedelta(days=1)
            if is_working_day(day):
                past_days.insert(0, day)
        vans = [vehicle for vehicle in VEHICLES if vehicle.workdays == "Mon-Sat"]
        for day in past_days:
            for _ in range(PAST_ORDERS_PER_DAY):
                customer, area = self._customer_and_area()
                lines = self._lines(customer)
                created = self._created_before(_at(day, "08:00"), 2)
                window = self._window(day)
                if self.rng.random() < 0.1:
                    self._add(created, customer, area, lines, window, "cancelled")
                    continue
                van = vans[int(self.rng.integers(len(vans)))]
                eta = _at(day, "09:30") + timedelta(minutes=int(self.rng.integers(0, 8 * 60)))
                if window[0] and window[1]:
                    eta = min(max(eta, window[0]), window[1])
                self._add(created, customer, area, lines, window, "delivered", van.depot, van.vehicle_id, eta,
                          window[1])

    def add_run_day(self) -> None:
        """The day's deliveries: new, allocated, picked, and some out for delivery on three vans."""
        run = self.run_day
        latest = min(_at(self.today, "10:15"), _at(run, "10:15"))
        planted_count = sum(1 for order in PLANTED_ORDERS if order.due == "run")
        going_out: dict[str, list[tuple[datetime, DemoCustomer | None, str, list[tuple[str, int]]]]] = {
            vehicle_id: [] for vehicle_id in VANS_OUT}
        depot_of = {vehicle.vehicle_id: vehicle.depot for vehicle in VEHICLES}
        wanted = ORDERS_DUE_ON_RUN_DAY - planted_count
        made = 0
        for _ in range(wanted * 3):
            if made == wanted:
                break
            customer, area = self._customer_and_area()
            source = self._nearest_source(area)
            lines = self._lines(customer, source)
            if not lines:
                continue
            made += 1
            created = self._created_before(latest, 2)
            draw = self.rng.random()
            if created < _at(run, "08:00") and run == self.today:
                open_vans = [v for v, stops in VANS_OUT.items()
                             if depot_of[v] == source and len(going_out[v]) < stops]
                if open_vans and draw < 0.3:
                    going_out[open_vans[0]].append((created, customer, area, lines))
                    continue
            window = self._window(run)
            promised = (window[1] or _at(run, "18:00")) if self.rng.random() < 0.7 else None
            if draw < 0.6:
                status = "picked" if draw < 0.25 else "allocated"
                self._reserve(source, lines)
                self._add(created, customer, area, lines, window, status, source, promised_by=promised)
            else:
                self._add(created, customer, area, lines, window, "new", promised_by=promised)
        for vehicle_id, stops in going_out.items():
            self._send_out(vehicle_id, depot_of[vehicle_id], stops)

    def _send_out(self, vehicle_id: str, depot: str,
                  stops: list[tuple[datetime, DemoCustomer | None, str, list[tuple[str, int]]]]) -> None:
        """Orders on a van that left this morning: ETAs along the route, nearest stop first."""
        stops = sorted(stops, key=lambda stop: (_distance_km(depot, stop[2]), stop[0]))
        eta = _at(self.run_day, "10:40")
        for created, customer, area, lines in stops:
            hour = min(max(eta.hour - 1, 9), 15)
            window = (_at(self.run_day, f"{hour:02d}:00"), _at(self.run_day, f"{hour + 3:02d}:00"))
            self._take_out(depot, lines)
            self._add(created, customer, area, lines, window, "out_for_delivery", depot, vehicle_id, eta, window[1])
            eta += timedelta(minutes=int(self.rng.integers(18, 32)))

    def add_next_days(self) -> None:
        """Open orders for the next working days, mostly not yet allocated."""
        day = self.run_day
        latest = _at(self.today, "10:15")
        for _ in range(FUTURE_DAYS):
            day = next_working_day(day)
            for _ in range(FUTURE_ORDERS_PER_DAY):
                customer, area = self._customer_and_area()
                source = self._nearest_source(area)
                lines = self._lines(customer, source)
                if not lines:
                    continue
                created = self._created_before(latest, 3)
                window = self._window(day)
                promised = (window[1] or _at(day, "18:00")) if self.rng.random() < 0.6 else None
                if self.rng.random() < 0.2:
                    self._reserve(source, lines)
                    self._add(created, customer, area, lines, window, "allocated", source, promised_by=promised)
                else:
                    self._add(created, customer, area, lines, window, "new", promised_by=promised)

    def add_planted(self, customers_by_id: dict[str, DemoCustomer]) -> None:
        """The documented situations (the tracked order is placed when orders are numbered)."""
        for planted in PLANTED_ORDERS:
            if planted.key == "tracked":
                continue
            self._add_planted(planted, customers_by_id)

    def _due_day(self, planted: PlantedOrder) -> date:
        if planted.due == "next":
            return next_working_day(self.run_day)
        if planted.due == "second":
            return next_working_day(next_working_day(self.run_day))
        if planted.due == "sunday":
            return self.run_day + timedelta(days=6 - self.run_day.weekday() or 7)
        return self.run_day

    def _add_planted(self, planted: PlantedOrder, customers_by_id: dict[str, DemoCustomer],
                     created_at: datetime | None = None) -> None:
        due = self._due_day(planted)
        created = created_at or _at(self.today, "09:00") + timedelta(minutes=planted.created)
        # A van can only be out today: on a generation day without deliveries it is planned instead.
        status = planted.status
        if status == "out_for_delivery" and self.run_day != self.today:
            status = "allocated"
        window = (_at(due, planted.window[0]), _at(due, planted.window[1])) if planted.window else (None, None)
        self._add(created, customers_by_id[planted.customer_id], planted.area, list(planted.lines), window,
                  status, planted.location, planted.vehicle,
                  _at(due, planted.eta) if planted.eta else None,
                  _at(due, planted.promised) if planted.promised else None)

    # --- numbering ---------------------------------------------------------------------------------------

    def numbered_lines(self, customers_by_id: dict[str, DemoCustomer]) -> list[DemoOrderLine]:
        """All order lines, numbered SO-10001… by creation time; SO-10231 is the tracked planted order."""
        self.orders.sort(key=lambda order: (order.created_at, order.lines[0].sku, order.lines[0].area))
        tracked_index = int(TRACKED_ORDER_ID.split("-")[1]) - FIRST_ORDER_NUMBER
        if tracked_index >= len(self.orders):
            raise RuntimeError("the demo order book is too small to hold the tracked order")
        # The tracked order takes the creation time of the order now at its number, so numbers still
        # follow creation time; it must have been created before the vans left.
        created = self.orders[tracked_index].created_at
        if self.run_day == self.today and created >= _at(self.today, "09:00"):
            raise RuntimeError("the tracked order would be created after the vans left")
        tracked = next(order for order in PLANTED_ORDERS if order.key == "tracked")
        self._add_planted(tracked, customers_by_id, created_at=created)
        self.orders.insert(tracked_index, self.orders.pop())
        lines: list[DemoOrderLine] = []
        for number, order in enumerate(self.orders, start=FIRST_ORDER_NUMBER):
            lines.extend(replace(line, order_id=f"SO-{number}") for line in order.lines)
        return lines


def generate_orders(products: tuple[DemoProduct, ...], customers: list[DemoCustomer], stock: list[DemoStock],
                    today: date, rng: np.random.Generator) -> list[DemoOrderLine]:
    """Every order line of the demo, reserving stock for the allocated ones (planted stock is set after)."""
    book = OrderBook(products, customers, stock, today, rng)
    customers_by_id = {customer.customer_id: customer for customer in customers}
    book.add_past_week()
    book.add_run_day()
    book.add_next_days()
    book.add_planted(customers_by_id)
    return book.numbered_lines(customers_by_id)
