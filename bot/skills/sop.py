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
    (r"可唔可以改|改期|改時間|改送貨|改(?:遲|早)|更改|取消|\bcancel|\breschedul|\bchange (?:the |a |my )?delivery", 2.6),
    (r"\bpolicy\b|\bprocedure\b|\bprocess\b|\breturns?\b|\brefund"
     r"|\btyphoon\b|\bblack rain|\brules? for\b|\bsop\b|\bwarranty\b|\bcomplain|\bsurcharge|\bpenalt", 3.0),
    (r"申請|表格|審批|批核|\brequest (?:a|an)\b|\bapply for\b|\bapproval\b|\bforms?\b", 2.0),  # paperwork
    # Which form or paperwork a step needs decides the question alone, whatever the step is about
    # ("想由 A 調貨去 B,要填咩表?", "What paperwork does the truck need at the border?").
    (r"填(?:咩|乜|邊|什麼|甚麼|哪)?(?:張|份|啲|些)?(?:表|單|文件)|要(?:帶|交|準備)(?:咩|乜|邊|什麼|甚麼|哪)(?:啲|些)?文件"
     r"|\bpaperwork\b|\b(?:which|what) (?:forms?|documents?|papers)\b|\bwho (?:needs to |must |has to |should )?"
     r"(?:sign|signs) off\b|\bwho (?:needs to |must |has to |should )?approves?\b", 5.0),
    # What customers are allowed to do is a policy ("Can customers collect the order themselves?").
    (r"\b(?:can|may|could) (?:a |the |our )?customers?\b|\bare customers allowed\b|\bis a customer allowed\b"
     r"|客(?:人|戶)?(?:可唔可以|可不可以|可以|能唔能夠|能不能|能否)(?:自己)?", 2.6),
)


def build(understood: Understanding, ctx: ToolContext) -> SearchSopInput:
    """The question as asked (normalised)."""
    return SearchSopInput(question=understood.normalized)


SKILL = ToolSkill(
    name="search_sop", input_model=SearchSopInput, result_model=SearchSopResult, cues=CUES,
    needs=(), build=build, render=render,
    refused_en="company procedures", refused_zh="公司程序文件",
)
