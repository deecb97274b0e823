"""Read a single-file web page (.mht / .mhtml, "Web Archive") into the canonical document model.

Browsers and Word save a page with its pictures as one MIME multipart message. The first
text/html part is the page: its transfer encoding (quoted-printable, base64) is undone, its text
decoded with the charset its MIME header names (else as the HTML reader decodes a page), and it
is read by the HTML reader, page chrome and all. Pictures and style sheets are ignored.
"""

from __future__ import annotations

import email
import email.policy
from email.message import Message
from pathlib import Path

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
    part = _html_part(email.message_from_bytes(data, policy=email.policy.compat32))
    if part is None:
        raise UnreadableDocument("a MIME web archive without an HTML part")
    payload = part.get_payload(decode=True)
    if not isinstance(payload, bytes) or not payload.strip():
        raise UnreadableDocument("the HTML part of the web archive is empty")
    text, warnings = _decode(payload, part.get_content_charset())
    return html_document(text, str(path), "mht", warnings)


def _html_part(message: Message) -> Message | None:
    """Return the first text/html part of the message (the message itself when it is not multipart)."""
    for part in message.walk():
        if part.get_content_type() == "text/html":
            return part
    return None


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
