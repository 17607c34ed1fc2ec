"""Demand forecasting: series building, model fitting, the batch that stores forecasts, and backtests."""

from tools.forecasting.batch import BatchReport, run_batch

__all__ = ["BatchReport", "run_batch"]
