"""SOP answers phrased by the LLM from retrieved passages only, each statement cited.

Used by `search_sop` on the llm brain: retrieval finds the passages, the model writes a short answer
from them, and the answer is checked before anyone sees it: it must cite at least one of the given
passages, cite no passage that was not given, and carry no number the passages or the question lack.
Anything else raises `AgentUnavailable`, and the caller shows the passages themselves instead.
"""

from __future__ import annotations

import re
import time
from collections.abc import Sequence
from typing import Protocol

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import HumanMessage, SystemMessage
from pydantic import BaseModel, Field

from bot.agent.calls import AgentStep, final_text, in_reply_language, invoke_within_deadline
from bot.agent.chat_model import build_chat_model
from bot.agent.errors import AgentUnavailable
from bot.agent.grounding import ungrounded_figures
from bot.messages import Source
from bot.prompts import sop_synthesis_prompt
from core.config import Settings
from tools.registry import Lang

MAX_PASSAGES = 6
MAX_PASSAGE_CHARS = 1500
_CITATION = re.compile(r"\[(\d{1,2})\]")


class SopPassageLike(Protocol):
    """What synthesis needs of a retrieved passage (`knowledge.retrieval.Passage` fits)."""

    doc: str
    section: str
    text: str


class SopAnswer(BaseModel):
    """A synthesised policy answer with readable citations, and the passages it cites."""

    text: str
    sources: list[Source] = Field(default_factory=list)
    latency_ms: float = 0.0


def passages_message(question: str, passages: Sequence[SopPassageLike]) -> str:
    """The user message: the question, then the numbered passages with document and section."""
    blocks = [f"Question: {question.strip()}", "", "Passages:"]
    for number, passage in enumerate(passages, start=1):
        blocks.append(f"[{number}] {passage.doc} § {passage.section}\n{passage.text.strip()[:MAX_PASSAGE_CHARS]}")
        blocks.append("")
    return "\n".join(blocks).rstrip()


def synthesise_sop_answer(settings: Settings, question: str, passages: Sequence[SopPassageLike], lang: Lang,
                          chat_model: BaseChatModel | None = None) -> SopAnswer:
    """Ask the LLM to answer `question` only from `passages` (best first), citing them.

    The `[n]` markers of the model's answer become `(doc § section)`; `sources` lists the passages
    cited, in order of first citation. Raises `AgentUnavailable` when there are no passages, the model
    fails or times out, cites nothing or a passage it was not given, or writes an ungrounded number.
    """
    given = list(passages)[:MAX_PASSAGES]
    if not given:
        raise AgentUnavailable("no passages to answer from")
    started = time.monotonic()
    model = chat_model or build_chat_model(settings)
    messages = [SystemMessage(sop_synthesis_prompt(lang)), HumanMessage(passages_message(question, given))]
    steps: list[AgentStep] = []
    reply = invoke_within_deadline(model, messages, started + settings.llm.timeout_s, settings.llm.max_retries,
                                   steps)
    text = in_reply_language(final_text(reply), lang)
    if not text:
        raise AgentUnavailable("empty answer")

    cited_numbers = [int(number) for number in _CITATION.findall(text)]
    if not cited_numbers:
        raise AgentUnavailable("answer cites no passage")
    if any(not 1 <= number <= len(given) for number in cited_numbers):
        raise AgentUnavailable("answer cites a passage it was not given")
    unmarked = _CITATION.sub(" ", text)
    sources_text = [question, *(f"{p.doc} {p.section} {p.text[:MAX_PASSAGE_CHARS]}" for p in given)]
    if ungrounded_figures(unmarked, sources_text):
        raise AgentUnavailable("ungrounded number")

    order: list[int] = list(dict.fromkeys(cited_numbers))
    readable = _CITATION.sub(lambda match: _citation(given[int(match.group(1)) - 1]), text)
    return SopAnswer(text=readable,
                     sources=[Source(doc=given[n - 1].doc, section=given[n - 1].section) for n in order],
                     latency_ms=(time.monotonic() - started) * 1000)


def _citation(passage: SopPassageLike) -> str:
    return f"({passage.doc} § {passage.section})"
