"""Load test of the chat channels on loopback: concurrent chats through `POST /api/ask` and a signed Slack webhook.

Usage: python -m benchmarks.bench_channels [--chats 50] [--rounds 8] [--workers 2]

Generates the demo company for 2026-11-25 into a temp folder and loads it; starts `silobridge serve`'s app
(the real Assistant on the rules brain) under uvicorn in a child process on a free loopback port, with
Slack pointed at a loopback fake of the Web API; then sends `--rounds` waves of `--chats` concurrent
questions to each entry point and prints p50/p95/max latency and errors:
- `/api/ask`: request to answer;
- `slack ack`: signed `/slack/events` request to its 200 (Slack wants it within 3 s);
- `slack answer`: signed event to the fake receiving `chat.postMessage` (end to end).
Target: no errors, p95 under 300 ms on the rules brain.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import hmac
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import cast

import httpx

DEMO_TODAY = date(2026, 11, 25)
SIGNING_SECRET = "bench-signing-secret"
API_TOKEN = "bench-service-token"  # SILOBRIDGE_API_TOKEN of the server under load: /api/ask always needs a token
API_HEADERS = {"Authorization": f"Bearer {API_TOKEN}"}
QUESTIONS = [
    "WB-BL-500 仲有幾多貨?",
    "藍色水樽仲有幾多貨?",
    "WB-BL-500 送觀塘幾時到?",
    "how many blue bottles in stock?",
    "送東涌 3 箱運費幾錢?",
    "can I promise 50 blue bottles to Tung Chung by Friday?",
    "退貨政策係點?",
    "when can 20 WB-BL-500 reach Kwun Tong?",
]


def percentile(values: list[float], share: float) -> float:
    """The `share` quantile (nearest rank) of `values`."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


def report(label: str, latencies_ms: list[float], errors: int, concurrency: int) -> None:
    """One line of the results table."""
    if latencies_ms:
        print(f"{label:<16}{len(latencies_ms) + errors:>9}{concurrency:>13}{errors:>8}"
              f"{statistics.median(latencies_ms):>9.1f}{percentile(latencies_ms, 0.95):>9.1f}{max(latencies_ms):>9.1f}")
    else:
        print(f"{label:<16}{errors:>9}{concurrency:>13}{errors:>8}{'-':>9}{'-':>9}{'-':>9}")


# --- the server (child process) -------------------------------------------------------------------------------


class EchoAssistant:
    """A constant-time assistant, to measure what the HTTP and channel layers cost on their own."""

    def __init__(self, db: object) -> None:
        self.db = db

    def handle(self, message: object) -> object:
        """The same short answer to everything."""
        from bot.messages import Reply

        return Reply(answer="WB-BL-500: 12 件", lang="zh-HK", intent="stock_lookup")


def serve(home: Path, port: int, assistant_kind: str, workers: int = 1) -> None:
    """Run the app on 127.0.0.1:port; secrets and SLACK_API_URL come from the environment.

    `assistant_kind` is `rules` (the real Assistant, rules brain) or `echo` (the channel layers alone).
    """
    import logging

    import uvicorn

    from bot.assistant import Assistant
    from connectors.server import create_app
    from core.config import Settings
    from core.db import Database

    logging.basicConfig(level=logging.WARNING)
    if workers > 1 and assistant_kind == "rules":  # several processes, as `silobridge serve --workers N`
        os.environ.update(SILOBRIDGE_HOME=str(home), SILOBRIDGE_DB=f"sqlite:///{home / 'bench.db'}",
                          SILOBRIDGE_BRAIN="rules")
        uvicorn.run("connectors.server:app_from_environment", factory=True, workers=workers, host="127.0.0.1", port=port,
                    log_level="warning", access_log=False)
        return
    db = Database(f"sqlite:///{home / 'bench.db'}")
    settings = Settings(home=home, db_url=db.url, brain="rules", env=dict(os.environ))
    assistant = EchoAssistant(db) if assistant_kind == "echo" else Assistant(settings, db)
    if hasattr(assistant, "warm_up"):
        assistant.warm_up()  # as `silobridge serve` does
    app = create_app(settings, cast(Assistant, assistant))  # the echo stand-in answers through the same two members
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning", access_log=False)


