"""Hong Kong Observatory warning summary: recorded payloads, the file source and the live source."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import httpx
import pytest

from connectors.hko import WeatherService, WeatherSourceError, parse_warnsum
from core.config import DeliveryConfig, Settings, WeatherConfig

FIXTURES = Path(__file__).parent / "fixtures" / "hko"


def _payload(name: str) -> dict:
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


def test_signal_8_recorded_payload() -> None:
    state = parse_warnsum(_payload("warnsum_tc8.json"))
    assert state.typhoon_signal == 8 and state.typhoon_code == "TC8SE"
    assert state.typhoon_name == "No. 8 Southeast Gale or Storm Signal"
    assert state.issued_at == datetime(2025, 9, 7, 21, 20)
    assert state.other_warnings == ["Thunderstorm Warning"]
    assert state.suspension_reasons(DeliveryConfig()) == ["typhoon"]


def test_black_rainstorm_suspends() -> None:
    state = parse_warnsum(_payload("warnsum_black_rain.json"))
    assert state.rainstorm == "black" and state.typhoon_signal is None
    assert state.suspension_reasons(DeliveryConfig()) == ["black_rain"]
    assert state.suspension_reasons(DeliveryConfig(black_rain_suspends=False)) == []


def test_signal_3_and_cancelled_rain_do_not_suspend() -> None:
    state = parse_warnsum(_payload("warnsum_tc3_rain_cancelled.json"))
    assert state.typhoon_signal == 3 and state.rainstorm is None  # the amber warning was cancelled
    assert state.suspension_reasons(DeliveryConfig()) == []


def test_empty_summary_means_no_warning() -> None:
    state = parse_warnsum(_payload("warnsum_none.json"))
    assert not state.in_force and state.known


def test_not_an_object_is_rejected() -> None:
    with pytest.raises(WeatherSourceError):
        parse_warnsum(["WTCSGNL"])


def _settings(**weather: object) -> Settings:
    return Settings(env={}, weather=WeatherConfig(**weather))


def test_file_source_and_missing_file() -> None:
    service = WeatherService()
    assert service.current(_settings(source="file", file=str(FIXTURES / "warnsum_tc8.json"))).typhoon_signal == 8
    missing = service.current(_settings(source="file", file=str(FIXTURES / "nope.json")))
    assert not missing.known and not missing.in_force and missing.note
    assert service.current(_settings(source="none")).source == "none"


def test_live_source_parses_and_caches() -> None:
    calls: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(request)
        return httpx.Response(200, json=_payload("warnsum_black_rain.json"))

    service = WeatherService(client=httpx.Client(transport=httpx.MockTransport(handler)))
    settings = _settings(source="hko", hko_url="https://hko.test/weather.php", cache_s=300)
    assert service.current(settings).rainstorm == "black"
    assert service.current(settings).rainstorm == "black"
    assert len(calls) == 1 and calls[0].url.params["dataType"] == "warnsum"


@pytest.mark.parametrize("response", [httpx.Response(503), httpx.Response(200, text="<html>oops</html>")])
def test_live_source_failure_is_unknown_not_a_crash(response: httpx.Response) -> None:
    service = WeatherService(client=httpx.Client(transport=httpx.MockTransport(lambda request: response)))
    state = service.current(_settings(source="hko", hko_url="https://hko.test/weather.php"))
    assert not state.known and not state.in_force and "could not be read" in (state.note or "")


def test_live_source_timeout_is_unknown_and_not_retried_at_once() -> None:
    calls: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(request)
        raise httpx.ConnectTimeout("timed out", request=request)

    service = WeatherService(client=httpx.Client(transport=httpx.MockTransport(handler)))
    settings = _settings(source="hko", hko_url="https://hko.test/weather.php")
    assert not service.current(settings).known
    assert not service.current(settings).known
    assert len(calls) == 1  # the failure is remembered for a short while
