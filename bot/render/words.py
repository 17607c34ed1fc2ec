"""The words every renderer shares: days, dates, clock times, money, freshness, and a delivery plan's reasons.

Two ways of writing a day: relative to the question's day for operational answers (今日 / 聽日 / 後日,
else 11月27日(星期五) / today, tomorrow, else Fri 27 Nov), and plain dates for planning answers over a
period (12月1日至7日 / 1–7 Dec). Every number, date and name comes from a tool result; nothing here
looks anything up.
"""

from __future__ import annotations

from datetime import date, datetime

from tools.alternatives import Alternative
from tools.sourcing import DeliveryPlan, Shipment

_WEEKDAY_ZH = "一二三四五六日"
_RELATIVE_ZH = {0: "今日", 1: "聽日", 2: "後日"}
_RELATIVE_EN = {0: "today", 1: "tomorrow"}


# --- days relative to the question's day -------------------------------------------------------------

def working_on_it(zh: bool) -> str:
    """What a chat app shows while a slow answer (a route plan) is being worked out."""
    return "收到,處理緊,請等等…" if zh else "Got it, working on it…"


def weekday_date_zh(day: date) -> str:
    """11月27日(星期五)."""
    return f"{day.month}月{day.day}日(星期{_WEEKDAY_ZH[day.weekday()]})"


def day_zh(day: date, today: date) -> str:
    """今日 / 聽日 / 後日, else 11月27日(星期五)."""
    return _RELATIVE_ZH.get((day - today).days) or weekday_date_zh(day)


def day_en(day: date, today: date) -> str:
    """today / tomorrow, else Fri 27 Nov."""
    return _RELATIVE_EN.get((day - today).days) or f"{day:%a} {day.day} {day:%b}"


def day_words(day: date, today: date, zh: bool) -> str:
    """A day in the reply language."""
    return day_zh(day, today) if zh else day_en(day, today)


def range_words(first: date, last: date, today: date, zh: bool) -> str:
    """One day, or `first 至 last` / `first to last`."""
    if first == last:
        return day_words(first, today, zh)
    joiner = "至" if zh else " to "
    return f"{day_words(first, today, zh)}{joiner}{day_words(last, today, zh)}"


# --- plain dates over a period -----------------------------------------------------------------------

def date_zh(day: date) -> str:
    """`12月1日`."""
    return f"{day.month}月{day.day}日"


def date_en(day: date) -> str:
    """`1 Dec`."""
    return f"{day.day} {day:%b}"


def date_range_zh(start: date, end: date) -> str:
    """`12月1日至7日` or `11月30日至12月6日`."""
    if start == end:
        return date_zh(start)
    return f"{date_zh(start)}至{end.day}日" if start.month == end.month else f"{date_zh(start)}至{date_zh(end)}"


def date_range_en(start: date, end: date) -> str:
    """`1–7 Dec` or `30 Nov–6 Dec`."""
    if start == end:
        return date_en(start)
    return f"{start.day}–{date_en(end)}" if start.month == end.month else f"{date_en(start)}–{date_en(end)}"


# --- clock times ---------------------------------------------------------------------------------------

def hhmm(moment: datetime) -> str:
    """`14:05`."""
    return moment.strftime("%H:%M")


def clock_zh(clock: str) -> str:
    """A `HH:MM` time of day as spoken: `14:00` -> 下午 2 點, `09:30` -> 上午 9 點 30 分."""
    hours, _, minutes = clock.partition(":")
    hour, minute = int(hours), int(minutes or 0)
    period = "上午" if hour < 12 else ("中午" if hour == 12 else "下午")
    shown = hour if hour <= 12 else hour - 12
    return f"{period} {shown} 點" + (f" {minute} 分" if minute else "")


def clock_words(moment: datetime, today: date, zh: bool) -> str:
    """A planned time: 今日下午 3 點 / today 15:00."""
    day = day_words(moment.date(), today, zh)
    if not zh:
        return f"{day} {moment:%H:%M}"
    return f"{day}{clock_zh(f'{moment:%H:%M}')}"


# --- quantities and money ------------------------------------------------------------------------------

def unit_price_words(amount: float) -> str:
    """A price per unit, always with its cents ($10.00, $3.45)."""
    return f"${amount:,.2f}"


def money(amount: float) -> str:
    """HK$ amounts as the result holds them: whole dollars without decimals."""
    return f"${amount:.0f}" if float(amount).is_integer() else f"${amount:.2f}"


def working_days_span(low: int, high: int, zh: bool) -> str:
    """A lead time range: `2 至 3` / `2-3`, or one number when both ends agree."""
    if low == high:
        return str(high)
    return f"{low} 至 {high}" if zh else f"{low}-{high}"


# --- freshness -----------------------------------------------------------------------------------------

def stamp_words(as_of: datetime, today: date, zh: bool, now: datetime | None = None) -> str:
    """When figures were updated: `10:32` for earlier today; otherwise (another day, or later than the clock's
    now, as when the clock is fixed before an import) an absolute date and time, never "tomorrow 00:22":
    `11月24日 18:00` / `24 Nov 18:00`."""
    if as_of.date() == today and (now is None or as_of <= now):
        return f"{as_of:%H:%M}"
    return f"{as_of.month}月{as_of.day}日 {as_of:%H:%M}" if zh else f"{as_of.day} {as_of:%b} {as_of:%H:%M}"


