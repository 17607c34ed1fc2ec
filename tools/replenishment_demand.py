"""Whose demand a regional forecast is: the share of it each stock location must cover in replenishment.

A store covers its own sales: store-channel sales (`channel` = `store` in sales.csv) in the store's area, as
a share of its region's sales over the last `forecast.recent_share_days` days. The rest of the region (online,
phone, b2b and store sales where there is no store) is covered by the region's other local locations
(warehouses, hubs), split evenly, or by the nearest one when the region has none. Only when a company has no
local location but stores do the stores split the rest too.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta

from sqlalchemy import func, select

from core.models import Sale
from tools.catalog import LocationInfo, Reference
from tools.registry import ToolContext
from tools.travel import haversine_km

STORE_KIND = "store"
STORE_CHANNEL = "store"

# sku -> region -> [(location code, share of the region's forecast)]
DemandShares = dict[str, dict[str, list[tuple[str, float]]]]


def demand_shares(ctx: ToolContext, reference: Reference, skus: list[str], today: date, days: int) -> DemandShares:
    """For each product and region, the locations that cover its forecast and their shares (summing to 1)."""
    local = [loc for loc in reference.locations.values() if loc.is_local and loc.area in reference.areas]
    stores = [loc for loc in local if loc.kind == STORE_KIND]
    others = [loc for loc in local if loc.kind != STORE_KIND] or stores
    region_of = {code: area.region for code, area in reference.areas.items()}
    regions = sorted(set(region_of.values()))
    rest_by_region = {region: _rest_locations(reference, others, region) for region in regions}
    totals, own = _recent_sales(ctx, skus, today, days, region_of, stores)
    shares: DemandShares = {}
    for sku in skus:
        by_region: dict[str, list[tuple[str, float]]] = {}
        for region in regions:
            region_total = totals.get((sku, region), 0.0)
            store_shares = [(store.code, own.get((sku, store.code), 0.0) / region_total) for store in stores
                            if region_total > 0 and region_of.get(store.area or "") == region]
            store_shares = [(code, share) for code, share in store_shares if share > 0]
            rest = max(1.0 - sum(share for _code, share in store_shares), 0.0)
            takers = rest_by_region[region]
            entries = dict(store_shares)
            for code in takers:
                entries[code] = entries.get(code, 0.0) + rest / len(takers)
            by_region[region] = sorted(entries.items())
        shares[sku] = by_region
    return shares


def _rest_locations(reference: Reference, candidates: list[LocationInfo], region: str) -> list[str]:
    """The locations that cover a region's demand beyond its stores' own: those inside it, else the nearest."""
    inside = sorted(loc.code for loc in candidates if reference.areas[loc.area or ""].region == region)
    if inside or not candidates:
        return inside
    areas = [a for a in reference.areas.values() if a.region == region]
    lat = sum(a.lat for a in areas) / len(areas)
    lon = sum(a.lon for a in areas) / len(areas)

    def distance(loc: LocationInfo) -> float:
        here = reference.areas[loc.area or ""]
        return haversine_km(lat, lon, here.lat, here.lon)

    return [min(candidates, key=distance).code]


def _recent_sales(ctx: ToolContext, skus: list[str], today: date, days: int, region_of: dict[str, str],
                  stores: list[LocationInfo]) -> tuple[dict[tuple[str, str], float], dict[tuple[str, str], float]]:
    """Units sold over the last `days` days: per (sku, region), and per (sku, store) through the store itself."""
    start = today - timedelta(days=days)
    query = (select(Sale.sku, Sale.area, Sale.channel, func.sum(Sale.qty))
             .where(Sale.sku.in_(skus), Sale.date >= start, Sale.date < today)
             .group_by(Sale.sku, Sale.area, Sale.channel))
    store_at = {store.area: store.code for store in stores}
    totals: dict[tuple[str, str], float] = defaultdict(float)
    own: dict[tuple[str, str], float] = defaultdict(float)
    with ctx.db.sessions() as session:
        for sku, area, channel, qty in session.execute(query):
            region = region_of.get(area)
            if region is None:
                continue
            totals[(sku, region)] += float(qty or 0)
            if channel == STORE_CHANNEL and area in store_at:
                own[(sku, store_at[area])] += float(qty or 0)
    return totals, own
