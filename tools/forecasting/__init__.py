"""Demand forecasting: series building, model fitting, the batch that stores forecasts, and backtests.

CLI hooks: `silobridge forecast run` -> `run_batch(settings, db, workers)` then print `report.summary()`;
`silobridge forecast backtest` -> `print(format_report(run_backtest(settings, db)))`.
"""

from tools.forecasting.backtest import BacktestReport, format_report, run_backtest
from tools.forecasting.batch import BatchReport, run_batch

__all__ = ["BacktestReport", "BatchReport", "format_report", "run_backtest", "run_batch"]
