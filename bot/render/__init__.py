"""Rendering of tool results as short answers in Cantonese (Traditional) or English.

Each tool module has a renderer module here with `render(result, lang) -> str`. Numbers, dates and
names come verbatim from the result; errors render as their typed, bilingual messages.
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Callable
from functools import cache

from tools.registry import Lang, Role, ToolInputError, ToolOutcome

log = logging.getLogger(__name__)

# Tool name -> renderer module.
RENDERER_MODULES = {
    "stock_lookup": "bot.render.stock",
    "delivery_eta": "bot.render.eta",
    "order_status": "bot.render.orders",
    "check_promise": "bot.render.orders",
    "shipping_cost": "bot.render.shipping",
    "demand_forecast": "bot.render.forecast",
    "replenishment_plan": "bot.render.replenishment",
    "plan_routes": "bot.render.routes",
    "sales_summary": "bot.render.sales",
    "search_sop": "bot.render.sop",
}


@cache
def renderer_for(tool_name: str) -> Callable[..., str]:
    """The render function of a tool (a module may name it `render` or `render_<tool>`)."""
    module = importlib.import_module(RENDERER_MODULES[tool_name])
    return getattr(module, f"render_{tool_name}", None) or module.render


def attachments_for(outcome: ToolOutcome) -> list:
    """Chart images that go with a successful outcome (renderer modules may offer `attachments(result)`)."""
    if not outcome.ok or outcome.name not in RENDERER_MODULES:
        return []
    module = importlib.import_module(RENDERER_MODULES[outcome.name])
    make = getattr(module, "attachments", None)
    return list(make(outcome.result)) if make is not None else []


def render_outcome(outcome: ToolOutcome, lang: Lang, role: Role) -> str:
    """The answer for one tool outcome: the rendered result, or the typed error's message."""
    if not outcome.ok:
        message = outcome.error_message(lang) or ""
        if isinstance(outcome.error, ToolInputError) and outcome.error.suggestions:
            joined = "、".join(outcome.error.suggestions[:3]) if lang == "zh-HK" else ", ".join(
                outcome.error.suggestions[:3])
            if joined not in message:
                message += (f" 你係咪指:{joined}?" if lang == "zh-HK" else f" Did you mean: {joined}?")
        return message
    return renderer_for(outcome.name)(outcome.result, lang)
