"""A small trading company built with the ORM, for the understanding-layer tests.

Names follow the shape of real exports (aliases in both languages, sizes in names, locations
named "... Warehouse" / "...貨倉"); nothing in the understanding layer knows these rows.
"""

from __future__ import annotations

from datetime import datetime

from core.db import Database
from core.models import Area, ImportRun, Location, OrderLine, Product, ShippingRate, Vehicle

PRODUCTS = [
    ("WB-BL-500", "Water bottle blue 500ml", "藍色水樽 500ml", "drinkware",
     "藍色水樽;藍樽;藍色水壺;blue bottle;blue water bottle"),
    ("WB-BL-750", "Water bottle blue 750ml", "藍色水樽 750ml", "drinkware", "藍色大水樽;大藍樽;big blue bottle"),
    ("WB-RD-500", "Water bottle red 500ml", "紅色水樽 500ml", "drinkware", "紅色水樽;紅樽;red bottle"),
    ("WB-BK-500", "Water bottle black 500ml", "黑色水樽 500ml", "drinkware", "黑色水樽;黑樽;black bottle"),
    ("TM-SS-350", "Vacuum flask 350ml", "不鏽鋼保溫杯 350ml", "drinkware", "保溫杯;thermos;vacuum flask"),
    ("PC-IP15-BK", "iPhone 15 case black", "黑色 iPhone 15 手機殼", "phone accessories",
     "黑色手機殼;iphone殼;black iphone case;iphone 15 case"),
    ("CH-20W", "20W USB-C charger", "20W USB-C 火牛", "phone accessories", "火牛;充電器;charger;usb-c charger"),
    ("PB-10K", "Power bank 10000mAh", "10000mAh 尿袋", "phone accessories", "尿袋;充電寶;power bank"),
    ("UMB-FLD-BK", "Folding umbrella black", "黑色摺遮", "home goods", "摺遮;縮骨遮;folding umbrella;umbrella"),
    ("MSK-50", "Face masks (50 pcs)", "口罩 (50個)", "personal care", "口罩;mask;masks;face mask"),
]
AREAS = [
    ("KT", "Kwun Tong", "觀塘", "Kwun Tong", "KLN", "URBAN", "官塘;Kwun Tong;KT"),
    ("KB", "Kowloon Bay", "九龍灣", "Kwun Tong", "KLN", "URBAN", "九龍灣;Kowloon Bay;KB"),
    ("LTN", "Lam Tin", "藍田", "Kwun Tong", "KLN", "URBAN", "藍田;Lam Tin"),
    ("CSW", "Cheung Sha Wan", "長沙灣", "Sham Shui Po", "KLN", "URBAN", "長沙灣;CSW"),
    ("SSP", "Sham Shui Po", "深水埗", "Sham Shui Po", "KLN", "URBAN", "深水埗;深水步;SSP"),
    ("MK", "Mong Kok", "旺角", "Yau Tsim Mong", "KLN", "URBAN", "旺角;Mongkok;MK"),
    ("TST", "Tsim Sha Tsui", "尖沙咀", "Yau Tsim Mong", "KLN", "URBAN", "尖沙咀;尖咀;TST"),
    ("CWB", "Causeway Bay", "銅鑼灣", "Wan Chai", "HKI", "URBAN", "銅鑼灣;CWB"),
    ("QB", "Quarry Bay", "鰂魚涌", "Eastern", "HKI", "URBAN", "鰂魚涌;QB"),
    ("YL", "Yuen Long", "元朗", "Yuen Long", "NT", "NT", "元朗;YL"),
    ("ST", "Sha Tin", "沙田", "Sha Tin", "NT", "NT", "沙田;ST"),
    ("TC", "Tung Chung", "東涌", "Islands", "ISL", "REMOTE", "東涌;TC"),
    ("DB", "Discovery Bay", "愉景灣", "Islands", "ISL", "REMOTE", "愉景灣;Disco Bay;DB"),
]
LOCATIONS = [
    ("YL", "Yuen Long Warehouse", "元朗貨倉", "YL", "warehouse", 0, 0),
    ("CSW", "Cheung Sha Wan Transit Hub", "長沙灣中轉倉", "CSW", "transit", 0, 0),
    ("MK", "Mong Kok Store", "旺角門市", "MK", "store", 0, 0),
    ("SZ", "Shenzhen Warehouse", "深圳倉", None, "crossborder", 2, 3),
]


def build_company(db: Database) -> Database:
    """Fill an empty database with the small company and record an import (data version 1)."""
    with db.session() as session:
        for zone in ("URBAN", "NT", "REMOTE"):
            session.add(ShippingRate(zone=zone, base_fee=60, per_kg=2, free_over=None))
        session.flush()
        for code, name_en, name_zh, district, region, zone, aliases in AREAS:
            session.add(Area(code=code, name_en=name_en, name_zh=name_zh, district=district, region=region,
                             zone=zone, lat=22.3, lon=114.1, aliases=aliases))
        session.flush()
        for sku, name_en, name_zh, category, aliases in PRODUCTS:
            session.add(Product(sku=sku, name_en=name_en, name_zh=name_zh, category=category, unit_price=89,
                                unit_cost=32, weight_kg=0.35, volume_l=0.9, substitutes="", aliases=aliases))
        for code, name_en, name_zh, area, kind, lead_min, lead_max in LOCATIONS:
            session.add(Location(code=code, name_en=name_en, name_zh=name_zh, area=area, kind=kind,
                                 lead_days_min=lead_min, lead_days_max=lead_max, cutoff="14:00"))
        session.flush()
        session.add(Vehicle(vehicle_id="V01", plate="LV 4827", driver="Chan Tai Man", driver_zh="陳大文", depot="CSW",
                            capacity_kg=1000, capacity_l=6000, shift_start="08:00", shift_end="18:00",
                            workdays="Mon-Sat"))
        session.flush()
        for order_id, sku in (("SO-10231", "WB-BL-500"), ("SO-10232", "WB-RD-500")):
            session.add(OrderLine(order_id=order_id, line=1, created_at=datetime(2026, 11, 24, 15), sku=sku, qty=10,
                                  area="KT", status="allocated"))
        session.add(ImportRun(loaded_at=datetime(2026, 11, 25, 8), source="factory", row_counts={}, seconds=0.1))
    return db
