"""`silobridge load FOLDER`: validate a folder of CSV files (data-format.md) and replace the business data.

All or nothing: every file is read and checked first; only a clean folder is written, in one
transaction, so after a failed import the previous data is unchanged. Every problem names the file,
the line and the column.

Bad input is refused, never followed: a link or a file outside the folder is not read, a file that is
not UTF-8 is one problem (and the files that refer to it are not checked against it), an oversized
cell is named by line and column, and a required file with a header and no rows is refused unless the
administrator says it is meant to be empty (`allow_empty`, `silobridge load --allow-empty stock`).
"""

from __future__ import annotations

import logging
import math
import sqlite3
import time
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from operator import itemgetter
from pathlib import Path
from typing import Any, cast

import psycopg
from sqlalchemy import Connection, Table, delete, insert
from sqlalchemy import text as sql_text
from sqlalchemy.exc import SQLAlchemyError

from connectors.csv_schema import (
    MAX_DECIMAL,
    MAX_INTEGER,
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
from connectors.import_files import (
    UnreadableFile,
    decode_utf8,
    file_exists,
    read_all_rows,
    read_file_bytes,
    read_rows_with_lines,
    shown_name,
)
from connectors.import_writer import write_rows
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
    lines: Sequence[int]
    present: bool
    # False when the file could not be read as a whole (encoding, link, header, no rows): other files are
    # then not checked against it, so one unreadable file is one problem, not one per referring row.
    readable: bool = True
    # Key values of rows refused for a bad cell: other files may still name them without a knock-on error.
    refused_keys: dict[str, set[Any]] = field(default_factory=dict)

    def refuse(self, problems: _Problems, line: int, column: str | None, message: str) -> _ParsedTable:
        """Record that the whole file is unreadable."""
        problems.add(self.spec.file, line, column, message)
        self.readable = False
        return self


class _Problems:
    def __init__(self) -> None:
        self.items: list[ImportProblem] = []

    def add(self, file: str, line: int, column: str | None, message: str) -> None:
        if len(self.items) < MAX_PROBLEMS:
            self.items.append(ImportProblem(file, line, column, message))

    @property
    def full(self) -> bool:
        return len(self.items) >= MAX_PROBLEMS


_DATABASE_ERRORS = (SQLAlchemyError, sqlite3.Error, psycopg.Error)


def load_folder(db: Database, folder: str | Path, allow_empty: Collection[str] = (), *,
                loaded_at: datetime | None = None) -> ImportReport:
    """Validate every CSV file in `folder` and, only if all are clean, replace the business data.

    `allow_empty` names required tables (`stock` or `stock.csv`) that may have a header and no rows;
    `loaded_at` is when the data is "as of" (default: the real time; the CLI passes its fixed clock).
    """
    started = time.perf_counter()
    folder = Path(folder)
    if not folder.is_dir():
        raise ImportFailed([ImportProblem(str(folder), 0, None, "not a folder")])
    warnings: list[str] = []
    parsed = validate_folder(folder, warnings, allow_empty)
    try:
        version = _write(db, folder, parsed, started, loaded_at or clock_now())
    except _DATABASE_ERRORS as exc:  # every value was checked; this is the database's own refusal
        log.error("import rolled back: the database refused the data (%s)", type(exc).__name__, exc_info=True)
        raise ImportFailed([ImportProblem("database", 0, None, f"the database refused the data "
                                          f"({type(exc).__name__}); nothing was changed")]) from exc
    counts = {table.spec.file: len(table.rows) for table in parsed.values()}
    for warning in warnings:
        log.warning(warning)
    return ImportReport(folder=folder, row_counts=counts, warnings=warnings,
                        seconds=time.perf_counter() - started, version=version)


def _write(db: Database, folder: Path, parsed: dict[str, _ParsedTable], started: float, loaded_at: datetime) -> int:
    """Replace the business data with `parsed` in one transaction; returns the new data version."""
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
                    loaded_at=loaded_at, source=str(folder.resolve()), row_counts=counts,
                    seconds=round(time.perf_counter() - started, 3)))
                primary_key = result.inserted_primary_key
                assert primary_key is not None  # an INSERT always has one
                version = int(primary_key[0])
        finally:
            if db.dialect == "sqlite":
                conn.exec_driver_sql("PRAGMA foreign_keys=ON")
                conn.commit()
    db.forget_data_version()
    return version


