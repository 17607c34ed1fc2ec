"""From an `Understanding` to one tool call: the rules brain asks the intent's skill (`bot/skills/`) for the
tool's typed input, or for the question to ask back when the tool needs something nobody said.

Questions back carry examples taken from the loaded data (never from a fixed list).
"""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import BaseModel, ValidationError
from sqlalchemy import func, select

from bot.skills import SKILLS_BY_NAME, AskBack, skill_for_input
from bot.understanding import Understanding
from core.db import Database
from core.models import Area, OrderLine, Product, Sale
from tools.registry import Lang, Role, ToolContext, ToolInputError, input_error


@dataclass(frozen=True)
class PlannedCall:
    """A tool and its typed arguments (the registry checks the role and runs it)."""

    tool: str
    args: BaseModel


@dataclass(frozen=True)
class RefusedArguments:
    """The understood slots made arguments the tool's input model refuses (a question longer than the tool
    takes, a horizon beyond its limit): answered as the registry answers such input."""

    tool: str
    error: ToolInputError


@dataclass(frozen=True)
class Examples:
    """Names from the loaded data to show in ask-back messages."""

    sku: str
    product_zh: str
    product_en: str
    area_zh: str
    area_en: str
    order_id: str
    area_code: str = ""


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
        area_code=area.code if area else "",
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


def ask_back_question(ask: AskBack, lang: Lang, db: Database) -> str:
    """Ask for one missing slot, with an example from the data."""
    ex = data_examples(db)
    template = ask.zh if lang == "zh-HK" else ask.en
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


def plan_call(understood: Understanding, ctx: ToolContext) -> PlannedCall | AskBack | RefusedArguments:
    """The tool call for the understood question (a tool intent), or what to ask back when something is missing."""
    skill = SKILLS_BY_NAME[understood.intent]
    try:
        planned = skill.plan(understood, ctx)
    except ValidationError as exc:
        refused = SKILLS_BY_NAME.get(_tool_of_model(exc.title), skill)
        return RefusedArguments(refused.name, input_error(exc))
    if isinstance(planned, AskBack):
        return planned
    return PlannedCall(skill_for_input(planned).name, planned)


def _tool_of_model(model_name: str) -> str:
    """The tool whose input model has this class name (a ValidationError names the model it checked)."""
    return next((name for name, skill in SKILLS_BY_NAME.items() if skill.input_model.__name__ == model_name), "")
