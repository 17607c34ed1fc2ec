"""Hybrid SOP retrieval: a vector ranking and a BM25 ranking, fused by (weighted) reciprocal rank fusion.

The question is normalised (full-width → half-width, Simplified → Traditional through OpenCC) and, for
the lexical side, expanded with glossary terms (colloquial Cantonese → written words, English ↔ Chinese).
A Chinese question is also rendered word by word in English (`knowledge.bilingual`: glossary, then
CC-CEDICT): an English passage's vector score is the better of the question's and the rendering's, and the
rendering's words count as the question's words being present (the relevance floor across languages).
After the fusion, every candidate gains `kb.doc_weight` x its document's best fused scores (document-level
aggregation: a document several of whose sections match beats a stray match elsewhere).
A passage's relevance is its cosine similarity plus half the share of the question's words it contains;
when no candidate reaches `kb.min_relevance`, `search` returns nothing, which callers turn into "no SOP
covers this" (passages under half the floor are never returned).

The vectors are stored in Chroma; the ranking is computed in process on the cached matrix because it
removes part of each language's mean vector first (see `_centre`), which an ANN query cannot do.

The chunk texts and the BM25 index are cached per process (a bounded `core.cache.BoundedCache`), keyed by
the Chroma location and the index version stored on the collection (not the database's data version): a re-index anywhere (another process, another server worker) changes the
version and the next query reloads.
"""

from __future__ import annotations

import re
import threading
import time
from contextlib import nullcontext
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any

import numpy as np
from pydantic import BaseModel

from core.cache import BoundedCache
from core.config import Settings
from knowledge.bilingual import dictionary_available, render_english, translations
from knowledge.chunking import DocLang, detect_language
from knowledge.embeddings import get_embedder
from knowledge.lexical import BM25Index
from knowledge.store import client_key, get_collection
from knowledge.text import expand_other_language, glossary_terms, normalise, word_alternatives

if TYPE_CHECKING:  # chromadb is imported only when an index is opened
    from chromadb.api.models.Collection import Collection

MAX_QUESTION_CHARS = 500
# Share of a language's mean vector removed from every vector of that language (see `_centre`).
LANGUAGE_CENTRING = 0.5
# Relevance = cosine similarity + COVERAGE_WEIGHT x lexical coverage (floor: kb.min_relevance).
COVERAGE_WEIGHT = 0.5
# Document-level aggregation: a candidate gains kb.doc_weight x the sum of its document's best fused scores.
DOC_BOOST_CHUNKS = 3
# Seconds a process trusts its loaded index before asking Chroma for the version again.
VERSION_CHECK_S = 1.0
# Chroma locations whose loaded index a process keeps (one in production; tests use several).
INDEX_CACHE_ENTRIES = 8


class KnowledgeQueryError(ValueError):
    """The question cannot be searched (empty or far too long)."""


class Passage(BaseModel):
    """A retrieved SOP passage with where it comes from and how well it matched."""

    doc: str
    title: str
    section: str
    text: str
    lang: DocLang
    score: float  # fused reciprocal-rank score (higher is better; only comparable within one search)
    similarity: float  # cosine similarity of the question and the passage (vector side)
    lexical_coverage: float  # share of the question's words the passage contains (0..1)
    relevance: float  # similarity + 0.5 x lexical_coverage: what the relevance floor is applied to


@dataclass(frozen=True)
class _StoredChunk:
    chunk_id: str
    doc: str
    title: str
    section: str
    text: str
    lang: DocLang


@dataclass
class LoadedIndex:
    """One process's copy of the index at one version: chunks by position and their BM25 index."""

    version: str
    indexed_at: str | None
    chunks: list[_StoredChunk]
    position_of: dict[str, int]
    lexical: BM25Index
    embedding: str
    vectors: np.ndarray  # the stored embeddings, one row per chunk (unit length)
    english: np.ndarray  # True for the chunks of English documents
    centred: np.ndarray  # the same with each language's mean removed, renormalised
    language_means: dict[str, np.ndarray]


