"""Numbers written the way Hong Kong staff write them: 50, 1,000, 一百, 兩, 三十五, 一百五 (=150)."""

from __future__ import annotations

import re

_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "兩": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7,
           "八": 8, "九": 9}
_UNITS = {"十": 10, "百": 100, "千": 1000}

#: A regex fragment for a number in Chinese numerals (used by the quantity and date patterns).
CHINESE_NUMBER = "[零〇一二兩三四五六七八九十百千萬]+"
#: A regex fragment for an Arabic or Chinese number.
ANY_NUMBER = rf"(?:\d[\d,]*(?:\.\d+)?|{CHINESE_NUMBER})"

#: Numbers written as English words, as staff type them before a unit ("twenty boxes", "a hundred pcs").
ENGLISH_NUMBERS: dict[str, float] = {
    word: float(value) for value, word in enumerate(
        ("zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
         "seventeen eighteen nineteen twenty").split())
} | {"thirty": 30.0, "forty": 40.0, "fifty": 50.0, "sixty": 60.0, "seventy": 70.0, "eighty": 80.0,
     "ninety": 90.0, "a hundred": 100.0, "one hundred": 100.0, "a thousand": 1000.0, "one thousand": 1000.0}
#: A regex fragment for a number written as an English word (a whole word).
ENGLISH_NUMBER = r"\b(?:" + "|".join(sorted(ENGLISH_NUMBERS, key=len, reverse=True)) + r")\b"

_ARABIC = re.compile(r"^\d[\d,]*(?:\.\d+)?$")


def _below_10000(text: str) -> int | None:
    total = 0
    current: int | None = None
    last_unit = 1
    for char in text:
        if char in _DIGITS:
            current = _DIGITS[char]
        elif char in _UNITS:
            unit = _UNITS[char]
            total += (current if current is not None else 1) * unit
            current = None
            last_unit = unit
        else:
            return None
    if current is not None:
        # 一百五 = 150 and 三千二 = 3200: a trailing digit right after a unit counts in the next unit down.
        if last_unit >= 100 and len(text) >= 2 and text[-2] in _UNITS and text[-2] != "十":
            total += current * (last_unit // 10)
        else:
            total += current
    return total


def parse_chinese_number(text: str) -> int | None:
    """An integer from Chinese numerals (一百件's 一百 -> 100, 兩 -> 2, 一萬二千 -> 12000), or None."""
    if not text:
        return None
    if "萬" in text:
        high, _, low = text.partition("萬")
        high_value = _below_10000(high) if high else 1
        low_value = _below_10000(low) if low else 0
        if high_value is None or low_value is None:
            return None
        if low and len(low) == 1 and low in _DIGITS:  # 一萬二 = 12000
            low_value = _DIGITS[low] * 1000
        return high_value * 10000 + low_value
    return _below_10000(text)


def parse_number(text: str) -> float | None:
    """A number written in Arabic digits (with thousands commas) or Chinese numerals, or None."""
    text = text.strip()
    if _ARABIC.match(text):
        return float(text.replace(",", ""))
    value = parse_chinese_number(text)
    return float(value) if value is not None else None
