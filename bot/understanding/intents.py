"""Intents: which tool (or greeting, help, ask-back) a question is for, with a confidence.

Each tool has weighted cue patterns in both languages ("幾時到", "ETA", "仲有幾多", "stock", ...), kept
with the tool's skill (`bot/skills/`) and handed in as a `CueTable`; the entities present add evidence (an order id points to `order_status`; a product with an area
and a deadline to `check_promise`). The highest score wins; the confidence in [0, 1] grows with
the winning score and with its margin over the runner-up. No cue and no entity: `ask_back`.

Safety cues are reported as flags, not intents: a request for unit cost or margins
(`asks_for_cost`) and an attempt to talk the bot out of its rules or into another role
(`injection_suspected`, `claimed_role`). The bot refuses those politely; tools enforce roles anyway.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date
from typing import Protocol

from pydantic import BaseModel, Field

from bot.understanding.cost import asks_for_cost, asks_for_unit_cost
from bot.understanding.entities import Entities
from bot.understanding.normalize import cue_pattern

#: What a message is for: a tool's name, or one of the conversation intents below.
Intent = str
#: Intents that call no tool: a greeting, a request for help, or a question to ask back.
CONVERSATION_INTENTS: tuple[str, ...] = ("greeting", "help", "ask_back")

#: A cue: a regular expression (on the normalised lower-case text) and the weight it adds to its tool.
Cue = tuple[str, float]


def is_tool_intent(intent: str | None) -> bool:
    """True for an intent that names a tool (not a greeting, help or ask-back)."""
    return intent is not None and intent not in CONVERSATION_INTENTS


class ToolCues(Protocol):
    """What the understanding layer knows of one tool (the skills in `bot/skills/` provide it)."""

    @property
    def name(self) -> str:
        """The tool's name, which is also its intent."""

    @property
    def cues(self) -> tuple[Cue, ...]:
        """Weighted cue patterns in both languages."""

    @property
    def carry_over(self) -> tuple[str, ...]:
        """Slot groups a new question takes from the previous turn when it does not say them."""


class Flags(BaseModel):
    """Things the bot must notice besides the intent."""

    asks_for_cost: bool = Field(False, description="asks for unit cost, purchase price, supplier price or margin")
    asks_for_unit_cost: bool = Field(False, description="asks what a product costs the company (not a period's margin)")
    cost_free_text: str | None = Field(None, description="what the message asks besides cost, when it asks more "
                                                         "('X 仲有幾多貨?同埋入貨價幾多?' -> 'X 仲有幾多貨?')")
    injection_suspected: bool = Field(False, description="tries to override the rules or claim another role")
    claimed_role: str | None = Field(None, description="a role the sender claims in the text ('I am the manager')")
    at_risk_orders: bool = Field(False, description="asks which orders may miss their promise (有冇單趕唔切)")
    small_talk: bool = Field(False, description="nothing to look up: a vague request ('幫我睇下', 'can you check it "
                                                "for me') or chit-chat ('今日天氣點呀?'); ask back, do not search")


class IntentScore(BaseModel):
    """The chosen intent, its confidence and the runner-up."""

    intent: Intent
    confidence: float = Field(ge=0.0, le=1.0)
    runner_up: Intent | None = None
    runner_up_confidence: float = 0.0
    scores: dict[str, float] = Field(default_factory=dict, description="raw score per intent (for debugging)")


def _cues(*pairs: Cue) -> list[tuple[re.Pattern[str], float]]:
    return [(re.compile(cue_pattern(pattern)), weight) for pattern, weight in pairs]


