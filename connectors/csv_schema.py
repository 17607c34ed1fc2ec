"""The CSV import format of data-format.md as data: files, columns, types, keys and references.

The importer (`connectors/importer.py`) reads this description; nothing else in the code base needs
to know column spellings of the CSV files.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import String, Text

from core.clock import to_local
from core.models import (
    Area,
    Base,
    Customer,
    Location,
    OrderLine,
    Product,
    Promotion,
    Sale,
    ShippingRate,
    Staff,
    Stock,
    Supplier,
    Vehicle,
)

HK_DISTRICTS = (
    "Central and Western", "Wan Chai", "Eastern", "Southern",
    "Yau Tsim Mong", "Sham Shui Po", "Kowloon City", "Wong Tai Sin", "Kwun Tong",
    "Kwai Tsing", "Tsuen Wan", "Tuen Mun", "Yuen Long", "North", "Tai Po", "Sha Tin", "Sai Kung", "Islands",
)
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
REGIONS = ("HKI", "KLN", "NT", "ISL")
_HHMM = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")
_HANDLE = re.compile(r"^[a-z][a-z0-9_]*:\S+$")
# What the database columns hold: 32-bit integers, money as NUMERIC(14, 2).
MAX_INTEGER = 2_147_483_647
MAX_DECIMAL = 999_999_999_999.99
# The longest cell a column takes: a String(n) column's n, these for the others.
MAX_TEXT_CHARS = 20_000  # free text and lists (aliases, handles)
MAX_VALUE_CHARS = 64  # numbers, dates, times, codes
MAX_HANDLE_CHARS = 128  # one chat identity (staff_handles.handle)


class CellError(ValueError):
    """A cell's value does not fit its column's type."""


Parser = Callable[[str], Any]


def text(value: str) -> str:
    """Any text."""
    return value


def integer(value: str) -> int:
    """A whole number (`12`, `-3`; `12.0` is accepted as 12), small enough for the database."""
    try:
        number = int(value)
    except ValueError:
        try:
            real = float(value)
        except ValueError:
            raise CellError(f"expected a whole number, got {value!r}") from None
        if not real.is_integer():
            raise CellError(f"expected a whole number, got {value!r}") from None
        number = int(real)
    if abs(number) > MAX_INTEGER:
        raise CellError(f"number too large (at most {MAX_INTEGER:,}), got {value!r}")
    return number


def non_negative_integer(value: str) -> int:
    """A whole number >= 0."""
    number = integer(value)
    if number < 0:
        raise CellError(f"must be 0 or more, got {value!r}")
    return number


def positive_integer(value: str) -> int:
    """A whole number > 0."""
    number = integer(value)
    if number <= 0:
        raise CellError(f"must be more than 0, got {value!r}")
    return number


def decimal(value: str) -> float:
    """A decimal number."""
    try:
        number = float(value.replace(",", "")) if "," in value else float(value)
    except ValueError:
        raise CellError(f"expected a number, got {value!r}") from None
    if not math.isfinite(number):
        raise CellError(f"expected a number, got {value!r}")
    if abs(number) > MAX_DECIMAL:
        raise CellError(f"number too large (at most {MAX_DECIMAL:,.2f}), got {value!r}")
    return number


def non_negative_decimal(value: str) -> float:
    """A decimal number >= 0 (money, weights, capacities)."""
    number = decimal(value)
    if number < 0:
        raise CellError(f"must be 0 or more, got {value!r}")
    return number


def iso_date(value: str) -> date:
    """`YYYY-MM-DD`."""
    if len(value) != 10:
        raise CellError(f"expected a date YYYY-MM-DD, got {value!r}")
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CellError(f"expected a date YYYY-MM-DD, got {value!r}") from None


def iso_datetime(value: str) -> datetime:
    """ISO 8601 date-time, local Hong Kong time unless an offset is given (stored as naive HK time)."""
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise CellError(f"expected a date-time like 2026-03-02T09:30, got {value!r}") from None
    if len(value) <= 10:
        raise CellError(f"expected a date-time like 2026-03-02T09:30, got {value!r}")
    try:
        return to_local(moment)
    except (OverflowError, ValueError):  # an offset that pushes year 1 or 9999 out of range
        raise CellError(f"date-time out of range, got {value!r}") from None


def clock_time(value: str) -> str:
    """`HH:MM` (24-hour)."""
    if not _HHMM.match(value):
        raise CellError(f"expected a time HH:MM, got {value!r}")
    return value


def weekday(value: str) -> str:
    """`Mon` … `Sun`."""
    normalized = value[:1].upper() + value[1:3].lower()
    if normalized not in WEEKDAYS or len(value) != 3:
        raise CellError(f"expected a weekday ({', '.join(WEEKDAYS)}), got {value!r}")
    return normalized


def workdays(value: str) -> str:
    """`Mon-Sat` (a range) or a list `Mon;Wed;Fri`."""
    if "-" in value:
        parts = value.split("-")
        if len(parts) != 2:
            raise CellError(f"expected a weekday range like Mon-Sat or a list like Mon;Wed;Fri, got {value!r}")
        return f"{weekday(parts[0].strip())}-{weekday(parts[1].strip())}"
    days = [weekday(part.strip()) for part in value.split(";") if part.strip()]
    if not days:
        raise CellError(f"expected a weekday range like Mon-Sat or a list like Mon;Wed;Fri, got {value!r}")
    return ";".join(days)


def one_of(*allowed: str) -> Parser:
    """A value from a fixed set."""

    def parse(value: str) -> str:
        if value not in allowed:
            raise CellError(f"expected one of {', '.join(allowed)}, got {value!r}")
        return value

    parse.allowed = frozenset(allowed)  # type: ignore[attr-defined]  # lets the importer check a column at once
    return parse


def text_list(value: str) -> str:
    """A `;`-separated list, normalised (items stripped, empties dropped)."""
    return ";".join(item.strip() for item in value.split(";") if item.strip())


def handle_list(value: str) -> str:
    """Chat identities `platform:id;…`."""
    items = [item.strip() for item in value.split(";") if item.strip()]
    for item in items:
        if len(item) > MAX_HANDLE_CHARS:
            raise CellError(f"a handle is at most {MAX_HANDLE_CHARS} characters, got one of {len(item):,}")
        if not _HANDLE.match(item):
            raise CellError(f"expected handles like slack:U012AB3CD;telegram:123456789, got {item!r}")
    return ";".join(items)


def latitude(value: str) -> float:
    """Degrees north, -90..90."""
    number = decimal(value)
    if not -90 <= number <= 90:
        raise CellError(f"latitude must be between -90 and 90, got {value!r}")
    return number


def longitude(value: str) -> float:
    """Degrees east, -180..180."""
    number = decimal(value)
    if not -180 <= number <= 180:
        raise CellError(f"longitude must be between -180 and 180, got {value!r}")
    return number


@dataclass(frozen=True)
class Column:
    """One CSV column: its parser, whether a blank is allowed, and which table's key it must name."""

    name: str
    parse: Parser = text
    optional: bool = False  # True: a blank cell is None
    ref: str | None = None  # "file.column" whose keys the value must be among (for lists: each item)
    ref_is_list: bool = False


