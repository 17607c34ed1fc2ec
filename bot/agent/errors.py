"""Why the LLM agent could not answer; the caller then answers with the deterministic layer."""

from __future__ import annotations


class AgentUnavailable(Exception):
    """The LLM failed, timed out, or produced nothing usable (no answer, an ungrounded number).

    The message is a short reason for logs and the audit trail ("timed out", "ungrounded number");
    it never holds user text, secrets or a traceback, and is not meant to be shown to the user.
    """

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason
