"""The day's orders as a routing problem, solved, and turned back into a plan staff can read.

Which orders: lines with status new / allocated / picked whose delivery window (else promised date,
else planned ETA) falls on the day, plus lines already out for delivery, which stay on their van.
Lines of one order make one stop. Weight and volume come from the products.

Which vans: those whose `workdays` include the day, when the day is a working day of the company
calendar; each starts and ends at its depot (the depot location's area point) within its shift.
Goods allocated to a depot location can only go on that depot's vans.

Time of day matters: travel durations come from `tools.travel` for every time band of
`travel.time_bands` (harbour-crossing peaks included), and the solver takes, for each trip, the band
in which it starts (see `tools.routing.solver`). A re-plan during the day starts the vans no earlier
than now, from their depots (a van already on the road is assumed to be back at its depot's side of
town; its dispatched orders stay on it).
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from sqlalchemy import select

from core.config import Settings
from core.db import Database
from core.models import OrderLine, Vehicle
from tools.calendar import WorkingCalendar, is_working_day
from tools.catalog import Reference, load_reference
from tools.registry import Role, ToolContext, ToolInputError
from tools.routing.commit import left_out_orders
from tools.routing.plan_models import (
    DISPATCHED,
    OPEN_STATUSES,
    DayOff,
    DayPlan,
    PlannedRoute,
    PlannedStop,
    UnservedOrder,
)
from tools.routing.problem import (
    DepotSpec,
    Place,
    RoutingProblem,
    RoutingSolution,
    StopSpec,
    TravelBand,
    VehicleSpec,
)
from tools.routing.readiness import Readiness, order_readiness
from tools.routing.solver import solve
from tools.sourcing import Sourcer
from tools.travel import TravelTimes, travel_times

_WEEKDAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
DAY_MINUTES = 24 * 60


@dataclass
class DueOrder:
    """One order due on the day: its lines summed into one delivery."""

    order_id: str
    area: str
    weight_kg: float = 0.0
    volume_l: float = 0.0
    window_start: datetime | None = None
    window_end: datetime | None = None
    dispatched: bool = False
    vehicle: str | None = None
    location: str | None = None
    lines: list[OrderLine] = field(default_factory=list)


def due_orders(db: Database, reference: Reference, day: date, today: date,
               sourcer: Sourcer | None = None) -> tuple[list[DueOrder], list[tuple[DueOrder, Readiness]]]:
    """The orders to deliver on `day`, and those due that day whose goods cannot be there in time.

    An order goes on the day its goods can be delivered (`tools.routing.readiness`), held back to its window's
    day (or promised day) when they are ready earlier; an order with no date goes on the first day it can.
    Orders out for delivery stay on their van today. An order the committed plan of today had to leave out
    goes on the first day that plan gave it. Without a `sourcer` only the dates are used (no stock check).
    """
    with db.session() as session:
        lines = session.scalars(
            select(OrderLine).where(OrderLine.status.in_((*OPEN_STATUSES, DISPATCHED)))
            .order_by(OrderLine.order_id, OrderLine.line)
        ).all()
    by_order: dict[str, list[OrderLine]] = defaultdict(list)
    for line in lines:
        by_order[line.order_id].append(line)
    stock = sourcer.stock_rows({line.sku for line in lines}) if sourcer is not None else {}
    carried_over = left_out_orders(db, today) if day > today else {}
    orders: list[DueOrder] = []
    not_ready: list[tuple[DueOrder, Readiness]] = []
    for order_id, order_lines in by_order.items():
        due = min((d for d in (_due_date(line) for line in order_lines) if d is not None), default=None)
        dispatched = any(line.status == DISPATCHED for line in order_lines)
        if dispatched:
            if due == day or (day == today and (due is None or due < today)):
                orders.append(_due_order(order_lines, reference, day))
            continue
        if sourcer is None:
            if due == day:
                orders.append(_due_order(order_lines, reference, day))
            continue
        readiness = order_readiness(sourcer, order_lines, stock)
        carried = carried_over.get(order_id)
        if readiness.go_day == day or (carried is not None and carried.reason != "stock" and carried.first_day == day):
            orders.append(_due_order(order_lines, reference, day))
        elif due == day and (readiness.go_day is None or readiness.go_day > day):
            not_ready.append((_due_order(order_lines, reference, day), readiness))
    return orders, not_ready


def _due_order(lines: list[OrderLine], reference: Reference, day: date) -> DueOrder:
    """One order's lines summed into one delivery on `day` (a window on another day keeps its hours)."""
    order = DueOrder(order_id=lines[0].order_id, area=lines[0].area)
    for line in lines:
        product = reference.products.get(line.sku)
        order.weight_kg += line.qty * (product.weight_kg if product else 0.0)
        order.volume_l += line.qty * (product.volume_l if product else 0.0)
        # Lines of one order share a delivery: keep the window every line allows.
        order.window_start = _pick(order.window_start, _on_day(line.window_start, line.window_end, day)[0], max)
        order.window_end = _pick(order.window_end, _on_day(line.window_start, line.window_end, day)[1], min)
        if line.status == DISPATCHED:
            order.dispatched = True
            order.vehicle = line.vehicle or order.vehicle
        order.location = order.location or line.location
        order.lines.append(line)
    return order


