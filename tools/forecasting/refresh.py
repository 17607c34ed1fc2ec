"""Forecasts ready whenever data lands: the refit after an import, done once however many processes notice
it, and the on-demand fit of a missing or stale series inside a question.

Refit after an import (`refit_after_import`): `silobridge load` calls it at the end of the import, and each
`silobridge serve` process calls it from a background thread when it sees a data version another process
loaded. The work is claimed with a lease row in `forecast_refits` (one row per data version, its primary
key): the process whose INSERT wins fits, the others skip; a lease whose holder died (past `lease_until`
and not finished) is taken over with one conditional UPDATE. Inside the refit, `run_batch` fits only the
series whose data hash changed, so a second refit of the same data costs seconds even when it happens.
A finished row says every stored series matches that data version: questions then read the store and
nothing else (one primary-key read).

On demand (`ensure_fresh`): until that row is finished, `demand_forecast` and `replenishment_plan` check
the series they need: a missing or stale one is fitted inside the question with the model the batch would
use, within a time budget; what the budget cannot cover gets a provisional quick forecast (a missing
series) or keeps its stored forecast (a stale one), and the next refit replaces it. A provisional series
is stored with a data hash that never matches, so any refit fits it properly.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError, OperationalError

from core import clock
from core.config import Settings
from core.db import Database
from core.models import ForecastSeries
from core.progress import SILENT, Progress
from tools.forecasting.batch import BatchReport, fit_options, run_batch, store_forecasts
from tools.forecasting.models import SeriesForecast, fit_series, quick_forecast
from tools.forecasting.refits import claim_refit, process_owner, refit_finished, release_refit
from tools.forecasting.series import DemandSeries, FitOptions, build_series, sales_span

log = logging.getLogger(__name__)

# Seconds a question may spend fitting series on demand before the rest get a quick provisional forecast.
ON_DEMAND_BUDGET_S = 1.5
PROVISIONAL = "provisional:"


def refit_after_import(settings: Settings, db: Database, *, workers: int | None = None,
                       progress: Progress = SILENT, now: datetime | None = None) -> BatchReport | None:
    """Refit the changed series of the current data version, unless another process has it or it is done.

    Returns the batch's report, or None when there is no data or the work was not ours to do.
    `now` is the clock the forecasts are stamped with (`fitted_at`); the lease uses the real time.
    """
    db.forget_data_version()
    version = db.data_version()
    if not version:
        return None
    owner = process_owner()
    if not claim_refit(db, version, owner):
        log.info("forecast refit of data version %s: done or held by another process", version)
        return None
    try:
        report = run_batch(settings, db, workers=workers, now=now, progress=progress)  # records the finish
    except BaseException:
        release_refit(db, version, owner)
        raise
    if report.failed:  # not finished: the failed series are fitted on demand, another refit may retry
        release_refit(db, version, owner)
    log.info("forecast refit of data version %s: %s", version, report.summary())
    return report


@dataclass
class OnDemandReport:
    """What `ensure_fresh` did for one question."""

    fitted: int = 0
    provisional: int = 0
    kept_stale: int = 0
    seconds: float = 0.0


def ensure_fresh(settings: Settings, db: Database, skus: list[str], regions: list[str] | None = None, *,
                 now: datetime | None = None, budget_s: float = ON_DEMAND_BUDGET_S) -> OnDemandReport:
    """Make the stored forecasts of these SKUs (and regions) match the current data before a question reads
    them: see the module docstring. Cheap (one read) once the data version's refit has finished."""
    started = time.perf_counter()
    report = OnDemandReport()
    version = db.data_version()
    if not version or not skus or refit_finished(db, version):
        return report
    series = [s for s in build_series(db, settings.forecast.horizon_days, skus) if not regions or s.region in regions]
    if not series:
        return report
    options = fit_options(settings, series, sales_span(db))
    hashes = {(s.sku, s.region): s.data_hash(options) for s in series}
    stored = _stored_hashes(db, skus)
    todo = [s for s in series if stored.get((s.sku, s.region)) != hashes[(s.sku, s.region)]]
    todo.sort(key=lambda s: (s.sku, s.region) in stored)  # missing ones first: they have nothing to show
    fitted: list[SeriesForecast] = []
    quick: list[SeriesForecast] = []
    last_fit_s = 0.0
    for demand in todo:
        elapsed = time.perf_counter() - started
        if not fitted or elapsed + last_fit_s < budget_s:
            fit_started = time.perf_counter()
            fitted.append(_fit_or_quick(demand, options))
            last_fit_s = time.perf_counter() - fit_started
        elif (demand.sku, demand.region) not in stored:
            quick.append(quick_forecast(demand, options))
        else:
            report.kept_stale += 1
    at = now or clock.now()
    _store_on_demand(db, fitted, hashes, at)
    # A provisional series never matches a data hash, so the next refit fits it properly; it must not
    # replace a proper fit another process stored meanwhile.
    current = _stored_hashes(db, skus)
    quick = [q for q in quick if current.get((q.sku, q.region)) != hashes[(q.sku, q.region)]]
    _store_on_demand(db, quick, {key: PROVISIONAL + value[: 64 - len(PROVISIONAL)] for key, value in hashes.items()},
                     at)
    report.fitted, report.provisional = len(fitted), len(quick)
    report.seconds = round(time.perf_counter() - started, 3)
    log.info("forecast on demand: %s fitted, %s provisional, %s stale kept, in %.2f s", report.fitted,
             report.provisional, report.kept_stale, report.seconds)
    return report


def _fit_or_quick(demand: DemandSeries, options: FitOptions) -> SeriesForecast:
    try:
        return fit_series(demand, options)
    except Exception as exc:  # a fit that fails still leaves the question an answer
        log.warning("forecast on demand: %s/%s failed (%s); quick forecast instead", demand.sku, demand.region,
                    type(exc).__name__)
        return quick_forecast(demand, options)


def _stored_hashes(db: Database, skus: list[str]) -> dict[tuple[str, str], str]:
    with db.sessions() as session:
        rows = session.execute(select(ForecastSeries.sku, ForecastSeries.region, ForecastSeries.data_hash)
                               .where(ForecastSeries.sku.in_(skus)))
        return {(sku, region): data_hash for sku, region, data_hash in rows}


def _store_on_demand(db: Database, results: list[SeriesForecast], hashes: dict[tuple[str, str], str],
                     at: datetime) -> None:
    """Store on-demand fits; another process storing the same series at the same moment wins quietly."""
    if not results:
        return
    try:
        store_forecasts(db, results, hashes, at)
    except (IntegrityError, OperationalError) as exc:
        log.info("forecast on demand: not stored (%s); another process stored them", type(exc).__name__)
