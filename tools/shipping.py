"""`shipping_cost`: the delivery charge to an area with its breakdown, the gap to free delivery and the
in-stock products that close it, and the zone's consolidated run.

Charge (product.md, "Rules"): `base_fee + per_kg x total weight`, rounded to the dollar; nothing when the
order value reaches the zone's `free_over`. A zone with a `consolidated_day` has a weekly grouped run on
that weekday (the next working one from the dispatch day) whose charge is discounted by
`consolidated_discount_pct`.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

from pydantic import BaseModel, Field, model_validator
from sqlalchemy import bindparam, func, select

from core.models import Location, Product, Stock
from tools.calendar import WEEKDAY_CODES, calendar_for
from tools.catalog import (
    AreaRef,
    ProductRef,
    area_ref,
    fetch_rows,
    one_connection,
    product_ref,
    resolve_area,
    resolve_product,
)
from tools.registry import STAFF_ROLES, ToolContext, ToolInputError, ToolResult, tool
from tools.sourcing import sourcer_for

UPSELL_LIMIT = 3


class ShippingItem(BaseModel):
    """A product and a quantity in the delivery."""

    product: str = Field(description="SKU, name or alias of the product.")
    qty: int = Field(default=1, gt=0, description="Units (more than 0).")


class ShippingCostInput(BaseModel):
    """The delivery area and either the items or the total weight; the order value decides free delivery."""

    area: str = Field(description="Delivery area: code, English or Chinese name or alias (東涌, Tung Chung).")
    items: list[ShippingItem] = Field(default_factory=list, description="Products and quantities delivered.")
    weight_kg: float | None = Field(default=None, gt=0, description="Total weight in kg, when items are not given.")
    order_value: float | None = Field(default=None, ge=0, description="Order value in HKD; default: the items "
                                      "at their unit prices.")

    @model_validator(mode="after")
    def _needs_items_or_weight(self) -> ShippingCostInput:
        if not self.items and self.weight_kg is None:
            raise ValueError("give the items (product and qty) or the total weight_kg")
        return self


class ShippingLine(BaseModel):
    """One item of the delivery with its weight and value."""

    product: ProductRef
    qty: int
    weight_kg: float
    value: float


class UpsellProduct(BaseModel):
    """An in-stock product whose price closes the gap to free delivery."""

    product: ProductRef
    unit_price: float
    local_available: int


class ShippingCostResult(ToolResult):
    """The charge and its breakdown, free-delivery gap with suggestions, and the consolidated run."""

    asked_at: datetime
    area: AreaRef
    zone: str
    lines: list[ShippingLine] = Field(default_factory=list)
    weight_kg: float
    order_value: float | None
    base_fee: float
    per_kg: float
    weight_charge: float
    # base_fee + per_kg x weight, rounded to the dollar, before the free-delivery rule.
    standard_charge: int
    free_over: float | None
    free: bool
    charge: int
    gap_to_free: float | None = None
    upsell: list[UpsellProduct] = Field(default_factory=list)
    consolidated_day: date | None = None
    consolidated_discount_pct: float | None = None
    consolidated_charge: int | None = None


def _money(value: float) -> Decimal:
    return Decimal(str(value))


def round_dollar(amount: float | Decimal) -> int:
    """Round half up to a whole dollar (HK$12.50 -> HK$13)."""
    exact = amount if isinstance(amount, Decimal) else _money(amount)
    return int(exact.quantize(Decimal("1"), rounding=ROUND_HALF_UP))


def _upsell(ctx: ToolContext, gap: float, exclude: set[str]) -> list[UpsellProduct]:
    """Up to three products priced at or above the gap with units available at a Hong Kong location,
    cheapest first (nearest above the gap)."""
    rows = fetch_rows(ctx, _UPSELL, {"gap": gap, "limit": UPSELL_LIMIT + len(exclude)})
    reference = sourcer_for(ctx).reference
    picks: list[UpsellProduct] = []
    for sku, units in rows:
        product = reference.products.get(sku)
        if product is None or sku in exclude or not units or units <= 0:
            continue
        picks.append(UpsellProduct(product=product_ref(product, ctx), unit_price=product.unit_price,
                                   local_available=int(units)))
        if len(picks) == UPSELL_LIMIT:
            break
    return picks


# Products priced at or above the gap with units available at a Hong Kong (no lead days) location.
_UPSELL = (
    select(Product.sku, func.sum(Stock.on_hand - Stock.reserved))
    .join(Stock, Stock.sku == Product.sku)
    .join(Location, Location.code == Stock.location)
    .where(Product.unit_price >= bindparam("gap"), Location.lead_days_max == 0, Stock.on_hand > Stock.reserved)
    .group_by(Product.sku, Product.unit_price)
    .order_by(Product.unit_price, Product.sku)
    .limit(bindparam("limit"))
)


def _consolidated_day(ctx: ToolContext, weekday_code: str) -> date | None:
    """The next working day on that weekday, from today's earliest dispatch day."""
    code = weekday_code.strip()[:3].title()
    if code not in WEEKDAY_CODES:
        return None
    calendar = calendar_for(ctx.settings)
    start = calendar.working_day_on_or_after(ctx.today)
    target = WEEKDAY_CODES.index(code)
    for offset in range(0, 5 * 7):
        day = start + timedelta(days=offset)
        if day.weekday() == target and calendar.is_working_day(day):
            return day
    return None


