"""Reference data the operational tools share: areas, locations, products and shipping rates.

The reference tables are small and change only on `silobridge load`, so they are read once per
database and data version, in the database's one cache (`Database.cached`). Lookups
resolve what staff type (an SKU, a name, an alias, a slightly wrong spelling) to one record, or
raise a `ToolInputError` that lists the closest matches.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, TypeVar

from pydantic import BaseModel
from rapidfuzz import fuzz, process
from sqlalchemy import Connection, Executable, func, select

from core.db import Database
from core.models import Area, ImportRun, Location, Product, ShippingRate, split_list
from tools.registry import ToolContext, ToolInputError

_Args = TypeVar("_Args")
_Result = TypeVar("_Result")
_SKU_SHAPE = re.compile(r"^[A-Za-z0-9]+(?:-[A-Za-z0-9]+)+$")
# A fuzzy match is taken only when it beats the runner-up (another record) by this many points.
_FUZZY_MARGIN = 4.0


@dataclass(frozen=True)
class AreaInfo:
    """A delivery area as the tools need it."""

    code: str
    name_en: str
    name_zh: str
    district: str
    region: str
    zone: str
    lat: float
    lon: float
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class LocationInfo:
    """A stock location; `is_local` when goods can leave it the same day (no lead days)."""

    code: str
    name_en: str
    name_zh: str
    area: str | None
    kind: str
    lead_days_min: int
    lead_days_max: int
    cutoff: str
    # True for a Hong Kong location with no lead days (goods can go out the same day).
    is_local: bool = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "is_local", self.lead_days_max == 0)


@dataclass(frozen=True)
class ProductInfo:
    """A product as the tools need it (unit cost is kept here but only shown to cost roles)."""

    sku: str
    name_en: str
    name_zh: str
    category: str
    unit_price: float
    unit_cost: float
    weight_kg: float
    volume_l: float
    substitutes: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class RateInfo:
    """The delivery charges of a shipping zone."""

    zone: str
    base_fee: float
    per_kg: float
    free_over: float | None
    consolidated_day: str | None
    consolidated_discount_pct: float | None


@dataclass
class Reference:
    """All reference tables of one data version, with the lookup indexes built once."""

    version: int
    loaded_at: datetime | None
    areas: dict[str, AreaInfo]
    locations: dict[str, LocationInfo]
    products: dict[str, ProductInfo]
    rates: dict[str, RateInfo]
    product_keys: dict[str, str] = field(default_factory=dict)
    area_keys: dict[str, str] = field(default_factory=dict)
    product_choices: list[tuple[str, str]] = field(default_factory=list)  # (text, sku)
    area_choices: list[tuple[str, str]] = field(default_factory=list)  # (text, code)

    def __post_init__(self) -> None:
        for product in self.products.values():
            for text in (product.sku, product.name_en, product.name_zh, *product.aliases):
                self.product_keys.setdefault(normalise(text), product.sku)
                self.product_choices.append((text, product.sku))
        for area in self.areas.values():
            for text in (area.code, area.name_en, area.name_zh, *area.aliases):
                self.area_keys.setdefault(normalise(text), area.code)
                self.area_choices.append((text, area.code))


# --- typed references carried in tool results ------------------------------------------------------


class ProductRef(BaseModel):
    """A product named in a result; `unit_cost` is filled only for roles that may see cost."""

    sku: str
    name_en: str
    name_zh: str
    unit_price: float
    weight_kg: float
    unit_cost: float | None = None


class AreaRef(BaseModel):
    """A delivery area named in a result."""

    code: str
    name_en: str
    name_zh: str
    region: str
    zone: str


class LocationRef(BaseModel):
    """A stock location named in a result."""

    code: str
    name_en: str
    name_zh: str
    kind: str
    lead_days_min: int
    lead_days_max: int
    cutoff: str


def product_ref(product: ProductInfo, ctx: ToolContext) -> ProductRef:
    """The product for a result, with unit cost only when the asking role may see it."""
    return _product_ref(product, ctx.can_see_cost)


@functools.lru_cache(maxsize=4096)
def _product_ref(product: ProductInfo, with_cost: bool) -> ProductRef:
    return ProductRef(sku=product.sku, name_en=product.name_en, name_zh=product.name_zh,
                      unit_price=product.unit_price, weight_kg=product.weight_kg,
                      unit_cost=product.unit_cost if with_cost else None)


@functools.lru_cache(maxsize=4096)
def area_ref(area: AreaInfo) -> AreaRef:
    """The area for a result."""
    return AreaRef(code=area.code, name_en=area.name_en, name_zh=area.name_zh, region=area.region, zone=area.zone)


@functools.lru_cache(maxsize=1024)
def location_ref(location: LocationInfo) -> LocationRef:
    """The location for a result."""
    return LocationRef(code=location.code, name_en=location.name_en, name_zh=location.name_zh, kind=location.kind,
                       lead_days_min=location.lead_days_min, lead_days_max=location.lead_days_max,
                       cutoff=location.cutoff)


# --- the request's connection and reference tables ---------------------------------------------------


@contextmanager
def request_connection(ctx: ToolContext) -> Iterator[Connection]:
    """One database connection for the whole tool call (saves a pool checkout per query)."""
    if ctx.connection is not None:
        yield ctx.connection
        return
    with ctx.db.engine.connect() as connection:
        ctx.connection = connection
        try:
            yield connection
        finally:
            ctx.connection = None


def one_connection(func: Callable[[ToolContext, _Args], _Result]) -> Callable[[ToolContext, _Args], _Result]:
    """Run a tool function with one database connection for all its queries."""

    @functools.wraps(func)
    def run(ctx: ToolContext, args: _Args) -> _Result:
        with request_connection(ctx):
            return func(ctx, args)

    return run


def fetch_rows(ctx: ToolContext, statement: Executable,
               params: dict[str, Any] | None = None) -> Sequence[Any]:  # rows of any statement: tuples to unpack
    """Rows of a read-only statement (best built once, with bound parameters), on the request's connection."""
    if ctx.connection is not None:
        return ctx.connection.execute(statement, params or {}).all()
    with ctx.db.engine.connect() as connection:
        return connection.execute(statement, params or {}).all()


