"""The `plan_routes` skill: which van delivers what, in which order ("聽日點排車?")."""

from __future__ import annotations

from bot.render.routes import attachments, render
from bot.skills.skill import ToolSkill, said_only
from bot.understanding import Cue, Understanding
from tools.registry import ToolContext
from tools.routes import PlanRoutesInput, PlanRoutesResult

CUES: tuple[Cue, ...] = (
    (r"排車|路線|派車|排線|車隊|編車|派送次序|送貨次序|點排|排.*車|幾多架車|架車", 3.2),
    (r"\bplan\b.*\bdeliver(?:y|ies)\b|\bschedule\b.*\bdeliver(?:y|ies)\b", 3.0),
    (r"司機|邊架車|邊部車|邊架van|送咩|車.*送邊|幾多架車|送邊度|送邊區|哪輛車|幾輛車|怎麼排|怎樣排", 2.6),
    (r"\broutes?\b|\brouting\b|\bvans?\b|\bdrivers?\b|\bvehicles?\b|\bdispatch plan\b|\bplan the\b", 2.8),
)


def build(understood: Understanding, ctx: ToolContext) -> PlanRoutesInput:
    """The day said (today when none) and the depot named."""
    return said_only(PlanRoutesInput, date=understood.slots.date_from, depot=understood.slots.location or None)


SKILL = ToolSkill(
    name="plan_routes", input_model=PlanRoutesInput, result_model=PlanRoutesResult, cues=CUES,
    needs=(), build=build, render=render, attachments=attachments,
    refused_en="route plans", refused_zh="路線安排",
)
