"""The demo company generator: format, determinism, references, planted situations and sales patterns."""

from __future__ import annotations

import csv
import shutil
import time
from collections import Counter
from datetime import date, datetime, timedelta
from pathlib import Path

import pandas as pd
import pytest

from connectors.demo import DemoGenerationError, generate
from core.db import Database
from tests.conftest import DEMO_TODAY

# Header of every file, spelled as in data-format.md.
SPEC_HEADERS = {
    "areas.csv": "code,name_en,name_zh,district,region,zone,lat,lon,aliases",
    "locations.csv": "code,name_en,name_zh,area,kind,lead_days_min,lead_days_max,cutoff",
    "products.csv": "sku,name_en,name_zh,category,unit_price,unit_cost,weight_kg,volume_l,substitutes,aliases",
    "stock.csv": "sku,location,on_hand,reserved,updated_at",
    "sales.csv": "date,sku,area,qty,revenue,channel",
    "orders.csv": "order_id,line,created_at,customer_id,sku,qty,area,window_start,window_end,status,location,"
                  "vehicle,eta,promised_by",
    "vehicles.csv": "vehicle_id,plate,driver,driver_zh,depot,capacity_kg,capacity_l,shift_start,shift_end,workdays",
    "shipping_rates.csv": "zone,base_fee,per_kg,free_over,consolidated_day,consolidated_discount_pct",
    "suppliers.csv": "supplier_id,name,sku,lead_days,moq,unit_cost,deliver_to",
    "promotions.csv": "promo_id,name,sku,region,start,end,discount_pct",
    "customers.csv": "customer_id,name,area,tier,salesperson",
    "staff.csv": "staff_id,name,role,handles,region",
}
DISTRICTS = {
    "Central and Western", "Wan Chai", "Eastern", "Southern", "Yau Tsim Mong", "Sham Shui Po", "Kowloon City",
    "Wong Tai Sin", "Kwun Tong", "Kwai Tsing", "Tsuen Wan", "Tuen Mun", "Yuen Long", "North", "Tai Po", "Sha Tin",
    "Sai Kung", "Islands",
}


def read(folder: Path, file: str) -> list[dict[str, str]]:
    """A generated CSV file as dictionaries."""
    with (folder / file).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def keyed(rows: list[dict[str, str]], *columns: str) -> dict[tuple[str, ...] | str, dict[str, str]]:
    """Rows by their key column(s)."""
    if len(columns) == 1:
        return {row[columns[0]]: row for row in rows}
    return {tuple(row[c] for c in columns): row for row in rows}


def available(stock: dict, sku: str, location: str) -> int:
    """on_hand - reserved of one stock row."""
    row = stock[(sku, location)]
    return int(row["on_hand"]) - int(row["reserved"])


@pytest.fixture(scope="module")
def sales(demo_folder: Path) -> pd.DataFrame:
    """sales.csv joined with each row's product category, price and region."""
    frame = pd.read_csv(demo_folder / "sales.csv", parse_dates=["date"])
    products = pd.read_csv(demo_folder / "products.csv")[["sku", "category", "unit_price"]]
    areas = pd.read_csv(demo_folder / "areas.csv")[["code", "region"]].rename(columns={"code": "area"})
    return frame.merge(products, on="sku").merge(areas, on="area")


# --- format and determinism --------------------------------------------------------------------------


def test_every_file_has_the_exact_header_of_the_format(demo_folder: Path) -> None:
    for file, header in SPEC_HEADERS.items():
        first_line = (demo_folder / file).read_bytes().split(b"\n", 1)[0].decode("utf-8")
        assert first_line == header, file
    assert sorted(p.name for p in demo_folder.iterdir()) == sorted(SPEC_HEADERS)


def test_same_today_and_seed_give_byte_identical_files_quickly(demo_folder: Path, tmp_path: Path) -> None:
    started = time.perf_counter()
    again = generate(tmp_path / "again", today=DEMO_TODAY)
    seconds = time.perf_counter() - started
    assert seconds < 15, f"generation took {seconds:.1f} s"
    for file in SPEC_HEADERS:
        assert (again / file).read_bytes() == (demo_folder / file).read_bytes(), file


