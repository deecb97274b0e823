"""Scanned pages and pictures → canonical Document, by OCR.

A page picture is straightened (parsers.raster), its ruled tables are found from the rules
drawn on it (parsers.ruling), and the OCR engine (parsers.ocr_engine) reads the text boxes.
Each box goes to the table cell that holds its centre; cells keep their spans, so the
recognizers read a scanned table like a born-digital one. Boxes outside every table become
text lines in reading order. A ruled one-column "table" is a frame around text and is read as
text, as in the PDF reader; running page numbers are dropped. Figures in cells get the
corrections of parsers.ocr_fixes ("/" read as "1", dust read as a dot).

Every cell and line read this way carries `ocr_confidence`: the lowest recognition score of
its boxes, and 0.0 for a cell where nothing was read (blank, or a mark the engine missed).

Two entry points: `read_image` for .png / .jpg files (format "image", one page), and
`read_pdf_page` for a PDF page without a text layer, called by the PDF reader page by page.
When OCR cannot run here, the page is returned without blocks and with a warning, so the
document ends with status needs_ocr as before.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from PIL import Image, UnidentifiedImageError

from parsers import ocr_engine, raster, ruling
from parsers.ocr_fixes import fix_box
from parsers.pagenumbers import is_running_page_number
from parsers.pages import PageBlocks, join_continued_tables, page_blocks
from pipeline.errors import UnreadableDocument
from pipeline.model import Block, Cell, Document, Table, TableBlock, TextBlock
from pipeline.textnorm import clean_cell

__all__ = ["DPI", "read_image", "read_pdf_page"]

DPI = 150  # PDF pages are rendered at this resolution: small print stays legible, a page OCRs in ~2 s
_SAME_LINE = 0.5  # share of the lower box's height two boxes must share vertically to be one line
_WORD_GAP = 0.8  # gap between boxes of a line, in box heights, that prints as a space


def read_image(path: str | Path) -> Document:
    """Return the Document of a picture of a report page (or a long picture of several pages)."""
    path = Path(path)
    try:
        with Image.open(path) as picture:
            picture.load()
            gray = raster.despeckle(raster.to_gray(picture))
        bounds = raster.pages(gray)
    # Pillow refuses a picture of absurd size (DecompressionBombError) before numpy runs out of memory.
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, ValueError, MemoryError) as exc:
        raise UnreadableDocument(f"not a readable picture ({exc.__class__.__name__}: {exc})") from exc
    # A long picture stitched from pages is read page by page, each straightened on its own,
    # and a table cut by a page break is joined as in a PDF.
    parts = [_read_safely(gray[top:bottom], 1, 1.0) for top, bottom in bounds]
    blocks = join_continued_tables(parts)
    warnings = tuple(w for p in parts for w in p.warnings)
    return Document(source_path=str(path), format="image", blocks=tuple(blocks), pages=1, warnings=warnings)


def read_pdf_page(page: Any, number: int) -> PageBlocks | None:
    """Return the OCR reading of a PDF page, or None when the page shows no picture to read."""
    if not _has_picture(page):
        return None
    bitmap = page.render(scale=DPI / 72, grayscale=True)
    try:
        gray = raster.to_gray(bitmap.to_pil())  # a copy: the bitmap's buffer is freed below
    finally:
        bitmap.close()
    return _read_safely(raster.despeckle(gray), number, 72 / DPI)


def _read_safely(gray: np.ndarray, number: int, points_per_pixel: float) -> PageBlocks:
    """Read one page picture; a failure of the engine is an unreadable document that says so."""
    try:
        return read_picture(gray, number, points_per_pixel)
    except (RuntimeError, ValueError, MemoryError) as exc:  # onnxruntime and numpy raise these
        raise UnreadableDocument(f"OCR failed on page {number} ({exc.__class__.__name__}: {exc})") from exc


def _has_picture(page: Any) -> bool:
    """Return True when the page paints at least one image (a scan), even inside a form."""
    try:
        return next(iter(page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE], max_depth=3)), None) is not None
    except pdfium.PdfiumError:
        return True


def read_picture(gray: np.ndarray, number: int, points_per_pixel: float) -> PageBlocks:
    """Return the blocks of one page picture (dust already removed: `raster.despeckle`);
    `points_per_pixel` scales the column lines."""
    straight, angle = raster.deskew(gray)
    try:
        boxes = _read_text(straight)
    except ocr_engine.OcrUnavailable as exc:
        return PageBlocks(warnings=[f"page {number} has no text layer and was not read: {exc}"])
    placed: list[tuple[float, Block, list[float] | None]] = []
    inside: set[int] = set()
    for found in ruling.find_tables(straight):
        members = [i for i, b in enumerate(boxes) if found.cell_at(b.cx, b.cy) is not None and i not in inside]
        inside.update(members)
        # Figures are put right in statistics tables only: a one-column frame holds prose ("1." stays).
        cell_boxes = [fix_box(boxes[i], straight) if len(found.xs) > 2 else boxes[i] for i in members]
        placed.extend(_placed_table(found, cell_boxes, number, points_per_pixel))
    outside = [b for i, b in enumerate(boxes) if i not in inside]
    height = straight.shape[0]
    for top, line in _lines(outside, number):
        if not is_running_page_number(line.text, top, height):
            placed.append((top, line, None))
    page = page_blocks(placed)
    page.warnings.append(_note(number, boxes, angle))
    return page


def _read_text(gray: np.ndarray) -> list[ocr_engine.TextBox]:
    """Return the engine's text boxes over the whole picture, read band by band when it is tall."""
    boxes: list[ocr_engine.TextBox] = []
    for top, bottom in raster.bands(gray):
        for box in ocr_engine.recognize(gray[top:bottom]):
            boxes.append(ocr_engine.TextBox(box.text, box.confidence, box.x0, box.top + top, box.x1,
                                            box.bottom + top))
    return boxes