def serve_fake_slack(port_file: Path) -> None:
    """Run the loopback Slack fake in its own process (so its threads do not slow the load client).

    `GET /bench/posts` lists the answers it received: thread_ts and arrival (time.monotonic, system-wide).
    """
    from tests.fakes.channel_base import Answer, RecordedCall
    from tests.fakes.slack_api import SlackApiFake

    class BenchSlackFake(SlackApiFake):
        def answer(self, call: RecordedCall) -> Answer:
            if call.path == "/bench/posts":
                posts = [{"thread_ts": c.json().get("thread_ts"), "at": c.at} for c in self.calls_to("/chat.postMessage", ok_only=True)]
                return Answer(200, {"posts": posts})
            return super().answer(call)

    with BenchSlackFake() as fake:
        port_file.write_text(fake.base_url)
        while True:
            time.sleep(3600)


async def posted_answers(client: httpx.AsyncClient, fake_url: str) -> list[dict[str, object]]:
    """The chat.postMessage calls the fake received so far."""
    response = await client.get(fake_url + "/bench/posts")
    return list(response.json()["posts"])


# --- the load (parent process) ----------------------------------------------------------------------------------


def signed(body: bytes) -> dict[str, str]:
    """Slack's v0 signature headers for `body`."""
    ts = str(int(time.time()))
    digest = hmac.new(SIGNING_SECRET.encode(), f"v0:{ts}:".encode() + body, hashlib.sha256).hexdigest()
    return {"X-Slack-Request-Timestamp": ts, "X-Slack-Signature": f"v0={digest}", "Content-Type": "application/json"}


class RawConnection:
    """A bare HTTP/1.1 keep-alive connection: the waves are sent with pre-built bytes, so the load client
    spends almost no CPU and the figures are the server's (httpx costs ~1 ms of CPU a request on these
    two shared cores, which showed up in the p95)."""

    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def open(self) -> RawConnection:
        self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        return self

    def build(self, path: str, body: bytes, headers: dict[str, str] | None = None) -> bytes:
        head = [f"POST {path} HTTP/1.1", f"Host: {self.host}:{self.port}", "Content-Type: application/json",
                f"Content-Length: {len(body)}"]
        head += [f"{name}: {value}" for name, value in (headers or {}).items() if name.lower() != "content-type"]
        return ("\r\n".join(head) + "\r\n\r\n").encode() + body

    async def send(self, raw: bytes) -> tuple[int, bytes]:
        assert self.reader is not None and self.writer is not None
        self.writer.write(raw)
        await self.writer.drain()
        status = int((await self.reader.readline()).split()[1])
        length = 0
        while True:
            line = await self.reader.readline()
            if line in (b"\r\n", b""):
                break
            name, _, value = line.partition(b":")
            if name.strip().lower() == b"content-length":
                length = int(value.strip())
        return status, await self.reader.readexactly(length)

    async def close(self) -> None:
        if self.writer is not None:
            self.writer.close()


async def timed(connection: RawConnection, raw: bytes, check: str) -> float | None:
    """Send one pre-built request; its latency in ms, or None (and a printed reason) on an error."""
    started = time.perf_counter()
    try:
        status, body = await connection.send(raw)
    except (OSError, asyncio.IncompleteReadError, ValueError, IndexError) as exc:
        print(f"  {check} error: {type(exc).__name__}")
        return None
    elapsed = (time.perf_counter() - started) * 1000
    if status != 200 or (check == "/api/ask" and not json.loads(body).get("answer")):
        print(f"  {check} error: HTTP {status} {body[:120]!r}")
        return None
    return elapsed


