"""Writing checked rows into the business tables fast: COPY on PostgreSQL, executemany on SQLite.

Only the importer (`connectors/importer.py`) calls this, inside its one transaction, after every value
has been checked.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime
from typing import Any, cast

from sqlalchemy import Connection, Table

from core.models import BUSINESS_TABLES


def _driver(conn: Connection) -> Any:
    """The DB-API connection under SQLAlchemy's (psycopg's for COPY, sqlite3's for executemany)."""
    driver = conn.connection.driver_connection
    if driver is None:
        raise RuntimeError("the database connection is closed")
    return driver


def write_rows(conn: Connection, dialect: str, table_name: str, columns: list[str],
               rows: list[tuple[Any, ...]], temporal: Sequence[int] = ()) -> None:
    """Insert `rows` (values in the order of `columns`); `temporal` are the positions of dates and date-times."""
    if not rows:
        return
    quoted = ", ".join(f'"{name}"' for name in columns)
    if dialect == "postgresql":
        cursor = _driver(conn).cursor()
        with cursor.copy(f'COPY "{table_name}" ({quoted}) FROM STDIN') as copy:
            for row in rows:
                copy.write_row(row)
        return
    if dialect == "sqlite":
        # SQLAlchemy stores SQLite dates and date-times as ISO text; write them the same way.
        placeholders = ", ".join("?" for _ in columns)
        sql = f'INSERT INTO "{table_name}" ({quoted}) VALUES ({placeholders})'
        _driver(conn).cursor().executemany(sql, _sqlite_rows(rows, list(temporal)))
        return
    table = cast(Table, BUSINESS_TABLE_BY_NAME[table_name].__table__)
    for chunk in _chunks(rows, 5000):
        conn.execute(table.insert(), [dict(zip(columns, row, strict=True)) for row in chunk])


def _sqlite_rows(rows: list[tuple[Any, ...]], temporal: list[int]) -> Iterator[tuple[Any, ...]]:
    if not temporal:
        yield from rows
        return
    for row in rows:
        values = list(row)
        for i in temporal:
            values[i] = _sqlite_value(values[i])
        yield tuple(values)


def _sqlite_value(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S.%f")
    if isinstance(value, date):
        return value.isoformat()
    return value


def _chunks(rows: list[tuple[Any, ...]], size: int) -> Iterable[list[tuple[Any, ...]]]:
    for start in range(0, len(rows), size):
        yield rows[start:start + size]


BUSINESS_TABLE_BY_NAME = {model.__tablename__: model for model in BUSINESS_TABLES}
