"""Progress of long work (an import, a forecast batch, SOP indexing, route planning) for the person waiting.

The work takes a `Progress` and opens one `ProgressTask` per step (`with progress.task("Fitting forecasts",
total=240) as task: ... task.advance()`); it never knows where the progress goes. The command line picks
the reporter with `progress_for`: a `rich` bar on a terminal, plain lines when the output is not a
terminal (a pipe, a log file, a test's CliRunner), nothing with `--quiet`. Code that nobody watches (the
server's background refit, a tool call) gets `SILENT`.

Plain lines are throttled: the start of a step, about every tenth of it (and at least every few seconds
of a long step), and its end with the time it took, so a log file stays readable.
"""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from typing import TYPE_CHECKING, Protocol, TextIO

if TYPE_CHECKING:
    from rich.progress import Progress as RichProgress
    from rich.progress import TaskID

# Plain lines: at most one per this many seconds in between (besides the tenths and the ends).
PLAIN_INTERVAL_S = 5.0


class ProgressTask(Protocol):
    """One step of the work: advance it as parts finish; `note` names the part just done."""

    def advance(self, steps: int = 1, note: str | None = None) -> None:
        """Count `steps` more parts done."""


class Progress(Protocol):
    """Where the progress of long work is shown."""

    def task(self, description: str, total: int | None = None) -> AbstractContextManager[ProgressTask]:
        """Open a step of `total` parts (None: unknown, shown as running with its elapsed time)."""


class _NoTask:
    """A task that shows nothing."""

    def advance(self, steps: int = 1, note: str | None = None) -> None:
        """Nothing to show."""


class SilentProgress:
    """Shows nothing: `--quiet`, the server's background work, tool calls."""

    @contextmanager
    def task(self, description: str, total: int | None = None) -> Iterator[ProgressTask]:
        """A step nobody sees."""
        yield _NoTask()


SILENT = SilentProgress()


class _LineTask:
    """Plain-line progress of one step (see the module docstring for when a line is written)."""

    def __init__(self, stream: TextIO, description: str, total: int | None) -> None:
        self.stream, self.description, self.total = stream, description, total
        self.done = 0
        self.started = self.last_line = time.monotonic()
        self.last_tenth = 0
        self._lock = threading.Lock()

    def write(self, text: str) -> None:
        """One line, flushed at once (a log reader sees it as it happens)."""
        self.stream.write(text + "\n")
        self.stream.flush()
        self.last_line = time.monotonic()

    def advance(self, steps: int = 1, note: str | None = None) -> None:
        """Count parts done; write a line at each new tenth of the step or after a quiet while."""
        with self._lock:
            self.done += steps
            tenth = self.done * 10 // self.total if self.total else 0
            quiet_for = time.monotonic() - self.last_line
            if (self.total and tenth > self.last_tenth and self.done < self.total) or quiet_for >= PLAIN_INTERVAL_S:
                self.last_tenth = tenth
                of_total = f"/{self.total}" if self.total else ""
                self.write(f"{self.description}: {self.done}{of_total}" + (f" ({note})" if note else ""))


class LineProgress:
    """Plain lines on a stream: for logs, pipes and tests (not a terminal)."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream

    @contextmanager
    def task(self, description: str, total: int | None = None) -> Iterator[ProgressTask]:
        """A step: a line when it starts, some while it runs, one when it ends."""
        line = _LineTask(self.stream, description, total)
        line.write(f"{description}: 0/{total}" if total else f"{description}...")
        yield line
        counted = f" {line.done}/{total}" if total else ""
        line.write(f"{description}: done{counted} in {time.monotonic() - line.started:.1f} s")


class _BarTask:
    def __init__(self, bars: RichProgress, task_id: TaskID) -> None:
        self.bars, self.task_id = bars, task_id

    def advance(self, steps: int = 1, note: str | None = None) -> None:
        """Move the bar."""
        self.bars.advance(self.task_id, steps)


class BarProgress:
    """`rich` progress bars on a terminal (a spinner with elapsed time when the total is unknown)."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream

    @contextmanager
    def task(self, description: str, total: int | None = None) -> Iterator[ProgressTask]:
        """A bar for one step; it stays on screen, complete, when the step ends."""
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            SpinnerColumn,
            TextColumn,
            TimeElapsedColumn,
        )
        from rich.progress import Progress as RichProgress

        with RichProgress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                          TimeElapsedColumn(), console=Console(file=self.stream), transient=False) as bars:
            task_id = bars.add_task(description, total=total)
            yield _BarTask(bars, task_id)
            if total is None:
                bars.update(task_id, total=1, completed=1)


def progress_for(stream: TextIO | None = None, *, quiet: bool = False, terminal: bool | None = None) -> Progress:
    """The reporter for a command: nothing when `quiet`, bars on a terminal, else plain lines.

    `stream` defaults to standard error (the command's result stays alone on standard output);
    `terminal` overrides the check of whether `stream` is one.
    """
    if quiet:
        return SILENT
    stream = stream if stream is not None else sys.stderr
    is_terminal = stream.isatty() if terminal is None else terminal
    return BarProgress(stream) if is_terminal else LineProgress(stream)


@contextmanager
def ticking(progress: Progress, description: str, seconds: float) -> Iterator[None]:
    """A step whose only measure is its time limit (a route solver that runs for `seconds`): the bar
    advances once a second towards the limit, and is full when the work ends."""
    total = max(1, round(seconds))
    stop = threading.Event()
    ticks = [0]
    with progress.task(description, total=total) as task:

        def tick() -> None:
            while ticks[0] < total - 1 and not stop.wait(1.0):  # the last step is the work's end
                task.advance()
                ticks[0] += 1

        ticker = threading.Thread(target=tick, name="progress-ticker", daemon=True)
        ticker.start()
        try:
            yield
        finally:
            stop.set()
            ticker.join()
        task.advance(total - ticks[0])  # finished: the bar is full, however early