def _placed_table(found: ruling.RasterTable, boxes: Sequence[ocr_engine.TextBox], number: int,
                  points_per_pixel: float) -> list[tuple[float, Block, list[float] | None]]:
    """Return the table as a block placed at its top, or its lines of text when it has one column."""
    by_cell: dict[ruling.GridCell, list[ocr_engine.TextBox]] = {cell: [] for cell in found.cells}
    for piece in (p for box in boxes for p in _split_at_rules(box, found)):
        cell = found.cell_at(piece.cx, piece.cy)
        if cell is not None:
            by_cell[cell].append(piece)
    if len(found.xs) == 2:
        # A one-column "table" is a box drawn around running text, not a statistics table.
        return [(top, line, None) for top, line in _lines(boxes, number)]
    cells = []
    for grid_cell, members in by_cell.items():
        raw = "\n".join(line.text for _, line in _lines(members, number))
        confidence = min((b.confidence for b in members), default=0.0)
        cells.append(Cell(raw=raw, text=clean_cell(raw), row=grid_cell.row, col=grid_cell.col,
                          row_span=grid_cell.row_span, col_span=grid_cell.col_span, page=number,
                          ocr_confidence=round(confidence, 4)))
    table = Table(cells=tuple(cells), n_rows=len(found.ys) - 1, n_cols=len(found.xs) - 1, page=number, method="ocr")
    return [(found.ys[0], TableBlock(table), [x * points_per_pixel for x in found.xs])]


def _split_at_rules(box: ocr_engine.TextBox, found: ruling.RasterTable) -> list[ocr_engine.TextBox]:
    """Return the box cut where it crosses the rule between two cells.

    Words close to a column rule on both sides are sometimes read as one line of text; the
    characters are taken as evenly spaced (Chinese type is) and each goes to its own cell.
    """
    count = len(box.text)
    width = (box.x1 - box.x0) / max(count, 1)
    owners = [found.cell_at(box.x0 + (i + 0.5) * width, box.cy) for i in range(count)]
    if count < 2 or len(set(owners)) < 2:
        return [box]
    pieces: list[ocr_engine.TextBox] = []
    start = 0
    for i in range(1, count + 1):
        if i == count or owners[i] != owners[start]:
            pieces.append(ocr_engine.TextBox(box.text[start:i], box.confidence, box.x0 + start * width, box.top,
                                             box.x0 + i * width, box.bottom))
            start = i
    return pieces


def _lines(boxes: Sequence[ocr_engine.TextBox], number: int) -> list[tuple[float, TextBlock]]:
    """Group boxes into lines (top to bottom, left to right); return (top, TextBlock) for each."""
    lines: list[list[ocr_engine.TextBox]] = []
    for box in sorted(boxes, key=lambda b: (b.cy, b.x0)):
        line = next((ln for ln in lines if _same_line(ln, box)), None)
        if line is None:
            lines.append([box])
        else:
            line.append(box)
    out = []
    for line in sorted(lines, key=lambda ln: min(b.top for b in ln)):
        line.sort(key=lambda b: b.x0)
        text = line[0].text
        for left, right in itertools.pairwise(line):
            gap = right.x0 - left.x1
            text += (" " if gap > _WORD_GAP * min(left.height, right.height) else "") + right.text
        confidence = round(min(b.confidence for b in line), 4)
        out.append((min(b.top for b in line), TextBlock(text, page=number, ocr_confidence=confidence)))
    return out


def _same_line(line: Sequence[ocr_engine.TextBox], box: ocr_engine.TextBox) -> bool:
    """Return True when `box` shares most of its height with the last box of `line`."""
    last = line[-1]
    shared = min(last.bottom, box.bottom) - max(last.top, box.top)
    return shared >= _SAME_LINE * min(last.height, box.height)


def _note(number: int, boxes: Sequence[ocr_engine.TextBox], angle: float) -> str:
    """Return the provenance note of an OCR page: that it was OCRed, its skew and its confidence."""
    if not boxes:
        return f"page {number} has no text layer; OCR found no text on it"
    scores = [b.confidence for b in boxes]
    return (f"page {number} read by OCR (turned {angle:+.2f}°, {len(boxes)} text boxes, "
            f"mean confidence {sum(scores) / len(scores):.3f}, lowest {min(scores):.3f})")
