"""The HTTP API: `POST /api/ask` and `GET /healthz`.

The whole server (this API, the web page and the chat platforms' webhooks) is assembled in
`connectors/server.py`, which imports the channels explicitly: the bot does not reach up to its connectors.
"""

from __future__ import annotations

import asyncio
import logging
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING, Any

from fastapi import FastAPI, Header, HTTPException, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field, ValidationError
from sqlalchemy.exc import SQLAlchemyError
from starlette.concurrency import run_in_threadpool

from bot.auth import Principal, authenticate_bearer, ensure_service_token
from bot.identity import UnknownRole
from bot.messages import IncomingMessage
from core.clock import ClockError, parse_now
from core.config import Settings

if TYPE_CHECKING:
    from bot.assistant import Assistant

log = logging.getLogger(__name__)


class AskRequest(BaseModel):
    """Body of `POST /api/ask` (product.md)."""

    text: str = Field(min_length=1, max_length=4000)
    role: str | None = None
    user: str | None = None
    session: str | None = None
    now: str | None = None


def create_api(settings: Settings, assistant: Assistant) -> FastAPI:
    """The API around one Assistant (`connectors.server.create_app` adds the channels)."""
    app = FastAPI(title="silobridge", docs_url=None, redoc_url=None)
    # Answering is CPU-bound Python: a small pool queues bursts instead of thrashing the cores.
    answer_pool = ThreadPoolExecutor(max_workers=2, thread_name_prefix="api-answer")
    api_token = ensure_service_token(settings).value  # SILOBRIDGE_API_TOKEN, else $SILOBRIDGE_HOME/api-token
    if settings.channels.demo_mode:
        log.warning("demo mode: the web page offers a role picker and its roles are NOT verified; "
                    "never run --demo with real company data")
    app.state.assistant = assistant
    app.state.settings = settings

    @app.get("/healthz")
    def healthz() -> dict[str, Any]:
        """200 once the service can answer: the database answers within `database.timeout_seconds`, else 503."""
        try:
            version = assistant.db.probe()  # in its own thread with a deadline: a frozen server cannot hang it
        except Exception as exc:  # report unhealthy, don't crash
            log.error("health check: database unreachable: %s", type(exc).__name__)
            raise HTTPException(status_code=503, detail="database unreachable") from None
        return {"status": "ok", "data_version": version}

    @app.post("/api/ask")
    async def api_ask(request: Request, authorization: str | None = Header(default=None)) -> JSONResponse:
        """Answer one question; the same object as `silobridge ask --json`.

        Always needs `Authorization: Bearer <token>`: the service token (whose holder may state `role` and
        `user`) or a personal access token (the role comes from staff.csv; a stated role is ignored)."""
        try:
            principal = await run_in_threadpool(authenticate_bearer, assistant.db, settings, authorization,
                                                service_token=api_token)
        except SQLAlchemyError as exc:  # a personal token cannot be checked: refuse calmly, not with a 500
            log.error("bearer token check: database unavailable: %s", type(exc).__name__)
            return JSONResponse(status_code=503, content={"error": "cannot check the token now; try again shortly"})
        if principal is None:
            return JSONResponse(status_code=401, content={"error": "missing, wrong, expired or revoked bearer token"},
                                headers={"WWW-Authenticate": "Bearer"})
        # The body is read only after the token holds: a stranger learns nothing, not even the body's rules.
        try:
            body = AskRequest.model_validate_json(await request.body())
        except ValidationError as exc:
            return JSONResponse(status_code=422, content={"error": "invalid request body",
                                                          "problems": _validation_problems(exc)})
        if body.now:
            try:
                parse_now(body.now)
            except ClockError as exc:
                return JSONResponse(status_code=422, content={"error": str(exc), "field": "now"})
        message = api_message(body, principal)
        try:
            reply = await asyncio.get_running_loop().run_in_executor(answer_pool, assistant.handle, message)
        except UnknownRole as exc:
            return JSONResponse(status_code=422, content={"error": str(exc), "field": "role"})
        return JSONResponse(content=reply.contract())

    return app


def _validation_problems(exc: ValidationError) -> list[dict[str, str]]:
    """Where the body is wrong and why, without echoing the input."""
    return [{"field": ".".join(str(part) for part in error["loc"]) or "body", "problem": error["msg"]}
            for error in exc.errors(include_input=False)]


def api_message(body: AskRequest, principal: Principal) -> IncomingMessage:
    """The question as the assistant reads it: the service integration states who asks; a personal token's
    holder is who asks, with their staff.csv role."""
    if principal.kind == "service":
        user, role = body.user, body.role
    else:
        user, role = principal.user, principal.role.value if principal.role else None
    return IncomingMessage(text=body.text, channel="api", user=user, role=role, session=body.session, now=body.now)