async def api_wave(connections: list[RawConnection], chats: int, wave: int) -> tuple[list[float], int]:
    """`chats` concurrent questions to /api/ask; latencies (ms) and the error count."""
    requests = []
    for i in range(chats):
        body = {"text": QUESTIONS[(i + wave) % len(QUESTIONS)], "session": f"bench-{wave}-{i}", "role": "sales",
                "now": "2026-11-25T10:30"}
        requests.append(connections[i].build("/api/ask", json.dumps(body, ensure_ascii=False).encode(), API_HEADERS))
    results = await asyncio.gather(*(timed(connections[i], raw, "/api/ask") for i, raw in enumerate(requests)))
    return [r for r in results if r is not None], sum(r is None for r in results)


async def slack_wave(connections: list[RawConnection], chats: int, wave: int,
                     sent_at: dict[str, float]) -> tuple[list[float], int]:
    """`chats` concurrent signed app_mention events; ack latencies (ms) and the error count."""
    requests = []
    for i in range(chats):
        ts = f"1764000000.{wave:02d}{i:04d}"
        event = {"type": "app_mention", "user": f"U0BENCH{i:03d}", "text": f"<@U0LAN0Z89> {QUESTIONS[i % len(QUESTIONS)]}",
                 "ts": ts, "channel": "C0BENCH01", "event_ts": ts}
        body = json.dumps({"token": "x", "team_id": "T123ABC456", "api_app_id": "A123ABC456", "event": event,
                           "type": "event_callback", "event_id": f"EvBENCH{wave:02d}{i:04d}", "event_time": 1764000000}).encode()
        requests.append((ts, connections[i].build("/slack/events", body, signed(body))))

    async def one(i: int, ts: str, raw: bytes) -> float | None:
        sent_at[ts] = time.monotonic()
        return await timed(connections[i], raw, "/slack/events")

    results = await asyncio.gather(*(one(i, ts, raw) for i, (ts, raw) in enumerate(requests)))
    return [r for r in results if r is not None], sum(r is None for r in results)


async def run_load(base_url: str, chats: int, rounds: int, fake_url: str) -> None:
    """Send the waves and print the table."""
    limits = httpx.Limits(max_connections=chats, max_keepalive_connections=chats)
    async with httpx.AsyncClient(base_url=base_url, limits=limits, timeout=30) as client:
        for question in QUESTIONS:  # warm up serially (gazetteers, the SOP index and its embedding model)
            await client.post("/api/ask", json={"text": question, "role": "sales", "now": "2026-11-25T10:30"},
                              headers=API_HEADERS)
        host, port = base_url.removeprefix("http://").split(":")
        connections = [await RawConnection(host, int(port)).open() for _ in range(chats)]
        for i, connection in enumerate(connections):  # every connection (so every worker process) answers once
            body = json.dumps({"text": QUESTIONS[i % len(QUESTIONS)], "role": "sales", "now": "2026-11-25T10:30"},
                              ensure_ascii=False).encode()
            await connection.send(connection.build("/api/ask", body, API_HEADERS))
        serial_ms: list[float] = []
        for i in range(20):  # one question at a time: the latency a single user sees on an idle server
            latencies, _ = await api_wave(connections, 1, 100 + i)
            serial_ms += latencies
        api_ms: list[float] = []
        api_errors = 0
        for wave in range(rounds):
            latencies, errors = await api_wave(connections, chats, wave)
            api_ms += latencies
            api_errors += errors
        ack_ms: list[float] = []
        ack_errors = 0
        sent_at: dict[str, float] = {}
        for wave in range(rounds):
            latencies, errors = await slack_wave(connections, chats, wave, sent_at)
            ack_ms += latencies
            ack_errors += errors
            await asyncio.sleep(0.5)  # waves, not one burst: Slack spreads events over time too
        expected = chats * rounds - ack_errors
        deadline = time.monotonic() + 60
        posts = await posted_answers(client, fake_url)
        while len(posts) < expected and time.monotonic() < deadline:
            await asyncio.sleep(0.2)
            posts = await posted_answers(client, fake_url)
        for connection in connections:
            await connection.close()
    answer_ms = [(float(str(post["at"])) - sent_at[str(post["thread_ts"])]) * 1000 for post in posts if post["thread_ts"] in sent_at]
    threads = [post["thread_ts"] for post in posts]
    duplicates = len(threads) - len(set(threads))
    print(f"{'entry point':<16}{'requests':>9}{'concurrency':>13}{'errors':>8}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}")
    report("/api/ask serial", serial_ms, 20 - len(serial_ms), 1)
    report("/api/ask", api_ms, api_errors, chats)
    report("slack ack", ack_ms, ack_errors, chats)
    report("slack answer", answer_ms, expected - len(set(threads)) + duplicates, chats)
    print(f"slack: {len(set(threads))} of {chats * rounds} events answered, {duplicates} answered twice")


