"""The `stock_lookup` skill: how many units of a product are where ("藍色水樽仲有幾多貨?")."""

from __future__ import annotations

from bot.render.stock import render
from bot.skills.skill import NEED_PRODUCT, ToolSkill, named_product, said_only
from bot.understanding import Cue, Understanding
from tools.registry import ToolContext
from tools.stock import StockLookupInput, StockLookupResult

CUES: tuple[Cue, ...] = (
    (r"仲有幾多|剩返?幾多|得返幾多|得番幾多|剩番幾多|有幾多貨|(?<![補備賣調])幾多貨|夠唔夠|有冇貨|有無貨|有貨|冇貨|無貨|現貨|庫存|存貨|存量|貨量|夠唔夠貨|夠貨|仲有冇", 3.0),
    (r"\bin stock\b|(?<!move )(?<!transfer )\bstock\b(?! transfer)|\binventory\b|\bon hand\b|\bhow many (?:do we have|are left|left)"
     r"|\bavailab|\bleft\b|\bdo we (?:still )?have\b|\bany left\b|\bout of stock\b", 2.6),
    (r"有幾多|有冇|有無", 1.5),
    (r"還有多少|有多少貨|有沒有貨|有貨嗎|剩多少|剩下多少|還剩多少|還有貨|有沒有現貨|夠不夠|缺貨|沒貨|賣完", 3.0),  # Mandarin
    (r"有多少|有沒有|\bhow many\b(?! (?:orders?|vans?|vehicles?|drivers?|days?|routes?|deliveries|trips?|stops?"
     r"|customers?|areas?|regions?)\b)", 1.2),
    (r"邊度有|邊個倉有|\bwhere (?:can i|do we) (?:get|have)\b", 1.5),
)


def build(understood: Understanding, ctx: ToolContext) -> StockLookupInput:
    """The product, the quantity wanted when said, and the one location asked about when named."""
    return said_only(StockLookupInput, product=named_product(understood), qty=understood.slots.qty or None,
                     location=understood.slots.location)


SKILL = ToolSkill(
    name="stock_lookup", input_model=StockLookupInput, result_model=StockLookupResult, cues=CUES,
    needs=(NEED_PRODUCT,), build=build, render=render, carry_over=("sku",),
    refused_en="stock figures", refused_zh="庫存資料",
)
