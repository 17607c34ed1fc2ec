"""Nothing secret in logs: one mask of every configured secret, applied to every log record at every level.

`install_log_masking(secrets)` makes the process's one `SecretMask` hold these secrets and applies it
in two places: a log-record factory (so the message is masked when the record is made, before any
handler, including a library's DEBUG line or a test's capture handler, can see it), and a
`RedactingFilter` on the root and uvicorn handlers (for records made elsewhere and handed in).
Exception tracebacks are formatted and masked too. Besides the configured values, personal access
tokens (`sbp_...`), any Telegram bot token inside an API URL (`/bot<id>:<secret>/`) and the password
of a database URL are masked by pattern.

The access log (`uvicorn.access`) writes each request's path; `AccessQueryFilter` keeps the query
parameter names and blanks their values (WhatsApp's `hub.verify_token` and `hub.challenge`, sign-in links).
"""

from __future__ import annotations

import copy
import logging
import re
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import quote

from core.config import Settings

MASK = "***"
# Secrets shorter than this are not masked by value: they would blank ordinary words out of every line.
MIN_SECRET_LENGTH = 4
# Environment variables whose values are secrets (besides any name ending in one of SECRET_SUFFIXES).
SECRET_NAMES = (
    "SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET", "SLACK_APP_TOKEN", "TELEGRAM_BOT_TOKEN", "TELEGRAM_WEBHOOK_SECRET",
    "WHATSAPP_TOKEN", "WHATSAPP_APP_SECRET", "WHATSAPP_VERIFY_TOKEN", "WHATSAPP_PHONE_NUMBER_ID",
    "OPENAI_API_KEY", "SILOBRIDGE_API_TOKEN",
)
SECRET_SUFFIXES = ("_TOKEN", "_SECRET", "_API_KEY", "_PASSWORD")
ACCESS_LOGGER = "uvicorn.access"
_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"\bsbp_[A-Za-z0-9_\-]{6,}"), "sbp_" + MASK),  # personal access tokens
    (re.compile(r"/bot\d+:[A-Za-z0-9_\-]+"), "/bot" + MASK),  # a Telegram bot token inside an API URL
    (re.compile(r"(://[^:/@\s]+:)[^@/\s]+@"), r"\1" + MASK + "@"),  # the password of a URL
)


class SecretMask:
    """Replaces every known secret (and secret-shaped pattern) in a text with `***`."""

    def __init__(self) -> None:
        self._secrets: tuple[str, ...] = ()

    def use(self, secrets: Iterable[str]) -> None:
        """Mask exactly these secrets from now on (and their URL-encoded forms)."""
        found = {value for value in secrets if value and len(value) >= MIN_SECRET_LENGTH}
        found |= {quote(value, safe="") for value in found}
        self._secrets = tuple(sorted(found, key=len, reverse=True))  # longest first: no partial leftovers

    def add(self, secret: str) -> None:
        """Mask one more secret (e.g. a token generated at start-up)."""
        self.use((*self._secrets, secret))

    def mask(self, text: str) -> str:
        """`text` with every secret replaced by `***`."""
        for secret in self._secrets:
            if secret in text:
                text = text.replace(secret, MASK)
        for pattern, replacement in _PATTERNS:
            text = pattern.sub(replacement, text)
        return text

    def mask_record(self, record: logging.LogRecord) -> None:
        """Rewrite a record in place: message, arguments, traceback and stack."""
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 - a malformed record is the handler's to report, not ours
            return
        if self.mask(message) != message:
            _mask_message(record, self, message)
        if record.exc_info and not record.exc_text:
            record.exc_text = self.mask(logging.Formatter().formatException(record.exc_info))
        elif record.exc_text:
            record.exc_text = self.mask(record.exc_text)
        if record.stack_info:
            record.stack_info = self.mask(record.stack_info)


def _mask_message(record: logging.LogRecord, mask: SecretMask, message: str) -> None:
    """Mask the arguments one by one where that keeps the format intact (uvicorn's formatters read
    `record.args`), else flatten the record into its masked message."""
    if isinstance(record.args, tuple) and isinstance(record.msg, str):
        args = tuple(_mask_argument(arg, mask) for arg in record.args)
        template = mask.mask(record.msg)
        try:
            if mask.mask(template % args) == template % args:
                record.msg, record.args = template, args
                return
        except (TypeError, ValueError):
            pass
    record.msg, record.args = mask.mask(message), None


def _mask_argument(arg: Any, mask: SecretMask) -> Any:
    if isinstance(arg, str):
        return mask.mask(arg)
    shown = str(arg)
    masked = mask.mask(shown)
    return arg if masked == shown else masked


class RedactingFilter(logging.Filter):
    """A handler filter that masks every record passing through (never drops one)."""

    def __init__(self, mask: SecretMask) -> None:
        super().__init__("silobridge-redactor")
        self.mask = mask

    def filter(self, record: logging.LogRecord) -> bool:
        """Mask the record; always let it through."""
        self.mask.mask_record(record)
        return True


