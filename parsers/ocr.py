"""Scanned pages and pictures → canonical Document, by OCR.

A page picture is read at its own resolution (a PDF page: its picture's pixels over the page's
size; a picture file: its DPI record; either, when it does not make a report page or its print a
plausible size: an A4 page's width across the picture, or the size of the print measured) and
prepared by parsers.raster (brought to 150 dpi, stamps suppressed, paper flattened,
straightened; a page lying sideways is turned back, the way up being the one the engine reads
with more confidence). Its ruled tables are found from the rules drawn on it (parsers.ruling),
and the OCR engine (parsers.ocr_engine) finds the lines of text and reads them: a line inside a
statistics table as the engine cuts it, a line of prose with paper above and below (its type at
about half the recognizer's height, which reads it as exactly at two thirds of the cost). Each
box goes to the table cell that holds its centre; cells keep their spans, so the recognizers
read a scanned table like a born-digital one. A cell where the detector found nothing but the
picture shows one line of print is read on its own by the recognizer; a cell spanning columns
over separate figures (a rule lost in a copy) is split into its columns, so two figures never
read as one number. Boxes outside every table become text lines in reading order. A ruled one-column "table" is
a frame around text and is read as text, as in the PDF reader; running page numbers are
dropped. Figures in cells get the corrections of parsers.ocr_fixes ("/" read as "1", dust read
as a dot).

Every cell and line read this way carries `ocr_confidence`: the lowest recognition score of
its boxes, and 0.0 for a cell where nothing was read (blank, or a mark the engine missed).

Two entry points: `read_image` for .png / .jpg files (format "image", one page), and
`read_pdf_page` for a PDF page without a text layer, called by the PDF reader page by page.
When OCR cannot run here, the page is returned without blocks and with a warning, so the
document ends with status needs_ocr as before.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import cv2
import numpy as np
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from PIL import Image, UnidentifiedImageError

from parsers import ocr_engine, raster, ruling
from parsers.ocr_fixes import fix_box
from parsers.page_breaks import PageBlocks, join_continued_tables, page_blocks
from parsers.pagenumbers import is_running_page_number
from pipeline.errors import UnreadableDocument
from pipeline.model import Block, Box, Cell, Document, Table, TableBlock, TextBlock
from pipeline.textnorm import clean_cell

__all__ = ["Placement", "read_image", "read_pdf_page"]

_SAME_LINE = 0.5  # share of the lower box's height two boxes must share vertically to be one line
_WORD_GAP = 0.8  # gap between boxes of a line, in box heights, that prints as a space
_MIN_RENDER_DPI = 100.0  # a page picture is rendered at its own resolution, at least this
_MAX_RENDER_PIXELS = 16_000_000  # and at most this many pixels (an A4 page at 400 dpi)
_PAPER_INCHES = (3.0, 20.0)  # a picture file declaring a page narrower or wider than this declares no size
# A report page: its short side from A5 to A3 (5.8 to 11.7 in), its long side up to A3's, unless it is a
# long picture of pages one below the other. A page declared outside these is a mislabelled density.
_PAGE_SHORT_INCHES = (5.0, 12.5)
_PAGE_LONG_INCHES = 17.5
# The print measured (raster.line_height) in points at a resolution: real reports measure 6.5 to 16; far
# outside this range the resolution is not the print's. A page whose measure says neither declared size
# nor an A4 page's width is read at the measure of typical print.
_LINE_POINTS = (4.0, 24.0)
_TYPICAL_LINE = 11.0
_UPRIGHT = 0.9  # mean confidence of a page read the right way up; upside down, the engine reads far less
_FIGURE = re.compile(r"[\d,.]+")  # a figure as read in a cell, separators and all
_INSET = 4  # pixels inside a cell's rules where its print starts (rules are up to 3 pixels wide)
_PAD = 6  # pixels of paper around a cell's print given to the recognizer
_MIN_PRINT = 12  # ink pixels that make print in a cell (a "1" at 150 dpi has about 30)
_MIN_TYPE, _MAX_LINE = 8, 40  # pixels: the height of one line of type at WORK_DPI (10.5 pt is about 20)
_TYPE_HEIGHT = 20  # pixels: a line of 10.5 pt type at WORK_DPI, as the recognizer is given one
_UNSURE = 0.9  # a reading less sure than this is flagged for review (pipeline.checks.ocr): worth a second look
_STROKE_RATIO = 3  # a lone stroke this many times wider than high is a dash, not a dot of dust
_PAPER_WIDTH = 8.27  # inches: an A4 page; a picture that says nothing of its size is taken to be one page wide
_LEAST_SCORE = 0.5  # the engine drops what it reads with less confidence (RapidOCR's text_score)
_LINE_AIR = 0.3  # paper above and below a line of prose, in line heights, given to the recognizer


def read_image(path: str | Path) -> Document:
    """Return the Document of a picture of a report page (or a long picture of several pages)."""
    path = Path(path)
    try:
        with Image.open(path) as picture:
            picture.load()
            pixels = raster.to_rgb(picture)
            dpi = _picture_dpi(picture)
        gray = raster.to_gray(Image.fromarray(pixels))
        dpi = _print_dpi(gray, dpi)
        bounds = raster.pages(raster.despeckle(raster.flatten(gray)))
    # Pillow refuses a picture of absurd size (DecompressionBombError) before numpy runs out of memory.
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, ValueError, MemoryError) as exc:
        raise UnreadableDocument(f"not a readable picture ({exc.__class__.__name__}: {exc})") from exc
    # A long picture stitched from pages is read page by page, each straightened on its own,
    # and a table cut by a page break is joined as in a PDF.
    parts = [_read_safely(pixels[top:bottom], dpi, 1, None, Placement(72 / dpi, 0.0, top * 72 / dpi))
             for top, bottom in bounds]
    blocks = join_continued_tables(parts)
    warnings = tuple(w for p in parts for w in p.warnings)
    return Document(source_path=str(path), format="image", blocks=tuple(blocks), pages=1, warnings=warnings)


def _picture_dpi(picture: Image.Image) -> float:
    """Return the resolution a picture file was scanned at: its DPI record when it is a plausible
    one, otherwise the width of an A4 page across the picture."""
    recorded = picture.info.get("dpi")
    if recorded:
        dpi = float(recorded[0])
        if dpi > 0 and _PAPER_INCHES[0] <= picture.width / dpi <= _PAPER_INCHES[1] and dpi != 72:
            return dpi
    return picture.width / _PAPER_WIDTH


def _print_dpi(pixels: np.ndarray, declared: float | None) -> float:
    """Return the resolution to read a page picture at: the declared one (a PDF page's size, a picture's
    DPI record) when it makes a report page and the print at it a plausible size, else an A4 page's
    width across the picture when that does, else the one that gives the measured print a typical size.

    Producers mislabel densities (a PNG's pixels per centimetre taken for per inch makes a 200-dpi
    scan a page of 3 by 5 inches): the picture itself says what it shows.
    """
    gray = pixels if pixels.ndim == 2 else cv2.cvtColor(pixels, cv2.COLOR_RGB2GRAY)
    line = raster.line_height(gray)
    height, width = gray.shape[:2]
    candidates = [declared] if declared and _is_report_page(width / declared, height / declared) else []
    candidates.append(width / _PAPER_WIDTH)
    if line is None:
        return candidates[0]
    for dpi in candidates:
        if _LINE_POINTS[0] <= line * 72 / dpi <= _LINE_POINTS[1]:
            return dpi
    return line * 72 / _TYPICAL_LINE


def _is_report_page(width: float, height: float) -> bool:
    """Return True when a page of this size (inches) can be a report's page or a long picture of pages."""
    short, long = min(width, height), max(width, height)
    scroll = height > width and _PAGE_SHORT_INCHES[0] <= width <= _PAGE_SHORT_INCHES[1]
    return _PAGE_SHORT_INCHES[0] <= short <= _PAGE_SHORT_INCHES[1] and (long <= _PAGE_LONG_INCHES or scroll)


