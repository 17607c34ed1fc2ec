"""The travel-time model: haversine x road factor at regional band speeds, harbour and ferry delays."""

from __future__ import annotations

from datetime import datetime

import pytest

from core.config import Settings, TravelConfig
from core.db import Database
from core.models import Area, ImportRun, ShippingRate
from tools.catalog import AreaInfo, load_reference
from tools.travel import ModelTravelTimeProvider, haversine_km, travel_minutes, travel_times

# 0.1 degree of latitude = 6371.0088 km x 0.1 x pi / 180 = 11.1195 km; x 1.4 road factor = 15.5673 km.
ROAD_KM = 15.5673
TRAVEL = TravelConfig(
    road_factor=1.4,
    time_bands={"am_peak": ("07:30", "09:30"), "pm_peak": ("17:30", "19:30")},
    speed_kmh={"HKI": {"am_peak": 18, "pm_peak": 17, "offpeak": 25}, "KLN": {"am_peak": 20, "pm_peak": 19,
                                                                               "offpeak": 27},
               "ISL": {"offpeak": 45}},
    harbour_crossing_delay_min={"am_peak": 25, "pm_peak": 30, "offpeak": 8},
    island_ferry_min=45,
    road_linked_islands=["東涌"],
)
NORTH = AreaInfo("N", "North", "北", "d", "KLN", "URBAN", 22.40, 114.17)
SOUTH_KLN = AreaInfo("S", "South", "南", "d", "KLN", "URBAN", 22.30, 114.17)
SOUTH_HKI = AreaInfo("H", "Island", "島", "d", "HKI", "URBAN", 22.30, 114.17)
FERRY_ISLAND = AreaInfo("CC", "Cheung Chau", "長洲", "Islands", "ISL", "REMOTE", 22.30, 114.17)
ROAD_ISLAND = AreaInfo("TC", "Tung Chung", "東涌", "Islands", "ISL", "REMOTE", 22.30, 114.17)
OFFPEAK = datetime(2026, 11, 25, 11, 0)
AM_PEAK = datetime(2026, 11, 25, 8, 0)


@pytest.fixture(scope="module")
def model() -> ModelTravelTimeProvider:
    return ModelTravelTimeProvider(TRAVEL)


def test_haversine() -> None:
    assert haversine_km(22.30, 114.17, 22.40, 114.17) == pytest.approx(11.1195, abs=1e-3)


def test_same_side_offpeak_and_peak(model: ModelTravelTimeProvider) -> None:
    offpeak = model.estimate(SOUTH_KLN, NORTH, OFFPEAK)
    assert offpeak.km == pytest.approx(ROAD_KM, abs=1e-3)
    assert offpeak.minutes == pytest.approx(ROAD_KM / 27 * 60, abs=0.01)  # 34.59
    assert not offpeak.harbour_crossing and offpeak.band == "offpeak"
    assert model.estimate(SOUTH_KLN, NORTH, AM_PEAK).minutes == pytest.approx(ROAD_KM / 20 * 60, abs=0.01)


def test_harbour_crossing_delay_by_band(model: ModelTravelTimeProvider) -> None:
    peak = model.estimate(SOUTH_HKI, NORTH, AM_PEAK)
    assert peak.harbour_crossing
    assert peak.minutes == pytest.approx(ROAD_KM / 19 * 60 + 25, abs=0.01)  # mean of 18 and 20 km/h: 74.16
    offpeak = model.estimate(SOUTH_HKI, NORTH, OFFPEAK)
    assert offpeak.minutes == pytest.approx(ROAD_KM / 26 * 60 + 8, abs=0.01)  # 43.92
    assert model.estimate(SOUTH_HKI, NORTH, datetime(2026, 11, 25, 19, 29)).band == "pm_peak"
    assert model.estimate(SOUTH_HKI, NORTH, datetime(2026, 11, 25, 19, 30)).band == "offpeak"


def test_island_ferry_only_without_road_link(model: ModelTravelTimeProvider) -> None:
    speed = (45 + 27) / 2
    ferry = model.estimate(FERRY_ISLAND, NORTH, OFFPEAK)
    assert ferry.ferry_ends == 1 and ferry.minutes == pytest.approx(ROAD_KM / speed * 60 + 45, abs=0.01)
    road = model.estimate(ROAD_ISLAND, NORTH, OFFPEAK)
    assert road.ferry_ends == 0 and road.minutes == pytest.approx(ROAD_KM / speed * 60, abs=0.01)


def test_same_area_is_zero(model: ModelTravelTimeProvider) -> None:
    assert model.estimate(NORTH, NORTH, AM_PEAK).minutes == 0


def _areas(db: Database) -> None:
    with db.session() as session:
        session.add(ShippingRate(zone="URBAN", base_fee=50, per_kg=2))
        session.flush()
        session.add_all([Area(code=a.code, name_en=a.name_en, name_zh=a.name_zh, district=a.district,
                              region=a.region, zone="URBAN", lat=a.lat, lon=a.lon, aliases="")
                         for a in (NORTH, SOUTH_KLN, SOUTH_HKI)])


def test_matrix_and_cache_per_data_version(sqlite_db: Database) -> None:
    _areas(sqlite_db)
    settings = Settings(env={}, travel=TRAVEL)
    times = travel_times(sqlite_db, settings)
    matrix = times.matrix(["N", "S", "H"], AM_PEAK)
    assert matrix.band == "am_peak"
    assert [row[i] for i, row in enumerate(matrix.minutes)] == [0, 0, 0]
    assert matrix.minutes[0][1] == matrix.minutes[1][0] == pytest.approx(ROAD_KM / 20 * 60, abs=0.01)
    assert matrix.minutes[0][2] > matrix.minutes[0][1]  # the harbour crossing
    assert travel_minutes(sqlite_db, settings, "S", "N", OFFPEAK) == pytest.approx(ROAD_KM / 27 * 60, abs=0.01)
    assert travel_times(sqlite_db, settings) is times  # cached for this database and data version
    with sqlite_db.session() as session:
        session.add(ImportRun(loaded_at=OFFPEAK, source="test", row_counts={}, seconds=0.1))
    sqlite_db.forget_data_version()  # as the importer does (another worker would see it within a second)
    assert load_reference(sqlite_db).version == 1
    assert travel_times(sqlite_db, settings) is not times