def _on_day(start: datetime | None, end: datetime | None, day: date) -> tuple[datetime | None, datetime | None]:
    """A customer window moved to `day` with the same hours (an order going later than its window's day)."""
    if start is None or end is None or start.date() == day:
        return start, end
    shift = datetime.combine(day, time()) - datetime.combine(start.date(), time())
    return start + shift, end + shift


def vans_on_duty(db: Database, settings: Settings, day: date) -> list[Vehicle]:
    """The vans that work on `day` (none on a Sunday or general holiday of the company calendar)."""
    if not is_working_day(settings, day):
        return []
    with db.session() as session:
        vehicles = session.scalars(select(Vehicle).order_by(Vehicle.vehicle_id)).all()
    weekday = _WEEKDAYS[day.weekday()]
    return [vehicle for vehicle in vehicles if weekday in parse_workdays(vehicle.workdays)]


def parse_workdays(text: str) -> set[str]:
    """`Mon-Sat` or `Mon;Wed;Fri` (ranges and lists may mix) as a set of weekday names."""
    days: set[str] = set()
    for token in (part.strip() for part in text.replace(",", ";").split(";")):
        if "-" in token:
            first, _, last = (piece.strip().title()[:3] for piece in token.partition("-"))
            if first in _WEEKDAYS and last in _WEEKDAYS:
                start, end = _WEEKDAYS.index(first), _WEEKDAYS.index(last)
                span = range(start, end + 1) if start <= end else [*range(start, 7), *range(0, end + 1)]
                days.update(_WEEKDAYS[index] for index in span)
        elif token.title()[:3] in _WEEKDAYS:
            days.add(token.title()[:3])
    return days


def plan_day(db: Database, settings: Settings, day: date, now: datetime, *, depot: str | None = None,
             time_limit_s: float | None = None, chart: bool = True, sourcer: Sourcer | None = None) -> DayPlan:
    """Plan the routes of `day` (optionally only one depot's vans) without writing anything back.

    Only orders whose goods can be delivered that day are routed; the others due that day are listed as
    not servable (`stock`) with the sourcing reason and the first day they can go. On a day without vans the
    plan names the holiday (or Sunday) and the next delivery day.
    """
    today = now.date()
    if day < today:
        raise ToolInputError(f"{day.isoformat()} is in the past; routes can be planned for today or later.",
                             f"{day.isoformat()} 已經過咗,只可以排今日或之後嘅路線。", code="date_in_past",
                             field_name="date")
    reference = load_reference(db)
    travel = travel_times(db, settings, reference)
    vans = vans_on_duty(db, settings, day)
    notes: list[str] = []
    if not vans:
        notes.append("no_vans_on_duty")
    if sourcer is None:
        sourcer = Sourcer(ToolContext(db=db, settings=settings, now=now, role=Role.logistics))
    orders, not_ready = due_orders(db, reference, day, today, sourcer)
    depot_areas = _depot_areas(reference, vans)
    notes.extend(sorted({f"depot_not_in_hong_kong:{van.depot}" for van in vans if van.depot not in depot_areas}))
    vans = [van for van in vans if van.depot in depot_areas]
    if depot is not None:
        orders = _orders_for_depot(orders, vans, depot, depot_areas, travel)
        vans = [van for van in vans if van.depot == depot]
    minute_now = _minutes(now, day) if day == today else 0.0
    problem = build_problem(settings, reference, travel, vans, orders, day, minute_now, depot_areas)
    limit = settings.routing.time_limit_s if time_limit_s is None else time_limit_s
    solution = solve(problem, time_limit_s=limit, seed=settings.routing.seed) if problem.stops else _empty(problem)
    plan = to_day_plan(problem, solution, reference, vans, orders, day, now, depot, limit,
                       settings.routing.arrival_window_min)
    plan.notes.extend(notes)
    if depot is not None:
        not_ready = [(order, why) for order, why in not_ready
                     if order.location == depot or order.location not in depot_areas]
    _add_not_ready(plan, reference, not_ready)
    _name_day_off(plan, sourcer.calendar)
    if chart and plan.routes:
        from tools.routing.chart import draw_plan  # matplotlib only when a picture is wanted

        plan.chart_path = str(draw_plan(plan, settings.home / "charts"))
    return plan


