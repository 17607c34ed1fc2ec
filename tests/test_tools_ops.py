"""The operational tools on a small hand-built company, so every expectation can be computed by hand.

Calendar facts used below (Hong Kong general holidays, 2026): Wed 25 Nov is a working day; Christmas
Day (Fri 25 Dec) and the first weekday after Christmas (Sat 26 Dec) are holidays; Sundays have no vans.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path

import pytest

from bot.render.stock import lead_time
from connectors.hko import WeatherService
from core.config import Settings, TravelConfig, WeatherConfig
from core.db import Database
from core.models import Area, Location, OrderLine, Product, ShippingRate, Stock, Supplier, Vehicle
from tools.registry import Role, ToolContext, ToolInputError, ToolRegistry, build_registry

NOW = datetime(2026, 11, 25, 10, 30)  # Wednesday
HKO = Path(__file__).parent / "fixtures" / "hko"
UPDATED = datetime(2026, 11, 25, 8, 0)

AREAS = [  # code, en, zh, district, region, zone, lat, lon, aliases
    ("KT", "Kwun Tong", "觀塘", "Kwun Tong", "KLN", "URBAN", 22.3104, 114.2252, "官塘;KT"),
    ("CSW", "Cheung Sha Wan", "長沙灣", "Sham Shui Po", "KLN", "URBAN", 22.3353, 114.1563, ""),
    ("MK", "Mong Kok", "旺角", "Yau Tsim Mong", "KLN", "URBAN", 22.3193, 114.1694, ""),
    ("YL", "Yuen Long", "元朗", "Yuen Long", "NT", "NT", 22.4445, 114.0222, ""),
    ("CEN", "Central", "中環", "Central and Western", "HKI", "URBAN", 22.2819, 114.1583, ""),
    ("TC", "Tung Chung", "東涌", "Islands", "ISL", "REMOTE", 22.2890, 113.9410, "Tung Chung;TC"),
]
LOCATIONS = [  # code, en, zh, area, kind, lead min, lead max, cutoff
    ("CSW", "Cheung Sha Wan Hub", "長沙灣中轉倉", "CSW", "transit", 0, 0, "14:00"),
    ("YL", "Yuen Long Warehouse", "元朗貨倉", "YL", "warehouse", 0, 0, "14:00"),
    ("MK", "Mong Kok Store", "旺角門市", "MK", "store", 0, 0, "16:00"),
    ("SZ", "Shenzhen Warehouse", "深圳倉", None, "crossborder", 2, 3, "12:00"),
]
PRODUCTS = [  # sku, en, zh, price, cost, kg, substitutes, aliases
    ("WB-BL-500", "Water bottle blue 500ml", "藍色水樽 500ml", 89, 35, 0.45, "WB-RD-500", "藍色水樽;藍樽;blue bottle"),
    ("WB-RD-500", "Water bottle red 500ml", "紅色水樽 500ml", 89, 35, 0.45, "WB-BL-500", "紅色水樽;red bottle"),
    ("PC-IP15-BK", "iPhone 15 case black", "黑色 iPhone 15 手機殼", 129, 30, 0.1, "PC-IP15-CL;PC-IP15-NV",
     "黑色手機殼;black iphone case"),
    ("PC-IP15-CL", "iPhone 15 case clear", "透明 iPhone 15 手機殼", 119, 28, 0.1, "PC-IP15-BK", ""),
    ("PC-IP15-NV", "iPhone 15 case navy", "深藍 iPhone 15 手機殼", 139, 31, 0.1, "", ""),
    ("UM-FOLD-BK", "Folding umbrella black", "黑色摺遮", 159, 50, 0.4, "", "摺遮"),
    ("TB-SZ-01", "Thermos flask 1L", "保溫壺 1L", 359, 120, 0.8, "", ""),
    ("KT-BIG", "Electric kettle", "電熱水煲", 399, 150, 1.2, "", ""),
    ("AP-FRY", "Air fryer", "氣炸鍋", 499, 200, 4.0, "", ""),
    ("AP-KET2", "Glass kettle", "玻璃電熱水煲", 649, 260, 1.5, "", ""),
    ("AP-MIX", "Stand mixer", "廚師機", 1299, 600, 6.0, "", ""),
    ("AP-VAC", "Handheld vacuum", "手提吸塵機", 420, 180, 1.8, "", ""),
]
STOCK = {  # sku: {location: (on_hand, reserved)}
    "WB-BL-500": {"CSW": (15, 3), "YL": (2, 2), "MK": (5, 0), "SZ": (210, 10)},
    "WB-RD-500": {"CSW": (40, 0), "YL": (100, 0), "MK": (20, 0)},
    "PC-IP15-BK": {"CSW": (1, 0), "YL": (2, 0), "MK": (0, 0)},
    "PC-IP15-CL": {"CSW": (30, 0), "YL": (50, 0)},
    "PC-IP15-NV": {"CSW": (0, 0)},
    "UM-FOLD-BK": {"CSW": (0, 0), "YL": (4, 4), "SZ": (0, 0)},
    "TB-SZ-01": {"SZ": (80, 0)},
    "KT-BIG": {"YL": (10, 0)},
    "AP-FRY": {"CSW": (5, 0)},
    "AP-KET2": {"YL": (3, 1)},
    "AP-MIX": {"YL": (2, 0)},
    "AP-VAC": {"YL": (6, 6), "SZ": (30, 0)},
}


def build_company(db: Database) -> None:
    """The small company of this module."""
    with db.session() as session:
        session.add_all([
            ShippingRate(zone="URBAN", base_fee=60, per_kg=2.5, free_over=500),
            ShippingRate(zone="NT", base_fee=80, per_kg=3, free_over=1500),
            ShippingRate(zone="REMOTE", base_fee=150, per_kg=5, free_over=None, consolidated_day="Sat",
                         consolidated_discount_pct=30),
        ])
        session.flush()
        session.add_all([Area(code=c, name_en=en, name_zh=zh, district=d, region=r, zone=z, lat=la, lon=lo, aliases=al)
                         for c, en, zh, d, r, z, la, lo, al in AREAS])
        session.flush()
        session.add_all([Location(code=c, name_en=en, name_zh=zh, area=a, kind=k, lead_days_min=lo, lead_days_max=hi,
                                  cutoff=cut) for c, en, zh, a, k, lo, hi, cut in LOCATIONS])
        session.add_all([Product(sku=s, name_en=en, name_zh=zh, category="x", unit_price=p, unit_cost=c, weight_kg=kg,
                                 volume_l=1.0, substitutes=sub, aliases=al) for s, en, zh, p, c, kg, sub, al in PRODUCTS])
        session.flush()
        session.add_all([Stock(sku=sku, location=loc, on_hand=on, reserved=res,
                               updated_at=UPDATED.replace(minute=10 * i))
                         for sku, rows in STOCK.items() for i, (loc, (on, res)) in enumerate(rows.items())])
        session.add_all([
            Supplier(supplier_id="S1", sku="UM-FOLD-BK", name="Rain Co", lead_days=10, moq=50, unit_cost=40,
                     deliver_to="YL"),
            Supplier(supplier_id="S2", sku="WB-BL-500", name="Bottle Co", lead_days=14, moq=100, unit_cost=30,
                     deliver_to="SZ"),
            Vehicle(vehicle_id="V01", plate="AB1234", driver="Chan Tai Man", driver_zh="陳大文", depot="CSW",
                    capacity_kg=1000, capacity_l=8000, shift_start="08:00", shift_end="18:00", workdays="Mon-Sat"),
        ])
        session.flush()
        today = datetime(2026, 11, 25, 0, 0)
        session.add_all([
            OrderLine(order_id="SO-1", line=1, created_at=today, sku="WB-BL-500", qty=5, area="KT", status="allocated",
                      location="CSW", vehicle="V01", eta=today.replace(hour=15),
                      promised_by=today.replace(hour=18)),
            OrderLine(order_id="SO-2", line=1, created_at=today, sku="TB-SZ-01", qty=2, area="KT", status="new",
                      promised_by=today.replace(hour=18)),
            OrderLine(order_id="SO-3", line=1, created_at=today, sku="PC-IP15-BK", qty=10, area="MK", status="new",
                      promised_by=today.replace(hour=18)),
            OrderLine(order_id="SO-4", line=1, created_at=today, sku="WB-BL-500", qty=2, area="CEN",
                      status="allocated", location="CSW", vehicle="V01", eta=datetime(2026, 11, 26, 11, 0),
                      promised_by=today.replace(hour=17)),
            OrderLine(order_id="SO-5", line=1, created_at=today, sku="WB-RD-500", qty=1, area="KT", status="delivered",
                      promised_by=today.replace(hour=12)),
            OrderLine(order_id="SO-6", line=1, created_at=today, sku="WB-RD-500", qty=1, area="KT", status="new",
                      promised_by=datetime(2026, 11, 28, 18, 0)),
        ])


@pytest.fixture(scope="module")
def company(tmp_path_factory: pytest.TempPathFactory) -> Database:
    db = Database(f"sqlite:///{tmp_path_factory.mktemp('ops') / 'ops.db'}")
    db.create_all()
    build_company(db)
    return db


@pytest.fixture(scope="module")
def registry() -> ToolRegistry:
    return build_registry(["tools.stock", "tools.eta", "tools.orders", "tools.promise", "tools.shipping"])


def ops_settings(tmp_path: Path, weather_file: str | None = None) -> Settings:
    travel = TravelConfig(time_bands={"am_peak": ("07:30", "09:30"), "pm_peak": ("17:30", "19:30")},
                          speed_kmh={"KLN": {"offpeak": 27}, "NT": {"offpeak": 42}, "HKI": {"offpeak": 25},
                                     "ISL": {"offpeak": 45}},
                          harbour_crossing_delay_min={"offpeak": 8}, road_linked_islands=["Tung Chung"])
    weather = WeatherConfig(source="file", file=str(HKO / weather_file)) if weather_file else WeatherConfig()
    return Settings(home=tmp_path, env={}, travel=travel, weather=weather)


@pytest.fixture
def call(company: Database, registry: ToolRegistry, tmp_path: Path) -> Callable[..., object]:
    """Call a tool through the registry; returns the result, or the typed error when it failed."""

    def run(name: str, args: dict, *, now: datetime = NOW, role: Role = Role.sales, weather: str | None = None):
        ctx = ToolContext(db=company, settings=ops_settings(tmp_path, weather), now=now, role=role,
                          weather=WeatherService())  # the Observatory reader, as the entry points inject it
        outcome = registry.call(name, args, ctx)
        return outcome.result if outcome.ok else outcome.error

    return run


# --- delivery_eta: dispatch day, cutoff, Sunday, holidays, weather ----------------------------------


def test_before_cutoff_ships_today_from_nearest_local_with_enough(call) -> None:
    result = call("delivery_eta", {"product": "WB-BL-500", "qty": 10, "area": "KT"})
    # MK (5) is nearer Kwun Tong but short; CSW (12 available) is the nearest with enough.
    assert result.choice == "local" and result.source_location.code == "CSW"
    assert result.dispatch_day == result.eta_earliest == result.eta_latest == date(2026, 11, 25)
    assert result.reasons == []
    assert result.data_as_of == datetime(2026, 11, 25, 8, 0)


def test_nearest_local_is_chosen_by_travel_time(call) -> None:
    result = call("delivery_eta", {"product": "藍樽", "qty": 3, "area": "觀塘"})
    assert result.source_location.code == "MK"  # Mong Kok store is nearer Kwun Tong than Cheung Sha Wan


def test_after_cutoff_moves_to_next_working_day(call) -> None:
    result = call("delivery_eta", {"product": "WB-BL-500", "qty": 10, "area": "KT",
                                   "order_time": "2026-11-25T15:00"})
    assert result.dispatch_day == result.eta_latest == date(2026, 11, 26)
    assert result.reasons == ["after_cutoff"]


def test_saturday_after_cutoff_is_monday(call) -> None:
    result = call("delivery_eta", {"product": "WB-BL-500", "qty": 10, "area": "KT",
                                   "order_time": "2026-11-28T15:00"})
    assert result.eta_latest == date(2026, 11, 30)
    assert result.reasons == ["after_cutoff", "sunday"]


def test_sunday_order_goes_out_monday(call) -> None:
    result = call("delivery_eta", {"product": "WB-BL-500", "qty": 10, "area": "KT",
                                   "order_time": "2026-11-29T09:00"})
    assert result.eta_latest == date(2026, 11, 30)
    assert result.reasons == ["sunday"]


def test_day_before_christmas_after_cutoff_skips_two_holidays_and_sunday(call) -> None:
    result = call("delivery_eta", {"product": "WB-BL-500", "qty": 10, "area": "KT",
                                   "order_time": "2026-12-24T15:00"})
    assert result.eta_latest == date(2026, 12, 28)
    assert result.reasons == ["after_cutoff", "sunday", "public_holiday"]
    assert [h.date for h in result.skipped_holidays] == [date(2026, 12, 25), date(2026, 12, 26)]
    assert result.skipped_holidays[0].name_zh == "聖誕節"


def test_crossborder_range_spanning_christmas(call) -> None:
    # SZ only: dispatch Wed 23 Dec (before 12:00); +2 working days = Thu 24, Mon 28; +3 = Tue 29.
    result = call("delivery_eta", {"product": "TB-SZ-01", "qty": 5, "area": "KT", "order_time": "2026-12-23T10:00"})
    assert result.choice == "crossborder" and result.source_location.code == "SZ"
    assert result.dispatch_day == date(2026, 12, 23)
    assert (result.eta_earliest, result.eta_latest) == (date(2026, 12, 28), date(2026, 12, 29))
    assert result.reasons == ["sunday", "public_holiday", "crossborder_lead"]


def test_crossborder_range_on_ordinary_days(call) -> None:
    result = call("delivery_eta", {"product": "TB-SZ-01", "qty": 5, "area": "KT"})
    assert (result.eta_earliest, result.eta_latest) == (date(2026, 11, 27), date(2026, 11, 28))
    assert result.reasons == ["crossborder_lead"]


def test_lead_location_with_enough_beats_a_split(call) -> None:
    result = call("delivery_eta", {"product": "WB-BL-500", "qty": 30, "area": "KT"})
    assert result.choice == "crossborder" and result.source_location.code == "SZ"


def test_split_delivery_between_local_locations(call) -> None:
    result = call("delivery_eta", {"product": "PC-IP15-BK", "qty": 3, "area": "MK"})
    assert result.choice == "split"
    assert [(s.location.code, s.qty) for s in result.shipments] == [("CSW", 1), ("YL", 2)]
    assert result.eta_latest == date(2026, 11, 25)
    assert result.reasons == ["split"]


def test_split_local_now_rest_from_shenzhen_and_supplier(call) -> None:
    # 17 local (MK 5, CSW 12), 200 from SZ, the last 33 from Bottle Co (14 days to SZ, then 2-3 working days).
    result = call("delivery_eta", {"product": "WB-BL-500", "qty": 250, "area": "KT"})
    assert result.choice == "split"
    assert [(s.location.code, s.qty, s.source) for s in result.shipments] == [
        ("MK", 5, "local"), ("CSW", 12, "local"), ("SZ", 200, "crossborder"), ("SZ", 33, "supplier")]
    supplier = result.shipments[-1]
    assert supplier.supplier_arrival == date(2026, 12, 9) and supplier.dispatch_day == date(2026, 12, 10)
    assert result.eta_latest == date(2026, 12, 14)  # Thu 10 Dec + 3 working days: Fri 11, Sat 12, Mon 14
    assert set(result.reasons) == {"split", "crossborder_lead", "supplier_arrival", "sunday"}


def test_out_of_stock_everywhere_waits_for_supplier(call) -> None:
    result = call("delivery_eta", {"product": "UM-FOLD-BK", "qty": 1, "area": "KT"})
    assert result.choice == "supplier"
    # Rain Co: 10 calendar days to YL -> arrives Sat 5 Dec; leaves on the next working day, Mon 7 Dec.
    assert result.shipments[0].supplier_arrival == date(2026, 12, 5)
    assert result.eta_latest == date(2026, 12, 7)
    assert result.reasons == ["supplier_arrival"]


def test_typhoon_signal_8_moves_delivery(call) -> None:
    result = call("delivery_eta", {"product": "WB-BL-500", "qty": 10, "area": "KT"}, weather="warnsum_tc8.json")
    assert result.eta_latest == date(2026, 11, 26)
    assert result.reasons == ["typhoon"]
    assert result.weather.typhoon_signal == 8


def test_black_rainstorm_moves_delivery(call) -> None:
    result = call("delivery_eta", {"product": "WB-BL-500", "qty": 10, "area": "KT"},
                  weather="warnsum_black_rain.json")
    assert result.eta_latest == date(2026, 11, 26) and result.reasons == ["black_rain"]


def test_signal_3_does_not_suspend(call) -> None:
    result = call("delivery_eta", {"product": "WB-BL-500", "qty": 10, "area": "KT"},
                  weather="warnsum_tc3_rain_cancelled.json")
    assert result.eta_latest == date(2026, 11, 25) and result.reasons == []


# --- stock_lookup ------------------------------------------------------------------------------------


def test_stock_lookup_lists_locations_with_lead_time_words(call) -> None:
    result = call("stock_lookup", {"product": "blue bottle"})
    assert result.product.sku == "WB-BL-500"
    assert [(row.location.code, row.available) for row in result.locations] == [
        ("CSW", 12), ("MK", 5), ("YL", 0), ("SZ", 200)]
    assert result.local_available == 17 and result.total_available == 217 and not result.short
    today = result.asked_at.date()  # the tool gives the facts (dispatch day, cutoff, lead days); the renderer words them
    assert lead_time(result.locations[0], today, zh=True) == "今日下午 2 點前落單即日出貨"
    assert lead_time(result.locations[-1], today, zh=False) == "2-3 working days"
    assert result.product.unit_cost is None  # sales may not see cost
    assert result.data_as_of == datetime(2026, 11, 25, 8, 0)


def test_stock_lookup_short_offers_in_stock_substitutes_only(call) -> None:
    result = call("stock_lookup", {"product": "PC-IP15-BK", "qty": 5})
    assert result.short
    assert [s.product.sku for s in result.substitutes] == ["PC-IP15-CL"]  # navy has none
    assert result.substitutes[0].local_available == 80


def test_unit_cost_only_for_cost_roles(call) -> None:
    assert call("stock_lookup", {"product": "WB-BL-500"}, role=Role.manager).product.unit_cost == 35
    assert call("stock_lookup", {"product": "WB-BL-500"}, role=Role.logistics).product.unit_cost is None


# --- shipping_cost -----------------------------------------------------------------------------------


def test_shipping_below_threshold_with_upsell_in_stock_only(call) -> None:
    result = call("shipping_cost", {"area": "KT", "items": [{"product": "WB-BL-500", "qty": 2}]})
    assert result.weight_kg == 0.9 and result.order_value == 178
    assert result.charge == 62  # 60 + 2.5 x 0.9 = 62.25
    assert not result.free and result.gap_to_free == 322
    # In stock locally and priced >= 322, cheapest first; AP-VAC (420) is reserved/SZ only, TB-SZ-01 SZ only.
    assert [u.product.sku for u in result.upsell] == ["KT-BIG", "AP-FRY", "AP-KET2"]
    assert result.consolidated_day is None


def test_shipping_free_above_threshold(call) -> None:
    result = call("shipping_cost", {"area": "Kwun Tong", "items": [{"product": "KT-BIG", "qty": 2}]})
    assert result.order_value == 798 and result.free and result.charge == 0
    assert result.standard_charge == 66  # 60 + 2.5 x 2.4
    assert result.gap_to_free is None and result.upsell == []


def test_remote_zone_consolidated_run(call) -> None:
    result = call("shipping_cost", {"area": "東涌", "weight_kg": 3, "order_value": 200})
    assert result.zone == "REMOTE" and result.charge == 165  # 150 + 5 x 3; never free
    assert result.gap_to_free is None
    assert result.consolidated_day == date(2026, 11, 28)  # the coming Saturday
    assert result.consolidated_discount_pct == 30 and result.consolidated_charge == 116  # 115.5 rounds up


def test_shipping_rounds_half_up_to_the_dollar(call) -> None:
    assert call("shipping_cost", {"area": "YL", "weight_kg": 1.5, "order_value": 10}).charge == 85  # 84.5


# --- check_promise and order_status ------------------------------------------------------------------


def test_promise_kept(call) -> None:
    result = call("check_promise", {"product": "WB-BL-500", "qty": 10, "area": "KT", "deadline": "2026-11-25"})
    assert result.can_keep and result.alternatives == []


def test_promise_at_risk_kept_by_another_location(call) -> None:
    # 15:00: Cheung Sha Wan (nearest, 14:00 cutoff) ships tomorrow; the Mong Kok store (16:00) still today.
    result = call("check_promise", {"product": "WB-RD-500", "qty": 10, "area": "CSW", "deadline": "2026-11-25",
                                    "order_time": "2026-11-25T15:00"})
    assert not result.can_keep and result.eta_latest == date(2026, 11, 26)
    keeping = [a for a in result.alternatives if a.keeps_promise]
    assert keeping[0].kind == "location" and keeping[0].location.code == "MK"
    assert keeping[0].eta_latest == date(2026, 11, 25)


def test_promise_at_risk_kept_by_a_substitute(call) -> None:
    result = call("check_promise", {"product": "black iphone case", "qty": 10, "area": "MK",
                                    "deadline": "2026-11-25"})
    assert not result.can_keep and result.short_qty == 7
    assert result.alternatives[0].kind == "substitute" and result.alternatives[0].product.sku == "PC-IP15-CL"
    assert [(s.location.code, s.qty) for s in result.shipments] == [("CSW", 1), ("YL", 2)]
    assert all(a.kind != "split" for a in result.alternatives)  # the plan itself is already that split


def test_promise_at_risk_offers_a_split(call) -> None:
    # 30 by today: SZ has enough but needs 2-3 working days; 17 can go today from MK and CSW.
    result = call("check_promise", {"product": "WB-BL-500", "qty": 30, "area": "KT", "deadline": "2026-11-25"})
    assert not result.can_keep and result.source_location.code == "SZ"
    split = next(a for a in result.alternatives if a.kind == "split")
    assert split.qty_on_time == 17 and split.eta_latest == date(2026, 11, 28)


def test_order_status_by_id(call) -> None:
    result = call("order_status", {"order_id": "so-1"})
    line = result.lines[0]
    assert result.order_id == "SO-1" and line.status == "allocated" and line.location.code == "CSW"
    assert line.vehicle.driver_zh == "陳大文" and line.planned_eta == datetime(2026, 11, 25, 15, 0)
    assert not line.at_risk


def test_order_status_planned_eta_after_promise_is_at_risk(call) -> None:
    line = call("order_status", {"order_id": "SO-4"}).lines[0]
    assert line.at_risk and line.expected_basis == "planned"


def test_todays_orders_at_risk(call) -> None:
    result = call("order_status", {})
    assert result.mode == "at_risk"
    assert sorted(line.order_id for line in result.lines) == ["SO-2", "SO-3", "SO-4"]
    so3 = next(line for line in result.lines if line.order_id == "SO-3")
    assert any(a.kind == "substitute" and a.keeps_promise for a in so3.alternatives)
    so2 = next(line for line in result.lines if line.order_id == "SO-2")
    assert so2.expected_latest == date(2026, 11, 28) and "crossborder_lead" in so2.reasons


def test_typhoon_puts_todays_planned_orders_at_risk(call) -> None:
    result = call("order_status", {}, weather="warnsum_tc8.json")
    assert "SO-1" in {line.order_id for line in result.lines}


# --- bad input -----------------------------------------------------------------------------------


def test_unknown_sku_lists_closest_matches(call) -> None:
    error = call("delivery_eta", {"product": "WB-XX-500", "qty": 1, "area": "KT"})
    assert isinstance(error, ToolInputError) and error.code == "unknown_product"
    assert "WB-BL-500" in error.suggestions
    assert "WB-BL-500" in error.message_zh and "搵唔到" in error.message_zh


def test_unknown_area(call) -> None:
    error = call("shipping_cost", {"area": "Atlantis", "weight_kg": 1})
    assert isinstance(error, ToolInputError) and error.code == "unknown_area"


@pytest.mark.parametrize("qty", [0, -3])
def test_quantity_must_be_positive(call, qty: int) -> None:
    error = call("check_promise", {"product": "WB-BL-500", "qty": qty, "area": "KT", "deadline": "2026-11-27"})
    assert isinstance(error, ToolInputError) and error.field_name == "qty"


def test_shipping_needs_items_or_weight(call) -> None:
    assert isinstance(call("shipping_cost", {"area": "KT"}), ToolInputError)


def test_unknown_order(call) -> None:
    error = call("order_status", {"order_id": "SO-99999"})
    assert isinstance(error, ToolInputError) and error.code == "unknown_order"


# --- rendering: numbers, names and dates verbatim, freshness always ------------------------------------


def test_render_stock_in_cantonese_and_english(call) -> None:
    from bot.render.stock import render

    result = call("stock_lookup", {"product": "WB-BL-500"})
    zh = render(result, "zh-HK")
    assert zh.startswith("WB-BL-500 藍色水樽 500ml:長沙灣中轉倉有 12 件,今日下午 2 點前落單即日出貨;")
    assert "深圳倉有 200 件,要 2 至 3 個工作天" in zh and zh.endswith("庫存更新於 08:00。")
    en = render(result, "en")
    assert "Shenzhen Warehouse has 200 (2-3 working days)" in en and en.endswith("Stock as of 08:00.")


def test_render_eta_with_date_words_and_reasons(call) -> None:
    from bot.render.eta import render

    today = call("delivery_eta", {"product": "WB-BL-500", "qty": 10, "area": "KT"})
    assert "由長沙灣中轉倉出貨,今日下午 2 點前落單即日送到。" in render(today, "zh-HK")
    assert "arriving today if confirmed before 14:00" in render(today, "en")
    tomorrow = call("delivery_eta", {"product": "WB-BL-500", "qty": 10, "area": "KT",
                                     "order_time": "2026-11-25T15:00"})
    assert "聽日送到" in render(tomorrow, "zh-HK") and "已過截單時間" in render(tomorrow, "zh-HK")
    assert "arriving tomorrow" in render(tomorrow, "en")
    christmas = call("delivery_eta", {"product": "TB-SZ-01", "qty": 5, "area": "KT",
                                      "order_time": "2026-12-23T10:00"})
    zh = render(christmas, "zh-HK")
    assert "12月28日(星期一)至12月29日(星期二)" in zh and "聖誕節" in zh
    assert "Mon 28 Dec to Tue 29 Dec" in render(christmas, "en")


def test_render_promise_and_orders(call) -> None:
    from bot.render.orders import render as render_orders
    from bot.render.promise import render as render_promise

    promise = call("check_promise", {"product": "WB-RD-500", "qty": 10, "area": "CSW", "deadline": "2026-11-25",
                                     "order_time": "2026-11-25T15:00"})
    assert "趕唔切" in render_promise(promise, "zh-HK") and "改由旺角門市出貨,今日送到" in render_promise(promise, "zh-HK")
    risky = render_orders(call("order_status", {}), "zh-HK")
    assert risky.startswith("今日有 3 項單趕唔切") and "SO-3" in risky and "SO-1 " not in risky
    assert "V01 陳大文" in render_orders(call("order_status", {"order_id": "SO-1"}), "zh-HK")


def test_render_shipping(call) -> None:
    from bot.render.shipping import render

    remote = render(call("shipping_cost", {"area": "TC", "weight_kg": 3, "order_value": 200}), "zh-HK")
    assert "$150 + 每公斤 $5 × 3 公斤 = $165" in remote and "11月28日(星期六)" in remote and "$116" in remote
    upsell = render(call("shipping_cost", {"area": "KT", "items": [{"product": "WB-BL-500", "qty": 2}]}), "en")
    assert "$322 more reaches free delivery" in upsell and "KT-BIG Electric kettle $399" in upsell


# --- the demo company --------------------------------------------------------------------------------


@pytest.fixture
def demo_call(demo_ctx, registry: ToolRegistry):
    def run(name: str, args: dict, role: str = "sales"):
        outcome = registry.call(name, args, demo_ctx(role=role))
        assert outcome.ok, outcome.error_message("en")
        return outcome.result

    return run


def test_demo_blue_bottle_stock_and_eta(demo_call) -> None:
    stock = demo_call("stock_lookup", {"product": "藍色水樽", "qty": 20})
    by_code = {row.location.code: row.available for row in stock.locations}
    assert by_code["CSW"] == 12 and by_code["SZ"] == 200 and stock.short
    assert stock.substitutes  # in-stock colours and sizes
    eta = demo_call("delivery_eta", {"product": "WB-BL-500", "qty": 10, "area": "觀塘"})
    assert eta.source_location.code == "CSW" and eta.eta_latest == date(2026, 11, 25)


def test_demo_orders_at_risk_are_the_planted_ones(demo_call) -> None:
    result = demo_call("order_status", {})
    at_risk = {line.order_id for line in result.lines}
    assert {"SO-10263", "SO-10267", "SO-10270", "SO-10278", "SO-10284"} <= at_risk
    assert "SO-10231" not in at_risk
    so10231 = demo_call("order_status", {"order_id": "SO-10231"})
    assert all(not line.at_risk and line.vehicle.driver_zh == "陳大文" for line in so10231.lines)


def test_demo_remote_zone_run(demo_call) -> None:
    result = demo_call("shipping_cost", {"area": "Tung Chung", "weight_kg": 5, "order_value": 300})
    assert result.zone == "REMOTE" and not result.free and result.consolidated_day == date(2026, 11, 28)
