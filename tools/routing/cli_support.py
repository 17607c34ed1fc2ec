"""Plain functions behind `silobridge routes plan` and `silobridge routes bench` (the CLI only parses flags)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime
from pathlib import Path

from core import clock
from core.config import Settings
from core.db import Database
from tools.registry import Lang, Role, ToolContext, build_registry
from tools.routes import PlanRoutesInput, PlanRoutesResult
from tools.routing.bench import routes_bench

Renderer = Callable[[PlanRoutesResult, Lang], str]


def routes_plan_text(settings: Settings, db: Database, now: datetime, *, day: date | None = None,
                     depot: str | None = None, commit: bool = False, role: Role = Role.logistics,
                     lang: Lang = "en", render: Renderer | None = None) -> str:
    """`routes plan --date D [--commit]`: plan (and with `commit` write back) a day's routes; the text to print.

    Runs through the tool registry, so the role gate and error handling are the same as in chat. The
    text comes from `render` (default: the chat renderer `bot.render.routes.render`, imported only here
    so that tools do not depend on the bot at import time).
    """
    if render is None:
        from bot.render.routes import render as chat_render

        render = chat_render
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


def plan_text(settings: Settings, db: Database, day: str | date | None = None, *, commit: bool = False,
              depot: str | None = None, lang: Lang = "en") -> str:
    """What `silobridge routes plan [--date D] [--commit] [--now T]` prints: the clock is `core.clock.now()`
    (SILOBRIDGE_NOW when fixed), the date YYYY-MM-DD or today; the CLI operator counts as logistics."""
    if isinstance(day, str) and day.strip():
        try:
            day = date.fromisoformat(day.strip())
        except ValueError:
            return f"Not a date: {day!r} (example: 2026-11-25)."
    return routes_plan_text(settings, db, clock.now(), day=day or None, depot=depot, commit=commit, lang=lang)


def bench_text(files: Sequence[str | Path], time_limit: float = 10.0) -> str:
    """What `silobridge routes bench FILE... [--time-limit S]` prints."""
    return routes_bench_text(files, time_limit=time_limit)
