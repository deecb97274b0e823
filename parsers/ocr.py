"""Scanned pages and pictures → canonical Document, by OCR.

A page picture is read at its own resolution (a PDF page: its picture's pixels over the page's
size; a picture file: its DPI record; either, when it does not make a report page or its print a
plausible size: an A4 page's width across the picture, or the size of the print measured) and
prepared by parsers.raster (brought to 150 dpi, stamps suppressed, paper flattened,
straightened; a page lying sideways is turned back, the way up being the one the engine reads
with more confidence). Its ruled tables are found from the rules drawn on it (parsers.ruling)
before anything is read, so no text detector looks inside a statistics table: the lines of
print of each cell (parsers.ocr_cells) go straight to the recognizer (parsers.ocr_engine), lone
figures several to a line; a cell whose print makes no lines of type is left to the detector,
over that cell alone. Cells keep their spans, so the recognizers read a scanned table like a
born-digital one; a cell spanning columns over separate figures (a rule lost in a copy) is split
into its columns, so two figures never read as one number. Outside those tables, the lines of
prose of each part of the page that holds print are the rows of its print, as in a cell; the
detector finds them, at the resolution type needs, only where print makes no plain lines of type
(a large title, a seal, lines run together, a line running down the page) and on a page lying
sideways. Each line is read with paper above and below (its type at about half the recognizer's
height, which reads it as exactly at two thirds of the cost), first by the quick recognizer, its
figures and the lines it is unsure of again by the exact one. Those lines become text blocks in
reading order. A ruled one-column "table" is a frame around text and is read as text, as in the
PDF reader; running page numbers are dropped. Figures in cells get the corrections of
parsers.ocr_fixes ("/" read as "1", dust read as a dot).

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

from parsers import ocr_cells, ocr_engine, pdfium_page, raster, ruling
from parsers.ocr_fixes import fix_box
from parsers.page_breaks import PageBlocks, join_continued_tables, page_blocks
from parsers.pagenumbers import is_running_page_number
from pipeline.errors import UnreadableDocument
from pipeline.model import Block, Box, Cell, Document, Table, TableBlock, TextBlock
from pipeline.textnorm import clean_cell, parse_number

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
_CJK = re.compile(r"[\u4e00-\u9fff]")  # a Chinese character: a reading that holds one is words, not a figure
_FIGURE = re.compile(r"[\d,.]+")  # a figure as read in a cell, separators and all
_PAD = 3  # pixels of paper left and right of a line of prose given to the recognizer
# The detector finds lines of type at this share of the working resolution (10.5 pt at about 15 px; a whole
# A4 page was read at this scale before) as well as at full size, in half the time; it looks only at print
# outside the statistics tables.
_DETECT_SCALE = 0.73
# Pixels a line found from the rows of its print reaches above, below and beside it, as the detector's lines
# do: 10.5 pt type (28 pixels of print at WORK_DPI) makes a line of 36 pixels, set a little low.
_LINE_REACH = (2, 6, 2)
_TALL_LINE = 1.5  # a line of print this many times the height of most in its part of the page is not one line
_GLYPH_WIDTH = 2.0  # a piece of print narrower than this many times its height is a lone glyph or two
_LARGE_TYPE = 1.2  # a line this many times the height of most of its part of the page is a title or heading
_MIN_BLOT = 10  # ink pixels of a blot that can be part of a glyph (a full stop at 150 dpi has about 9)
_MARGIN = 12  # pixels of paper kept around the print of a part of a page given to the detector
_UNSURE = 0.9  # a reading less sure than this is flagged for review (pipeline.checks.ocr): worth a second look
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
    width, _ = page.get_size()
    pixels, dpi = _rendered(page, native)
    return _read_safely(pixels, dpi, number, width, Placement(width / pixels.shape[1]))


def read_drawn_page(page: Any, number: int, why: str) -> PageBlocks:
    """Return the OCR reading of a PDF page as it is drawn, text and rules included, rendered at the
    working resolution: a page whose text cannot be read as characters (fonts without a map to Unicode,
    glyphs drawn as outlines); its first warning says so, and `why`."""
    width, _ = page.get_size()
    pixels, dpi = _rendered(page, raster.WORK_DPI)
    blocks = _read_safely(pixels, dpi, number, width, Placement(width / pixels.shape[1]))
    blocks.warnings.insert(0, f"page {number} was read by OCR from the page as drawn: {why}")
    return blocks


def _rendered(page: Any, native: float) -> tuple[np.ndarray, float]:
    """Return the page rendered at its picture's resolution (within a budget of pixels), RGB, and the
    density of its print in dots per inch. The bitmap pdfium drew goes with this call: kept while the
    page was read, it was another copy of the page (26 MB at 300 dpi) under the detector's peak."""
    width, height = page.get_size()
    budget = (_MAX_RENDER_PIXELS / max(width * height / 72**2, 1e-6)) ** 0.5
    scale = min(max(native, _MIN_RENDER_DPI), budget) / 72
    pixels = pdfium_page.drawn(page, scale)
    # The page's size in points is its paper size, unless the picture was saved without its resolution
    # (Pillow and others then write 72 dpi, and an A4 scan becomes a page a metre high) or with a wrong one.
    return pixels, _print_dpi(pixels, scale * 72)


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
        # The detector finds the lines of each way: the lines of a page turned the wrong way run down it,
        # and read as rows of single characters they would read as surely as the right way.
        page, confidence = _read_scored(raster.prepare(turned, dpi), number, points_per_pixel, turned_frame,
                                        detector=True)
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
                 frame: _Frame | None = None, detector: bool = False) -> tuple[PageBlocks, float]:
    """Return the blocks of one page picture and the mean confidence of the engine's readings on it;
    with `detector`, every line of prose found by the text detector (`_read_text`)."""
    tables = ruling.find_tables(prepared.ink, prepared.upsampled)
    # Inside tables the text is read where stamps are suppressed; outside, from the plain picture
    # (a title printed in red stays).
    page = prepared.text.copy()
    for found in tables:
        x0, top, x1, bottom = (round(v) for v in found.bbox)
        page[top : bottom + 1, x0 : x1 + 1] = prepared.ink[top : bottom + 1, x0 : x1 + 1]
    # A ruled one-column "table" is a box drawn around running text, read as text.
    grids = [found for found in tables if len(found.xs) > 2]
    try:
        read_grids = _read_grids(page, grids)
        boxes = _read_text(page, grids, detector)
    except ocr_engine.OcrUnavailable as exc:
        return PageBlocks(warnings=[f"page {number} has no text layer and was not read: {exc}"]), 0.0
    place = (lambda box: frame.box(prepared, box)) if frame is not None else None
    placed = [_placed_table(found, by_cell, number, points_per_pixel, page, place)
              for found, by_cell in zip(grids, read_grids, strict=True)]
    height = page.shape[0]
    for line_top, line in _lines(boxes, number):
        if not is_running_page_number(line.text, line_top, height):
            placed.append((line_top, line, None))
    blocks = page_blocks(placed)
    read = boxes + [box for by_cell in read_grids for members in by_cell.values() for box in members]
    blocks.warnings.append(_note(number, read, prepared.angle))
    return blocks, sum(b.confidence for b in read) / max(len(read), 1)


