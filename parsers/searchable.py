"""Searchable PDF pages: a page picture with an invisible text layer, as scanners and OCR software save them.

Such a page shows a picture (the scan) and carries text nobody sees: drawn in text render mode 3,
or drawn first and painted over by the opaque page picture. Its characters may be the printed
text placed glyph by glyph, the word boxes of another OCR engine, or garbage (mojibake, private-use
code points, glyphs whose font lost its Unicode map). The picture is what the reader of the page
sees, so it decides:

- The page is rendered; the rules are found on that picture (parsers.ruling), never in the file.
- The layer is trusted when its characters are text (`layer_problem`: few private-use, control or
  mojibake characters, Chinese where a Chinese report prints Chinese), when its glyph boxes lie on
  ink of the picture, and when it covers the picture's ink (no printed text missing from it; a
  layer of another OCR engine's word boxes fails here). A turned picture is straightened first and
  the layer's characters moved with it. Then the page is read as a born-digital page whose rules
  are the picture's rules: the PDF reader builds cells and lines from the layer's characters
  (`LayerPage`); the strokes of characters are erased before rules are looked for.
- Otherwise the page picture is read by OCR, like a scan (parsers.ocr), and a warning says why.

Decided page by page: a file whose later pages lost their layer is read from the layer where it
is there and by OCR where not. Tables built from a layer are marked method "positions" (their
grid is rebuilt from a picture, their characters come from a layer that OCR software may have
written), so the honest-status checks treat them as reconstructed; OCR tables are "ocr".
"""

from __future__ import annotations

import ctypes
import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from parsers import pdfium_page
from parsers.page_breaks import PageBlocks
from pipeline.model import Box, TableBlock

__all__ = ["DPI", "LayerPage", "hidden_layer", "layer_problem", "mark_positions", "read_page"]

DPI = 150  # the page is rendered at the OCR reader's resolution
INK = 160  # gray level below which a pixel is ink (JPEG halos around strokes are lighter)
COVER_PAGE = 0.6  # share of the page a picture must cover to be the page's scan
HIDDEN_SHARE = 0.8  # share of the text objects that must be invisible for the page to be a searchable scan
ON_INK = 0.9  # share of glyph boxes that must hold ink for the layer to agree with the picture
GLYPH_INK = 0.02  # share of a glyph box's pixels that must be ink (a "1" is a thin stroke)
UNCOVERED = 0.08  # share of the picture's text ink (rules left out) outside every glyph box that is tolerated
_LATIN1_OR_REPLACEMENT = re.compile("[\u0080-\u00ff\ufffd]")
BAD_CHARS = 0.05  # share of private-use, control, replacement or mojibake characters that makes a layer garbage
MIN_CJK = 0.2  # share of Chinese among the letters of a page of a Chinese report
MAX_SKEW = 0.15  # degrees a page picture may be turned and its rules still be read without straightening
_RULE_MARGIN = 3  # pixels around a found rule that are the rule's, not text
_GLYPH_MARGIN = 2  # pixels a glyph box is widened by when the ink it covers is counted
_FORM_DEPTH = 3
_ERASE_INSET = 1  # pixels of a glyph box's edge left alone, where a rule may touch it
_GLYPH_INSET = 0.2  # share of a glyph box at each side where a rule may still touch it


@dataclass
class LayerPage:
    """A searchable page whose layer agrees with its picture: the layer's characters and the picture's rules
    (in points, as pdfium_page.PageData), for the PDF reader to read as a born-digital page."""

    data: pdfium_page.PageData
    note: str
    # (angle, width, height in pixels at DPI) of the straightening the characters were moved by, if any:
    # what the reading's boxes are moved back by (mark_positions).
    turn: tuple[float, int, int] | None = None


# --- is the text hidden? ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Painted:
    """A text or image object in paint order: its kind, its text render mode, its box (PDF points)."""

    kind: int
    mode: int
    box: tuple[float, float, float, float]


