"""mount_channels and the pieces every adapter shares: ledger, masking, text helpers, background runners."""

from __future__ import annotations

import logging
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import pytest
from fastapi import FastAPI
from starlette.testclient import TestClient

from bot.messages import IncomingMessage
from connectors.channels import (
    EventLedger,
    add_background_runner,
    answer_safely,
    mask_handle,
    mount_channels,
    split_text,
)
from connectors.slack import reply_blocks, slack_text
from core.config import Settings
from core.db import Database
from tests.fakes.channel_base import FailingAssistant, channel_assistant


def test_only_platforms_with_secrets_are_mounted(tmp_path: Path, sqlite_db: Database, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO)
    env = {"SLACK_BOT_TOKEN": "xoxb-secret-value", "TELEGRAM_BOT_TOKEN": "changeme", "WHATSAPP_TOKEN": "EAAG-secret"}
    app = FastAPI()
    mounted = mount_channels(app, Settings(home=tmp_path, db_url=sqlite_db.url, env=env), channel_assistant(sqlite_db))
    assert mounted.enabled == ["web"]
    assert mounted.disabled["slack"] == "not set: SLACK_SIGNING_SECRET"
    assert "TELEGRAM_BOT_TOKEN" in mounted.disabled["telegram"]  # a placeholder counts as unset
    assert "WHATSAPP_APP_SECRET" in mounted.disabled["whatsapp"]
    with TestClient(app) as client:
        assert client.post("/slack/events", content=b"{}").status_code in {404, 405}
        assert client.post("/telegram/webhook", json={}).status_code in {404, 405}
        assert client.get("/whatsapp/webhook").status_code in {404, 405}
        assert client.get("/").status_code == 200
    assert "channel slack off (not set: SLACK_SIGNING_SECRET)" in caplog.text
    assert "xoxb-secret-value" not in caplog.text and "EAAG-secret" not in caplog.text


def test_all_platforms_mount_with_their_secrets(tmp_path: Path, sqlite_db: Database) -> None:
    env = {name: f"value-{name.lower()}" for name in (
        "SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET", "TELEGRAM_BOT_TOKEN", "TELEGRAM_WEBHOOK_SECRET",
        "WHATSAPP_TOKEN", "WHATSAPP_APP_SECRET", "WHATSAPP_VERIFY_TOKEN", "WHATSAPP_PHONE_NUMBER_ID")}
    app = FastAPI()
    mounted = mount_channels(app, Settings(home=tmp_path, db_url=sqlite_db.url, env=env), channel_assistant(sqlite_db))
    assert mounted.enabled == ["slack (events API)", "telegram (webhook)", "whatsapp (webhook)", "web"]
    paths = {getattr(route, "path", "") for route in app.routes}
    assert {"/slack/events", "/telegram/webhook", "/whatsapp/webhook", "/", "/web/ask"} <= paths


def test_ledger_agrees_across_workers(any_db: Database) -> None:
    first_worker, second_worker = EventLedger(any_db), EventLedger(any_db)
    outcomes: list[bool] = []
    lock = threading.Lock()

    def take(ledger: EventLedger) -> None:
        result = ledger.first_time("slack:Ev-SAME")
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=take, args=(ledger,)) for ledger in (first_worker, second_worker) * 3]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == [False] * 5 + [True]
    assert second_worker.first_time("slack:Ev-OTHER") is True


def test_assistant_fault_answers_politely_in_the_question_language(sqlite_db: Database) -> None:
    failing = FailingAssistant(sqlite_db)
    zh = answer_safely(failing, IncomingMessage(text="WB-BL-500 仲有幾多貨?", channel="slack"))
    en = answer_safely(failing, IncomingMessage(text="stock of WB-BL-500?", channel="slack"))
    assert (zh.lang, en.lang) == ("zh-HK", "en")
    assert "唔好意思" in zh.answer and en.answer.startswith("Sorry")
    assert FailingAssistant.SECRET_TEXT not in zh.answer + en.answer


def test_phone_numbers_are_masked() -> None:
    assert mask_handle("whatsapp:85291234567") == "whatsapp:852******67"
    assert "91234" not in mask_handle("whatsapp:85291234567")
    assert mask_handle("slack:U012AB3CD") == "slack:U012AB3CD"
    assert mask_handle(None) == "-"


def test_split_text_keeps_every_character_within_the_limit() -> None:
    text = "\n".join(f"第{i}行：香港倉 12 件" for i in range(400))
    pieces = split_text(text, 500)
    assert all(len(piece) <= 500 for piece in pieces)
    assert "\n".join(pieces) == text
    assert split_text("short", 10) == ["short"]


def test_slack_text_and_blocks() -> None:
    assert slack_text("<@U0LAN0Z89> 送 <https://x.hk|觀塘> 3 箱 &amp; more", "U0LAN0Z89") == "送 觀塘 3 箱 & more"
    from bot.messages import Reply, Source

    reply = Reply(answer="*Stock*\nHK: 12\n" + "x" * 6000, lang="en",
                  sources=[Source(doc="returns.md", section="Refunds")])
    blocks = reply_blocks(reply)
    assert blocks[0]["text"]["text"] == "*Stock*\nHK: 12"
    assert all(len(b["text"]["text"]) <= 3000 for b in blocks if b["type"] == "section")
    assert blocks[-1]["type"] == "context" and "returns.md § Refunds" in blocks[-1]["elements"][0]["text"]


def test_background_runner_keeps_the_apps_own_lifespan() -> None:
    events: list[str] = []

    @asynccontextmanager
    async def own_lifespan(_: FastAPI) -> AsyncIterator[None]:
        events.append("app up")
        yield
        events.append("app down")

    @asynccontextmanager
    async def runner() -> AsyncIterator[None]:
        events.append("runner up")
        yield
        events.append("runner down")

    app = FastAPI(lifespan=own_lifespan)
    add_background_runner(app, runner)
    with TestClient(app):
        assert events == ["app up", "runner up"]
    assert events == ["app up", "runner up", "runner down", "app down"]


def test_socket_mode_and_polling_replace_the_webhooks(tmp_path: Path, sqlite_db: Database) -> None:
    from core.config import ChannelsConfig

    env = {"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_APP_TOKEN": "xapp-1", "TELEGRAM_BOT_TOKEN": "1:abc"}
    settings = Settings(home=tmp_path, db_url=sqlite_db.url, env=env,
                        channels=ChannelsConfig(slack_socket_mode=True, telegram_polling=True))
    app = FastAPI()
    mounted = mount_channels(app, settings, channel_assistant(sqlite_db))
    assert mounted.enabled == ["slack (socket mode)", "telegram (long polling)", "web"]
    paths = {getattr(route, "path", "") for route in app.routes}
    assert "/slack/events" not in paths and "/telegram/webhook" not in paths
