"""Plain functions behind `silobridge routes plan` and `silobridge routes bench` (the CLI only parses flags)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path

from core.config import Settings
from core.db import Database
from tools.registry import Role, ToolContext, build_registry
from tools.routing.bench import routes_bench


def routes_plan_text(settings: Settings, db: Database, now: datetime, *, day: date | None = None,
                     depot: str | None = None, commit: bool = False, role: str = "logistics",
                     lang: str = "en") -> str:
    """Plan (and with `commit` write back) a day's routes through the `plan_routes` tool; the rendered text.

    Runs through the tool registry so the role gate and error handling are the same as in chat.
    """
    from bot.render.routes import render

    ctx = ToolContext(db=db, settings=settings, now=now, role=Role(role), lang=lang)  # type: ignore[arg-type]
    args = {"commit": commit}
    if day is not None:
        args["date"] = day.isoformat()  # type: ignore[assignment]
    if depot:
        args["depot"] = depot  # type: ignore[assignment]
    outcome = build_registry(["tools.routes"]).call("plan_routes", args, ctx)
    if not outcome.ok or outcome.result is None:
        return outcome.error_message(ctx.lang) or "Planning failed."
    text = render(outcome.result, ctx.lang)  # type: ignore[arg-type]
    chart = outcome.result.plan.chart_path  # type: ignore[attr-defined]
    return f"{text}\nChart: {chart}" if chart else text


def routes_bench_text(files: Sequence[str | Path], time_limit: float = 10.0, seed: int = 1) -> str:
    """`routes bench FILE... [--time-limit S]`: one line per Solomon instance."""
    return "\n".join(routes_bench(files, time_limit=time_limit, seed=seed))
