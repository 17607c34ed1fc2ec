"""The `silobridge` command line (product.md, "Command line contract"). One command per function; the work is elsewhere."""

from __future__ import annotations

import json
import logging
import os
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

import typer

from core.clock import ClockError, fixed_now_from_environment, parse_now
from core.clock import now as clock_now
from core.config import ConfigError, Settings, load_settings
from core.progress import Progress, progress_for, ticking

if TYPE_CHECKING:
    from bot.assistant import Assistant
    from core.db import Database

app = typer.Typer(help="silobridge: the Sales-Logistics chatbot. Answers from your company's own data.",
                  no_args_is_help=True, add_completion=False)
kb_app = typer.Typer(help="The SOP knowledge base.", no_args_is_help=True)
forecast_app = typer.Typer(help="Demand forecasts.", no_args_is_help=True)
routes_app = typer.Typer(help="Vehicle routes.", no_args_is_help=True)
token_app = typer.Typer(help="Personal access tokens for POST /api/ask (and MCP).", no_args_is_help=True)
app.add_typer(kb_app, name="kb")
app.add_typer(forecast_app, name="forecast")
app.add_typer(routes_app, name="routes")
app.add_typer(token_app, name="token")


def _settings() -> Settings:
    try:
        return load_settings()
    except ConfigError as exc:
        _fail(str(exc))


def _fail(message: str, code: int = 2) -> NoReturn:
    typer.secho(f"error: {message}", fg=typer.colors.RED, err=True)
    raise typer.Exit(code)


def _fixed_now(now: str | None = None) -> str | None:
    """The clock this command runs at: --now, else SILOBRIDGE_NOW (read here, once), else None (real time).

    The value travels with each message and tool call; nothing writes it into the environment.
    """
    try:
        if now:
            parse_now(now)
            return now
        return fixed_now_from_environment()
    except ClockError as exc:
        _fail(str(exc))


def _database(settings: Settings) -> Database:
    from core.db import Database

    db = Database.from_settings(settings)
    db.create_all()
    return db


_QUIET = typer.Option(False, "--quiet", "-q", help="No progress output (the result lines only).")


def _progress(quiet: bool) -> Progress:
    """Progress on standard error: bars on a terminal, plain lines otherwise, nothing with --quiet."""
    return progress_for(quiet=quiet)


@app.command()
def load(folder: Path = typer.Argument(..., help="Folder of CSV files in the format of data-format.md."),
         allow_empty: list[str] | None = typer.Option(
             None, "--allow-empty", metavar="TABLE",
             help="A required table (e.g. stock) that may have a header and no rows, emptying it. Repeatable."),
         forecast: bool = typer.Option(True, "--forecast/--no-forecast",
                                       help="Refit the forecasts of the changed series as part of the import."),
         quiet: bool = _QUIET) -> None:
    """Import a folder of CSV files (replaces the business data, all or nothing), then refit the changed
    forecasts and, on a fresh install, index the bundled SOPs: questions answer with figures at once."""
    from connectors.company_load import load_company
    from connectors.importer import ImportFailed

    settings = _settings()
    db = _database(settings)
    empty_tables = allow_empty if isinstance(allow_empty, list) else []  # load() is also called by `demo`
    try:
        outcome = load_company(settings, db, folder, allow_empty=empty_tables, loaded_at=clock_now(_fixed_now()),
                               forecast=forecast is not False, progress=_progress(quiet is True))
    except ImportFailed as exc:
        typer.secho(f"Import refused; nothing was changed. Fix these and run again:\n{exc}", fg=typer.colors.RED,
                    err=True)
        raise typer.Exit(1) from None
    report = outcome.imported
    for warning in report.warnings + outcome.warnings:
        typer.secho(f"warning: {warning}", fg=typer.colors.YELLOW, err=True)
    total = sum(report.row_counts.values())
    typer.echo(f"Loaded {total:,} rows from {folder} in {report.seconds:.1f} s (data version {report.version}):")
    for file, count in report.row_counts.items():
        typer.echo(f"  {file:<20} {count:>9,}")
    typer.echo(outcome.forecasts.summary() if outcome.forecasts else f"Forecasts: {outcome.forecasts_skipped}.")
    if outcome.sop_index is not None:
        typer.echo(f"SOP index: {outcome.sop_index.summary()}")


