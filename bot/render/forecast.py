"""Render a `demand_forecast` result in Cantonese or English (plus the forecast chart)."""

from __future__ import annotations

from pathlib import Path

from bot.messages import Attachment, Lang
from bot.render.words import date_en, date_range_en, date_range_zh, date_zh, dated_freshness
from tools.forecast import DemandForecastResult, ForecastComparison, ForecastDriver
from tools.forecasting.regions import region_name

_MODEL_EN = {"seasonal_naive": "a seasonal naive model (repeats recent weeks)",
             "historic_average": "the average of its few days of sales",
             "croston_optimized": "Croston's method for intermittent demand", "prophet": "Prophet"}
_MODEL_ZH = {"seasonal_naive": "簡單季節模型(重複最近幾個星期)", "historic_average": "佢幾日銷量嘅平均",
             "croston_optimized": "間歇需求模型(Croston)", "prophet": "Prophet"}


def render(result: DemandForecastResult, lang: Lang = "zh-HK") -> str:
    """One paragraph: the period total with its interval, the change against before, the drivers, the model."""
    zh = lang == "zh-HK"
    what = _what(result, zh)
    where = _where(result, zh)
    period = result.period.label_zh if zh else result.period.label_en
    pct = int(round(result.interval_width * 100))
    if zh:
        spacer = " " if what[-1:].isascii() and what[-1:].isalnum() else ""  # "500ml 需求", not "500ml需求"
        head = (f"預測{period}{where}{what}{spacer}需求約 {result.total} 件"
                f"({pct}% 區間 {result.total_lower}–{result.total_upper})")
    else:
        head = (f"Forecast for {period}: about {result.total} units of {what} in {where} "
                f"({pct}% interval {result.total_lower}–{result.total_upper})")
    parts = [head + _comparison(result.comparison, zh)]
    drivers = _drivers(result.drivers, zh)
    if drivers:
        parts.append(drivers)
    lines = [(";" if zh else "; ").join(parts) + ("。" if zh else ".")]
    lines.extend(_notes(result, zh))
    if result.truncated:
        lines.append(f"預測只去到 {date_zh(result.forecast_until)}。" if zh
                     else f"The forecast only reaches {date_en(result.forecast_until)}.")
    stamp = dated_freshness(result.data_as_of, zh)
    sales_to = date_zh(result.history_until) if zh else date_en(result.history_until)
    lines.append(f"{stamp[:-1]},銷售數據截至 {sales_to}。" if zh and stamp
                 else f"{stamp[:-1]}; sales up to {sales_to}." if stamp else "")
    return "\n".join(line for line in lines if line)


def attachments(result: DemandForecastResult) -> list[Attachment]:
    """The forecast chart, when one was drawn."""
    if not result.chart_path or not Path(result.chart_path).exists():
        return []
    return [Attachment(path=Path(result.chart_path), title="Forecast")]


def _what(result: DemandForecastResult, zh: bool) -> str:
    if result.category:
        return f"{result.category} 類貨品" if zh else f"the {result.category} category"
    product = result.products[0]
    return product.name_zh if zh else f"{product.name_en} ({product.sku})"


def _where(result: DemandForecastResult, zh: bool) -> str:
    if result.area is not None:
        share = f"{result.area_share:.0%}" if result.area_share is not None else "?"
        region = region_name(result.area.region, "zh-HK" if zh else "en")
        return (f"{result.area.name_zh}(佔{region}區近期銷量 {share})" if zh
                else f"{result.area.name_en} ({share} of {region}'s recent sales)")
    if result.region:
        return f"{region_name(result.region, 'zh-HK')}區" if zh else region_name(result.region, "en")
    return "全港" if zh else "all of Hong Kong"