def read_pdf_page(page: Any, number: int) -> PageBlocks | None:
    """Return the OCR reading of a PDF page, or None when the page shows no picture to read."""
    native = _picture_resolution(page)
    if native is None:
        return None
    width, height = page.get_size()
    budget = (_MAX_RENDER_PIXELS / max(width * height / 72**2, 1e-6)) ** 0.5
    scale = min(max(native, _MIN_RENDER_DPI), budget) / 72
    bitmap = page.render(scale=scale)
    try:
        pixels = raster.to_rgb(bitmap.to_pil())  # a copy: the bitmap's buffer is freed below
    finally:
        bitmap.close()
    # The page's size in points is its paper size, unless the picture was saved without its resolution
    # (Pillow and others then write 72 dpi, and an A4 scan becomes a page a metre high) or with a wrong one.
    dpi = _print_dpi(pixels, scale * 72)
    return _read_safely(pixels, dpi, number, width, Placement(width / pixels.shape[1]))


@dataclass(frozen=True)
class Placement:
    """Where a picture lies on its page: a pixel (x, y) of the picture is at (left + x·scale, top + y·scale)
    in points from the page's top-left."""

    scale: float
    left: float = 0.0
    top: float = 0.0


@dataclass(frozen=True)
class _Frame:
    """How the pixels of a prepared picture map back to the page: through the deskew turn, the
    resampling and the quarter turn of a page lying sideways, to the picture as given, then to points."""

    width: int  # of the picture as given, before any quarter turn
    height: int
    placement: Placement
    quarter: int | None = None  # the cv2 rotation applied before preparing (a page lying sideways)

    def box(self, prepared: raster.Prepared, box: tuple[float, float, float, float]) -> Box:
        """Return the page box (axis-aligned, in points) of a box in the prepared picture's pixels."""
        height, width = prepared.ink.shape[:2]
        x0, top, x1, bottom = box
        corners = np.array([[x0, top], [x1, top], [x0, bottom], [x1, bottom]], dtype=np.float64)
        if prepared.angle:  # undo raster.turn: the same turn about the centre, backwards
            matrix = cv2.invertAffineTransform(cv2.getRotationMatrix2D((width / 2, height / 2), -prepared.angle, 1.0))
            corners = corners @ matrix[:, :2].T + matrix[:, 2]
        turned_w, turned_h = (self.height, self.width) if self.quarter is not None else (self.width, self.height)
        xs, ys = corners[:, 0] * turned_w / width, corners[:, 1] * turned_h / height
        if self.quarter == cv2.ROTATE_90_CLOCKWISE:
            xs, ys = ys, self.height - xs
        elif self.quarter == cv2.ROTATE_90_COUNTERCLOCKWISE:
            xs, ys = self.width - ys, xs
        at = self.placement
        return Box(at.left + float(xs.min()) * at.scale, at.top + float(ys.min()) * at.scale,
                   at.left + float(xs.max()) * at.scale, at.top + float(ys.max()) * at.scale)


