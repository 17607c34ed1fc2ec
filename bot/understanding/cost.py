"""Requests for cost data, in either language: unit cost, purchase or supplier price, margin, profit.

The patterns run on the normalised lower-case text (Traditional characters: Simplified input such as
"进货价" or "利润" arrives converted). They name kinds of words, never a product or a figure, and do
not depend on which tool the rest of the message points to:

- a *unit-cost* request asks what one product costs the company (成本, 入貨價, 供應商報價, 每件賺幾多,
  "what did we pay the supplier", "unit cost", "markup");
- a *margin* request asks for margin or profit in general (毛利, 利潤, "margin", "profit").

`without_cost_request` removes the cost clauses with the asking words around them, so what else the
message asks ("仲有幾多貨?") can still be understood and answered for a role that may not see cost.
"""

from __future__ import annotations

import re

from bot.understanding.normalize import cue_pattern

# "運費成本" / "送貨成本" is the delivery charge, not what a product costs.
_NOT_DELIVERY = "(?<!運費)(?<!送貨)(?<!運輸)(?<!物流)(?<!配送)(?<!快遞)"
_BUY_VERB = r"(?:入|買|攞|拎|進|採購)(?:貨)?(?:返|回)?(?:嚟|來)?"
_HOW_MUCH_ZH = r"(?:幾多錢|幾錢|多少錢|幾多|多少)"

_UNIT_COST_ZH = (
    rf"{_NOT_DELIVERY}成本(?:價)?|入貨價|來貨價|進貨價|拎貨價|攞貨價|採購價|買入價|收購價|批發價|出廠價|廠價|底價"
    rf"|供應商(?:嘅|的|個)?(?:報價|價錢|價格|價|收費|收{_HOW_MUCH_ZH}|賣{_HOW_MUCH_ZH}|要{_HOW_MUCH_ZH}|幾錢)"
    r"|(?:俾|畀|給|付|支付)(?:咗|了)?(?:供應商|工廠|廠家|廠)"
    rf"|(?:我哋|我們|公司)(?:係|用)?{_HOW_MUCH_ZH}{_BUY_VERB}"
    rf"|(?:我哋|我們|公司){_BUY_VERB}(?:係|要|用|價)?{_HOW_MUCH_ZH}"
    r"|(?:每|一)(?:件|個|樽|盒|箱|隻|部|單位)(?:可以|可)?賺"
)
_UNIT_COST_EN = (
    r"\bunit[ _-]?costs?\b|\bcost prices?\b|\bcost of goods\b|\bcogs\b|\bpurchas(?:e|ing) (?:costs?|prices?)\b"
    r"|\bbuy(?:ing)?(?:[ -]in)? prices?\b|\bsuppliers?(?:'s|')? (?:prices?|costs?|quotes?|quotations?|rates?|pricing)\b"
    r"|\bprices? (?:from|charged by|of) (?:the |our )?(?:suppliers?|vendors?|factory)\b|\blanded costs?\b"
    r"|\bmark[ -]?ups?\b|\bwholesale (?:prices?|costs?)\b|\bfactory prices?\b|\bex[- ]works\b"
    r"|\b(?:do|did|does) we pay\b(?:\s+(?:to\s+)?(?:the |our )?(?:suppliers?|vendors?|factory|manufacturers?)\b)?"
    r"(?!\s+(?:for\s+)?(?:the\s+)?(?:shipping|delivery|freight|courier|transport))"
    r"|\bwe (?:paid|pay)\b(?!\s+(?:for\s+)?(?:the\s+)?(?:shipping|delivery|freight|courier|transport))"
    r"|\bpa(?:y|id) (?:to )?(?:the |our )?(?:suppliers?|vendors?|factory|manufacturers?)\b"
    r"|(?<!shipping )(?<!delivery )\bcosts? us\b|\bour costs?\b|\bcost to us\b|\bper[- ]unit (?:cost|margin|profit)s?\b"
    r"|\b(?:costs?|margins?|profits?) (?:per|a|each) (?:unit|piece|item)\b"
    r"|\bhow much (?:do|did) we (?:buy|get|purchase|source)\b"
    r"|(?<!shipping )(?<!delivery )(?<!freight )\bcosts? of (?!\d|(?:the |a |an )?(?:shipping|delivery|delivering"
    r"|deliveries|sending|freight|transport|courier|postage|moving|transfers?)\b)|'s (?:unit |purchase )?costs?\b"
)
_MARGIN_ZH = (
    r"毛利(?:率)?|利潤(?:率)?|純利|淨利|利錢"
    rf"|賺(?:到|咗|了)?(?:{_HOW_MUCH_ZH}|幾%|幾成)|有幾多賺|有冇賺|賺唔賺|賺不賺"
)
_MARGIN_EN = (
    r"\bmargins?\b|\bgross profits?\b|\bprofits?\b|\bprofitab\w*|\bhow much (?:do|did|can|will) we (?:make|earn)\b"
)

