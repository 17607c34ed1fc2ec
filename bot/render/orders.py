"""Render `order_status` (one order, or the day's orders at risk) and `check_promise` results."""

from __future__ import annotations

from datetime import date

from bot.render.eta import clock_words, day_words, freshness, plan_sentence, range_words, reasons_sentence
from tools.orders import OrderLineStatus, OrderStatusResult
from tools.promise import Alternative, CheckPromiseResult
from tools.registry import ToolResult

_STATUS_ZH = {"new": "新單", "allocated": "已分配", "picked": "已執貨", "out_for_delivery": "送緊",
              "delivered": "已送達", "cancelled": "已取消"}
_STATUS_EN = {"new": "new", "allocated": "allocated", "picked": "picked", "out_for_delivery": "out for delivery",
              "delivered": "delivered", "cancelled": "cancelled"}


def alternative_words(alt: Alternative, today: date, zh: bool) -> str:
    """One way to keep (or partly keep) a promise, in words."""
    when = range_words(alt.eta_earliest, alt.eta_latest, today, zh)
    where_zh = alt.location.name_zh if alt.location else ""
    where_en = alt.location.name_en if alt.location else ""
    if alt.kind == "location":
        return f"改由{where_zh}出貨,{when}送到" if zh else f"ship from {where_en} instead, arriving {when}"
    if alt.kind == "substitute":
        return (f"改用 {alt.product.sku} {alt.product.name_zh}(由{where_zh}出),{when}送到" if zh else
                f"offer {alt.product.sku} {alt.product.name_en} instead (from {where_en}), arriving {when}")
    on_time_day = min((s.eta_latest for s in alt.shipments), default=alt.eta_earliest)
    first = day_words(on_time_day, today, zh)
    later = sum(s.qty for s in alt.shipments) - alt.qty_on_time
    text = f"分批送:{alt.qty_on_time} 件{first}送到" if zh else f"split it: {alt.qty_on_time} arrive {first}"
    if later > 0:
        last = day_words(alt.eta_latest, today, zh)
        text += f",其餘 {later} 件最遲{last}送到" if zh else f", the other {later} by {last}"
    if alt.qty_short:
        text += f",仲有 {alt.qty_short} 件暫時冇貨源" if zh else f", {alt.qty_short} have no source yet"
    return text


def _alternatives(alternatives: list[Alternative], today: date, zh: bool) -> str:
    if not alternatives:
        return "暫時冇其他方法趕得切。" if zh else "Nothing else would make it in time."
    items = [f"{i}. {alternative_words(alt, today, zh)}" for i, alt in enumerate(alternatives[:3], start=1)]
    return ("可以咁做:" + ";".join(items) + "。") if zh else ("Options: " + "; ".join(items) + ".")


def render_check_promise(result: CheckPromiseResult, lang: str = "zh-HK") -> str:
    """得 / 趕唔切, the earliest delivery, why, and what would keep the promise."""
    zh = lang == "zh-HK"
    today = result.asked_at.date()
    product = result.product
    deadline = day_words(result.deadline.date(), today, zh)
    what = (f"{result.qty} 件 {product.sku} {product.name_zh} 送{result.area.name_zh}" if zh else
            f"{result.qty} x {product.sku} {product.name_en} to {result.area.name_en}")
    if result.can_keep:
        parts = [f"得,{what}趕得切{deadline}。" if zh else f"Yes: {what} can arrive by {deadline}.",
                 plan_sentence(result, today, zh)]
    else:
        parts = [f"趕唔切:{what}要{deadline}到,但係" if zh else f"At risk: {what} is promised by {deadline}.",
                 plan_sentence(result, today, zh), reasons_sentence(result, today, zh),
                 _alternatives(result.alternatives, today, zh)]
    parts.append(freshness(result.data_as_of, today, zh))
    return ("" if zh else " ").join(part for part in parts if part)


