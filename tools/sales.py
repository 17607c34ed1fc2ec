"""`sales_summary`: units, revenue, margin or delivery charges by period and group, against the period before.

Runs on the DuckDB copy of the data (core/analytics.py), so it answers in milliseconds even on a
million sales rows. Margins need a role that may see cost; other roles get the rest and a polite note.
"""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, Field

from core.analytics import Analytics
from tools.catalog import (
    AreaRef,
    ProductRef,
    area_ref,
    normalise,
    product_ref,
    reference_for,
    resolve_area,
    resolve_product,
)
from tools.forecasting.periods import (
    Period,
    clip_period,
    dated_period,
    explicit_period,
    previous_period,
    resolve_period,
)
from tools.forecasting.regions import REGION_NAMES, resolve_region
from tools.registry import STAFF_ROLES, ToolContext, ToolInputError, ToolResult, tool

GroupBy = Literal["region", "area", "product", "category", "channel", "zone"]
Measure = Literal["revenue", "units", "margin", "delivery_charges"]
Channel = Literal["online", "store", "b2b", "phone"]

_GROUP_SQL = {"region": "s.region", "area": "s.area", "product": "s.sku", "category": "s.category",
              "channel": "s.channel", "zone": "s.zone"}
_CHANNEL_ZH = {"online": "網上", "store": "門市", "b2b": "批發 (b2b)", "phone": "電話"}


class SalesSummaryInput(BaseModel):
    """Which period, grouped how, which measure, and optional filters."""

    period: str | None = Field(None, description="this_week, last_week, this_month, last_month, a month like "
                                                 "2026-05 or May 2026, last_N_days; default last_week")
    start: date | None = Field(None, description="first day, when the caller resolved the period to dates")
    end: date | None = Field(None, description="last day (included)")
    group_by: GroupBy = Field("region", description="region, area, product, category, channel or zone")
    measure: Measure = Field("revenue", description="revenue, units, margin (cost roles only) or "
                                                    "delivery_charges (by zone, region or area)")
    region: str | None = Field(None, description="only this region")
    area: str | None = Field(None, description="only this delivery area")
    product: str | None = Field(None, description="only this product (SKU, name or alias)")
    category: str | None = Field(None, description="only this category")
    channel: Channel | None = Field(None, description="only this sales channel: online, store, b2b or phone")
    limit: int = Field(8, ge=1, le=50, description="rows to show")
    chart: bool = Field(False, description="also draw a bar chart against the previous period")


class SalesRow(BaseModel):
    """One group's figures in the period and the period before; margin only for cost roles."""

    key: str
    name_en: str
    name_zh: str
    units: int = 0
    revenue: float = 0.0
    margin: float | None = None
    delivery_charges: float | None = None
    deliveries: int | None = None
    previous_units: int = 0
    previous_revenue: float = 0.0
    previous_margin: float | None = None
    previous_delivery_charges: float | None = None
    value: float = 0.0
    previous_value: float = 0.0
    change_pct: float | None = None
    share_pct: float | None = None


class SalesFilters(BaseModel):
    """The filters the figures are for (None: all)."""

    region: str | None = Field(None, description="region code: HKI, KLN, NT or ISL")
    area: AreaRef | None = None
    product: ProductRef | None = None
    category: str | None = None
    channel: Channel | None = None

    @property
    def any(self) -> bool:
        """True when at least one filter is set."""
        return any((self.region, self.area, self.product, self.category, self.channel))


class SalesSummaryResult(ToolResult):
    """A small table: the top groups by the measure, the total, both against the previous period."""

    period: Period
    previous: Period
    group_by: GroupBy
    measure: Measure
    rows: list[SalesRow]
    total: SalesRow
    groups_total: int
    filters: SalesFilters = Field(default_factory=SalesFilters)
    margin_refused: bool = False
    role: str = "guest"
    sales_until: date | None = None
    chart_path: str | None = None


