"""Tables printed as pictures inside born-digital documents: read by OCR into the same table model.

A web page may carry table 三 as an ``<img>``, a Word file as an inline picture, a PDF page as an
image among its text. Each reader hands the picture's bytes (or pixels) here, in its place in the
block order; the picture is read like a scan (parsers.ocr) and its blocks come back when it holds
a ruled table of two columns or more. Any other picture (a logo, a seal, a photo, a QR code, a
picture of prose) gives nothing: its OCR text would be noise in the report's text, and reading it
is not worth the risk of a wrong line. Pictures too small to hold a table are not read at all.

The resolution of a picture is its own when it records a plausible one; a Word or PDF reader
passes the size the picture is shown at, which gives it; otherwise the picture is taken to fill
the text column of an A4 page, as a table picture does. Cells read this way carry
`ocr_confidence`, and their table the method "ocr".
"""

from __future__ import annotations

import base64
import binascii
import io
import re
import urllib.parse
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path

import numpy as np
from PIL import Image, UnidentifiedImageError

from pipeline.errors import UnreadableDocument
from pipeline.model import Block, Cell, TableBlock, TextBlock

__all__ = ["MAX_PICTURES", "data_uri_bytes", "local_picture", "read_table_picture", "worth_reading"]

MIN_WIDTH, MIN_HEIGHT = 300, 80  # pixels: a statistics table pictured smaller than this is unreadable
MAX_PICTURES = 40  # pictures read per document at most (a page of thumbnails is not a report)
TEXT_COLUMN_INCHES = 6.3  # the text width of an A4 page: what a picture without a size is taken to fill
_PAD = 16  # pixels of white added around the picture: a table border on its very edge still reads
_MAX_PIXELS = 40_000_000  # a picture larger than this is not a table picture (Pillow's bomb limit is higher)
_DATA_URI = re.compile(r"^data:image/[a-z0-9.+-]+(;[a-z0-9=._-]+)*;base64,", re.IGNORECASE)


def worth_reading(picture: Image.Image) -> bool:
    """Return True when a picture is large enough to hold a statistics table and small enough to read."""
    width, height = picture.size
    return width >= MIN_WIDTH and height >= MIN_HEIGHT and width * height <= _MAX_PIXELS


def open_picture(data: bytes) -> Image.Image | None:
    """Return the picture in `data`, or None when the bytes are not a picture Pillow reads."""
    try:
        picture = Image.open(io.BytesIO(data))
        picture.load()
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, ValueError, SyntaxError):
        return None
    return picture


def read_table_picture(picture: Image.Image, shown_inches: float | None = None,
                       page: int | None = None) -> tuple[list[Block], list[str]]:
    """Return the blocks of a picture that holds a ruled table (none otherwise) and the warnings.

    `shown_inches` is the width the document shows the picture at, when it says; `page` the page
    the blocks are on (None in documents without pages).
    """
    if not worth_reading(picture):
        return [], []
    from parsers import ocr  # the OCR engine loads only when a picture turns up

    pixels = _padded(np.asarray(_rgb(picture)))
    dpi = _dpi(picture, shown_inches)
    try:
        read = ocr.read_pixels(pixels, dpi, page or 1)
    except UnreadableDocument as exc:  # the engine failed on this picture: the rest of the document stands
        return [], [f"a picture was not read: {exc}"]
    if not any(isinstance(b, TableBlock) and b.table.n_cols >= 2 for b in read.blocks):
        return [], [w for w in read.warnings if "not read" in w]  # OCR missing here: say so
    blocks = [_on_page(b, page) for b in read.blocks]
    return blocks, [f"a picture of a table ({picture.width}×{picture.height} px) was read by OCR"]


def data_uri_bytes(src: str) -> bytes | None:
    """Return the bytes of a base64 ``data:image/…`` URI, or None when `src` is not one."""
    match = _DATA_URI.match(src.strip())
    if match is None:
        return None
    try:
        return base64.b64decode(src.strip()[match.end():], validate=False)
    except (binascii.Error, ValueError):
        return None


def local_picture(src: str, base: Path) -> bytes | None:
    """Return the bytes of a picture a saved page refers to by a relative path (its "_files" folder),
    or None: remote addresses are never fetched, and a path may not leave the page's folder."""
    parsed = urllib.parse.urlsplit(src.strip())
    if parsed.scheme not in ("", "file") or parsed.netloc or not parsed.path:
        return None
    relative = urllib.parse.unquote(parsed.path)
    folder = base.resolve()
    target = (folder / relative.lstrip("/")).resolve() if parsed.scheme == "" else Path(relative).resolve()
    if not target.is_relative_to(folder) or not target.is_file():
        return None
    try:
        return target.read_bytes()
    except OSError:
        return None


def read_sources(sources: Sequence[str], fetch: Callable[[str], bytes | None]) -> list[tuple[list[Block], list[str]]]:
    """Read the pictures named by `sources` (in order, at most MAX_PICTURES) through `fetch`."""
    out: list[tuple[list[Block], list[str]]] = []
    for index, src in enumerate(sources):
        data = fetch(src) if index < MAX_PICTURES else None
        picture = open_picture(data) if data else None
        out.append(read_table_picture(picture) if picture is not None else ([], []))
    return out


def _rgb(picture: Image.Image) -> Image.Image:
    """Return the picture as RGB, transparency flattened onto white (a PNG with an alpha channel)."""
    if picture.mode in ("RGBA", "LA", "P", "PA"):
        rgba = picture.convert("RGBA")
        background = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        return Image.alpha_composite(background, rgba).convert("RGB")
    return picture.convert("RGB")


def _padded(pixels: np.ndarray) -> np.ndarray:
    return np.pad(pixels, ((_PAD, _PAD), (_PAD, _PAD), (0, 0)), constant_values=255)


def _dpi(picture: Image.Image, shown_inches: float | None) -> float:
    """Return the picture's resolution: from the size it is shown at, its own record, or the text column."""
    if shown_inches and shown_inches > 0.5:
        return picture.width / shown_inches
    recorded = picture.info.get("dpi")
    if recorded and 72 < float(recorded[0]) <= 1200 and 2.0 <= picture.width / float(recorded[0]) <= 12.0:
        return float(recorded[0])
    return picture.width / TEXT_COLUMN_INCHES


def _on_page(block: Block, page: int | None) -> Block:
    """Return the block with its page (and its cells' pages) set to `page`."""
    if isinstance(block, TextBlock):
        return replace(block, page=page)
    cells: tuple[Cell, ...] = tuple(replace(c, page=page) for c in block.table.cells)
    return TableBlock(replace(block.table, cells=cells, page=page))