def freshness(as_of: datetime | None, today: date, zh: bool, what_zh: str = "庫存", what_en: str = "Stock",
              now: datetime | None = None) -> str:
    """How fresh operational figures are: 庫存更新於 10:32。 / Stock as of 10:32. (a date when not earlier today)."""
    if as_of is None:
        return f"({what_zh}更新時間不明)" if zh else f"({what_en} update time unknown.)"
    when = stamp_words(as_of, today, zh, now)
    return f"{what_zh}更新於 {when}。" if zh else f"{what_en} as of {when}."


# Locations' update times further apart than this are shown one by one (closer ones: the oldest alone).
FRESHNESS_SPREAD_MIN = 30


def freshness_by_location(stamps: list[tuple[str, datetime]], today: date, zh: bool,
                          now: datetime | None = None) -> str:
    """The update time of each location's figures when they differ (by more than FRESHNESS_SPREAD_MIN minutes):
    庫存更新時間:長沙灣中轉倉 10:18、深圳倉 11月24日 18:00。 / Stock as of: Cheung Sha Wan Hub 10:18, Shenzhen
    Warehouse 24 Nov 18:00. Otherwise the oldest time alone, as `freshness`."""
    if not stamps:
        return freshness(None, today, zh, now=now)
    times = [stamp for _name, stamp in stamps]
    if (max(times) - min(times)).total_seconds() <= FRESHNESS_SPREAD_MIN * 60:
        return freshness(min(times), today, zh, now=now)
    parts = [f"{name} {stamp_words(stamp, today, zh, now)}" for name, stamp in stamps]
    return f"庫存更新時間:{'、'.join(parts)}。" if zh else f"Stock as of: {', '.join(parts)}."


def dated_freshness(stamp: datetime | None, zh: bool) -> str:
    """How fresh planning figures are, with the date: 資料更新於 11月25日 08:00。 / Data as of 25 Nov 08:00."""
    if stamp is None:
        return ""
    return (f"資料更新於 {stamp.month}月{stamp.day}日 {stamp:%H:%M}。" if zh
            else f"Data as of {stamp.day} {stamp:%b %H:%M}.")


# --- a delivery plan: where from, when, and why --------------------------------------------------------

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
            words.append(f"{signal}號風球生效,暫停送貨" if zh else
                         f"typhoon signal No. {signal} is in force, deliveries are suspended")
        elif code == "black_rain":
            words.append("黑色暴雨警告生效,暫停送貨" if zh else "a black rainstorm warning is in force, deliveries are suspended")
        elif code == "crossborder_lead" and lead is not None:
            span = working_days_span(lead.location.lead_days_min, lead.location.lead_days_max, zh)
            words.append(f"由{lead.location.name_zh}出貨要 {span} 個工作天" if zh else
                         f"goods from {lead.location.name_en} take {span} working days")
        elif code == "split":
            words.append("一個倉唔夠貨,要分批送" if zh else "no single location has enough, so it goes in parts")
        elif code == "supplier_arrival" and supplier is not None and supplier.supplier_arrival:
            arrival = supplier.supplier_arrival
            words.append(f"要等 {supplier.supplier} {date_zh(arrival)}到貨" if zh else
                         f"waiting for {supplier.supplier} to deliver on {day_en(arrival, today)}")
    return words


def reasons_sentence(plan: DeliveryPlan, today: date, zh: bool) -> str:
    """原因:… / Why: …"""
    words = reason_words(plan, today, zh)
    if not words:
        return ""
    return f"原因:{'、'.join(words)}。" if zh else f"Why: {'; '.join(words)}."


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
        text = (f"由{first.location.name_zh}出貨,今日{clock_zh(cutoff)}前落單即日送到。" if zh else
                f"Ships from {first.location.name_en}, arriving today if confirmed before {cutoff}.")
    else:
        text = (f"由{first.location.name_zh}出貨,{'預計' if plan.eta_earliest != plan.eta_latest else ''}{when}送到。"
                if zh else f"Ships from {first.location.name_en}, arriving {when}.")
    if plan.short_qty:
        text += (f"仲有 {plan.short_qty} 件暫時冇貨源。" if zh else f" {plan.short_qty} more have no source yet.")
    return text


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


def alternatives_sentence(alternatives: list[Alternative], today: date, zh: bool) -> str:
    """Up to three ways to keep a promise at risk: 可以咁做:1. …;2. …。 / Options: 1. …; 2. …."""
    if not alternatives:
        return "暫時冇其他方法趕得切。" if zh else "Nothing else would make it in time."
    items = [f"{i}. {alternative_words(alt, today, zh)}" for i, alt in enumerate(alternatives[:3], start=1)]
    return ("可以咁做:" + ";".join(items) + "。") if zh else ("Options: " + "; ".join(items) + ".")
