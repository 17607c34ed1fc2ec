"""Acknowledge first, answer after: under a real uvicorn server every webhook gets its 200 before a slow answer."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from bot.messages import IncomingMessage, Reply
from connectors.server import create_app
from core.config import ChannelsConfig, Settings
from core.db import Database
from tests.fakes import slack_api, telegram_api, whatsapp_api
from tests.fakes.channel_base import loopback_only, serve_in_thread

ANSWER_SECONDS = 1.5
SIGNING_SECRET = "slack-signing-secret-not-real"
TELEGRAM_SECRET = "tg-secret-not-real"


class SlowAssistant:
    """Takes longer than any platform would wait for its 200."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def handle(self, message: IncomingMessage) -> Reply:
        """Sleep, then answer."""
        time.sleep(ANSWER_SECONDS)
        return Reply(answer="WB-BL-500: 香港倉 120 件", lang="zh-HK", intent="stock_lookup")


@pytest.fixture
def network() -> Iterator[list[str]]:
    with loopback_only() as attempts:
        yield attempts
    assert attempts == [], f"a test tried to reach the network: {attempts}"


def test_every_webhook_is_acknowledged_before_its_slow_answer(
    network: list[str], tmp_path: Path, sqlite_db: Database
) -> None:
    with slack_api.SlackApiFake() as slack, telegram_api.TelegramApiFake() as telegram, \
            whatsapp_api.WhatsAppApiFake() as whatsapp:
        settings = Settings(home=tmp_path, db_url=sqlite_db.url, channels=ChannelsConfig(http_retries=1, http_backoff_s=0.01),
                            env={"SLACK_BOT_TOKEN": slack_api.BOT_TOKEN, "SLACK_SIGNING_SECRET": SIGNING_SECRET,
                                 "SLACK_API_URL": slack.api_url,
                                 "TELEGRAM_BOT_TOKEN": telegram_api.BOT_TOKEN, "TELEGRAM_WEBHOOK_SECRET": TELEGRAM_SECRET,
                                 "TELEGRAM_API_URL": telegram.api_url,
                                 "WHATSAPP_TOKEN": whatsapp_api.ACCESS_TOKEN, "WHATSAPP_APP_SECRET": whatsapp_api.APP_SECRET,
                                 "WHATSAPP_VERIFY_TOKEN": whatsapp_api.VERIFY_TOKEN,
                                 "WHATSAPP_PHONE_NUMBER_ID": whatsapp_api.PHONE_NUMBER_ID,
                                 "WHATSAPP_API_URL": whatsapp.api_url})
        with serve_in_thread(create_app(settings, SlowAssistant(sqlite_db))) as base_url, \
                httpx.Client(base_url=base_url, timeout=10) as client:
            ts = "1515449522.000016"
            slack_body = json.dumps({"type": "event_callback", "event_id": "EvACK00001", "team_id": "T123ABC456",
                                     "api_app_id": "A123ABC456", "event": {"type": "app_mention", "user": "U061F7AUR",
                                     "text": f"<@{slack_api.BOT_USER_ID}> WB-BL-500?", "ts": ts, "channel": "C123ABC456",
                                     "event_ts": ts}}).encode()
            now = str(int(time.time()))
            slack_signature = "v0=" + hmac.new(SIGNING_SECRET.encode(), f"v0:{now}:".encode() + slack_body,
                                               hashlib.sha256).hexdigest()
            whatsapp_body = whatsapp_api.make_text_notification("WB-BL-500 仲有幾多貨?")
            deliveries = [
                ("/slack/events", {"content": slack_body, "headers": {"X-Slack-Request-Timestamp": now,
                                                                       "X-Slack-Signature": slack_signature}}),
                ("/telegram/webhook", {"json": telegram_api.make_message_update("WB-BL-500?"),
                                       "headers": {"X-Telegram-Bot-Api-Secret-Token": TELEGRAM_SECRET}}),
                ("/whatsapp/webhook", {"content": whatsapp_body, "headers": {
                    "X-Hub-Signature-256": whatsapp_api.sign(whatsapp_body), "Content-Type": "application/json"}}),
            ]
            for path, request in deliveries:
                started = time.monotonic()
                response = client.post(path, **request)
                acked_in = time.monotonic() - started
                assert response.status_code == 200, path
                assert acked_in < ANSWER_SECONDS / 2, f"{path} acked after {acked_in:.2f} s: it waited for the answer"
            slack.wait_for("/chat.postMessage")
            telegram.wait_for("/sendMessage")
            whatsapp.wait_for("/messages")
