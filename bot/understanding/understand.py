"""`understand()`: one message in, one typed `Understanding` out (intent, entities, slots, flags).

Steps: normalise (Traditional, half-width) -> language -> entities (gazetteer + patterns) ->
intent scores -> follow-up resolution against the conversation context -> merged slots.
It calls no tool and maps nothing to tool arguments: the planner does that from `slots`.
"""

from __future__ import annotations

import re
from datetime import datetime

from pydantic import BaseModel, Field

from bot.understanding.context import ConversationContext, Slots
from bot.understanding.cost import without_cost_request
from bot.understanding.entities import Entities, ProductMention, extract_entities, pair_items
from bot.understanding.gazetteer import Gazetteer
from bot.understanding.intents import (
    TOOL_CUE_WEIGHT,
    CueTable,
    Flags,
    Intent,
    IntentScore,
    detect_flags,
    has_tool_cue,
    is_small_talk,
    is_tool_intent,
    score_intents,
)
from bot.understanding.language import Lang, detect_language
from bot.understanding.normalize import lower_keep_length, normalize

_FOLLOWUP_ZH = re.compile(r"^(?:咁|噉|咁樣|那|那麼|如果係|如果|換成|改做|改成|轉做|另外)|呢\s*[?]?\s*$")
_FOLLOWUP_EN = re.compile(r"^(?:and|what about|how about|and for|same for|what if|then|also|or)\b|\binstead\??$")


class Understanding(BaseModel):
    """What a message means, for the planner: intent, confidence, entities, merged slots and flags.

    Rule of thumb for the planner: below `settings.understanding.confidence_threshold`, or when
    `intent == "ask_back"`, hand over to the LLM when one is configured, else ask back with examples.
    """

    text: str = Field(description="the message as received")
    normalized: str = Field(description="half-width, Traditional Chinese, trimmed")
    lang: Lang
    intent: Intent
    confidence: float = Field(ge=0.0, le=1.0)
    runner_up: Intent | None = None
    runner_up_confidence: float = 0.0
    entities: Entities = Field(description="what this message itself names")
    slots: Slots = Field(description="entities merged with the conversation context: use these for tool arguments")
    is_followup: bool = Field(False, description="the intent came from the previous turn ('東涌呢?')")
    inherited: list[str] = Field(default_factory=list, description="slot names taken from the previous turn")
    flags: Flags = Field(default_factory=Flags)

    def to_context(self, previous: ConversationContext | None = None) -> ConversationContext:
        """The context to save after answering this message."""
        turns = (previous.turns if previous else 0) + 1
        if is_tool_intent(self.intent):
            return ConversationContext(last_intent=self.intent, slots=self.slots, lang=self.lang, turns=turns,
                                       at_risk_orders=self.intent == "order_status" and self.flags.at_risk_orders)
        if previous is not None:  # a greeting or an unclear message keeps what the talk was about
            return previous.model_copy(update={"turns": turns, "lang": self.lang})
        return ConversationContext(lang=self.lang, turns=turns)


def slots_from_entities(entities: Entities) -> Slots:
    """The slots a message fills by itself."""
    slots = Slots()
    if entities.products:
        product = entities.products[0]
        slots.sku = product.sku
        slots.sku_candidates = product.candidates
        if len({mention.sku for mention in entities.products}) > 1:
            slots.items = pair_items(entities)
    elif entities.unknown_product_codes:
        slots.unknown_product = entities.unknown_product_codes[0]
    if entities.quantities:
        slots.qty = entities.quantities[0].value
        slots.qty_unit = entities.quantities[0].unit
    if entities.areas:
        slots.area = entities.areas[0].code
    if entities.regions:
        slots.region = entities.regions[0].code
    if entities.locations:
        slots.location = entities.locations[0].code
    if entities.categories:
        slots.category = entities.categories[0].name
    if entities.dates:
        first = entities.dates[0]
        slots.date_from, slots.date_to, slots.date_grain = first.start, first.end, first.grain
        slots.deadline = first.deadline
        if len(entities.dates) > 1:
            slots.compare_from, slots.compare_to = entities.dates[1].start, entities.dates[1].end
    if entities.times:
        slots.time = f"{entities.times[0].hour:02d}:{entities.times[0].minute:02d}"
    if entities.order_ids:
        slots.order_id = entities.order_ids[0]
    if entities.vehicles:
        slots.vehicle = entities.vehicles[0]
    if entities.money:
        slots.order_value = entities.money[0]
    if entities.weights_kg:
        slots.weight_kg = entities.weights_kg[0]
    slots.group_by = entities.group_by
    slots.measure = entities.measure
    slots.compare_previous = entities.compare_previous
    return slots


