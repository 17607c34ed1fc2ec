"""`check_promise`: can a delivery promise be kept, and if not, what would keep it.

A promise is at risk when the ETA (or the end of the ETA range) falls after the promised day
(product.md, "Rules"). What might keep it: another location that has enough, an in-stock substitute,
or a split (what is local now, the rest later). For an existing order the answer is `order_status`'s.
"""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, Field

from core.clock import to_local
from tools.alternatives import Alternative, arrives_by, deadline_moment, find_alternatives
from tools.catalog import (
    AreaRef,
    ProductRef,
    area_ref,
    one_connection,
    product_ref,
    resolve_area,
    resolve_product,
)
from tools.orders import order_delivery, order_picture
from tools.registry import STAFF_ROLES, ToolContext, ToolInputError, ToolResult, tool
from tools.sourcing import DeliveryPlan, figures_as_of, required, sourcer_for


class CheckPromiseInput(BaseModel):
    """A promise to check: product, quantity, delivery area and the promised day; or an existing order's id
    (checked against its own promise unless a deadline is given)."""

    product: str | None = Field(default=None, description="The product: SKU (WB-BL-500), English or Chinese name, "
                                "or an alias. Not needed with order_id.")
    qty: int = Field(default=1, gt=0, description="Units promised (more than 0).")
    area: str | None = Field(default=None, description="Delivery area: code, English or Chinese name or alias "
                             "(東涌, Tung Chung). Not needed with order_id.")
    deadline: datetime | date | None = Field(default=None, description="The promised delivery day (or date-time), "
                                             "e.g. 2026-11-27; for an order_id, default its own promise.")
    order_time: datetime | None = Field(default=None, description="When the order is confirmed; default now.")
    order_id: str | None = Field(default=None, description="An existing order (SO-10231): can its promise (or the "
                                 "deadline) be kept, as order_status and the day's routes see it.")


class CheckPromiseResult(DeliveryPlan, ToolResult):
    """Whether the promise holds, the earliest delivery, and the alternatives that would keep it."""

    asked_at: datetime
    product: ProductRef
    qty: int
    area: AreaRef
    deadline: datetime
    order_time: datetime
    can_keep: bool
    alternatives: list[Alternative] = Field(default_factory=list)
    # For an existing order: its id and the line that sets its day.
    order_id: str | None = None
    order_line: int | None = None


@tool("check_promise", input_model=CheckPromiseInput, roles=STAFF_ROLES)
@one_connection
def check_promise(ctx: ToolContext, args: CheckPromiseInput) -> CheckPromiseResult:
    """Can we promise this quantity of a product to this area by this day? Gives the earliest delivery
    (source location, dispatch day, ETA date or range, reason codes) and, when the promise is at risk
    (ETA or the end of the ETA range after the promised day), the alternatives that would keep it:
    another location, an in-stock substitute, or a split delivery."""
    if args.order_id:
        return _existing_order(ctx, args)
    sourcer = sourcer_for(ctx)
    cutoff = ctx.settings.understanding.fuzzy_product_cutoff
    product = resolve_product(sourcer.reference, required(args.product, "product"), cutoff)
    area = resolve_area(sourcer.reference, required(args.area, "area"), cutoff)
    if args.deadline is None:
        raise ToolInputError("By when? Give the promised day.", "要幾時前送到?請講承諾嘅日子。",
                             code="invalid_argument", field_name="deadline")
    order_time = to_local(args.order_time) if args.order_time else ctx.now
    deadline = deadline_moment(args.deadline)
    stock = sourcer.stock_rows([product.sku, *product.substitutes])
    plan = sourcer.plan(product.sku, args.qty, area, order_time, stock[product.sku])
    can_keep = arrives_by(plan.eta_latest, deadline) and plan.short_qty == 0
    alternatives = [] if can_keep else find_alternatives(sourcer, ctx, product, args.qty, area, order_time,
                                                         deadline, plan, stock)
    return CheckPromiseResult(
        **dict(plan),
        data_as_of=figures_as_of(stock[product.sku], plan),
        asked_at=ctx.now,
        product=product_ref(product, ctx),
        qty=args.qty,
        area=area_ref(area),
        deadline=deadline,
        order_time=order_time,
        can_keep=can_keep,
        alternatives=alternatives,
    )


def _existing_order(ctx: ToolContext, args: CheckPromiseInput) -> CheckPromiseResult:
    """An existing order against its promise (or the deadline given), by the same rule as `order_status`."""
    deadline = deadline_moment(args.deadline) if args.deadline is not None else None
    picture = order_picture(ctx, args.order_id or "", deadline)
    line, plan = order_delivery(ctx, picture)
    promise = deadline or line.promise
    if promise is None:
        raise ToolInputError(f"Order {picture.order_id} has no promised day: by when?",
                             f"訂單 {picture.order_id} 冇承諾日子:要幾時前送到?", code="invalid_argument",
                             field_name="deadline")
    late = [status for status in picture.open_lines if status.at_risk]
    reference = sourcer_for(ctx).reference
    return CheckPromiseResult(
        **dict(plan),
        data_as_of=figures_as_of(picture.stock.get(line.product.sku, []), plan),
        asked_at=ctx.now,
        product=line.product,
        qty=line.qty,
        area=area_ref(reference.areas[line.area.code]),
        deadline=promise,
        order_time=ctx.now,
        can_keep=not late,
        alternatives=late[0].alternatives if late else [],
        order_id=picture.order_id,
        order_line=line.line,
    )
