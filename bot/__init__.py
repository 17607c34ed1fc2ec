"""The conversation core: understanding, the LLM agent, roles, rendering, audit, CLI and HTTP app."""