@app.command()
def demo(out: Path = typer.Option(Path("demo-data"), help="Folder to write the demo company's CSV files to."),
         today: str = typer.Option(None, help="The demo's 'today' (YYYY-MM-DD); default: the real date."),
         seed: int = typer.Option(2026, help="Random seed; the same seed and today give the same files."),
         load_it: bool = typer.Option(True, "--load/--no-load", help="Also import the generated folder."),
         quiet: bool = _QUIET) -> None:
    """Generate the demo company (a Hong Kong SME) in the import format, and load it."""
    from connectors.demo import DemoGenerationError, generate

    try:
        day = date.fromisoformat(today) if today else clock_now(_fixed_now()).date()
    except ValueError:
        _fail(f"--today must be YYYY-MM-DD, got {today!r}")
    try:
        generate(out, today=day, seed=seed)
    except DemoGenerationError as exc:
        _fail(str(exc))
    typer.echo(f"Demo company for {day} written to {out}/")
    if load_it:
        load(out, allow_empty=None, forecast=True, quiet=quiet)


@kb_app.command("index")
def kb_index(paths: list[Path] = typer.Argument(None, help="Markdown files or folders; default knowledge/sop/."),
             quiet: bool = _QUIET) -> None:
    """Index SOP documents (only changed ones are re-indexed; deleted ones are removed). Not needed for the
    bundled SOPs: they are indexed by `load` or on the first SOP question."""
    from knowledge.embeddings import EmbeddingConfigError
    from knowledge.index import KnowledgeIndexError, index_documents
    from knowledge.store import KnowledgeBaseUnavailable

    settings = _settings()
    try:
        report = index_documents(settings, paths or None, progress=_progress(quiet))
    except (KnowledgeIndexError, KnowledgeBaseUnavailable, EmbeddingConfigError) as exc:
        _fail(str(exc))
    typer.echo(f"SOP index: {report.summary()}")


def _assistant(settings: Settings, fixed_now: str | None) -> Assistant:
    from connectors.server import build_assistant

    return build_assistant(settings, fixed_now=fixed_now)


@app.command()
def ask(question: str = typer.Argument(..., help="The question, in Cantonese or English."),
        role: str = typer.Option(None, help="Ask as this role (sales, logistics, manager, finance, admin, guest)."),
        user: str = typer.Option(None, help="Ask as this chat handle from staff.csv, e.g. slack:U012AB3CD."),
        session: str = typer.Option(None, help="Conversation id, for follow-up questions."),
        now: str = typer.Option(None, help="Fix the clock (ISO date-time, Hong Kong time)."),
        as_json: bool = typer.Option(False, "--json", help="Print the answer as one JSON object.")) -> None:
    """Answer one question."""
    from bot.identity import UnknownRole
    from bot.messages import IncomingMessage

    fixed_now = _fixed_now(now)
    settings = _settings()
    assistant = _assistant(settings, fixed_now)
    try:
        reply = assistant.handle(IncomingMessage(text=question, channel="cli", user=user, role=role,
                                                 session=session or "cli", now=fixed_now))
    except UnknownRole as exc:
        _fail(str(exc))
    if as_json:
        typer.echo(json.dumps(reply.contract(), ensure_ascii=False))
    else:
        typer.echo(reply.answer)
        for attachment in reply.attachments:
            typer.echo(f"[chart: {attachment.path}]")