def hidden_layer(page: Any, objects: pdfium_page.PageObjects | None = None) -> bool:
    """Return True when the page shows a picture covering most of it and its text is invisible
    (render mode 3, or painted over by that picture): a scan with a text layer. `objects`: the
    page's objects when the caller has listed them."""
    try:
        area = page.get_width() * page.get_height()
        if not _may_cover(objects if objects is not None else pdfium_page.page_objects(page), COVER_PAGE * area):
            return False  # most pages: no picture large enough, told without walking every text object's box
        painted = list(_painted(page.raw, pdfium_c.FPDFPage_CountObjects, pdfium_c.FPDFPage_GetObject, 0))
    except pdfium.PdfiumError:
        return False
    covers = [i for i, p in enumerate(painted)
              if p.kind == pdfium_c.FPDF_PAGEOBJ_IMAGE and _area(p.box) >= COVER_PAGE * area]
    texts = [i for i, p in enumerate(painted) if p.kind == pdfium_c.FPDF_PAGEOBJ_TEXT]
    if not covers or not texts:
        return False
    last_cover = covers[-1]
    hidden = sum(1 for i in texts if painted[i].mode == pdfium_c.FPDF_TEXTRENDERMODE_INVISIBLE or i < last_cover)
    return hidden >= HIDDEN_SHARE * len(texts)


def _may_cover(objects: pdfium_page.PageObjects, least: float) -> bool:
    """Return True when an image, or a form holding one, on the page has a box of at least `least` square
    points: the only objects that can be the page's scan (`_painted` gives an image in a form its form's box)."""
    left, bottom, right, top = ctypes.c_float(), ctypes.c_float(), ctypes.c_float(), ctypes.c_float()
    for obj in [*objects.images, *(form for form in objects.forms if _form_has_image(form, 1))]:
        if (pdfium_c.FPDFPageObj_GetBounds(obj, left, bottom, right, top)
                and _area((left.value, bottom.value, right.value, top.value)) >= least):
            return True
    return False


def _form_has_image(form: Any, level: int) -> bool:
    """Return True when a form (at nesting `level`) holds an image in the levels `_painted` walks."""
    for index in range(pdfium_c.FPDFFormObj_CountObjects(form)):
        obj = pdfium_c.FPDFFormObj_GetObject(form, index)
        kind = pdfium_c.FPDFPageObj_GetType(obj)
        if kind == pdfium_c.FPDF_PAGEOBJ_IMAGE or (
                kind == pdfium_c.FPDF_PAGEOBJ_FORM and level + 1 < _FORM_DEPTH and _form_has_image(obj, level + 1)):
            return True
    return False


def _painted(container: Any, count: Any, get: Any, level: int) -> Iterator[_Painted]:
    """Yield the text and image objects of a page or form in paint order, forms walked into."""
    left, bottom, right, top = ctypes.c_float(), ctypes.c_float(), ctypes.c_float(), ctypes.c_float()
    for index in range(count(container)):
        obj = get(container, index)
        kind = pdfium_c.FPDFPageObj_GetType(obj)
        if kind == pdfium_c.FPDF_PAGEOBJ_FORM and level + 1 < _FORM_DEPTH:
            inner = list(_painted(obj, pdfium_c.FPDFFormObj_CountObjects, pdfium_c.FPDFFormObj_GetObject, level + 1))
            if inner and pdfium_c.FPDFPageObj_GetBounds(obj, left, bottom, right, top):
                # Objects inside a form report their box in the form's space: an image that fills
                # its form covers what the form covers.
                form_box = (left.value, bottom.value, right.value, top.value)
                yield from (replace(p, box=form_box) if p.kind == pdfium_c.FPDF_PAGEOBJ_IMAGE else p for p in inner)
            continue
        if kind not in (pdfium_c.FPDF_PAGEOBJ_TEXT, pdfium_c.FPDF_PAGEOBJ_IMAGE):
            continue
        if not pdfium_c.FPDFPageObj_GetBounds(obj, left, bottom, right, top):
            continue
        mode = pdfium_c.FPDFTextObj_GetTextRenderMode(obj) if kind == pdfium_c.FPDF_PAGEOBJ_TEXT else -1
        yield _Painted(kind, mode, (left.value, bottom.value, right.value, top.value))