_GROUPS: dict[str, tuple[str, ...]] = {
    "sku": ("sku", "sku_candidates", "unknown_product", "items"),
    "qty": ("qty", "qty_unit"),
    "area": ("area",),
    "region": ("region",),
    "location": ("location",),
    "category": ("category",),
    "date": ("date_from", "date_to", "date_grain", "deadline"),
    "time": ("time",),
    "compare": ("compare_from", "compare_to"),
    "order_id": ("order_id",),
    "vehicle": ("vehicle",),
    "order_value": ("order_value",),
    "weight_kg": ("weight_kg",),
    "group_by": ("group_by",),
    "measure": ("measure",),
}


def _said(slots: Slots, group: str) -> bool:
    if group == "sku":
        return slots.sku is not None or slots.unknown_product is not None
    if group == "date":
        return slots.date_from is not None
    if group == "compare":
        return slots.compare_from is not None
    return getattr(slots, _GROUPS[group][0]) is not None


def merge_slots(previous: Slots, current: Slots, groups: tuple[str, ...] | None = None) -> tuple[Slots, list[str]]:
    """`current` with the groups it leaves empty taken from `previous` (all groups, or only `groups`).

    A newly named area replaces the previous region and vice versa ("九龍呢?" after "東涌": the place
    changed). Returns the merged slots and the names of the groups taken over.
    """
    merged = current.model_copy(deep=True)
    inherited: list[str] = []
    for group, fields in _GROUPS.items():
        if groups is not None and group not in groups:
            continue
        if _said(current, group) or not _said(previous, group):
            continue
        if group == "region" and _said(current, "area"):
            continue
        if group == "area" and _said(current, "region"):
            continue
        if group == "compare" and _said(current, "date"):
            continue
        for name in fields:
            setattr(merged, name, getattr(previous, name))
        inherited.append(group)
    if groups is None and not current.compare_previous and "date" in inherited:
        merged.compare_previous = previous.compare_previous
    return merged, inherited


def understand(text: str, now: datetime, gazetteer: Gazetteer, context: ConversationContext | None = None, *,
               tools: CueTable) -> Understanding:
    """Understand one message at `now`, with the session's context (None for a fresh conversation) and the
    tools' cues (`bot.skills.CUE_TABLE`)."""
    text = text or ""
    normalized = normalize(text[:MAX_CHARS])
    key = lower_keep_length(normalized)
    previous: Lang = "zh-HK" if context and context.lang == "zh-HK" else "en"
    lang = detect_language(normalized, default=previous)
    entities = extract_entities(key, normalized, now, gazetteer)
    flags = detect_flags(key)
    if flags.asks_for_cost:
        rest = without_cost_request(normalized, key)
        asks_more = has_tool_cue(lower_keep_length(rest), tools, policy_counts=not flags.injection_suspected)
        flags.cost_free_text = rest if asks_more else None
    scored = score_intents(key, entities, flags, tools, now.date())
    own_slots = slots_from_entities(entities)

    intent: str = scored.intent
    confidence = scored.confidence
    runner_up, runner_up_confidence = scored.runner_up, scored.runner_up_confidence
    is_followup = False
    inherited: list[str] = []
    slots = own_slots

    if context is not None and context.slots.sku and own_slots.sku is None and entities.colours:
        # "紅色呢?" / "the red one?": the previous product in another colour, when the data has it.
        variant = gazetteer.colour_variant(context.slots.sku, entities.colours[0])
        if variant is not None:
            entities.products.append(ProductMention(sku=variant, text=entities.colours[0], via="colour"))
            own_slots.sku, own_slots.unknown_product = variant, None
            if intent == "ask_back":
                scored = score_intents(key, entities, flags, tools, now.date())
                intent, confidence = scored.intent, scored.confidence
                runner_up, runner_up_confidence = scored.runner_up, scored.runner_up_confidence

    previous_intent = context.last_intent if context else None
    if context is not None and previous_intent is not None and is_tool_intent(previous_intent):
        cue_strength = max((scored.scores.get(name, 0.0) for name in tools.tool_names if name != previous_intent),
                           default=0.0)
        marker = bool(_FOLLOWUP_ZH.search(key) or _FOLLOWUP_EN.search(key))
        only_entities = intent == "ask_back" or _cue_free(scored.scores)
        # A sales option alone is enough for a follow-up: "咁件數呢?" (units), "by channel?".
        names_something = not entities.empty or entities.measure is not None or entities.group_by is not None
        narrows = _narrows_stock(key, entities, previous_intent, tools, marker)
        switched = None if narrows else _switched_intent(key, entities, flags, tools, now, context, previous_intent)
        if switched is not None:
            # "咁送 20 個去 X,星期五前到唔到?" after a stock answer: a new question about the same product.
            if intent != switched.intent:
                runner_up, runner_up_confidence = intent, min(confidence, 0.5)
            intent, confidence = switched.intent, max(switched.confidence, 0.7)
            slots, inherited = merge_slots(context.slots, own_slots, tools.carry_over.get(intent, ("sku",)))
        elif names_something and (narrows or marker and cue_strength < 3.0 or only_entities) \
                and intent not in ("greeting", "help"):
            # "東涌呢?", "what about 100?", "咁聽日呢?": same question, one thing changed.
            if intent != previous_intent:
                runner_up, runner_up_confidence = intent, min(confidence, 0.5)
            intent = previous_intent
            confidence = 0.88 if marker else 0.75
            is_followup = True
            slots, inherited = merge_slots(context.slots, own_slots)
            if context.slots.deadline and "date" not in inherited and slots.date_grain == "day":
                slots.deadline = True  # "咁下星期一呢?" after a promise check: the new day is the new deadline
            if intent == "order_status" and context.at_risk_orders and not own_slots.order_id:
                flags.at_risk_orders = True  # "咁聽日呢?" after "今日有冇單趕唔切?": the at-risk list for that day
        elif intent in tools.carry_over:
            slots, inherited = merge_slots(context.slots, own_slots, tools.carry_over[intent])

    if intent == "ask_back":
        flags.small_talk = is_small_talk(key, entities, scored.scores)
    return Understanding(
        text=text, normalized=normalized, lang=lang, intent=intent,
        confidence=confidence, runner_up=runner_up, runner_up_confidence=runner_up_confidence,
        entities=entities, slots=slots, is_followup=is_followup, inherited=inherited, flags=flags,
    )