_VERSION_QUERY = select(func.max(ImportRun.id))
REFERENCE_CACHE = "reference"


def load_reference(db: Database, version: int | None = None, connection: Connection | None = None) -> Reference:
    """The reference tables of `db`, read again only when the data version changed (`Database.cached`)."""
    if version is None and connection is not None:
        version = connection.execute(_VERSION_QUERY).scalar() or 0
    return db.cached(REFERENCE_CACHE, lambda current: _read_reference(db, current), version=version)


def _read_reference(db: Database, version: int) -> Reference:
    """Every reference table of `db` as it is now, labelled with `version`."""
    with db.sessions() as session:
        areas = {a.code: AreaInfo(a.code, a.name_en, a.name_zh, a.district, a.region, a.zone, float(a.lat),
                                  float(a.lon), tuple(split_list(a.aliases)))
                 for a in session.scalars(select(Area))}
        locations = {loc.code: LocationInfo(loc.code, loc.name_en, loc.name_zh, loc.area, loc.kind,
                                            int(loc.lead_days_min), int(loc.lead_days_max), loc.cutoff)
                     for loc in session.scalars(select(Location))}
        products = {p.sku: ProductInfo(p.sku, p.name_en, p.name_zh, p.category, float(p.unit_price),
                                       float(p.unit_cost), float(p.weight_kg), float(p.volume_l),
                                       tuple(split_list(p.substitutes)), tuple(split_list(p.aliases)))
                    for p in session.scalars(select(Product))}
        rates = {r.zone: RateInfo(r.zone, float(r.base_fee), float(r.per_kg),
                                  None if r.free_over is None else float(r.free_over),
                                  r.consolidated_day or None, r.consolidated_discount_pct)
                 for r in session.scalars(select(ShippingRate))}
        loaded_at = session.scalar(select(ImportRun.loaded_at).where(ImportRun.id == version)) if version else None
    return Reference(version=version, loaded_at=loaded_at, areas=areas, locations=locations, products=products,
                     rates=rates)


def clear_reference_cache(db: Database) -> None:
    """Forget the cached reference tables of `db` and everything built on them (for code that edits tables
    without an import)."""
    db.forget_cached()


def reference_for(ctx: ToolContext) -> Reference:
    """The reference tables for this request (the data version is checked once per request)."""
    if ctx.reference is None:
        ctx.reference = load_reference(ctx.db, connection=ctx.connection)
    return ctx.reference


# --- resolving what staff type -----------------------------------------------------------------------