class _IndexCache:
    """The loaded index per Chroma location, replaced when the collection's version changes.

    The version is read from Chroma at most once per `VERSION_CHECK_S` per process (a Chroma round trip
    costs more than the rest of a query); an index run in this process forgets the entry at once.
    """

    def __init__(self, max_locations: int = INDEX_CACHE_ENTRIES) -> None:
        self._loaded: BoundedCache[tuple[object, ...], tuple[LoadedIndex | None, float]] = BoundedCache(max_locations)
        self._lock = threading.Lock()

    def current(self, settings: Settings) -> LoadedIndex | None:
        """The loaded index of the configured location, re-read when the collection's version changed."""
        key = (*client_key(settings), settings.kb.collection)
        entry = self._loaded.get(key)
        if entry is not None and time.monotonic() - entry[1] < VERSION_CHECK_S:
            return entry[0]
        with self._lock:
            collection = get_collection(settings)
            version = str((collection.metadata or {}).get("kb_version", "")) if collection is not None else ""
            loaded = entry[0] if entry is not None else None
            if collection is None or version in ("", "empty") or collection.count() == 0:
                loaded = None
            elif loaded is None or loaded.version != version:
                loaded = _load(collection, version)
            self._loaded.put(key, (loaded, time.monotonic()))
        return loaded

    def forget(self, settings: Settings) -> None:
        """Drop this location's entry (after indexing in this process)."""
        key = (*client_key(settings), settings.kb.collection)
        self._loaded.discard(lambda found: found == key)


_CACHE = _IndexCache()


def _load(collection: Collection, version: str) -> LoadedIndex:
    stored = collection.get(include=["documents", "metadatas", "embeddings"])
    chunks: list[_StoredChunk] = []
    for chunk_id, text, meta in zip(stored["ids"], stored["documents"] or [], stored["metadatas"] or [], strict=True):
        chunks.append(_StoredChunk(chunk_id=chunk_id, doc=str(meta["doc_id"]), title=str(meta["doc_title"]),
                                   section=str(meta["section"]), text=text or "",
                                   lang="zh-HK" if meta.get("lang") == "zh-HK" else "en"))
    # The heading path is counted twice: a section's heading says what it is about more than any one line.
    # Passages carry the glossary's other-language words (so a question in one language meets a passage in
    # the other); same-language synonyms are added on the question side only.
    lexical = BM25Index.build([expand_other_language(f"{chunk.section}\n{chunk.section}\n{chunk.text}", chunk.lang)
                               for chunk in chunks])
    vectors = np.asarray(stored["embeddings"], dtype=np.float32).reshape(len(chunks), -1)
    languages = np.array([chunk.lang for chunk in chunks])
    means = {lang: vectors[languages == lang].mean(axis=0) for lang in set(languages.tolist())}
    centred = vectors.copy()
    for lang, mean in means.items():
        centred[languages == lang] = _centre(vectors[languages == lang], mean)
    metadata = collection.metadata or {}
    return LoadedIndex(version=version, indexed_at=str(metadata["indexed_at"]) if metadata.get("indexed_at") else None,
                       chunks=chunks, position_of={chunk.chunk_id: i for i, chunk in enumerate(chunks)},
                       lexical=lexical, embedding=str(metadata.get("embedding", "")), vectors=vectors,
                       english=languages == "en",
                       centred=centred, language_means=means)


@lru_cache(maxsize=1)
def _blas_controller() -> Any:
    try:
        from threadpoolctl import ThreadpoolController
    except ImportError:  # optional: without it numpy keeps its own thread count
        return None
    return ThreadpoolController()


def _single_blas_thread() -> Any:
    controller = _blas_controller()
    return controller.limit(limits=1, user_api="blas") if controller is not None else nullcontext()


