"""Tables printed as pictures inside born-digital documents: read by OCR into the same table model.

A web page may carry table 三 as an ``<img>``, a Word file as an inline picture, a PDF page as an
image among its text. Each reader hands the picture's bytes (or pixels) here, in its place in the
block order; the picture is read like a scan (parsers.ocr) and its blocks come back when it holds
a ruled table of two columns or more. Any other picture (a logo, a seal, a photo, a QR code, a
picture of prose) gives nothing: its OCR text would be noise in the report's text, and reading it
is not worth the risk of a wrong line. Pictures too small to hold a table are not read at all.
A document whose own text is too scant to be the report (`pictured_pages`: scans pasted into a
Word file, a portal article of page pictures) is its pictures: each page-sized one is read whole.

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
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np
import pypdfium2 as pdfium
from PIL import Image, UnidentifiedImageError

from parsers.page_breaks import PageBlocks
from pipeline.errors import UnreadableDocument
from pipeline.model import Block, Cell, TableBlock, TextBlock
from pipeline.textnorm import squeeze

__all__ = ["MAX_PICTURES", "data_uri_bytes", "local_picture", "pictured_pages", "read_table_picture", "worth_reading"]

MIN_WIDTH, MIN_HEIGHT = 300, 80  # pixels: a statistics table pictured smaller than this is unreadable
MAX_PICTURES = 40  # pictures read per document at most (a page of thumbnails is not a report)
SCANT_TEXT = 300  # characters: a document with less text of its own beside its pictures is pictures of pages
MIN_PAGE_PICTURE = 600  # pixels either way: a picture of a page is at least this large
TEXT_COLUMN_INCHES = 6.3  # the text width of an A4 page: what a picture without a size is taken to fill
MAX_NATIVE_WIDTH = 2400  # pixels: a picture up to this wide is read at its own pixel size, never shrunk
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


def pictured_pages(texts: Iterable[str]) -> bool:
    """Return True when a document's own text (`texts`, its pictures left out) is too scant to be a report's:
    its pictures are pictures of its pages (scans pasted into a Word file, a web page of page pictures)."""
    return sum(len(squeeze(text)) for text in texts) < SCANT_TEXT


def read_table_picture(picture: Image.Image, shown_inches: float | None = None,
                       page: int | None = None, at: tuple[float, float, float] | None = None,
                       whole: bool = False) -> tuple[list[Block], list[str]]:
    """Return the blocks of a picture that holds a ruled table (none otherwise) and the warnings; with
    `whole`, of a picture of a page of the report (`pictured_pages`): its text too, table or not.

    `shown_inches` is the width the document shows the picture at, when it says; `page` the page
    the blocks are on (None in documents without pages); `at` where the picture lies on that page
    (left, top in points, points per pixel), which gives its cells their boxes.
    """
    if not worth_reading(picture):
        return [], []
    whole = whole and min(picture.size) >= MIN_PAGE_PICTURE  # (a logo, a seal, a QR code beside the pages)
    from parsers import ocr  # the OCR engine loads only when a picture turns up

    pixels = _padded(np.asarray(_rgb(picture)))
    dpi = _dpi(picture, shown_inches)
    try:
        if not whole and not _has_ruled_table(pixels, dpi):
            return [], []  # a logo, a photo, a picture of prose: not worth the OCR's seconds
        # The picture is read padded: its pixel (0, 0) lies _PAD pixels in.
        placement = ocr.Placement(at[2], at[0] - _PAD * at[2], at[1] - _PAD * at[2]) if at is not None else None
        read = ocr.read_pixels(pixels, dpi, page or 1, placement=placement)
    except UnreadableDocument as exc:  # the engine failed on this picture: the rest of the document stands
        return [], [f"a picture was not read: {exc}"]
    missing = [w for w in read.warnings if "not read" in w]  # OCR missing here: say so
    blocks = [_on_page(b, page) for b in read.blocks]
    if whole:
        return blocks, [*missing, f"a picture of a page ({picture.width}×{picture.height} px) was read by OCR: "
                                  "the document's own text is too scant to be the report"]
    if not any(isinstance(b, TableBlock) and b.table.n_cols >= 2 for b in read.blocks):
        return [], missing
    return blocks, [f"a picture of a table ({picture.width}×{picture.height} px) was read by OCR"]


def _has_ruled_table(pixels: np.ndarray, dpi: float) -> bool:
    """Return True when the picture shows a ruled table of two columns or more (a tenth of a second,
    where OCR takes seconds)."""
    import cv2

    from parsers import raster, ruling

    try:
        prepared = raster.prepare(pixels, dpi)
        return any(len(found.xs) > 2 for found in ruling.find_tables(prepared.ink))
    except (ValueError, MemoryError, cv2.error) as exc:
        raise UnreadableDocument(f"the picture could not be prepared ({exc.__class__.__name__}: {exc})") from exc


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


def read_sources(sources: Sequence[str], fetch: Callable[[str], bytes | None],
                 whole: bool = False) -> list[tuple[list[Block], list[str]]]:
    """Read the pictures named by `sources` (in order, at most MAX_PICTURES) through `fetch`; with
    `whole`, as pictures of the report's pages (`read_table_picture`)."""
    out: list[tuple[list[Block], list[str]]] = []
    read = 0
    for src in sources:
        data = fetch(src) if read < MAX_PICTURES else None
        picture = open_picture(data) if data else None
        if picture is None or not worth_reading(picture):
            out.append(([], []))  # icons and spacers do not count towards the limit
            continue
        read += 1
        out.append(read_table_picture(picture, whole=whole))
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
    """Return the resolution to read the picture at.

    Its own: from the size it is shown at, its record, or the text column it fills. A picture
    finer than the OCR's working resolution is not shrunk to it unless it is very wide: a table
    drawn by a browser or an editor has one-pixel rules, which shrinking fades into the paper.
    """
    from parsers import raster

    own = picture.width / TEXT_COLUMN_INCHES
    recorded = picture.info.get("dpi")
    if shown_inches and shown_inches > 0.5:
        own = picture.width / shown_inches
    elif recorded and 72 < float(recorded[0]) <= 1200 and 2.0 <= picture.width / float(recorded[0]) <= 12.0:
        own = float(recorded[0])
    scale = raster.WORK_DPI / own
    if scale < 1.0:
        scale = max(scale, min(1.0, MAX_NATIVE_WIDTH / picture.width))
    return raster.WORK_DPI / scale


