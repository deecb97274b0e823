"""Plain-text reader: a text dump of a report (UTF-8 or GB18030) → Document of lines.

Tables in such dumps are flattened to lines; they stay lines here and are recovered later
from their labels and numbers (pipeline.tables.textual). A form feed starts a new page.
"""

from __future__ import annotations

from pathlib import Path

from pipeline.errors import UnreadableDocument
from pipeline.model import Document, TextBlock

_ENCODINGS = ("utf-8-sig", "gb18030")


def decode(data: bytes) -> str:
    """Return the text of `data`, trying UTF-8 (with or without BOM) and then GB18030."""
    if b"\x00" in data[:4096]:
        raise UnreadableDocument("binary data, not a text file")
    for encoding in _ENCODINGS:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise UnreadableDocument("text is neither UTF-8 nor GB18030")


def read_text(path: str | Path) -> Document:
    """Return the Document of a text file: one TextBlock per non-empty line, pages split at form feeds."""
    path = Path(path)
    text = decode(path.read_bytes())
    if not text.strip():
        raise UnreadableDocument("empty text file")
    blocks = []
    pages = text.split("\f")
    for number, page in enumerate(pages, start=1):
        for line in page.splitlines():
            if line.strip():
                blocks.append(TextBlock(line.rstrip(), page=number if len(pages) > 1 else None))
    n_pages = len(pages) if len(pages) > 1 else None
    return Document(source_path=str(path), format="txt", blocks=tuple(blocks), pages=n_pages)
