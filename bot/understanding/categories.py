"""Words for product categories: the loaded category names, a Chinese word read from the data, and a small
general bilingual lexicon of retail category words mapped onto the loaded categories by their names.

- From the data: the Chinese word most of a category's products share in their Chinese names, and no product
  of another category has (手套 when every glove's Chinese name holds 手套).
- From the lexicon: common words for kinds of goods in both languages (清潔用品 / cleaning products, 文具 /
  stationery, 飲品 / drinks …), each with the English words a category name for that kind holds. A word is
  used only when exactly one loaded category's name fits: a company with "chemicals" and "janitorial" does not
  get 清潔用品 guessed onto one of them. No company's category is named here.
"""

from __future__ import annotations

import re

#: (words a category's name may hold, the words staff use for such a category in both languages).
CATEGORY_LEXICON: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...] = (
    (("chemical", "detergent"), ("化學品", "清潔劑", "清潔液", "清潔化學品", "cleaning chemicals", "detergents")),
    (("janitorial", "cleaning tool"), ("清潔工具", "清潔用具", "janitorial supplies", "cleaning tools")),
    (("cleaning", "clean", "household"), ("清潔用品", "清潔產品", "cleaning products", "cleaning supplies",
                                          "cleaning stuff", "家居用品")),
    (("paper", "tissue"), ("紙品", "紙類", "紙類產品", "紙巾類", "paper products", "paper goods")),
    (("disposable", "catering", "takeaway"), ("即棄用品", "即棄餐具", "外賣用品", "餐飲用品", "disposables",
                                              "takeaway supplies", "catering supplies")),
    (("glove",), ("手套類", "gloves")),
    (("bag",), ("袋類", "膠袋類", "bags")),
    (("drink", "beverage"), ("飲品", "飲料", "嘢飲", "drinks", "beverages")),
    (("drinkware", "bottle", "mug", "cup"), ("水樽類", "杯類", "水杯", "drinkware")),
    (("kitchen", "cookware", "kitchenware"), ("廚房用品", "廚具", "廚房嘢", "kitchen stuff", "kitchenware",
                                              "kitchen products")),
    (("stationery", "office"), ("文具", "辦公室用品", "辦公用品", "stationery", "office supplies")),
    (("phone", "mobile"), ("手機配件", "電話配件", "手機周邊", "phone accessories", "mobile accessories")),
    (("electronic", "gadget"), ("電子產品", "電子用品", "electronics", "gadgets")),
    (("snack", "confectioner"), ("零食", "小食", "snacks")),
    (("tea",), ("茶葉", "茶類")),
    (("personal care", "beauty", "cosmetic", "toiletr"), ("個人護理", "護膚品", "化妝品", "personal care")),
    (("toy",), ("玩具", "toys")),
    (("baby",), ("嬰兒用品", "baby products")),
    (("pet",), ("寵物用品", "pet supplies")),
    (("apparel", "clothing", "garment"), ("服裝", "衣服", "clothing", "apparel")),
)

_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+")


def _name_words(category: str) -> str:
    return " " + re.sub(r"[_\-/&,]+", " ", category.lower()) + " "


def lexicon_words(categories: list[str]) -> dict[str, str]:
    """Lexicon word -> the one loaded category it names (only concepts that fit exactly one category)."""
    found: dict[str, str] = {}
    for keys, words in CATEGORY_LEXICON:
        fitting = [category for category in categories
                   if any(f" {key}" in _name_words(category) for key in keys)]
        if len(fitting) == 1:
            for word in words:
                found.setdefault(word, fitting[0])
    return found


def shared_chinese_words(zh_names_by_category: dict[str, list[str]]) -> dict[str, str]:
    """A Chinese word (2+ characters) that at least two thirds (and at least two) of a category's products
    hold in their Chinese names and no product of another category holds: word -> category. The most shared
    (then longest) such word per category, and the shared words that end the names (head nouns)."""
    found: dict[str, str] = {}
    for category, names in zh_names_by_category.items():
        if len(names) < 2:
            continue
        others = [name for other, other_names in zh_names_by_category.items() if other != category
                  for name in other_names]
        counts: dict[str, int] = {}
        for name in names:
            pieces = {run[start: start + length] for run in _HAN.findall(name)
                      for length in range(2, min(len(run), 6) + 1) for start in range(len(run) - length + 1)}
            for piece in pieces:
                counts[piece] = counts.get(piece, 0) + 1
        needed = max(2, -(-2 * len(names) // 3))
        common = [piece for piece, count in counts.items()
                  if count >= needed and not any(piece in name for name in others)]
        if common:
            best = max(common, key=lambda piece: (counts[piece], len(piece)))
            found.setdefault(best, category)
            # The head noun too: a shared piece that ends the names (廚房圍裙 -> 圍裙).
            for piece in common:
                if sum(any(run.endswith(piece) for run in _HAN.findall(name)) for name in names) >= needed:
                    found.setdefault(piece, category)
    return found
