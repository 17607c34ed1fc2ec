"""Slack through the real app: signed Events API payloads in, slack-bolt + WebClient against a loopback fake."""

from __future__ import annotations

import copy
import hashlib
import hmac
import json
import logging
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from slack_sdk.signature import SignatureVerifier
from starlette.testclient import TestClient

from connectors.server import create_app
from core.config import ChannelsConfig, Settings
from core.db import Database
from tests.fakes.channel_base import FailingAssistant, RecordingAssistant, channel_assistant, loopback_only, tiny_png
from tests.fakes.slack_api import BOT_ID, BOT_TOKEN, BOT_USER_ID, SlackApiFake, rate_limited, server_error

FIXTURES = Path(__file__).parent / "fixtures" / "channels"
SIGNING_SECRET = "slack-signing-secret-not-real"


def sample(name: str) -> dict[str, Any]:
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


def signed_headers(body: bytes, secret: str = SIGNING_SECRET, timestamp: int | None = None) -> dict[str, str]:
    """Headers Slack sends: v0 signature over `v0:<timestamp>:<raw body>`."""
    ts = str(int(time.time()) if timestamp is None else timestamp)
    digest = hmac.new(secret.encode(), f"v0:{ts}:".encode() + body, hashlib.sha256).hexdigest()
    return {"X-Slack-Request-Timestamp": ts, "X-Slack-Signature": f"v0={digest}", "Content-Type": "application/json"}


def mention_event(text: str, event_id: str = "Ev123ABC456") -> bytes:
    body = copy.deepcopy(sample("slack_app_mention.json"))
    body["event"]["text"] = f"<@{BOT_USER_ID}> {text}"
    body["event_id"] = event_id
    return json.dumps(body).encode()


def dm_event(text: str, event_id: str = "Ev0PV52K21", **event_fields: Any) -> bytes:
    body = copy.deepcopy(sample("slack_message_im.json"))
    body["event"]["text"] = text
    body["event"].update(event_fields)
    body["event_id"] = event_id
    return json.dumps(body).encode()


@dataclass
class SlackRig:
    fake: SlackApiFake
    client: TestClient
    assistant: Any

    def post(self, body: bytes, **extra_headers: str) -> Any:
        return self.client.post("/slack/events", content=body, headers={**signed_headers(body), **extra_headers})


def build_rig(tmp_path: Path, db: Database, assistant: Any) -> Iterator[SlackRig]:
    with SlackApiFake() as fake:
        settings = Settings(
            home=tmp_path,
            db_url=db.url,
            channels=ChannelsConfig(http_retries=2, http_backoff_s=0.01),
            env={"SLACK_BOT_TOKEN": BOT_TOKEN, "SLACK_SIGNING_SECRET": SIGNING_SECRET, "SLACK_API_URL": fake.api_url},
        )
        with TestClient(create_app(settings, assistant)) as client:
            yield SlackRig(fake, client, assistant)


@pytest.fixture
def network() -> Iterator[list[str]]:
    with loopback_only() as attempts:
        yield attempts
    assert attempts == [], f"a test tried to reach the network: {attempts}"


@pytest.fixture
def slack(network: list[str], tmp_path: Path, sqlite_db: Database) -> Iterator[SlackRig]:
    yield from build_rig(tmp_path, sqlite_db, channel_assistant(sqlite_db))


def settle() -> None:
    """Give bolt's listener threads time to do anything they (wrongly) might still do."""
    time.sleep(0.2)


def test_published_v0_signature_vector_verifies() -> None:
    vector = sample("slack_signature_test_vector.json")
    timestamp = vector["X-Slack-Request-Timestamp"]
    verifier = SignatureVerifier(vector["signing_secret"], clock=type("At", (), {"now": lambda self: float(timestamp)})())
    assert verifier.generate_signature(timestamp=timestamp, body=vector["raw_body"]) == vector["X-Slack-Signature"]
    assert verifier.is_valid(vector["raw_body"], timestamp, vector["X-Slack-Signature"])
    ours = signed_headers(vector["raw_body"].encode(), vector["signing_secret"], int(timestamp))
    assert ours["X-Slack-Signature"] == vector["X-Slack-Signature"]


