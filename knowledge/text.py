"""Text normalisation and tokenisation for the lexical index.

- Questions are normalised first: full-width → half-width (NFKC) and Simplified → Traditional (OpenCC),
  so a Simplified question meets the Traditional documents.
- Chinese is tokenised by jieba. jieba's dictionary is Simplified, so text is converted to Simplified
  *for tokenising only* (tokens of documents and questions go through the same conversion). Cantonese
  words jieba does not know (仲有, 冇貨, 壞咗, 八號波, ...) are added to our own tokenizer instance, which
  leaves the process-wide jieba dictionary untouched. Character bigrams are added as a fallback for
  colloquial phrasing jieba splits badly.
- English is tokenised by words, lower-cased, with a light plural/verb-ending stemmer.
- `glossary.yaml` (data, not code) maps Cantonese colloquialisms and English terms to the words SOPs use,
  so "部機壞咗" also looks for 損壞 / damaged, and "typhoon" also for 颱風.

Loaded resources (the jieba dictionary, OpenCC converters, the glossary) are cached once per process.
"""

from __future__ import annotations

import hashlib
import re
import threading
import unicodedata
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

import yaml

GLOSSARY_PATH = Path(__file__).with_name("glossary.yaml")

_CJK_RUN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+")
_WORD = re.compile(r"[a-z0-9]+(?:[-'][a-z0-9]+)*")
_TOKEN_OK = re.compile(r"[\w\u3400-\u9fff]")

# Colloquial Cantonese / trade words jieba's dictionary lacks (Simplified form, as jieba sees them).
_CANTONESE_WORDS = [
    "仲有", "冇货", "有冇", "坏咗", "烂咗", "八号波", "三号波", "一号波", "黑雨", "红雨", "风球", "几时",
    "点做", "点算", "几耐", "几多", "送唔送", "使唔使", "可唔可以", "系咪", "唔该", "听日", "后日", "攞货",
    "自取", "改期", "急件", "退货", "换货", "退款", "截单", "过关", "跨境",
    "调货", "穿梭车", "附加费", "除波", "离岛", "偏远地区", "客服", "投诉",
    "赔偿", "月结", "信贷", "数期", "审批", "批核", "推广", "折扣", "报关", "落单", "送货", "返仓",
    "会点", "点样", "要唔要", "得唔得", "拖数", "放得几耐",
]

_EN_STOPWORDS = frozenset(
    "a an the of to in on at for and or is are be can do does did how what when where who which why i we you "
    "it its my our your this that these those with by from as if not no yes please there any have has will would "
    "should could may might must get got me us they them their than then so too also about into up out".split()
)
_ZH_STOPWORDS = frozenset(
    "的 了 吗 呢 吧 啊 呀 嘅 咗 咩 啦 喎 噃 係 系 是 要 我 你 佢 我哋 你哋 佢哋 我们 你们 有 都 就 同 和 及 或 "
    "在 喺 去 嚟 来 会 會 可以 点 點 怎么 怎樣 什么 甚麼 如何 呢个 呢個 个 個 一 唔 不 ? ? , , 。 ! !".split()
    # Cantonese question words: they ask, they say nothing about the topic (Simplified, as jieba sees them).
    + "会点 点样 点做 点算 系咪 边个 边度 咩 乜 几时 要唔要 使唔使 得唔得 可唔可以 吗 嘛 呀 喇".split()
)


def normalise(text: str, opencc_config: str = "s2t") -> str:
    """Full-width → half-width and Simplified → Traditional (OpenCC `s2t`, or `s2hk` for Hong Kong forms)."""
    text = unicodedata.normalize("NFKC", text)
    return _converter(opencc_config).convert(text)


def tokenize(text: str) -> list[str]:
    """Lexical tokens: words (see `words`) plus character bigrams of Chinese runs."""
    return words(text) + _bigrams(text)


def words(text: str) -> list[str]:
    """Word tokens only: jieba words for Chinese, stemmed words for English; stopwords dropped."""
    simplified = _converter("t2s").convert(unicodedata.normalize("NFKC", text).lower())
    tokens = [_stem(word) for word in _WORD.findall(simplified) if word not in _EN_STOPWORDS]
    tokenizer = _jieba()
    for run in _CJK_RUN.findall(simplified):
        tokens.extend(w for w in tokenizer.lcut_for_search(run) if w not in _ZH_STOPWORDS and _TOKEN_OK.search(w))
    return tokens


def cjk_words(text: str) -> list[str]:
    """The content words of the text's Chinese runs (jieba's longest words, Simplified form, stopwords dropped)."""
    simplified = _converter("t2s").convert(unicodedata.normalize("NFKC", text))
    tokenizer = _jieba()
    return [w for run in _CJK_RUN.findall(simplified) for w in tokenizer.lcut(run)
            if w not in _ZH_STOPWORDS and _TOKEN_OK.search(w)]


def glossary_english(word: str) -> list[str]:
    """The English expansions the glossary gives for exactly this Chinese word (any script), or []."""
    return list(_glossary_index().get(to_simplified(word), ()))


