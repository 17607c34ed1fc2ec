"""A small Okapi BM25 index over `knowledge.text.tokenize` tokens, built in memory from the stored chunks.

It is rebuilt from Chroma's stored documents whenever the index changes (a few milliseconds for the SOP set,
well under a second for 1,000 chunks), so every process and every server worker sees the same lexical index
without a second file to keep in step.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field

from knowledge.text import tokenize, words


@dataclass
class LexicalHit:
    """A chunk's BM25 score and how much of the question's weight it matched (0..1)."""

    index: int
    score: float
    coverage: float


@dataclass
class BM25Index:
    """Inverted index: term → [(chunk index, term frequency)]."""

    k1: float = 1.2
    b: float = 0.75
    postings: dict[str, list[tuple[int, int]]] = field(default_factory=dict)
    lengths: list[int] = field(default_factory=list)
    idf: dict[str, float] = field(default_factory=dict)
    average_length: float = 1.0

    @classmethod
    def build(cls, texts: list[str]) -> BM25Index:
        """Index texts; their positions are the chunk indexes of the hits."""
        index = cls()
        for position, text in enumerate(texts):
            counts = Counter(tokenize(text))
            index.lengths.append(sum(counts.values()))
            for term, freq in counts.items():
                index.postings.setdefault(term, []).append((position, freq))
        total = len(texts)
        index.average_length = (sum(index.lengths) / total) if total else 1.0
        for term, posting in index.postings.items():
            df = len(posting)
            index.idf[term] = math.log(1 + (total - df + 0.5) / (df + 0.5))
        return index

    def search(self, question: str, limit: int = 20, *, alternatives: dict[str, set[str]] | None = None,
               extra: str = "", extra_weight: float = 1.0) -> list[LexicalHit]:
        """The best chunks for a question, best first (chunks matching nothing are left out).

        The question's tokens and the `extra` ones (its glossary expansion, weighted `extra_weight`) are
        scored. Coverage counts the question's words only (not the bigram fallback, not the expansion): a
        word counts as present when the chunk has it or one of its `alternatives` (its translations).
        """
        terms: dict[str, float] = {term: float(n) for term, n in Counter(tokenize(question)).items()}
        for term, count in Counter(tokenize(extra)).items():  # expansion terms (glossary words), down-weighted
            terms[term] = terms.get(term, 0.0) + extra_weight * count
        known: dict[str, float] = {term: n for term, n in terms.items() if term in self.idf}
        if not known:
            return []
        scores: dict[int, float] = {}
        for term, n in known.items():
            idf = self.idf[term]
            for position, freq in self.postings[term]:
                norm = self.k1 * (1 - self.b + self.b * self.lengths[position] / self.average_length)
                scores[position] = scores.get(position, 0.0) + n * idf * freq * (self.k1 + 1) / (freq + norm)
        best = sorted(scores, key=lambda position: -scores[position])[:limit]
        coverage = self.coverage(question, best, alternatives)
        return [LexicalHit(index=p, score=scores[p], coverage=coverage.get(p, 0.0)) for p in best]

    def coverage(self, question: str, positions: list[int],
                 alternatives: dict[str, set[str]] | None = None) -> dict[int, float]:
        """Per chunk position, the share (0..1, idf-weighted) of the question's words it contains, directly or
        as one of the word's `alternatives`; a word no chunk contains weighs as the rarest known word."""
        if not self.idf:
            return {}
        rarest = max(self.idf.values())
        coverage_words = set(words(question))
        total = sum(self.idf.get(term, rarest) for term in coverage_words) or 1.0
        matched = self._matched(positions, coverage_words, alternatives or {}, rarest)
        return {position: min(1.0, weight / total) for position, weight in matched.items()}

    def _matched(self, positions: list[int], coverage_words: set[str], alternatives: dict[str, set[str]],
                 rarest: float) -> dict[int, float]:
        """Per position, the idf weight of the question words it contains (directly or as an alternative)."""
        wanted = set(positions)
        matched: dict[int, float] = {}
        for word in coverage_words:
            present: set[int] = set()
            for token in {word} | alternatives.get(word, set()):
                present.update(position for position, _ in self.postings.get(token, ()) if position in wanted)
            weight = self.idf.get(word, rarest)
            for position in present:
                matched[position] = matched.get(position, 0.0) + weight
        return matched
