"""Signing in to the web page: one-time links asked for in a chat app, server-side sessions, a trusted proxy.

A member of staff types "web login" / "網頁登入" in Slack, Telegram or WhatsApp (where the platform's
signature proves who they are) and gets `{auth.public_base_url}/web/login#token=...`. The token rides in
the URL fragment, which browsers never send to a server: it stays out of access logs, proxies and Referer
headers, and a link previewer fetching the page cannot spend it. The page posts it back on a click; it is
single use, expires after `auth.login_link_minutes`, and opens a session of `auth.session_hours`.
Only hashes of links and session ids are stored; the role is read from staff.csv on every request.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, select, update

from bot import audit
from bot.auth import Principal, StaffMember, find_staff, hash_secret, staff_by_id, wall_clock
from bot.messages import IncomingMessage, Outcome, Reply
from bot.understanding import detect_language, normalize
from core.config import Settings
from core.db import Database
from core.lang import Lang
from core.models import WebLoginLink, WebSession
from tools.registry import Role

# Channels whose sender is proven by the platform's signature: the only ones that may ask for a link.
SIGNIN_CHANNELS = frozenset({"slack", "telegram", "whatsapp"})
LOGIN_PATH = "/web/login"
SESSION_COOKIE = "silobridge_session"
_PHRASES = frozenset({"web login", "web log in", "web sign in", "web signin", "weblogin", "login web",
                      "網頁登入", "登入網頁", "網頁登錄", "登錄網頁"})
_NOISE = re.compile(r"[\s\W_]+")
_LINK_TOKEN = re.compile(r"(/web/login#token=)[A-Za-z0-9_-]+")

LINK_SENT = {
    "zh-HK": "呢條連結 {minutes} 分鐘內有效,只可以用一次:\n{url}\n唔好轉發俾其他人。",
    "en": "Your web sign-in link works once, within {minutes} minutes:\n{url}\nDon't forward it to anyone.",
}
NOT_STAFF = {
    "zh-HK": "你嘅帳戶唔喺員工名單(staff.csv)入面,所以唔可以登入網頁。請搵管理員幫你加入。",
    "en": "Your chat account is not on the staff list (staff.csv), so it cannot sign in to the web page. "
          "Please ask an admin to add it.",
}
WRONG_CHANNEL = {
    "zh-HK": "網頁登入連結只可以喺 Slack、Telegram 或者 WhatsApp 度攞:喺嗰度打「網頁登入」。",
    "en": "A web sign-in link can only be asked for in Slack, Telegram or WhatsApp: type \"web login\" there.",
}


@dataclass(frozen=True)
class IssuedSession:
    """A new web session: the raw id goes into the cookie once; only its hash is stored."""

    session_id: str
    expires_at: datetime
    principal: Principal


# --- the chat side ---------------------------------------------------------------------------------------------


def is_signin_request(text: str) -> bool:
    """True for "web login", "網頁登入" and their variants (any case, punctuation or width)."""
    if len(text) > 40:
        return False
    cleaned = _NOISE.sub(" ", normalize(text).lower()).strip()
    return cleaned in _PHRASES or cleaned.replace(" ", "") in _PHRASES


def signin_reply(db: Database, settings: Settings, message: IncomingMessage) -> Reply | None:
    """The answer to a sign-in request (a one-time link, or why not); None when the message is not one."""
    if not is_signin_request(message.text):
        return None
    lang: Lang = detect_language(normalize(message.text))
    member = find_staff(db, message.user) if message.channel in SIGNIN_CHANNELS else None
    outcome: Outcome
    if message.channel not in SIGNIN_CHANNELS:
        answer, outcome = WRONG_CHANNEL[lang], "refused"
    elif member is None:
        answer, outcome = NOT_STAFF[lang], "refused"
    else:
        url = issue_login_link(db, settings, member)
        answer = LINK_SENT[lang].format(minutes=settings.auth.login_link_minutes, url=url)
        outcome = "link_sent"
    now = wall_clock()
    # The audit line keeps the question and outcome only: the link is in no stored text.
    audit.record(db, at=now, user=message.user, role=(member.role if member else Role.guest).value,
                 channel=message.channel, question=mask_login_links(message.text) or "", intent="web_login",
                 tool_calls=[], outcome=outcome, latency_ms=0.0, brain="rules")
    return Reply(answer=answer, lang=lang, intent="web_login")


def mask_login_links(text: str | None) -> str | None:
    """Hide the token of any sign-in link in a text (for logs and stored text)."""
    if text is None:
        return None
    return _LINK_TOKEN.sub(r"\1***", text)


def issue_login_link(db: Database, settings: Settings, member: StaffMember, now: datetime | None = None) -> str:
    """A one-time sign-in link for a member of staff (expired links and sessions are swept on the way)."""
    issued_at = now or wall_clock()
    token = secrets.token_urlsafe(32)
    with db.session() as session:
        session.execute(delete(WebLoginLink).where(WebLoginLink.expires_at <= issued_at))
        session.execute(delete(WebSession).where(WebSession.expires_at <= issued_at))
        session.add(WebLoginLink(token_hash=hash_secret(token), staff_id=member.staff_id, user=member.user,
                                 created_at=issued_at,
                                 expires_at=issued_at + timedelta(minutes=settings.auth.login_link_minutes)))
    return f"{settings.auth.public_base_url.rstrip('/')}{LOGIN_PATH}#token={token}"


# --- the web side ----------------------------------------------------------------------------------------------


def redeem_login_link(db: Database, settings: Settings, token: str,
                      now: datetime | None = None) -> IssuedSession | None:
    """Spend a sign-in link (once, before it expires) for a new session; None when it cannot be used."""
    at = now or wall_clock()
    digest = hash_secret(token.strip())
    with db.session() as session:
        # One conditional UPDATE: of two simultaneous uses, exactly one wins, on SQLite and PostgreSQL alike.
        spent = session.execute(update(WebLoginLink)
                                .where(WebLoginLink.token_hash == digest, WebLoginLink.used_at.is_(None),
                                       WebLoginLink.expires_at > at)
                                .values(used_at=at))
        if getattr(spent, "rowcount", 0) != 1:  # an UPDATE's CursorResult: exactly one unspent link matched
            return None
        link = session.scalar(select(WebLoginLink).where(WebLoginLink.token_hash == digest))
    member = staff_by_id(db, link.staff_id, link.user) if link is not None else None
    if member is None:
        return None
    session_id = secrets.token_urlsafe(32)
    expires_at = at + timedelta(hours=settings.auth.session_hours)
    with db.session() as session:
        session.add(WebSession(id_hash=hash_secret(session_id), staff_id=member.staff_id, user=member.user,
                               created_at=at, expires_at=expires_at))
    return IssuedSession(session_id=session_id, expires_at=expires_at, principal=_web_principal(member))


def session_principal(db: Database, session_id: str | None, now: datetime | None = None) -> Principal | None:
    """The member of staff a session cookie speaks for, or None (no, unknown or expired session)."""
    if not session_id or len(session_id) > 256:
        return None
    with db.sessions() as session:
        row = session.scalar(select(WebSession).where(WebSession.id_hash == hash_secret(session_id),
                                                      WebSession.expires_at > (now or wall_clock())))
    member = staff_by_id(db, row.staff_id, row.user) if row is not None else None
    return _web_principal(member) if member is not None else None


def end_session(db: Database, session_id: str | None) -> None:
    """Sign out: forget the session."""
    if session_id:
        with db.session() as session:
            session.execute(delete(WebSession).where(WebSession.id_hash == hash_secret(session_id)))


def proxy_principal(db: Database, settings: Settings, headers: Mapping[str, str]) -> Principal | None:
    """The member of staff named by the trusted proxy's header, when `auth.trusted_proxy_header` is set."""
    name = settings.auth.trusted_proxy_header.strip().lower()
    if not name:
        return None
    member = find_staff(db, headers.get(name))
    return _web_principal(member) if member is not None else None


def _web_principal(member: StaffMember) -> Principal:
    return Principal(kind="web", role=member.role, user=member.user, staff_id=member.staff_id, name=member.name)
