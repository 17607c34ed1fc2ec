"""Import benchmark: 1,000,000 sales rows through `silobridge load`, on SQLite and PostgreSQL.

Usage: python -m benchmarks.bench_import [--rows N] [--no-postgres]
Prints rows per second for each database. Target: the million on SQLite in under 30 s.
"""

from __future__ import annotations

import argparse
import csv
import random
import shutil
import tempfile
import time
import uuid
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import create_engine, text

from connectors.importer import load_folder
from core.db import Database

MINI = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "mini"
PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def build_folder(folder: Path, rows: int, seed: int = 1) -> None:
    """The mini company with a sales.csv of `rows` synthetic rows."""
    shutil.copytree(MINI, folder, dirs_exist_ok=True)
    rng = random.Random(seed)
    skus = ["WB-BL-500", "WB-RD-500", "PC-IP15-BK"]
    areas = ["KT", "CSW", "CWB", "YL", "TC"]
    channels = ["online", "store", "b2b", "phone"]
    start = date(2024, 11, 25)
    with (folder / "sales.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["date", "sku", "area", "qty", "revenue", "channel"])
        for i in range(rows):
            qty = rng.randint(1, 40)
            writer.writerow([(start + timedelta(days=i % 730)).isoformat(), rng.choice(skus), rng.choice(areas),
                             qty, f"{qty * 89 * 0.95:.2f}", rng.choice(channels)])


def time_load(db: Database, folder: Path, rows: int, label: str) -> None:
    db.create_all()
    started = time.perf_counter()
    report = load_folder(db, folder)
    seconds = time.perf_counter() - started
    assert report.row_counts["sales.csv"] == rows
    print(f"{label:<11} {rows:>9,} sales rows in {seconds:6.2f} s = {rows / seconds:>9,.0f} rows/s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--no-postgres", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "company"
        build_folder(folder, args.rows)
        sqlite = Database(f"sqlite:///{Path(tmp) / 'bench.db'}")
        time_load(sqlite, folder, args.rows, "SQLite")
        if not args.no_postgres:
            schema = f"bench_{uuid.uuid4().hex[:8]}"
            admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
            with admin.connect() as conn:
                conn.execute(text(f'CREATE SCHEMA "{schema}"'))
            try:
                time_load(Database(f"{PG_URL}?options=-csearch_path%3D{schema}"), folder, args.rows, "PostgreSQL")
            finally:
                with admin.connect() as conn:
                    conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))


if __name__ == "__main__":
    main()
