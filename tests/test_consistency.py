"""One picture across tools (issue 14): for every open order of two unlike companies, `plan_routes`,
`order_status`, `delivery_eta` and `check_promise` agree on the day (and, where routed, the window) the order
arrives and on whether its promise is at risk.

The companies: the demo company (a copy of the session's demo database, at DEMO_NOW) and the blind
evaluation's company B (`evals/sets/blind1/company_b/data`, loaded read-only from its CSVs, at
2026-12-02 10:30): different locations, depots, cutoffs, cross-border warehouses and order shapes. Today's
plan is committed by logistics first, as the vans would work to it. A planted order whose product is out of
stock everywhere, due today, must be listed as not servable with its reason, never routed.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from core.config import Settings
from core.db import Database
from core.models import Location, OrderLine, Product, Stock
from tests.conftest import DEMO_NOW, make_settings
from tools.registry import Role, ToolContext, ToolRegistry, build_registry
from tools.routing.plan_models import DayPlan, PlannedStop, UnservedOrder

COMPANY_B = Path(__file__).resolve().parents[1] / "evals" / "sets" / "blind1" / "company_b" / "data"
COMPANY_B_NOW = datetime(2026, 12, 2, 10, 30)  # a Wednesday
OPEN = ("new", "allocated", "picked", "out_for_delivery")
PLANTED = "SO-PLANTED-OOS"


@dataclass
class Company:
    """A company loaded for the test, its clock, and today's committed plan."""

    name: str
    db: Database
    settings: Settings
    now: datetime
    registry: ToolRegistry
    open_orders: list[str]
    plan: DayPlan

    def call(self, tool_name: str, args: dict[str, Any]) -> Any:
        """One tool call through the registry, as logistics; it must succeed."""
        ctx = ToolContext(db=self.db, settings=self.settings, now=self.now, role=Role.logistics, lang="en")
        outcome = self.registry.call(tool_name, args, ctx)
        assert outcome.ok, f"{self.name} {tool_name} {args}: {outcome.error_message('en')}"
        return outcome.result


def _plant_out_of_stock_order(db: Database, today: date) -> None:
    """A product held nowhere (zero at every location, no supplier) and an order for it due today."""
    with db.session() as session:
        area = session.scalars(select(OrderLine.area).limit(1)).first()
        codes = list(session.scalars(select(Location.code)))
        session.add(Product(sku="ZZ-OOS-1", name_en="Sold-out kettle", name_zh="賣晒嘅水煲", category="planted",
                            unit_price=100, unit_cost=40, weight_kg=1.0, volume_l=2.0))
        session.flush()
        for code in codes:
            session.add(Stock(sku="ZZ-OOS-1", location=code, on_hand=0, reserved=0,
                              updated_at=datetime.combine(today, time(8, 0))))
        session.add(OrderLine(order_id=PLANTED, line=1, created_at=datetime.combine(today, time(8, 0)),
                              sku="ZZ-OOS-1", qty=2, area=area, status="new",
                              window_start=datetime.combine(today, time(14, 0)),
                              window_end=datetime.combine(today, time(18, 0)),
                              promised_by=datetime.combine(today, time(18, 0))))


def _company(name: str, db: Database, settings: Settings, now: datetime) -> Company:
    _plant_out_of_stock_order(db, now.date())  # before any tool reads (and caches) the reference tables
    settings = settings.model_copy(update={"routing": settings.routing.model_copy(update={"time_limit_s": 1.0})})
    with db.session() as session:
        open_orders = sorted(set(session.scalars(select(OrderLine.order_id).where(OrderLine.status.in_(OPEN)))))
    registry = build_registry(["tools.routes", "tools.orders", "tools.eta", "tools.promise", "tools.stock"])
    company = Company(name, db, settings, now, registry, open_orders, plan=None)  # type: ignore[arg-type]
    company.plan = company.call("plan_routes", {"date": now.date().isoformat(), "commit": True}).plan
    return company


@pytest.fixture(scope="module")
def demo_company(demo_db: Database, tmp_path_factory: pytest.TempPathFactory) -> Company:
    """A private copy of the demo database (the session's one stays read-only)."""
    home = tmp_path_factory.mktemp("consistency-demo")
    target = home / "demo.db"
    source_path = str(demo_db.url).removeprefix("sqlite:///")
    with sqlite3.connect(source_path) as source, sqlite3.connect(target) as copy:
        source.backup(copy)
    settings = make_settings(home, f"sqlite:///{target}")
    return _company("demo", Database(settings.database_url), settings, DEMO_NOW)


@pytest.fixture(scope="module")
def company_b(tmp_path_factory: pytest.TempPathFactory) -> Company:
    """The blind evaluation's second company, loaded from its CSV folder through the real importer."""
    from connectors.importer import load_folder

    home = tmp_path_factory.mktemp("consistency-b")
    settings = make_settings(home)
    db = Database(settings.database_url)
    db.create_all()
    load_folder(db, COMPANY_B, loaded_at=datetime(2026, 12, 2, 10, 0))
    return _company("company_b", db, settings, COMPANY_B_NOW)


def _routed(plan: DayPlan) -> dict[str, PlannedStop]:
    return {order_id: stop for route in plan.routes for stop in route.stops for order_id in stop.order_ids}


def _left_out(plan: DayPlan) -> dict[str, UnservedOrder]:
    return {entry.order_id: entry for entry in plan.unserved}


