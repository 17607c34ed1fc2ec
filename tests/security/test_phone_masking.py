"""Phone numbers are masked everywhere they are stored: the audit log and the conversation state.

The conversation state is keyed by a keyed hash of the session id, never by the raw platform handle.
"""

from __future__ import annotations

import json
import re
import stat
import unicodedata
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.assistant import Assistant
from bot.audit import mask_phone_numbers, mask_value
from bot.messages import IncomingMessage
from bot.understanding.context import (
    SECRET_KEY_FILE,
    ContextStore,
    ConversationContext,
    Slots,
    session_secret_key,
)
from connectors.importer import load_folder
from core.db import Database
from core.models import AuditEntry, ConversationState
from tests.conftest import MINI_COMPANY, make_settings

NOW = datetime(2026, 11, 25, 10, 30)

# (text, the phone number in it) — every one must disappear from what is stored.
PHONE_NUMBERS = [
    ("客人電話 91234567", "91234567"),
    ("full-width ９１２３４５６７ please", "９１２３４５６７"),
    ("call 9123.4567", "9123.4567"),
    ("call 9123-4567 now", "9123-4567"),
    ("call 9123 4567 now", "9123 4567"),
    ("landline 2877 6543", "2877 6543"),
    ("+852 9123 4567", "+852 9123 4567"),
    ("+85291234567", "+85291234567"),
    ("852 9123 4567", "852 9123 4567"),
    ("(852) 9123-4567", "(852) 9123-4567"),
    ("00852 9123 4567", "00852 9123 4567"),
    ("聯絡 +86 138 0013 8000", "+86 138 0013 8000"),
    ("內地手機 13800138000", "13800138000"),
    ("內地手機 138-0013-8000", "138-0013-8000"),
    ("London +44 20 7946 0958", "+44 20 7946 0958"),
    ("SF office +1 (415) 555-0100", "+1 (415) 555-0100"),
    ("US +1-415-555-0100", "+1-415-555-0100"),
    ("whatsapp:85291234567", "85291234567"),
    ("SO-10231 客 9123 4567 要改時間", "9123 4567"),
]

# Text that looks numeric but is not a phone number: it must be stored exactly as written.
NOT_PHONE_NUMBERS = [
    "SO-10231 去咗邊?",
    "PO/2026/00123",
    "WB-BL-500 仲有幾多貨?",
    "TEA-GR-100",
    "送 500 件",
    "1,200 units",
    "$3,450.50",
    "HK$12,345,678.90",
    "2026-12-04",
    "2026-11-25T10:30",
    "聽日 14:30 前",
    "送 50 件 2026-12-04 10:30",
    "telegram:123456789",
    "0.35 kg",
    "weight 12.5kg, value 800",
    "50 blue bottles to Tung Chung by Friday",
]


def digits_of(text: str) -> str:
    """The digits of a text, full-width ones made ASCII."""
    return "".join(str(unicodedata.digit(character)) for character in text if character.isdigit())