def _read_safely(pixels: np.ndarray, dpi: float, number: int, page_width: float | None,
                 placement: Placement | None = None) -> PageBlocks:
    """Read one page picture (`page_width` in points, None for a picture file, whose positions stay
    in pixels); a failure of the engine is an unreadable document that says so. With `placement`,
    table cells get their boxes on the page."""
    points_per_pixel = page_width * dpi / (pixels.shape[1] * raster.WORK_DPI) if page_width else 1.0
    frame = _Frame(pixels.shape[1], pixels.shape[0], placement) if placement is not None else None
    try:
        prepared = raster.prepare(pixels, dpi)
        if not raster.sideways(prepared.ink):
            return read_picture(prepared, number, points_per_pixel, frame)
        return _read_sideways(pixels, dpi, number, points_per_pixel, frame)
    except (RuntimeError, ValueError, MemoryError, cv2.error) as exc:  # onnxruntime, numpy and OpenCV raise these
        raise UnreadableDocument(f"OCR failed on page {number} ({exc.__class__.__name__}: {exc})") from exc


def _read_sideways(pixels: np.ndarray, dpi: float, number: int, points_per_pixel: float,
                   frame: _Frame | None = None) -> PageBlocks:
    """Read a page turned by a quarter: turned back one way, then the other way and as it came while
    the engine reads with less than full confidence; the reading read with more confidence is kept."""
    readings: list[tuple[float, bool, PageBlocks]] = []
    # Turned back one way, the other, and, when neither reads well, as it came (it was upright).
    for quarter in (cv2.ROTATE_90_CLOCKWISE, cv2.ROTATE_90_COUNTERCLOCKWISE, None):
        turned = pixels if quarter is None else cv2.rotate(np.ascontiguousarray(pixels), quarter)
        turned_frame = replace(frame, quarter=quarter) if frame is not None else None
        page, confidence = _read_scored(raster.prepare(turned, dpi), number, points_per_pixel, turned_frame)
        readings.append((confidence, quarter is not None, page))
        if confidence >= _UPRIGHT:
            break
    _, sideways, page = max(readings, key=lambda reading: reading[0])
    if sideways and page.warnings:
        page.warnings[-1] += " (the page lay sideways)"
    return page


