"""A loopback OpenAI-compatible server for tests: real HTTP, real `/v1/chat/completions` wire format.

Each test scripts the replies it wants, in order (a tool call, a text answer, an HTTP error, a slow
reply), points the real `openai` client (through LangChain's `ChatOpenAI`) at `server.base_url`, and
afterwards reads `server.requests` to see exactly what the client sent. It binds to port 0 (a free
port chosen by the OS), never a fixed one.
"""

from __future__ import annotations

import itertools
import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

_call_ids = itertools.count(1)


@dataclass
class ScriptedReply:
    """One answer the fake gives to the next chat completion request."""

    status: int = 200
    body: dict[str, Any] = field(default_factory=dict)
    delay_s: float = 0.0


@dataclass
class RecordedRequest:
    """One request the fake received."""

    path: str
    headers: dict[str, str]  # lower-case names
    body: dict[str, Any]

    @property
    def messages(self) -> list[dict[str, Any]]:
        """The chat messages the client sent."""
        return list(self.body.get("messages", []))

    @property
    def tool_names(self) -> list[str]:
        """Names of the tools offered to the model in this request."""
        return [entry["function"]["name"] for entry in self.body.get("tools", [])]

    def tool_messages(self) -> list[dict[str, Any]]:
        """The `role: tool` messages (tool results and errors sent back to the model)."""
        return [message for message in self.messages if message.get("role") == "tool"]


def _completion(message: dict[str, Any], finish_reason: str, model: str = "fake-model") -> dict[str, Any]:
    return {
        "id": f"chatcmpl-fake{next(_call_ids)}",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": model,
        "choices": [{"index": 0, "message": message, "logprobs": None, "finish_reason": finish_reason}],
        "usage": {"prompt_tokens": 10, "completion_tokens": 5, "total_tokens": 15},
    }


def text_reply(text: str, *, delay_s: float = 0.0) -> ScriptedReply:
    """The model answers in plain text (no tool call)."""
    return ScriptedReply(body=_completion({"role": "assistant", "content": text}, "stop"), delay_s=delay_s)


def tool_call_reply(*calls: tuple[str, dict[str, Any] | str], content: str | None = None,
                    delay_s: float = 0.0) -> ScriptedReply:
    """The model asks for one or more tool calls; a `str` argument is sent verbatim (to script bad JSON)."""
    tool_calls = []
    for name, arguments in calls:
        raw = arguments if isinstance(arguments, str) else json.dumps(arguments, ensure_ascii=False)
        tool_calls.append({"id": f"call_{next(_call_ids)}", "type": "function",
                           "function": {"name": name, "arguments": raw}})
    message = {"role": "assistant", "content": content, "tool_calls": tool_calls}
    return ScriptedReply(body=_completion(message, "tool_calls"), delay_s=delay_s)


def error_reply(status: int = 500, message: str = "The server had an error") -> ScriptedReply:
    """An HTTP error in OpenAI's error envelope."""
    return ScriptedReply(status=status, body={"error": {"message": message, "type": "server_error",
                                                        "param": None, "code": None}})


class FakeOpenAIServer:
    """A real HTTP server on 127.0.0.1 that replays scripted chat completions and records requests."""

    def __init__(self) -> None:
        self.requests: list[RecordedRequest] = []
        self._script: list[ScriptedReply] = []
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05},
                                        name="fake-openai", daemon=True)

    @property
    def base_url(self) -> str:
        """The OpenAI-style base URL (ends in /v1)."""
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}/v1"

    def script(self, *replies: ScriptedReply) -> None:
        """Queue replies for the next requests, in order."""
        with self._lock:
            self._script.extend(replies)

    @property
    def unused_replies(self) -> int:
        """Scripted replies nobody asked for yet."""
        with self._lock:
            return len(self._script)

    def start(self) -> FakeOpenAIServer:
        """Start serving in a background thread."""
        self._thread.start()
        return self

    def stop(self) -> None:
        """Wake any slow reply, stop serving and close the socket."""
        self._stopping.set()
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> FakeOpenAIServer:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def _next_reply(self) -> ScriptedReply:
        with self._lock:
            if self._script:
                return self._script.pop(0)
        return error_reply(500, "fake server: no scripted reply left")

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:  # keep test output quiet
                return

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                try:
                    body = json.loads(raw or b"{}")
                except json.JSONDecodeError:
                    body = {"_raw": raw.decode("utf-8", "replace")}
                with server._lock:
                    server.requests.append(RecordedRequest(self.path, {k.lower(): v for k, v in self.headers.items()}, body))
                if not self.path.rstrip("/").endswith("/chat/completions"):
                    self._send(404, {"error": {"message": f"no route {self.path}", "type": "not_found"}})
                    return
                reply = server._next_reply()
                if reply.delay_s and server._stopping.wait(reply.delay_s):
                    return
                self._send(reply.status, reply.body)

            def _send(self, status: int, body: dict[str, Any]) -> None:
                payload = json.dumps(body, ensure_ascii=False).encode("utf-8")
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(payload)))
                    self.end_headers()
                    self.wfile.write(payload)
                except (BrokenPipeError, ConnectionResetError):  # the client gave up (a timeout test)
                    pass

        return Handler