def build_problem(settings: Settings, reference: Reference, travel: TravelTimes, vans: list[Vehicle],
                  orders: list[DueOrder], day: date, minute_now: float,
                  depot_areas: dict[str, str]) -> RoutingProblem:
    """The routing problem of the day: minutes since midnight, kilometres, loads in kg and litres."""
    depot_codes = sorted({van.depot for van in vans})
    stop_areas = sorted({order.area for order in orders})
    place_areas = [depot_areas[code] for code in depot_codes] + stop_areas
    places = [Place(name=code, x=reference.areas[area].lon, y=reference.areas[area].lat)
              for code, area in zip([*depot_codes, *stop_areas], place_areas, strict=True)]
    stop_place = {area: len(depot_codes) + index for index, area in enumerate(stop_areas)}
    bands = travel_bands(settings, travel, place_areas, day)
    distance = [[travel.travel_km(a, b) for b in place_areas] for a in place_areas]

    vehicles = []
    for van in vans:
        start = max(_clock_minutes(van.shift_start), minute_now)
        end = _clock_minutes(van.shift_end)
        if start < end:
            vehicles.append(VehicleSpec(id=van.vehicle_id, depot=van.depot, capacity=[van.capacity_kg, van.capacity_l],
                                        shift_start=start, shift_end=end, driver=van.driver,
                                        driver_zh=van.driver_zh, plate=van.plate))
    on_duty = {vehicle.id for vehicle in vehicles}
    vans_by_depot: dict[str, list[str]] = defaultdict(list)
    for vehicle in vehicles:
        vans_by_depot[vehicle.depot].append(vehicle.id)

    default_from, default_to = (_clock_minutes(text) for text in settings.delivery.default_delivery_hours)
    stops = []
    for order in orders:
        window_start = _minutes(order.window_start, day) if order.window_start else float(default_from)
        window_end = _minutes(order.window_end, day) if order.window_end else float(default_to)
        allowed: list[str] | None = None
        if order.dispatched and order.vehicle:
            allowed = [order.vehicle] if order.vehicle in on_duty else []
        elif order.location in depot_areas:
            allowed = vans_by_depot.get(order.location, [])
        stops.append(StopSpec(id=order.order_id, place=stop_place[order.area],
                              demand=[order.weight_kg, order.volume_l],
                              window_start=max(window_start, minute_now), window_end=window_end,
                              service=settings.travel.service_time_min, allowed_vehicles=allowed,
                              dispatched=order.dispatched, orders=[order.order_id]))
    return RoutingProblem(
        name=f"deliveries {day.isoformat()}", load_dimensions=["kg", "l"], places=places,
        depots=[DepotSpec(id=code, name=reference.locations[code].name_en, place=index)
                for index, code in enumerate(depot_codes)],
        vehicles=vehicles, stops=stops, distance=distance, travel_bands=bands,
        distance_cost=1.0, duration_cost=1.0,
    )


def travel_bands(settings: Settings, travel: TravelTimes, place_areas: list[str], day: date) -> list[TravelBand]:
    """One duration matrix per stretch of the day between the configured time-band boundaries."""
    boundaries = {0.0}
    for start, end in settings.travel.time_bands.values():
        boundaries.update({float(_clock_minutes(start)), float(_clock_minutes(end))})
    by_name: dict[str, list[list[float]]] = {}
    bands: list[TravelBand] = []
    for starts_at in sorted(boundaries):
        depart_at = datetime.combine(day, time()) + timedelta(minutes=starts_at)
        name = travel.provider.band_of(depart_at)
        if bands and bands[-1].name == name:
            continue
        if name not in by_name:
            by_name[name] = [[travel.estimate(a, b, depart_at).minutes for b in place_areas] for a in place_areas]
        bands.append(TravelBand(name=name, starts_at=starts_at, duration=by_name[name]))
    return bands


