"""Readers, one per format, each turning a file into the canonical pipeline.model.Document.

`detect_format` looks at the leading bytes before the suffix, so a PDF saved as .doc or a
Word file saved as .pdf is still read by the right reader. Legacy OLE files (Word 97-2003 .doc,
WPS .wps) and RTF files are told apart by their suffix only: all are read through LibreOffice.
"""

from __future__ import annotations

import importlib
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from pipeline.errors import PipelineError, UnreadableDocument, UnsupportedFormat
from pipeline.model import Document

SUFFIXES: dict[str, str] = {
    ".pdf": "pdf", ".docx": "docx", ".txt": "txt", ".html": "html", ".htm": "html",
    ".mht": "mht", ".mhtml": "mht", ".doc": "doc", ".wps": "wps",
    ".png": "image", ".jpg": "image", ".jpeg": "image", ".tif": "image", ".tiff": "image",
}  # fmt: skip
MARKDOWN_SUFFIXES = (".md", ".markdown")
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_IMAGE_MAGIC = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"II*\x00", b"MM\x00*")
# MIME headers a saved single-file web page (.mht) starts with, in any order.
_MIME_HEADERS = (b"mime-version:", b"content-type:", b"from:", b"subject:", b"date:", b"content-location:")


def detect_format(path: str | Path) -> str:
    """Return the format of a file ("pdf", "docx", "doc", "wps", "mht", "html", "image", "txt")
    from its bytes and suffix."""
    path = Path(path)
    with open(path, "rb") as handle:
        head = handle.read(2048)
    if not head:
        raise UnreadableDocument("empty file (0 bytes)")
    if head.lstrip()[:5] == b"%PDF-":
        return "pdf"
    if head[:4] == b"PK\x03\x04":
        return _zip_format(path)
    suffix = path.suffix.lower()
    if head[:8] == _OLE_MAGIC or head.startswith(b"{\\rtf"):
        # An OLE file with another suffix (a .doc saved as .dat, say) is tried as a Word 97-2003 file;
        # portals often serve RTF under .doc: LibreOffice reads both.
        return "wps" if suffix == ".wps" else "doc"
    if head.startswith(_IMAGE_MAGIC):
        return "image"
    sniff = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if _is_mime_message(sniff):
        return "mht"
    if sniff.startswith((b"<!doctype html", b"<html", b"<?xml", b"<head", b"<body", b"<meta")):
        return "html"
    if suffix in (".txt", ".html", ".htm", ".mht", ".mhtml"):
        return SUFFIXES[suffix]
    if suffix in MARKDOWN_SUFFIXES:  # read when named; not searched for in folders, where READMEs abound
        return "txt"
    if suffix in SUFFIXES:
        raise UnreadableDocument(f"not a {suffix[1:].upper()} file (its bytes do not start like one)")
    raise UnsupportedFormat(f"unsupported file type {suffix or '(no suffix)'}")


def _is_mime_message(sniff: bytes) -> bool:
    """Return True when the bytes open like a MIME message with a multipart body (a saved .mht page)."""
    first = sniff.split(b"\n", 1)[0].strip()
    return first.startswith(_MIME_HEADERS) and b"multipart/" in sniff


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
    "mht": ("parsers.mht", "read_mht"),
    "doc": ("parsers.legacy", "read_legacy"),
    "wps": ("parsers.legacy", "read_legacy"),
    "image": ("parsers.ocr", "read_image"),
}


def reader_for(fmt: str) -> Callable[[Path], Document]:
    """Return the read function of a format."""
    module, function = READERS[fmt]
    return getattr(importlib.import_module(module), function)


def read(path: str | Path) -> Document:
    """Return the Document of the file at `path`, read by the reader its format calls for."""
    path = Path(path)
    return reader_for(detect_format(path))(path)


@dataclass(frozen=True, slots=True)
class Probe:
    """What a file is before it is read: its format (None when it is none we read) and its pages where
    the format counts them cheaply (a PDF's page tree), so a batch can refuse a huge file unread."""

    format: str | None
    pages: int | None = None


def probe(path: str | Path) -> Probe:
    """Return the format and, for a PDF, the page count of the file at `path`; never raises."""
    try:
        fmt = detect_format(path)
    except (PipelineError, OSError):  # the reader, when run, says what is wrong in its own words
        return Probe(None)
    return Probe(fmt, _pdf_pages(Path(path)) if fmt == "pdf" else None)


def _pdf_pages(path: Path) -> int | None:
    """Return a PDF's page count from its page tree, or None when pdfium cannot open it."""
    import pypdfium2 as pdfium

    try:
        document = pdfium.PdfDocument(str(path))
    except Exception:  # damaged or encrypted: the PDF reader says which, with its own message
        return None
    try:
        return len(document)
    finally:
        document.close()
