"""Shared fixtures: settings on a temp home, throwaway SQLite and PostgreSQL databases, the demo company.

Network access is refused for every test: only loopback addresses may be reached.
"""

from __future__ import annotations

import ipaddress
import os
import socket
import uuid
from collections.abc import Callable, Iterator
from datetime import date, datetime
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from core.config import Settings
from core.db import Database

FIXTURES = Path(__file__).parent / "fixtures"
MINI_COMPANY = FIXTURES / "mini"
DEMO_TODAY = date(2026, 11, 25)
DEMO_NOW = datetime(2026, 11, 25, 10, 30)  # a Wednesday
PG_ADMIN_URL = os.environ.get("SILOBRIDGE_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


# --- no network -------------------------------------------------------------------------------------

_real_connect = socket.socket.connect


def _guarded_connect(sock: socket.socket, address):  # type: ignore[no-untyped-def]
    if sock.family in (socket.AF_INET, socket.AF_INET6):
        host = address[0]
        try:
            loopback = ipaddress.ip_address(host).is_loopback
        except ValueError:
            loopback = host == "localhost"
        if not loopback:
            raise OSError(f"test tried to reach the network ({host}); tests may only use loopback")
    return _real_connect(sock, address)


@pytest.fixture(autouse=True)
def _no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(socket.socket, "connect", _guarded_connect)
    monkeypatch.delenv("SILOBRIDGE_NOW", raising=False)
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    monkeypatch.delenv("OPENAI_BASE_URL", raising=False)


# --- settings and databases ---------------------------------------------------------------------------


def make_settings(home: Path, db_url: str | None = None, **overrides) -> Settings:
    """Settings for a test: state under `home`, the given database, no secrets."""
    return Settings(home=home, db_url=db_url, env=overrides.pop("env", {}), **overrides)


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """Settings with home in a temp folder and a SQLite database there."""
    return make_settings(tmp_path)


@pytest.fixture
def sqlite_db(settings: Settings) -> Iterator[Database]:
    """An empty SQLite database with every table."""
    db = Database(settings.database_url)
    db.create_all()
    yield db
    db.dispose()


def _pg_available() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 5432), timeout=1):
            return True
    except OSError:
        return False


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A URL to a fresh throwaway schema on the local PostgreSQL; the schema is dropped afterwards."""
    if not _pg_available():
        pytest.skip("PostgreSQL is not running on 127.0.0.1:5432")
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    separator = "&" if "?" in PG_ADMIN_URL else "?"
    yield f"{PG_ADMIN_URL}{separator}options=-csearch_path%3D{schema}"
    with admin.connect() as conn:
        conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def any_db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    """The same test on SQLite and on the real PostgreSQL."""
    if request.param == "sqlite":
        db = Database(f"sqlite:///{tmp_path / 'any.db'}")
    else:
        db = Database(request.getfixturevalue("pg_url"))
    db.create_all()
    yield db
    db.dispose()


# --- the demo company -----------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def demo_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo company for 2026-11-25, as CSV files."""
    from connectors.demo import generate

    folder = tmp_path_factory.mktemp("demo-company")
    generate(folder, today=DEMO_TODAY)
    return folder


@pytest.fixture(scope="session")
def demo_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A home folder shared by the session's demo fixtures (charts, indexes)."""
    return tmp_path_factory.mktemp("demo-home")


@pytest.fixture(scope="session")
def demo_db(demo_folder: Path, demo_home: Path) -> Iterator[Database]:
    """The demo company loaded through the real importer into SQLite. Read-only for tests."""
    from connectors.importer import load_folder

    db = Database(f"sqlite:///{demo_home / 'demo.db'}")
    db.create_all()
    load_folder(db, demo_folder)
    yield db
    db.dispose()


@pytest.fixture(scope="session")
def demo_settings(demo_home: Path, demo_db: Database) -> Settings:
    """Settings pointing at the demo database and home."""
    return make_settings(demo_home, demo_db.url)


@pytest.fixture
def demo_ctx(demo_db: Database, demo_settings: Settings) -> Callable[..., object]:
    """A factory of ToolContext on the demo data at DEMO_NOW: demo_ctx(role="sales", lang="en")."""
    from tools.registry import Role, ToolContext

    def build(role: str = "sales", lang: str = "en", now: datetime = DEMO_NOW) -> ToolContext:
        return ToolContext(db=demo_db, settings=demo_settings, now=now, role=Role(role), lang=lang)  # type: ignore[arg-type]

    return build