def _on_page(block: Block, page: int | None) -> Block:
    """Return the block with its page (and its cells' pages) set to `page`."""
    if isinstance(block, TextBlock):
        return replace(block, page=page)
    cells: tuple[Cell, ...] = tuple(replace(c, page=page) for c in block.table.cells)
    return TableBlock(replace(block.table, cells=cells, page=page))


# --- pictures on the text pages of a PDF ----------------------------------------------------------

MIN_PAGE_WIDTH_SHARE = 0.3  # of the page width a picture must span to hold a statistics table
MIN_PAGE_HEIGHT_SHARE = 0.06
SCAN_SHARE = 0.6  # a picture covering this much of the page is the page's scan (parsers.searchable)
_RENDER_DPI = (150.0, 300.0)  # a picture is rendered at its own resolution within these


@dataclass(frozen=True)
class PdfPicture:
    """A picture of a table on a PDF text page: its band (points from the top) and what OCR read in it."""

    top: float
    bottom: float
    blocks: list[Block]
    warnings: list[str]


def pdf_pictures(page: Any, number: int, images: Sequence[Any] | None = None) -> list[PdfPicture]:
    """Return the pictures of tables painted on a PDF page that has text, top to bottom, read by OCR
    (`images`: the handles of the page's image objects when the caller has listed them)."""
    width, height = page.get_width(), page.get_height()
    found: list[PdfPicture] = []
    for box, pixel_width in _page_images(page, images):
        left, bottom, right, top = box
        shown = right - left
        if (shown < MIN_PAGE_WIDTH_SHARE * width or top - bottom < MIN_PAGE_HEIGHT_SHARE * height
                or shown * (top - bottom) >= SCAN_SHARE * width * height):
            continue
        dpi = min(max(pixel_width / (shown / 72), _RENDER_DPI[0]), _RENDER_DPI[1])
        crop = (max(left, 0.0), max(bottom, 0.0), max(width - right, 0.0), max(height - top, 0.0))
        try:
            bitmap = page.render(scale=dpi / 72, crop=crop)
        except pdfium.PdfiumError as exc:  # the picture cannot be drawn: the page's text still stands
            found.append(PdfPicture(height - top, height - top, [], [f"a picture on page {number} could not be "
                                                                     f"drawn ({exc})"]))
            continue
        try:
            picture = bitmap.to_pil().convert("RGB")  # a copy: the bitmap's buffer is freed below
        finally:
            bitmap.close()
        blocks, warnings = read_table_picture(picture, shown / 72, page=number,
                                              at=(crop[0], crop[3], (width - crop[0] - crop[2]) / picture.width))
        if blocks or warnings:
            found.append(PdfPicture(height - top, height - bottom, blocks, warnings))
    return sorted(found, key=lambda p: p.top)


def _page_images(page: Any, images: Sequence[Any] | None = None) -> list[tuple[tuple[float, float, float, float], int]]:
    """Return (box in PDF points, pixel width) of the images painted directly on the page."""
    import ctypes

    import pypdfium2.raw as pdfium_c

    from parsers.pdfium_page import page_objects

    out = []
    left, bottom, right, top = ctypes.c_float(), ctypes.c_float(), ctypes.c_float(), ctypes.c_float()
    pixel_width, pixel_height = ctypes.c_uint(), ctypes.c_uint()
    for obj in images if images is not None else page_objects(page).images:
        if not pdfium_c.FPDFPageObj_GetBounds(obj, left, bottom, right, top):
            continue
        if not pdfium_c.FPDFImageObj_GetImagePixelSize(obj, pixel_width, pixel_height):
            continue
        out.append(((left.value, bottom.value, right.value, top.value), pixel_width.value))
    return out


def with_pictures(data: Any, number: int, found: Sequence[PdfPicture],
                  read: Callable[[Any, int], PageBlocks]) -> PageBlocks:
    """Return the blocks of a PDF text page with pictures of tables: the page's text read in bands
    between the pictures (`read` is the PDF reader's page reading, on pdfium_page.PageData), each
    picture's blocks in their place."""
    from parsers import pdfium_page

    out = PageBlocks()
    edges = [*(p.top for p in found), float("inf")]
    starts = [float("-inf"), *(p.bottom for p in found)]
    for index, (start, end) in enumerate(zip(starts, edges, strict=True)):
        chars = [ch for ch in data.chars if ch["text"] == "\n" or start <= _middle(ch) < end]
        rules = [e for e in data.edges if start <= _middle(e) < end]
        band = read(pdfium_page.PageData(data.width, data.height, chars, rules), number)
        offset = len(out.blocks)
        out.blocks.extend(band.blocks)
        out.xs.update({offset + i: xs for i, xs in band.xs.items()})
        out.warnings.extend(band.warnings)
        if index < len(found):
            out.blocks.extend(found[index].blocks)
            out.warnings.extend(found[index].warnings)
    return out


def _middle(obj: dict[str, Any]) -> float:
    return (obj["top"] + obj["bottom"]) / 2
