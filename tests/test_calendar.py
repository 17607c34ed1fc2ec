"""The Hong Kong working-day calendar: delivery weekdays minus the general holidays."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from core.config import DeliveryConfig, Settings
from tools.calendar import CalendarError, WorkingCalendar, calendar_for


@pytest.fixture(scope="module")
def cal() -> WorkingCalendar:
    return calendar_for(Settings(env={}))


@pytest.mark.parametrize(("day", "name_en"), [
    (date(2026, 2, 17), "Lunar New Year's Day"),  # Lunar New Year, Tue
    (date(2026, 2, 18), "The second day of Lunar New Year"),
    (date(2026, 2, 19), "The third day of Lunar New Year"),
    (date(2026, 4, 3), "Good Friday"),  # missing from the package's default (statutory) HK list
    (date(2026, 4, 6), "The day following Ching Ming Festival"),  # Ching Ming fell on Sunday 5 Apr
    (date(2026, 12, 25), "Christmas Day"),
])
def test_general_holidays_are_not_working_days(cal: WorkingCalendar, day: date, name_en: str) -> None:
    assert not cal.is_working_day(day)
    assert cal.holiday_name(day, "en") == name_en
    assert cal.non_working_reason(day) == "public_holiday"


def test_sunday_is_skipped_and_saturday_works(cal: WorkingCalendar) -> None:
    assert not cal.is_working_day(date(2026, 11, 29))
    assert cal.non_working_reason(date(2026, 11, 29)) == "sunday"
    assert cal.is_working_day(date(2026, 11, 28))


def test_default_statutory_calendar_would_be_wrong() -> None:
    statutory = WorkingCalendar(DeliveryConfig(holiday_categories=["public"]))
    assert statutory.is_working_day(date(2026, 4, 3))  # why config says "optional"


def test_holiday_names_in_cantonese(cal: WorkingCalendar) -> None:
    assert cal.holiday_name(date(2026, 12, 25), "zh-HK") == "聖誕節"
    assert cal.holiday_name(date(2026, 4, 3), "zh-HK") == "耶穌受難節"
    assert cal.holiday_name(date(2026, 11, 25)) is None


def test_next_and_add_working_days_skip_lny_and_sunday(cal: WorkingCalendar) -> None:
    # Sat 14 Feb 2026 -> Mon 16 Feb; then Tue-Thu 17-19 Feb are Lunar New Year -> Fri 20 Feb.
    assert cal.next_working_day(date(2026, 2, 14)) == date(2026, 2, 16)
    assert cal.next_working_day(date(2026, 2, 16)) == date(2026, 2, 20)
    assert cal.add_working_days(date(2026, 2, 16), 2) == date(2026, 2, 21)
    assert cal.add_working_days(date(2026, 4, 2), 1) == date(2026, 4, 8)  # Good Friday to Easter Tuesday off
    assert cal.add_working_days(date(2026, 11, 25), 0) == date(2026, 11, 25)


def test_dispatch_day_rules(cal: WorkingCalendar) -> None:
    before = cal.dispatch_day(datetime(2026, 11, 25, 13, 59), "14:00")
    assert before.dispatch_day == date(2026, 11, 25) and before.reasons == []
    at_cutoff = cal.dispatch_day(datetime(2026, 11, 25, 14, 0), "14:00")
    assert at_cutoff.dispatch_day == date(2026, 11, 26) and at_cutoff.reasons == ["after_cutoff"]
    saturday = cal.dispatch_day(datetime(2026, 11, 28, 15, 0), "14:00")
    assert saturday.dispatch_day == date(2026, 11, 30) and saturday.reasons == ["after_cutoff", "sunday"]
    holiday = cal.dispatch_day(datetime(2026, 4, 3, 9, 0), "14:00")
    assert holiday.dispatch_day == date(2026, 4, 8)
    assert [h.date for h in holiday.skipped_holidays] == [date(2026, 4, 3), date(2026, 4, 4), date(2026, 4, 6),
                                                          date(2026, 4, 7)]
    typhoon = cal.dispatch_day(datetime(2026, 11, 25, 9, 0), "14:00", suspended=["typhoon"])
    assert typhoon.dispatch_day == date(2026, 11, 26) and typhoon.reasons == ["typhoon"]


def test_delivery_weekdays_come_from_config() -> None:
    weekdays_only = WorkingCalendar(DeliveryConfig(delivery_weekdays=["Mon", "Tue", "Wed", "Thu", "Fri"]))
    assert weekdays_only.next_working_day(date(2026, 11, 27)) == date(2026, 11, 30)
    with pytest.raises(CalendarError):
        WorkingCalendar(DeliveryConfig(delivery_weekdays=["Funday"]))
