"""Solve a `RoutingProblem` with PyVRP (hybrid iterated local search) and explain what it leaves out.

Modelling choices:
- Times and distances are scaled by `SCALE` (x10) to integers; loads by `LOAD_SCALE` (x100). The
  Solomon convention (arcs truncated to one decimal) is therefore exact.
- Each van is a PyVRP vehicle type (its depot, capacity in every load dimension, shift as the
  type's time window). Identical vans share a type (`count`).
- Stops that are not `required` are optional clients with a large prize, so an order that cannot be
  fitted is dropped (and explained) instead of making the whole plan infeasible.
- An order already out for delivery that cannot make its window is not dropped: after the search it
  is put on its own van where it costs least, and marked late (`ScheduledStop.late_by`).
- A stop only some vans may serve (an order already out for delivery stays on its van; goods held
  at one depot) is unreachable in the other vans' routing profiles.
- Time-dependent travel: PyVRP takes one duration per arc, so each arc gets the duration of the
  band in which it is expected to start: from a depot at the van's departure, from a stop at the
  time the van is expected to leave it. The first pass guesses that time from the stop's window;
  later passes take it from the previous pass's schedule and warm-start from its routes.
  `schedule_route` then recomputes the final times exactly; a stop that turns out late is taken off
  its route and, like any stop the search left out, put back wherever it still fits
  (`tools.routing.repair`); what fits nowhere is reported with its reason.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

import numpy as np
from pyvrp import Client, Depot, Location, ProblemData, Route, Solution, VehicleType
from pyvrp import solve as pyvrp_solve
from pyvrp.stop import MaxRuntime

from tools.routing.diagnose import unservable_alone, unserved_after_planning
from tools.routing.problem import (
    RoutingProblem,
    RoutingSolution,
    StopSpec,
    UnservedStop,
    schedule_route,
)
from tools.routing.repair import finalise_routes

SCALE = 10
LOAD_SCALE = 100
# Prize of an optional stop (scaled cost units): far above any detour, so stops are only dropped when they
# cannot fit. Orders already out for delivery weigh ten times more.
PRIZE = 10**8
DISPATCHED_PRIZE = 10**9
# Distance/duration of an arc into a stop a van may not serve.
FORBIDDEN = 10**10
# Share of the time limit for each pass when travel times depend on the time of day.
TIME_DEPENDENT_PASSES = (0.5, 0.5)
MIN_PASS_S = 0.05
# Time kept back from the search for the exact schedules and re-insertions after it.
REPAIR_RESERVE_S = 0.1


@dataclass
class _Model:
    """The PyVRP data for a subset of the problem's stops, with the index maps back."""

    data: ProblemData
    stops: list[StopSpec]
    type_vehicle: list[int]  # PyVRP vehicle type -> index in problem.vehicles


