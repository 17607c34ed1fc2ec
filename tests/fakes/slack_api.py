"""A loopback fake of the Slack Web API: auth.test, chat.postMessage and the files_upload_v2 steps."""

from __future__ import annotations

import itertools
import threading

from tests.fakes.channel_base import Answer, FakePlatformServer, RecordedCall

BOT_TOKEN = "xoxb-test-not-real"
BOT_USER_ID = "U0LAN0Z89"  # the bot mentioned in Slack's app_mention sample
BOT_ID = "B0BOTBOT1"


class SlackApiFake(FakePlatformServer):
    """Speaks the Web API's JSON: `{"ok": true, ...}`; checks the bearer token."""

    def __init__(self) -> None:
        super().__init__()
        self._ids = itertools.count(1)
        self._lock = threading.Lock()

    @property
    def api_url(self) -> str:
        """What SLACK_API_URL is set to (WebClient's base_url)."""
        return self.base_url + "/api/"

    def posted_messages(self) -> list[dict[str, object]]:
        """The successful chat.postMessage bodies, in order."""
        return [call.json() for call in self.calls_to("/chat.postMessage", ok_only=True)]

    def answer(self, call: RecordedCall) -> Answer:
        if call.path.startswith("/upload/"):
            return Answer(200, b"OK")
        if call.headers.get("authorization") != f"Bearer {BOT_TOKEN}":
            return Answer(200, {"ok": False, "error": "invalid_auth"})
        method = call.path.rsplit("/", 1)[-1]
        with self._lock:
            serial = next(self._ids)
        if method == "auth.test":
            return Answer(200, {"ok": True, "url": "https://silobridge-test.slack.com/", "team": "Test",
                                "user": "silobridge", "team_id": "T123ABC456", "user_id": BOT_USER_ID, "bot_id": BOT_ID})
        if method == "chat.postMessage":
            body = call.json()
            return Answer(200, {"ok": True, "channel": body.get("channel"), "ts": f"1700000000.{serial:06d}",
                                "message": {"type": "message", "text": body.get("text"), "bot_id": BOT_ID}})
        if method == "files.getUploadURLExternal":
            return Answer(200, {"ok": True, "upload_url": f"{self.base_url}/upload/F{serial}", "file_id": f"F{serial}"})
        if method == "files.completeUploadExternal":
            return Answer(200, {"ok": True, "files": [{"id": "F1", "title": call.fields().get("files", "")}]})
        return Answer(200, {"ok": False, "error": "unknown_method"})


def server_error() -> Answer:
    """Slack having a bad moment."""
    return Answer(503, {"ok": False, "error": "service_unavailable"})


def rate_limited() -> Answer:
    """Slack's 429 with a Retry-After of 0 s (tests stay fast)."""
    return Answer(429, {"ok": False, "error": "ratelimited"}, {"Retry-After": "0"})
