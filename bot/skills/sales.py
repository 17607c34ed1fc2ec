"""The `sales_summary` skill: what sold, where and how it compares ("上個月邊區賣得最好?")."""

from __future__ import annotations

from bot.render.sales import attachments, render
from bot.skills.skill import ToolSkill, said_only
from bot.understanding import Cue, Understanding
from tools.registry import ToolContext
from tools.sales import SalesSummaryInput, SalesSummaryResult

CUES: tuple[Cue, ...] = (
    (r"賣得最好|賣得最多|賣得點|賣得好|銷售|銷量|營業額|生意|賣咗幾多|業績|排行|最好賣|最多人買|邊區|賣得差", 3.0),
    (r"銷量最高|賣得最多|哪個區|哪區|賣得怎麼樣|賣了多少|賣得最好|哪款|哪個產品", 3.0),
    # a gross-margin question is a sales question (the tool shows it to cost roles only)
    (r"毛利|利潤|\bmargins?\b|\bgross profit|\bprofits?\b", 2.6),
    (r"渠道|\bchannels?\b", 1.5),
    (r"賣得(?:多|少)|\bdid we sell\b|\bhave we sold\b|\bwe sold\b|\bsold (?:last|this|yesterday)", 2.8),
    (r"\btop\s*\d*\s*(?:products?|skus?|items?|sellers?)\b", 2.8),
    (r"\btop\s*-?\s*\d{1,2}\b|頭\s*\S{1,2}\s*(?:名|位)|前\s*\S{1,2}\s*名|最好賣嘅?\s*\S{1,2}\s*款", 2.6),
    (r"\bsales\b|\brevenue\b|\bbest[- ]sell|\btop[- ]sell|\bsold\b|\bturnover\b|\bperformance\b|\bwhich region\b", 2.8),
    (r"\bvs\.?\b|\bversus\b|比較|對比|最高|最多|最低|\bhighest\b|\blowest\b", 0.9),
)


def build(understood: Understanding, ctx: ToolContext) -> SalesSummaryInput:
    """The period said; the grouping, measure, top N and channel said; the product (else the category), the
    area (else the region) named as filters — except places listed to be compared ("港島、九龍、新界邊區賣得
    最好?"), which are the grouping, not a filter. Top N and the channel come from this message's own words."""
    slots = understood.slots
    words = understood.entities
    period = bool(slots.date_from and slots.date_to)
    compared_regions = slots.group_by == "region" and len({m.code for m in words.regions}) >= 2
    compared_areas = slots.group_by == "area" and len({m.code for m in words.areas}) >= 2
    area = None if compared_areas or slots.group_by == "area" and not words.areas else slots.area or None
    region = None if compared_regions or area or slots.group_by == "region" and not words.regions \
        else slots.region or None
    return said_only(
        SalesSummaryInput, start=slots.date_from if period else None, end=slots.date_to if period else None,
        group_by=slots.group_by if slots.group_by in _GROUPINGS else None, measure=slots.measure or None,
        product=slots.sku or None, category=None if slots.sku else slots.category or None,
        area=area, region=region, channel=words.channel, limit=words.top_n,
    )


_GROUPINGS = ("region", "area", "product", "category", "channel", "zone")


SKILL = ToolSkill(
    name="sales_summary", input_model=SalesSummaryInput, result_model=SalesSummaryResult, cues=CUES,
    needs=(), build=build, render=render, attachments=attachments,
    refused_en="sales figures", refused_zh="銷售數字",
)