def solve(problem: RoutingProblem, *, time_limit_s: float, seed: int = 1) -> RoutingSolution:
    """Plan routes within `time_limit_s` seconds (seeded), and list the stops left out with their reason."""
    started = time.perf_counter()
    unserved: list[UnservedStop] = []
    candidates: list[StopSpec] = []
    late_on_board: list[StopSpec] = []  # out for delivery but cannot make the window: stays on its van, late
    for stop in problem.stops:
        reason = unservable_alone(problem, stop)
        if reason is None:
            candidates.append(stop)
        elif stop.dispatched and reason.reason == "window":
            late_on_board.append(stop)
        else:
            unserved.append(reason)

    visits: dict[tuple[int, int], list[str]] = {}
    iterations = 0
    if candidates:
        time_dependent = len(problem.travel_bands) > 1
        shares = TIME_DEPENDENT_PASSES if time_dependent else (1.0,)
        departures = _guess_departures(problem, candidates)
        vehicle_starts = [vehicle.shift_start for vehicle in problem.vehicles]
        previous: list[tuple[int, list[int]]] | None = None
        for share in shares:
            model = _build_model(problem, candidates, departures, vehicle_starts)
            initial = None
            if previous:
                initial = Solution(model.data, [Route(model.data, clients, vtype) for vtype, clients in previous])
            # Each pass gets its share, but never more than what is left of the whole limit.
            remaining = time_limit_s - (time.perf_counter() - started) - REPAIR_RESERVE_S
            budget = max(min(time_limit_s * share, remaining), MIN_PASS_S)
            result = pyvrp_solve(model.data, MaxRuntime(budget), seed=seed,
                                 collect_stats=False, display=False, initial_solution=initial)
            iterations += result.num_iterations
            previous = [(route.vehicle_type(), [act.idx for act in route if act.is_client()])
                        for route in result.best.routes()]
            visits = _visits_by_vehicle(model, previous)
            if time_dependent:
                departures, vehicle_starts = _observed_departures(problem, visits, departures, vehicle_starts)

    routes = finalise_routes(problem, visits, candidates + late_on_board)
    served = {stop.stop_id for route in routes for stop in route.stops}
    reported = {item.stop_id for item in unserved}
    for stop in candidates + late_on_board:
        if stop.id not in served and stop.id not in reported:
            unserved.append(unserved_after_planning(problem, stop))
    return RoutingSolution(routes=routes, unserved=unserved,
                           distance=sum(route.distance for route in routes),
                           duration=sum(route.duration for route in routes if route.stops),
                           solve_seconds=time.perf_counter() - started, iterations=iterations)


def _guess_departures(problem: RoutingProblem, stops: list[StopSpec]) -> dict[str, float]:
    """A first guess of when a van leaves each stop: the middle of its window within the working day."""
    day_start = min(vehicle.shift_start for vehicle in problem.vehicles)
    day_end = max(vehicle.shift_end for vehicle in problem.vehicles)
    guesses: dict[str, float] = {}
    for stop in stops:
        opens = max(stop.window_start, day_start)
        closes = max(min(stop.window_end, day_end), opens)
        guesses[stop.id] = (opens + closes) / 2 + stop.service
    return guesses


def _observed_departures(problem: RoutingProblem, visits: dict[tuple[int, int], list[str]],
                         departures: dict[str, float], vehicle_starts: list[float],
                         ) -> tuple[dict[str, float], list[float]]:
    """Departure times taken from scheduling the last pass's routes (guesses kept for unrouted stops)."""
    observed = dict(departures)
    starts = list(vehicle_starts)
    stops_by_id = {stop.id: stop for stop in problem.stops}
    for (vehicle_index, copy_index), stop_ids in visits.items():
        route = schedule_route(problem, problem.vehicles[vehicle_index], stop_ids, copy_index=copy_index,
                               stops_by_id=stops_by_id)
        if copy_index == 0:
            starts[vehicle_index] = route.start
        for stop in route.stops:
            observed[stop.stop_id] = stop.departure
    return observed, starts


