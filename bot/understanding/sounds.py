"""Names typed by sound: Cantonese homophone typos ("柴彎" for 柴灣, "漂白睡" for 漂白水, "地拖通" for 地拖桶).

Staff typing Cantonese with a phonetic input method often pick a character that sounds like the right one.
Every Chinese name and alias of the loaded data (products, areas, locations) is indexed by its Cantonese
syllables without tones (ToJyutping, a Jyutping dictionary shipped inside the package); a run of the question
that nothing else matched is looked up the same way. A match must be unique to one code, at least three
characters long, or two characters with one of them written exactly as in the name — a whole two-character
word that merely sounds like a place is not taken for it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

import ToJyutping

_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+")
_TONE = re.compile(r"\d")
# Names longer than this are matched by their exact or fuzzy spelling only.
MAX_CHARS = 8


@lru_cache(maxsize=4096)
def syllables(text: str) -> tuple[str, ...] | None:
    """The toneless Cantonese syllables of a run of Chinese characters, or None when one has no reading."""
    readings = ToJyutping.get_jyutping_list(text)
    found = tuple(_TONE.sub("", reading or "") for _char, reading in readings)
    return None if any(not syllable for syllable in found) or len(found) != len(text) else found


@dataclass(frozen=True, slots=True)
class SoundMatch:
    """A window of the question that sounds like one name."""

    start: int
    end: int
    kind: str
    #: One code, or several when products share the name it sounds like (variants: the caller tells them apart).
    codes: tuple[str, ...]


@dataclass
class SoundIndex:
    """Chinese names by their toneless syllables: (syllables) -> {(kind, code): the name as written}."""

    names: dict[tuple[str, ...], dict[tuple[str, str], str]] = field(default_factory=dict)

    def add(self, name: str, kind: str, code: str) -> None:
        """Index one Chinese name (names with other characters, or too long, are skipped)."""
        if not name or not _HAN.fullmatch(name) or not 2 <= len(name) <= MAX_CHARS:
            return
        sounds = syllables(name)
        if sounds is not None:
            self.names.setdefault(sounds, {}).setdefault((kind, code), name)

    def find(self, key: str, runs: Iterable[tuple[int, str]], kinds: frozenset[str]) -> SoundMatch | None:
        """The longest window of the free `runs` of `key` that sounds like exactly one name of `kinds`."""
        best: SoundMatch | None = None
        for offset, run in runs:
            for han in _HAN.finditer(run):
                text, base = han.group(0), offset + han.start()
                sounds = syllables(text)
                if sounds is None:
                    continue
                for length in range(min(len(text), MAX_CHARS), 1, -1):
                    if best is not None and best.end - best.start >= length:
                        break
                    for start in range(0, len(text) - length + 1):
                        found = self._match(text[start:start + length], sounds[start:start + length], kinds)
                        if found is not None:
                            best = SoundMatch(base + start, base + start + length, found[0], found[1])
                            break
        return best

    def _match(self, window: str, sounds: tuple[str, ...], kinds: frozenset[str]) -> tuple[str, tuple[str, ...]] | None:
        """(kind, codes) when the window sounds like one name, written one way, of one kind."""
        candidates = {owner: name for owner, name in self.names.get(sounds, {}).items() if owner[0] in kinds}
        names = set(candidates.values())
        found_kinds = {kind for kind, _code in candidates}
        if len(names) != 1 or len(found_kinds) != 1:
            return None  # two different names (or kinds) sound alike: ask rather than guess
        name = names.pop()
        if window == name:
            return None  # written exactly: the exact matcher's business (a masked or refused match stays so)
        if len(window) == 2 and not any(a == b for a, b in zip(window, name, strict=True)):
            return None
        return found_kinds.pop(), tuple(sorted(code for _kind, code in candidates))
