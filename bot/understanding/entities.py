"""Entities in a question: products, places, quantities, dates, times, order ids, money and weight.

Everything named here is typed (pydantic). Places and products come from the gazetteer (the loaded
data); the rest from patterns in both languages. `extract_entities` returns the entities and the
spans they cover, so that a number inside an SKU, a date or an order id is never read as a quantity.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

from bot.understanding.dates import DateMention, TimeMention, find_dates_and_times
from bot.understanding.fuzzy import colour_names, free_runs
from bot.understanding.gazetteer import Gazetteer, Hit
from bot.understanding.normalize import cue_pattern
from bot.understanding.numerals import ANY_NUMBER, ENGLISH_NUMBER, ENGLISH_NUMBERS, parse_number
from bot.understanding.sales_words import GroupBy, sales_words, top_n_spans
from bot.understanding.variants import Attributes, attributes_of
from tools.sales import Channel, Measure

# Kinds a homophone typo may name (see sounds.py).
_PRODUCT_KIND = frozenset({"product"})
_PLACE_KINDS = frozenset({"area", "location"})


class ProductMention(BaseModel):
    """A product named by SKU, name, alias or a near spelling."""

    sku: str = Field(description="the SKU meant (the first candidate when the words fit several)")
    text: str = Field(description="the words that named it")
    via: str = Field(description="sku, name, alias or fuzzy")
    score: float = Field(100.0, description="100 for an exact match; the fuzzy similarity otherwise")
    candidates: list[str] = Field(default_factory=list, description="every SKU the words fit, when more than one")
    position: int = Field(-1, description="where it starts in the normalised text (-1: not from the text)")

    @property
    def ambiguous(self) -> bool:
        """True when the words fit several products (e.g. a name shared by two sizes)."""
        return len(self.candidates) > 1


class AreaMention(BaseModel):
    """A delivery area (areas.csv), named by code, name, alias or district."""

    code: str
    region: str = Field(description="HKI, KLN, NT or ISL")
    text: str
    via: str = Field(description="code, name, alias or district")
    candidates: list[str] = Field(default_factory=list, description="all areas of a named district")
    position: int = Field(-1, description="where it starts in the normalised text")


class LocationMention(BaseModel):
    """A stock location (locations.csv), named by code, name or short form (深圳倉)."""

    code: str
    text: str
    via: str


class RegionMention(BaseModel):
    """One of Hong Kong's regions: HKI, KLN, NT, ISL."""

    code: str
    text: str


class CategoryMention(BaseModel):
    """A product category (products.csv `category`)."""

    name: str
    text: str


class QuantityMention(BaseModel):
    """A number of units or boxes: 50 件, 3 箱, 100 units, 一百件, 兩箱, or a bare number."""

    value: int = Field(gt=0)
    unit: Literal["unit", "box"] = "unit"
    text: str
    explicit_unit: bool = Field(True, description="False for a bare number ('what about 100?')")
    position: int = Field(-1, description="where it starts in the normalised text")


class Entities(BaseModel):
    """Everything recognised in one message, in order of appearance. Lists are empty when absent."""

    products: list[ProductMention] = Field(default_factory=list)
    areas: list[AreaMention] = Field(default_factory=list)
    locations: list[LocationMention] = Field(default_factory=list)
    regions: list[RegionMention] = Field(default_factory=list)
    categories: list[CategoryMention] = Field(default_factory=list)
    quantities: list[QuantityMention] = Field(default_factory=list)
    dates: list[DateMention] = Field(default_factory=list)
    times: list[TimeMention] = Field(default_factory=list)
    order_ids: list[str] = Field(default_factory=list, description="normalised order ids, e.g. SO-10231")
    vehicles: list[str] = Field(default_factory=list, description="vehicle ids named by id, plate or driver")
    money: list[float] = Field(default_factory=list, description="HKD amounts ($800, 800蚊): an order value")
    weights_kg: list[float] = Field(default_factory=list, description="weights (20kg, 20公斤)")
    colours: list[str] = Field(default_factory=list,
                               description="colours named outside any product name ('紅色呢?' -> red)")
    unknown_product_codes: list[str] = Field(default_factory=list,
                                             description="SKU-like words that name no product (WB-XX-1)")
    group_by: GroupBy | None = Field(None, description="邊區 / by region -> region, 邊款 / which product -> product")
    measure: Measure | None = Field(None, description="what to total: revenue, units, margin or delivery_charges")
    compare_previous: bool = Field(False, description="vs / 比較 / 同上星期比: against another period")
    channel: Channel | None = Field(None, description="one sales channel named: 網店 / online, 門市 / store, 批發 / b2b, 電話")
    top_n: int | None = Field(None, description="top 5 / 頭三位 / 最好賣嘅 3 款: how many rows")

    @property
    def empty(self) -> bool:
        """True when nothing at all was recognised."""
        return not any((self.products, self.areas, self.locations, self.regions, self.categories, self.vehicles,
                        self.quantities, self.dates, self.times, self.order_ids, self.money, self.weights_kg,
                        self.unknown_product_codes))


