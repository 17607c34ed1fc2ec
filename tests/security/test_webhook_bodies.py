"""Correctly signed but malformed webhook bodies: 400 (413 when too large) and one log line, never a 5xx or a
traceback; plus a small seeded fuzz of ~200 signed bodies per platform, bounded in time."""

from __future__ import annotations

import json
import logging
import random
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from core.db import Database
from tests.fakes.channel_base import channel_assistant, loopback_only
from tests.fakes.telegram_api import make_message_update
from tests.fakes.whatsapp_api import make_text_notification, sign
from tests.test_channel_slack import build_rig as slack_rig
from tests.test_channel_slack import mention_event, signed_headers
from tests.test_channel_telegram import SECRET_HEADER, WEBHOOK_SECRET
from tests.test_channel_telegram import build_rig as telegram_rig
from tests.test_channel_whatsapp import build_rig as whatsapp_rig

FUZZ_CASES = 200
FUZZ_SECONDS = 90

MALFORMED: dict[str, bytes] = {
    "null": b"null",
    "list": b"[1,2,3]",
    "string": b'"just a string"',
    "number": b"42",
    "empty": b"",
    "truncated": b'{"type": "event_callback", "event": {"type": "app_men',
    "deep-list": b"[" * 100_000,
    "deep-object": b'{"a":' * 100_000,
    "not-utf8": b'{"type": "\xff\xfe\xfa"}',
    "nul-bytes": b"\x00" * 64,
}


def _slack_wrong_types() -> dict[str, bytes]:
    base = json.loads(mention_event("WB-BL-500?", event_id="EvTYPES001"))
    variants: dict[str, Any] = {
        "event-is-string": {**base, "event": "app_mention"},
        "event-is-list": {**base, "event": [1, 2]},
        "type-is-number": {**base, "type": 7},
        "text-is-object": {**base, "event": {**base["event"], "text": {"a": 1}}},
        "event-id-is-list": {**base, "event_id": ["x"]},
        "enterprise-is-number": {**base, "enterprise": 5},
        "authorizations-is-string": {**base, "authorizations": "all"},
        "callback-without-event": {k: v for k, v in base.items() if k != "event"},
    }
    return {name: json.dumps(body).encode() for name, body in variants.items()}


def _telegram_wrong_types() -> dict[str, bytes]:
    base = make_message_update("WB-BL-500?", update_id=555001)
    variants: dict[str, Any] = {
        "update-id-is-string": {**base, "update_id": "abc"},
        "update-id-is-bool": {**base, "update_id": True},
        "no-update-id": {"message": base["message"]},
        "message-is-string": {**base, "message": "hello"},
        "chat-is-list": {**base, "message": {**base["message"], "chat": [1]}},
        "from-is-number": {**base, "message": {**base["message"], "from": 5}},
        "text-is-object": {**base, "message": {**base["message"], "text": {"a": 1}}},
    }
    return {name: json.dumps(body).encode() for name, body in variants.items()}


def _whatsapp_wrong_types() -> dict[str, bytes]:
    base = json.loads(make_text_notification("WB-BL-500?", message_id="wamid.TYPES"))
    value = base["entry"][0]["changes"][0]["value"]
    variants: dict[str, Any] = {
        "entry-is-string": {**base, "entry": "x"},
        "entry-item-is-number": {**base, "entry": [5]},
        "changes-is-object": {**base, "entry": [{"changes": {"a": 1}}]},
        "messages-is-string": {**base, "entry": [{"changes": [{"value": {**value, "messages": "hi"}}]}]},
        "text-is-list": {**base, "entry": [{"changes": [{"value": {**value, "messages": [
            {**value["messages"][0], "text": ["x"]}]}}]}]},
    }
    return {name: json.dumps(body).encode() for name, body in variants.items()}


# --- the rigs, each with a `post(raw bytes) -> response` that signs the body -----------------------------


class Platform:
    """One platform's app behind TestClient, and how to send it a correctly signed raw body."""

    def __init__(self, name: str, client: Any, send: Callable[[bytes], Any], sample: bytes) -> None:
        self.name, self.client, self.send, self.sample = name, client, send, sample


@pytest.fixture(params=["slack", "telegram", "whatsapp"])
def platform(request: pytest.FixtureRequest, tmp_path: Path, sqlite_db: Database) -> Iterator[Platform]:
    with loopback_only() as attempts:
        assistant = channel_assistant(sqlite_db)
        if request.param == "slack":
            for rig in slack_rig(tmp_path, sqlite_db, assistant):
                yield Platform("slack", rig.client, lambda raw, rig=rig: rig.client.post(
                    "/slack/events", content=raw, headers=signed_headers(raw)), mention_event("WB-BL-500?"))
        elif request.param == "telegram":
            for rig in telegram_rig(tmp_path, sqlite_db, assistant):
                yield Platform("telegram", rig.client, lambda raw, rig=rig: rig.client.post(
                    "/telegram/webhook", content=raw,
                    headers={SECRET_HEADER: WEBHOOK_SECRET, "Content-Type": "application/json"}),
                    json.dumps(make_message_update("WB-BL-500 仲有幾多貨?")).encode())
        else:
            for rig in whatsapp_rig(tmp_path, sqlite_db, assistant):
                yield Platform("whatsapp", rig.client, lambda raw, rig=rig: rig.client.post(
                    "/whatsapp/webhook", content=raw,
                    headers={"X-Hub-Signature-256": sign(raw), "Content-Type": "application/json"}),
                    make_text_notification("WB-BL-500 仲有幾多貨?"))
    assert attempts == []


