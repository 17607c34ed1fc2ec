"""A loopback fake of the WhatsApp Cloud API (Graph): `/<phone id>/messages` and `/<phone id>/media`."""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import threading
import time
from typing import Any

from tests.fakes.channel_base import Answer, FakePlatformServer, RecordedCall

ACCESS_TOKEN = "EAAG-test-not-real"
PHONE_NUMBER_ID = "106540352242922"  # the business number in Meta's sample
APP_SECRET = "demo_app_secret_not_real"  # the made-up secret of the signature sample
VERIFY_TOKEN = "verify-me-not-real"


class WhatsAppApiFake(FakePlatformServer):
    """Speaks the Graph API's JSON; a wrong bearer token is 401 (OAuthException 190)."""

    def __init__(self) -> None:
        super().__init__()
        self._ids = itertools.count(1)
        self._lock = threading.Lock()

    @property
    def api_url(self) -> str:
        """What WHATSAPP_API_URL is set to."""
        return self.base_url + "/v21.0"

    def sent_messages(self) -> list[dict[str, Any]]:
        """Bodies of the successful `/messages` calls, in order."""
        return [call.json() for call in self.calls_to("/messages", ok_only=True)]

    def answer(self, call: RecordedCall) -> Answer:
        if call.headers.get("authorization") != f"Bearer {ACCESS_TOKEN}":
            return Answer(401, {"error": {"message": "Invalid OAuth access token.", "type": "OAuthException", "code": 190}})
        with self._lock:
            serial = next(self._ids)
        if call.path == f"/v21.0/{PHONE_NUMBER_ID}/messages":
            body = call.json()
            return Answer(200, {"messaging_product": "whatsapp",
                                "contacts": [{"input": body.get("to"), "wa_id": body.get("to")}],
                                "messages": [{"id": f"wamid.OUT{serial}"}]})
        if call.path == f"/v21.0/{PHONE_NUMBER_ID}/media":
            return Answer(200, {"id": f"media-{serial}"})
        return Answer(400, {"error": {"message": "Unsupported post request", "type": "GraphMethodException", "code": 100}})


def server_error() -> Answer:
    """A Graph API 500."""
    return Answer(500, {"error": {"message": "An unknown error occurred", "type": "OAuthException", "code": 1}})


def rate_limited() -> Answer:
    """A Graph API 429 (throughput limit)."""
    return Answer(429, {"error": {"message": "Rate limit hit", "type": "OAuthException", "code": 130429}})


def sign(raw_body: bytes, secret: str = APP_SECRET) -> str:
    """`X-Hub-Signature-256` for a raw body."""
    return "sha256=" + hmac.new(secret.encode(), raw_body, hashlib.sha256).hexdigest()


_message_ids = itertools.count(1)


def make_text_notification(text: str, *, sender: str = "85291234567", message_id: str | None = None) -> bytes:
    """A `messages` webhook body in the recorded shape (whatsapp_messages_text.json), as Meta sends it:
    compact JSON with non-ASCII escaped as \\uXXXX."""
    payload = {
        "object": "whatsapp_business_account",
        "entry": [{"id": "102290129340398", "changes": [{"field": "messages", "value": {
            "messaging_product": "whatsapp",
            "metadata": {"display_phone_number": "15550783881", "phone_number_id": PHONE_NUMBER_ID},
            "contacts": [{"profile": {"name": "Sheena Nelson"}, "wa_id": sender}],
            "messages": [{"from": sender, "id": message_id or f"wamid.IN{next(_message_ids)}",
                          "timestamp": str(int(time.time())), "type": "text", "text": {"body": text}}],
        }}]}],
    }
    return json.dumps(payload, separators=(",", ":"), ensure_ascii=True).encode()