#: Can it be delivered? — 可唔可以送 / 得唔得 / 能送…嗎 / can I deliver. A date in such a question is a deadline.
FEASIBLE_DELIVERY = (r"(?<!幾時)(?<!幾時先)(?:可唔可以|可不可以|能不能|能否|可否|得唔得)\s*(?:幫我|幫手)?\s*送"
                     r"|(?<!幾時)(?<!什麼時候)(?<!甚麼時候)(?:能|可以)送.{0,40}嗎"
                     r"|送.{0,40}(?:得唔得|可唔可以|可不可以|能不能|ok\s*嗎|ok唔ok)"
                     r"|(?<!when )(?<!soon )\bcan (?:i|we|you) (?:deliver|send|ship|get)\b")

_BOX_UNITS = {"箱", "box", "boxes", "carton", "cartons", "ctn", "ctns", "case", "cases"}
#: The counting words staff put after a number (Chinese classifiers and English units): 20 桶 / 卷 / 袋 / 盒,
#: 20 rolls / packs / cases. The tools count units; 箱 / box / carton / case stay boxes (see `QuantityMention`).
_UNIT_WORDS = (r"件|個|個|pcs|pc|pieces|piece|units|unit|樽|瓶|支|枝|隻|套|包|盒|箱|桶|罐|卷|捲|袋|張|塊|份|排|扎|紮|粒"
               r"|條|對|雙|打|boxes|box|cartons|carton|ctns|ctn|cases|case|bottles|bottle|packs|pack|packets|packet"
               r"|pkts|pkt|sets|set|rolls|roll|bags|bag|tubs|tub|drums|drum|cans|tins|tubes|tube|jars|jar"
               r"|pairs|pair|sheets|sheet|reams|ream|bundles|bundle|sacks|sack|dozens|dozen|doz")
_QTY_WITH_UNIT = re.compile(rf"({ANY_NUMBER}|{ENGLISH_NUMBER})\s*({_UNIT_WORDS})(?![a-z])")
#: "x20", "×20", "20x", "20 x": a quantity written the way an order line is.
_QTY_TIMES = re.compile(r"(?<![a-z0-9.])[x×]\s*(\d[\d,]*)(?![\d.,]|\s*(?:kg|cm|mm|ml|g\b|l\b|吋|\d))"
                        r"|(?<![\d.,x×])(\d[\d,]*)\s*[x×](?![a-z0-9])")
#: "a dozen", "half a dozen": twelve and six.
_DOZEN = re.compile(r"\b(?:(half) a|an?) dozen\b")
_DOZEN_UNITS = {"打", "dozen", "dozens", "doz"}
_BARE_NUMBER = re.compile(r"(?<![\d.,$a-z-])(\d[\d,]*)(?![\d.,]|\s*(?:%|kg|公斤|g\b|ml|l\b|毫升|公升|蚊|元|hkd|dollars?"
                          r"|月|日|號|點|週|星期|天|年|am|pm|:))")
_MONEY = re.compile(r"(?:hk\$|\$|hkd\s*)\s*(\d[\d,]*(?:\.\d+)?)|(\d[\d,]*(?:\.\d+)?|" + r"[零一二兩三四五六七八九十百千萬]+)"
                    r"\s*(?:蚊|元|港元|港幣|hkd|dollars?)")
