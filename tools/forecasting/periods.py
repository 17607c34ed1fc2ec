"""Periods in the users' words, resolved against today: 下星期 is next Monday to Sunday.

Shared by `demand_forecast` (mostly future periods) and `sales_summary` (past periods). Keys are
stable English words (`next_week`, `last_month`, `2026-05`, ...); common Cantonese and English
phrasings are accepted as aliases.
"""

from __future__ import annotations

import calendar
import re
from datetime import date, timedelta

from pydantic import BaseModel

from tools.registry import ToolInputError


class Period(BaseModel):
    """A closed range of days with its key and how to say it."""

    key: str
    start: date
    end: date
    label_en: str
    label_zh: str
    # The words without the dates ("next week", "下星期"), to relabel a clipped period.
    name_en: str = ""
    name_zh: str = ""

    @property
    def days(self) -> int:
        """Number of days in the period."""
        return (self.end - self.start).days + 1


_ALIASES = {
    "today": "today", "今日": "today", "今天": "today",
    "tomorrow": "tomorrow", "聽日": "tomorrow", "明天": "tomorrow", "明日": "tomorrow",
    "yesterday": "yesterday", "尋日": "yesterday", "琴日": "yesterday", "昨天": "yesterday",
    "this_week": "this_week", "this week": "this_week", "呢個星期": "this_week", "呢星期": "this_week",
    "本週": "this_week", "今個星期": "this_week", "呢個禮拜": "this_week",
    "next_week": "next_week", "next week": "next_week", "下星期": "next_week", "下個星期": "next_week",
    "下個禮拜": "next_week", "下週": "next_week", "下周": "next_week",
    "last_week": "last_week", "last week": "last_week", "上星期": "last_week", "上個星期": "last_week",
    "上個禮拜": "last_week", "上週": "last_week", "上周": "last_week",
    "this_month": "this_month", "this month": "this_month", "呢個月": "this_month", "今個月": "this_month",
    "本月": "this_month",
    "next_month": "next_month", "next month": "next_month", "下個月": "next_month", "下月": "next_month",
    "last_month": "last_month", "last month": "last_month", "上個月": "last_month", "上月": "last_month",
    "未來兩週": "next_2_weeks", "未來兩個星期": "next_2_weeks", "next two weeks": "next_2_weeks",
    "next 2 weeks": "next_2_weeks", "未來一週": "next_7_days", "未來一個星期": "next_7_days",
}
_MONTHS_EN = {name.lower(): index for index, name in enumerate(calendar.month_name) if name}
_MONTHS_EN.update({name.lower(): index for index, name in enumerate(calendar.month_abbr) if name})


def _fmt_en(start: date, end: date) -> str:
    if start == end:
        return f"{start.day} {start:%b}"
    if start.month == end.month:
        return f"{start.day}–{end.day} {end:%b}"
    return f"{start.day} {start:%b}–{end.day} {end:%b}"


def _fmt_zh(start: date, end: date) -> str:
    if start == end:
        return f"{start.month}月{start.day}日"
    if start.month == end.month:
        return f"{start.month}月{start.day}日至{end.day}日"
    return f"{start.month}月{start.day}日至{end.month}月{end.day}日"


def _month(year: int, month: int) -> tuple[date, date]:
    return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])


