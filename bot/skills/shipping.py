"""The `shipping_cost` skill: what a delivery to an area costs ("送東涌 3 件 WB-BL-500 運費幾錢?")."""

from __future__ import annotations

from bot.render.shipping import render
from bot.skills.skill import NEED_AREA, AskBack, Need, ToolSkill, named_product, said_only
from bot.understanding import Cue, Understanding
from tools.registry import ToolContext
from tools.shipping import ShippingCostInput, ShippingCostResult, ShippingItem

CUES: tuple[Cue, ...] = (
    (r"運費|送貨費|運輸費|送貨收費|免運|免費送|收幾多錢|幾錢運費|送費|配送費|快遞費", 3.2),
    (r"\bshipping\b|\bdelivery (?:fee|charge|cost)|\bfreight\b|\bfree delivery\b|\bcost to (?:ship|deliver)"
     r"|\bhow much (?:to|for) (?:ship|deliver)|\bhow much (?:is|does|for) (?:the )?(?:delivery|shipping)", 3.0),
    (r"幾錢|幾多錢|多少錢|\bhow much\b|\bcost\b|\bcharge\b|\bfee\b", 1.0),
)

ASK_ITEMS = AskBack("items", "要送咩貨、幾多件?或者話我總重量(kg)。",
                    "Which products and how many (or the total weight in kg)?")
#: What goes: the products (with quantities) or the total weight.
NEED_ITEMS = Need(ASK_ITEMS, lambda understood: bool(len(understood.slots.items) > 1 or named_product(understood)
                                                     or understood.slots.weight_kg))


def build(understood: Understanding, ctx: ToolContext) -> ShippingCostInput:
    """The area; the products named with their quantities (1 when not said), else the weight; the order value
    when said."""
    slots = understood.slots
    product = named_product(understood)
    items: list[ShippingItem] | None = None
    if len(slots.items) > 1:  # "3 件藍樽同 2 件紅樽"
        items = [ShippingItem(product=item.sku, qty=item.qty or 1) for item in slots.items]
    elif product:
        items = [ShippingItem(product=product, qty=slots.qty or 1)]
    return said_only(ShippingCostInput, area=slots.area, items=items,
                     weight_kg=None if items else slots.weight_kg, order_value=slots.order_value)


SKILL = ToolSkill(
    name="shipping_cost", input_model=ShippingCostInput, result_model=ShippingCostResult, cues=CUES,
    needs=(NEED_AREA, NEED_ITEMS), build=build, render=render, carry_over=("sku", "qty", "area"),
    refused_en="shipping charges", refused_zh="運費",
)