_WEIGHT = re.compile(r"(\d+(?:\.\d+)?)\s*(?:kg|公斤|kilos?)(?![a-z])")
_ID_TOKEN = re.compile(r"(?<![a-z0-9])[a-z0-9]+(?:[-_/.][a-z0-9]+)+(?![a-z0-9])")
_ORDER_WORD_NUMBER = re.compile(r"(?:單|訂單|order|#)\s*(?:號碼|號|no\.?|number|id|#)?\s*[:：]?\s*(\d{4,})")

_COMPARE = re.compile(r"\bvs\.?\b|\bversus\b|\bcompared?\b|\bagainst\b|比較|對比|同.{0,6}比|比起|相比")


def extract_entities(key: str, original: str, now: datetime, gazetteer: Gazetteer) -> Entities:
    """All entities in a message. `key` is the normalised lower-case text, `original` the normalised text.

    Each step masks the spans it took, so a later step never reads them again: order ids first ("SO-10231" is
    no product code or quantity), then the names of the data, dates and times, amounts, quantities, near
    spellings, and last the bare numbers and the sales words."""
    masked: list[tuple[int, int]] = []
    entities = Entities()
    _find_order_ids(key, original, gazetteer, entities, masked)
    for hit in gazetteer.exact_hits(key, original):
        if not _overlaps((hit.start, hit.end), masked):
            _add_hit(entities, gazetteer, hit, key)
            masked.append((hit.start, hit.end))
    _find_dates_and_amounts(key, now, entities, masked)
    _find_quantities(key, entities, masked)
    _find_near_names(key, original, gazetteer, entities, masked)
    _find_bare_numbers(key, gazetteer, entities, masked)
    entities.products.sort(key=lambda mention: mention.position)
    entities.quantities.sort(key=lambda mention: mention.position)
    said = sales_words(key, " ".join(run for _start, run in free_runs(key, masked)),
                       regions=len({mention.code for mention in entities.regions}),
                       areas=len({mention.code for mention in entities.areas}))
    entities.group_by, entities.measure = said.group_by, said.measure
    entities.channel, entities.top_n = said.channel, said.top_n
    entities.compare_previous = bool(_COMPARE.search(key))
    if _FEASIBLE.search(key):
        # "聽日可唔可以送…?" / "can I deliver … tomorrow?": the day is the limit the customer was given.
        for mention in entities.dates:
            if mention.is_day:
                mention.deadline = True
    _stock_places_as_locations(key, entities, gazetteer)
    return entities


def _find_order_ids(key: str, original: str, gazetteer: Gazetteer, entities: Entities,
                    masked: list[tuple[int, int]]) -> None:
    """Order ids: the data's prefix and digits, any id of the data whatever its shape, a token shaped like one
    that names none (the tool then says so), and "單號 10231"."""
    for match in gazetteer.order_id_regex().finditer(key):
        prefix, spaced, digits = match.group(1), match.group(2), match.group(3)
        if spaced and digits not in gazetteer.order_ids_by_number and not original[match.start(): match.end()].isupper():
            continue  # "so 100 pcs then?" is English, not order SO-100
        entities.order_ids.append(_order_id(gazetteer, prefix, digits))
        masked.append(match.span())
    for match in _ID_TOKEN.finditer(key):  # an order id of the data, whatever its shape
        known = gazetteer.order_ids_exact.get(match.group())
        if known is not None and known not in entities.order_ids and not _overlaps(match.span(), masked):
            entities.order_ids.append(known)
            masked.append(match.span())
    for match in _ID_TOKEN.finditer(key):  # shaped like an order id but naming none: the tool says so
        if not _overlaps(match.span(), masked) and gazetteer.looks_like_order_id(match.group()):
            entities.order_ids.append(match.group().upper())
            masked.append(match.span())
    for match in _ORDER_WORD_NUMBER.finditer(key):
        if _overlaps(match.span(), masked):
            continue
        entities.order_ids.append(_order_id(gazetteer, None, match.group(1)))
        masked.append(match.span(1))


