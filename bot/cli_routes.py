"""The work behind `silobridge routes plan` and `silobridge routes bench` (bot/cli.py only parses flags).

Command-line glue lives with the CLI: planning runs through the tool registry (the same role gate and
error handling as in chat) and the text is the chat renderer's (`bot/render/routes.py`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime
from pathlib import Path

from bot.render.routes import render as chat_render
from core.config import Settings
from core.db import Database
from core.lang import Lang
from tools.registry import Role, ToolContext, build_registry
from tools.routes import PlanRoutesInput, PlanRoutesResult
from tools.routing.bench import routes_bench

Renderer = Callable[[PlanRoutesResult, Lang], str]


def routes_plan_text(settings: Settings, db: Database, now: datetime, *, day: date | None = None,
                     depot: str | None = None, commit: bool = False, role: Role = Role.logistics,
                     lang: Lang = "en", render: Renderer = chat_render) -> str:
    """`routes plan --date D [--commit]`: plan (and with `commit` write back) a day's routes; the text to print."""
    ctx = ToolContext(db=db, settings=settings, now=now, role=Role(role), lang=lang)
    outcome = build_registry(["tools.routes"]).call("plan_routes", PlanRoutesInput(date=day, depot=depot,
                                                                                     commit=commit), ctx)
    if not isinstance(outcome.result, PlanRoutesResult):
        return outcome.error_message(lang) or "Planning failed."
    text = render(outcome.result, lang)
    chart = outcome.result.plan.chart_path
    return f"{text}\n{'路線圖' if lang == 'zh-HK' else 'Chart'}: {chart}" if chart else text


def routes_bench_text(files: Sequence[str | Path], time_limit: float = 10.0, seed: int = 1) -> str:
    """`routes bench FILE... [--time-limit S]`: one line per Solomon instance (name, distance, vehicles, gap)."""
    return "\n".join(routes_bench(files, time_limit=time_limit, seed=seed))


def plan_text(settings: Settings, db: Database, day: str | date | None = None, *, now: datetime,
              commit: bool = False, depot: str | None = None, lang: Lang = "en") -> str:
    """What `silobridge routes plan [--date D] [--commit] [--now T]` prints at the clock `now` (the CLI's
    --now, else SILOBRIDGE_NOW, else the real time); the date YYYY-MM-DD or today; the operator counts as
    logistics."""
    delivery_day: date | None = None
    if isinstance(day, date):
        delivery_day = day
    elif day and day.strip():
        try:
            delivery_day = date.fromisoformat(day.strip())
        except ValueError:
            return f"Not a date: {day!r} (example: 2026-11-25)."
    return routes_plan_text(settings, db, now, day=delivery_day, depot=depot, commit=commit, lang=lang)


def bench_text(files: Sequence[str | Path], time_limit: float = 10.0) -> str:
    """What `silobridge routes bench FILE... [--time-limit S]` prints."""
    return routes_bench_text(files, time_limit=time_limit)
