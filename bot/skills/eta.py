"""The `delivery_eta` skill: when a product reaches an area ("WB-BL-500 送觀塘幾時到?")."""

from __future__ import annotations

from pydantic import BaseModel

from bot.render.eta import render
from bot.skills import stock
from bot.skills.skill import ASK_AREA, NEED_PRODUCT, AskBack, Need, ToolSkill, named_product, order_time, said_only
from bot.understanding import Cue, Understanding
from tools.eta import DeliveryEtaInput, DeliveryEtaResult
from tools.registry import ToolContext

CUES: tuple[Cue, ...] = (
    (r"幾時到|幾時送到|幾時可以送|幾時送|幾時有得送|幾時收到|幾耐|幾日到|最快|到貨|送到邊日|邊日到", 3.0),
    (r"\beta\b|\bwhen\b.*\b(?:arrive|deliver|get there|reach)|\bhow (?:long|soon)\b|\bearliest\b"
     r"|\bdelivery date\b|\bwhen can\b|\bwhen will\b|\barrive\b|\barrival\b", 2.8),
    (r"送|\bdeliver|\bship\b", 0.6),
    (r"幾時|\bwhen\b", 1.0),
    (r"(?:什麼|甚麼)時候(?:能|可以|會)?(?:到|送|收到|送到)|何時(?:能|可以|會)?(?:到|送)|多久(?:能|可以|會)?(?:到|送到)"
     r"|幾天(?:能|可以|會)?到|哪天(?:能|可以|會)?到|最快(?:什麼|甚麼)時候", 3.0),
    (r"要幾日|要幾多日|要幾天|幾天|多少天|多久|幾多個工作天|\bhow many days\b", 2.6),
)

#: The area, unless a stock location or a follow-up says the question is about stock there ("深圳倉呢?").
NEED_AREA_UNLESS_STOCK = Need(ASK_AREA, lambda understood: bool(understood.slots.area),
                              waived=lambda understood: bool(understood.slots.location or understood.is_followup))


def build(understood: Understanding, ctx: ToolContext) -> BaseModel | AskBack:
    """Product, area and quantity (1 when not said), the source location and order time when said; without an
    area, the stock answer for that product."""
    slots = understood.slots
    if not slots.area:
        return stock.SKILL.plan(understood, ctx)
    return said_only(DeliveryEtaInput, product=named_product(understood), area=slots.area, qty=slots.qty or 1,
                     location=slots.location or None, order_time=order_time(understood))


SKILL = ToolSkill(
    name="delivery_eta", input_model=DeliveryEtaInput, result_model=DeliveryEtaResult, cues=CUES,
    needs=(NEED_PRODUCT, NEED_AREA_UNLESS_STOCK), build=build, render=render, carry_over=("sku", "qty", "area"),
    refused_en="delivery dates", refused_zh="送貨日期",
)
