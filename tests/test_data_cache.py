"""The one data-version cache (`Database.cached`, on `core.cache.BoundedCache`): keyed on (name, data version),
bounded, built once across threads, and the clock read from the environment only when asked."""

from __future__ import annotations

import threading
import time
from datetime import datetime

import pytest

from core.cache import BoundedCache
from core.clock import ClockError, fixed_now_from_environment, now
from core.db import Database
from core.models import ImportRun


def _new_import(db: Database) -> None:
    with db.session() as session:
        session.add(ImportRun(loaded_at=datetime(2026, 11, 25, 7), source="test", row_counts={}, seconds=0.0))
    db.forget_data_version()  # as the importer does


def test_cached_values_follow_the_data_version(sqlite_db: Database) -> None:
    builds: list[int] = []

    def build(version: int) -> list[int]:
        builds.append(version)
        return [version]

    first = sqlite_db.cached("thing", build)
    assert sqlite_db.cached("thing", build) is first and builds == [0]
    _new_import(sqlite_db)
    assert sqlite_db.cached("thing", build) == [1] and builds == [0, 1]
    sqlite_db.forget_cached("thing")
    assert sqlite_db.cached("thing", build) == [1] and builds == [0, 1, 1]


def test_a_value_is_built_once_however_many_threads_ask(sqlite_db: Database) -> None:
    calls: list[int] = []

    def slow_build(version: int) -> object:
        calls.append(version)
        time.sleep(0.05)
        return object()

    found: list[object] = []
    threads = [threading.Thread(target=lambda: found.append(sqlite_db.cached("slow", slow_build))) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(calls) == 1 and len({id(value) for value in found}) == 1


def test_the_cache_is_bounded() -> None:
    cache: BoundedCache[int, str] = BoundedCache(max_entries=2)
    for key in range(5):
        cache.get_or_build(key, lambda key=key: str(key))
    assert len(cache) == 2 and cache.get(0) is None and cache.get(4) == "4"
    with pytest.raises(ValueError):
        BoundedCache(max_entries=0)


def test_the_clock_reads_the_environment_only_when_an_entry_point_asks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SILOBRIDGE_NOW", "2026-11-25T07:00")
    assert now().year != 2026 or now() != datetime(2026, 11, 25, 7)  # now() itself ignores the environment
    assert now(fixed_now_from_environment()) == datetime(2026, 11, 25, 7)
    assert fixed_now_from_environment({}) is None
    with pytest.raises(ClockError):
        fixed_now_from_environment({"SILOBRIDGE_NOW": "tomorrow"})