def test_another_seed_gives_other_sales(tmp_path: Path, demo_folder: Path) -> None:
    other = generate(tmp_path / "other", today=DEMO_TODAY, seed=7)
    assert (other / "sales.csv").read_bytes() != (demo_folder / "sales.csv").read_bytes()
    # The planted situations do not depend on the seed.
    stock = keyed(read(other, "stock.csv"), "sku", "location")
    assert available(stock, "WB-BL-500", "CSW") == 12
    assert any(row["order_id"] == "SO-10231" for row in read(other, "orders.csv"))


def test_dates_and_times_use_the_format_spelling(demo_folder: Path) -> None:
    for row in read(demo_folder, "orders.csv")[:50]:
        for column in ("created_at", "window_start", "window_end", "eta", "promised_by"):
            if row[column]:
                assert len(row[column]) == 16 and row[column][10] == "T", row[column]
                datetime.fromisoformat(row[column])
    for row in read(demo_folder, "promotions.csv"):
        date.fromisoformat(row["start"])
        assert len(row["end"]) == 10


def test_a_file_in_place_of_the_folder_is_a_clear_error(tmp_path: Path) -> None:
    target = tmp_path / "not-a-folder"
    target.write_text("x")
    with pytest.raises(DemoGenerationError, match="is a file"):
        generate(target, today=DEMO_TODAY)
    with pytest.raises(DemoGenerationError, match="cannot write the demo company"):
        generate(target / "inside", today=DEMO_TODAY)


def test_the_real_importer_loads_it(demo_folder: Path, tmp_path: Path) -> None:
    """Every file through the real importer; sales cut to its first 2,000 rows to keep the test fast
    (the session's `demo_db` fixture loads the whole folder for the other tests)."""
    from connectors.importer import load_folder

    folder = tmp_path / "cut"
    shutil.copytree(demo_folder, folder)
    with (demo_folder / "sales.csv").open(encoding="utf-8") as source:
        head = [line for _, line in zip(range(2001), source, strict=False)]
    (folder / "sales.csv").write_text("".join(head), encoding="utf-8")
    db = Database(f"sqlite:///{tmp_path / 'demo.db'}")
    db.create_all()
    report = load_folder(db, folder)
    db.dispose()
    assert report.warnings == []
    assert report.row_counts["sales.csv"] == 2000
    assert report.row_counts["orders.csv"] == len(read(demo_folder, "orders.csv"))
    assert report.row_counts["stock.csv"] == len(read(demo_folder, "stock.csv"))


# --- places, catalogue, people --------------------------------------------------------------------------


def test_areas_cover_all_18_districts_with_remote_islands(demo_folder: Path) -> None:
    areas = keyed(read(demo_folder, "areas.csv"), "code")
    assert 35 <= len(areas) <= 45
    assert {row["district"] for row in areas.values()} == DISTRICTS
    assert {row["region"] for row in areas.values()} == {"HKI", "KLN", "NT", "ISL"}
    remote = {row["name_en"] for row in areas.values() if row["zone"] == "REMOTE"}
    assert {"Tung Chung", "Ma Wan", "Discovery Bay", "Cheung Chau"} <= remote
    assert "官塘" in areas["KT"]["aliases"].split(";") and areas["KT"]["name_zh"] == "觀塘"
    assert {"TST", "尖咀"} <= set(areas["TST"]["aliases"].split(";"))
    assert "TC" in areas["TC"]["aliases"].split(";")
    for row in areas.values():
        assert 22.1 < float(row["lat"]) < 22.6 and 113.8 < float(row["lon"]) < 114.45