def _picture_resolution(page: Any) -> float | None:
    """Return the resolution (pixels per inch of the page) of the largest picture the page paints,
    or None when it paints none; a picture pdfium cannot measure counts as one at the working resolution."""
    best: tuple[float, float] | None = None
    seen = False
    try:
        for image in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE], max_depth=3):
            left, bottom, right, top = image.get_bounds()
            pixel_width, pixel_height = image.get_px_size()
            seen = True
            area = abs((right - left) * (top - bottom))
            if area <= 0 or pixel_width <= 0:
                continue
            resolution = max(pixel_width / abs(right - left), pixel_height / abs(top - bottom)) * 72
            if best is None or area > best[0]:
                best = (area, resolution)
    except pdfium.PdfiumError:
        return float(raster.WORK_DPI)
    if best is None:
        return float(raster.WORK_DPI) if seen else None
    return best[1]


def read_picture(prepared: raster.Prepared, number: int, points_per_pixel: float,
                 frame: _Frame | None = None) -> PageBlocks:
    """Return the blocks of one page picture (`raster.prepare`); `points_per_pixel` scales the column lines,
    `frame` places the cells on the page (None: they get no box)."""
    return _read_scored(prepared, number, points_per_pixel, frame)[0]


def _read_scored(prepared: raster.Prepared, number: int, points_per_pixel: float,
                 frame: _Frame | None = None) -> tuple[PageBlocks, float]:
    """Return the blocks of one page picture and the mean confidence of the engine's readings on it."""
    tables = ruling.find_tables(prepared.ink, prepared.upsampled)
    # Inside tables the text is read where stamps are suppressed; outside, from the plain picture
    # (a title printed in red stays).
    page = prepared.text.copy()
    for found in tables:
        x0, top, x1, bottom = (round(v) for v in found.bbox)
        page[top : bottom + 1, x0 : x1 + 1] = prepared.ink[top : bottom + 1, x0 : x1 + 1]
    try:
        boxes = _read_text(page, tables)
    except ocr_engine.OcrUnavailable as exc:
        return PageBlocks(warnings=[f"page {number} has no text layer and was not read: {exc}"]), 0.0
    placed: list[tuple[float, Block, list[float] | None]] = []
    inside: set[int] = set()
    for found in tables:
        members = [i for i, b in enumerate(boxes) if found.cell_at(b.cx, b.cy) is not None and i not in inside]
        inside.update(members)
        # Figures are put right in statistics tables only: a one-column frame holds prose ("1." stays).
        cell_boxes = [fix_box(boxes[i], page) if len(found.xs) > 2 else boxes[i] for i in members]
        place = (lambda box: frame.box(prepared, box)) if frame is not None else None
        placed.extend(_placed_table(found, cell_boxes, number, points_per_pixel, page, place))
    outside = [b for i, b in enumerate(boxes) if i not in inside]
    height = page.shape[0]
    for line_top, line in _lines(outside, number):
        if not is_running_page_number(line.text, line_top, height):
            placed.append((line_top, line, None))
    blocks = page_blocks(placed)
    blocks.warnings.append(_note(number, boxes, prepared.angle))
    return blocks, sum(b.confidence for b in boxes) / max(len(boxes), 1)


