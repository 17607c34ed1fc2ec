"""The web chat page: routes through TestClient, and a real headless Chromium typing a Cantonese question.

Chromium is driven over the DevTools protocol (websocket-client); the test skips when Debian's
`chromium` is not installed.
"""

from __future__ import annotations

import itertools
import json
import shutil
import subprocess
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from starlette.testclient import TestClient

from connectors.server import create_app
from core.config import ChannelsConfig, Settings
from core.db import Database
from core.models import Stock
from tests.fakes.channel_base import channel_assistant, demo_assistant, loopback_only, serve_in_thread, tiny_png

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
QUESTION = "WB-BL-500 仲有幾多貨？"


def make_settings(tmp_path: Path, db: Database, demo_mode: bool = True) -> Settings:
    return Settings(home=tmp_path, db_url=db.url, channels=ChannelsConfig(demo_mode=demo_mode), env={})


@pytest.fixture
def network() -> Iterator[list[str]]:
    with loopback_only() as attempts:
        yield attempts
    assert attempts == [], f"a test tried to reach the network: {attempts}"


# --- routes ------------------------------------------------------------------------------------------------


def test_page_and_assets_are_served(network: list[str], tmp_path: Path, sqlite_db: Database) -> None:
    with TestClient(create_app(make_settings(tmp_path, sqlite_db), channel_assistant(sqlite_db))) as client:
        page = client.get("/")
        assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
        assert 'id="question"' in page.text and "/web/app.js" in page.text
        assert "http://" not in page.text and "https://" not in page.text  # no CDN
        assert client.get("/web/app.js").headers["content-type"].startswith("text/javascript")
        assert client.get("/web/style.css").status_code == 200
        assert client.get("/web/index.py").status_code == 404


def test_ask_returns_the_contract_with_charts(network: list[str], tmp_path: Path, sqlite_db: Database) -> None:
    chart = tiny_png(tmp_path / "charts" / "forecast-WB-BL-500.png")
    assistant = channel_assistant(sqlite_db, chart=chart)
    with TestClient(create_app(make_settings(tmp_path, sqlite_db), assistant)) as client:
        answer = client.post("/web/ask", json={"text": QUESTION, "session": "web-abc", "role": "logistics"}).json()
        assert {"answer", "lang", "intent", "brain", "tool_calls", "sources", "latency_ms"} <= set(answer)
        assert answer["lang"] == "zh-HK" and "香港倉" in answer["answer"]
        assert answer["charts"] == [{"url": "/charts/forecast-WB-BL-500.png", "title": "WB-BL-500 forecast"}]
        image = client.get(answer["charts"][0]["url"])
        assert image.status_code == 200 and image.content == chart.read_bytes()
        asked = assistant.received[0]
        assert (asked.channel, asked.role, asked.session) == ("web", "logistics", "web-abc")
        assert client.post("/web/ask", json={"text": ""}).status_code == 400
        assert client.post("/web/ask", content=b"{not json").status_code == 400


def test_role_is_ignored_outside_demo_mode(network: list[str], tmp_path: Path, sqlite_db: Database) -> None:
    assistant = channel_assistant(sqlite_db)
    with TestClient(create_app(make_settings(tmp_path, sqlite_db, demo_mode=False), assistant)) as client:
        config = client.get("/web/config").json()
        assert (config["demo_mode"], config["roles"], config["signed_in"], config["user"]) == (False, [], False, None)
        client.post("/web/ask", json={"text": QUESTION, "role": "admin"})
        assert assistant.received[0].role is None


@pytest.mark.parametrize("path", ["/charts/../config.yaml", "/charts/%2e%2e/%2e%2e/etc/passwd", "/charts/..%2Fsecret.png",
                                  "/charts/.hidden.png", "/charts/notes.txt", "/charts/missing.png"])
def test_chart_route_serves_only_pngs_inside_the_charts_folder(
    network: list[str], tmp_path: Path, sqlite_db: Database, path: str
) -> None:
    (tmp_path / "secret.png").write_bytes(b"not for you")
    (tmp_path / "charts").mkdir()
    (tmp_path / "charts" / "notes.txt").write_text("x")
    tiny_png(tmp_path / "charts" / ".hidden.png")
    with TestClient(create_app(make_settings(tmp_path, sqlite_db), channel_assistant(sqlite_db))) as client:
        response = client.get(path)
        assert response.status_code == 404
        assert b"not for you" not in response.content


# --- real Chromium -------------------------------------------------------------------------------------------


