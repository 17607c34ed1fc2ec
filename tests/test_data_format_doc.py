"""The import format travels with the project: docs/data-format.md names every file and column the importer
reads, so a company with only this repository can prepare its data (and the doc cannot drift from the code)."""

from __future__ import annotations

import re
from pathlib import Path

from connectors.csv_schema import TABLES

DOCS = Path(__file__).resolve().parents[1] / "docs"


def test_every_table_and_column_is_documented_with_an_example() -> None:
    text = (DOCS / "data-format.md").read_text(encoding="utf-8")
    for table in TABLES:
        assert f"## {table.file}" in text, table.file
        section = text.split(f"## {table.file}", 1)[1].split("\n## ", 1)[0]
        for name in table.column_names:
            assert re.search(rf"`?\b{re.escape(name)}\b`?", section), (table.file, name)
        if table.required:
            assert "```csv" in section, f"{table.file}: no example row"


def test_readme_and_docs_never_point_outside_the_repository() -> None:
    for path in [DOCS.parent / "README.md", *DOCS.glob("*.md")]:
        assert "../shared" not in path.read_text(encoding="utf-8"), path.name