def _area(box: tuple[float, float, float, float]) -> float:
    return max(0.0, box[2] - box[0]) * max(0.0, box[3] - box[1])


# --- reading the page ---------------------------------------------------------------------------


def read_page(page: Any, textpage: Any, number: int) -> LayerPage | PageBlocks:
    """Read a searchable page: a `LayerPage` when its layer agrees with its picture, else its OCR reading."""
    import cv2

    from parsers import ocr  # the OCR engine loads only when such a page turns up

    try:
        found = _layer_page(page, textpage, number)
    except (pdfium.PdfiumError, ValueError, MemoryError, cv2.error) as exc:
        found = f"the layer could not be checked: {exc.__class__.__name__}: {exc}"
    if isinstance(found, LayerPage):
        return found
    blocks = ocr.read_pdf_page(page, number) or PageBlocks()
    blocks.warnings.insert(0, f"page {number} is a picture with a text layer that was not used ({found})")
    return blocks


def _layer_page(page: Any, textpage: Any, number: int) -> LayerPage | str:
    """Return the page as its layer and the picture's rules, or why the layer cannot be used."""
    from parsers import raster, ruling

    data = pdfium_page.read_page(page, textpage)
    if data is None:
        return "pdfium cannot place its characters"
    if data.frame is not None and data.frame.turn:
        return "its layer's text runs sideways on the page as shown"  # (the picture is drawn as shown)
    problem = layer_problem(data.chars)
    if problem is not None:
        return problem
    gray = raster.flatten(pdfium_page.drawn(page, DPI / 72, grayscale=True))  # uneven light evened out, as for scans
    # The rules of a turned picture are not straight in page space: the picture is straightened and
    # the layer's characters moved with it (a wrong move puts them on paper, and OCR reads the page).
    angle = raster.skew_angle(gray)
    turned = ""
    if abs(angle) > MAX_SKEW:
        gray = raster.turn(gray, angle)
        data.chars = _turned(data.chars, angle, gray.shape)
        turned = f" (straightened by {angle:+.2f}°)"
    tables = ruling.find_tables(_without_glyphs(gray, data.chars))
    problem = _disagreement(gray, data.chars, tables)
    if problem is not None:
        return problem + turned
    data.edges = _edges(tables, 72 / DPI, data.chars)
    return LayerPage(data, f"page {number} is a picture with a text layer; read from the layer and the rules "
                           f"of the picture{turned}", (angle, gray.shape[1], gray.shape[0]) if turned else None)


def _turned(chars: list[dict[str, Any]], angle: float, shape: tuple[int, ...]) -> list[dict[str, Any]]:
    """Return the characters moved as `raster.turn` moves the picture (each box kept upright)."""
    import cv2

    scale = DPI / 72
    height, width = shape[:2]
    matrix = cv2.getRotationMatrix2D((width / 2, height / 2), -angle, 1.0)
    out = []
    for ch in chars:
        if "x0" not in ch:
            out.append(ch)  # a line break
            continue
        x, y = (ch["x0"] + ch["x1"]) / 2 * scale, (ch["top"] + ch["bottom"]) / 2 * scale
        dx = (matrix[0, 0] * x + matrix[0, 1] * y + matrix[0, 2] - x) / scale
        dy = (matrix[1, 0] * x + matrix[1, 1] * y + matrix[1, 2] - y) / scale
        out.append({**ch, "x0": ch["x0"] + dx, "x1": ch["x1"] + dx, "top": ch["top"] + dy,
                    "bottom": ch["bottom"] + dy, "doctop": ch["top"] + dy})
    return out