def test_mention_is_answered_once_in_its_thread(slack: SlackRig) -> None:
    started = time.monotonic()
    response = slack.post(mention_event("WB-BL-500 仲有幾多貨?"))
    assert response.status_code == 200
    assert time.monotonic() - started < 2.5  # acked inside Slack's 3 s

    posted = slack.fake.wait_for("/chat.postMessage")[0].json()
    assert posted["channel"] == "C123ABC456"
    assert posted["thread_ts"] == "1515449522.000016"  # the mention's ts: a reply in its thread
    assert "香港倉 120 件" in posted["text"]
    assert posted["blocks"][0]["type"] == "section" and "香港倉" in posted["blocks"][0]["text"]["text"]

    asked = slack.assistant.received[0]
    assert asked.text == "WB-BL-500 仲有幾多貨?"
    assert asked.user == "slack:U061F7AUR" and asked.channel == "slack"
    assert asked.session == "slack:C123ABC456:1515449522.000016"
    settle()
    assert len(slack.fake.posted_messages()) == 1


def test_retried_event_is_not_answered_twice(slack: SlackRig) -> None:
    body = mention_event("藍色水樽仲有幾多貨?", event_id="EvRETRY001")
    assert slack.post(body).status_code == 200
    slack.fake.wait_for("/chat.postMessage")
    retry = slack.post(body, **{"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"})
    assert retry.status_code == 200
    settle()
    assert len(slack.fake.posted_messages()) == 1
    assert len(slack.assistant.received) == 1


def test_simultaneous_deliveries_of_one_event_get_one_answer(slack: SlackRig) -> None:
    body = mention_event("WB-BL-500 stock?", event_id="EvRACE0001")
    statuses: list[int] = []

    def deliver(retry: str | None) -> None:
        extra = {"X-Slack-Retry-Num": retry, "X-Slack-Retry-Reason": "http_timeout"} if retry else {}
        statuses.append(slack.post(body, **extra).status_code)

    threads = [threading.Thread(target=deliver, args=(r,)) for r in (None, "1", "2")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert statuses == [200, 200, 200]
    slack.fake.wait_for("/chat.postMessage")
    settle()
    assert len(slack.fake.posted_messages()) == 1


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"X-Slack-Request-Timestamp": str(int(time.time())), "X-Slack-Signature": "v0=" + "0" * 64},
        {"X-Slack-Request-Timestamp": "yesterday", "X-Slack-Signature": "v0=" + "0" * 64},
        "wrong-secret",
        "stale",
    ],
    ids=["missing", "forged", "garbled-timestamp", "wrong-secret", "stale-timestamp"],
)
def test_unsigned_or_forged_request_is_refused_and_not_answered(slack: SlackRig, headers: Any) -> None:
    body = mention_event("WB-BL-500 仲有幾多貨?", event_id="EvFORGED01")
    if headers == "wrong-secret":
        headers = signed_headers(body, secret="not-the-secret")
    elif headers == "stale":
        headers = signed_headers(body, timestamp=int(time.time()) - 600)
    response = slack.client.post("/slack/events", content=body, headers={"Content-Type": "application/json", **headers})
    assert response.status_code == 401
    settle()
    assert slack.fake.calls == []
    assert slack.assistant.received == []


def test_direct_message_is_answered_in_the_dm(slack: SlackRig) -> None:
    assert slack.post(dm_event("how many blue bottles in stock?")).status_code == 200
    posted = slack.fake.wait_for("/chat.postMessage")[0].json()
    assert posted["channel"] == "D024BE91L"
    assert "thread_ts" not in posted
    assert "120 units" in posted["text"]
    assert slack.assistant.received[0].user == "slack:U2147483697"


