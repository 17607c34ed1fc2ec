"""The grounding guard: every number in an LLM answer must come from a tool result or the question.

The model may phrase an answer but never invent a figure. Numbers are compared by value after
normalising the ways people write them: thousands separators (1,234), decimals (12.50 = 12.5),
leading zeros (09:00), full-width digits (１２), percentages of a share (0.8 -> 80%), rounding to the
decimals the answer shows (123.456 -> 123.46), and common Chinese numerals before a counter (三件,
兩箱, 十二個工作天). List markers at the start of a line ("1. ", "2) ") are not figures.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal, InvalidOperation

from bot.skills import error_message
from tools.registry import ToolOutcome

# A figure: digits with optional thousands separators and an optional decimal part.
_NUMBER = re.compile(r"(?<![\d.])\d{1,3}(?:,\d{3})+(?:\.\d+)?(?!\d)|\d+(?:\.\d+)?")
_LIST_MARKER = re.compile(r"^(\s*)\d{1,2}[.)、]\s", re.MULTILINE)
_CJK_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "兩": 2, "两": 2, "三": 3, "四": 4, "五": 5,
               "六": 6, "七": 7, "八": 8, "九": 9}
_CJK_UNITS = {"十": 10, "百": 100, "千": 1000, "萬": 10000, "万": 10000}
# Chinese numerals count as figures only before a counter, so 一定 / 一齊 / 九龍 are left alone.
_CJK_FIGURE = re.compile(
    r"([零〇一二兩两三四五六七八九十百千萬万]+)\s*"
    r"(?=件|箱|樽|支|個|个|蚊|元|港元|架|張|单|單|日|天|號|号|星期|禮拜|小時|分鐘|公斤|kg|%|％|成|倍|次|間|款)"
)


def _value(token: str) -> Decimal | None:
    try:
        return Decimal(token.replace(",", "")).normalize()
    except InvalidOperation:
        return None


def _decimals(token: str) -> int:
    return len(token.split(".", 1)[1]) if "." in token else 0


def _cjk_to_int(numeral: str) -> int | None:
    """三 -> 3, 十二 -> 12, 二百五十 -> 250, 兩千 -> 2000; None for shapes it does not know."""
    total, section, digit = 0, 0, None
    for char in numeral:
        if char in _CJK_DIGITS:
            if digit is not None:  # two digits in a row (e.g. 一二) is not a number we read
                return None
            digit = _CJK_DIGITS[char]
        elif char in _CJK_UNITS:
            unit = _CJK_UNITS[char]
            if unit == 10000:
                total += (section + (digit or 0)) * unit
                section = 0
            else:
                section += (1 if digit is None else digit) * unit
            digit = None
        else:
            return None
    return total + section + (digit or 0)


def figures_in(text: str, *, skip_list_markers: bool = False) -> list[tuple[str, Decimal, int, bool]]:
    """Every figure in a text: (as written, value, decimals shown, followed by %)."""
    normalised = unicodedata.normalize("NFKC", text)
    if skip_list_markers:
        normalised = _LIST_MARKER.sub(r"\1", normalised)
    found: list[tuple[str, Decimal, int, bool]] = []
    for match in _NUMBER.finditer(normalised):
        value = _value(match.group())
        if value is not None:
            percent = normalised[match.end():match.end() + 2].lstrip().startswith("%")
            found.append((match.group(), value, _decimals(match.group()), percent))
    for match in _CJK_FIGURE.finditer(normalised):
        number = _cjk_to_int(match.group(1))
        if number is not None:
            percent = normalised[match.end():match.end() + 1] in {"%", "成"}
            found.append((match.group(1), Decimal(number), 0, percent))
    return found


def _json_numbers(value: object, into: set[Decimal]) -> None:
    """Numbers held as JSON numbers (not only as text), at full precision."""
    if isinstance(value, bool):
        return
    if isinstance(value, int | float):
        parsed = _value(repr(value)) if isinstance(value, float) else Decimal(value)
        if parsed is not None:
            into.add(parsed.normalize())
    elif isinstance(value, dict):
        for item in value.values():
            _json_numbers(item, into)
    elif isinstance(value, list):
        for item in value:
            _json_numbers(item, into)


def outcome_texts(outcomes: Iterable[ToolOutcome]) -> list[str]:
    """What each tool said: its result as JSON, or its error with suggestions.

    The call's arguments are left out on purpose: the model writes them, so a figure it made up and
    passed to a tool is still made up.
    """
    texts: list[str] = []
    for outcome in outcomes:
        if outcome.result is not None:
            texts.append(outcome.result.model_dump_json())
        if outcome.error is not None:
            texts.append(error_message(outcome, "en"))
            texts.append(error_message(outcome, "zh-HK"))
            texts.extend(getattr(outcome.error, "suggestions", []) or [])
    return texts


def allowed_figures(sources: Iterable[str], outcomes: Iterable[ToolOutcome] = ()) -> set[Decimal]:
    """The values an answer may show: figures written in the sources plus the tools' numeric fields."""
    allowed: set[Decimal] = set()
    for source in sources:
        allowed.update(value for _, value, _, _ in figures_in(source))
    for outcome in outcomes:
        if outcome.result is not None:
            _json_numbers(outcome.result.model_dump(mode="json"), allowed)
    return allowed


def _rounds_to(candidate: Decimal, decimals: int, value: Decimal) -> bool:
    """True when `candidate` shown with `decimals` places (half-even or half-up) reads `value`."""
    quantum = Decimal(1).scaleb(-decimals)
    try:
        return any(candidate.quantize(quantum, rounding=mode) == value for mode in (ROUND_HALF_EVEN, ROUND_HALF_UP))
    except InvalidOperation:  # too many digits to quantize: not a figure a person would round
        return False


def _matches(value: Decimal, decimals: int, percent: bool, allowed: set[Decimal]) -> bool:
    if value in allowed:
        return True
    for candidate in allowed:
        if _rounds_to(candidate, decimals, value):
            return True
        if percent and 0 <= candidate <= 1 and _rounds_to(candidate * 100, decimals, value):
            return True
    return False


def ungrounded_figures(text: str, sources: Iterable[str], outcomes: Iterable[ToolOutcome] = ()) -> list[str]:
    """The figures of `text` (as written) that no source or tool result holds."""
    outcomes = list(outcomes)
    allowed = allowed_figures([*sources, *outcome_texts(outcomes)], outcomes)
    return [written for written, value, decimals, percent in figures_in(text, skip_list_markers=True)
            if not _matches(value, decimals, percent, allowed)]


def grounded_numbers_ok(text: str, outcomes: Iterable[ToolOutcome], question: str,
                        extra_sources: Iterable[str] = ()) -> bool:
    """True when every number in an answer appears in a tool result, a tool error, the question or an extra source.

    `extra_sources` are other texts the model was legitimately given (today's date in the system prompt).
    """
    return not ungrounded_figures(text, [question, *extra_sources], outcomes)
