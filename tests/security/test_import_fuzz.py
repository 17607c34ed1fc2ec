"""A bounded, seeded fuzz of the importer over broken CSV files (issue 11, item 7).

Every case breaks one to three files of the small mini company (random bytes, truncation, huge fields,
UTF-16 / Latin-1 / Big5 / BOMs, NUL bytes, stray quotes, extra columns, odd numbers, lost lines) and
imports the folder. Each import either succeeds or raises `ImportFailed` with short, clear problems:
no other exception, no hang, and after every refused import the data is exactly what it was.
"""

from __future__ import annotations

import random
import signal
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from connectors.csv_schema import TABLES
from connectors.importer import ImportFailed, load_folder
from core.db import Database
from tests.security.company_files import mini_copy, snapshot

SEED = 20261125
CASES = 150
CASE_SECONDS = 10
TOTAL_SECONDS = 60
FILES = [spec.file for spec in TABLES]

Mutation = Callable[[random.Random, bytes], bytes]


def random_bytes(rng: random.Random, raw: bytes) -> bytes:
    """The file replaced by noise."""
    return rng.randbytes(rng.randint(0, 4000))


def truncated(rng: random.Random, raw: bytes) -> bytes:
    """The file cut at any byte (possibly inside a UTF-8 character or a quoted field)."""
    return raw[:rng.randint(0, len(raw))]


