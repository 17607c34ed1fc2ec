"""Product variants told apart by their attributes, read from the loaded names and aliases (both languages).

A catalogue often holds one product in several variants: gloves in S/M/L/XL, cloths in four colours, cling
film 30 or 45 cm wide, a case for two phone models. Staff name the variant by an attribute and the product
by a common word ("L size 藍色手套", "紅色嗰款抹布", "45cm 嗰款保鮮紙", "iphone 15 透明嗰隻殼"), words that
are rarely a full name or alias. This module reads, from every product's names and aliases:

- attributes: colours (紅/藍/透明, red/blue/clear …), sizes as grades (S/M/L/XL, 細碼/中碼/大碼/加大碼,
  small/medium/large/big), measures (45cm, 5L = 5公升, 500ml, 8oz = 8安士, 10000mAh) and model numbers
  (the 15 of "iPhone 15");
- words: the English words and the Chinese terms left when the attributes, pack counts and filler are
  taken out (丁腈手套 and its head noun 手套; nitrile, glove).

`VariantIndex.resolve` scores the products by the words a question shares with them, keeps the best, and
narrows them by the attributes the question names. One product left: that variant. Several: the question
does not tell them apart, and the candidates are returned so the bot can ask back listing them. Nothing here
names a value of any company: every word and attribute comes from the data, and the attribute vocabularies
are general (colours, sizes, units).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from rapidfuzz.distance import OSA

from bot.understanding.fuzzy import COLOUR_NAME_RE, COLOUR_NAMES, COMMON_ENGLISH
from bot.understanding.normalize import match_key

#: Units of measure, as written, to one spelling ("5公升" and "5 L" are both "5l").
_UNITS = {
    "ml": "ml", "毫升": "ml", "l": "l", "ltr": "l", "litre": "l", "liter": "l", "公升": "l", "升": "l",
    "cm": "cm", "厘米": "cm", "公分": "cm", "mm": "mm", "毫米": "mm", "m": "m", "米": "m",
    "oz": "oz", "安士": "oz", "kg": "kg", "公斤": "kg", "g": "g", "克": "g", "mah": "mah",
    "吋": "in", "寸": "in", "inch": "in", "in": "in", "w": "w", "瓦": "w",
}
_UNIT_ALTERNATION = "|".join(sorted(map(re.escape, _UNITS), key=len, reverse=True))
MEASURE_RE = re.compile(rf"(?<![\w.])(\d+(?:\.\d+)?)\s*({_UNIT_ALTERNATION})(?![a-z])")
#: Sizes as grades: letters with "size"/碼, the English words, and the Chinese 細/中/大碼.
_GRADE_WORDS = {"xs": "xs", "s": "s", "m": "m", "l": "l", "xl": "xl", "xxl": "xxl", "2xl": "xxl",
                "small": "s", "medium": "m", "med": "m", "large": "l", "big": "l", "extra large": "xl",
                "x-large": "xl", "細": "s", "小": "s", "中": "m", "大": "l", "加大": "xl", "特大": "xxl"}
_GRADE_RE = re.compile(
    r"(?<![a-z0-9])(xxl|2xl|xl|xs|s|m|l)\s*(?:size|碼|号|號)"        # "L size", "M碼"
    r"|\bsize\s*(xxl|2xl|xl|xs|s|m|l)\b"                               # "size L"
    r"|(加大|特大|細|小|中|大)\s*(?:碼|号|號|size)"                     # 大碼, 中 size
    r"|\b(extra large|x-large|small|medium|large)\b"                   # words
)
#: A grade letter standing alone, when typed in capitals ("nitrile gloves M").
_BARE_GRADE_RE = re.compile(r"(?<![A-Za-z0-9])(XXL|XL|XS|S|M|L)(?![A-Za-z0-9])")
#: A standalone number: a model number ("iPhone 15").
_MODEL_RE = re.compile(r"(?<![\w.%/-])(\d{1,4})(?![\w.%/-])")
#: More products than this sharing the question's words is no answer and no useful question back.
MAX_CANDIDATES = 5
#: Pack counts and notes in brackets ("(100 pcs)", "(10卷裝)") say nothing about which product is meant.
_BRACKETS = re.compile(r"[(（\[].*?[)）\]]")
_HAN_RUN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]{2,}")
_LATIN_WORD = re.compile(r"[a-z][a-z]+")
#: Words that name nothing about a product (English filler of names and questions).
_STOP = frozenset({
    "the", "and", "with", "for", "of", "in", "to", "on", "at", "by", "per", "pcs", "pc", "pieces", "piece", "pack",
    "packs", "set", "sets", "size", "colour", "color", "one", "ones", "this", "that", "which", "what", "how",
    "many", "much", "stock", "left", "have", "do", "we", "any", "can", "when", "will", "next", "week", "month",
    "today", "tomorrow", "there", "still", "please", "is", "are", "it", "its", "me", "you", "our", "ship", "send",
    "deliver", "delivery", "shipping", "cost", "fee", "price", "order", "orders", "sales", "sell", "sold",
    "forecast", "demand", "promise", "who", "supplies", "supplier", "lead", "time", "where", "eta", "from",
    "rolls", "roll", "pairs", "pair", "units", "unit", "box", "boxes", "case", "cases", "carton", "cartons",
    "bottle", "bottles", "bag", "bags",
})
# Head words that are also units or containers ("box", "bag", "case", "roll") name products too: kept when
# they are part of a product's own name, so they are dropped from the stop list per product below.
_CONTAINER_WORDS = frozenset({"box", "boxes", "case", "cases", "bag", "bags", "roll", "rolls", "bottle",
                              "bottles", "set", "sets", "pack", "packs", "carton", "cartons"})
#: Chinese filler inside names and questions: 嗰款/嗰隻 (that one), 款, 色 (colour) …
_HAN_FILLER = re.compile(r"嗰款|嗰隻|嗰個|嗰種|呢款|呢隻|果款|果隻|那款|那個|那種|這款|款|色|味|裝|系列")
#: Colours in a name or a question (透明 / clear counts as a colour here).
_COLOUR_STRIP = re.compile(r"(?:" + COLOUR_NAME_RE.pattern + r")色?")


@dataclass(frozen=True, slots=True)
class Attributes:
    """The attributes a text names: colours, grades (S/M/L), measures (45cm, 5l) and model numbers."""

    colours: frozenset[str] = frozenset()
    grades: frozenset[str] = frozenset()
    measures: frozenset[str] = frozenset()
    models: frozenset[str] = frozenset()

    @property
    def empty(self) -> bool:
        """True when no attribute is named."""
        return not (self.colours or self.grades or self.measures or self.models)

    def union(self, other: Attributes) -> Attributes:
        """Both texts' attributes."""
        return Attributes(self.colours | other.colours, self.grades | other.grades, self.measures | other.measures,
                          self.models | other.models)


