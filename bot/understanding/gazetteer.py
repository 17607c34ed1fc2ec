"""The gazetteer: every name staff may type for a product, area, location, region or category,
built from the loaded business data (nothing about one company is written here).

Surface forms come from the data: SKUs, `name_en`, `name_zh` and `aliases` of products; code,
names, aliases and district of areas; code, names and short forms of locations (the name without
a generic suffix such as 倉 / 貨倉 / Warehouse / Hub, and that short form + 倉). Regions use
Hong Kong's own words (港島, 九龍, 新界, 離島, Kowloon, ...), which are not company data.

Vans come from vehicles.csv (id, plate, driver names) and order-id prefixes from orders.csv.

Matching is exact first (longest match wins, so 九龍灣 beats 九龍 and "藍色水樽 750ml" beats
"藍色水樽"), then fuzzy for products and English area names (fuzzy.py: a different colour or size
word never matches, 藍色水樽 is not 紅色水樽). One gazetteer is cached per database and data version (`gazetteer_for`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal, cast

from sqlalchemy import select

from bot.understanding.categories import lexicon_words, shared_chinese_words
from bot.understanding.fuzzy import (
    COLOUR_NAME_RE,
    COLOUR_RE,
    SIZE_RE,
    best_area_match,
    best_product_match,
    colour_names,
    free_runs,
    sizes,
    word_sorted,
)
from bot.understanding.hk_places import REGION_WORDS, district_names
from bot.understanding.normalize import has_han, match_key, match_variants, needs_conversion, squeeze_mixed_spaces
from bot.understanding.sounds import SoundIndex
from bot.understanding.variants import VariantIndex
from core.db import Database
from core.models import Area, Location, OrderLine, Product, Vehicle, split_list

Kind = Literal["product", "area", "location", "region", "district", "category", "vehicle"]

#: Generic words at the end of a location's name; dropping them gives the short form staff type.
LOCATION_SUFFIXES_ZH = ("中轉倉", "轉運站", "轉運中心", "物流中心", "配送中心", "分發中心", "廠倉", "貨倉", "倉庫",
                        "門市", "分店", "倉", "店", "廠")
LOCATION_SUFFIXES_EN = ("warehouse", "distribution centre", "distribution center", "transit hub", "factory store",
                        "hub", "store", "shop", "depot", "dc", "factory")
_ASCII_WORD_EDGE = re.compile(r"[a-z0-9]")
# Short ASCII codes that are also everyday English words are never read as codes.
_ENGLISH_WORDS = frozenset({"to", "on", "in", "at", "by", "of", "is", "it", "me", "us", "an", "or", "and",
                            "the", "for", "all", "can", "how", "who", "why", "now", "any", "not", "are",
                            "do", "we", "so", "no", "up", "vs", "per", "one", "two", "our", "out", "get"})
_SKU_TOKEN = re.compile(r"(?<![a-z0-9])[a-z]{1,6}(?:[- ]?[a-z0-9]{1,6}){1,4}(?![a-z0-9])")


@dataclass(frozen=True, slots=True)
class Entry:
    """One surface form and what it names."""

    form: str
    kind: Kind
    code: str
    via: str  # sku, name, alias, code, district, short, region, category
    case_sensitive: bool = False


@dataclass(frozen=True, slots=True)
class Hit:
    """An exact or fuzzy match of a gazetteer form in a text."""

    start: int
    end: int
    kind: Kind
    codes: tuple[str, ...]
    via: str
    score: float = 100.0


@dataclass
class ProductInfo:
    """What the understanding layer needs to know of one product."""

    sku: str
    colours: frozenset[str]
    sizes: frozenset[str]
    category: str


@dataclass
class Gazetteer:
    """Names from the loaded data, ready for matching. Build with `Gazetteer.from_database`."""

    fuzzy_cutoff: float = 80.0
    forms: dict[str, list[Entry]] = field(default_factory=dict)
    products: dict[str, ProductInfo] = field(default_factory=dict)
    area_regions: dict[str, str] = field(default_factory=dict)
    compact_skus: dict[str, str] = field(default_factory=dict)
    order_prefixes: tuple[str, ...] = ("SO",)
    order_ids_by_number: dict[str, str] = field(default_factory=dict)
    #: Every order id of the data, lower-cased -> as stored: ids of any shape ("PO88-0001", "2026/INV/17").
    order_ids_exact: dict[str, str] = field(default_factory=dict)
    #: Stock locations standing in each area (a replenishment target named by its area: "Cheung Sha Wan").
    locations_by_area: dict[str, list[str]] = field(default_factory=dict)
    known_hyphen_words: set[str] = field(default_factory=set)
    #: The shapes (letters as A, digit runs as 9, separators kept) of the loaded order ids and SKUs.
    order_shapes: frozenset[str] = frozenset()
    sku_shapes: frozenset[str] = frozenset()
    data_version: int = 0
    short_forms: list[tuple[str, str]] = field(default_factory=list)
    _product_names: dict[str, list[str]] = field(default_factory=dict, repr=False)
    _order_id_regex: re.Pattern[str] | None = field(default=None, repr=False)
    fuzzy_forms: list[str] = field(default_factory=list)
    fuzzy_skus: list[str] = field(default_factory=list)
    fuzzy_sorted_forms: list[str] = field(default_factory=list)
    fuzzy_area_forms: list[str] = field(default_factory=list)
    fuzzy_area_codes: list[str] = field(default_factory=list)
    #: Products that differ only by colour: name with the colour blanked -> colour -> SKU.
    colour_families: dict[str, dict[str, str]] = field(default_factory=dict)
    family_of: dict[str, str] = field(default_factory=dict)
    #: Every product's attributes (colour, size, measure, model) and words, to tell variants apart.
    variants: VariantIndex = field(default_factory=VariantIndex)
    #: Chinese names by their Cantonese sound, for homophone typos (柴彎 for 柴灣).
    sounds: SoundIndex = field(default_factory=SoundIndex)

    # --- building -------------------------------------------------------------------------------

    def add(self, surface: str, kind: Kind, code: str, via: str) -> None:
        """Register one surface form in every shape a normalised question may hold it (see normalize)."""
        for form in match_variants(surface):
            self._add_form(form.strip(), kind, code, via)

    def _add_form(self, form: str, kind: Kind, code: str, via: str) -> None:
        if len(form) < 2 or form in _ENGLISH_WORDS:
            return
        # Two-letter forms (KT, TC; but not "cc", "ty", "st") count only when typed in capitals.
        case_sensitive = form.isascii() and len(form) <= 2
        entries = self.forms.setdefault(form, [])
        for index, entry in enumerate(entries):
            if entry.kind == kind and entry.code == code:
                if entry.via == "name-without-size" and via != entry.via:
                    entries[index] = Entry(form, kind, code, via, case_sensitive)  # the company's own word wins
                return
        entries.append(Entry(form, kind, code, via, case_sensitive))

    def add_product(self, sku: str, name_en: str, name_zh: str, aliases: list[str], category: str) -> None:
        """Register a product's SKU, names, aliases and the names without their size."""
        self.add(sku, "product", sku, "sku")
        self._product_names[sku] = [match_key(name_en), match_key(name_zh)]
        self.compact_skus[_compact(sku)] = sku
        names = [(name_en, "name"), (name_zh, "name")] + [(alias, "alias") for alias in aliases]
        all_text = match_key(" ".join([name_en, name_zh, *aliases]))
        self.products[sku] = ProductInfo(sku=sku, colours=frozenset(COLOUR_RE.findall(all_text)),
                                         sizes=frozenset(sizes(match_key(f"{name_en} {name_zh}"))),
                                         category=category)
        self.variants.add(sku, category, [name_en, name_zh, *aliases])
        for surface, via in names:
            if not surface:
                continue
            self.add(surface, "product", sku, via)
            without_size = SIZE_RE.sub("", match_key(surface)).strip(" -,()")
            if without_size and without_size != match_key(surface):
                self.add(without_size, "product", sku, "name-without-size")

    def add_location(self, code: str, name_en: str, name_zh: str) -> None:
        """Register a location's code, names and short forms without generic suffixes."""
        self.add(code, "location", code, "code")
        for name in (name_en, name_zh):
            if not name:
                continue
            self.add(name, "location", code, "name")
            key = match_key(name)
            suffixes = LOCATION_SUFFIXES_EN if key.isascii() else LOCATION_SUFFIXES_ZH
            for suffix in suffixes:
                if key.endswith(suffix) and len(key) > len(suffix):
                    short = key[: -len(suffix)].strip()
                    if has_han(short):
                        self.add(short + "倉", "location", code, "short")
                        if suffix in ("門市", "分店", "店"):
                            self.add(short + "店", "location", code, "short")
                    else:
                        self.add(short + " warehouse", "location", code, "short")
                    self.short_forms.append((short, code))
                    break

    def finish(self) -> None:
        """Add the bare short forms of locations that name nothing else; index forms for fuzzy matching."""
        self._index_colour_families()
        self.variants.finish()
        for short, code in self.short_forms:
            if match_key(short) not in self.forms:
                self.add(short, "location", code, "short")
        # A distinctive part: the city of "深圳平湖倉" (深圳倉, 深圳) when no other location starts with it.
        for short, code in self.short_forms:
            prefix = short[:2]
            if has_han(short) and len(short) >= 4 and has_han(prefix) and \
                    not any(other.startswith(prefix) for other, other_code in self.short_forms if other_code != code):
                for form in (prefix + "倉", prefix):
                    if match_key(form) not in self.forms:
                        self.add(form, "location", code, "short")
        for form, entries in self.forms.items():
            self.known_hyphen_words.update(re.findall(r"[a-z0-9]+(?:-[a-z0-9]+)+", form))
            for entry in entries:
                if entry.kind == "product" and entry.via != "sku":
                    self.fuzzy_forms.append(form)
                    self.fuzzy_skus.append(entry.code)
                elif entry.kind == "area" and entry.via != "code" and not has_han(form) and len(form) >= 6:
                    self.fuzzy_area_forms.append(form)
                    self.fuzzy_area_codes.append(entry.code)
                if entry.kind in ("product", "area", "location") and entry.via != "code":
                    self.sounds.add(form, entry.kind, entry.code)
        self.fuzzy_sorted_forms = [word_sorted(form) for form in self.fuzzy_forms]
        # Pay the one-off costs (OpenCC dictionaries, rapidfuzz's first matrix) now, not on a user's question.
        needs_conversion("東涌")
        self.fuzzy_product("warm up 預熱", [])

    def _index_colour_families(self) -> None:
        for sku, names in self._product_names.items():
            for name in names:
                colours = colour_names(name)
                if len(colours) == 1:
                    family = COLOUR_NAME_RE.sub("#", name)
                    self.colour_families.setdefault(family, {}).setdefault(colours[0], sku)
                    self.family_of.setdefault(sku, family)
                    break

    def skus_in_category(self, category: str) -> set[str]:
        """The products of one category."""
        return {sku for sku, info in self.products.items() if info.category == category}

    def colour_variant(self, sku: str, colour: str) -> str | None:
        """The product like `sku` but in `colour` ("red" after 藍色水樽 -> 紅色水樽), if the data has one."""
        family = self.family_of.get(sku)
        return self.colour_families.get(family, {}).get(colour) if family else None

    @classmethod
    def from_database(cls, db: Database, fuzzy_cutoff: float = 80.0) -> Gazetteer:
        """Build the gazetteer from the products, areas, locations and orders in the database."""
        gazetteer = cls(fuzzy_cutoff=fuzzy_cutoff, data_version=db.data_version())
        with db.session() as session:
            products = session.execute(select(Product.sku, Product.name_en, Product.name_zh, Product.aliases,
                                              Product.category)).all()
            areas = session.execute(select(Area.code, Area.name_en, Area.name_zh, Area.aliases, Area.district,
                                           Area.region)).all()
            locations = session.execute(select(Location.code, Location.name_en, Location.name_zh,
                                               Location.area)).all()
            order_ids = session.scalars(select(OrderLine.order_id).distinct()).all()
            vehicles = session.execute(select(Vehicle.vehicle_id, Vehicle.plate, Vehicle.driver,
                                              Vehicle.driver_zh)).all()
        for sku, name_en, name_zh, aliases, category in products:
            gazetteer.add_product(sku, name_en or "", name_zh or "", split_list(aliases), category or "")
        categories = sorted({row.category for row in products if row.category})
        for category in categories:
            gazetteer.add(category, "category", category, "category")
            spaced = category.replace("_", " ").replace("-", " ")
            gazetteer.add(spaced, "category", category, "category")
            if not spaced.endswith("s"):
                gazetteer.add(spaced + "s", "category", category, "category")
        # Words for a category beyond its name: the Chinese word its products share, and general retail words
        # (categories.py); registered last, so a product, area or location with the same word keeps it.
        zh_names: dict[str, list[str]] = {}
        for product in products:
            if product.category and product.name_zh:
                zh_names.setdefault(product.category, []).append(product.name_zh)
        category_words = {**lexicon_words(categories), **shared_chinese_words(zh_names)}
        for code, name_en, name_zh, aliases, _district, region in areas:
            gazetteer.area_regions[code] = region
            gazetteer.add(code, "area", code, "code")
            gazetteer.add(name_en or "", "area", code, "name")
            gazetteer.add(name_zh or "", "area", code, "name")
            for alias in split_list(aliases):
                gazetteer.add(alias, "area", code, "alias")
        for region, words in REGION_WORDS.items():
            for word in words:
                gazetteer.add(word, "region", region, "region")
        # A district names its areas only when no area, region or alias already uses the word.
        by_district: dict[str, list[str]] = {}
        for row in areas:
            by_district.setdefault(row.district or "", []).append(row.code)
        for district, codes in by_district.items():
            names = district_names(district) if district else []
            # "觀塘區" / "Kwun Tong District" is the area Kwun Tong when the data has that area.
            if len(names) > 2 and match_key(names[2][:-1]) in gazetteer.forms:
                names = names[:2]
            for name in names:
                if match_key(name) not in gazetteer.forms and match_key(name.removesuffix(" district")) not in \
                        _area_forms(gazetteer, district):
                    for code in codes:
                        gazetteer.add(name, "district", code, "district")
        for code, name_en, name_zh, area in locations:
            gazetteer.add_location(code, name_en or "", name_zh or "")
            if area:
                gazetteer.locations_by_area.setdefault(area, []).append(code)
        for vehicle_id, plate, driver, driver_zh in vehicles:
            gazetteer.add(vehicle_id, "vehicle", vehicle_id, "code")
            for name in (plate, driver, driver_zh):
                gazetteer.add(name or "", "vehicle", vehicle_id, "name")
        for word, category in category_words.items():
            if match_key(word) not in gazetteer.forms:
                gazetteer.add(word, "category", category, "category-word")
        gazetteer._index_orders(list(order_ids))
        gazetteer.finish()
        return gazetteer

    def order_id_regex(self) -> re.Pattern[str]:
        """Order ids with the prefixes seen in orders.csv: SO-10231, so10231, SO 10231 (groups: prefix,
        the space if any, digits)."""
        if self._order_id_regex is None:
            prefixes = "|".join(re.escape(prefix.lower()) for prefix in self.order_prefixes)
            self._order_id_regex = re.compile(rf"(?<![a-z0-9])({prefixes})(?:\s*[-#]\s*|(\s+)|)(\d{{3,}})(?!\d)")
        return self._order_id_regex

    def looks_like_order_id(self, token: str) -> bool:
        """True for a token shaped like an order id that names no order: the shape of the loaded order ids
        ("PO/2026/09999" when orders are PO/2026/00123), or letters, a separator and digits ("XY-12345").
        A known SKU, or a token shaped like the SKUs, is never one."""
        if token in self.forms or _compact(token) in self.compact_skus:
            return False
        shape = id_shape(token)
        if shape in self.sku_shapes:
            return False
        return shape in self.order_shapes or _GENERIC_ORDER_ID.match(token) is not None

    def _index_orders(self, order_ids: list[str]) -> None:
        prefixes: dict[str, int] = {}
        sku_shapes = {id_shape(sku) for sku in self.products}
        self.sku_shapes = frozenset(sku_shapes)
        self.order_shapes = frozenset(shape for shape in (id_shape(order_id) for order_id in order_ids if order_id)
                                      if shape not in sku_shapes and "9" in shape)
        for order_id in order_ids:
            if order_id:
                self.order_ids_exact.setdefault(order_id.lower(), order_id)
            match = re.match(r"^([A-Za-z]+)-?(\d+)$", order_id or "")
            if match:
                prefixes[match.group(1).upper()] = prefixes.get(match.group(1).upper(), 0) + 1
                self.order_ids_by_number.setdefault(match.group(2), order_id)
        if prefixes:
            self.order_prefixes = tuple(sorted(prefixes, key=lambda p: -prefixes[p]))

    # --- matching -------------------------------------------------------------------------------

    def exact_hits(self, key: str, original: str) -> list[Hit]:
        """Every gazetteer form found in `key` (normalised, lower-case), overlaps resolved longest first.

        `original` is the normalised text before lower-casing, used for case-sensitive short codes.
        """
        hits: list[Hit] = []
        # Matched on the text without the spaces between Chinese and Latin ("黑色iPhone 15手機殼"), every
        # form being registered that way too; spans are mapped back to the text as written.
        squeezed, kept = squeeze_mixed_spaces(key)
        squeezed_original = "".join(original[index] for index in kept) if len(original) == len(key) else original
        for form, entries in self.forms.items():
            if form not in squeezed:
                continue
            start = squeezed.find(form)
            while start != -1:
                end = start + len(form)
                if self._boundaries_ok(squeezed, start, end, form) and self._case_ok(squeezed_original, start, end,
                                                                                    entries):
                    kind = _preferred_kind({e.kind for e in entries})
                    chosen = [e for e in entries if e.kind == kind]
                    # A name or alias the company wrote beats a name we derived by dropping the size:
                    # "藍色水樽" is the alias of the 500ml bottle even though a 750ml one exists.
                    direct = [e for e in chosen if e.via != "name-without-size"]
                    chosen = direct or chosen
                    hits.append(Hit(kept[start], kept[end - 1] + 1, kind, tuple(e.code for e in chosen),
                                    chosen[0].via))
                start = squeezed.find(form, start + 1)
        for match in _SKU_TOKEN.finditer(key):
            sku = self.compact_skus.get(_compact(match.group(0)))
            if sku is not None:
                hits.append(Hit(match.start(), match.end(), "product", (sku,), "sku"))
        return _longest_first(hits)

    @staticmethod
    def _boundaries_ok(key: str, start: int, end: int, form: str) -> bool:
        if _ASCII_WORD_EDGE.match(form[0]) and start > 0 and _ASCII_WORD_EDGE.match(key[start - 1]):
            return False
        if _ASCII_WORD_EDGE.match(form[-1]) and end < len(key) and _ASCII_WORD_EDGE.match(key[end]):
            # "bottles" still names "bottle": allow an English plural s.
            return key[end] == "s" and (end + 1 == len(key) or not _ASCII_WORD_EDGE.match(key[end + 1]))
        return True

    @staticmethod
    def _case_ok(original: str, start: int, end: int, entries: list[Entry]) -> bool:
        if not any(e.case_sensitive for e in entries):
            return True
        return len(original) == len(original.lower()) and original[start:end].isupper()

    def fuzzy_product(self, key: str, masked: list[tuple[int, int]]) -> Hit | None:
        """The best near spelling of a product name or alias outside `masked` (see fuzzy.py)."""
        found = best_product_match(key, masked, self.fuzzy_forms, self.fuzzy_skus, self.fuzzy_cutoff,
                                   self.fuzzy_sorted_forms)
        return None if found is None else Hit(found.start, found.end, "product", (found.code, *found.ties), "fuzzy",
                                              found.score)

    def fuzzy_area(self, key: str, masked: list[tuple[int, int]]) -> Hit | None:
        """The best near spelling of an English area name ("Tung Chong") outside `masked` (see fuzzy.py)."""
        found = best_area_match(key, masked, self.fuzzy_area_forms, self.fuzzy_area_codes, self.fuzzy_cutoff)
        return None if found is None else Hit(found.start, found.end, "area", (found.code,), "fuzzy", found.score)

    def sound_alike(self, key: str, masked: list[tuple[int, int]], kinds: frozenset[str]) -> Hit | None:
        """A Chinese name of `kinds` typed with a homophone ("柴彎" for 柴灣) outside `masked` (see sounds.py)."""
        found = self.sounds.find(key, free_runs(key, masked), kinds)
        if found is None:
            return None
        return Hit(found.start, found.end, cast(Kind, found.kind), found.codes, "sound", 85.0)

    def unknown_sku_tokens(self, key: str, original: str, masked: list[tuple[int, int]]) -> list[str]:
        """SKU-looking words (letters, a hyphen, digits) that name no product: for "did you mean"."""
        tokens = []
        for match in re.finditer(r"(?<![a-z0-9])[a-z]{1,5}-[a-z0-9]{1,6}(?:-[a-z0-9]{1,6})*(?![a-z0-9])", key):
            token = match.group(0)
            if any(match.start() < e and match.end() > s for s, e in masked) or token in self.known_hyphen_words:
                continue
            written = original[match.start(): match.end()] if len(original) == len(key) else token
            if any(c.isdigit() for c in token) or written.isupper():
                tokens.append(token.upper())
        return tokens