def _read_text(gray: np.ndarray, tables: Sequence[ruling.RasterTable]) -> list[ocr_engine.TextBox]:
    """Return the engine's text boxes over the whole picture, read band by band when it is tall.

    A line inside a statistics table (a label, a figure) is read as the engine cuts it; a line of
    prose is read with paper above and below (its type at about half the recognizer's height):
    read as exactly, at two thirds of the cost.
    """
    grids = [found for found in tables if len(found.xs) > 2]
    boxes: list[ocr_engine.TextBox] = []
    for top, bottom in raster.bands(gray):
        band = gray[top:bottom]
        quads = ocr_engine.detect(band)
        bounds = [(float(q[:, 0].min()), float(q[:, 1].min()), float(q[:, 0].max()), float(q[:, 1].max()))
                  for q in quads]
        crops = [ocr_engine.crop(band, quad) if _in_grid(grids, (x0 + x1) / 2, (y0 + y1) / 2 + top)
                 else _line_crop(band, (x0, y0, x1, y1)) for quad, (x0, y0, x1, y1) in zip(quads, bounds, strict=True)]
        for (x0, y0, x1, y1), (text, score) in zip(bounds, ocr_engine.read_lines(crops), strict=True):
            if text.strip() and score >= _LEAST_SCORE:  # as the engine filters its own readings
                boxes.append(ocr_engine.TextBox(text.strip(), score, x0, y0 + top, x1, y1 + top))
    return sorted(boxes, key=lambda b: (b.top, b.x0))


def _in_grid(grids: Sequence[ruling.RasterTable], x: float, y: float) -> bool:
    """Return True when the point lies in a cell of one of the grids."""
    return any(found.cell_at(x, y) is not None for found in grids)


