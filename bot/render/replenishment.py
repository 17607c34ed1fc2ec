"""Render a `replenishment_plan` result in Cantonese or English: transfers first, then purchase orders."""

from __future__ import annotations

from datetime import date

from bot.messages import Lang
from bot.render.words import date_en, date_zh, dated_freshness
from tools.replenishment import PurchaseOrder, ReplenishmentResult, Transfer

# Lines shown per section; the rest is counted.
_MAX_LINES = 8


def render(result: ReplenishmentResult, lang: Lang = "zh-HK") -> str:
    """The transfers (from, to, qty, by when), the purchase orders (supplier, qty, MOQ, order-by), notes."""
    zh = lang == "zh-HK"
    today = result.planned_on
    lines: list[str] = []
    cover = f"(覆蓋供應商交貨期 + {result.review_period_days} 日,服務水平 {result.service_level:.0%})" if zh \
        else f" (covering supplier lead time + {result.review_period_days} days at a {result.service_level:.0%} " \
             "service level)"
    if not result.transfers and not result.purchase_orders:
        lines.append(("庫存足夠,唔使調撥或者落單" if zh else "Stock covers the forecast; no transfers or orders needed")
                     + cover + ("。" if zh else "."))
    now_transfers = [t for t in result.transfers if not t.after_purchase_order]
    onward = [t for t in result.transfers if t.after_purchase_order]
    if now_transfers:
        lines.append(("建議調撥" if zh else "Transfers") + cover + ":")
        for transfer in now_transfers[:_MAX_LINES]:
            lines.append("- " + _transfer(transfer, zh, today))
        _more(lines, len(now_transfers), zh)
    if result.purchase_orders:
        lines.append("之後向供應商落單:" if zh and now_transfers else "向供應商落單:" if zh
                     else "Then purchase orders:" if now_transfers else "Purchase orders:")
        for order in result.purchase_orders[:_MAX_LINES]:
            lines.append("- " + _order(order, zh, result.cost_visible, today))
        _more(lines, len(result.purchase_orders), zh)
    if onward:
        lines.append("貨到之後再調撥:" if zh else "When the orders arrive, move on:")
        for transfer in onward[:_MAX_LINES]:
            lines.append("- " + _transfer(transfer, zh, today))
        _more(lines, len(onward), zh)
    lines.extend((f"{sku}:未有預測(冇銷售紀錄),未有計劃。" if zh else
                  f"{sku}: no forecast yet (no sales history), not planned.") for sku in result.unplanned)
    lines.extend((f"{sku}:冇供應商資料,只可以調撥。" if zh else
                  f"{sku}: no supplier on file, so only transfers are planned.") for sku in result.transfer_only)
    lines.append(dated_freshness(result.data_as_of, zh))
    return "\n".join(line for line in lines if line)


def _when(day: date, today: date | None, zh: bool) -> str:
    if today is not None and day <= today:
        return "今日" if zh else "today"
    if today is not None and (day - today).days == 1:
        return "聽日" if zh else "tomorrow"
    return f"{date_zh(day)}前" if zh else f"by {date_en(day)}"


def _transfer(transfer: Transfer, zh: bool, today: date | None) -> str:
    when = _when(transfer.by_when, today, zh)
    late = ("(已經遲咗,盡快安排)" if zh else " (already late: do it now)") if transfer.late else ""
    if zh:
        return (f"{when}由{transfer.from_location.name_zh}調撥 {transfer.qty} 件{transfer.product.name_zh}"
                f"({transfer.sku})去{transfer.to_location.name_zh}{late}")
    return (f"{when[0].upper() + when[1:]}: move {transfer.qty} {_units(transfer.qty)} of {transfer.product.name_en} ({transfer.sku}) "
            f"from {transfer.from_location.name_en} to {transfer.to_location.name_en}{late}")


def _order(order: PurchaseOrder, zh: bool, cost_visible: bool, today: date | None) -> str:
    moq = (f",最少訂購量 {order.moq} 件" if zh else f", MOQ {order.moq}") if order.qty == order.moq else ""
    cost = ""
    if cost_visible and order.total_cost is not None:
        cost = (f",成本約 ${order.total_cost:,.0f}(每件 ${order.unit_cost:,.2f})" if zh
                else f", about ${order.total_cost:,.0f} at ${order.unit_cost:,.2f} each")
    late = ("(已經遲咗)" if zh else " (already late)") if order.late else ""
    when = _when(order.order_by, today, zh)
    if zh:
        return (f"{when}向{order.supplier_name}訂 {order.qty} 件{order.product.name_zh}({order.sku})"
                f"(需要 {order.need} 件{moq}),約 {date_zh(order.arrival)} 到{order.deliver_to.name_zh}{cost}{late}")
    return (f"{when[0].upper() + when[1:]}: order {order.qty} {_units(order.qty)} of {order.product.name_en} ({order.sku}) from "
            f"{order.supplier_name} (need {order.need}{moq}), arriving at {order.deliver_to.name_en} around "
            f"{date_en(order.arrival)}{cost}{late}")


def _more(lines: list[str], count: int, zh: bool) -> None:
    if count > _MAX_LINES:
        lines.append(f"(仲有 {count - _MAX_LINES} 項)" if zh else f"({count - _MAX_LINES} more)")


def _units(qty: int) -> str:
    return "unit" if qty == 1 else "units"