def main() -> None:
    """Parse arguments, prepare the data, start the server, run the load."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chats", type=int, default=50, help="concurrent chats per wave")
    parser.add_argument("--rounds", type=int, default=8, help="waves per entry point")
    parser.add_argument("--assistant", choices=["rules", "echo"], default="rules",
                        help="rules: the real Assistant; echo: a constant answer (channel overhead alone)")
    parser.add_argument("--workers", type=int, default=2, help="server worker processes (serve --workers; one per core)")
    parser.add_argument("--serve", type=Path, help=argparse.SUPPRESS)  # child mode: the home folder
    parser.add_argument("--port", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--fake-slack", type=Path, help=argparse.SUPPRESS)  # child mode: where to write its URL
    args = parser.parse_args()
    if args.serve:
        serve(args.serve, args.port, args.assistant, args.workers)
        return
    if args.fake_slack:
        serve_fake_slack(args.fake_slack)
        return

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from connectors.demo import generate
    from connectors.importer import load_folder
    from core.db import Database
    from tests.fakes.channel_base import free_port
    from tests.fakes.slack_api import BOT_TOKEN

    print(f"python {platform.python_version()} on {platform.machine()}, {os.cpu_count()} CPUs, "
          f"load average {os.getloadavg()[0]:.1f}; assistant: {args.assistant}; {args.workers} worker(s); "
          f"{args.rounds} waves of {args.chats}")
    root = Path(__file__).resolve().parent.parent
    with tempfile.TemporaryDirectory(prefix="bench-channels-") as tmp:
        home = Path(tmp)
        fake_url_file = home / "fake-slack-url"
        fake = subprocess.Popen([sys.executable, "-m", "benchmarks.bench_channels", "--fake-slack", str(fake_url_file)],
                                cwd=root)
        generate(home / "demo", DEMO_TODAY)
        db = Database(f"sqlite:///{home / 'bench.db'}")
        db.create_all()
        load_folder(db, home / "demo")
        db.dispose()
        port = free_port()
        env = {**os.environ, "SLACK_BOT_TOKEN": BOT_TOKEN, "SLACK_SIGNING_SECRET": SIGNING_SECRET,
               "SILOBRIDGE_BRAIN": "rules", "SILOBRIDGE_API_TOKEN": API_TOKEN}
        for name in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "TELEGRAM_BOT_TOKEN", "WHATSAPP_TOKEN"):
            env.pop(name, None)
        while not (fake_url_file.exists() and fake_url_file.read_text()):
            time.sleep(0.05)
        fake_url = fake_url_file.read_text()
        env["SLACK_API_URL"] = fake_url + "/api/"
        child = subprocess.Popen([sys.executable, "-m", "benchmarks.bench_channels", "--serve", str(home), "--port", str(port),
                                  "--assistant", args.assistant, "--workers", str(args.workers)],
                                 env=env, cwd=root)
        try:
            base_url = f"http://127.0.0.1:{port}"
            deadline = time.monotonic() + 120
            while True:
                try:
                    if httpx.get(base_url + "/healthz", timeout=2).status_code == 200:
                        break
                except httpx.HTTPError:
                    pass
                if time.monotonic() > deadline or child.poll() is not None:
                    raise SystemExit("the server did not start")
                time.sleep(0.2)
            asyncio.run(run_load(base_url, args.chats, args.rounds, fake_url))
        finally:
            for process in (child, fake):
                process.terminate()
                process.wait(timeout=20)


if __name__ == "__main__":
    main()
