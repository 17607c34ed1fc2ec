"""The four region codes of data-format.md, their names, and how staff type them."""

from __future__ import annotations

from tools.catalog import normalise
from tools.registry import ToolInputError

REGION_NAMES: dict[str, tuple[str, str]] = {
    "HKI": ("Hong Kong Island", "港島"),
    "KLN": ("Kowloon", "九龍"),
    "NT": ("New Territories", "新界"),
    "ISL": ("Islands", "離島"),
}
_REGION_WORDS = {
    "hki": "HKI", "hongkongisland": "HKI", "hkisland": "HKI", "island": "HKI", "港島": "HKI", "香港島": "HKI",
    "港島區": "HKI", "kln": "KLN", "kowloon": "KLN", "九龍": "KLN", "九龍區": "KLN", "nt": "NT",
    "newterritories": "NT", "新界": "NT", "新界區": "NT", "isl": "ISL", "islands": "ISL", "outlyingislands": "ISL",
    "離島": "ISL", "離島區": "ISL", "lantau": "ISL", "大嶼山": "ISL",
}


def resolve_region(text: str) -> str:
    """A region code from a code or a name in English or Cantonese."""
    code = _REGION_WORDS.get(normalise(text or ""))
    if code is None:
        raise ToolInputError(
            f"No region matches '{text}'. Regions: HKI (Hong Kong Island), KLN (Kowloon), NT, ISL (Islands).",
            f"搵唔到地區「{text}」。地區有:港島(HKI)、九龍(KLN)、新界(NT)、離島(ISL)。",
            code="unknown_region", suggestions=list(REGION_NAMES), field_name="region")
    return code


def region_name(code: str, lang: str) -> str:
    """A region's name in the reply language (the code itself when unknown)."""
    names = REGION_NAMES.get(code)
    if names is None:
        return code
    return names[1] if lang == "zh-HK" else names[0]