def _read_grids(page: np.ndarray, grids: Sequence[ruling.RasterTable],
                ) -> list[dict[ruling.GridCell, list[ocr_engine.TextBox]]]:
    """Return, for each statistics table, the text boxes read in each of its cells.

    The cells are known from the rules, so no detector looks for their text: the lines of print
    of every cell (parsers.ocr_cells) are read by the recognizer in one batch. A cell whose print
    makes no lines of type is left to the detector, over that cell alone. Figures get the
    corrections of parsers.ocr_fixes.
    """
    wanted: list[tuple[int, ruling.GridCell, ocr_cells.Piece]] = []
    hard: list[tuple[int, ruling.GridCell]] = []
    for index, found in enumerate(grids):
        for cell in found.cells:
            pieces = ocr_cells.pieces(page, cell.box)
            if pieces is None:
                hard.append((index, cell))
            else:
                wanted.extend((index, cell, piece) for piece in pieces)
    out: list[dict[ruling.GridCell, list[ocr_engine.TextBox]]] = [{cell: [] for cell in found.cells}
                                                                   for found in grids]
    readings = ocr_cells.read(page, [piece for _, _, piece in wanted])
    for (index, cell, _), box in zip(wanted, readings, strict=True):
        if box is not None:
            out[index][cell].append(fix_box(box, page))
    for index, cell in hard:
        out[index][cell] = [fix_box(box, page) for box in _detected_in(page, cell.box)]
    return out


