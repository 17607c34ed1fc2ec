"""A solver-neutral vehicle routing problem and its solution, plus an independent route checker.

Times are in one unit chosen by whoever builds the problem (minutes since midnight for the
product's planner, Solomon's own unit for benchmark instances); distances likewise (km, or
Solomon's Euclidean unit). Travel times may depend on the departure time: `travel_bands` holds one
duration matrix per time band, and an arc takes the duration of the band in which it starts.

`schedule_route` recomputes a route's times and loads from the problem alone, without trusting
whatever solver produced the visit order; the solver uses it for the final timings, and the tests
use it to check feasibility.
"""

from __future__ import annotations

import bisect
from typing import Literal, NamedTuple

from pydantic import BaseModel, Field, PrivateAttr, model_validator

# `stock`: the goods cannot be at a depot that day (set by the planner before solving, never by the solver).
UnservedReason = Literal["capacity", "window", "shift", "stock"]

# Rounding slack when comparing times and loads that went through the solver's integer scaling.
TOLERANCE = 1e-6


class Place(BaseModel):
    """A point on the map: a depot or a delivery stop (x = longitude, y = latitude for real places)."""

    name: str
    x: float
    y: float


class TravelBand(BaseModel):
    """Travel durations for trips that start at or after `starts_at` (until the next band starts)."""

    name: str = "all day"
    starts_at: float = 0.0
    duration: list[list[float]]


class DepotSpec(BaseModel):
    """Where vans load and return to."""

    id: str
    name: str = ""
    place: int


class VehicleSpec(BaseModel):
    """A van (or `count` identical vans): its depot, capacity per load dimension and shift."""

    id: str
    depot: str
    capacity: list[float]
    shift_start: float
    shift_end: float
    count: int = Field(default=1, ge=1)
    driver: str = ""
    driver_zh: str = ""
    plate: str = ""


class StopSpec(BaseModel):
    """A delivery: where, how much, when it may be served and how long it takes."""

    id: str
    place: int
    demand: list[float]
    window_start: float
    window_end: float
    service: float = 0.0
    required: bool = False
    # Vans allowed to serve it (None: any). An order already out for delivery names its van only.
    allowed_vehicles: list[str] | None = None
    # Out for delivery: it must stay on its (single allowed) van.
    dispatched: bool = False
    orders: list[str] = Field(default_factory=list)


class RoutingProblem(BaseModel):
    """Depots, vans, stops, a distance matrix and time-banded duration matrices over `places`."""

    name: str
    load_dimensions: list[str]
    time_unit: str = "minute"
    distance_unit: str = "km"
    places: list[Place]
    depots: list[DepotSpec]
    vehicles: list[VehicleSpec]
    stops: list[StopSpec]
    distance: list[list[float]]
    travel_bands: list[TravelBand]
    # Objective weights: cost per distance unit and per time unit a van is out.
    distance_cost: float = 1.0
    duration_cost: float = 0.0
    _band_starts: list[float] = PrivateAttr(default_factory=list)
    _depot_places: dict[str, int] = PrivateAttr(default_factory=dict)

    @model_validator(mode="after")
    def _consistent(self) -> RoutingProblem:
        size = len(self.places)
        dims = len(self.load_dimensions)
        if len(self.distance) != size or any(len(row) != size for row in self.distance):
            raise ValueError("distance matrix must be square over the places")
        if not self.travel_bands:
            raise ValueError("at least one travel band is needed")
        for band in self.travel_bands:
            if len(band.duration) != size or any(len(row) != size for row in band.duration):
                raise ValueError(f"travel band {band.name!r}: duration matrix must be square over the places")
        starts = [band.starts_at for band in self.travel_bands]
        if starts != sorted(starts):
            raise ValueError("travel bands must be sorted by start time")
        depot_ids = {depot.id for depot in self.depots}
        vehicle_ids = {vehicle.id for vehicle in self.vehicles}
        for vehicle in self.vehicles:
            if vehicle.depot not in depot_ids:
                raise ValueError(f"vehicle {vehicle.id}: unknown depot {vehicle.depot!r}")
            if len(vehicle.capacity) != dims:
                raise ValueError(f"vehicle {vehicle.id}: capacity needs {dims} values")
        for stop in self.stops:
            if len(stop.demand) != dims:
                raise ValueError(f"stop {stop.id}: demand needs {dims} values")
            if not 0 <= stop.place < size:
                raise ValueError(f"stop {stop.id}: unknown place {stop.place}")
            unknown = set(stop.allowed_vehicles or ()) - vehicle_ids
            if unknown:
                raise ValueError(f"stop {stop.id}: unknown vehicles {sorted(unknown)}")
        self._band_starts = starts
        self._depot_places = {depot.id: depot.place for depot in self.depots}
        return self

    def band_index(self, depart_at: float) -> int:
        """Index of the travel band a trip starting at `depart_at` falls in."""
        return max(bisect.bisect_right(self._band_starts, depart_at) - 1, 0)

    def travel_time(self, origin: int, destination: int, depart_at: float) -> float:
        """Duration of the trip between two places when it starts at `depart_at`."""
        return self.travel_bands[self.band_index(depart_at)].duration[origin][destination]

    def vehicle(self, vehicle_id: str) -> VehicleSpec:
        """The vehicle spec by id (KeyError if unknown)."""
        for vehicle in self.vehicles:
            if vehicle.id == vehicle_id:
                return vehicle
        raise KeyError(vehicle_id)

    def depot_of(self, vehicle: VehicleSpec) -> DepotSpec:
        """The depot a vehicle loads at."""
        return next(depot for depot in self.depots if depot.id == vehicle.depot)

    def stop(self, stop_id: str) -> StopSpec:
        """The stop spec by id (KeyError if unknown)."""
        for stop in self.stops:
            if stop.id == stop_id:
                return stop
        raise KeyError(stop_id)


