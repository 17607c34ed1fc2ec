"""Current stock per product and location, and the suppliers' terms per product.

Stock covers recent demand: weeks at the Yuen Long warehouse and in Shenzhen, days at the
Cheung Sha Wan hub and the store. A few rows are fully reserved or empty; the planted
situations of `plants.py` override their rows exactly.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time

import numpy as np

from connectors.demo.catalog import SUPPLIERS, DemoProduct
from connectors.demo.places import LOCATIONS
from connectors.demo.plants import PLANTED_STOCK


@dataclass
class DemoStock:
    """One row of stock.csv (mutable while orders reserve units)."""

    sku: str
    location: str
    on_hand: int
    reserved: int
    updated_at: datetime

    @property
    def available(self) -> int:
        """Units not yet promised to an order."""
        return max(self.on_hand - self.reserved, 0)


@dataclass(frozen=True)
class DemoSupplierTerms:
    """One row of suppliers.csv."""

    supplier_id: str
    name: str
    sku: str
    lead_days: int
    moq: int
    unit_cost: float
    deliver_to: str


# Days of demand each location holds (low, high), and the chance a row is empty.
_COVER_DAYS = {"YL": (30.0, 60.0), "CSW": (10.0, 25.0), "MK": (5.0, 12.0), "SZ": (20.0, 60.0)}
_EMPTY_CHANCE = {"YL": 0.04, "CSW": 0.08, "MK": 0.06, "SZ": 0.10}


def generate_stock(products: tuple[DemoProduct, ...], recent_daily_units: dict[str, float],
                   recent_store_units: dict[str, float], today: date, rng: np.random.Generator) -> list[DemoStock]:
    """One stock row per product and location, read this morning; planted rows are set later."""
    rows: list[DemoStock] = []
    for product in products:
        demand = max(recent_daily_units.get(product.sku, 0.0), 0.5 * product.daily_units, 0.3)
        for location in LOCATIONS:
            synced = datetime.combine(today, time.fromisoformat(location.stock_synced_at))
            low, high = _COVER_DAYS[location.code]
            daily = max(recent_store_units.get(product.sku, 0.0), 0.3) if location.kind == "store" else demand
            on_hand = int(round(daily * rng.uniform(low, high)))
            if location.kind == "store":
                on_hand = max(on_hand, 2)
            if rng.random() < _EMPTY_CHANCE[location.code]:
                on_hand = 0
            reserved = 0
            draw = rng.random()
            if on_hand and draw < 0.04:
                reserved = on_hand  # everything there is already promised
            elif on_hand and draw < 0.35:
                reserved = int(rng.integers(0, max(on_hand // 10, 1) + 1))
            rows.append(DemoStock(product.sku, location.code, on_hand, reserved, synced))
    return rows


def apply_planted_stock(rows: list[DemoStock]) -> None:
    """Set the planted rows to their documented figures."""
    for row in rows:
        planted = PLANTED_STOCK.get((row.sku, row.location))
        if planted is not None:
            row.on_hand, row.reserved = planted


def _moq(unit_price: float, deliver_to: str) -> int:
    moq = 500 if unit_price < 50 else 200 if unit_price < 100 else 100 if unit_price < 200 else 50
    return moq * 2 if deliver_to == "SZ" else moq


def generate_supplier_terms(products: tuple[DemoProduct, ...]) -> list[DemoSupplierTerms]:
    """Each product from every supplier of its category (one or two), at cost x the supplier's factor."""
    terms: list[DemoSupplierTerms] = []
    for product in products:
        for supplier in SUPPLIERS:
            if product.category not in supplier.categories:
                continue
            terms.append(DemoSupplierTerms(
                supplier.supplier_id, supplier.name, product.sku, supplier.lead_days,
                _moq(product.unit_price, supplier.deliver_to),
                round(product.unit_cost * supplier.cost_factor, 2), supplier.deliver_to))
    return terms