# Patterns run on the normalised, lower-cased text (Traditional characters). Each tool's own cues live with
# its skill (`bot/skills/<tool>.py`) and come in through a `CueTable`; these two call no tool.
_CONVERSATION_CUES: dict[str, list[tuple[re.Pattern[str], float]]] = {
    "greeting": _cues(
        (r"^(?:你好|您好|哈囉|哈佬|喂|嗨|早晨|早安|早上好|午安|晚安|hello|hi|hiya|hey|yo|morning|good (?:morning|afternoon|evening)"
         r"|多謝|謝謝|唔該晒|唔該|thanks?|thank you|cheers)"
         r"[\s!！,.。~]*(?:呀|啊|啦|晒|喎|你|大家|各位|you|there|all|everyone|team|guys|folks|mate|bot)?[\s!！,.。~]*$", 4.0),
    ),
    "help": _cues(
        (r"你識做乜|你可以做乜|你識咩|你會做乜|做啲(?:咩|乜)|有咩可以幫|有咩功能|點用|教我用|幫到我乜|幫我乜|\bhelp\b|what can you do|how do(?:es)? (?:this|it) work"
         r"|what do you do|使用說明", 4.0),
        # 你可以做咩? 你識做乜嘢? 你能做什麼? 你可以幫我做啲咩? 有什麼功能?
        (r"你(?:可以|識|會|能|有)(?:幫(?:我|到我)?)?(?:做)?(?:啲|些)?(?:咩|乜嘢|乜|什麼|甚麼)(?:功能|嘢|事)?\s*[?？]?\s*$"
         r"|有(?:什麼|甚麼)功能|怎麼用|\bwhat (?:are|is) (?:you|this bot) (?:for|able to do)\b|\bwhat else can you\b", 4.0),
    ),
}

#: Tools the scoring rules below weigh against each other by name; a table must know them all.
_RULE_TOOLS = frozenset({"stock_lookup", "delivery_eta", "order_status", "check_promise", "shipping_cost",
                         "demand_forecast", "replenishment_plan", "plan_routes", "sales_summary", "search_sop"})


class CueTable:
    """Every tool's compiled cues and follow-up carry-over, in the order given (the order breaks score ties),
    followed by greeting and help."""

    def __init__(self, tools: Iterable[ToolCues]) -> None:
        tools = list(tools)
        self.tool_names: tuple[str, ...] = tuple(tool.name for tool in tools)
        unknown = _RULE_TOOLS - set(self.tool_names)
        if unknown:
            raise ValueError(f"the intent rules weigh tools that have no cues: {sorted(unknown)}")
        if len(set(self.tool_names)) != len(self.tool_names) or set(self.tool_names) & set(CONVERSATION_INTENTS):
            raise ValueError(f"tool names must be unique and not a conversation intent: {self.tool_names}")
        self.patterns: dict[str, list[tuple[re.Pattern[str], float]]] = {
            tool.name: _cues(*tool.cues) for tool in tools} | _CONVERSATION_CUES
        self.carry_over: dict[str, tuple[str, ...]] = {tool.name: tool.carry_over for tool in tools
                                                       if tool.carry_over}


_INJECTION = re.compile(
    r"ignore (?:all |your |the |any |previous |prior )*(?:rules|instructions|restrictions|prompt)|disregard|jailbreak"
    r"|system prompt|developer mode|admin mode|pretend (?:to be|you are|i am)|act as|you are now|override|bypass|sudo"
    r"|(?:forget|reveal|print|show me) (?:all |your |the )*(?:rules|instructions|prompt)|new instructions"
    r"|(?:set|change|switch|upgrade) (?:my )?role|--role|\brole\s*[:=]|(?:manager|admin) access|i have (?:admin|manager)"
    r"|忽略.{0,6}(?:規則|指示|限制|設定)|唔好理.{0,6}(?:規則|限制|權限|指示)|無視.{0,4}(?:規則|限制)|扮|當我係|繞過|越權"
    r"|我有權限|升級我|改我(?:嘅)?(?:角色|權限)|管理員模式"
)
_CLAIMED_ROLE = re.compile(
    r"\bi(?:'m| am)\s+(?:now |actually |really )?(?:the |a |an |your )?(manager|admin|administrator|boss|finance"
    r"|director|ceo|owner)\b"
    r"|我(?:而家|其實)?係(?:個|你|你哋)?(經理|老闆|管理員|財務|主管|總監|admin|manager)"
)
_ROLE_WORDS = {"manager": "manager", "boss": "manager", "director": "manager", "ceo": "manager", "owner": "manager",
               "admin": "admin", "administrator": "admin", "finance": "finance", "經理": "manager", "老闆": "manager",
               "主管": "manager", "總監": "manager", "管理員": "admin", "財務": "finance"}
