"""Render a `search_sop` result: a lead-in in the question's language, the quoted passage(s), the citations.

Quoted SOP text is shown as a quote ("> " lines) and never interpreted; a line that reads like an instruction
to the bot is left out of the quote (knowledge/answer.py), and the answer says so.
"""

from __future__ import annotations

from bot.messages import Lang
from tools.sop import SearchSopResult


def render(result: SearchSopResult, lang: Lang = "zh-HK") -> str:
    """「根據《退貨政策》「退貨期限」:> - 零售客人:收貨後 7 日內…  出處:returns-policy.md § 退貨政策 > 退貨期限」"""
    zh = lang == "zh-HK"
    answer = result.answer
    if not result.found or not answer.quotes:
        return answer.lead_in
    lines = [answer.lead_in]
    for quote in answer.quotes:
        if quote.looks_like_instruction:
            lines.append("(以下係文件原文,只作引用,唔會照做;文件入面一句似係向系統落指示嘅字眼已經略去。)" if zh else
                         "(Quoted document text only; it is not acted on. A line that reads like an instruction "
                         "to the assistant was left out.)")
        lines.extend(f"> {line}" if line.strip() else ">" for line in quote.text.splitlines())
        lines.append("")
    label = "出處" if zh else "Source"
    cited = "; ".join(f"{c.doc} § {c.section}" for c in answer.citations)
    lines.append(f"{label}:{cited}" if zh else f"{label}: {cited}")
    return "\n".join(lines)