@app.command()
def chat(role: str = typer.Option("sales", help="Chat as this role."),
         user: str = typer.Option(None, help="Chat as this chat handle from staff.csv."),
         now: str = typer.Option(None, help="Fix the clock (ISO date-time, Hong Kong time).")) -> None:
    """An interactive conversation in the terminal (follow-ups keep their context)."""
    import uuid

    from bot.identity import UnknownRole
    from bot.messages import IncomingMessage

    fixed_now = _fixed_now(now)
    settings = _settings()
    assistant = _assistant(settings, fixed_now)
    session = f"chat-{uuid.uuid4().hex[:8]}"
    typer.echo("silobridge: 問我庫存、送貨、運費、預測、路線或公司政策。Ask about stock, delivery, costs, forecasts, "
               "routes or policies. Ctrl-D to quit.")
    while True:
        try:
            question = input("> ").strip()
        except (EOFError, KeyboardInterrupt):
            typer.echo("")
            return
        if not question:
            continue
        if question.lower() in {"exit", "quit", "bye", "拜拜"}:
            return
        try:
            reply = assistant.handle(IncomingMessage(text=question, channel="cli", user=None if role and not user
                                                     else user, role=None if user else role, session=session,
                                                     now=fixed_now))
        except UnknownRole as exc:
            _fail(str(exc))
        typer.echo(reply.answer)
        for attachment in reply.attachments:
            typer.echo(f"[chart: {attachment.path}]")


@app.command()
def serve(host: str = typer.Option("127.0.0.1", help="Interface to listen on."),
          port: int = typer.Option(8080, help="Port to listen on."),
          workers: int = typer.Option(1, help="Worker processes (state lives in the database, so any worker "
                                              "can continue any conversation)."),
          demo: bool = typer.Option(False, "--demo", help="Demo mode: the web page offers a role picker whose "
                                                          "roles are NOT verified. Never with real data.")) -> None:
    """The HTTP service: web chat page, Slack/Telegram/WhatsApp webhooks, POST /api/ask, GET /healthz."""
    import uvicorn

    from bot.auth import ensure_service_token
    from connectors.server import build_assistant, create_app

    if demo:
        os.environ["SILOBRIDGE_DEMO"] = "1"  # through the environment, so every worker process sees it
    service_token = ensure_service_token(_settings())  # before forking, so the workers share one file
    if service_token.path is not None:
        typer.echo(f"POST /api/ask service token: in {service_token.path} (mode 0600)", err=True)
    import logging.config

    from core.logsafe import uvicorn_log_config

    # Every handler masks the configured secrets; the access log blanks query values (core/logsafe.py).
    log_config = uvicorn_log_config(_settings())
    logging.config.dictConfig(log_config)  # from now on, not only once uvicorn starts (warm-up lines too)
    if workers > 1:
        uvicorn.run("connectors.server:app_from_environment", factory=True, workers=workers, host=host, port=port,
                    log_level="info", log_config=log_config)
        return
    settings = _settings()
    assistant = build_assistant(settings, fixed_now=_fixed_now())
    assistant.warm_up()
    uvicorn.run(create_app(settings, assistant, refresh_forecasts=True), host=host, port=port, log_level="info", log_config=log_config)


@token_app.command("create")
def token_create(user: str = typer.Option(..., help="A staff handle (slack:U012AB3CD, telegram:…, whatsapp:…) "
                                                   "or staff_id from staff.csv."),
                 expires_days: int = typer.Option(None, min=1, help="Days until it expires; default: never.")) -> None:
    """Create a personal access token for a member of staff; it is printed once and stored only hashed."""
    from bot.auth import UnknownStaff, create_personal_token

    settings = _settings()
    try:
        issued = create_personal_token(_database(settings), user, expires_days)
    except UnknownStaff as exc:
        _fail(str(exc))
    until = f"until {issued.expires_at:%Y-%m-%d %H:%M}" if issued.expires_at else "with no expiry"
    typer.echo(f"Token {issued.id} for {issued.member.name} ({issued.member.role.value}), {until}. "
               "Copy it now; it is not shown again:", err=True)
    typer.echo(issued.token)


