"""Reading the cells of one CSV file against its column formats: column at a time at C speed, row by row only
to name each problem by file, line and column (the importer, `connectors/importer.py`, drives it)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from operator import itemgetter
from typing import Any

from connectors.csv_schema import (
    MAX_DECIMAL,
    MAX_INTEGER,
    CellError,
    Column,
    CsvTable,
    Parser,
    decimal,
    handle_list,
    integer,
    iso_date,
    non_negative_decimal,
    non_negative_integer,
    positive_integer,
    text,
    text_list,
)
from core.models import split_list

MAX_PROBLEMS = 50

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


@dataclass
class ParsedTable:
    spec: CsvTable
    rows: list[tuple[Any, ...]]
    lines: Sequence[int]
    present: bool
    # False when the file could not be read as a whole (encoding, link, header, no rows): other files are
    # then not checked against it, so one unreadable file is one problem, not one per referring row.
    readable: bool = True
    # Key values of rows refused for a bad cell: other files may still name them without a knock-on error.
    refused_keys: dict[str, set[Any]] = field(default_factory=dict)

    def refuse(self, problems: Problems, line: int, column: str | None, message: str) -> ParsedTable:
        """Record that the whole file is unreadable."""
        problems.add(self.spec.file, line, column, message)
        self.readable = False
        return self


class Problems:
    def __init__(self) -> None:
        self.items: list[ImportProblem] = []

    def add(self, file: str, line: int, column: str | None, message: str) -> None:
        if len(self.items) < MAX_PROBLEMS:
            self.items.append(ImportProblem(file, line, column, message))

    @property
    def full(self) -> bool:
        return len(self.items) >= MAX_PROBLEMS


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


def parse_columns_fast(records: list[list[str]], plan: list[ColumnPlan]) -> list[tuple[Any, ...]] | None:
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


def parse_rows(records: list[list[str]], lines: Sequence[int], plan: list[ColumnPlan], table: ParsedTable,
                problems: Problems) -> tuple[list[tuple[Any, ...]], list[int]]:
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


def _runaway_quote(cells: list[str], line: int, plan: list[ColumnPlan], file: str, problems: Problems) -> bool:
    """One problem for a quoted field that never closes and swallows the lines after it (not one per column)."""
    for column, position, _, max_chars in plan:
        cell = cells[position]
        if "\n" in cell and len(cell.strip()) > max_chars:
            start = line - sum(value.count("\n") for value in cells)
            problems.add(file, start, column.name, f"a quoted value runs from line {start} to line {line} "
                                                   f"({len(cell):,} characters): is a closing quote missing?")
            return True
    return False


def _remember_refused_keys(table: ParsedTable, values: dict[str, Any]) -> None:
    """Keep the key of a refused row, so that rows of other files naming it get no knock-on error."""
    for name in table.spec.key:
        table.refused_keys.setdefault(name, set()).add(values[name])


def check_rows(rows: list[tuple[Any, ...]], lines: Sequence[int], table: ParsedTable,
                problems: Problems) -> tuple[list[tuple[Any, ...]], Sequence[int]]:
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
ColumnPlan = tuple[Column, int, "set[str] | None", int]


_BAD = _Bad()


def reference_keys(column: Column, parsed: dict[str, ParsedTable]) -> set[str] | None:
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
                problems: Problems) -> Any:
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
