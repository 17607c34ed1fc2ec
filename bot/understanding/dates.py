"""Dates, periods and clock times in Cantonese and English, relative to a given `now`.

Weeks run Monday to Sunday. A bare weekday (星期五, Friday) is the coming one (today if today is
that day); 下星期五 / next Friday is that day of next week. Explicit dates without a year
(12月1日, 1/12 = 1 December, Dec 1) fall in this year unless that is more than 30 days past and the
same day next year is at most 90 days ahead (so 1月5日 asked in November is next January).

All patterns run on the normalised, lower-cased text (see normalize.match_key).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import Literal

import holidays
from pydantic import BaseModel, Field

from bot.understanding.numerals import CHINESE_NUMBER, parse_number

Grain = Literal["day", "week", "month", "range", "year"]


class DateMention(BaseModel):
    """A day or a period named in the question. A single day has `start == end`."""

    start: date = Field(description="first day, included")
    end: date = Field(description="last day, included")
    grain: Grain = Field(description="day, week (Mon-Sun), month, range (N days/weeks) or year")
    text: str = Field(description="the words that named it")
    deadline: bool = Field(False, description="said as a limit: 'by Friday', '星期五之前'")

    @property
    def is_day(self) -> bool:
        """True for a single day."""
        return self.start == self.end


class TimeMention(BaseModel):
    """A clock time named in the question (下晝3點, 3pm, 15:30)."""

    hour: int = Field(ge=0, le=23)
    minute: int = Field(0, ge=0, le=59)
    text: str


class Found(BaseModel):
    """A dated or timed phrase and where it sits in the text (for masking)."""

    start: int
    end: int
    date: DateMention | None = None
    time: TimeMention | None = None


_WEEKDAY_ZH = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6}
_WEEKDAY_EN = {
    "monday": 0, "mon": 0, "tuesday": 1, "tue": 1, "tues": 1, "wednesday": 2, "wed": 2,
    "thursday": 3, "thu": 3, "thur": 3, "thurs": 3, "friday": 4, "fri": 4, "saturday": 5, "sat": 5,
    "sunday": 6, "sun": 6,
}
_MONTH_EN = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4,
    "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8, "september": 9,
    "sep": 9, "sept": 9, "october": 10, "oct": 10, "november": 11, "nov": 11, "december": 12, "dec": 12,
}
_WEEK_WORD = "(?:星期|禮拜|週)"
_THIS = "(?:呢個|呢|今個|這個|這|本)"
_NEXT = "(?:下個|下)"
_LAST = "(?:上個|上)"
_EN_WEEKDAY = "|".join(sorted(_WEEKDAY_EN, key=len, reverse=True))
_EN_MONTH = "|".join(sorted(_MONTH_EN, key=len, reverse=True))
_NUM = rf"(\d+|{CHINESE_NUMBER})"

_DEADLINE_BEFORE = re.compile(r"(?:\bby|\bbefore|\bno later than|\bon or before|\buntil|\btill|趕)\s*(?:the\s+)?$")
_DEADLINE_AFTER = re.compile(r"^\s*(?:或之前|之前|以前|前|內|或以前|截止|送到|送貨到|到貨|收到|交貨)")


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _day(today: date, offset: int, text: str) -> DateMention:
    target = today + timedelta(days=offset)
    return DateMention(start=target, end=target, grain="day", text=text)


def _week(monday: date, text: str) -> DateMention:
    return DateMention(start=monday, end=monday + timedelta(days=6), grain="week", text=text)


def _month(year: int, month: int, text: str) -> DateMention:
    while month < 1:
        year, month = year - 1, month + 12
    while month > 12:
        year, month = year + 1, month - 12
    first = date(year, month, 1)
    following = date(year + (month == 12), month % 12 + 1, 1)
    return DateMention(start=first, end=following - timedelta(days=1), grain="month", text=text)


def _weekday(today: date, which: str, weekday: int, text: str) -> DateMention:
    if which == "next":
        target = _monday(today) + timedelta(days=7 + weekday)
    elif which == "this":
        target = _monday(today) + timedelta(days=weekday)
    elif which == "last":
        target = _monday(today) - timedelta(days=7 - weekday)
    else:  # the coming one, today included
        target = today + timedelta(days=(weekday - today.weekday()) % 7)
    return DateMention(start=target, end=target, grain="day", text=text)


def _which_zh(prefix: str | None) -> str:
    if not prefix:
        return "coming"
    if prefix.startswith("下"):
        return "next"
    if prefix.startswith("上"):
        return "last"
    return "this"


def _explicit(today: date, month: int, day: int, text: str, year: int | None = None) -> DateMention | None:
    try:
        target = date(year or today.year, month, day)
    except ValueError:
        return None
    if year is None and target < today - timedelta(days=30):
        try:
            next_year = date(today.year + 1, month, day)
        except ValueError:
            next_year = None
        if next_year is not None and next_year - today <= timedelta(days=90):
            target = next_year
    return DateMention(start=target, end=target, grain="day", text=text)


def _span(today: date, amount: float | None, unit: str, forward: bool, text: str) -> DateMention | None:
    if amount is None or amount <= 0 or amount > 366:
        return None
    unit = unit.lower()
    if unit.startswith(("星期", "禮拜", "週", "個星期", "個禮拜", "week", "wk")):
        days = int(amount * 7)
    elif unit.startswith(("個月", "month")):
        days = int(amount * 30)
    else:
        days = int(amount)
    if forward:
        start, end = today + timedelta(days=1), today + timedelta(days=days)
    else:
        start, end = today - timedelta(days=days), today - timedelta(days=1)
    return DateMention(start=start, end=end, grain="range", text=text)


Handler = Callable[[re.Match[str], date], DateMention | None]


def _fixed(offset: int) -> Handler:
    return lambda m, today: _day(today, offset, m.group(0))


_DATE_RULES: list[tuple[re.Pattern[str], Handler]] = [
    (re.compile(r"大後日|大後天"), _fixed(3)),
    (re.compile(r"後日|後天|\bday after tomorrow\b"), _fixed(2)),
    (re.compile(r"聽日|明天|明日|\btomorrow\b|\btmrw?\b"), _fixed(1)),
    (re.compile(r"今日|今天|今晚|\btoday\b|\btonight\b"), _fixed(0)),
    (re.compile(r"琴日|尋日|昨日|昨天|\byesterday\b"), _fixed(-1)),
    (re.compile(r"前日|前天"), _fixed(-2)),
    # weekdays: 星期五, 下星期五, 呢個禮拜三, 週五
    (re.compile(rf"({_THIS}|{_NEXT}|{_LAST})?{_WEEK_WORD}([一二三四五六日天])"),
     lambda m, today: _weekday(today, _which_zh(m.group(1)), _WEEKDAY_ZH[m.group(2)], m.group(0))),
    (re.compile(rf"\b(?:(next|this|last|coming)\s+)?({_EN_WEEKDAY})\b"),
     lambda m, today: _weekday(today, {"next": "next", "this": "this", "last": "last"}.get(m.group(1) or "", "coming"),
                               _WEEKDAY_EN[m.group(2)], m.group(0))),
    # weeks
    (re.compile(rf"下下{_WEEK_WORD}|下下個{_WEEK_WORD}|\bthe week after next\b"),
     lambda m, today: _week(_monday(today) + timedelta(days=14), m.group(0))),
    (re.compile(rf"{_NEXT}{_WEEK_WORD}|\bnext week\b"),
     lambda m, today: _week(_monday(today) + timedelta(days=7), m.group(0))),
    (re.compile(rf"{_THIS}{_WEEK_WORD}|\bthis week\b"), lambda m, today: _week(_monday(today), m.group(0))),
    (re.compile(rf"{_LAST}{_WEEK_WORD}|\blast week\b"),
     lambda m, today: _week(_monday(today) - timedelta(days=7), m.group(0))),
    (re.compile(r"週末|\b(?:this )?weekend\b"),
     lambda m, today: DateMention(start=max(today, _monday(today) + timedelta(days=5)),
                                  end=_monday(today) + timedelta(days=6), grain="range", text=m.group(0))),
    # months
    (re.compile(r"(?:呢個|今個|這個|本)月|\bthis month\b"), lambda m, today: _month(today.year, today.month, m.group(0))),
    (re.compile(r"上個?月|\blast month\b"), lambda m, today: _month(today.year, today.month - 1, m.group(0))),
    (re.compile(r"下個?月|\bnext month\b"), lambda m, today: _month(today.year, today.month + 1, m.group(0))),
    (re.compile(r"今年|\bthis year\b"),
     lambda m, today: DateMention(start=date(today.year, 1, 1), end=date(today.year, 12, 31), grain="year",
                                  text=m.group(0))),
    (re.compile(r"去年|舊年|\blast year\b"),
     lambda m, today: DateMention(start=date(today.year - 1, 1, 1), end=date(today.year - 1, 12, 31),
                                  grain="year", text=m.group(0))),
    # rolling spans: 未來兩週, next 2 weeks, 過去7日, last 30 days
    (re.compile(rf"(?:未來|之後|接落嚟|跟住)\s*{_NUM}\s*(個星期|個禮拜|星期|禮拜|週|個月|日|天)"),
     lambda m, today: _span(today, parse_number(m.group(1)), m.group(2), True, m.group(0))),
    (re.compile(r"\b(?:next|coming|the next)\s+(\d+|two|three|four)\s+(weeks?|days?|months?)\b"),
     lambda m, today: _span(today, _en_small(m.group(1)), m.group(2), True, m.group(0))),
    (re.compile(rf"(?:過去|最近|前)\s*{_NUM}\s*(個星期|個禮拜|星期|禮拜|週|個月|日|天)"),
     lambda m, today: _span(today, parse_number(m.group(1)), m.group(2), False, m.group(0))),
    (re.compile(r"\b(?:last|past|previous|the last|the past)\s+(\d+|two|three|four)\s+(weeks?|days?|months?)\b"),
     lambda m, today: _span(today, _en_small(m.group(1)), m.group(2), False, m.group(0))),
    # "上兩個星期" / "上3個月": that many whole weeks (months) before this one
    (re.compile(rf"上\s*{_NUM}\s*(個星期|個禮拜|星期|禮拜|週|個月)"),
     lambda m, today: _previous_whole(today, parse_number(m.group(1)), m.group(2), m.group(0))),
    # a month of a year: 2026年10月, Oct 2026, Sept 2026, May 2026, 2026-10
    (re.compile(r"(20\d\d)\s*年\s*(1[0-2]|0?[1-9])\s*月份?(?![\d日號])"),
     lambda m, today: _month(int(m.group(1)), int(m.group(2)), m.group(0))),
    (re.compile(rf"\b({_EN_MONTH})\.?,?\s*(20\d\d)\b"),
     lambda m, today: _month(int(m.group(2)), _MONTH_EN[m.group(1)], m.group(0))),
    (re.compile(r"\b(20\d\d)-(1[0-2]|0[1-9])\b(?!-\d)"),
     lambda m, today: _month(int(m.group(1)), int(m.group(2)), m.group(0))),
    # day ranges within a month: 12月1日至15日, 12月1號到12月15號, 1-15 Dec, Dec 1-15, 1 to 15 December
    (re.compile(r"(?:(20\d\d)年)?(\d{1,2})月(\d{1,2})(?:日|號)?\s*(?:至|到|-|–|~)\s*(?:(\d{1,2})月)?(\d{1,2})\s*(?:日|號)"),
     lambda m, today: _day_range(today, int(m.group(2)), int(m.group(3)), int(m.group(4) or m.group(2)),
                                 int(m.group(5)), m.group(0), _year(m.group(1)))),
    (re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s*(?:-|–|to|until|till)\s*(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?"
                rf"({_EN_MONTH})\b\.?(?:,?\s*(20\d\d))?"),
     lambda m, today: _day_range(today, _MONTH_EN[m.group(3)], int(m.group(1)), _MONTH_EN[m.group(3)],
                                 int(m.group(2)), m.group(0), _year(m.group(4)))),
    (re.compile(rf"\b({_EN_MONTH})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?\s*(?:-|–|to|until|till)\s*(\d{{1,2}})(?:st|nd|rd|th)?\b"
                rf"(?:,?\s*(20\d\d))?"),
     lambda m, today: _day_range(today, _MONTH_EN[m.group(1)], int(m.group(2)), _MONTH_EN[m.group(1)],
                                 int(m.group(3)), m.group(0), _year(m.group(4)))),
    # "May" is also a verb: a month only after in/for/during/of/since or before a year (above) or sales words
    (re.compile(r"\b(?:in|for|during|of|since|last|this|next)\s+(may)\b|\b(may)\s+(?=(?:sales|revenue|units|forecast"
                r"|demand|figures|orders|deliveries)\b)"),
     lambda m, today: _named_month(today, 5, m.group(0))),
    # explicit dates
    (re.compile(r"\b(20\d\d)-(\d{1,2})-(\d{1,2})\b"),
     lambda m, today: _explicit(today, int(m.group(2)), int(m.group(3)), m.group(0), int(m.group(1)))),
    (re.compile(r"(?:(20\d\d)年)?(\d{1,2})月(\d{1,2})(?:日|號)"),
     lambda m, today: _explicit(today, int(m.group(2)), int(m.group(3)), m.group(0),
                                int(m.group(1)) if m.group(1) else None)),
    (re.compile(r"(?<![\d/])(\d{1,2})/(\d{1,2})(?:/(20\d\d|\d\d))?(?![\d/])"),
     lambda m, today: _explicit(today, int(m.group(2)), int(m.group(1)), m.group(0), _year(m.group(3)))),
    (re.compile(rf"\b({_EN_MONTH})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?\b(?:,?\s*(20\d\d))?"),
     lambda m, today: _explicit(today, _MONTH_EN[m.group(1)], int(m.group(2)), m.group(0), _year(m.group(3)))),
    (re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?({_EN_MONTH})\b(?:,?\s*(20\d\d))?"),
     lambda m, today: _explicit(today, _MONTH_EN[m.group(2)], int(m.group(1)), m.group(0), _year(m.group(3)))),
    # a month on its own: 10月, October (the one this year unless that is more than 6 months ahead)
    (re.compile(r"(?<![\d年])(1[0-2]|[1-9])月份?(?![\d日號])"),
     lambda m, today: _named_month(today, int(m.group(1)), m.group(0))),
    (re.compile(r"\b(?:in\s+)?(january|february|march|april|june|july|august|september|october|november|december)\b"),
     lambda m, today: _named_month(today, _MONTH_EN[m.group(1)], m.group(0))),
]


def _en_small(word: str) -> float | None:
    return {"two": 2.0, "three": 3.0, "four": 4.0}.get(word) or parse_number(word)


def _year(text: str | None) -> int | None:
    if not text:
        return None
    value = int(text)
    return value + 2000 if value < 100 else value


def _named_month(today: date, month: int, text: str) -> DateMention:
    year = today.year - 1 if month - today.month > 6 else today.year
    return _month(year, month, text)


def _previous_whole(today: date, amount: float | None, unit: str, text: str) -> DateMention | None:
    """上兩個星期: the N whole weeks before this one; 上3個月: the N whole months before this one."""
    if amount is None or amount < 1 or amount > 24 or amount != int(amount):
        return None
    count = int(amount)
    if "月" in unit:
        first = _month(today.year, today.month - count, text).start
        last = _month(today.year, today.month - 1, text).end
    else:
        first = _monday(today) - timedelta(days=7 * count)
        last = _monday(today) - timedelta(days=1)
    return DateMention(start=first, end=last, grain="range", text=text)


def _day_range(today: date, month: int, day: int, end_month: int, end_day: int, text: str,
               year: int | None) -> DateMention | None:
    """12月1日至15日: both ends included; without a year, the first day follows the rule of `_explicit` and the
    last day is the first one on or after it."""
    first = _explicit(today, month, day, text, year)
    if first is None:
        return None
    try:
        last = date(first.start.year, end_month, end_day)
    except ValueError:
        return None
    if last < first.start:
        try:
            last = date(first.start.year + 1, end_month, end_day)
        except ValueError:
            return None
    if (last - first.start).days > 366:
        return None
    return DateMention(start=first.start, end=last, grain="range", text=text)


# --- Hong Kong holidays by name -----------------------------------------------------------------------------
# The dates come from the `holidays` package (the general-holiday list of tools/calendar.py); this table only
# says which of the package's (English) holiday names the common words in either language mean. A festival the
# list gives only as "The day following X" is X on the day before. `span` words cover every day of a holiday
# period (Lunar New Year, Easter).
_HOLIDAY_WORDS: list[tuple[str, str, bool]] = [
    (r"聖誕節?翌日|聖誕後一日|節禮日|\bboxing day\b|(?<!delivery )(?<!working )\bday after christmas\b", "The first weekday after Christmas Day", False),
    (r"聖誕節?|聖誕日|\bchristmas(?: day)?\b|\bxmas\b|\bx'mas\b", "Christmas Day", False),
    (r"元旦|\bnew year'?s? day\b|\bnew year\b(?!'?s? eve)", "The first day of January", False),
    (r"年初([一二三四])", "", False),
    (r"農曆新年|農曆年|新年|過年|\blunar new year\b|\bchinese new year\b|\bcny\b", "Lunar New Year", True),
    (r"耶穌受難節|\bgood friday\b", "Good Friday", False),
    (r"復活節星期一|\beaster monday\b", "Easter Monday", False),
    (r"復活節|\beaster\b", "Easter|Good Friday", True),
    (r"清明節?|\bching ming\b", "Ching Ming Festival", False),
    (r"勞動節|五一|\blabou?r day\b", "Labour Day", False),
    (r"佛誕|\bbuddha'?s birthday\b|\bbirthday of the buddha\b", "The Birthday of the Buddha", False),
    (r"端午節?|糭節|\btuen ng\b|\bdragon boat (?:festival|day)\b", "Tuen Ng Festival", False),
    (r"回歸紀念日|回歸日|七一|\bestablishment day\b|\bjuly 1st holiday\b", "Establishment Day", False),
    (r"中秋節?翌日|\bday after mid-?autumn\b", "The day following the Chinese Mid-Autumn Festival", False),
    (r"中秋節?|\bmid-?autumn(?: festival)?\b", "Chinese Mid-Autumn Festival", False),
    (r"國慶日?|\bnational day\b", "National Day", False),
    (r"重陽節?|\bchung yeung\b", "Chung Yeung Festival", False),
]
_LNY_DAY = {"一": "Lunar New Year's Day", "二": "The second day of Lunar New Year",
            "三": "The third day of Lunar New Year", "四": "The fourth day of Lunar New Year"}
_FOLLOWING = "The day following "


@lru_cache(maxsize=16)
def _holiday_days(year: int) -> tuple[tuple[date, str], ...]:
    """(day, English name) of the year's Hong Kong general holidays, plus each festival the list names only
    through "The day following X" as X on the day before."""
    table = holidays.country_holidays("HK", years=year, categories=("optional",), language="en_HK")
    named = sorted(table.items())
    names = {name for _, name in named}
    derived = [(day - timedelta(days=1), name[len(_FOLLOWING):].removeprefix("the "))
               for day, name in named if name.startswith(_FOLLOWING)
               and name[len(_FOLLOWING):].removeprefix("the ") not in names]
    return tuple(sorted(named + derived))


def _holiday(today: date, wanted: str, span: bool, text: str) -> DateMention | None:
    """The next occurrence (on or after today) of the holiday whose package name matches `wanted`."""
    pattern = re.compile(wanted if span or "|" in wanted else rf"^(?:{re.escape(wanted)}|.*\b{re.escape(wanted)})$")
    for year in (today.year, today.year + 1):
        days = [day for day, name in _holiday_days(year) if pattern.search(name)]
        if not days:
            continue
        if span:
            first, last = min(days), max(days)
            if last >= today:
                return DateMention(start=first, end=last, grain="range", text=text)
        else:
            upcoming = [day for day in days if day >= today]
            if upcoming:
                return DateMention(start=upcoming[0], end=upcoming[0], grain="day", text=text)
    return None


def _holiday_rule(words: str, wanted: str, span: bool) -> tuple[re.Pattern[str], Handler]:
    if wanted:
        return re.compile(words), lambda m, today: _holiday(today, wanted, span, m.group(0))
    return re.compile(words), lambda m, today: _holiday(today, _LNY_DAY[m.group(1)], False, m.group(0))


_DATE_RULES.extend(_holiday_rule(words, wanted, span) for words, wanted, span in _HOLIDAY_WORDS)

# Clock times: 下晝3點, 3點半, 晏晝兩點, 3pm, 3:30pm, 15:00, noon.
_TIME_ZH = re.compile(
    rf"(朝早|上晝|上午|早上|中午|晏晝|下晝|下午|傍晚|夜晚|晚上|晚|夜)?\s*(\d{{1,2}}|{CHINESE_NUMBER})\s*(?:點鐘|點|時)"
    r"(?:\s*(半|\d{1,2})\s*(?:分)?)?"
)
_TIME_EN = re.compile(r"\b(\d{1,2})(?::(\d{2}))?\s*(am|pm|a\.m\.|p\.m\.)|\b([01]?\d|2[0-3]):([0-5]\d)\b|\bnoon\b|\bmidday\b")
_AFTERNOON = {"晏晝", "下晝", "下午", "傍晚", "夜晚", "晚上", "晚", "夜"}


def _time_zh(match: re.Match[str]) -> TimeMention | None:
    hour_value = parse_number(match.group(2))
    if hour_value is None or hour_value > 24:
        return None
    hour = int(hour_value)
    period = match.group(1)
    if match.group(2) == "一" and period is None:
        return None  # 快一點 / 平一點 mean "a bit", not one o'clock
    minute = 0
    extra = match.group(3)
    if extra == "半":
        minute = 30
    elif extra:
        # 3點3 = 3:15 (each step of the clock face is 5 minutes); 3點15 = 3:15.
        minute = int(extra) * 5 if len(extra) == 1 else int(extra)
    if period in _AFTERNOON and hour < 12:
        hour += 12
    elif period is None and 1 <= hour <= 7:
        hour += 12  # business hours: "3點前" means the afternoon
    if hour > 23 or minute > 59:
        return None
    return TimeMention(hour=hour, minute=minute, text=match.group(0).strip())


def _time_en(match: re.Match[str]) -> TimeMention | None:
    text = match.group(0)
    if text in {"noon", "midday"}:
        return TimeMention(hour=12, minute=0, text=text)
    if match.group(1):
        hour, minute = int(match.group(1)), int(match.group(2) or 0)
        if hour > 12 or minute > 59:
            return None
        if match.group(3).startswith("p") and hour < 12:
            hour += 12
        elif match.group(3).startswith("a") and hour == 12:
            hour = 0
        return TimeMention(hour=hour, minute=minute, text=text)
    return TimeMention(hour=int(match.group(4)), minute=int(match.group(5)), text=text)


_RANGE_JOINER = re.compile(r"\s*(?:至|到|-|–|~|\bto\b|\buntil\b|\btill\b|\bthrough\b|\bthru\b)\s*")


def _joined_ranges(key: str, chosen: list[Found]) -> list[Found]:
    """Two days joined by 至 / 到 / to / until ("12月1日至12月15日", "1 Dec to 15 Dec") make one range."""
    joined: list[Found] = []
    for found in chosen:
        last = joined[-1] if joined else None
        if (last is not None and last.date is not None and found.date is not None and last.date.is_day
                and found.date.is_day and found.date.start > last.date.start
                and (found.date.start - last.date.start).days <= 366
                and _RANGE_JOINER.fullmatch(key[last.end: found.start])):
            text = key[last.start: found.end]
            joined[-1] = Found(start=last.start, end=found.end,
                               date=DateMention(start=last.date.start, end=found.date.start, grain="range", text=text))
            continue
        joined.append(found)
    return joined


def find_dates_and_times(key: str, now: datetime) -> list[Found]:
    """Every date, period and clock time in `key` (normalised, lower-cased), longest first on overlap."""
    today = now.date()
    candidates: list[Found] = []
    for pattern, handler in _DATE_RULES:
        for match in pattern.finditer(key):
            mention = handler(match, today)
            if mention is not None:
                candidates.append(Found(start=match.start(), end=match.end(), date=mention))
    for match in _TIME_ZH.finditer(key):
        time_mention = _time_zh(match)
        if time_mention is not None:
            candidates.append(Found(start=match.start(), end=match.end(), time=time_mention))
    for match in _TIME_EN.finditer(key):
        time_mention = _time_en(match)
        if time_mention is not None:
            candidates.append(Found(start=match.start(), end=match.end(), time=time_mention))
    chosen: list[Found] = []
    for found in sorted(candidates, key=lambda f: (-(f.end - f.start), f.start)):
        if all(found.end <= other.start or found.start >= other.end for other in chosen):
            chosen.append(found)
    chosen.sort(key=lambda f: f.start)
    chosen = _joined_ranges(key, chosen)
    for found in chosen:
        if found.date is not None:
            before, after = key[: found.start], key[found.end:]
            if _DEADLINE_BEFORE.search(before) or _DEADLINE_AFTER.match(after):
                found.date.deadline = True
    return chosen
