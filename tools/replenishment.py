"""`replenishment_plan`: transfers between locations first, then purchase orders, to cover forecast demand.

For each product and stock location:
- demand: the stored regional forecasts shared out by `tools.replenishment_demand`: a store covers its own
  sales (store-channel sales in its area, as a share of the region's recent sales), the region's other local
  locations the rest (split evenly), or the nearest one when the region has none;
- cover window: the supplier lead time L (calendar days) plus the review period (or the asked horizon);
- safety stock: z(service level) x sigma x sqrt(L), sigma the daily forecast error implied by the 80%
  interval;
- target = forecast demand over the window + safety stock, capped at `forecast.replenishment_max_cover_days`
  days of the location's own mean daily demand (no store is sent months of stock); need = target - available
  (on hand - reserved).
Locations above their target have surplus; needs are met from surplus first (local locations, nearest
first, then cross-border ones), and what is left becomes a purchase order of at least the MOQ from the
supplier with the shortest lead time. Dates follow the Hong Kong working-day calendar.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from statistics import NormalDist

from pydantic import BaseModel, Field
from sqlalchemy import select

from core.models import Stock, Supplier
from tools.calendar import WorkingCalendar, calendar_for
from tools.catalog import (
    LocationInfo,
    LocationRef,
    ProductRef,
    Reference,
    location_ref,
    normalise,
    product_ref,
    reference_for,
    resolve_product,
)
from tools.forecasting.refresh import ensure_fresh
from tools.forecasting.regions import resolve_region
from tools.forecasting.store import Z80, StoredSeries, load_series
from tools.registry import STAFF_ROLES, ToolContext, ToolInputError, ToolResult, tool
from tools.replenishment_demand import demand_shares
from tools.travel import haversine_km

# Cover used when a product has no supplier on file (transfers only).
_NO_SUPPLIER_LEAD_DAYS = 7


class ReplenishmentInput(BaseModel):
    """Which products, where, and over how many days."""

    products: list[str] | None = Field(None, description="SKUs, names or aliases; all forecast products when empty")
    category: str | None = Field(None, description="all products of a category")
    region: str | None = Field(None, description="only locations serving this region (HKI, KLN, NT, ISL)")
    location: str | None = Field(None, description="only this stock location (code or name)")
    horizon_days: int | None = Field(None, ge=1, le=60, description="review period in days; default from config")


class LocationNeed(BaseModel):
    """One product at one location: what it has, what it needs to cover, and the gap or surplus."""

    sku: str
    location: LocationRef
    available: int
    forecast_demand: float
    safety_stock: int
    target: int
    need: int
    surplus: int
    needed_by: date | None
    cover_days: int
    # The location's own mean daily forecast demand, and the most its target may be (the cover-days cap).
    daily_demand: float = 0.0
    max_target: int = 0


class Transfer(BaseModel):
    """Move stock from a location with surplus to one that needs it, arriving by a date."""

    sku: str
    product: ProductRef
    from_location: LocationRef
    to_location: LocationRef
    qty: int
    dispatch_day: date
    earliest_arrival: date
    by_when: date
    late: bool
    # True for a transfer onward from where a purchase order arrives (it can leave only after the order).
    after_purchase_order: bool = False


class PurchaseOrder(BaseModel):
    """A purchase order: supplier, quantity (never below MOQ), order-by date; cost only for cost roles."""

    sku: str
    product: ProductRef
    supplier_id: str
    supplier_name: str
    qty: int
    need: int
    moq: int
    lead_days: int
    order_by: date
    arrival: date
    deliver_to: LocationRef
    late: bool
    unit_cost: float | None = None
    total_cost: float | None = None


class ReplenishmentResult(ToolResult):
    """Transfers first, then purchase orders, with each location's need behind them."""

    planned_on: date
    products: list[ProductRef]
    needs: list[LocationNeed]
    transfers: list[Transfer]
    purchase_orders: list[PurchaseOrder]
    service_level: float
    review_period_days: int
    unplanned: list[str] = Field(default_factory=list, description="SKUs with no forecast (no sales history): "
                                                                   "not planned")
    transfer_only: list[str] = Field(default_factory=list, description="SKUs with no supplier on file: only "
                                                                       "transfers are planned")
    cost_visible: bool = False


