"""Render a `delivery_eta` result: where it ships from, when it arrives, why on that day, how fresh the figures are.

Dates read 今日/聽日/後日 (today/tomorrow) where true, else 11月27日(星期五) / Fri 27 Nov. Every number,
date and name comes from the result.
"""

from __future__ import annotations

from bot.messages import Lang
from bot.render.words import freshness, plan_sentence, reasons_sentence, weather_note
from tools.eta import DeliveryEtaResult


def render(result: DeliveryEtaResult, lang: Lang = "zh-HK") -> str:
    """When a quantity of a product reaches an area, from where, and why on that day."""
    zh = lang == "zh-HK"
    today = result.asked_at.date()
    product = result.product
    head = (f"{result.qty} 件 {product.sku} {product.name_zh} 送{result.area.name_zh}:" if zh else
            f"{result.qty} x {product.sku} {product.name_en} to {result.area.name_en}: ")
    parts = [head + plan_sentence(result, today, zh), reasons_sentence(result, today, zh), weather_note(result, zh),
             freshness(result.data_as_of, today, zh)]
    return ("" if zh else " ").join(part for part in parts if part)