@dataclass(frozen=True)
class CsvTable:
    """One CSV file of the format and the model it fills."""

    file: str
    model: type[Base]
    columns: tuple[Column, ...]
    key: tuple[str, ...] = ()
    required: bool = True
    # Extra row-level checks: (row dict) -> (column, message) or None.
    row_checks: tuple[Callable[[dict[str, Any]], tuple[str, str] | None], ...] = field(default=())

    @property
    def column_names(self) -> list[str]:
        """The header names this file must have."""
        return [column.name for column in self.columns]

    @property
    def table_name(self) -> str:
        """The name an administrator uses for this file (`stock` for stock.csv, as in `--allow-empty stock`)."""
        return self.file.removesuffix(".csv")

    def max_chars(self, column: Column) -> int:
        """The longest cell `column` takes: what its database column holds."""
        column_type = self.model.__table__.c[column.name].type
        if isinstance(column_type, String) and column_type.length:
            if column.parse is text:
                return int(column_type.length)
            # A checked value (a region, a weekday) gets its own clearer error when it is a little long.
            return max(int(column_type.length), MAX_VALUE_CHARS)
        if isinstance(column_type, Text | String):
            return MAX_TEXT_CHARS
        return MAX_VALUE_CHARS


def _min_le_max(row: dict[str, Any]) -> tuple[str, str] | None:
    if row["lead_days_min"] > row["lead_days_max"]:
        return "lead_days_max", f"lead_days_max ({row['lead_days_max']}) is less than lead_days_min ({row['lead_days_min']})"
    if row["lead_days_min"] < 0:
        return "lead_days_min", "must be 0 or more"
    return None


def _window_order(row: dict[str, Any]) -> tuple[str, str] | None:
    if row["window_start"] and row["window_end"] and row["window_end"] < row["window_start"]:
        return "window_end", "window_end is before window_start"
    return None


def _promo_dates(row: dict[str, Any]) -> tuple[str, str] | None:
    if row["end"] < row["start"]:
        return "end", f"end ({row['end']}) is before start ({row['start']})"
    return None


def _shift_order(row: dict[str, Any]) -> tuple[str, str] | None:
    if row["shift_end"] <= row["shift_start"]:
        return "shift_end", f"shift_end ({row['shift_end']}) is not after shift_start ({row['shift_start']})"
    return None


def _district(row: dict[str, Any]) -> tuple[str, str] | None:
    if row["district"] not in HK_DISTRICTS:
        return "district", f"not one of Hong Kong's 18 districts: {row['district']!r}"
    return None


