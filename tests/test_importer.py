"""The importer: every validation rule of data-format.md, exact errors, all-or-nothing, on SQLite and PostgreSQL."""

from __future__ import annotations

import shutil
from datetime import date, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select

from connectors.importer import ImportFailed, load_folder
from core.db import Database
from core.models import OrderLine, Product, Sale, StaffHandle, Stock
from tests.conftest import MINI_COMPANY


def copy_mini(tmp_path: Path) -> Path:
    folder = tmp_path / "company"
    shutil.copytree(MINI_COMPANY, folder)
    return folder


def edit(folder: Path, file: str, old: str, new: str) -> None:
    path = folder / file
    content = path.read_text(encoding="utf-8")
    assert old in content, f"fixture text {old!r} not in {file}"
    path.write_text(content.replace(old, new, 1), encoding="utf-8")


def counts(db: Database) -> dict[str, int]:
    with db.session() as session:
        return {model.__tablename__: session.scalar(select(func.count()).select_from(model))
                for model in (Product, Stock, Sale, OrderLine)}


def test_loads_a_clean_folder(any_db: Database, tmp_path: Path) -> None:
    report = load_folder(any_db, copy_mini(tmp_path))
    assert report.row_counts["products.csv"] == 3
    assert report.row_counts["sales.csv"] == 3
    assert any_db.data_version() == report.version > 0
    with any_db.session() as session:
        stock = session.get(Stock, ("WB-BL-500", "CSW"))
        assert stock is not None and stock.available == 12
        assert stock.updated_at == datetime(2026, 11, 25, 10, 32)
        order = session.get(OrderLine, ("SO-10231", 1))
        assert order.promised_by == datetime(2026, 11, 25, 18, 0)
        assert order.vehicle == "V01"
        sale_dates = session.scalars(select(Sale.date).order_by(Sale.date)).all()
        assert sale_dates[0] == date(2026, 11, 23)
        handle = session.get(StaffHandle, "whatsapp:85291234567")
        assert handle is not None and handle.staff_id == "S01"


def test_offset_times_are_converted_to_hong_kong_time(sqlite_db: Database, tmp_path: Path) -> None:
    folder = copy_mini(tmp_path)
    edit(folder, "stock.csv", "WB-RD-500,YL,50,0,2026-11-25T08:00", "WB-RD-500,YL,50,0,2026-11-25T00:00+00:00")
    load_folder(sqlite_db, folder)
    with sqlite_db.session() as session:
        assert session.get(Stock, ("WB-RD-500", "YL")).updated_at == datetime(2026, 11, 25, 8, 0)


def test_bom_and_unknown_columns_are_accepted_with_a_warning(sqlite_db: Database, tmp_path: Path) -> None:
    folder = copy_mini(tmp_path)
    path = folder / "vehicles.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[0] += ",colour"
    lines[1] += ",white"
    path.write_bytes("\ufeff".encode() + "\n".join(lines).encode("utf-8"))
    report = load_folder(sqlite_db, folder)
    assert report.warnings == ["vehicles.csv: ignoring unknown column(s): colour"]


BROKEN = [
    ("missing column", "products.csv", "sku,name_en,name_zh,category,unit_price,unit_cost,",
     "sku,name_en,name_zh,category,unit_price,", "products.csv, line 1, column unit_cost: required column is missing"),
    ("bad date", "sales.csv", "2026-11-24,WB-BL-500,TC", "2026-13-24,WB-BL-500,TC",
     "sales.csv, line 4, column date: expected a date YYYY-MM-DD, got '2026-13-24'"),
    ("unknown sku", "stock.csv", "WB-RD-500,YL,50", "WB-XX-999,YL,50",
     "stock.csv, line 5, column sku: unknown sku 'WB-XX-999': not defined in products.csv"),
    ("duplicate key", "stock.csv", "WB-BL-500,YL,0,0", "WB-BL-500,CSW,0,0",
     "stock.csv, line 3, column sku,location: duplicate key (sku=WB-BL-500, location=CSW); first on line 2"),
    ("negative stock", "stock.csv", "WB-RD-500,YL,50,0", "WB-RD-500,YL,-5,0",
     "stock.csv, line 5, column on_hand: must be 0 or more, got '-5'"),
    ("unknown area", "orders.csv", "WB-RD-500,2,TC", "WB-RD-500,2,MARS",
     "orders.csv, line 3, column area: unknown area 'MARS': not defined in areas.csv"),
    ("bad region", "areas.csv", "Islands,ISL,REMOTE", "Islands,MOON,REMOTE",
     "areas.csv, line 6, column region: expected one of HKI, KLN, NT, ISL, got 'MOON'"),
    ("unknown zone", "areas.csv", "Islands,ISL,REMOTE", "Islands,ISL,FAR",
     "areas.csv, line 6, column zone: unknown zone 'FAR': not defined in shipping_rates.csv"),
    ("bad district", "areas.csv", "觀塘,Kwun Tong,KLN", "觀塘,Kowloon East,KLN",
     "areas.csv, line 2, column district: not one of Hong Kong's 18 districts: 'Kowloon East'"),
    ("bad cutoff", "locations.csv", "0,0,14:00\nCSW", "0,0,2pm\nCSW",
     "locations.csv, line 2, column cutoff: expected a time HH:MM, got '2pm'"),
    ("unknown substitute", "products.csv", "89,32.5,0.35,0.8,WB-RD-500", "89,32.5,0.35,0.8,WB-GR-500",
     "products.csv, line 2, column substitutes: unknown substitutes 'WB-GR-500': not defined in products.csv"),
    ("unknown customer", "orders.csv", "2026-11-24T15:00,C001", "2026-11-24T15:00,C999",
     "orders.csv, line 2, column customer_id: unknown customer_id 'C999': not defined in customers.csv"),
    ("bad status", "orders.csv", ",new,", ",shipped,",
     "orders.csv, line 3, column status: expected one of new, allocated, picked, out_for_delivery, delivered, "
     "cancelled, got 'shipped'"),
    ("quantity zero", "orders.csv", "WB-RD-500,2,TC", "WB-RD-500,0,TC",
     "orders.csv, line 3, column qty: must be more than 0, got '0'"),
    ("blank required", "products.csv", "Water bottle red 500ml", "",
     "products.csv, line 3, column name_en: a value is required"),
    ("bad handle", "staff.csv", "slack:U0MGR01", "U0MGR01",
     "staff.csv, line 3, column handles: expected handles like slack:U012AB3CD;telegram:123456789, got 'U0MGR01'"),
    ("lead days reversed", "locations.csv", "crossborder,2,3", "crossborder,3,2",
     "locations.csv, line 4, column lead_days_max: lead_days_max (2) is less than lead_days_min (3)"),
    ("bad workdays", "vehicles.csv", "Mon-Sat", "Weekdays",
     "vehicles.csv, line 2, column workdays: expected a weekday (Mon, Tue, Wed, Thu, Fri, Sat, Sun), got 'Weekdays'"),
    ("promotion ends before start", "promotions.csv", "2026-12-01,2026-12-07", "2026-12-07,2026-12-01",
     "promotions.csv, line 2, column end: end (2026-12-01) is before start (2026-12-07)"),
]


