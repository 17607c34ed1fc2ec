"""Reading one CSV file of an import folder safely: no links followed, UTF-8 only, bounded fields.

The importer (`connectors/importer.py`) validates what these functions return; a file that cannot be
read at all raises `UnreadableFile`, one problem for the whole file, and its content is never echoed.
"""

from __future__ import annotations

import csv
import io
import os
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

# The csv module refuses fields over 131,072 characters by default; a cell of an import is never near
# this (the per-column limits of csv_schema are far lower), and a longer one is reported, not a traceback.
MAX_FIELD_CHARS = 1_048_576
SHOWN_NAME_CHARS = 40


class UnreadableFile(Exception):
    """A file of the folder cannot be read as a CSV file; nothing of it is checked further."""

    def __init__(self, line: int, column: str | None, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.column = column
        self.message = message


def file_exists(folder: Path, name: str) -> bool:
    """True when the folder has an entry `name` (a broken link counts: it is refused, not 'missing')."""
    return os.path.lexists(folder / name)


def read_file_bytes(folder: Path, name: str) -> bytes:
    """The bytes of `folder/name`, a regular file inside the folder; links and special files are refused."""
    path = folder / name
    try:
        info = os.lstat(path)
    except OSError as exc:
        raise UnreadableFile(0, None, f"cannot be read ({exc.strerror})") from None
    if stat.S_ISLNK(info.st_mode):
        raise UnreadableFile(0, None, "is a symbolic link; links are not followed: copy the file itself into the folder")
    if not stat.S_ISREG(info.st_mode):
        raise UnreadableFile(0, None, "is not a regular file")
    if not path.resolve().is_relative_to(folder.resolve()):
        raise UnreadableFile(0, None, "resolves to a place outside the import folder; copy the file into the folder")
    try:
        # O_NOFOLLOW: a file swapped for a link after the check above is refused too;
        # O_NONBLOCK: a named pipe swapped in cannot make the import wait forever.
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
    except OSError as exc:
        raise UnreadableFile(0, None, f"cannot be read ({exc.strerror})") from None
    with os.fdopen(descriptor, "rb") as handle:
        if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
            raise UnreadableFile(0, None, "is not a regular file")
        return handle.read()


def decode_utf8(raw: bytes) -> str:
    """The text of a UTF-8 file (a BOM is dropped); one clear problem for any other encoding or a NUL byte."""
    nul = raw.find(b"\x00")
    if nul >= 0:  # checked first: UTF-16 text is valid UTF-8 when it is plain ASCII, one NUL after each letter
        raise UnreadableFile(raw.count(b"\n", 0, nul) + 1, None,
                             f"contains a NUL byte at byte offset {nul} (a UTF-16 or binary file?); save it as UTF-8")
    try:
        content = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        offset = exc.start
        line = raw.count(b"\n", 0, offset) + 1
        raise UnreadableFile(line, None, f"not UTF-8: byte 0x{raw[offset]:02x} at byte offset {offset} cannot be "
                                         "decoded; save it as UTF-8") from None
    return content


def read_all_rows(content: str) -> list[list[str]]:
    """Every CSV row of `content`, the header first (the fast read: blank rows kept, no line numbers)."""
    with _field_limit(MAX_FIELD_CHARS):
        reader = csv.reader(io.StringIO(content, newline=""))
        try:
            return list(reader)
        except csv.Error as exc:
            raise _csv_problem(content, reader.line_num, exc) from None


def read_rows_with_lines(content: str, width: int) -> tuple[list[list[str]], list[int]]:
    """Data rows with the line each ends on; blank rows skipped, short rows padded to `width`."""
    records: list[list[str]] = []
    lines: list[int] = []
    with _field_limit(MAX_FIELD_CHARS):
        reader = csv.reader(io.StringIO(content, newline=""))
        try:
            next(reader, None)
            for cells in reader:
                if not cells or (len(cells) == 1 and not cells[0].strip()):
                    continue
                if len(cells) < width:
                    cells = cells + [""] * (width - len(cells))
                records.append(cells)
                lines.append(reader.line_num)
        except csv.Error as exc:
            raise _csv_problem(content, reader.line_num, exc) from None
    return records, lines


def shown_name(name: str) -> str:
    """A header name as shown in a message: cut short when it is long."""
    return name if len(name) <= SHOWN_NAME_CHARS else name[:SHOWN_NAME_CHARS] + f"… ({len(name):,} characters)"


def _csv_problem(content: str, line: int, exc: csv.Error) -> UnreadableFile:
    """The problem for a csv error: an oversized field named by line and column, else the parser's words."""
    located = _oversized_field(content)
    if located is not None:
        line, column = located
        return UnreadableFile(line, column, f"a field is longer than {MAX_FIELD_CHARS:,} characters; "
                                            "a cell of this format is never that long (is a quote missing?)")
    return UnreadableFile(line, None, f"cannot be read as CSV ({exc})")


def _oversized_field(content: str) -> tuple[int, str] | None:
    """The line and column of the first field over MAX_FIELD_CHARS, read again without the limit."""
    with _field_limit(len(content) + 1):
        reader = csv.reader(io.StringIO(content, newline=""))
        header: list[str] = []
        try:
            for cells in reader:
                if not header:
                    header = [name.strip() for name in cells]
                for index, cell in enumerate(cells):
                    if len(cell) > MAX_FIELD_CHARS:
                        name = header[index] if reader.line_num > 1 and index < len(header) else f"#{index + 1}"
                        return reader.line_num, shown_name(name)
        except csv.Error:
            return None
    return None


@contextmanager
def _field_limit(limit: int) -> Iterator[None]:
    """The csv module's field size limit set for the block (it is process-wide; restored afterwards)."""
    previous = csv.field_size_limit(limit)
    try:
        yield
    finally:
        csv.field_size_limit(previous)
