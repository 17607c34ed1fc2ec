"""Engines and sessions: SQLite by default, PostgreSQL (or any SQLAlchemy URL) through SILOBRIDGE_DB."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine, create_engine, event, func, select
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from core.config import Settings
from core.models import Base, ImportRun

VERSION_TTL_S = 1.0
_LATEST_IMPORT = select(func.max(ImportRun.id))


class Database:
    """One engine and its session factory. Create one per process and pass it down."""

    def __init__(self, url: str, *, echo: bool = False) -> None:
        self.url = url
        parsed = make_url(url)
        self.dialect = parsed.get_backend_name()
        kwargs: dict = {"echo": echo, "future": True}
        if self.dialect == "sqlite":
            if parsed.database and parsed.database != ":memory:":
                Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
            kwargs["connect_args"] = {"check_same_thread": False, "timeout": 30}
        else:
            kwargs["pool_pre_ping"] = True
        self.engine: Engine = create_engine(url, **kwargs)
        if self.dialect == "sqlite":
            event.listen(self.engine, "connect", _sqlite_pragmas)
        self.sessions = sessionmaker(self.engine, expire_on_commit=False)
        self._version: tuple[float, int] = (float("-inf"), 0)

    @classmethod
    def from_settings(cls, settings: Settings) -> Database:
        """The database named by the settings (SILOBRIDGE_DB or the SQLite file under SILOBRIDGE_HOME)."""
        return cls(settings.database_url)

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

    def last_import(self) -> ImportRun | None:
        """The latest successful import, or None."""
        with self.sessions() as session:
            return session.scalar(select(ImportRun).order_by(ImportRun.id.desc()).limit(1))

    def dispose(self) -> None:
        """Close pooled connections."""
        self.engine.dispose()


def _sqlite_pragmas(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()
