"""The Hong Kong working-day calendar: delivery weekdays minus the general (bank/office) holidays.

Product rule (product.md, "Rules"): vans run Monday to Saturday (config `delivery.delivery_weekdays`)
except on Hong Kong general holidays, which the `holidays` package gives as
`holidays.HK(categories=("optional",))`. Its default HK calendar is the smaller statutory list and
lacks, for example, Good Friday 2026, so the category comes from config and defaults to "optional".

Holiday tables are cached per (country, categories, language, year); they are static reference data.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from functools import lru_cache

import holidays
from pydantic import BaseModel

from core.config import DeliveryConfig, Settings
from core.lang import Lang

WEEKDAY_CODES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_HOLIDAY_LANG = {"en": "en_HK", "zh-HK": "zh_HK"}
# A safety bound: no real calendar has this many non-working days in a row.
_MAX_SCAN_DAYS = 60


class CalendarError(ValueError):
    """The delivery calendar is misconfigured (for example no delivery weekday at all)."""


class HolidayNote(BaseModel):
    """A general holiday on which nothing is delivered, named in both languages."""

    date: date
    name_en: str
    name_zh: str


class DispatchDecision(BaseModel):
    """The day goods can leave a location, and why it is not the order day when it is not."""

    order_time: datetime
    dispatch_day: date
    # Reason codes among: after_cutoff, sunday, public_holiday, typhoon, black_rain.
    reasons: list[str]
    skipped_holidays: list[HolidayNote]


@lru_cache(maxsize=256)
def _holiday_table(country: str, categories: tuple[str, ...], language: str, year: int) -> dict[date, str]:
    table = holidays.country_holidays(country, years=year, categories=categories, language=language)
    return dict(table.items())


def parse_clock(value: str | time) -> time:
    """`HH:MM` (as in locations.cutoff) as a time of day."""
    if isinstance(value, time):
        return value
    hours, _, minutes = value.strip().partition(":")
    return time(int(hours), int(minutes or 0))


class WorkingCalendar:
    """Working days for deliveries: configured weekdays that are not general holidays."""

    def __init__(self, delivery: DeliveryConfig) -> None:
        unknown = [day for day in delivery.delivery_weekdays if day not in WEEKDAY_CODES]
        if unknown or not delivery.delivery_weekdays:
            raise CalendarError(
                f"delivery.delivery_weekdays must list days among {', '.join(WEEKDAY_CODES)}; got {unknown or 'none'}"
            )
        self.country = delivery.holiday_country
        self.categories = tuple(delivery.holiday_categories)
        self.weekdays = frozenset(WEEKDAY_CODES.index(day) for day in delivery.delivery_weekdays)

    def holidays_of(self, year: int, lang: Lang = "en") -> dict[date, str]:
        """The general holidays of a year with their names in the given language."""
        return _holiday_table(self.country, self.categories, _HOLIDAY_LANG[lang], year)

    def holiday_name(self, day: date, lang: Lang = "en") -> str | None:
        """The holiday's name on that day, or None when it is not a general holiday."""
        return self.holidays_of(day.year, lang).get(day)

    def is_holiday(self, day: date) -> bool:
        """True on a Hong Kong general holiday."""
        return day in self.holidays_of(day.year)

    def is_delivery_weekday(self, day: date) -> bool:
        """True when vans run on this weekday (Monday to Saturday by default)."""
        return day.weekday() in self.weekdays

    def is_working_day(self, day: date) -> bool:
        """A delivery weekday that is not a general holiday."""
        return self.is_delivery_weekday(day) and not self.is_holiday(day)

    def non_working_reason(self, day: date) -> str | None:
        """`public_holiday`, `sunday` (any weekday without vans) or None on a working day."""
        if self.is_holiday(day):
            return "public_holiday"
        if not self.is_delivery_weekday(day):
            return "sunday"
        return None

    def next_working_day(self, day: date) -> date:
        """The first working day strictly after `day`."""
        return self.working_day_on_or_after(day + timedelta(days=1))

    def working_day_on_or_after(self, day: date) -> date:
        """`day` itself when it is a working day, else the next one."""
        for offset in range(_MAX_SCAN_DAYS):
            candidate = day + timedelta(days=offset)
            if self.is_working_day(candidate):
                return candidate
        raise CalendarError(f"no working day within {_MAX_SCAN_DAYS} days of {day}")

    def add_working_days(self, day: date, count: int) -> date:
        """The working day `count` working days after `day` (`day` itself when count is 0)."""
        if count < 0:
            raise ValueError("count must be 0 or more")
        current = day
        for _ in range(count):
            current = self.next_working_day(current)
        return current

    def skipped_between(self, start: date, end: date) -> tuple[list[str], list[HolidayNote]]:
        """Reason codes and holidays of the non-working days strictly between two dates."""
        reasons: list[str] = []
        notes: list[HolidayNote] = []
        day = start + timedelta(days=1)
        while day < end:
            reason = self.non_working_reason(day)
            if reason and reason not in reasons:
                reasons.append(reason)
            if reason == "public_holiday":
                notes.append(self.holiday_note(day))
            day += timedelta(days=1)
        return reasons, notes

    def holiday_note(self, day: date) -> HolidayNote:
        """The holiday on `day` named in English and Cantonese."""
        return HolidayNote(date=day, name_en=self.holiday_name(day, "en") or "",
                           name_zh=self.holiday_name(day, "zh-HK") or "")

    def dispatch_day(self, order_time: datetime, cutoff: str | time, *,
                     suspended: list[str] | None = None) -> DispatchDecision:
        """The day goods confirmed at `order_time` leave a location with this cutoff.

        Today when `order_time` is before the cutoff on a working day and no weather suspension
        (`typhoon`/`black_rain` codes in `suspended`) is in force; else the next working day.
        """
        order_day = order_time.date()
        reasons: list[str] = []
        notes: list[HolidayNote] = []
        today_reason = self.non_working_reason(order_day)
        if today_reason:
            reasons.append(today_reason)
            if today_reason == "public_holiday":
                notes.append(self.holiday_note(order_day))
            day = self.next_working_day(order_day)
        elif suspended:
            reasons.extend(suspended)
            day = self.next_working_day(order_day)
        elif order_time.time() >= parse_clock(cutoff):
            reasons.append("after_cutoff")
            day = self.next_working_day(order_day)
        else:
            day = order_day
        skipped_reasons, skipped_notes = self.skipped_between(order_day, day)
        reasons.extend(r for r in skipped_reasons if r not in reasons)
        notes.extend(skipped_notes)
        return DispatchDecision(order_time=order_time, dispatch_day=day, reasons=reasons, skipped_holidays=notes)


