"""Daily demand series per product x region, built from `sales` and zero-filled.

A series is plain data (no database handle) so it can be sent to a worker process. Its
`data_hash` covers everything a fit depends on, so the batch refits only series that changed.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import func, select

from core.db import Database
from core.models import Area, Promotion, Sale
from tools.forecasting.events import HolidayEvent, PromotionWindow


@dataclass(frozen=True)
class FitOptions:
    """Settings every fit of one batch shares (picklable)."""

    horizon_days: int = 35
    interval_width: float = 0.8
    min_history_days: int = 90
    uncertainty_samples: int = 200
    intermittent_zero_share: float = 0.6
    holidays: tuple[HolidayEvent, ...] = ()

    def fingerprint(self) -> str:
        """What of the options changes a fit's output (part of each series' data hash)."""
        return json.dumps([self.horizon_days, self.interval_width, self.min_history_days,
                           self.uncertainty_samples, self.intermittent_zero_share,
                           [(h.name, h.day.isoformat(), h.lower_window, h.upper_window) for h in self.holidays]])


@dataclass(frozen=True)
class DemandSeries:
    """Daily units sold of one SKU in one region from `start` to `last_day`, plus promotion flags.

    `promo` covers the history and the forecast horizon (1.0 on a promotion day, else 0.0).
    """

    sku: str
    region: str
    start: date
    units: tuple[float, ...]
    promo: tuple[float, ...]
    promo_ids: tuple[str, ...] = field(default=())

    @property
    def history_days(self) -> int:
        """Days of history (including zero days since the product's first sale)."""
        return len(self.units)

    @property
    def last_day(self) -> date:
        """The last day with sales data."""
        return self.start + timedelta(days=len(self.units) - 1)

    def days(self) -> list[date]:
        """The history's days."""
        return [self.start + timedelta(days=i) for i in range(len(self.units))]

    def truncated(self, last_day: date, horizon_days: int) -> DemandSeries:
        """The same series cut at `last_day`, with promotion flags for `horizon_days` after it (backtests)."""
        keep = (last_day - self.start).days + 1
        return DemandSeries(self.sku, self.region, self.start, self.units[:keep],
                            self.promo[:keep + horizon_days], self.promo_ids)

    def data_hash(self, options: FitOptions) -> str:
        """A digest of the data and options a fit depends on."""
        digest = hashlib.sha256()
        digest.update(f"{self.sku}|{self.region}|{self.start.isoformat()}|".encode())
        digest.update(",".join(f"{v:g}" for v in self.units).encode())
        digest.update(b"|")
        digest.update(",".join(f"{v:g}" for v in self.promo).encode())
        digest.update(options.fingerprint().encode())
        return digest.hexdigest()


def load_promotions(db: Database) -> list[PromotionWindow]:
    """Every promotion on file."""
    with db.session() as session:
        rows = session.scalars(select(Promotion)).all()
        return [PromotionWindow(p.promo_id, p.name, p.sku, p.region, p.start, p.end, p.discount_pct or 0.0)
                for p in rows]


def sales_span(db: Database) -> tuple[date | None, date | None]:
    """The first and last day of the sales on file (None, None when there are none)."""
    with db.session() as session:
        first, last = session.execute(select(func.min(Sale.date), func.max(Sale.date))).one()
    return first, last


def build_series(db: Database, horizon_days: int, skus: list[str] | None = None) -> list[DemandSeries]:
    """One zero-filled daily series per SKU x region that has sales, ending on the last sales day.

    A series starts on the SKU's first sale anywhere, so a product launched 20 days ago has 20 days.
    """
    query = (select(Sale.sku, Area.region, Sale.date, func.sum(Sale.qty))
             .join(Area, Area.code == Sale.area)
             .group_by(Sale.sku, Area.region, Sale.date))
    if skus:
        query = query.where(Sale.sku.in_(skus))
    units: dict[tuple[str, str], dict[date, float]] = defaultdict(dict)
    first_sale: dict[str, date] = {}
    with db.session() as session:
        for sku, region, day, qty in session.execute(query):
            units[(sku, region)][day] = float(qty or 0)
            first_sale[sku] = min(day, first_sale.get(sku, day))
    # Every series ends on the last sales day of the whole company, also when only some SKUs are built
    # (an on-demand fit must give the same series, and the same data hash, as the batch).
    last_day = sales_span(db)[1] if units else None
    if last_day is None:
        return []
    promotions = load_promotions(db)
    series: list[DemandSeries] = []
    for (sku, region), by_day in sorted(units.items()):
        start = first_sale[sku]
        length = (last_day - start).days + 1
        history = tuple(by_day.get(start + timedelta(days=i), 0.0) for i in range(length))
        relevant = [p for p in promotions if p.sku == sku and p.region in (region, "ALL")]
        flags = tuple(
            1.0 if any(p.start <= start + timedelta(days=i) <= p.end for p in relevant) else 0.0
            for i in range(length + horizon_days)
        )
        series.append(DemandSeries(sku, region, start, history, flags, tuple(p.promo_id for p in relevant)))
    return series
