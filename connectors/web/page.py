"""The web chat page served at `/`, the `/web/ask` endpoint it calls, and chart images under `/charts/`.

The page is static (no build step, no CDN). It calls `POST /web/ask`, which answers with the same object
as `POST /api/ask` plus the chart URLs the page shows inline. The visitor is a guest until
signed in (bot/signin.py): through the trusted proxy's header when `auth.trusted_proxy_header` names one,
or through a one-time link asked for in a chat app, which opens a session cookie (HttpOnly, SameSite=Strict,
Secure over https). A role chosen on the page is honoured only in demo mode (`channels.demo_mode`, shown by
a banner). Charts are served only from `settings.home / "charts"`: no path can leave that folder.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

from pydantic import BaseModel, Field, ValidationError
from sqlalchemy.exc import SQLAlchemyError
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, JSONResponse, RedirectResponse, Response

from bot.auth import Principal
from bot.messages import IncomingMessage, Reply
from bot.signin import SESSION_COOKIE, end_session, proxy_principal, redeem_login_link, session_principal
from connectors.channels import AssistantLike, answer_in_thread, answer_pool
from core.config import Settings

log = logging.getLogger("silobridge.channels.web")

STATIC_DIR = Path(__file__).resolve().parent / "static"
ASSETS = {"app.js": "text/javascript; charset=utf-8", "login.js": "text/javascript; charset=utf-8",
          "style.css": "text/css; charset=utf-8"}
ROLES = ["sales", "logistics", "manager", "finance", "admin", "guest"]
_SAFE_SEGMENT = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,200}$")
_NO_STORE = {"Cache-Control": "no-store"}
SIGN_IN_HINT = "登入:喺你嘅聊天 app 打「網頁登入」。Sign in: type 'web login' in your chat app."
LINK_REFUSED = ("<!doctype html><meta charset=utf-8><title>silobridge</title><p>呢條登入連結已經用過或者過咗期。"
                "喺聊天 app 再打「網頁登入」攞條新嘅。</p><p>This sign-in link was already used or has expired. "
                "Type 'web login' in your chat app for a new one.</p><p><a href=\"/\">silobridge</a></p>")
SIGN_IN_UNAVAILABLE = ("<!doctype html><meta charset=utf-8><title>silobridge</title><p>暫時登入唔到,唔該遲啲再撳返條連結。"
                       "</p><p>Sign-in is unavailable right now; open the link again shortly.</p>")


class WebQuestion(BaseModel):
    """What the page sends: the question, its session id, and (demo mode only) a role."""

    text: str = Field(min_length=1, max_length=2000)
    session: str | None = Field(default=None, max_length=100, pattern=r"^[A-Za-z0-9._:-]+$")
    role: str | None = None


class WebPage:
    """Routes of the web chat page, bound to the settings and the assistant."""

    def __init__(self, settings: Settings, assistant: AssistantLike) -> None:
        self.settings = settings
        self.assistant = assistant
        self.pool = answer_pool("web")
        self.charts_dir = (settings.home / "charts").resolve()

    async def index(self, request: Request) -> Response:
        """`GET /`: the page."""
        return FileResponse(STATIC_DIR / "index.html", media_type="text/html; charset=utf-8", headers=_NO_STORE)

    async def asset(self, request: Request) -> Response:
        """`GET /web/{name}`: the page's script and style sheet, nothing else."""
        name = request.path_params["name"]
        if name not in ASSETS:
            return Response("not found", status_code=404)
        return FileResponse(STATIC_DIR / name, media_type=ASSETS[name], headers=_NO_STORE)

    async def config(self, request: Request) -> Response:
        """`GET /web/config`: who is signed in (or the sign-in hint), and the role picker in demo mode only."""
        demo = self.settings.channels.demo_mode
        principal = await self.principal(request)
        user = {"name": principal.name, "role": principal.role.value if principal.role else None} if principal else None
        return JSONResponse({"demo_mode": demo, "roles": ROLES if demo else [], "signed_in": principal is not None,
                             "user": user, "sign_in_hint": None if principal else SIGN_IN_HINT}, headers=_NO_STORE)

    async def principal(self, request: Request) -> Principal | None:
        """The signed-in member of staff: the trusted proxy's header first, then the session cookie."""
        db = self.assistant.db
        try:
            from_proxy = await run_in_threadpool(proxy_principal, db, self.settings, request.headers)
            if from_proxy is not None:
                return from_proxy
            return await run_in_threadpool(session_principal, db, request.cookies.get(SESSION_COOKIE))
        except SQLAlchemyError as exc:  # who it is cannot be checked: a guest for now (fails closed)
            log.error("web sign-in check: database unavailable: %s", type(exc).__name__)
            return None

    async def login_page(self, request: Request) -> Response:
        """`GET /web/login`: the page a sign-in link opens; it sends the link's token on a click."""
        return FileResponse(STATIC_DIR / "login.html", media_type="text/html; charset=utf-8",
                            headers={**_NO_STORE, "Referrer-Policy": "no-referrer"})

    async def login(self, request: Request) -> Response:
        """`POST /web/login` (form `token`): spend a sign-in link, set the session cookie, go to the page."""
        if request.headers.get("sec-fetch-site") == "cross-site":  # another site may not sign a visitor in
            return HTMLResponse(LINK_REFUSED, status_code=403, headers=_NO_STORE)
        body = await request.body()
        token = (parse_qs(body[:4096].decode("utf-8", "replace")).get("token") or [""])[0]
        try:
            issued = await run_in_threadpool(redeem_login_link, self.assistant.db, self.settings, token) if token else None
        except SQLAlchemyError as exc:
            log.error("web sign-in: database unavailable: %s", type(exc).__name__)
            return HTMLResponse(SIGN_IN_UNAVAILABLE, status_code=503, headers=_NO_STORE)
        if issued is None:
            return HTMLResponse(LINK_REFUSED, status_code=400, headers=_NO_STORE)
        log.info("web sign-in by staff %s", issued.principal.staff_id)
        response = RedirectResponse("/", status_code=303, headers=_NO_STORE)
        response.set_cookie(SESSION_COOKIE, issued.session_id, max_age=self.settings.auth.session_hours * 3600,
                            path="/", httponly=True, samesite="strict", secure=self.secure_cookies(request))
        return response

    async def logout(self, request: Request) -> Response:
        """`POST /web/logout`: end the session and drop the cookie."""
        await run_in_threadpool(end_session, self.assistant.db, request.cookies.get(SESSION_COOKIE))
        response = JSONResponse({"signed_in": False}, headers=_NO_STORE)
        response.delete_cookie(SESSION_COOKIE, path="/", httponly=True, samesite="strict",
                               secure=self.secure_cookies(request))
        return response

    def secure_cookies(self, request: Request) -> bool:
        """Secure cookies when the page is reached over https (directly, or per public_base_url behind a proxy)."""
        return request.url.scheme == "https" or self.settings.auth.public_base_url.startswith("https://")

    async def ask(self, request: Request) -> Response:
        """`POST /web/ask`: one question from the page; the `ask --json` object plus its charts."""
        try:
            question = WebQuestion.model_validate_json(await request.body())
        except ValidationError as exc:
            problems = "; ".join(f"{'.'.join(str(p) for p in e['loc']) or 'body'}: {e['msg']}" for e in exc.errors())
            return JSONResponse({"error": f"bad question: {problems}"}, status_code=400)
        principal = await self.principal(request)
        if principal is not None:  # proven: the role is staff.csv's, whatever the page sent
            user, role = principal.user, principal.role.value if principal.role else None
        else:  # a guest, unless demo mode lets the page pick a role
            user, role = None, question.role if self.settings.channels.demo_mode and question.role in ROLES else None
        message = IncomingMessage(text=question.text.strip(), channel="web", user=user, role=role,
                                  session=question.session)
        reply = await answer_in_thread(self.assistant, message, self.pool)
        return JSONResponse(self.answer_object(reply), headers=_NO_STORE)

    def answer_object(self, reply: Reply) -> dict[str, Any]:
        """The reply as the page reads it."""
        body = reply.contract()
        body["charts"] = [
            {"url": url, "title": chart.title} for chart in reply.attachments if (url := self.chart_url(chart.path))
        ]
        return body

    def chart_url(self, path: Path) -> str | None:
        """The `/charts/...` URL of a chart inside the charts folder; None for a file elsewhere."""
        try:
            relative = path.resolve().relative_to(self.charts_dir)
        except ValueError:
            log.warning("chart %s is outside the charts folder; not shown", path.name)
            return None
        return "/charts/" + "/".join(relative.parts)

    async def chart(self, request: Request) -> Response:
        """`GET /charts/{path}`: a PNG from the charts folder, and only from there."""
        parts = request.path_params["path"].split("/")
        if not parts or not all(_SAFE_SEGMENT.match(part) for part in parts) or not parts[-1].endswith(".png"):
            return Response("not found", status_code=404)
        candidate = self.charts_dir.joinpath(*parts).resolve()
        if not candidate.is_relative_to(self.charts_dir) or not candidate.is_file():
            return Response("not found", status_code=404)
        return FileResponse(candidate, media_type="image/png")


def mount_web_page(app: Starlette, settings: Settings, assistant: AssistantLike) -> None:
    """Serve the page at `/`, its assets under `/web/`, `POST /web/ask` and `/charts/`."""
    page = WebPage(settings, assistant)
    app.add_route("/", page.index, methods=["GET"])
    app.add_route("/web/config", page.config, methods=["GET"])
    app.add_route("/web/ask", page.ask, methods=["POST"])
    app.add_route("/web/login", page.login_page, methods=["GET"])
    app.add_route("/web/login", page.login, methods=["POST"])
    app.add_route("/web/logout", page.logout, methods=["POST"])
    app.add_route("/web/{name}", page.asset, methods=["GET"])
    app.add_route("/charts/{path:path}", page.chart, methods=["GET"])
