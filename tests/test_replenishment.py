"""replenishment_plan: transfers from surplus first, purchase orders at or above MOQ, safety stock covered.

The synthetic company (tests/forecast_factory.py) holds most stock at Yuen Long Warehouse (NT),
little at Cheung Sha Wan Transit (Kowloon, which also serves the Island) and some in Shenzhen (2-3
working days). Forecasts use the fast fallback model here (min_history_days is set very high).
"""

from __future__ import annotations

import math
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import update

from bot.render.replenishment import render
from core.config import ForecastConfig, Settings
from core.db import Database
from core.models import Stock
from tests.conftest import make_settings
from tests.forecast_factory import build_company
from tools.calendar import calendar_for
from tools.forecasting import run_batch
from tools.registry import Role, ToolContext, build_registry
from tools.replenishment import ReplenishmentResult

NOW = datetime(2026, 11, 25, 10, 30)  # Wednesday


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> tuple[Settings, Database]:
    settings = make_settings(tmp_path_factory.mktemp("replenish"), forecast=ForecastConfig(min_history_days=10_000))
    db = Database(settings.database_url)
    db.create_all()
    build_company(db, last_day=date(2026, 11, 24), history_days=120, skus=2, new_product_days=None)
    assert run_batch(settings, db, workers=1).fitted == 8
    return settings, db


def plan(world, role: str = "logistics", settings: Settings | None = None, **args):  # type: ignore[no-untyped-def]
    base, db = world
    ctx = ToolContext(db=db, settings=settings or base, now=NOW, role=Role(role), lang="en")
    outcome = build_registry(["tools.replenishment"]).call("replenishment_plan", args, ctx)
    assert outcome.ok, outcome.error_message("en")
    return outcome.result


def covered(result: ReplenishmentResult, sku: str) -> dict[str, tuple[int, int]]:
    """Per location: (units after the plan's transfers and orders arrive, target with safety stock)."""
    after = {n.location.code: n.available for n in result.needs if n.sku == sku}
    for t in (t for t in result.transfers if t.sku == sku):
        after[t.from_location.code] -= t.qty
        after[t.to_location.code] += t.qty
    for order in (o for o in result.purchase_orders if o.sku == sku):
        after[order.deliver_to.code] += order.qty
    targets = {n.location.code: n.target for n in result.needs if n.sku == sku}
    return {code: (after[code], targets[code]) for code in after}


def test_moves_stock_from_a_surplus_location_before_ordering(world) -> None:  # type: ignore[no-untyped-def]
    result = plan(world, products=["WB-BL-500"])
    [transfer] = result.transfers
    assert (transfer.from_location.code, transfer.to_location.code) == ("YLW", "CSW")
    assert result.purchase_orders == []  # Yuen Long's surplus covers it: no order
    need = next(n for n in result.needs if n.location.code == "CSW")
    assert transfer.qty == need.need and need.safety_stock > 0
    assert need.target == math.ceil(need.forecast_demand + need.safety_stock)
    # Local transfer before the cutoff on a working day: today.
    assert transfer.dispatch_day == transfer.earliest_arrival == date(2026, 11, 25)
    # Yuen Long keeps its own target: it only gives away surplus.
    for after, target in covered(result, "WB-BL-500").values():
        assert after >= target


def test_orders_never_below_moq_after_using_all_surplus(world) -> None:  # type: ignore[no-untyped-def]
    _settings, db = world
    with db.session() as session:
        session.execute(update(Stock).where(Stock.sku == "MUG-WH", Stock.location == "YLW")
                        .values(on_hand=150, reserved=0))
        session.execute(update(Stock).where(Stock.sku == "MUG-WH", Stock.location == "SZ").values(on_hand=100))
    result = plan(world, products=["MUG-WH"])
    shenzhen = [t for t in result.transfers if t.from_location.code == "SZ"]
    assert shenzhen and sum(t.qty for t in shenzhen) == 100  # all the surplus moves first
    # Shenzhen is 2-3 working days away: the goods arrive 3 working days after dispatch.
    calendar = calendar_for(world[0])
    assert shenzhen[0].earliest_arrival == calendar.add_working_days(shenzhen[0].dispatch_day, 3)
    [order] = result.purchase_orders
    assert order.moq == 1000 and order.qty >= order.moq and order.qty >= order.need
    assert order.need < order.moq  # the MOQ, not the need, set the quantity
    assert order.order_by >= NOW.date()
    assert order.arrival == order.order_by + timedelta(days=order.lead_days)
    for after, target in covered(result, "MUG-WH").values():
        assert after >= target  # forecast plus safety stock covered everywhere


def test_safety_stock_follows_the_service_level(world) -> None:  # type: ignore[no-untyped-def]
    base, _db = world
    coin_flip = base.model_copy(update={"forecast": base.forecast.model_copy(update={"service_level": 0.5})})
    careful = base.model_copy(update={"forecast": base.forecast.model_copy(update={"service_level": 0.99})})
    low = {n.location.code: n.safety_stock for n in plan(world, settings=coin_flip, products=["WB-BL-500"]).needs}
    normal = {n.location.code: n.safety_stock for n in plan(world, products=["WB-BL-500"]).needs}
    high = {n.location.code: n.safety_stock for n in plan(world, settings=careful, products=["WB-BL-500"]).needs}
    assert low["CSW"] == 0 < normal["CSW"] < high["CSW"]  # z = 0 at 50%


def test_unit_cost_only_for_roles_that_may_see_it(world) -> None:  # type: ignore[no-untyped-def]
    for_sales = plan(world, role="sales", products=["MUG-WH"])
    assert for_sales.purchase_orders and all(o.unit_cost is None and o.total_cost is None
                                             for o in for_sales.purchase_orders)
    assert "$" not in render(for_sales, "en") and "成本" not in render(for_sales, "zh-HK")
    for_manager = plan(world, role="manager", products=["MUG-WH"])
    order = for_manager.purchase_orders[0]
    assert order.unit_cost == 18.0 and order.total_cost == 18.0 * order.qty
    assert f"${order.total_cost:,.0f}" in render(for_manager, "en")


def test_filters_by_location_and_renders_cantonese(world) -> None:  # type: ignore[no-untyped-def]
    result = plan(world, location="長沙灣中轉倉", products=["WB-BL-500"])
    assert {n.location.code for n in result.needs} == {"CSW"}
    text = render(result, "zh-HK")
    assert "由元朗貨倉調撥" in text and "去長沙灣中轉倉" in text and f"{result.transfers[0].qty} 件" in text


def test_empty_store_is_fitted_on_demand(sqlite_db: Database, settings: Settings) -> None:
    build_company(sqlite_db, last_day=date(2026, 11, 24), history_days=30, skus=1, new_product_days=None)
    ctx = ToolContext(db=sqlite_db, settings=settings, now=NOW, role=Role.logistics)
    outcome = build_registry(["tools.replenishment"]).call("replenishment_plan", {}, ctx)
    assert outcome.ok and not outcome.result.unplanned
    assert sum(need.forecast_demand for need in outcome.result.needs) > 0
