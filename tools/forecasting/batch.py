"""`silobridge forecast run`: fit every product x region series in parallel processes and store them.

Workers get plain `DemandSeries` data, never the database. Only series whose data hash changed since
the stored fit are refitted; the rest keep their stored forecast. A full batch with no failure records
that the data version's forecasts are complete (`tools/forecasting/refits.py`).
"""

from __future__ import annotations

import logging
import multiprocessing
import resource
import time
from collections.abc import Collection
from concurrent.futures import ProcessPoolExecutor
from datetime import date, datetime, timedelta

from pydantic import BaseModel
from sqlalchemy import delete, select

from core import clock
from core.config import Settings
from core.db import Database
from core.models import ForecastPoint, ForecastSeries
from core.progress import SILENT, Progress
from tools.forecasting.events import HolidayEvent, holiday_events
from tools.forecasting.models import SeriesForecast, choose_model, fit_series, quiet_prophet
from tools.forecasting.refits import finish_refit, process_owner
from tools.forecasting.series import DemandSeries, FitOptions, build_series, sales_span

log = logging.getLogger(__name__)


class BatchReport(BaseModel):
    """What one batch did: how many series were fitted or kept, by which models, and how long it took."""

    series_total: int
    fitted: int
    unchanged: int
    removed: int
    models: dict[str, int]
    failed: list[str]
    workers: int
    seconds: float
    fit_seconds_total: float
    # CPU time of the batch and its workers: on an idle machine, seconds ≈ cpu_seconds / workers.
    cpu_seconds: float = 0.0

    def summary(self) -> str:
        """One line for the terminal (`silobridge forecast run`)."""
        models = ", ".join(f"{name} {count}" for name, count in sorted(self.models.items())) or "none"
        failed = f"; {len(self.failed)} failed: {'; '.join(self.failed[:3])}" if self.failed else ""
        return (f"Forecast batch: {self.series_total} series, {self.fitted} fitted ({models}), {self.unchanged} "
                f"unchanged, {self.removed} removed, in {self.seconds:.1f} s with {self.workers} workers{failed}.")


def fit_options(settings: Settings, series: list[DemandSeries],
                span: tuple[date | None, date | None] | None = None) -> FitOptions:
    """The shared fit options of a batch, with the holiday events that cover its history and horizon.

    `span` (the first and last sales day on file, `sales_span`) fixes the holidays' range whatever subset
    of series is fitted, so a series gets the same options, and data hash, in a batch and on demand.
    """
    cfg = settings.forecast
    holidays: tuple[HolidayEvent, ...] = ()
    first, last = span if span is not None else (None, None)
    if series and (first is None or last is None):
        first, last = min(s.start for s in series), max(s.last_day for s in series)
    if series and first is not None and last is not None:
        holidays = tuple(holiday_events(first, last + timedelta(days=cfg.horizon_days),
                                        categories=tuple(settings.delivery.holiday_categories),
                                        country=settings.delivery.holiday_country,
                                        lny_window=cfg.lunar_new_year_window))
    return FitOptions(horizon_days=cfg.horizon_days, interval_width=cfg.interval_width,
                      min_history_days=cfg.min_history_days, uncertainty_samples=cfg.uncertainty_samples,
                      intermittent_zero_share=cfg.intermittent_zero_share, holidays=holidays)


def _fit_one(job: tuple[DemandSeries, FitOptions]) -> SeriesForecast | str:
    series, options = job
    try:
        return fit_series(series, options)
    except Exception as exc:  # one bad series must not sink the batch
        return f"{series.sku}/{series.region}: {type(exc).__name__}: {exc}"