def mark_positions(blocks: PageBlocks, note: str, turn: tuple[float, int, int] | None = None) -> PageBlocks:
    """Return the page's blocks with its tables marked as rebuilt ("positions") and the page's note; the
    boxes of a page read straightened (`turn`, LayerPage.turn) are put back where they are printed."""
    for index, block in enumerate(blocks.blocks):
        if isinstance(block, TableBlock):
            cells = tuple(replace(c, box=_unturned(c.box, turn)) for c in block.table.cells)
            blocks.blocks[index] = TableBlock(replace(block.table, method="positions", cells=cells))
        elif turn is not None:
            blocks.blocks[index] = replace(block, box=_unturned(block.box, turn))
    blocks.warnings.append(note)
    return blocks


def _unturned(box: Box | None, turn: tuple[float, int, int] | None) -> Box | None:
    """Return the upright box around `box` turned back by the straightening `turn` (see _turned)."""
    if box is None or turn is None:
        return box
    import cv2

    angle, width, height = turn
    scale = DPI / 72
    matrix = cv2.invertAffineTransform(cv2.getRotationMatrix2D((width / 2, height / 2), -angle, 1.0))
    corners = np.array([[box.x0, box.top], [box.x1, box.top], [box.x0, box.bottom], [box.x1, box.bottom]]) * scale
    back = (corners @ matrix[:, :2].T + matrix[:, 2]) / scale
    return Box(float(back[:, 0].min()), float(back[:, 1].min()), float(back[:, 0].max()), float(back[:, 1].max()))


def layer_problem(chars: Sequence[dict[str, Any]]) -> str | None:
    """Return why a layer's characters are not text (None when they are): private-use, control,
    replacement or mojibake characters, or too little Chinese among the letters of the page."""
    printed = [ch["text"] for ch in chars if ch.get("text", "").strip()]
    if not printed:
        return "the layer is empty"
    problem = garbled(ch["text"] for ch in chars)
    if problem is not None:
        return problem
    cjk = sum(1 for ch in printed if _is_cjk(ch))
    letters = sum(1 for ch in printed if ch.isalpha())
    if letters and cjk < MIN_CJK * letters:
        return f"only {cjk} of {letters} letters are Chinese"
    return None


def garbled(texts: Iterable[str]) -> str | None:
    """Return why a page's characters (`texts`) are not text, when more than `BAD_CHARS` of them are
    private-use, control, replacement or mojibake characters (fonts embedded without a map to Unicode);
    else None."""
    printed = [text for text in texts if text.strip()]
    joined = "".join(printed)
    # Every bad character but U+FFFD and Latin-1 is unprintable: most pages are passed over at once.
    if joined.isprintable() and _LATIN1_OR_REPLACEMENT.search(joined) is None:
        return None
    bad = sum(1 for ch in printed if _is_bad(ch))
    if printed and bad > BAD_CHARS * len(printed):
        return f"{bad} of {len(printed)} characters are private-use, control or mojibake"
    return None