class AccessQueryFilter(logging.Filter):
    """uvicorn's access log: query parameter values blanked (`/whatsapp/webhook?hub.verify_token=***`)."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Rewrite the path argument (the third) of an access record; always let it through."""
        args = record.args
        if isinstance(args, tuple) and len(args) >= 3 and isinstance(args[2], str) and "?" in args[2]:
            record.args = (*args[:2], redact_query(args[2]), *args[3:])
        return True


def redact_query(path: str) -> str:
    """`/p?a=1&b` -> `/p?a=***&***`: parameter names kept, every value blanked."""
    base, sep, query = path.partition("?")
    if not sep:
        return path
    parts = [name + "=" + MASK if eq else MASK for name, eq, _ in (p.partition("=") for p in query.split("&") if p)]
    return f"{base}?{'&'.join(parts)}"


class _MaskingRecordFactory:
    """Wraps the process's log-record factory: each record is masked as it is made."""

    def __init__(self, inner: Callable[..., logging.LogRecord], mask: SecretMask) -> None:
        self.inner = inner
        self.mask = mask

    def __call__(self, *args: Any, **kwargs: Any) -> logging.LogRecord:
        record = self.inner(*args, **kwargs)
        self.mask.mask_record(record)
        return record


def configured_secrets(settings: Settings) -> list[str]:
    """Every secret the settings know of: the named ones, any `*_TOKEN`/`*_SECRET`/`*_API_KEY`/`*_PASSWORD`,
    and the service token generated into `$SILOBRIDGE_HOME/api-token`."""
    names = set(SECRET_NAMES) | {name for name in settings.env if name.endswith(SECRET_SUFFIXES)}
    found = [value for name in sorted(names) if (value := settings.secret(name))]
    token_file = settings.home / "api-token"
    try:
        generated = token_file.read_text(encoding="utf-8").strip()
    except OSError:
        generated = ""
    return [*found, generated] if generated else found


def process_mask() -> SecretMask:
    """The process's one mask, wrapping the log-record factory on first use."""
    factory = logging.getLogRecordFactory()
    if not isinstance(factory, _MaskingRecordFactory):
        factory = _MaskingRecordFactory(factory, SecretMask())
        logging.setLogRecordFactory(factory)
    return factory.mask


def install_log_masking(secrets: Iterable[str]) -> SecretMask:
    """Mask exactly these secrets in every log record from now on; returns the process's mask (idempotent).

    Also puts a `RedactingFilter` on the root and uvicorn handlers present now, and `AccessQueryFilter`
    on the access log.
    """
    mask = process_mask()
    mask.use(secrets)
    loggers = [logging.getLogger(), *(logging.getLogger(name) for name in ("uvicorn", "uvicorn.error", ACCESS_LOGGER))]
    for logger in loggers:
        for handler in logger.handlers:
            if not any(isinstance(f, RedactingFilter) for f in handler.filters):
                handler.addFilter(RedactingFilter(mask))
    access = logging.getLogger(ACCESS_LOGGER)
    if not any(isinstance(f, AccessQueryFilter) for f in access.filters):
        access.addFilter(AccessQueryFilter())
    return mask


def mask_secret(secret: str) -> None:
    """Add one secret (a token generated at start-up, a value only an adapter knows) to the process's mask."""
    process_mask().add(secret)


def redacting_filter(secrets: list[str]) -> RedactingFilter:
    """The `()` factory `uvicorn_log_config` names: installs the masking in this process (each uvicorn worker
    runs it when it configures logging) and returns the handlers' filter."""
    return RedactingFilter(install_log_masking(secrets))


def uvicorn_log_config(settings: Settings) -> dict[str, Any]:
    """uvicorn's logging configuration with the masking on every handler, the access log's query values
    blanked, and a root handler for silobridge's and the libraries' lines.

    The level of the root logger is SILOBRIDGE_LOG_LEVEL (default INFO); DEBUG shows library lines, masked.
    """
    from uvicorn.config import LOGGING_CONFIG

    config = copy.deepcopy(LOGGING_CONFIG)
    config["filters"] = {
        "redact": {"()": "core.logsafe.redacting_filter", "secrets": configured_secrets(settings)},
        "access_query": {"()": "core.logsafe.AccessQueryFilter"},
    }
    config["formatters"]["plain"] = {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}
    config["handlers"]["root"] = {"class": "logging.StreamHandler", "formatter": "plain",
                                  "stream": "ext://sys.stderr"}
    for name, handler in config["handlers"].items():
        handler["filters"] = ["redact", "access_query"] if name == "access" else ["redact"]
    level = settings.env.get("SILOBRIDGE_LOG_LEVEL", "INFO").upper()
    config["root"] = {"handlers": ["root"], "level": level if level in logging.getLevelNamesMapping() else "INFO"}
    return config
