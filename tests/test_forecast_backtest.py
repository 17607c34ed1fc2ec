"""The rolling-origin backtest runs all three models, scores them, and finds holiday windows."""

from __future__ import annotations

from datetime import date

from core.config import Settings
from core.db import Database
from tests.forecast_factory import build_company
from tools.forecasting.backtest import format_report, run_backtest


def test_backtest_scores_prophet_ets_and_naive_with_a_holiday_window(sqlite_db: Database, settings: Settings) -> None:
    build_company(sqlite_db, last_day=date(2026, 11, 24), skus=1, new_product_days=None)
    report = run_backtest(settings, sqlite_db, series_count=1, regular_origins=1, workers=1)
    assert date(2026, 2, 10) in report.holiday_origins  # Lunar New Year 2026 (17 Feb) mid-window
    models = {(row.model, row.windows) for row in report.summary}
    assert {("prophet", "holiday"), ("auto_ets", "regular"), ("seasonal_naive", "all")} <= models
    prophet = next(r for r in report.summary if r.model == "prophet" and r.windows == "holiday")
    naive = next(r for r in report.summary if r.model == "seasonal_naive" and r.windows == "holiday")
    assert prophet.mase_mean < naive.mase_mean  # the planted Lunar New Year dip is learned, not repeated
    assert all(0.0 <= row.coverage <= 1.0 for row in report.summary)
    text = format_report(report)
    assert "MASE" in text and "prophet" in text and "2026-02-10" in text
