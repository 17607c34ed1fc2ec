"""`ToolSkill`: everything the chat bot knows about one tool, in one typed object.

A skill names its tool, the cues that point to it, the slots it cannot do without (with the question to ask
back for each), the slots a follow-up question carries over, how the understood slots become the tool's typed
input, how its result reads in Cantonese or English, its chart attachments, and what a role that may not call
it is refused. `bot/skills/__init__.py` lists the skills; each lives in a file named like its tool's module.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, time
from typing import Generic, TypeVar

from pydantic import BaseModel

from bot.messages import Attachment, Lang
from bot.understanding import Cue, Understanding
from tools.catalog import reference_for
from tools.registry import ToolContext, ToolResult

ResultT = TypeVar("ResultT", bound=ToolResult)


@dataclass(frozen=True)
class AskBack:
    """The question back when a slot the tool needs was not said, in both languages.

    The texts may name `{sku}`, `{product_zh}`, `{product_en}`, `{area_zh}`, `{area_en}` and `{order_id}`:
    the planner fills them with examples from the loaded data.
    """

    slot: str
    zh: str
    en: str


def _never(understood: Understanding) -> bool:
    return False


@dataclass(frozen=True)
class Need:
    """A slot the tool cannot be called without: how to tell it was said, when the plan can do without it,
    and what to ask when it is missing."""

    ask: AskBack
    said: Callable[[Understanding], bool]
    waived: Callable[[Understanding], bool] = _never

    def missing(self, understood: Understanding) -> bool:
        """True when the message (with its follow-up context) does not give this slot and the plan needs it."""
        return not self.said(understood) and not self.waived(understood)


#: How the understood slots become a tool's typed input (or, rarely, another tool's, or a question back).
Build = Callable[[Understanding, ToolContext], BaseModel | AskBack]


@dataclass(frozen=True)
class ToolSkill(Generic[ResultT]):
    """One tool as the chat bot knows it (see the module docstring)."""

    name: str
    input_model: type[BaseModel]
    result_model: type[ResultT]
    cues: tuple[Cue, ...]
    needs: tuple[Need, ...]
    build: Build
    render: Callable[[ResultT, Lang], str]
    refused_en: str
    refused_zh: str
    carry_over: tuple[str, ...] = ()
    attachments: Callable[[ResultT], list[Attachment]] | None = None

    def missing(self, understood: Understanding) -> list[str]:
        """The slots this tool needs that the message (with its follow-up context) does not give."""
        return [need.ask.slot for need in self.needs if need.missing(understood)]

    def plan(self, understood: Understanding, ctx: ToolContext) -> BaseModel | AskBack:
        """The tool's input for the understood question, or the question back for the first missing slot."""
        for need in self.needs:
            if need.missing(understood):
                if need is NEED_PRODUCT and understood.slots.category:
                    # "手套有冇貨?": a category where one product is needed; list its products to choose from.
                    in_category = [sku for sku, product in reference_for(ctx).products.items()
                                   if product.category == understood.slots.category]
                    if 1 < len(in_category) <= MAX_LISTED:
                        return which_variant(sorted(in_category), ctx)
                if need.ask.slot == "area" and understood.slots.region:
                    return which_area(understood.slots.region, ctx)  # "送去香港島": which area of the island?
                return need.ask
        if NEED_PRODUCT in self.needs and len(understood.slots.sku_candidates) > 1 and not understood.slots.items:
            return which_variant(understood.slots.sku_candidates, ctx)
        return self.build(understood, ctx)

    def render_result(self, result: ToolResult, lang: Lang) -> str:
        """The answer for a successful result of this tool."""
        return self.render(self._typed(result), lang)

    def attachments_for(self, result: ToolResult) -> list[Attachment]:
        """The chart images that go with a successful result (none when the skill draws none)."""
        return list(self.attachments(self._typed(result))) if self.attachments is not None else []

    def _typed(self, result: ToolResult) -> ResultT:
        if not isinstance(result, self.result_model):
            raise TypeError(f"{self.name} renders {self.result_model.__name__}, not {type(result).__name__}")
        return result


