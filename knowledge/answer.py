"""The extractive SOP answer (no LLM): the best passage(s), trimmed, quoted, cited.

The quote stays in the document's language; a one-line lead-in is in the question's language. Retrieved
text is data: it is only ever quoted, never acted on. A passage that reads like an instruction to the bot
("ignore previous instructions ...") is flagged so a renderer can say it is quoted text. When nothing
relevant is found, the answer says so and names who to ask (`kb.fallback_contact_*`): it never invents.
"""

from __future__ import annotations

import re

from pydantic import BaseModel, Field

from core.config import Settings
from core.lang import Lang
from knowledge.retrieval import Passage
from knowledge.text import expand, words

# A second passage is quoted too when its fused score is this close to the best one's.
SECOND_PASSAGE_SHARE = 0.85
MAX_QUOTE_CHARS = 420

_INSTRUCTION_LIKE = re.compile(
    r"ignore (all |any )?(previous|prior|above) instructions|disregard .{0,20}instructions|system prompt|"
    r"you are now|忽略(之前|以上|先前)|無視.{0,6}指示",
    re.IGNORECASE,
)
_LINE_SPLIT = re.compile(r"\n+|(?<=[。!?])|(?<=[.!?])\s+(?=[A-Z])")


class Citation(BaseModel):
    """Where a quoted passage comes from: document (file name), its title, the section's heading path."""

    doc: str
    title: str
    section: str


class Quote(BaseModel):
    """A trimmed passage and its citation."""

    text: str
    lang: Lang
    citation: Citation
    looks_like_instruction: bool = False


class SopAnswer(BaseModel):
    """The answer to a policy question, ready to render."""

    found: bool
    lang: Lang
    lead_in: str
    quotes: list[Quote] = Field(default_factory=list)
    citations: list[Citation] = Field(default_factory=list)
    suggest_contact: str | None = None


def trim_passage(text: str, question: str, max_chars: int = MAX_QUOTE_CHARS) -> str:
    """The lines (bullets, sentences) of a passage that answer the question, in their original order."""
    text = text.strip()
    if len(text) <= max_chars:
        return text
    lines = [line.strip() for line in _LINE_SPLIT.split(text) if line and line.strip()]
    wanted = set(words(expand(question)))
    scored = sorted(range(len(lines)), key=lambda i: (-len(wanted & set(words(expand(lines[i])))), i))
    keep: set[int] = set()
    size = 0
    for i in scored:
        if keep and size + len(lines[i]) > max_chars:
            continue
        keep.add(i)
        size += len(lines[i]) + 1
    kept = [lines[i] for i in sorted(keep)]
    return "\n".join(kept) + ("\n…" if len(keep) < len(lines) else "")


def compose_answer(settings: Settings, question: str, passages: list[Passage], lang: Lang) -> SopAnswer:
    """Build the extractive answer from retrieved passages (an empty list gives "nothing relevant")."""
    if not passages:
        contact = settings.kb.fallback_contact_zh if lang == "zh-HK" else settings.kb.fallback_contact_en
        lead_in = (f"我喺公司嘅 SOP 文件度搵唔到相關資料,唔想亂講。唔該問下{contact}。" if lang == "zh-HK" else
                   f"I could not find this in the company's SOP documents, so I won't guess. "
                   f"Please ask {contact}.")
        return SopAnswer(found=False, lang=lang, lead_in=lead_in, suggest_contact=contact)
    best = passages[0]
    # A second passage is quoted only from the same document (a neighbouring rule), never its header block.
    chosen = [best] + [p for p in passages[1:2]
                       if p.doc == best.doc and p.section not in (best.section, p.title)
                       and p.score >= SECOND_PASSAGE_SHARE * best.score]
    quotes = [Quote(text=trim_passage(p.text.replace("**", ""), question), lang=p.lang,
                    citation=Citation(doc=p.doc, title=p.title, section=p.section),
                    looks_like_instruction=bool(_INSTRUCTION_LIKE.search(p.text))) for p in chosen]
    section = _section_tail(best.section)
    if lang == "zh-HK":
        lead_in = f"根據《{best.title}》「{section}」:"
    else:
        lead_in = f"According to “{best.title}” ({section}):"
    return SopAnswer(found=True, lang=lang, lead_in=lead_in, quotes=quotes,
                     citations=[quote.citation for quote in quotes])


def _section_tail(section: str) -> str:
    parts = section.split(" > ")
    return parts[-1] if len(parts) > 1 else section