def validate_folder(folder: Path, warnings: list[str], allow_empty: Collection[str] = ()) -> dict[str, _ParsedTable]:
    """Read and check every file; raise ImportFailed with every problem found (up to MAX_PROBLEMS)."""
    problems = _Problems()
    may_be_empty = _tables_allowed_empty(allow_empty, problems)
    parsed: dict[str, _ParsedTable] = {}
    for spec in TABLES:
        if not file_exists(folder, spec.file):
            if spec.required:
                problems.add(spec.file, 0, None, "required file is missing")
            parsed[spec.file] = _ParsedTable(spec, [], [], present=False)
            continue
        parsed[spec.file] = _read_table(folder, spec, parsed, problems, warnings,
                                        empty_ok=not spec.required or spec.file in may_be_empty)
        if problems.full:
            break
    if problems.items:
        raise ImportFailed(problems.items)
    return parsed


def _tables_allowed_empty(names: Collection[str], problems: _Problems) -> set[str]:
    """The files named by `--allow-empty` (`stock` or `stock.csv`); an unknown name is a problem."""
    files = {spec.table_name: spec.file for spec in TABLES}
    allowed: set[str] = set()
    for name in names:
        file = files.get(name.strip().removesuffix(".csv"))
        if file is None:
            problems.add("--allow-empty", 0, None,
                         f"no table called {shown_name(name)!r}; the tables are {', '.join(files)}")
        else:
            allowed.add(file)
    return allowed


def _read_table(folder: Path, spec: CsvTable, parsed: dict[str, _ParsedTable], problems: _Problems,
                warnings: list[str], empty_ok: bool) -> _ParsedTable:
    table = _ParsedTable(spec, [], [], present=True)
    try:
        content = decode_utf8(read_file_bytes(folder, spec.file))
        all_rows = read_all_rows(content)
    except UnreadableFile as exc:
        return table.refuse(problems, exc.line, exc.column, exc.message)
    if not all_rows:
        return table.refuse(problems, 1, None, "the file is empty; the first row must be the header")
    header = [name.strip() for name in all_rows[0]]
    positions = _header_positions(header, spec, problems)
    if positions is None:  # the missing columns are the problems; nothing else of the file is checked
        table.readable = False
        return table
    unknown = [shown_name(name) for name in header if name and name not in spec.column_names]
    if unknown:
        warnings.append(f"{spec.file}: ignoring unknown column(s): {', '.join(unknown)}")

    plan = [(column, positions[column.name], _reference_keys(column, parsed), spec.max_chars(column))
            for column in spec.columns]
    width = len(header)
    records = all_rows[1:]
    physical_lines = content.count("\n") + (0 if content.endswith("\n") else 1)
    lines: Sequence[int]
    if set(map(len, records)) <= {width} and physical_lines == len(records) + 1:
        lines = range(2, len(records) + 2)  # one line per row: no blank, short or multi-line rows
    else:
        records, lines = read_rows_with_lines(content, width)
    if not records and not empty_ok:
        what = spec.table_name.replace("_", " ")
        return table.refuse(problems, 0, None, f"no data rows — importing it would delete all {what}; "
                                               f"use `--allow-empty {spec.table_name}` if that is intended")
    rows = _parse_columns_fast(records, plan)
    if rows is None:  # some cell is wrong: parse row by row to name every problem exactly
        rows, lines = _parse_rows(records, lines, plan, table, problems)
    table.rows, table.lines = _check_rows(rows, lines, table, problems)
    return table


def _header_positions(header: list[str], spec: CsvTable, problems: _Problems) -> dict[str, int] | None:
    """Where each column of the format is; None (with the problems added) when a column is missing."""
    positions: dict[str, int] = {}
    for index, name in enumerate(header):
        if name in positions:
            problems.add(spec.file, 1, shown_name(name), "column appears twice in the header")
        positions[name] = index
    missing = [name for name in spec.column_names if name not in positions]
    for name in missing:
        problems.add(spec.file, 1, name, "required column is missing")
    return None if missing else positions


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
        if max(map(abs, values), default=0) > MAX_INTEGER:
            raise CellError("too large")
        return values
    if parse in (decimal, non_negative_decimal):
        try:
            decimals = list(map(float, raw))
        except ValueError:
            return list(map(parse, raw))
        if parse is non_negative_decimal and min(decimals, default=0.0) < 0:
            raise CellError("negative")
        if not all(map(math.isfinite, decimals)) or max(map(abs, decimals), default=0.0) > MAX_DECIMAL:
            raise CellError("not finite or too large")
        return decimals
    return list(map(parse, raw))


def _parse_columns_fast(records: list[list[str]], plan: list[_ColumnPlan]) -> list[tuple[Any, ...]] | None:
    """Parse column by column at C speed; None when any cell fails (the slow path then explains it)."""
    if not records:
        return []
    columns: list[list[Any]] = []
    for column, position, ref_keys, max_chars in plan:
        raw = list(map(str.strip, map(itemgetter(position), records)))
        if max(map(len, raw)) > max_chars:
            return None
        try:
            if column.optional:
                blank = _blank_value(column)
                values = [column.parse(value) if value else blank for value in raw]
            elif not all(raw):
                return None
            else:
                values = _convert_column(column.parse, raw)
        except (CellError, ValueError, OverflowError):
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


