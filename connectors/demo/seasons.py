"""The demo company's calendar: Hong Kong general holidays, Lunar New Year, working days, promotions.

Holidays come from the `holidays` package's general (bank and office) list, the same list the
tools use (product.md). Promotions are built from a yearly plan relative to the chosen "today",
so the past ones fall inside the sales history and one falls next week.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

import holidays


@lru_cache(maxsize=8)
def general_holidays(first_year: int, last_year: int) -> dict[date, str]:
    """Hong Kong general holidays (the government's bank and office list) for a range of years."""
    calendar = holidays.HK(years=range(first_year, last_year + 1), categories=("optional",))
    return dict(calendar.items())


def lunar_new_year_days(first_year: int, last_year: int) -> list[date]:
    """The first day of Lunar New Year in each year of the range."""
    days: list[date] = []
    found = general_holidays(first_year, last_year)
    for year in range(first_year, last_year + 1):
        named = sorted(day for day, name in found.items()
                       if day.year == year and day.month <= 2 and ("Chinese New Year" in name or "Lunar New Year" in name))
        if not named:
            continue
        first = named[0]
        # When the first day falls on a Sunday the list starts with the second day.
        if "second day" in found[first].lower():
            first -= timedelta(days=1)
        days.append(first)
    return days


def is_working_day(day: date) -> bool:
    """Monday to Saturday and not a general holiday: a delivery day."""
    return day.weekday() < 6 and day not in general_holidays(day.year, day.year)


def next_working_day(day: date, include_today: bool = False) -> date:
    """The first working day after `day` (or `day` itself when `include_today` and it is one)."""
    candidate = day if include_today else day + timedelta(days=1)
    while not is_working_day(candidate):
        candidate += timedelta(days=1)
    return candidate


@dataclass(frozen=True)
class DemoPromotion:
    """One row of promotions.csv."""

    promo_id: str
    name: str
    sku: str
    region: str
    start: date
    end: date
    discount_pct: float


@dataclass(frozen=True)
class _YearlyPromotion:
    code: str
    name: str
    skus: tuple[str, ...]
    region: str
    month: int
    day: int
    days: int
    discount_pct: float


_YEARLY_PLAN: tuple[_YearlyPromotion, ...] = (
    _YearlyPromotion("SUMMER", "Summer hydration sale", ("WB-BL-500", "WB-BK-500", "WB-RD-500", "WB-WH-500",
                     "WB-BL-750", "KB-BTL-400"), "ALL", 7, 1, 14, 15.0),
    _YearlyPromotion("KLNBLUE", "Kowloon blue bottle week", ("WB-BL-500",), "KLN", 5, 11, 7, 20.0),
    _YearlyPromotion("NTSUN", "New Territories sun care week", ("SUN-50", "FAN-USB"), "NT", 6, 15, 14, 15.0),
    _YearlyPromotion("SCHOOL", "Back to school", ("NB-A5", "PEN-GEL-BK", "PEN-GEL-BL", "HL-5C", "BAG-BKPK",
                     "KB-BTL-400"), "ALL", 8, 18, 14, 20.0),
    _YearlyPromotion("D11", "Double 11 phone deals", ("PC-IP16-BK", "PC-IP16-CL", "CB-USBC-1M", "CH-20W",
                     "EB-BT5"), "ALL", 11, 8, 4, 25.0),
    _YearlyPromotion("XMAS", "Christmas gifts", ("SN-CHC", "SN-CKE", "TM-SS-350", "EB-BT5"), "ALL", 12, 10, 15, 15.0),
    _YearlyPromotion("HKIOFFICE", "Island office restock", ("FLD-A4", "NT-STK", "PEN-GEL-BK"), "HKI", 3, 2, 12, 10.0),
)
_LNY_GIFTS = ("SN-EGG", "SN-CKE", "SN-NGT")


def plan_promotions(history_start: date, today: date, known_skus: set[str]) -> list[DemoPromotion]:
    """Past promotions inside the sales history, the ones planned in the next six weeks, and the
    planted one: the Kowloon blue bottle week from next Monday to next Sunday."""
    horizon = today + timedelta(days=42)
    promotions: list[DemoPromotion] = []
    for year in range(history_start.year, horizon.year + 1):
        for plan in _YEARLY_PLAN:
            start = date(year, plan.month, plan.day)
            if history_start <= start <= horizon:
                end = start + timedelta(days=plan.days - 1)
                promotions.extend(DemoPromotion(f"{plan.code}-{year}", plan.name, sku, plan.region, start, end,
                                                plan.discount_pct) for sku in plan.skus)
    for new_year in lunar_new_year_days(history_start.year, horizon.year + 1):
        start, end = new_year - timedelta(days=21), new_year - timedelta(days=2)
        if history_start <= start <= horizon:
            promotions.extend(DemoPromotion(f"LNY-{new_year.year}", "Lunar New Year gift boxes", sku, "ALL",
                                            start, end, 10.0) for sku in _LNY_GIFTS)
    next_monday = today + timedelta(days=7 - today.weekday())
    promotions.append(DemoPromotion(f"KLNBLUE-{next_monday:%Y%m%d}", "Kowloon blue bottle week", "WB-BL-500",
                                    "KLN", next_monday, next_monday + timedelta(days=6), 20.0))
    promotions = [promo for promo in promotions if promo.sku in known_skus]
    return sorted(promotions, key=lambda promo: (promo.start, promo.promo_id, promo.sku))
