"""What the channel tests share: a loopback fake-platform server, the assistant seam, a network tripwire.

The fake servers speak each platform's wire format on 127.0.0.1 (a free port), record every request,
and can be told to answer the next calls with 429 or 5xx. `channel_assistant` is the ONE place the
channel tests get their assistant.
"""

from __future__ import annotations

import ipaddress
import json
import re
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.parser import BytesParser
from email.policy import HTTP
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from bot.messages import Attachment, IncomingMessage, Reply
from core.db import Database

# --- a recorded request --------------------------------------------------------------------------------


@dataclass
class RecordedCall:
    """One request the fake platform received."""

    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: bytes
    status: int = 200
    at: float = field(default_factory=time.monotonic)  # when it arrived (time.monotonic)

    def json(self) -> Any:
        """The body as JSON."""
        return json.loads(self.body or b"{}")

    def fields(self) -> dict[str, str]:
        """Form fields (urlencoded or multipart text parts), else the JSON body's top level as strings."""
        content_type = self.headers.get("content-type", "")
        if content_type.startswith("application/x-www-form-urlencoded"):
            return dict(parse_qsl(self.body.decode()))
        if content_type.startswith("multipart/form-data"):
            return {name: data.decode() for name, (filename, data) in self._parts().items() if filename is None}
        if content_type.startswith("application/json"):
            return {k: v if isinstance(v, str) else json.dumps(v) for k, v in self.json().items()}
        return {}

    def files(self) -> dict[str, bytes]:
        """Multipart file parts by field name."""
        return {name: data for name, (filename, data) in self._parts().items() if filename is not None}

    def _parts(self) -> dict[str, tuple[str | None, bytes]]:
        content_type = self.headers.get("content-type", "")
        message = BytesParser(policy=HTTP).parsebytes(b"Content-Type: " + content_type.encode() + b"\r\n\r\n" + self.body)
        parts: dict[str, tuple[str | None, bytes]] = {}
        for part in message.iter_parts():
            name = part.get_param("name", header="content-disposition")
            payload = part.get_payload(decode=True)
            parts[str(name)] = (part.get_filename(), payload if isinstance(payload, bytes) else b"")
        return parts


@dataclass
class Answer:
    """What the fake sends back."""

    status: int = 200
    body: Any = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)


# --- the server ------------------------------------------------------------------------------------------


class FakePlatformServer:
    """A threaded HTTP server on 127.0.0.1:<free port>; subclasses implement `answer(call)`."""

    def __init__(self) -> None:
        self.calls: list[RecordedCall] = []
        self._faults: list[tuple[str, Answer]] = []
        self._condition = threading.Condition()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def base_url(self) -> str:
        """`http://127.0.0.1:<port>`."""
        assert self._server is not None, "start the fake first"
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def answer(self, call: RecordedCall) -> Answer:
        """The platform's answer to one call."""
        raise NotImplementedError

    def fail_next(self, path_suffix: str, *faults: Answer) -> None:
        """Answer the next calls whose path ends with `path_suffix` with these faults, in order."""
        with self._condition:
            self._faults.extend((path_suffix, fault) for fault in faults)

    def calls_to(self, path_suffix: str, *, ok_only: bool = False) -> list[RecordedCall]:
        """Calls whose path ends with `path_suffix` (only the successful ones with ok_only)."""
        with self._condition:
            return [c for c in self.calls if c.path.endswith(path_suffix) and (not ok_only or c.status < 300)]

    def wait_for(self, path_suffix: str, count: int = 1, timeout: float = 10.0) -> list[RecordedCall]:
        """Block until `count` calls to `path_suffix` arrived (any status); fail after `timeout`."""
        deadline = time.monotonic() + timeout
        with self._condition:
            while True:
                found = [c for c in self.calls if c.path.endswith(path_suffix)]
                if len(found) >= count:
                    return found
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise AssertionError(f"expected {count} call(s) to {path_suffix}, got {len(found)}: {self.paths()}")
                self._condition.wait(remaining)

    def paths(self) -> list[str]:
        """Every path called so far, in order."""
        with self._condition:
            return [c.path for c in self.calls]

    def _handle(self, handler: BaseHTTPRequestHandler) -> None:
        split = urlsplit(handler.path)
        length = int(handler.headers.get("Content-Length") or 0)
        call = RecordedCall(
            method=handler.command,
            path=split.path,
            query=dict(parse_qsl(split.query)),
            headers={k.lower(): v for k, v in handler.headers.items()},
            body=handler.rfile.read(length) if length else b"",
        )
        with self._condition:
            fault_index = next((i for i, (suffix, _) in enumerate(self._faults) if call.path.endswith(suffix)), None)
            fault = self._faults.pop(fault_index)[1] if fault_index is not None else None
        answer = fault or self.answer(call)
        call.status = answer.status
        # Recorded before answering: once the client has its response, the test can already see the call.
        with self._condition:
            self.calls.append(call)
            self._condition.notify_all()
        payload = answer.body if isinstance(answer.body, bytes) else json.dumps(answer.body).encode()
        handler.send_response(answer.status)
        handler.send_header("Content-Type", "application/json" if not isinstance(answer.body, bytes) else "text/plain")
        handler.send_header("Content-Length", str(len(payload)))
        for name, value in answer.headers.items():
            handler.send_header(name, value)
        handler.end_headers()
        handler.wfile.write(payload)

    def start(self) -> FakePlatformServer:
        """Listen on a free loopback port in a daemon thread."""
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:  # noqa: N802 - http.server's names
                fake._handle(self)

            def do_POST(self) -> None:  # noqa: N802
                fake._handle(self)

            def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
                return

        self._server = _QuietServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, name=type(self).__name__, daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Shut the server down."""
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> FakePlatformServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


class _QuietServer(ThreadingHTTPServer):
    """Does not print a traceback when a client hangs up mid-request (a cancelled long poll)."""

    def handle_error(self, request: Any, client_address: Any) -> None:
        import sys

        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


# --- network tripwire -----------------------------------------------------------------------------------


@contextmanager
def loopback_only() -> Iterator[list[str]]:
    """Record (and refuse) any connection to a non-loopback address; the caller asserts the list is empty.

    conftest already refuses such connections; this also catches ones an adapter swallowed and logged.
    """
    attempts: list[str] = []
    real_connect = socket.socket.connect
    real_getaddrinfo = socket.getaddrinfo

    def is_loopback(host: str) -> bool:
        try:
            return ipaddress.ip_address(host).is_loopback
        except ValueError:
            return host in {"localhost", "testserver"}

    def connect(sock: socket.socket, address: Any) -> Any:
        if sock.family in (socket.AF_INET, socket.AF_INET6) and not is_loopback(str(address[0])):
            attempts.append(str(address[0]))
            raise OSError(f"network refused in tests: {address[0]}")
        return real_connect(sock, address)

    def getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
        if host is not None and not is_loopback(str(host)):
            attempts.append(str(host))
            raise socket.gaierror(f"network refused in tests: {host}")
        return real_getaddrinfo(host, *args, **kwargs)

    socket.socket.connect = connect  # type: ignore[method-assign,assignment]  # the network guard replaces it
    socket.getaddrinfo = getaddrinfo
    try:
        yield attempts
    finally:
        socket.socket.connect = real_connect  # type: ignore[method-assign]
        socket.getaddrinfo = real_getaddrinfo


def free_port() -> int:
    """A free TCP port on 127.0.0.1."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


