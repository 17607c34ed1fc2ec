"""`plan_routes`: the day's van routes, per van and driver, with arrival windows and what cannot be served."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, Field

from tools.catalog import load_reference, normalise
from tools.registry import ROUTE_WRITE_ROLES, PermissionDenied, ToolContext, ToolInputError, ToolResult, tool
from tools.routing.commit import commit_plan, current_plan
from tools.routing.plan_models import DayPlan
from tools.routing.planner import plan_day
from tools.sourcing import sourcer_for


class PlanRoutesInput(BaseModel):
    """What to plan: a date (default today), optionally one depot's vans, and whether to assign the orders."""

    date: dt.date | None = Field(default=None, description="Delivery date to plan, YYYY-MM-DD; default today.")
    depot: str | None = Field(default=None, description="Only this depot's vans: a location code or name, e.g. YL.")
    commit: bool = Field(default=False, description="Write vans and ETAs back to the orders (logistics, managers).")
    replan: bool = Field(default=False, description="Plan afresh even when a plan was committed for that day.")


class PlanRoutesResult(ToolResult):
    """The plan of the day and how many order lines were updated when it was committed."""

    plan: DayPlan
    lines_updated: int = 0
    from_store: bool = Field(default=False, description="the plan committed earlier for that day, not a new run")


@tool("plan_routes", input_model=PlanRoutesInput)
def plan_routes(ctx: ToolContext, args: PlanRoutesInput) -> PlanRoutesResult:
    """Plan the delivery routes of a day: for each van and driver the stops in order with arrival windows
    (e.g. 15:00-17:00), load against capacity in kg and litres, total distance and time, and the orders
    that cannot be served in their window with the reason (capacity, window or shift), or not that day because
    their goods cannot be there in time (stock: cross-border lead, supplier arrival, no source) with the first
    day they can go; on a Sunday or holiday, which one and the next delivery day. Any staff may read
    a plan; commit=true writes each order's van and ETA back and is for logistics, managers and admins.
    """
    if args.commit and ctx.role not in ROUTE_WRITE_ROLES:
        raise PermissionDenied("route assignments (committing a plan)", "寫入派車安排(確認路線)", ctx.role)
    day = args.date or ctx.today
    depot = _resolve_depot(ctx, args.depot) if args.depot else None
    last = ctx.db.last_import()
    as_of = last.loaded_at if last else None
    if not (args.commit or args.replan or depot):
        # The plan the vans are working to, when one was committed after the data last changed: the answer
        # everyone sees agrees with the orders' assignments, and it comes in milliseconds, not a solver run.
        stored = current_plan(ctx.db, day)
        if stored is not None:
            return PlanRoutesResult(plan=stored, from_store=True, data_as_of=as_of)
    plan = plan_day(ctx.db, ctx.settings, day, ctx.now, depot=depot, sourcer=sourcer_for(ctx))
    updated = commit_plan(ctx.db, plan, ctx.now) if args.commit else 0
    return PlanRoutesResult(plan=plan, lines_updated=updated, data_as_of=as_of)


def _resolve_depot(ctx: ToolContext, text: str) -> str:
    """A depot location code from its code or name (English or Chinese)."""
    reference = load_reference(ctx.db)
    wanted = normalise(text)
    for location in reference.locations.values():
        if wanted in {normalise(location.code), normalise(location.name_en), normalise(location.name_zh)}:
            return location.code
    codes = sorted(code for code, location in reference.locations.items() if location.area)
    raise ToolInputError(f"No depot called '{text}'. Depots: {', '.join(codes)}.",
                         f"冇一個叫「{text}」嘅倉。可以揀:{'、'.join(codes)}。",
                         code="unknown_depot", suggestions=codes, field_name="depot")