def _find_dates_and_amounts(key: str, now: datetime, entities: Entities, masked: list[tuple[int, int]]) -> None:
    """Dates and clock times, weights in kg and money amounts."""
    for found in find_dates_and_times(key, now):
        if _overlaps((found.start, found.end), masked):
            continue
        masked.append((found.start, found.end))
        if found.date is not None:
            entities.dates.append(found.date)
        if found.time is not None:
            entities.times.append(found.time)
    for match in _WEIGHT.finditer(key):
        if not _overlaps(match.span(), masked):
            entities.weights_kg.append(float(match.group(1)))
            masked.append(match.span())
    for match in _MONEY.finditer(key):
        if not _overlaps(match.span(), masked):
            amount = parse_number(match.group(1) or match.group(2))
            if amount is not None:
                entities.money.append(amount)
                masked.append(match.span())
    masked.extend(top_n_spans(key))


def _find_quantities(key: str, entities: Entities, masked: list[tuple[int, int]]) -> None:
    """Quantities with a counting word ("20 桶", "3 cases", "兩打"), a dozen, and "x20"."""
    for match in _QTY_WITH_UNIT.finditer(key):
        if _overlaps(match.span(), masked):
            continue
        value = parse_number(match.group(1))
        if value is None:
            value = ENGLISH_NUMBERS.get(match.group(1))
        if value is not None and match.group(2) in _DOZEN_UNITS:
            value *= 12  # 兩打 = 24, "2 dozen" = 24
        if value is not None and 1 <= value < 10_000_000 and value == int(value):
            unit = "box" if match.group(2) in _BOX_UNITS else "unit"
            entities.quantities.append(QuantityMention(value=int(value), unit=unit, text=match.group(0),
                                                       position=match.start()))
            masked.append(match.span())
    for match in _DOZEN.finditer(key):
        if not _overlaps(match.span(), masked):
            entities.quantities.append(QuantityMention(value=6 if match.group(1) else 12, text=match.group(0),
                                                       position=match.start()))
            masked.append(match.span())
    for match in _QTY_TIMES.finditer(key):
        if _overlaps(match.span(), masked):
            continue
        value = parse_number(match.group(1) or match.group(2))
        if value is not None and 1 <= value < 10_000_000 and value == int(value):
            entities.quantities.append(QuantityMention(value=int(value), text=match.group(0),
                                                       position=match.start()))
            masked.append(match.span())


def _find_near_names(key: str, original: str, gazetteer: Gazetteer, entities: Entities,
                     masked: list[tuple[int, int]]) -> None:
    """What exact matching missed: unknown SKU-shaped codes, variants told apart, near spellings and homophones
    of products and places, and the colours of a product not named."""
    entities.unknown_product_codes = gazetteer.unknown_sku_tokens(key, original, masked)
    _tell_variants_apart(key, original, entities, gazetteer, masked)
    if not entities.products:
        fuzzy = gazetteer.fuzzy_product(key, masked)
        if fuzzy is not None:
            _add_hit(entities, gazetteer, fuzzy, key)
            masked.append((fuzzy.start, fuzzy.end))
    if not entities.products:
        entities.colours = colour_names(" ".join(run for _start, run in free_runs(key, masked)))
    if not (entities.areas or entities.regions or entities.locations):
        fuzzy_place = gazetteer.fuzzy_area(key, masked) or gazetteer.sound_alike(key, masked, _PLACE_KINDS)
        if fuzzy_place is not None:
            _add_hit(entities, gazetteer, fuzzy_place, key)
            masked.append((fuzzy_place.start, fuzzy_place.end))


def _find_bare_numbers(key: str, gazetteer: Gazetteer, entities: Entities, masked: list[tuple[int, int]]) -> None:
    """A bare number is a quantity when nothing else is ("what about 100?"); with several products ("10 blue
    bottles and 5 masks") every bare number may belong to one of them; "10231" alone may be a known order."""
    several_products = len({mention.sku for mention in entities.products}) > 1
    if entities.quantities and not several_products:
        return
    for match in _BARE_NUMBER.finditer(key):
        if _overlaps(match.span(), masked) or _inside_code(key, match.start(), match.end()):
            continue
        digits = match.group(1).replace(",", "")
        if len(digits) >= 4 and digits in gazetteer.order_ids_by_number and not entities.order_ids:
            entities.order_ids.append(gazetteer.order_ids_by_number[digits])
            break
        value = parse_number(match.group(1))
        if value is not None and 1 <= value < 10_000_000:
            entities.quantities.append(QuantityMention(value=int(value), unit="unit", text=match.group(0),
                                                       explicit_unit=False, position=match.start()))
            if not several_products:
                break


