"""Render a `delivery_eta` result, plus the date, reason and freshness wording the ops renderers share.

Dates read 今日/聽日/後日 (today/tomorrow) where true, else 11月27日(星期五) / Fri 27 Nov. Every number,
date and name comes from the result.
"""

from __future__ import annotations

from datetime import date, datetime

from tools.eta import DeliveryEtaResult
from tools.sourcing import DeliveryPlan, Shipment
from tools.weather import WeatherState

_WEEKDAY_ZH = "一二三四五六日"
_RELATIVE_ZH = {0: "今日", 1: "聽日", 2: "後日"}
_RELATIVE_EN = {0: "today", 1: "tomorrow"}


def day_zh(day: date, today: date) -> str:
    """今日 / 聽日 / 後日, else 11月27日(星期五)."""
    word = _RELATIVE_ZH.get((day - today).days)
    return word or f"{day.month}月{day.day}日(星期{_WEEKDAY_ZH[day.weekday()]})"


def day_en(day: date, today: date) -> str:
    """today / tomorrow, else Fri 27 Nov."""
    word = _RELATIVE_EN.get((day - today).days)
    return word or f"{day:%a} {day.day} {day:%b}"


def day_words(day: date, today: date, zh: bool) -> str:
    """A day in the reply language."""
    return day_zh(day, today) if zh else day_en(day, today)


def range_words(first: date, last: date, today: date, zh: bool) -> str:
    """One day, or `first 至 last` / `first to last`."""
    if first == last:
        return day_words(first, today, zh)
    joiner = "至" if zh else " to "
    return f"{day_words(first, today, zh)}{joiner}{day_words(last, today, zh)}"


def clock_words(moment: datetime, today: date, zh: bool) -> str:
    """A planned time: 今日下午 3 點 / today 15:00."""
    day = day_words(moment.date(), today, zh)
    if not zh:
        return f"{day} {moment:%H:%M}"
    hour = moment.hour
    period = "上午" if hour < 12 else ("中午" if hour == 12 else "下午")
    shown = hour if hour <= 12 else hour - 12
    minutes = f" {moment.minute} 分" if moment.minute else ""
    return f"{day}{period} {shown} 點{minutes}"


def _cutoff_zh(clock: str) -> str:
    """`14:00` as 下午 2 點."""
    hours, _, minutes = clock.partition(":")
    moment = datetime(2000, 1, 1, int(hours), int(minutes or 0))
    return clock_words(moment, moment.date(), zh=True).removeprefix("今日")


def money(amount: float) -> str:
    """HK$ amounts as the result holds them: whole dollars without decimals."""
    return f"${amount:.0f}" if float(amount).is_integer() else f"${amount:.2f}"


def freshness(as_of: datetime | None, today: date, zh: bool, what_zh: str = "庫存", what_en: str = "Stock") -> str:
    """How fresh the figures are: 庫存更新於 10:32。 / Stock as of 10:32."""
    if as_of is None:
        return f"({what_zh}更新時間不明)" if zh else f"({what_en} update time unknown.)"
    when = f"{as_of:%H:%M}" if as_of.date() == today else (
        f"{day_zh(as_of.date(), today)} {as_of:%H:%M}" if zh else f"{day_en(as_of.date(), today)} {as_of:%H:%M}")
    return f"{what_zh}更新於 {when}。" if zh else f"{what_en} as of {when}."


def _typhoon_zh(weather: WeatherState | None) -> str:
    signal = weather.typhoon_signal if weather and weather.typhoon_signal else 8
    return f"{signal}號風球生效,暫停送貨"


def reason_words(plan: DeliveryPlan, today: date, zh: bool) -> list[str]:
    """Each reason code of a plan in words, with the holidays' names and the lead time's location."""
    words: list[str] = []
    lead = next((s for s in plan.shipments if "crossborder_lead" in s.reasons), None)
    supplier = next((s for s in plan.shipments if s.source == "supplier"), None)
    holidays_zh = "、".join(h.name_zh for h in plan.skipped_holidays)
    holidays_en = ", ".join(h.name_en for h in plan.skipped_holidays)
    for code in plan.reasons:
        if code == "after_cutoff":
            words.append("已過截單時間" if zh else "it is past the cutoff")
        elif code == "sunday":
            words.append("星期日唔送貨" if zh else "no deliveries on Sunday")
        elif code == "public_holiday":
            words.append(f"公眾假期唔送貨({holidays_zh})" if zh and holidays_zh else
                         "公眾假期唔送貨" if zh else
                         f"no deliveries on public holidays ({holidays_en})" if holidays_en else
                         "no deliveries on public holidays")
        elif code == "typhoon":
            signal = plan.weather.typhoon_signal if plan.weather and plan.weather.typhoon_signal else 8
            words.append(_typhoon_zh(plan.weather) if zh else
                         f"typhoon signal No. {signal} is in force, deliveries are suspended")
        elif code == "black_rain":
            words.append("黑色暴雨警告生效,暫停送貨" if zh else "a black rainstorm warning is in force, deliveries are suspended")
        elif code == "crossborder_lead" and lead is not None:
            span_zh = _span(lead, zh=True)
            words.append(f"由{lead.location.name_zh}出貨要 {span_zh} 個工作天" if zh else
                         f"goods from {lead.location.name_en} take {_span(lead, zh=False)} working days")
        elif code == "split":
            words.append("一個倉唔夠貨,要分批送" if zh else "no single location has enough, so it goes in parts")
        elif code == "supplier_arrival" and supplier is not None and supplier.supplier_arrival:
            arrival = supplier.supplier_arrival
            words.append(f"要等 {supplier.supplier} {arrival.month}月{arrival.day}日到貨" if zh else
                         f"waiting for {supplier.supplier} to deliver on {day_en(arrival, today)}")
    return words


