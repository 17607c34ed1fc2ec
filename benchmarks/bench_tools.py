"""Latency of the operational tools on the demo company (SQLite), called through the tool registry.

Usage: python -m benchmarks.bench_tools [--repeat N] [--db URL]
Generates the demo company for 2026-11-25, loads it into a temp SQLite file (unless --db names a loaded
database), warms the caches once, then times each tool over a mix of realistic inputs (a fresh
ToolContext per call, as the bot makes one per question). Prints p50/p95/max per tool in milliseconds.
Target: p95 under 5 ms per tool.
"""

from __future__ import annotations

import argparse
import platform
import statistics
import tempfile
import time
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select

from core.config import load_settings
from core.db import Database
from core.models import Area, OrderLine, Product
from tools.registry import Role, ToolContext, build_registry

DEMO_TODAY = date(2026, 11, 25)
DEMO_NOW = datetime(2026, 11, 25, 10, 30)
# (label, tool): `order_status_day` is order_status without an id, checking every line due today.
TOOLS = [("stock_lookup", "stock_lookup"), ("delivery_eta", "delivery_eta"), ("check_promise", "check_promise"),
         ("order_status", "order_status"), ("order_status_day", "order_status"), ("shipping_cost", "shipping_cost")]


def load_demo(folder: Path) -> Database:
    """Generate the demo company into `folder` and load it into a SQLite file there."""
    from connectors.demo import generate
    from connectors.importer import load_folder

    data = generate(folder / "demo", DEMO_TODAY)
    db = Database(f"sqlite:///{folder / 'bench.db'}")
    db.create_all()
    load_folder(db, data)
    return db


def cases(db: Database) -> dict[str, list[dict[str, Any]]]:
    """A mix of inputs per tool taken from the loaded data."""
    with db.sessions() as session:
        skus = list(session.scalars(select(Product.sku).order_by(Product.sku)))
        names = list(session.scalars(select(Product.name_zh).order_by(Product.sku)))
        areas = list(session.scalars(select(Area.code).order_by(Area.code)))
        order_ids = list(session.scalars(select(OrderLine.order_id).distinct().order_by(OrderLine.order_id)))
    picks = range(0, len(skus), max(1, len(skus) // 12))
    return {
        "stock_lookup": [{"product": skus[i]} for i in picks] + [{"product": names[i], "qty": 20} for i in picks],
        "delivery_eta": [{"product": skus[i], "qty": 1 + (i % 7) * 10, "area": areas[i % len(areas)]} for i in picks],
        "check_promise": [{"product": skus[i], "qty": 5 + i, "area": areas[(i * 3) % len(areas)],
                           "deadline": "2026-11-26"} for i in picks],
        "order_status": [{"order_id": order_ids[i]} for i in range(0, len(order_ids), max(1, len(order_ids) // 12))],
        "order_status_day": [{}],
        "shipping_cost": [{"area": areas[i % len(areas)], "items": [{"product": skus[i], "qty": 3}]} for i in picks]
        + [{"area": areas[0], "weight_kg": 12.5, "order_value": 300}],
    }


def percentile(values: list[float], pct: float) -> float:
    """The pct-th percentile (nearest rank)."""
    ordered = sorted(values)
    index = max(0, min(len(ordered) - 1, round(pct / 100 * len(ordered) + 0.5) - 1))
    return ordered[index]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=20, help="rounds over each tool's inputs")
    parser.add_argument("--db", help="an already loaded database URL (skips generating the demo)")
    args = parser.parse_args()
    settings = load_settings(environ={})
    registry = build_registry()
    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        db = Database(args.db) if args.db else load_demo(Path(tmp))
        print(f"demo ready in {time.perf_counter() - started:.1f} s; {platform.processor() or platform.machine()}, "
              f"Python {platform.python_version()}, SQLite")
        inputs = cases(db)
        for label, name in TOOLS:
            timings: list[float] = []
            cpu: list[float] = []
            failures = 0
            for round_index in range(args.repeat + 1):
                for tool_args in inputs[label]:
                    ctx = ToolContext(db=db, settings=settings, now=DEMO_NOW, role=Role.sales)
                    began, began_cpu = time.perf_counter(), time.thread_time()
                    outcome = registry.call(name, tool_args, ctx)
                    elapsed = (time.perf_counter() - began) * 1000
                    elapsed_cpu = (time.thread_time() - began_cpu) * 1000
                    if round_index == 0:
                        failures += 0 if outcome.ok else 1
                        continue  # warm-up round
                    timings.append(elapsed)
                    cpu.append(elapsed_cpu)
            # Wall time includes waiting for a CPU on a busy machine; thread CPU time is the tool's own cost.
            print(f"{label:<16} n={len(timings):>4}  wall p50 {statistics.median(timings):6.2f}  "
                  f"p95 {percentile(timings, 95):6.2f}  max {max(timings):6.2f} ms | cpu p50 "
                  f"{statistics.median(cpu):5.2f}  p95 {percentile(cpu, 95):5.2f} ms | input errors {failures}")
        db.dispose()


if __name__ == "__main__":
    main()
