"""Render a `delivery_calendar` result: whether vans run on the day(s) asked, the holiday or the weekday
without vans by name, and the next delivery day."""

from __future__ import annotations

from bot.messages import Lang
from bot.render.words import weekday_date_zh
from tools.delivery_days import CalendarDay, DeliveryCalendarResult


def _day_en(day: CalendarDay) -> str:
    return f"{day.date:%a} {day.date.day} {day.date:%b}"


def _why_zh(day: CalendarDay) -> str:
    if day.reason == "public_holiday" and day.holiday is not None:
        return f"公眾假期({day.holiday.name_zh or day.holiday.name_en})"
    return "唔係送貨日(嗰日冇車)"


def _why_en(day: CalendarDay) -> str:
    if day.reason == "public_holiday" and day.holiday is not None:
        return f"a public holiday ({day.holiday.name_en or day.holiday.name_zh})"
    return "not a delivery day (no vans run that weekday)"


def render(result: DeliveryCalendarResult, lang: Lang = "zh-HK") -> str:
    """One day: 「12月25日(星期五)係公眾假期(聖誕節),冇車送貨;下一個送貨日係 12月28日(星期一)。」
    A range: the days without vans, each with its reason, then the next delivery day."""
    zh = lang == "zh-HK"
    closed = [day for day in result.days if not day.delivers]
    nxt = result.next_delivery_day
    if len(result.days) == 1:
        day = result.days[0]
        if day.delivers:
            return (f"{weekday_date_zh(day.date)}係送貨日,有車送貨。" if zh
                    else f"Yes, {_day_en(day)} is a delivery day: vans run.")
        if zh:
            return f"{weekday_date_zh(day.date)}係{_why_zh(day)},冇車送貨;下一個送貨日係 {weekday_date_zh(nxt)}。"
        return f"No deliveries on {_day_en(day)}: it is {_why_en(day)}. The next delivery day is {nxt:%a} {nxt.day} {nxt:%b}."
    first, last = result.days[0].date, result.days[-1].date
    if not closed:
        return (f"{weekday_date_zh(first)}至{weekday_date_zh(last)}每日都有車送貨。" if zh
                else f"Vans run every day from {first:%a} {first.day} {first:%b} to {last:%a} {last.day} {last:%b}.")
    if zh:
        listed = ";".join(f"{weekday_date_zh(day.date)}:{_why_zh(day)}" for day in closed)
        return (f"{weekday_date_zh(first)}至{weekday_date_zh(last)}之間,以下日子冇車送貨:{listed}。"
                f"第一個冇車嘅日子之後,下一個送貨日係 {weekday_date_zh(nxt)}。")
    listed = "; ".join(f"{_day_en(day)}: {_why_en(day)}" for day in closed)
    return (f"No deliveries on these days between {first:%a} {first.day} {first:%b} and {last:%a} {last.day} {last:%b}: "
            f"{listed}. After the first of them, vans run again on {nxt:%a} {nxt.day} {nxt:%b}.")
