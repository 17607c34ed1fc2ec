"""Between the tool registry and the model: the tool definitions it is offered, and what it reads back."""

from __future__ import annotations

import json
from typing import Any

from langchain_core.utils.function_calling import convert_to_openai_tool

from bot.skills import error_message
from tools.registry import PermissionDenied, ToolInputError, ToolOutcome, ToolSpec

_MAX_DESCRIPTION = 1000
# A tool message longer than this (a day's route plan, a long forecast) is cut to keep the prompt bounded.
MAX_TOOL_MESSAGE_CHARS = 16000


def openai_tool_definition(spec: ToolSpec) -> dict[str, Any]:
    """The OpenAI `tools` entry of a registered tool: its name, docstring and input model's JSON schema.

    LangChain turns the pydantic input model into a self-contained schema (references inlined), which
    small local models (vLLM, Ollama) handle better than pydantic's `$defs`.
    """
    definition = convert_to_openai_tool(spec.input_model)
    function = definition["function"]
    function["name"] = spec.name
    function["description"] = (spec.description or spec.name.replace("_", " "))[:_MAX_DESCRIPTION]
    return definition


def tool_message_content(outcome: ToolOutcome) -> str:
    """What the model reads after a call: the result as JSON, or the error's message (never a traceback)."""
    if outcome.ok and outcome.result is not None:
        content = json.dumps(outcome.result.model_dump(mode="json"), ensure_ascii=False)
        if len(content) > MAX_TOOL_MESSAGE_CHARS:
            content = content[:MAX_TOOL_MESSAGE_CHARS] + " ... [cut: the result was too long to show in full]"
        return content
    payload: dict[str, Any] = {"ok": False}
    error = outcome.error
    if error is None:
        payload["error"] = "The tool returned nothing."
    else:
        payload["error"] = error_message(outcome, "en")
        payload["message_for_user_zh"] = error_message(outcome, "zh-HK")
        if isinstance(error, ToolInputError):
            payload["code"] = error.code
            if error.suggestions:
                payload["suggestions"] = error.suggestions[:10]
        elif isinstance(error, PermissionDenied):
            payload["code"] = "permission_denied"
            payload["instruction"] = "Refuse politely; do not give this data or any estimate of it."
        else:
            payload["code"] = "fault"
    return json.dumps(payload, ensure_ascii=False)


def bad_arguments_message(tool_name: str, reason: str) -> str:
    """The tool message for a call whose arguments could not be read (not JSON, not an object)."""
    return json.dumps({
        "ok": False, "code": "malformed_arguments",
        "error": f"The arguments for {tool_name!r} were not a valid JSON object ({reason}). "
                 "Call the tool again with a JSON object that matches its schema.",
    }, ensure_ascii=False)


def too_many_calls_message(tool_name: str, limit: int) -> str:
    """The tool message for a call beyond the per-turn limit (it was not run)."""
    return json.dumps({
        "ok": False, "code": "too_many_calls",
        "error": f"Not run: at most {limit} tool calls per turn. Call {tool_name!r} again next turn if still needed.",
    }, ensure_ascii=False)
