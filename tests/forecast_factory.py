"""A small synthetic company for tests and benchmarks: areas, locations, products, sales with a
weekly pattern, a Lunar New Year dip and promotion uplifts, stock, suppliers and orders.

Nothing here is used at run time; it builds rows through the ORM so tests go through the real tables.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import numpy as np

from core.db import Database
from core.models import (
    Area,
    ImportRun,
    Location,
    Product,
    Promotion,
    Sale,
    ShippingRate,
    Stock,
    Supplier,
)
from tools.forecasting.events import LUNAR_NEW_YEAR, holiday_events

AREAS = [  # code, name_en, name_zh, district, region, zone, lat, lon, aliases
    ("CW", "Central", "中環", "Central and Western", "HKI", "URBAN", 22.282, 114.158, "中環;Central"),
    ("KT", "Kwun Tong", "觀塘", "Kwun Tong", "KLN", "URBAN", 22.312, 114.226, "官塘;Kwun Tong"),
    ("MK", "Mong Kok", "旺角", "Yau Tsim Mong", "KLN", "URBAN", 22.319, 114.169, "旺角;MK"),
    ("YL", "Yuen Long", "元朗", "Yuen Long", "NT", "NT", 22.445, 114.022, "元朗"),
    ("TC", "Tung Chung", "東涌", "Islands", "ISL", "REMOTE", 22.289, 113.941, "東涌"),
]
LOCATIONS = [  # code, name_en, name_zh, area, kind, lead min, lead max, cutoff
    ("YLW", "Yuen Long Warehouse", "元朗貨倉", "YL", "warehouse", 0, 0, "15:00"),
    ("CSW", "Cheung Sha Wan Transit", "長沙灣中轉倉", "MK", "transit", 0, 0, "14:00"),
    ("SZ", "Shenzhen Warehouse", "深圳倉", None, "crossborder", 2, 3, "12:00"),
]
RATES = [("URBAN", 60.0, 2.0, 1000.0), ("NT", 80.0, 2.5, 1500.0), ("REMOTE", 120.0, 3.0, None)]


@dataclass
class SyntheticCompany:
    """What was planted, so tests can assert it is found again."""

    last_day: date
    lny_day: date
    promo_start: date
    promo_end: date
    skus: list[str] = field(default_factory=list)


def lunar_new_year(year: int) -> date:
    """Lunar New Year's (listed) first day in a year, from the holiday calendar."""
    events = holiday_events(date(year, 1, 1), date(year, 12, 31))
    return next(e.day for e in events if e.name == LUNAR_NEW_YEAR and e.day.year == year)