@dataclass
class _Position:
    """Working state of one product at one location while the plan is built."""

    location: LocationInfo
    available: int
    daily_demand: list[float] = field(default_factory=list)
    daily_sd: list[float] = field(default_factory=list)
    safety_stock: int = 0
    target: int = 0
    max_target: int = 0
    needed_by: date | None = None
    incoming: int = 0
    outgoing: int = 0


@tool("replenishment_plan", input_model=ReplenishmentInput, roles=STAFF_ROLES)
def replenishment_plan(ctx: ToolContext, args: ReplenishmentInput) -> ReplenishmentResult:
    """Plan replenishment for products at stock locations: which transfers to make between locations
    (from, to, quantity, by when) and which purchase orders to place (supplier, quantity respecting the
    minimum order quantity, order-by date) so that forecast demand over the supplier lead time plus the
    review period, plus safety stock, is covered. Filter by product, category, region or location."""
    reference = reference_for(ctx)
    cfg = ctx.settings.forecast
    review_days = args.horizon_days or cfg.review_period_days
    z = NormalDist().inv_cdf(cfg.service_level)
    skus = _products(ctx, reference, args)
    destination_filter = _destinations(reference, args)
    ensure_fresh(ctx.settings, ctx.db, skus, None, now=ctx.now)  # a missing or stale series is fitted now
    series = load_series(ctx.db, skus, None)
    by_sku: dict[str, list[StoredSeries]] = defaultdict(list)
    for stored in series:
        by_sku[stored.sku].append(stored)
    stock = _stock(ctx, skus)
    suppliers = _suppliers(ctx, skus)
    calendar = calendar_for(ctx.settings)
    today = ctx.today
    shares = demand_shares(ctx, reference, skus, today, cfg.recent_share_days)
    needs: list[LocationNeed] = []
    transfers: list[Transfer] = []
    orders: list[PurchaseOrder] = []
    unplanned: list[str] = []
    transfer_only: list[str] = []
    for sku in skus:
        if sku not in by_sku:
            unplanned.append(sku)
            continue
        offers = sorted(suppliers.get(sku, []), key=lambda s: (s.lead_days, s.unit_cost))
        lead_days = offers[0].lead_days if offers else _NO_SUPPLIER_LEAD_DAYS
        if not offers:
            transfer_only.append(sku)
        cover_days = lead_days + review_days
        window = [today + timedelta(days=i) for i in range(cover_days)]
        positions = {code: _Position(loc, stock.get((sku, code), 0), [0.0] * cover_days, [0.0] * cover_days)
                     for code, loc in reference.locations.items()}
        for stored in by_sku[sku]:
            last_points = [stored.points[d] for d in sorted(stored.points)][-7:]
            for index, day in enumerate(window):
                # Beyond the stored horizon, the last forecast week repeats.
                mean, lower, upper = stored.points.get(day) or last_points[index % len(last_points)]
                for code, share in shares[sku].get(stored.region, []):
                    positions[code].daily_demand[index] += mean * share
                    positions[code].daily_sd[index] += (share * (upper - lower) / (2 * Z80)) ** 2
        for position in positions.values():
            sigma = math.sqrt(sum(position.daily_sd) / cover_days)
            position.safety_stock = math.ceil(z * sigma * math.sqrt(lead_days)) if sum(position.daily_demand) else 0
            position.max_target = math.ceil(cfg.replenishment_max_cover_days * sum(position.daily_demand)
                                            / cover_days)
            position.target = min(math.ceil(sum(position.daily_demand) + position.safety_stock), position.max_target)
            position.needed_by = _needed_by(position, window)
        wanted = [p for p in positions.values() if p.target > p.available
                  and (destination_filter is None or p.location.code in destination_filter)]
        wanted.sort(key=lambda p: (p.needed_by or window[-1], p.location.code))
        product = product_ref(reference.products[sku], ctx)
        for destination in wanted:
            transfers.extend(_transfers_into(destination, positions, sku, product, calendar, ctx))
        remaining = {p.location.code: p.target - p.available - p.incoming for p in wanted
                     if p.target - p.available - p.incoming > 0}
        if remaining and offers:
            order = _purchase_order(sku, product, offers[0], remaining, positions, reference, today, ctx)
            orders.append(order)
            transfers.extend(_onward_transfers(order, remaining, positions, calendar))
        for position in positions.values():
            if position.target or position.available:
                if destination_filter is None or position.location.code in destination_filter:
                    needs.append(_need(sku, position, cover_days))
    last = ctx.db.last_import()
    return ReplenishmentResult(
        data_as_of=last.loaded_at if last else None, planned_on=today,
        products=[product_ref(reference.products[s], ctx) for s in skus],
        needs=needs, transfers=transfers, purchase_orders=orders, service_level=cfg.service_level,
        review_period_days=review_days, unplanned=unplanned, transfer_only=transfer_only,
        cost_visible=ctx.can_see_cost)


