"""A company built in a test from CSV strings and loaded through the real importer (a company other than the demo)."""

from __future__ import annotations

from pathlib import Path

from connectors.importer import load_folder
from core.config import Settings
from core.db import Database
from tests.conftest import make_settings


def load_company(root: Path, files: dict[str, str], sop_docs: dict[str, str] | None = None,
                 **settings: object) -> tuple[Settings, Database]:
    """Write `files` (name -> CSV text) under `root/csv`, load them into a fresh SQLite home under `root/home`;
    with `sop_docs` (name -> Markdown), those documents under `root/sop` are the company's SOP folder."""
    folder = root / "csv"
    folder.mkdir(parents=True, exist_ok=True)
    for name, content in files.items():
        (folder / name).write_text(content, encoding="utf-8")
    loaded_settings = make_settings(root / "home", **{"brain": "rules", **settings})
    if sop_docs is not None:
        sop_dir = root / "sop"
        sop_dir.mkdir(parents=True, exist_ok=True)
        for name, content in sop_docs.items():
            (sop_dir / name).write_text(content, encoding="utf-8")
        loaded_settings.kb.sop_dir = str(sop_dir)
    db = Database(loaded_settings.database_url)
    db.create_all()
    load_folder(db, folder)
    return loaded_settings, db
