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
import sqlite3
import time
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import cast

import psycopg
from sqlalchemy import Connection, Table, delete, insert
from sqlalchemy import text as sql_text
from sqlalchemy.exc import SQLAlchemyError

from connectors.csv_schema import (
    TABLES,
    CsvTable,
    iso_date,
    iso_datetime,
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
from connectors.import_parse import (
    MAX_PROBLEMS,
    ImportProblem,
    ParsedTable,
    Problems,
    check_rows,
    parse_columns_fast,
    parse_rows,
    reference_keys,
)
from connectors.import_writer import write_rows
from core.clock import now as clock_now
from core.db import Database
from core.models import BUSINESS_TABLES, ImportRun, StaffHandle, split_list

log = logging.getLogger(__name__)

BULK_ROWS = 50_000


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


def _write(db: Database, folder: Path, parsed: dict[str, ParsedTable], started: float, loaded_at: datetime) -> int:
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


def validate_folder(folder: Path, warnings: list[str], allow_empty: Collection[str] = ()) -> dict[str, ParsedTable]:
    """Read and check every file; raise ImportFailed with every problem found (up to MAX_PROBLEMS)."""
    problems = Problems()
    may_be_empty = _tables_allowed_empty(allow_empty, problems)
    parsed: dict[str, ParsedTable] = {}
    for spec in TABLES:
        if not file_exists(folder, spec.file):
            if spec.required:
                problems.add(spec.file, 0, None, "required file is missing")
            parsed[spec.file] = ParsedTable(spec, [], [], present=False)
            continue
        parsed[spec.file] = _read_table(folder, spec, parsed, problems, warnings,
                                        empty_ok=not spec.required or spec.file in may_be_empty)
        if problems.full:
            break
    if problems.items:
        raise ImportFailed(problems.items)
    return parsed


def _tables_allowed_empty(names: Collection[str], problems: Problems) -> set[str]:
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


def _read_table(folder: Path, spec: CsvTable, parsed: dict[str, ParsedTable], problems: Problems,
                warnings: list[str], empty_ok: bool) -> ParsedTable:
    table = ParsedTable(spec, [], [], present=True)
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

    plan = [(column, positions[column.name], reference_keys(column, parsed), spec.max_chars(column))
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
    rows = parse_columns_fast(records, plan)
    if rows is None:  # some cell is wrong: parse row by row to name every problem exactly
        rows, lines = parse_rows(records, lines, plan, table, problems)
    table.rows, table.lines = check_rows(rows, lines, table, problems)
    return table


def _header_positions(header: list[str], spec: CsvTable, problems: Problems) -> dict[str, int] | None:
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


def _check_self_references(parsed: dict[str, ParsedTable]) -> list[ImportProblem]:
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


def _staff_handles(parsed: dict[str, ParsedTable]) -> tuple[list[tuple[str, str]], list[ImportProblem]]:
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


def _replace_business_data(conn: Connection, dialect: str, parsed: dict[str, ParsedTable]) -> None:
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
