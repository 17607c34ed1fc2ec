"""Render a `stock_lookup` result: units per location with lead time, substitutes when short, freshness."""

from __future__ import annotations

from datetime import date, timedelta

from bot.messages import Lang
from bot.render.words import clock_zh, freshness, freshness_by_location, working_days_span
from tools.stock import LocationStock, StockLookupResult


def lead_time(row: LocationStock, today: date, zh: bool) -> str:
    """How soon goods from a location go out for an order placed now: 今日下午 2 點前落單即日出貨 / 2-3 working days."""
    location, dispatch = row.location, row.dispatch_day
    if location.lead_days_max == 0:
        if dispatch == today:
            return (f"今日{clock_zh(location.cutoff)}前落單即日出貨" if zh
                    else f"same day if ordered before {location.cutoff}")
        if dispatch == today + timedelta(days=1):
            return "聽日出貨" if zh else "ships tomorrow"
        return f"{dispatch.month}月{dispatch.day}日出貨" if zh else f"ships {dispatch:%a} {dispatch.day} {dispatch:%b}"
    span = working_days_span(location.lead_days_min, location.lead_days_max, zh)
    return f"要 {span} 個工作天" if zh else f"{span} working days"


def _location(row: LocationStock, today: date, zh: bool) -> str:
    if zh:
        return f"{row.location.name_zh}有 {row.available} 件,{lead_time(row, today, zh)}"
    return f"{row.location.name_en} has {row.available} ({lead_time(row, today, zh)})"


def render(result: StockLookupResult, lang: Lang = "zh-HK") -> str:
    """「WB-BL-500 藍色水樽:長沙灣中轉倉有 12 件,今日下午 2 點前落單即日出貨;深圳倉有 200 件,要 2 至 3 個工作天。」"""
    zh = lang == "zh-HK"
    today = result.asked_at.date()
    product = result.product
    in_stock = [row for row in result.locations if row.available > 0]
    asked = result.location_asked
    if asked is not None and not in_stock:  # "and in <location>?": that location has none, not every location
        text = (f"{product.sku} {product.name_zh}:{asked.name_zh}而家冇貨。" if zh else
                f"{product.sku} {product.name_en}: none available at {asked.name_en}.")
    elif zh:
        text = f"{product.sku} {product.name_zh}:"
        text += (";".join(_location(row, today, zh) for row in in_stock) + "。") if in_stock else "而家邊個倉都冇貨。"
    else:
        text = f"{product.sku} {product.name_en}: "
        text += ("; ".join(_location(row, today, zh) for row in in_stock) + ".") if in_stock else \
            "out of stock at every location."
    parts = [text]
    if result.short and result.qty_asked and in_stock:
        parts.append(f"你要 {result.qty_asked} 件,香港冇一個倉夠數。" if zh else
                     f"No Hong Kong location has the {result.qty_asked} asked for.")
    if result.short and result.substitutes:
        if zh:
            offers = "、".join(f"{s.product.sku} {s.product.name_zh}(香港有 {s.local_available} 件)"
                              for s in result.substitutes)
            parts.append(f"可以考慮代替品:{offers}。")
        else:
            offers = ", ".join(f"{s.product.sku} {s.product.name_en} ({s.local_available} in Hong Kong)"
                               for s in result.substitutes)
            parts.append(f"In-stock substitutes: {offers}.")
    if product.unit_cost is not None:  # filled only for manager, finance and admin
        parts.append(f"成本價每件 ${product.unit_cost:,.2f}(售價 ${product.unit_price:,.2f})。" if zh else
                     f"Unit cost ${product.unit_cost:,.2f} (price ${product.unit_price:,.2f}).")
    shown = result.locations if asked is not None else in_stock
    if len(shown) > 1:
        stamps = [(row.location.name_zh if zh else row.location.name_en, row.updated_at) for row in shown]
        parts.append(freshness_by_location(stamps, today, zh, now=result.asked_at))
    else:
        parts.append(freshness(result.data_as_of, today, zh, now=result.asked_at))
    return ("" if zh else " ").join(parts)
