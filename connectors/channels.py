"""Chat channels: what every platform adapter shares, and `mount_channels` that wires them into the app.

Each adapter (`connectors/slack.py`, `telegram.py`, `whatsapp.py`, `web/`) does two conversions and
nothing else: a platform event into one `IncomingMessage`, and one `Reply` into a platform call. The
pieces they share live here: the assistant seam, the de-duplication ledger (in the database, so several
workers agree, with an in-process fallback when the database cannot be reached), the polite fault answer,
handle masking for logs, bounded parsing of signed webhook bodies, and background runners (Socket Mode,
long polling) attached to the app's lifespan. Secrets are kept out of logs by `core.logsafe`.

Platform modules are imported only when their secrets are set, so a server without Slack does not load it.
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
import threading
from collections import OrderedDict
from collections.abc import AsyncIterator, Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from datetime import datetime, timedelta
from typing import Any, Protocol

from pydantic import BaseModel, Field
from sqlalchemy import delete
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from starlette.applications import Starlette
from starlette.requests import Request

from bot.messages import FAULT_INTENT, IncomingMessage, Lang, Reply
from bot.render.words import working_on_it
from core.config import Settings
from core.db import Database
from core.logsafe import configured_secrets, install_log_masking, mask_secret
from core.models import ProcessedEvent

log = logging.getLogger("silobridge.channels")

_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")

# Rows older than this are pruned from the ledger; platforms stop retrying long before.
LEDGER_KEEP = timedelta(days=3)
# Seconds after which a chat app is told the answer is being worked on (route planning takes a few seconds).
SLOW_ANSWER_S = 2.0
# Threads answering at once per channel (see answer_pool).
ANSWER_THREADS = 2
# Event ids remembered in process while the ledger's database cannot be reached.
FALLBACK_LEDGER_SIZE = 10_000
# Webhook bodies: the platforms send a few kilobytes; anything far larger or deeper is not theirs.
MAX_BODY_BYTES = 1_000_000
MAX_JSON_DEPTH = 64
# A JSON string (an unterminated one runs to the end: one linear pass whatever the body) or a bracket.
_STRING_OR_BRACKET = re.compile(rb'"(?:[^"\\]|\\.?)*+(?:"|\Z)|[\[\]{}]', re.DOTALL)


class AssistantLike(Protocol):
    """The conversation core as channels see it (bot/assistant.py's `Assistant`)."""

    db: Database

    def handle(self, message: IncomingMessage) -> Reply:
        """Answer one message (synchronous, thread-safe; writes the audit log)."""
        ...


class MountedChannels(BaseModel):
    """Which channels `mount_channels` switched on, and why the others stayed off."""

    enabled: list[str] = Field(default_factory=list)
    disabled: dict[str, str] = Field(default_factory=dict)


def question_lang(text: str) -> Lang:
    """The language a fallback answer should use: Chinese characters in the question mean zh-HK."""
    return "zh-HK" if _CJK.search(text or "") else "en"


def fault_reply(text: str) -> Reply:
    """The answer a user sees when the assistant fails: polite, no exception text."""
    if question_lang(text) == "zh-HK":
        return Reply(answer="唔好意思，系統暫時出咗問題，請遲啲再試。", lang="zh-HK", intent=FAULT_INTENT)
    return Reply(answer="Sorry, something went wrong on our side. Please try again in a moment.", intent=FAULT_INTENT)


def answer_safely(assistant: AssistantLike, message: IncomingMessage,
                  on_slow: Callable[[str], None] | None = None, after_s: float | None = None) -> Reply:
    """Ask the assistant; a fault is logged (without the text) and becomes a polite answer.

    With `on_slow`, an answer not ready after `after_s` seconds first sends a short "working on it" through it
    (once; for chat apps, where a person is waiting and a second message can follow)."""
    timer = None
    if on_slow is not None:
        timer = threading.Timer(SLOW_ANSWER_S if after_s is None else after_s, _say_working, (on_slow, message))
        timer.daemon = True
        timer.start()
    try:
        return assistant.handle(message)
    except Exception:  # noqa: BLE001 - a channel must never crash on an assistant fault
        log.exception("assistant failed on a %s message from %s", message.channel, mask_handle(message.user))
        return fault_reply(message.text)
    finally:
        if timer is not None:
            timer.cancel()


def _say_working(on_slow: Callable[[str], None], message: IncomingMessage) -> None:
    try:
        on_slow(working_on_it(question_lang(message.text) == "zh-HK"))
    except Exception as exc:  # noqa: BLE001 - the notice is a courtesy; the answer still goes out
        log.error("%s: could not send the working-on-it notice to %s: %s", message.channel,
                  mask_handle(message.user), type(exc).__name__)


def mask_handle(handle: str | None) -> str:
    """A handle safe for logs: phone numbers (WhatsApp ids) keep only their first and last digits."""
    if not handle:
        return "-"
    platform, _, ident = handle.partition(":")
    if not ident:
        platform, ident = "", handle
    if platform in {"whatsapp", ""} and ident.isdigit():
        masked = ident[:3] + "*" * max(len(ident) - 5, 2) + ident[-2:] if len(ident) > 5 else "***"
        return f"{platform}:{masked}" if platform else masked
    return handle


def split_text(text: str, limit: int) -> list[str]:
    """Cut a long answer into pieces of at most `limit` characters, at line breaks where possible."""
    pieces: list[str] = []
    rest = text
    while len(rest) > limit:
        cut = rest.rfind("\n", 0, limit)
        if cut <= 0:
            cut = limit
        pieces.append(rest[:cut].rstrip("\n"))
        rest = rest[cut:].lstrip("\n")
    if rest or not pieces:
        pieces.append(rest)
    return pieces


def answer_pool(channel: str) -> ThreadPoolExecutor:
    """A small thread pool for one channel's answers.

    Answering is CPU work; a few threads keep the event loop (and so every webhook's 200) responsive
    where a large pool would have dozens of threads fighting for the interpreter lock.
    """
    return ThreadPoolExecutor(max_workers=ANSWER_THREADS, thread_name_prefix=f"{channel}-answer")


async def answer_in_thread(assistant: AssistantLike, message: IncomingMessage, pool: ThreadPoolExecutor,
                           on_slow: Callable[[str], Awaitable[object]] | None = None,
                           after_s: float | None = None) -> Reply:
    """`answer_safely` in `pool`, off the event loop (the assistant is synchronous); with `on_slow`, an answer
    not ready after `after_s` seconds first sends a short "working on it" through it."""
    answering = asyncio.get_running_loop().run_in_executor(pool, answer_safely, assistant, message)
    if on_slow is None:
        return await answering
    try:
        return await asyncio.wait_for(asyncio.shield(answering), SLOW_ANSWER_S if after_s is None else after_s)
    except TimeoutError:
        try:
            await on_slow(working_on_it(question_lang(message.text) == "zh-HK"))
        except Exception as exc:  # noqa: BLE001 - the notice is a courtesy; the answer still goes out
            log.error("%s: could not send the working-on-it notice to %s: %s", message.channel,
                      mask_handle(message.user), type(exc).__name__)
        return await answering


def redact_in_logs(secret: str) -> None:
    """Never let `secret` reach a log line (an adapter's own value, e.g. an id inside every API URL)."""
    mask_secret(secret)


class MalformedBody(ValueError):
    """A signed webhook body that is not what the platform sends: too large, too deep, not a JSON object."""


async def read_body(request: Request, limit: int = MAX_BODY_BYTES) -> bytes:
    """The raw request body, refused (`MalformedBody`) past `limit` bytes without reading the rest."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise MalformedBody(f"body of {declared} bytes")
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise MalformedBody(f"body over {limit} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


def json_object(raw: bytes, max_depth: int = MAX_JSON_DEPTH) -> dict[str, Any]:
    """A webhook body as a JSON object; `MalformedBody` for anything else (checked for depth before parsing,
    so 100,000 nested brackets cost one scan, not a recursion)."""
    depth = deepest = 0
    for match in _STRING_OR_BRACKET.finditer(raw):
        token = match.group()
        if token in (b"[", b"{"):
            depth += 1
            deepest = max(deepest, depth)
            if deepest > max_depth:
                raise MalformedBody(f"JSON nested deeper than {max_depth}")
        elif token in (b"]", b"}"):
            depth -= 1
    try:
        payload = json.loads(raw)
    except (ValueError, RecursionError) as exc:  # UnicodeDecodeError is a ValueError
        raise MalformedBody(f"not JSON ({type(exc).__name__})") from None
    if not isinstance(payload, dict):
        raise MalformedBody(f"JSON {type(payload).__name__}, not an object")
    return payload


class EventLedger:
    """Platform event ids already taken, in the `processed_events` table.

    The first worker to insert a key wins; any later delivery of the same key (a platform retry, a
    second worker) sees a duplicate. A key is recorded before the answer is computed: a question is
    never answered twice, even if the first answer failed. When the database cannot be reached the key
    goes to a bounded in-process record instead, so the question is still answered, once per process.
    """

    def __init__(self, db: Database) -> None:
        self.db = db
        self._last_prune = datetime.min
        self._lock = threading.Lock()
        self._fallback: OrderedDict[str, None] = OrderedDict()
        self._table_ready = False
        self._ensure_table()

    def first_time(self, key: str) -> bool:
        """Record `key`; True the first time it is seen, False for every repeat."""
        key = key[:256]
        now = datetime.now()
        if self._seen_in_fallback(key):
            return False
        try:
            self._ensure_table()
            with self.db.session() as session:
                session.add(ProcessedEvent(event_key=key, at=now))
        except IntegrityError:
            return False
        except SQLAlchemyError as exc:
            log.warning("duplicate ledger unavailable (%s): event taken by the in-process record", type(exc).__name__)
            return self._first_in_fallback(key)
        self._maybe_prune(now)
        return True

    def _ensure_table(self) -> None:
        if self._table_ready:
            return
        try:
            ProcessedEvent.__table__.create(self.db.engine, checkfirst=True)  # type: ignore[attr-defined]  # declarative models carry __table__
        except SQLAlchemyError as exc:  # the server starts without its database; the fallback answers
            log.warning("duplicate ledger table not checked (%s); will retry", type(exc).__name__)
            return
        self._table_ready = True

    def _seen_in_fallback(self, key: str) -> bool:
        with self._lock:
            return key in self._fallback

    def _first_in_fallback(self, key: str) -> bool:
        with self._lock:
            if key in self._fallback:
                return False
            self._fallback[key] = None
            while len(self._fallback) > FALLBACK_LEDGER_SIZE:
                self._fallback.popitem(last=False)
            return True

    def _maybe_prune(self, now: datetime) -> None:
        with self._lock:
            if now - self._last_prune < timedelta(hours=1):
                return
            self._last_prune = now
        try:
            with self.db.session() as session:
                session.execute(delete(ProcessedEvent).where(ProcessedEvent.at < now - LEDGER_KEEP))
        except Exception:  # noqa: BLE001 - pruning is housekeeping; never fail an answer over it
            log.warning("could not prune the processed-events ledger", exc_info=True)


BackgroundRunner = Callable[[], AbstractAsyncContextManager[None]]


def add_background_runner(app: Starlette, runner: BackgroundRunner) -> None:
    """Run `runner` (an async context manager factory) for as long as the app is up.

    Composes with the app's existing lifespan instead of replacing it.
    """
    previous = app.router.lifespan_context

    @asynccontextmanager
    async def lifespan(application: Any) -> AsyncIterator[Any]:
        async with previous(application) as state, runner():
            yield state

    app.router.lifespan_context = lifespan


def resolve_database(settings: Settings, assistant: AssistantLike, db: Database | None) -> Database:
    """The database for the ledger: the one given, the assistant's, else the settings'."""
    if db is not None:
        return db
    candidate = getattr(assistant, "db", None)
    if isinstance(candidate, Database):
        return candidate
    return Database.from_settings(settings)


def _missing(settings: Settings, names: list[str]) -> list[str]:
    return [name for name in names if settings.secret(name) is None]


def mount_channels(
    app: Starlette, settings: Settings, assistant: AssistantLike, *, db: Database | None = None
) -> MountedChannels:
    """Add the chat platforms whose secrets are set, and always the web page.

    Routes: `/slack/events`, `/telegram/webhook`, `/whatsapp/webhook`, and `/` with its assets,
    `/web/ask` and `/charts/{name}`. Logs which platforms are on (never a secret's value).
    """
    from connectors.web import mount_web_page

    install_log_masking(configured_secrets(settings))
    mounted = MountedChannels()
    ledger: EventLedger | None = None

    def shared_ledger() -> EventLedger:
        nonlocal ledger
        if ledger is None:
            ledger = EventLedger(resolve_database(settings, assistant, db))
        return ledger

    slack_needs = ["SLACK_BOT_TOKEN"] + (["SLACK_APP_TOKEN"] if settings.channels.slack_socket_mode else ["SLACK_SIGNING_SECRET"])
    if not (missing := _missing(settings, slack_needs)):
        from connectors.slack import mount_slack

        mode = mount_slack(app, settings, assistant, shared_ledger())
        mounted.enabled.append(f"slack ({mode})")
    else:
        mounted.disabled["slack"] = "not set: " + ", ".join(missing)

    telegram_needs = ["TELEGRAM_BOT_TOKEN"] + ([] if settings.channels.telegram_polling else ["TELEGRAM_WEBHOOK_SECRET"])
    if not (missing := _missing(settings, telegram_needs)):
        from connectors.telegram import mount_telegram

        mode = mount_telegram(app, settings, assistant, shared_ledger())
        mounted.enabled.append(f"telegram ({mode})")
    else:
        mounted.disabled["telegram"] = "not set: " + ", ".join(missing)

    whatsapp_needs = ["WHATSAPP_TOKEN", "WHATSAPP_APP_SECRET", "WHATSAPP_VERIFY_TOKEN", "WHATSAPP_PHONE_NUMBER_ID"]
    if not (missing := _missing(settings, whatsapp_needs)):
        from connectors.whatsapp import mount_whatsapp

        mount_whatsapp(app, settings, assistant, shared_ledger())
        mounted.enabled.append("whatsapp (webhook)")
    else:
        mounted.disabled["whatsapp"] = "not set: " + ", ".join(missing)

    mount_web_page(app, settings, assistant)
    mounted.enabled.append("web")
    log.info("channels on: %s", ", ".join(mounted.enabled))
    for platform, reason in mounted.disabled.items():
        log.info("channel %s off (%s)", platform, reason)
    return mounted

