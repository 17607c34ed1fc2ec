"""PNG charts a channel can send with an answer: a forecast chart and a sales comparison chart.

Matplotlib runs headless (Agg). Charts are written under `settings.home / "charts"` with a name
derived from their content, so asking the same question twice reuses the file.
"""

from __future__ import annotations

import hashlib
import json
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from core.config import Settings


class ChartBand(BaseModel):
    """A marked span on a chart (a promotion) or a single day (a holiday)."""

    start: date
    end: date
    label: str


def _chart_path(settings: Settings, kind: str, payload: object) -> Path:
    digest = hashlib.sha1(json.dumps(payload, default=str, sort_keys=True).encode()).hexdigest()[:16]
    folder = Path(settings.home) / "charts"
    folder.mkdir(parents=True, exist_ok=True)
    return folder / f"{kind}-{digest}.png"


def _pyplot() -> Any:  # matplotlib.pyplot, imported lazily (slow to import)
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def forecast_chart(settings: Settings, title: str, history: dict[date, float],
                   forecast: list[tuple[date, float, float, float]], holidays: list[ChartBand],
                   promotions: list[ChartBand]) -> Path:
    """History (line), forecast mean (dashed) and its interval (band), holidays and promotions marked."""
    path = _chart_path(settings, "forecast", [title, sorted(history.items()), forecast, holidays, promotions])
    if path.exists():
        return path
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(8, 3.6), dpi=100)
    if history:
        days = sorted(history)
        ax.plot(days, [history[d] for d in days], color="#333333", linewidth=1.2, label="actual")
    if forecast:
        days = [f[0] for f in forecast]
        ax.fill_between(days, [f[2] for f in forecast], [f[3] for f in forecast], color="#4c8bf5", alpha=0.25,
                        label="80% interval")
        ax.plot(days, [f[1] for f in forecast], color="#1a56c4", linewidth=1.6, linestyle="--", label="forecast")
    for band in promotions:
        ax.axvspan(band.start, band.end + timedelta(days=1), color="#f5a623", alpha=0.18)
        ax.text(band.start, ax.get_ylim()[1] * 0.95, band.label, fontsize=7, color="#a86b00", va="top")
    for band in holidays:
        ax.axvline(band.start, color="#d0021b", linewidth=0.8, linestyle=":")
        ax.text(band.start, ax.get_ylim()[1] * 0.85, band.label, fontsize=6, color="#d0021b", rotation=90, va="top")
    ax.set_title(title, fontsize=10)
    ax.set_ylabel("units / day")
    ax.legend(loc="upper left", fontsize=7)
    fig.autofmt_xdate()
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)
    return path


def comparison_chart(settings: Settings, title: str, labels: list[str], current: list[float],
                     previous: list[float], current_label: str, previous_label: str) -> Path:
    """Grouped bars: this period against the previous one, per group."""
    path = _chart_path(settings, "sales", [title, labels, current, previous, current_label, previous_label])
    if path.exists():
        return path
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(8, 3.6), dpi=100)
    positions = list(range(len(labels)))
    ax.bar([p - 0.2 for p in positions], previous, width=0.4, color="#b0b0b0", label=previous_label)
    ax.bar([p + 0.2 for p in positions], current, width=0.4, color="#1a56c4", label=current_label)
    ax.set_xticks(positions, labels, rotation=30, ha="right", fontsize=8)
    ax.set_title(title, fontsize=10)
    ax.legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)
    return path