def test_locations_zones_and_vehicles(demo_folder: Path) -> None:
    locations = keyed(read(demo_folder, "locations.csv"), "code")
    assert {code: row["kind"] for code, row in locations.items()} == {
        "YL": "warehouse", "CSW": "transit", "MK": "store", "SZ": "crossborder"}
    assert locations["SZ"]["area"] == "" and (locations["SZ"]["lead_days_min"], locations["SZ"]["lead_days_max"]) == (
        "2", "3")
    assert locations["YL"]["name_zh"] == "元朗貨倉" and locations["CSW"]["name_zh"] == "長沙灣中轉倉"
    rates = keyed(read(demo_folder, "shipping_rates.csv"), "zone")
    assert set(rates) == {"URBAN", "NT", "REMOTE"}
    assert rates["REMOTE"]["consolidated_day"] == "Sat" and float(rates["REMOTE"]["consolidated_discount_pct"]) > 0
    assert float(rates["URBAN"]["free_over"]) < float(rates["NT"]["free_over"])
    vehicles = read(demo_folder, "vehicles.csv")
    assert 6 <= len(vehicles) <= 8
    assert {row["depot"] for row in vehicles} == {"YL", "CSW"}
    assert any(row["driver"] == "Chan Tai Man" and row["driver_zh"] == "陳大文" for row in vehicles)


def test_catalogue_has_the_products_the_examples_name(demo_folder: Path) -> None:
    products = keyed(read(demo_folder, "products.csv"), "sku")
    assert 55 <= len(products) <= 65
    assert 6 <= len({row["category"] for row in products.values()}) <= 8
    bottle = products["WB-BL-500"]
    assert (bottle["name_en"], bottle["name_zh"]) == ("Water bottle blue 500ml", "藍色水樽 500ml")
    assert {"藍樽", "blue bottle"} <= set(bottle["aliases"].split(";"))
    case = products["PC-IP15-BK"]
    assert "黑色手機殼" in case["aliases"] and "black iphone case" in case["aliases"]
    assert sum(1 for row in products.values() if row["substitutes"]) >= 30
    for row in products.values():
        assert 0 < float(row["unit_cost"]) < float(row["unit_price"]), row["sku"]
        assert float(row["weight_kg"]) > 0 and float(row["volume_l"]) > 0
        assert row["aliases"] and row["name_zh"]


def test_names_and_aliases_are_unambiguous(demo_folder: Path) -> None:
    """Each name staff may type points at one product or one area, never two."""
    owners: dict[str, set[str]] = {}
    for row in read(demo_folder, "products.csv"):
        for name in [row["sku"], row["name_en"], row["name_zh"], *row["aliases"].split(";")]:
            owners.setdefault(name.strip().lower(), set()).add(row["sku"])
    for row in read(demo_folder, "areas.csv"):
        for name in [row["code"], row["name_en"], row["name_zh"], *row["aliases"].split(";")]:
            owners.setdefault(name.strip().lower(), set()).add("area:" + row["code"])
    assert {name: keys for name, keys in owners.items() if len(keys) > 1} == {}
    assert all(len(name) >= 2 for name in owners)


def test_every_reference_points_at_a_defined_key(demo_folder: Path) -> None:
    skus = set(keyed(read(demo_folder, "products.csv"), "sku"))
    areas = keyed(read(demo_folder, "areas.csv"), "code")
    locations = set(keyed(read(demo_folder, "locations.csv"), "code"))
    zones = set(keyed(read(demo_folder, "shipping_rates.csv"), "zone"))
    vehicles = set(keyed(read(demo_folder, "vehicles.csv"), "vehicle_id"))
    customers = keyed(read(demo_folder, "customers.csv"), "customer_id")
    staff = keyed(read(demo_folder, "staff.csv"), "staff_id")
    assert {row["zone"] for row in areas.values()} <= zones
    assert {row["area"] for row in read(demo_folder, "locations.csv")} - {""} <= set(areas)
    for row in read(demo_folder, "products.csv"):
        assert set(filter(None, row["substitutes"].split(";"))) <= skus - {row["sku"]}
    stock = read(demo_folder, "stock.csv")
    assert {(row["sku"], row["location"]) for row in stock} == {(s, loc) for s in skus for loc in locations}
    for row in read(demo_folder, "orders.csv"):
        assert row["sku"] in skus and row["area"] in areas
        assert row["location"] in locations | {""} and row["vehicle"] in vehicles | {""}
        assert row["customer_id"] in set(customers) | {""}
    for row in customers.values():
        assert row["area"] in areas and row["salesperson"] in staff and row["tier"] in {"A", "B", "C"}
    for row in read(demo_folder, "suppliers.csv"):
        assert row["sku"] in skus and row["deliver_to"] in locations and 7 <= int(row["lead_days"]) <= 30
    for row in read(demo_folder, "promotions.csv"):
        assert row["sku"] in skus and row["region"] in {"HKI", "KLN", "NT", "ISL", "ALL"}
    supplied = Counter(row["sku"] for row in read(demo_folder, "suppliers.csv"))
    assert set(supplied) == skus and set(supplied.values()) <= {1, 2}


