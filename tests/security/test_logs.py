"""Nothing secret in logs: with DEBUG on, every platform driven through its loopback fake (answers, retries,
refusals, verification), every captured line is searched for every secret value."""

from __future__ import annotations

import io
import json
import logging
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
import uvicorn
from starlette.testclient import TestClient

from connectors.server import create_app
from core.config import ChannelsConfig, Settings
from core.db import Database
from core.logsafe import SecretMask, redact_query
from tests.fakes.channel_base import channel_assistant, free_port, loopback_only
from tests.fakes.slack_api import BOT_TOKEN as SLACK_BOT_TOKEN
from tests.fakes.slack_api import SlackApiFake
from tests.fakes.slack_api import server_error as slack_down
from tests.fakes.telegram_api import BOT_TOKEN as TELEGRAM_BOT_TOKEN
from tests.fakes.telegram_api import TelegramApiFake, bad_gateway, make_message_update
from tests.fakes.whatsapp_api import (
    ACCESS_TOKEN,
    APP_SECRET,
    PHONE_NUMBER_ID,
    VERIFY_TOKEN,
    WhatsAppApiFake,
    make_text_notification,
    sign,
)
from tests.fakes.whatsapp_api import server_error as whatsapp_down
from tests.test_channel_slack import mention_event, signed_headers

SLACK_SIGNING_SECRET = "slack-signing-secret-not-real"
TELEGRAM_WEBHOOK_SECRET = "tg-webhook-secret-not-real"
OPENAI_API_KEY = "sk-test-openai-key-not-real-0123456789"
SERVICE_TOKEN = "svc-token-for-log-tests-0123456789"
PERSONAL_TOKEN = "sbp_Q3xY9kLmN0pQrStUvWxYz0123456789abcdefGHIJ"
CHALLENGE = "1158201444"
SECRETS = {
    "SLACK_BOT_TOKEN": SLACK_BOT_TOKEN, "SLACK_SIGNING_SECRET": SLACK_SIGNING_SECRET,
    "TELEGRAM_BOT_TOKEN": TELEGRAM_BOT_TOKEN, "TELEGRAM_WEBHOOK_SECRET": TELEGRAM_WEBHOOK_SECRET,
    "WHATSAPP_TOKEN": ACCESS_TOKEN, "WHATSAPP_APP_SECRET": APP_SECRET, "WHATSAPP_VERIFY_TOKEN": VERIFY_TOKEN,
    "WHATSAPP_PHONE_NUMBER_ID": PHONE_NUMBER_ID, "OPENAI_API_KEY": OPENAI_API_KEY,
    "SILOBRIDGE_API_TOKEN": SERVICE_TOKEN,
}
LIBRARY_LOGGERS = ("httpx", "httpcore", "telegram", "slack_sdk", "slack_bolt", "urllib3", "uvicorn")


@dataclass
class AllPlatforms:
    slack: SlackApiFake
    telegram: TelegramApiFake
    whatsapp: WhatsAppApiFake
    settings: Settings


@pytest.fixture
def platforms(tmp_path: Path) -> Iterator[AllPlatforms]:
    with SlackApiFake() as slack, TelegramApiFake() as telegram, WhatsAppApiFake() as whatsapp:
        env = {**SECRETS, "SLACK_API_URL": slack.api_url, "TELEGRAM_API_URL": telegram.api_url,
               "WHATSAPP_API_URL": whatsapp.api_url, "OPENAI_BASE_URL": "http://127.0.0.1:9/v1"}
        settings = Settings(home=tmp_path, brain="rules", channels=ChannelsConfig(http_retries=1, http_backoff_s=0.01),
                            env=env)
        yield AllPlatforms(slack, telegram, whatsapp, settings)


@pytest.fixture
def everything_logged(caplog: pytest.LogCaptureFixture) -> Iterator[io.StringIO]:
    """DEBUG on for the root and every library logger; a plain handler on root collects all text."""
    caplog.set_level(logging.DEBUG)
    levels = {name: logging.getLogger(name).level for name in LIBRARY_LOGGERS}
    for name in LIBRARY_LOGGERS:
        logging.getLogger(name).setLevel(logging.DEBUG)
    collected = io.StringIO()
    handler = logging.StreamHandler(collected)
    handler.setLevel(logging.DEBUG)
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s %(message)s"))
    logging.getLogger().addHandler(handler)
    try:
        yield collected
    finally:
        logging.getLogger().removeHandler(handler)
        for name, level in levels.items():
            logging.getLogger(name).setLevel(level)


