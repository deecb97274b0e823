"""Readers, one per format, each turning a file into the canonical pipeline.model.Document.

`detect_format` looks at the leading bytes before the suffix, so a PDF saved as .doc or a
Word file saved as .pdf is still read by the right reader.
"""

from __future__ import annotations

import importlib
import zipfile
from collections.abc import Callable
from pathlib import Path

from pipeline.errors import UnreadableDocument, UnsupportedFormat
from pipeline.model import Document

SUFFIXES: dict[str, str] = {".pdf": "pdf", ".docx": "docx", ".txt": "txt", ".html": "html", ".htm": "html"}


def detect_format(path: str | Path) -> str:
    """Return the format of a file ("pdf", "docx", "txt", "html") from its bytes and suffix."""
    path = Path(path)
    with open(path, "rb") as handle:
        head = handle.read(2048)
    if not head:
        raise UnreadableDocument("empty file (0 bytes)")
    if head.lstrip()[:5] == b"%PDF-":
        return "pdf"
    if head[:4] == b"PK\x03\x04":
        return _zip_format(path)
    if head[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise UnsupportedFormat("legacy OLE file (.doc/.wps or an encrypted Word file), not supported yet")
    sniff = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if sniff.startswith((b"<!doctype html", b"<html", b"<?xml", b"<head", b"<body", b"<meta")):
        return "html"
    suffix = path.suffix.lower()
    if suffix in (".txt", ".html", ".htm"):
        return SUFFIXES[suffix]
    if suffix in (".pdf", ".docx"):
        raise UnreadableDocument(f"not a {suffix[1:].upper()} file (its bytes do not start like one)")
    raise UnsupportedFormat(f"unsupported file type {suffix or '(no suffix)'}")


def _zip_format(path: Path) -> str:
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
    except zipfile.BadZipFile as exc:
        raise UnreadableDocument(f"damaged zip container ({exc})") from exc
    if "word/document.xml" in names:
        return "docx"
    raise UnsupportedFormat("a zip archive that is not a Word .docx document")


# format → (module, function); imported on first use so one reader's dependencies never block another's.
READERS: dict[str, tuple[str, str]] = {
    "pdf": ("parsers.pdf", "read_pdf"),
    "docx": ("parsers.docx", "read_docx"),
    "txt": ("parsers.text", "read_text"),
    "html": ("parsers.html", "read_html"),
}


def reader_for(fmt: str) -> Callable[[Path], Document]:
    """Return the read function of a format."""
    module, function = READERS[fmt]
    return getattr(importlib.import_module(module), function)


def read(path: str | Path) -> Document:
    """Return the Document of the file at `path`, read by the reader its format calls for."""
    path = Path(path)
    return reader_for(detect_format(path))(path)