def test_bot_never_answers_itself_or_other_bots(slack: SlackRig) -> None:
    assert slack.post(dm_event("my own answer", event_id="EvSELF0001", user=BOT_USER_ID)).status_code == 200
    assert slack.post(dm_event("a bot post", event_id="EvBOT00001", bot_id=BOT_ID, subtype="bot_message")).status_code == 200
    assert slack.post(dm_event("another bot", event_id="EvBOT00002", bot_id="B0OTHER01")).status_code == 200
    assert slack.post(dm_event("edited", event_id="EvEDIT0001", subtype="message_changed")).status_code == 200
    assert slack.post(dm_event("a real question", event_id="EvREAL0001")).status_code == 200
    slack.fake.wait_for("/chat.postMessage")
    settle()
    assert [m.text for m in slack.assistant.received] == ["a real question"]
    assert len(slack.fake.posted_messages()) == 1


def test_url_verification_challenge_is_echoed(slack: SlackRig) -> None:
    body = json.dumps({"token": "x", "challenge": "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P",
                       "type": "url_verification"}).encode()
    response = slack.post(body)
    assert response.status_code == 200
    assert "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P" in response.text


def test_platform_5xx_and_429_are_retried(slack: SlackRig) -> None:
    slack.fake.fail_next("/chat.postMessage", server_error(), rate_limited())
    slack.post(mention_event("WB-BL-500?", event_id="EvFLAKY001"))
    attempts = slack.fake.wait_for("/chat.postMessage", count=3)
    assert [call.status for call in attempts] == [503, 429, 200]
    settle()
    assert len(slack.fake.posted_messages()) == 1


def test_platform_down_after_retries_is_logged_not_crashed(slack: SlackRig, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO)
    slack.fake.fail_next("/chat.postMessage", server_error(), server_error(), server_error())
    assert slack.post(mention_event("WB-BL-500?", event_id="EvDOWN0001")).status_code == 200
    slack.fake.wait_for("/chat.postMessage", count=3)
    deadline = time.monotonic() + 5
    while not any("could not post" in r.getMessage() for r in caplog.records) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert any("could not post" in r.getMessage() for r in caplog.records)
    assert slack.fake.posted_messages() == []
    assert BOT_TOKEN not in caplog.text and SIGNING_SECRET not in caplog.text
    # The server still answers the next question.
    slack.post(dm_event("still there?", event_id="EvAFTER001"))
    assert slack.fake.wait_for("/chat.postMessage", count=4)[-1].status == 200


def test_chart_is_uploaded_into_the_thread(network: list[str], tmp_path: Path, sqlite_db: Database) -> None:
    chart = tiny_png(tmp_path / "charts" / "forecast-WB-BL-500.png")
    for rig in build_rig(tmp_path, sqlite_db, channel_assistant(sqlite_db, chart=chart)):
        rig.post(mention_event("下星期九龍區要準備幾多藍色水樽?", event_id="EvCHART001"))
        complete = rig.fake.wait_for("/files.completeUploadExternal")[0].fields()
        assert complete["channel_id"] == "C123ABC456"
        assert complete["thread_ts"] == "1515449522.000016"
        uploads = [call for call in rig.fake.calls if call.path.startswith("/upload/")]
        assert len(uploads) == 1 and uploads[0].body == chart.read_bytes()
        assert len(rig.fake.posted_messages()) == 1


def test_assistant_fault_gets_a_polite_answer_without_internals(
    network: list[str], tmp_path: Path, sqlite_db: Database
) -> None:
    for rig in build_rig(tmp_path, sqlite_db, RecordingAssistant(FailingAssistant(sqlite_db))):
        rig.post(mention_event("WB-BL-500 仲有幾多貨?", event_id="EvFAULT001"))
        posted = rig.fake.wait_for("/chat.postMessage")[0].json()
        assert "唔好意思" in posted["text"]
        assert "password" not in json.dumps(posted) and "Error" not in json.dumps(posted)