def _build_model(problem: RoutingProblem, stops: list[StopSpec], departures: dict[str, float],
                 vehicle_starts: list[float]) -> _Model:
    """PyVRP data: one location per depot and per stop, one vehicle type (and profile) per van."""
    depot_places = [depot.place for depot in problem.depots]
    places = depot_places + [stop.place for stop in stops]
    grid = np.ix_(places, places)
    distance = _scaled(np.asarray(problem.distance, dtype=float)[grid])
    band_durations = [_scaled(np.asarray(band.duration, dtype=float)[grid]) for band in problem.travel_bands]

    base_duration = band_durations[0].copy()
    n_depots = len(depot_places)
    for offset, stop in enumerate(stops):
        row = n_depots + offset
        base_duration[row] = band_durations[problem.band_index(departures[stop.id])][row]

    depot_index = {depot.id: index for index, depot in enumerate(problem.depots)}
    restricted = any(stop.allowed_vehicles is not None for stop in stops)
    per_vehicle_profiles = restricted or len(problem.travel_bands) > 1
    distances: list[np.ndarray] = []
    durations: list[np.ndarray] = []
    vehicle_types: list[VehicleType] = []
    for index, vehicle in enumerate(problem.vehicles):
        depot = depot_index[vehicle.depot]
        profile = 0
        if per_vehicle_profiles:
            profile = len(distances)
            vehicle_distance = distance.copy()
            vehicle_duration = base_duration.copy()
            vehicle_duration[depot] = band_durations[problem.band_index(vehicle_starts[index])][depot]
            for offset, stop in enumerate(stops):
                if stop.allowed_vehicles is not None and vehicle.id not in stop.allowed_vehicles:
                    vehicle_distance[:, n_depots + offset] = FORBIDDEN
                    vehicle_duration[:, n_depots + offset] = FORBIDDEN
                    vehicle_distance[n_depots + offset, n_depots + offset] = 0
                    vehicle_duration[n_depots + offset, n_depots + offset] = 0
            distances.append(vehicle_distance)
            durations.append(vehicle_duration)
        vehicle_types.append(VehicleType(
            num_available=vehicle.count,
            capacity=[_load(amount, up=False) for amount in vehicle.capacity],
            start_depot=depot, end_depot=depot,
            tw_early=_time(vehicle.shift_start), tw_late=_time(vehicle.shift_end, up=False),
            unit_distance_cost=round(problem.distance_cost),
            unit_duration_cost=round(problem.duration_cost),
            profile=profile, name=vehicle.id,
        ))
    if not per_vehicle_profiles:
        distances, durations = [distance], [base_duration]

    locations = [Location(x=problem.places[place].x, y=problem.places[place].y) for place in places]
    depots = [Depot(location=index, name=depot.id) for index, depot in enumerate(problem.depots)]
    clients = [
        Client(location=n_depots + offset,
               delivery=[_load(amount) for amount in stop.demand],
               service_duration=_time(stop.service),
               tw_early=_time(stop.window_start), tw_late=_time(stop.window_end, up=False),
               prize=0 if stop.required else (DISPATCHED_PRIZE if stop.dispatched else PRIZE),
               required=stop.required, name=stop.id)
        for offset, stop in enumerate(stops)
    ]
    # pyvrp's stubs type the matrices as ndarray[int] (a shape of one int); they are 2-D integer arrays.
    data = ProblemData(locations, clients, depots, vehicle_types, distances, durations)  # type: ignore[arg-type]
    return _Model(data=data, stops=stops, type_vehicle=list(range(len(problem.vehicles))))


def _visits_by_vehicle(model: _Model, routes: list[tuple[int, list[int]]]) -> dict[tuple[int, int], list[str]]:
    """Stop ids per (vehicle index, copy index) from PyVRP routes."""
    visits: dict[tuple[int, int], list[str]] = {}
    copies: dict[int, int] = {}
    for vehicle_type, clients in routes:
        vehicle_index = model.type_vehicle[vehicle_type]
        copy_index = copies.get(vehicle_index, 0)
        copies[vehicle_index] = copy_index + 1
        visits[(vehicle_index, copy_index)] = [model.stops[client].id for client in clients]
    return visits


# Rounding to the solver's integers always errs on the safe side (longer trips, heavier loads, smaller
# vans, narrower windows), so a route the solver finds feasible stays feasible when recomputed exactly.
_EPS = 1e-6


def _scaled(matrix: np.ndarray) -> np.ndarray:
    return np.ceil(matrix * SCALE - _EPS).astype(np.int64)


def _time(value: float, *, up: bool = True) -> int:
    return math.ceil(value * SCALE - _EPS) if up else math.floor(value * SCALE + _EPS)


def _load(value: float, *, up: bool = True) -> int:
    return math.ceil(value * LOAD_SCALE - _EPS) if up else math.floor(value * LOAD_SCALE + _EPS)
