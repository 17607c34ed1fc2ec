"""From an `Understanding` to one tool call: the rules brain's mapping of slots to typed tool arguments.

When the tool needs something nobody said, the planner returns the question to ask back instead,
with examples taken from the loaded data (never from a fixed list).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from sqlalchemy import func, select

from bot.understanding import Understanding
from core.db import Database
from core.models import Area, Location, OrderLine, Product, Sale
from tools.registry import Lang, Role, ToolContext

# Channels that show a chart image with the answer (the CLI prints its path).
IMAGE_CHANNELS = frozenset({"cli", "web", "slack", "telegram", "whatsapp"})


@dataclass(frozen=True)
class PlannedCall:
    """A tool and its arguments (validated later by the registry)."""

    tool: str
    args: dict[str, Any]


@dataclass(frozen=True)
class Examples:
    """Names from the loaded data to show in ask-back messages."""

    sku: str
    product_zh: str
    product_en: str
    area_zh: str
    area_en: str
    order_id: str


def data_examples(db: Database) -> Examples:
    """The best-selling product, the busiest area and a recent order id of the loaded data (cached per data
    version in the database's one cache)."""
    return db.cached("ask_back_examples", lambda _version: _read_examples(db))


def _read_examples(db: Database) -> Examples:
    with db.sessions() as session:
        sku = session.scalar(select(Sale.sku).group_by(Sale.sku).order_by(func.sum(Sale.qty).desc()).limit(1))
        product = session.get(Product, sku) if sku else session.scalar(select(Product).limit(1))
        area_code = session.scalar(select(Sale.area).group_by(Sale.area).order_by(func.count().desc()).limit(1))
        area = session.get(Area, area_code) if area_code else session.scalar(select(Area).limit(1))
        order_id = session.scalar(select(OrderLine.order_id).order_by(OrderLine.created_at.desc()).limit(1))
    examples = Examples(
        sku=product.sku if product else "SKU",
        product_zh=_short_name(product.name_zh) if product else "貨品",
        product_en=product.name_en if product else "a product",
        area_zh=area.name_zh if area else "送貨地區",
        area_en=area.name_en if area else "an area",
        order_id=order_id or "(order id)",
    )
    return examples


def _short_name(name: str) -> str:
    return name.split(" ")[0] if " " in name else name


def ask_back_text(lang: Lang, db: Database, *, unclear: bool = True) -> str:
    """What the bot can do, with examples from the loaded data; `unclear` opens with "I'm not sure what you need"."""
    ex = data_examples(db)
    if lang == "zh-HK":
        head = "唔好意思,我未明你想問咩。你可以咁問:" if unclear else "你可以咁問:"
        return (
            f"{head}\n"
            f"• 「{ex.product_zh}仲有幾多貨?」\n"
            f"• 「{ex.sku} 送{ex.area_zh}幾時到?」\n"
            f"• 「聽日可唔可以送 50 件{ex.product_zh}去{ex.area_zh}?」\n"
            f"• 「送{ex.area_zh} 3 件 {ex.sku} 運費幾錢?」\n"
            f"• 「{ex.order_id} 去咗邊?」 / 「今日有冇單趕唔切?」\n"
            "• 「下星期九龍區要準備幾多?」 / 「上個月邊區賣得最好?」\n"
            "• 「退貨政策係點?」"
        )
    head = "Sorry, I'm not sure what you need. You can ask, for example:" if unclear else "You can ask, for example:"
    return (
        f"{head}\n"
        f"• \"How many {ex.product_en} do we have?\"\n"
        f"• \"When can {ex.sku} reach {ex.area_en}?\"\n"
        f"• \"Can I promise 50 {ex.sku} to {ex.area_en} by Friday?\"\n"
        f"• \"Shipping cost for 3 {ex.sku} to {ex.area_en}?\"\n"
        f"• \"Where is {ex.order_id}?\" / \"Any orders at risk today?\"\n"
        "• \"Forecast for next week in Kowloon\" / \"Sales last month by region\"\n"
        "• \"What is the return policy?\""
    )


_MISSING_QUESTION = {
    "sku": ("想問邊件貨?可以講 SKU 或者名,例如「{sku}」或「{product_zh}」。",
            "Which product? Give the SKU or name, e.g. \"{sku}\" or \"{product_en}\"."),
    "area": ("送去邊區?例如「{area_zh}」。", "Delivered to which area? For example \"{area_en}\"."),
    "qty": ("要幾多件?", "How many units?"),
    "date": ("要幾時送到?例如「星期五」或「12月1日」。", "By when? For example \"Friday\" or \"1 Dec\"."),
    "sku_or_category": ("想預測邊件貨或者邊類貨?例如「{product_zh}」。",
                        "Forecast for which product or category? For example \"{product_en}\"."),
    "order_id": ("邊張單?話我知單號,例如「{order_id} 去咗邊?」;想睇有冇單趕唔切,可以問「今日有冇單趕唔切?」。",
                 "Which order? Give me the order id, e.g. \"Where is {order_id}?\", or ask \"Any orders at risk today?\"."),
    "items": ("要送咩貨、幾多件?或者話我總重量(kg)。",
              "Which products and how many (or the total weight in kg)?"),
}


def missing_text(missing: str, lang: Lang, db: Database) -> str:
    """Ask for one missing piece, with an example from the data."""
    ex = data_examples(db)
    zh, en = _MISSING_QUESTION.get(missing, _MISSING_QUESTION["sku"])
    template = zh if lang == "zh-HK" else en
    return template.format(sku=ex.sku, product_zh=ex.product_zh, product_en=ex.product_en, area_zh=ex.area_zh,
                           area_en=ex.area_en, order_id=ex.order_id)


def cost_limit_sentence(role: Role, lang: Lang) -> str:
    """One sentence saying what the role cannot see: appended to an answer whose cost part is refused."""
    if lang == "zh-HK":
        return f"成本價、供應商價錢同毛利只限經理、財務同管理員查閱;你而家嘅角色係「{role.value}」,所以呢部分我唔可以提供。"
    return (f"Unit costs, supplier prices and margins are only shown to managers, finance and admins; "
            f"your role is \"{role.value}\", so I can't share them.")


def refusal_for_cost(role: Role, lang: Lang) -> str:
    """A polite refusal of cost data; claims made in the text never change the role."""
    if lang == "zh-HK":
        return f"唔好意思,{cost_limit_sentence(role, lang)}如有需要,唔該搵你嘅經理或者財務同事。"
    return f"Sorry. {cost_limit_sentence(role, lang)} Please ask your manager or finance if you need them."


def plan_call(understood: Understanding, ctx: ToolContext) -> PlannedCall | str:
    """The tool call for the understood question, or the question to ask back when something is missing."""
    slots = understood.slots
    intent = understood.intent
    lang = ctx.lang
    if slots.unknown_product and not slots.sku and intent in _PRODUCT_TOOLS:
        # Let the tool explain the unknown SKU with its closest matches.
        product: str | None = slots.unknown_product
    else:
        product = slots.sku
    planner = _PLANNERS.get(intent)
    if planner is None:
        return ask_back_text(lang, ctx.db)
    return planner(understood, ctx, product)


def understood_locations(ctx: ToolContext, area: str | None) -> list[str]:
    """The stock locations standing in an area ("transfer to Cheung Sha Wan" names the area of a hub)."""
    if not area:
        return []
    with ctx.db.sessions() as session:
        return list(session.scalars(select(Location.code).where(Location.area == area)))


def _order_time(understood: Understanding, ctx: ToolContext) -> datetime | None:
    slots = understood.slots
    if slots.time and slots.date_from and not slots.deadline:
        hour, minute = (int(part) for part in slots.time.split(":"))
        return datetime.combine(slots.date_from, time(hour, minute))
    return None


def _stock(understood: Understanding, ctx: ToolContext, product: str | None) -> PlannedCall | str:
    if not product:
        return missing_text("sku", ctx.lang, ctx.db)
    args: dict[str, Any] = {"product": product}
    if understood.slots.qty:
        args["qty"] = understood.slots.qty
    return PlannedCall("stock_lookup", args)


def _eta(understood: Understanding, ctx: ToolContext, product: str | None) -> PlannedCall | str:
    slots = understood.slots
    if not product:
        return missing_text("sku", ctx.lang, ctx.db)
    if not slots.area:
        if slots.location or understood.is_followup:
            return _stock(understood, ctx, product)
        return missing_text("area", ctx.lang, ctx.db)
    args: dict[str, Any] = {"product": product, "area": slots.area, "qty": slots.qty or 1}
    if slots.location:
        args["location"] = slots.location
    order_time = _order_time(understood, ctx)
    if order_time:
        args["order_time"] = order_time
    return PlannedCall("delivery_eta", args)


def _promise(understood: Understanding, ctx: ToolContext, product: str | None) -> PlannedCall | str:
    slots = understood.slots
    if not product:
        return missing_text("sku", ctx.lang, ctx.db)
    if not slots.area:
        return missing_text("area", ctx.lang, ctx.db)
    if not slots.date_to:
        return _eta(understood, ctx, product)
    deadline: date | datetime = slots.date_to
    if slots.time:
        hour, minute = (int(part) for part in slots.time.split(":"))
        deadline = datetime.combine(slots.date_to, time(hour, minute))
    return PlannedCall("check_promise", {"product": product, "qty": slots.qty or 1, "area": slots.area,
                                         "deadline": deadline})


def _shipping(understood: Understanding, ctx: ToolContext, product: str | None) -> PlannedCall | str:
    slots = understood.slots
    if not slots.area:
        return missing_text("area", ctx.lang, ctx.db)
    args: dict[str, Any] = {"area": slots.area}
    if len(slots.items) > 1:  # "3 件藍樽同 2 件紅樽"
        args["items"] = [{"product": item.sku, "qty": item.qty or 1} for item in slots.items]
    elif product:
        args["items"] = [{"product": product, "qty": slots.qty or 1}]
    elif slots.weight_kg:
        args["weight_kg"] = slots.weight_kg
    else:
        return missing_text("items", ctx.lang, ctx.db)
    if slots.order_value is not None:
        args["order_value"] = slots.order_value
    return PlannedCall("shipping_cost", args)


def _order_status(understood: Understanding, ctx: ToolContext, product: str | None) -> PlannedCall | str:
    slots = understood.slots
    args: dict[str, Any] = {}
    if slots.order_id and not understood.flags.at_risk_orders:
        args["order_id"] = slots.order_id
    elif not understood.flags.at_risk_orders:
        return missing_text("order_id", ctx.lang, ctx.db)
    elif slots.date_from:
        args["day"] = slots.date_from
    return PlannedCall("order_status", args)


def _forecast(understood: Understanding, ctx: ToolContext, product: str | None) -> PlannedCall | str:
    slots = understood.slots
    if not product and not slots.category:
        return missing_text("sku_or_category", ctx.lang, ctx.db)
    args: dict[str, Any] = {"product": product} if product else {"category": slots.category}
    if slots.area:
        args["area"] = slots.area
    elif slots.region:
        args["region"] = slots.region
    if slots.date_from and slots.date_to and slots.date_to >= ctx.today:
        args["start"] = max(slots.date_from, ctx.today)
        args["end"] = slots.date_to
    if ctx.channel not in IMAGE_CHANNELS:
        args["chart"] = False  # nobody would see the picture
    return PlannedCall("demand_forecast", args)


def _replenishment(understood: Understanding, ctx: ToolContext, product: str | None) -> PlannedCall | str:
    slots = understood.slots
    args: dict[str, Any] = {}
    if product:
        args["products"] = [product]
    elif slots.category:
        args["category"] = slots.category
    # "transfer to Cheung Sha Wan" names an area; the stock location standing there is meant
    located_here = understood_locations(ctx, slots.area)
    if slots.location:
        args["location"] = slots.location
    elif len(located_here) == 1:
        args["location"] = located_here[0]
    elif slots.region:
        args["region"] = slots.region
    if slots.date_to and slots.date_to > ctx.today:
        args["horizon_days"] = (slots.date_to - ctx.today).days
    return PlannedCall("replenishment_plan", args)


def _routes(understood: Understanding, ctx: ToolContext, product: str | None) -> PlannedCall | str:
    slots = understood.slots
    args: dict[str, Any] = {}
    if slots.date_from:
        args["date"] = slots.date_from
    if slots.location:
        args["depot"] = slots.location
    return PlannedCall("plan_routes", args)


def _sales(understood: Understanding, ctx: ToolContext, product: str | None) -> PlannedCall | str:
    slots = understood.slots
    args: dict[str, Any] = {}
    if slots.date_from and slots.date_to:
        args["start"] = slots.date_from
        args["end"] = slots.date_to
    if slots.group_by in _SALES_GROUPS:
        args["group_by"] = slots.group_by
    if slots.measure:
        args["measure"] = slots.measure
    if product:
        args["product"] = product
    elif slots.category:
        args["category"] = slots.category
    if slots.region:
        args["region"] = slots.region
    return PlannedCall("sales_summary", args)


def _sop(understood: Understanding, ctx: ToolContext, product: str | None) -> PlannedCall | str:
    return PlannedCall("search_sop", {"question": understood.normalized})


_SALES_GROUPS = {"region", "area", "product", "category", "channel", "zone"}
_PRODUCT_TOOLS = {"stock_lookup", "delivery_eta", "check_promise", "shipping_cost", "demand_forecast"}
_PLANNERS = {
    "stock_lookup": _stock,
    "delivery_eta": _eta,
    "check_promise": _promise,
    "shipping_cost": _shipping,
    "order_status": _order_status,
    "demand_forecast": _forecast,
    "replenishment_plan": _replenishment,
    "plan_routes": _routes,
    "sales_summary": _sales,
    "search_sop": _sop,
}
