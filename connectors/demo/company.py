"""The demo company: a Hong Kong trading SME written as a folder of CSV files in the import format.

`generate(out_dir, today)` writes every table of data-format.md (the optional ones too) relative to
the chosen "today": two years of sales up to yesterday, stock read this morning, the day's deliveries
and the situations the product exists for (see docs/demo-company.md). The same (today, seed) always
gives byte-identical files. `silobridge demo --out DIR --today D` calls it; `silobridge load DIR`
loads the result.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from datetime import date, datetime, timedelta
from pathlib import Path

import numpy as np

from connectors.csv_schema import TABLES
from connectors.demo.catalog import PRODUCTS
from connectors.demo.orders import generate_orders
from connectors.demo.people import STAFF, generate_customers
from connectors.demo.places import AREAS, LOCATIONS, SHIPPING_RATES, VEHICLES
from connectors.demo.sales import CHANNELS, HISTORY_DAYS, generate_sales
from connectors.demo.seasons import plan_promotions
from connectors.demo.stock import apply_planted_stock, generate_stock, generate_supplier_terms

DEFAULT_SEED = 2026
CUSTOMER_COUNT = 80

# Independent random streams, so changing one part of the generator leaves the others as they were.
_STREAMS = {"customers": 1, "sales": 2, "stock": 3, "orders": 4}

Cell = str | int | float | date | datetime | None


class DemoGenerationError(ValueError):
    """The demo company cannot be written (e.g. the output path is a file)."""


def _cell(value: Cell) -> str:
    """A value as the import format spells it: dates `YYYY-MM-DD`, date-times `YYYY-MM-DDTHH:MM`."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%dT%H:%M")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return f"{value:.2f}" if value != int(value) else str(int(value))
    return str(value)


def _money(value: float) -> str:
    return f"{value:.2f}"


def _header(file: str) -> list[str]:
    """The header of a file, exactly as the importer's schema names it."""
    return next(table.column_names for table in TABLES if table.file == file)


def _write(folder: Path, file: str, rows: Iterable[Sequence[str]]) -> None:
    with (folder / file).open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(_header(file))
        writer.writerows(rows)


def _cells(*values: Cell) -> list[str]:
    return [_cell(value) for value in values]


def generate(out_dir: Path, today: date, seed: int = DEFAULT_SEED) -> Path:
    """Write the demo company for `today` as CSV files into `out_dir` (created if missing); return it.

    Deterministic: the same `today` and `seed` give byte-identical files.
    """
    out_dir = Path(out_dir)
    if isinstance(today, datetime):
        today = today.date()
    if out_dir.exists() and not out_dir.is_dir():
        raise DemoGenerationError(f"{out_dir} is a file, not a folder")
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        _write_company(out_dir, today, seed)
    except OSError as exc:
        raise DemoGenerationError(f"cannot write the demo company to {out_dir}: {exc.strerror or exc}") from exc
    return out_dir


def _write_company(out_dir: Path, today: date, seed: int) -> None:
    """Generate every table and write the twelve files."""

    def stream(name: str) -> np.random.Generator:
        return np.random.default_rng([seed, _STREAMS[name]])

    skus = {product.sku for product in PRODUCTS}
    promotions = plan_promotions(today - timedelta(days=HISTORY_DAYS), today, skus)
    history = generate_sales(PRODUCTS, promotions, today, stream("sales"))
    customers = generate_customers(stream("customers"), CUSTOMER_COUNT)
    stock = generate_stock(PRODUCTS, history.recent_daily_units, history.recent_store_units, today, stream("stock"))
    orders = generate_orders(PRODUCTS, customers, stock, today, stream("orders"))
    apply_planted_stock(stock)

    _write(out_dir, "shipping_rates.csv", (
        [rate.zone, _money(rate.base_fee), _money(rate.per_kg),
         _money(rate.free_over) if rate.free_over is not None else "", rate.consolidated_day,
         _cell(rate.consolidated_discount_pct)] for rate in SHIPPING_RATES))
    _write(out_dir, "areas.csv", (
        [a.code, a.name_en, a.name_zh, a.district, a.region, a.zone, f"{a.lat:.4f}", f"{a.lon:.4f}", a.aliases]
        for a in AREAS))
    _write(out_dir, "locations.csv", (
        _cells(loc.code, loc.name_en, loc.name_zh, loc.area, loc.kind, loc.lead_days_min, loc.lead_days_max,
               loc.cutoff) for loc in LOCATIONS))
    _write(out_dir, "products.csv", (
        [p.sku, p.name_en, p.name_zh, p.category, _money(p.unit_price), _money(p.unit_cost), f"{p.weight_kg:g}",
         f"{p.volume_l:g}", p.substitutes, p.aliases] for p in PRODUCTS))
    _write(out_dir, "stock.csv", (
        _cells(row.sku, row.location, row.on_hand, row.reserved, row.updated_at) for row in stock))
    _write(out_dir, "vehicles.csv", (
        _cells(v.vehicle_id, v.plate, v.driver, v.driver_zh, v.depot, v.capacity_kg, v.capacity_l, v.shift_start,
               v.shift_end, v.workdays) for v in VEHICLES))
    _write(out_dir, "staff.csv", (_cells(s.staff_id, s.name, s.role, s.handles, s.region) for s in STAFF))
    _write(out_dir, "customers.csv", (
        _cells(c.customer_id, c.name, c.area, c.tier, c.salesperson) for c in customers))
    _write(out_dir, "orders.csv", (
        _cells(o.order_id, o.line, o.created_at, o.customer_id, o.sku, o.qty, o.area, o.window_start, o.window_end,
               o.status, o.location, o.vehicle, o.eta, o.promised_by) for o in orders))
    _write(out_dir, "suppliers.csv", (
        [t.supplier_id, t.name, t.sku, str(t.lead_days), str(t.moq), _money(t.unit_cost), t.deliver_to]
        for t in generate_supplier_terms(PRODUCTS)))
    _write(out_dir, "promotions.csv", (
        [p.promo_id, p.name, p.sku, p.region, p.start.isoformat(), p.end.isoformat(), f"{p.discount_pct:g}"]
        for p in promotions))

    day_text = [(history.first_day + timedelta(days=i)).isoformat() for i in range(int(history.day_index.max()) + 1)]
    sku_text = [product.sku for product in PRODUCTS]
    area_text = [area.code for area in AREAS]
    _write(out_dir, "sales.csv", (
        (day_text[d], sku_text[p], area_text[a], str(q), f"{r:.2f}", CHANNELS[c])
        for d, p, a, q, r, c in zip(history.day_index.tolist(), history.product_index.tolist(),
                                    history.area_index.tolist(), history.qty.tolist(), history.revenue.tolist(),
                                    history.channel_index.tolist(), strict=True)))