def _comparison(comparison: ForecastComparison, zh: bool) -> str:
    span = (comparison.end - comparison.start).days + 1
    if comparison.basis == "same_period_last_year":
        before_zh, before_en = f"去年同期({date_range_zh(comparison.start, comparison.end)})", \
            f"the same period last year ({date_range_en(comparison.start, comparison.end)})"
    elif span == 7 and comparison.start.weekday() == 0:
        before_zh, before_en = f"之前一個星期({date_range_zh(comparison.start, comparison.end)})", \
            f"the week before ({date_range_en(comparison.start, comparison.end)})"
    elif comparison.start.day == 1 and span >= 28:
        before_zh, before_en = f"上一個月({date_range_zh(comparison.start, comparison.end)})", \
            f"the month before ({date_range_en(comparison.start, comparison.end)})"
    else:
        before_zh, before_en = f"之前 {span} 日({date_range_zh(comparison.start, comparison.end)})", \
            f"the {span} days before ({date_range_en(comparison.start, comparison.end)})"
    partly = (",部分係預測" if zh else ", partly forecast") if comparison.includes_forecast else ""
    if comparison.change_pct is None:
        return (f",{before_zh}冇銷售可以比較" if zh else f"; no sales in {before_en} to compare with")
    change = comparison.change_pct
    if zh:
        direction = "多" if change > 0 else "少"
        if round(abs(change)) == 0:
            return f",同{before_zh}差唔多({comparison.units} 件{partly})"
        return f",比{before_zh}{direction} {abs(change):.0f}%({comparison.units} 件{partly})"
    direction = "more" if change > 0 else "less"
    if round(abs(change)) == 0:
        return f", about the same as {before_en} ({comparison.units} units{partly})"
    return f", {abs(change):.0f}% {direction} than {before_en} ({comparison.units} units{partly})"


def _drivers(drivers: list[ForecastDriver], zh: bool) -> str:
    promos = [d for d in drivers if d.kind == "promotion"]
    holidays = [d for d in drivers if d.kind == "holiday"]
    parts: list[str] = []
    for promo in promos:
        region = (region_name(promo.region, "zh-HK") + "區" if zh else region_name(promo.region, "en")) \
            if promo.region and promo.region != "ALL" else ("全港" if zh else "all regions")
        effect = promo.effect_units
        if zh:
            extra = f",預計多賣約 {effect:.0f} 件" if effect and effect > 0 else ""
            parts.append(f"{date_zh(promo.start)}開始嘅{region}推廣「{promo.name_zh}」"
                         f"({date_range_zh(promo.start, promo.end)},{promo.discount_pct or 0:.0f}% 折扣{extra})")
        else:
            extra = f", about {effect:.0f} extra units" if effect and effect > 0 else ""
            parts.append(f"the {region} promotion \"{promo.name_en}\" from {date_en(promo.start)} "
                         f"({date_range_en(promo.start, promo.end)}, {promo.discount_pct or 0:.0f}% off{extra})")
    if holidays:
        names = [f"{h.name_zh}({date_zh(h.start)})" if zh else f"{h.name_en} ({date_en(h.start)})" for h in holidays]
        effect = sum(h.effect_units or 0 for h in holidays)
        if zh:
            tail = f",假期預計令需求{'少' if effect < 0 else '多'}約 {abs(effect):.0f} 件" if abs(effect) >= 1 else ""
            parts.append(f"期間有公眾假期:{'、'.join(names)}{tail}")
        else:
            tail = f", which moves demand by about {effect:+.0f} units" if abs(effect) >= 1 else ""
            parts.append(f"public holidays in the period: {', '.join(names)}{tail}")
    if not parts:
        return ""
    if zh:
        return ("主要因為" if promos else "") + ";".join(parts)
    return ("mainly because of " if promos else "") + "; ".join(parts)


def _notes(result: DemandForecastResult, zh: bool) -> list[str]:
    lines: list[str] = []
    seen: set[tuple[str, str]] = set()
    skus = sorted({note.sku for note in result.fallback_notes})
    if len(skus) > 2:  # a category: one line, not one per product
        shown = "、".join(skus[:6]) if zh else ", ".join(skus[:6])
        more = (f" 等 {len(skus)} 件貨品" if zh else f" and {len(skus) - 6} more") if len(skus) > 6 else ""
        return [f"{shown}{more}歷史短或者銷售斷斷續續,用咗後備模型預測,準確度會低啲。" if zh
                else f"{shown}{more} have short or intermittent sales and use a fallback model; expect a wider error."]
    for note in result.fallback_notes:
        if (note.sku, note.model) in seen:
            continue
        seen.add((note.sku, note.model))
        if zh:
            why = (f"只有 {note.history_days} 日銷售紀錄" if note.reason_code == "short_history"
                   else "銷售斷斷續續" if note.reason_code == "intermittent" else note.reason)
            lines.append(f"{note.sku} {why},所以用{_MODEL_ZH.get(note.model, note.model)}預測,準確度會低啲。")
        else:
            why = (f"has only {note.history_days} days of sales" if note.reason_code == "short_history"
                   else "sells intermittently" if note.reason_code == "intermittent" else note.reason)
            lines.append(f"{note.sku} {why}, so it is forecast with {_MODEL_EN.get(note.model, note.model)}; "
                         "expect a wider error.")
    return lines
