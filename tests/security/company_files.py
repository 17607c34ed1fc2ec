"""Small factories for import tests: a copy of the mini company to break, and a snapshot of the business data."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from sqlalchemy import select

from core.db import Database
from core.models import BUSINESS_TABLES
from tests.conftest import MINI_COMPANY


def mini_copy(tmp_path: Path, name: str = "company") -> Path:
    """A writable copy of the mini company's CSV folder."""
    folder = tmp_path / name
    shutil.copytree(MINI_COMPANY, folder)
    return folder


def snapshot(db: Database) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every business table, sorted: equal snapshots mean unchanged data."""
    tables: dict[str, list[tuple[Any, ...]]] = {}
    with db.engine.connect() as conn:
        for model in BUSINESS_TABLES:
            rows = conn.execute(select(model.__table__)).all()
            tables[model.__tablename__] = sorted((tuple(row) for row in rows), key=repr)
    return tables