def _span(shipment: Shipment, zh: bool) -> str:
    low, high = shipment.location.lead_days_min, shipment.location.lead_days_max
    if low == high:
        return str(high)
    return f"{low} 至 {high}" if zh else f"{low}-{high}"


def shipment_words(shipment: Shipment, today: date, zh: bool) -> str:
    """One part of a delivery: 12 件由長沙灣中轉倉出,今日送到 / 12 from Cheung Sha Wan Hub, arriving today."""
    when = range_words(shipment.eta_earliest, shipment.eta_latest, today, zh)
    if shipment.source == "supplier":
        return (f"{shipment.qty} 件要等 {shipment.supplier} 到貨,{when}送到" if zh else
                f"{shipment.qty} after {shipment.supplier} delivers, arriving {when}")
    return (f"{shipment.qty} 件由{shipment.location.name_zh}出,{when}送到" if zh else
            f"{shipment.qty} from {shipment.location.name_en}, arriving {when}")


def weather_note(plan: DeliveryPlan, zh: bool) -> str:
    """A note when the Observatory's warnings could not be read."""
    if plan.weather is not None and not plan.weather.known:
        return "(天文台警告暫時讀唔到,當冇警告計。)" if zh else "(Observatory warnings unavailable; assuming none.)"
    return ""


def plan_sentence(plan: DeliveryPlan, today: date, zh: bool) -> str:
    """Where it ships from and when it arrives, for any plan."""
    if not plan.shipments or plan.eta_latest is None or plan.eta_earliest is None:
        return "而家邊度都冇貨,亦冇供應商資料,暫時計唔到幾時到。" if zh else \
            "It is out of stock everywhere and no supplier is on file, so no date can be given yet."
    when = range_words(plan.eta_earliest, plan.eta_latest, today, zh)
    first = plan.shipments[0]
    if plan.choice == "split":
        parts = (";" if zh else "; ").join(shipment_words(s, today, zh) for s in plan.shipments)
        text = f"要分批送:{parts}。" if zh else f"In parts: {parts}."
    elif plan.choice == "supplier":
        text = (f"而家冇貨,要等 {first.supplier} 到貨,預計{when}送到。" if zh else
                f"Out of stock now; after {first.supplier} delivers it can arrive {when}.")
    elif first.source == "local" and first.dispatch_day == today and plan.eta_latest == today:
        cutoff = first.location.cutoff
        text = (f"由{first.location.name_zh}出貨,今日{_cutoff_zh(cutoff)}前落單即日送到。" if zh else
                f"Ships from {first.location.name_en}, arriving today if confirmed before {cutoff}.")
    else:
        text = (f"由{first.location.name_zh}出貨,{'預計' if plan.eta_earliest != plan.eta_latest else ''}{when}送到。"
                if zh else f"Ships from {first.location.name_en}, arriving {when}.")
    if plan.short_qty:
        text += (f"仲有 {plan.short_qty} 件暫時冇貨源。" if zh else f" {plan.short_qty} more have no source yet.")
    return text


def reasons_sentence(plan: DeliveryPlan, today: date, zh: bool) -> str:
    """原因:… / Why: …"""
    words = reason_words(plan, today, zh)
    if not words:
        return ""
    return f"原因:{'、'.join(words)}。" if zh else f"Why: {'; '.join(words)}."


def render(result: DeliveryEtaResult, lang: str = "zh-HK") -> str:
    """When a quantity of a product reaches an area, from where, and why on that day."""
    zh = lang == "zh-HK"
    today = result.asked_at.date()
    product = result.product
    head = (f"{result.qty} 件 {product.sku} {product.name_zh} 送{result.area.name_zh}:" if zh else
            f"{result.qty} x {product.sku} {product.name_en} to {result.area.name_en}: ")
    parts = [head + plan_sentence(result, today, zh), reasons_sentence(result, today, zh), weather_note(result, zh),
             freshness(result.data_as_of, today, zh)]
    return ("" if zh else " ").join(part for part in parts if part)