@tool("shipping_cost", input_model=ShippingCostInput, roles=STAFF_ROLES)
@one_connection
def shipping_cost(ctx: ToolContext, args: ShippingCostInput) -> ShippingCostResult:
    """Delivery charge to a Hong Kong area for some items (or a total weight): base fee plus a rate per kg,
    rounded to the dollar, free when the order value reaches the zone's threshold. Gives the breakdown, the gap
    to free delivery with up to three in-stock products that close it (nearest price above the gap first), and
    the zone's consolidated-run day with its discounted charge where the zone has one."""
    reference = sourcer_for(ctx).reference
    cutoff = ctx.settings.understanding.fuzzy_product_cutoff
    area = resolve_area(reference, args.area, cutoff)
    rate = reference.rates.get(area.zone)
    if rate is None:
        raise ToolInputError(f"No shipping rate is set for zone {area.zone} ({area.name_en}).",
                             f"{area.name_zh}所屬運費區 {area.zone} 未有收費資料。", code="no_rate", field_name="area")
    lines: list[ShippingLine] = []
    for item in args.items:
        product = resolve_product(reference, item.product, cutoff)
        lines.append(ShippingLine(product=product_ref(product, ctx), qty=item.qty,
                                  weight_kg=round(product.weight_kg * item.qty, 3),
                                  value=round(product.unit_price * item.qty, 2)))
    weight = args.weight_kg if args.weight_kg is not None else round(sum(line.weight_kg for line in lines), 3)
    order_value = args.order_value if args.order_value is not None else (
        round(sum(line.value for line in lines), 2) if lines else None)
    weight_charge = round(rate.per_kg * weight, 2)
    # Decimal arithmetic so that e.g. 115.5 is not 115.4999... before rounding.
    standard = round_dollar(_money(rate.base_fee) + _money(rate.per_kg) * _money(weight))
    free = rate.free_over is not None and order_value is not None and order_value >= rate.free_over
    gap = None
    upsell: list[UpsellProduct] = []
    if rate.free_over is not None and order_value is not None and not free:
        gap = round(rate.free_over - order_value, 2)
        upsell = _upsell(ctx, gap, {line.product.sku for line in lines})
    charge = 0 if free else standard
    run_day = _consolidated_day(ctx, rate.consolidated_day) if rate.consolidated_day else None
    discount = rate.consolidated_discount_pct if run_day else None
    run_charge = None
    if run_day is not None:
        run_charge = 0 if free else round_dollar(Decimal(standard) * (100 - _money(discount or 0.0)) / 100)
    return ShippingCostResult(
        data_as_of=reference.loaded_at,
        asked_at=ctx.now,
        area=area_ref(area), zone=area.zone, lines=lines, weight_kg=weight, order_value=order_value,
        base_fee=rate.base_fee, per_kg=rate.per_kg, weight_charge=weight_charge, standard_charge=standard,
        free_over=rate.free_over, free=free, charge=charge, gap_to_free=gap, upsell=upsell,
        consolidated_day=run_day, consolidated_discount_pct=discount, consolidated_charge=run_charge,
    )
