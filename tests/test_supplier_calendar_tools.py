"""`supplier_info` and `delivery_calendar` on a company other than the demo, expectations worked out by hand."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from core.config import Settings
from core.db import Database
from tests.company_files import load_company
from tests.test_other_company import FILES
from tools.registry import Role, ToolContext, ToolInputError, build_registry

SUPPLIERS = """supplier_id,name,sku,lead_days,moq,unit_cost,deliver_to
S-FJ,Fujian Leaf Co,TEA-GR-100,14,200,19.80,DG
S-HZ,Hangzhou Garden Teas,TEA-GR-100,9,500,20.50,FT
S-FJ,Fujian Leaf Co,TEA-OL-100,14,200,22.00,DG
"""
NOW = datetime(2026, 12, 2, 10, 30)


@pytest.fixture(scope="module")
def tea(tmp_path_factory: pytest.TempPathFactory) -> tuple[Settings, Database]:
    return load_company(tmp_path_factory.mktemp("tea-suppliers"), {**FILES, "suppliers.csv": SUPPLIERS})


def call(tea: tuple[Settings, Database], name: str, args: dict[str, object], role: Role = Role.sales):  # type: ignore[no-untyped-def]
    settings, db = tea
    ctx = ToolContext(db=db, settings=settings, now=NOW, role=role)
    return build_registry().call(name, args, ctx)


def test_suppliers_quickest_first_with_arrival_dates_and_no_price_for_sales(tea) -> None:  # type: ignore[no-untyped-def]
    outcome = call(tea, "supplier_info", {"product": "綠茶"})
    assert outcome.ok, outcome.error
    offers = outcome.result.offers
    assert [offer.name for offer in offers] == ["Hangzhou Garden Teas", "Fujian Leaf Co"]
    assert offers[0].lead_days == 9 and offers[0].moq == 500 and offers[0].deliver_to.code == "FT"
    assert offers[0].arrives_if_ordered_today == date(2026, 12, 11)  # 9 calendar days after 2 Dec
    assert all(offer.unit_cost is None for offer in offers) and not outcome.result.cost_visible
    assert outcome.result.available_units == 33 + 500


def test_cost_roles_see_supplier_prices(tea) -> None:  # type: ignore[no-untyped-def]
    outcome = call(tea, "supplier_info", {"product": "TEA-GR-100"}, role=Role.finance)
    assert [offer.unit_cost for offer in outcome.result.offers] == [20.50, 19.80]


def test_unknown_product_is_an_input_error(tea) -> None:  # type: ignore[no-untyped-def]
    outcome = call(tea, "supplier_info", {"product": "TEA-XX-999"})
    assert not outcome.ok and isinstance(outcome.error, ToolInputError)


def test_calendar_names_holidays_sundays_and_the_next_delivery_day(tea) -> None:  # type: ignore[no-untyped-def]
    outcome = call(tea, "delivery_calendar", {"date": "2026-12-24", "end": "2026-12-28"})
    days = {day.date: day for day in outcome.result.days}
    assert days[date(2026, 12, 24)].delivers
    assert days[date(2026, 12, 25)].reason == "public_holiday" and days[date(2026, 12, 25)].holiday.name_zh == "聖誕節"
    assert days[date(2026, 12, 26)].reason == "public_holiday"
    assert days[date(2026, 12, 27)].reason == "no_delivery_weekday"  # a Sunday
    assert outcome.result.next_delivery_day == date(2026, 12, 28)


def test_one_open_day_and_a_guest_may_ask(tea) -> None:  # type: ignore[no-untyped-def]
    outcome = call(tea, "delivery_calendar", {"date": "2026-12-03"}, role=Role.guest)
    assert outcome.ok and outcome.result.days[0].delivers and outcome.result.next_delivery_day == date(2026, 12, 3)
    new_year = call(tea, "delivery_calendar", {"date": "2027-01-01"})
    assert not new_year.result.days[0].delivers and new_year.result.next_delivery_day == date(2027, 1, 2)


def test_a_range_too_long_or_backwards_is_refused(tea) -> None:  # type: ignore[no-untyped-def]
    assert not call(tea, "delivery_calendar", {"date": "2026-12-01", "end": "2027-06-01"}).ok
    assert not call(tea, "delivery_calendar", {"date": "2026-12-05", "end": "2026-12-01"}).ok