_AT_RISK = re.compile(cue_pattern(r"趕唔切|趕唔到|會遲|遲咗|延誤|風險|趕不上|趕不及|來不及|延遲|遲到|遲了"
                                  r"|\bat risk\b|\blate\b|\bdelayed\b|\bmiss(?:ing)? (?:the|their)"))
#: How a procedure question is asked (點做, 點算, how do I): counts only when the message has a topic
#: besides these and filler words, so "點算好" alone is vague, "送錯貨點算?" is an SOP question.
_SOP_HOW = re.compile(cue_pattern(
    r"點做|點處理|點算|要點樣|點樣做|點樣處理|點辦|怎麼辦|怎麼處理|怎樣處理|如何處理|怎麼做|如何|應該點"
    r"|\bhow do (?:i|we)\b|\bhow should (?:i|we)\b|\bhow to\b|\bwhat do (?:i|we) do\b|\bwhat should (?:i|we) do\b"
    r"|\bhow can i\b"))
#: "What is X like?" (係點, 係咩, 是什麼): a policy question, unless another tool's own cue names X
#: ("九龍區嘅補貨計劃係點?" asks for the replenishment plan, "退貨政策係點?" for the policy).
_SOP_WHAT = re.compile(cue_pattern(r"係點|係咩|係乜|是什麼|是怎樣|怎麼樣"))
_SOP_FORM = re.compile(f"{_SOP_HOW.pattern}|{_SOP_WHAT.pattern}")
_SOP_FORM_WEIGHT = 3.0
#: A policy word with no product: "急件有冇附加費?" is about the rules, not about stock.
_POLICY = re.compile(cue_pattern(r"附加費|政策|手續|規定|規則|條款|收費標準|\bpolicy\b|\bpolicies\b|\bfees?\b"
                                 r"|\bsurcharges?\b|\brules?\b"))
#: Words that carry no topic of their own (asking, pointing, politeness, particles).
_FILLER = re.compile(cue_pattern(
    r"幫我|幫手|幫下|同我|可唔可以|可不可以|可以|唔該|麻煩|請|睇下|睇睇|睇一睇|睇|查下|查一查|check下|問下|想問|我想|想|"
    r"一下|下|嘢|東西|呢個|嗰個|這個|那個|呢啲|嗰啲|佢|你|我|好|點呀|點|咩|乜|啊|呀|啦|喎|嗎|呢|吖|囉|咧|吧|嘛|喇|哦|噢|"
    r"\b(?:can|could|would|will|you|u|pls|please|plz|check|look|see|at|it|this|that|thing|things|stuff|something|for|me"
    r"|my|the|a|an|do|i|want|wanna|to|ask|question|have|help|with|again|now|ok|okay|hmm|um|so|just|quick|one)\b"
    r"|[\s\d?？!！,，.。~…'\"-]"))
_WEATHER = re.compile(cue_pattern(r"天氣|天色|好熱|好凍|好冷|熱唔熱|凍唔凍|落唔落雨|\bweather\b|\bhot\b|\bcold\b|\bsunny\b"))


_BUSINESS = re.compile(cue_pattern(r"送|貨|單|客|車|倉|\bdeliver|\border|\bcustomer|\bstock|\bshipment|\bvans?\b"
                                   r"|\bwarehouse|\bstore\b"))


def is_vague(key: str) -> bool:
    """True when nothing is left of the message once asking forms and filler words are removed
    ("幫我睇下", "點算好", "can you check it for me")."""
    return not _FILLER.sub("", _SOP_FORM.sub("", key)).strip()


def is_small_talk(key: str, entities: Entities, scores: dict[str, float]) -> bool:
    """A message with nothing to look up: no product, place, order or other entity but a day, no tool cue,
    and either vague or about the weather ("今日天氣點呀?": chit-chat, not a typhoon-policy question)."""
    named = entities.model_copy(update={"dates": [], "times": []})
    tool_scores = (score for name, score in scores.items() if is_tool_intent(name))
    if not named.empty or max(tool_scores, default=0.0) >= 1.0:
        return False
    if _BUSINESS.search(key):
        return False  # "check the weather for tomorrow's deliveries" may be a policy question
    return is_vague(key) or bool(_WEATHER.search(key))


