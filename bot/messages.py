"""The one internal message type every channel converts to, and the one reply type it converts back."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, Field

from core.lang import Lang

#: How one turn ended, as the audit log records it (assistant, sign-in and channels use these words only).
Outcome = Literal["answered", "asked_back", "no_data", "refused", "partial_refusal", "input_error", "fault",
                  "link_sent"]
#: The intent of a reply when answering failed (a fault): the same label from the assistant and the channels.
FAULT_INTENT = "error"


class IncomingMessage(BaseModel):
    """A question from any channel: who, where, which thread, what text."""

    text: str
    channel: str = "cli"  # cli | api | web | slack | telegram | whatsapp | eval
    user: str | None = None  # a handle `platform:id` as in staff.csv, e.g. "slack:U012AB3CD"
    role: str | None = None  # an explicit role (CLI --role, API, demo web page); wins over `user` only where allowed
    session: str | None = None  # conversation id for follow-ups; channels derive it from chat/thread
    chat_id: str | None = None
    thread_id: str | None = None
    message_id: str | None = None
    now: str | None = None  # fixes the clock for this question (ISO date-time)


class ToolCallRecord(BaseModel):
    """One tool call as the `--json` contract shows it."""

    name: str
    args: dict[str, Any]
    ok: bool


class Source(BaseModel):
    """A cited SOP passage."""

    doc: str
    section: str


class Attachment(BaseModel):
    """An image (a chart) a channel may send with the answer."""

    path: Path
    title: str = ""


class Reply(BaseModel):
    """The answer to one message, before a channel renders it."""

    answer: str
    lang: Lang = "en"
    intent: str = "unknown"
    brain: Literal["rules", "llm"] = "rules"
    tool_calls: list[ToolCallRecord] = Field(default_factory=list)
    sources: list[Source] = Field(default_factory=list)
    latency_ms: float = 0.0
    attachments: list[Attachment] = Field(default_factory=list)

    def contract(self) -> dict[str, Any]:
        """The JSON object of product.md's `ask --json` / `POST /api/ask` contract."""
        return {
            "answer": self.answer,
            "lang": self.lang,
            "intent": self.intent,
            "brain": self.brain,
            "tool_calls": [call.model_dump() for call in self.tool_calls],
            "sources": [source.model_dump() for source in self.sources],
            "latency_ms": round(self.latency_ms, 2),
        }
