"""Hong Kong general holidays and promotions: the events that move demand.

Holidays come from the `holidays` package with the categories in `settings.delivery` (the general
holidays the government publishes, see product.md). Lunar New Year is one event with a window of
days around its first day, so Prophet learns the dip (or rush) around it as one effect.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

import holidays

LUNAR_NEW_YEAR = "Lunar New Year"
CHRISTMAS = "Christmas"
GENERAL_HOLIDAY = "General holiday"
# Days before Christmas that still belong to its effect (the gift-shopping rush).
CHRISTMAS_LEAD_DAYS = 3


@dataclass(frozen=True)
class HolidayEvent:
    """One holiday occurrence as Prophet sees it: a name, a day and a window of days around it."""

    name: str
    day: date
    lower_window: int = 0
    upper_window: int = 0


@dataclass(frozen=True)
class PromotionWindow:
    """A promotion of one SKU in one region (or `ALL`), both days included."""

    promo_id: str
    name: str
    sku: str
    region: str
    start: date
    end: date
    discount_pct: float

    def covers(self, sku: str, region: str, day: date) -> bool:
        """True when this promotion runs for the SKU in the region on that day."""
        return self.sku == sku and self.region in (region, "ALL") and self.start <= day <= self.end


@lru_cache(maxsize=32)
def hk_holidays(years: tuple[int, ...], categories: tuple[str, ...] = ("optional",),
                country: str = "HK", language: str = "en_HK") -> dict[date, str]:
    """The general holidays of the given years, day -> name in the language (en_HK or zh_HK)."""
    calendar = holidays.country_holidays(country, years=list(years), categories=categories, language=language)
    return dict(sorted(calendar.items()))


def holiday_events(first: date, last: date, *, categories: tuple[str, ...] = ("optional",),
                   country: str = "HK", lny_window: tuple[int, int] = (-3, 5)) -> list[HolidayEvent]:
    """Holiday events between two days (inclusive): Lunar New Year and Christmas with their windows, and
    the other general holidays as one shared event."""
    years = tuple(range(first.year - 1, last.year + 2))
    events: list[HolidayEvent] = []
    lny_first_day: dict[int, date] = {}
    for day, name in hk_holidays(years, categories, country).items():
        lowered = name.lower()
        if "chinese new year" in lowered or "lunar new year" in lowered:
            # The earliest listed day of each year's run stands for the festival (when day one is a
            # Sunday the list starts on day two; the window absorbs that day of difference).
            lny_first_day[day.year] = min(day, lny_first_day.get(day.year, day))
            continue
        if lowered == "christmas day":
            events.append(HolidayEvent(name=CHRISTMAS, day=day, lower_window=-CHRISTMAS_LEAD_DAYS))
        else:
            # The other general holidays share one effect: offices and B2B buyers stop alike, and one
            # pooled effect is learned from ~15 days a year instead of one or two per holiday.
            events.append(HolidayEvent(name=GENERAL_HOLIDAY, day=day))
    for day in lny_first_day.values():
        events.append(HolidayEvent(name=LUNAR_NEW_YEAR, day=day, lower_window=lny_window[0],
                                   upper_window=lny_window[1]))
    window_first, window_last = first - timedelta(days=10), last + timedelta(days=10)
    return sorted((e for e in events if window_first <= e.day <= window_last), key=lambda e: e.day)
