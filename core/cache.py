"""A small bounded, thread-safe cache: the one in-process cache every per-data-version value lives in.

`Database.cached` (core/db.py) keys it on (name, data version); time-based readers (the Observatory's
warnings) and the SOP index (keyed on the index version) use the same class, so every cache in the
process has a bound and a lock.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class BoundedCache(Generic[K, V]):
    """A least-recently-used mapping of at most `max_entries` values; safe to share between threads.

    `get_or_build` builds a missing value once even when several threads ask for it at the same time
    (one build lock per key), so an expensive copy (the DuckDB analytics tables) is never built twice.
    """

    def __init__(self, max_entries: int) -> None:
        if max_entries < 1:
            raise ValueError("a cache needs room for at least one entry")
        self.max_entries = max_entries
        self._entries: OrderedDict[K, V] = OrderedDict()
        self._lock = threading.Lock()
        self._building: dict[K, threading.Lock] = {}

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, key: K) -> V | None:
        """The value stored under `key` (now the most recently used), or None."""
        with self._lock:
            found = self._entries.get(key)
            if found is not None:
                self._entries.move_to_end(key)
            return found

    def put(self, key: K, value: V) -> None:
        """Store a value, dropping the least recently used entries past the bound."""
        with self._lock:
            self._entries[key] = value
            self._entries.move_to_end(key)
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)

    def get_or_build(self, key: K, build: Callable[[], V]) -> V:
        """The value under `key`, built by `build()` on first use (once, whichever thread asks first)."""
        found = self.get(key)
        if found is not None:
            return found
        with self._lock:
            build_lock = self._building.setdefault(key, threading.Lock())
        with build_lock:
            found = self.get(key)
            if found is None:
                found = build()
                self.put(key, found)
        with self._lock:
            self._building.pop(key, None)
        return found

    def discard(self, matches: Callable[[K], bool]) -> None:
        """Drop every entry whose key `matches`."""
        with self._lock:
            for key in [key for key in self._entries if matches(key)]:
                del self._entries[key]

    def clear(self) -> None:
        """Drop every entry."""
        with self._lock:
            self._entries.clear()
