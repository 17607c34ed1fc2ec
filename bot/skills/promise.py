"""The `check_promise` skill: can a quantity reach an area by a day ("聽日可唔可以送 50 件藍樽去旺角?")."""

from __future__ import annotations

from datetime import date, datetime, time

from pydantic import BaseModel

from bot.render.promise import render
from bot.skills import eta
from bot.skills.skill import NEED_AREA, NEED_PRODUCT, AskBack, ToolSkill, named_product
from bot.understanding import Cue, Understanding
from bot.understanding.entities import FEASIBLE_DELIVERY
from tools.promise import CheckPromiseInput, CheckPromiseResult
from tools.registry import ToolContext

CUES: tuple[Cue, ...] = (
    (r"趕唔趕到|趕唔趕得切|趕得切|趕得到|得唔得|可唔可以答應|答應|應承|保證|承諾|一定送到|做唔做到|做得到|可唔可以.*送到", 3.2),
    (r"可以嗎|能不能|能否|來得及|趕得及|可不可以", 2.6),
    # "聽日可唔可以送…?", "明天能送…嗎?": can it be delivered (by a day) — a promise question
    (FEASIBLE_DELIVERY, 2.6),
    (r"(?:可唔可以|得唔得|ok\s*嗎|ok唔ok|行唔行|冇問題嘛|得嗎)\s*[?]?\s*$", 2.6),
    (r"\bok\s*\?|\bokay\s*\?|\bpossible\b|\bdoable\b|\bfeasible\b|\bcan (?:we|i) make\b", 2.4),
    (r"\bcan i promise\b|\bpromise\b|\bguarantee\b|\bcommit\b|\bmake it\b|\bin time\b|\bcan we (?:do|deliver)\b", 3.0),
)


def build(understood: Understanding, ctx: ToolContext) -> BaseModel | AskBack:
    """Product, quantity (1 when not said), area and the promised day (with its clock time when said); with no
    day, the delivery date instead."""
    slots = understood.slots
    if not slots.date_to:
        return eta.SKILL.plan(understood, ctx)
    deadline: date | datetime = slots.date_to
    if slots.time:
        hour, minute = (int(part) for part in slots.time.split(":"))
        deadline = datetime.combine(slots.date_to, time(hour, minute))
    return CheckPromiseInput(product=named_product(understood) or "", qty=slots.qty or 1, area=slots.area or "",
                             deadline=deadline)


SKILL = ToolSkill(
    name="check_promise", input_model=CheckPromiseInput, result_model=CheckPromiseResult, cues=CUES,
    needs=(NEED_PRODUCT, NEED_AREA), build=build, render=render, carry_over=("sku", "qty", "area"),
    refused_en="promise checks", refused_zh="承諾檢查",
)
