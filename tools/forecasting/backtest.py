"""Rolling-origin backtest: Prophet (with HK holidays and promotions) against AutoETS and seasonal naive.

For a sample of the busiest regular series, each model is fitted on the history up to an origin and
scored on the next `horizon` days: MASE (mean absolute error over the in-sample mean absolute error of
a weekly seasonal naive forecast) and the share of actuals inside the 80% interval. Regular origins
step back from the last day; holiday origins put Christmas, Lunar New Year or Easter inside the window.
`silobridge forecast backtest` prints the table; docs/forecasting.md records a run.
"""

from __future__ import annotations

import dataclasses
import multiprocessing
import time
from concurrent.futures import ProcessPoolExecutor
from datetime import date, timedelta
from typing import Literal

import numpy as np
from pydantic import BaseModel

from core.config import Settings
from core.db import Database
from tools.forecasting.batch import fit_options
from tools.forecasting.events import CHRISTMAS, LUNAR_NEW_YEAR, hk_holidays, holiday_events
from tools.forecasting.models import SEASON, ModelName, choose_model, fit_series, quiet_prophet
from tools.forecasting.series import DemandSeries, FitOptions, build_series

MODELS: tuple[ModelName, ...] = ("prophet", "auto_ets", "seasonal_naive")


class WindowScore(BaseModel):
    """One model on one series and window."""

    model: str
    sku: str
    region: str
    origin: date
    holiday_window: bool
    mase: float
    coverage: float
    fit_seconds: float


class ModelSummary(BaseModel):
    """One model over a kind of window: median and mean MASE, interval coverage, mean fit time."""

    model: str
    windows: Literal["regular", "holiday", "all"] = "regular"
    count: int
    mase_median: float
    mase_mean: float
    coverage: float
    fit_seconds: float


class BacktestReport(BaseModel):
    """All window scores and their summaries per model and kind of window."""

    horizon_days: int
    series: list[str]
    origins: list[date]
    holiday_origins: list[date]
    scores: list[WindowScore]
    summary: list[ModelSummary]
    seconds: float


def holiday_origins(first: date, last: date, horizon: int, settings: Settings) -> list[date]:
    """Origins whose next `horizon` days have Christmas, Lunar New Year or Easter in their middle
    (with at least a year of history before the origin)."""
    categories = tuple(settings.delivery.holiday_categories)
    events = holiday_events(first, last, categories=categories, country=settings.delivery.holiday_country)
    wanted = [e.day for e in events if e.name in (CHRISTMAS, LUNAR_NEW_YEAR)]
    calendar = hk_holidays(tuple(range(first.year, last.year + 1)), categories, settings.delivery.holiday_country)
    wanted += [day for day, name in calendar.items() if name == "Good Friday"]
    origins = []
    for day in wanted:
        origin = day - timedelta(days=horizon // 2)
        if first + timedelta(days=365) <= origin and origin + timedelta(days=horizon) <= last:
            origins.append(origin)
    return sorted(set(origins))


def _score(job: tuple[DemandSeries, FitOptions, date, ModelName, bool]) -> WindowScore | None:
    series, options, origin, model, holiday_window = job
    history = series.truncated(origin, options.horizon_days)
    actual = np.asarray(series.units[history.history_days: history.history_days + options.horizon_days])
    if len(actual) < options.horizon_days:
        return None
    started = time.perf_counter()
    forecast = fit_series(history, options, model=model)
    seconds = time.perf_counter() - started
    train = np.asarray(history.units)
    scale = float(np.mean(np.abs(train[SEASON:] - train[:-SEASON]))) or 1.0
    mean, lower, upper = (np.asarray(v) for v in (forecast.mean, forecast.lower, forecast.upper))
    return WindowScore(model=model, sku=series.sku, region=series.region, origin=origin,
                       holiday_window=holiday_window, mase=round(float(np.mean(np.abs(actual - mean)) / scale), 4),
                       coverage=round(float(np.mean((actual >= lower) & (actual <= upper))), 4),
                       fit_seconds=round(seconds, 4))


def run_backtest(settings: Settings, db: Database, *, series_count: int = 8, regular_origins: int = 4,
                 horizon_days: int = 14, workers: int | None = None) -> BacktestReport:
    """Backtest the busiest regular series at rolling and holiday origins; returns every score and summaries."""
    started = time.perf_counter()
    all_series = build_series(db, horizon_days)
    options = dataclasses.replace(fit_options(settings, all_series), horizon_days=horizon_days)
    regular = [s for s in all_series if choose_model(s, options)[0] == "prophet"]
    regular.sort(key=lambda s: -sum(s.units[-90:]))
    chosen = regular[:series_count]
    if not chosen:
        raise ValueError("no series with enough regular history to backtest")
    last = min(s.last_day for s in chosen)
    first = max(s.start for s in chosen)
    origins = [last - timedelta(days=horizon_days * k) for k in range(1, regular_origins + 1)]
    holidays = holiday_origins(first, last, horizon_days, settings)
    jobs = [(s, options, origin, model, origin in holidays)
            for s in chosen for origin in sorted(set(origins) | set(holidays)) for model in MODELS]
    import prophet  # noqa: F401  (imported once before forking the workers)
    import statsforecast.models  # noqa: F401

    quiet_prophet()
    workers = max(1, workers or settings.forecast.workers)
    if workers == 1:
        scores = [_score(job) for job in jobs]
    else:
        with ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("fork")) as pool:
            scores = list(pool.map(_score, jobs, chunksize=4))
    kept = [s for s in scores if s is not None]
    return BacktestReport(horizon_days=horizon_days, series=[f"{s.sku}/{s.region}" for s in chosen],
                          origins=sorted(origins), holiday_origins=holidays, scores=kept,
                          summary=summarise(kept), seconds=round(time.perf_counter() - started, 1))


def summarise(scores: list[WindowScore]) -> list[ModelSummary]:
    """Per model and kind of window (regular, holiday, all)."""
    summary = []
    kinds: tuple[Literal["regular", "holiday", "all"], ...] = ("regular", "holiday", "all")
    for kind in kinds:
        for model in MODELS:
            rows = [s for s in scores if s.model == model
                    and (kind == "all" or s.holiday_window == (kind == "holiday"))]
            if not rows:
                continue
            mase = np.asarray([r.mase for r in rows])
            summary.append(ModelSummary(model=model, windows=kind, count=len(rows),
                                        mase_median=round(float(np.median(mase)), 3),
                                        mase_mean=round(float(np.mean(mase)), 3),
                                        coverage=round(float(np.mean([r.coverage for r in rows])), 3),
                                        fit_seconds=round(float(np.mean([r.fit_seconds for r in rows])), 3)))
    return summary


def format_report(report: BacktestReport) -> str:
    """The summary as a plain-text table for the terminal."""
    lines = [f"Rolling-origin backtest: {len(report.series)} series x "
             f"{len(report.origins)} regular + {len(report.holiday_origins)} holiday origins, "
             f"{report.horizon_days}-day windows ({report.seconds:.0f} s)",
             f"holiday origins: {', '.join(d.isoformat() for d in report.holiday_origins) or 'none'}",
             f"{'windows':<9} {'model':<15} {'n':>4} {'MASE med':>9} {'MASE mean':>10} {'80% cover':>10} {'fit s':>7}"]
    for row in report.summary:
        lines.append(f"{row.windows:<9} {row.model:<15} {row.count:>4} {row.mase_median:>9.3f} "
                     f"{row.mase_mean:>10.3f} {row.coverage:>10.1%} {row.fit_seconds:>7.3f}")
    return "\n".join(lines)
