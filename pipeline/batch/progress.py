"""Progress of a batch on stderr: a bar redrawn in place on a terminal, a line now and then elsewhere.

Shows documents done of the total, how many failed, pages per second and the time left
(from the pace of this run). Logs and CI get plain lines, at most one per `line_every` seconds.
"""

from __future__ import annotations

import sys
import time
from typing import TextIO

_BAR_WIDTH = 24
_REDRAW_SECONDS = 0.1


class Progress:
    """Counts documents as they finish and reports the pace."""

    def __init__(self, total: int, stream: TextIO | None = None, tty: bool | None = None,
                 line_every: float = 10.0) -> None:
        self.total = total
        self.done = 0
        self.failed = 0
        self.pages = 0
        self._stream = stream if stream is not None else sys.stderr
        self._tty = self._stream.isatty() if tty is None else tty
        self._every = _REDRAW_SECONDS if self._tty else line_every
        self._start = time.monotonic()
        self._shown = float("-inf")

    def advance(self, documents: int = 1, failed: int = 0, pages: int = 0) -> None:
        """Count finished documents (and how many of them failed, and their pages)."""
        self.done += documents
        self.failed += failed
        self.pages += pages
        now = time.monotonic()
        if now - self._shown >= self._every:
            self._shown = now
            self._show()

    def close(self) -> None:
        """Show the final state and end the line."""
        self._show()
        if self._tty:
            self._stream.write("\n")
        self._stream.flush()

    def status(self) -> str:
        """Return the progress as one line of text."""
        elapsed = max(time.monotonic() - self._start, 1e-9)
        left = (self.total - self.done) * elapsed / self.done if self.done else None
        return (f"{self.done}/{self.total} documents, {self.failed} failed, {self.pages / elapsed:.1f} pages/s, "
                f"{_clock(left)} left")

    def _show(self) -> None:
        """Write the current state: redraw the bar on a terminal, or print a line."""
        if self._tty:
            filled = _BAR_WIDTH * self.done // self.total if self.total else _BAR_WIDTH
            bar = "#" * filled + "-" * (_BAR_WIDTH - filled)
            self._stream.write(f"\r[{bar}] {self.status()}\x1b[K")
        else:
            self._stream.write(f"batch: {self.status()}\n")
        self._stream.flush()


def _clock(seconds: float | None) -> str:
    """Return seconds as h:mm:ss ("?" when not known yet)."""
    if seconds is None:
        return "?"
    whole = round(seconds)
    return f"{whole // 3600}:{whole // 60 % 60:02d}:{whole % 60:02d}"
