"""Reply language: Cantonese (Traditional Chinese, `zh-HK`) or English (`en`).

The rule staff expect in Hong Kong: a question with Chinese words in it is answered in Chinese,
even when it also carries an SKU or English words ("WB-BL-500 送觀塘幾時到?"). A question written
only in Latin script is answered in English. Punctuation alone (。？) does not count as Chinese.
"""

from __future__ import annotations

import re

from core.lang import Lang

# Chinese content characters: CJK ideographs (not CJK punctuation or symbols).
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_LATIN_WORD = re.compile(r"[A-Za-z]{2,}")


def detect_language(text: str, default: Lang = "en") -> Lang:
    """`zh-HK` when the text holds any Chinese content character, `en` when it holds Latin words,
    else `default` (an empty or numbers-only message keeps the conversation's language)."""
    if _HAN.search(text):
        return "zh-HK"
    if _LATIN_WORD.search(text):
        return "en"
    return default
