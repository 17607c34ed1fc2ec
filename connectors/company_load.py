"""`silobridge load FOLDER` as one step a user walks: import the data, refit the forecasts of the series
that changed, and index the bundled SOPs on a fresh install — so the next question answers with figures.

The CLI's `load` and `demo` commands call `load_company`; so do the tests that prove a loaded company
answers at once. The import itself is `connectors/importer.py` (all or nothing); the refit is
`tools/forecasting/refresh.py` (claimed once across processes, only changed series); the SOP index is
`knowledge/index.py` (`ensure_index`: only when nothing is indexed yet).
"""

from __future__ import annotations

import logging
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from connectors.importer import ImportReport, load_folder
from core.config import Settings
from core.db import Database
from core.progress import SILENT, Progress
from knowledge.embeddings import EmbeddingConfigError
from knowledge.index import IndexReport, KnowledgeIndexError, ensure_index
from knowledge.store import KnowledgeBaseUnavailable
from tools.forecasting.batch import BatchReport
from tools.forecasting.refresh import refit_after_import

log = logging.getLogger(__name__)


@dataclass
class LoadOutcome:
    """What `load_company` did: the import, the forecast refit (None when skipped, with why) and the SOP
    index (None when one existed already)."""

    imported: ImportReport
    forecasts: BatchReport | None = None
    forecasts_skipped: str | None = None
    sop_index: IndexReport | None = None
    warnings: list[str] = field(default_factory=list)


def load_company(settings: Settings, db: Database, folder: str | Path, *, allow_empty: Collection[str] = (),
                 loaded_at: datetime | None = None, forecast: bool = True, workers: int | None = None,
                 progress: Progress = SILENT) -> LoadOutcome:
    """Import `folder` (raises `ImportFailed` and changes nothing when it is not clean), then refit the
    changed forecast series (unless `forecast` is False) and index the bundled SOPs if nothing is indexed.

    A failure of the SOP index does not undo the import: it is reported in `warnings`, and the first SOP
    question tries again.
    """
    with progress.task(f"Importing {folder}"):
        imported = load_folder(db, folder, allow_empty=allow_empty, loaded_at=loaded_at)
    outcome = LoadOutcome(imported=imported)
    if not forecast:
        outcome.forecasts_skipped = "skipped (--no-forecast); fitted on first question or by a running server"
    else:
        outcome.forecasts = refit_after_import(settings, db, workers=workers, progress=progress, now=loaded_at)
        if outcome.forecasts is None:
            outcome.forecasts_skipped = "already being refitted by another process"
    try:
        outcome.sop_index = ensure_index(settings, progress=progress)
    except (KnowledgeIndexError, KnowledgeBaseUnavailable, EmbeddingConfigError) as exc:
        log.warning("SOP index not built during load: %s", exc)
        outcome.warnings.append(f"SOP index not built ({exc}); the first SOP question will try again")
    return outcome