def _products(ctx: ToolContext, reference: Reference, args: ReplenishmentInput) -> list[str]:
    cutoff = ctx.settings.understanding.fuzzy_product_cutoff
    if args.products:
        return sorted({resolve_product(reference, text, cutoff).sku for text in args.products})
    if args.category:
        wanted = normalise(args.category)
        skus = sorted(p.sku for p in reference.products.values() if normalise(p.category) == wanted)
        if not skus:
            categories = sorted({p.category for p in reference.products.values()})
            raise ToolInputError(f"No category '{args.category}'. Categories: {', '.join(categories)}.",
                                 f"冇「{args.category}」呢個類別。類別有:{'、'.join(categories)}。",
                                 code="unknown_category", suggestions=categories, field_name="category")
        return skus
    return sorted(reference.products)


def _destinations(reference: Reference, args: ReplenishmentInput) -> set[str] | None:
    """The locations whose needs are planned (None: all)."""
    if args.location:
        key = normalise(args.location)
        for location in reference.locations.values():
            if key in {normalise(location.code), normalise(location.name_en), normalise(location.name_zh)}:
                return {location.code}
        names = [f"{loc.name_en} ({loc.code})" for loc in reference.locations.values()]
        names_zh = "、".join(loc.name_zh for loc in reference.locations.values())
        raise ToolInputError(f"No stock location '{args.location}'. Locations: {', '.join(names)}.",
                             f"冇「{args.location}」呢個倉。倉有:{names_zh}。",
                             code="unknown_location", suggestions=list(reference.locations), field_name="location")
    if args.region:
        region = resolve_region(args.region)
        return {code for code, _share in _serving_locations(reference).get(region, [])}
    return None


def _serving_locations(reference: Reference) -> dict[str, list[tuple[str, float]]]:
    """Region -> the local locations that serve it with their share: those inside it, else the nearest."""
    local = [loc for loc in reference.locations.values() if loc.is_local and loc.area in reference.areas]
    area_of = {loc.code: reference.areas[loc.area] for loc in local if loc.area is not None}
    regions = sorted({area.region for area in reference.areas.values()})
    serving: dict[str, list[tuple[str, float]]] = {}
    for region in regions:
        inside = [loc.code for loc in local if area_of[loc.code].region == region]
        if not inside and local:
            areas = [a for a in reference.areas.values() if a.region == region]
            lat = sum(a.lat for a in areas) / len(areas)
            lon = sum(a.lon for a in areas) / len(areas)
            nearest = min(local, key=lambda loc: haversine_km(lat, lon, area_of[loc.code].lat, area_of[loc.code].lon))
            inside = [nearest.code]
        serving[region] = [(code, 1 / len(inside)) for code in sorted(inside)]
    return serving


def _stock(ctx: ToolContext, skus: list[str]) -> dict[tuple[str, str], int]:
    with ctx.db.sessions() as session:
        rows = session.execute(select(Stock.sku, Stock.location, Stock.on_hand, Stock.reserved)
                               .where(Stock.sku.in_(skus))).all()
    return {(sku, code): max(int(on_hand) - int(reserved), 0) for sku, code, on_hand, reserved in rows}


def _suppliers(ctx: ToolContext, skus: list[str]) -> dict[str, list[Supplier]]:
    with ctx.db.sessions() as session:
        rows = session.scalars(select(Supplier).where(Supplier.sku.in_(skus))).all()
    offers: dict[str, list[Supplier]] = defaultdict(list)
    for row in rows:
        offers[row.sku].append(row)
    return offers


def _needed_by(position: _Position, window: list[date]) -> date | None:
    """The first day the stock left after forecast demand falls below the safety stock."""
    left = float(position.available)
    if left < position.safety_stock and any(position.daily_demand):
        return window[0]
    for day, demand in zip(window, position.daily_demand, strict=True):
        left -= demand
        if left < position.safety_stock:
            return day
    return None


