"""Telegram: a webhook checked by its secret-token header (or long polling), through python-telegram-bot.

Telegram signs nothing: a webhook set with `secret_token` sends it back in
`X-Telegram-Bot-Api-Secret-Token`, which must equal TELEGRAM_WEBHOOK_SECRET (else 403, nothing answered).
Private chats are always answered; in a group only a message that mentions the bot, replies to it or
addresses it with a command. The webhook answers 200 at once and the reply follows in the background.
Repeated `update_id`s are dropped through the shared ledger. A body that is not a Telegram update (not a
JSON object, too large or deep, fields of the wrong type) is 400 with one log line.
"""

from __future__ import annotations

import asyncio
import hmac
import logging
import warnings
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from starlette.applications import Starlette
from starlette.background import BackgroundTask
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from telegram import Bot, Message, MessageEntity, ReplyParameters, Update
from telegram.error import NetworkError, RetryAfter, TelegramError
from telegram.request import HTTPXRequest

from bot.messages import IncomingMessage, Reply
from connectors.channels import (
    AssistantLike,
    EventLedger,
    MalformedBody,
    add_background_runner,
    answer_in_thread,
    answer_pool,
    json_object,
    mask_handle,
    read_body,
    redact_in_logs,
    split_text,
)
from core.config import Settings

log = logging.getLogger("silobridge.channels.telegram")

TELEGRAM_WEBHOOK_PATH = "/telegram/webhook"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
TEXT_LIMIT = 4096
CAPTION_LIMIT = 1024