TABLES: tuple[CsvTable, ...] = (
    CsvTable("shipping_rates.csv", ShippingRate, (
        Column("zone"), Column("base_fee", non_negative_decimal), Column("per_kg", non_negative_decimal),
        Column("free_over", non_negative_decimal, optional=True), Column("consolidated_day", weekday, optional=True),
        Column("consolidated_discount_pct", non_negative_decimal, optional=True),
    ), key=("zone",)),
    CsvTable("areas.csv", Area, (
        Column("code"), Column("name_en"), Column("name_zh"), Column("district"),
        Column("region", one_of(*REGIONS)), Column("zone", ref="shipping_rates.csv.zone"),
        Column("lat", latitude), Column("lon", longitude), Column("aliases", text_list, optional=True),
    ), key=("code",), row_checks=(_district,)),
    CsvTable("locations.csv", Location, (
        Column("code"), Column("name_en"), Column("name_zh"), Column("area", optional=True, ref="areas.csv.code"),
        Column("kind", one_of("warehouse", "transit", "store", "crossborder")),
        Column("lead_days_min", integer), Column("lead_days_max", integer), Column("cutoff", clock_time),
    ), key=("code",), row_checks=(_min_le_max,)),
    CsvTable("products.csv", Product, (
        Column("sku"), Column("name_en"), Column("name_zh"), Column("category"),
        Column("unit_price", non_negative_decimal), Column("unit_cost", non_negative_decimal),
        Column("weight_kg", non_negative_decimal), Column("volume_l", non_negative_decimal),
        Column("substitutes", text_list, optional=True, ref="products.csv.sku", ref_is_list=True),
        Column("aliases", text_list, optional=True),
    ), key=("sku",)),
    CsvTable("stock.csv", Stock, (
        Column("sku", ref="products.csv.sku"), Column("location", ref="locations.csv.code"),
        Column("on_hand", non_negative_integer), Column("reserved", non_negative_integer),
        Column("updated_at", iso_datetime),
    ), key=("sku", "location")),
    CsvTable("staff.csv", Staff, (
        Column("staff_id"), Column("name"), Column("role", one_of("sales", "logistics", "manager", "finance", "admin")),
        Column("handles", handle_list, optional=True), Column("region", one_of(*REGIONS), optional=True),
    ), key=("staff_id",), required=False),
    CsvTable("customers.csv", Customer, (
        Column("customer_id"), Column("name"), Column("area", optional=True, ref="areas.csv.code"),
        Column("tier", one_of("A", "B", "C"), optional=True),
        Column("salesperson", optional=True, ref="staff.csv.staff_id"),
    ), key=("customer_id",), required=False),
    CsvTable("vehicles.csv", Vehicle, (
        Column("vehicle_id"), Column("plate"), Column("driver"), Column("driver_zh"),
        Column("depot", ref="locations.csv.code"), Column("capacity_kg", non_negative_decimal),
        Column("capacity_l", non_negative_decimal), Column("shift_start", clock_time), Column("shift_end", clock_time),
        Column("workdays", workdays),
    ), key=("vehicle_id",), row_checks=(_shift_order,)),
    CsvTable("orders.csv", OrderLine, (
        Column("order_id"), Column("line", positive_integer), Column("created_at", iso_datetime),
        Column("customer_id", optional=True, ref="customers.csv.customer_id"),
        Column("sku", ref="products.csv.sku"), Column("qty", positive_integer), Column("area", ref="areas.csv.code"),
        Column("window_start", iso_datetime, optional=True), Column("window_end", iso_datetime, optional=True),
        Column("status", one_of("new", "allocated", "picked", "out_for_delivery", "delivered", "cancelled")),
        Column("location", optional=True, ref="locations.csv.code"),
        Column("vehicle", optional=True, ref="vehicles.csv.vehicle_id"),
        Column("eta", iso_datetime, optional=True), Column("promised_by", iso_datetime, optional=True),
    ), key=("order_id", "line"), row_checks=(_window_order,)),
    CsvTable("sales.csv", Sale, (
        Column("date", iso_date), Column("sku", ref="products.csv.sku"), Column("area", ref="areas.csv.code"),
        Column("qty", integer), Column("revenue", decimal),
        Column("channel", one_of("online", "store", "b2b", "phone")),
    )),
    CsvTable("suppliers.csv", Supplier, (
        Column("supplier_id"), Column("name"), Column("sku", ref="products.csv.sku"),
        Column("lead_days", non_negative_integer), Column("moq", positive_integer),
        Column("unit_cost", non_negative_decimal), Column("deliver_to", ref="locations.csv.code"),
    ), key=("supplier_id", "sku"), required=False),
    CsvTable("promotions.csv", Promotion, (
        Column("promo_id"), Column("name"), Column("sku", ref="products.csv.sku"),
        Column("region", one_of(*REGIONS, "ALL")), Column("start", iso_date), Column("end", iso_date),
        Column("discount_pct", non_negative_decimal),
    ), key=("promo_id", "sku", "region"), required=False, row_checks=(_promo_dates,)),
)