@tool("sales_summary", input_model=SalesSummaryInput, roles=STAFF_ROLES)
def sales_summary(ctx: ToolContext, args: SalesSummaryInput) -> SalesSummaryResult:
    """Summarise sales (revenue, units, margin) or delivery charges for a period such as last month, this
    week or May 2026, grouped by region, area, product, category, channel or shipping zone (optionally only one
    region, area, product, category or channel: online, store, b2b, phone), always against
    the previous period (last week vs the week before), with each group's change and share. Margins are
    shown only to managers, finance and admins."""
    analytics = Analytics.for_database(ctx.db)
    measure = args.measure
    margin_refused = measure == "margin" and not ctx.can_see_cost
    if margin_refused:
        measure = "revenue"
    group_by = args.group_by
    if measure == "delivery_charges" and group_by not in ("zone", "region", "area"):
        group_by = "zone"
    sales_until = analytics.sales_until
    period = _period(args, ctx.today, sales_until)
    previous = previous_period(period)
    # Orders carry no channel: delivery charges are for every channel.
    filters, params, applied = _filters(ctx, args, with_channel=measure != "delivery_charges")
    if measure == "delivery_charges":
        rows = _delivery_rows(analytics, group_by, period, previous, filters, params)
    else:
        rows = _sales_rows(analytics, group_by, period, previous, filters, params, ctx.can_see_cost)
    _label(ctx, rows, group_by)
    for row in rows:
        row.value, row.previous_value = _measure_values(row, measure)
        row.change_pct = _change(row.value, row.previous_value)
    rows.sort(key=lambda r: (-r.value, r.key))
    total = _total(rows, measure)
    for row in rows:
        row.share_pct = round(row.value / total.value * 100, 1) if total.value else None
    result = SalesSummaryResult(
        data_as_of=analytics.data_as_of, period=period, previous=previous, group_by=group_by,
        measure=measure, rows=rows[: args.limit], total=total, groups_total=len(rows), filters=applied,
        margin_refused=margin_refused, role=ctx.role.value, sales_until=sales_until)
    if args.chart and result.rows:
        from tools.charts import comparison_chart

        shown = result.rows
        result.chart_path = str(comparison_chart(
            ctx.settings, f"{measure.replace('_', ' ')} by {group_by}: {period.start} to {period.end}",
            [r.name_en[:18] for r in shown], [r.value for r in shown], [r.previous_value for r in shown],
            f"{period.start}..{period.end}", f"{previous.start}..{previous.end}"))
    return result


def _period(args: SalesSummaryInput, today: date, sales_until: date | None) -> Period:
    if args.start is not None:
        if args.end is not None and args.end < args.start:
            explicit_period(args.start, args.end)  # raises the typed error
        period = dated_period(args.start, args.end or args.start, today)
    else:
        period = resolve_period(args.period or "last_week", today, to_date=True)
    if sales_until is not None and period.start <= sales_until < period.end and period.end >= today:
        # A period running to date stops at the last day with sales, so both sides have the same days.
        period = clip_period(period, sales_until)
    return period


def _filters(ctx: ToolContext, args: SalesSummaryInput, *, with_channel: bool = True
             ) -> tuple[str, list, SalesFilters]:
    reference = reference_for(ctx)
    clauses: list[str] = []
    params: list = []
    applied = SalesFilters()
    if args.region:
        applied.region = resolve_region(args.region)
        clauses.append("s.region = ?")
        params.append(applied.region)
    if args.area:
        area = resolve_area(reference, args.area, ctx.settings.understanding.fuzzy_product_cutoff)
        applied.area = area_ref(area)
        clauses.append("s.area = ?")
        params.append(area.code)
    if args.product:
        product = resolve_product(reference, args.product, ctx.settings.understanding.fuzzy_product_cutoff)
        applied.product = product_ref(product, ctx)
        clauses.append("s.sku = ?")
        params.append(product.sku)
    if args.category:
        categories = {normalise(p.category): p.category for p in reference.products.values()}
        category = categories.get(normalise(args.category))
        if category is None:
            known = sorted(categories.values())
            raise ToolInputError(f"No category '{args.category}'. Categories: {', '.join(known)}.",
                                 f"冇「{args.category}」呢個類別。類別有:{'、'.join(known)}。",
                                 code="unknown_category", suggestions=sorted(categories.values()),
                                 field_name="category")
        applied.category = category
        clauses.append("s.category = ?")
        params.append(category)
    if args.channel and with_channel:
        applied.channel = args.channel
        clauses.append("s.channel = ?")
        params.append(args.channel)
    return "".join(f" AND {c}" for c in clauses), params, applied


def _sales_rows(analytics: Analytics, group_by: GroupBy, period: Period, previous: Period, filters: str,
                params: list, with_margin: bool) -> list[SalesRow]:
    key = _GROUP_SQL[group_by]
    sql = f"""
        SELECT {key} AS key,
          sum(CASE WHEN s.date >= ? AND s.date <= ? THEN s.qty ELSE 0 END),
          sum(CASE WHEN s.date >= ? AND s.date <= ? THEN s.revenue ELSE 0 END),
          sum(CASE WHEN s.date >= ? AND s.date <= ? THEN s.revenue - s.cost ELSE 0 END),
          sum(CASE WHEN s.date >= ? AND s.date <= ? THEN s.qty ELSE 0 END),
          sum(CASE WHEN s.date >= ? AND s.date <= ? THEN s.revenue ELSE 0 END),
          sum(CASE WHEN s.date >= ? AND s.date <= ? THEN s.revenue - s.cost ELSE 0 END)
        FROM sales_wide s
        WHERE s.date >= ? AND s.date <= ? {filters}
        GROUP BY 1"""
    current, before = [period.start, period.end], [previous.start, previous.end]
    bind = current * 3 + before * 3 + [min(period.start, previous.start), max(period.end, previous.end)] + params
    rows = []
    for key_value, units, revenue, margin, prev_units, prev_revenue, prev_margin in analytics.query(sql, bind):
        rows.append(SalesRow(key=str(key_value), name_en=str(key_value), name_zh=str(key_value), units=int(units or 0),
                             revenue=round(revenue or 0.0, 2), previous_units=int(prev_units or 0),
                             previous_revenue=round(prev_revenue or 0.0, 2),
                             margin=round(margin or 0.0, 2) if with_margin else None,
                             previous_margin=round(prev_margin or 0.0, 2) if with_margin else None))
    return rows