_UNIT_COST = re.compile(cue_pattern(f"{_UNIT_COST_ZH}|{_UNIT_COST_EN}"))
_ANY_COST = re.compile(cue_pattern(f"{_UNIT_COST_ZH}|{_MARGIN_ZH}|{_UNIT_COST_EN}|{_MARGIN_EN}"))

# The asking words that belong to a cost clause: removed with it so they count for nothing else
# ("入貨價係幾多?" must not leave a bare "幾多" behind, "成本係點?" no "係點").
_LEAD = (r"(?:(?:and|also|plus|with|what(?:'s| is| are| was| were)?|how much(?: is| are| was)?|show(?: me)?"
         r"|tell me|give me|list)\s+)*(?:the\s+|our\s+|its\s+|their\s+|your\s+)?")
_TRAIL = (r"(?:\s*(?:係|是|大概|大約|要|有|約)?\s*(?:幾多錢|幾多|幾錢|多少錢|多少|幾何|點計|點|咩|乜嘢|乜|什麼|甚麼)"
          r"(?:錢|蚊|元)?)?(?:\s*(?:呀|啊|呢|嗎|啦|㗎|吖|喎))?")
_COST_CLAUSE = re.compile(f"{_LEAD}(?:{_ANY_COST.pattern}){_TRAIL}")


# In a question about suppliers, a price asked for is the supplier's price ("邊間供應商平啲?幾錢一桶?"); the
# same words without a supplier ask the selling price, which anyone may see.
_SUPPLIER_CONTEXT = re.compile(cue_pattern(r"供應商|供貨商|供應|\bsuppl(?:ier|iers|ies|y)\b|\bvendors?\b"))
_PRICE_ASK = re.compile(cue_pattern(
    r"(?:最)?(?:平|便宜|貴)(?:啲|d|少少|好多)|最(?:平|便宜|貴)|(?:幾多錢|幾錢|多少錢)\s*(?:一|每)?\s*[^\s?？,，。!]?"
    r"|\b(?:cheaper|cheapest|priciest)\b|\bwhat(?:'s| is| are)? (?:their|the|its) (?:prices?|costs?)\b"
    r"|\bhow much (?:is it|are they|per|each|a)\b"))


def _supplier_price(key: str) -> bool:
    return bool(_SUPPLIER_CONTEXT.search(key) and _PRICE_ASK.search(key))


def asks_for_cost(key: str) -> bool:
    """True when the message asks for any cost data: unit cost, purchase or supplier price, margin or profit."""
    return bool(_ANY_COST.search(key)) or _supplier_price(key)


def asks_for_unit_cost(key: str) -> bool:
    """True when it asks what a product costs the company (as opposed to margin over a period of sales)."""
    return bool(_UNIT_COST.search(key)) or _supplier_price(key)


def without_cost_request(normalized: str, key: str) -> str:
    """The message with its cost clauses removed: what else it asks.

    `key` is the lower-case form of `normalized` with the same length (spans found in it point at
    the same characters of `normalized`, whose original case names and SKUs keep).
    """
    kept: list[str] = []
    start = 0
    clauses = list(_COST_CLAUSE.finditer(key))
    if _supplier_price(key):
        clauses = sorted([*clauses, *_PRICE_ASK.finditer(key)], key=lambda match: match.start())
    for match in clauses:
        if match.start() < start:
            continue
        if match.end() == match.start():
            continue
        kept.append(normalized[start:match.start()])
        start = match.end()
    kept.append(normalized[start:])
    return re.sub(r"\s{2,}", " ", " ".join(part.strip() for part in kept)).strip()
