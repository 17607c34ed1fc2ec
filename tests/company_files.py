"""A company built in a test from CSV strings and loaded through the real importer (a company other than the demo)."""

from __future__ import annotations

from pathlib import Path

from connectors.importer import load_folder
from core.config import Settings
from core.db import Database
from tests.conftest import make_settings


def load_company(root: Path, files: dict[str, str], **settings: object) -> tuple[Settings, Database]:
    """Write `files` (name -> CSV text) under `root/csv`, load them into a fresh SQLite home under `root/home`."""
    folder = root / "csv"
    folder.mkdir(parents=True, exist_ok=True)
    for name, content in files.items():
        (folder / name).write_text(content, encoding="utf-8")
    loaded_settings = make_settings(root / "home", **{"brain": "rules", **settings})
    db = Database(loaded_settings.database_url)
    db.create_all()
    load_folder(db, folder)
    return loaded_settings, db
