"""Final exact schedules: take off any stop the exact time-dependent schedule finds late, then try to fit
every stop still left out into a route (cheapest feasible insertion, checked by `schedule_route`)."""

from __future__ import annotations

from tools.routing.problem import (
    RouteTimes,
    RoutingProblem,
    StopSpec,
    VehicleRoute,
    VehicleSpec,
    route_is_feasible,
    schedule_route,
    walk_route,
)

RouteKey = tuple[int, int]  # (index in problem.vehicles, copy index)


def finalise_routes(problem: RoutingProblem, visits: dict[RouteKey, list[str]],
                    candidates: list[StopSpec]) -> list[VehicleRoute]:
    """Feasible routes for every van from the solver's visit orders, with left-out stops re-inserted where
    they fit. Orders already out for delivery go back on their own van first, late if they must."""
    stops_by_id = {stop.id: stop for stop in problem.stops}
    plans: dict[RouteKey, list[str]] = {}
    pending: list[str] = []
    for vehicle_index, vehicle in enumerate(problem.vehicles):
        for copy_index in range(vehicle.count):
            key = (vehicle_index, copy_index)
            plans[key], dropped = _make_feasible(problem, vehicle, list(visits.get(key, [])), stops_by_id)
            pending += dropped
    routed = {stop_id for stop_ids in plans.values() for stop_id in stop_ids}
    pending += [stop.id for stop in candidates if stop.id not in routed and stop.id not in pending]
    bumped: list[str] = []
    for stop_id in sorted(pending, key=lambda sid: _urgency(stops_by_id[sid])):
        stop = stops_by_id[stop_id]
        if not _insert_cheapest(problem, plans, stop, stops_by_id) and stop.dispatched:
            bumped += _force_onto_own_van(problem, plans, stop, stops_by_id)
    for stop_id in sorted(bumped, key=lambda sid: _urgency(stops_by_id[sid])):
        _insert_cheapest(problem, plans, stops_by_id[stop_id], stops_by_id)
    routes = []
    for (vehicle_index, copy_index), stop_ids in sorted(plans.items()):
        vehicle = problem.vehicles[vehicle_index]
        if stop_ids or vehicle.count == 1:
            routes.append(schedule_route(problem, vehicle, stop_ids, copy_index=copy_index, stops_by_id=stops_by_id))
    return routes


def _urgency(stop: StopSpec) -> tuple[bool, float, str]:
    """Orders on a van first, then by the end of their window."""
    return (not stop.dispatched, stop.window_end, stop.id)


def _make_feasible(problem: RoutingProblem, vehicle: VehicleSpec, stop_ids: list[str],
                   stops_by_id: dict[str, StopSpec]) -> tuple[list[str], list[str]]:
    """Take stops off a route until it breaks nothing: a late stop itself, else the last stop not yet
    on the van (orders on the van go last). Returns the route and the stops taken off."""
    dropped: list[str] = []
    route = schedule_route(problem, vehicle, stop_ids, stops_by_id=stops_by_id)
    while route.violations and stop_ids:
        named = [v.stop_id for v in route.violations if v.stop_id and v.stop_id in stop_ids]
        movable = [sid for sid in stop_ids if not stops_by_id[sid].dispatched]
        victim = named[0] if named else (movable[-1] if movable else stop_ids[-1])
        stop_ids.remove(victim)
        dropped.append(victim)
        route = schedule_route(problem, vehicle, stop_ids, stops_by_id=stops_by_id)
    return stop_ids, dropped


def _force_onto_own_van(problem: RoutingProblem, plans: dict[RouteKey, list[str]], stop: StopSpec,
                        stops_by_id: dict[str, StopSpec]) -> list[str]:
    """Put an order that is already on a van back on that van where it costs least, even if other stops
    then have to make room; returns the stops bumped off (to be placed elsewhere or reported)."""
    best: tuple[float, RouteKey, int] | None = None
    for key, stop_ids in plans.items():
        vehicle = problem.vehicles[key[0]]
        if stop.allowed_vehicles is not None and vehicle.id not in stop.allowed_vehicles:
            continue
        visits = [stops_by_id[sid] for sid in stop_ids]
        before = _cost(problem, walk_route(problem, vehicle, visits))
        for position in range(len(visits) + 1):
            times = walk_route(problem, vehicle, [*visits[:position], stop, *visits[position:]])
            added = _cost(problem, times) - before
            if best is None or added < best[0]:
                best = (added, key, position)
    if best is None:
        return []
    _, key, position = best
    plans[key].insert(position, stop.id)
    plans[key], bumped = _make_feasible(problem, problem.vehicles[key[0]], plans[key], stops_by_id)
    return [sid for sid in bumped if sid != stop.id]


def _insert_cheapest(problem: RoutingProblem, plans: dict[RouteKey, list[str]], stop: StopSpec,
                     stops_by_id: dict[str, StopSpec]) -> bool:
    """Insert `stop` where it adds the least cost without breaking any rule; False when it fits nowhere."""
    best: tuple[float, RouteKey, int] | None = None
    tried_empty: set[int] = set()
    for key, stop_ids in plans.items():
        vehicle = problem.vehicles[key[0]]
        if stop.allowed_vehicles is not None and vehicle.id not in stop.allowed_vehicles:
            continue
        if not stop_ids:  # identical empty copies of one van type: one try is enough
            if key[0] in tried_empty:
                continue
            tried_empty.add(key[0])
        visits = [stops_by_id[sid] for sid in stop_ids]
        if not _has_room(vehicle, visits, stop):
            continue
        before = _cost(problem, walk_route(problem, vehicle, visits))
        for position in range(len(visits) + 1):
            times = route_is_feasible(problem, vehicle, [*visits[:position], stop, *visits[position:]])
            if times is not None:
                added = _cost(problem, times) - before
                if best is None or added < best[0]:
                    best = (added, key, position)
    if best is None:
        return False
    _, key, position = best
    plans[key].insert(position, stop.id)
    return True


def _has_room(vehicle: VehicleSpec, visits: list[StopSpec], stop: StopSpec) -> bool:
    for dim, capacity in enumerate(vehicle.capacity):
        if sum(visit.demand[dim] for visit in visits) + stop.demand[dim] > capacity + 1e-6:
            return False
    return True


def _cost(problem: RoutingProblem, times: RouteTimes) -> float:
    duration = times.end - times.start if times.visits else 0.0
    return problem.distance_cost * times.distance + problem.duration_cost * duration