# --- the assistant seam ----------------------------------------------------------------------------------

_CJK = re.compile(r"[\u4e00-\u9fff]")


class ScriptedAssistant:
    """Stands in for bot.assistant.Assistant: answers a stock question in the asker's language.

    Until the lead switches `channel_assistant` to the real Assistant on demo_db.
    """

    def __init__(self, db: Database, chart: Path | None = None) -> None:
        self.db = db
        self.chart = chart

    def handle(self, message: IncomingMessage) -> Reply:
        """A fixed stock answer (and the chart, when one was given)."""
        attachments = [Attachment(path=self.chart, title="WB-BL-500 forecast")] if self.chart else []
        if _CJK.search(message.text):
            answer = "WB-BL-500 藍色水樽：香港倉 120 件，即日送；深圳倉 200 件，2-3 個工作天。"
            return Reply(answer=answer, lang="zh-HK", intent="stock_lookup", attachments=attachments)
        answer = "WB-BL-500 blue bottle: Hong Kong warehouse 120 units, same day; Shenzhen 200 units, 2-3 working days."
        return Reply(answer=answer, lang="en", intent="stock_lookup", attachments=attachments)


class RecordingAssistant:
    """Wraps an assistant and keeps every message it was asked (thread-safe)."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.db = inner.db
        self.received: list[IncomingMessage] = []
        self._lock = threading.Lock()

    def handle(self, message: IncomingMessage) -> Reply:
        """Record, then delegate."""
        with self._lock:
            self.received.append(message)
        return self.inner.handle(message)


def channel_assistant(db: Database, chart: Path | None = None) -> RecordingAssistant:
    """THE seam: the assistant every channel test talks to (switch here to the real Assistant)."""
    return RecordingAssistant(ScriptedAssistant(db, chart=chart))


def demo_assistant(demo_db: Database, home: Path) -> RecordingAssistant:
    """The real Assistant (rules brain) on a private copy of the demo database (demo_db stays read-only)."""
    import sqlite3

    from bot.assistant import Assistant
    from core.config import Settings

    source_path = demo_db.engine.url.database
    copy_path = home / "demo-copy.db"
    with sqlite3.connect(str(source_path)) as source, sqlite3.connect(str(copy_path)) as target:
        source.backup(target)
    db = Database(f"sqlite:///{copy_path}")
    settings = Settings(home=home, db_url=db.url, brain="rules", env={})
    return RecordingAssistant(Assistant(settings, db))


class FailingAssistant:
    """An assistant that always raises, with text that must never reach a chat."""

    SECRET_TEXT = "psycopg.OperationalError: password for user admin=hunter2"

    def __init__(self, db: Database) -> None:
        self.db = db

    def handle(self, message: IncomingMessage) -> Reply:
        """Always fails."""
        raise RuntimeError(self.SECRET_TEXT)


def tiny_png(path: Path) -> Path:
    """Write a valid 1x1 PNG (a stand-in chart) and return its path."""
    import base64

    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(
        base64.b64decode(
            "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
        )
    )
    return path


@contextmanager
def serve_in_thread(app: Any) -> Iterator[str]:
    """Run `app` under uvicorn on a free loopback port (lifespan on); yields its base URL."""
    import uvicorn

    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on"))
    thread = threading.Thread(target=server.run, name="uvicorn-test", daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise AssertionError("uvicorn did not start")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
