"""The LLM tool-calling agent: a bounded loop of model turns and tool calls through the one registry.

The loop is ours, not a LangChain agent executor, so that every bound is explicit: at most
`llm.max_steps` model calls (the last one is offered no tools, so it must answer), one overall
deadline of `llm.timeout_s` covering every request and retry, at most `_MAX_CALLS_PER_TURN` tool
calls per model turn. Every tool call goes through `ToolRegistry.call`, so validation and roles
apply exactly as for the deterministic layer. Anything unusable raises `AgentUnavailable`.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, SystemMessage, ToolMessage

from bot.agent.calls import AgentStep, final_text, in_reply_language, invoke_within_deadline
from bot.agent.chat_model import build_chat_model
from bot.agent.errors import AgentUnavailable
from bot.agent.grounding import ungrounded_figures
from bot.agent.tool_bridge import (
    bad_arguments_message,
    openai_tool_definition,
    too_many_calls_message,
    tool_message_content,
)
from bot.prompts import agent_system_prompt
from core.config import Settings
from tools.registry import Lang, ToolContext, ToolOutcome, ToolRegistry

log = logging.getLogger(__name__)

_MAX_CALLS_PER_TURN = 6
_MAX_HISTORY_MESSAGES = 8
_USER_SPEAKERS = {"user", "human"}
_ASSISTANT_SPEAKERS = {"assistant", "ai", "bot"}


@dataclass
class AgentAnswer:
    """The agent's final text, the tool outcomes it rests on, and the steps it took."""

    text: str
    lang: Lang
    outcomes: list[ToolOutcome] = field(default_factory=list)
    steps: list[AgentStep] = field(default_factory=list)
    latency_ms: float = 0.0

    @property
    def primary_tool(self) -> str | None:
        """The first tool that answered successfully (the question's intent), if any."""
        return next((outcome.name for outcome in self.outcomes if outcome.ok), None)

    @property
    def model_turns(self) -> int:
        """How many times the model was called."""
        return sum(1 for step in self.steps if step.kind == "model")


class LLMAgent:
    """Answers a question with an OpenAI-compatible model that calls the registry's tools."""

    def __init__(self, settings: Settings, registry: ToolRegistry, chat_model: BaseChatModel | None = None) -> None:
        self._settings = settings
        self._registry = registry
        self._chat_model = chat_model

    @property
    def chat_model(self) -> BaseChatModel:
        """The chat model, built from settings on first use."""
        if self._chat_model is None:
            self._chat_model = build_chat_model(self._settings)
        return self._chat_model

    def warm_up(self) -> None:
        """Import the client library and build the chat model now (no request), so the first answer is quick."""
        _ = self.chat_model

    def answer(self, question: str, ctx: ToolContext,
               history: Sequence[tuple[str, str]] = ()) -> AgentAnswer:
        """Answer `question` for `ctx`'s role and language, calling tools as the model asks.

        `history` holds earlier turns, oldest first, each `("user" | "assistant", text)`; any other
        tuple is read as a `(question, answer)` exchange. Raises `AgentUnavailable` when the model
        fails, times out, exhausts its steps, answers empty, or shows a number no tool produced.
        """
        started = time.monotonic()
        deadline = started + self._settings.llm.timeout_s
        specs = self._registry.specs_for(ctx.role)
        tool_definitions = [openai_tool_definition(spec) for spec in specs]
        model_with_tools: Any = self.chat_model.bind_tools(tool_definitions) if tool_definitions else self.chat_model
        messages: list[BaseMessage] = [SystemMessage(agent_system_prompt(ctx, [spec.name for spec in specs]))]
        messages.extend(_history_messages(history))
        messages.append(HumanMessage(question))
        outcomes: list[ToolOutcome] = []
        steps: list[AgentStep] = []
        max_turns = max(1, self._settings.llm.max_steps)

        for turn in range(max_turns):
            last_turn = turn == max_turns - 1
            reply = invoke_within_deadline(self.chat_model if last_turn else model_with_tools, messages, deadline,
                                           self._settings.llm.max_retries, steps)
            messages.append(reply)
            if not reply.tool_calls and not reply.invalid_tool_calls:
                text = in_reply_language(final_text(reply), ctx.lang)
                self._check_usable(text, question, ctx, outcomes)
                return AgentAnswer(text=text, lang=ctx.lang, outcomes=outcomes, steps=steps,
                                   latency_ms=(time.monotonic() - started) * 1000)
            if last_turn:
                break
            messages.extend(self._run_tool_calls(reply, ctx, outcomes, steps))
        raise AgentUnavailable("step limit reached without an answer")

    def _run_tool_calls(self, reply: AIMessage, ctx: ToolContext, outcomes: list[ToolOutcome],
                        steps: list[AgentStep]) -> list[ToolMessage]:
        """Run the turn's tool calls through the registry; each result or error becomes a tool message."""
        tool_messages: list[ToolMessage] = []
        for index, call in enumerate(reply.tool_calls):
            call_id = call.get("id") or f"call_{index}"
            if index >= _MAX_CALLS_PER_TURN:
                steps.append(AgentStep("tool", call["name"], False, 0.0, "too many calls"))
                tool_messages.append(ToolMessage(too_many_calls_message(call["name"], _MAX_CALLS_PER_TURN),
                                                 tool_call_id=call_id, name=call["name"]))
                continue
            outcome = self._registry.call(call["name"], dict(call.get("args") or {}), ctx)
            outcomes.append(outcome)
            steps.append(AgentStep("tool", call["name"], outcome.ok, outcome.latency_ms,
                                   "" if outcome.ok else type(outcome.error).__name__))
            tool_messages.append(ToolMessage(tool_message_content(outcome), tool_call_id=call_id, name=call["name"]))
        for index, invalid in enumerate(reply.invalid_tool_calls):
            name = invalid.get("name") or "unknown"
            steps.append(AgentStep("tool", name, False, 0.0, "malformed arguments"))
            tool_messages.append(ToolMessage(bad_arguments_message(name, "not valid JSON"),
                                             tool_call_id=invalid.get("id") or f"invalid_{index}", name=name))
        return tool_messages

    def _check_usable(self, text: str, question: str, ctx: ToolContext, outcomes: list[ToolOutcome]) -> None:
        """Refuse an empty answer or one with a number that no tool, the question or today's date holds."""
        if not text:
            raise AgentUnavailable("empty answer")
        ungrounded = ungrounded_figures(text, [question, ctx.now.isoformat(sep=" ")], outcomes)
        if ungrounded:
            log.warning("LLM answer had %d ungrounded number(s); using the rules answer", len(ungrounded))
            raise AgentUnavailable("ungrounded number")


def _history_messages(history: Sequence[tuple[str, str]]) -> list[BaseMessage]:
    messages: list[BaseMessage] = []
    for first, second in history:
        speaker = first.strip().lower()
        if speaker in _USER_SPEAKERS:
            messages.append(HumanMessage(second))
        elif speaker in _ASSISTANT_SPEAKERS:
            messages.append(AIMessage(second))
        else:  # a (question, answer) exchange
            messages.extend([HumanMessage(first), AIMessage(second)])
    return messages[-_MAX_HISTORY_MESSAGES:]
