"""`silobridge kb index [PATH ...]`: keep the Chroma SOP collection in step with the Markdown documents.

The paths given (files or folders; default `kb.sop_dir`) are the knowledge base: a document whose
content hash is unchanged is left alone, a changed one is re-chunked and re-embedded, a new one is added,
and a document in the index but no longer among the paths is removed (pass `prune=False` to only add
and update). A document's id is its file name, so two files with the same name are refused.
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import BaseModel, Field

from core.config import Settings
from core.progress import SILENT, Progress
from knowledge.chunking import CHUNKER_VERSION, Chunk, chunk_markdown
from knowledge.embeddings import Embedder, get_embedder
from knowledge.retrieval import forget_loaded_index, load_index
from knowledge.store import collection_metadata, create_collection, drop_collection, get_collection
from knowledge.text import expand, glossary_digest

if TYPE_CHECKING:  # chromadb is imported only when an index is opened
    from chromadb.api.models.Collection import Collection

log = logging.getLogger(__name__)

DOC_SUFFIXES = (".md", ".markdown")
# Sections embedded and written per step (a progress step; the encoder batches inside it).
EMBED_BATCH = 16


class KnowledgeIndexError(Exception):
    """The documents to index cannot be read (a missing path, a duplicate file name, no documents)."""


class IndexReport(BaseModel):
    """What one indexing run did, per document id."""

    added: list[str] = Field(default_factory=list)
    updated: list[str] = Field(default_factory=list)
    unchanged: list[str] = Field(default_factory=list)
    removed: list[str] = Field(default_factory=list)
    chunks_written: int = 0
    total_chunks: int = 0
    embedding: str = ""
    rebuilt: bool = False
    seconds: float = 0.0

    def summary(self) -> str:
        """One line for the CLI."""
        return (f"{len(self.added)} added, {len(self.updated)} updated, {len(self.unchanged)} unchanged, "
                f"{len(self.removed)} removed; {self.total_chunks} chunks in the index "
                f"({self.chunks_written} embedded with {self.embedding}, {self.seconds:.1f}s)")


def collect_documents(paths: Iterable[str | Path]) -> dict[str, Path]:
    """Document id (file name) → file, from files and folders (searched recursively)."""
    found: dict[str, Path] = {}
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            files = sorted(p for p in path.rglob("*") if p.suffix.lower() in DOC_SUFFIXES and p.is_file())
        elif path.is_file():
            files = [path]
        else:
            raise KnowledgeIndexError(f"no such file or folder: {path}")
        for file in files:
            previous = found.get(file.name)
            if previous is not None and previous.resolve() != file.resolve():
                raise KnowledgeIndexError(f"two documents are called {file.name}: {previous} and {file}; "
                                          "rename one (a document's id is its file name)")
            found[file.name] = file
    return found


def document_hash(content: bytes) -> str:
    """Content hash of a document. The chunker version and the glossary are part of it: a new chunker
    re-chunks, and a glossary change re-embeds (the embedded text carries the glossary's terms)."""
    return hashlib.sha256(CHUNKER_VERSION.encode() + b"\0" + glossary_digest().encode() + b"\0"
                          + content).hexdigest()


def index_version(doc_hashes: dict[str, str], embedding: str) -> str:
    """One hash over every document's hash: changes whenever any document changes."""
    digest = hashlib.sha256(embedding.encode())
    for doc_id in sorted(doc_hashes):
        digest.update(f"{doc_id}={doc_hashes[doc_id]};".encode())
    return digest.hexdigest()[:16]


def index_documents(settings: Settings, paths: Iterable[str | Path] | None = None, *,
                    prune: bool = True, progress: Progress = SILENT) -> IndexReport:
    """Index the SOP documents under `paths` (default `kb.sop_dir`) incrementally; see the module docstring."""
    started = time.perf_counter()
    embedding_name = settings.kb.embedding
    embedder = get_embedder(embedding_name)
    documents = collect_documents(list(paths) if paths else [settings.resolve(settings.kb.sop_dir)])
    report = IndexReport(embedding=embedding_name)

    collection = get_collection(settings)
    if collection is not None and (collection.metadata or {}).get("embedding") != embedding_name:
        log.info("kb: embedding changed to %s, rebuilding the index", embedding_name)
        drop_collection(settings)
        collection, report.rebuilt = None, True
    if collection is None:
        collection = create_collection(settings, embedding_name)

    indexed = _indexed_hashes(collection)
    new_chunks: list[tuple[Chunk, str, str]] = []  # (chunk, document hash, source file)
    new_hashes: dict[str, str] = {}
    for doc_id, file in documents.items():
        content = file.read_bytes()
        doc_hash = document_hash(content)
        new_hashes[doc_id] = doc_hash
        if indexed.get(doc_id) == doc_hash:
            report.unchanged.append(doc_id)
            continue
        try:
            markdown = content.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise KnowledgeIndexError(f"{file}: not UTF-8 text") from exc
        (report.updated if doc_id in indexed else report.added).append(doc_id)
        chunks = chunk_markdown(doc_id, markdown)
        for chunk in chunks:
            chunk.chunk_id = f"{doc_id}#{doc_hash[:8]}#{chunk.position}"
        new_chunks.extend((chunk, doc_hash, str(file)) for chunk in chunks)

    stale = [doc_id for doc_id in indexed if doc_id not in documents] if prune else []
    for doc_id in report.updated + stale:
        collection.delete(where={"doc_id": doc_id})
    report.removed = stale
    if new_chunks:
        with progress.task("Embedding SOP sections", total=len(new_chunks)) as task:
            for first in range(0, len(new_chunks), EMBED_BATCH):
                batch = new_chunks[first:first + EMBED_BATCH]
                _write_chunks(collection, embedder, batch)
                task.advance(len(batch))
    report.chunks_written = len(new_chunks)

    final_hashes = {doc_id: h for doc_id, h in indexed.items() if doc_id not in stale}
    final_hashes.update(new_hashes)
    if report.added or report.updated or report.removed or report.rebuilt \
            or (collection.metadata or {}).get("kb_version") == "empty":
        collection.modify(metadata=collection_metadata(embedding_name, index_version(final_hashes, embedding_name)))
    report.total_chunks = collection.count()
    forget_loaded_index(settings)
    report.seconds = time.perf_counter() - started
    log.info("kb index: %s", report.summary())
    return report


def ensure_index(settings: Settings, progress: Progress = SILENT) -> IndexReport | None:
    """Index the bundled SOP folder (`kb.sop_dir`) when nothing is indexed yet — a fresh install — so no one
    has to run `silobridge kb index` first; None when an index exists (it is never pruned or replaced here:
    a company that indexed its own documents keeps exactly those)."""
    if load_index(settings) is not None:
        return None
    return index_documents(settings, progress=progress)


def _indexed_hashes(collection: Collection) -> dict[str, str]:
    stored = collection.get(include=["metadatas"])
    return {str(meta["doc_id"]): str(meta["doc_hash"]) for meta in stored["metadatas"] or []}


def _write_chunks(collection: Collection, embedder: Embedder, entries: list[tuple[Chunk, str, str]]) -> None:
    # The glossary terms (the other language's words for the passage's terms) go into the embedded text:
    # they pull a passage towards questions asked in the other language.
    vectors = embedder.embed([expand(chunk.embedding_text()) for chunk, _, _ in entries])
    collection.add(
        ids=[chunk.chunk_id for chunk, _, _ in entries],
        embeddings=vectors,
        documents=[chunk.text for chunk, _, _ in entries],
        metadatas=[{"doc_id": chunk.doc_id, "doc_title": chunk.doc_title, "section": chunk.section,
                    "lang": chunk.lang, "position": chunk.position, "doc_hash": doc_hash, "source": source}
                   for chunk, doc_hash, source in entries],
    )