def _is_cjk(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf"


def _is_bad(ch: str) -> bool:
    """Return True for a character no report prints: private use, control, U+FFFD, or a Latin-1
    letter or sign (GBK bytes read as Latin-1 come out as these)."""
    if ch == "\ufffd" or ("\u0080" <= ch <= "\u00ff" and ch not in "·×÷°"):
        return True
    return unicodedata.category(ch) in ("Co", "Cc", "Cs", "Cn")


def _without_glyphs(gray: np.ndarray, chars: Sequence[dict[str, Any]]) -> np.ndarray:
    """Return the picture with every glyph box of the layer turned to paper, so that the strokes of
    characters (the upright of 十 in a tight row) are never taken for rules; the rules between the
    glyphs stay."""
    clean = gray.copy()
    scale = DPI / 72
    m = _ERASE_INSET
    for ch in chars:
        if ch.get("text", "").strip():
            x0, x1 = int(ch["x0"] * scale) + m, int(np.ceil(ch["x1"] * scale)) - m
            top, bottom = int(ch["top"] * scale) + m, int(np.ceil(ch["bottom"] * scale)) - m
            clean[max(top, 0):max(bottom, 0), max(x0, 0):max(x1, 0)] = 255
    return clean


def _disagreement(gray: np.ndarray, chars: Sequence[dict[str, Any]], tables: Sequence[Any]) -> str | None:
    """Return how the layer disagrees with the picture (None when it agrees): glyph boxes on paper,
    or printed text that no glyph box covers."""
    scale = DPI / 72
    ink = gray < INK
    height, width = ink.shape
    covered = np.zeros_like(ink)
    boxes = [ch for ch in chars if ch.get("text", "").strip()]
    on_ink = 0
    for ch in boxes:
        x0, x1 = int(ch["x0"] * scale), int(np.ceil(ch["x1"] * scale))
        top, bottom = int(ch["top"] * scale), int(np.ceil(ch["bottom"] * scale))
        window = ink[max(top, 0):min(bottom, height), max(x0, 0):min(x1, width)]
        if window.size and window.mean() >= GLYPH_INK:
            on_ink += 1
        m = _GLYPH_MARGIN
        covered[max(top - m, 0):min(bottom + m, height), max(x0 - m, 0):min(x1 + m, width)] = True
    if on_ink < ON_INK * len(boxes):
        return f"{len(boxes) - on_ink} of {len(boxes)} glyph boxes lie on blank paper"
    text_ink = ink & ~_rule_mask(ink.shape, tables)
    total = int(text_ink.sum())
    missing = int((text_ink & ~covered).sum())
    if total and missing > UNCOVERED * total:
        return f"{100 * missing / total:.0f} % of the printed text has no character in the layer"
    return None


def _rule_mask(shape: tuple[int, ...], tables: Sequence[Any]) -> np.ndarray:
    """Return the pixels of the rules found on the picture (cell sides, widened a little)."""
    mask = np.zeros(shape, dtype=bool)
    m = _RULE_MARGIN
    for table in tables:
        for cell in table.cells:
            x0, top, x1, bottom = (round(v) for v in cell.box)
            for y in (top, bottom):
                mask[max(y - m, 0):y + m + 1, max(x0 - m, 0):x1 + m + 1] = True
            for x in (x0, x1):
                mask[max(top - m, 0):bottom + m + 1, max(x - m, 0):x + m + 1] = True
    return mask


def _edges(tables: Sequence[Any], points_per_pixel: float, chars: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """Return the sides of every cell found on the picture as ruling edges in points (pdfplumber's shape).

    A side that runs through the middle of a glyph of the layer is a stroke of that character
    (the upright of 十 in a tight row), never a rule: it is left out, so the cells it cut merge.
    """
    glyphs = np.array([(c["x0"], c["top"], c["x1"], c["bottom"]) for c in chars if c.get("text", "").strip()]
                      or np.zeros((0, 4)), dtype=float).reshape(-1, 4)
    edges: list[dict[str, Any]] = []
    for table in tables:
        for cell in table.cells:
            x0, top, x1, bottom = (v * points_per_pixel for v in cell.box)
            edges.extend(_edge("h", x0, x1, y, y) for y in (top, bottom) if not _crosses(glyphs, y, x0, x1, 1, 0))
            edges.extend(_edge("v", x, x, top, bottom) for x in (x0, x1) if not _crosses(glyphs, x, top, bottom, 0, 1))
    return edges


def _crosses(glyphs: np.ndarray, at: float, start: float, end: float, across: int, along: int) -> bool:
    """Return True when the line at `at` (across axis `across`: 0 = x, 1 = y) from `start` to `end`
    passes through the inner part of a glyph box that it runs alongside for most of the glyph's size."""
    low, high = glyphs[:, across], glyphs[:, across + 2]
    inset = _GLYPH_INSET * (high - low)
    inside = (low + inset < at) & (at < high - inset)
    first, last = glyphs[:, along], glyphs[:, along + 2]
    shared = np.minimum(last, end) - np.maximum(first, start)
    return bool(np.any(inside & (shared > 0.5 * (last - first))))


def _edge(orientation: str, x0: float, x1: float, top: float, bottom: float) -> dict[str, Any]:
    return {"object_type": "line_edge", "orientation": orientation, "x0": x0, "x1": x1, "top": top,
            "bottom": bottom, "doctop": top, "width": x1 - x0, "height": bottom - top}
