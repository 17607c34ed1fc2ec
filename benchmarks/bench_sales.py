"""sales_summary on 1,000,000 sales rows: DuckDB load time and query p95 (target < 100 ms).

Usage: python -m benchmarks.bench_sales [--rows N] [--repeat N]
Builds a SQLite database with the synthetic company's areas and locations, 60 products and N sales
rows over two years (bulk insert), loads it into DuckDB through Arrow once (`Analytics`), then calls
`sales_summary` through the registry over a mix of periods, groupings and measures.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path

import numpy as np

from core.analytics import Analytics
from core.config import Settings
from core.db import Database
from core.models import ImportRun, Product
from tests.forecast_factory import build_company
from tools.registry import Role, ToolContext, build_registry

NOW = datetime(2026, 11, 25, 10, 30)
CHANNELS = ["online", "store", "b2b", "phone"]


def build(folder: Path, rows: int) -> Database:
    """A database with `rows` random sales over two years across 60 products and the synthetic areas."""
    db = Database(f"sqlite:///{folder / 'sales.db'}")
    db.create_all()
    build_company(db, last_day=date(2026, 11, 24), history_days=14, skus=1, new_product_days=None)
    categories = ["drinkware", "stationery", "snacks", "travel", "home goods", "personal care"]
    with db.session() as session:
        session.add_all(Product(sku=f"P-{i:03d}", name_en=f"Product {i}", name_zh=f"產品{i}",
                                category=categories[i % len(categories)], unit_price=10 + i, unit_cost=6 + i * 0.5,
                                weight_kg=0.3, volume_l=1.0, substitutes="", aliases="") for i in range(60))
    rng = np.random.default_rng(1)
    first = date(2024, 11, 25)
    days = rng.integers(0, 730, rows)
    skus = rng.integers(0, 60, rows)
    areas = np.array(["CW", "KT", "MK", "YL", "TC"])[rng.integers(0, 5, rows)]
    qty = rng.integers(1, 20, rows)
    channels = np.array(CHANNELS)[rng.integers(0, 4, rows)]
    connection = db.engine.raw_connection()
    try:
        cursor = connection.cursor()
        cursor.executemany(
            "INSERT INTO sales (date, sku, area, qty, revenue, channel) VALUES (?, ?, ?, ?, ?, ?)",
            [(str(first + timedelta(days=int(d))), f"P-{int(s):03d}", str(a), int(q), float(q * (10 + int(s))), str(c))
             for d, s, a, q, c in zip(days, skus, areas, qty, channels, strict=True)])
        connection.commit()
    finally:
        connection.close()
    with db.session() as session:
        session.add(ImportRun(loaded_at=NOW, source="bench", row_counts={"sales": rows}, seconds=0.0))
    return db


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=10)
    args = parser.parse_args()
    print(f"{platform.node()} {platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}, "
          f"load average {os.getloadavg()[0]:.1f}")
    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        db = build(Path(tmp), args.rows)
        print(f"built {args.rows:,} sales rows in SQLite in {time.perf_counter() - started:.1f} s")
        analytics = Analytics.for_database(db)
        print(f"DuckDB load through Arrow: {analytics.load_seconds:.2f} s "
              f"({analytics.row_counts['sales']:,} sales rows)")
        settings = Settings(home=Path(tmp), db_url=db.url, env={})
        registry = build_registry(["tools.sales"])
        cases = [{"period": p, "group_by": g, "measure": m}
                 for p in ("last_week", "this_month", "last_month", "2026-05", "this_week")
                 for g in ("region", "area", "product", "category", "channel")
                 for m in ("revenue", "units", "margin")]
        cases += [{"period": p, "measure": "delivery_charges", "group_by": "zone"} for p in ("last_week", "last_month")]
        timings: list[float] = []
        failures = 0
        for _ in range(args.repeat):
            for case in cases:
                ctx = ToolContext(db=db, settings=settings, now=NOW, role=Role.manager, lang="en")
                outcome = registry.call("sales_summary", case, ctx)
                failures += not outcome.ok
                timings.append(outcome.latency_ms)
        timings.sort()
        p95 = timings[int(len(timings) * 0.95) - 1]
        print(f"sales_summary: {len(timings)} calls, failures {failures}, p50 {statistics.median(timings):.1f} ms, "
              f"p95 {p95:.1f} ms, max {timings[-1]:.1f} ms (target p95 < 100 ms)")
        db.dispose()


if __name__ == "__main__":
    main()
