"""Telegram through the real app: Updates on the webhook, python-telegram-bot's Bot against a loopback fake."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from connectors.server import create_app
from core.config import ChannelsConfig, Settings
from core.db import Database
from tests.fakes.channel_base import FailingAssistant, RecordingAssistant, channel_assistant, loopback_only, tiny_png
from tests.fakes.telegram_api import (
    BOT_TOKEN,
    BOT_USERNAME,
    TelegramApiFake,
    bad_gateway,
    flood_control,
    make_message_update,
    mention_entity,
)

FIXTURES = Path(__file__).parent / "fixtures" / "channels"
WEBHOOK_SECRET = "tg-webhook-secret-not-real"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


@dataclass
class TelegramRig:
    fake: TelegramApiFake
    client: TestClient
    assistant: Any

    def deliver(self, update: dict[str, Any], secret: str | None = WEBHOOK_SECRET) -> Any:
        headers = {SECRET_HEADER: secret} if secret is not None else {}
        # TestClient returns after the background answer ran, so the test sees its calls at once.
        return self.client.post("/telegram/webhook", json=update, headers=headers)


def build_rig(tmp_path: Path, db: Database, assistant: Any, **channels: Any) -> Iterator[TelegramRig]:
    with TelegramApiFake() as fake:
        settings = Settings(
            home=tmp_path,
            db_url=db.url,
            channels=ChannelsConfig(http_retries=2, http_backoff_s=0.01, **channels),
            env={"TELEGRAM_BOT_TOKEN": BOT_TOKEN, "TELEGRAM_WEBHOOK_SECRET": WEBHOOK_SECRET,
                 "TELEGRAM_API_URL": fake.api_url},
        )
        with TestClient(create_app(settings, assistant)) as client:
            yield TelegramRig(fake, client, assistant)


@pytest.fixture
def network() -> Iterator[list[str]]:
    with loopback_only() as attempts:
        yield attempts
    assert attempts == [], f"a test tried to reach the network: {attempts}"


@pytest.fixture
def telegram(network: list[str], tmp_path: Path, sqlite_db: Database) -> Iterator[TelegramRig]:
    yield from build_rig(tmp_path, sqlite_db, channel_assistant(sqlite_db))


def test_recorded_private_update_is_answered_as_a_reply(telegram: TelegramRig) -> None:
    update = json.loads((FIXTURES / "telegram_update_text.json").read_text(encoding="utf-8"))
    update["message"]["text"] = "WB-BL-500 仲有幾多貨?"
    assert telegram.deliver(update).status_code == 200
    sent = telegram.fake.sent()
    assert len(sent) == 1
    assert sent[0]["chat_id"] == "1111111"
    assert json.loads(sent[0]["reply_parameters"])["message_id"] == 1365
    assert "香港倉 120 件" in sent[0]["text"]
    asked = telegram.assistant.received[0]
    assert (asked.user, asked.channel, asked.session) == ("telegram:1111111", "telegram", "telegram:1111111")


@pytest.mark.parametrize("secret", [None, "", "guess"], ids=["missing", "empty", "wrong"])
def test_wrong_or_missing_secret_token_is_403_and_nothing_answered(telegram: TelegramRig, secret: str | None) -> None:
    response = telegram.deliver(make_message_update("WB-BL-500 仲有幾多貨?"), secret=secret)
    assert response.status_code == 403
    assert telegram.fake.calls == []
    assert telegram.assistant.received == []


def test_repeated_update_is_answered_once(telegram: TelegramRig) -> None:
    update = make_message_update("how many blue bottles?", update_id=424242)
    assert telegram.deliver(update).status_code == 200
    assert telegram.deliver(update).status_code == 200
    assert len(telegram.fake.sent()) == 1
    assert len(telegram.assistant.received) == 1


def test_group_message_is_answered_only_when_the_bot_is_addressed(telegram: TelegramRig) -> None:
    group = {"chat_id": -100200300, "chat_type": "supergroup", "user_id": 42}
    telegram.deliver(make_message_update("lunch anyone?", **group))
    assert telegram.fake.sent() == []

    text = f"@{BOT_USERNAME} 藍色水樽仲有幾多貨?"
    telegram.deliver(make_message_update(text, entities=[mention_entity(text)], message_id=77, **group))
    telegram.deliver(make_message_update("what about 100 units?", reply_to_bot=True, message_id=78, **group))
    sent = telegram.fake.sent()
    assert [json.loads(s["reply_parameters"])["message_id"] for s in sent] == [77, 78]
    assert all(s["chat_id"] == "-100200300" for s in sent)
    asked = telegram.assistant.received
    assert [m.text for m in asked] == ["藍色水樽仲有幾多貨?", "what about 100 units?"]
    assert asked[0].session == "telegram:-100200300:42"


def test_bot_never_answers_a_bot(telegram: TelegramRig) -> None:
    telegram.deliver(make_message_update("an answer", is_bot=True, user_id=777000111))
    assert telegram.fake.sent() == []
    assert telegram.assistant.received == []


@pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")  # raised inside PTB's RetryAfter
def test_flood_control_and_5xx_are_retried(telegram: TelegramRig) -> None:
    telegram.fake.fail_next("/sendMessage", flood_control(1), bad_gateway())
    telegram.deliver(make_message_update("WB-BL-500?"))
    assert [c.status for c in telegram.fake.calls_to("/sendMessage")] == [429, 502, 200]


def test_platform_down_after_retries_is_logged(telegram: TelegramRig, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO)
    telegram.fake.fail_next("/sendMessage", bad_gateway(), bad_gateway(), bad_gateway())
    assert telegram.deliver(make_message_update("WB-BL-500?")).status_code == 200
    assert [c.status for c in telegram.fake.calls_to("/sendMessage")] == [502, 502, 502]
    assert "failed after 2 retries" in caplog.text
    assert BOT_TOKEN not in caplog.text and WEBHOOK_SECRET not in caplog.text
    telegram.deliver(make_message_update("still there?"))
    assert len(telegram.fake.sent()) == 1


def test_bad_body_is_400(telegram: TelegramRig) -> None:
    response = telegram.client.post("/telegram/webhook", content=b"not json", headers={SECRET_HEADER: WEBHOOK_SECRET})
    assert response.status_code == 400


def test_chart_is_sent_as_a_photo(network: list[str], tmp_path: Path, sqlite_db: Database) -> None:
    chart = tiny_png(tmp_path / "charts" / "forecast.png")
    for rig in build_rig(tmp_path, sqlite_db, channel_assistant(sqlite_db, chart=chart)):
        rig.deliver(make_message_update("下星期九龍區要準備幾多藍色水樽?"))
        photos = rig.fake.calls_to("/sendPhoto", ok_only=True)
        assert len(photos) == 1
        assert photos[0].fields()["chat_id"] == "1111111"
        assert chart.read_bytes() in photos[0].files().values()


def test_assistant_fault_gets_a_polite_answer(network: list[str], tmp_path: Path, sqlite_db: Database) -> None:
    for rig in build_rig(tmp_path, sqlite_db, RecordingAssistant(FailingAssistant(sqlite_db))):
        rig.deliver(make_message_update("Is WB-BL-500 in stock?"))
        sent = rig.fake.sent()
        assert len(sent) == 1 and sent[0]["text"].startswith("Sorry")
        assert "password" not in sent[0]["text"]


def test_long_polling_answers_fetched_updates(network: list[str], tmp_path: Path, sqlite_db: Database) -> None:
    assistant = channel_assistant(sqlite_db)
    for rig in build_rig(tmp_path, sqlite_db, assistant, telegram_polling=True):
        rig.fake.pending_updates.append(make_message_update("WB-BL-500 仲有幾多貨?", update_id=9001))
        rig.fake.wait_for("/sendMessage")
        assert rig.client.post("/telegram/webhook", json={}).status_code in {404, 405}  # no webhook when polling
        assert rig.fake.calls_to("/deleteWebhook")
    assert [m.text for m in assistant.received] == ["WB-BL-500 仲有幾多貨?"]