def detect_flags(key: str) -> Flags:
    """Safety and special-case cues in the normalised lower-case text."""
    claimed = _CLAIMED_ROLE.search(key)
    claimed_role = None
    if claimed:
        word = claimed.group(1) or claimed.group(2)
        claimed_role = _ROLE_WORDS.get(word, word)
    injection = bool(_INJECTION.search(key)) or claimed_role is not None
    return Flags(asks_for_cost=asks_for_cost(key), asks_for_unit_cost=asks_for_unit_cost(key),
                 injection_suspected=injection, claimed_role=claimed_role,
                 at_risk_orders=bool(_AT_RISK.search(key)))


def _entity_evidence(entities: Entities, scores: dict[str, float]) -> None:
    """Add what the entities say about the intent."""
    has_product = bool(entities.products or entities.unknown_product_codes)
    has_place = bool(entities.areas)
    has_deadline = any(d.deadline for d in entities.dates)
    if entities.order_ids:
        scores["order_status"] += 3.5
    if has_product:
        for intent in ("stock_lookup", "delivery_eta", "check_promise", "shipping_cost", "demand_forecast"):
            scores[intent] += 0.5
        scores["stock_lookup"] += 0.7  # a product alone is most often a stock question
    if has_product and has_place:
        scores["delivery_eta"] += 0.8
        scores["check_promise"] += 0.4
        if scores["stock_lookup"] < 2.5:  # "how many are left in Yuen Long?" stays a stock question
            scores["stock_lookup"] -= 0.6
    if entities.order_ids and not has_product:
        scores["delivery_eta"] -= 3.5  # "SO-10240 幾時到?" asks for that order's ETA: order_status
    if has_deadline and has_product:
        scores["check_promise"] += 1.2
    if entities.quantities and has_place and has_product:
        scores["check_promise"] += 0.3
        scores["shipping_cost"] += 0.3
    if entities.money or entities.weights_kg:
        scores["shipping_cost"] += 0.8
    if entities.group_by in ("region", "area", "product", "category", "channel", "zone") or entities.compare_previous:
        scores["sales_summary"] += 0.8
    if entities.measure == "delivery_charges" and entities.group_by is not None:
        # "邊區運費成本最高?" totals delivery cost by region: a sales summary, not one delivery's fee.
        scores["sales_summary"] += 3.0
        scores["shipping_cost"] -= 2.5
    if entities.regions or entities.categories:
        scores["demand_forecast"] += 0.3
        scores["sales_summary"] += 0.3
        scores["replenishment_plan"] += 0.2
    if scores["search_sop"] > 0 and not (has_product or has_place or entities.order_ids):
        scores["search_sop"] += 0.8  # policy questions name no product, place or order
    if entities.vehicles:
        scores["plan_routes"] += 2.0
    if entities.locations and not has_product:
        scores["replenishment_plan"] += 0.4
    if entities.locations and has_product and not has_place:
        scores["stock_lookup"] += 0.8  # a product at a stock location: "How many WB-PK-500 at Cheung Sha Wan?"
    if any(not d.is_day for d in entities.dates):
        scores["sales_summary"] += 0.3
        scores["demand_forecast"] += 0.3
        scores["replenishment_plan"] += 0.2


