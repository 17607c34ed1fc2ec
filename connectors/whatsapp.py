"""WhatsApp Cloud API: webhook verification, signed notifications in, Graph API replies out (httpx).

- `GET /whatsapp/webhook`: Meta's subscription check: `hub.mode=subscribe` and `hub.verify_token` equal
  to WHATSAPP_VERIFY_TOKEN echo `hub.challenge`; anything else is 403.
- `POST /whatsapp/webhook`: `X-Hub-Signature-256` must be `sha256=` + hex HMAC-SHA256(WHATSAPP_APP_SECRET,
  raw body), compared in constant time on the bytes exactly as received (Meta signs its `\\uXXXX`-escaped
  form; re-serialised JSON would not match). Missing → 401, forged → 403, nothing answered. A signed body
  that is not a notification (not a JSON object, too large or deep, fields of the wrong type) → 400.
- Text messages are answered in the background after a fast 200; replies go to
  `{WHATSAPP_API_URL}/{WHATSAPP_PHONE_NUMBER_ID}/messages` with the bearer token, retrying 429 and 5xx
  with exponential backoff. A chart is uploaded to `/media` and sent as an image; if that fails the text
  answer stands alone. Phone numbers are masked in every log line.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import logging
from typing import Any

import httpx
from pydantic import BaseModel, ConfigDict, Field, ValidationError
from starlette.applications import Starlette
from starlette.background import BackgroundTasks
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response

from bot.messages import IncomingMessage, Reply
from connectors.channels import (
    AssistantLike,
    EventLedger,
    MalformedBody,
    answer_in_thread,
    answer_pool,
    json_object,
    mask_handle,
    question_lang,
    read_body,
    redact_in_logs,
    split_text,
)
from core.config import Settings

log = logging.getLogger("silobridge.channels.whatsapp")

WHATSAPP_WEBHOOK_PATH = "/whatsapp/webhook"
SIGNATURE_HEADER = "X-Hub-Signature-256"
TEXT_LIMIT = 4096


class InboundText(BaseModel):
    """One inbound WhatsApp message, as the Cloud API webhook lists it."""

    message_id: str
    sender: str  # the wa_id (a phone number): never logged unmasked
    kind: str
    text: str = ""


def signature_is_valid(app_secret: str, raw_body: bytes, header_value: str | None) -> bool:
    """True when `header_value` is `sha256=` + HMAC-SHA256(app secret, the raw body) (constant-time compare)."""
    if not header_value or not header_value.startswith("sha256="):
        return False
    expected = hmac.new(app_secret.encode("utf-8"), raw_body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(header_value[len("sha256=") :].strip().lower().encode(), expected.encode())


class _Part(BaseModel):
    """The parts of a Cloud API notification silobridge reads; everything else is ignored."""

    model_config = ConfigDict(extra="ignore", coerce_numbers_to_str=True)


class _TextBody(_Part):
    body: str = ""


class _MessageItem(_Part):
    id: str | None = None
    sender: str | None = Field(default=None, alias="from")
    type: str = ""
    text: _TextBody | None = None


class _ChangeValue(_Part):
    messages: list[_MessageItem] | None = None


class _Change(_Part):
    value: _ChangeValue | None = None


class _Entry(_Part):
    changes: list[_Change] | None = None


class _Notification(_Part):
    entry: list[_Entry] | None = None


def inbound_messages(payload: dict[str, Any]) -> list[InboundText]:
    """The messages of a `whatsapp_business_account` notification (status updates carry none).

    Raises `MalformedBody` when a field has the wrong type (a list where an object belongs, ...)."""
    try:
        notification = _Notification.model_validate(payload)
    except ValidationError as exc:
        raise MalformedBody(f"fields of the wrong type ({exc.error_count()} errors)") from None
    found: list[InboundText] = []
    for entry in notification.entry or []:
        for change in entry.changes or []:
            for item in (change.value.messages if change.value else None) or []:
                if not item.id or not item.sender:
                    continue
                body = item.text.body if item.type == "text" and item.text else ""
                found.append(InboundText(message_id=item.id, sender=item.sender, kind=item.type, text=body))
    return found


class WhatsAppChannel:
    """Cloud API webhook in, `IncomingMessage`; `Reply` out, Graph API calls."""

    def __init__(self, settings: Settings, assistant: AssistantLike, ledger: EventLedger) -> None:
        self.settings = settings
        self.assistant = assistant
        self.pool = answer_pool("whatsapp")
        self.ledger = ledger
        self.app_secret = settings.require_secret("WHATSAPP_APP_SECRET", "WhatsApp webhooks")
        self.verify_token = settings.require_secret("WHATSAPP_VERIFY_TOKEN", "WhatsApp webhook verification")
        self.phone_number_id = settings.require_secret("WHATSAPP_PHONE_NUMBER_ID", "WhatsApp replies")
        self.token = settings.require_secret("WHATSAPP_TOKEN", "WhatsApp replies")
        self.api_url = settings.channel_api_url("whatsapp").rstrip("/")
        redact_in_logs(self.phone_number_id)  # part of every Graph API URL, which httpx logs

    # --- webhook ---------------------------------------------------------------------------

    async def verify_endpoint(self, request: Request) -> Response:
        """`GET /whatsapp/webhook`: echo `hub.challenge` to Meta's subscription check."""
        params = request.query_params
        given = params.get("hub.verify_token", "")
        if params.get("hub.mode") == "subscribe" and hmac.compare_digest(given.encode(), self.verify_token.encode()):
            return PlainTextResponse(params.get("hub.challenge", ""))
        log.warning("whatsapp webhook verification refused")
        return PlainTextResponse("forbidden", status_code=403)

    async def notification_endpoint(self, request: Request) -> Response:
        """`POST /whatsapp/webhook`: check the signature on the raw bytes, take each message once, answer later."""
        try:
            raw_body = await read_body(request)
        except MalformedBody as exc:
            log.warning("whatsapp notification refused: %s", exc)
            return JSONResponse({"error": "body too large"}, status_code=413)
        header_value = request.headers.get(SIGNATURE_HEADER)
        if not header_value:
            log.warning("whatsapp notification refused: no signature")
            return JSONResponse({"error": "missing signature"}, status_code=401)
        if not signature_is_valid(self.app_secret, raw_body, header_value):
            log.warning("whatsapp notification refused: signature does not match")
            return JSONResponse({"error": "bad signature"}, status_code=403)
        try:
            messages = inbound_messages(json_object(raw_body))
        except MalformedBody as exc:
            log.warning("whatsapp notification refused: malformed body (%s)", exc)
            return JSONResponse({"error": "not a WhatsApp notification"}, status_code=400)
        tasks = BackgroundTasks()
        for inbound in messages:
            if not self.ledger.first_time(f"whatsapp:{inbound.message_id}"):
                log.info("whatsapp message from %s already taken: not answered again", self._masked(inbound.sender))
                continue
            tasks.add_task(self.answer, inbound)
        return JSONResponse({"ok": True}, background=tasks)

    # --- message -> IncomingMessage --------------------------------------------------------

    async def answer(self, inbound: InboundText) -> None:
        """Answer one inbound message; every fault is logged (masked), never raised."""
        try:
            if inbound.kind != "text" or not inbound.text.strip():
                await self.send_text(inbound, _text_only_notice(inbound.text))
                return
            incoming = IncomingMessage(
                text=inbound.text,
                channel="whatsapp",
                user=f"whatsapp:{inbound.sender}",
                session=f"whatsapp:{inbound.sender}",
                chat_id=inbound.sender,
                message_id=inbound.message_id,
            )
            reply = await answer_in_thread(self.assistant, incoming, self.pool,
                                           on_slow=lambda text: self.send_text(inbound, text))
            await self.send_reply(inbound, reply)
        except Exception as exc:  # noqa: BLE001 - never crash the server over one message
            log.error("whatsapp: message from %s not answered: %s", self._masked(inbound.sender), type(exc).__name__)
            log.debug("whatsapp: traceback", exc_info=True)

    # --- Reply -> Graph API calls ----------------------------------------------------------

    async def send_reply(self, inbound: InboundText, reply: Reply) -> None:
        """The answer as text (quoting the question), then each chart as an image where it uploads."""
        if not await self.send_text(inbound, reply.answer):
            return
        for chart in reply.attachments:
            try:
                image = chart.path.read_bytes()
            except OSError:
                log.error("whatsapp: chart %s is missing; the text answer stands alone", chart.path.name)
                continue
            async with self._client() as client:
                uploaded = await self._post(
                    client,
                    "/media",
                    self._masked(inbound.sender),
                    files={"file": (chart.path.name, image, "image/png")},
                    data={"messaging_product": "whatsapp", "type": "image/png"},
                )
                media_id = _json(uploaded).get("id") if uploaded is not None else None
                if not media_id:
                    log.error("whatsapp: chart %s not uploaded; the text answer stands alone", chart.path.name)
                    continue
                image_part: dict[str, Any] = {"id": media_id}
                if chart.title:
                    image_part["caption"] = chart.title
                await self._post(client, "/messages", self._masked(inbound.sender),
                                 json=self._envelope(inbound, "image", image_part))

    async def send_text(self, inbound: InboundText, text: str) -> bool:
        """Send `text` (in pieces if long) as a reply to the inbound message; True when all went out."""
        async with self._client() as client:
            for piece in split_text(text, TEXT_LIMIT):
                body = self._envelope(inbound, "text", {"body": piece, "preview_url": False})
                if await self._post(client, "/messages", self._masked(inbound.sender), json=body) is None:
                    return False
        return True

    def _envelope(self, inbound: InboundText, kind: str, part: dict[str, Any]) -> dict[str, Any]:
        return {
            "messaging_product": "whatsapp",
            "recipient_type": "individual",
            "to": inbound.sender,
            "context": {"message_id": inbound.message_id},
            "type": kind,
            kind: part,
        }

    def _client(self) -> httpx.AsyncClient:
        return httpx.AsyncClient(
            base_url=f"{self.api_url}/{self.phone_number_id}",
            headers={"Authorization": f"Bearer {self.token}"},
            timeout=httpx.Timeout(10.0, connect=5.0),
        )

    async def _post(self, client: httpx.AsyncClient, path: str, to: str, **kwargs: Any) -> httpx.Response | None:
        """POST with retries on 429, 5xx and connection faults (exponential backoff); None when it failed.

        A failure is one log line: the path, the masked recipient `to` and the error type or HTTP status."""
        retries = self.settings.channels.http_retries
        backoff = self.settings.channels.http_backoff_s
        reason = ""
        for attempt in range(retries + 1):
            wait = backoff * 2**attempt
            try:
                response = await client.post(path, **kwargs)
            except httpx.TransportError as exc:
                reason = type(exc).__name__
            else:
                if response.is_success:
                    return response
                if response.status_code != 429 and response.status_code < 500:
                    error = _json(response).get("error")
                    code = error.get("code", "-") if isinstance(error, dict) else "-"
                    log.error("whatsapp %s to %s refused: HTTP %s (error %s)", path, to, response.status_code, code)
                    return None
                reason = f"HTTP {response.status_code}"
                retry_after = response.headers.get("Retry-After", "")
                if retry_after.isdigit():
                    wait = max(wait, float(retry_after))
            if attempt < retries:
                log.warning("whatsapp %s failed (%s); retry %d of %d in %.2f s", path, reason, attempt + 1, retries, wait)
                await asyncio.sleep(wait)
        log.error("whatsapp %s to %s failed after %d retries (%s); not delivered", path, to, retries, reason)
        return None

    @staticmethod
    def _masked(sender: str) -> str:
        return mask_handle(f"whatsapp:{sender}")


def _json(response: httpx.Response) -> dict[str, Any]:
    try:
        data = response.json()
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def _text_only_notice(text: str) -> str:
    if question_lang(text) == "zh-HK":
        return "唔好意思，我暫時只睇得明文字訊息，請打字問我。"
    return "Sorry, I can only read text messages for now. Please type your question. 我暫時只睇得明文字訊息。"


def mount_whatsapp(app: Starlette, settings: Settings, assistant: AssistantLike, ledger: EventLedger) -> None:
    """Serve WhatsApp's verification and notifications at `/whatsapp/webhook`."""
    channel = WhatsAppChannel(settings, assistant, ledger)
    app.add_route(WHATSAPP_WEBHOOK_PATH, channel.verify_endpoint, methods=["GET"])
    app.add_route(WHATSAPP_WEBHOOK_PATH, channel.notification_endpoint, methods=["POST"])
