"""The `replenishment_plan` skill: what to transfer or order ("九龍區嘅補貨計劃係點?")."""

from __future__ import annotations

from sqlalchemy import select

from bot.render.replenishment import render
from bot.skills.skill import ToolSkill, said_only
from bot.understanding import Cue, Understanding
from core.models import Location
from tools.registry import ToolContext
from tools.replenishment import ReplenishmentInput, ReplenishmentResult

CUES: tuple[Cue, ...] = (
    (r"補貨|調撥|調貨|轉倉|入貨(?!價)|落單買|採購(?!價)|補倉|撥貨|調去|調.{0,6}(?:去|到)", 3.2),
    (r"要補|補幾多|補返|建議.*補|補.*建議|補多少|進貨(?!價)", 1.5),
    (r"由.+(?:去|到|調)|\bfrom\b.+\bto\b", 0.8),
    (r"\btransfer|\breplenish|\brestock|\breorder|\bpurchase orders?\b|\bpo\b|\btop up\b|\bmove stock\b", 3.0),
)


def locations_in(ctx: ToolContext, area: str | None) -> list[str]:
    """The stock locations standing in an area ("transfer to Cheung Sha Wan" names the area of a hub)."""
    if not area:
        return []
    with ctx.db.sessions() as session:
        return list(session.scalars(select(Location.code).where(Location.area == area)))


def build(understood: Understanding, ctx: ToolContext) -> ReplenishmentInput:
    """The product (else the category); the location named, else the one standing in the area named, else the
    region; the horizon up to the day said."""
    slots = understood.slots
    # "transfer to Cheung Sha Wan" names an area; the stock location standing there is meant
    located_here = locations_in(ctx, slots.area)
    location = slots.location or (located_here[0] if len(located_here) == 1 else None)
    return said_only(
        ReplenishmentInput, products=[slots.sku] if slots.sku else None,
        category=None if slots.sku else slots.category or None,
        location=location, region=None if location else slots.region or None,
        horizon_days=(slots.date_to - ctx.today).days if slots.date_to and slots.date_to > ctx.today else None,
    )


SKILL = ToolSkill(
    name="replenishment_plan", input_model=ReplenishmentInput, result_model=ReplenishmentResult, cues=CUES,
    needs=(), build=build, render=render,
    refused_en="replenishment plans", refused_zh="補貨計劃",
)