@token_app.command("list")
def token_list() -> None:
    """List personal access tokens: id, user, created, expires, last used, revoked (never the token)."""
    from bot.auth import list_personal_tokens

    def when(moment: datetime | None, empty: str = "-") -> str:
        return f"{moment:%Y-%m-%d %H:%M}" if moment else empty

    rows = list_personal_tokens(_database(_settings()))
    typer.echo(f"{'id':>4}  {'user':<28} {'staff':<10} {'created':<16}  {'expires':<16}  {'last used':<16}  revoked")
    for row in rows:
        typer.echo(f"{row.id:>4}  {row.user:<28} {row.staff_id:<10} {when(row.created_at):<16}  "
                   f"{when(row.expires_at, 'never'):<16}  {when(row.last_used_at):<16}  {when(row.revoked_at)}")


@token_app.command("revoke")
def token_revoke(token_id: int = typer.Argument(..., help="The token's id (see `silobridge token list`).")) -> None:
    """Revoke a personal access token: it is refused from now on."""
    from bot.auth import revoke_personal_token

    if not revoke_personal_token(_database(_settings()), token_id):
        _fail(f"no token with id {token_id} (see `silobridge token list`)")
    typer.echo(f"Token {token_id} revoked.")


@app.command("eval")
def evaluate(set_path: Path = typer.Option(None, "--set", help="An evaluation set (YAML); default: all built-in sets."),
             floor: bool = typer.Option(True, help="Exit non-zero when a score is under its floor.")) -> None:
    """Run an evaluation set and print its scores."""
    from evals.runner import run_evaluations

    settings = _settings()
    ok = run_evaluations(settings, set_path, echo=typer.echo)
    if floor and not ok:
        raise typer.Exit(1)


@forecast_app.command("run")
def forecast_run(workers: int = typer.Option(None, help="Parallel processes; default from config.yaml."),
                 force: bool = typer.Option(False, help="Refit every series, changed or not."),
                 quiet: bool = _QUIET) -> None:
    """Fit demand forecasts for every product and region (only series whose data changed). `load` already
    does this after each import; use it with --force or after changing the forecast settings."""
    from tools.forecasting.batch import run_batch

    settings = _settings()
    report = run_batch(settings, _database(settings), workers=workers, force=force, now=clock_now(_fixed_now()),
                       progress=_progress(quiet))
    typer.echo(report.summary())


@forecast_app.command("backtest")
def forecast_backtest() -> None:
    """Rolling-origin backtest of Prophet, AutoETS and seasonal naive on the loaded data."""
    from tools.forecasting.backtest import format_report, run_backtest

    settings = _settings()
    typer.echo(format_report(run_backtest(settings, _database(settings))))


@routes_app.command("plan")
def routes_plan(day: str = typer.Option(None, "--date", help="Delivery date (YYYY-MM-DD); default today."),
                commit: bool = typer.Option(False, help="Write vehicle and ETA back to the orders."),
                now: str = typer.Option(None, help="Fix the clock (ISO date-time, Hong Kong time)."),
                quiet: bool = _QUIET) -> None:
    """Plan the day's van routes."""
    from bot.cli_routes import plan_text

    fixed_now = _fixed_now(now)
    settings = _settings()
    db = _database(settings)
    with ticking(_progress(quiet), "Planning routes", settings.routing.time_limit_s):
        text = plan_text(settings, db, day, now=clock_now(fixed_now), commit=commit)
    typer.echo(text)


@routes_app.command("bench")
def routes_bench(files: list[Path] = typer.Argument(..., help="Solomon-format VRPTW instances."),
                 time_limit: float = typer.Option(10.0, help="Seconds per instance."),
                 quiet: bool = _QUIET) -> None:
    """Solve Solomon instances through the product's planner; print distance, vehicles and gap to a .sol beside it.

    Each instance's line is printed as soon as it is solved."""
    from bot.cli_routes import bench_text

    with _progress(quiet).task("Solving instances", total=len(files)) as task:
        for file in files:
            typer.echo(bench_text([file], time_limit))
            task.advance(note=file.name)


def main() -> None:
    """Console-script entry point."""
    logging.basicConfig(level=os.environ.get("SILOBRIDGE_LOG", "WARNING"),
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    app(prog_name="silobridge")


if __name__ == "__main__":
    main()