class ScheduledStop(BaseModel):
    """One visit on a route: when the van arrives, starts service and leaves, and its load after it."""

    stop_id: str
    place: int
    arrival: float
    service_start: float
    departure: float
    distance_from_previous: float
    load_after: list[float]
    # An order already out for delivery stays on its van even when it cannot make its window: how late.
    late_by: float = 0.0


class RouteViolation(BaseModel):
    """Something a route breaks: a stop served after its window, a load over capacity, a late return."""

    kind: Literal["window", "capacity", "shift", "vehicle"]
    stop_id: str | None = None
    amount: float = 0.0


class VehicleRoute(BaseModel):
    """One van's route: its stops in order with times, the load it leaves with, distance and duration."""

    vehicle_id: str
    copy_index: int = 0
    depot: str
    start: float
    end: float
    stops: list[ScheduledStop]
    load: list[float]
    distance: float
    violations: list[RouteViolation] = Field(default_factory=list)

    @property
    def duration(self) -> float:
        """Time from leaving the depot to returning to it."""
        return self.end - self.start

    @property
    def feasible(self) -> bool:
        """True when the route breaks no capacity, window, shift or vehicle rule."""
        return not self.violations


class UnservedStop(BaseModel):
    """A stop no route serves, with why: `capacity`, `window` or `shift`, and a finer detail code."""

    stop_id: str
    reason: UnservedReason
    detail: str


class RoutingSolution(BaseModel):
    """Routes and unserved stops, with totals and how the search went."""

    routes: list[VehicleRoute]
    unserved: list[UnservedStop]
    distance: float
    duration: float
    solve_seconds: float
    iterations: int = 0

    @property
    def vehicles_used(self) -> int:
        """Routes with at least one stop."""
        return sum(1 for route in self.routes if route.stops)

    @property
    def feasible(self) -> bool:
        """True when every route is feasible."""
        return all(route.feasible for route in self.routes)


class RouteTimes(NamedTuple):
    """A route walked through in time: depot departure, per stop (arrival, service start, departure,
    distance from the previous place), return, and distance."""

    start: float
    visits: list[tuple[float, float, float, float]]
    end: float
    distance: float


