"""`silobridge load FOLDER`: validate a folder of CSV files (data-format.md) and replace the business data.

All or nothing: every file is read and checked first; only a clean folder is written, in one
transaction, so after a failed import the previous data is unchanged. Every problem names the file,
the line and the column.
"""

from __future__ import annotations

import csv
import io
import logging
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from operator import itemgetter
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, delete, insert
from sqlalchemy import text as sql_text

from connectors.csv_schema import (
    TABLES,
    CellError,
    Column,
    CsvTable,
    Parser,
    decimal,
    handle_list,
    integer,
    iso_date,
    iso_datetime,
    non_negative_decimal,
    non_negative_integer,
    positive_integer,
    text,
    text_list,
)
from core.clock import now as clock_now
from core.db import Database
from core.models import BUSINESS_TABLES, ImportRun, StaffHandle, split_list

log = logging.getLogger(__name__)

MAX_PROBLEMS = 50
BULK_ROWS = 50_000


@dataclass(frozen=True)
class ImportProblem:
    """One reason the import was refused."""

    file: str
    line: int
    column: str | None
    message: str

    def __str__(self) -> str:
        where = f"{self.file}, line {self.line}" if self.line else self.file
        if self.column:
            where += f", column {self.column}"
        return f"{where}: {self.message}"


class ImportFailed(Exception):
    """The folder was refused; nothing was written. `problems` lists what to fix."""

    def __init__(self, problems: list[ImportProblem]) -> None:
        self.problems = problems
        more = "" if len(problems) < MAX_PROBLEMS else f"\n(stopped after {MAX_PROBLEMS} problems)"
        super().__init__("\n".join(str(p) for p in problems) + more)


@dataclass
class ImportReport:
    """What a successful import loaded."""

    folder: Path
    row_counts: dict[str, int]
    warnings: list[str] = field(default_factory=list)
    seconds: float = 0.0
    version: int = 0


@dataclass
class _ParsedTable:
    spec: CsvTable
    rows: list[tuple[Any, ...]]
    lines: list[int]
    present: bool


class _Problems:
    def __init__(self) -> None:
        self.items: list[ImportProblem] = []

    def add(self, file: str, line: int, column: str | None, message: str) -> None:
        if len(self.items) < MAX_PROBLEMS:
            self.items.append(ImportProblem(file, line, column, message))

    @property
    def full(self) -> bool:
        return len(self.items) >= MAX_PROBLEMS


def load_folder(db: Database, folder: str | Path) -> ImportReport:
    """Validate every CSV file in `folder` and, only if all are clean, replace the business data."""
    started = time.perf_counter()
    folder = Path(folder)
    if not folder.is_dir():
        raise ImportFailed([ImportProblem(str(folder), 0, None, "not a folder")])
    warnings: list[str] = []
    parsed = validate_folder(folder, warnings)
    db.create_all()
    counts = {table.spec.file: len(table.rows) for table in parsed.values()}
    with db.engine.connect() as conn:
        if db.dialect == "sqlite":
            # Every reference was checked above; per-row foreign-key lookups would only slow the bulk insert.
            conn.exec_driver_sql("PRAGMA foreign_keys=OFF")
            conn.commit()
        try:
            with conn.begin():
                _replace_business_data(conn, db.dialect, parsed)
                result = conn.execute(insert(ImportRun).values(
                    loaded_at=clock_now(), source=str(folder.resolve()), row_counts=counts,
                    seconds=round(time.perf_counter() - started, 3)))
                version = result.inserted_primary_key[0]
        finally:
            if db.dialect == "sqlite":
                conn.exec_driver_sql("PRAGMA foreign_keys=ON")
                conn.commit()
    db.forget_data_version()
    for warning in warnings:
        log.warning(warning)
    return ImportReport(folder=folder, row_counts=counts, warnings=warnings,
                        seconds=time.perf_counter() - started, version=version)