_FEASIBLE = re.compile(cue_pattern(FEASIBLE_DELIVERY))
#: "How many … at Cheung Sha Wan?" / "喺長沙灣有幾多…?": a count of what stands at a place ...
_COUNT_QUESTION = re.compile(cue_pattern(r"\bhow many\b|\bhow much stock\b|\bin stock\b|\bstock\b|\bleft\b|幾多|多少"
                                         r"|有冇貨|有沒有貨|有貨|剩|存貨|庫存"))
#: ... unless the place is where something goes or the count is of sales or a forecast.
_NOT_A_STOCK_COUNT = re.compile(cue_pattern(
    r"送|運|寄|去|到|賣|銷|預測|需要|準備|補|調|\bdeliver|\bship|\bsend|\bto\b|\bsold\b|\bsell|\bsales\b|\bforecast"
    r"|\bneed|\bwhen\b|\btransfer|\brestock|\breplenish|\border"))
_AT_PLACE = re.compile(r"(?:\bat|\bin|喺|係|在)\s*(?:the\s+)?$")


def _stock_places_as_locations(key: str, entities: Entities, gazetteer: Gazetteer) -> None:
    """An area named with "at"/"in"/喺 in a stock count ("How many WB-PK-500 at Cheung Sha Wan?") is the
    stock location standing in that area (from locations.csv), not a delivery area."""
    if entities.locations or not entities.areas or not _COUNT_QUESTION.search(key) or _NOT_A_STOCK_COUNT.search(key):
        return
    for mention in list(entities.areas):
        located = gazetteer.locations_by_area.get(mention.code, [])
        if len(located) == 1 and mention.position >= 0 and _AT_PLACE.search(key[max(0, mention.position - 8):
                                                                             mention.position]):
            entities.areas.remove(mention)
            entities.locations.append(LocationMention(code=located[0], text=mention.text, via="area"))


def _order_id(gazetteer: Gazetteer, prefix: str | None, digits: str) -> str:
    known = gazetteer.order_ids_by_number.get(digits)
    if known is not None:
        return known
    return f"{(prefix or gazetteer.order_prefixes[0]).upper()}-{digits}"


def _add_hit(entities: Entities, gazetteer: Gazetteer, hit: Hit, key: str) -> None:
    text = key[hit.start: hit.end]
    codes = list(hit.codes)
    if hit.kind == "product":
        if len(codes) > 1:
            codes = _narrow_by_size(gazetteer, codes, key[hit.end: hit.end + 12]) or codes
        entities.products.append(ProductMention(sku=codes[0], text=text, via=hit.via, score=hit.score, position=hit.start,
                                                candidates=codes if len(codes) > 1 else []))
    elif hit.kind in ("area", "district"):
        entities.areas.append(AreaMention(code=codes[0], region=gazetteer.area_regions.get(codes[0], ""),
                                          text=text, via=hit.via, candidates=codes if len(codes) > 1 else [],
                                          position=hit.start))
    elif hit.kind == "location":
        entities.locations.append(LocationMention(code=codes[0], text=text, via=hit.via))
    elif hit.kind == "region":
        entities.regions.append(RegionMention(code=codes[0], text=text))
    elif hit.kind == "category":
        entities.categories.append(CategoryMention(name=codes[0], text=text))
    elif hit.kind == "vehicle":
        entities.vehicles.append(codes[0])


