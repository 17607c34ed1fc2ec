"""Text normalisation shared by the understanding layer and the gazetteer.

Every question, and every name in the gazetteer, goes through the same `normalize()` so that
they compare equal: full-width ASCII becomes half-width, whitespace is collapsed, and Simplified
Chinese becomes Traditional (OpenCC `s2hk`, falling back to `s2t`).

Text that is already Traditional is left alone: OpenCC maps some characters that are valid in
both scripts (涌 -> 湧, 晒 -> 曬), which would turn the place name 東涌 into 東湧. A text is converted
when it holds more characters that only Simplified writes (蓝, 还, 东; and the shared ones OpenCC
would change, such as 涌) than characters that only Traditional writes (藍, 還, 東). The gazetteer
registers every name in its written and its converted form, and intent cues are compiled in both,
so either outcome still matches.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Protocol

# U+FF01..U+FF5E are the full-width forms of ASCII 0x21..0x7E; U+3000 is the ideographic space.
# CJK punctuation without an ASCII twin (。、「」) is left as it is: it keeps its meaning.
_FULLWIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}
_FULLWIDTH[0x3000] = 0x20
_SPACES = re.compile(r"\s+")
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


class _Converter(Protocol):
    def convert(self, text: str) -> str: ...  # pragma: no cover - protocol


@lru_cache(maxsize=1)
def _converter() -> _Converter | None:
    """The OpenCC Simplified -> Traditional (Hong Kong) converter, built once per process."""
    try:
        import opencc
    except ImportError:  # pragma: no cover - opencc is a declared dependency
        return None
    for config in ("s2hk", "s2t"):
        try:
            return opencc.OpenCC(config)
        except Exception:  # noqa: BLE001 - a missing config file; try the next one
            continue
    return None  # pragma: no cover


def has_han(text: str) -> bool:
    """True when the text holds at least one Chinese character."""
    return _HAN.search(text) is not None


def to_halfwidth(text: str) -> str:
    """Full-width ASCII letters, digits and punctuation as their half-width forms."""
    return text.translate(_FULLWIDTH)


@lru_cache(maxsize=1)
def _reverse_converter() -> _Converter | None:
    """OpenCC Traditional -> Simplified, used only to tell the scripts apart."""
    try:
        import opencc

        return opencc.OpenCC("t2s")
    except Exception:  # noqa: BLE001 - without it every Chinese text is converted
        return None


@lru_cache(maxsize=8192)
def _script_of(char: str) -> int:
    """+1 for a Simplified-only character, -1 for a Traditional-only one, 0 for a shared one."""
    converter, reverse = _converter(), _reverse_converter()
    if converter is None or reverse is None:
        return 0
    if reverse.convert(char) != char:
        return -1
    if converter.convert(char) != char:
        return 1
    return 0


def needs_conversion(text: str) -> bool:
    """True when the text is (partly) written in Simplified Chinese."""
    if _reverse_converter() is None:
        return True
    simplified = traditional = 0
    for char in _HAN.findall(text):
        script = _script_of(char)
        simplified += script > 0
        traditional += script < 0
    return simplified > traditional


def to_traditional(text: str, *, force: bool = False) -> str:
    """Simplified Chinese as Traditional (Hong Kong standard); Traditional text is left as written
    unless `force` (then every convertible character is converted)."""
    if not has_han(text) or not (force or needs_conversion(text)):
        return text
    converter = _converter()
    return converter.convert(text) if converter is not None else text


def normalize(text: str) -> str:
    """A question as the understanding layer reads it: half-width, Traditional, single spaces, trimmed."""
    text = to_halfwidth(text or "")
    text = _SPACES.sub(" ", text).strip()
    return to_traditional(text)


def lower_keep_length(text: str) -> str:
    """Lower-case, keeping every character's position (İ stays İ rather than becoming two characters),
    so that spans found in the lower-case text point at the same characters of the original."""
    lowered = text.lower()
    if len(lowered) == len(text):
        return lowered
    return "".join(char.lower() if len(char.lower()) == 1 else char for char in text)


def match_key(text: str) -> str:
    """The form used for matching: normalised and lower-cased."""
    return lower_keep_length(normalize(text))


def match_variants(text: str) -> set[str]:
    """Every form a name may take after normalising a question: as written, and fully converted, each also
    without the spaces between Chinese and Latin or digits ("黑色 iPhone 15 手機殼" -> "黑色iphone 15手機殼")."""
    written = lower_keep_length(_SPACES.sub(" ", to_halfwidth(text or "")).strip())
    forms = {written, match_key(text), to_traditional(written, force=True)}
    return forms | {squeeze_mixed_spaces(form)[0] for form in forms}


_HAN_CLASS = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_MIXED_SPACE = re.compile(rf"(?<=[{_HAN_CLASS}]) +(?=[A-Za-z0-9])|(?<=[A-Za-z0-9]) +(?=[{_HAN_CLASS}])")


def squeeze_mixed_spaces(text: str) -> tuple[str, list[int]]:
    """`text` without the spaces between a Chinese character and a Latin letter or digit (people write
    "黑色iPhone 15手機殼" and "黑色 iPhone 15 手機殼" alike), and for each kept character its index in `text`.
    Spaces between two Chinese characters or two English words are kept."""
    if not _MIXED_SPACE.search(text):
        return text, list(range(len(text)))
    kept: list[int] = []
    dropped = {index for match in _MIXED_SPACE.finditer(text) for index in range(match.start(), match.end())}
    kept = [index for index in range(len(text)) if index not in dropped]
    return "".join(text[index] for index in kept), kept


def cue_pattern(pattern: str) -> str:
    """A regex that also matches the text after OpenCC conversion (唔該晒 -> 唔該曬)."""
    converted = to_traditional(to_halfwidth(pattern), force=True)
    return pattern if converted == pattern else f"(?:{pattern})|(?:{converted})"