def validate_folder(folder: Path, warnings: list[str]) -> dict[str, _ParsedTable]:
    """Read and check every file; raise ImportFailed with every problem found (up to MAX_PROBLEMS)."""
    problems = _Problems()
    parsed: dict[str, _ParsedTable] = {}
    for spec in TABLES:
        path = folder / spec.file
        if not path.exists():
            if spec.required:
                problems.add(spec.file, 0, None, "required file is missing")
            parsed[spec.file] = _ParsedTable(spec, [], [], present=False)
            continue
        parsed[spec.file] = _read_table(path, spec, parsed, problems, warnings)
        if problems.full:
            break
    if problems.items:
        raise ImportFailed(problems.items)
    return parsed


def _decode(path: Path, spec: CsvTable, problems: _Problems) -> str | None:
    raw = path.read_bytes()
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        problems.add(spec.file, line, None,
                     f"not UTF-8 (byte 0x{raw[exc.start]:02x} at position {exc.start}); save the file as UTF-8")
        return None


def _read_table(path: Path, spec: CsvTable, parsed: dict[str, _ParsedTable], problems: _Problems,
                warnings: list[str]) -> _ParsedTable:
    table = _ParsedTable(spec, [], [], present=True)
    content = _decode(path, spec, problems)
    if content is None:
        return table
    reader = csv.reader(io.StringIO(content, newline=""))
    header = next(reader, None)
    if header is None:
        problems.add(spec.file, 1, None, "the file is empty; the first row must be the header")
        return table
    header = [name.strip() for name in header]
    positions: dict[str, int] = {}
    for index, name in enumerate(header):
        if name in positions:
            problems.add(spec.file, 1, name, "column appears twice in the header")
        positions[name] = index
    missing = [name for name in spec.column_names if name not in positions]
    for name in missing:
        problems.add(spec.file, 1, name, "required column is missing")
    if missing:
        return table
    unknown = [name for name in header if name and name not in spec.column_names]
    if unknown:
        warnings.append(f"{spec.file}: ignoring unknown column(s): {', '.join(unknown)}")

    plan = [(column, positions[column.name], _reference_keys(column, parsed)) for column in spec.columns]
    width = len(header)
    records: list[list[str]] = list(reader)
    physical_lines = content.count("\n") + (0 if content.endswith("\n") else 1)
    lines: Sequence[int]
    if set(map(len, records)) <= {width} and physical_lines == len(records) + 1:
        lines = range(2, len(records) + 2)  # one line per row: no blank, short or multi-line rows
    else:
        records, lines = _records_with_lines(content, width)
    rows = _parse_columns_fast(records, plan)
    if rows is None:  # some cell is wrong: parse row by row to name every problem exactly
        rows, lines = _parse_rows(records, lines, plan, spec, problems)
    table.rows, table.lines = _check_rows(rows, lines, spec, problems)
    return table


def _records_with_lines(content: str, width: int) -> tuple[list[list[str]], list[int]]:
    """Rows with the line each ends on, blank rows skipped and short rows padded (the general, slower read)."""
    reader = csv.reader(io.StringIO(content, newline=""))
    next(reader, None)
    records: list[list[str]] = []
    lines: list[int] = []
    for cells in reader:
        if not cells or (len(cells) == 1 and not cells[0].strip()):
            continue
        if len(cells) < width:
            cells = cells + [""] * (width - len(cells))
        records.append(cells)
        lines.append(reader.line_num)
    return records, lines


def _convert_column(parse: Parser, raw: list[str]) -> list[Any]:
    """A whole column through its parser, using C-speed conversions where the type allows."""
    if parse is text:
        return raw
    allowed = getattr(parse, "allowed", None)
    if allowed is not None:
        if not set(raw) <= allowed:
            raise CellError("value not allowed")
        return raw
    if parse is iso_date:
        if set(map(len, raw)) != {10}:
            raise CellError("not a date")
        return list(map(date.fromisoformat, raw))
    if parse in (integer, non_negative_integer, positive_integer):
        try:
            values = list(map(int, raw))
        except ValueError:
            return list(map(parse, raw))
        low = min(values, default=1)
        if (parse is non_negative_integer and low < 0) or (parse is positive_integer and low <= 0):
            raise CellError("out of range")
        return values
    if parse in (decimal, non_negative_decimal):
        try:
            values = list(map(float, raw))
        except ValueError:
            return list(map(parse, raw))
        if parse is non_negative_decimal and min(values, default=0.0) < 0:
            raise CellError("negative")
        return values
    return list(map(parse, raw))