def _parse_rows(records: list[list[str]], lines: Sequence[int], plan: list[_ColumnPlan], table: _ParsedTable,
                problems: _Problems) -> tuple[list[tuple[Any, ...]], list[int]]:
    rows: list[tuple[Any, ...]] = []
    kept_lines: list[int] = []
    file = table.spec.file
    for cells, line in zip(records, lines, strict=True):
        if _runaway_quote(cells, line, plan, file, problems):
            continue
        values = [_parse_cell(cells[position].strip(), column, ref_keys, max_chars, file, line, problems)
                  for column, position, ref_keys, max_chars in plan]
        if any(value is _BAD for value in values):
            _remember_refused_keys(table, {column.name: cells[position].strip() for column, position, _, _ in plan})
        else:
            rows.append(tuple(values))
            kept_lines.append(line)
        if problems.full:
            break
    return rows, kept_lines


def _runaway_quote(cells: list[str], line: int, plan: list[_ColumnPlan], file: str, problems: _Problems) -> bool:
    """One problem for a quoted field that never closes and swallows the lines after it (not one per column)."""
    for column, position, _, max_chars in plan:
        cell = cells[position]
        if "\n" in cell and len(cell.strip()) > max_chars:
            start = line - sum(value.count("\n") for value in cells)
            problems.add(file, start, column.name, f"a quoted value runs from line {start} to line {line} "
                                                   f"({len(cell):,} characters): is a closing quote missing?")
            return True
    return False


def _remember_refused_keys(table: _ParsedTable, values: dict[str, Any]) -> None:
    """Keep the key of a refused row, so that rows of other files naming it get no knock-on error."""
    for name in table.spec.key:
        table.refused_keys.setdefault(name, set()).add(values[name])


def _check_rows(rows: list[tuple[Any, ...]], lines: Sequence[int], table: _ParsedTable,
                problems: _Problems) -> tuple[list[tuple[Any, ...]], Sequence[int]]:
    """Row-level rules and key uniqueness."""
    spec = table.spec
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
        else:
            _remember_refused_keys(table, dict(zip(spec.column_names, values, strict=True)))
        if problems.full:
            break
    return kept, kept_lines


def _blank_value(column: Column) -> Any:
    """What a blank optional cell holds: an empty list for list columns, else None."""
    return "" if column.parse in (text_list, handle_list) else None


class _Bad:
    pass


# A column as read: its format, its position in the file, the keys it must name, its longest cell.
_ColumnPlan = tuple[Column, int, "set[str] | None", int]


_BAD = _Bad()


def _reference_keys(column: Column, parsed: dict[str, _ParsedTable]) -> set[str] | None:
    """The keys a column must name, or None when there is nothing to check against."""
    if column.ref is None:
        return None
    file, _, ref_column = column.ref.rpartition(".")
    target = parsed.get(file)
    if target is None:  # a self-reference (product substitutes): checked after the file is read
        return None
    if not target.present or not target.readable:  # absent, missing or unreadable: reported already
        return None
    index = target.spec.column_names.index(ref_column)
    return {row[index] for row in target.rows} | target.refused_keys.get(ref_column, set())


def _parse_cell(raw: str, column: Column, ref_keys: set[str] | None, max_chars: int, file: str, line: int,
                problems: _Problems) -> Any:
    if not raw:
        if column.optional:
            return _blank_value(column)
        problems.add(file, line, column.name, "a value is required")
        return _BAD
    if len(raw) > max_chars:  # never echoed: it may be a whole file pasted into one cell
        problems.add(file, line, column.name, f"value is {len(raw):,} characters long; this column takes at most "
                                              f"{max_chars:,}")
        return _BAD
    try:
        value = column.parse(raw)
    except (CellError, ValueError, OverflowError) as exc:
        problems.add(file, line, column.name, str(exc) if isinstance(exc, CellError) else "not a valid value")
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


def _table_of(model: type) -> Table:
    """The SQLAlchemy table of a mapped model."""
    return cast(Table, model.__table__)  # type: ignore[attr-defined]  # declarative models carry __table__


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
            write_rows(conn, dialect, model.__tablename__, ["handle", "staff_id"], handle_rows)
            continue
        table = by_model[model]
        bulk = len(table.rows) > BULK_ROWS
        if bulk:  # building indexes once after the load beats maintaining them row by row
            for index in _table_of(model).indexes:
                index.drop(conn)
        temporal = [i for i, column in enumerate(table.spec.columns) if column.parse in (iso_date, iso_datetime)]
        write_rows(conn, dialect, model.__tablename__, table.spec.column_names, table.rows, temporal)
        if bulk:
            for index in _table_of(model).indexes:
                index.create(conn)
