"""Read a single-file web page (.mht / .mhtml, "Web Archive") into the canonical document model.

Browsers and Word save a page with its pictures as one MIME multipart message. The first
text/html part is the page: its transfer encoding (quoted-printable, base64) is undone, its text
decoded with the charset its MIME header names (else as the HTML reader decodes a page), and it
is read by the HTML reader, page chrome and all. The page's pictures are the archive's image
parts, found by the address an ``<img src>`` names (relative to the page's Content-Location, or
``cid:`` a Content-ID); a picture of a table is read by OCR in its place (parsers.pictures). Style
sheets are ignored.
"""

from __future__ import annotations

import email
import email.policy
import urllib.parse
from email.message import Message
from pathlib import Path

from parsers import pictures
from parsers.files import read_document_bytes
from parsers.html import codec_name, decode_html, html_document
from pipeline.errors import UnreadableDocument
from pipeline.model import Document

__all__ = ["read_mht"]


def read_mht(path: str | Path) -> Document:
    """Return the Document of the HTML page inside a .mht file.

    Raises `UnreadableDocument` when the file is missing, empty or holds no HTML part.
    """
    path = Path(path)
    data = read_document_bytes(path)
    message = email.message_from_bytes(data, policy=email.policy.compat32)
    part = _html_part(message)
    if part is None:
        raise UnreadableDocument("a MIME web archive without an HTML part")
    payload = part.get_payload(decode=True)
    if not isinstance(payload, bytes) or not payload.strip():
        raise UnreadableDocument("the HTML part of the web archive is empty")
    text, warnings = _decode(payload, part.get_content_charset())
    return html_document(text, str(path), "mht", warnings, fetch=_PictureParts(message, part))


def _html_part(message: Message) -> Message | None:
    """Return the first text/html part of the message (the message itself when it is not multipart)."""
    for part in message.walk():
        if part.get_content_type() == "text/html":
            return part
    return None


class _PictureParts:
    """The image parts of the archive, by the address or Content-ID an <img src> names."""

    def __init__(self, message: Message, page: Message) -> None:
        self.base = (page.get("Content-Location") or "").strip()
        self.parts: dict[str, Message] = {}
        for part in message.walk():
            if part.get_content_maintype() != "image":
                continue
            if part.get("Content-Location"):
                self.parts[part["Content-Location"].strip()] = part
            if part.get("Content-ID"):
                self.parts["cid:" + part["Content-ID"].strip().strip("<>")] = part

    def __call__(self, src: str) -> bytes | None:
        """Return the bytes of the picture `src` names, or None when the archive does not hold it."""
        inline = pictures.data_uri_bytes(src)
        if inline is not None:
            return inline
        src = src.strip()
        part = self.parts.get(src) or self.parts.get(urllib.parse.urljoin(self.base, src))
        payload = part.get_payload(decode=True) if part is not None else None
        return payload if isinstance(payload, bytes) else None


def _decode(payload: bytes, charset: str | None) -> tuple[str, list[str]]:
    """Decode the page with the charset of its MIME header; without a usable one, as a plain page."""
    codec = codec_name(charset) if charset else None
    if codec is not None:
        try:
            return payload.decode(codec), []
        except UnicodeDecodeError:
            text, _, warnings = decode_html(payload)
            return text, [f"MIME charset {charset} does not match the bytes", *warnings]
    text, _, warnings = decode_html(payload)
    return text, warnings