def _parse_columns_fast(records: list[list[str]], plan: list[tuple[Column, int, set[str] | None]],
                        ) -> list[tuple[Any, ...]] | None:
    """Parse column by column at C speed; None when any cell fails (the slow path then explains it)."""
    if not records:
        return []
    columns: list[list[Any]] = []
    for column, position, ref_keys in plan:
        raw = list(map(str.strip, map(itemgetter(position), records)))
        try:
            if column.optional:
                blank = _blank_value(column)
                values = [column.parse(value) if value else blank for value in raw]
            elif not all(raw):
                return None
            else:
                values = _convert_column(column.parse, raw)
        except (CellError, ValueError):
            return None
        if ref_keys is not None:
            if column.ref_is_list:
                items = {item for value in values for item in split_list(value)}
            else:
                items = set(values) - {None}
            if not items <= ref_keys:
                return None
        columns.append(values)
    return list(zip(*columns, strict=True))


def _parse_rows(records: list[list[str]], lines: Sequence[int], plan: list[tuple[Column, int, set[str] | None]],
                spec: CsvTable, problems: _Problems) -> tuple[list[tuple[Any, ...]], list[int]]:
    rows: list[tuple[Any, ...]] = []
    kept_lines: list[int] = []
    for cells, line in zip(records, lines, strict=True):
        values = [_parse_cell(cells[position].strip(), column, ref_keys, spec.file, line, problems)
                  for column, position, ref_keys in plan]
        if not any(value is _BAD for value in values):
            rows.append(tuple(values))
            kept_lines.append(line)
        if problems.full:
            break
    return rows, kept_lines


def _check_rows(rows: list[tuple[Any, ...]], lines: Sequence[int], spec: CsvTable,
                problems: _Problems) -> tuple[list[tuple[Any, ...]], Sequence[int]]:
    """Row-level rules and key uniqueness."""
    if not spec.row_checks and not spec.key:
        return rows, lines
    key_indexes = [spec.column_names.index(name) for name in spec.key]
    seen_keys: dict[tuple[Any, ...], int] = {}
    kept: list[tuple[Any, ...]] = []
    kept_lines: list[int] = []
    for values, line in zip(rows, lines, strict=True):
        ok = True
        if spec.row_checks:
            row = dict(zip(spec.column_names, values, strict=True))
            for check in spec.row_checks:
                failure = check(row)
                if failure:
                    problems.add(spec.file, line, failure[0], failure[1])
                    ok = False
        if key_indexes:
            key = tuple(values[i] for i in key_indexes)
            first = seen_keys.get(key)
            if first is not None:
                shown = ", ".join(f"{name}={value}" for name, value in zip(spec.key, key, strict=True))
                problems.add(spec.file, line, ",".join(spec.key), f"duplicate key ({shown}); first on line {first}")
                ok = False
            else:
                seen_keys[key] = line
        if ok:
            kept.append(values)
            kept_lines.append(line)
        if problems.full:
            break
    return kept, kept_lines


def _blank_value(column: Column) -> Any:
    """What a blank optional cell holds: an empty list for list columns, else None."""
    return "" if column.parse in (text_list, handle_list) else None


class _Bad:
    pass


_BAD = _Bad()


def _reference_keys(column: Column, parsed: dict[str, _ParsedTable]) -> set[str] | None:
    """The keys a column must name, or None when there is nothing to check against."""
    if column.ref is None:
        return None
    file, _, ref_column = column.ref.rpartition(".")
    target = parsed.get(file)
    if target is None:  # a self-reference (product substitutes): checked after the file is read
        return None
    if not target.present:  # an absent optional file (or a missing one, reported already)
        return None
    index = target.spec.column_names.index(ref_column)
    return {row[index] for row in target.rows}


