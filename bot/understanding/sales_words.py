"""The words of a sales question: what to total (measure), what to group by, which channel, how many rows.

Everything here is about the words people use, in Cantonese, written Chinese and English; nothing names a
company's data. The patterns run on the normalised, lower-cased text; the channel words run only on the text
left after names are masked, so a store called "旺角門市" is a place, not the store channel.

- measure: margin (毛利, profit), delivery charges (運費, delivery cost), units when the question counts
  things (賣咗幾多件 / 盒 / 卷 / 箱 / 個, how many, units, pcs), revenue (幾多錢, 營業額, sales $, revenue).
- group by: region, area, product, category, channel, zone (sales_summary's groupings), and location / day
  for other tools; also a list of two or more regions (areas) asked to be compared ("港島、九龍、新界邊區賣得
  最好?") groups by region (area).
- channel: online (網店, 網上), store (門市, 店舖), b2b (批發, 公司客), phone (電話) as a filter; two channels
  named, or "網上定門市", group by channel instead.
- top N: "top 5", "頭三位", "前 5 名", "最好賣嘅 3 款", "best 3".
"""

from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel

from bot.understanding.normalize import cue_pattern
from bot.understanding.numerals import CHINESE_NUMBER, parse_number
from tools.sales import Channel, Measure
from tools.sales import GroupBy as SalesGroupBy

#: sales_summary's own groupings (tools/sales.py, defined there once) plus "location" and "day", which only
#: other tools use. `Measure` and `Channel` are the sales tool's own.
GroupBy = Literal[SalesGroupBy, "location", "day"]

_N = rf"(\d{{1,2}}|{CHINESE_NUMBER})"
#: Things counted when a question asks how many were sold (units, not dollars).
_COUNTED = (r"件|個|盒|卷|箱|袋|包|桶|樽|支|隻|對|套|條|張|罐|排|打|款貨|pcs|pc|pieces|units?|boxes|box|cartons?"
            r"|bottles?|packs?|rolls?|bags?|cases?")

GROUP_BY_WORDS: list[tuple[re.Pattern[str], GroupBy]] = [
    (re.compile(r"邊區|邊個區|每區|各區|分區|\bby region\b|\bper region\b|\beach region\b|\bwhich region"), "region"),
    (re.compile(r"邊度|邊個地區|每個地區|各地區|邊個地方|\bby area\b|\bper area\b|\beach area\b|\bwhich area"
                r"|\bby district\b"), "area"),
    (re.compile(r"邊款|邊隻|邊個產品|邊樣|邊種貨|每款|\bby product\b|\bper product\b|\bwhich products?\b|\bby sku\b"
                r"|best[- ]sell(?:ing|ers?)|\btop\s*\d*\s*(?:products?|skus?|items?)\b|最好賣|最多人買|頭\s*\S{1,2}\s*款"), "product"),
    (re.compile(r"邊類|每類|各類|邊個類別|邊種類|邊個\s*categor|\bby categor|\bper categor|\bwhich categor"
                r"|\beach categor"), "category"),
    (re.compile(cue_pattern(r"渠道|通路|網上定門市|門市定網上|\bby channel\b|\bper channel\b|\beach channel\b"
                            r"|\bwhich channel|\bsales channels?\b|\bonline (?:vs\.?|versus|or) (?:store|shop)")), "channel"),
    (re.compile(r"\bby zone\b|\bper zone\b|\beach zone\b|\bwhich zone|邊個zone|每個zone|各zone|運費區|收費區"), "zone"),
    (re.compile(r"邊個倉|每個倉|\bby location\b|\bby warehouse\b"), "location"),
    (re.compile(r"每日|\bby day\b|\bdaily\b|\bper day\b"), "day"),
]