def _check_company(company: Company) -> None:
    today = company.now.date()
    routed, left_out = _routed(company.plan), _left_out(company.plan)
    assert routed, f"{company.name}: nothing routed today"
    for order_id in company.open_orders:
        status = company.call("order_status", {"order_id": order_id})
        lines = [line for line in status.lines if line.expected_basis in ("planned", "computed")]
        if not lines:
            continue
        last = max(lines, key=lambda line: (line.expected_latest is None, line.expected_latest or date.min))
        day, at_risk = last.expected_latest, any(line.at_risk for line in lines)
        where = f"{company.name} {order_id}"

        eta = company.call("delivery_eta", {"order_id": order_id})
        assert (eta.eta_earliest, eta.eta_latest) == (last.expected_earliest, day), where
        assert eta.at_risk == at_risk, where
        if any(line.promise for line in lines):
            promise = company.call("check_promise", {"order_id": order_id})
            assert promise.can_keep == (not at_risk), where
            assert (promise.eta_earliest, promise.eta_latest) == (last.expected_earliest, day), where

        if order_id in routed:
            stop = routed[order_id]
            assert day == today, f"{where}: routed today but order_status says {day}"
            for line in lines:
                assert line.expected_basis == "planned" and line.planned_eta == stop.eta, where
                assert stop.arrival_from <= line.planned_eta <= stop.arrival_to, where
                assert line.at_risk == bool(line.promise and stop.eta > line.promise), where
        elif order_id in left_out:
            entry = left_out[order_id]
            assert day == entry.first_day, f"{where}: left out until {entry.first_day}, order_status says {day}"
            assert day is None or day > today, where
        else:
            assert day is None or day != today, f"{where}: order_status says today but today's plan lacks it"


def test_tools_agree_on_every_open_order_of_the_demo_company(demo_company: Company) -> None:
    _check_company(demo_company)


def test_tools_agree_on_every_open_order_of_a_second_company(company_b: Company) -> None:
    _check_company(company_b)


@pytest.mark.parametrize("which", ["demo_company", "company_b"])
def test_out_of_stock_order_due_today_is_listed_with_its_reason(which: str, request: pytest.FixtureRequest) -> None:
    company: Company = request.getfixturevalue(which)
    assert PLANTED not in _routed(company.plan)
    entry = _left_out(company.plan)[PLANTED]
    assert (entry.reason, entry.detail, entry.first_day) == ("stock", "no_source", None)
    [line] = company.call("order_status", {"order_id": PLANTED}).lines
    assert line.at_risk and line.expected_latest is None and line.short_qty == 2
    assert not company.call("check_promise", {"order_id": PLANTED}).can_keep


def test_goods_only_across_the_border_are_not_routed_today(company_b: Company) -> None:
    """The reported bug: an order held only in the cross-border warehouse was put on a van with a window today."""
    entry = _left_out(company_b.plan)["PO/2026/00202"]  # 30 gloves allocated at Shenzhen Pinghu, due today
    assert entry.reason == "stock" and entry.detail == "crossborder_lead"
    assert entry.first_day is not None and entry.first_day > COMPANY_B_NOW.date()
    line = company_b.call("order_status", {"order_id": "PO/2026/00202"}).lines[0]
    assert line.expected_latest == entry.first_day and line.at_risk


# --- freshness: the time of the figures in the answer ----------------------------------------------------


def test_freshness_is_the_asked_locations_and_never_a_future_relative_day(demo_company: Company) -> None:
    from bot.render.stock import render
    from bot.render.words import freshness, stamp_words

    every = demo_company.call("stock_lookup", {"product": "WB-BL-500"})
    times = {row.location.code: row.updated_at for row in every.locations}
    hub = demo_company.call("stock_lookup", {"product": "WB-BL-500", "location": "CSW"})
    assert hub.data_as_of == times["CSW"] != min(times.values())  # its own time, not the oldest of all
    assert render(hub, "en").endswith(f"Stock as of {times['CSW']:%H:%M}.")
    # Locations updated far apart: each shown with its own time.
    text = render(every, "zh-HK")
    assert f"長沙灣中轉倉 {times['CSW']:%H:%M}" in text and f"深圳倉 {times['SZ']:%H:%M}" in text
    # A time after the clock's now (the clock fixed before an import) is an absolute date and time.
    now = datetime(2026, 11, 25, 10, 30)
    assert stamp_words(datetime(2026, 11, 26, 0, 22), now.date(), False, now) == "26 Nov 00:22"
    assert freshness(datetime(2026, 11, 26, 0, 22), now.date(), True, now=now) == "庫存更新於 11月26日 00:22。"
    assert stamp_words(datetime(2026, 11, 25, 18, 5), now.date(), False, now) == "25 Nov 18:05"
    assert stamp_words(datetime(2026, 11, 25, 9, 5), now.date(), False, now) == "09:05"


def test_delivery_eta_freshness_is_that_of_the_shipping_location(demo_company: Company) -> None:
    every = demo_company.call("stock_lookup", {"product": "WB-BL-500"})
    times = {row.location.code: row.updated_at for row in every.locations}
    eta = demo_company.call("delivery_eta", {"product": "WB-BL-500", "qty": 100, "area": "KT"})
    assert eta.source_location is not None and eta.source_location.code == "SZ"
    assert eta.data_as_of == times["SZ"]