def score_intents(key: str, entities: Entities, flags: Flags, table: CueTable,
                  today: date | None = None) -> IntentScore:
    """Score every intent of the table on the normalised lower-case text and the entities found in it.

    With `today`, a period wholly in the future points to a forecast, one wholly past to sales.
    """
    scores: dict[str, float] = dict.fromkeys(table.patterns, 0.0)
    for intent, cues in table.patterns.items():
        for pattern, weight in cues:
            if pattern.search(key):
                scores[intent] += weight
    if _SOP_FORM.search(key) and not is_vague(key):
        strong_other = max(scores[name] for name in table.tool_names if name != "search_sop")
        if _SOP_HOW.search(key) or strong_other < 3.0 or scores["search_sop"] >= 3.0:
            scores["search_sop"] += _SOP_FORM_WEIGHT
    has_product = bool(entities.products or entities.unknown_product_codes)
    if _POLICY.search(key) and not (has_product or entities.areas or entities.order_ids or flags.injection_suspected):
        scores["search_sop"] += 2.0  # "急件有冇附加費?": a policy word outweighs a bare 有冇
    _entity_evidence(entities, scores)
    if today is not None and entities.dates and entities.dates[0].grain != "day":
        period = entities.dates[0]
        if period.start > today:
            scores["demand_forecast"] += 0.8
            scores["sales_summary"] -= 0.5
        elif period.end < today:
            scores["sales_summary"] += 0.8
            scores["demand_forecast"] -= 0.5
            scores["stock_lookup"] -= 0.8  # stock is now; a past week or month is about what was sold
    if flags.asks_for_cost and scores["shipping_cost"] < 3.0:
        scores["shipping_cost"] = 0.0  # "show unit cost" is about the product's cost, not delivery
    if flags.asks_for_unit_cost and scores.get("supplier_info", 0.0) < TOOL_CUE_WEIGHT:
        # A product's unit cost is on its stock answer (shown to cost roles only); with no product named,
        # "咁成本呢?" is about the product of the previous turn. Asked with a supplier ("入貨價幾多?邊個供應?"),
        # the supplier answer carries the prices.
        scores["stock_lookup"] += 2.0 if has_product else 1.2
    if flags.at_risk_orders and not entities.products and re.search(r"單|order", key):
        scores["order_status"] += 2.0  # 今日有冇單趕唔切? lists the orders at risk
        scores["check_promise"] -= 1.5
    tool_evidence = max(scores[name] for name in table.tool_names)
    if scores["greeting"] > 0 and tool_evidence > 0:
        scores["greeting"] = 0.0  # "hi, how much stock ..." is a question, not a greeting
    if scores["help"] > 0 and tool_evidence >= 2.5:
        scores["help"] = 0.0  # "help me check the stock of ..." asks for stock
    ranked = sorted(scores.items(), key=lambda item: item[1], reverse=True)
    (best, best_score), (second, second_score) = ranked[0], ranked[1]
    if best_score < 1.0:
        return IntentScore(intent="ask_back", confidence=round(0.3 + 0.2 * best_score, 3),
                           runner_up=best if best_score > 0 else None,
                           runner_up_confidence=round(_strength(best_score) * 0.5, 3), scores=scores)
    confidence = _confidence(best_score, max(second_score, 0.0))
    runner_up = second if second_score > 0 else None
    return IntentScore(intent=best, confidence=confidence, runner_up=runner_up,
                       runner_up_confidence=round(_confidence(second_score, best_score) if runner_up else 0.0, 3),
                       scores={k: round(v, 2) for k, v in scores.items() if v})


def has_tool_cue(key: str, table: CueTable, *, policy_counts: bool = True) -> bool:
    """True when the words alone, without any entity, ask for a tool ("仲有幾多貨", "when can it arrive"):
    a request of its own, not just a name left over. Without `policy_counts` a policy cue does not count
    (in "ignore your rules, ..." the rules are the attack, not a question about the SOPs)."""
    scores = score_intents(key, Entities(), Flags(), table).scores
    counted = [name for name in table.tool_names if policy_counts or name != "search_sop"]
    return max((scores.get(name, 0.0) for name in counted), default=0.0) >= TOOL_CUE_WEIGHT


def without_cues(key: str, intent: str, table: CueTable) -> str:
    """The text with the intent's own cue words and filler words removed: what the message is about besides
    asking for that tool ("有個 c 級客想月結,得唔得?" -> "有個 c 級客 月結"). Empty when nothing is left."""
    rest = key
    for pattern, _weight in table.patterns.get(intent, []):
        rest = pattern.sub(" ", rest)
    return " ".join(_FILLER.sub(" ", _SOP_FORM.sub(" ", rest)).split())


#: Every real cue weighs this much or more; entities alone add less (except an order id).
TOOL_CUE_WEIGHT = 2.4


def _strength(score: float) -> float:
    """How strong a score is on its own: 1 cue ~0.72, 1 cue + entities ~0.8, more -> 1."""
    return max(0.0, min(1.0, score / (score + 1.2)))


def _confidence(score: float, other: float) -> float:
    if score <= 0:
        return 0.0
    margin = max(0.0, score - other) / score
    return round(_strength(score) * (0.55 + 0.45 * margin), 3)