def _line(line: OrderLineStatus, today: date, zh: bool, with_id: bool) -> str:
    product = line.product
    head = f"{line.order_id} " if with_id else ""
    where = line.location.name_zh if (zh and line.location) else (line.location.name_en if line.location else None)
    from_supplier = "supplier_arrival" in line.reasons
    if zh:
        text = (f"{head}第 {line.line} 項:{line.qty} 件 {product.sku} {product.name_zh} 送{line.area.name_zh},"
                f"狀態:{_STATUS_ZH.get(line.status, line.status)}")
        if from_supplier:
            text += ",而家冇貨,要等供應商到貨"
        elif where:
            text += f",由{where}出貨"
        if line.vehicle:
            text += f",{line.vehicle.vehicle_id} {line.vehicle.driver_zh}負責"
    else:
        text = (f"{head}line {line.line}: {line.qty} x {product.sku} {product.name_en} to {line.area.name_en}, "
                f"{_STATUS_EN.get(line.status, line.status)}")
        if from_supplier:
            text += ", out of stock until the supplier delivers"
        elif where:
            text += f", from {where}"
        if line.vehicle:
            text += f", van {line.vehicle.vehicle_id} ({line.vehicle.driver})"
    if line.expected_basis == "planned" and line.planned_eta is not None and not line.reasons:
        text += f",預計{clock_words(line.planned_eta, today, zh)}到" if zh else \
            f", due {clock_words(line.planned_eta, today, zh)}"
    elif line.expected_earliest and line.expected_latest:
        when = range_words(line.expected_earliest, line.expected_latest, today, zh)
        text += f",預計{when}到" if zh else f", expected {when}"
    if "sunday" in line.reasons or "public_holiday" in line.reasons:
        text += "(星期日或公眾假期唔送貨)" if zh else " (no deliveries on Sundays or public holidays)"
    if line.short_qty:
        text += f",仲有 {line.short_qty} 件暫時冇貨源" if zh else f", {line.short_qty} have no source yet"
    if line.promise is not None and line.expected_basis not in ("delivered", "cancelled"):
        promised = clock_words(line.promise, today, zh)
        if line.at_risk:
            text += f"。⚠️ 承諾{promised}前送到,趕唔切" if zh else f". ⚠️ Promised by {promised}: at risk"
        else:
            text += f",趕得切承諾({promised})" if zh else f", on time for the promise ({promised})"
    text += "。" if zh else "."
    if line.at_risk and line.alternatives:
        text += _alternatives(line.alternatives, today, zh) if zh else " " + _alternatives(line.alternatives, today, zh)
    return text


def render_order_status(result: OrderStatusResult, lang: str = "zh-HK") -> str:
    """One order line by line, or the day's orders at risk with what would keep each promise."""
    zh = lang == "zh-HK"
    today = result.asked_at.date()
    lines: list[str] = []
    if result.mode == "order":
        lines.extend(_line(line, today, zh, with_id=True) for line in result.lines)
    else:
        day = day_words(result.day, today, zh)
        if not result.lines:
            lines.append(f"{day}冇單趕唔切(查咗 {result.checked_lines} 項)。" if zh else
                         f"No orders at risk for {day} ({result.checked_lines} lines checked).")
        else:
            lines.append(f"{day}有 {result.at_risk_lines} 項單趕唔切(查咗 {result.checked_lines} 項):" if zh else
                         f"{result.at_risk_lines} order lines at risk for {day} "
                         f"({result.checked_lines} checked):")
            lines.extend(f"- {_line(line, today, zh, with_id=True)}" for line in result.lines)
    lines.append(freshness(result.data_as_of, today, zh))
    return "\n".join(lines)


def render(result: ToolResult, lang: str = "zh-HK") -> str:
    """Either result type of this module."""
    if isinstance(result, CheckPromiseResult):
        return render_check_promise(result, lang)
    if isinstance(result, OrderStatusResult):
        return render_order_status(result, lang)
    raise TypeError(f"no order renderer for {type(result).__name__}")
