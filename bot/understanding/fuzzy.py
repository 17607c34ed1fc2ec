"""Fuzzy matching of product and area names, tolerant of typos but not of a different colour or size.

Candidate windows are cut from the parts of a question no exact match covered: runs of Chinese
characters (3-14 characters long) and English word n-grams (1-4 words). Each window is compared
with every name by rapidfuzz's normalised Levenshtein similarity (0-100) in one C++ matrix call.

- English product names need `fuzzy_cutoff` (config `understanding.fuzzy_product_cutoff`, 80), and
  everyday question words one letter from a name ("charge" / "charger") are never candidates.
- A Chinese product name of 4+ characters may differ by one character (75 for a 4-character name):
  one character is a quarter of 藍色水樽, and typos such as 水尊 for 水樽 are common.
- A colour word (紅/藍/綠..., red/blue/green...) or a size (500ml) that differs from the name's, in
  the window or right next to it, rejects the match: 紅色水樽 is never 藍色水樽.
- Area names are matched this way only in English (6+ letters, similarity >= max(cutoff, 85); a name of
  two or more words from max(cutoff - 5, 75) when it leads every other area by 8 points).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy
from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

#: Colour words (Cantonese and English): a fuzzy product match must not change the colour.
COLOUR_WORDS = ("紅", "藍", "綠", "黃", "黑", "白", "灰", "粉", "紫", "橙", "啡", "金", "銀",
                "red", "blue", "green", "yellow", "black", "white", "grey", "gray", "pink", "purple",
                "orange", "brown", "gold", "silver", "navy")
COLOUR_RE = re.compile("|".join(COLOUR_WORDS))
#: Colour words as staff write them, each to one colour name ("the red one" / 紅色呢 after 藍色水樽).
COLOUR_NAMES = {
    "粉紅": "pink", "深藍": "navy", "透明": "clear", "紅": "red", "藍": "blue", "綠": "green", "黃": "yellow",
    "黑": "black", "白": "white", "灰": "grey", "粉": "pink", "紫": "purple", "橙": "orange", "啡": "brown",
    "金": "gold", "銀": "silver", "red": "red", "blue": "blue", "green": "green", "yellow": "yellow",
    "black": "black", "white": "white", "grey": "grey", "gray": "grey", "pink": "pink", "purple": "purple",
    "orange": "orange", "brown": "brown", "gold": "gold", "silver": "silver", "navy": "navy", "clear": "clear",
}
COLOUR_NAME_RE = re.compile(
    "|".join(sorted((w for w in COLOUR_NAMES if not w.isascii()), key=len, reverse=True))
    + r"|\b(?:" + "|".join(w for w in COLOUR_NAMES if w.isascii()) + r")\b"
)


def colour_names(text: str) -> list[str]:
    """The colours named in a (lower-case) text, in order: 粉紅色 -> pink, "the red one" -> red."""
    return [COLOUR_NAMES[match.group(0)] for match in COLOUR_NAME_RE.finditer(text)]
SIZE_RE = re.compile(r"(\d+(?:\.\d+)?)\s*(ml|毫升|l|公升|升|kg|公斤|g|克|cm|mm|吋|寸|inch|oz|號)(?![a-z])")
# Fuzzy matching is skipped for texts that would need more candidate windows than this (a pasted page).
_MAX_WINDOWS = 4000
# Words of questions that sit one letter away from a product name ("charge" / "charger").
_COMMON_ENGLISH = frozenset({
    "charge", "charges", "change", "changes", "cost", "costs", "stock", "stocks", "order", "orders", "route",
    "routes", "sales", "status", "policy", "return", "returns", "deliver", "delivery", "promise", "transfer",
    "forecast", "shipping", "week", "month", "today", "tomorrow", "please", "thanks", "hello", "what", "when",
    "where", "which", "should", "could", "would", "about", "there", "their", "these", "those", "left", "many",
    "much", "plan", "plans", "region", "area", "areas", "friday", "monday", "sunday", "holder", "holders",
    "bottom", "battle", "mast", "task", "fast", "past", "last", "lamb", "fails",
})
#: Everyday question words that are never a near spelling of a product word (used by variants.py too).
COMMON_ENGLISH = _COMMON_ENGLISH


@dataclass(frozen=True, slots=True)
class FuzzyMatch:
    """A window of the text that is a near spelling of a name."""

    start: int
    end: int
    code: str
    score: float
    #: Other products whose names are exactly as near (two equally good candidates: ask, do not pick one).
    ties: tuple[str, ...] = ()


def best_product_match(key: str, masked: list[tuple[int, int]], forms: list[str], codes: list[str],
                       cutoff: float, sorted_forms: list[str] | None = None) -> FuzzyMatch | None:
    """The best product name (``forms[i]`` names ``codes[i]``) near a window of `key` outside `masked`.
    `sorted_forms[i]` is ``word_sorted(forms[i])`` (precomputed by the gazetteer)."""
    if not forms:
        return None
    windows = [w for run_start, run in free_runs(key, masked) for w in candidate_windows(run, run_start)]
    if not windows or len(windows) > _MAX_WINDOWS:
        return None
    floor = min(cutoff, 75.0)
    scores = process.cdist([w[2] for w in windows], forms, scorer=Levenshtein.normalized_similarity,
                           score_cutoff=floor / 100)
    # English words in another order ("iphon case 15 black" for "iPhone 15 case black"): compare the
    # words sorted too, and keep the better of the two similarities.
    several_words = [index for index, window in enumerate(windows) if not window[3] and " " in window[2]]
    if several_words:
        sorted_scores = process.cdist([word_sorted(windows[index][2]) for index in several_words],
                                      sorted_forms or [word_sorted(form) for form in forms],
                                      scorer=Levenshtein.normalized_similarity, score_cutoff=floor / 100)
        scores[several_words] = numpy.maximum(scores[several_words], sorted_scores)
    best: FuzzyMatch | None = None
    best_raw, best_form = 0.0, ""
    for window_index, form_index in zip(*scores.nonzero(), strict=True):
        score = float(scores[window_index, form_index]) * 100
        start, end, window, is_han = windows[window_index]
        form = forms[form_index]
        if is_han and len(form) < 3:
            continue
        if not is_han and (window in _COMMON_ENGLISH or len(window) < 5):
            continue
        needed = floor if is_han and len(form) >= 4 else cutoff
        if score < needed or (best is not None and score < best_raw):
            continue
        tie = best is not None and score == best_raw
        # The same name registered for two products (one as written, one without its size) is not a tie: the
        # first registered, the company's own word, is meant (as in exact matching).
        if tie and best is not None and (codes[form_index] == best.code or codes[form_index] in best.ties
                                         or form == best_form):
            continue
        # A colour word right next to the window counts too: 綠「色水樽」 is not 藍色水樽.
        if is_han:
            surrounding = key[max(0, start - 1): end + 1]
        else:
            surrounding = " ".join(key[:start].split()[-1:] + [window] + key[end:].split()[:1])
        if not same_colour_and_size(surrounding, form) or not same_model_numbers(window, form):
            continue
        if tie and best is not None:
            if (start, end) == (best.start, best.end):
                best = FuzzyMatch(best.start, best.end, best.code, best.score, (*best.ties, codes[form_index]))
            continue
        best, best_raw, best_form = FuzzyMatch(start, end, codes[form_index], round(score, 1)), score, form
    return best


def best_area_match(key: str, masked: list[tuple[int, int]], forms: list[str], codes: list[str],
                    cutoff: float) -> FuzzyMatch | None:
    """The best English area name near an English window of `key` outside `masked`.

    One-word names need a similarity of max(cutoff, 85). Names of two or more words ("Tsim Sha Tsui")
    carry more letters, so a window with the same number of words may score from max(cutoff - 5, 75) —
    "Tsim Sha Shui" is two letters off — provided it beats every other area's best score by
    `AREA_MARGIN` points, so that a spelling between two places is never guessed.
    """
    if not forms:
        return None
    windows = [w for run_start, run in free_runs(key, masked) for w in candidate_windows(run, run_start)
               if not w[3] and w[2] not in _COMMON_ENGLISH and len(w[2]) >= 5]
    if not windows or len(windows) > _MAX_WINDOWS:
        return None
    single_needed = max(cutoff, 85.0)
    multi_needed = max(cutoff - 5.0, 75.0)
    scores = process.cdist([w[2] for w in windows], forms, scorer=Levenshtein.normalized_similarity,
                           score_cutoff=(min(single_needed, multi_needed) - AREA_MARGIN) / 100)
    best: FuzzyMatch | None = None
    best_by_code: dict[str, float] = {}
    for window_index, form_index in zip(*scores.nonzero(), strict=True):
        score = float(scores[window_index, form_index]) * 100
        code = codes[form_index]
        best_by_code[code] = max(best_by_code.get(code, 0.0), score)
        start, end, window, _is_han = windows[window_index]
        words = len(forms[form_index].split())
        needed = multi_needed if words >= 2 and len(window.split()) == words else single_needed
        if score >= needed and (best is None or score > best.score):
            best = FuzzyMatch(start, end, code, round(score, 1))
    if best is None:
        return None
    others = [score for code, score in best_by_code.items() if code != best.code]
    if best.score < single_needed and others and best.score - max(others) < AREA_MARGIN:
        return None  # close to two places: ask rather than guess
    return best


#: How far a loose multi-word area match must lead the next area.
AREA_MARGIN = 8.0


def same_colour_and_size(window: str, form: str) -> bool:
    """False when the window names a colour the name lacks, or a different size."""
    window_colours, form_colours = set(COLOUR_RE.findall(window)), set(COLOUR_RE.findall(form))
    if window_colours - form_colours:
        return False
    window_sizes, form_sizes = sizes(window), sizes(form)
    return not (window_sizes and form_sizes and window_sizes != form_sizes)


def same_model_numbers(window: str, form: str) -> bool:
    """False when the window and the name both hold a model number and they differ: "iphone 16 case" is not
    "iPhone 15 case", however close the spelling."""
    window_numbers, form_numbers = set(_NUMBER_WORD.findall(window)), set(_NUMBER_WORD.findall(form))
    return not (window_numbers and form_numbers and window_numbers != form_numbers)


_NUMBER_WORD = re.compile(r"(?<![\w.])\d+(?![\w.])")


def word_sorted(text: str) -> str:
    """An English text with its words in alphabetical order (Chinese text is returned as it is)."""
    words = text.split()
    return " ".join(sorted(words)) if len(words) > 1 else text


def sizes(text: str) -> set[str]:
    """Sizes written in a text, normalised ("500 ml" -> "500ml")."""
    return {f"{float(number):g}{unit}" for number, unit in SIZE_RE.findall(text)}


def free_runs(key: str, masked: list[tuple[int, int]]) -> list[tuple[int, str]]:
    """The pieces of `key` between masked spans."""
    runs: list[tuple[int, str]] = []
    position = 0
    for start, end in sorted(masked):
        if start > position:
            runs.append((position, key[position:start]))
        position = max(position, end)
    if position < len(key):
        runs.append((position, key[position:]))
    return runs


_HAN_RUN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+(?:\s*\d+(?:\.\d+)?\s*(?:ml|l|毫升|公升))?")
_LATIN_RUN = re.compile(r"[a-z][a-z0-9 .'-]*[a-z0-9]")


def candidate_windows(run: str, offset: int) -> list[tuple[int, int, str, bool]]:
    """Candidate substrings of a free run: Chinese character windows and English word n-grams,
    with their positions in the whole text."""
    windows: list[tuple[int, int, str, bool]] = []
    for match in _HAN_RUN.finditer(run):
        text, base = match.group(0), offset + match.start()
        for length in range(3, min(len(text), 14) + 1):
            for start in range(0, len(text) - length + 1):
                windows.append((base + start, base + start + length, text[start: start + length], True))
    for match in _LATIN_RUN.finditer(run):
        words = list(re.finditer(r"[a-z0-9]+", match.group(0)))
        base = offset + match.start()
        for size in range(1, 5):
            for index in range(0, len(words) - size + 1):
                first, last = words[index], words[index + size - 1]
                window = match.group(0)[first.start(): last.end()]
                if len(window) >= 4:
                    windows.append((base + first.start(), base + last.end(), window, False))
    return windows
