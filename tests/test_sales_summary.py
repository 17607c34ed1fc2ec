"""sales_summary on a small hand-made dataset whose totals are computed by hand in the comments."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from bot.render.sales import render
from core.analytics import Analytics
from core.config import Settings
from core.db import Database
from core.models import Area, ImportRun, OrderLine, Product, Sale, ShippingRate
from tools.registry import Role, ToolContext, build_registry
from tools.sales import SalesSummaryResult

NOW = datetime(2026, 11, 25, 10, 30)  # Wednesday; last week = 16-22 Nov, the week before = 9-15 Nov


@pytest.fixture
def shop(any_db: Database) -> Database:
    """Two products (A: $10, cost $4, 1 kg; B: $20, cost $15, 2 kg) sold in three areas (SQLite and PostgreSQL)."""
    with any_db.session() as s:
        s.add_all([ShippingRate(zone="URBAN", base_fee=60, per_kg=2, free_over=1000),
                   ShippingRate(zone="NT", base_fee=80, per_kg=2.5, free_over=None)])
        s.flush()
        s.add_all([Area(code="CW", name_en="Central", name_zh="中環", district="Central and Western", region="HKI",
                        zone="URBAN", lat=22.28, lon=114.16, aliases=""),
                   Area(code="KT", name_en="Kwun Tong", name_zh="觀塘", district="Kwun Tong", region="KLN",
                        zone="URBAN", lat=22.31, lon=114.22, aliases=""),
                   Area(code="YL", name_en="Yuen Long", name_zh="元朗", district="Yuen Long", region="NT", zone="NT",
                        lat=22.44, lon=114.02, aliases="")])
        s.add_all([Product(sku="A-1", name_en="Alpha", name_zh="甲", category="cups", unit_price=10, unit_cost=4,
                           weight_kg=1, volume_l=1, substitutes="", aliases=""),
                   Product(sku="B-2", name_en="Beta", name_zh="乙", category="bags", unit_price=20, unit_cost=15,
                           weight_kg=2, volume_l=1, substitutes="", aliases="")])
        s.flush()
        sales = [  # date, sku, area, qty, revenue, channel
            (date(2026, 11, 16), "A-1", "CW", 5, 50, "online"),
            (date(2026, 11, 18), "A-1", "KT", 10, 100, "store"),
            (date(2026, 11, 20), "B-2", "KT", 3, 60, "online"),
            (date(2026, 11, 22), "B-2", "YL", 1, 20, "b2b"),
            (date(2026, 11, 10), "A-1", "KT", 4, 40, "online"),  # the week before
            (date(2026, 11, 15), "B-2", "CW", 2, 40, "store"),  # the week before
            (date(2026, 11, 23), "A-1", "KT", 100, 1000, "online"),  # this week: outside both
            (date(2026, 11, 8), "A-1", "KT", 50, 500, "online"),  # before both
        ]
        s.add_all(Sale(date=d, sku=k, area=a, qty=q, revenue=r, channel=c) for d, k, a, q, r, c in sales)
        orders = [  # order, line, created, sku, qty, area, status
            ("SO-1", 1, datetime(2026, 11, 17, 10), "A-1", 10, "KT", "delivered"),
            ("SO-1", 2, datetime(2026, 11, 17, 10), "B-2", 5, "KT", "delivered"),
            ("SO-2", 1, datetime(2026, 11, 18, 11), "A-1", 200, "CW", "delivered"),
            ("SO-3", 1, datetime(2026, 11, 21, 9), "B-2", 3, "YL", "delivered"),
            ("SO-4", 1, datetime(2026, 11, 21, 9), "B-2", 30, "YL", "cancelled"),
            ("SO-5", 1, datetime(2026, 11, 12, 9), "A-1", 1, "KT", "delivered"),
        ]
        s.add_all(OrderLine(order_id=o, line=n, created_at=t, sku=k, qty=q, area=a, status=st)
                  for o, n, t, k, q, a, st in orders)
        s.add(ImportRun(loaded_at=datetime(2026, 11, 25, 6), source="test", row_counts={}, seconds=0.0))
    return any_db


def call(db: Database, settings: Settings, role: str = "manager", lang: str = "en", **args):  # type: ignore[no-untyped-def]
    ctx = ToolContext(db=db, settings=settings, now=NOW, role=Role(role), lang=lang)  # type: ignore[arg-type]
    return build_registry(["tools.sales"]).call("sales_summary", args, ctx)


def by_key(result: SalesSummaryResult) -> dict[str, object]:
    return {row.key: row for row in result.rows}


def test_revenue_by_region_against_the_week_before(shop: Database, settings: Settings) -> None:
    outcome = call(shop, settings, period="last_week", group_by="region", measure="revenue")
    assert outcome.ok, outcome.error_message("en")
    result = outcome.result
    assert (result.period.start, result.period.end) == (date(2026, 11, 16), date(2026, 11, 22))
    assert (result.previous.start, result.previous.end) == (date(2026, 11, 9), date(2026, 11, 15))
    rows = by_key(result)
    # KLN: 100 + 60 = 160 against 40 (+300%); HKI: 50 against 40 (+25%); NT: 20 against nothing.
    assert [r.key for r in result.rows] == ["KLN", "HKI", "NT"]
    assert (rows["KLN"].value, rows["KLN"].previous_value, rows["KLN"].change_pct) == (160, 40, 300.0)
    assert (rows["HKI"].value, rows["HKI"].previous_value, rows["HKI"].change_pct) == (50, 40, 25.0)
    assert rows["NT"].change_pct is None
    assert (result.total.value, result.total.previous_value, result.total.change_pct) == (230, 80, 187.5)
    assert rows["KLN"].name_zh == "九龍"
    # A manager sees margins: KLN 10 x (10-4) + 3 x (20-15) = 75; total 75 + 30 + 5 = 110.
    assert rows["KLN"].margin == 75 and result.total.margin == 110


def test_units_by_product_and_a_month(shop: Database, settings: Settings) -> None:
    result = call(shop, settings, period="last_week", group_by="product", measure="units").result
    rows = by_key(result)
    assert (rows["A-1"].units, rows["A-1"].previous_units) == (15, 4)
    assert (rows["B-2"].units, rows["B-2"].previous_units) == (4, 2)
    month = call(shop, settings, period="2026-11", group_by="category", measure="units").result
    # November up to the last sales day (23 Nov): cups 5+10+4+100+50 = 169, bags 3+1+2 = 6.
    assert month.period.end == date(2026, 11, 23)
    assert {r.key: r.value for r in month.rows} == {"cups": 169, "bags": 6}


def test_margin_is_refused_politely_for_sales(shop: Database, settings: Settings) -> None:
    outcome = call(shop, settings, role="sales", period="last_week", measure="margin")
    assert outcome.ok
    result = outcome.result
    assert result.margin_refused and result.measure == "revenue"
    assert all(row.margin is None for row in result.rows) and result.total.margin is None
    text = render(result, "zh-HK")
    assert "毛利" in text and "冇權限" in text and "230" in text
    assert "110" not in text  # the margin never leaks


def test_delivery_charges_by_zone(shop: Database, settings: Settings) -> None:
    result = call(shop, settings, period="last_week", measure="delivery_charges", group_by="zone").result
    rows = by_key(result)
    # SO-1 (KT, URBAN): 20 kg, $200 -> 60 + 2 x 20 = 100. SO-2 (CW): $2000 >= 1000 -> free.
    # SO-3 (YL, NT): 6 kg -> 80 + 2.5 x 6 = 95. SO-4 is cancelled. Week before: SO-5 1 kg -> 62.
    assert (rows["URBAN"].value, rows["URBAN"].deliveries, rows["URBAN"].previous_value) == (100, 2, 62)
    assert (rows["NT"].value, rows["NT"].deliveries) == (95, 1)
    assert result.total.value == 195
    assert "運費" in render(result, "zh-HK")


def test_this_week_to_date_compares_the_same_weekdays(shop: Database, settings: Settings) -> None:
    result = call(shop, settings, period="this_week", measure="units").result
    # Sales run to 23 Nov (Monday): this week = 23 Nov, compared with Monday 16 Nov.
    assert (result.period.start, result.period.end) == (date(2026, 11, 23), date(2026, 11, 23))
    assert (result.previous.start, result.previous.end) == (date(2026, 11, 16), date(2026, 11, 16))
    assert result.total.value == 100 and result.total.previous_value == 5
    # The same when the caller resolved "this week" to Monday-Sunday dates itself.
    dated = call(shop, settings, start="2026-11-23", end="2026-11-29", measure="units").result
    assert (dated.previous.start, dated.previous.end) == (date(2026, 11, 16), date(2026, 11, 16))
    assert dated.total.value == 100 and dated.total.previous_value == 5


def test_bad_input_is_a_typed_error(shop: Database, settings: Settings) -> None:
    outcome = call(shop, settings, period="the other day")
    assert not outcome.ok and outcome.error.code == "bad_period"
    outcome = call(shop, settings, category="spaceships")
    assert not outcome.ok and "bags" in outcome.error.message("en")


def test_analytics_loads_once_per_data_version(shop: Database) -> None:
    first = Analytics.for_database(shop)
    assert Analytics.for_database(shop) is first
    with shop.session() as s:
        s.add(ImportRun(loaded_at=datetime(2026, 11, 25, 7), source="test", row_counts={}, seconds=0.0))
    shop.forget_data_version()  # as the importer does (another worker would see it within a second)
    assert Analytics.for_database(shop) is not first


def test_renders_a_small_table_in_both_languages(shop: Database, settings: Settings) -> None:
    result = call(shop, settings, period="last_week", group_by="region").result
    zh, en = render(result, "zh-HK"), render(result, "en")
    assert "九龍" in zh and "+300%" in zh and "上星期" in zh
    assert "Kowloon" in en and "+300%" in en and "230" in en


def test_demo_company_last_month_best_region(demo_ctx) -> None:  # type: ignore[no-untyped-def]
    """上個月邊區賣得最好? on the demo company: Kowloon sells most (about 43% of units)."""
    ctx = demo_ctx(role="manager", lang="zh-HK")
    outcome = build_registry(["tools.sales"]).call("sales_summary", {"period": "上個月", "group_by": "region"}, ctx)
    assert outcome.ok, outcome.error_message("en")
    result = outcome.result
    assert (result.period.start, result.period.end) == (date(2026, 10, 1), date(2026, 10, 31))
    assert result.rows[0].key == "KLN" and 35 < result.rows[0].share_pct < 50
    assert result.total.margin is not None and result.total.margin < result.total.revenue
    assert render(result, "zh-HK").startswith("上個月(10月1日至31日)營業額最高嘅區係九龍")


def test_change_under_half_a_percent_reads_flat() -> None:
    from bot.render.sales import _change

    assert _change(-0.2, zh=True) == "持平" and _change(0.4, zh=False) == "flat"
    assert _change(-9.6, zh=True) == "-10%" and _change(None, zh=False) == "new"
