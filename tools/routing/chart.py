"""A picture of a day's routes: stops by longitude and latitude, one colour per van, depots marked."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402  (the Agg backend must be chosen first)

from tools.routing.plan_models import DayPlan  # noqa: E402


def draw_plan(plan: DayPlan, folder: Path) -> Path:
    """Draw the plan as a PNG under `folder` and return its path (one file per date and depot)."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"routes-{plan.plan_date.isoformat()}-{plan.depot or 'all'}.png"
    figure, axes = plt.subplots(figsize=(8, 6.5), dpi=100)
    colours = plt.get_cmap("tab10")
    depots: dict[str, tuple[float, float]] = {}
    for index, route in enumerate(plan.routes):
        depots[route.depot] = (route.depot_lon, route.depot_lat)
        if not route.stops:
            continue
        xs = [route.depot_lon, *(stop.lon for stop in route.stops), route.depot_lon]
        ys = [route.depot_lat, *(stop.lat for stop in route.stops), route.depot_lat]
        colour = colours(index % 10)
        axes.plot(xs, ys, "-", color=colour, linewidth=1.2, alpha=0.8,
                  label=f"{route.vehicle_id} {route.driver} ({len(route.stops)})")
        axes.scatter(xs[1:-1], ys[1:-1], color=colour, s=22, zorder=3)
    for code, (lon, lat) in depots.items():
        axes.scatter([lon], [lat], marker="s", s=120, color="black", zorder=4)
        axes.annotate(code, (lon, lat), textcoords="offset points", xytext=(6, 6), fontsize=9, weight="bold")
    axes.set_title(f"Routes {plan.plan_date.isoformat()}: {plan.orders_planned} stops, "
                   f"{plan.vans_used} vans, {plan.total_distance_km:.0f} km")
    axes.set_xlabel("longitude")
    axes.set_ylabel("latitude")
    axes.set_aspect("equal", adjustable="datalim")
    axes.grid(True, alpha=0.3)
    if plan.routes:
        axes.legend(loc="best", fontsize=8)
    figure.tight_layout()
    figure.savefig(path)
    plt.close(figure)
    return path
