"""Travel time between delivery areas, behind a small provider interface.

The built-in model (product.md, "Rules"): road distance = straight-line (haversine) distance between
the areas' representative points x `travel.road_factor`; time = distance / the road speed of the two
regions in the departure's time band (their mean), plus a harbour-crossing delay for that band when
one end is on Hong Kong Island (region `HKI`) and the other is not, plus `island_ferry_min` for each
end on an outlying island without a road link (region `ISL`, except the areas listed in
`travel.road_linked_islands`, e.g. Tung Chung, reached over the Tsing Ma bridge).

A live traffic feed can replace the model by implementing `TravelTimeProvider`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import datetime, time
from typing import Protocol

from pydantic import BaseModel

from core.config import Settings, TravelConfig
from core.db import Database
from tools.calendar import parse_clock
from tools.catalog import AreaInfo, Reference, load_reference, normalise

EARTH_RADIUS_KM = 6371.0088
OFFPEAK = "offpeak"
_DEFAULT_SPEED_KMH = 30.0


class TravelEstimate(BaseModel):
    """One trip between two areas: road kilometres, minutes, and what the minutes include."""

    from_area: str
    to_area: str
    km: float
    minutes: float
    band: str
    harbour_crossing: bool
    ferry_ends: int


class TravelMatrix(BaseModel):
    """Minutes and kilometres between every pair of the listed areas, for one departure band."""

    area_codes: list[str]
    band: str
    minutes: list[list[float]]
    km: list[list[float]]


class TravelTimeProvider(Protocol):
    """Anything that can estimate a trip between two areas at a departure time."""

    def estimate(self, origin: AreaInfo, destination: AreaInfo, depart_at: datetime) -> TravelEstimate:
        """Kilometres and minutes from `origin` to `destination` leaving at `depart_at`."""
        ...


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    d_phi = phi2 - phi1
    d_lambda = math.radians(lon2 - lon1)
    a = math.sin(d_phi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(d_lambda / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


class ModelTravelTimeProvider:
    """The configured model: distance x road factor at a regional speed, plus harbour and ferry delays."""

    def __init__(self, travel: TravelConfig) -> None:
        self.config = travel
        self._bands: list[tuple[str, time, time]] = [
            (name, parse_clock(start), parse_clock(end)) for name, (start, end) in travel.time_bands.items()
        ]
        self._road_linked = {normalise(name) for name in travel.road_linked_islands}

    def band_of(self, moment: datetime | time) -> str:
        """The time band (`am_peak`, `pm_peak`, ...) a departure falls in; `offpeak` outside them."""
        clock = moment.time() if isinstance(moment, datetime) else moment
        for name, start, end in self._bands:
            if start <= clock < end:
                return name
        return OFFPEAK

    def speed_kmh(self, region: str, band: str) -> float:
        """Road speed for a region in a band (the region's off-peak speed, else a default, when unset)."""
        speeds = self.config.speed_kmh.get(region) or {}
        return float(speeds.get(band) or speeds.get(OFFPEAK) or _DEFAULT_SPEED_KMH)

    def needs_ferry(self, area: AreaInfo) -> bool:
        """An outlying-island area without a road link."""
        if area.region != "ISL":
            return False
        names = {normalise(text) for text in (area.code, area.name_en, area.name_zh, *area.aliases)}
        return not (names & self._road_linked)

    def estimate_band(self, origin: AreaInfo, destination: AreaInfo, band: str) -> TravelEstimate:
        """The trip estimate for a departure in `band`."""
        if origin.code == destination.code:
            return TravelEstimate(from_area=origin.code, to_area=destination.code, km=0.0, minutes=0.0, band=band,
                                  harbour_crossing=False, ferry_ends=0)
        km = haversine_km(origin.lat, origin.lon, destination.lat, destination.lon) * self.config.road_factor
        speed = (self.speed_kmh(origin.region, band) + self.speed_kmh(destination.region, band)) / 2
        minutes = km / speed * 60.0
        crossing = (origin.region == "HKI") != (destination.region == "HKI")
        if crossing:
            delays = self.config.harbour_crossing_delay_min
            minutes += float(delays.get(band, delays.get(OFFPEAK, 0.0)))
        ferry_ends = int(self.needs_ferry(origin)) + int(self.needs_ferry(destination))
        minutes += ferry_ends * self.config.island_ferry_min
        return TravelEstimate(from_area=origin.code, to_area=destination.code, km=round(km, 3),
                              minutes=round(minutes, 2), band=band, harbour_crossing=crossing, ferry_ends=ferry_ends)

    def estimate(self, origin: AreaInfo, destination: AreaInfo, depart_at: datetime) -> TravelEstimate:
        """Kilometres and minutes from `origin` to `destination` leaving at `depart_at`."""
        return self.estimate_band(origin, destination, self.band_of(depart_at))


class TravelTimes:
    """Travel times between the areas of one database and data version (what routing and ETA use)."""

    def __init__(self, reference: Reference, provider: ModelTravelTimeProvider) -> None:
        self.reference = reference
        self.provider = provider
        self._pairs: dict[tuple[str, str, str], TravelEstimate] = {}

    def area(self, code: str) -> AreaInfo:
        """The area with this code (KeyError when unknown)."""
        return self.reference.areas[code]

    def estimate(self, from_area: str, to_area: str, depart_at: datetime) -> TravelEstimate:
        """The trip between two area codes leaving at `depart_at` (cached per band)."""
        band = self.provider.band_of(depart_at)
        key = (from_area, to_area, band)
        found = self._pairs.get(key)
        if found is None:
            found = self.provider.estimate_band(self.area(from_area), self.area(to_area), band)
            self._pairs[key] = found
        return found

    def travel_minutes(self, from_area: str, to_area: str, depart_at: datetime) -> float:
        """Minutes from one area to another leaving at `depart_at`."""
        return self.estimate(from_area, to_area, depart_at).minutes

    def travel_km(self, from_area: str, to_area: str) -> float:
        """Road kilometres between two areas (independent of the time of day)."""
        return self.provider.estimate_band(self.area(from_area), self.area(to_area), OFFPEAK).km

    def matrix(self, area_codes: Sequence[str], depart_at: datetime) -> TravelMatrix:
        """Minutes and kilometres between every ordered pair of `area_codes` for `depart_at`'s band."""
        codes = list(area_codes)
        estimates = [[self.estimate(a, b, depart_at) for b in codes] for a in codes]
        return TravelMatrix(area_codes=codes, band=self.provider.band_of(depart_at),
                            minutes=[[e.minutes for e in row] for row in estimates],
                            km=[[e.km for e in row] for row in estimates])


def travel_times(db: Database, settings: Settings, reference: Reference | None = None) -> TravelTimes:
    """Travel times over `db`'s areas with the configured model (areas cached per data version)."""
    reference = reference or load_reference(db)
    config = settings.travel
    # One per travel model: settings built with a different model (a test, a benchmark) get their own.
    name = f"travel_times:{config.model_dump_json()}"
    return db.cached(name, lambda _version: TravelTimes(reference, ModelTravelTimeProvider(config)),
                     version=reference.version)


def travel_minutes(db: Database, settings: Settings, from_area: str, to_area: str, depart_at: datetime) -> float:
    """Minutes from one area code to another leaving at `depart_at`."""
    return travel_times(db, settings).travel_minutes(from_area, to_area, depart_at)
