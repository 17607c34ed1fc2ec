"""WhatsApp through the real app: signed Cloud API notifications in, Graph API calls (httpx) to a loopback fake."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from connectors.channels import mask_handle
from connectors.server import create_app
from connectors.whatsapp import signature_is_valid
from core.config import ChannelsConfig, Settings
from core.db import Database
from tests.fakes.channel_base import FailingAssistant, RecordingAssistant, channel_assistant, loopback_only, tiny_png
from tests.fakes.whatsapp_api import (
    ACCESS_TOKEN,
    APP_SECRET,
    PHONE_NUMBER_ID,
    VERIFY_TOKEN,
    WhatsAppApiFake,
    make_text_notification,
    rate_limited,
    server_error,
    sign,
)

FIXTURES = Path(__file__).parent / "fixtures" / "channels"
SIGNATURE_EXAMPLE = json.loads((FIXTURES / "whatsapp_signature_example.json").read_text(encoding="utf-8"))
SENDER = "85291234567"


@dataclass
class WhatsAppRig:
    fake: WhatsAppApiFake
    client: TestClient
    assistant: Any

    def notify(self, raw_body: bytes, signature: str | None = "sign") -> Any:
        headers = {"Content-Type": "application/json"}
        if signature == "sign":
            headers["X-Hub-Signature-256"] = sign(raw_body)
        elif signature is not None:
            headers["X-Hub-Signature-256"] = signature
        # TestClient returns after the background answer ran.
        return self.client.post("/whatsapp/webhook", content=raw_body, headers=headers)


def build_rig(tmp_path: Path, db: Database, assistant: Any) -> Iterator[WhatsAppRig]:
    with WhatsAppApiFake() as fake:
        settings = Settings(
            home=tmp_path,
            db_url=db.url,
            channels=ChannelsConfig(http_retries=2, http_backoff_s=0.01),
            env={"WHATSAPP_TOKEN": ACCESS_TOKEN, "WHATSAPP_APP_SECRET": APP_SECRET,
                 "WHATSAPP_VERIFY_TOKEN": VERIFY_TOKEN, "WHATSAPP_PHONE_NUMBER_ID": PHONE_NUMBER_ID,
                 "WHATSAPP_API_URL": fake.api_url},
        )
        with TestClient(create_app(settings, assistant)) as client:
            yield WhatsAppRig(fake, client, assistant)


@pytest.fixture
def network() -> Iterator[list[str]]:
    with loopback_only() as attempts:
        yield attempts
    assert attempts == [], f"a test tried to reach the network: {attempts}"


@pytest.fixture
def whatsapp(network: list[str], tmp_path: Path, sqlite_db: Database) -> Iterator[WhatsAppRig]:
    yield from build_rig(tmp_path, sqlite_db, channel_assistant(sqlite_db))


def test_signature_examples_verify_on_raw_bytes_only() -> None:
    secret = SIGNATURE_EXAMPLE["app_secret"]
    raw = SIGNATURE_EXAMPLE["raw_body"].encode()
    assert signature_is_valid(secret, raw, SIGNATURE_EXAMPLE["header_X-Hub-Signature-256"])
    escaped = SIGNATURE_EXAMPLE["raw_body_non_ascii_escaped"].encode()
    assert signature_is_valid(secret, escaped, SIGNATURE_EXAMPLE["header_X-Hub-Signature-256_non_ascii"])
    # Re-serialising the JSON (unescaped Chinese) changes the bytes: the signature must no longer match.
    reserialised = json.dumps(json.loads(escaped), ensure_ascii=False, separators=(",", ":")).encode()
    assert not signature_is_valid(secret, reserialised, SIGNATURE_EXAMPLE["header_X-Hub-Signature-256_non_ascii"])
    assert not signature_is_valid(secret, raw, None)
    assert not signature_is_valid("other-secret", raw, SIGNATURE_EXAMPLE["header_X-Hub-Signature-256"])


def test_webhook_verification_echoes_the_challenge(whatsapp: WhatsAppRig) -> None:
    ok = whatsapp.client.get("/whatsapp/webhook", params={"hub.mode": "subscribe", "hub.verify_token": VERIFY_TOKEN,
                                                          "hub.challenge": "1158201444"})
    assert (ok.status_code, ok.text) == (200, "1158201444")
    wrong = whatsapp.client.get("/whatsapp/webhook", params={"hub.mode": "subscribe", "hub.verify_token": "guess",
                                                             "hub.challenge": "1158201444"})
    assert wrong.status_code == 403 and "1158201444" not in wrong.text
    bad_mode = whatsapp.client.get("/whatsapp/webhook", params={"hub.mode": "unsubscribe",
                                                                "hub.verify_token": VERIFY_TOKEN, "hub.challenge": "1"})
    assert bad_mode.status_code == 403


def test_recorded_chinese_notification_is_answered_once_to_the_sender(whatsapp: WhatsAppRig) -> None:
    raw = SIGNATURE_EXAMPLE["raw_body_non_ascii_escaped"].encode()
    response = whatsapp.notify(raw, signature=SIGNATURE_EXAMPLE["header_X-Hub-Signature-256_non_ascii"])
    assert response.status_code == 200
    sent = whatsapp.fake.sent_messages()
    assert len(sent) == 1
    assert sent[0]["to"] == "16505551234" and sent[0]["type"] == "text"
    assert sent[0]["context"]["message_id"] == "wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA="
    assert "香港倉 120 件" in sent[0]["text"]["body"]
    asked = whatsapp.assistant.received[0]
    assert (asked.text, asked.user, asked.channel) == ("聽日送貨去觀塘幾點到？", "whatsapp:16505551234", "whatsapp")
    # Meta redelivers the same message id: no second answer.
    whatsapp.notify(raw, signature=SIGNATURE_EXAMPLE["header_X-Hub-Signature-256_non_ascii"])
    assert len(whatsapp.fake.sent_messages()) == 1


@pytest.mark.parametrize(("signature", "status"), [(None, 401), ("sha256=" + "ab" * 32, 403), ("garbage", 403)],
                         ids=["missing", "forged", "malformed"])
def test_unsigned_or_forged_notification_is_refused(whatsapp: WhatsAppRig, signature: str | None, status: int) -> None:
    response = whatsapp.notify(make_text_notification("WB-BL-500 仲有幾多貨?"), signature=signature)
    assert response.status_code == status
    assert whatsapp.fake.calls == []
    assert whatsapp.assistant.received == []


def test_status_updates_and_other_objects_are_acknowledged_silently(whatsapp: WhatsAppRig) -> None:
    statuses = json.dumps({"object": "whatsapp_business_account", "entry": [{"id": "1", "changes": [{"field": "messages",
               "value": {"messaging_product": "whatsapp", "statuses": [{"id": "wamid.X", "status": "delivered"}]}}]}]})
    assert whatsapp.notify(statuses.encode()).status_code == 200
    assert whatsapp.fake.calls == []


def test_non_text_message_gets_a_text_only_notice(whatsapp: WhatsAppRig) -> None:
    payload = json.loads(make_text_notification("x", sender=SENDER))
    message = payload["entry"][0]["changes"][0]["value"]["messages"][0]
    message.pop("text")
    message.update({"type": "image", "image": {"id": "img-1", "mime_type": "image/jpeg"}})
    whatsapp.notify(json.dumps(payload).encode())
    sent = whatsapp.fake.sent_messages()
    assert len(sent) == 1 and "text" in sent[0]["text"]["body"]
    assert whatsapp.assistant.received == []


def test_429_and_5xx_are_retried_with_backoff(whatsapp: WhatsAppRig) -> None:
    whatsapp.fake.fail_next("/messages", rate_limited(), server_error())
    whatsapp.notify(make_text_notification("Is WB-BL-500 in stock?", sender=SENDER))
    assert [c.status for c in whatsapp.fake.calls_to("/messages")] == [429, 500, 200]


def test_platform_down_is_logged_without_phone_numbers(whatsapp: WhatsAppRig, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    whatsapp.fake.fail_next("/messages", server_error(), server_error(), server_error())
    assert whatsapp.notify(make_text_notification("Is WB-BL-500 in stock?", sender=SENDER)).status_code == 200
    assert [c.status for c in whatsapp.fake.calls_to("/messages")] == [500, 500, 500]
    assert "failed after 2 retries" in caplog.text
    for secret in (SENDER, ACCESS_TOKEN, APP_SECRET, PHONE_NUMBER_ID):
        assert secret not in caplog.text
    assert mask_handle(f"whatsapp:{SENDER}") == "whatsapp:852******67"


def test_chart_is_uploaded_then_sent_as_an_image(network: list[str], tmp_path: Path, sqlite_db: Database) -> None:
    chart = tiny_png(tmp_path / "charts" / "forecast.png")
    for rig in build_rig(tmp_path, sqlite_db, channel_assistant(sqlite_db, chart=chart)):
        rig.notify(make_text_notification("下星期九龍區要準備幾多藍色水樽?", sender=SENDER))
        media = rig.fake.calls_to("/media", ok_only=True)
        assert len(media) == 1 and chart.read_bytes() in media[0].files().values()
        assert media[0].fields()["messaging_product"] == "whatsapp"
        kinds = [m["type"] for m in rig.fake.sent_messages()]
        assert kinds == ["text", "image"]
        assert rig.fake.sent_messages()[1]["image"]["id"].startswith("media-")


def test_failed_chart_upload_degrades_to_the_text_answer(network: list[str], tmp_path: Path, sqlite_db: Database) -> None:
    chart = tiny_png(tmp_path / "charts" / "forecast.png")
    for rig in build_rig(tmp_path, sqlite_db, channel_assistant(sqlite_db, chart=chart)):
        rig.fake.fail_next("/media", server_error(), server_error(), server_error())
        rig.notify(make_text_notification("forecast blue bottles next week", sender=SENDER))
        assert [m["type"] for m in rig.fake.sent_messages()] == ["text"]


def test_assistant_fault_gets_a_polite_answer(network: list[str], tmp_path: Path, sqlite_db: Database) -> None:
    for rig in build_rig(tmp_path, sqlite_db, RecordingAssistant(FailingAssistant(sqlite_db))):
        rig.notify(make_text_notification("藍色水樽仲有幾多貨?", sender=SENDER))
        body = rig.fake.sent_messages()[0]["text"]["body"]
        assert "唔好意思" in body and "password" not in body
