"""`demand_forecast`: forecast units of a product or category in a region or area, from the store.

The forecasts are fitted after each import (`silobridge load`, or a server's background refit;
tools/forecasting/refresh.py) and read from the store, so it answers in milliseconds; a series that is
missing or stale because that refit has not happened yet is fitted inside the question and stored. An area gets its region's forecast times the
area's share of the region's recent sales. Days of the period that are already past are actual sales.
"""

from __future__ import annotations

import math
from collections import defaultdict
from datetime import date, timedelta
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field

from tools.calendar import calendar_for
from tools.catalog import (
    AreaRef,
    ProductInfo,
    ProductRef,
    area_ref,
    normalise,
    product_ref,
    reference_for,
    resolve_area,
    resolve_product,
)
from tools.forecasting.events import PromotionWindow
from tools.forecasting.periods import (
    Period,
    clip_period,
    dated_period,
    explicit_period,
    previous_period,
    resolve_period,
)
from tools.forecasting.refresh import ensure_fresh
from tools.forecasting.regions import region_name, resolve_region
from tools.forecasting.series import load_promotions
from tools.forecasting.store import (
    Z80,
    StoredSeries,
    actual_units,
    area_share,
    load_series,
)
from tools.registry import STAFF_ROLES, ToolContext, ToolInputError, ToolResult, tool


class DemandForecastInput(BaseModel):
    """What to forecast: a product or a category, where, and for which period."""

    product: str | None = Field(None, description="SKU, product name or alias, e.g. WB-BL-500 or 藍色水樽")
    category: str | None = Field(None, description="a product category instead of one product, e.g. drinkware")
    region: str | None = Field(None, description="HKI, KLN, NT or ISL (or its name); all regions when empty")
    area: str | None = Field(None, description="a delivery area (code, name or alias); overrides region")
    period: str | None = Field(None, description="next_week (下星期, Monday to Sunday), next_2_weeks, next_month, "
                                                 "this_week, next_N_days; default next_week")
    start: date | None = Field(None, description="first day, when the caller resolved the period to dates")
    end: date | None = Field(None, description="last day (included)")
    chart: bool = Field(True, description="also draw a PNG chart of history and forecast")


class ForecastDay(BaseModel):
    """One day: forecast mean with its 80% interval, or the actual units for a day already past."""

    date: date
    units: float
    lower: float
    upper: float
    kind: Literal["forecast", "actual"]


class ForecastComparison(BaseModel):
    """The same measure for the period before, and the change."""

    basis: Literal["previous_period", "same_period_last_year"]
    start: date
    end: date
    units: int
    change_pct: float | None
    includes_forecast: bool


class ForecastDriver(BaseModel):
    """A holiday or promotion in the period, with its estimated effect in units where the model gives one."""

    kind: Literal["holiday", "promotion"]
    name_en: str
    name_zh: str
    start: date
    end: date
    region: str | None = None
    discount_pct: float | None = None
    effect_units: float | None = None


class SeriesNote(BaseModel):
    """Which model produced a series, and why."""

    sku: str
    region: str
    model: str
    reason: str
    reason_code: Literal["short_history", "intermittent", "other"]
    history_days: int


class DemandForecastResult(ToolResult):
    """Daily and period forecast with the 80% interval, the change against before, and the drivers."""

    products: list[ProductRef]
    category: str | None
    region: str | None
    area: AreaRef | None
    area_share: float | None
    period: Period
    days: list[ForecastDay]
    total: int
    total_lower: int
    total_upper: int
    interval_width: float
    comparison: ForecastComparison
    drivers: list[ForecastDriver]
    models: list[str]
    fallback_notes: list[SeriesNote]
    history_until: date
    forecast_until: date
    truncated: bool = False
    chart_path: str | None = None


