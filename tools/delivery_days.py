"""`delivery_calendar`: whether vans run on a day (or each day of a range), why not, and the next delivery day."""

from __future__ import annotations

import datetime as dt
from datetime import date, timedelta
from typing import Literal

from pydantic import BaseModel, Field, model_validator

from tools.calendar import HolidayNote, WorkingCalendar, calendar_for
from tools.registry import Role, ToolContext, ToolInputError, ToolResult, tool

# The longest range one question may ask about (a month and a bit: "下個月邊日唔送貨?").
MAX_DAYS = 62


class DeliveryCalendarInput(BaseModel):
    """One day, or a range of days, to check against the working-day calendar."""

    date: dt.date | None = Field(None, description="The day asked about, YYYY-MM-DD; default today.")
    end: dt.date | None = Field(None, description="Last day of a range starting at `date` (included).")

    @model_validator(mode="after")
    def _range_in_order(self) -> DeliveryCalendarInput:
        if self.date and self.end and self.end < self.date:
            raise ValueError("end must not be before date")
        return self


class CalendarDay(BaseModel):
    """One day: vans run, or the reason they do not (a general holiday, named; a day without vans)."""

    date: dt.date
    delivers: bool
    reason: Literal["public_holiday", "no_delivery_weekday"] | None = None
    holiday: HolidayNote | None = None


class DeliveryCalendarResult(ToolResult):
    """The days asked about, and when vans run again after the first of them that has none."""

    days: list[CalendarDay]
    next_delivery_day: date = Field(description="the first day with vans from the first day without them (the "
                                                "first day asked about when every day has vans)")
    delivery_weekdays: list[str]


@tool("delivery_calendar", input_model=DeliveryCalendarInput, roles=frozenset(Role))
def delivery_calendar(ctx: ToolContext, args: DeliveryCalendarInput) -> DeliveryCalendarResult:
    """Is a day a delivery day? For one day or a range (at most 62 days): for each day whether vans run, and
    if not, why (a Hong Kong general holiday, with its name, or a weekday without vans such as Sunday); then
    the next delivery day. Anyone may ask (it is the company's published calendar)."""
    calendar = calendar_for(ctx.settings)
    first = args.date or ctx.today
    last = args.end or first
    if (last - first).days >= MAX_DAYS:
        raise ToolInputError(f"Please ask about at most {MAX_DAYS} days at a time.",
                             f"一次最多查 {MAX_DAYS} 日。")
    days = [_day(calendar, first + timedelta(days=offset)) for offset in range((last - first).days + 1)]
    closed = next((day.date for day in days if not day.delivers), None)
    return DeliveryCalendarResult(
        days=days,
        next_delivery_day=calendar.working_day_on_or_after(closed) if closed else first,
        delivery_weekdays=list(ctx.settings.delivery.delivery_weekdays),
    )


def _day(calendar: WorkingCalendar, day: date) -> CalendarDay:
    reason = calendar.non_working_reason(day)
    if reason == "public_holiday":
        return CalendarDay(date=day, delivers=False, reason="public_holiday", holiday=calendar.holiday_note(day))
    if reason is not None:
        return CalendarDay(date=day, delivers=False, reason="no_delivery_weekday")
    return CalendarDay(date=day, delivers=True)
