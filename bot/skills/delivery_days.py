"""The `delivery_calendar` skill: is a day a delivery day ("聖誕節送唔送貨?", "do we deliver on 26 Dec?").

Which questions come here and which go to `plan_routes`: a yes/no question about whether deliveries or vans
run on a day (送唔送貨, 有冇車, 開唔開工, "do we deliver", "any vans on Sunday?", "next delivery day") is a
calendar question, whatever the day; a question about how the vans are arranged (點排, 路線, 邊架車, route plan)
stays with `plan_routes`. A calendar question that names a product, an area or an order is a delivery
question (the product tools answer it with the same calendar).
"""

from __future__ import annotations

from bot.render.delivery_days import render
from bot.skills.skill import ToolSkill, said_only
from bot.understanding import Cue, Understanding
from tools.delivery_days import DeliveryCalendarInput, DeliveryCalendarResult
from tools.registry import ToolContext

#: Weather suspends deliveries too, but that is an SOP question ("颱風八號波仲送唔送貨?").
_NOT_WEATHER = r"^(?!.*(?:颱風|風球|八號|十號|波|黑雨|紅雨|暴雨|typhoon|rainstorm|signal|\bt8\b))"

CUES: tuple[Cue, ...] = (
    (_NOT_WEATHER + r".*(?:送唔送貨|送不送貨|送唔送|有冇(?:得)?送貨|有冇車|有無車|有沒有車|開唔開工|返唔返工|開唔開車"
     r"|出唔出車|使唔使送貨|係咪送貨日|係唔係送貨日|送唔送得|係咪假期|係唔係假期|放唔放假|邊日(?:唔|冇|不)送"
     r"|(?:下|下一)個送貨日|幾時(?:再|先)?有車|幾時(?:再|先)?(?:開始|恢復)送|唔送貨|冇車送|不送貨|休息唔送)", 3.6),
    (_NOT_WEATHER + r".*(?:\bdo (?:we|you|the vans?|vans) (?:deliver|run|work|ship|operate)\b|\bdelivery days?\b"
     r"|\bworking days?\b|\bnext delivery day\b|\bare (?:we|you|the vans?|vans) (?:open|working|running|delivering)\b"
     r"|\bany (?:vans?|deliver(?:y|ies))\b|\bvans? (?:running|out|on)\b|\bis .{0,30}\ba (?:holiday|delivery day)\b"
     r"|\bpublic holidays?\b|\bdeliver(?:y|ies)? on\b|\bclosed on\b)", 3.4),
)


def build(understood: Understanding, ctx: ToolContext) -> DeliveryCalendarInput:
    """The day said (today when none); a period said gives the range."""
    slots = understood.slots
    end = slots.date_to if slots.date_to and slots.date_from and slots.date_to != slots.date_from else None
    return said_only(DeliveryCalendarInput, date=slots.date_from, end=end)


SKILL = ToolSkill(
    name="delivery_calendar", input_model=DeliveryCalendarInput, result_model=DeliveryCalendarResult, cues=CUES,
    needs=(), build=build, render=render,
    refused_en="the delivery calendar", refused_zh="送貨日曆",
)