@tool("demand_forecast", input_model=DemandForecastInput, roles=STAFF_ROLES)
def demand_forecast(ctx: ToolContext, args: DemandForecastInput) -> DemandForecastResult:
    """Forecast how many units of a product (or a whole category) will sell in a region or delivery area
    over a period such as next week (Monday to Sunday), the next two weeks or next month: per day and in
    total with an 80% interval, the change against the period before, the holidays and promotions that
    drive it, and which model made it. Reads the stored forecasts (fitting a missing or stale one first)."""
    reference = reference_for(ctx)
    products = _resolve_products(ctx, args)
    skus = [p.sku for p in products]
    area = resolve_area(reference, args.area, ctx.settings.understanding.fuzzy_product_cutoff) if args.area else None
    region = area.region if area else (resolve_region(args.region) if args.region else None)
    regions = [region] if region else None
    period = _resolve_forecast_period(args, ctx.today)
    ensure_fresh(ctx.settings, ctx.db, skus, regions, now=ctx.now)
    stored = [s for s in load_series(ctx.db, skus, regions) if s.points]
    if not stored:
        what = args.product or args.category or ""
        where_en = area.name_en if area else (region_name(region, "en") if region else "Hong Kong")
        where_zh = area.name_zh if area else (region_name(region, "zh-HK") if region else "全港")
        raise ToolInputError(f"{what} has no sales history in {where_en}, so there is nothing to forecast.",
                             f"{what} 喺{where_zh}冇銷售紀錄,冇嘢可以預測。", code="no_sales_history",
                             field_name="product")
    first_forecast_day = min(min(s.points) for s in stored if s.points)
    last_day = first_forecast_day - timedelta(days=1)
    forecast_until = max(max(s.points) for s in stored if s.points)
    if period.start > forecast_until:
        raise ToolInputError(
            f"Forecasts reach only to {forecast_until}; ask about a period before that.",
            f"預測只去到 {forecast_until.month}月{forecast_until.day}日,唔該問早啲嘅時段。",
            code="beyond_horizon", field_name="period")
    truncated = period.end > forecast_until
    if truncated:
        period = clip_period(period, forecast_until)
    share = area_share(ctx.db, skus, area.code, area.region, last_day, ctx.settings.forecast.recent_share_days) \
        if area else None
    scale = share if share is not None else 1.0
    place = {"areas": [area.code]} if area else {"regions": regions}
    days = _period_days(ctx, stored, skus, period, last_day, scale, place)
    total = sum(d.units for d in days)
    forecast_var = sum(((d.upper - d.lower) / (2 * Z80)) ** 2 for d in days if d.kind == "forecast")
    spread = Z80 * math.sqrt(forecast_var)
    comparison = _comparison(ctx, stored, skus, period, total, last_day, scale, place)
    drivers = _drivers(ctx, stored, skus, regions, period, scale)
    notes = [SeriesNote(sku=s.sku, region=s.region, model=s.model, reason=s.reason, reason_code=_reason_code(s),
                        history_days=s.history_days) for s in stored if s.model != "prophet"]
    result = DemandForecastResult(
        data_as_of=max(s.fitted_at for s in stored),
        products=[product_ref(p, ctx) for p in products],
        category=products[0].category if args.category else None,
        region=region, area=area_ref(area) if area else None,
        area_share=round(share, 3) if share is not None else None,
        period=period, days=days, total=round(total), total_lower=max(0, round(total - spread)),
        total_upper=round(total + spread), interval_width=ctx.settings.forecast.interval_width,
        comparison=comparison, drivers=drivers, models=sorted({s.model for s in stored}),
        fallback_notes=notes, history_until=last_day, forecast_until=forecast_until, truncated=truncated)
    if args.chart:
        result.chart_path = str(_chart(ctx, result, stored, skus, last_day, scale, place))
    return result


def _reason_code(series: StoredSeries) -> Literal["short_history", "intermittent", "other"]:
    if series.model in ("seasonal_naive", "historic_average"):
        return "short_history"
    if series.model == "croston_optimized":
        return "intermittent"
    return "other"


def _resolve_products(ctx: ToolContext, args: DemandForecastInput) -> list[ProductInfo]:
    reference = reference_for(ctx)
    if args.product:
        return [resolve_product(reference, args.product, ctx.settings.understanding.fuzzy_product_cutoff)]
    if args.category:
        wanted = normalise(args.category)
        matches = [p for p in reference.products.values() if normalise(p.category) == wanted]
        if not matches:
            categories = sorted({p.category for p in reference.products.values()})
            raise ToolInputError(f"No category '{args.category}'. Categories: {', '.join(categories)}.",
                                 f"冇「{args.category}」呢個類別。類別有:{'、'.join(categories)}。",
                                 code="unknown_category", suggestions=categories, field_name="category")
        return sorted(matches, key=lambda p: p.sku)
    raise ToolInputError("Which product or category should I forecast?", "想預測邊件貨定邊個類別?",
                         code="missing_product", field_name="product")


def _resolve_forecast_period(args: DemandForecastInput, today: date) -> Period:
    if args.start is not None:
        if args.end is not None and args.end < args.start:
            return explicit_period(args.start, args.end)  # raises the typed error
        return dated_period(args.start, args.end or args.start, today)
    return resolve_period(args.period or "next_week", today)


def _period_days(ctx: ToolContext, stored: list[StoredSeries], skus: list[str], period: Period, last_day: date,
                 scale: float, place: dict) -> list[ForecastDay]:
    """Per day: the summed forecast of the series (interval combined as independent errors), or actuals."""
    actual = actual_units(ctx.db, skus, period.start, min(period.end, last_day), **place) \
        if period.start <= last_day else {}
    days: list[ForecastDay] = []
    day = period.start
    while day <= period.end:
        if day <= last_day:
            units = actual.get(day, 0.0)
            days.append(ForecastDay(date=day, units=units, lower=units, upper=units, kind="actual"))
        else:
            mean = variance = 0.0
            for series in stored:
                point = series.points.get(day)
                if point is None:
                    continue
                mean += point[0]
                variance += ((point[2] - point[1]) / (2 * Z80)) ** 2
            spread = Z80 * math.sqrt(variance)
            days.append(ForecastDay(date=day, units=round(mean * scale, 1),
                                    lower=round(max(0.0, mean - spread) * scale, 1),
                                    upper=round((mean + spread) * scale, 1), kind="forecast"))
        day += timedelta(days=1)
    return days