def _centre(rows: np.ndarray, mean: np.ndarray) -> np.ndarray:
    """Remove part of a language's mean vector: the multilingual encoder places every text of one language
    near that mean, which ranks any passage in the question's language above a better one in the other."""
    shifted = rows - LANGUAGE_CENTRING * mean
    norms = np.linalg.norm(shifted, axis=-1, keepdims=True)
    return shifted / np.where(norms == 0, 1.0, norms)


def _with_document_boost(fused: dict[int, float], index: LoadedIndex, weight: float) -> dict[int, float]:
    """Add `weight` x the sum of the document's best `DOC_BOOST_CHUNKS` fused scores to every candidate.

    A document several of whose sections match is more likely the one the question is about than a
    document with one stray match; within the document the sections keep their own order.
    """
    if weight <= 0 or not fused:
        return fused
    per_doc: dict[str, list[float]] = {}
    for position, score in fused.items():
        per_doc.setdefault(index.chunks[position].doc, []).append(score)
    doc_score = {doc: sum(sorted(scores, reverse=True)[:DOC_BOOST_CHUNKS]) for doc, scores in per_doc.items()}
    return {position: score + weight * doc_score[index.chunks[position].doc] for position, score in fused.items()}


def load_index(settings: Settings) -> LoadedIndex | None:
    """The current index (cached per process), or None when nothing has been indexed yet."""
    return _CACHE.current(settings)


def forget_loaded_index(settings: Settings) -> None:
    """Make the next query re-read the index (called by `index_documents`)."""
    _CACHE.forget(settings)


def search(settings: Settings, question: str, k: int | None = None) -> list[Passage]:
    """The k best relevant passages for a question, best first; [] when nothing relevant is indexed."""
    question = (question or "").strip()
    if not question:
        raise KnowledgeQueryError("the question is empty")
    if len(question) > MAX_QUESTION_CHARS:
        raise KnowledgeQueryError(f"the question is longer than {MAX_QUESTION_CHARS} characters")
    kb = settings.kb
    k = k or kb.top_k
    index = _CACHE.current(settings)
    if index is None:
        return []
    normalised = normalise(question, kb.opencc_config)
    limit = min(kb.candidates, len(index.chunks))
    question_lang = detect_language(normalised)
    if kb.cross_lingual:  # loads CC-CEDICT on a process's first query (the warm-up), then a no-op
        dictionary_available(settings.home / "cache")
    # A Chinese question also gets a word-by-word English rendering (glossary, then CC-CEDICT), which the
    # vector side compares with English passages and the relevance floor uses as the words' translations.
    rendering = render_english(normalised) if kb.cross_lingual and question_lang == "zh-HK" else ""

    embedder = get_embedder(index.embedding or kb.embedding)
    query_vectors = embedder.embed([normalised, rendering] if rendering else [normalised])
    question_mean = index.language_means.get(question_lang)
    centred_query = _centre(query_vectors[0], question_mean) if question_mean is not None else query_vectors[0]
    with _single_blas_thread():  # a matrix-vector product gains nothing from threads that fight for 2 cores
        similarity = index.vectors @ query_vectors[0]  # plain cosine: the relevance floor is judged on it
        vector_score = index.centred @ centred_query
        english_mean = index.language_means.get("en")
        if rendering and english_mean is not None:
            # An English passage is as close as the better of the question and its English rendering.
            rendered = index.centred @ _centre(query_vectors[1], english_mean)
            vector_score = np.where(index.english, np.maximum(vector_score, rendered), vector_score)
        vector_order = np.argsort(-vector_score)[:limit]

    alternatives = word_alternatives(normalised, translations if rendering else None)
    lexical_hits = index.lexical.search(normalised, limit=limit, alternatives=alternatives,
                                        extra=" ".join(glossary_terms(normalised)))


    fused: dict[int, float] = {}
    for rank, position in enumerate(vector_order.tolist()):
        fused[position] = fused.get(position, 0.0) + 1.0 / (kb.rrf_k + rank + 1)
    for rank, hit in enumerate(lexical_hits):
        fused[hit.index] = fused.get(hit.index, 0.0) + kb.lexical_weight / (kb.rrf_k + rank + 1)
    fused = _with_document_boost(fused, index, kb.doc_weight)
    # Coverage (for the relevance floor) counts a question word as present when the passage has it or one of
    # its translations, so a Chinese question is judged fairly against an English passage.
    coverage = {hit.index: hit.coverage for hit in lexical_hits}


    relevance = {position: float(similarity[position]) + COVERAGE_WEIGHT * coverage.get(position, 0.0)
                 for position in fused}
    # "Nothing relevant" is decided on the best candidate; below that, only clearly unrelated passages
    # are dropped, so a right passage the encoder scores low across languages can still be cited.
    if not relevance or max(relevance.values()) < kb.min_relevance:
        return []
    ordered = sorted(fused, key=lambda p: -fused[p])
    first_rule = _first_rule_of_broad_match(index, ordered[0], normalised)
    if first_rule is not None:  # "退貨政策係點?": the document's first rule answers, not its introduction
        fused[first_rule] = max(fused.get(first_rule, 0.0), fused[ordered[0]])
        relevance.setdefault(first_rule, relevance[ordered[0]])
        ordered = [first_rule, *[p for p in ordered if p != first_rule]]
    passages: list[Passage] = []
    for position in ordered:
        if relevance[position] < kb.min_relevance / 2:
            continue
        chunk = index.chunks[position]
        passages.append(Passage(doc=chunk.doc, title=chunk.title, section=chunk.section, text=chunk.text,
                                lang=chunk.lang, score=round(fused[position], 6),
                                similarity=round(float(similarity[position]), 4),
                                lexical_coverage=round(coverage.get(position, 0.0), 4),
                                relevance=round(relevance[position], 4)))
        if len(passages) == k:
            break
    return passages


