"""The weather warnings that matter to deliveries, and the interface a weather reader implements.

The tools only need to know which warnings are in force (`WeatherState`); where that comes from is a
connector's business (`connectors/hko.py` reads the Hong Kong Observatory, live or from a recorded
file). The reader is injected through `ToolContext.weather`; with none connected, only
`weather.source: none` is answered ("no warning"), any other source says that it could not be read.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal, Protocol

from pydantic import BaseModel, Field

from core.config import DeliveryConfig, Settings

Rainstorm = Literal["amber", "red", "black"]
WeatherSourceName = Literal["none", "file", "hko"]


class WeatherState(BaseModel):
    """The warnings in force that matter to deliveries, and where the information came from."""

    typhoon_signal: int | None = None
    typhoon_code: str | None = None
    typhoon_name: str | None = None
    rainstorm: Rainstorm | None = None
    other_warnings: list[str] = Field(default_factory=list)
    issued_at: datetime | None = None
    source: WeatherSourceName = "none"
    # False when the source could not be read: then no warning is assumed and `note` says why.
    known: bool = True
    note: str | None = None

    @property
    def in_force(self) -> bool:
        """True when a typhoon signal or a rainstorm warning is in force."""
        return self.typhoon_signal is not None or self.rainstorm is not None

    def suspension_reasons(self, delivery: DeliveryConfig) -> list[str]:
        """Reason codes (`typhoon`, `black_rain`) for which deliveries are suspended now."""
        reasons: list[str] = []
        if self.typhoon_signal is not None and self.typhoon_signal >= delivery.typhoon_signal_suspends_at:
            reasons.append("typhoon")
        if self.rainstorm == "black" and delivery.black_rain_suspends:
            reasons.append("black_rain")
        return reasons


class WeatherSource(Protocol):
    """Something that says which warnings are in force now (never raises: an unreadable source is "unknown")."""

    def current(self, settings: Settings) -> WeatherState:
        """The warnings in force now according to `settings.weather`."""
        ...


class NoWeatherReader:
    """The reader used when no connector is injected: `weather.source: none` means no warning is in force."""

    def current(self, settings: Settings) -> WeatherState:
        """No warning for `source: none`; for any other source, an "unknown" state that says why."""
        source = settings.weather.source
        if source == "none":
            return WeatherState(source="none")
        return WeatherState(source=source, known=False,
                            note=f"weather.source is {source!r} but no weather reader is connected; no warning assumed")