def _detected_in(page: np.ndarray, box: tuple[float, float, float, float]) -> list[ocr_engine.TextBox]:
    """Return the text the detector finds and the recognizer reads inside one cell, as the engine cuts it."""
    inner, left, upper = ocr_cells.inside(page, box)
    if inner.size == 0:
        return []
    # The detector finds no line that touches the picture's edge: the cell gets a margin of paper.
    inner = cv2.copyMakeBorder(inner, _MARGIN, _MARGIN, _MARGIN, _MARGIN, cv2.BORDER_CONSTANT, value=255)
    left, upper = left - _MARGIN, upper - _MARGIN
    quads = ocr_engine.detect(inner)
    readings = ocr_engine.read_lines([ocr_engine.crop(inner, quad) for quad in quads])
    boxes = []
    for quad, (text, score) in zip(quads, readings, strict=True):
        if text and score >= _LEAST_SCORE:
            x0, y0, x1, y1 = _bounds(quad)
            boxes.append(ocr_engine.TextBox(text, score, left + x0, upper + y0, left + x1, upper + y1))
    return boxes


def _bounds(quad: np.ndarray) -> tuple[float, float, float, float]:
    """Return (x0, top, x1, bottom) of a detected line's quadrilateral."""
    xs, ys = quad[:, 0], quad[:, 1]
    return float(xs.min()), float(ys.min()), float(xs.max()), float(ys.max())


def _read_text(gray: np.ndarray, grids: Sequence[ruling.RasterTable], detector: bool = False
               ) -> list[ocr_engine.TextBox]:
    """Return the lines of text outside the statistics tables, read with paper above and below (its type
    at about half the recognizer's height): read as exactly, at two thirds of the cost.

    In each part of the picture that holds print the lines are the rows of its print (`_print_lines`);
    where its print makes no plain lines of type, or with `detector`, the detector finds them, at the
    resolution lines of type need.
    """
    boxes: list[ocr_engine.TextBox] = []
    for x0, top, x1, bottom in _text_regions(gray, grids):
        region = gray[top:bottom, x0:x1]
        bounds = None if detector else _print_lines(region)
        if bounds is None:
            bounds = [_bounds(quad) for quad in _detect(region)]
        crops = [_line_crop(region, found) for found in bounds]
        readings = _read_prose(crops, [bottom - top for _, top, _, bottom in bounds])
        for (bx0, by0, bx1, by1), (text, score) in zip(bounds, readings, strict=True):
            if text.strip() and score >= _LEAST_SCORE:  # as the engine filters its own readings
                boxes.append(ocr_engine.TextBox(text.strip(), score, bx0 + x0, by0 + top, bx1 + x0, by1 + top))
    return sorted(boxes, key=lambda b: (b.top, b.x0))


def _read_prose(crops: Sequence[np.ndarray], heights: Sequence[float]) -> list[tuple[str, float]]:
    """Return (text, confidence) of each line of prose of a part of a page, `heights` its lines' heights.

    A line set larger than most (a title, a heading) is read by the exact recognizer alone: a title
    names the body and the year, the keys of a report (the quick one read the title of 岚江省教育厅
    as 教育斤 with 0.977 confidence); the others as lines of words, the quick recognizer first.
    """
    usual = float(np.median(heights)) if heights else 0.0
    large = [i for i, height in enumerate(heights) if height >= _LARGE_TYPE * usual]
    words = [i for i, height in enumerate(heights) if height < _LARGE_TYPE * usual]
    out: list[tuple[str, float]] = [("", 0.0)] * len(crops)
    for indexes, quick in ((large, None), (words, ocr_engine.PROSE)):
        for index, reading in zip(indexes, ocr_engine.read_lines([crops[i] for i in indexes], words=quick),
                                  strict=True):
            out[index] = reading
    return out