def _tell_variants_apart(key: str, original: str, entities: Entities, gazetteer: Gazetteer,
                         masked: list[tuple[int, int]]) -> None:
    """Products named by a common word and an attribute ("L size 藍色手套", "紅色嗰款抹布"), and a name whose
    variant the question's attribute changes ("45cm 嗰款保鮮紙" where 保鮮紙 is the 30cm alias). Where the
    words fit several variants the attributes do not tell apart, the mention lists them all (an ask-back)."""
    variants = gazetteer.variants
    for mention in entities.products:
        if mention.via == "sku":
            continue  # a SKU says exactly which variant
        if mention.candidates:
            narrowed = variants.narrow(mention.candidates, _outside_attributes(key, original, masked))
            if narrowed and narrowed != mention.candidates:
                mention.sku, mention.candidates = narrowed[0], narrowed if len(narrowed) > 1 else []
            continue
        other = variants.variant_for(mention.sku, key, original, masked)
        if other is not None:
            mention.sku, mention.candidates, mention.via = other[0], other if len(other) > 1 else [], "variant"
    if entities.products:
        return
    fuzzy = gazetteer.fuzzy_product(key, masked) or gazetteer.sound_alike(key, masked, _PRODUCT_KIND)
    if fuzzy is not None:
        # A near spelling of a whole name or alias ("blue bottels") is better evidence than shared words.
        _add_hit(entities, gazetteer, fuzzy, key)
        masked.append((fuzzy.start, fuzzy.end))
        mention = entities.products[-1]
        other = variants.variant_for(mention.sku, key, original, masked)
        if other is not None:
            mention.sku, mention.candidates, mention.via = other[0], other if len(other) > 1 else [], "variant"
        return
    if entities.categories:
        # "L size 藍色手套" / "M size gloves": the category's word and an attribute name one of its products.
        category = entities.categories[0]
        found = variants.resolve(key, original, masked, within=gazetteer.skus_in_category(category.name),
                                 extra_text=category.text)
        if found is None or found.attributes.empty:
            return
        entities.categories.remove(category)
    else:
        found = variants.resolve(key, original, masked)
        if found is None:
            return
    skus = list(found.skus)
    text = key[found.start: found.end] if found.start >= 0 else ""
    entities.products.append(ProductMention(sku=skus[0], text=text, via="variant", score=100.0,
                                            candidates=skus if len(skus) > 1 else [], position=max(found.start, 0)))
    if found.start >= 0:
        masked.append((found.start, found.end))
    masked.extend(found.attribute_spans)


def _outside_attributes(key: str, original: str, masked: list[tuple[int, int]]) -> Attributes:
    chars, originals = list(key), list(original) if len(original) == len(key) else None
    for start, end in masked:
        for index in range(start, min(end, len(chars))):
            chars[index] = " "
            if originals is not None:
                originals[index] = " "
    return attributes_of("".join(chars), "".join(originals) if originals is not None else None)


def _narrow_by_size(gazetteer: Gazetteer, skus: list[str], following: str) -> list[str]:
    """Of several products sharing a name, those whose size is the one written after it."""
    match = re.match(r"\s*(\d+(?:\.\d+)?)\s*(ml|毫升|l|公升|升)(?![a-z])", following)
    if not match:
        return []
    size = f"{float(match.group(1)):g}{match.group(2)}"
    return [sku for sku in skus if size in gazetteer.products[sku].sizes]


def _overlaps(span: tuple[int, int], masked: list[tuple[int, int]]) -> bool:
    return any(span[0] < end and span[1] > start for start, end in masked)


def _inside_code(key: str, start: int, end: int) -> bool:
    """True for digits glued to letters or hyphens (a vehicle id V01, a code like A-12)."""
    before = key[start - 1] if start > 0 else " "
    after = key[end] if end < len(key) else " "
    return before.isascii() and (before.isalpha() or before == "-") or (after.isascii() and after.isalpha())


class LineItem(BaseModel):
    """One product with its quantity, when a message names several ("3 件藍樽同 2 件紅樽")."""

    sku: str
    qty: int | None = None
    unit: Literal["unit", "box"] = "unit"


def pair_items(entities: Entities) -> list[LineItem]:
    """Each named product with the quantity written next to it (before or after), in order.

    Only meaningful with two or more products; a quantity is used once, by the nearest product.
    """
    items: list[LineItem] = []
    free = list(entities.quantities)
    for product in entities.products:
        nearest = min(free, key=lambda q: abs(q.position - product.position), default=None)
        if nearest is not None:
            free.remove(nearest)
            items.append(LineItem(sku=product.sku, qty=nearest.value, unit=nearest.unit))
        else:
            items.append(LineItem(sku=product.sku))
    return items