def normalise(text: str) -> str:
    """Lower-case, half-width, without spaces: how names and aliases are compared."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text)).casefold()


def _closest(choices: list[tuple[str, str]], query: str, limit: int) -> list[tuple[str, float]]:
    """Distinct record keys ranked by their best fuzzy score against the query."""
    texts = [text for text, _ in choices]
    ranked = process.extract(query, texts, scorer=fuzz.WRatio, processor=normalise, limit=limit * 6)
    best: dict[str, float] = {}
    for _text, score, index in ranked:
        key = choices[index][1]
        if score > best.get(key, -1.0):
            best[key] = score
    return sorted(best.items(), key=lambda item: -item[1])[:limit]


def resolve_product(reference: Reference, text: str, fuzzy_cutoff: float = 80.0) -> ProductInfo:
    """The product named by an SKU, a name or an alias; close spellings are accepted for names only.

    An SKU-shaped text must match exactly (a wrong SKU is never swapped for a similar one).
    """
    query = (text or "").strip()
    if not query:
        raise ToolInputError("Which product? Give an SKU, a name or an alias.", "邊件貨?唔該講低 SKU、名或者別名。",
                             code="missing_product", field_name="product")
    sku = reference.product_keys.get(normalise(query))
    if sku is not None:
        return reference.products[sku]
    ranked = _closest(reference.product_choices, query, limit=3)
    if ranked and not _SKU_SHAPE.match(query):
        best_sku, best_score = ranked[0]
        runner_up = ranked[1][1] if len(ranked) > 1 else 0.0
        if best_score >= fuzzy_cutoff and best_score - runner_up >= _FUZZY_MARGIN:
            return reference.products[best_sku]
    skus = [sku for sku, _ in ranked]
    hint_en, hint_zh = _hints(skus, [reference.products[s].name_en for s in skus],
                              [reference.products[s].name_zh for s in skus])
    raise ToolInputError(f"No product matches '{query}'.{hint_en}", f"搵唔到產品「{query}」。{hint_zh}",
                         code="unknown_product", suggestions=[sku for sku, _ in ranked], field_name="product")


def resolve_area(reference: Reference, text: str, fuzzy_cutoff: float = 80.0) -> AreaInfo:
    """The delivery area named by its code, name or an alias (close spellings of names accepted)."""
    query = (text or "").strip()
    if not query:
        raise ToolInputError("Which delivery area?", "送去邊區?", code="missing_area", field_name="area")
    code = reference.area_keys.get(normalise(query))
    if code is not None:
        return reference.areas[code]
    ranked = _closest(reference.area_choices, query, limit=3)
    if ranked:
        best_code, best_score = ranked[0]
        runner_up = ranked[1][1] if len(ranked) > 1 else 0.0
        if best_score >= fuzzy_cutoff and best_score - runner_up >= _FUZZY_MARGIN and len(normalise(query)) > 2:
            return reference.areas[best_code]
    codes = [code for code, _ in ranked]
    hint_en, hint_zh = _hints(codes, [reference.areas[c].name_en for c in codes],
                              [reference.areas[c].name_zh for c in codes])
    raise ToolInputError(f"No delivery area matches '{query}'.{hint_en}", f"搵唔到送貨地區「{query}」。{hint_zh}",
                         code="unknown_area", suggestions=[c for c, _ in ranked], field_name="area")


def resolve_location(reference: Reference, text: str) -> LocationInfo:
    """A stock location by its code or its English or Chinese name (case and spacing ignored)."""
    query = normalise(text or "")
    for location in reference.locations.values():
        if query in {normalise(location.code), normalise(location.name_en), normalise(location.name_zh)}:
            return location
    codes = sorted(reference.locations)
    names_en = [reference.locations[c].name_en for c in codes]
    names_zh = [reference.locations[c].name_zh for c in codes]
    raise ToolInputError(f"No stock location matches '{text}'. Locations: {', '.join(names_en)}.",
                         f"搵唔到倉「{text}」。有嘅倉:{'、'.join(names_zh)}。", code="unknown_location",
                         suggestions=codes, field_name="location")


def _hints(keys: list[str], names_en: list[str], names_zh: list[str]) -> tuple[str, str]:
    """"Did you mean" sentences; the keys are joined exactly as the bot's error renderer joins suggestions."""
    if not keys:
        return "", ""
    return (f" Did you mean: {', '.join(keys)}? ({'; '.join(names_en)})",
            f"你係咪指:{'、'.join(keys)}?({'、'.join(names_zh)})")