# --- slots several tools need ------------------------------------------------------------------------------

def named_product(understood: Understanding) -> str | None:
    """The product a product tool is asked about: the SKU, else the SKU-like word that names no product
    (the tool then explains it with its closest matches)."""
    return understood.slots.sku or understood.slots.unknown_product or None


def product_said(understood: Understanding) -> bool:
    """True when a product (known or not) was named."""
    return bool(named_product(understood))


ASK_SKU = AskBack("sku", "想問邊件貨?可以講 SKU 或者名,例如「{sku}」或「{product_zh}」。",
                  "Which product? Give the SKU or name, e.g. \"{sku}\" or \"{product_en}\".")
ASK_AREA = AskBack("area", "送去邊區?例如「{area_zh}」。", "Delivered to which area? For example \"{area_en}\".")
NEED_PRODUCT = Need(ASK_SKU, product_said)
NEED_AREA = Need(ASK_AREA, lambda understood: bool(understood.slots.area))


#: At most this many products are listed in a question back.
MAX_LISTED = 8


def which_variant(skus: list[str], ctx: ToolContext) -> AskBack:
    """The question back when the words fit several products the question does not tell apart ("手套有冇貨?"
    with gloves in four sizes): each candidate with its names, rather than a guess."""
    products = reference_for(ctx).products
    known = [products[sku] for sku in skus if sku in products]
    zh = "、".join(f"{p.sku} {p.name_zh}" for p in known).replace("{", "{{").replace("}", "}}")
    en = "; ".join(f"{p.sku} {p.name_en}" for p in known).replace("{", "{{").replace("}", "}}")
    return AskBack("sku", f"有幾款貨都啱:{zh}。想問邊一款?", f"That fits several products: {en}. Which one do you mean?")


#: Regions as staff name them, for the question back.
_REGION_NAMES = {"HKI": ("香港島", "Hong Kong Island"), "KLN": ("九龍", "Kowloon"), "NT": ("新界", "the New Territories"),
                 "ISL": ("離島", "the Islands")}


def which_area(region: str, ctx: ToolContext) -> AskBack:
    """The question back when a region is named where one delivery area is needed ("送去香港島幾時到?"): the
    region's areas from the data (the busiest first would need sales; alphabetical is predictable)."""
    areas = sorted((area for area in reference_for(ctx).areas.values() if area.region == region),
                   key=lambda area: area.name_en)[:MAX_LISTED]
    zh_region, en_region = _REGION_NAMES.get(region, (region, region))
    zh = "、".join(f"「{area.name_zh}」" for area in areas).replace("{", "{{").replace("}", "}}")
    en = ", ".join(f"\"{area.name_en}\"" for area in areas).replace("{", "{{").replace("}", "}}")
    if not areas:
        return ASK_AREA
    return AskBack("area", f"送去{zh_region}邊區?例如{zh}。", f"Which area of {en_region}? For example {en}.")


def order_time(understood: Understanding) -> datetime | None:
    """When the order is confirmed, when the message gives a clock time on a day that is not a deadline."""
    slots = understood.slots
    if slots.time and slots.date_from and not slots.deadline:
        hour, minute = (int(part) for part in slots.time.split(":"))
        return datetime.combine(slots.date_from, time(hour, minute))
    return None



InputT = TypeVar("InputT", bound=BaseModel)


def said_only(input_model: type[InputT], **values: object) -> InputT:
    """The tool's input with only the arguments the question gave: a None is left unset (the tool's default
    applies, and the call records only what was said). An argument the model does not have is an error."""
    unknown = set(values) - set(input_model.model_fields)
    if unknown:
        raise TypeError(f"{input_model.__name__} has no field {sorted(unknown)}")
    return input_model(**{name: value for name, value in values.items() if value is not None})
