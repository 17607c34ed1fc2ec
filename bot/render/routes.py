"""Render a `plan_routes` result as chat text in Cantonese or English (plus the route picture)."""

from __future__ import annotations

from pathlib import Path

from bot.messages import Attachment, Lang
from bot.render.words import date_zh, dated_freshness, hhmm, weekday_date_zh
from tools.routes import PlanRoutesResult
from tools.routing.plan_models import DayPlan, PlannedRoute, PlannedStop, UnservedOrder

# Why an order is left out, in words, by (reason, detail); the reason alone is the fallback.
_REASON_EN = {
    ("capacity", "heavier_than_any_van"): "too heavy or bulky for any van",
    ("capacity", "vans_full"): "no room left on the vans (load or time) in its window",
    ("window", "too_far_for_window"): "its window cannot be met even driving straight from the depot",
    ("window", "window_passed"): "its delivery window has already passed",
    ("shift", "window_outside_shifts"): "its window is outside every driver's shift",
    ("shift", "cannot_return_before_shift_end"): "the van could not get back before the shift ends",
    ("shift", "no_vehicle_on_duty"): "no van is on duty for it that day",
    ("capacity", ""): "no room on the vans",
    ("window", ""): "its window cannot be met",
    ("shift", ""): "outside the drivers' shifts",
    ("stock", "crossborder_lead"): "its goods come from across the border and are not in Hong Kong yet",
    ("stock", "supplier_arrival"): "its goods are waiting for a supplier delivery",
    ("stock", "split"): "no single location has all its goods; the rest arrive later",
    ("stock", "after_cutoff"): "its goods cannot leave the warehouse before the cutoff",
    ("stock", "typhoon"): "deliveries are suspended (typhoon signal)",
    ("stock", "black_rain"): "deliveries are suspended (black rainstorm)",
    ("stock", "no_source"): "out of stock everywhere, with no supplier delivery to wait for",
    ("stock", ""): "its goods cannot be at a depot that day",
}
_REASON_ZH = {
    ("capacity", "heavier_than_any_van"): "太重或者太大,冇一架車載得落",
    ("capacity", "vans_full"): "喺佢個時段入面啲車已經滿晒(載重或者時間)",
    ("window", "too_far_for_window"): "由倉直送都趕唔切佢個送貨時段",
    ("window", "window_passed"): "送貨時段已經過咗",
    ("shift", "window_outside_shifts"): "送貨時段唔喺任何司機當更時間內",
    ("shift", "cannot_return_before_shift_end"): "送完趕唔切喺收工前返倉",
    ("shift", "no_vehicle_on_duty"): "嗰日冇車當更可以送",
    ("capacity", ""): "車上冇位",
    ("window", ""): "趕唔切送貨時段",
    ("shift", ""): "唔喺司機當更時間內",
    ("stock", "crossborder_lead"): "啲貨喺境外倉,仲未到香港",
    ("stock", "supplier_arrival"): "要等供應商到貨",
    ("stock", "split"): "冇一個倉有齊貨,其餘要遲啲先到",
    ("stock", "after_cutoff"): "已過截單時間,啲貨嗰日出唔到倉",
    ("stock", "typhoon"): "風球生效,暫停送貨",
    ("stock", "black_rain"): "黑雨生效,暫停送貨",
    ("stock", "no_source"): "邊度都冇貨,亦冇供應商到貨可以等",
    ("stock", ""): "嗰日啲貨到唔到倉",
}


def render(result: PlanRoutesResult, lang: Lang = "zh-HK") -> str:
    """The plan as text: a summary, one block per van (stops in order with arrival windows), the orders left out."""
    plan = result.plan
    zh = lang == "zh-HK"
    lines: list[str] = []
    day = weekday_date_zh(plan.plan_date) if zh else plan.plan_date.strftime("%a %d %b %Y")
    depot = f"({plan.depot})" if plan.depot else ""
    if plan.day_off is not None:
        lines.append(_day_off_line(plan, zh))
    if not plan.routes and not plan.unserved:
        if not lines:
            lines.append(f"{day}{depot}冇要送嘅單。" if zh else f"No deliveries to plan for {day}{depot}.")
        return "\n".join(lines) + _freshness(result, zh)
    if plan.day_off is not None:
        lines.append("")
        lines.append(f"排唔到嘅單({len(plan.unserved)} 張):" if zh else f"Cannot be served ({len(plan.unserved)}):")
        lines.extend(_unserved_line(entry, zh) for entry in plan.unserved)
        return "\n".join(lines) + _freshness(result, zh)
    hours, minutes = divmod(int(round(plan.total_duration_min)), 60)
    if zh:
        lines.append(f"{day}{depot}路線:用 {plan.vans_used} 架車,排咗 {plan.orders_planned}/{plan.orders_total} 張單,"
                     f"總路程 {plan.total_distance_km:.0f} km,總車程連送貨 {hours} 小時 {minutes} 分。")
    else:
        lines.append(f"Routes for {day}{depot}: {plan.vans_used} vans, {plan.orders_planned}/{plan.orders_total} orders "
                     f"planned, {plan.total_distance_km:.0f} km, {hours} h {minutes} min on the road.")
    for route in plan.routes:
        if route.stops:
            lines.append("")
            lines.extend(_route_lines(route, zh))
    late = plan.late_orders
    if late:
        lines.append("")
        lines.append(f"已出車但會遲過時段:{'、'.join(late)}(仍然喺原本架車上)" if zh
                     else f"On board but will be late for their window: {', '.join(late)} (they stay on their van)")
    if plan.unserved:
        lines.append("")
        lines.append(f"排唔到嘅單({len(plan.unserved)} 張):" if zh else f"Cannot be served ({len(plan.unserved)}):")
        lines.extend(_unserved_line(entry, zh) for entry in plan.unserved)
    if plan.committed and result.from_store:
        lines.append("")
        at = plan.created_at.strftime("%H:%M")
        lines.append(f"(呢個係 {at} 確認咗嘅路線,車同預計送達時間已經寫入訂單。)" if zh
                     else f"(The plan confirmed at {at}; vans and ETAs are on the orders.)")
    elif plan.committed:
        lines.append("")
        lines.append(f"已寫入 {result.lines_updated} 行訂單嘅車同預計送達時間。" if zh
                     else f"Vans and ETAs written to {result.lines_updated} order lines.")
    elif plan.routes:
        lines.append("")
        lines.append("(呢個係預覽,未寫入訂單。)" if zh else "(Preview only: orders not updated.)")
    return "\n".join(lines) + _freshness(result, zh)