def test_staff_cover_every_role_with_a_handle_per_platform(demo_folder: Path) -> None:
    staff = read(demo_folder, "staff.csv")
    assert {row["role"] for row in staff} == {"sales", "logistics", "manager", "finance", "admin"}
    for row in staff:
        platforms = [handle.split(":")[0] for handle in row["handles"].split(";")]
        assert platforms == ["slack", "telegram", "whatsapp"]
    assert "slack:U0SALES01" in staff[0]["handles"]
    assert 70 <= len(read(demo_folder, "customers.csv")) <= 90


# --- planted situations --------------------------------------------------------------------------------


def test_planted_stock_situations(demo_folder: Path) -> None:
    stock = keyed(read(demo_folder, "stock.csv"), "sku", "location")
    assert available(stock, "WB-BL-500", "CSW") == 12
    assert available(stock, "WB-BL-500", "YL") == 0 and available(stock, "WB-BL-500", "MK") == 0
    assert available(stock, "WB-BL-500", "SZ") == 200
    local_black = sum(available(stock, "PC-IP15-BK", loc) for loc in ("YL", "CSW", "MK"))
    assert local_black == 2
    assert available(stock, "PC-IP15-CL", "YL") >= 50 and available(stock, "PC-IP15-BL", "CSW") >= 10
    assert all(stock[("PB-10K", loc)]["on_hand"] == "0" for loc in ("YL", "CSW", "MK", "SZ"))
    assert [loc for loc in ("YL", "CSW", "MK", "SZ") if available(stock, "TRV-ADPT", loc) > 0] == ["SZ"]
    assert any(row["on_hand"] == row["reserved"] != "0" for row in stock.values())
    assert all(int(row["reserved"]) <= int(row["on_hand"]) for row in stock.values())
    assert {row["updated_at"][:10] for row in stock.values()} == {DEMO_TODAY.isoformat()}
    assert max(row["updated_at"] for row in stock.values()) <= f"{DEMO_TODAY}T10:30"


def test_reservations_cover_the_allocated_orders(demo_folder: Path) -> None:
    stock = keyed(read(demo_folder, "stock.csv"), "sku", "location")
    allocated: Counter[tuple[str, str]] = Counter()
    for row in read(demo_folder, "orders.csv"):
        if row["status"] in ("allocated", "picked"):
            allocated[(row["sku"], row["location"])] += int(row["qty"])
    assert allocated
    for key, qty in allocated.items():
        assert int(stock[key]["reserved"]) >= qty, key