def _comparison(ctx: ToolContext, stored: list[StoredSeries], skus: list[str], period: Period, total: float,
                last_day: date, scale: float, place: dict) -> ForecastComparison:
    """Month-long periods compare with the same dates last year when there is history; others with the
    period just before (partly forecast when it reaches past the last sales day)."""
    first_history = min((s.first_day or last_day) - timedelta(days=s.history_days) for s in stored)
    basis: Literal["previous_period", "same_period_last_year"] = "previous_period"
    if period.days >= 28:
        try:
            last_year = explicit_period(period.start.replace(year=period.start.year - 1),
                                        period.end.replace(year=period.end.year - 1))
        except ValueError:  # 29 February
            last_year = None
        if last_year is not None and last_year.start >= first_history:
            before, basis = last_year, "same_period_last_year"
        else:
            before = previous_period(period)
    else:
        before = previous_period(period)
    days = _period_days(ctx, stored, skus, before, last_day, scale, place)
    units = sum(d.units for d in days)
    change = round((total - units) / units * 100, 1) if units > 0 else None
    return ForecastComparison(basis=basis, start=before.start, end=before.end, units=round(units),
                              change_pct=change, includes_forecast=any(d.kind == "forecast" for d in days))


def _drivers(ctx: ToolContext, stored: list[StoredSeries], skus: list[str], regions: list[str] | None,
             period: Period, scale: float) -> list[ForecastDriver]:
    """Holidays and promotions in the period, with the model's estimated effect where it has one."""
    effects: dict[str, float] = defaultdict(float)
    for series in stored:
        for day_text, day_effects in series.effects.items():
            day = date.fromisoformat(day_text)
            if period.start <= day <= period.end:
                for kind, value in day_effects.items():
                    effects[f"{kind}:{day_text}"] += value * scale
    drivers: list[ForecastDriver] = []
    calendar = calendar_for(ctx.settings)
    years = range(period.start.year, period.end.year + 1)
    for year in years:
        english, chinese = calendar.holidays_of(year, "en"), calendar.holidays_of(year, "zh-HK")
        for day, name in sorted(english.items()):
            if period.start <= day <= period.end:
                effect = effects.get(f"holidays:{day.isoformat()}")
                drivers.append(ForecastDriver(kind="holiday", name_en=name, name_zh=chinese.get(day, name), start=day,
                                              end=day, effect_units=round(effect, 1) if effect else None))
    wanted = set(skus)
    promotions = [p for p in _promotions(ctx) if p.sku in wanted and p.start <= period.end
                  and p.end >= period.start and (not regions or p.region in regions or p.region == "ALL")]
    promo_total = sum(v for k, v in effects.items() if k.startswith("promo:"))
    seen: set[tuple[str, str]] = set()
    for promo in promotions:
        if (promo.promo_id, promo.region) in seen:  # one promotion row per SKU: name it once
            continue
        seen.add((promo.promo_id, promo.region))
        drivers.append(ForecastDriver(
            kind="promotion", name_en=promo.name, name_zh=promo.name, start=promo.start, end=promo.end,
            region=promo.region, discount_pct=promo.discount_pct,
            # The model learns one promotion effect per series; it is reported on the first promotion.
            effect_units=round(promo_total) if len(seen) == 1 and promo_total else None))
    return drivers


def _promotions(ctx: ToolContext) -> list[PromotionWindow]:
    """Every promotion, read once per data version (`Database.cached`)."""
    return ctx.db.cached("forecast.promotions",
                         lambda _version: sorted(load_promotions(ctx.db), key=lambda p: (p.start, p.promo_id, p.sku)),
                         version=reference_for(ctx).version)


def _chart(ctx: ToolContext, result: DemandForecastResult, stored: list[StoredSeries], skus: list[str],
           last_day: date, scale: float, place: dict) -> Path:
    from tools.charts import ChartBand, forecast_chart

    history_start = min(result.period.start, last_day) - timedelta(days=55)
    history = actual_units(ctx.db, skus, history_start, last_day, **place)
    day = history_start
    while day <= last_day:
        history.setdefault(day, 0.0)
        day += timedelta(days=1)
    # The forecast from the day after the history to the end of the period, so the lines join up.
    shown = explicit_period(last_day + timedelta(days=1), max(result.period.end, last_day + timedelta(days=1)))
    forecast = [(d.date, d.units, d.lower, d.upper)
                for d in _period_days(ctx, stored, skus, shown, last_day, scale, place) if d.kind == "forecast"]
    where = result.area.code if result.area else (result.region or "all regions")
    what = skus[0] if len(skus) == 1 else (result.category or f"{len(skus)} products")
    holidays = [ChartBand(start=d.start, end=d.end, label=d.name_en) for d in result.drivers if d.kind == "holiday"]
    promos = [ChartBand(start=d.start, end=d.end, label=d.name_en[:24]) for d in result.drivers
              if d.kind == "promotion"]
    title = f"{what} in {where}: forecast {result.period.start} to {result.period.end}"
    return forecast_chart(ctx.settings, title, history, forecast, holidays, promos)