def _line_crop(gray: np.ndarray, box: tuple[float, float, float, float]) -> np.ndarray:
    """Return the picture of one detected line of prose with paper above and below."""
    x0, top, x1, bottom = (round(v) for v in box)
    crop = gray[max(0, top) : bottom + 1, max(0, x0) : x1 + 1]
    pad = round(crop.shape[0] * _LINE_AIR)
    return cv2.copyMakeBorder(crop, pad, pad, _PAD // 2, _PAD // 2, cv2.BORDER_CONSTANT, value=255)


def _placed_table(found: ruling.RasterTable, boxes: Sequence[ocr_engine.TextBox], number: int,
                  points_per_pixel: float, page: np.ndarray,
                  place: Callable[[tuple[float, float, float, float]], Box] | None = None,
                  ) -> list[tuple[float, Block, list[float] | None]]:
    """Return the table as a block placed at its top, or its lines of text when it has one column.

    A cell of a statistics table where the detector found no text but the picture shows print
    (a lone small figure the detector missed) is read on its own by the recognizer.
    """
    by_cell: dict[ruling.GridCell, list[ocr_engine.TextBox]] = {cell: [] for cell in found.cells}
    for piece in (p for box in boxes for p in _split_at_rules(box, found)):
        cell = found.cell_at(piece.cx, piece.cy)
        if cell is not None:
            by_cell[cell].append(piece)
    if len(found.xs) == 2:
        # A one-column "table" is a box drawn around running text, not a statistics table.
        return [(top, line, None) for top, line in _lines(boxes, number)]
    by_cell = _unmerged(found, by_cell)
    missed = [cell for cell, members in by_cell.items() if not members]
    for cell, box in zip(missed, _read_cells(page, missed), strict=True):
        if box is not None:
            by_cell[cell].append(fix_box(box, page))
    _reread_unsure(by_cell, page)
    cells = []
    for grid_cell, members in by_cell.items():
        raw = "\n".join(line.text for _, line in _lines(members, number))
        confidence = min((b.confidence for b in members), default=0.0)
        cells.append(Cell(raw=raw, text=clean_cell(raw), row=grid_cell.row, col=grid_cell.col,
                          row_span=grid_cell.row_span, col_span=grid_cell.col_span, page=number,
                          ocr_confidence=round(confidence, 4),
                          box=place(grid_cell.box) if place is not None else None))
    table = Table(cells=tuple(cells), n_rows=len(found.ys) - 1, n_cols=len(found.xs) - 1, page=number, method="ocr")
    return [(found.ys[0], TableBlock(table), [x * points_per_pixel for x in found.xs])]


def _unmerged(found: ruling.RasterTable, by_cell: dict[ruling.GridCell, list[ocr_engine.TextBox]]
              ) -> dict[ruling.GridCell, list[ocr_engine.TextBox]]:
    """Return the cells with each one spanning columns over separate figures split into its columns.

    A cell over several columns holds one heading or label; figures standing in two of its columns
    show that the rule between them was missed (broken in a copy): read together they would make
    one wrong number ("77" and "17" as 7717), so each figure keeps its own column.
    """
    out: dict[ruling.GridCell, list[ocr_engine.TextBox]] = {}
    for cell, members in by_cell.items():
        parts: dict[int, list[ocr_engine.TextBox]] = {}
        for box in members if cell.col_span > 1 else ():
            # Only a gap read inside a box ("77 17") parts it: a figure centred in a merged cell
            # ("14" over a column line) stays whole.
            for piece in _split_at_lines(box, found.xs) if " " in box.text.strip() else [box]:
                if piece.text.strip():
                    parts.setdefault(_column(found.xs, piece.cx), []).append(piece)
        if len(parts) < 2 or not all(_FIGURE.fullmatch(p.text.strip()) for ps in parts.values() for p in ps):
            out[cell] = members
            continue
        _, top, _, bottom = cell.box
        for col in range(cell.col, cell.col + cell.col_span):
            single = ruling.GridCell(cell.row, col, cell.row_span, 1, (found.xs[col], top, found.xs[col + 1], bottom))
            out[single] = parts.get(col, [])
    return out


def _column(xs: Sequence[float], x: float) -> int:
    """Return the index of the grid column holding `x`."""
    return min(max(bisect.bisect_right(xs, x) - 1, 0), len(xs) - 2)


def _split_at_lines(box: ocr_engine.TextBox, xs: Sequence[float]) -> list[ocr_engine.TextBox]:
    """Return the box cut at the grid's column lines, its characters taken as evenly spaced."""
    return _split_where(box, lambda x: _column(xs, x))


def _split_where(box: ocr_engine.TextBox, owner: Callable[[float], object]) -> list[ocr_engine.TextBox]:
    """Return the box cut where `owner` (of a character's centre x) changes, the characters taken as evenly
    spaced (Chinese type is); the box itself when it stays with one owner."""
    count = len(box.text)
    width = (box.x1 - box.x0) / max(count, 1)
    owners = [owner(box.x0 + (i + 0.5) * width) for i in range(count)]
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


def _reread_unsure(by_cell: dict[ruling.GridCell, list[ocr_engine.TextBox]], page: np.ndarray) -> None:
    """Read again, from its print alone, each cell whose one line the engine read with low confidence.

    What a stamp leaves after suppression (light gray strokes across a figure) can make the
    engine misread the line it cut; the cell's print alone (what is clearly darker than its
    paper, `_print_in`) is read instead when the recognizer is surer of it.
    """
    unsure = [cell for cell, members in by_cell.items()
              if len(members) == 1 and members[0].confidence < _UNSURE]
    for cell, box in zip(unsure, _read_cells(page, unsure, clean=True), strict=True):
        if box is not None and box.confidence > by_cell[cell][0].confidence:
            by_cell[cell] = [fix_box(box, page)]


def _read_cells(page: np.ndarray, cells: Sequence[ruling.GridCell], clean: bool = False,
                ) -> list[ocr_engine.TextBox | None]:
    """Return what the recognizer reads in each cell that shows one line of print, None elsewhere;
    `clean`: with what is lighter than the cell's print turned to paper."""
    crops: list[np.ndarray] = []
    where: list[tuple[int, tuple[int, int, int, int]]] = []
    for index, cell in enumerate(cells):
        found = _print_in(page, cell.box)
        if found is not None:
            (x0, top, x1, bottom), level = found
            crop = page[top:bottom, x0:x1]
            if clean:
                crop = np.where(crop < level, crop, 255).astype(np.uint8)
            # A lone stroke (a dash) gets paper up to a line of type's height: the recognizer reads
            # a line, and a sliver one pixel high is no line to it.
            air = max(_PAD, (_TYPE_HEIGHT - (bottom - top)) // 2)
            crops.append(cv2.copyMakeBorder(crop, air, air, _PAD, _PAD, cv2.BORDER_CONSTANT, value=255))
            where.append((index, (x0, top, x1, bottom)))
    out: list[ocr_engine.TextBox | None] = [None] * len(cells)
    for (index, (x0, top, x1, bottom)), (text, score) in zip(where, ocr_engine.read_lines(crops), strict=True):
        if text:
            out[index] = ocr_engine.TextBox(text, score, x0, top, x1, bottom)
    return out


def _print_in(page: np.ndarray, box: tuple[float, float, float, float],
              ) -> tuple[tuple[int, int, int, int], float] | None:
    """Return the bounds (x0, top, x1, bottom) of the print inside a cell, without its rules, when it
    is one line of type or a lone horizontal stroke (a dash), and the gray level below which a pixel
    is its print; None for a blank cell, dust, or several lines.

    Print is what is clearly darker than the cell's paper: half way from its darkest ink to white.
    What a suppressed stamp leaves (light gray strokes) or JPEG's halo around a figure is lighter
    than that wherever the cell holds print, so it neither widens the print nor reads as a glyph.
    """
    x0, top, x1, bottom = (round(v) for v in box)
    inner = page[top + _INSET : bottom - _INSET + 1, x0 + _INSET : x1 - _INSET + 1]
    if inner.size <= _MIN_PRINT:
        return None
    ink = raster.ink_mask(inner)
    ink &= raster.neighbours(ink) > 0  # dust is not print
    if ink.sum() < _MIN_PRINT:
        return None
    darkest = float(np.partition(inner[ink], _MIN_PRINT - 1)[_MIN_PRINT - 1])
    level = (darkest + 255) / 2
    ink &= inner < level
    ink &= raster.neighbours(ink) > 0
    rows, columns = np.nonzero(ink.any(axis=1))[0], np.nonzero(ink.any(axis=0))[0]
    if not len(rows):
        return None
    height, width = rows[-1] - rows[0] + 1, columns[-1] - columns[0] + 1
    stroke = height < _MIN_TYPE and width >= _MIN_TYPE and width >= _STROKE_RATIO * height
    if not stroke and (height < _MIN_TYPE or height > _MAX_LINE):
        return None
    # The print's gray edge (one pixel of anti-aliasing) belongs to it.
    first_row, last_row = max(int(rows[0]) - 1, 0), min(int(rows[-1]) + 1, inner.shape[0] - 1)
    first_col, last_col = max(int(columns[0]) - 1, 0), min(int(columns[-1]) + 1, inner.shape[1] - 1)
    left, upper = x0 + _INSET, top + _INSET
    return (left + first_col, upper + first_row, left + last_col + 1, upper + last_row + 1), level


def _split_at_rules(box: ocr_engine.TextBox, found: ruling.RasterTable) -> list[ocr_engine.TextBox]:
    """Return the box cut where it crosses the rule between two cells.

    Words close to a column rule on both sides are sometimes read as one line of text; each
    character goes to its own cell.
    """
    return _split_where(box, lambda x: found.cell_at(x, box.cy))


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


def read_pixels(pixels: np.ndarray, dpi: float, number: int, page_width: float | None = None,
                placement: Placement | None = None) -> PageBlocks:
    """Return the OCR reading of a picture given as pixels (gray or RGB, at `dpi`): a table pictured
    inside a web page, Word file or PDF page, or a searchable page's picture. With `page_width` (points)
    positions are in points, else in pixels; with `placement` (where the picture lies on its page) table
    cells get their boxes; a failure of the engine raises UnreadableDocument."""
    return _read_safely(pixels, dpi, number, page_width, placement)