#: Headings of a document's introduction (what it covers, why), not of a rule.
_INTRO_HEADING = re.compile(
    r"^(?:適用範圍|範圍|目的|簡介|概覽|概述|前言|背景|引言|說明|scope|purpose|overview|introduction|about"
    r"|background|summary)(?![a-z])", re.IGNORECASE)
#: Words a document title adds to its topic ("退貨政策" is about 退貨).
_TITLE_GENERIC = re.compile(r"政策|流程|程序|安排|守則|指引|規定|\b(?:policy|policies|procedures?|process|handling|rules"
                            r"|guidelines?|sop)\b", re.IGNORECASE)


def is_introduction(section: str, title: str) -> bool:
    """True for a document's header block (the text before its first section) or a section that only says what
    the document covers (適用範圍, Scope, Purpose, Overview)."""
    if section == title:
        return True
    return bool(_INTRO_HEADING.match(section.split(" > ")[-1].strip()))


def _first_rule_of_broad_match(index: LoadedIndex, best: int, question: str) -> int | None:
    """For a broad question about a whole document ("退貨政策係點?": the question holds the title's topic) whose
    best match is the introduction, the position of the document's first rule section; else None."""
    chunk = index.chunks[best]
    if not is_introduction(chunk.section, chunk.title):
        return None
    topic = _TITLE_GENERIC.sub("", chunk.title).replace(" ", "").lower()
    if len(topic) < 2 or topic not in question.replace(" ", "").lower():
        return None
    rules = [position for position, other in enumerate(index.chunks)
             if other.doc == chunk.doc and not is_introduction(other.section, other.title)]
    return min(rules, key=lambda position: _chunk_order(index.chunks[position].chunk_id)) if rules else None


def _chunk_order(chunk_id: str) -> int:
    """A chunk's place in its document (ids end with "#<position>")."""
    tail = chunk_id.rsplit("#", 1)[-1]
    return int(tail) if tail.isdigit() else 0
