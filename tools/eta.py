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
from tools.orders import order_delivery, order_picture
from tools.registry import STAFF_ROLES, ToolContext, ToolResult, tool
from tools.sourcing import DeliveryPlan, figures_as_of, required, sourcer_for


class DeliveryEtaInput(BaseModel):
    """A product, how many units, the delivery area and (optionally) when the order is confirmed; or an
    existing order's id."""

    product: str | None = Field(default=None, description="The product: SKU (WB-BL-500), English or Chinese name, "
                                "or an alias. Not needed with order_id.")
    qty: int = Field(default=1, gt=0, description="Units to deliver (more than 0).")
    area: str | None = Field(default=None, description="Delivery area: code, English or Chinese name or alias "
                             "(觀塘, Kwun Tong, KT). Not needed with order_id.")
    order_time: datetime | None = Field(default=None, description="When the order is confirmed; default now.")
    location: str | None = Field(default=None, description="Ship only from this stock location (code or name, "
                                 "e.g. SZ); default: the best source by product.md's rules.")
    order_id: str | None = Field(default=None, description="An existing order (SO-10231): when it arrives, as "
                                 "order_status and the day's routes see it.")


class DeliveryEtaResult(DeliveryPlan, ToolResult):
    """The delivery plan (source location, dispatch day, ETA date or range, reason codes) for the order."""

    asked_at: datetime
    product: ProductRef
    qty: int
    area: AreaRef
    order_time: datetime
    # For an existing order: its id, the line that sets its day, its van's ETA and whether its promise is at risk.
    order_id: str | None = None
    order_line: int | None = None
    planned_eta: datetime | None = None
    at_risk: bool | None = None


@tool("delivery_eta", input_model=DeliveryEtaInput, roles=STAFF_ROLES)
@one_connection
def delivery_eta(ctx: ToolContext, args: DeliveryEtaInput) -> DeliveryEtaResult:
    """Earliest delivery date of a quantity of a product to a Hong Kong area: the location it ships from
    (nearest local stock with enough units, else Shenzhen with its 2-3 working days, else a split, else the
    next supplier arrival), the dispatch day (today before the cutoff on a working day, else the next working
    day), the ETA date or date range, and reason codes (after_cutoff, sunday, public_holiday, typhoon,
    black_rain, crossborder_lead, split, supplier_arrival). With order_id: when that existing order arrives,
    the same day (and van ETA) as order_status and the day's routes give it."""
    if args.order_id:
        return _existing_order(ctx, args.order_id)
    sourcer = sourcer_for(ctx)
    cutoff = ctx.settings.understanding.fuzzy_product_cutoff
    product = resolve_product(sourcer.reference, required(args.product, "product"), cutoff)
    area = resolve_area(sourcer.reference, required(args.area, "area"), cutoff)
    order_time = to_local(args.order_time) if args.order_time else ctx.now
    rows = sourcer.stock_rows([product.sku])[product.sku]
    if args.location:  # "咁深圳倉呢?": the same delivery from the named location (and the supplier for any rest)
        location = resolve_location(sourcer.reference, args.location)
        rows = [row for row in rows if row.location.code == location.code]
    plan = sourcer.plan(product.sku, args.qty, area, order_time, rows)
    return DeliveryEtaResult(
        **dict(plan),
        data_as_of=figures_as_of(rows, plan),
        asked_at=ctx.now,
        product=product_ref(product, ctx),
        qty=args.qty,
        area=area_ref(area),
        order_time=order_time,
    )


def _existing_order(ctx: ToolContext, order_text: str) -> DeliveryEtaResult:
    """When an existing order arrives: its deciding line dated by the same rule as `order_status`."""
    picture = order_picture(ctx, order_text)
    line, plan = order_delivery(ctx, picture)
    reference = sourcer_for(ctx).reference
    rows = picture.stock.get(line.product.sku, [])
    return DeliveryEtaResult(
        **dict(plan),
        data_as_of=figures_as_of(rows, plan),
        asked_at=ctx.now,
        product=line.product,
        qty=line.qty,
        area=area_ref(reference.areas[line.area.code]),
        order_time=ctx.now,
        order_id=picture.order_id,
        order_line=line.line,
        planned_eta=line.planned_eta if line.expected_basis == "planned" else None,
        at_risk=any(status.at_risk for status in picture.open_lines),
    )
