"""Measure route planning: Solomon C101/R101 gaps at a time limit, and planning the demo company's day.

Usage (from the repo root):
    .venv/bin/python benchmarks/bench_routes.py [--time-limit 10] [--skip-solomon] [--skip-demo]

Prints the Solomon lines of `silobridge routes bench`, then the demo day (2026-11-25 at 10:30, the
config's routing time limit): orders, vans used, unserved by reason, wall-clock planning time.
"""

from __future__ import annotations

import argparse
import platform
import sys
import tempfile
import time
from collections import Counter
from datetime import date, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from core.config import load_settings  # noqa: E402
from core.db import Database  # noqa: E402
from tools.routing.bench import routes_bench  # noqa: E402
from tools.routing.planner import plan_day  # noqa: E402

VRP_DIR = Path(__file__).resolve().parents[2] / "shared" / "data" / "vrp"
DEMO_DAY = date(2026, 11, 25)
DEMO_NOW = datetime(2026, 11, 25, 10, 30)


def bench_solomon(time_limit: float) -> None:
    """The Solomon instances beside the repo, through the product's solver."""
    files = sorted(VRP_DIR.glob("*.txt"))
    print(f"Solomon instances in {VRP_DIR}, {time_limit:g} s each:")
    for line in routes_bench(files, time_limit=time_limit):
        print("  " + line)


def bench_demo_day(now: datetime, early: bool) -> None:
    """Generate and load the demo company, then plan its day as `routes plan` would."""
    from connectors.demo import generate
    from connectors.importer import load_folder

    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp)
        generate(home / "demo", today=DEMO_DAY)
        settings = load_settings(environ={"SILOBRIDGE_HOME": str(home)})
        db = Database(settings.database_url)
        db.create_all()
        load_folder(db, home / "demo")
        started = time.perf_counter()
        plan = plan_day(db, settings, DEMO_DAY, now, chart=False)
        seconds = time.perf_counter() - started
        from tools.routing.chart import draw_plan

        drawn = time.perf_counter()
        draw_plan(plan, home / "charts")
        picture = time.perf_counter() - drawn
        reasons = Counter(f"{u.reason}/{u.detail}" for u in plan.unserved)
        print(f"Demo day {DEMO_DAY} planned at {now:%H:%M} (time limit {settings.routing.time_limit_s:g} s):")
        print(f"  orders {plan.orders_total}, planned {plan.orders_planned}, vans used {plan.vans_used}/"
              f"{len(plan.routes)}, {plan.total_distance_km:.0f} km; solver {plan.solve_seconds:.1f} s, "
              f"whole plan (orders, travel matrices, solve) {seconds:.1f} s, picture {picture:.1f} s "
              f"(matplotlib import included)")
        print(f"  on board and late: {plan.late_orders or 'none'}")
        for route in plan.routes:
            print(f"  {route.vehicle_id} {route.depot}: {len(route.stops)} stops, {route.load_kg:.0f}/"
                  f"{route.capacity_kg:.0f} kg, {route.load_l:.0f}/{route.capacity_l:.0f} L, "
                  f"{route.departure:%H:%M}-{route.return_at:%H:%M}")
        print(f"  unserved: {dict(reasons) or 'none'}")
        db.dispose()


def main() -> None:
    """Run the benchmarks and print the machine they ran on."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--time-limit", type=float, default=10.0)
    parser.add_argument("--skip-solomon", action="store_true")
    parser.add_argument("--skip-demo", action="store_true")
    parser.add_argument("--early", action="store_true", help="plan the demo day at 07:00 instead of 10:30")
    args = parser.parse_args()
    print(f"{datetime.now():%Y-%m-%d %H:%M} on {platform.node()} ({platform.processor() or platform.machine()}, "
          f"Python {platform.python_version()})")
    if not args.skip_solomon:
        bench_solomon(args.time_limit)
    if not args.skip_demo:
        bench_demo_day(datetime(2026, 11, 25, 7, 0) if args.early else DEMO_NOW, args.early)


if __name__ == "__main__":
    main()