MEASURE_WORDS: list[tuple[re.Pattern[str], Measure]] = [
    (re.compile(cue_pattern(r"毛利|利潤|\bmargins?\b|\bgross profit|\bprofits?\b")), "margin"),
    (re.compile(cue_pattern(r"運費|送貨成本|運輸成本|送貨收費|\bdelivery (?:cost|charge|fee)|\bshipping (?:cost|charge|fee)"
                            r"|\bfreight")), "delivery_charges"),
    (re.compile(cue_pattern(rf"(?:賣|銷|出|買)(?:咗|了|出|得)?(?:幾多|多少)\s*(?:{_COUNTED})|(?:幾多|多少)\s*(?:{_COUNTED})"
                            rf"(?:貨)?.{{0,4}}(?:賣|銷|出)|件數|數量|銷量|賣出幾多|\bunits?\b|\bpcs\b|\bvolume\b|\bqty\b"
                            r"|\bquantity\b|\bhow many\b")), "units"),
    (re.compile(cue_pattern(r"幾多錢|多少錢|最多錢|幾錢|營業額|銷售額|生意額|收入|金額|\brevenue\b|\bturnover\b|\bsales\b"
                            r"|\bdollars?\b|\bhk\$|\$")), "revenue"),
]

_CHANNEL_WORDS: list[tuple[re.Pattern[str], Channel]] = [
    (re.compile(cue_pattern(r"網店|網上|網購|線上|online|\be-?shop\b|\bweb(?:site)?\b|\be-?commerce\b")), "online"),
    (re.compile(cue_pattern(r"門市|店舖|店鋪|舖頭|鋪頭|實體店|\bin[- ]store\b|\bstores?\b|\bshops?\b|\bretail\b|\bwalk[- ]?in\b")),
     "store"),
    (re.compile(cue_pattern(r"批發|公司客|企業客|商業客|\bb2b\b|\bwholesale\b|\bcorporate\b|\bbusiness customers?\b")), "b2b"),
    (re.compile(cue_pattern(r"電話|\bphone\b|\btelephone\b|\bby phone\b")), "phone"),
]

#: "top 5", "前 5 名", "頭三位", "最好賣嘅 3 款", "best 3", "3 best-selling"
TOP_N = re.compile(
    rf"\btop\s*-?\s*(\d{{1,2}})\b|\bbest\s+(\d{{1,2}})\b|\b(\d{{1,2}})\s+(?:best|top)[- ]sell|前\s*{_N}\s*(?:名|位|款|個|隻|樣)"
    rf"|頭\s*{_N}\s*(?:名|位|款|個|隻|樣)|(?:最好賣|最暢銷|賣得最好|賣得最多|最多人買)(?:嘅|的)?\s*{_N}\s*(?:款|個|隻|樣|種|名|位)")

#: Asks to rank or compare what it lists ("港島、九龍、新界邊區賣得最好?", "Kowloon vs NT").
_RANKS = re.compile(cue_pattern(r"邊|最|哪|比較|對比|排名|\bwhich\b|\bbest\b|\bmost\b|\bhighest\b|\blowest\b|\bvs\.?\b"
                                r"|\bversus\b|\bcompare|\brank"))


class SalesWords(BaseModel):
    """The sales options a question states."""

    group_by: GroupBy | None = None
    measure: Measure | None = None
    channel: Channel | None = None
    top_n: int | None = None


def top_n_spans(key: str) -> list[tuple[int, int]]:
    """Where "top 5" and the like sit, so their number is not read as a quantity."""
    return [match.span() for match in TOP_N.finditer(key)]


def _top_n(key: str) -> int | None:
    match = TOP_N.search(key)
    if match is None:
        return None
    value = parse_number(next(group for group in match.groups() if group))
    return int(value) if value is not None and 1 <= value <= 50 else None


def sales_words(key: str, free_text: str, regions: int = 0, areas: int = 0) -> SalesWords:
    """The options in `key` (normalised lower-case text); channels from `free_text` (the text outside names);
    `regions` / `areas`: how many different ones the question names."""
    group_by = next((group for pattern, group in GROUP_BY_WORDS if pattern.search(key)), None)
    channels = [channel for pattern, channel in _CHANNEL_WORDS if pattern.search(free_text)]
    top_n = _top_n(key)
    ranks = bool(_RANKS.search(key)) or top_n is not None
    if ranks and regions >= 2 and group_by in (None, "area"):
        group_by = "region"
    elif ranks and areas >= 2 and group_by is None:
        group_by = "area"
    if group_by is None and len(channels) >= 2 and ranks:
        group_by = "channel"
    channel = channels[0] if len(channels) == 1 and group_by != "channel" else None
    if group_by is None and top_n is not None:
        group_by = "product"  # "上星期 top 5": the best sellers
    measure = next((measure for pattern, measure in MEASURE_WORDS if pattern.search(key)), None)
    return SalesWords(group_by=group_by, measure=measure, channel=channel, top_n=top_n)