#: Letters, a separator and a number: an order id of some system even when the data has none like it.
_GENERIC_ORDER_ID = re.compile(r"^[a-z]{2,4}[-/#_.][0-9]{4,}(?:[-/_.][0-9]{2,})*$")


def id_shape(code: str) -> str:
    """The shape of an id: each run of letters as A, each run of digits as 9 repeated as long as the run,
    separators as written ("PO/2026/00123" -> "A/9999/99999", "SO-10231" -> "A-99999")."""
    return re.sub(r"[0-9]", "9", re.sub(r"[a-z]+", "A", code.lower()))


def _area_forms(gazetteer: Gazetteer, district: str) -> set[str]:
    """The forms that already name an area or a region (so "<that> district" is left to the area)."""
    stem = match_key(district)
    entries = gazetteer.forms.get(stem, [])
    return {stem} if any(entry.kind in ("area", "region") for entry in entries) else set()


def _compact(code: str) -> str:
    return re.sub(r"[^0-9a-z]", "", code.lower())


def _preferred_kind(kinds: set[str]) -> Kind:
    for kind in ("product", "area", "location", "region", "district", "category", "vehicle"):
        if kind in kinds:
            return kind
    raise ValueError(kinds)  # pragma: no cover


def _longest_first(hits: list[Hit]) -> list[Hit]:
    chosen: list[Hit] = []
    for hit in sorted(hits, key=lambda h: (-(h.end - h.start), h.start)):
        if all(hit.end <= other.start or hit.start >= other.end for other in chosen):
            chosen.append(hit)
    return sorted(chosen, key=lambda h: h.start)


def gazetteer_for(db: Database, fuzzy_cutoff: float = 80.0) -> Gazetteer:
    """The gazetteer of the database's current data (built on first use after each `silobridge load`, then
    kept in the database's one cache, `Database.cached`; safe to share between threads)."""
    return db.cached(f"gazetteer:{fuzzy_cutoff:g}", lambda _version: Gazetteer.from_database(db, fuzzy_cutoff))