# A chat question is short; a pasted document is read only this far (keeps the cost bounded).
MAX_CHARS = 600


def _narrows_stock(key: str, entities: Entities, previous_intent: str, tools: CueTable, marker: bool) -> bool:
    """True for "and in <location>?" / "咁<location>呢?" after a stock answer: the same product, one location.

    Cues are read with the location's own words removed (a word inside a place name is not a request)."""
    if previous_intent != "stock_lookup" or not entities.locations:
        return False
    if entities.products or entities.unknown_product_codes or entities.areas or entities.order_ids \
            or entities.dates or entities.quantities:
        return False
    rest = key
    for mention in entities.locations:
        rest = rest.replace(mention.text.lower(), " ")
    rest_scores = score_intents(rest, Entities(), Flags(), tools).scores
    other = max((rest_scores.get(name, 0.0) for name in tools.tool_names if name != previous_intent), default=0.0)
    return other < TOOL_CUE_WEIGHT or (marker and other < 3.0)


#: How much a new intent must lead the previous one, with the previous product assumed, to replace it.
_SWITCH_LEAD = 1.0


def _switched_intent(key: str, entities: Entities, flags: Flags, tools: CueTable, now: datetime,
                     context: ConversationContext, previous_intent: str) -> IntentScore | None:
    """The new intent of a follow-up that changes the question but names no product ("咁送 20 個去 X,星期五前
    到唔到?" after a stock answer: a promise check on the previous product), or None when it stays the same.

    The message is scored as if it named the previous product; the new intent must reach a real cue's weight
    and lead the previous intent clearly, so "what about 50?" or "東涌呢?" stay follow-ups of the same question.
    """
    if not context.slots.sku or entities.products or entities.unknown_product_codes or entities.order_ids:
        return None
    if not (entities.quantities or entities.areas or entities.dates):
        return None
    assumed = entities.model_copy(deep=True)
    assumed.products.append(ProductMention(sku=context.slots.sku, text="", via="context"))
    rescored = score_intents(key, assumed, flags, tools, now.date())
    best = rescored.intent
    if not is_tool_intent(best) or best == previous_intent:
        return None
    lead = rescored.scores.get(best, 0.0) - rescored.scores.get(previous_intent, 0.0)
    if rescored.scores.get(best, 0.0) < TOOL_CUE_WEIGHT or lead < _SWITCH_LEAD:
        return None
    return rescored


def _cue_free(scores: dict[str, float]) -> bool:
    """True when no intent cue fired: the message is mostly entities ("and WB-RD-500?")."""
    return all(score < TOOL_CUE_WEIGHT for name, score in scores.items() if is_tool_intent(name))
