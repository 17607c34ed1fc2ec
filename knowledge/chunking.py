"""Markdown SOP documents → chunks, one per headed section.

A chunk's `section` is its heading path, the title first ("退貨政策 > 退貨期限"): that is what a citation
names. A section longer than `max_chars` is split at paragraph boundaries; every piece keeps the section.
"""

from __future__ import annotations

import re

from pydantic import BaseModel

from core.lang import Lang

# The language of an SOP document: the same two as replies.
DocLang = Lang

# Bump when the chunking rules change, so every document is re-indexed once.
CHUNKER_VERSION = "2"

_HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$")
_FENCE = re.compile(r"^\s*(```|~~~)")
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_LATIN_WORD = re.compile(r"[A-Za-z]{2,}")


class Chunk(BaseModel):
    """One section (or part of a long section) of an SOP document."""

    chunk_id: str
    doc_id: str
    doc_title: str
    section: str
    text: str
    lang: DocLang
    position: int

    def embedding_text(self) -> str:
        """What the vector side embeds: the heading path gives short sections their topic."""
        return f"{self.section}\n{self.text}"


def detect_language(text: str) -> DocLang:
    """zh-HK when Chinese characters carry the text, else en."""
    cjk = len(_CJK.findall(text))
    latin_words = len(_LATIN_WORD.findall(text))
    # A Chinese character carries about as much as an English word of ~4 letters.
    return "zh-HK" if cjk >= latin_words * 1.5 and cjk > 0 else "en"


def document_title(markdown: str, fallback: str) -> str:
    """The first `# ` heading, else the fallback (the file name)."""
    for line in markdown.splitlines():
        match = _HEADING.match(line)
        if match and len(match.group(1)) == 1:
            return _clean_heading(match.group(2))
    return fallback


def chunk_markdown(doc_id: str, markdown: str, *, max_chars: int = 900) -> list[Chunk]:
    """Split a Markdown document into chunks by heading; empty sections are skipped."""
    title = document_title(markdown, doc_id)
    doc_lang = detect_language(markdown)
    path: list[tuple[int, str]] = []
    sections: list[tuple[str, list[str]]] = []
    body: list[str] = []
    in_fence = False

    def flush() -> None:
        text = "\n".join(body).strip()
        if text:
            heading_path = [name for _, name in path] or [title]
            sections.append((" > ".join(heading_path), [text]))
        body.clear()

    for line in markdown.splitlines():
        if _FENCE.match(line):
            in_fence = not in_fence
        match = None if in_fence else _HEADING.match(line)
        if match:
            flush()
            level = len(match.group(1))
            path[:] = [(lvl, name) for lvl, name in path if lvl < level]
            path.append((level, _clean_heading(match.group(2))))
            if level > 1 and not any(lvl == 1 for lvl, _ in path):
                path.insert(0, (1, title))
            continue
        body.append(line)
    flush()

    chunks: list[Chunk] = []
    for section, (text,) in sections:
        for piece in _split_long(text, max_chars):
            chunks.append(Chunk(chunk_id=f"{doc_id}#{len(chunks)}", doc_id=doc_id, doc_title=title,
                                section=section, text=piece, lang=doc_lang, position=len(chunks)))
    return chunks


def _clean_heading(text: str) -> str:
    return re.sub(r"[*_`]", "", text).strip()


def _split_long(text: str, max_chars: int) -> list[str]:
    """Paragraph-aligned pieces of at most ~max_chars (a single huge paragraph stays whole)."""
    if len(text) <= max_chars:
        return [text]
    pieces: list[str] = []
    current: list[str] = []
    size = 0
    for paragraph in re.split(r"\n\s*\n", text):
        if current and size + len(paragraph) > max_chars:
            pieces.append("\n\n".join(current))
            current, size = [], 0
        current.append(paragraph)
        size += len(paragraph) + 2
    if current:
        pieces.append("\n\n".join(current))
    return pieces
