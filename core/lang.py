"""The reply languages: Cantonese in Traditional characters, and English. Defined once, used everywhere."""

from __future__ import annotations

from typing import Literal

#: A reply (or document) language: `zh-HK` (Cantonese, Traditional characters) or `en`.
Lang = Literal["zh-HK", "en"]
