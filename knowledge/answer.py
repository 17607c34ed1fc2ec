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
from knowledge.retrieval import is_introduction as is_intro_section
from knowledge.text import expand, words

# A second passage is quoted too when its fused score is this close to the best one's.
SECOND_PASSAGE_SHARE = 0.85
MAX_QUOTE_CHARS = 420

_INSTRUCTION_LIKE = re.compile(
    r"ignore (?:all |any |your |the )*(?:previous |prior |above |earlier )*(?:instructions|rules|prompts?)"
    r"|disregard .{0,30}(?:instructions|rules)|system prompt|you are now|developer mode"
    r"|\b(?:call|run|invoke) the \w+ tool\b|(?:list|reveal|print|show) (?:all |every )?(?:the )?(?:unit costs?|prompts?"
    r"|passwords?|tokens?|api keys?)\b"
    r"|忽略(?:之前|以上|先前|所有)|唔好理.{0,6}(?:指示|規則)|無視.{0,6}(?:指示|規則)",
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
    looks_like_instruction: bool = Field(False, description="a line of the passage read like an instruction to the "
                                                            "bot and was left out of the quote")


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
    passages = _rules_first(passages)
    best = passages[0]
    # A second passage is quoted only from the same document (a neighbouring rule), never its header block.
    chosen = [best] + [p for p in passages[1:2]
                       if p.doc == best.doc and p.section not in (best.section, p.title)
                       and not is_introduction(p) and p.score >= SECOND_PASSAGE_SHARE * best.score]
    quotes = [_quote(p, question) for p in chosen]
    section = _section_tail(best.section)
    if lang == "zh-HK":
        lead_in = f"根據《{best.title}》「{section}」:"
    else:
        lead_in = f"According to “{best.title}” ({section}):"
    return SopAnswer(found=True, lang=lang, lead_in=lead_in, quotes=quotes,
                     citations=[quote.citation for quote in quotes])


def is_introduction(passage: Passage) -> bool:
    """True for a document's header block or a section that only says what the document covers."""
    return is_intro_section(passage.section, passage.title)


def _rules_first(passages: list[Passage]) -> list[Passage]:
    """The passages with the best one replaced by a rule of the same document when the best is only the
    document's introduction: a broad "退貨政策係點?" matches the title and the scope best, but the answer is in
    the rules."""
    best = passages[0]
    if not is_introduction(best):
        return passages
    rules = [p for p in passages[1:] if p.doc == best.doc and not is_introduction(p)]
    if not rules:
        return passages
    return [rules[0], *[p for p in passages if p is not rules[0]]]


def _quote(passage: Passage, question: str) -> Quote:
    """A passage trimmed for the question. Retrieved text is data: a line that reads like an instruction to the
    bot ("ignore previous instructions ...") is left out, and the quote says that a line was left out."""
    lines = passage.text.replace("**", "").splitlines()
    kept = [line for line in lines if not _INSTRUCTION_LIKE.search(line)]
    flagged = len(kept) < len(lines)
    return Quote(text=trim_passage("\n".join(kept), question), lang=passage.lang,
                 citation=Citation(doc=passage.doc, title=passage.title, section=passage.section),
                 looks_like_instruction=flagged)


def _section_tail(section: str) -> str:
    parts = section.split(" > ")
    return parts[-1] if len(parts) > 1 else section
