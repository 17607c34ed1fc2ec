"""The LangChain chat model for any OpenAI-compatible endpoint (OpenAI, Azure OpenAI v1, vLLM, Ollama)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.agent.errors import AgentUnavailable
from core.config import Settings

if TYPE_CHECKING:  # langchain_openai takes seconds to import; only load it when an LLM is used
    from langchain_openai import ChatOpenAI

# Local servers (vLLM, Ollama) ignore the key, but the OpenAI client insists on one.
KEYLESS_PLACEHOLDER = "not-needed"
# Given explicitly when no base URL is configured, so no other environment variable (OPENAI_API_BASE,
# a LangSmith gateway) can silently reroute the company's questions.
OPENAI_DEFAULT_BASE_URL = "https://api.openai.com/v1"


def build_chat_model(settings: Settings) -> ChatOpenAI:
    """A `ChatOpenAI` on `settings.llm_base_url` with the key from OPENAI_API_KEY.

    Retries are left to the caller (`max_retries=0` here) so one overall deadline bounds every
    attempt; the Chat Completions API is forced because local servers do not speak the Responses API.
    Raises `AgentUnavailable` when neither a key nor a base URL is configured, or the client cannot be built.
    """
    if not settings.llm_configured:
        raise AgentUnavailable("no LLM configured")
    from langchain_openai import ChatOpenAI

    api_key = settings.secret("OPENAI_API_KEY") or KEYLESS_PLACEHOLDER
    try:
        return ChatOpenAI(
            model=settings.llm.model,
            base_url=settings.llm_base_url or OPENAI_DEFAULT_BASE_URL,
            api_key=api_key,
            temperature=settings.llm.temperature,
            timeout=settings.llm.timeout_s,
            max_retries=0,
            use_responses_api=False,
        )
    except Exception as exc:  # a malformed base URL or setting: the rules brain still answers
        raise AgentUnavailable(f"LLM client could not be built ({type(exc).__name__})") from exc