@pytest.mark.parametrize(("case", "file", "old", "new", "expected"), BROKEN, ids=[case[0] for case in BROKEN])
def test_broken_fixture_is_refused_with_the_exact_error_and_old_data_kept(
        any_db: Database, tmp_path: Path, case: str, file: str, old: str, new: str, expected: str) -> None:
    load_folder(any_db, copy_mini(tmp_path))
    before = counts(any_db)
    version = any_db.data_version()
    broken = tmp_path / "broken"
    shutil.copytree(MINI_COMPANY, broken)
    edit(broken, file, old, new)
    with pytest.raises(ImportFailed) as failure:
        load_folder(any_db, broken)
    assert expected in [str(problem) for problem in failure.value.problems]
    assert counts(any_db) == before
    assert any_db.data_version() == version


def test_file_that_is_not_utf8_names_the_line(any_db: Database, tmp_path: Path) -> None:
    load_folder(any_db, copy_mini(tmp_path))
    before = counts(any_db)
    broken = tmp_path / "big5"
    shutil.copytree(MINI_COMPANY, broken)
    content = (broken / "products.csv").read_text(encoding="utf-8")
    (broken / "products.csv").write_bytes(content.encode("big5", errors="replace"))
    with pytest.raises(ImportFailed) as failure:
        load_folder(any_db, broken)
    problem = failure.value.problems[0]
    assert problem.file == "products.csv" and problem.line == 2
    assert "not UTF-8" in problem.message
    assert counts(any_db) == before


def test_missing_required_file_and_absent_optional_files(sqlite_db: Database, tmp_path: Path) -> None:
    folder = copy_mini(tmp_path)
    for optional in ("promotions.csv", "suppliers.csv", "staff.csv"):
        (folder / optional).unlink()
    edit(folder, "customers.csv", "C001,Kwun Tong Trading,KT,A,S01", "C001,Kwun Tong Trading,KT,A,")
    report = load_folder(sqlite_db, folder)
    assert report.row_counts["promotions.csv"] == 0
    (folder / "vehicles.csv").unlink()
    with pytest.raises(ImportFailed) as failure:
        load_folder(sqlite_db, folder)
    assert "vehicles.csv: required file is missing" in str(failure.value)


def test_a_second_import_replaces_the_data(sqlite_db: Database, tmp_path: Path) -> None:
    folder = copy_mini(tmp_path)
    load_folder(sqlite_db, folder)
    edit(folder, "sales.csv", "2026-11-24,WB-BL-500,TC,3,267,phone\n", "")
    report = load_folder(sqlite_db, folder)
    assert counts(sqlite_db)["sales"] == 2
    assert report.version == 2


def test_another_worker_sees_a_new_import_once_its_version_check_expires(
        sqlite_db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import core.db

    other_worker = Database(sqlite_db.url)
    assert other_worker.data_version() == 0
    load_folder(sqlite_db, copy_mini(tmp_path))
    assert sqlite_db.data_version() == 1  # the importing worker knows at once
    assert other_worker.data_version() == 0  # the other reads the database at most once per VERSION_TTL_S
    monkeypatch.setattr(core.db, "VERSION_TTL_S", 0.0)
    assert other_worker.data_version() == 1
