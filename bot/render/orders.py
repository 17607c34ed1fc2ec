"""Render an `order_status` result: one order line by line, or the day's orders at risk."""

from __future__ import annotations

from datetime import date

from bot.messages import Lang
from bot.render.words import alternatives_sentence, clock_words, day_words, freshness, range_words
from tools.orders import OrderLineStatus, OrderStatusResult

_STATUS_ZH = {"new": "新單", "allocated": "已分配", "picked": "已執貨", "out_for_delivery": "送緊",
              "delivered": "已送達", "cancelled": "已取消"}
_STATUS_EN = {"new": "new", "allocated": "allocated", "picked": "picked", "out_for_delivery": "out for delivery",
              "delivered": "delivered", "cancelled": "cancelled"}


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
        text += alternatives_sentence(line.alternatives, today, zh) if zh else " " + alternatives_sentence(line.alternatives, today, zh)
    return text


def render(result: OrderStatusResult, lang: Lang = "zh-HK") -> str:
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
