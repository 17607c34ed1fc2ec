"""Slack: the Events API over HTTP (signing secret) or Socket Mode, through slack-bolt.

An `app_mention` in a channel is answered in the thread; a direct message (`message.im`) in the DM.
The `X-Slack-Signature` (v0, five-minute window) is verified, the 200 goes back at once (Slack retries
after 3 s) and bolt dispatches afterwards: its listener runs in bolt's thread pool and skips the bot's
own events.
Retried deliveries (`X-Slack-Retry-Num`) and any repeat of an `event_id` are acked and then dropped
through the shared ledger (checked after the ack), so several workers never answer one question twice.
A signed body that is not an Events API payload (not a JSON object, too large or deep, fields of the
wrong type) is 400 with one log line; bolt only ever sees payloads of the documented shape.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import AsyncIterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager
from html import unescape
from typing import Any
from urllib.parse import parse_qs

from pydantic import BaseModel, ConfigDict, ValidationError
from slack_bolt import App, BoltContext, BoltRequest, BoltResponse
from slack_bolt.adapter.starlette.handler import to_bolt_request, to_starlette_response
from slack_sdk import WebClient
from slack_sdk.errors import SlackClientError
from slack_sdk.http_retry.builtin_handlers import ConnectionErrorRetryHandler
from slack_sdk.http_retry.handler import RetryHandler
from slack_sdk.http_retry.request import HttpRequest
from slack_sdk.http_retry.response import HttpResponse
from slack_sdk.http_retry.state import RetryState
from slack_sdk.signature import SignatureVerifier
from slack_sdk.web import SlackResponse
from starlette.applications import Starlette
from starlette.background import BackgroundTask
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from bot.messages import IncomingMessage, Reply
from connectors.channels import (
    AssistantLike,
    EventLedger,
    MalformedBody,
    add_background_runner,
    answer_pool,
    answer_safely,
    json_object,
    mask_handle,
    read_body,
    split_text,
)
from core.config import Settings

log = logging.getLogger("silobridge.channels.slack")

SLACK_EVENTS_PATH = "/slack/events"
# Slack's limits: 3000 characters in a section's text, 50 blocks in a message.
SECTION_LIMIT = 2900
MAX_BLOCKS = 50
DISPATCH_THREADS = 1
_LINK = re.compile(r"<(https?://[^|>]+)\|([^>]+)>")
_SPECIAL = re.compile(r"<[#!][^>]*>")


class PlatformBusyRetryHandler(RetryHandler):
    """Retries a Slack Web API call answered 429 or 5xx, with exponential backoff.

    A 429's `Retry-After` is honoured when it asks for longer than the backoff.
    """

    def __init__(self, max_retry_count: int, backoff_s: float) -> None:
        super().__init__(max_retry_count=max_retry_count)
        self.backoff_s = backoff_s

    def _can_retry(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> bool:
        return response is not None and (response.status_code == 429 or response.status_code >= 500)

    def prepare_for_next_attempt(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> None:
        import time

        wait = self.backoff_s * (2**state.current_attempt)
        if response is not None:
            retry_after = next((v[0] for k, v in response.headers.items() if k.lower() == "retry-after" and v), None)
            if retry_after and retry_after.isdigit():
                wait = max(wait, float(retry_after))
            log.warning(
                "slack %s answered %s; retry %d of %d in %.2f s",
                request.url.rsplit("/", 1)[-1],
                response.status_code,
                state.current_attempt + 1,
                self.max_retry_count,
                wait,
            )
        state.next_attempt_requested = True
        time.sleep(wait)
        state.increment_current_attempt()


class _Shape(BaseModel):
    """Fields bolt and silobridge read must have their documented types; others are ignored."""

    model_config = ConfigDict(extra="ignore", strict=True)


class _Authorization(_Shape):
    enterprise_id: str | None = None
    team_id: str | None = None
    user_id: str | None = None
    is_bot: bool | None = None
    is_enterprise_install: bool | None = None


class _Event(_Shape):
    type: str
    text: str | None = None
    user: str | dict[str, Any] | None = None
    channel: str | dict[str, Any] | None = None
    ts: str | None = None
    thread_ts: str | None = None
    event_ts: str | None = None
    channel_type: str | None = None
    subtype: str | None = None
    bot_id: str | None = None
    team: str | None = None


class _Envelope(_Shape):
    """The outer Events API payload (`event_callback`, `url_verification`, `app_rate_limited`)."""

    type: str
    token: str | None = None
    challenge: str | None = None
    team_id: str | None = None
    api_app_id: str | None = None
    enterprise_id: str | None = None
    is_enterprise_install: bool | None = None
    enterprise: str | dict[str, Any] | None = None
    team: str | dict[str, Any] | None = None
    user: str | dict[str, Any] | None = None
    channel: str | dict[str, Any] | None = None
    event_id: str | None = None
    event_time: int | None = None
    event: _Event | None = None
    authorizations: list[_Authorization] | None = None


def check_payload(body: bytes, content_type: str) -> bool:
    """True for an `event_callback` (acked at once), False for anything else bolt may answer directly;
    `MalformedBody` for a body that is not a Slack payload."""
    if content_type.startswith("application/x-www-form-urlencoded"):
        try:
            form = parse_qs(body.decode("utf-8"), strict_parsing=False)
        except UnicodeDecodeError:
            raise MalformedBody("form body not UTF-8") from None
        for payload in form.get("payload", [])[:1]:
            json_object(payload.encode())
        return False
    try:
        envelope = _Envelope.model_validate(json_object(body))
    except ValidationError as exc:
        raise MalformedBody(f"fields of the wrong type ({exc.error_count()} errors)") from None
    if envelope.type == "event_callback" and envelope.event is None:
        raise MalformedBody("event_callback without an event")
    return envelope.type == "event_callback"


def slack_text(text: str, bot_user_id: str | None) -> str:
    """A message's text as a question: the bot's mention removed, Slack's escapes and link markup undone."""
    if bot_user_id:
        text = text.replace(f"<@{bot_user_id}>", " ")
    else:
        text = re.sub(r"^\s*<@[A-Z0-9]+>", " ", text)
    text = _LINK.sub(r"\2", text)
    text = _SPECIAL.sub(" ", text)
    text = re.sub(r"<(https?://[^>]+)>", r"\1", text)
    return " ".join(unescape(text).split())


