"""The chat bot's skills: one per tool, each in a file named like its tool's module in `tools/`.

`SKILLS` is the one list of what the bot can do. The understanding layer scores intents with their cues
(`CUE_TABLE`), the planner asks each skill for its tool's input (`bot/planner.py`), and the answer is rendered
by the skill of the tool that ran. The order of the list breaks ties between equal intent scores.

Adding a tool: `tools/<name>.py` (and its line in `tools/registry.py`'s module list), `bot/skills/<name>.py`
defining `SKILL`, and its line below. `tests/test_tool_specs.py` checks that every layer agrees.
"""

from __future__ import annotations

from pydantic import BaseModel

from bot.messages import Attachment, Lang
from bot.skills import (
    delivery_days,
    eta,
    forecast,
    orders,
    promise,
    replenishment,
    routes,
    sales,
    shipping,
    sop,
    stock,
    suppliers,
)
from bot.skills.skill import AskBack, ToolSkill
from bot.understanding import CueTable
from tools.registry import PermissionDenied, ToolInputError, ToolOutcome

SKILLS: tuple[ToolSkill, ...] = (
    stock.SKILL,
    eta.SKILL,
    orders.SKILL,
    promise.SKILL,
    shipping.SKILL,
    forecast.SKILL,
    replenishment.SKILL,
    routes.SKILL,
    sales.SKILL,
    sop.SKILL,
    suppliers.SKILL,
    delivery_days.SKILL,
)

SKILLS_BY_NAME: dict[str, ToolSkill] = {skill.name: skill for skill in SKILLS}
#: The tools' cues and follow-up carry-over, for `bot.understanding.understand(..., tools=CUE_TABLE)`.
CUE_TABLE = CueTable(SKILLS)
_BY_INPUT: dict[type[BaseModel], ToolSkill] = {skill.input_model: skill for skill in SKILLS}


def skill_for_input(args: BaseModel) -> ToolSkill:
    """The skill whose tool takes these arguments (a plan may hand over to another tool: ETA without an area
    answers with stock)."""
    return _BY_INPUT[type(args)]


def error_message(outcome: ToolOutcome, lang: Lang) -> str:
    """A failed outcome in words: a role refused a whole tool is told what it cannot see (the skill's words);
    other failures carry their own bilingual message."""
    error = outcome.error
    if isinstance(error, PermissionDenied) and error.tool is not None and error.tool in SKILLS_BY_NAME:
        skill = SKILLS_BY_NAME[error.tool]
        return PermissionDenied(skill.refused_en, skill.refused_zh, error.role).message(lang)
    return outcome.error_message(lang) or ""


def render_outcome(outcome: ToolOutcome, lang: Lang) -> str:
    """The answer for one tool outcome: the rendered result, or the error's message with its suggestions."""
    if not outcome.ok or outcome.result is None:
        message = error_message(outcome, lang)
        if isinstance(outcome.error, ToolInputError) and outcome.error.suggestions:
            joined = ("、" if lang == "zh-HK" else ", ").join(outcome.error.suggestions[:3])
            if joined not in message:
                message += (f" 你係咪指:{joined}?" if lang == "zh-HK" else f" Did you mean: {joined}?")
        return message
    return SKILLS_BY_NAME[outcome.name].render_result(outcome.result, lang)


def attachments_for(outcome: ToolOutcome) -> list[Attachment]:
    """Chart images that go with a successful outcome."""
    skill = SKILLS_BY_NAME.get(outcome.name)
    if not outcome.ok or outcome.result is None or skill is None:
        return []
    return skill.attachments_for(outcome.result)


__all__ = ["CUE_TABLE", "SKILLS", "SKILLS_BY_NAME", "AskBack", "ToolSkill", "attachments_for", "error_message",
           "render_outcome", "skill_for_input"]
