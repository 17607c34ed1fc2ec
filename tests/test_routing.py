"""Route planning: feasible plans (checked by recomputing, not trusting the solver), reasons for orders
left out, dispatched orders kept on their van, the Solomon benchmark path, and the commit role gate."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.render.routes import render
from core.config import Settings
from core.db import Database
from core.models import Location, OrderLine, Product, RoutePlan, Stock, Vehicle
from tests.conftest import make_settings
from tests.routing_factory import VANS, add_day_of_orders, add_order, make_company
from tools.registry import Role, ToolContext, build_registry
from tools.routes import PlanRoutesResult
from tools.routing.bench import bench_instance
from tools.routing.commit import commit_plan, latest_plan
from tools.routing.plan_models import DayPlan
from tools.routing.planner import arrival_window, parse_workdays, plan_day
from tools.routing.problem import schedule_route
from tools.routing.solomon import read_best_known, read_solomon
from tools.routing.solver import solve
from tools.travel import travel_times

DAY = date(2026, 11, 25)  # a Wednesday
EARLY = datetime(2026, 11, 25, 7, 0)
VRP_DIR = Path(__file__).parent / "fixtures" / "vrp"  # Solomon C101 and its best-known solution (VRPLIB)


@pytest.fixture
def routing_settings(tmp_path: Path) -> Settings:
    """Test settings with the shipped config.yaml travel model (time bands, speeds, harbour delays)."""
    from core.config import load_settings

    shipped = load_settings(environ={})
    return make_settings(tmp_path, travel=shipped.travel, delivery=shipped.delivery,
                         routing=shipped.routing.model_copy(update={"time_limit_s": 1.0}))


@pytest.fixture
def company_db(routing_settings: Settings) -> Database:
    """A fresh database with the small routing company and a day of orders."""
    db = Database(routing_settings.database_url)
    db.create_all()
    make_company(db)
    add_day_of_orders(db, DAY, count=24)
    return db


def _order_lines(db: Database) -> dict[str, OrderLine]:
    with db.session() as session:
        return {line.order_id: line for line in session.scalars(select(OrderLine))}


def _check_plan_independently(db: Database, settings: Settings, plan: DayPlan) -> None:
    """Recompute every route from the database and the travel model: loads, windows, shifts, ETAs."""
    lines = _order_lines(db)
    with db.session() as session:
        vans = {van.vehicle_id: van for van in session.scalars(select(Vehicle))}
        products = {product.sku: product for product in session.scalars(select(Product))}
        depot_area = {location.code: location.area for location in session.scalars(select(Location))}
    by_order: dict[str, list[OrderLine]] = {}
    for line in lines.values():
        by_order.setdefault(line.order_id, []).append(line)
    travel = travel_times(db, settings)
    service = timedelta(minutes=settings.travel.service_time_min)
    for route in plan.routes:
        van = vans[route.vehicle_id]
        order_ids = [o for stop in route.stops for o in stop.order_ids]
        weight = sum(ln.qty * products[ln.sku].weight_kg for o in order_ids for ln in by_order[o])
        volume = sum(ln.qty * products[ln.sku].volume_l for o in order_ids for ln in by_order[o])
        assert weight <= van.capacity_kg + 1e-6 and volume <= van.capacity_l + 1e-6
        assert route.departure >= datetime.combine(plan.plan_date, _clock(van.shift_start))
        clock, here = route.departure, depot_area[van.depot]
        for stop in route.stops:
            line = by_order[stop.order_ids[0]][0]
            arrival = clock + timedelta(minutes=travel.travel_minutes(here, line.area, clock))
            opens = line.window_start or datetime.combine(plan.plan_date, _clock("09:00"))
            closes = line.window_end or datetime.combine(plan.plan_date, _clock("18:00"))
            start = max(arrival, opens, route.departure)
            if line.status == "out_for_delivery":  # stays on its van; lateness must be reported
                late = max((start - closes).total_seconds() / 60, 0)
                assert abs(stop.late_min - late) <= 1.01, f"{line.order_id}: lateness not reported"
            else:
                assert start <= closes + timedelta(seconds=1), f"{line.order_id} served late"
            assert abs((stop.eta - start).total_seconds()) <= 61, f"{line.order_id}: ETA differs from recomputed"
            assert stop.arrival_from <= stop.eta <= stop.arrival_to
            clock, here = start + service, line.area
        back = clock + timedelta(minutes=travel.travel_minutes(here, depot_area[van.depot], clock))
        assert back <= datetime.combine(plan.plan_date, _clock(van.shift_end)) + timedelta(seconds=1)


def _clock(text: str) -> time:
    return datetime.strptime(text, "%H:%M").time()


def test_plan_is_feasible_when_recomputed(company_db: Database, routing_settings: Settings) -> None:
    plan = plan_day(company_db, routing_settings, DAY, EARLY, time_limit_s=1.0, chart=False)
    assert plan.orders_total == 24
    assert plan.orders_planned >= 20  # three vans easily carry this day
    served = [o for route in plan.routes for stop in route.stops for o in stop.order_ids]
    assert len(served) == len(set(served))
    assert set(served) | {u.order_id for u in plan.unserved} == {f"SO-2{i:04d}" for i in range(24)}
    _check_plan_independently(company_db, routing_settings, plan)


def test_morning_harbour_peak_lengthens_the_first_trip(company_db: Database, routing_settings: Settings) -> None:
    travel = travel_times(company_db, routing_settings)
    peak = travel.travel_minutes("CSW", "CEN", datetime(2026, 11, 25, 8, 0))
    offpeak = travel.travel_minutes("CSW", "CEN", datetime(2026, 11, 25, 11, 0))
    assert peak > offpeak + 10  # tunnel queue in the morning peak
    add_order(company_db, "SO-CEN", "CEN", DAY, window=("08:00", "18:00"), location="CSW")
    plan = plan_day(company_db, routing_settings, DAY, EARLY, time_limit_s=1.0, chart=False)
    _check_plan_independently(company_db, routing_settings, plan)  # recomputed with the band of each departure


def test_unmeetable_orders_are_listed_with_their_reason(company_db: Database, routing_settings: Settings) -> None:
    add_order(company_db, "SO-FERRY", "CC", DAY, window=("08:00", "08:20"))  # ferry island at shift start
    add_order(company_db, "SO-RACKS", "KT", DAY, qty=40, sku="RACK-XL")  # 1000 kg: over every van
    add_order(company_db, "SO-NIGHT", "KT", DAY, window=("20:00", "21:00"))  # after every shift
    plan = plan_day(company_db, routing_settings, DAY, EARLY, time_limit_s=1.0, chart=False)
    reasons = {entry.order_id: (entry.reason, entry.detail) for entry in plan.unserved}
    assert reasons["SO-FERRY"] == ("window", "too_far_for_window")
    assert reasons["SO-RACKS"] == ("capacity", "heavier_than_any_van")
    assert reasons["SO-NIGHT"] == ("shift", "window_outside_shifts")
    text = render(PlanRoutesResult(plan=plan), "zh-HK")
    assert "SO-FERRY" in text and "趕唔切" in text and "冇一架車載得落" in text
    assert "outside every driver's shift" in render(PlanRoutesResult(plan=plan), "en")


def test_full_vans_leave_orders_out_as_capacity(routing_settings: Settings) -> None:
    db = Database(routing_settings.database_url)
    db.create_all()
    make_company(db, vans=[VANS[1]])  # one 600 kg van
    for index in range(4):
        add_order(db, f"SO-R{index}", "KT", DAY, qty=10, sku="RACK-XL")  # 250 kg each
    plan = plan_day(db, routing_settings, DAY, EARLY, time_limit_s=0.5, chart=False)
    assert plan.orders_planned == 2
    assert [(u.reason, u.detail) for u in plan.unserved] == [("capacity", "vans_full")] * 2
    assert plan.routes[0].load_kg == pytest.approx(500.0)


def test_replan_keeps_dispatched_orders_on_their_van(company_db: Database, routing_settings: Settings) -> None:
    # Three orders went out on V03 this morning; a fourth was planned on V03 but is still in the hub.
    for order_id, area in (("SO-D1", "KT"), ("SO-D2", "TST"), ("SO-D3", "ST")):
        add_order(company_db, order_id, area, DAY, status="out_for_delivery", vehicle="V03", location="CSW",
                  window=("11:00", "17:00"))
    # And one on V02 for Cheung Chau (ferry) within ten minutes: it cannot be on time but stays on V02.
    add_order(company_db, "SO-D4", "CC", DAY, status="out_for_delivery", vehicle="V02", location="CSW",
              window=("10:40", "10:50"))
    noon = datetime(2026, 11, 25, 10, 30)
    plan = plan_day(company_db, routing_settings, DAY, noon, time_limit_s=1.0, chart=False)
    on_van = {o: route.vehicle_id for route in plan.routes for stop in route.stops for o in stop.order_ids}
    assert all(on_van.get(order_id) == "V03" for order_id in ("SO-D1", "SO-D2", "SO-D3"))
    assert on_van.get("SO-D4") == "V02" and plan.late_orders == ["SO-D4"]
    assert "SO-D4" not in {entry.order_id for entry in plan.unserved}
    assert "[on board, " in render(PlanRoutesResult(plan=plan), "en")
    _check_plan_independently(company_db, routing_settings, plan)
    assert all(stop.eta >= noon for route in plan.routes for stop in route.stops)
    changed = commit_plan(company_db, plan, noon)
    assert changed >= plan.orders_planned
    lines = _order_lines(company_db)
    assert {lines[o].vehicle for o in ("SO-D1", "SO-D2", "SO-D3")} == {"V03"} and lines["SO-D4"].vehicle == "V02"
    assert {lines[o].status for o in ("SO-D1", "SO-D2", "SO-D3")} == {"out_for_delivery"}
    planned_new = [o for o, v in on_van.items() if o.startswith("SO-2")]
    assert planned_new and all(lines[o].status == "allocated" and lines[o].vehicle == on_van[o] for o in planned_new)
    stored = latest_plan(company_db, DAY)
    assert stored is not None and stored.committed and stored.orders_planned == plan.orders_planned


def test_plan_routes_commit_is_for_logistics_only(company_db: Database, routing_settings: Settings) -> None:
    registry = build_registry(["tools.routes"])

    def ctx(role: Role) -> ToolContext:
        return ToolContext(db=company_db, settings=routing_settings, now=EARLY, role=role, lang="zh-HK")

    refused = registry.call("plan_routes", {"commit": True}, ctx(Role.sales))
    assert not refused.ok and "sales" in (refused.error_message("en") or "")
    with company_db.session() as session:
        assert session.scalar(select(RoutePlan)) is None
        assert all(line.vehicle is None for line in session.scalars(select(OrderLine)))
    preview = registry.call("plan_routes", {"date": "2026-11-25"}, ctx(Role.sales))
    assert preview.ok and preview.result.plan.orders_planned > 0 and preview.result.lines_updated == 0
    assert preview.result.plan.chart_path and Path(preview.result.plan.chart_path).read_bytes()[:4] == b"\x89PNG"
    guest = registry.call("plan_routes", {}, ctx(Role.guest))
    assert not guest.ok
    committed = registry.call("plan_routes", {"commit": True}, ctx(Role.logistics))
    assert committed.ok and committed.result.lines_updated == committed.result.plan.orders_planned
    text = render(committed.result, "zh-HK")
    first = next(route for route in committed.result.plan.routes if route.stops)
    assert f"{first.vehicle_id} {first.driver_zh}:{len(first.stops)} 站,載重 " in text
    assert "已寫入" in text
    unknown = registry.call("plan_routes", {"depot": "Mars"}, ctx(Role.logistics))
    assert not unknown.ok and "Mars" in (unknown.error_message("en") or "")
    # after a commit, everyone reading the day's routes sees the committed plan, straight from the store
    stored = registry.call("plan_routes", {}, ctx(Role.sales))
    assert stored.ok and stored.result.from_store and stored.result.plan.committed
    assert [r.vehicle_id for r in stored.result.plan.routes] == [r.vehicle_id for r in committed.result.plan.routes]
    assert "確認咗嘅路線" in render(stored.result, "zh-HK")
    fresh = registry.call("plan_routes", {"replan": True}, ctx(Role.sales))
    assert fresh.ok and not fresh.result.from_store and not fresh.result.plan.committed


def test_sunday_has_no_vans(company_db: Database, routing_settings: Settings) -> None:
    sunday = date(2026, 11, 29)
    add_order(company_db, "SO-SUN", "KT", sunday)
    plan = plan_day(company_db, routing_settings, sunday, EARLY, time_limit_s=0.2, chart=False)
    assert [(u.order_id, u.reason) for u in plan.unserved] == [("SO-SUN", "shift")]
    assert "no_vans_on_duty" in plan.notes


def test_solomon_c101_through_the_same_solver() -> None:
    problem = read_solomon(VRP_DIR / "C101.txt")
    assert len(problem.stops) == 100 and problem.vehicles[0].count == 25
    assert problem.distance[0][1] == 18.6  # sqrt(5^2 + 18^2) = 18.68 truncated to one decimal
    solution = solve(problem, time_limit_s=2.0, seed=1)
    assert not solution.unserved
    for route in solution.routes:  # recompute each route from the instance alone
        again = schedule_route(problem, problem.vehicles[0], [s.stop_id for s in route.stops])
        assert again.feasible, again.violations
    best = read_best_known(VRP_DIR / "C101.sol", problem)
    assert best.distance == pytest.approx(827.3)
    assert 0 <= (solution.distance - best.distance) / best.distance < 0.02


def test_bench_line_reports_gap(tmp_path: Path) -> None:
    result = bench_instance(VRP_DIR / "C101.txt", time_limit=1.0)
    assert result.name == "C101" and result.best_known == pytest.approx(827.3)
    assert "gap" in result.line() and result.gap_pct is not None and result.gap_pct < 3
    broken = tmp_path / "X1.txt"
    broken.write_text("not an instance\n")
    from tools.routing.bench import routes_bench

    lines = routes_bench([broken, tmp_path / "missing.txt"], time_limit=0.1)
    assert "not a Solomon instance" in lines[0] and "not found" in lines[1]


def test_small_helpers() -> None:
    assert parse_workdays("Mon-Sat") == {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat"}
    assert parse_workdays("Mon;Wed;Fri") == {"Mon", "Wed", "Fri"}
    eta = datetime(2026, 11, 25, 15, 40)
    assert arrival_window(eta, None, None) == (datetime(2026, 11, 25, 15), datetime(2026, 11, 25, 17))
    assert arrival_window(datetime(2026, 11, 25, 15, 10), None, None)[0] == datetime(2026, 11, 25, 14)
    assert arrival_window(eta, datetime(2026, 11, 25, 14), datetime(2026, 11, 25, 16)) == (
        datetime(2026, 11, 25, 15), datetime(2026, 11, 25, 16))
    one_hour = arrival_window(datetime(2026, 11, 25, 15, 10), None, None, width_min=60)
    assert one_hour == (datetime(2026, 11, 25, 15), datetime(2026, 11, 25, 16))


def test_demo_day_is_planned_with_dispatched_orders_on_their_vans(demo_db: Database, demo_settings: Settings) -> None:
    from tests.conftest import DEMO_NOW

    settings = demo_settings.model_copy(update={"routing": demo_settings.routing.model_copy(
        update={"time_limit_s": 1.5})})
    plan = plan_day(demo_db, settings, DEMO_NOW.date(), DEMO_NOW, chart=False)
    assert plan.orders_total >= 100 and len(plan.routes) >= 6
    assert plan.orders_planned + len(plan.unserved) == plan.orders_total
    _check_plan_independently(demo_db, settings, plan)
    on_van = {o: route.vehicle_id for route in plan.routes for stop in route.stops for o in stop.order_ids}
    dispatched = {o: line.vehicle for o, line in _order_lines(demo_db).items() if line.status == "out_for_delivery"}
    assert dispatched, "the demo has orders out for delivery"
    due = {o for o in dispatched if o in on_van or o in {entry.order_id for entry in plan.unserved}}
    assert due and all(on_van.get(o) == dispatched[o] for o in due)  # none left out, none moved


def test_cli_functions_print_a_plan_and_bench_lines(company_db: Database, routing_settings: Settings,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    from bot.cli_routes import plan_text, routes_bench_text, routes_plan_text
    from core.clock import fixed_now_from_environment, now

    settings = routing_settings.model_copy(update={"routing": routing_settings.routing.model_copy(
        update={"time_limit_s": 0.3})})
    text = routes_plan_text(settings, company_db, EARLY, day=DAY, commit=True)
    assert text.startswith("Routes for Wed 25 Nov 2026") and "Vans and ETAs written to" in text
    assert "Chart: " in text
    assert all(line.vehicle for line in _order_lines(company_db).values() if line.status == "allocated")
    refused = routes_plan_text(settings, company_db, EARLY, day=DAY, commit=True, role=Role.sales, lang="zh-HK")
    assert "唔好意思" in refused
    assert routes_bench_text([VRP_DIR / "C101.txt"], time_limit=0.3).startswith("C101")
    monkeypatch.setenv("SILOBRIDGE_NOW", "2026-11-25T07:00")
    fixed = now(fixed_now_from_environment())  # what the CLI reads once at its entry point
    assert plan_text(settings, company_db, "2026-11-25", now=fixed).startswith("Routes for Wed 25 Nov 2026")
    assert plan_text(settings, company_db, "2026-11-24", now=fixed).startswith("2026-11-24 is in the past")
    assert plan_text(settings, company_db, "25/11", now=fixed).startswith("Not a date")


def test_commit_on_sqlite_and_postgresql(any_db: Database, routing_settings: Settings) -> None:
    make_company(any_db)
    for index, area in enumerate(("KT", "CEN", "TM")):
        add_order(any_db, f"SO-P{index}", area, DAY)
    plan = plan_day(any_db, routing_settings, DAY, EARLY, time_limit_s=0.3, chart=False)
    assert plan.orders_planned == 3
    assert commit_plan(any_db, plan, EARLY) == 3
    lines = _order_lines(any_db)
    assert all(line.status == "allocated" and line.vehicle and line.eta for line in lines.values())
    stored = latest_plan(any_db, DAY)
    assert stored is not None and {o for r in stored.routes for s in r.stops for o in s.order_ids} == set(lines)


def test_holiday_is_named_with_the_next_delivery_day(company_db: Database, routing_settings: Settings) -> None:
    christmas = date(2026, 12, 25)
    add_order(company_db, "SO-XMAS", "KT", christmas)
    ctx = ToolContext(db=company_db, settings=routing_settings, now=EARLY, role=Role.logistics, lang="zh-HK")
    outcome = build_registry(["tools.routes"]).call("plan_routes", {"date": "2026-12-25"}, ctx)
    assert outcome.ok
    plan = outcome.result.plan
    assert plan.day_off is not None and plan.day_off.next_delivery_day == date(2026, 12, 28)
    assert [(u.order_id, u.first_day) for u in plan.unserved] == [("SO-XMAS", date(2026, 12, 28))]
    text = render(outcome.result, "zh-HK")
    assert "聖誕節(12月25日)冇車出,下一個送貨日係12月28日(星期一)" in text and "冇要送嘅單" not in text
    assert "the next delivery day is Mon 28 Dec" in render(outcome.result, "en")


def test_orders_whose_goods_cannot_arrive_are_not_routed(company_db: Database, routing_settings: Settings) -> None:
    """Goods only in Shenzhen (2-3 working days) or nowhere: listed with the reason and the first day they can go."""
    with company_db.session() as session:
        session.add(Stock(sku="WB-BL-500", location="SZ", on_hand=500, reserved=0, updated_at=EARLY))
    add_order(company_db, "SO-SZ", "KT", DAY, location="SZ", status="allocated")
    plan = plan_day(company_db, routing_settings, DAY, EARLY, time_limit_s=0.5, chart=False)
    entry = next(u for u in plan.unserved if u.order_id == "SO-SZ")
    assert (entry.reason, entry.detail) == ("stock", "crossborder_lead") and entry.first_day == date(2026, 11, 28)
    assert "SO-SZ" not in {o for route in plan.routes for stop in route.stops for o in stop.order_ids}
    assert "first day it can go: Sat 28 Nov" in render(PlanRoutesResult(plan=plan), "en")