def _leaks(text: str) -> list[str]:
    found = [name for name, value in SECRETS.items() if value in text]
    return found + (["personal access token"] if PERSONAL_TOKEN in text else [])


def _drive_every_platform(client: TestClient, fakes: AllPlatforms) -> None:
    """Answers, a retried and a failed post, refusals and the verification handshake on each platform."""
    body = mention_event("WB-BL-500 仲有幾多貨?", event_id="EvLOGS0001")
    assert client.post("/slack/events", content=body, headers=signed_headers(body, SLACK_SIGNING_SECRET)).status_code == 200
    fakes.slack.wait_for("/chat.postMessage")
    fakes.slack.fail_next("/chat.postMessage", slack_down(), slack_down())
    body = mention_event("again?", event_id="EvLOGS0002")
    client.post("/slack/events", content=body, headers=signed_headers(body, SLACK_SIGNING_SECRET))
    fakes.slack.wait_for("/chat.postMessage", count=3)
    client.post("/slack/events", content=b"{}", headers=signed_headers(b"{}", "wrong-secret"))

    secret_header = {"X-Telegram-Bot-Api-Secret-Token": TELEGRAM_WEBHOOK_SECRET}
    assert client.post("/telegram/webhook", json=make_message_update("how many blue bottles?"),
                       headers=secret_header).status_code == 200
    fakes.telegram.fail_next("/sendMessage", bad_gateway(), bad_gateway())
    client.post("/telegram/webhook", json=make_message_update("again?"), headers=secret_header)
    client.post("/telegram/webhook", json=make_message_update("forged"), headers={"X-Telegram-Bot-Api-Secret-Token": "x"})
    client.post("/telegram/webhook", content=b"[1,2,3]", headers=secret_header)

    raw = make_text_notification("WB-BL-500 仲有幾多貨?", message_id="wamid.LOGS1")
    assert client.post("/whatsapp/webhook", content=raw, headers={"X-Hub-Signature-256": sign(raw)}).status_code == 200
    fakes.whatsapp.fail_next("/messages", whatsapp_down(), whatsapp_down())
    raw = make_text_notification("again?", message_id="wamid.LOGS2")
    client.post("/whatsapp/webhook", content=raw, headers={"X-Hub-Signature-256": sign(raw)})
    client.get("/whatsapp/webhook", params={"hub.mode": "subscribe", "hub.verify_token": VERIFY_TOKEN,
                                            "hub.challenge": CHALLENGE})
    client.get("/whatsapp/webhook", params={"hub.mode": "subscribe", "hub.verify_token": "guess"})


def _library_lines_with_secrets() -> None:
    """What a library might write at DEBUG: URLs with the bot token, headers, a traceback holding a key."""
    logging.getLogger("httpx").debug("HTTP Request: POST http://api/bot%s/getMe", TELEGRAM_BOT_TOKEN)
    logging.getLogger("httpcore.http11").debug("send_request_headers: Authorization: Bearer %s", ACCESS_TOKEN)
    logging.getLogger("telegram.ext").debug("token=%r secret=%s", TELEGRAM_BOT_TOKEN, TELEGRAM_WEBHOOK_SECRET)
    logging.getLogger("slack_sdk.web.base_client").debug("headers: {'Authorization': 'Bearer %s'}", SLACK_BOT_TOKEN)
    logging.getLogger("openai._base_client").debug("Request options: %s", {"api_key": OPENAI_API_KEY})
    logging.getLogger("silobridge.auth").info("checking %s and %s", SERVICE_TOKEN, PERSONAL_TOKEN)
    logging.getLogger("httpx").debug("encoded: /bot%s/", TELEGRAM_BOT_TOKEN.replace(":", "%3A"))
    try:
        raise RuntimeError(f"POST https://graph.facebook.com/{PHONE_NUMBER_ID}/messages?access_token={ACCESS_TOKEN}")
    except RuntimeError:
        logging.getLogger("httpx").debug("request failed", exc_info=True)