def _delivery_rows(analytics: Analytics, group_by: GroupBy, period: Period, previous: Period, filters: str,
                   params: list) -> list[SalesRow]:
    """Delivery charges of the orders created in each period: base fee + per kg x weight, rounded to the
    dollar, nothing when the order's value reaches the zone's free-delivery threshold."""
    key = {"zone": "a.zone", "region": "a.region", "area": "o.area"}[group_by]
    order_filters = (filters.replace("s.sku", "o.sku").replace("s.area", "o.area").replace("s.region", "a.region")
                     .replace("s.category", "p.category"))
    sql = f"""
        WITH lines AS (
          SELECT o.order_id, {key} AS key, CAST(o.created_at AS DATE) AS day, o.qty * p.weight_kg AS kg,
                 o.qty * p.unit_price AS value, a.zone
          FROM orders o JOIN products p ON p.sku = o.sku JOIN areas a ON a.code = o.area
          WHERE o.status <> 'cancelled' AND CAST(o.created_at AS DATE) >= ? AND CAST(o.created_at AS DATE) <= ?
          {order_filters}
        ), deliveries AS (
          SELECT order_id, any_value(key) AS key, any_value(day) AS day, any_value(zone) AS zone,
                 sum(kg) AS kg, sum(value) AS value
          FROM lines GROUP BY order_id
        ), charged AS (
          SELECT d.key, d.day, CASE WHEN r.free_over IS NOT NULL AND d.value >= r.free_over THEN 0
                                    ELSE round(r.base_fee + r.per_kg * d.kg) END AS charge
          FROM deliveries d JOIN shipping_rates r ON r.zone = d.zone
        )
        SELECT key,
          sum(CASE WHEN day >= ? AND day <= ? THEN charge ELSE 0 END),
          count(CASE WHEN day >= ? AND day <= ? THEN 1 END),
          sum(CASE WHEN day >= ? AND day <= ? THEN charge ELSE 0 END)
        FROM charged GROUP BY 1"""
    bind = [min(period.start, previous.start), max(period.end, previous.end)] + params + \
        [period.start, period.end, period.start, period.end, previous.start, previous.end]
    return [SalesRow(key=str(k), name_en=str(k), name_zh=str(k), delivery_charges=float(charges or 0),
                     deliveries=int(count or 0), previous_delivery_charges=float(prev or 0))
            for k, charges, count, prev in analytics.query(sql, bind)]


def _label(ctx: ToolContext, rows: list[SalesRow], group_by: GroupBy) -> None:
    reference = reference_for(ctx)
    for row in rows:
        if group_by == "region" and row.key in REGION_NAMES:
            row.name_en, row.name_zh = REGION_NAMES[row.key]
        elif group_by == "area" and row.key in reference.areas:
            area = reference.areas[row.key]
            row.name_en, row.name_zh = area.name_en, area.name_zh
        elif group_by == "product" and row.key in reference.products:
            product = reference.products[row.key]
            row.name_en, row.name_zh = f"{product.name_en} ({product.sku})", product.name_zh
        elif group_by == "channel":
            row.name_zh = _CHANNEL_ZH.get(row.key, row.key)


def _measure_values(row: SalesRow, measure: Measure) -> tuple[float, float]:
    if measure == "units":
        return float(row.units), float(row.previous_units)
    if measure == "margin":
        return row.margin or 0.0, row.previous_margin or 0.0
    if measure == "delivery_charges":
        return row.delivery_charges or 0.0, row.previous_delivery_charges or 0.0
    return row.revenue, row.previous_revenue


def _change(value: float, previous: float) -> float | None:
    return round((value - previous) / previous * 100, 1) if previous else None


def _total(rows: list[SalesRow], measure: Measure) -> SalesRow:
    def add(name: str) -> float | None:
        values = [getattr(r, name) for r in rows]
        return None if values and all(v is None for v in values) else round(sum(v or 0 for v in values), 2)

    total = SalesRow(key="total", name_en="Total", name_zh="合共",
                     units=sum(r.units for r in rows), revenue=add("revenue") or 0.0, margin=add("margin"),
                     delivery_charges=add("delivery_charges"), previous_units=sum(r.previous_units for r in rows),
                     previous_revenue=add("previous_revenue") or 0.0, previous_margin=add("previous_margin"),
                     previous_delivery_charges=add("previous_delivery_charges"),
                     deliveries=sum(r.deliveries or 0 for r in rows) if measure == "delivery_charges" else None)
    total.value, total.previous_value = _measure_values(total, measure)
    total.change_pct = _change(total.value, total.previous_value)
    return total