def _print_lines(region: np.ndarray) -> list[tuple[float, float, float, float]] | None:
    """Return the bounds of the lines of prose in a part of a page (parts of lines set apart by a wide
    gap), found from the rows and columns its print fills, as parsers.ocr_cells finds the lines of a
    cell: a twentieth of the detector's cost. None when its print is not plain lines of type: type
    taller than a line (a large title, a seal, a picture), one line far taller than the others (two
    lines run together, a seal over a line), mostly lone glyphs (a line running down the page, whose
    characters are rows of their own), or print cut by the region's edge (the last row of a table
    whose lowest rule was not found, text beside a table): the detector finds those.

    Bounds reach beyond the print as the detector's lines do (`_LINE_REACH`), so the recognizer is given
    its type at the same scale and place.
    """
    height, width = region.shape[:2]
    rules = (region < raster.DARK).mean(axis=1) >= ocr_cells.RULE_SPAN
    if rules.any():  # a rule is no print
        region = region.copy()
        region[rules] = 255
    found = ocr_cells.pieces(region, (0, 0, width - 1, height - 1))
    if found is None:
        return None
    # A lone flat stroke is a rule under a heading, or a dash set apart; prose has no line of it.
    typeset = [piece for piece in found if piece.height >= ocr_cells.MIN_TYPE]
    edge = ocr_cells.INSET + 1
    if any(min(piece.x0, piece.top) <= edge or piece.x1 >= width - edge or piece.bottom >= height - edge
           for piece in typeset):
        return None
    lines = _joined_parts(region, typeset)
    if not lines:
        return []
    heights = [bottom - top for _, top, _, bottom in lines]
    if (max(heights) > _TALL_LINE * float(np.median(heights))
            or sum(x1 - x0 < _GLYPH_WIDTH * (bottom - top) for x0, top, x1, bottom in lines) * 2 > len(lines)):
        return None
    above, below, beside = _LINE_REACH
    return [(x0 - beside, top - above, x1 + beside, bottom + below) for x0, top, x1, bottom in lines]


def _joined_parts(region: np.ndarray, found: Sequence[ocr_cells.Piece]) -> list[tuple[int, int, int, int]]:
    """Return (x0, top, x1, bottom) of the parts of lines of print in a region, from its pieces of print.

    Print is what is clearly darker than its paper, as in a cell (grain and a page's show-through are
    not); but where a line's parts end is told by all its ink: on a blurred scan a thin glyph (一, 《)
    is fainter than the rest, and pieces of one line that fainter glyphs join are one part.
    """
    faint = raster.without_dust(raster.ink_mask(region))
    parts: list[list[int]] = []
    for piece in found:
        columns = raster.runs(np.asarray(faint[piece.top : piece.bottom].any(axis=0)))
        spans = raster.joined(columns, max(round(ocr_cells.WORD_GAP * piece.height), ocr_cells.MIN_TYPE))
        x0, x1 = next(((a, b) for a, b in spans if a < piece.x1 and b > piece.x0), (piece.x0, piece.x1))
        bounds = [min(x0, piece.x0), piece.top, max(x1, piece.x1), piece.bottom]
        same = next((part for part in parts if part[0] < bounds[2] and bounds[0] < part[2]
                     and min(part[3], bounds[3]) > max(part[1], bounds[1])), None)
        if same is None:
            parts.append(bounds)
        else:
            same[:] = [min(same[0], bounds[0]), min(same[1], bounds[1]), max(same[2], bounds[2]),
                       max(same[3], bounds[3])]
    return [(x0, top, x1, bottom) for x0, top, x1, bottom in parts]


def _detect(region: np.ndarray) -> list[np.ndarray]:
    """Return the detector's line quadrilaterals in a region, found at `_DETECT_SCALE` of the working resolution."""
    small = cv2.resize(region, None, fx=_DETECT_SCALE, fy=_DETECT_SCALE)
    return [quad / _DETECT_SCALE for quad in ocr_engine.detect(small)]


def _text_regions(gray: np.ndarray, grids: Sequence[ruling.RasterTable]) -> list[tuple[int, int, int, int]]:
    """Return (x0, top, x1, bottom) of the parts of a page outside its statistics tables that hold print,
    each trimmed to its print with a margin, at most a band's height tall; blank paper is never read."""
    height, width = gray.shape[:2]
    spans = sorted((max(round(g.ys[0]) - 1, 0), min(round(g.ys[-1]) + 2, height), round(g.xs[0]), round(g.xs[-1]))
                   for g in grids)
    parts: list[tuple[int, int, int, int]] = []
    top = 0
    for upper, lower, left, right in spans:
        if upper > top:
            parts.append((0, top, width, upper))
        # Print beside a table, within its rows (rare: a margin note, a page number).
        parts.extend([(0, upper, max(left - 1, 0), lower), (min(right + 2, width), upper, width, lower)])
        top = max(top, lower)
    parts.append((0, top, width, height))
    regions: list[tuple[int, int, int, int]] = []
    for x0, y0, x1, y1 in parts:
        trimmed = _trimmed(gray, x0, y0, x1, y1)
        if trimmed is not None:
            rx0, ry0, rx1, ry1 = trimmed
            regions.extend((rx0, ry0 + b0, rx1, ry0 + b1) for b0, b1 in raster.bands(gray[ry0:ry1, rx0:rx1]))
    return regions