def to_day_plan(problem: RoutingProblem, solution: RoutingSolution, reference: Reference, vans: list[Vehicle],
                orders: list[DueOrder], day: date, now: datetime, depot: str | None, limit: float,
                window_width: int = 120) -> DayPlan:
    """Turn solver routes (minutes since midnight) back into dated stops, drivers and orders."""
    midnight = datetime.combine(day, time())
    orders_by_id = {order.order_id: order for order in orders}
    vans_by_id = {van.vehicle_id: van for van in vans}
    routes = []
    for route in solution.routes:
        van = vans_by_id[route.vehicle_id]
        depot_location = reference.locations[van.depot]
        depot_area = reference.areas[depot_location.area or ""]
        stops = []
        for sequence, visit in enumerate(route.stops, start=1):
            order = orders_by_id[visit.stop_id]
            area = reference.areas[order.area]
            eta = _at(midnight, visit.service_start)
            arrival_from, arrival_to = arrival_window(eta, order.window_start, order.window_end, window_width)
            arrival_from = max(arrival_from, min(now.replace(second=0, microsecond=0), eta))  # never in the past
            stops.append(PlannedStop(sequence=sequence, order_ids=[order.order_id], area=area.code,
                                     area_en=area.name_en, area_zh=area.name_zh, lat=area.lat, lon=area.lon,
                                     eta=eta, arrival_from=arrival_from, arrival_to=arrival_to,
                                     customer_window_start=order.window_start,
                                     customer_window_end=order.window_end, weight_kg=round(order.weight_kg, 2),
                                     volume_l=round(order.volume_l, 2), dispatched=order.dispatched,
                                     late_min=math.ceil(visit.late_by - 1e-6) if visit.late_by > 0 else 0))
        routes.append(PlannedRoute(
            vehicle_id=van.vehicle_id, plate=van.plate, driver=van.driver, driver_zh=van.driver_zh,
            depot=van.depot, depot_en=depot_location.name_en, depot_zh=depot_location.name_zh,
            depot_lat=depot_area.lat, depot_lon=depot_area.lon,
            departure=_at(midnight, route.start), return_at=_at(midnight, route.end), stops=stops,
            load_kg=round(route.load[0], 1), load_l=round(route.load[1], 1),
            capacity_kg=van.capacity_kg, capacity_l=van.capacity_l,
            distance_km=round(route.distance, 1), duration_min=round(route.duration if stops else 0.0, 1)))
    unserved = []
    for item in solution.unserved:
        order = orders_by_id[item.stop_id]
        area = reference.areas[order.area]
        unserved.append(UnservedOrder(order_id=order.order_id, area=area.code, area_en=area.name_en,
                                      area_zh=area.name_zh, reason=item.reason, detail=item.detail,
                                      window_start=order.window_start, window_end=order.window_end,
                                      weight_kg=round(order.weight_kg, 2), volume_l=round(order.volume_l, 2),
                                      vehicle=order.vehicle))
    unserved.sort(key=lambda entry: entry.order_id)
    planned = sum(len(route.stops) for route in routes)
    return DayPlan(plan_date=day, created_at=now, depot=depot, routes=routes, unserved=unserved,
                   orders_planned=planned, orders_total=len(orders),
                   total_distance_km=round(solution.distance, 1), total_duration_min=round(solution.duration, 1),
                   solve_seconds=round(solution.solve_seconds, 2), time_limit_s=limit)


def _add_not_ready(plan: DayPlan, reference: Reference, not_ready: list[tuple[DueOrder, Readiness]]) -> None:
    """List the orders due that day whose goods cannot be delivered in time, with the first day they can go
    (an order held only by the calendar, due on a Sunday or holiday, is a `shift` / `no_vehicle_on_duty`)."""
    for order, readiness in not_ready:
        area = reference.areas[order.area]
        calendar_only = readiness.go_day is not None and readiness.detail in ("sunday", "public_holiday")
        plan.unserved.append(UnservedOrder(
            order_id=order.order_id, area=area.code, area_en=area.name_en, area_zh=area.name_zh,
            reason="shift" if calendar_only else "stock",
            detail="no_vehicle_on_duty" if calendar_only else readiness.detail or "not_ready",
            window_start=order.window_start, window_end=order.window_end, weight_kg=round(order.weight_kg, 2),
            volume_l=round(order.volume_l, 2), vehicle=order.vehicle, first_day=readiness.go_day))
    plan.unserved.sort(key=lambda entry: entry.order_id)
    plan.orders_total += len(not_ready)