def leaf_strings(value: object) -> Iterator[str]:
    """Every string inside nested lists and dicts."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, list | tuple):
        for item in value:
            yield from leaf_strings(item)
    elif isinstance(value, dict):
        for item in value.values():
            yield from leaf_strings(item)


@pytest.mark.parametrize(("text", "phone"), PHONE_NUMBERS, ids=[case[1] for case in PHONE_NUMBERS])
def test_phone_numbers_are_masked(text: str, phone: str) -> None:
    masked = mask_phone_numbers(text)
    assert masked is not None
    assert phone not in masked
    assert digits_of(phone) not in digits_of(masked)
    assert masked.count("*") >= len(digits_of(phone)) - 2
    assert digits_of(masked)[-2:] == digits_of(phone)[-2:]  # the last two digits stay, to tell numbers apart


@pytest.mark.parametrize("text", NOT_PHONE_NUMBERS)
def test_ids_dates_times_quantities_and_money_are_left_alone(text: str) -> None:
    assert mask_phone_numbers(text) == text


def test_mask_value_walks_nested_tool_arguments() -> None:
    args = {"note": "call 9123.4567", "lines": [["SO-10231", "+86 138 0013 8000"]], "qty": 500}
    masked = mask_value(args)
    assert json.dumps(masked, ensure_ascii=False).count("*") > 10
    assert masked["lines"][0][0] == "SO-10231" and masked["qty"] == 500
    assert mask_phone_numbers(None) is None


# --- the session key ------------------------------------------------------------------------------------


def test_secret_key_is_generated_once_with_mode_0600(tmp_path: Path) -> None:
    settings = make_settings(tmp_path)
    first = session_secret_key(settings)
    path = tmp_path / SECRET_KEY_FILE
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert len(first) >= 32
    assert session_secret_key(settings) == first
    assert not [name for name in tmp_path.iterdir() if name.name.startswith(".secret-key.")]


def test_workers_starting_together_share_one_key(tmp_path: Path) -> None:
    settings = make_settings(tmp_path / "home")
    with ThreadPoolExecutor(max_workers=8) as pool:
        keys = set(pool.map(lambda _: session_secret_key(settings), range(16)))
    assert len(keys) == 1


def test_the_environment_key_wins_and_writes_no_file(tmp_path: Path) -> None:
    settings = make_settings(tmp_path, env={"SILOBRIDGE_SECRET_KEY": "shared-by-every-server"})
    assert session_secret_key(settings) == b"shared-by-every-server"
    assert not (tmp_path / SECRET_KEY_FILE).exists()


def test_state_is_keyed_by_a_keyed_hash(tmp_path: Path) -> None:
    db = Database(f"sqlite:///{tmp_path / 'state.db'}")
    db.create_all()
    store = ContextStore(db, 120, secret_key=b"key-one")
    other_key = ContextStore(db, 120, secret_key=b"key-two")
    store.save("whatsapp:85291234567", ConversationContext(last_intent="stock_lookup"), NOW)
    with db.session() as session:
        keys = session.scalars(select(ConversationState.session_id)).all()
    assert keys == [store.state_key("whatsapp:85291234567")]
    assert "85291234567" not in keys[0] and re.fullmatch(r"[0-9a-f]{64}", keys[0])
    assert store.load("whatsapp:85291234567", NOW) is not None
    assert other_key.load("whatsapp:85291234567", NOW) is None  # another key cannot find the row
    store.clear("whatsapp:85291234567")
    assert store.load("whatsapp:85291234567", NOW) is None
    db.dispose()


def test_slots_and_history_are_stored_masked(tmp_path: Path) -> None:
    db = Database(f"sqlite:///{tmp_path / 'state.db'}")
    db.create_all()
    store = ContextStore(db, 120, secret_key=b"k")
    context = ConversationContext(last_intent="order_status", slots=Slots(order_id="SO-10231",
                                                                        unknown_product="9123.4567"),
                                  history=[("客人 ９１２３４５６７ 問 SO-10231", "SO-10231 will arrive 2026-12-04")])
    store.save("s1", context, NOW)
    with db.session() as session:
        stored = json.dumps(session.scalars(select(ConversationState.state)).one(), ensure_ascii=False)
    assert "9123" not in stored and "９１２３" not in stored
    loaded = store.load("s1", NOW)
    assert loaded is not None and loaded.slots.order_id == "SO-10231"
    assert loaded.history[0][1] == "SO-10231 will arrive 2026-12-04"
    db.dispose()


# --- end to end: what the assistant stores ----------------------------------------------------------------


@pytest.fixture
def mini_assistant(any_db: Database, tmp_path: Path) -> tuple[Assistant, Database]:
    load_folder(any_db, MINI_COMPANY)
    settings = make_settings(tmp_path / "home", any_db.url, brain="rules")
    return Assistant(settings, any_db), any_db


def test_nothing_stored_holds_a_phone_number_or_a_raw_handle(mini_assistant: tuple[Assistant, Database]) -> None:
    assistant, db = mini_assistant
    questions = [text for text, _ in PHONE_NUMBERS[:12]] + ["WB-BL-500 仲有幾多貨? 客人 +86 138 0013 8000"]
    for question in questions:
        for user in ("whatsapp:85291234567", "telegram:123456789"):
            assistant.handle(IncomingMessage(text=question, user=user, channel=user.split(":")[0],
                                             now="2026-11-25T10:30"))
    with db.session() as session:
        audit = session.scalars(select(AuditEntry)).all()
        states = session.execute(select(ConversationState.session_id, ConversationState.state)).all()
    assert len(audit) == 2 * len(questions) and len(states) == 2
    stored = list(leaf_strings([[entry.user, entry.question, entry.tool_calls] for entry in audit]
                               + [[key, state] for key, state in states]))
    for text in stored:
        squeezed = re.sub(r"[\s.()+-]", "", unicodedata.normalize("NFKC", text))
        for _, phone in PHONE_NUMBERS[:12]:
            assert digits_of(phone) not in squeezed, (phone, text)
        assert "85291234567" not in squeezed
    assert "telegram:123456789" not in [key for key, _ in states]
    assert {entry.user for entry in audit} == {"whatsapp:*********67", "telegram:123456789"}


def test_follow_ups_still_work_with_hashed_keys(mini_assistant: tuple[Assistant, Database]) -> None:
    assistant, db = mini_assistant
    other_worker = Assistant(assistant.settings, Database(db.url))
    first = assistant.handle(IncomingMessage(text="WB-BL-500 送觀塘幾時到?", user="whatsapp:85291234567",
                                             channel="whatsapp", now="2026-11-25T10:30"))
    follow = other_worker.handle(IncomingMessage(text="東涌呢?", user="whatsapp:85291234567", channel="whatsapp",
                                                 now="2026-11-25T10:31"))
    assert first.intent == follow.intent == "delivery_eta"
    assert follow.tool_calls[0].args.get("area") == "TC"
    other_worker.db.dispose()