class TelegramChannel:
    """A python-telegram-bot `Bot` wired to the assistant: `Update` in, `IncomingMessage`; `Reply` out, Bot API calls."""

    def __init__(self, settings: Settings, assistant: AssistantLike, ledger: EventLedger) -> None:
        self.settings = settings
        self.assistant = assistant
        self.pool = answer_pool("telegram")
        self.ledger = ledger
        api_url = settings.channel_api_url("telegram").rstrip("/")
        token = settings.require_secret("TELEGRAM_BOT_TOKEN", "the Telegram channel")
        redact_in_logs(token)  # the token is part of every Bot API URL, which httpx logs
        self.bot = Bot(
            token,
            base_url=api_url + "/bot",
            base_file_url=api_url + "/file/bot",
            request=HTTPXRequest(connection_pool_size=16),
            get_updates_request=HTTPXRequest(read_timeout=40),
        )
        self._ready = False
        self._ready_lock = asyncio.Lock()

    async def ensure_ready(self) -> None:
        """Learn the bot's own id and username (getMe) once, for mentions in groups."""
        if self._ready:
            return
        async with self._ready_lock:
            if not self._ready:
                await self.bot.initialize()
                self._ready = True

    # --- webhook ---------------------------------------------------------------------------

    async def webhook_endpoint(self, request: Request) -> Response:
        """`POST /telegram/webhook`: check the secret token, take the update once, answer in the background."""
        expected = self.settings.secret("TELEGRAM_WEBHOOK_SECRET") or ""
        given = request.headers.get(SECRET_HEADER, "")
        if not expected or not hmac.compare_digest(given.encode(), expected.encode()):
            log.warning("telegram webhook refused: %s secret token", "missing" if not given else "wrong")
            return JSONResponse({"ok": False, "error": "forbidden"}, status_code=403)
        try:
            raw_body = await read_body(request)
        except MalformedBody as exc:
            log.warning("telegram webhook refused: %s", exc)
            return JSONResponse({"ok": False, "error": "body too large"}, status_code=413)
        try:
            update = self.parse_update(json_object(raw_body))
        except MalformedBody as exc:
            log.warning("telegram webhook refused: malformed update (%s)", exc)
            return JSONResponse({"ok": False, "error": "not a Telegram update"}, status_code=400)
        if not self.ledger.first_time(f"telegram:{update.update_id}"):
            log.info("telegram update %s already taken: not answered again", update.update_id)
            return JSONResponse({"ok": True})
        return JSONResponse({"ok": True}, background=BackgroundTask(self.answer_update, update))

    def parse_update(self, payload: dict[str, Any]) -> Update:
        """The payload as an `Update`; `MalformedBody` when it is not one (python-telegram-bot raises
        assorted errors on fields of the wrong type)."""
        update_id = payload.get("update_id")
        if not isinstance(update_id, int) or isinstance(update_id, bool):
            raise MalformedBody("no integer update_id")
        try:
            update = Update.de_json(_with_user_defaults(payload), self.bot)
            message = update.message if update else None
            if message is not None and (not isinstance(message.text, str | None) or message.chat is None):
                raise TypeError("message fields")
        except Exception as exc:  # noqa: BLE001 - any parse failure of a foreign payload is a bad request
            raise MalformedBody(f"fields of the wrong type ({type(exc).__name__})") from None
        if update is None:
            raise MalformedBody("empty update")
        return update

    # --- Update -> IncomingMessage ---------------------------------------------------------

    async def process_update(self, payload: dict[str, Any]) -> None:
        """Answer one update given as a dict (long polling); every fault is logged, never raised."""
        try:
            update = self.parse_update(payload)
        except MalformedBody as exc:
            log.warning("telegram update skipped: %s", exc)
            return
        await self.answer_update(update)

    async def answer_update(self, update: Update) -> None:
        """Answer one update if it is a question for the bot; every fault is logged (one line), never raised."""
        try:
            await self.ensure_ready()
            message = update.message
            if message is None or not message.text or message.from_user is None or message.from_user.is_bot:
                return
            question = self.question_in(message)
            if question is None:
                return
            incoming = IncomingMessage(
                text=question,
                channel="telegram",
                user=f"telegram:{message.from_user.id}",
                session=self._session(message),
                chat_id=str(message.chat.id),
                thread_id=str(message.message_thread_id) if message.message_thread_id else None,
                message_id=str(message.message_id),
            )
            reply = await answer_in_thread(
                self.assistant, incoming, self.pool,
                on_slow=lambda text: self.bot.send_message(chat_id=message.chat.id, text=text,
                                                           message_thread_id=message.message_thread_id))
            await self.send_reply(message, reply)
        except Exception as exc:  # noqa: BLE001 - a bad update must not take the server down
            log.error("telegram: update %s not answered: %s", update.update_id, type(exc).__name__)
            log.debug("telegram: update %s traceback", update.update_id, exc_info=True)

    def question_in(self, message: Message) -> str | None:
        """The question for the bot in this message, or None when the bot is not addressed."""
        text = message.text or ""
        if message.chat.type == "private":
            return _strip_command(text, self.bot.username) or None
        addressed = False
        username = (self.bot.username or "").lower()
        for entity, value in message.parse_entities().items():
            if entity.type == MessageEntity.MENTION and value.lower() == f"@{username}":
                addressed = True
                text = text.replace(value, " ")
            elif entity.type == MessageEntity.TEXT_MENTION and entity.user and entity.user.id == self.bot.id:
                addressed = True
            elif entity.type == MessageEntity.BOT_COMMAND and value.lower().endswith(f"@{username}"):
                addressed = True
        replied = message.reply_to_message
        if replied is not None and replied.from_user is not None and replied.from_user.id == self.bot.id:
            addressed = True
        if not addressed:
            return None
        return _strip_command(text, self.bot.username) or None

    @staticmethod
    def _session(message: Message) -> str:
        if message.chat.type == "private":
            return f"telegram:{message.chat.id}"
        # In a group each person keeps their own follow-up context.
        return f"telegram:{message.chat.id}:{message.from_user.id if message.from_user else '-'}"

    # --- Reply -> Bot API calls ------------------------------------------------------------

    async def send_reply(self, message: Message, reply: Reply) -> None:
        """Answer as a reply to the question; charts follow as photos."""
        chat_id = message.chat.id
        to = mask_handle(f"telegram:{message.from_user.id}" if message.from_user else None)
        reply_to = ReplyParameters(message_id=message.message_id, allow_sending_without_reply=True)
        for piece in split_text(reply.answer, TEXT_LIMIT):
            sent = await self._with_retries(
                "sendMessage", to,
                lambda piece=piece: self.bot.send_message(
                    chat_id=chat_id, text=piece, reply_parameters=reply_to, message_thread_id=message.message_thread_id
                ),
            )
            if not sent:
                return
        for chart in reply.attachments:
            try:
                photo = chart.path.read_bytes()
            except OSError:
                log.error("telegram: chart %s is missing; sent as text only", chart.path.name)
                continue
            await self._with_retries(
                "sendPhoto", to,
                lambda photo=photo, chart=chart: self.bot.send_photo(
                    chat_id=chat_id,
                    photo=photo,
                    filename=chart.path.name,
                    caption=(chart.title or None) and chart.title[:CAPTION_LIMIT],
                    reply_parameters=reply_to,
                    message_thread_id=message.message_thread_id,
                ),
            )

    async def _with_retries(self, method: str, to: str, call: Any) -> bool:
        """Run a Bot API call; retry flood control (429) and network or 5xx faults with backoff.

        A call that still fails is one log line (method, masked recipient, error type), never a traceback."""
        retries = self.settings.channels.http_retries
        for attempt in range(retries + 1):
            try:
                await call()
                return True
            except RetryAfter as exc:
                wait = max(_retry_after_s(exc), self.settings.channels.http_backoff_s * 2**attempt)
                reason = "429 flood control"
            except NetworkError as exc:  # 5xx, a 429 without retry_after, timeouts, connection faults
                wait = self.settings.channels.http_backoff_s * 2**attempt
                reason = type(exc).__name__
            except TelegramError as exc:
                log.error("telegram %s to %s refused: %s", method, to, type(exc).__name__)
                return False
            except Exception as exc:  # noqa: BLE001 - anything else the library raises: logged, not raised
                log.error("telegram %s to %s failed: %s; the answer was not delivered", method, to, type(exc).__name__)
                return False
            if attempt < retries:
                log.warning("telegram %s failed (%s); retry %d of %d in %.2f s", method, reason, attempt + 1, retries, wait)
                await asyncio.sleep(wait)
        log.error("telegram %s to %s failed after %d retries (%s); the answer was not delivered",
                  method, to, retries, reason)
        return False

    # --- long polling ----------------------------------------------------------------------

    @asynccontextmanager
    async def polling_runner(self) -> AsyncIterator[None]:
        """Fetch updates with getUpdates while the server runs (instead of a webhook)."""
        task = asyncio.create_task(self._poll_forever())
        try:
            yield
        finally:
            task.cancel()
            try:
                await task
            except asyncio.CancelledError:
                pass

    async def _poll_forever(self) -> None:
        offset: int | None = None
        await self.ensure_ready()
        await self.bot.delete_webhook()
        log.info("telegram long polling started")
        while True:
            try:
                updates = await self.bot.get_updates(offset=offset, timeout=30, allowed_updates=["message"])
            except TelegramError as exc:
                log.warning("telegram getUpdates failed (%s); trying again", type(exc).__name__)
                await asyncio.sleep(self.settings.channels.http_backoff_s * 4)
                continue
            for update in updates:
                offset = update.update_id + 1
                if self.ledger.first_time(f"telegram:{update.update_id}"):
                    await self.answer_update(update)