def huge_field(rng: random.Random, raw: bytes) -> bytes:
    """A 200,000-character (or over 1 MB) value in some cell."""
    size = rng.choice([200_000, 1_100_000])
    filler = rng.choice([b"x", "官".encode(), b"9", b"; "]) * (size // 3)
    lines = raw.split(b"\n")
    row = rng.randrange(len(lines))
    cells = lines[row].split(b",")
    cells[rng.randrange(len(cells))] = filler
    lines[row] = b",".join(cells)
    return b"\n".join(lines)


def other_encoding(rng: random.Random, raw: bytes) -> bytes:
    """The same text saved as UTF-16, Latin-1, Big5 or with a BOM."""
    text = raw.decode("utf-8", errors="replace")
    encoding = rng.choice(["utf-16", "utf-16-le", "utf-16-be", "latin-1", "big5", "utf-8-sig", "utf-32"])
    encoded = text.encode(encoding, errors="replace")
    return b"\xef\xbb\xbf" + encoded if encoding == "latin-1" and rng.random() < 0.3 else encoded


def nul_bytes(rng: random.Random, raw: bytes) -> bytes:
    """NUL bytes dropped into the file."""
    data = bytearray(raw)
    for _ in range(rng.randint(1, 5)):
        data.insert(rng.randint(0, len(data)), 0)
    return bytes(data)


def stray_quotes(rng: random.Random, raw: bytes) -> bytes:
    """Quotes that open and never close, or close what never opened."""
    data = bytearray(raw)
    for _ in range(rng.randint(1, 3)):
        data.insert(rng.randint(0, len(data)), ord('"'))
    return bytes(data)


def extra_columns(rng: random.Random, raw: bytes) -> bytes:
    """Rows (and maybe the header) with more cells than the header."""
    lines = raw.split(b"\n")
    for _ in range(rng.randint(1, 3)):
        row = rng.randrange(len(lines))
        lines[row] += b",extra" * rng.randint(1, 4)
    return b"\n".join(lines)


def odd_values(rng: random.Random, raw: bytes) -> bytes:
    """Numbers and dates a database would choke on, in random cells."""
    odd = rng.choice([b"99999999999999999999", b"1e999", b"nan", b"-inf", b"-1", b"0", b"1e15", b"",
                      b"9999-12-31T23:59-14:00", b"0001-01-01T00:00+14:00", b"2026-02-30", b"25:61",
                      b"\xe2\x80\xae", b"=cmd|' /C calc'!A0", b"; ;", b"slack:" + b"U" * 200])
    lines = raw.split(b"\n")
    row = rng.randrange(len(lines))
    cells = lines[row].split(b",")
    cells[rng.randrange(len(cells))] = odd
    lines[row] = b",".join(cells)
    return b"\n".join(lines)


def lost_lines(rng: random.Random, raw: bytes) -> bytes:
    """Lines deleted, duplicated or left blank (header-only files included)."""
    lines = raw.split(b"\n")
    action = rng.choice(["delete", "duplicate", "blank", "header_only"])
    row = rng.randrange(len(lines))
    if action == "delete":
        del lines[row]
    elif action == "duplicate":
        lines.insert(row, lines[row])
    elif action == "blank":
        lines[row] = b""
    else:
        lines = lines[:1]
    return b"\n".join(lines)


def line_endings(rng: random.Random, raw: bytes) -> bytes:
    """CRLF, lone CR, or no final newline."""
    return rng.choice([raw.replace(b"\n", b"\r\n"), raw.replace(b"\n", b"\r"), raw.rstrip(b"\n")])


MUTATIONS: list[Mutation] = [random_bytes, truncated, huge_field, other_encoding, nul_bytes, stray_quotes,
                             extra_columns, odd_values, lost_lines, line_endings]


def break_folder(rng: random.Random, folder: Path) -> list[str]:
    """Apply one to three mutations to random files; returns what was done (for the failure message)."""
    done = []
    for _ in range(rng.randint(1, 3)):
        file, mutation = rng.choice(FILES), rng.choice(MUTATIONS)
        path = folder / file
        path.write_bytes(mutation(rng, path.read_bytes()))
        done.append(f"{mutation.__name__}({file})")
    return done


@contextmanager
def time_limit(seconds: int) -> Iterator[None]:
    """Fail instead of hanging: SIGALRM interrupts an import that takes longer than `seconds`."""

    def give_up(signum: int, frame: object) -> None:
        raise TimeoutError(f"import took over {seconds} s")

    previous = signal.signal(signal.SIGALRM, give_up)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def test_broken_csv_files_fail_cleanly_and_leave_the_data_intact(any_db: Database, tmp_path: Path) -> None:
    rng = random.Random(SEED)
    load_folder(any_db, mini_copy(tmp_path, "baseline"))
    expected = snapshot(any_db)
    started = time.monotonic()
    outcomes = {"loaded": 0, "refused": 0}
    for case in range(CASES):
        folder = mini_copy(tmp_path, f"case-{case}")
        done = break_folder(rng, folder)
        with time_limit(CASE_SECONDS):
            try:
                load_folder(any_db, folder)
            except ImportFailed as failure:
                outcomes["refused"] += 1
                assert failure.problems, done
                for problem in failure.problems:
                    text = str(problem)
                    assert len(text) < 500 and "Traceback" not in text, (done, text[:500])
                    assert problem.file, done
                assert snapshot(any_db) == expected, f"data changed by a refused import: {done}"
            else:
                outcomes["loaded"] += 1
                expected = snapshot(any_db)  # harmless breakage (a CRLF file): the new data is the baseline
        assert time.monotonic() - started < TOTAL_SECONDS, f"fuzz over budget after {case + 1} cases"
    assert outcomes["refused"] > CASES // 2, outcomes  # the fuzz really breaks files
    assert any_db.data_version() >= 1


@pytest.mark.parametrize("mutation", MUTATIONS, ids=[mutation.__name__ for mutation in MUTATIONS])
def test_each_kind_of_breakage_on_stock(sqlite_db: Database, tmp_path: Path, mutation: Mutation) -> None:
    """Every mutation at least once on the file that matters most (the fuzz above may skip one by chance)."""
    rng = random.Random(f"{SEED}-{mutation.__name__}")
    load_folder(sqlite_db, mini_copy(tmp_path, "baseline"))
    expected = snapshot(sqlite_db)
    for case in range(5):
        folder = mini_copy(tmp_path, f"case-{case}")
        path = folder / "stock.csv"
        path.write_bytes(mutation(rng, path.read_bytes()))
        with time_limit(CASE_SECONDS):
            try:
                load_folder(sqlite_db, folder)
            except ImportFailed:
                assert snapshot(sqlite_db) == expected
            else:
                expected = snapshot(sqlite_db)
