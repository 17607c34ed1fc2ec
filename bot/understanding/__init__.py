"""The deterministic bilingual understanding layer (no LLM): intents, entities, dates, follow-ups.

Use:
    gazetteer = gazetteer_for(db, settings.understanding.fuzzy_product_cutoff)  # cached per data version
    store = ContextStore(db, settings.understanding.session_ttl_min)
    context = store.load(session_id, now)
    result = understand(text, now, gazetteer, context, tools=CUE_TABLE)   # the tools' cues, from bot.skills
    ... plan and answer from result.intent / result.slots / result.flags ...
    store.save(session_id, result.to_context(context), now)

See docs/understanding.md.
"""

from bot.understanding.context import ContextStore, ConversationContext, Slots
from bot.understanding.dates import DateMention, TimeMention
from bot.understanding.entities import (
    AreaMention,
    CategoryMention,
    Entities,
    LocationMention,
    ProductMention,
    QuantityMention,
    RegionMention,
)
from bot.understanding.gazetteer import Gazetteer, gazetteer_for
from bot.understanding.intents import CONVERSATION_INTENTS, Cue, CueTable, Flags, Intent, is_tool_intent
from bot.understanding.language import Lang, detect_language
from bot.understanding.normalize import normalize
from bot.understanding.understand import Understanding, understand

__all__ = [
    "CONVERSATION_INTENTS", "AreaMention", "CategoryMention", "ContextStore", "ConversationContext", "Cue", "CueTable",
    "DateMention", "Entities", "Flags", "Gazetteer", "Intent", "Lang", "LocationMention",
    "ProductMention", "QuantityMention", "RegionMention", "Slots", "TimeMention", "Understanding",
    "detect_language", "gazetteer_for", "is_tool_intent", "normalize", "understand",
]