def test_the_tracked_order_and_the_orders_at_risk(demo_folder: Path) -> None:
    orders = read(demo_folder, "orders.csv")
    tracked = [row for row in orders if row["order_id"] == "SO-10231"]
    assert [(row["sku"], row["qty"]) for row in tracked] == [("WB-BL-500", "24"), ("PC-IP15-CL", "10")]
    assert {(row["status"], row["vehicle"], row["area"], row["eta"]) for row in tracked} == {
        ("out_for_delivery", "V01", "KT", f"{DEMO_TODAY}T14:40")}
    open_lines = {(row["customer_id"], row["sku"]): row for row in orders if row["status"] == "new"}
    today = DEMO_TODAY.isoformat()
    assert open_lines[("C0002", "WB-BL-500")]["qty"] == "60"
    assert open_lines[("C0002", "WB-BL-500")]["promised_by"].startswith(today)
    assert open_lines[("C0003", "TRV-ADPT")]["area"] == "TC"
    assert open_lines[("C0004", "PB-10K")]["promised_by"].startswith("2026-11-27")
    assert open_lines[("C0005", "PC-IP15-BK")]["qty"] == "20"
    sunday = open_lines[("C0006", "SN-CKE")]
    assert date.fromisoformat(sunday["window_start"][:10]).weekday() == 6 and sunday["area"] == "CC"


def test_order_numbers_follow_creation_time(demo_folder: Path) -> None:
    orders = read(demo_folder, "orders.csv")
    first_lines = [row for row in orders if row["line"] == "1"]
    numbers = [int(row["order_id"].split("-")[1]) for row in first_lines]
    assert numbers == list(range(10001, 10001 + len(first_lines)))
    created = [row["created_at"] for row in first_lines]
    assert created == sorted(created)
    assert max(created) <= f"{DEMO_TODAY}T10:30"


def test_the_day_of_deliveries_fills_the_fleet(demo_folder: Path) -> None:
    products = keyed(read(demo_folder, "products.csv"), "sku")
    vehicles = read(demo_folder, "vehicles.csv")
    today = DEMO_TODAY.isoformat()
    due = [row for row in read(demo_folder, "orders.csv")
           if row["status"] in ("new", "allocated", "picked", "out_for_delivery")
           and (row["window_start"] or row["promised_by"] or row["eta"]).startswith(today)]
    statuses = Counter(row["status"] for row in due)
    assert set(statuses) == {"new", "allocated", "picked", "out_for_delivery"}
    assert 130 <= len({row["order_id"] for row in due}) <= 170
    load_kg = sum(float(products[row["sku"]]["weight_kg"]) * int(row["qty"]) for row in due)
    fleet_kg = sum(float(row["capacity_kg"]) for row in vehicles)
    assert 0.25 * fleet_kg < load_kg < 0.8 * fleet_kg
    for row in due:
        if row["status"] == "out_for_delivery":
            assert row["vehicle"] and row["location"] and row["eta"] >= f"{today}T10:30"
            assert row["window_start"] <= row["eta"] <= row["window_end"]
        if row["status"] in ("allocated", "picked"):
            assert row["location"] in ("YL", "CSW")


def test_promotions_past_and_next_week(demo_folder: Path) -> None:
    promotions = read(demo_folder, "promotions.csv")
    next_monday = DEMO_TODAY + timedelta(days=7 - DEMO_TODAY.weekday())
    assert any(row["sku"] == "WB-BL-500" and row["region"] == "KLN" and row["start"] == next_monday.isoformat()
               and row["end"] == (next_monday + timedelta(days=6)).isoformat() for row in promotions)
    past = [row for row in promotions if row["end"] < DEMO_TODAY.isoformat()]
    assert len({row["promo_id"] for row in past}) >= 8
    assert {row["region"] for row in promotions} >= {"ALL", "KLN", "NT", "HKI"}


# --- sales patterns ------------------------------------------------------------------------------------


def test_two_years_of_sales_up_to_yesterday(sales: pd.DataFrame) -> None:
    assert 150_000 <= len(sales) <= 300_000
    assert sales["date"].min().date() == DEMO_TODAY - timedelta(days=730)
    assert sales["date"].max().date() == DEMO_TODAY - timedelta(days=1)
    assert set(sales["channel"]) == {"online", "store", "b2b", "phone"}
    assert not sales.duplicated(["date", "sku", "area", "channel"]).any()
    assert (sales["qty"] > 0).all()