def _transfers_into(destination: _Position, positions: dict[str, _Position], sku: str, product: ProductRef,
                    calendar: WorkingCalendar, ctx: ToolContext) -> list[Transfer]:
    """Cover a location's need from other locations' surplus: local ones nearest first, then cross-border."""
    reference = reference_for(ctx)
    here = reference.areas.get(destination.location.area or "")

    def distance(position: _Position) -> float:
        there = reference.areas.get(position.location.area or "")
        if here is None or there is None:
            return 1e6
        return haversine_km(here.lat, here.lon, there.lat, there.lon)

    sources = [p for p in positions.values() if p is not destination and _surplus(p) > 0]
    sources.sort(key=lambda p: (p.location.lead_days_max, distance(p), p.location.code))
    transfers: list[Transfer] = []
    for source in sources:
        gap = destination.target - destination.available - destination.incoming
        if gap <= 0:
            break
        qty = min(gap, _surplus(source))
        dispatch = calendar.dispatch_day(ctx.now, source.location.cutoff).dispatch_day
        arrival = calendar.add_working_days(dispatch, source.location.lead_days_max)
        needed_by = destination.needed_by or arrival
        source.outgoing += qty
        destination.incoming += qty
        transfers.append(Transfer(sku=sku, product=product, from_location=location_ref(source.location),
                                  to_location=location_ref(destination.location), qty=qty, dispatch_day=dispatch,
                                  earliest_arrival=arrival, by_when=max(needed_by, arrival),
                                  late=arrival > needed_by))
    return transfers


def _onward_transfers(order: PurchaseOrder, remaining: dict[str, int], positions: dict[str, _Position],
                      calendar: WorkingCalendar) -> list[Transfer]:
    """Once the order arrives at its delivery location, move the other locations' share on to them."""
    hub = order.deliver_to.code
    transfers: list[Transfer] = []
    for code, qty in sorted(remaining.items()):
        if code == hub:
            continue
        destination = positions[code]
        dispatch = calendar.working_day_on_or_after(order.arrival)
        arrival = calendar.add_working_days(dispatch, positions[hub].location.lead_days_max)
        needed_by = destination.needed_by or arrival
        transfers.append(Transfer(sku=order.sku, product=order.product, from_location=order.deliver_to,
                                  to_location=location_ref(destination.location), qty=qty, dispatch_day=dispatch,
                                  earliest_arrival=arrival, by_when=max(needed_by, arrival),
                                  late=arrival > needed_by, after_purchase_order=True))
    return transfers


def _surplus(position: _Position) -> int:
    return max(position.available - position.outgoing - position.target, 0)


def _purchase_order(sku: str, product: ProductRef, supplier: Supplier, remaining: dict[str, int],
                    positions: dict[str, _Position], reference: Reference, today: date,
                    ctx: ToolContext) -> PurchaseOrder:
    """One order for the whole remaining need, at least the MOQ, placed so it arrives when first needed."""
    need = sum(remaining.values())
    qty = max(need, int(supplier.moq))
    first_needed = min((positions[code].needed_by or today + timedelta(days=supplier.lead_days))
                       for code in remaining)
    order_by = first_needed - timedelta(days=int(supplier.lead_days))
    late = order_by < today
    order_by = max(order_by, today)
    unit_cost = float(supplier.unit_cost) if ctx.can_see_cost else None
    return PurchaseOrder(sku=sku, product=product, supplier_id=supplier.supplier_id, supplier_name=supplier.name,
                         qty=qty, need=need, moq=int(supplier.moq), lead_days=int(supplier.lead_days),
                         order_by=order_by, arrival=order_by + timedelta(days=int(supplier.lead_days)),
                         deliver_to=location_ref(reference.locations[supplier.deliver_to]), late=late,
                         unit_cost=unit_cost, total_cost=round(unit_cost * qty, 2) if unit_cost is not None else None)


def _need(sku: str, position: _Position, cover_days: int) -> LocationNeed:
    return LocationNeed(sku=sku, location=location_ref(position.location), available=position.available,
                        forecast_demand=round(sum(position.daily_demand), 1), safety_stock=position.safety_stock,
                        target=position.target, need=max(position.target - position.available, 0),
                        surplus=max(position.available - position.target, 0), needed_by=position.needed_by,
                        cover_days=cover_days, daily_demand=round(sum(position.daily_demand) / cover_days, 2),
                        max_target=position.max_target)
