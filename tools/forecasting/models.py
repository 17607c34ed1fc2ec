"""Fitting one demand series: Prophet for regular series, a statsforecast fallback otherwise.

Runs inside worker processes: it takes a `DemandSeries` and `FitOptions` (plain data) and returns a
`SeriesForecast` (plain data). Which model was used, and why, is part of the result.
"""

from __future__ import annotations

import logging
import time
import warnings
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Literal

import numpy as np

from tools.forecasting.series import DemandSeries, FitOptions

ModelName = Literal["prophet", "croston_optimized", "seasonal_naive", "historic_average", "auto_ets"]
SEASON = 7  # weekly pattern of a retail day


@dataclass
class SeriesForecast:
    """A fitted series: daily mean and interval for the horizon, the model, its reason and fit time."""

    sku: str
    region: str
    model: str
    reason: str
    days: list[date]
    mean: list[float]
    lower: list[float]
    upper: list[float]
    fit_seconds: float
    history_days: int
    # Per-day effects (units/day) of holidays and promotions on the forecast days, where not zero.
    effects: dict[str, dict[str, float]] = field(default_factory=dict)


def quiet_prophet() -> None:
    """Silence Prophet's and cmdstanpy's per-fit chatter."""
    try:  # cmdstanpy installs its INFO handler on first use; create it now, then mute it
        from cmdstanpy.utils import get_logger

        get_logger()
    except ImportError:
        pass
    for name in ("cmdstanpy", "prophet", "prophet.plot"):
        logger = logging.getLogger(name)
        logger.setLevel(logging.ERROR)
        logger.propagate = False
        logger.disabled = True
    warnings.filterwarnings("ignore", module="prophet")


def choose_model(series: DemandSeries, options: FitOptions) -> tuple[ModelName, str]:
    """The model a series gets, with the reason in plain words."""
    if series.history_days < options.min_history_days:
        model: ModelName = "seasonal_naive" if series.history_days >= 2 * SEASON else "historic_average"
        return model, f"only {series.history_days} days of history (< {options.min_history_days})"
    recent = np.asarray(series.units[-options.min_history_days:])
    zero_share = float(np.mean(recent == 0))
    if zero_share > options.intermittent_zero_share:
        return "croston_optimized", f"intermittent: {zero_share:.0%} of recent days without sales"
    return "prophet", "regular daily sales"


def fit_series(series: DemandSeries, options: FitOptions, model: ModelName | None = None) -> SeriesForecast:
    """Fit one series and forecast `options.horizon_days` days after its last day."""
    chosen, reason = choose_model(series, options)
    if model is not None and model != chosen:
        chosen, reason = model, "requested"
    started = time.perf_counter()
    if chosen == "prophet":
        mean, lower, upper, effects = _fit_prophet(series, options)
    else:
        mean, lower, upper = _fit_fallback(series, options, chosen)
        effects = {}
    days = [series.last_day + timedelta(days=i + 1) for i in range(options.horizon_days)]
    mean = np.clip(mean, 0, None)
    lower = np.clip(np.minimum(lower, mean), 0, None)
    upper = np.maximum(upper, mean)
    return SeriesForecast(series.sku, series.region, chosen, reason, days,
                          [round(float(v), 3) for v in mean], [round(float(v), 3) for v in lower],
                          [round(float(v), 3) for v in upper], round(time.perf_counter() - started, 4),
                          series.history_days, effects)