@lru_cache(maxsize=32)
def _calendar(weekdays: tuple[str, ...], country: str, categories: tuple[str, ...]) -> WorkingCalendar:
    return WorkingCalendar(DeliveryConfig(delivery_weekdays=list(weekdays), holiday_country=country,
                                          holiday_categories=list(categories)))


def calendar_for(settings: Settings) -> WorkingCalendar:
    """The working calendar configured in `settings.delivery` (cached per configuration)."""
    delivery = settings.delivery
    return _calendar(tuple(delivery.delivery_weekdays), delivery.holiday_country, tuple(delivery.holiday_categories))


# Module-level conveniences over a settings object, for callers that do not keep a calendar.

def is_working_day(settings: Settings, day: date) -> bool:
    """True when vans run on `day` under these settings."""
    return calendar_for(settings).is_working_day(day)


def next_working_day(settings: Settings, day: date) -> date:
    """The first working day strictly after `day`."""
    return calendar_for(settings).next_working_day(day)


def add_working_days(settings: Settings, day: date, count: int) -> date:
    """`count` working days after `day`."""
    return calendar_for(settings).add_working_days(day, count)


def holiday_name(settings: Settings, day: date, lang: Lang = "en") -> str | None:
    """The general holiday's name on `day`, or None."""
    return calendar_for(settings).holiday_name(day, lang)


def dispatch_day(settings: Settings, order_time: datetime, cutoff: str | time,
                 suspended: list[str] | None = None) -> DispatchDecision:
    """The dispatch decision for goods confirmed at `order_time` at a location with `cutoff`."""
    return calendar_for(settings).dispatch_day(order_time, cutoff, suspended=suspended)
