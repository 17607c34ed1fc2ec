"""A loopback fake of the Telegram Bot API (`/bot<token>/<method>`), and a factory of Updates."""

from __future__ import annotations

import itertools
import threading
import time
from typing import Any

from tests.fakes.channel_base import Answer, FakePlatformServer, RecordedCall

BOT_TOKEN = "123456:TEST-not-a-real-token"
BOT_ID = 777000111
BOT_USERNAME = "silobridge_bot"


class TelegramApiFake(FakePlatformServer):
    """Speaks the Bot API: `{"ok": true, "result": ...}`; a wrong token is 401 as on Telegram."""

    def __init__(self) -> None:
        super().__init__()
        self._ids = itertools.count(5000)
        self._lock = threading.Lock()
        self.pending_updates: list[dict[str, Any]] = []

    @property
    def api_url(self) -> str:
        """What TELEGRAM_API_URL is set to."""
        return self.base_url

    def sent(self, method: str = "/sendMessage") -> list[dict[str, str]]:
        """Fields of the successful calls to `method`, in order."""
        return [call.fields() for call in self.calls_to(method, ok_only=True)]

    def answer(self, call: RecordedCall) -> Answer:
        prefix = f"/bot{BOT_TOKEN}/"
        if not call.path.startswith(prefix):
            return Answer(401, {"ok": False, "error_code": 401, "description": "Unauthorized"})
        method = call.path[len(prefix):]
        fields = call.fields()
        if method == "getMe":
            return Answer(200, {"ok": True, "result": {"id": BOT_ID, "is_bot": True, "first_name": "silobridge",
                                                       "username": BOT_USERNAME}})
        if method in {"sendMessage", "sendPhoto"}:
            with self._lock:
                message_id = next(self._ids)
            result: dict[str, Any] = {
                "message_id": message_id, "date": int(time.time()),
                "chat": {"id": int(fields["chat_id"]), "type": "private"},
                "from": {"id": BOT_ID, "is_bot": True, "first_name": "silobridge", "username": BOT_USERNAME},
            }
            if method == "sendMessage":
                result["text"] = fields.get("text", "")
            else:
                result["photo"] = [{"file_id": "P1", "file_unique_id": "U1", "width": 1, "height": 1}]
            return Answer(200, {"ok": True, "result": result})
        if method == "deleteWebhook":
            return Answer(200, {"ok": True, "result": True})
        if method == "getUpdates":
            if not self.pending_updates:
                time.sleep(0.1)  # a short long-poll, so a polling loop does not spin
            with self._lock:
                updates, self.pending_updates = self.pending_updates, []
            return Answer(200, {"ok": True, "result": updates})
        return Answer(404, {"ok": False, "error_code": 404, "description": "Not Found: method not found"})


def flood_control(retry_after: int = 1) -> Answer:
    """Telegram's 429 with `parameters.retry_after`."""
    return Answer(429, {"ok": False, "error_code": 429, "description": f"Too Many Requests: retry after {retry_after}",
                        "parameters": {"retry_after": retry_after}})


def bad_gateway() -> Answer:
    """A 502 from Telegram's front end."""
    return Answer(502, {"ok": False, "error_code": 502, "description": "Bad Gateway"})


_update_ids = itertools.count(10001)


def make_message_update(
    text: str,
    *,
    chat_id: int = 1111111,
    chat_type: str = "private",
    user_id: int = 1111111,
    is_bot: bool = False,
    message_id: int = 1365,
    entities: list[dict[str, Any]] | None = None,
    reply_to_bot: bool = False,
    update_id: int | None = None,
) -> dict[str, Any]:
    """An `Update` in the shape of the recorded sample (telegram_update_text.json), with the given text."""
    chat: dict[str, Any] = {"id": chat_id, "type": chat_type}
    if chat_type == "private":
        chat.update({"first_name": "Test Firstname", "last_name": "Test Lastname", "username": "Testusername"})
    else:
        chat["title"] = "Sales HK"
    message: dict[str, Any] = {
        "date": int(time.time()),
        "chat": chat,
        "message_id": message_id,
        "from": {"id": user_id, "is_bot": is_bot, "first_name": "Test Firstname", "username": "Testusername"},
        "text": text,
    }
    if entities:
        message["entities"] = entities
    if reply_to_bot:
        message["reply_to_message"] = {
            "message_id": message_id - 1, "date": int(time.time()) - 60, "chat": chat,
            "from": {"id": BOT_ID, "is_bot": True, "first_name": "silobridge", "username": BOT_USERNAME},
            "text": "earlier answer",
        }
    return {"update_id": update_id if update_id is not None else next(_update_ids), "message": message}


def mention_entity(text: str, username: str = BOT_USERNAME) -> dict[str, Any]:
    """The `mention` entity of `@username` in `text` (offsets in UTF-16 code units, as Telegram counts)."""
    mention = f"@{username}"
    start = text.index(mention)
    offset = len(text[:start].encode("utf-16-le")) // 2
    return {"type": "mention", "offset": offset, "length": len(mention)}