def run_batch(settings: Settings, db: Database, workers: int | None = None, *, force: bool = False,
              skus: list[str] | None = None, now: datetime | None = None,
              progress: Progress = SILENT) -> BatchReport:
    """Fit all changed series in `workers` processes and store their daily forecasts.

    `workers=1` fits in this thread (the server's background refit: no fork from a threaded process).
    """
    started = time.perf_counter()
    cpu_started = _cpu_seconds()
    workers = max(1, workers or settings.forecast.workers)
    fitted_at = now or clock.now()
    version = db.data_version()  # read before the data: an import during the batch leaves it unfinished
    all_series = build_series(db, settings.forecast.horizon_days, skus)
    options = fit_options(settings, all_series, sales_span(db))
    hashes = {(s.sku, s.region): s.data_hash(options) for s in all_series}
    with db.session() as session:
        stored = {(row.sku, row.region): row.data_hash for row in session.scalars(select(ForecastSeries))}
    todo = [s for s in all_series if force or stored.get((s.sku, s.region)) != hashes[(s.sku, s.region)]]
    results: list[SeriesForecast] = []
    failed: list[str] = []
    jobs = [(s, options) for s in todo]
    preload_models({choose_model(s, options)[0] for s in todo})
    outputs: list[SeriesForecast | str] = []
    with progress.task("Fitting forecasts", total=len(jobs)) as task:
        if workers == 1 or len(jobs) <= 1:
            for job in jobs:
                outputs.append(_fit_one(job))
                task.advance()
        else:
            # fork shares the already-imported Prophet/statsforecast with the workers (no re-import per process)
            method = "fork" if "fork" in multiprocessing.get_all_start_methods() else None
            db.engine.dispose()  # no open database connection may be inherited by the forked workers
            with ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context(method)) as pool:
                for output in pool.map(_fit_one, jobs, chunksize=max(1, len(jobs) // (workers * 8))):
                    outputs.append(output)
                    task.advance()
    for output in outputs:
        if isinstance(output, str):
            failed.append(output)
            log.warning("forecast fit failed: %s", output)
        else:
            results.append(output)
    store_forecasts(db, results, hashes, fitted_at)
    removed = 0
    if skus is None:
        removed = _remove_stale(db, set(hashes))
        if version and not failed:  # every series of this data version is stored: questions read the store
            finish_refit(db, version, process_owner())
    models: dict[str, int] = {}
    for result in results:
        models[result.model] = models.get(result.model, 0) + 1
    return BatchReport(series_total=len(all_series), fitted=len(results), unchanged=len(all_series) - len(todo),
                       removed=removed, models=models, failed=failed, workers=workers,
                       seconds=round(time.perf_counter() - started, 2),
                       fit_seconds_total=round(sum(r.fit_seconds for r in results), 2),
                       cpu_seconds=round(_cpu_seconds() - cpu_started, 2))


def _cpu_seconds() -> float:
    """CPU time of this process and its finished children (workers, cmdstan)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def preload_models(models: Collection[str] = ("prophet", "croston_optimized")) -> None:
    """Import the model libraries once in the parent, so forked workers share them (each takes seconds);
    a server calls it at start so an on-demand fit does not pay for the import."""
    if "prophet" in models:
        quiet_prophet()  # before the import: prophet logs an ERROR at import time when plotly is absent
        import prophet  # noqa: F401
    if set(models) - {"prophet"}:
        import statsforecast.models  # noqa: F401
    quiet_prophet()


def store_forecasts(db: Database, results: list[SeriesForecast], hashes: dict[tuple[str, str], str],
                    fitted_at: datetime) -> None:
    """Store fitted series (replacing their previous points) with the data hash each was fitted on."""
    with db.session() as session:
        for result in results:
            key = (result.sku, result.region)
            session.execute(delete(ForecastPoint).where(ForecastPoint.sku == result.sku,
                                                        ForecastPoint.region == result.region))
            session.merge(ForecastSeries(
                sku=result.sku, region=result.region, model=result.model, data_hash=hashes[key],
                fitted_at=fitted_at, fit_seconds=result.fit_seconds, history_days=result.history_days,
                details={"reason": result.reason, "effects": result.effects,
                         "first_day": result.days[0].isoformat() if result.days else None},
            ))
            session.flush()
            session.add_all(ForecastPoint(sku=result.sku, region=result.region, date=day, mean=mean,
                                          lower=lower, upper=upper)
                            for day, mean, lower, upper in zip(result.days, result.mean, result.lower,
                                                               result.upper, strict=True))


def _remove_stale(db: Database, current: set[tuple[str, str]]) -> int:
    """Drop stored series that no longer exist in the data (a product removed by a new import)."""
    removed = 0
    with db.session() as session:
        for row in session.scalars(select(ForecastSeries)).all():
            if (row.sku, row.region) not in current:
                session.execute(delete(ForecastPoint).where(ForecastPoint.sku == row.sku,
                                                            ForecastPoint.region == row.region))
                session.delete(row)
                removed += 1
    return removed
