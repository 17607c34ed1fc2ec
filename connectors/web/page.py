"""The web chat page served at `/`, the `/web/ask` endpoint it calls, and chart images under `/charts/`.

The page is static (no build step, no CDN). It calls `POST /web/ask`, which answers with the same object
as `POST /api/ask` plus the chart URLs and sections the page shows inline. An explicit role is honoured
only in demo mode (`channels.demo_mode`); otherwise the page's user is a guest. Charts are served only
from `settings.home / "charts"`: no path can leave that folder.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field, ValidationError
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response

from bot.messages import IncomingMessage, Reply
from connectors.channels import AssistantLike, answer_in_thread, answer_pool
from core.config import Settings

log = logging.getLogger("silobridge.channels.web")

STATIC_DIR = Path(__file__).resolve().parent / "static"
ASSETS = {"app.js": "text/javascript; charset=utf-8", "style.css": "text/css; charset=utf-8"}
ROLES = ["sales", "logistics", "manager", "finance", "admin", "guest"]
_SAFE_SEGMENT = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,200}$")
_NO_STORE = {"Cache-Control": "no-store"}


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
        """`GET /web/config`: whether the role picker shows, and its roles."""
        demo = self.settings.channels.demo_mode
        return JSONResponse({"demo_mode": demo, "roles": ROLES if demo else []})

    async def ask(self, request: Request) -> Response:
        """`POST /web/ask`: one question from the page; the `ask --json` object plus charts and sections."""
        try:
            question = WebQuestion.model_validate_json(await request.body())
        except ValidationError as exc:
            problems = "; ".join(f"{'.'.join(str(p) for p in e['loc']) or 'body'}: {e['msg']}" for e in exc.errors())
            return JSONResponse({"error": f"bad question: {problems}"}, status_code=400)
        role = question.role if self.settings.channels.demo_mode and question.role in ROLES else None
        message = IncomingMessage(text=question.text.strip(), channel="web", role=role, session=question.session)
        reply = await answer_in_thread(self.assistant, message, self.pool)
        return JSONResponse(self.answer_object(reply), headers=_NO_STORE)

    def answer_object(self, reply: Reply) -> dict[str, Any]:
        """The reply as the page reads it."""
        body = reply.contract()
        body["sections"] = reply.sections
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
    app.add_route("/web/{name}", page.asset, methods=["GET"])
    app.add_route("/charts/{path:path}", page.chart, methods=["GET"])