def _tracebacks(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.exc_info or r.exc_text] + (
        ["Traceback in log"] if "Traceback" in caplog.text else [])


WRONG_TYPES = {"slack": _slack_wrong_types, "telegram": _telegram_wrong_types, "whatsapp": _whatsapp_wrong_types}


def test_malformed_signed_bodies_are_400_with_one_log_line(platform: Platform, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO)
    cases = {**MALFORMED, **WRONG_TYPES[platform.name]()}
    for name, raw in cases.items():
        caplog.clear()
        started = time.monotonic()
        response = platform.send(raw)
        # Slack's signature covers the body as UTF-8 text: a body that is not UTF-8 cannot be signed (401).
        expected = 401 if (platform.name, name) == ("slack", "not-utf8") else 400
        assert response.status_code == expected, (name, response.status_code, response.text)
        assert time.monotonic() - started < 2, name
        refusals = [r for r in caplog.records if r.name.startswith("silobridge.channels") and "refused" in r.getMessage()]
        assert len(refusals) == 1, (name, [r.getMessage() for r in caplog.records])
        assert _tracebacks(caplog) == [], name


def test_oversized_signed_body_is_refused_unread(platform: Platform, caplog: pytest.LogCaptureFixture) -> None:
    raw = b'{"pad": "' + b"x" * 2_000_000 + b'"}'
    response = platform.send(raw)
    assert response.status_code == 413
    assert _tracebacks(caplog) == []


def test_a_real_payload_still_works(platform: Platform) -> None:
    assert platform.send(platform.sample).status_code == 200


# --- fuzz -------------------------------------------------------------------------------------------------


def _mutations(sample: bytes, rng: random.Random) -> Iterator[bytes]:
    """Random bytes, truncations of a real payload, huge fields, odd encodings, values of the wrong type."""
    decoded = json.loads(sample)
    odd_values: list[Any] = [None, True, 0, -1, 2**70, 1.5e308, "", "x" * 200_000, [], {}, [[[]]], {"a": {"b": []}},
                             "\u0000", "\ud83d", "水" * 1000]
    kinds = ["random", "truncate", "flip", "retype", "huge", "encoding", "append"]
    while True:
        kind = rng.choice(kinds)
        if kind == "random":
            yield rng.randbytes(rng.randint(0, 2000))
        elif kind == "truncate":
            yield sample[: rng.randint(0, len(sample) - 1)]
        elif kind == "flip":
            raw = bytearray(sample)
            for _ in range(rng.randint(1, 8)):
                raw[rng.randrange(len(raw))] = rng.randrange(256)
            yield bytes(raw)
        elif kind in {"retype", "huge"}:
            body = json.loads(json.dumps(decoded))
            _replace_random_value(body, rng, "x" * rng.randint(100_000, 500_000) if kind == "huge" else rng.choice(odd_values))
            yield json.dumps(body, ensure_ascii=rng.random() < 0.5).encode(errors="surrogatepass")
        elif kind == "encoding":
            text = sample.decode()
            yield text.encode(rng.choice(["utf-16", "utf-32", "utf-16-le"])) if rng.random() < 0.7 else \
                text.encode("latin-1", errors="replace")
        else:
            yield sample + rng.choice([b"}", b"]", b",", b"garbage", b"\x00", b" " * 10])


def _replace_random_value(node: Any, rng: random.Random, value: Any) -> None:
    """Replace one randomly chosen value somewhere inside `node` (a dict or list) by `value`."""
    while True:
        keys = list(node.keys()) if isinstance(node, dict) else list(range(len(node)))
        if not keys:
            return
        key = rng.choice(keys)
        child = node[key]
        if isinstance(child, dict | list) and child and rng.random() < 0.6:
            node = child
            continue
        node[key] = value
        return


def test_fuzzed_signed_bodies_never_5xx_nor_traceback(platform: Platform, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO)
    rng = random.Random(f"silobridge-fuzz-{platform.name}")
    started = time.monotonic()
    statuses: dict[int, int] = {}
    for index, raw in zip(range(FUZZ_CASES), _mutations(platform.sample, rng), strict=False):
        response = platform.send(raw)
        statuses[response.status_code] = statuses.get(response.status_code, 0) + 1
        assert response.status_code < 500, (index, raw[:200], response.status_code)
        assert time.monotonic() - started < FUZZ_SECONDS, f"fuzz too slow after {index} cases"
    assert _tracebacks(caplog) == [], _tracebacks(caplog)[:3]
    assert sum(statuses.values()) == FUZZ_CASES
    assert statuses.get(400, 0) > 0
