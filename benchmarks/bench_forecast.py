"""Forecast batch time, demand_forecast latency and the rolling-origin backtest, on the demo company.

Usage: python -m benchmarks.bench_forecast [--db URL] [--workers N] [--skip-batch] [--skip-backtest]
                                            [--series N] [--origins N] [--repeat N]
Generates the demo company for 2026-11-25 and loads it into a temp SQLite file (unless --db names a
loaded database), then:
1. `run_batch` over the whole catalogue (forced refit), wall and CPU seconds; then a second run that
   must refit nothing (target: whole catalogue < 60 s on 2 cores);
2. `demand_forecast` through the registry over a mix of products, regions, areas and periods
   (target p95 < 20 ms without drawing the chart; the chart's cost is printed apart);
3. the backtest table: MASE and 80% coverage of Prophet, AutoETS and seasonal naive, with fit times.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import tempfile
import time
from datetime import date, datetime
from pathlib import Path

from core.config import Settings
from core.db import Database
from tools.forecasting import run_batch
from tools.forecasting.backtest import format_report, run_backtest
from tools.registry import Role, ToolContext, build_registry

DEMO_TODAY = date(2026, 11, 25)
DEMO_NOW = datetime(2026, 11, 25, 10, 30)


def load_demo(folder: Path) -> Database:
    """Generate the demo company into `folder` and load it into a SQLite file there."""
    from connectors.demo import generate
    from connectors.importer import load_folder

    data = generate(folder / "demo", DEMO_TODAY)
    db = Database(f"sqlite:///{folder / 'bench.db'}")
    db.create_all()
    load_folder(db, data)
    return db


def forecast_cases(db: Database) -> list[dict]:
    """Products by SKU and name, regions, areas, categories and several periods."""
    from sqlalchemy import select

    from core.models import Area, Product

    with db.sessions() as session:
        products = session.execute(select(Product.sku, Product.name_zh, Product.category).order_by(Product.sku)).all()
        areas = list(session.scalars(select(Area.code).order_by(Area.code)))
    periods = ["next_week", "下星期", "next_2_weeks", "next_month", "this_week"]
    regions = ["KLN", "NT", "HKI", "ISL", None]
    cases: list[dict] = []
    for index, (sku, name_zh, _category) in enumerate(products[::3]):
        case = {"product": sku if index % 2 else name_zh, "period": periods[index % len(periods)], "chart": False}
        if index % 4 == 3:
            case["area"] = areas[index % len(areas)]
        elif regions[index % len(regions)]:
            case["region"] = regions[index % len(regions)]
        cases.append(case)
    cases.append({"category": products[0][2], "region": "KLN", "period": "next_week", "chart": False})
    return cases


def bench_tool(settings: Settings, db: Database, repeat: int) -> None:
    """p50/p95/max of demand_forecast from the store, and the cost of a cold chart."""
    registry = build_registry(["tools.forecast"])
    cases = forecast_cases(db)
    timings: list[float] = []
    failures = 0
    for _ in range(repeat):
        for case in cases:
            ctx = ToolContext(db=db, settings=settings, now=DEMO_NOW, role=Role.logistics, lang="zh-HK")
            outcome = registry.call("demand_forecast", case, ctx)
            failures += not outcome.ok
            timings.append(outcome.latency_ms)
    timings.sort()
    p95 = timings[int(len(timings) * 0.95) - 1]
    print(f"demand_forecast: {len(timings)} calls, failures {failures}, p50 {statistics.median(timings):.1f} ms, "
          f"p95 {p95:.1f} ms, max {timings[-1]:.1f} ms (target p95 < 20 ms)")
    chart_ms = []
    for case in cases[:5]:
        ctx = ToolContext(db=db, settings=settings, now=DEMO_NOW, role=Role.logistics, lang="zh-HK")
        chart_ms.append(registry.call("demand_forecast", {**case, "chart": True}, ctx).latency_ms)
    print(f"demand_forecast with a new chart: first {chart_ms[0]:.0f} ms (matplotlib import), "
          f"then median {statistics.median(chart_ms[1:]):.0f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", help="a database URL with the demo company loaded (default: generate one)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--skip-batch", action="store_true")
    parser.add_argument("--skip-backtest", action="store_true")
    parser.add_argument("--series", type=int, default=8, help="series in the backtest")
    parser.add_argument("--origins", type=int, default=4, help="regular origins in the backtest")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    print(f"{platform.node()} {platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, "
          f"Python {platform.python_version()}, load average {os.getloadavg()[0]:.1f}")
    with tempfile.TemporaryDirectory() as tmp:
        db = Database(args.db) if args.db else load_demo(Path(tmp))
        settings = Settings(home=Path(tmp), db_url=db.url, env={})
        if not args.skip_batch:
            report = run_batch(settings, db, workers=args.workers, force=True)
            print(f"forecast batch: {report.series_total} series in {report.seconds:.1f} s wall with "
                  f"{report.workers} workers, {report.cpu_seconds:.1f} CPU-s "
                  f"(≈ {report.cpu_seconds / report.workers:.1f} s on {report.workers} idle cores), "
                  f"models {report.models}, failed {len(report.failed)}")
            started = time.perf_counter()
            again = run_batch(settings, db, workers=args.workers)
            print(f"second run: refitted {again.fitted}, unchanged {again.unchanged}, "
                  f"{time.perf_counter() - started:.1f} s")
        bench_tool(settings, db, args.repeat)
        if not args.skip_backtest:
            print(format_report(run_backtest(settings, db, series_count=args.series, regular_origins=args.origins,
                                             workers=args.workers)))


if __name__ == "__main__":
    main()
