"""Write a plan back: each planned order gets its van and ETA, and the plan is kept for the day."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select

from core.db import Database
from core.models import OrderLine, RoutePlan
from tools.routing.plan_models import DISPATCHED, OPEN_STATUSES, DayPlan, UnservedOrder


def commit_plan(db: Database, plan: DayPlan, now: datetime) -> int:
    """Assign vans and ETAs to the planned orders (`new` becomes `allocated`), take orders the plan
    could not fit off any van they had, and store the plan. Returns the number of order lines changed.

    Orders already out for delivery are never taken off their van.
    """
    assignments: dict[str, tuple[str, datetime]] = {}
    for route in plan.routes:
        for stop in route.stops:
            for order_id in stop.order_ids:
                assignments[order_id] = (route.vehicle_id, stop.eta)
    left_out = {entry.order_id for entry in plan.unserved}
    changed = 0
    with db.session() as session:
        order_ids = sorted(assignments.keys() | left_out)
        lines = session.scalars(select(OrderLine).where(OrderLine.order_id.in_(order_ids))).all() if order_ids else []
        for line in lines:
            if line.status not in (*OPEN_STATUSES, DISPATCHED):
                continue
            if line.order_id in assignments:
                vehicle, eta = assignments[line.order_id]
                if line.status == DISPATCHED and line.vehicle and line.vehicle != vehicle:
                    continue  # never move goods that are already on a van
                line.vehicle, line.eta = vehicle, eta
                if line.status == "new":
                    line.status = "allocated"
                changed += 1
            elif line.status != DISPATCHED and (line.vehicle or line.eta):
                line.vehicle, line.eta = None, None
                changed += 1
        plan.committed = True
        plan.data_version = db.data_version()
        session.add(RoutePlan(plan_date=plan.plan_date, created_at=now, committed=True,
                              plan=plan.model_dump(mode="json")))
    return changed


def latest_plan(db: Database, day: date) -> DayPlan | None:
    """The last committed plan stored for `day`, or None."""
    with db.session() as session:
        row = session.scalars(select(RoutePlan).where(RoutePlan.plan_date == day, RoutePlan.committed.is_(True))
                              .order_by(RoutePlan.id.desc()).limit(1)).first()
        return DayPlan.model_validate(row.plan) if row is not None else None


def current_plan(db: Database, day: date) -> DayPlan | None:
    """The committed plan of `day` the vans are working to: the last one committed, as long as it was made on
    the data loaded now (a later import makes it stale). None when there is no such plan."""
    stored = latest_plan(db, day)
    if stored is None:
        return None
    if stored.data_version is not None:
        return stored if stored.data_version == db.data_version() else None
    last = db.last_import()  # a plan stored before plans carried their data version
    return stored if last is None or stored.created_at >= last.loaded_at else None


def left_out_orders(db: Database, day: date) -> dict[str, UnservedOrder]:
    """The orders the current committed plan of `day` could not serve, by order id (empty without one).

    Read for every order-status question: the plan's id is looked up, its parsed form is cached per plan.
    """
    with db.session() as session:
        plan_id = session.scalar(select(RoutePlan.id).where(RoutePlan.plan_date == day, RoutePlan.committed.is_(True))
                                 .order_by(RoutePlan.id.desc()).limit(1))
    if plan_id is None:
        return {}

    def build(_version: int) -> dict[str, UnservedOrder]:
        plan = current_plan(db, day)
        return {entry.order_id: entry for entry in plan.unserved} if plan is not None else {}

    return db.cached(f"left_out:{day.isoformat()}:{plan_id}", build)