def test_no_secret_in_any_log_line_at_debug(
    platforms: AllPlatforms, tmp_path: Path, everything_logged: io.StringIO, caplog: pytest.LogCaptureFixture
) -> None:
    db = Database(f"sqlite:///{tmp_path / 'logs.db'}")
    db.create_all()
    with loopback_only() as attempts, TestClient(create_app(platforms.settings, channel_assistant(db))) as client:
        _drive_every_platform(client, platforms)
        _library_lines_with_secrets()
        time.sleep(0.3)  # bolt's listener threads finish their lines
    assert attempts == []
    captured = everything_logged.getvalue()
    assert "bot***" in captured and "HTTP Request" in captured, "the test did not see the library lines"
    assert _leaks(captured) == []
    assert _leaks(caplog.text) == []
    assert _leaks("\n".join(str(r.args) + r.getMessage() + (r.exc_text or "") for r in caplog.records)) == []


def test_access_log_blanks_webhook_query_values(platforms: AllPlatforms, tmp_path: Path,
                                                caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO)
    db = Database(f"sqlite:///{tmp_path / 'access.db'}")
    db.create_all()
    app = create_app(platforms.settings, channel_assistant(db))
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_config=None, log_level="info",
                                           access_log=True, lifespan="on"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + 15
        while not server.started:
            assert time.monotonic() < deadline and thread.is_alive(), "uvicorn did not start"
            time.sleep(0.02)
        response = httpx.get(f"http://127.0.0.1:{port}/whatsapp/webhook", params={
            "hub.mode": "subscribe", "hub.verify_token": VERIFY_TOKEN, "hub.challenge": CHALLENGE})
        assert response.text == CHALLENGE
        time.sleep(0.2)
    finally:
        server.should_exit = True
        thread.join(timeout=10)
    access = [r.getMessage() for r in caplog.records if r.name == "uvicorn.access"]
    assert any("/whatsapp/webhook?hub.mode=***&hub.verify_token=***&hub.challenge=***" in line for line in access), access
    assert VERIFY_TOKEN not in caplog.text
    server_lines = [r.getMessage() for r in caplog.records if r.name != "httpx"]  # httpx here is the test's client
    assert not [line for line in server_lines if CHALLENGE in line]


def test_serve_logging_config_masks_in_a_fresh_process(tmp_path: Path) -> None:
    """`silobridge serve`'s logging configuration, applied as uvicorn applies it, in a clean interpreter."""
    script = f"""
import logging, logging.config
from pathlib import Path
from core.config import Settings
from core.logsafe import uvicorn_log_config
settings = Settings(home=Path({str(tmp_path)!r}), env={json.dumps({**SECRETS, "SILOBRIDGE_LOG_LEVEL": "debug"})})
logging.config.dictConfig(uvicorn_log_config(settings))
logging.getLogger("httpx").debug("GET /bot%s/getMe", {TELEGRAM_BOT_TOKEN!r})
logging.getLogger("silobridge.x").info("key %s", {OPENAI_API_KEY!r})
logging.getLogger("uvicorn.access").info('%s - "%s %s HTTP/%s" %d', "127.0.0.1:1", "GET",
    "/whatsapp/webhook?hub.verify_token={VERIFY_TOKEN}&hub.challenge={CHALLENGE}", "1.1", 200)
logging.getLogger("uvicorn.error").info("token %s", {SLACK_BOT_TOKEN!r})
"""
    (tmp_path / "api-token").write_text("generated-service-token-0123456789\n")
    result = subprocess.run([sys.executable, "-c", script + 'logging.getLogger("x").warning("generated-service-token-0123456789")'],
                            capture_output=True, text=True, timeout=60, cwd=Path(__file__).parents[2])
    assert result.returncode == 0, result.stderr
    output = result.stdout + result.stderr
    assert "GET /bot***/getMe" in output and "hub.verify_token=***" in output and "key ***" in output
    assert _leaks(output) == [] and CHALLENGE not in output
    assert "generated-service-token-0123456789" not in output


def test_mask_unit_cases() -> None:
    mask = SecretMask()
    mask.use(["abc", "s3cr3t-value"])  # "abc" is too short to mask by value without blanking ordinary words
    assert mask.mask("x s3cr3t-value y") == "x *** y"
    assert mask.mask("s3cr3t%2Dvalue") == "s3cr3t%2Dvalue"  # quote() keeps '-': nothing to encode
    assert mask.mask("abc") == "abc"
    assert mask.mask("postgresql://app:pa55word@db/x") == "postgresql://app:***@db/x"
    assert mask.mask("/bot123:AAH-x_y/sendMessage") == "/bot***/sendMessage"
    assert redact_query("/p?a=1&b&c=") == "/p?a=***&***&c=***"
    assert redact_query("/p") == "/p"
