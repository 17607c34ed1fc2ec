"""Identity with proof on every surface (issue 11, item 1).

`POST /api/ask` needs a bearer token (the service token, or a personal access token whose role comes from
staff.csv); the web page's visitor is a guest until signed in through a trusted proxy's header (only when
configured) or a one-time link asked for in a chat app; the role picker exists only in demo mode.
Run on SQLite and PostgreSQL (`any_db`), against the mini company and the real Assistant (rules brain).
"""

from __future__ import annotations

import logging
import re
import stat
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import insert, select
from starlette.testclient import TestClient
from typer.testing import CliRunner

from bot.assistant import Assistant
from bot.auth import (
    PERSONAL_TOKEN_PREFIX,
    create_personal_token,
    find_staff,
    read_service_token,
    revoke_personal_token,
    service_token_path,
    wall_clock,
)
from bot.cli import app as cli_app
from bot.messages import IncomingMessage
from bot.signin import SESSION_COOKIE, issue_login_link
from connectors.importer import load_folder
from connectors.server import create_app
from connectors.web.page import ROLES
from core.config import AuthConfig, ChannelsConfig, Settings, load_settings
from core.db import Database
from core.models import AuditEntry, ConversationState, StaffHandle, WebLoginLink, WebSession
from tests.conftest import MINI_COMPANY
from tests.fakes.slack_api import BOT_TOKEN, SlackApiFake
from tests.test_channel_slack import SIGNING_SECRET, dm_event, signed_headers
from tests.test_web_page import DevTools, chromium  # noqa: F401 - the headless browser fixture

COST_QUESTION = "WB-BL-500 unit cost?"
UNIT_COST = "32.50"  # WB-BL-500's unit cost in the mini company
SALES_HANDLE = "slack:U0SALES01"  # S01 Amy Wong, sales
MANAGER_HANDLE = "slack:U0MGR01"  # M01 Ben Lee, manager
LINK = re.compile(r"(https?://\S+/web/login)#token=([A-Za-z0-9_-]+)")


@pytest.fixture
def mini_db(any_db: Database) -> Database:
    """The mini company (staff.csv: a sales and a manager handle) on SQLite and on PostgreSQL."""
    load_folder(any_db, MINI_COMPANY)
    return any_db


def make_settings(home: Path, db: Database, *, env: dict[str, str] | None = None, demo: bool = False,
                  **auth: Any) -> Settings:
    return Settings(home=home, db_url=db.url, brain="rules", env=env or {},
                    channels=ChannelsConfig(demo_mode=demo, http_retries=1, http_backoff_s=0.01),
                    auth=AuthConfig(**auth))


@pytest.fixture
def client_for(tmp_path: Path, mini_db: Database) -> Iterator[Any]:
    """A factory: a TestClient on the real app (real Assistant) with the given settings overrides."""
    clients: list[TestClient] = []

    def build(**overrides: Any) -> TestClient:
        settings = make_settings(tmp_path, mini_db, **overrides)
        client = TestClient(create_app(settings, Assistant(settings, mini_db)))
        clients.append(client)
        return client

    yield build
    for client in clients:
        client.close()


def bearer(token: str | None) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def ask_api(client: TestClient, token: str | None, **body: Any) -> Any:
    headers = bearer(token) if token is not None else {}
    return client.post("/api/ask", json={"text": COST_QUESTION, **body}, headers=headers)


# --- POST /api/ask -----------------------------------------------------------------------------------------------


def test_api_without_a_valid_token_is_refused_even_claiming_admin(client_for: Any, tmp_path: Path) -> None:
    client = client_for()
    for headers in ({}, bearer("wrong"), bearer(""), {"Authorization": "Basic YWRtaW46YWRtaW4="},
                    bearer(PERSONAL_TOKEN_PREFIX + "made-up"), bearer("x" * 5000)):
        response = client.post("/api/ask", json={"text": COST_QUESTION, "role": "admin"}, headers=headers)
        assert response.status_code == 401, headers
        assert set(response.json()) == {"error"} and UNIT_COST not in response.text


