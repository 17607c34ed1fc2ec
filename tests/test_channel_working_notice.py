"""A slow answer (route planning takes seconds) is preceded by a short "working on it" in the chat apps, in the
question's language; a quick answer is not. Real client libraries against the loopback platform fakes."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import connectors.channels as channels
from bot.messages import IncomingMessage, Reply
from core.db import Database
from tests.fakes.channel_base import RecordingAssistant, channel_assistant, loopback_only
from tests.fakes.telegram_api import make_message_update
from tests.fakes.whatsapp_api import make_text_notification
from tests.test_channel_slack import build_rig as slack_rig
from tests.test_channel_slack import mention_event
from tests.test_channel_telegram import build_rig as telegram_rig
from tests.test_channel_whatsapp import build_rig as whatsapp_rig


class SlowAssistant:
    """Answers like the scripted channel assistant, after `delay_s` (a route plan being worked out)."""

    def __init__(self, inner: RecordingAssistant, delay_s: float) -> None:
        self.inner = inner
        self.db = inner.db
        self.delay_s = delay_s

    def handle(self, message: IncomingMessage) -> Reply:
        time.sleep(self.delay_s)
        return self.inner.handle(message)


@pytest.fixture(autouse=True)
def quick_notice(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(channels, "SLOW_ANSWER_S", 0.3)


@pytest.fixture
def network() -> Iterator[list[str]]:
    with loopback_only() as attempts:
        yield attempts
    assert attempts == [], f"a test tried to reach the network: {attempts}"


def slow(db: Database, delay_s: float = 1.0) -> Any:
    return SlowAssistant(channel_assistant(db), delay_s)


def test_slack_says_working_on_it_in_the_thread_then_answers(network: list[str], tmp_path: Path,
                                                               sqlite_db: Database) -> None:
    for rig in slack_rig(tmp_path, sqlite_db, slow(sqlite_db)):
        assert rig.post(mention_event("聽日啲車點排?")).status_code == 200
        first, answer = (call.json() for call in rig.fake.wait_for("/chat.postMessage", count=2))
        assert first["text"] == "收到,處理緊,請等等…" and first["thread_ts"] == answer["thread_ts"]
        assert answer["text"] != first["text"]


def test_telegram_notice_in_english_for_an_english_question(network: list[str], tmp_path: Path,
                                                            sqlite_db: Database) -> None:
    for rig in telegram_rig(tmp_path, sqlite_db, slow(sqlite_db)):
        assert rig.deliver(make_message_update("how are the vans planned tomorrow?")).status_code == 200
        texts = [sent["text"] for sent in rig.fake.sent()]
        assert texts[0] == "Got it, working on it…" and len(texts) == 2


def test_whatsapp_notice_then_answer(network: list[str], tmp_path: Path, sqlite_db: Database) -> None:
    for rig in whatsapp_rig(tmp_path, sqlite_db, slow(sqlite_db)):
        assert rig.notify(make_text_notification("今日啲單點樣排車?")).status_code == 200
        bodies = [sent["text"]["body"] for sent in rig.fake.sent_messages()]
        assert bodies[0] == "收到,處理緊,請等等…" and len(bodies) == 2


def test_a_quick_answer_gets_no_notice(network: list[str], tmp_path: Path, sqlite_db: Database) -> None:
    for rig in telegram_rig(tmp_path, sqlite_db, slow(sqlite_db, delay_s=0.0)):
        rig.deliver(make_message_update("WB-BL-500 仲有幾多貨?"))
        texts = [sent["text"] for sent in rig.fake.sent()]
        assert len(texts) == 1 and "處理緊" not in texts[0]