def walk_route(problem: RoutingProblem, vehicle: VehicleSpec, visits: list[StopSpec]) -> RouteTimes:
    """The times of a route, by the rules of `schedule_route`, without checking anything."""
    depot_place = problem._depot_places[vehicle.depot]
    start = vehicle.shift_start
    if visits:
        first = visits[0]
        travel = problem.travel_time(depot_place, first.place, start)
        if start + travel < first.window_start:  # leave later rather than wait at the door
            later = first.window_start - problem.travel_time(depot_place, first.place, first.window_start - travel)
            if later > start and later + problem.travel_time(depot_place, first.place, later) <= first.window_start:
                start = later
    clock, here, distance = start, depot_place, 0.0
    times: list[tuple[float, float, float, float]] = []
    for stop in visits:
        arrival = clock + problem.travel_time(here, stop.place, clock)
        leg = problem.distance[here][stop.place]
        distance += leg
        service_start = max(arrival, stop.window_start)
        clock = service_start + stop.service
        times.append((arrival, service_start, clock, leg))
        here = stop.place
    if not visits:
        return RouteTimes(start, times, start, 0.0)
    end = clock + problem.travel_time(here, depot_place, clock)
    return RouteTimes(start, times, end, distance + problem.distance[here][depot_place])


def route_is_feasible(problem: RoutingProblem, vehicle: VehicleSpec, visits: list[StopSpec]) -> RouteTimes | None:
    """The route's times when it breaks no rule (capacity, windows, shift, allowed vans), else None. Fast:
    for trying many insertions; `schedule_route` gives the full account."""
    for dim, capacity in enumerate(vehicle.capacity):
        if sum(stop.demand[dim] for stop in visits) > capacity + TOLERANCE:
            return None
    if any(stop.allowed_vehicles is not None and vehicle.id not in stop.allowed_vehicles for stop in visits):
        return None
    times = walk_route(problem, vehicle, visits)
    if times.end > vehicle.shift_end + TOLERANCE:
        return None
    if any(row[1] > stop.window_end + TOLERANCE and not stop.dispatched
           for stop, row in zip(visits, times.visits, strict=True)):
        return None
    return times


def schedule_route(problem: RoutingProblem, vehicle: VehicleSpec, stop_ids: list[str],
                   *, copy_index: int = 0, stops_by_id: dict[str, StopSpec] | None = None) -> VehicleRoute:
    """Recompute a route's arrival times, loads and distance from the problem alone, and list what it breaks.

    A stop already out for delivery (`dispatched`) served after its window is not a broken rule (the
    goods are on that van whatever happens) but is marked with `late_by`.

    The van leaves its depot at the start of its shift, or later when that only means waiting at the
    first stop; it waits at a stop until its window opens; trips take the duration of the band in
    which they start.
    """
    stops_by_id = stops_by_id or {stop.id: stop for stop in problem.stops}
    depot = problem.depot_of(vehicle)
    visits = [stops_by_id[stop_id] for stop_id in stop_ids]
    load = [sum(stop.demand[dim] for stop in visits) for dim in range(len(problem.load_dimensions))]
    violations: list[RouteViolation] = []
    for dim, amount in enumerate(load):
        if amount > vehicle.capacity[dim] + TOLERANCE:
            violations.append(RouteViolation(kind="capacity", amount=amount - vehicle.capacity[dim]))
    times = walk_route(problem, vehicle, visits)
    on_board = list(load)
    scheduled: list[ScheduledStop] = []
    for stop, (arrival, service_start, departure, leg) in zip(visits, times.visits, strict=True):
        if stop.allowed_vehicles is not None and vehicle.id not in stop.allowed_vehicles:
            violations.append(RouteViolation(kind="vehicle", stop_id=stop.id))
        late_by = max(service_start - stop.window_end, 0.0) if service_start > stop.window_end + TOLERANCE else 0.0
        if late_by and not stop.dispatched:
            violations.append(RouteViolation(kind="window", stop_id=stop.id, amount=late_by))
        on_board = [amount - stop.demand[dim] for dim, amount in enumerate(on_board)]
        scheduled.append(ScheduledStop(stop_id=stop.id, place=stop.place, arrival=arrival,
                                       service_start=service_start, departure=departure,
                                       distance_from_previous=leg, load_after=on_board, late_by=late_by))
    if times.end > vehicle.shift_end + TOLERANCE:
        violations.append(RouteViolation(kind="shift", amount=times.end - vehicle.shift_end))
    return VehicleRoute(vehicle_id=vehicle.id, copy_index=copy_index, depot=depot.id, start=times.start,
                        end=times.end, stops=scheduled, load=load, distance=times.distance, violations=violations)
