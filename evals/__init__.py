"""Evaluation sets and the scorer behind `silobridge eval`."""