def _mrkdwn_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def reply_blocks(reply: Reply) -> list[dict[str, Any]]:
    """The answer as Block Kit: sections of at most SECTION_LIMIT characters (cut at line breaks), sources as
    context."""
    blocks: list[dict[str, Any]] = []
    for piece in split_text(reply.answer, SECTION_LIMIT):
        if piece.strip():
            blocks.append({"type": "section", "text": {"type": "mrkdwn", "text": _mrkdwn_escape(piece)}})
    if reply.sources:
        label = "來源" if reply.lang == "zh-HK" else "Sources"
        cited = "; ".join(f"{source.doc} § {source.section}" for source in reply.sources)
        blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text": _mrkdwn_escape(f"{label}: {cited}")}]})
    return blocks[:MAX_BLOCKS]


class SlackChannel:
    """A bolt `App` wired to the assistant: Slack event in, `IncomingMessage`; `Reply` out, Slack calls."""

    def __init__(
        self,
        settings: Settings,
        assistant: AssistantLike,
        ledger: EventLedger,
        *,
        socket_mode: bool | None = None,
    ) -> None:
        self.settings = settings
        self.assistant = assistant
        self.ledger = ledger
        self.socket_mode = settings.channels.slack_socket_mode if socket_mode is None else socket_mode
        retries = settings.channels.http_retries
        self.client = WebClient(
            token=settings.require_secret("SLACK_BOT_TOKEN", "the Slack channel"),
            base_url=settings.channel_api_url("slack"),
            retry_handlers=[
                ConnectionErrorRetryHandler(max_retry_count=retries),
                PlatformBusyRetryHandler(retries, settings.channels.http_backoff_s),
            ],
        )
        signing_secret = "" if self.socket_mode else settings.require_secret("SLACK_SIGNING_SECRET", "Slack webhooks")
        self.verifier = SignatureVerifier(signing_secret) if signing_secret else None
        bolt_logger = logging.getLogger("silobridge.channels.slack.bolt")
        if not any(isinstance(f, _DropClientTokenWarning) for f in bolt_logger.filters):
            bolt_logger.addFilter(_DropClientTokenWarning())
        self.app = App(
            client=self.client,
            signing_secret=signing_secret,
            request_verification_enabled=not self.socket_mode,
            # auth.test runs on the first event instead of at start-up, so a server starts offline.
            token_verification_enabled=False,
            process_before_response=False,
            logger=bolt_logger,
            name="silobridge",
            # Few threads: answering is CPU work, and fewer runnable threads keep the acks quick.
            listener_executor=answer_pool("slack"),
        )
        self._dispatch_pool = ThreadPoolExecutor(max_workers=DISPATCH_THREADS, thread_name_prefix="slack-dispatch")
        self.app.event("app_mention")(self._on_mention)
        self.app.event("message")(self._on_message)
        self.app.error(self._on_error)

    # --- platform event -> IncomingMessage -------------------------------------------------

    def _first_delivery(self, body: dict[str, Any], request: BoltRequest) -> bool:
        """True for the first delivery of this event; a retry, or one another worker took, is skipped.

        Checked in the listener (after the ack), so a busy database never delays the 200 Slack waits for.
        """
        event_id = body.get("event_id")
        if not event_id or self.ledger.first_time(f"slack:{event_id}"):
            return True
        retry = (request.headers.get("x-slack-retry-num") or ["0"])[0]
        reason = (request.headers.get("x-slack-retry-reason") or ["-"])[0]
        log.info("slack event %s already taken (retry %s, %s): not answered again", event_id, retry, reason)
        return False

    def _on_mention(self, event: dict[str, Any], body: dict[str, Any], request: BoltRequest, context: BoltContext) -> None:
        """A mention in a channel: answer in the message's thread."""
        if event.get("bot_id") or event.get("subtype") or not self._first_delivery(body, request):
            return
        thread_ts = event.get("thread_ts") or event.get("ts")
        message = IncomingMessage(
            text=slack_text(event.get("text", ""), context.bot_user_id),
            channel="slack",
            user=f"slack:{event.get('user')}",
            session=f"slack:{event.get('channel')}:{thread_ts}",
            chat_id=event.get("channel"),
            thread_id=thread_ts,
            message_id=event.get("ts"),
        )
        self._answer(message, thread_ts=thread_ts)

    def _on_message(self, event: dict[str, Any], body: dict[str, Any], request: BoltRequest, context: BoltContext) -> None:
        """A direct message: answer in the DM. Channel chatter, edits and bot posts are not questions."""
        if event.get("channel_type") != "im" or event.get("subtype") or event.get("bot_id"):
            return
        if context.bot_user_id and event.get("user") == context.bot_user_id:
            return
        if not self._first_delivery(body, request):
            return
        thread_ts = event.get("thread_ts")
        message = IncomingMessage(
            text=slack_text(event.get("text", ""), context.bot_user_id),
            channel="slack",
            user=f"slack:{event.get('user')}",
            session=f"slack:{event.get('channel')}" + (f":{thread_ts}" if thread_ts else ""),
            chat_id=event.get("channel"),
            thread_id=thread_ts,
            message_id=event.get("ts"),
        )
        self._answer(message, thread_ts=thread_ts)

    def _on_error(self, error: Exception, body: dict[str, Any]) -> None:
        """bolt's fault in a middleware or listener (e.g. Slack unreachable for auth.test): one line, no traceback."""
        found = body.get("event")
        event: dict[str, Any] = found if isinstance(found, dict) else {}
        log.error("slack: event %s from %s not handled: %s", body.get("event_id", "-"),
                  mask_handle(f"slack:{event.get('user')}" if event.get("user") else None), type(error).__name__)

    # --- Reply -> Slack calls ---------------------------------------------------------------

    def _answer(self, message: IncomingMessage, *, thread_ts: str | None) -> None:
        if not message.text:
            return
        channel = message.chat_id or ""

        def notice(text: str) -> None:
            self.client.chat_postMessage(channel=channel, text=text, thread_ts=thread_ts)

        reply = answer_safely(self.assistant, message, on_slow=notice)
        self.send_reply(channel, reply, thread_ts=thread_ts, user=message.user)

    def send_reply(self, channel: str, reply: Reply, *, thread_ts: str | None, user: str | None = None) -> None:
        """Post the answer (blocks with a text fallback), then each chart as an uploaded file.

        A post that still fails after the retries is one log line (channel, masked asker, error), never a traceback."""
        try:
            self.client.chat_postMessage(
                channel=channel, text=reply.answer, blocks=reply_blocks(reply), thread_ts=thread_ts, unfurl_links=False
            )
        except Exception as exc:  # noqa: BLE001 - SlackClientError, or urllib's errors when Slack is unreachable
            log.error("slack: could not post an answer to %s for %s after retries: %s",
                      channel, mask_handle(user), _slack_error(exc))
            return
        for chart in reply.attachments:
            try:
                self.client.files_upload_v2(
                    channel=channel, file=str(chart.path), filename=chart.path.name, title=chart.title or chart.path.stem,
                    thread_ts=thread_ts,
                )
            except (SlackClientError, OSError) as exc:
                log.error("slack: chart %s not uploaded to %s: %s", chart.path.name, channel, _slack_error(exc))

    # --- HTTP and Socket Mode ---------------------------------------------------------------

    async def events_endpoint(self, request: Request) -> Response:
        """`POST /slack/events`: verify the signature, ack, then let bolt dispatch.

        Unsigned, forged, stale or garbled requests get 401 here. A signed `event_callback` gets its 200
        before bolt runs (bolt verifies again and dispatches in the background), so a busy server still
        acks inside Slack's 3 s; anything else (url_verification) goes through bolt synchronously.
        """
        try:
            body = await read_body(request)
        except MalformedBody as exc:
            log.warning("slack request refused: %s", exc)
            return Response(status_code=413, content="body too large")
        if not self._signature_is_valid(body, request):
            log.warning("slack request refused: missing, wrong or stale signature")
            return Response(status_code=401, content="invalid request")
        try:
            event_callback = check_payload(body, request.headers.get("content-type", ""))
            bolt_request = to_bolt_request(request, body)
        except (MalformedBody, ValueError, TypeError, AttributeError, KeyError) as exc:
            log.warning("slack request refused: malformed body (%s)", exc if isinstance(exc, MalformedBody)
                        else type(exc).__name__)
            return Response(status_code=400, content="not a Slack payload")
        if event_callback:
            return Response(status_code=200, background=BackgroundTask(self._dispatch_later, bolt_request))
        bolt_response = await run_in_threadpool(self._dispatch, bolt_request)
        return to_starlette_response(bolt_response)

    async def _dispatch_later(self, bolt_request: BoltRequest) -> None:
        await asyncio.get_running_loop().run_in_executor(self._dispatch_pool, self._dispatch, bolt_request)

    def _dispatch(self, bolt_request: BoltRequest) -> BoltResponse:
        """bolt's dispatch; a fault in it is one log line and a 500 to Slack (which retries), never a traceback."""
        try:
            return self.app.dispatch(bolt_request)
        except Exception as exc:  # noqa: BLE001
            log.error("slack: event not dispatched: %s", type(exc).__name__)
            return BoltResponse(status=500, body="")

    def _signature_is_valid(self, body: bytes, request: Request) -> bool:
        timestamp = request.headers.get("x-slack-request-timestamp", "")
        signature = request.headers.get("x-slack-signature", "")
        if self.verifier is None or not (timestamp.isdigit() and signature):
            return False
        try:
            return self.verifier.is_valid(body=body, timestamp=timestamp, signature=signature)
        except UnicodeDecodeError:  # slack_sdk decodes before hashing; Slack only ever sends UTF-8
            return False

    @asynccontextmanager
    async def socket_mode_runner(self) -> AsyncIterator[None]:
        """Keep a Socket Mode connection open while the server runs (needs SLACK_APP_TOKEN)."""
        from slack_bolt.adapter.socket_mode import SocketModeHandler

        handler = SocketModeHandler(self.app, self.settings.require_secret("SLACK_APP_TOKEN", "Slack Socket Mode"))
        try:
            await run_in_threadpool(handler.connect)
            log.info("slack socket mode connected")
        except Exception as exc:  # noqa: BLE001 - the rest of the server keeps running
            log.error("slack socket mode could not connect: %s", type(exc).__name__)
        try:
            yield
        finally:
            handler.close()


class _DropClientTokenWarning(logging.Filter):
    """Bolt warns that SLACK_BOT_TOKEN in the environment is unused when a client is given: it is the same token."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "`token` will be unused" not in record.getMessage()


def _slack_error(exc: BaseException) -> str:
    """A short, secret-free description of a failed Web API call: status and Slack's error code."""
    response = getattr(exc, "response", None)
    if isinstance(response, SlackResponse):
        return f"HTTP {response.status_code} {response.get('error', '')}".strip()
    return type(exc).__name__


def mount_slack(app: Starlette, settings: Settings, assistant: AssistantLike, ledger: EventLedger) -> str:
    """Serve Slack at `/slack/events` (or open Socket Mode); returns the mode for the start-up log."""
    channel = SlackChannel(settings, assistant, ledger)
    if channel.socket_mode:
        add_background_runner(app, channel.socket_mode_runner)
        return "socket mode"
    app.add_route(SLACK_EVENTS_PATH, channel.events_endpoint, methods=["POST"])
    return "events API"
