"""The LLM tool-calling agent over the tool registry, and the guard that keeps its numbers grounded.

Use `LLMAgent(settings, registry).answer(question, ctx, history)`; on `AgentUnavailable` answer with
the deterministic layer instead.
"""

from bot.agent.chat_model import build_chat_model
from bot.agent.errors import AgentUnavailable
from bot.agent.grounding import grounded_numbers_ok, ungrounded_figures
from bot.agent.runner import AgentAnswer, AgentStep, LLMAgent

__all__ = [
    "AgentAnswer",
    "AgentStep",
    "AgentUnavailable",
    "LLMAgent",
    "build_chat_model",
    "grounded_numbers_ok",
    "ungrounded_figures",
]
