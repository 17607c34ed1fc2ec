"""Engines and sessions: SQLite by default, PostgreSQL (or any SQLAlchemy URL) through SILOBRIDGE_DB.

Every wait on the database is bounded by `timeout_s` (config.yaml `database.timeout_seconds`): SQLite's
busy timeout; PostgreSQL's connect timeout, statement timeout, TCP timeouts and the pool's checkout wait.
After a fault (a locked SQLite file, a PostgreSQL server that did not answer) the database is "faulty"
for `timeout_s`: SQLite writes then wait at most `FAULTY_WAIT_S` and new PostgreSQL connections are not
attempted, so the several statements of one question fail in about one bound, not one bound each.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Future
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import Engine, create_engine, event, func, select, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.engine.interfaces import ExceptionContext
from sqlalchemy.orm import Session, sessionmaker

from core.cache import BoundedCache
from core.config import Settings
from core.models import Base, ImportRun

T = TypeVar("T")
VERSION_TTL_S = 1.0
# Values derived from one data version (reference tables, gazetteer, analytics copy, ...): a handful of names.
DATA_CACHE_ENTRIES = 32
DEFAULT_TIMEOUT_S = 5.0
# How long a SQLite write waits for the lock while the file is known to be locked by someone else.
FAULTY_WAIT_S = 0.5
_SKIPPED_CONNECT = "not connecting: the database did not answer"
_LATEST_IMPORT = select(func.max(ImportRun.id))


class DatabaseTimeout(Exception):
    """The database did not answer within the configured bound."""


class Database:
    """One engine and its session factory. Create one per process and pass it down."""

    def __init__(self, url: str, *, echo: bool = False, timeout_s: float = DEFAULT_TIMEOUT_S) -> None:
        self.url = url
        self.timeout_s = timeout_s
        parsed = make_url(url)
        self.dialect = parsed.get_backend_name()
        kwargs: dict[str, Any] = {"echo": echo, "future": True}
        if self.dialect == "sqlite":
            in_memory = not parsed.database or parsed.database == ":memory:"
            if not in_memory:
                Path(parsed.database or "").parent.mkdir(parents=True, exist_ok=True)
                kwargs["pool_timeout"] = timeout_s
            kwargs["connect_args"] = {"check_same_thread": False, "timeout": timeout_s}
        else:
            kwargs["pool_pre_ping"] = True
            kwargs["pool_timeout"] = timeout_s
            if self.dialect == "postgresql":
                kwargs["connect_args"] = _postgres_timeouts(parsed, timeout_s)
        self.engine: Engine = create_engine(url, **kwargs)
        self._faulty_until = float("-inf")
        event.listen(self.engine, "handle_error", self._note_fault)
        if self.dialect == "sqlite":
            event.listen(self.engine, "connect", _sqlite_pragmas)
            event.listen(self.engine, "checkout", self._sqlite_busy_wait)
        else:
            event.listen(self.engine, "do_connect", self._skip_connect_while_faulty)
        self.sessions = sessionmaker(self.engine, expire_on_commit=False)
        self._version: tuple[float, int] = (float("-inf"), 0)
        self._derived: BoundedCache[tuple[str, int], Any] = BoundedCache(DATA_CACHE_ENTRIES)
        self._probe_lock = threading.Lock()
        self._probe: Future[int] | None = None

    @classmethod
    def from_settings(cls, settings: Settings) -> Database:
        """The database named by the settings (SILOBRIDGE_DB or the SQLite file under SILOBRIDGE_HOME)."""
        return cls(settings.database_url, timeout_s=settings.database.timeout_seconds)

    def create_all(self) -> None:
        """Create any missing table (idempotent)."""
        Base.metadata.create_all(self.engine)

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A session that commits on success and rolls back on error."""
        with self.sessions() as session:
            try:
                yield session
                session.commit()
            except BaseException:
                session.rollback()
                raise

    def data_version(self) -> int:
        """Id of the latest successful import (0 when nothing is loaded); caches key on it.

        Read at most once per `VERSION_TTL_S` per Database object: every question asks several times, and a
        new import (from this process, which resets it, or from another worker) is seen within that delay.
        """
        checked_at, version = self._version
        if time.monotonic() - checked_at < VERSION_TTL_S:
            return version
        with self.engine.connect() as conn:
            version = conn.execute(_LATEST_IMPORT).scalar() or 0
        self._version = (time.monotonic(), version)
        return version

    def forget_data_version(self) -> None:
        """Make the next `data_version()` read the database (after an import)."""
        self._version = (float("-inf"), 0)

    def cached(self, name: str, build: Callable[[int], T], *, version: int | None = None) -> T:
        """The value `build(version)` made from this database at its current data version (the one cache).

        Keyed on (`name`, data version): a new import makes every cached value stale, and the first use after
        it builds again (once, even when several threads ask together). Older versions of `name` are dropped
        as soon as a newer one is built, and the whole cache is bounded. `version` is for a caller that has
        just read it on its own connection.
        """
        current = self.data_version() if version is None else version

        def build_current() -> T:
            self._derived.discard(lambda key: key[0] == name and key[1] != current)
            return build(current)

        return self._derived.get_or_build((name, current), build_current)

    def forget_cached(self, name: str | None = None) -> None:
        """Drop the cached values called `name` (all when None): for code that edits tables without an import."""
        self._derived.discard(lambda key: name is None or key[0] == name)

    def last_import(self) -> ImportRun | None:
        """The latest successful import, or None."""
        with self.sessions() as session:
            return session.scalar(select(ImportRun).order_by(ImportRun.id.desc()).limit(1))

    def dispose(self) -> None:
        """Close pooled connections."""
        self.engine.dispose()

    # -- bounded faults ------------------------------------------------------------------------------

    @property
    def faulty(self) -> bool:
        """True for `timeout_s` after a lock timeout or an unreachable server."""
        return time.monotonic() < self._faulty_until

    def probe(self, deadline_s: float | None = None) -> int:
        """The data version read fresh within `deadline_s` (default `timeout_s`); `DatabaseTimeout` past it.

        The read runs in a daemon thread, so even a server that accepted the connection and then froze
        cannot hold the caller. While an earlier probe is still stuck, no second thread is started.
        """
        with self._probe_lock:
            if self._probe is None or self._probe.done():
                self._probe = Future()
                threading.Thread(target=self._run_probe, args=(self._probe,), name="db-probe", daemon=True).start()
            probe = self._probe
        try:
            return probe.result(timeout=self.timeout_s if deadline_s is None else deadline_s)
        except TimeoutError:
            raise DatabaseTimeout(f"no answer within {deadline_s or self.timeout_s:g} s") from None

    def _run_probe(self, probe: Future[int]) -> None:
        try:
            with self.engine.connect() as conn:
                conn.execute(text("SELECT 1"))
                version = conn.execute(_LATEST_IMPORT).scalar() or 0
        except BaseException as exc:  # noqa: BLE001 - handed to the waiting caller
            probe.set_exception(exc)
        else:
            probe.set_result(version)

    def _note_fault(self, context: ExceptionContext) -> None:
        """Remember a lock timeout or a failed connection, so the next statements fail fast."""
        original = context.original_exception
        if str(original).startswith(_SKIPPED_CONNECT):
            return  # our own fast failure: the window is not extended by it, so a retry comes
        if _is_lock_timeout(original) or context.connection is None or context.is_disconnect:
            self._faulty_until = time.monotonic() + self.timeout_s

    def _sqlite_busy_wait(self, dbapi_connection: Any, _record: Any, _proxy: Any) -> None:
        wait_s = min(self.timeout_s, FAULTY_WAIT_S) if self.faulty else self.timeout_s
        dbapi_connection.execute(f"PRAGMA busy_timeout = {int(wait_s * 1000)}")

    def _skip_connect_while_faulty(self, dialect: Any, _record: Any, _cargs: Any, _cparams: Any) -> None:
        if self.faulty:
            raise dialect.loaded_dbapi.OperationalError(f"{_SKIPPED_CONNECT} within {self.timeout_s:g} s a moment ago")


def _is_lock_timeout(exc: BaseException) -> bool:
    """SQLite's SQLITE_BUSY ("database is locked") after the busy timeout."""
    return getattr(exc, "sqlite_errorname", "") == "SQLITE_BUSY" or "database is locked" in str(exc)


def _postgres_timeouts(url: URL, timeout_s: float) -> dict[str, Any]:
    """libpq parameters bounding every wait: connecting, each statement, and a network that went silent.

    `options` from the URL (e.g. `-csearch_path=...`) is kept: connect_args would otherwise replace it.
    """
    existing = url.query.get("options", "")
    options = " ".join(existing) if isinstance(existing, tuple) else existing
    whole_seconds = max(2, math.ceil(timeout_s))  # libpq's connect_timeout: integer seconds, at least 2
    return {
        "connect_timeout": whole_seconds,
        "options": f"{options} -c statement_timeout={int(timeout_s * 1000)}".strip(),
        "keepalives": 1,
        "keepalives_idle": whole_seconds,
        "keepalives_interval": 1,
        "keepalives_count": 3,
        "tcp_user_timeout": int(timeout_s * 1000),
    }


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()
