"""A small delivery company for routing tests: real Hong Kong area points, two depots, a few vans and orders."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from core.db import Database
from core.models import Area, Location, OrderLine, Product, ShippingRate, Stock, Vehicle

# code, English, Chinese, region, lat, lon
AREAS = [
    ("YL", "Yuen Long", "元朗", "NT", 22.4445, 114.0222),
    ("CSW", "Cheung Sha Wan", "長沙灣", "KLN", 22.3353, 114.1560),
    ("KT", "Kwun Tong", "觀塘", "KLN", 22.3123, 114.2258),
    ("TST", "Tsim Sha Tsui", "尖沙咀", "KLN", 22.2988, 114.1722),
    ("CWB", "Causeway Bay", "銅鑼灣", "HKI", 22.2803, 114.1838),
    ("CEN", "Central", "中環", "HKI", 22.2819, 114.1580),
    ("ST", "Sha Tin", "沙田", "NT", 22.3820, 114.1880),
    ("TM", "Tuen Mun", "屯門", "NT", 22.3910, 113.9770),
    ("TC", "Tung Chung", "東涌", "ISL", 22.2890, 113.9410),
    ("CC", "Cheung Chau", "長洲", "ISL", 22.2090, 114.0290),
]
ORDER_AREAS = ["CSW", "KT", "TST", "CWB", "CEN", "ST", "TM", "TC", "YL"]


@dataclass(frozen=True)
class VanRow:
    """A van for the factory."""

    vehicle_id: str
    driver: str
    driver_zh: str
    depot: str
    capacity_kg: float = 600.0
    capacity_l: float = 4000.0
    shift_start: str = "08:00"
    shift_end: str = "18:00"
    workdays: str = "Mon-Sat"


VANS = [
    VanRow("V01", "Chan Tai Man", "陳大文", "YL"),
    VanRow("V02", "Wong Siu Ming", "黃小明", "CSW"),
    VanRow("V03", "Lee Ka Yan", "李家欣", "CSW", capacity_kg=400.0, capacity_l=2500.0, shift_start="09:00"),
]


def make_company(db: Database, vans: list[VanRow] = VANS) -> None:
    """Reference tables: zones, areas, two depots (YL, CSW) and one Shenzhen location, two products, vans."""
    with db.session() as session:
        session.add(ShippingRate(zone="URBAN", base_fee=60, per_kg=2, free_over=1000))
        session.flush()
        for code, name_en, name_zh, region, lat, lon in AREAS:
            session.add(Area(code=code, name_en=name_en, name_zh=name_zh, district=name_en, region=region,
                             zone="URBAN", lat=lat, lon=lon, aliases=code))
        session.flush()
        session.add_all([
            Location(code="YL", name_en="Yuen Long Warehouse", name_zh="元朗貨倉", area="YL", kind="warehouse",
                     lead_days_min=0, lead_days_max=0, cutoff="14:00"),
            Location(code="CSW", name_en="Cheung Sha Wan Hub", name_zh="長沙灣中轉倉", area="CSW", kind="transit",
                     lead_days_min=0, lead_days_max=0, cutoff="14:00"),
            Location(code="SZ", name_en="Shenzhen Warehouse", name_zh="深圳倉", area=None, kind="crossborder",
                     lead_days_min=2, lead_days_max=3, cutoff="12:00"),
            Product(sku="WB-BL-500", name_en="Water bottle blue 500ml", name_zh="藍色水樽 500ml", category="drinkware",
                    unit_price=59, unit_cost=21, weight_kg=0.5, volume_l=1.2),
            Product(sku="RACK-XL", name_en="Storage rack XL", name_zh="特大儲物架", category="home",
                    unit_price=899, unit_cost=400, weight_kg=25.0, volume_l=120.0),
        ])
        session.flush()
        # Plenty of both products at both Hong Kong depots: the planner routes only what can arrive that day.
        for sku in ("WB-BL-500", "RACK-XL"):
            for code in ("YL", "CSW"):
                session.add(Stock(sku=sku, location=code, on_hand=5000, reserved=0,
                                  updated_at=datetime(2026, 11, 25, 6, 0)))
        for van in vans:
            session.add(Vehicle(vehicle_id=van.vehicle_id, plate=f"PL{van.vehicle_id}", driver=van.driver,
                                driver_zh=van.driver_zh, depot=van.depot, capacity_kg=van.capacity_kg,
                                capacity_l=van.capacity_l, shift_start=van.shift_start, shift_end=van.shift_end,
                                workdays=van.workdays))


def add_order(db: Database, order_id: str, area: str, day: date, *, qty: int = 10, sku: str = "WB-BL-500",
              window: tuple[str, str] | None = ("09:00", "18:00"), status: str = "new",
              vehicle: str | None = None, location: str | None = None) -> None:
    """One order line due on `day` (no window: due by its promised date instead)."""
    start = end = None
    if window is not None:
        start = datetime.combine(day, time.fromisoformat(window[0]))
        end = datetime.combine(day, time.fromisoformat(window[1]))
    with db.session() as session:
        session.add(OrderLine(order_id=order_id, line=1, created_at=datetime.combine(day, time(7)) - timedelta(days=1),
                              sku=sku, qty=qty, area=area, window_start=start, window_end=end, status=status,
                              location=location, vehicle=vehicle,
                              promised_by=datetime.combine(day, time(18)) if window is None else None))


def add_day_of_orders(db: Database, day: date, count: int = 24, seed: int = 7) -> list[str]:
    """`count` ordinary orders across the areas with morning, afternoon or all-day windows."""
    rng = random.Random(seed)
    windows = [("09:00", "12:00"), ("14:00", "17:00"), ("09:00", "18:00"), ("10:00", "13:00"), ("13:00", "18:00")]
    order_ids = []
    for index in range(count):
        order_id = f"SO-2{index:04d}"
        add_order(db, order_id, rng.choice(ORDER_AREAS), day, qty=rng.randint(5, 60), window=rng.choice(windows))
        order_ids.append(order_id)
    return order_ids
