"""The `supplier_info` skill: who supplies a product, lead time, MOQ ("漂白水冇晒貨要搵邊個供應商?")."""

from __future__ import annotations

from bot.render.suppliers import render
from bot.skills.skill import NEED_PRODUCT, ToolSkill, named_product
from bot.understanding import Cue, Understanding
from tools.registry import ToolContext
from tools.suppliers import SupplierInfoInput, SupplierInfoResult

CUES: tuple[Cue, ...] = (
    # "which supplier", "who makes it", MOQ, "how long does a purchase order take to arrive"
    (r"供應商|供貨商|供應商|邊個供應|邊間供應|邊度供應|邊間廠|邊個廠|邊家廠|搵邊個入貨|向邊個入貨|邊度入貨|由邊度入貨"
     r"|入貨要幾耐|入貨要幾多日|入貨要幾日|入貨幾耐|訂貨要幾耐|落單要幾耐先到|落單入貨要幾耐"
     r"|起訂量|最少訂|最低訂購|最少要訂|最少入幾多|最少要入|\bmoq\b", 4.2),
    (r"哪個供應商|哪家供應商|誰供應|進貨要多久|訂貨要多久|最低起訂", 4.2),  # Mandarin
    (r"\bsuppl(?:ier|iers|ies|y)\b|\bvendors?\b|\bwho makes\b|\bminimum order(?: qty| quantity)?\b"
     r"|\bmanufacturers?\b|\bsourced? from\b", 3.6),
    (r"\blead[- ]?times?\b", 2.0),
)


def build(understood: Understanding, ctx: ToolContext) -> SupplierInfoInput:
    """The product named."""
    return SupplierInfoInput(product=named_product(understood) or "")


SKILL = ToolSkill(
    name="supplier_info", input_model=SupplierInfoInput, result_model=SupplierInfoResult, cues=CUES,
    needs=(NEED_PRODUCT,), build=build, render=render, carry_over=("sku",),
    refused_en="supplier details", refused_zh="供應商資料",
)
