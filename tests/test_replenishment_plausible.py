"""Plausible replenishment (issue 14): a store's demand is its own sales, and no location is asked to receive
more than `forecast.replenishment_max_cover_days` days of its own demand — on the demo company and on the
blind evaluation's company B (loaded read-only from its CSVs). Forecasts are fitted on demand by the tool
(fast fallback models: `min_history_days` set very high)."""

from __future__ import annotations

import math
import sqlite3
from collections import defaultdict
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from core.config import ForecastConfig, Settings
from core.db import Database
from core.models import Location, Sale
from tests.conftest import DEMO_NOW, make_settings
from tools.registry import Role, ToolContext, build_registry
from tools.replenishment import ReplenishmentResult

COMPANY_B = Path(__file__).resolve().parents[1] / "evals" / "sets" / "blind1" / "company_b" / "data"
COMPANY_B_NOW = datetime(2026, 12, 2, 10, 30)
CAP_DAYS = 21  # tighter than the shipped default, so the cap is exercised


def _settings(home: Path, url: str | None = None) -> Settings:
    return make_settings(home, url, forecast=ForecastConfig(min_history_days=10_000,
                                                            replenishment_max_cover_days=CAP_DAYS))


def _plan(db: Database, settings: Settings, now: datetime) -> ReplenishmentResult:
    ctx = ToolContext(db=db, settings=settings, now=now, role=Role.logistics, lang="en")
    outcome = build_registry(["tools.replenishment"]).call("replenishment_plan", {}, ctx)
    assert outcome.ok, outcome.error_message("en")
    assert isinstance(outcome.result, ReplenishmentResult)
    return outcome.result


@pytest.fixture(scope="module")
def demo_plan(demo_db: Database, tmp_path_factory: pytest.TempPathFactory) -> tuple[Database, ReplenishmentResult]:
    home = tmp_path_factory.mktemp("plausible-demo")
    target = home / "demo.db"
    with sqlite3.connect(str(demo_db.url).removeprefix("sqlite:///")) as source, sqlite3.connect(target) as copy:
        source.backup(copy)  # forecasts fitted on demand are stored: never in the shared demo database
    settings = _settings(home, f"sqlite:///{target}")
    db = Database(settings.database_url)
    return db, _plan(db, settings, DEMO_NOW)


@pytest.fixture(scope="module")
def company_b_plan(tmp_path_factory: pytest.TempPathFactory) -> tuple[Database, ReplenishmentResult]:
    from connectors.importer import load_folder

    settings = _settings(tmp_path_factory.mktemp("plausible-b"))
    db = Database(settings.database_url)
    db.create_all()
    load_folder(db, COMPANY_B, loaded_at=datetime(2026, 12, 2, 10, 0))
    return db, _plan(db, settings, COMPANY_B_NOW)


def _received(result: ReplenishmentResult) -> dict[tuple[str, str], int]:
    """Units each location is asked to receive per product: transfers in, and at a purchase order's delivery
    location the order's need less what moves on (an MOQ top-up is the supplier's minimum, not a need)."""
    received: dict[tuple[str, str], int] = defaultdict(int)
    for transfer in result.transfers:
        received[(transfer.sku, transfer.to_location.code)] += transfer.qty
    for order in result.purchase_orders:
        onward = sum(t.qty for t in result.transfers
                     if t.sku == order.sku and t.after_purchase_order and t.from_location.code == order.deliver_to.code)
        received[(order.sku, order.deliver_to.code)] += order.need - onward
    return received


def _check_caps(result: ReplenishmentResult) -> None:
    needs = {(need.sku, need.location.code): need for need in result.needs}
    assert result.transfers or result.purchase_orders, "nothing planned at all"
    for need in result.needs:
        assert need.max_target <= math.ceil(CAP_DAYS * need.daily_demand) + 1, need
        assert need.target <= need.max_target, need
    for key, qty in _received(result).items():
        need = needs[key]
        assert qty <= max(need.max_target - need.available, 0), f"{key}: asked to receive {qty}, cap {need}"
        assert qty <= math.ceil(CAP_DAYS * need.daily_demand) + 1, key


def _stores_cover_their_own_sales(db: Database, result: ReplenishmentResult, today: date) -> None:
    """Each store's forecast demand is of the order of its own recent store sales, not a share of its region."""
    with db.session() as session:
        stores = {code: area for code, area in session.execute(select(Location.code, Location.area)
                                                                .where(Location.kind == "store"))}
        start = today - timedelta(days=56)
        for code, area in stores.items():
            sold = session.scalar(select(func.sum(Sale.qty)).where(Sale.area == area, Sale.channel == "store",
                                                                  Sale.date >= start, Sale.date < today)) or 0
            demand = sum(need.daily_demand for need in result.needs if need.location.code == code)
            assert demand <= 2 * sold / 56 + 1, f"{code}: {demand:.1f}/day against {sold / 56:.1f}/day sold"
    assert stores, "the company has a store"


def test_demo_company_plan_respects_the_cap(demo_plan: tuple[Database, ReplenishmentResult]) -> None:
    db, result = demo_plan
    _check_caps(result)
    _stores_cover_their_own_sales(db, result, DEMO_NOW.date())


def test_second_company_plan_respects_the_cap(company_b_plan: tuple[Database, ReplenishmentResult]) -> None:
    db, result = company_b_plan
    _check_caps(result)
    _stores_cover_their_own_sales(db, result, COMPANY_B_NOW.date())
