"""Ready after a load (issue 14): time from `silobridge load` to the first forecast and replenishment
answers, and the on-demand fit of one series.

Usage: python -m benchmarks.bench_ready [--repeat N] [--workers N]
Generates the demo company for 2026-11-25 into a temp folder and:
1. loads it with `load_company` (what `silobridge load` runs): the import, the refit of every series and
   the SOP index of a fresh install, each timed;
2. asks the real Assistant a forecast and a replenishment question (the first answers after the load);
3. deletes one series from the store and marks the data version unfinished, then times `ensure_fresh`
   for it (target < 2 s), warm (models imported) for a Prophet series and a Croston series, `--repeat`
   times each, and once in a fresh process (the model import included);
4. times `ensure_fresh` when every series is already fresh but the version's refit is not marked done
   (the per-question check during a background refit), and when it is (the normal case).
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, datetime
from pathlib import Path

from sqlalchemy import delete, select

from core.config import Settings, load_settings
from core.db import Database
from core.models import ForecastPoint, ForecastRefit, ForecastSeries

DEMO_TODAY = date(2026, 11, 25)
DEMO_NOW = datetime(2026, 11, 25, 10, 30)


def settings_for(home: Path) -> Settings:
    """config.yaml's settings with the state in `home`."""
    return load_settings(environ={"SILOBRIDGE_HOME": str(home), "SILOBRIDGE_DB": f"sqlite:///{home / 'bench.db'}"})


def forget_series(db: Database, sku: str, region: str) -> None:
    """Remove one stored series and the version's finished mark: the next question must fit it."""
    with db.session() as session:
        session.execute(delete(ForecastPoint).where(ForecastPoint.sku == sku, ForecastPoint.region == region))
        session.execute(delete(ForecastSeries).where(ForecastSeries.sku == sku, ForecastSeries.region == region))
        session.execute(delete(ForecastRefit))


def series_of_model(db: Database, model: str) -> tuple[str, str]:
    """A stored (sku, region) fitted with `model`."""
    with db.sessions() as session:
        row = session.execute(select(ForecastSeries.sku, ForecastSeries.region)
                              .where(ForecastSeries.model == model).order_by(ForecastSeries.sku)).first()
    assert row is not None, f"no {model} series"
    return row[0], row[1]


def cold_fit(home: Path, sku: str, region: str) -> None:
    """In this fresh process: fit one forgotten series on demand and print the seconds (model import included)."""
    settings = settings_for(home)
    db = Database(settings.database_url)
    forget_series(db, sku, region)
    from tools.forecasting.refresh import ensure_fresh

    started = time.perf_counter()
    report = ensure_fresh(settings, db, [sku], [region], now=DEMO_NOW)
    print(f"{time.perf_counter() - started:.3f} {report.fitted}")


def main() -> None:
    """Run the benchmark and print its figures."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--workers", type=int, default=None)
    parser.add_argument("--cold-fit", nargs=3, metavar=("HOME", "SKU", "REGION"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.cold_fit:
        cold_fit(Path(args.cold_fit[0]), args.cold_fit[1], args.cold_fit[2])
        return

    from bot.assistant import Assistant
    from bot.messages import IncomingMessage
    from connectors.company_load import load_company
    from connectors.demo import generate
    from tools.forecasting.refresh import ensure_fresh

    print(f"{datetime.now():%Y-%m-%d %H:%M}, {platform.machine()}, {os.cpu_count()} CPUs, Python "
          f"{platform.python_version()}, load average {os.getloadavg()[0]:.1f}")
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp)
        settings = settings_for(home)
        db = Database(settings.database_url)
        db.create_all()
        folder = generate(home / "demo", DEMO_TODAY)

        started = time.perf_counter()
        outcome = load_company(settings, db, folder, loaded_at=DEMO_NOW, workers=args.workers)
        loaded = time.perf_counter() - started
        assert outcome.forecasts is not None
        print(f"load: {loaded:.1f} s = import {outcome.imported.seconds:.1f} s + refit "
              f"{outcome.forecasts.seconds:.1f} s ({outcome.forecasts.fitted} series, {outcome.forecasts.workers} "
              f"workers, {outcome.forecasts.cpu_seconds:.0f} CPU-s) + SOP index "
              f"{outcome.sop_index.seconds if outcome.sop_index else 0:.1f} s + rest")

        assistant = Assistant(settings, db)
        for text in ("下星期九龍區要準備幾多藍色水樽?", "what should we transfer to Cheung Sha Wan this week?"):
            asked = time.perf_counter()
            reply = assistant.handle(IncomingMessage(text=text, channel="cli", role="logistics", session="bench",
                                                     now=DEMO_NOW.isoformat()))
            seconds = time.perf_counter() - asked
            ok = bool(reply.tool_calls) and reply.tool_calls[0].ok
            print(f"first answer {reply.intent}: {seconds * 1000:.0f} ms (ok={ok}); load to this answer "
                  f"{time.perf_counter() - started:.1f} s")

        for model in ("prophet", "croston_optimized"):
            sku, region = series_of_model(db, model)
            timings = []
            for _ in range(args.repeat):
                forget_series(db, sku, region)
                fit_started = time.perf_counter()
                report = ensure_fresh(settings, db, [sku], [region], now=DEMO_NOW)
                timings.append(time.perf_counter() - fit_started)
                assert report.fitted == 1
            print(f"on-demand fit, warm, {model} ({sku}/{region}): median {statistics.median(timings):.2f} s, "
                  f"max {max(timings):.2f} s over {args.repeat}")
            cold = subprocess.run([sys.executable, "-m", "benchmarks.bench_ready", "--cold-fit", str(home), sku,
                                   region], capture_output=True, text=True, check=True).stdout.split()
            print(f"on-demand fit, fresh process (model import included), {model}: {float(cold[0]):.2f} s")

        checks = []
        for _ in range(20):
            check_started = time.perf_counter()
            ensure_fresh(settings, db, ["WB-BL-500"], ["KLN"], now=DEMO_NOW)
            checks.append((time.perf_counter() - check_started) * 1000)
        print(f"check of a fresh series while the refit is unfinished: p50 {statistics.median(checks):.1f} ms")
        from tools.forecasting.refits import finish_refit

        finish_refit(db, db.data_version(), "bench")
        checks = []
        for _ in range(20):
            check_started = time.perf_counter()
            ensure_fresh(settings, db, ["WB-BL-500"], ["KLN"], now=DEMO_NOW)
            checks.append((time.perf_counter() - check_started) * 1000)
        print(f"check once the refit is finished: p50 {statistics.median(checks):.2f} ms")


if __name__ == "__main__":
    main()
