"""Reading stored forecasts and the actual sales they are compared with (fitting is in `batch.py` and,
on demand, `refresh.py`)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import func, select

from core.db import Database
from core.models import Area, ForecastPoint, ForecastSeries, Sale

# z of the central 80% interval: the stored bounds are mean ± Z80·sd for a normal forecast error.
Z80 = 1.2816


@dataclass
class StoredSeries:
    """One stored series with its daily points (date -> (mean, lower, upper))."""

    sku: str
    region: str
    model: str
    reason: str
    fitted_at: datetime
    history_days: int
    first_day: date | None
    effects: dict[str, dict[str, float]]
    points: dict[date, tuple[float, float, float]]


def load_series(db: Database, skus: list[str], regions: list[str] | None, start: date | None = None,
                end: date | None = None) -> list[StoredSeries]:
    """Stored series of these SKUs (and regions), with their points between start and end."""
    with db.sessions() as session:
        query = select(ForecastSeries.sku, ForecastSeries.region, ForecastSeries.model, ForecastSeries.fitted_at,
                       ForecastSeries.history_days, ForecastSeries.details).where(ForecastSeries.sku.in_(skus))
        if regions:
            query = query.where(ForecastSeries.region.in_(regions))
        series: dict[tuple[str, str], StoredSeries] = {}
        for sku, region, model, fitted_at, history_days, details in session.execute(query):
            details = details or {}
            first_day = date.fromisoformat(details["first_day"]) if details.get("first_day") else None
            series[(sku, region)] = StoredSeries(sku, region, model, details.get("reason", ""), fitted_at,
                                                 history_days, first_day, details.get("effects", {}), {})
        if not series:
            return []
        points = select(ForecastPoint.sku, ForecastPoint.region, ForecastPoint.date, ForecastPoint.mean,
                        ForecastPoint.lower, ForecastPoint.upper).where(ForecastPoint.sku.in_(skus))
        if regions:
            points = points.where(ForecastPoint.region.in_(regions))
        if start is not None:
            points = points.where(ForecastPoint.date >= start)
        if end is not None:
            points = points.where(ForecastPoint.date <= end)
        for sku, region, day, mean, lower, upper in session.execute(points):
            stored = series.get((sku, region))
            if stored is not None:
                stored.points[day] = (mean, lower, upper)
    return list(series.values())


def actual_units(db: Database, skus: list[str], start: date, end: date, *, regions: list[str] | None = None,
                 areas: list[str] | None = None) -> dict[date, float]:
    """Units sold per day of these SKUs in the regions or areas (all when both are None)."""
    query = (select(Sale.date, func.sum(Sale.qty)).where(Sale.sku.in_(skus), Sale.date >= start,
                                                          Sale.date <= end).group_by(Sale.date))
    if areas:
        query = query.where(Sale.area.in_(areas))
    elif regions:
        query = query.join(Area, Area.code == Sale.area).where(Area.region.in_(regions))
    with db.sessions() as session:
        return {day: float(qty or 0) for day, qty in session.execute(query)}


def area_share(db: Database, skus: list[str], area: str, region: str, last_day: date, days: int) -> float:
    """The area's share of its region's units over the last `days` days (these SKUs, else all products)."""
    start = last_day - timedelta(days=days - 1)
    for sku_filter in (skus, None):
        query = (select(Sale.area, func.sum(Sale.qty)).join(Area, Area.code == Sale.area)
                 .where(Area.region == region, Sale.date >= start, Sale.date <= last_day).group_by(Sale.area))
        if sku_filter:
            query = query.where(Sale.sku.in_(sku_filter))
        with db.sessions() as session:
            by_area: dict[str, float] = defaultdict(float)
            for code, qty in session.execute(query):
                by_area[code] += float(qty or 0)
        total = sum(by_area.values())
        if total > 0:
            return by_area.get(area, 0.0) / total
    return 0.0