class DevTools:
    """A minimal Chrome DevTools protocol client over one page's websocket."""

    def __init__(self, ws_url: str) -> None:
        import websocket

        self.ws = websocket.create_connection(ws_url, timeout=20, suppress_origin=True)
        self.ids = itertools.count(1)

    def call(self, method: str, **params: Any) -> dict[str, Any]:
        call_id = next(self.ids)
        self.ws.send(json.dumps({"id": call_id, "method": method, "params": params}))
        while True:
            reply = json.loads(self.ws.recv())
            if reply.get("id") == call_id:
                if "error" in reply:
                    raise AssertionError(f"{method}: {reply['error']}")
                return reply.get("result", {})

    def evaluate(self, expression: str) -> Any:
        result = self.call("Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True)
        return result.get("result", {}).get("value")

    def wait_for(self, expression: str, timeout: float = 15.0) -> Any:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            value = self.evaluate(expression)
            if value:
                return value
            time.sleep(0.1)
        raise AssertionError(f"timed out waiting for: {expression}")

    def close(self) -> None:
        self.ws.close()


@pytest.fixture
def chromium() -> Iterator[str]:
    """A headless Chromium with remote debugging; yields the DevTools HTTP endpoint."""
    if CHROMIUM is None:
        pytest.skip("Debian's chromium is not installed (apt-get install -y chromium)")
    profile = Path(tempfile.mkdtemp(prefix="silobridge-chromium-"))
    process = subprocess.Popen(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-dev-shm-usage", "--no-default-browser-check", f"--user-data-dir={profile}",
         "--remote-debugging-address=127.0.0.1", "--remote-debugging-port=0", "about:blank"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        port_file = profile / "DevToolsActivePort"
        deadline = time.monotonic() + 30
        while not (port_file.exists() and port_file.read_text().strip()):
            if time.monotonic() > deadline or process.poll() is not None:
                pytest.fail("chromium did not start its DevTools endpoint")
            time.sleep(0.1)
        yield f"http://127.0.0.1:{port_file.read_text().split()[0]}"
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
        shutil.rmtree(profile, ignore_errors=True)


def open_page(chromium: str, base_url: str) -> DevTools:
    """A phone-sized tab on the chat page, with the role picker ready."""
    targets = json.loads(urllib.request.urlopen(f"{chromium}/json/list", timeout=10).read())
    tools = DevTools(next(t for t in targets if t["type"] == "page")["webSocketDebuggerUrl"])
    tools.call("Emulation.setDeviceMetricsOverride", width=390, height=800, deviceScaleFactor=2, mobile=True)
    tools.call("Page.enable")
    tools.call("Page.navigate", url=base_url + "/")
    tools.wait_for("document.readyState === 'complete' && !document.getElementById('role-picker').hidden")
    return tools


def type_and_send(tools: DevTools, text: str) -> str:
    """Type `text` as an IME commit (like a Cantonese keyboard), press Enter, wait for the answer bubble."""
    before = tools.evaluate("document.querySelectorAll('.bubble.answer').length")
    tools.evaluate("document.getElementById('question').focus(); true")
    tools.call("Input.insertText", text=text)
    for kind in ("keyDown", "keyUp"):
        tools.call("Input.dispatchKeyEvent", type=kind, key="Enter", code="Enter", windowsVirtualKeyCode=13,
                   **({"text": "\r"} if kind == "keyDown" else {}))
    tools.wait_for(f"document.querySelectorAll('.bubble.answer').length > {before}")
    return tools.evaluate("Array.from(document.querySelectorAll('.bubble.answer')).pop().textContent")


@pytest.mark.chromium
def test_cantonese_question_in_chromium_gets_the_stock_tools_answer(
    chromium: str, network: list[str], tmp_path: Path, demo_db: Database
) -> None:
    assistant = demo_assistant(demo_db, tmp_path)
    with demo_db.session() as session:
        available = {row.on_hand - row.reserved for row in session.scalars(select(Stock).where(Stock.sku == "WB-BL-500"))}
    app = create_app(make_settings(tmp_path, assistant.db), assistant)
    with serve_in_thread(app) as base_url:
        tools = open_page(chromium, base_url)
        try:
            tools.evaluate("const r = document.getElementById('role'); r.value = 'logistics';"
                           "r.dispatchEvent(new Event('change')); true")
            answer = type_and_send(tools, QUESTION)
            assert tools.evaluate("document.querySelector('.bubble.me').textContent") == QUESTION
            assert tools.evaluate("document.documentElement.scrollWidth") <= 390  # fits a phone
            session = tools.evaluate("localStorage.getItem('silobridge.session')")
        finally:
            tools.close()
    assert "WB-BL-500" in answer and any(f"{units} 件" in answer for units in available if units > 0), answer
    asked = assistant.received[0]
    assert (asked.text, asked.channel, asked.role) == (QUESTION, "web", "logistics")
    assert session and asked.session == session


@pytest.mark.chromium
def test_chart_shows_inline_in_chromium(chromium: str, network: list[str], tmp_path: Path, sqlite_db: Database) -> None:
    chart = tiny_png(tmp_path / "charts" / "forecast-WB-BL-500.png")
    app = create_app(make_settings(tmp_path, sqlite_db), channel_assistant(sqlite_db, chart=chart))
    with serve_in_thread(app) as base_url:
        tools = open_page(chromium, base_url)
        try:
            answer = type_and_send(tools, "下星期九龍區要準備幾多藍色水樽?")
            assert "香港倉 120 件" in answer
            assert tools.wait_for("(() => { const i = document.querySelector('.bubble.answer img');"
                                  " return i && i.complete && i.naturalWidth > 0; })()")
        finally:
            tools.close()