def _trimmed(gray: np.ndarray, x0: int, top: int, x1: int, bottom: int) -> tuple[int, int, int, int] | None:
    """Return the box trimmed to the print it holds, with a margin of paper, or None when it holds none.

    Print is the blots of ink of a glyph's size (grain and dust are a few pixels); a part holds print
    when one of them is as tall as small type.
    """
    if x1 - x0 < ocr_cells.MIN_TYPE or bottom - top < ocr_cells.MIN_TYPE:
        return None
    ink = raster.ink_mask(gray[top:bottom, x0:x1]).astype(np.uint8)
    _, _, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    blots = stats[1:][stats[1:, cv2.CC_STAT_AREA] >= _MIN_BLOT]
    if not len(blots) or blots[:, cv2.CC_STAT_HEIGHT].max() < ocr_cells.MIN_TYPE:
        return None
    left, upper = blots[:, cv2.CC_STAT_LEFT], blots[:, cv2.CC_STAT_TOP]
    right, lower = left + blots[:, cv2.CC_STAT_WIDTH], upper + blots[:, cv2.CC_STAT_HEIGHT]
    height, width = gray.shape[:2]
    return (max(x0 + int(left.min()) - _MARGIN, 0), max(top + int(upper.min()) - _MARGIN, 0),
            min(x0 + int(right.max()) + _MARGIN, width), min(top + int(lower.max()) + _MARGIN, height))


def _line_crop(gray: np.ndarray, box: tuple[float, float, float, float]) -> np.ndarray:
    """Return the picture of one detected line of prose with paper above and below."""
    x0, top, x1, bottom = (round(v) for v in box)
    crop = gray[max(0, top) : bottom + 1, max(0, x0) : x1 + 1]
    pad = round(crop.shape[0] * _LINE_AIR)
    return cv2.copyMakeBorder(crop, pad, pad, _PAD, _PAD, cv2.BORDER_CONSTANT, value=255)


def _placed_table(found: ruling.RasterTable, by_cell: dict[ruling.GridCell, list[ocr_engine.TextBox]], number: int,
                  points_per_pixel: float, page: np.ndarray,
                  place: Callable[[tuple[float, float, float, float]], Box] | None = None,
                  ) -> tuple[float, Block, list[float] | None]:
    """Return the table read cell by cell as a block placed at its top."""
    by_cell = _unmerged(found, by_cell)
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
    return found.ys[0], TableBlock(table), [x * points_per_pixel for x in found.xs]


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
    engine misread a figure; the cell's print alone (what is clearly darker than its paper) is
    read instead when the recognizer is surer of it.
    """
    # Only figures: a label read again from its darkest print alone (a coarse scan's faint strokes
    # turned to paper) reads worse, and labels are matched by meaning, a character amiss or not.
    unsure = [cell for cell, members in by_cell.items()
              if len(members) == 1 and members[0].confidence < _UNSURE and not _CJK.search(members[0].text)]
    found = [(cell, ocr_cells.print_in(page, cell.box)) for cell in unsure]
    wanted = [(cell, piece) for cell, piece in found if piece is not None]
    for (cell, _), box in zip(wanted, ocr_cells.read(page, [piece for _, piece in wanted], clean=True), strict=True):
        if box is not None and box.confidence > by_cell[cell][0].confidence:
            by_cell[cell] = [_second_reading(by_cell[cell][0], fix_box(box, page))]


def _second_reading(first: ocr_engine.TextBox, second: ocr_engine.TextBox) -> ocr_engine.TextBox:
    """Return the surer reading of a cell read twice, keeping the first one's doubt when the two are
    different numbers.

    The print alone loses what is lighter than the figure: a stamp's strokes, which is why it is read,
    but also a blurred minus sign ("-6" read again as "6", surely). Two readings that are both
    numbers and disagree leave the figure in doubt, whichever is surer.
    """
    one, two = parse_number(first.text), parse_number(second.text)
    if one is not None and two is not None and one != two:
        return replace(second, confidence=min(first.confidence, second.confidence))
    return second


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