def _parse_cell(raw: str, column: Column, ref_keys: set[str] | None, file: str, line: int,
                problems: _Problems) -> Any:
    if not raw:
        if column.optional:
            return _blank_value(column)
        problems.add(file, line, column.name, "a value is required")
        return _BAD
    try:
        value = column.parse(raw)
    except CellError as exc:
        problems.add(file, line, column.name, str(exc))
        return _BAD
    if ref_keys is not None:
        items = split_list(value) if column.ref_is_list else [value]
        for item in items:
            if item not in ref_keys:
                what = column.ref.rpartition(".")[0] if column.ref else "the referenced file"
                problems.add(file, line, column.name, f"unknown {column.name} {item!r}: not defined in {what}")
                return _BAD
    return value


def _check_self_references(parsed: dict[str, _ParsedTable]) -> list[ImportProblem]:
    products = parsed["products.csv"]
    skus = {row[0] for row in products.rows}
    index = products.spec.column_names.index("substitutes")
    problems = []
    for row, line in zip(products.rows, products.lines, strict=True):
        for sku in split_list(row[index]):
            if sku not in skus:
                problems.append(ImportProblem("products.csv", line, "substitutes",
                                              f"unknown substitutes {sku!r}: not defined in products.csv"))
    return problems


def _staff_handles(parsed: dict[str, _ParsedTable]) -> tuple[list[tuple[str, str]], list[ImportProblem]]:
    staff = parsed["staff.csv"]
    names = staff.spec.column_names
    handles: dict[str, tuple[str, int]] = {}
    problems = []
    for row, line in zip(staff.rows, staff.lines, strict=True):
        staff_id = row[names.index("staff_id")]
        for handle in split_list(row[names.index("handles")]):
            if handle in handles:
                problems.append(ImportProblem("staff.csv", line, "handles",
                                              f"handle {handle!r} already belongs to {handles[handle][0]} "
                                              f"(line {handles[handle][1]})"))
            handles[handle] = (staff_id, line)
    return [(handle, owner) for handle, (owner, _) in handles.items()], problems


def _replace_business_data(conn: Connection, dialect: str, parsed: dict[str, _ParsedTable]) -> None:
    problems = _check_self_references(parsed)
    handle_rows, handle_problems = _staff_handles(parsed)
    problems += handle_problems
    if problems:
        raise ImportFailed(problems[:MAX_PROBLEMS])
    if dialect == "postgresql":
        names = ", ".join(model.__tablename__ for model in BUSINESS_TABLES)
        conn.execute(sql_text(f"TRUNCATE {names}"))
    else:
        for model in reversed(BUSINESS_TABLES):
            conn.execute(delete(model))
    by_model = {table.spec.model: table for table in parsed.values()}
    for model in BUSINESS_TABLES:
        if model is StaffHandle:
            _write_rows(conn, dialect, model.__tablename__, ["handle", "staff_id"], handle_rows)
            continue
        table = by_model[model]
        bulk = len(table.rows) > BULK_ROWS
        if bulk:  # building indexes once after the load beats maintaining them row by row
            for index in model.__table__.indexes:
                index.drop(conn)
        temporal = [i for i, column in enumerate(table.spec.columns) if column.parse in (iso_date, iso_datetime)]
        _write_rows(conn, dialect, model.__tablename__, table.spec.column_names, table.rows, temporal)
        if bulk:
            for index in model.__table__.indexes:
                index.create(conn)


def _write_rows(conn: Connection, dialect: str, table_name: str, columns: list[str],
                rows: list[tuple[Any, ...]], temporal: list[int] = ()) -> None:
    if not rows:
        return
    quoted = ", ".join(f'"{name}"' for name in columns)
    if dialect == "postgresql":
        cursor = conn.connection.driver_connection.cursor()
        with cursor.copy(f'COPY "{table_name}" ({quoted}) FROM STDIN') as copy:
            for row in rows:
                copy.write_row(row)
        return
    if dialect == "sqlite":
        # SQLAlchemy stores SQLite dates and date-times as ISO text; write them the same way.
        placeholders = ", ".join("?" for _ in columns)
        sql = f'INSERT INTO "{table_name}" ({quoted}) VALUES ({placeholders})'
        conn.connection.driver_connection.cursor().executemany(sql, _sqlite_rows(rows, list(temporal)))
        return
    table = BUSINESS_TABLE_BY_NAME[table_name].__table__
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