def test_revenue_is_quantity_times_price_less_the_promotion(sales: pd.DataFrame, demo_folder: Path) -> None:
    full_price = sales["qty"] * sales["unit_price"]
    ratio = sales["revenue"] / full_price
    assert ((ratio - 1).abs() < 1e-6).mean() > 0.9
    promos = pd.read_csv(demo_folder / "promotions.csv", parse_dates=["start", "end"])
    kln = promos[(promos["promo_id"] == "KLNBLUE-2026")].iloc[0]
    during = sales[(sales["sku"] == "WB-BL-500") & (sales["region"] == "KLN")
                   & sales["date"].between(kln["start"], kln["end"])]
    assert len(during) and (during["revenue"] - during["qty"] * 89 * 0.8).abs().max() < 0.01


def test_lunar_new_year_dip_and_christmas_uplift(sales: pd.DataFrame) -> None:
    daily = sales.groupby("date")["qty"].sum()
    for new_year in (pd.Timestamp("2025-01-29"), pd.Timestamp("2026-02-17")):
        dip = daily[new_year - pd.Timedelta(days=1): new_year + pd.Timedelta(days=3)].mean()
        normal = daily[new_year + pd.Timedelta(days=14): new_year + pd.Timedelta(days=35)].mean()
        assert dip < 0.5 * normal
    gifts = sales[sales["category"].isin(["drinkware", "snacks"])].groupby("date")["qty"].sum()
    assert gifts["2025-12-10":"2025-12-23"].mean() > 1.3 * gifts["2025-11-10":"2025-11-23"].mean()


def test_weekly_rhythm_regions_promotions_and_new_products(sales: pd.DataFrame) -> None:
    daily = sales.groupby("date")["qty"].sum()
    by_weekday = daily.groupby(daily.index.dayofweek).mean()
    assert by_weekday[6] < 0.6 * by_weekday[:5].mean()
    by_region = sales.groupby("region")["qty"].sum()
    assert by_region["KLN"] > by_region["NT"] > by_region["HKI"] > by_region["ISL"]
    kln_bottle = sales[(sales["sku"] == "WB-BL-500") & (sales["region"] == "KLN")].groupby("date")["qty"].sum()
    assert kln_bottle["2026-05-11":"2026-05-17"].mean() > 1.4 * kln_bottle["2026-04-20":"2026-05-03"].mean()
    launched = sales.groupby("sku")["date"].min()
    new_products = launched[launched > pd.Timestamp(DEMO_TODAY - timedelta(days=30))]
    assert 1 <= len(new_products) <= 2
    assert all(15 <= (pd.Timestamp(DEMO_TODAY) - day).days <= 25 for day in new_products)
    days_sold = sales.groupby("sku")["date"].nunique()
    assert (days_sold < 400).sum() >= 2  # intermittent slow sellers


def test_a_sunday_today_moves_the_delivery_day_to_monday(tmp_path: Path) -> None:
    sunday = date(2026, 11, 29)
    folder = generate(tmp_path / "sunday", today=sunday)
    orders = read(folder, "orders.csv")
    assert not any(row["status"] == "out_for_delivery" for row in orders)
    tracked = [row for row in orders if row["order_id"] == "SO-10231"]
    assert {row["eta"][:10] for row in tracked} == {"2026-11-30"}
    due_dates = {row["window_start"][:10] for row in orders if row["status"] in ("allocated", "picked")
                 and row["window_start"]}
    assert sunday.isoformat() not in due_dates


def test_after_the_christmas_and_new_year_holidays(tmp_path: Path) -> None:
    """2027-01-02: the last week had three general holidays; nothing was delivered on them."""
    folder = generate(tmp_path / "new-year", today=date(2027, 1, 2))
    orders = read(folder, "orders.csv")
    tracked = [row for row in orders if row["order_id"] == "SO-10231"]
    assert tracked and all(row["status"] == "out_for_delivery" and row["created_at"] < "2027-01-02T09:00"
                           for row in tracked)
    delivered_days = {row["eta"][:10] for row in orders if row["status"] == "delivered"}
    assert delivered_days and not delivered_days & {"2026-12-25", "2026-12-26", "2026-12-27", "2027-01-01"}
