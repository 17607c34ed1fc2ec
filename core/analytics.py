"""DuckDB over the business tables, for sales analytics that must answer in milliseconds.

The tables are copied from the database (SQLite or PostgreSQL, through SQLAlchemy) into an in-memory
DuckDB through Arrow, once per data version: `Analytics.for_database(db)` returns the copy for the
current `Database.data_version()` from the database's one cache and reloads only after a new import. No DuckDB extension is used
(they would be downloaded).
"""

from __future__ import annotations

import threading
import time
from typing import Any

import duckdb
import pyarrow as pa

from core.db import Database

# What is copied: table -> (columns selected from the database, DuckDB select that types them).
_TABLES: dict[str, tuple[str, str]] = {
    "sales": ("date, sku, area, qty, revenue, channel",
              "CAST(date AS DATE) AS date, sku, area, CAST(qty AS BIGINT) AS qty, "
              "CAST(revenue AS DOUBLE) AS revenue, channel"),
    "orders": ("order_id, line, created_at, sku, qty, area, status",
               "order_id, line, CAST(created_at AS TIMESTAMP) AS created_at, sku, CAST(qty AS BIGINT) AS qty, "
               "area, status"),
    "products": ("sku, name_en, name_zh, category, unit_price, unit_cost, weight_kg",
                 "sku, name_en, name_zh, category, CAST(unit_price AS DOUBLE) AS unit_price, "
                 "CAST(unit_cost AS DOUBLE) AS unit_cost, CAST(weight_kg AS DOUBLE) AS weight_kg"),
    "areas": ("code, name_en, name_zh, region, zone", "code, name_en, name_zh, region, zone"),
    "shipping_rates": ("zone, base_fee, per_kg, free_over",
                       "zone, CAST(base_fee AS DOUBLE) AS base_fee, CAST(per_kg AS DOUBLE) AS per_kg, "
                       "CAST(free_over AS DOUBLE) AS free_over"),
}
# The sales table is widened with each row's region, zone, category and cost (joined once at load) and
# sorted by date, so a period query reads only the row groups of its dates and joins nothing.
_SALES_WIDE = """
    CREATE TABLE sales_wide AS
    SELECT s.date, s.sku, s.area, a.region, a.zone, p.category, s.channel, s.qty, s.revenue,
           s.qty * p.unit_cost AS cost
    FROM sales s JOIN products p ON p.sku = s.sku JOIN areas a ON a.code = s.area
    ORDER BY s.date
"""
# The copy's name in the database's one cache (`Database.cached`): one copy per data version, the older
# one dropped as soon as a newer import is loaded.
ANALYTICS_CACHE = "analytics"
_BATCH_ROWS = 200_000


class Analytics:
    """An in-memory DuckDB copy of the sales-related tables of one database at one data version."""

    def __init__(self, db: Database, version: int | None = None) -> None:
        started = time.perf_counter()
        self.url = db.url
        self.version = db.data_version() if version is None else version
        self._connection = duckdb.connect(":memory:")
        self._lock = threading.Lock()
        self.row_counts: dict[str, int] = {}
        for table, (columns, typed) in _TABLES.items():
            arrow = _read_arrow(db, table, columns)
            self._connection.register(f"{table}_arrow", arrow)
            self._connection.execute(f"CREATE TABLE {table} AS SELECT {typed} FROM {table}_arrow")
            self._connection.unregister(f"{table}_arrow")
            self.row_counts[table] = arrow.num_rows
        self._connection.execute(_SALES_WIDE)
        latest = self._connection.execute("SELECT max(date) FROM sales_wide").fetchone()
        self.sales_until = latest[0] if latest else None
        last_import = db.last_import()
        # When the copied data was imported (what answers built on it are "as of").
        self.data_as_of = last_import.loaded_at if last_import else None
        self.load_seconds = time.perf_counter() - started

    @classmethod
    def for_database(cls, db: Database) -> Analytics:
        """The copy for the database's current data version (loaded on first use after an import)."""
        return db.cached(ANALYTICS_CACHE, lambda version: cls(db, version))

    def query(self, sql: str, params: list[Any] | None = None) -> list[tuple]:
        """Run one read query and return its rows."""
        with self._lock:  # one DuckDB connection; cursors share it, so serialise
            return self._connection.execute(sql, params or []).fetchall()

    def scalar(self, sql: str, params: list[Any] | None = None) -> Any:
        """The first column of the first row, or None."""
        rows = self.query(sql, params)
        return rows[0][0] if rows else None


def _read_arrow(db: Database, table: str, columns: str) -> pa.Table:
    """A table's columns as Arrow, read in batches through the database driver."""
    names = [c.strip() for c in columns.split(",")]
    chunks: list[list[Any]] = [[] for _ in names]
    connection = db.engine.raw_connection()  # plain DBAPI tuples: far cheaper per row than Row objects
    try:
        cursor = connection.cursor()
        cursor.execute(f"SELECT {columns} FROM {table}")
        while True:
            rows = cursor.fetchmany(_BATCH_ROWS)
            if not rows:
                break
            for index, column in enumerate(zip(*rows, strict=True)):
                chunks[index].extend(column)
        cursor.close()
    finally:
        connection.close()
    arrays = [_to_array(values) for values in chunks]
    return pa.Table.from_arrays(arrays, names=names)


def _to_array(values: list[Any]) -> pa.Array:
    """An Arrow array; Decimal money (PostgreSQL) becomes float, unknown types become text."""
    try:
        array = pa.array(values)
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        array = pa.array([None if v is None else str(v) for v in values], type=pa.string())
    if pa.types.is_decimal(array.type):
        array = array.cast(pa.float64())
    if pa.types.is_null(array.type):
        array = array.cast(pa.string())
    return array