def _measure(number: str, unit: str) -> str:
    return f"{float(number):g}{_UNITS[unit]}"


def attributes_of(key: str, original: str | None = None) -> Attributes:
    """The attributes written in a lower-case text (`original`, the same text before lower-casing, lets a
    capital S/M/L standing alone count as a grade)."""
    clean = _BRACKETS.sub(" ", key)
    measures = frozenset(_measure(number, unit) for number, unit in MEASURE_RE.findall(clean))
    grades: set[str] = set()
    for match in _GRADE_RE.finditer(clean):
        word = next(group for group in match.groups() if group)
        grades.add(_GRADE_WORDS[word])
    if original is not None and len(original) == len(key):
        bracket_free = _BRACKETS.sub(lambda m: " " * len(m.group(0)), original)
        grades.update(_GRADE_WORDS[match.group(1).lower()] for match in _BARE_GRADE_RE.finditer(bracket_free))
    without_measures = MEASURE_RE.sub(" ", clean)
    models = frozenset(_MODEL_RE.findall(without_measures))
    colours = frozenset(COLOUR_NAMES[match.group(0)] for match in COLOUR_NAME_RE.finditer(clean))
    return Attributes(colours, frozenset(grades), measures, models)


def _strip_attributes(key: str) -> str:
    text = _BRACKETS.sub(" ", key)
    text = MEASURE_RE.sub(" ", text)
    text = _GRADE_RE.sub(" ", text)
    text = _COLOUR_STRIP.sub(" ", text)
    text = _HAN_FILLER.sub(" ", text)
    return re.sub(r"\d+", " ", text)