def _shift_month(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def explicit_period(start: date, end: date) -> Period:
    """A period given as two dates (both included)."""
    if end < start:
        raise ToolInputError(f"The period ends ({end}) before it starts ({start}).",
                             f"個時段完結日({end})早過開始日({start})。", code="bad_period", field_name="period")
    return Period(key="dates", start=start, end=end, label_en=_fmt_en(start, end), label_zh=_fmt_zh(start, end))


def resolve_period(text: str, today: date, *, to_date: bool = False) -> Period:
    """A period key or phrase (`next_week`, `下星期`, `last_month`, `2026-05`, `May 2026`, `next_10_days`).

    With `to_date`, periods that contain today (this week / this month) end today (for sales to date).
    """
    raw = (text or "").strip()
    key = _ALIASES.get(raw.lower(), _ALIASES.get(raw, raw.lower().replace(" ", "_")))
    monday = today - timedelta(days=today.weekday())
    start: date
    end: date
    label_en = label_zh = ""
    if key == "today":
        start = end = today
        label_en, label_zh = "today", "今日"
    elif key == "tomorrow":
        start = end = today + timedelta(days=1)
        label_en, label_zh = "tomorrow", "聽日"
    elif key == "yesterday":
        start = end = today - timedelta(days=1)
        label_en, label_zh = "yesterday", "尋日"
    elif key == "this_week":
        start, end = monday, monday + timedelta(days=6)
        label_en, label_zh = "this week", "呢個星期"
    elif key == "next_week":
        start, end = monday + timedelta(days=7), monday + timedelta(days=13)
        label_en, label_zh = "next week", "下星期"
    elif key == "last_week":
        start, end = monday - timedelta(days=7), monday - timedelta(days=1)
        label_en, label_zh = "last week", "上星期"
    elif key == "this_month":
        start, end = _month(today.year, today.month)
        label_en, label_zh = "this month", "呢個月"
    elif key == "next_month":
        start, end = _month(*_year_month(_shift_month(today, 1)))
        label_en, label_zh = "next month", "下個月"
    elif key == "last_month":
        start, end = _month(*_year_month(_shift_month(today, -1)))
        label_en, label_zh = "last month", "上個月"
    elif match := re.fullmatch(r"(next|last)_(\d{1,3})_(days|weeks)", key):
        count = int(match.group(2)) * (7 if match.group(3) == "weeks" else 1)
        if match.group(1) == "next":
            start, end = today + timedelta(days=1), today + timedelta(days=count)
            label_en, label_zh = f"the next {count} days", f"未來{count}日"
        else:
            start, end = today - timedelta(days=count), today - timedelta(days=1)
            label_en, label_zh = f"the last {count} days", f"過去{count}日"
        if count % 7 == 0 and count // 7 == 2:
            label_en, label_zh = label_en.replace("14 days", "two weeks"), label_zh.replace("14日", "兩個星期")
    elif month := _parse_month(raw, today):
        start, end = _month(*month)
        label_en, label_zh = f"{start:%B %Y}", f"{start.year}年{start.month}月"
        key = f"{start.year:04d}-{start.month:02d}"
    else:
        raise ToolInputError(
            f"I don't understand the period '{raw}'. Try next week, next month, last month, 2026-05 or two dates.",
            f"唔明白時段「{raw}」。可以講下星期、下個月、上個月、2026-05,或者起止日期。",
            code="bad_period", field_name="period",
            suggestions=["next_week", "next_2_weeks", "next_month", "this_week", "last_week", "last_month"])
    if to_date and start <= today <= end:
        end = today
    return _labelled(key, start, end, label_en, label_zh)


def _labelled(key: str, start: date, end: date, name_en: str, name_zh: str) -> Period:
    if not name_en:
        return Period(key=key, start=start, end=end, label_en=_fmt_en(start, end), label_zh=_fmt_zh(start, end))
    return Period(key=key, start=start, end=end, label_en=f"{name_en} ({_fmt_en(start, end)})",
                  label_zh=f"{name_zh}({_fmt_zh(start, end)})", name_en=name_en, name_zh=name_zh)


_NAMED = ("today", "tomorrow", "yesterday", "this_week", "next_week", "last_week", "this_month", "next_month",
          "last_month", "next_2_weeks")


def dated_period(start: date, end: date, today: date) -> Period:
    """Two dates as a period, named in words when they are one ("next week" for next Monday to Sunday)."""
    for key in _NAMED:
        named = resolve_period(key, today)
        if (named.start, named.end) == (start, end):
            return named
    if start.day == 1 and end.month == start.month and (end + timedelta(days=1)).day == 1:
        return resolve_period(f"{start.year:04d}-{start.month:02d}", today)
    return explicit_period(start, end)


def clip_period(period: Period, end: date) -> Period:
    """The same period ending earlier (to the last day with data), relabelled."""
    return _labelled(period.key, period.start, min(end, period.end), period.name_en, period.name_zh)


def previous_period(period: Period) -> Period:
    """The period just before, of the same kind: a week is compared with the week before (the same
    weekdays when it runs to date), a month with the month before (the same days), others with the
    same number of days just before."""
    start, end = period.start, period.end
    # A month, or the first days of one (a month to date), given by key or by its dates.
    is_month = period.key in ("this_month", "next_month", "last_month") or re.fullmatch(r"\d{4}-\d{2}", period.key) \
        or (start.day == 1 and end.month == start.month and end.year == start.year and period.days >= 7)
    # A week, or its first days (Monday to date), given by key or by its dates.
    is_week = period.key in ("this_week", "next_week", "last_week") or (start.weekday() == 0 and period.days <= 7)
    if is_week:
        prev_start, prev_end = start - timedelta(days=7), end - timedelta(days=7)
    elif is_month:
        prev_start = _shift_month(start, -1)
        last = calendar.monthrange(prev_start.year, prev_start.month)[1]
        prev_end = prev_start.replace(day=min(last, period.days))
    else:
        prev_end = start - timedelta(days=1)
        prev_start = prev_end - timedelta(days=period.days - 1)
    result = explicit_period(prev_start, prev_end)
    return result.model_copy(update={"key": "previous"})


def _year_month(day: date) -> tuple[int, int]:
    return day.year, day.month


def _parse_month(raw: str, today: date) -> tuple[int, int] | None:
    text = raw.strip().lower()
    if match := re.fullmatch(r"(\d{4})-(\d{1,2})", text):
        year, month = int(match.group(1)), int(match.group(2))
    elif match := re.fullmatch(r"(\d{4})\s*年\s*(\d{1,2})\s*月", text):
        year, month = int(match.group(1)), int(match.group(2))
    elif match := re.fullmatch(r"(\d{1,2})\s*月", text):
        month = int(match.group(1))
        year = today.year if month <= today.month else today.year - 1
    elif match := re.fullmatch(r"([a-z]+)\.?\s*(\d{4})?", text):
        if match.group(1) not in _MONTHS_EN:
            return None
        month = _MONTHS_EN[match.group(1)]
        year = int(match.group(2)) if match.group(2) else (today.year if month <= today.month else today.year - 1)
    else:
        return None
    return (year, month) if 1 <= month <= 12 else None
