"""The `plan_routes` skill: which van delivers what, in which order ("聽日點排車?")."""

from __future__ import annotations

from bot.render.routes import attachments, render
from bot.skills.replenishment import locations_in
from bot.skills.skill import ToolSkill, said_only
from bot.understanding import Cue, Understanding
from tools.registry import ToolContext
from tools.routes import PlanRoutesInput, PlanRoutesResult

CUES: tuple[Cue, ...] = (
    (r"排車|路線|派車|排線|車隊|編車|派送次序|送貨次序|點排|排.*車|幾多架車|架車", 3.2),
    (r"\bplan\b.*\bdeliver(?:y|ies)\b|\bschedule\b.*\bdeliver(?:y|ies)\b", 3.0),
    (r"司機|邊架車|邊部車|邊架van|送咩|車.*送邊|幾多架車|送邊度|送邊區|哪輛車|幾輛車|怎麼排|怎樣排", 2.6),
    (r"(?:點|怎麼|怎樣|如何)安排|安排.{0,4}車|車.{0,6}安排|(?:嘅|的)車.{0,8}(?:出唔出|出不出|有冇出|點出)", 3.2),
    (r"\broutes?\b|\brouting\b|\bvans?\b|\bdrivers?\b|\bvehicles?\b|\bdispatch plan\b|\bplan the\b", 2.8),
)


def build(understood: Understanding, ctx: ToolContext) -> PlanRoutesInput:
    """The day said (today when none) and the depot named: a location, or an area with exactly one location
    in it ("今日九龍灣啲車點排?" names the area of the hub)."""
    depot = understood.slots.location
    if not depot and understood.entities.areas:
        located = locations_in(ctx, understood.entities.areas[0].code)
        depot = located[0] if len(located) == 1 else None
    return said_only(PlanRoutesInput, date=understood.slots.date_from, depot=depot or None)


SKILL = ToolSkill(
    name="plan_routes", input_model=PlanRoutesInput, result_model=PlanRoutesResult, cues=CUES,
    needs=(), build=build, render=render, attachments=attachments,
    refused_en="route plans", refused_zh="路線安排",
)
