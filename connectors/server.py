"""The server, assembled in one place (an entry point): the assistant with its connectors, the HTTP API and
every channel.

`silobridge serve` (one process, or `--workers N` through `app_from_environment`) and the tests build the
app here. The assistant gets the Hong Kong Observatory reader (`connectors/hko.py`) and the clock fixed by
`SILOBRIDGE_NOW`, read once; the API is `bot/http.py`; the web page and the chat platforms'
webhooks are mounted by `connectors/channels.py`.
"""

from __future__ import annotations

from fastapi import FastAPI

from bot.assistant import Assistant
from bot.http import create_api
from connectors.channels import mount_channels
from connectors.hko import WeatherService
from core.clock import fixed_now_from_environment
from core.config import Settings, load_settings


def build_assistant(settings: Settings, *, fixed_now: str | None = None) -> Assistant:
    """The Assistant on the configured database, reading the Observatory's warnings, on the clock `fixed_now`
    (--now or SILOBRIDGE_NOW, read by the entry point) for messages that carry no clock of their own."""
    return Assistant.from_settings(settings, weather=WeatherService(), fixed_now=fixed_now)


def create_app(settings: Settings, assistant: Assistant | None = None) -> FastAPI:
    """The whole service around one Assistant (built from settings when not given): the API and the channels."""
    if assistant is None:
        assistant = build_assistant(settings, fixed_now=fixed_now_from_environment())
    app = create_api(settings, assistant)
    mount_channels(app, settings, assistant)
    return app


def app_from_environment() -> FastAPI:
    """The uvicorn factory behind `silobridge serve --workers N`: each worker process builds its own Assistant
    from config.yaml and the environment (state is in the database, so workers share conversations)."""
    settings = load_settings()
    assistant = build_assistant(settings, fixed_now=fixed_now_from_environment())
    assistant.warm_up()
    return create_app(settings, assistant)
