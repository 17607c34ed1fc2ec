"""Why a stop cannot be served: its load, its window or the vans' shifts, judged one van at a time."""

from __future__ import annotations

from tools.routing.problem import RoutingProblem, StopSpec, UnservedStop, VehicleSpec

TOLERANCE = 1e-6


def eligible_vehicles(problem: RoutingProblem, stop: StopSpec) -> list[VehicleSpec]:
    """The vans allowed to serve this stop."""
    if stop.allowed_vehicles is None:
        return list(problem.vehicles)
    return [vehicle for vehicle in problem.vehicles if vehicle.id in stop.allowed_vehicles]


def unservable_alone(problem: RoutingProblem, stop: StopSpec) -> UnservedStop | None:
    """Why no allowed van could serve this stop even as its only delivery, or None when one could.

    Checked in this order: a load over every van's capacity (`capacity`); a window that lies outside
    every van's shift, or a trip that cannot be back before the shift ends (`shift`); a window that
    cannot be met even driving there straight from the depot (`window`).
    """
    vehicles = eligible_vehicles(problem, stop)
    if not vehicles:
        return UnservedStop(stop_id=stop.id, reason="shift", detail="no_vehicle_on_duty")
    fits = [vehicle for vehicle in vehicles
            if all(need <= cap + TOLERANCE for need, cap in zip(stop.demand, vehicle.capacity, strict=True))]
    if not fits:
        return UnservedStop(stop_id=stop.id, reason="capacity", detail="heavier_than_any_van")
    if stop.window_end < stop.window_start - TOLERANCE:
        return UnservedStop(stop_id=stop.id, reason="window", detail="window_passed")
    overlapping = [vehicle for vehicle in fits
                   if stop.window_start <= vehicle.shift_end and stop.window_end >= vehicle.shift_start]
    if not overlapping:
        return UnservedStop(stop_id=stop.id, reason="shift", detail="window_outside_shifts")
    window_missed = 0
    for vehicle in overlapping:
        depot = problem.depot_of(vehicle)
        arrival = vehicle.shift_start + problem.travel_time(depot.place, stop.place, vehicle.shift_start)
        service_start = max(arrival, stop.window_start)
        if service_start > stop.window_end + TOLERANCE:
            window_missed += 1
            continue
        leave = service_start + stop.service
        back = leave + problem.travel_time(stop.place, depot.place, leave)
        if back <= vehicle.shift_end + TOLERANCE:
            return None
    if window_missed == len(overlapping):
        return UnservedStop(stop_id=stop.id, reason="window", detail="too_far_for_window")
    return UnservedStop(stop_id=stop.id, reason="shift", detail="cannot_return_before_shift_end")


def unserved_after_planning(problem: RoutingProblem, stop: StopSpec) -> UnservedStop:
    """The reason for a stop the plan left out although a van could serve it alone: the vans are full.

    That is load or time already taken by other deliveries, reported as `capacity`.
    """
    return unservable_alone(problem, stop) or UnservedStop(stop_id=stop.id, reason="capacity",
                                                           detail="vans_full")