def _with_user_defaults(payload: dict[str, Any]) -> dict[str, Any]:
    """Fill `is_bot` where an update leaves it out (Telegram's own documented sample does)."""
    message = payload.get("message")
    while isinstance(message, dict):
        sender = message.get("from")
        if isinstance(sender, dict):
            sender.setdefault("is_bot", False)
        message = message.get("reply_to_message")
    return payload


def _strip_command(text: str, username: str | None) -> str:
    """Drop a leading `/ask` or `/ask@bot` command word; other text is the question."""
    words = text.strip().split(maxsplit=1)
    if words and words[0].startswith("/"):
        command = words[0].split("@", 1)[0].lower()
        if command in {"/ask", "/q"}:
            return words[1].strip() if len(words) > 1 else ""
    if username:
        text = text.replace(f"@{username}", " ")
    return " ".join(text.split())


def _retry_after_s(exc: RetryAfter) -> float:
    with warnings.catch_warnings():  # PTB 22 warns that the type becomes a timedelta; both are handled
        warnings.simplefilter("ignore")
        value: Any = exc.retry_after
    return value.total_seconds() if hasattr(value, "total_seconds") else float(value)


def mount_telegram(app: Starlette, settings: Settings, assistant: AssistantLike, ledger: EventLedger) -> str:
    """Serve Telegram at `/telegram/webhook` (or poll); returns the mode for the start-up log."""
    channel = TelegramChannel(settings, assistant, ledger)
    if settings.channels.telegram_polling:
        add_background_runner(app, channel.polling_runner)
        return "long polling"
    app.add_route(TELEGRAM_WEBHOOK_PATH, channel.webhook_endpoint, methods=["POST"])
    return "webhook"
