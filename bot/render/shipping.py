"""Render a `shipping_cost` result: the charge and its breakdown, free-delivery gap, consolidated run."""

from __future__ import annotations

from bot.messages import Lang
from bot.render.words import day_words, freshness, money
from tools.shipping import ShippingCostResult


def _weight(kg: float) -> str:
    return f"{kg:g}"


def render(result: ShippingCostResult, lang: Lang = "zh-HK") -> str:
    """送東涌運費:基本 $150 + 每公斤 $5 × 3 公斤 = $165。… / Delivery to Tung Chung: $150 + $5/kg x 3 kg = $165."""
    zh = lang == "zh-HK"
    today = result.asked_at.date()
    area = result.area.name_zh if zh else result.area.name_en
    formula = (f"基本 {money(result.base_fee)} + 每公斤 {money(result.per_kg)} × {_weight(result.weight_kg)} 公斤"
               if zh else f"{money(result.base_fee)} + {money(result.per_kg)}/kg x {_weight(result.weight_kg)} kg")
    parts: list[str] = []
    if result.free and result.free_over is not None and result.order_value is not None:
        parts.append(f"送{area}:訂單 {money(result.order_value)},滿 {money(result.free_over)} 免運費(原本 {formula} = "
                     f"{money(result.standard_charge)})。" if zh else
                     f"Delivery to {area} is free: the order of {money(result.order_value)} reaches "
                     f"{money(result.free_over)} (otherwise {formula} = {money(result.standard_charge)}).")
    else:
        parts.append(f"送{area}運費:{formula} = {money(result.charge)}。" if zh else
                     f"Delivery to {area}: {formula} = {money(result.charge)}.")
    if result.gap_to_free is not None and result.free_over is not None:
        if result.upsell:
            picks = ("、" if zh else ", ").join(
                f"{u.product.sku} {u.product.name_zh if zh else u.product.name_en} {money(u.unit_price)}"
                for u in result.upsell)
            parts.append(f"再買多 {money(result.gap_to_free)} 就滿 {money(result.free_over)} 免運費,可以加:{picks}。"
                         if zh else f"{money(result.gap_to_free)} more reaches free delivery at "
                         f"{money(result.free_over)}; in stock to add: {picks}.")
        else:
            parts.append(f"再買多 {money(result.gap_to_free)} 就免運費。" if zh else
                         f"{money(result.gap_to_free)} more reaches free delivery.")
    elif result.free_over is None and not zh:
        parts.append(f"The {result.zone} zone has no free delivery.")
    elif result.free_over is None:
        parts.append(f"{result.zone} 區冇免運費。")
    if result.consolidated_day is not None and result.consolidated_charge is not None:
        run_day = day_words(result.consolidated_day, today, zh)
        pct = f"{result.consolidated_discount_pct:g}" if result.consolidated_discount_pct else "0"
        parts.append(f"跟{run_day}嘅集中送貨可以減 {pct}%,運費 {money(result.consolidated_charge)}。" if zh else
                     f"On the grouped run {run_day} it is {pct}% off: {money(result.consolidated_charge)}.")
    parts.append(freshness(result.data_as_of, today, zh, what_zh="運費表", what_en="Rates"))
    return ("" if zh else " ").join(parts)
