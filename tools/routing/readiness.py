"""Which day an order can go on a van: the sourcing rules (`tools.sourcing`) applied to an order's lines.

The same rule answers `order_status`, `delivery_eta` and `check_promise` for an existing order, so the
route plan and those tools agree: an order goes on the day every one of its lines can be delivered (the
goods at a depot by then: held at its allocated location, available locally after reservations, or a
cross-border or supplier arrival by then), held back to the customer's window (or promised day) when the
goods are ready earlier.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from core.models import OrderLine
from tools.sourcing import Sourcer, StockRow

# The reason reported for an order that cannot go yet: the first of these codes among its binding line's.
_HOLDING_REASONS = ("typhoon", "black_rain", "supplier_arrival", "crossborder_lead", "split", "after_cutoff",
                    "public_holiday", "sunday")
NO_SOURCE = "no_source"


@dataclass(frozen=True)
class Readiness:
    """The day an order goes (None when no location or supplier can supply all of it yet) and why not sooner."""

    go_day: date | None
    # A sourcing reason code (`crossborder_lead`, `supplier_arrival`, `after_cutoff`, ...), `no_source`, or "".
    detail: str


def order_readiness(sourcer: Sourcer, lines: Sequence[OrderLine], stock: dict[str, list[StockRow]]) -> Readiness:
    """When the order made of `lines` can be delivered, by the rule `order_status` uses for each line."""
    go_day: date | None = None
    detail = ""
    for line in lines:
        area = sourcer.reference.areas.get(line.area)
        if area is None or line.sku not in sourcer.reference.products:
            return Readiness(None, NO_SOURCE)
        ready = sourcer.line_ready(line.sku, line.qty, area, line.location, stock.get(line.sku, []), sourcer.ctx.now,
                                   picked=line.status in ("picked", "out_for_delivery"))
        hold_until = line.promised_by or (line.eta if line.window_start is None else None)
        _earliest, latest, reasons = sourcer.delivery_days(ready, line.window_start, hold_until)
        if latest is None or ready.short_qty > 0:
            return Readiness(None, NO_SOURCE)
        if go_day is None or latest > go_day:
            go_day = latest
            codes = [code for code in _HOLDING_REASONS if code in reasons]
            detail = codes[0] if codes else ""
    return Readiness(go_day, detail)
