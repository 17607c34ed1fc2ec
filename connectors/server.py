"""The server, assembled in one place (an entry point): the assistant with its connectors, the HTTP API and
every channel.

`silobridge serve` (one process, or `--workers N` through `app_from_environment`) and the tests build the
app here. The assistant gets the Hong Kong Observatory reader (`connectors/hko.py`) and the clock fixed by
`SILOBRIDGE_NOW`, read once; the API is `bot/http.py`; the web page and the chat platforms'
webhooks are mounted by `connectors/channels.py`. A served app also watches the data version and refits
the forecasts in the background when another process loaded new data (`ForecastRefresher`).
"""

from __future__ import annotations

import logging
import threading

from fastapi import FastAPI

from bot.assistant import Assistant
from bot.http import create_api
from connectors.channels import mount_channels
from connectors.hko import WeatherService
from core.clock import fixed_now_from_environment
from core.clock import now as clock_now
from core.config import Settings, load_settings
from core.db import Database
from tools.forecasting.refresh import refit_after_import

log = logging.getLogger(__name__)

# Seconds between two looks at the data version (one indexed read of the latest import's id).
REFRESH_POLL_S = 15.0


class ForecastRefresher:
    """Refits the forecasts in a background thread of this process whenever the data version changes
    (an import by `silobridge load` elsewhere, perhaps with --no-forecast, or by another server).

    One refit at a time per process (a single watcher thread does the work itself); across processes the
    refit is claimed once per data version in the database (`tools/forecasting/refresh.py`), so with N
    workers or servers one fits and the others skip. Fitting runs in this thread, one series after another
    (`workers=1`: no fork from a threaded server). The model libraries are imported at start, so an
    on-demand fit inside a question does not pay for the import.
    """

    def __init__(self, settings: Settings, db: Database, *, poll_s: float = REFRESH_POLL_S,
                 fixed_now: str | None = None) -> None:
        self.settings, self.db, self.poll_s, self.fixed_now = settings, db, poll_s, fixed_now
        self.refitted_version = -1
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        """Start watching (idempotent)."""
        if self._thread is None:
            self._thread = threading.Thread(target=self._watch, name="forecast-refresher", daemon=True)
            self._thread.start()

    def stop(self, timeout_s: float = 5.0) -> None:
        """Stop watching (a refit in progress finishes its current series first)."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout_s)

    def check_once(self) -> bool:
        """Refit if the data version changed since the last refit here; True when this process refitted."""
        self.db.forget_data_version()
        version = self.db.data_version()
        if not version or version == self.refitted_version:
            return False
        report = refit_after_import(self.settings, self.db, workers=1, now=clock_now(self.fixed_now))
        self.refitted_version = version  # done here, or done / held by another process
        return report is not None

    def _watch(self) -> None:
        from tools.forecasting.batch import preload_models

        try:
            preload_models()
        except ImportError as exc:  # the refit itself will fail loudly; the server still answers
            log.error("forecast models cannot be imported: %s", exc)
        while not self._stop.is_set():
            try:
                self.check_once()
            except Exception:  # a failed refit is retried at the next look; the server keeps answering
                log.exception("background forecast refit failed")
            self._stop.wait(self.poll_s)


def build_assistant(settings: Settings, *, fixed_now: str | None = None) -> Assistant:
    """The Assistant on the configured database, reading the Observatory's warnings, on the clock `fixed_now`
    (--now or SILOBRIDGE_NOW, read by the entry point) for messages that carry no clock of their own."""
    return Assistant.from_settings(settings, weather=WeatherService(), fixed_now=fixed_now)


def create_app(settings: Settings, assistant: Assistant | None = None, *, refresh_forecasts: bool = False) -> FastAPI:
    """The whole service around one Assistant (built from settings when not given): the API and the channels.

    `refresh_forecasts` (what `silobridge serve` sets) starts the background `ForecastRefresher`; it is
    stopped when the app shuts down.
    """
    if assistant is None:
        assistant = build_assistant(settings, fixed_now=fixed_now_from_environment())
    app = create_api(settings, assistant)
    mount_channels(app, settings, assistant)
    if refresh_forecasts:
        refresher = ForecastRefresher(settings, assistant.db, fixed_now=assistant.fixed_now)
        app.state.forecast_refresher = refresher
        app.router.on_startup.append(refresher.start)
        app.router.on_shutdown.append(refresher.stop)
    return app


def app_from_environment() -> FastAPI:
    """The uvicorn factory behind `silobridge serve --workers N`: each worker process builds its own Assistant
    from config.yaml and the environment (state is in the database, so workers share conversations)."""
    settings = load_settings()
    assistant = build_assistant(settings, fixed_now=fixed_now_from_environment())
    assistant.warm_up()
    return create_app(settings, assistant, refresh_forecasts=True)
