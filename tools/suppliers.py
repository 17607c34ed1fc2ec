"""`supplier_info`: who supplies a product, on what terms, and when an order placed now would arrive."""

from __future__ import annotations

from datetime import date, timedelta

from pydantic import BaseModel, Field
from sqlalchemy import bindparam, select

from core.models import Supplier
from tools.catalog import (
    LocationRef,
    ProductRef,
    fetch_rows,
    location_ref,
    one_connection,
    product_ref,
    resolve_product,
)
from tools.registry import STAFF_ROLES, ToolContext, ToolResult, tool
from tools.sourcing import oldest_update, sourcer_for

_OFFERS = select(Supplier.supplier_id, Supplier.name, Supplier.lead_days, Supplier.moq, Supplier.unit_cost,
                 Supplier.deliver_to).where(Supplier.sku == bindparam("sku"))


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
    sourcer = sourcer_for(ctx)
    reference = sourcer.reference
    product = resolve_product(reference, args.product, ctx.settings.understanding.fuzzy_product_cutoff)
    offers = [
        SupplierOffer(supplier_id=supplier_id, name=name, lead_days=lead_days, moq=moq,
                      deliver_to=location_ref(reference.locations[deliver_to]),
                      arrives_if_ordered_today=ctx.today + timedelta(days=lead_days),
                      unit_cost=unit_cost if ctx.can_see_cost else None)
        for supplier_id, name, lead_days, moq, unit_cost, deliver_to in fetch_rows(ctx, _OFFERS, {"sku": product.sku})
    ]
    offers.sort(key=lambda offer: (offer.lead_days, offer.name))
    stock = sourcer.stock_rows([product.sku])[product.sku]
    return SupplierInfoResult(
        product=product_ref(product, ctx),
        offers=offers,
        available_units=sum(row.available for row in stock),
        cost_visible=ctx.can_see_cost,
        data_as_of=oldest_update(stock),
    )