def _singular(word: str) -> str:
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith(("xes", "ches", "shes")):
        return word[:-2]
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


@dataclass
class VariantProduct:
    """One product as the variant resolver sees it."""

    sku: str
    category: str
    attributes: Attributes
    english: frozenset[str]
    chinese: frozenset[str]


@dataclass(frozen=True, slots=True)
class VariantMatch:
    """The products a question's words and attributes point to (one: resolved; several: ask which)."""

    skus: tuple[str, ...]
    start: int
    end: int
    attributes: Attributes
    #: Where the attributes that named the product are written (so "15" of "iphone 15" is not a quantity).
    attribute_spans: tuple[tuple[int, int], ...] = ()


@dataclass
class VariantIndex:
    """Every product's attributes and words, built from the loaded names and aliases."""

    products: dict[str, VariantProduct] = field(default_factory=dict)
    chinese_terms: dict[str, set[str]] = field(default_factory=dict)
    english_words: dict[str, set[str]] = field(default_factory=dict)
    _suffixes: dict[str, set[str]] = field(default_factory=dict, repr=False)

    def add(self, sku: str, category: str, names: list[str]) -> None:
        """Register one product's names and aliases."""
        attributes = Attributes()
        english: set[str] = set()
        chinese: set[str] = set()
        for name in names:
            key = match_key(name)
            if not key:
                continue
            attributes = attributes.union(attributes_of(key))
            stripped = _strip_attributes(key)
            for word in _LATIN_WORD.findall(stripped):
                singular = _singular(word)
                if word not in _STOP or word in _CONTAINER_WORDS:
                    english.add(singular)
            for run in _HAN_RUN.findall(stripped):
                chinese.add(run)
                # The head noun a name ends with (丁腈手套 -> 手套, 超細纖維抹布 -> 抹布, 外賣飯盒 -> 飯盒).
                for length in range(2, len(run)):
                    self._suffixes.setdefault(run[-length:], set()).add(sku)
        # Capital grades written in names ("Nitrile gloves blue M") are read from the names as written.
        for name in names:
            written = re.sub(r"\s+", " ", name)
            letters = {_GRADE_WORDS[m.group(1).lower()] for m in _BARE_GRADE_RE.finditer(_BRACKETS.sub(" ", written))}
            if letters:
                attributes = Attributes(attributes.colours, attributes.grades | letters, attributes.measures,
                                        attributes.models)
        self.products[sku] = VariantProduct(sku, category, attributes, frozenset(english), frozenset(chinese))
        for word in english:
            self.english_words.setdefault(word, set()).add(sku)
        for term in chinese:
            self.chinese_terms.setdefault(term, set()).add(sku)

    def finish(self) -> None:
        """Keep the end of a Chinese name as a word when two or more products end with it (手套, 抹布): a head
        noun. The end of one product's name only ("補充" of 洗手液補充) is too often an everyday word."""
        for term, skus in self._suffixes.items():
            if len(skus | self.chinese_terms.get(term, set())) >= 2:
                self.chinese_terms.setdefault(term, set()).update(skus)
        self._suffixes.clear()

    def attributes(self, sku: str) -> Attributes:
        """A product's attributes (empty for an unknown SKU)."""
        product = self.products.get(sku)
        return product.attributes if product else Attributes()

    # --- resolving ------------------------------------------------------------------------------

    def resolve(self, key: str, original: str, masked: list[tuple[int, int]], *,
                within: set[str] | None = None, extra_text: str = "") -> VariantMatch | None:
        """The products the free text of a question (outside `masked`) names by its words, narrowed by the
        attributes it names. `within` limits the products (a category the question named); `extra_text` adds
        words already matched elsewhere (that category's words). None when the words name no product, or name
        too many to ask about."""
        free = _free_text(key, masked)
        free_original = _free_text(original, masked) if len(original) == len(key) else None
        asked = attributes_of(free, free_original)
        searched = f"{free} {extra_text}" if extra_text else free
        # Each product scores the Chinese terms it shares with the question, longest first and not overlapping
        # ("薰衣草味地板水": 薰衣草 and 地板水 for the lavender floor cleaner, only 地板水 for the lemon one).
        found_terms = sorted(((searched.find(term), term) for term in self.chinese_terms if term in searched),
                             key=lambda found: -len(found[1]))
        chinese: dict[str, float] = {}
        spans: dict[str, tuple[int, int]] = {}
        covered: dict[str, list[tuple[int, int]]] = {}
        for position, term in found_terms:
            span = (position, position + len(term))
            for sku in self.chinese_terms[term]:
                if within is not None and sku not in within:
                    continue
                taken = covered.setdefault(sku, [])
                if any(span[0] < end and span[1] > start for start, end in taken):
                    continue
                taken.append(span)
                chinese[sku] = chinese.get(sku, 0.0) + len(term) * 1.5
                if position < len(free):
                    old = spans.get(sku)
                    spans[sku] = span if old is None else (min(old[0], span[0]), max(old[1], span[1]))
        english: dict[str, set[str]] = {}
        for match in _LATIN_WORD.finditer(searched):
            word = _singular(match.group(0))
            if word in _STOP and word not in _CONTAINER_WORDS:
                continue
            for sku in self.english_words.get(word) or self._near_english(word):
                if within is None or sku in within:
                    english.setdefault(sku, set()).add(word)
                    if match.start() < len(free):
                        old = spans.get(sku)
                        spans[sku] = match.span() if old is None else (min(old[0], match.start()),
                                                                        max(old[1], match.end()))
        totals = {sku: chinese.get(sku, 0.0) + 2.0 * len(english.get(sku, ())) for sku in chinese.keys() | english}
        if within is not None and not totals and not asked.empty:
            totals = dict.fromkeys(within, 1.0)  # the category's own words named it
        if not totals:
            return None
        best = max(totals.values())
        chosen = [sku for sku, total in totals.items() if total == best]
        narrowed = self.narrow(chosen, asked)
        # A number right after a product word is a model ("iphone 16", "case 16"): one that no candidate has
        # names another product, not this one.
        written = {free[end: end + 6].strip().split(" ")[0] for _start, end in spans.values()}
        if any(number in written and not any(number in self.attributes(sku).models for sku in narrowed)
               for number in asked.models) and any(self.attributes(sku).models for sku in narrowed):
            return None
        # One product: that one. A few that the question does not tell apart: ask which, when the words say
        # enough (a Chinese head noun, two English words, or an attribute); one everyday English word matching
        # several products ("hand") is no evidence.
        if not narrowed or len(narrowed) > MAX_CANDIDATES or (
                len(narrowed) > 1 and asked.empty and best < 3.0 and within is None):
            return None
        start = min((spans[sku][0] for sku in chosen if sku in spans), default=-1)
        end = max((spans[sku][1] for sku in chosen if sku in spans), default=-1)
        models = frozenset(model for sku in narrowed for model in self.attributes(sku).models) & asked.models
        return VariantMatch(tuple(sorted(narrowed)), start, end, asked, attribute_spans(free, free_original, models))

    def _near_english(self, word: str) -> set[str]:
        """Products with an English word one typo from `word` (nitirle -> nitrile), for words of 6+ letters."""
        if len(word) < 6 or word in COMMON_ENGLISH:
            return set()
        found: set[str] = set()
        for known, skus in self.english_words.items():
            if len(known) >= 6 and abs(len(known) - len(word)) <= 1 and OSA.distance(word, known) <= 1:
                found |= skus
        return found

    def narrow(self, skus: list[str], asked: Attributes) -> list[str]:
        """Of `skus`, those with every attribute the question names (a kind of attribute none of them has is
        ignored: "透明嗰隻" cannot narrow products that have no colour; a measure counts only against measures
        in the same unit, so a 20kg weight never narrows bottles sold by the litre)."""
        kept = list(skus)
        for kind in ("colours", "grades", "measures", "models"):
            for wanted in _groups(kind, getattr(asked, kind)):
                having = [sku for sku in kept if _groups_match(kind, getattr(self.attributes(sku), kind), wanted)
                          is not None]
                if not having:
                    continue
                matching = [sku for sku in having
                            if _groups_match(kind, getattr(self.attributes(sku), kind), wanted)]
                if kind == "models" and not matching:
                    continue  # a bare number may be a quantity, not a model
                kept = matching
        return kept

    def variant_for(self, sku: str, key: str, original: str, masked: list[tuple[int, int]]) -> list[str] | None:
        """When the question names an attribute (outside `masked`) that product `sku` does not have but
        products sharing its words do ("45cm 嗰款保鮮紙" where the alias 保鮮紙 is the 30cm one): those
        products. None when the attributes agree with `sku`."""
        free = _free_text(key, masked)
        free_original = _free_text(original, masked) if len(original) == len(key) else None
        asked = attributes_of(free, free_original)
        own = self.attributes(sku)
        conflicting = [kind for kind in ("colours", "grades", "measures")
                       for wanted in _groups(kind, getattr(asked, kind))
                       if _groups_match(kind, getattr(own, kind), wanted) is False]
        if not conflicting:
            return None
        family = sorted(self.family(sku))
        narrowed = self.narrow(family, asked)
        # What the question did not change stays as named: "iphone 15" + 透明 is the clear iPhone 15 case.
        kept = Attributes(*(frozenset() if kind in conflicting else getattr(own, kind)
                            for kind in ("colours", "grades", "measures", "models")))
        narrowed = self.narrow(narrowed, kept) or narrowed
        return narrowed or [sku, *family]

    def family(self, sku: str) -> set[str]:
        """The other products of `sku`'s category that share a word with it (a Chinese term or head noun of
        two or more characters, or an English word): its variants."""
        product = self.products.get(sku)
        if product is None:
            return set()
        related: set[str] = set()
        for term, skus in self.chinese_terms.items():
            if sku in skus and len(term) >= 2:
                related |= skus
        for word in product.english:
            related |= self.english_words.get(word, set())
        return {other for other in related
                if other != sku and self.products[other].category == product.category}


