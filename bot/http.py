"""The HTTP service: `POST /api/ask`, `GET /healthz`, and the channels (web page and webhooks)."""

from __future__ import annotations

import asyncio
import hmac
import logging
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from fastapi import FastAPI, Header, HTTPException
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from bot.identity import UnknownRole
from bot.messages import IncomingMessage
from core.clock import ClockError, parse_now
from core.config import Settings

log = logging.getLogger(__name__)


class AskRequest(BaseModel):
    """Body of `POST /api/ask` (product.md)."""

    text: str = Field(min_length=1, max_length=4000)
    role: str | None = None
    user: str | None = None
    session: str | None = None
    now: str | None = None


def create_app(settings: Settings, assistant: Any = None) -> FastAPI:
    """Build the service around one Assistant (built from settings when not given)."""
    if assistant is None:
        from bot.assistant import Assistant

        assistant = Assistant.from_settings(settings)
    app = FastAPI(title="silobridge", docs_url=None, redoc_url=None)
    # Answering is CPU-bound Python: a small pool queues bursts instead of thrashing the cores.
    answer_pool = ThreadPoolExecutor(max_workers=2, thread_name_prefix="api-answer")
    api_token = settings.secret("SILOBRIDGE_API_TOKEN")
    app.state.assistant = assistant
    app.state.settings = settings

    @app.get("/healthz")
    def healthz() -> dict[str, Any]:
        """200 once the service can answer: the database is reachable."""
        try:
            version = assistant.db.data_version()
        except Exception as exc:  # report unhealthy, don't crash
            log.error("health check: database unreachable: %s", type(exc).__name__)
            raise HTTPException(status_code=503, detail="database unreachable") from None
        return {"status": "ok", "data_version": version}

    @app.post("/api/ask")
    async def api_ask(body: AskRequest, authorization: str | None = Header(default=None)) -> JSONResponse:
        """Answer one question; the same object as `silobridge ask --json`.

        When SILOBRIDGE_API_TOKEN is set, callers must send `Authorization: Bearer <token>` (the API trusts the
        role and user it is given, so in production it must not be open)."""
        if api_token and not hmac.compare_digest(authorization or "", f"Bearer {api_token}"):
            return JSONResponse(status_code=401, content={"error": "missing or wrong bearer token"})
        if body.now:
            try:
                parse_now(body.now)
            except ClockError as exc:
                return JSONResponse(status_code=422, content={"error": str(exc), "field": "now"})
        message = IncomingMessage(text=body.text, channel="api", user=body.user, role=body.role,
                                  session=body.session, now=body.now)
        try:
            reply = await asyncio.get_running_loop().run_in_executor(answer_pool, assistant.handle, message)
        except UnknownRole as exc:
            return JSONResponse(status_code=422, content={"error": str(exc), "field": "role"})
        return JSONResponse(content=reply.contract())

    try:
        from connectors.channels import mount_channels
    except ImportError as exc:  # channels land in their own module; the API works without them
        log.warning("channels not available: %s", exc)
    else:
        mount_channels(app, settings, assistant)
    return app


def app_from_environment() -> FastAPI:
    """The uvicorn factory behind `silobridge serve --workers N`: each worker process builds its own Assistant
    from config.yaml and the environment (state is in the database, so workers share conversations)."""
    from bot.assistant import Assistant
    from core.config import load_settings

    settings = load_settings()
    assistant = Assistant.from_settings(settings)
    assistant.warm_up()
    return create_app(settings, assistant)