def test_token_is_checked_before_the_body(client_for: Any) -> None:
    client = client_for()
    for body in ("not json", "{}", '{"text": ""}', '{"text": 5, "role": "admin"}'):
        response = client.post("/api/ask", content=body, headers={"Content-Type": "application/json"})
        assert response.status_code == 401, body
    token = read_service_token(client.app.state.settings)
    refused = client.post("/api/ask", content='{"role": "admin"}', headers=bearer(token))
    assert refused.status_code == 422 and refused.json()["problems"][0]["field"] == "text"


def test_generated_service_token_file_is_0600_works_and_is_never_logged(
    client_for: Any, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    client = client_for()
    path = service_token_path(client.app.state.settings)
    assert path == tmp_path / "api-token" and path.is_file()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    token = path.read_text()
    assert len(token) >= 32 and token == token.strip()  # usable as read, no trailing newline
    answered = ask_api(client, token, role="admin", now="2026-11-25T10:30")
    assert answered.status_code == 200 and UNIT_COST in answered.json()["answer"]  # the integration states the role
    assert str(path) in caplog.text and token not in caplog.text
    # A second start (another worker) reuses the same file.
    again = client_for()
    assert read_service_token(again.app.state.settings) == token
    assert ask_api(again, token, role="sales").status_code == 200


def test_environment_service_token_wins_over_the_file(client_for: Any, tmp_path: Path) -> None:
    (tmp_path / "api-token").write_text("old-file-token\n")
    (tmp_path / "api-token").chmod(0o600)
    client = client_for(env={"SILOBRIDGE_API_TOKEN": "env-token-0123456789"})
    assert ask_api(client, "env-token-0123456789", role="admin").status_code == 200
    assert ask_api(client, "old-file-token", role="admin").status_code == 401


def test_personal_token_gets_its_staff_role_whatever_the_body_claims(client_for: Any, mini_db: Database) -> None:
    client = client_for()
    issued = create_personal_token(mini_db, SALES_HANDLE)
    assert issued.token.startswith(PERSONAL_TOKEN_PREFIX) and issued.member.role.value == "sales"
    answered = ask_api(client, issued.token, role="admin", user=MANAGER_HANDLE)
    assert answered.status_code == 200
    body = answered.json()
    assert UNIT_COST not in body["answer"] and '"sales"' in body["answer"]  # a clear refusal, as sales
    with mini_db.sessions() as session:
        entry = session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
    assert entry is not None and (entry.channel, entry.role, entry.user) == ("api", "sales", SALES_HANDLE)
    manager = create_personal_token(mini_db, "M01")  # by staff_id
    assert UNIT_COST in ask_api(client, manager.token, role="guest").json()["answer"]


def test_revoked_and_expired_personal_tokens_are_refused(client_for: Any, mini_db: Database) -> None:
    client = client_for()
    revoked = create_personal_token(mini_db, MANAGER_HANDLE)
    assert ask_api(client, revoked.token).status_code == 200
    assert revoke_personal_token(mini_db, revoked.id)
    assert ask_api(client, revoked.token).status_code == 401
    expired = create_personal_token(mini_db, MANAGER_HANDLE, expires_days=1, now=wall_clock() - timedelta(days=2))
    assert ask_api(client, expired.token).status_code == 401
    valid = create_personal_token(mini_db, MANAGER_HANDLE, expires_days=1)
    assert ask_api(client, valid.token).status_code == 200


def test_token_cli_create_list_revoke(mini_db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SILOBRIDGE_DB", mini_db.url)
    monkeypatch.setenv("SILOBRIDGE_HOME", str(tmp_path))
    runner = CliRunner()
    created = runner.invoke(cli_app, ["token", "create", "--user", SALES_HANDLE, "--expires-days", "30"])
    assert created.exit_code == 0, created.output
    token = created.stdout.strip().splitlines()[-1]
    assert token.startswith(PERSONAL_TOKEN_PREFIX)
    listed = runner.invoke(cli_app, ["token", "list"])
    assert listed.exit_code == 0 and SALES_HANDLE in listed.output and "S01" in listed.output
    assert token not in listed.output and token[len(PERSONAL_TOKEN_PREFIX):][:12] not in listed.output
    token_id = listed.output.strip().splitlines()[-1].split()[0]
    revoked = runner.invoke(cli_app, ["token", "revoke", token_id])
    assert revoked.exit_code == 0, revoked.output
    line = runner.invoke(cli_app, ["token", "list"]).output.strip().splitlines()[-1]
    assert re.search(r"\d{4}-\d\d-\d\d \d\d:\d\d$", line), line  # the revoked column has a time
    unknown = runner.invoke(cli_app, ["token", "create", "--user", "slack:UNOBODY"])
    assert unknown.exit_code == 2 and "not in staff.csv" in unknown.output
    assert runner.invoke(cli_app, ["token", "revoke", "999"]).exit_code == 2


# --- the web page ------------------------------------------------------------------------------------------------


def test_web_visitor_is_a_guest_offered_no_roles(client_for: Any, mini_db: Database) -> None:
    client = client_for()
    config = client.get("/web/config").json()
    assert config["demo_mode"] is False and config["roles"] == [] and config["signed_in"] is False
    assert "web login" in config["sign_in_hint"]
    answered = client.post("/web/ask", json={"text": COST_QUESTION, "role": "admin"})
    assert answered.status_code == 200 and UNIT_COST not in answered.json()["answer"]
    with mini_db.sessions() as session:
        entry = session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
    assert entry is not None and (entry.channel, entry.role) == ("web", "guest")


def test_demo_mode_shows_the_role_picker_and_honours_it(client_for: Any) -> None:
    client = client_for(demo=True)
    config = client.get("/web/config").json()
    assert config["demo_mode"] is True and config["roles"] == ROLES
    assert UNIT_COST in client.post("/web/ask", json={"text": COST_QUESTION, "role": "admin"}).json()["answer"]
    assert 'id="demo-banner"' in client.get("/").text


def test_demo_mode_is_off_unless_asked_for(tmp_path: Path) -> None:
    assert load_settings(environ={"SILOBRIDGE_HOME": str(tmp_path)}).channels.demo_mode is False
    assert load_settings(environ={"SILOBRIDGE_DEMO": "1"}).channels.demo_mode is True
    assert Settings(env={}).channels.demo_mode is False


def test_proxy_header_is_honoured_only_when_configured(client_for: Any, mini_db: Database) -> None:
    with mini_db.session() as session:
        session.execute(insert(StaffHandle).values(handle="email:ben.lee@example.hk", staff_id="M01"))
    forged = {"X-Auth-Request-Email": "Ben.Lee@example.hk"}
    open_page = client_for()
    assert open_page.get("/web/config", headers=forged).json()["signed_in"] is False
    assert UNIT_COST not in open_page.post("/web/ask", json={"text": COST_QUESTION}, headers=forged).json()["answer"]
    behind_proxy = client_for(trusted_proxy_header="X-Auth-Request-Email")
    config = behind_proxy.get("/web/config", headers=forged).json()
    assert config["signed_in"] is True and config["user"] == {"name": "Ben Lee", "role": "manager"}
    assert UNIT_COST in behind_proxy.post("/web/ask", json={"text": COST_QUESTION}, headers=forged).json()["answer"]
    unknown = {"X-Auth-Request-Email": "someone@else.example"}
    assert behind_proxy.get("/web/config", headers=unknown).json()["signed_in"] is False
    assert find_staff(mini_db, SALES_HANDLE) is not None and find_staff(mini_db, "S01") is not None


# --- the one-time sign-in link -----------------------------------------------------------------------------------


@pytest.fixture
def slack_rig(tmp_path: Path, mini_db: Database) -> Iterator[tuple[SlackApiFake, TestClient, Database]]:
    """The real app with the real Assistant, and Slack's Web API faked on loopback."""
    with SlackApiFake() as fake:
        settings = make_settings(tmp_path, mini_db, env={"SLACK_BOT_TOKEN": BOT_TOKEN,
                                                         "SLACK_SIGNING_SECRET": SIGNING_SECRET,
                                                         "SLACK_API_URL": fake.api_url})
        with TestClient(create_app(settings, Assistant(settings, mini_db))) as client:
            yield fake, client, mini_db


def link_from_slack(fake: SlackApiFake, client: TestClient, text: str, user: str) -> tuple[str, str]:
    """Ask for a link in a signed Slack DM; the posted answer and the link's token."""
    body = dm_event(text, event_id=f"Ev{abs(hash((text, user))) % 10**8:08d}", user=user)
    assert client.post("/slack/events", content=body, headers=signed_headers(body)).status_code == 200
    answer = str(fake.wait_for("/chat.postMessage")[-1].json()["text"])
    found = LINK.search(answer)
    return answer, found.group(2) if found else ""


def test_sign_in_link_from_slack_signs_the_web_page_in_once(
    slack_rig: tuple[SlackApiFake, TestClient, Database], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="silobridge")
    fake, client, db = slack_rig
    answer, token = link_from_slack(fake, client, "網頁登入", "U0MGR01")
    assert token, answer
    assert "10 分鐘內有效" in answer and "只可以用一次" in answer
    assert LINK.search(answer).group(1) == "http://127.0.0.1:8080/web/login"  # type: ignore[union-attr]

    page = client.get("/web/login")
    assert page.status_code == 200 and "/web/login.js" in page.text and page.headers["cache-control"] == "no-store"
    signed_in = client.post("/web/login", data={"token": token}, follow_redirects=False)
    assert signed_in.status_code == 303 and signed_in.headers["location"] == "/"
    cookie = signed_in.headers["set-cookie"]
    assert cookie.startswith(f"{SESSION_COOKIE}=") and "HttpOnly" in cookie and "SameSite=strict" in cookie
    assert "Secure" not in cookie  # plain http here; see the https test below
    session_id = cookie.split(";")[0].split("=", 1)[1]

    config = client.get("/web/config").json()
    assert config["signed_in"] is True and config["user"] == {"name": "Ben Lee", "role": "manager"}
    answered = client.post("/web/ask", json={"text": COST_QUESTION, "role": "guest"})
    assert UNIT_COST in answered.json()["answer"]  # the manager's role, not the body's

    client.cookies.clear()
    assert client.post("/web/login", data={"token": token}, follow_redirects=False).status_code == 400  # once
    assert client.get("/web/config").json()["signed_in"] is False

    with db.sessions() as session:
        stored = [*session.scalars(select(AuditEntry.question)), *(str(s) for s in session.scalars(
            select(ConversationState.state))), *session.scalars(select(WebLoginLink.token_hash)),
            *session.scalars(select(WebSession.id_hash))]
        audit_intents = list(session.scalars(select(AuditEntry.intent)))
    assert "web_login" in audit_intents
    assert not any(token in text or session_id in text for text in stored)
    assert token not in caplog.text and session_id not in caplog.text


def test_sign_out_ends_the_session(slack_rig: tuple[SlackApiFake, TestClient, Database]) -> None:
    fake, client, _ = slack_rig
    _, token = link_from_slack(fake, client, "web login", "U0SALES01")
    client.post("/web/login", data={"token": token}, follow_redirects=False)
    assert client.get("/web/config").json()["user"] == {"name": "Amy Wong", "role": "sales"}
    session_id = client.cookies.get(SESSION_COOKIE)
    assert client.post("/web/logout").status_code == 200
    client.cookies.set(SESSION_COOKIE, str(session_id))  # replaying the old cookie does not help
    assert client.get("/web/config").json()["signed_in"] is False


def test_unknown_chat_user_gets_no_link(slack_rig: tuple[SlackApiFake, TestClient, Database]) -> None:
    fake, client, db = slack_rig
    answer, token = link_from_slack(fake, client, "web login", "U0STRANGER")
    assert token == "" and "staff list" in answer
    with db.sessions() as session:
        assert session.scalars(select(WebLoginLink)).first() is None


def test_no_link_from_the_web_page_the_api_or_the_cli(client_for: Any, mini_db: Database) -> None:
    client = client_for(demo=True)
    service = read_service_token(client.app.state.settings)
    from_api = ask_api(client, service, text="web login", role="admin", user=MANAGER_HANDLE).json()["answer"]
    from_web = client.post("/web/ask", json={"text": "網頁登入", "role": "admin"}).json()["answer"]
    assistant = Assistant(client.app.state.settings, mini_db)
    from_cli = assistant.handle(IncomingMessage(text="web sign in", channel="cli", user=MANAGER_HANDLE)).answer
    for answer in (from_api, from_web, from_cli):
        assert "/web/login" not in answer and ("Slack" in answer)
    with mini_db.sessions() as session:
        assert session.scalars(select(WebLoginLink)).first() is None


def test_expired_or_cross_site_link_is_refused(client_for: Any, mini_db: Database) -> None:
    client = client_for()
    settings = client.app.state.settings
    member = find_staff(mini_db, MANAGER_HANDLE)
    assert member is not None
    stale = issue_login_link(mini_db, settings, member, now=wall_clock() - timedelta(minutes=11))
    stale_token = stale.split("#token=")[1]
    assert client.post("/web/login", data={"token": stale_token}, follow_redirects=False).status_code == 400
    fresh_token = issue_login_link(mini_db, settings, member).split("#token=")[1]
    cross_site = client.post("/web/login", data={"token": fresh_token}, headers={"Sec-Fetch-Site": "cross-site"},
                             follow_redirects=False)
    assert cross_site.status_code == 403 and "set-cookie" not in cross_site.headers
    assert client.post("/web/login", data={"token": "not-a-token"}, follow_redirects=False).status_code == 400
    assert client.get("/web/config").json()["signed_in"] is False


def test_session_cookie_is_secure_over_https(client_for: Any, mini_db: Database) -> None:
    client = client_for(public_base_url="https://bot.example.hk")
    member = find_staff(mini_db, SALES_HANDLE)
    assert member is not None
    link = issue_login_link(mini_db, client.app.state.settings, member)
    assert link.startswith("https://bot.example.hk/web/login#token=")
    signed_in = client.post("/web/login", data={"token": link.split("#token=")[1]}, follow_redirects=False)
    assert signed_in.status_code == 303 and "Secure" in signed_in.headers["set-cookie"]


# --- the link in a real browser --------------------------------------------------------------------------------


@pytest.mark.chromium
def test_sign_in_link_in_chromium(chromium: str, tmp_path: Path, mini_db: Database) -> None:  # noqa: F811
    """The fragment's token reaches the form, leaves the address bar, and one click signs the page in."""
    import json
    import urllib.request

    from tests.fakes.channel_base import serve_in_thread

    settings = make_settings(tmp_path, mini_db)
    member = find_staff(mini_db, MANAGER_HANDLE)
    assert member is not None
    with serve_in_thread(create_app(settings, Assistant(settings, mini_db))) as base_url:
        link = issue_login_link(mini_db, settings.model_copy(update={"auth": AuthConfig(public_base_url=base_url)}),
                                member)
        targets = json.loads(urllib.request.urlopen(f"{chromium}/json/list", timeout=10).read())
        tools = DevTools(next(t for t in targets if t["type"] == "page")["webSocketDebuggerUrl"])
        try:
            tools.call("Page.enable")
            tools.call("Page.navigate", url=base_url + "/")
            tools.wait_for("document.readyState === 'complete' && !document.getElementById('sign-in-hint').hidden")
            assert tools.evaluate("document.getElementById('role-picker').hidden") is True  # no picker
            tools.call("Page.navigate", url=link)
            tools.wait_for("document.readyState === 'complete' && !document.getElementById('go').disabled")
            assert tools.evaluate("window.location.hash") == ""  # the token left the address bar
            tools.evaluate("document.getElementById('go').click(); true")
            who = tools.wait_for("(() => { const w = document.getElementById('who');"
                                 " return w && !w.hidden && w.textContent; })()")
            assert who == "Ben Lee (manager)"
            assert tools.evaluate("window.location.pathname") == "/"
            assert SESSION_COOKIE not in str(tools.evaluate("document.cookie"))  # HttpOnly: not visible to scripts
        finally:
            tools.close()
