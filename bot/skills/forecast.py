"""The `demand_forecast` skill: how many to prepare ("下星期九龍區要準備幾多藍色水樽?")."""

from __future__ import annotations

from bot.render.forecast import attachments, render
from bot.skills.skill import AskBack, Need, ToolSkill, named_product, said_only
from bot.understanding import Cue, Understanding
from tools.forecast import DemandForecastInput, DemandForecastResult
from tools.registry import ToolContext

CUES: tuple[Cue, ...] = (
    (r"預測|要準備幾多|準備幾多|要備幾多|會賣幾多|預計|估計|需求|預算要幾多", 3.2),
    (r"需要準備多少|要準備多少|會賣多少|需要多少|要備多少|能賣多少", 3.2),
    (r"\bwill\b.*\bneed\b|\bhow many\b.*\bwill\b.*\b(?:sell|need)\b|\bneed\b.*\bnext (?:week|month)\b", 2.6),
    (r"\bforecast|\bdemand\b|\bpredict|\bexpect(?:ed)? to sell\b|\bhow many will\b|\bprepare\b|\bprojection", 3.0),
)

# Channels that show a chart image with the answer (the CLI prints its path).
IMAGE_CHANNELS = frozenset({"cli", "web", "slack", "telegram", "whatsapp"})

ASK_PRODUCT_OR_CATEGORY = AskBack("sku_or_category", "想預測邊件貨或者邊類貨?例如「{product_zh}」。",
                                  "Forecast for which product or category? For example \"{product_en}\".")
NEED_PRODUCT_OR_CATEGORY = Need(ASK_PRODUCT_OR_CATEGORY,
                                lambda understood: bool(named_product(understood) or understood.slots.category))


def build(understood: Understanding, ctx: ToolContext) -> DemandForecastInput:
    """The product (else the category), the area (else the region), the period from today on when it reaches
    today or later, and no chart for a channel that shows no pictures."""
    slots = understood.slots
    product = named_product(understood)
    upcoming = bool(slots.date_from and slots.date_to and slots.date_to >= ctx.today)
    return said_only(
        DemandForecastInput, product=product, category=None if product else slots.category,
        area=slots.area or None, region=None if slots.area else slots.region or None,
        start=max(slots.date_from, ctx.today) if upcoming and slots.date_from else None,
        end=slots.date_to if upcoming else None,
        chart=False if ctx.channel not in IMAGE_CHANNELS else None,  # nobody would see the picture
    )


SKILL = ToolSkill(
    name="demand_forecast", input_model=DemandForecastInput, result_model=DemandForecastResult, cues=CUES,
    needs=(NEED_PRODUCT_OR_CATEGORY,), build=build, render=render, attachments=attachments, carry_over=("sku",),
    refused_en="demand forecasts", refused_zh="需求預測",
)