def attribute_spans(key: str, original: str | None, models: frozenset[str]) -> tuple[tuple[int, int], ...]:
    """The spans of the colour, grade and measure words of a text, and of the model numbers in `models`."""
    spans = [m.span() for m in MEASURE_RE.finditer(key)] + [m.span() for m in _GRADE_RE.finditer(key)]
    spans += [m.span() for m in _COLOUR_STRIP.finditer(key)]
    if original is not None and len(original) == len(key):
        spans += [m.span() for m in _BARE_GRADE_RE.finditer(original)]
    spans += [m.span() for m in _MODEL_RE.finditer(key) if m.group(1) in models]
    return tuple(sorted(spans))


def _unit_of(measure: str) -> str:
    return measure.lstrip("0123456789.")


def _groups(kind: str, values: frozenset[str]) -> list[frozenset[str]]:
    """The asked values of one kind, grouped so that each group is checked on its own: measures by unit."""
    if not values:
        return []
    if kind != "measures":
        return [values]
    units: dict[str, set[str]] = {}
    for value in values:
        units.setdefault(_unit_of(value), set()).add(value)
    return [frozenset(group) for group in units.values()]


def _groups_match(kind: str, own: frozenset[str], wanted: frozenset[str]) -> bool | None:
    """Whether a product's values of a kind include one wanted; None when the product has no value of that kind
    (for measures: none in the wanted unit), so the attribute cannot tell."""
    if kind == "measures":
        unit = _unit_of(next(iter(wanted)))
        own = frozenset(value for value in own if _unit_of(value) == unit)
    if not own:
        return None
    return bool(own & wanted)


def _free_text(text: str, masked: list[tuple[int, int]]) -> str:
    """`text` with masked spans blanked (positions kept)."""
    chars = list(text)
    for start, end in masked:
        for index in range(max(0, start), min(len(chars), end)):
            chars[index] = " "
    return "".join(chars)