def quick_forecast(series: DemandSeries, options: FitOptions) -> SeriesForecast:
    """A forecast in about a millisecond, for when a question cannot wait for the real fit: each weekday's
    average over the last four weeks, with the 80% interval from the spread of those weeks' days.

    Stored as provisional (`tools/forecasting/refresh.py`): the next refit replaces it with the model
    `choose_model` picks. Plain numpy, so it needs neither Prophet nor statsforecast imported.
    """
    started = time.perf_counter()
    units = np.asarray(series.units, dtype=float)
    weeks = max(1, min(4, len(units) // SEASON))
    recent = units[-weeks * SEASON:] if len(units) >= SEASON else units
    horizon = options.horizon_days
    days = [series.last_day + timedelta(days=i + 1) for i in range(horizon)]
    tail = (1 - options.interval_width) / 2
    mean, lower, upper = [], [], []
    for day in days:
        if len(recent) >= SEASON:  # the same weekday in the recent weeks (recent ends on last_day)
            offset = (day - series.last_day).days % SEASON
            same_weekday = recent[(len(recent) - SEASON + offset - 1) % SEASON::SEASON]
        else:
            same_weekday = recent
        mean.append(float(np.mean(same_weekday)) if len(same_weekday) else 0.0)
        lower.append(float(np.quantile(recent, tail)) if len(recent) else 0.0)
        upper.append(float(np.quantile(recent, 1 - tail)) if len(recent) else 0.0)
    mean_array = np.clip(np.asarray(mean), 0, None)
    lower_array = np.clip(np.minimum(np.asarray(lower), mean_array), 0, None)
    upper_array = np.maximum(np.asarray(upper), mean_array)
    return SeriesForecast(series.sku, series.region, "weekday_average",
                          "provisional quick forecast (the weekday averages of recent weeks) until the full refit",
                          days, [round(float(v), 3) for v in mean_array], [round(float(v), 3) for v in lower_array],
                          [round(float(v), 3) for v in upper_array], round(time.perf_counter() - started, 4),
                          series.history_days, {})


def _fit_prophet(series: DemandSeries, options: FitOptions
                 ) -> tuple[np.ndarray, np.ndarray, np.ndarray, dict[str, dict[str, float]]]:
    import pandas as pd
    from prophet import Prophet

    quiet_prophet()
    history = pd.DataFrame({"ds": pd.to_datetime(series.days()), "y": series.units})
    horizon = options.horizon_days
    holidays = pd.DataFrame(
        [{"holiday": h.name, "ds": pd.Timestamp(h.day), "lower_window": h.lower_window,
          "upper_window": h.upper_window} for h in options.holidays],
        columns=["holiday", "ds", "lower_window", "upper_window"],
    )
    has_promo_history = any(series.promo[: series.history_days])
    prophet = Prophet(
        interval_width=options.interval_width,
        uncertainty_samples=options.uncertainty_samples,
        weekly_seasonality=True,
        yearly_seasonality=series.history_days >= 365,
        daily_seasonality=False,
        holidays=holidays if len(holidays) else None,
    )
    if has_promo_history:
        # Promotions are a learned regressor: the uplift comes from past promotions of this series.
        prophet.add_regressor("promo", standardize=False)
        history["promo"] = series.promo[: series.history_days]
    prophet.fit(history)
    future = pd.DataFrame({"ds": pd.date_range(history["ds"].iloc[-1] + pd.Timedelta(days=1), periods=horizon)})
    if has_promo_history:
        future["promo"] = series.promo[series.history_days: series.history_days + horizon]
    forecast = prophet.predict(future)
    effects: dict[str, dict[str, float]] = {}
    for row in forecast.itertuples():
        day_effects = {}
        if "holidays" in forecast.columns and abs(row.holidays) >= 0.05:
            day_effects["holidays"] = round(float(row.holidays), 2)
        if has_promo_history and abs(row.promo) >= 0.05:
            day_effects["promo"] = round(float(row.promo), 2)
        if day_effects:
            effects[row.ds.date().isoformat()] = day_effects
    return (forecast["yhat"].to_numpy(), forecast["yhat_lower"].to_numpy(),
            forecast["yhat_upper"].to_numpy(), effects)


def _fit_fallback(series: DemandSeries, options: FitOptions, model: ModelName
                  ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    from statsforecast.models import AutoETS, CrostonOptimized, HistoricAverage, SeasonalNaive

    units = np.asarray(series.units, dtype=float)
    horizon = options.horizon_days
    level = [round(options.interval_width * 100)]
    if model == "croston_optimized":
        mean = CrostonOptimized().forecast(y=units, h=horizon)["mean"]
        # Croston gives no interval: use the spread of recent daily sales around its level.
        recent = units[-options.min_history_days:]
        tail = (1 - options.interval_width) / 2
        lower = np.full(horizon, np.quantile(recent, tail))
        upper = np.full(horizon, max(np.quantile(recent, 1 - tail), float(mean[0])))
        return mean, lower, upper
    estimator: SeasonalNaive | AutoETS | HistoricAverage
    if model == "seasonal_naive" and len(units) >= SEASON:
        estimator = SeasonalNaive(season_length=SEASON)
    elif model == "auto_ets" and len(units) >= 2 * SEASON:
        estimator = AutoETS(season_length=SEASON)
    else:
        estimator = HistoricAverage()
    result = estimator.forecast(y=units, h=horizon, level=level)
    return result["mean"], result[f"lo-{level[0]}"], result[f"hi-{level[0]}"]