def _name_day_off(plan: DayPlan, calendar: WorkingCalendar) -> None:
    """On a Sunday or general holiday: which one, and the next delivery day (also each left-out order's)."""
    why = calendar.non_working_reason(plan.plan_date)
    next_day = calendar.next_working_day(plan.plan_date)
    if why is not None:
        note = calendar.holiday_note(plan.plan_date) if why == "public_holiday" else None
        plan.day_off = DayOff(reason="public_holiday" if why == "public_holiday" else "sunday",
                              name_en=note.name_en if note else None, name_zh=note.name_zh if note else None,
                              next_delivery_day=next_day)
    for entry in plan.unserved:
        if entry.reason != "stock" and entry.first_day is None:
            entry.first_day = next_day


def arrival_window(eta: datetime, window_start: datetime | None, window_end: datetime | None,
                   width_min: int = 120) -> tuple[datetime, datetime]:
    """A window of `width_min` starting on the hour around the ETA, as centred as the hour grid allows,
    kept inside the customer's own window: for two hours, ETA 15:40 gives 15:00-17:00 and ETA 15:10
    gives 14:00-16:00."""
    width = timedelta(minutes=width_min)
    start = (eta - width / 4).replace(minute=0, second=0, microsecond=0)
    while start + width < eta + width / 4 and start + timedelta(hours=1) <= eta:
        start += timedelta(hours=1)
    end = start + width
    if window_start is not None and window_start <= eta:
        start = max(start, window_start)
    if window_end is not None and window_end >= eta:
        end = min(end, window_end)
    return start, end


def _orders_for_depot(orders: list[DueOrder], vans: list[Vehicle], depot: str, depot_areas: dict[str, str],
                      travel: TravelTimes) -> list[DueOrder]:
    """Orders one depot's vans should carry: dispatched on them, held there, or nearest to it when free."""
    if depot not in depot_areas:
        raise ToolInputError(f"No van loads at {depot} on that day.", f"嗰日冇車喺 {depot} 出車。",
                             code="unknown_depot", suggestions=sorted(depot_areas), field_name="depot")
    depot_vans = {van.vehicle_id for van in vans if van.depot == depot}
    chosen = []
    for order in orders:
        if order.dispatched and order.vehicle:
            keep = order.vehicle in depot_vans
        elif order.location in depot_areas:
            keep = order.location == depot
        else:
            nearest = min(depot_areas, key=lambda code: travel.travel_km(depot_areas[code], order.area))
            keep = nearest == depot
        if keep:
            chosen.append(order)
    return chosen


def _depot_areas(reference: Reference, vans: list[Vehicle]) -> dict[str, str]:
    """Depot location code -> its area code, for depots standing in a Hong Kong area."""
    areas = {}
    for van in vans:
        location = reference.locations.get(van.depot)
        if location is not None and location.area in reference.areas:
            areas[van.depot] = location.area
    return areas


def _empty(problem: RoutingProblem) -> RoutingSolution:
    return RoutingSolution(routes=[], unserved=[], distance=0.0, duration=0.0, solve_seconds=0.0)


def _due_date(line: OrderLine) -> date | None:
    for moment in (line.window_start, line.promised_by, line.eta):
        if moment is not None:
            return moment.date()
    return None


def _pick(current: datetime | None, candidate: datetime | None,
          choose: Callable[[datetime, datetime], datetime]) -> datetime | None:
    if current is None:
        return candidate
    if candidate is None:
        return current
    return choose(current, candidate)


def _clock_minutes(text: str) -> int:
    hours, _, minutes = text.strip().partition(":")
    return int(hours) * 60 + int(minutes or 0)


def _minutes(moment: datetime, day: date) -> float:
    """Minutes since the day's midnight, clamped to the day."""
    delta = (moment - datetime.combine(day, time())).total_seconds() / 60
    return min(max(delta, 0.0), float(DAY_MINUTES))


def _at(midnight: datetime, minutes: float) -> datetime:
    return (midnight + timedelta(minutes=math.ceil(minutes - 1e-6))).replace(second=0, microsecond=0)
