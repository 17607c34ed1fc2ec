"""Solomon VRPTW benchmark instances as `RoutingProblem`s, and their best-known solutions.

Solomon convention: every arc's Euclidean length is truncated to one decimal, and travel time equals
distance. The distance is the only objective (no cost per vehicle), with the instance's fleet size.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import vrplib
from pydantic import BaseModel

from tools.routing.problem import DepotSpec, Place, RoutingProblem, StopSpec, TravelBand, VehicleSpec


class SolomonFormatError(ValueError):
    """A file that is not a readable Solomon instance or CVRPLIB solution."""


class BestKnown(BaseModel):
    """A best-known solution from a `.sol` file: its distance and the number of routes."""

    distance: float
    vehicles: int


def truncated_distances(coords: np.ndarray) -> np.ndarray:
    """Euclidean distances truncated to one decimal (Solomon's convention)."""
    deltas = coords[:, None, :].astype(float) - coords[None, :, :].astype(float)
    exact = np.sqrt((deltas**2).sum(axis=2))
    return np.floor(exact * 10 + 1e-9) / 10


def read_solomon(path: str | Path) -> RoutingProblem:
    """Read a Solomon-format instance (node 0 is the depot) into the planner's problem type."""
    path = Path(path)
    try:
        instance = vrplib.read_instance(str(path), instance_format="solomon")
    except FileNotFoundError:
        raise
    except Exception as exc:  # vrplib raises assorted errors on malformed text
        raise SolomonFormatError(f"{path}: not a Solomon instance ({type(exc).__name__})") from exc
    try:
        coords = np.asarray(instance["node_coord"])
        demand = np.asarray(instance["demand"])
        windows = np.asarray(instance["time_window"])
        service = np.asarray(instance["service_time"])
        fleet = int(instance["vehicles"])
        capacity = float(instance["capacity"])
    except KeyError as exc:
        raise SolomonFormatError(f"{path}: missing section {exc}") from exc
    distance = truncated_distances(coords)
    matrix = distance.tolist()
    places = [Place(name=str(index), x=float(x), y=float(y)) for index, (x, y) in enumerate(coords)]
    stops = [
        StopSpec(id=str(index), place=index, demand=[float(demand[index])],
                 window_start=float(windows[index][0]), window_end=float(windows[index][1]),
                 service=float(service[index]), required=True, orders=[str(index)])
        for index in range(1, len(coords))
    ]
    return RoutingProblem(
        name=str(instance.get("name") or path.stem), load_dimensions=["units"], time_unit="solomon",
        distance_unit="solomon", places=places, depots=[DepotSpec(id="depot", name="depot", place=0)],
        vehicles=[VehicleSpec(id="vehicle", depot="depot", capacity=[capacity], count=fleet,
                              shift_start=float(windows[0][0]), shift_end=float(windows[0][1]))],
        stops=stops, distance=matrix, travel_bands=[TravelBand(duration=matrix)],
        distance_cost=1.0, duration_cost=0.0,
    )


def read_best_known(path: str | Path, problem: RoutingProblem | None = None) -> BestKnown:
    """Read a CVRPLIB `.sol` file; its distance is the `Cost` line, else recomputed on `problem`."""
    try:
        solution = vrplib.read_solution(str(path))
    except FileNotFoundError:
        raise
    except Exception as exc:
        raise SolomonFormatError(f"{path}: not a CVRPLIB solution ({type(exc).__name__})") from exc
    routes = [list(route) for route in solution.get("routes", [])]
    cost = solution.get("cost")
    if cost is None or (isinstance(cost, float) and math.isnan(cost)):
        if problem is None:
            raise SolomonFormatError(f"{path}: no Cost line and no instance to recompute it on")
        cost = sum(_route_distance(problem, route) for route in routes)
    return BestKnown(distance=float(cost), vehicles=len(routes))


def _route_distance(problem: RoutingProblem, route: list[int]) -> float:
    places = [0, *route, 0]
    return sum(problem.distance[a][b] for a, b in zip(places, places[1:], strict=False))
