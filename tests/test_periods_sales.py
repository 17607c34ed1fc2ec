"""Periods, the delivery calendar, suppliers and sales questions read as asked, on a company other than the demo.

The company (a tea trader) is built here from small CSV strings and loaded through the importer; every
expected figure is computed in the test from the rows written here, and holiday dates from the `holidays`
package, never copied from an answer.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from uuid import uuid4

import holidays
import pytest

from bot.assistant import Assistant
from bot.messages import IncomingMessage, Reply
from bot.skills import CUE_TABLE
from bot.understanding import Understanding, gazetteer_for, understand
from core.config import Settings
from core.db import Database
from tests.company_files import load_company
from tests.test_other_company import FILES

NOW = datetime(2026, 12, 2, 10, 30)  # a Wednesday
Tea = tuple[Settings, Database]
TODAY = NOW.date()

AREAS = """code,name_en,name_zh,district,region,zone,lat,lon,aliases
ST,Sha Tin,沙田,Sha Tin,NT,CITY,22.3823,114.1880,沙田市中心;Shatin
WC,Wan Chai,灣仔,Wan Chai,HKI,CITY,22.2776,114.1751,灣仔區
MK,Mong Kok,旺角,Yau Tsim Mong,KLN,CITY,22.3193,114.1694,旺角區
MW,Mui Wo,梅窩,Islands,ISL,FAR,22.2655,114.0016,梅窩碼頭
"""
SUPPLIERS = """supplier_id,name,sku,lead_days,moq,unit_cost,deliver_to
S-FJ,Fujian Leaf Co,TEA-GR-100,14,200,19.80,DG
S-HZ,Hangzhou Garden Teas,TEA-GR-100,9,500,20.50,FT
S-FJ,Fujian Leaf Co,TEA-OL-100,14,200,22.00,DG
"""
_PRICE = {"TEA-GR-100": 68, "TEA-OL-100": 72}
_NAME_ZH = {"TEA-GR-100": "綠茶 100克", "TEA-OL-100": "烏龍茶 100克"}
_REGION = {"ST": "NT", "WC": "HKI", "MK": "KLN", "MW": "ISL"}
_CHANNELS = ("online", "store", "b2b", "phone")


def _sales_rows() -> list[tuple[date, str, str, int, int, str]]:
    """A small, uneven pattern over September to November 2026: every (day, product, area, channel) mix."""
    rows = []
    day = date(2026, 9, 1)
    index = 0
    while day <= date(2026, 12, 1):
        for sku_index, sku in enumerate(_PRICE):
            for area_index, area in enumerate(_REGION):
                channel = _CHANNELS[(day.toordinal() + area_index + 2 * sku_index) % 4]
                qty = 1 + (index * 7 + area_index * 3 + len(sku)) % 9 + (4 if area == "MK" else 0)
                rows.append((day, sku, area, qty, qty * _PRICE[sku], channel))
                index += 1
        day += timedelta(days=1)
    return rows


ROWS = _sales_rows()
SALES = "date,sku,area,qty,revenue,channel\n" + "".join(
    f"{day.isoformat()},{sku},{area},{qty},{revenue},{channel}\n" for day, sku, area, qty, revenue, channel in ROWS)


def total(measure: str, start: date, end: date, **where: str) -> int:
    """The sum of units (qty) or revenue over the rows written above that match the filters."""
    result = 0
    for day, sku, area, qty, revenue, channel in ROWS:
        said = {"sku": sku, "area": area, "channel": channel, "region": _REGION[area]}
        if start <= day <= end and all(said[key] == value for key, value in where.items()):
            result += qty if measure == "units" else revenue
    return result


@pytest.fixture(scope="module")
def tea(tmp_path_factory: pytest.TempPathFactory) -> tuple[Settings, Database]:
    files = {**FILES, "areas.csv": AREAS, "sales.csv": SALES, "suppliers.csv": SUPPLIERS}
    return load_company(tmp_path_factory.mktemp("tea-periods"), files)


def read(tea: Tea, text: str) -> Understanding:
    """The understanding of one fresh message at NOW."""
    return understand(text, NOW, gazetteer_for(tea[1]), None, tools=CUE_TABLE)


def ask(tea: Tea, text: str, role: str = "manager") -> Reply:
    settings, db = tea
    return Assistant(settings, db).handle(IncomingMessage(text=text, role=role, channel="api", session=uuid4().hex,
                                                          now=NOW.isoformat(timespec="minutes")))


def _general_holidays(year: int) -> dict[date, str]:
    return dict(holidays.country_holidays("HK", years=year, categories=("optional",), language="en_HK"))


def _holiday_named(name: str) -> date:
    """The next general holiday (from today) of that exact English name, from the package."""
    for year in (TODAY.year, TODAY.year + 1):
        found = sorted(day for day, holiday in _general_holidays(year).items() if holiday == name and day >= TODAY)
        if found:
            return found[0]
    raise AssertionError(name)


# --- periods --------------------------------------------------------------------------------------------------

MONDAY = TODAY - timedelta(days=TODAY.weekday())


@pytest.mark.parametrize(("text", "start", "end"), [
    ("2026年10月綠茶賣咗幾多?", date(2026, 10, 1), date(2026, 10, 31)),
    ("10月綠茶賣咗幾多?", date(2026, 10, 1), date(2026, 10, 31)),
    ("Oct 2026 sales of green tea", date(2026, 10, 1), date(2026, 10, 31)),
    ("Sept 2026 sales by area", date(2026, 9, 1), date(2026, 9, 30)),
    ("Feb 2027 forecast for green tea", date(2027, 2, 1), date(2027, 2, 28)),
    ("green tea sales in May", date(2026, 5, 1), date(2026, 5, 31)),
    ("May 2026 revenue", date(2026, 5, 1), date(2026, 5, 31)),
    ("12月1日至15日綠茶賣咗幾多?", date(2026, 12, 1), date(2026, 12, 15)),
    ("12月1號到12月15號綠茶賣咗幾多?", date(2026, 12, 1), date(2026, 12, 15)),
    ("green tea sales 1-15 Dec", date(2026, 12, 1), date(2026, 12, 15)),
    ("green tea sales 1 Dec to 15 Dec", date(2026, 12, 1), date(2026, 12, 15)),
    ("this week's sales", MONDAY, MONDAY + timedelta(days=6)),
    ("上星期賣咗幾多綠茶?", MONDAY - timedelta(days=7), MONDAY - timedelta(days=1)),
    ("下星期綠茶要準備幾多?", MONDAY + timedelta(days=7), MONDAY + timedelta(days=13)),
    ("呢個月賣咗幾多綠茶?", date(2026, 12, 1), date(2026, 12, 31)),
    ("last month sales", date(2026, 11, 1), date(2026, 11, 30)),
    ("next month green tea forecast", date(2027, 1, 1), date(2027, 1, 31)),
    ("上兩個星期賣咗幾多綠茶?", MONDAY - timedelta(days=14), MONDAY - timedelta(days=1)),
    ("green tea sales for the past 2 weeks", TODAY - timedelta(days=14), TODAY - timedelta(days=1)),
    ("green tea sales in the last 30 days", TODAY - timedelta(days=30), TODAY - timedelta(days=1)),
])
def test_periods_in_both_languages(tea: Tea, text: str, start: date, end: date) -> None:
    slots = read(tea, text).slots
    assert (slots.date_from, slots.date_to) == (start, end), text


@pytest.mark.parametrize(("text", "name"), [
    ("聖誕節送唔送貨?", "Christmas Day"),
    ("do we deliver on Christmas day?", "Christmas Day"),
    ("元旦有冇車?", "The first day of January"),
    ("New Year's Day 有冇車?", "The first day of January"),
    ("Good Friday 送唔送貨?", "Good Friday"),
])
def test_holiday_names_are_the_packages_dates(tea: Tea, text: str, name: str) -> None:
    slots = read(tea, text).slots
    assert slots.date_from == slots.date_to == _holiday_named(name)


@pytest.mark.parametrize(("text", "words"), [
    ("農曆新年送唔送貨?", "Lunar New Year"),
    ("Lunar New Year deliveries?", "Lunar New Year"),
    ("復活節有冇車?", "Good Friday|Easter"),
])
def test_holiday_periods_cover_every_day_of_the_holiday(tea: Tea, text: str, words: str) -> None:
    import re

    days = sorted(day for day, name in _general_holidays(TODAY.year + 1).items() if re.search(words, name))
    slots = read(tea, text).slots
    assert (slots.date_from, slots.date_to) == (days[0], days[-1])


# --- the calendar -------------------------------------------------------------------------------------------

def _next_working_day(day: date) -> date:
    while day.weekday() == 6 or day in _general_holidays(day.year):
        day += timedelta(days=1)
    return day


@pytest.mark.parametrize(("text", "day", "words"), [
    ("聖誕節送唔送貨?", _holiday_named("Christmas Day"), ["聖誕節", "冇車送貨"]),
    ("do we deliver on 26 Dec?", date(2026, 12, 26), ["No deliveries", "public holiday"]),
    ("1月1號有冇車送貨?", date(2027, 1, 1), ["公眾假期"]),
    ("Sunday 有冇車?", TODAY + timedelta(days=(6 - TODAY.weekday()) % 7), ["唔係送貨日"]),
    ("next delivery day after Christmas?", _holiday_named("Christmas Day"), ["next delivery day"]),
    ("聽日有冇車送貨?", TODAY + timedelta(days=1), ["有車送貨"]),
])
def test_calendar_questions_name_the_day_and_the_next_delivery_day(tea: Tea, text: str, day: date,
                                                                   words: list[str]) -> None:
    reply = ask(tea, text, role="sales")
    assert reply.tool_calls[0].name == "delivery_calendar", reply.answer
    assert reply.tool_calls[0].args == {"date": day.isoformat()}
    for word in words:
        assert word in reply.answer, (word, reply.answer)
    following = _next_working_day(day)
    if following != day:
        spelled = f"{following.month}月{following.day}日" if reply.lang == "zh-HK" else f"{following.day} {following:%b}"
        assert spelled in reply.answer, reply.answer


def test_a_range_lists_each_day_without_vans(tea: Tea) -> None:
    reply = ask(tea, "12月24日至28日邊日唔送貨?", role="logistics")
    assert reply.tool_calls[0].args == {"date": "2026-12-24", "end": "2026-12-28"}
    assert "聖誕節" in reply.answer and "12月27日" in reply.answer and "12月28日" in reply.answer


@pytest.mark.parametrize(("text", "intent"), [
    ("聽日啲車點排?", "plan_routes"),
    ("明天的车怎么安排?", "plan_routes"),
    ("聖誕節有冇車出?", "delivery_calendar"),
    ("颱風八號波仲送唔送貨?", "search_sop"),
])
def test_how_the_vans_run_is_a_plan_whether_they_run_is_the_calendar(tea: Tea, text: str, intent: str) -> None:
    assert read(tea, text).intent == intent


# --- suppliers ----------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "sku"), [
    ("綠茶冇晒貨要搵邊個供應商?", "TEA-GR-100"),
    ("who supplies oolong and what's the lead time?", "TEA-OL-100"),
    ("綠茶 MOQ 係幾多?", "TEA-GR-100"),
    ("綠茶入貨要幾耐?", "TEA-GR-100"),
])
def test_supplier_questions(tea: Tea, text: str, sku: str) -> None:
    reply = ask(tea, text, role="logistics")
    assert reply.tool_calls[0].name == "supplier_info" and reply.tool_calls[0].args == {"product": sku}
    names = [line.split(",")[1] for line in SUPPLIERS.splitlines()[1:] if line.split(",")[2] == sku]
    for name in names:
        assert name in reply.answer
    assert "19.80" not in reply.answer and "20.50" not in reply.answer and "22.00" not in reply.answer
    if sku == "TEA-GR-100":  # the quickest supplier first, with its MOQ and arrival date
        arrival = TODAY + timedelta(days=9)
        assert reply.answer.index("Hangzhou") < reply.answer.index("Fujian")
        assert "500" in reply.answer and f"{arrival.month}月{arrival.day}日" in reply.answer


def test_a_supplier_price_is_refused_to_sales_in_one_sentence_and_shown_to_a_manager(tea: Tea) -> None:
    text = "綠茶邊間供應商平啲?幾錢一包?"
    sales = ask(tea, text, role="sales")
    assert sales.tool_calls and sales.tool_calls[0].name == "supplier_info"
    assert "Hangzhou Garden Teas" in sales.answer and "Fujian Leaf Co" in sales.answer
    assert "19.8" not in sales.answer and "20.5" not in sales.answer
    assert sales.answer.count("只限經理") == 1
    manager = ask(tea, text, role="manager")
    assert "$19.80" in manager.answer and "最平係 Fujian Leaf Co" in manager.answer


# --- sales read as asked ------------------------------------------------------------------------------------

NOV = (date(2026, 11, 1), date(2026, 11, 30))
LAST_WEEK = (MONDAY - timedelta(days=7), MONDAY - timedelta(days=1))


def _money(value: int) -> str:
    return f"${value:,}"


@pytest.mark.parametrize(("text", "args", "fact"), [
    ("上個月網店賣咗幾多錢?", {"channel": "online", "measure": "revenue"},
     _money(total("revenue", *NOV, channel="online"))),
    ("上個月 online sales 幾多?", {"channel": "online"}, _money(total("revenue", *NOV, channel="online"))),
    ("last month B2B revenue", {"channel": "b2b", "measure": "revenue"}, _money(total("revenue", *NOV, channel="b2b"))),
    ("上個月門市賣咗幾多件綠茶?", {"channel": "store", "measure": "units", "product": "TEA-GR-100"},
     f"{total('units', *NOV, channel='store', sku='TEA-GR-100'):,} 件"),
    ("上個月沙田賣咗幾多包綠茶?", {"area": "ST", "product": "TEA-GR-100", "measure": "units"},
     f"{total('units', *NOV, area='ST', sku='TEA-GR-100'):,} 件"),
    ("上個月九龍區烏龍賣咗幾多錢?", {"region": "KLN", "product": "TEA-OL-100", "measure": "revenue"},
     _money(total("revenue", *NOV, region="KLN", sku="TEA-OL-100"))),
    ("how many units of oolong did we sell last month?", {"product": "TEA-OL-100", "measure": "units"},
     f"{total('units', *NOV, sku='TEA-OL-100'):,} units"),
    ("上個月營業額幾多?", {"measure": "revenue"}, _money(total("revenue", *NOV))),
])
def test_sales_filters_and_measure_from_the_words(tea: Tea, text: str, args: dict[str, str], fact: str) -> None:
    reply = ask(tea, text)
    call = reply.tool_calls[0]
    assert call.name == "sales_summary", reply.answer
    assert (call.args["start"], call.args["end"]) == (NOV[0].isoformat(), NOV[1].isoformat())
    for key, value in args.items():
        assert call.args.get(key) == value, (key, call.args)
    assert fact in reply.answer, (fact, reply.answer)


def test_a_list_of_regions_to_compare_groups_by_region(tea: Tea) -> None:
    reply = ask(tea, "上個月港島、九龍、新界邊區賣得最好?")
    call = reply.tool_calls[0]
    assert call.args.get("group_by") == "region" and "region" not in call.args
    by_region = {region: total("revenue", *NOV, region=region) for region in ("HKI", "KLN", "NT", "ISL")}
    best = max(by_region, key=lambda region: by_region[region])
    assert best == "KLN" and "最高嘅區係九龍" in reply.answer and _money(by_region["KLN"]) in reply.answer


@pytest.mark.parametrize(("text", "group_by", "limit"), [
    ("上星期 top 1 產品", "product", 1),
    ("上星期頭一位係邊款?", "product", 1),
    ("上星期最好賣嘅 2 款", "product", 2),
    ("last week sales by area, top 3", "area", 3),
    ("上星期網上定門市賣得好啲?", "channel", None),
    ("last week sales by channel", "channel", None),
])
def test_grouping_and_top_n(tea: Tea, text: str, group_by: str, limit: int | None) -> None:
    reply = ask(tea, text)
    call = reply.tool_calls[0]
    assert call.name == "sales_summary" and call.args.get("group_by") == group_by and call.args.get("limit") == limit
    assert (call.args["start"], call.args["end"]) == (LAST_WEEK[0].isoformat(), LAST_WEEK[1].isoformat())
    if group_by == "product":
        units = {sku: total("revenue", *LAST_WEEK, sku=sku) for sku in _PRICE}
        best = max(units, key=lambda sku: units[sku])
        assert (best if reply.lang == "en" else _NAME_ZH[best]) in reply.answer and _money(units[best]) in reply.answer
    if group_by == "channel":
        assert "channel" not in call.args


def test_margin_and_delivery_cost_words(tea: Tea) -> None:
    margin = read(tea, "上個月邊區毛利最高?")
    assert (margin.slots.measure, margin.slots.group_by) == ("margin", "region")
    delivery = read(tea, "上個月邊區運費成本最高?")
    assert delivery.intent == "sales_summary" and delivery.slots.measure == "delivery_charges"
    counted = read(tea, "上個月賣咗幾多卷?")
    assert counted.slots.measure == "units"