def to_simplified(text: str) -> str:
    """NFKC, lower-case, Simplified: the form term-table keys are compared in."""
    return _converter("t2s").convert(unicodedata.normalize("NFKC", text).lower())


@lru_cache(maxsize=1)
def _glossary_index() -> dict[str, tuple[str, ...]]:
    return {term: tuple(e for e in expansions if e.isascii()) for term, stemmed, expansions in _glossary()
            if stemmed is None}


def _bigrams(text: str) -> list[str]:
    simplified = _converter("t2s").convert(unicodedata.normalize("NFKC", text))
    return [run[i:i + 2] for run in _CJK_RUN.findall(simplified) for i in range(len(run) - 1)]


def glossary_terms(text: str) -> list[str]:
    """The SOP words the glossary maps this text's colloquial or other-language terms to.

    Chinese terms match as substrings; English terms match whole words after stemming, so "damage",
    "damaged" and "damages" all meet the glossary's "damaged".
    """
    # Compared in Simplified form: Traditional variants (戶/户, 涌/湧) then meet the same key.
    lowered = _converter("t2s").convert(unicodedata.normalize("NFKC", text).lower())
    stemmed = f" {' '.join(_stem(word) for word in _WORD.findall(lowered))} "
    extra: list[str] = []
    for term, stemmed_term, expansions in _glossary():
        if (f" {stemmed_term} " in stemmed) if stemmed_term else (term in lowered):
            extra.extend(e for e in expansions if e not in extra)
    return extra


def expand(text: str) -> str:
    """The text followed by its glossary terms (used for questions and, at index time, for passages)."""
    extra = glossary_terms(text)
    return text if not extra else f"{text}\n{' '.join(extra)}"


def expand_other_language(text: str, lang: str) -> str:
    """A passage followed by the glossary terms in the *other* language only (used for the lexical index).

    Same-language synonyms are left to the question side: adding them to passages too made every passage
    look like every question (measured: hit@1 fell on same-language questions).
    """
    extra = [term for term in glossary_terms(text) if term.isascii() == (lang != "en")]
    return text if not extra else f"{text}\n{' '.join(extra)}"


def word_alternatives(question: str, render: Callable[[str], list[str]] | None = None) -> dict[str, set[str]]:
    """Each word of the question → the tokens that also count as that word being present in a passage.

    A word's alternatives are the glossary's words for it and (with `render`, e.g. the dictionary glosses
    of a Chinese word) its English renderings: a Chinese question word is then "found" in an English
    passage that has its translation, which keeps the relevance floor fair across languages.
    """
    alternatives: dict[str, set[str]] = {}
    for word in dict.fromkeys(words(question)):
        found: set[str] = set()
        for term in glossary_terms(word):
            found.update(words(term))
        if render is not None and _CJK_RUN.search(word):
            for gloss in render(word):
                found.update(words(gloss))
        found.discard(word)
        alternatives[word] = found
    return alternatives


def _stem(word: str) -> str:
    """A light stemmer: damaged / damages / damage -> damag; returns -> return."""
    for suffix, keep in (("ies", "y"), ("ing", ""), ("ed", ""), ("es", ""), ("s", "")):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3 and not word.endswith("ss"):
            word = word[: len(word) - len(suffix)] + keep
            break
    return word[:-1] if word.endswith("e") and len(word) > 4 else word


_jieba_lock = threading.Lock()


@lru_cache(maxsize=1)
def _jieba():  # noqa: ANN202 - returns the jieba module, imported lazily
    import jieba

    with _jieba_lock:
        jieba.setLogLevel(60)
        tokenizer = jieba.Tokenizer()
        tokenizer.initialize()
        for word in _CANTONESE_WORDS:
            tokenizer.add_word(word, freq=50000)
        for term, _, _ in _glossary():
            if _CJK_RUN.fullmatch(term) and len(term) > 1:
                tokenizer.add_word(term, freq=20000)
    return tokenizer


@lru_cache(maxsize=4)
def _converter(config: str):  # noqa: ANN202 - an opencc converter, imported lazily
    import opencc

    return opencc.OpenCC(config)


@lru_cache(maxsize=1)
def glossary_digest() -> str:
    """A short hash of the glossary file (part of every document's index hash)."""
    return hashlib.sha256(GLOSSARY_PATH.read_bytes()).hexdigest()[:12]


@lru_cache(maxsize=1)
def _glossary() -> tuple[tuple[str, str | None, tuple[str, ...]], ...]:
    """(term, its stemmed words for an English term or None, expansions); longer terms first."""
    raw = yaml.safe_load(GLOSSARY_PATH.read_text(encoding="utf-8")) or {}
    entries = []
    for term, expansions in raw.items():
        key = _converter("t2s").convert(str(term).lower())
        values = expansions if isinstance(expansions, list) else [expansions]
        stemmed = " ".join(_stem(word) for word in _WORD.findall(key)) if key.isascii() else None
        entries.append((key, stemmed, tuple(str(v) for v in values)))
    return tuple(sorted(entries, key=lambda entry: -len(entry[0])))
