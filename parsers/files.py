"""Reading a document's bytes, with the reasons a file cannot be read said the same way by every reader."""

from __future__ import annotations

from pathlib import Path

from pipeline.errors import UnreadableDocument

__all__ = ["read_document_bytes"]


def read_document_bytes(path: Path) -> bytes:
    """Return the bytes of a document file; raise `UnreadableDocument` when it cannot be read or holds nothing."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise UnreadableDocument(f"cannot read {path}: {exc.strerror or exc}") from exc
    if not data.strip():
        raise UnreadableDocument("empty file (0 bytes)" if not data else "empty file (only white space)")
    return data
