"""One model call under the agent's rules: a shared deadline, bounded retries, errors made typed."""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

import openai
from langchain_core.messages import AIMessage, BaseMessage

from bot.agent.errors import AgentUnavailable
from bot.understanding.normalize import has_han, to_traditional
from tools.registry import Lang

log = logging.getLogger(__name__)

_MIN_USEFUL_SECONDS = 0.05
# Worth another try while time remains: overload, rate limits, dropped connections (not timeouts).
_RETRYABLE = (openai.RateLimitError, openai.InternalServerError, openai.APIConnectionError)
# Reasoning models served by Ollama / vLLM may put their scratch work in the content.
_THINKING = re.compile(r"<think>.*?</think>", re.DOTALL | re.IGNORECASE)
_LATIN = re.compile(r"[A-Za-z]")


@dataclass
class AgentStep:
    """One step of the loop, for the audit log: a model turn or a tool call."""

    kind: Literal["model", "tool"]
    name: str
    ok: bool
    latency_ms: float
    detail: str = ""


def invoke_within_deadline(model: Any, messages: Sequence[BaseMessage], deadline: float, max_retries: int,
                           steps: list[AgentStep]) -> AIMessage:
    """Call the chat model once, retrying transient failures while the `time.monotonic()` deadline allows.

    Each request's timeout is the time left, so no attempt outlives the deadline. Records each attempt
    in `steps`. Raises `AgentUnavailable` on a timeout, a rejected request, or an unusable response.
    """
    attempts = max(0, max_retries) + 1
    for attempt in range(attempts):
        remaining = deadline - time.monotonic()
        if remaining < _MIN_USEFUL_SECONDS:
            raise AgentUnavailable("timed out")
        started = time.perf_counter()
        try:
            reply = model.invoke(list(messages), timeout=remaining)
        except openai.APITimeoutError as exc:
            steps.append(AgentStep("model", "llm", False, _ms(started), "timeout"))
            raise AgentUnavailable("timed out") from exc
        except _RETRYABLE as exc:
            steps.append(AgentStep("model", "llm", False, _ms(started), error_label(exc)))
            log.warning("LLM call failed (%s), attempt %d of %d", error_label(exc), attempt + 1, attempts)
            if attempt + 1 < attempts:
                time.sleep(max(0.0, min(0.2 * 2**attempt, deadline - time.monotonic())))
                continue
            raise AgentUnavailable(f"LLM unavailable ({error_label(exc)})") from exc
        except openai.APIError as exc:
            steps.append(AgentStep("model", "llm", False, _ms(started), error_label(exc)))
            log.warning("LLM call rejected (%s)", error_label(exc))
            raise AgentUnavailable(f"LLM error ({error_label(exc)})") from exc
        except Exception as exc:  # a response the client could not parse, and the like
            steps.append(AgentStep("model", "llm", False, _ms(started), type(exc).__name__))
            log.warning("LLM response unusable (%s)", type(exc).__name__)
            raise AgentUnavailable("LLM response unusable") from exc
        if not isinstance(reply, AIMessage):
            raise AgentUnavailable("LLM response unusable")
        requested = ",".join([call["name"] for call in reply.tool_calls]
                             + [str(call.get("name")) for call in reply.invalid_tool_calls]) or "answer"
        steps.append(AgentStep("model", "llm", True, _ms(started), requested))
        return reply
    raise AgentUnavailable("timed out")  # not reached: the last attempt returns or raises


def final_text(reply: AIMessage) -> str:
    """The answer text of a model reply, without any <think> scratch work."""
    return _THINKING.sub("", reply.text).strip()


def in_reply_language(text: str, lang: Lang) -> str:
    """The answer in the asker's script: Simplified Chinese becomes Traditional (Hong Kong); an answer in
    the wrong language altogether (no Chinese for a Cantonese question, no Latin letters for an English
    one) is refused."""
    if not text:
        return text
    if lang == "zh-HK":
        if not has_han(text):
            raise AgentUnavailable("answer not in the reply language")
        return to_traditional(text)
    if not _LATIN.search(text):
        raise AgentUnavailable("answer not in the reply language")
    return text


def error_label(exc: Exception) -> str:
    """The openai error class and HTTP status (LangChain's wrapper classes are skipped)."""
    kind = next((cls.__name__ for cls in type(exc).__mro__ if cls.__module__.startswith("openai")),
                type(exc).__name__)
    status = getattr(exc, "status_code", None)
    return f"{kind} {status}" if status else kind


def _ms(started: float) -> float:
    return (time.perf_counter() - started) * 1000
