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

    def search(self, question: str, limit: int = 20) -> list[LexicalHit]:
        """The best chunks for a question, best first (chunks matching nothing are left out).

        Coverage counts the question's words (not the bigram fallback); a word no chunk contains weighs
        as much as the rarest known word, so a question about something the SOPs never mention stays low.
        """
        terms = Counter(tokenize(question))
        known = {term: n for term, n in terms.items() if term in self.idf}
        if not known:
            return []
        rarest = max(self.idf.values())
        coverage_terms = set(words(question))
        coverage_total = sum(self.idf.get(term, rarest) for term in coverage_terms) or 1.0
        scores: dict[int, float] = {}
        matched: dict[int, float] = {}
        for term, n in known.items():
            idf = self.idf[term]
            counts_for_coverage = term in coverage_terms
            for position, freq in self.postings[term]:
                norm = self.k1 * (1 - self.b + self.b * self.lengths[position] / self.average_length)
                scores[position] = scores.get(position, 0.0) + n * idf * freq * (self.k1 + 1) / (freq + norm)
                if counts_for_coverage:
                    matched[position] = matched.get(position, 0.0) + idf
        best = sorted(scores, key=lambda position: -scores[position])[:limit]
        return [LexicalHit(index=p, score=scores[p], coverage=min(1.0, matched.get(p, 0.0) / coverage_total))
                for p in best]