def attachments(result: PlanRoutesResult) -> list[Attachment]:
    """The route picture, when one was drawn."""
    path = result.plan.chart_path
    if not path or not Path(path).exists():
        return []
    return [Attachment(path=Path(path), title=f"Routes {result.plan.plan_date.isoformat()}")]


def _route_lines(route: PlannedRoute, zh: bool) -> list[str]:
    hours, minutes = divmod(int(round(route.duration_min)), 60)
    if zh:
        head = (f"{route.vehicle_id} {route.driver_zh or route.driver}:{len(route.stops)} 站,"
                f"載重 {route.load_kg:.0f}/{route.capacity_kg:.0f} kg,容量 {route.load_l:.0f}/{route.capacity_l:.0f} L,"
                f"{route.distance_km:.0f} km,{hhmm(route.departure)} 由{route.depot_zh}出發,"
                f"{hhmm(route.return_at)} 返倉({hours} 小時 {minutes} 分)")
    else:
        head = (f"{route.vehicle_id} {route.driver}: {len(route.stops)} stops, "
                f"load {route.load_kg:.0f}/{route.capacity_kg:.0f} kg, {route.load_l:.0f}/{route.capacity_l:.0f} L, "
                f"{route.distance_km:.0f} km, leaves {route.depot_en} {hhmm(route.departure)}, "
                f"back {hhmm(route.return_at)} ({hours} h {minutes} min)")
    rows = [head]
    # Consecutive stops in one area with the same arrival window share a line ("6–8. 12:00–13:00 灣仔 …").
    groups: list[list[PlannedStop]] = []
    for stop in route.stops:
        last = groups[-1][-1] if groups else None
        if (last is not None and not stop.dispatched and not last.dispatched and last.area == stop.area
                and (last.arrival_from, last.arrival_to) == (stop.arrival_from, stop.arrival_to)):
            groups[-1].append(stop)
        else:
            groups.append([stop])
    for group in groups:
        first, final = group[0], group[-1]
        area = first.area_zh if zh else first.area_en
        marker = ""
        if first.dispatched and first.late_min:
            marker = f" [已出車,會遲 {first.late_min} 分鐘]" if zh else f" [on board, {first.late_min} min late]"
        elif first.dispatched:
            marker = " [已出車]" if zh else " [on board]"
        number = f"{first.sequence}" if first is final else f"{first.sequence}–{final.sequence}"
        orders = ", ".join(order_id for stop in group for order_id in stop.order_ids)
        rows.append(f"  {number}. {hhmm(first.arrival_from)}–{hhmm(first.arrival_to)} {area} {orders}{marker}")
    return rows


def _day_off_line(plan: DayPlan, zh: bool) -> str:
    """聖誕節(12月25日)冇車出,下一個送貨日係12月28日(星期一)。 / No vans on Christmas Day (Fri 25 Dec): ..."""
    off = plan.day_off
    assert off is not None
    next_zh, next_en = weekday_date_zh(off.next_delivery_day), off.next_delivery_day.strftime("%a %d %b")
    if zh:
        name = off.name_zh or ("星期日" if plan.plan_date.weekday() == 6 else "呢日")
        return f"{name}({date_zh(plan.plan_date)})冇車出,下一個送貨日係{next_zh}。"
    name = off.name_en or plan.plan_date.strftime("%A")
    return f"No vans on {name} ({plan.plan_date:%a %d %b}); the next delivery day is {next_en}."


def _unserved_line(entry: UnservedOrder, zh: bool) -> str:
    table = _REASON_ZH if zh else _REASON_EN
    why = table.get((entry.reason, entry.detail)) or table[(entry.reason, "")]
    window = ""
    if entry.window_start and entry.window_end:
        window = f" {hhmm(entry.window_start)}–{hhmm(entry.window_end)}"
    area = entry.area_zh if zh else entry.area_en
    if entry.first_day is not None:
        why += f",最快{weekday_date_zh(entry.first_day)}送" if zh else f"; first day it can go: {entry.first_day:%a %d %b}"
    elif entry.reason == "stock":
        why += ",暫時未有日子" if zh else "; no date yet"
    return f"- {entry.order_id} {area}{window}:{why}" if zh else f"- {entry.order_id} {area}{window}: {why}"


def _freshness(result: PlanRoutesResult, zh: bool) -> str:
    """The closing freshness line, on a line of its own."""
    stamp = dated_freshness(result.data_as_of, zh)
    return f"\n{stamp}" if stamp else ""
