"""One lock per output folder, for `govreport parse` and `govreport batch` alike.

Two runs writing into one folder would silently replace each other's tables (parse) or mix
their chunks (batch): the second run is refused while the first holds the folder.
"""

from __future__ import annotations

import fcntl
from pathlib import Path
from typing import IO, Any

from pipeline.errors import PipelineError

LOCK_NAME = ".lock"


class OutputLocked(PipelineError):
    """Another run is writing to the same output folder."""


class OutputLock:
    """The lock of an output folder, held from `acquire` to `release` (or the `with` block)."""

    def __init__(self, folder: str | Path) -> None:
        self.folder = Path(folder)
        self._handle: IO[str] | None = None

    def acquire(self) -> None:
        """Take the folder (creating it), or raise OutputLocked when another run holds it."""
        self.folder.mkdir(parents=True, exist_ok=True)
        handle = open(self.folder / LOCK_NAME, "a+")  # noqa: SIM115  (held until release())
        try:
            # A POSIX record lock, not flock(): forked workers do not inherit it, so it is gone the
            # moment this process dies, even while its orphaned workers are still winding down.
            fcntl.lockf(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            handle.close()
            raise OutputLocked(f"another govreport run is writing to {self.folder}") from exc
        self._handle = handle

    def release(self) -> None:
        """Let the folder go (closing the file drops the lock)."""
        if self._handle is not None:
            self._handle.close()
            self._handle = None

    @property
    def held(self) -> bool:
        """Return True while this process holds the folder."""
        return self._handle is not None

    def __enter__(self) -> OutputLock:
        self.acquire()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.release()
