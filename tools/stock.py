"""`stock_lookup`: available units of a product per location, with lead times and substitutes when short."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, Field

from tools.catalog import LocationRef, ProductRef, location_ref, one_connection, product_ref, resolve_product
from tools.registry import STAFF_ROLES, ToolContext, ToolInputError, ToolResult, tool
from tools.sourcing import Sourcer, StockRow, oldest_update, sourcer_for


class StockLookupInput(BaseModel):
    """What to look up: a product and, optionally, how many units the customer wants."""

    product: str = Field(description="The product: SKU (WB-BL-500), English or Chinese name, or an alias (藍色水樽).")
    qty: int | None = Field(default=None, gt=0, description="Units the customer wants, if known (more than 0).")
    location: str | None = Field(default=None, description="Only this stock location (code or name), when the "
                                                           "question names one ('and in the Shenzhen warehouse?').")


class LocationStock(BaseModel):
    """Stock of the product at one location, and how soon goods from there can go out (the location carries its
    cutoff and lead days; the dispatch day is today's when ordered before the cutoff on a working day)."""

    location: LocationRef
    available: int
    on_hand: int
    reserved: int
    updated_at: datetime
    dispatch_day: date
    eta_earliest: date
    eta_latest: date


class SubstituteStock(BaseModel):
    """An in-stock substitute product with where it is available."""

    product: ProductRef
    local_available: int
    total_available: int
    locations: list[LocationStock]


class StockLookupResult(ToolResult):
    """Available units per location (on hand less reserved) and in-stock substitutes when short."""

    asked_at: datetime
    product: ProductRef
    qty_asked: int | None = None
    locations: list[LocationStock]
    total_available: int
    local_available: int
    # True when no single Hong Kong location has the units asked for (one unit when no quantity was given).
    short: bool
    substitutes: list[SubstituteStock] = Field(default_factory=list)
    location_asked: LocationRef | None = Field(None, description="the one location asked about; `locations` then "
                                                                 "holds only its row (none when it has no stock)")


def _location_stock(sourcer: Sourcer, row: StockRow, now: datetime) -> LocationStock:
    shipment = sourcer.ship_from(row.location, max(row.available, 1), None, now)
    return LocationStock(location=shipment.location, available=row.available, on_hand=row.on_hand,
                         reserved=row.reserved, updated_at=row.updated_at, dispatch_day=shipment.dispatch_day,
                         eta_earliest=shipment.eta_earliest, eta_latest=shipment.eta_latest)


def _ordered(rows: list[StockRow]) -> list[StockRow]:
    """Local locations first, then by available units (most first)."""
    return sorted(rows, key=lambda r: (not r.location.is_local, r.location.lead_days_max, -r.available,
                                       r.location.code))


@tool("stock_lookup", input_model=StockLookupInput, roles=STAFF_ROLES)
@one_connection
def stock_lookup(ctx: ToolContext, args: StockLookupInput) -> StockLookupResult:
    """How many units of a product are available at each location (on hand minus reserved), how soon each
    location can deliver (same day before its cutoff, or working days for Shenzhen), when the figures were
    last updated, and in-stock substitutes when no Hong Kong location has enough."""
    sourcer = sourcer_for(ctx)
    product = resolve_product(sourcer.reference, args.product, ctx.settings.understanding.fuzzy_product_cutoff)
    needed = args.qty or 1
    substitutes = [sku for sku in product.substitutes if sku in sourcer.reference.products and sku != product.sku]
    all_rows = sourcer.stock_rows([product.sku, *substitutes])
    rows = _ordered(all_rows[product.sku])
    asked = _asked_location(sourcer, args.location)
    locations = [_location_stock(sourcer, row, ctx.now) for row in rows
                 if asked is None or row.location.code == asked.code]
    local_available = sum(row.available for row in rows if row.location.is_local)
    short = not any(row.available >= needed for row in rows if row.location.is_local)
    # The figures in the answer: the asked location's row when one is asked (its own update time), else all.
    used_rows = [row for row in rows if asked is None or row.location.code == asked.code] or list(rows)
    offered: list[SubstituteStock] = []
    if short:
        for sku in substitutes:
            sub_rows = _ordered(all_rows.get(sku, []))
            total = sum(row.available for row in sub_rows)
            if total < needed:
                continue
            used_rows.extend(sub_rows)
            offered.append(SubstituteStock(
                product=product_ref(sourcer.reference.products[sku], ctx),
                local_available=sum(row.available for row in sub_rows if row.location.is_local),
                total_available=total,
                locations=[_location_stock(sourcer, row, ctx.now) for row in sub_rows if row.available > 0],
            ))
        # Substitutes that can go out from Hong Kong today come first.
        offered.sort(key=lambda s: (s.local_available < needed, -s.local_available))
    return StockLookupResult(
        data_as_of=oldest_update(used_rows),
        asked_at=ctx.now,
        product=product_ref(product, ctx),
        qty_asked=args.qty,
        locations=locations,
        total_available=sum(row.available for row in rows),
        local_available=local_available,
        short=short,
        substitutes=offered,
        location_asked=asked,
    )


def _asked_location(sourcer: Sourcer, location: str | None) -> LocationRef | None:
    """The location a question narrows the answer to, by code or name; an unknown one is an input error."""
    if not location:
        return None
    wanted = location.strip().casefold()
    for info in sourcer.reference.locations.values():
        if wanted in (info.code.casefold(), info.name_en.casefold(), info.name_zh.casefold()):
            return location_ref(info)
    names = sorted(info.name_en for info in sourcer.reference.locations.values())
    raise ToolInputError(f"There is no stock location called '{location}'.", f"冇叫「{location}」嘅貨倉。",
                         code="unknown_location", suggestions=names[:3], field_name="location")
