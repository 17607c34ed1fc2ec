"""`delivery_eta`: the earliest delivery date of a product to an area, where it ships from, and why."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from core.clock import to_local
from tools.catalog import (
    AreaRef,
    ProductRef,
    area_ref,
    one_connection,
    product_ref,
    resolve_area,
    resolve_location,
    resolve_product,
)
from tools.registry import STAFF_ROLES, ToolContext, ToolResult, tool
from tools.sourcing import DeliveryPlan, oldest_update, sourcer_for


class DeliveryEtaInput(BaseModel):
    """A product, how many units, the delivery area and (optionally) when the order is confirmed."""

    product: str = Field(description="The product: SKU (WB-BL-500), English or Chinese name, or an alias.")
    qty: int = Field(default=1, gt=0, description="Units to deliver (more than 0).")
    area: str = Field(description="Delivery area: code, English or Chinese name or alias (觀塘, Kwun Tong, KT).")
    order_time: datetime | None = Field(default=None, description="When the order is confirmed; default now.")
    location: str | None = Field(default=None, description="Ship only from this stock location (code or name, "
                                 "e.g. SZ); default: the best source by product.md's rules.")


class DeliveryEtaResult(DeliveryPlan, ToolResult):
    """The delivery plan (source location, dispatch day, ETA date or range, reason codes) for the order."""

    asked_at: datetime
    product: ProductRef
    qty: int
    area: AreaRef
    order_time: datetime


@tool("delivery_eta", input_model=DeliveryEtaInput, roles=STAFF_ROLES)
@one_connection
def delivery_eta(ctx: ToolContext, args: DeliveryEtaInput) -> DeliveryEtaResult:
    """Earliest delivery date of a quantity of a product to a Hong Kong area: the location it ships from
    (nearest local stock with enough units, else Shenzhen with its 2-3 working days, else a split, else the
    next supplier arrival), the dispatch day (today before the cutoff on a working day, else the next working
    day), the ETA date or date range, and reason codes (after_cutoff, sunday, public_holiday, typhoon,
    black_rain, crossborder_lead, split, supplier_arrival)."""
    sourcer = sourcer_for(ctx)
    cutoff = ctx.settings.understanding.fuzzy_product_cutoff
    product = resolve_product(sourcer.reference, args.product, cutoff)
    area = resolve_area(sourcer.reference, args.area, cutoff)
    order_time = to_local(args.order_time) if args.order_time else ctx.now
    rows = sourcer.stock_rows([product.sku])[product.sku]
    if args.location:  # "咁深圳倉呢?": the same delivery from the named location (and the supplier for any rest)
        location = resolve_location(sourcer.reference, args.location)
        rows = [row for row in rows if row.location.code == location.code]
    plan = sourcer.plan(product.sku, args.qty, area, order_time, rows)
    return DeliveryEtaResult(
        **dict(plan),
        data_as_of=oldest_update(rows),
        asked_at=ctx.now,
        product=product_ref(product, ctx),
        qty=args.qty,
        area=area_ref(area),
        order_time=order_time,
    )
