"""`supplier_info`: who supplies a product, on what terms, and when an order placed now would arrive."""

from __future__ import annotations

from datetime import date, timedelta

from pydantic import BaseModel, Field
from sqlalchemy import select

from core.models import Stock, Supplier
from tools.catalog import (
    LocationRef,
    ProductRef,
    location_ref,
    one_connection,
    product_ref,
    reference_for,
    resolve_product,
)
from tools.registry import STAFF_ROLES, ToolContext, ToolResult, tool


class SupplierInfoInput(BaseModel):
    """The product whose suppliers are asked for."""

    product: str = Field(description="The product: SKU, English or Chinese name, or an alias.")


class SupplierOffer(BaseModel):
    """One supplier's terms for the product; `unit_cost` only for roles that may see cost."""

    supplier_id: str
    name: str
    lead_days: int = Field(description="calendar days from purchase order to arrival at `deliver_to`")
    moq: int = Field(description="minimum order quantity, units")
    deliver_to: LocationRef
    arrives_if_ordered_today: date
    unit_cost: float | None = None


class SupplierInfoResult(ToolResult):
    """The product's suppliers, quickest first, and the units available in all locations now."""

    product: ProductRef
    offers: list[SupplierOffer]
    available_units: int
    cost_visible: bool


@tool("supplier_info", input_model=SupplierInfoInput, roles=STAFF_ROLES)
@one_connection
def supplier_info(ctx: ToolContext, args: SupplierInfoInput) -> SupplierInfoResult:
    """Who supplies a product (from suppliers.csv): each supplier's name, lead time in calendar days, minimum
    order quantity (MOQ), the location the goods are delivered to and the date an order placed today would
    arrive there, quickest supplier first; the units available now in all locations. Supplier prices
    (unit_cost) are included only for manager, finance and admin."""
    reference = reference_for(ctx)
    product = resolve_product(reference, args.product, ctx.settings.understanding.fuzzy_product_cutoff)
    with ctx.db.sessions() as session:
        rows = session.scalars(select(Supplier).where(Supplier.sku == product.sku)).all()
        stock = session.execute(select(Stock.on_hand, Stock.reserved, Stock.updated_at)
                                .where(Stock.sku == product.sku)).all()
    offers = [
        SupplierOffer(supplier_id=row.supplier_id, name=row.name, lead_days=row.lead_days, moq=row.moq,
                      deliver_to=location_ref(reference.locations[row.deliver_to]),
                      arrives_if_ordered_today=ctx.today + timedelta(days=row.lead_days),
                      unit_cost=row.unit_cost if ctx.can_see_cost else None)
        for row in rows
    ]
    offers.sort(key=lambda offer: (offer.lead_days, offer.name))
    updates = [updated for _, _, updated in stock if updated is not None]
    return SupplierInfoResult(
        product=product_ref(product, ctx),
        offers=offers,
        available_units=sum(max(on_hand - reserved, 0) for on_hand, reserved, _ in stock),
        cost_visible=ctx.can_see_cost,
        data_as_of=max(updates) if updates else None,
    )