def build_company(db: Database, *, last_day: date, history_days: int = 730, skus: int = 2,
                  new_product_days: int | None = 20, promo_start: date | None = None,
                  seed: int = 7) -> SyntheticCompany:
    """Fill an empty database with a synthetic company whose sales end on `last_day`.

    Every SKU sells in every region with a weekly pattern (weekends +40%), a Lunar New Year dip
    (-60% for the festival's first days) and promotions that lift sales by 80%. With
    `new_product_days`, one more product launched that many days ago is added (`NEW-1`).
    """
    rng = np.random.default_rng(seed)
    first_day = last_day - timedelta(days=history_days - 1)
    lny_days = [lunar_new_year(y) for y in range(first_day.year, last_day.year + 2)]
    promo_start = promo_start or last_day + timedelta(days=6)
    promo_end = promo_start + timedelta(days=6)
    company = SyntheticCompany(last_day=last_day, lny_day=lny_days[-1], promo_start=promo_start,
                               promo_end=promo_end)
    with db.session() as session:
        session.add_all(ShippingRate(zone=z, base_fee=b, per_kg=k, free_over=f) for z, b, k, f in RATES)
        session.flush()
        session.add_all(Area(code=c, name_en=en, name_zh=zh, district=d, region=r, zone=z, lat=la, lon=lo,
                             aliases=al) for c, en, zh, d, r, z, la, lo, al in AREAS)
        session.flush()
        session.add_all(Location(code=c, name_en=en, name_zh=zh, area=a, kind=k, lead_days_min=mn,
                                 lead_days_max=mx, cutoff=cut) for c, en, zh, a, k, mn, mx, cut in LOCATIONS)
        session.flush()
        names = [("WB-BL-500", "Water bottle blue 500ml", "藍色水樽 500ml", "藍色水樽;blue bottle"),
                 ("MUG-WH", "White mug", "白色杯", "白杯;white mug"),
                 ("TOTE-GR", "Green tote bag", "綠色環保袋", "環保袋;tote")]
        products = names[:skus]
        if new_product_days:
            products.append(("NEW-1", "New gadget", "新產品", "新貨"))
        for sku, en, zh, aliases in products:
            session.add(Product(sku=sku, name_en=en, name_zh=zh, category="drinkware" if sku != "NEW-1" else "gadgets",
                                unit_price=50.0, unit_cost=20.0, weight_kg=0.5, volume_l=1.0,
                                substitutes="", aliases=aliases))
            company.skus.append(sku)
        session.flush()
        # Past promotions (to learn the uplift from) and the planted future one, in Kowloon.
        promos = [(first_day + timedelta(days=offset), 6) for offset in range(60, history_days - 30, 120)]
        for index, (start, length) in enumerate(promos):
            session.add(Promotion(promo_id=f"P{index}", sku=products[0][0], name=f"Promo {index}", region="KLN",
                                  start=start, end=start + timedelta(days=length), discount_pct=20))
        session.add(Promotion(promo_id="PNEXT", sku=products[0][0], name="Christmas bottle offer", region="KLN",
                              start=promo_start, end=promo_end, discount_pct=20))
        session.flush()
        promo_windows = [(s, s + timedelta(days=n)) for s, n in promos] + [(promo_start, promo_end)]
        area_weights = {"CW": 1.0, "KT": 1.2, "MK": 0.8, "YL": 1.0, "TC": 0.4}
        rows = []
        for product_index, (sku, *_rest) in enumerate(products):
            is_new = sku == "NEW-1"
            start = last_day - timedelta(days=(new_product_days or 0) - 1) if is_new else first_day
            base = 6.0 + 3 * product_index
            day = start
            while day <= last_day:
                level = base * (1.4 if day.weekday() >= 5 else 1.0)
                level *= 1 + 0.15 * np.sin(2 * np.pi * day.timetuple().tm_yday / 365.25)
                if any(0 <= (day - lny).days <= 3 for lny in lny_days):
                    level *= 0.4
                for area, weight in area_weights.items():
                    area_level = level * weight
                    region = next(a[4] for a in AREAS if a[0] == area)
                    if product_index == 0 and region == "KLN" and any(s <= day <= e for s, e in promo_windows):
                        area_level *= 1.8
                    qty = int(rng.poisson(area_level))
                    if qty:
                        rows.append(Sale(date=day, sku=sku, area=area, qty=qty, revenue=qty * 50.0,
                                         channel="online" if area != "CW" else "store"))
                day += timedelta(days=1)
        session.add_all(rows)
        stamp = datetime.combine(last_day + timedelta(days=1), datetime.min.time()).replace(hour=8)
        for sku, *_rest in products:
            session.add_all([Stock(sku=sku, location="YLW", on_hand=2000, reserved=100, updated_at=stamp),
                             Stock(sku=sku, location="CSW", on_hand=30, reserved=10, updated_at=stamp),
                             Stock(sku=sku, location="SZ", on_hand=500, reserved=0, updated_at=stamp)])
            session.add(Supplier(supplier_id="SUP1", sku=sku, name="Shenzhen Drinkware Co", lead_days=14,
                                 moq=1000, unit_cost=18.0, deliver_to="YLW"))
        session.add(ImportRun(loaded_at=stamp, source="synthetic", row_counts={"sales": len(rows)}, seconds=0.0))
    return company
