"""Hong Kong Observatory weather warnings (open data `weather.php?dataType=warnsum`).

The warning summary is a JSON object keyed by warning type; `{}` means no warning is in force:

    {"WTCSGNL": {"name": "Tropical Cyclone Warning Signal", "code": "TC8SE", "actionCode": "ISSUE",
                 "type": "No. 8 Southeast Gale or Storm Signal", "issueTime": "2025-09-07T21:20:00+08:00", ...},
     "WRAIN": {"name": "Rainstorm Warning Signal", "code": "WRAINB", "actionCode": "ISSUE", ...}}

Typhoon signal codes are `TC1`, `TC3`, `TC8NE|NW|SE|SW`, `TC9`, `TC10`; rainstorm codes `WRAINA`
(amber), `WRAINR` (red), `WRAINB` (black). An entry whose `actionCode` is `CANCEL` is no longer in force.

`settings.weather.source` chooses where the state comes from: `none` (no warning), `file` (a
recorded warnsum JSON, for offline use and tests) or `hko` (the live API over HTTP). A failed fetch
never raises: the state is "unknown", treated as no warning, with a note saying so.
"""

from __future__ import annotations

import json
import logging
import re
import time
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx

from core.cache import BoundedCache
from core.clock import to_local
from core.config import Settings
from tools.weather import Rainstorm, WeatherSourceName, WeatherState

log = logging.getLogger(__name__)

_RAIN_COLOURS: dict[str, Rainstorm] = {"WRAINA": "amber", "WRAINR": "red", "WRAINB": "black"}
_SIGNAL = re.compile(r"^TC(\d+)")
_RETRY_AFTER_FAILURE_S = 30.0
# A reader caches one answer per (source, location): a handful at most.
_CACHE_ENTRIES = 8


class WeatherSourceError(Exception):
    """A warnsum payload that is not in the expected format."""


def _issued(entry: dict[str, Any]) -> datetime | None:
    for key in ("issueTime", "updateTime"):
        value = entry.get(key)
        if isinstance(value, str) and value:
            try:
                return to_local(datetime.fromisoformat(value))
            except ValueError:
                continue
    return None


def parse_warnsum(payload: Any, source: WeatherSourceName = "hko") -> WeatherState:
    """The state described by one warnsum payload (`{}` = no warning in force)."""
    if not isinstance(payload, dict):
        raise WeatherSourceError("the warning summary is not a JSON object")
    state = WeatherState(source=source)
    issued: list[datetime] = []
    for key, entry in payload.items():
        if not isinstance(entry, dict):
            continue
        if str(entry.get("actionCode", "")).upper() == "CANCEL":
            continue
        code = str(entry.get("code") or key)
        when = _issued(entry)
        if key == "WTCSGNL" or code.startswith("TC"):
            match = _SIGNAL.match(code)
            if match:
                state.typhoon_signal = int(match.group(1))
                state.typhoon_code = code
                state.typhoon_name = entry.get("type") or entry.get("name")
                if when:
                    issued.append(when)
            continue
        if key == "WRAIN" or code in _RAIN_COLOURS:
            colour = _RAIN_COLOURS.get(code)
            if colour:
                state.rainstorm = colour
                if when:
                    issued.append(when)
            continue
        state.other_warnings.append(str(entry.get("name") or code))
    state.issued_at = max(issued) if issued else None
    return state


class WeatherService:
    """The Observatory as a `tools.weather.WeatherSource`: reads the configured source, caching live answers
    for `weather.cache_s` seconds (time-based, bounded). The entry point builds one per process and injects
    it through `ToolContext.weather`."""

    def __init__(self, client: httpx.Client | None = None) -> None:
        self._client = client
        self._cached: BoundedCache[tuple[str, str], tuple[float, WeatherState]] = BoundedCache(_CACHE_ENTRIES)

    def current(self, settings: Settings) -> WeatherState:
        """The warnings in force now according to `settings.weather`."""
        weather = settings.weather
        if weather.source == "none":
            return WeatherState(source="none")
        if weather.source == "file":
            return self._from_file(weather.file)
        return self._from_hko(weather.hko_url, weather.timeout_s, weather.cache_s)

    def _from_file(self, file: str | None) -> WeatherState:
        if not file:
            return WeatherState(source="file", known=False, note="weather.source is 'file' but weather.file is empty")
        path = Path(file)
        try:
            stamp = path.stat().st_mtime_ns
            key = ("file", str(path))
            hit = self._cached.get(key)
            if hit and hit[0] == stamp:
                return hit[1]
            state = parse_warnsum(json.loads(path.read_text(encoding="utf-8")), source="file")
        except (OSError, ValueError, WeatherSourceError) as exc:
            log.warning("weather file %s unreadable: %s", path, type(exc).__name__)
            return WeatherState(source="file", known=False, note=f"weather file unreadable ({type(exc).__name__})")
        self._cached.put(key, (stamp, state))
        return state

    def _from_hko(self, url: str, timeout_s: float, cache_s: float) -> WeatherState:
        key = ("hko", url)
        hit = self._cached.get(key)
        if hit and time.monotonic() - hit[0] < cache_s:
            return hit[1]
        try:
            params = {"dataType": "warnsum", "lang": "en"}
            if self._client is not None:
                response = self._client.get(url, params=params, timeout=timeout_s)
            else:
                response = httpx.get(url, params=params, timeout=timeout_s)
            response.raise_for_status()
            state = parse_warnsum(response.json(), source="hko")
        except (httpx.HTTPError, ValueError, WeatherSourceError) as exc:
            log.warning("HKO warnings unavailable: %s", type(exc).__name__)
            state = WeatherState(source="hko", known=False,
                                 note="Hong Kong Observatory warnings could not be read; no warning assumed")
            # Remember the failure briefly so that questions do not each wait for the timeout.
            self._cached.put(key, (time.monotonic() - max(cache_s - _RETRY_AFTER_FAILURE_S, 0.0), state))
            return state
        self._cached.put(key, (time.monotonic(), state))
        return state
