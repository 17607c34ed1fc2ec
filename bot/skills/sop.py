"""The `search_sop` skill: what the company's procedures say ("退貨政策係點?")."""

from __future__ import annotations

from bot.render.sop import render
from bot.skills.skill import ToolSkill
from bot.understanding import Cue, Understanding
from tools.registry import ToolContext
from tools.sop import SearchSopInput, SearchSopResult

CUES: tuple[Cue, ...] = (
    (r"政策|流程|規定|手續|程序|守則|指引|可唔可以退|退貨|換貨|退款|颱風|八號波|黑雨|紅雨|投訴|保養"
     r"|附加費|額外收費|手續費|罰款|賠償|規則|條款", 3.0),
    (r"可唔可以改|改期|改時間|改送貨|更改|取消|\bcancel|\breschedul|\bchange (?:the |a |my )?delivery", 2.6),
    (r"\bpolicy\b|\bprocedure\b|\bprocess\b|\breturns?\b|\brefund"
     r"|\btyphoon\b|\bblack rain|\brules? for\b|\bsop\b|\bwarranty\b|\bcomplain|\bsurcharge|\bpenalt", 3.0),
    (r"申請|表格|審批|批核|\brequest (?:a|an)\b|\bapply for\b|\bapproval\b|\bforms?\b", 2.0),  # paperwork
)


def build(understood: Understanding, ctx: ToolContext) -> SearchSopInput:
    """The question as asked (normalised)."""
    return SearchSopInput(question=understood.normalized)


SKILL = ToolSkill(
    name="search_sop", input_model=SearchSopInput, result_model=SearchSopResult, cues=CUES,
    needs=(), build=build, render=render,
    refused_en="company procedures", refused_zh="公司程序文件",
)
