"""The `order_status` skill: where an order is ("SO-10231 去咗邊?"), or which orders are at risk ("今日有冇單趕唔切?")."""

from __future__ import annotations

from bot.render.orders import render
from bot.skills.skill import AskBack, Need, ToolSkill, said_only
from bot.understanding import Cue, Understanding
from tools.orders import OrderStatusInput, OrderStatusResult
from tools.registry import ToolContext

CUES: tuple[Cue, ...] = (
    (r"去咗邊|去左邊|到咗未|送咗未|出咗貨未|到邊|跟進|狀態|進度|追單|查單", 3.0),
    (r"趕唔切|趕唔到|遲到|延誤|會遲|有冇單|邊張單|啲單.*(?:遲|趕)|有風險|風險", 2.4),
    (r"\bstatus\b|\bwhere is\b|\bwhere's\b|\btrack|\blate orders?\b|\bat risk\b|\bdelayed\b|\bbehind\b", 2.8),
    (r"單|訂單|\border\b|\borders\b", 0.9),
    (r"在哪裡|在哪|到哪了|到哪裡|送了沒有|發貨了嗎|到了沒有|到了嗎|送到了嗎|出貨了嗎|發貨了沒有|什麼狀態", 3.0),
    (r"趕不上|趕不及|來不及送|會延遲|延遲|會遲到|遲了|有沒有訂單|哪些訂單|哪張單", 2.4),
    (r"仲未到|未到|未收到|未送到|\bnot (?:yet )?(?:arrived|delivered)\b|\bhasn't arrived\b", 2.4),
)

ASK_ORDER_ID = AskBack(
    "order_id", "邊張單?話我知單號,例如「{order_id} 去咗邊?」;想睇有冇單趕唔切,可以問「今日有冇單趕唔切?」。",
    "Which order? Give me the order id, e.g. \"Where is {order_id}?\", or ask \"Any orders at risk today?\".")
#: An order id, unless the question asks for the orders at risk.
NEED_ORDER_ID = Need(ASK_ORDER_ID, lambda understood: bool(understood.slots.order_id),
                     waived=lambda understood: understood.flags.at_risk_orders)


def build(understood: Understanding, ctx: ToolContext) -> OrderStatusInput:
    """One order by id, or the orders at risk on the day said (today when none)."""
    slots = understood.slots
    if not understood.flags.at_risk_orders:
        return OrderStatusInput(order_id=slots.order_id)
    return said_only(OrderStatusInput, day=slots.date_from)


SKILL = ToolSkill(
    name="order_status", input_model=OrderStatusInput, result_model=OrderStatusResult, cues=CUES,
    needs=(NEED_ORDER_ID,), build=build, render=render,
    refused_en="order details", refused_zh="訂單資料",
)
