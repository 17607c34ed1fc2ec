"""Where the SOP index lives: a Chroma collection, local (persistent folder) or on a Chroma server.

The collection stores each chunk's embedding (always computed by us and passed explicitly: Chroma's
default embedding function downloads a model, which an offline machine cannot do), its text and its
metadata (doc id, title, section, language, the document's content hash). The collection's own metadata
holds the index version (a hash over all documents' hashes), which every process reads to know whether
its cached copy of the index is still current.
"""

from __future__ import annotations

import logging
from datetime import datetime
from functools import lru_cache
from typing import Any

from core.config import Settings

log = logging.getLogger(__name__)


class KnowledgeBaseUnavailable(Exception):
    """The Chroma store cannot be reached or opened (a server is down, a folder is unreadable)."""


def client_key(settings: Settings) -> tuple[str, str, int]:
    kb = settings.kb
    if kb.chroma_mode == "http":
        return ("http", kb.chroma_host, kb.chroma_port)
    return ("persistent", str((settings.home / "chroma").resolve()), 0)


@lru_cache(maxsize=16)
def _client(mode: str, location: str, port: int) -> Any:
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    chroma_settings = ChromaSettings(anonymized_telemetry=False)
    if mode == "http":
        return chromadb.HttpClient(host=location, port=port, settings=chroma_settings)
    return chromadb.PersistentClient(path=location, settings=chroma_settings)


def chroma_client(settings: Settings) -> Any:
    """The Chroma client for these settings (one per location per process)."""
    try:
        return _client(*client_key(settings))
    except Exception as exc:  # chromadb raises plain exceptions for an unreachable server
        raise KnowledgeBaseUnavailable(f"Chroma is not reachable ({settings.kb.chroma_mode}): "
                                       f"{type(exc).__name__}") from exc


def get_collection(settings: Settings) -> Any | None:
    """The SOP collection, fetched fresh (its metadata carries the current index version), or None if absent."""
    from chromadb.errors import NotFoundError

    client = chroma_client(settings)
    try:
        return client.get_collection(settings.kb.collection, embedding_function=None)
    except NotFoundError:
        return None
    except ValueError:  # older chromadb versions signal a missing collection this way
        return None
    except Exception as exc:
        raise KnowledgeBaseUnavailable(f"Chroma collection unavailable: {type(exc).__name__}") from exc


def create_collection(settings: Settings, embedding: str) -> Any:
    """A new, empty SOP collection (cosine distance) for vectors of the named embedding."""
    client = chroma_client(settings)
    return client.create_collection(
        settings.kb.collection,
        embedding_function=None,
        configuration={"hnsw": {"space": "cosine"}},
        metadata=collection_metadata(embedding, version="empty"),
    )


def drop_collection(settings: Settings) -> None:
    """Delete the SOP collection (when the embedding changes, every vector must be recomputed)."""
    client = chroma_client(settings)
    client.delete_collection(settings.kb.collection)


def collection_metadata(embedding: str, version: str) -> dict[str, str]:
    """The collection-level metadata: which embedding, which index version, when indexed."""
    return {"embedding": embedding, "kb_version": version,
            "indexed_at": datetime.now().replace(microsecond=0).isoformat()}
