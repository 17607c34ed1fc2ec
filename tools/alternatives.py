"""What keeps a delivery promise: the promise as a moment, whether an ETA meets it, and the alternatives
(another location, an in-stock substitute, a split) — shared by `check_promise` and `order_status`."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Literal

from pydantic import BaseModel, Field

from core.clock import to_local
from tools.catalog import AreaInfo, LocationRef, ProductInfo, ProductRef, product_ref
from tools.registry import ToolContext
from tools.sourcing import DeliveryPlan, Shipment, Sourcer, StockRow


class Alternative(BaseModel):
    """A way to deliver differently: another location, a substitute product or a split delivery."""

    kind: Literal["location", "substitute", "split"]
    keeps_promise: bool
    product: ProductRef
    location: LocationRef | None = None
    # Units that arrive by the promised day this way.
    qty_on_time: int
    # Units no location or supplier can supply this way.
    qty_short: int = 0
    eta_earliest: date
    eta_latest: date
    shipments: list[Shipment] = Field(default_factory=list)


def deadline_moment(value: datetime | date) -> datetime:
    """A promised date (or a date-time at midnight) as the end of that day; other date-times as given."""
    if isinstance(value, datetime):
        moment = to_local(value)
        if moment.time() != time(0, 0):
            return moment
        value = moment.date()
    return datetime.combine(value, time(23, 59))


def arrives_by(eta_latest: date | None, deadline: datetime) -> bool:
    """True when every unit arrives on or before the promised day."""
    return eta_latest is not None and eta_latest <= deadline.date()


def _on_time_qty(shipments: list[Shipment], deadline: datetime) -> int:
    return sum(s.qty for s in shipments if s.eta_latest <= deadline.date())


def find_alternatives(sourcer: Sourcer, ctx: ToolContext, product: ProductInfo, qty: int, area: AreaInfo,
                      order_time: datetime, deadline: datetime, plan: DeliveryPlan,
                      stock: dict[str, list[StockRow]]) -> list[Alternative]:
    """What would keep an at-risk promise: other locations, in-stock substitutes, a split.

    `stock` must hold the rows of the product and of its substitutes.
    """
    alternatives: list[Alternative] = []
    chosen = plan.source_location.code if plan.source_location and plan.choice != "split" else None
    for row in stock.get(product.sku, []):
        if row.location.code == chosen or row.available < qty:
            continue
        shipment = sourcer.ship_from(row.location, qty, area, order_time)
        if arrives_by(shipment.eta_latest, deadline):
            alternatives.append(Alternative(kind="location", keeps_promise=True, product=product_ref(product, ctx),
                                            location=shipment.location, qty_on_time=qty,
                                            eta_earliest=shipment.eta_earliest, eta_latest=shipment.eta_latest,
                                            shipments=[shipment]))
    for sku in product.substitutes:
        substitute = sourcer.reference.products.get(sku)
        rows = stock.get(sku, [])
        if substitute is None or sum(row.available for row in rows) < qty:
            continue
        sub_plan = sourcer.plan(sku, qty, area, order_time, rows)
        if sub_plan.choice in ("local", "crossborder") and arrives_by(sub_plan.eta_latest, deadline):
            alternatives.append(Alternative(kind="substitute", keeps_promise=True,
                                            product=product_ref(substitute, ctx), location=sub_plan.source_location,
                                            qty_on_time=qty, eta_earliest=sub_plan.eta_earliest,
                                            eta_latest=sub_plan.eta_latest, shipments=sub_plan.shipments))
    split = sourcer.plan(product.sku, qty, area, order_time, stock.get(product.sku, []), force_split=True)
    on_time = _on_time_qty(split.shipments, deadline)
    same_as_plan = plan.choice == "split" and split.shipments == plan.shipments
    if split.choice == "split" and on_time > 0 and split.eta_latest is not None and not same_as_plan:
        alternatives.append(Alternative(kind="split", keeps_promise=on_time >= qty and split.short_qty == 0,
                                        product=product_ref(product, ctx), location=split.source_location,
                                        qty_on_time=on_time, qty_short=split.short_qty, eta_earliest=split.eta_earliest or split.eta_latest,
                                        eta_latest=split.eta_latest, shipments=split.shipments))
    # The ones that keep the promise first, then by arrival.
    alternatives.sort(key=lambda a: (not a.keeps_promise, a.eta_latest, a.kind != "location"))
    return alternatives
