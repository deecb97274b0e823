"""Page data from pdfium (pypdfium2): characters with boxes, and the ruling edges of a page.

pdfplumber rebuilds every glyph and path of a page in Python, which is most of the time a
parse takes. pdfium does the same work in C. This module returns what the PDF reader needs
in pdfplumber's own shapes (char dicts, edge dicts with top-left coordinates), so that
pdfplumber's table finder and text utilities run unchanged on it. Pages it cannot describe
faithfully (rotated, offset media box, paths inside form XObjects, characters outside UCS-2)
are refused with None, and the reader falls back to pdfplumber for them.
"""

from __future__ import annotations

import ctypes
import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from parsers.overprint import TOLERANCE, Overprints

_DESCENT = 0.12  # share of the font size below the baseline
_MAX_ADVANCE = 1.1  # ems
RULE_THICKNESS = 2.0  # points: a filled shape this thin is a drawn line, not a background box
# Grid squares for the faux-bold look-out, a little wider than its tolerance (no rounding can put two
# glyphs within the tolerance two squares apart).
_OVERPRINT_SQUARE = 1.001 * TOLERANCE
_FORM_DEPTH = 3  # levels of nested form XObjects searched for paths (the page itself is level 0)


@dataclass
class PageData:
    """The characters (in text order, line breaks as "\\n" chars) and ruling edges of one page."""

    width: float
    height: float
    chars: list[dict[str, Any]]
    edges: list[dict[str, Any]]

    @property
    def bbox(self) -> tuple[float, float, float, float]:
        return (0.0, 0.0, self.width, self.height)


@dataclass
class PageObjects:
    """The handles of a page's own objects (not those inside forms) by kind, in paint order, from one walk
    of the page: valid while the page is open."""

    paths: list[Any]
    images: list[Any]
    forms: list[Any]


def _bare(function: Any) -> Any:
    """Return pdfium's C `function` without its declared argument types (its result type kept).

    ctypes checks and converts every argument against the declared types, about two thirds of the
    cost of a call; the per-character and per-object calls below pass exactly those types already
    (pdfium's own pointers, a Python int for an index, pointers to buffers of the declared types).
    """
    bare = type(function)(ctypes.cast(function, ctypes.c_void_p).value)
    bare.restype = function.restype
    return bare


_LOOSE_BOX = _bare(pdfium_c.FPDFText_GetLooseCharBox)
_CHAR_ORIGIN = _bare(pdfium_c.FPDFText_GetCharOrigin)
_IS_GENERATED = _bare(pdfium_c.FPDFText_IsGenerated)
_CHAR_MATRIX = _bare(pdfium_c.FPDFText_GetMatrix)
_FONT_SIZE = _bare(pdfium_c.FPDFText_GetFontSize)
_GET_OBJECT = _bare(pdfium_c.FPDFPage_GetObject)
_OBJECT_TYPE = _bare(pdfium_c.FPDFPageObj_GetType)
_DRAW_MODE = _bare(pdfium_c.FPDFPath_GetDrawMode)
_BOUNDS = _bare(pdfium_c.FPDFPageObj_GetBounds)
_OBJECT_MATRIX = _bare(pdfium_c.FPDFPageObj_GetMatrix)
_COUNT_SEGMENTS = _bare(pdfium_c.FPDFPath_CountSegments)
_SEGMENT = _bare(pdfium_c.FPDFPath_GetPathSegment)
_SEGMENT_POINT = _bare(pdfium_c.FPDFPathSegment_GetPoint)
_SEGMENT_TYPE = _bare(pdfium_c.FPDFPathSegment_GetType)
_SEGMENT_CLOSES = _bare(pdfium_c.FPDFPathSegment_GetClose)
_MOVETO, _LINETO = pdfium_c.FPDF_SEGMENT_MOVETO, pdfium_c.FPDF_SEGMENT_LINETO


def page_objects(page: Any) -> PageObjects:
    """Return the page's objects by kind: what the readers of paths, pictures and scans look at, listed once."""
    found = PageObjects([], [], [])
    by_kind = {pdfium_c.FPDF_PAGEOBJ_PATH: found.paths, pdfium_c.FPDF_PAGEOBJ_IMAGE: found.images,
               pdfium_c.FPDF_PAGEOBJ_FORM: found.forms}
    raw, get, kind_of = page.raw, _GET_OBJECT, _OBJECT_TYPE
    for index in range(pdfium_c.FPDFPage_CountObjects(raw)):
        obj = get(raw, index)
        bucket = by_kind.get(kind_of(obj))
        if bucket is not None:
            bucket.append(obj)
    return found


def read_page(page: Any, textpage: Any = None, objects: PageObjects | None = None) -> PageData | None:
    """Return the characters and edges of a pdfium page, or None when pdfplumber must read it.

    `textpage` is the page's text page and `objects` its objects when the caller has already loaded them.
    """
    try:
        if page.get_rotation() != 0 or tuple(page.get_mediabox())[:2] != (0.0, 0.0):
            return None
        width, height = page.get_width(), page.get_height()
        edges = _edges(objects if objects is not None else page_objects(page), height)
        if edges is None:
            return None
        chars = _chars(textpage if textpage is not None else page.get_textpage(), height)
    except pdfium.PdfiumError:
        return None
    if chars is None:
        return None
    return PageData(width, height, chars, edges)


def _chars(textpage: Any, height: float) -> list[dict[str, Any]] | None:
    count = textpage.count_chars()
    text = textpage.get_text_range(0, count)
    if len(text) != count:  # a character outside UCS-2 shifts the indexes
        return None
    glyphs = _glyphs(textpage.raw, text)
    # Faux bold (the same glyph drawn twice at one place) is rare: the glyphs are looked at all at
    # once first, and only a page where two of them stand that close is walked glyph by glyph.
    repeat = Overprints().repeat if _may_overprint(glyphs) else None
    chars: list[dict[str, Any]] = []
    raw = textpage.raw
    matrix = pdfium_c.FS_MATRIX()
    char_matrix, font_size, matrix_ref = _CHAR_MATRIX, _FONT_SIZE, ctypes.byref(matrix)
    hypot = math.hypot
    last_height, size = None, 1.0
    for index, ch, left, right_edge, box_height, baseline in glyphs:
        if index < 0:
            if not chars or chars[-1]["text"] != "\n":
                chars.append({"text": "\n"})
            continue
        if repeat is not None and not ch.isspace() and repeat(ch, left, baseline):
            continue  # faux bold: the same glyph drawn twice at one place
        # The size in points is the font size scaled by the text matrix; the vertical extent comes
        # from the baseline and that size, the same for every glyph of a line whatever its font
        # (the font boxes of CJK and Latin fonts differ and would split one line in two). The
        # font's box scales with that size, so a glyph whose box is exactly as tall as the last
        # one's has its size: two calls saved on most characters.
        if box_height != last_height:
            char_matrix(raw, index, matrix_ref)
            size = font_size(raw, index) * hypot(matrix.c, matrix.d) or 1.0
            last_height = box_height
        bottom = height - baseline + size * _DESCENT
        top = bottom - size
        # No glyph advances much more than one em; pdfium's box for a glyph that ends a text
        # object can run to the object's end (seen on vertical labels) and land in another cell.
        cap = left + size * _MAX_ADVANCE
        right = cap if cap < right_edge else right_edge  # min(), without its call on every glyph
        chars.append({
            "text": ch, "x0": left, "x1": right, "top": top, "bottom": bottom, "doctop": top, "upright": True,
            "size": size, "width": right - left, "height": size,
        })
    return chars


_Glyph = tuple[int, str, float, float, float, float]  # index, text, left, right, box height, baseline


def _glyphs(raw: Any, text: str) -> list[_Glyph]:
    """Return pdfium's boxes of the page's characters in text order; a line break has index -1, and
    pdfium's own word spaces are left out (spaces are placed from the gaps, as pdfplumber does)."""
    origin_x, origin_y = ctypes.c_double(), ctypes.c_double()
    rect = pdfium_c.FS_RECTF()
    # pdfium's C functions called directly with buffers made once: the helpers build new ones per call.
    loose_box, char_origin, generated = _LOOSE_BOX, _CHAR_ORIGIN, _IS_GENERATED
    rect_ref, x_ref, y_ref = ctypes.byref(rect), ctypes.byref(origin_x), ctypes.byref(origin_y)
    out: list[_Glyph] = []
    for index, ch in enumerate(text):
        if ch == "\r" or ch == "\n":
            out.append((-1, "\n", 0.0, 0.0, 0.0, 0.0))
            continue
        if ch.isspace() and generated(raw, index) == 1:
            continue
        if not loose_box(raw, index, rect_ref):
            raise pdfium.PdfiumError("Failed to get charbox.")
        char_origin(raw, index, x_ref, y_ref)
        out.append((index, ch, rect.left, rect.right, rect.top - rect.bottom, origin_y.value))
    return out


def _may_overprint(glyphs: list[_Glyph]) -> bool:
    """Return True when two printed glyphs of one character may lie within the faux-bold tolerance of each
    other in both directions (only then can `Overprints.repeat` find a repeat); never False when they do."""
    if len(glyphs) < 2:
        return False
    # The glyphs' columns taken apart at once (each glyph's text is one character), the printed ones kept.
    indexes, texts, lefts, _, _, baselines = zip(*glyphs, strict=True)
    codes = np.frombuffer("".join(texts).encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    total = len(glyphs)
    printed = np.fromiter(indexes, np.int64, total) >= 0
    for space in {ch for ch in texts if ch.isspace()}:  # (a few kinds: np.isin's sort would cost more)
        printed &= codes != ord(space)
    count = int(printed.sum())
    if count < 2:
        return False
    codes = codes[printed].astype(np.int64)
    xs, ys = np.fromiter(lefts, np.float64, total)[printed], np.fromiter(baselines, np.float64, total)[printed]
    # Each glyph in a grid square a little wider than the tolerance (of its character): two glyphs within
    # the tolerance lie in one square or in neighbouring ones. Numbered from 1, so that a neighbour of
    # the first square is a number too.
    gx, gy = np.floor(xs / _OVERPRINT_SQUARE).astype(np.int64), np.floor(ys / _OVERPRINT_SQUARE).astype(np.int64)
    gx, gy = gx - gx.min() + 1, gy - gy.min() + 1
    width, height = int(gx.max()) + 2, int(gy.max()) + 2
    if int(codes.max()) * width * height >= 2 ** 62:
        return True  # coordinates too far apart to number the squares: the glyph by glyph walk decides
    keys = (codes * height + gy) * width + gx
    order = np.argsort(keys, kind="stable")
    keys, xs, ys = keys[order], xs[order], ys[order]
    if bool((keys[1:] == keys[:-1]).any()):
        return True  # two in one square: within the tolerance, or nearly
    # One glyph per square now: the neighbour of each glyph right, below left, below and below right
    # (the other four neighbours are those of the other glyph of the pair).
    for step in (1, width - 1, width, width + 1):
        at = np.minimum(np.searchsorted(keys, keys + step), count - 1)
        if bool(((keys[at] == keys + step) & (np.abs(xs[at] - xs) <= TOLERANCE)
                 & (np.abs(ys[at] - ys) <= TOLERANCE)).any()):
            return True
    return False


def _edges(objects: PageObjects, height: float) -> list[dict[str, Any]] | None:
    """Return the ruling edges of the page's paths, or None when a form XObject holds paths.

    The page's objects are walked with pdfium's own calls: pypdfium2's iterator wraps every
    object (thousands of text objects) in a Python helper, most of the time this step took.
    """
    if any(_form_has_path(form, 0) for form in objects.forms):
        return None  # coordinates inside a form XObject need its matrix: leave to pdfplumber
    edges: list[dict[str, Any]] = []
    fill, stroke = ctypes.c_int(), ctypes.c_int()
    left, bottom, right, top = ctypes.c_float(), ctypes.c_float(), ctypes.c_float(), ctypes.c_float()
    modes = ctypes.byref(fill), ctypes.byref(stroke)
    bounds = ctypes.byref(left), ctypes.byref(bottom), ctypes.byref(right), ctypes.byref(top)
    segments = _Segments(height)  # (its buffers made once for the page: a page of ruled tables has hundreds of paths)
    for obj in objects.paths:
        _DRAW_MODE(obj, *modes)
        if not _BOUNDS(obj, *bounds):
            raise pdfium.PdfiumError("Failed to get bounds.")
        thin = min(right.value - left.value, top.value - bottom.value) <= RULE_THICKNESS
        if not (stroke.value or thin):
            continue  # a filled background box, not a rule
        segments.edges(obj, edges)
    return edges


def _form_has_path(form: Any, level: int) -> bool:
    """Return True when a form XObject (at nesting `level`) draws a path in the levels searched."""
    if level + 1 >= _FORM_DEPTH:
        return False  # its objects lie deeper than the search goes
    for index in range(pdfium_c.FPDFFormObj_CountObjects(form)):
        obj = pdfium_c.FPDFFormObj_GetObject(form, index)
        kind = pdfium_c.FPDFPageObj_GetType(obj)
        if kind == pdfium_c.FPDF_PAGEOBJ_PATH:
            return True
        if kind == pdfium_c.FPDF_PAGEOBJ_FORM and _form_has_path(obj, level + 1):
            return True
    return False


class _Segments:
    """The straight segments of a page's paths, read with pdfium's calls into buffers made once."""

    def __init__(self, height: float) -> None:
        self.height = height
        self.matrix = pdfium_c.FS_MATRIX()
        self.matrix_ref = ctypes.byref(self.matrix)
        self.x, self.y = ctypes.c_float(), ctypes.c_float()
        self.point_refs = ctypes.byref(self.x), ctypes.byref(self.y)

    def edges(self, obj: Any, out: list[dict[str, Any]]) -> None:
        """Append the horizontal and vertical straight segments of a path to `out`, in page coordinates."""
        matrix, x, y, x_ref, y_ref, height = self.matrix, self.x, self.y, *self.point_refs, self.height
        _OBJECT_MATRIX(obj, self.matrix_ref)
        a, b, c, d, e, f = matrix.a, matrix.b, matrix.c, matrix.d, matrix.e, matrix.f
        get_segment, get_point, get_type, closes = _SEGMENT, _SEGMENT_POINT, _SEGMENT_TYPE, _SEGMENT_CLOSES
        start = prev = None
        for i in range(_COUNT_SEGMENTS(obj)):
            segment = get_segment(obj, i)
            get_point(segment, x_ref, y_ref)
            px, py = x.value, y.value
            point = (a * px + c * py + e, b * px + d * py + f)
            kind = get_type(segment)
            if kind == _MOVETO:
                start = prev = point
                continue
            if kind == _LINETO and prev is not None:
                edge = _edge(prev, point, height)
                if edge is not None:
                    out.append(edge)
            prev = point
            if closes(segment) and start is not None:
                edge = _edge(point, start, height)
                if edge is not None:
                    out.append(edge)
                prev = start


def _edge(p0: tuple[float, float], p1: tuple[float, float], height: float) -> dict[str, Any] | None:
    """Return the edge dict of a horizontal or vertical segment, None for a diagonal (never a table rule)."""
    # (Each pair ordered by one comparison, as sorted() orders two values.)
    x0, x1 = (p0[0], p1[0]) if p1[0] >= p0[0] else (p1[0], p0[0])
    top, bottom = height - p0[1], height - p1[1]
    if bottom < top:
        top, bottom = bottom, top
    if abs(top - bottom) < 0.01:
        orientation = "h"
        top = bottom = (top + bottom) / 2
    elif abs(x1 - x0) < 0.01:
        orientation = "v"
        x0 = x1 = (x0 + x1) / 2
    else:
        return None
    return {"object_type": "line_edge", "orientation": orientation, "x0": x0, "x1": x1, "top": top,
            "bottom": bottom, "doctop": top, "width": x1 - x0, "height": bottom - top}


def drawn(page: Any, scale: float, grayscale: bool = False) -> np.ndarray:
    """Return the page drawn at `scale` (pixels per point) as a uint8 array of its own: RGB, or gray
    with `grayscale`; white under any transparency.

    Copied once, straight from pdfium's buffer: through a PIL image, three copies took most of the
    time a 300-dpi page took to draw (140 against 37 ms). The bitmap is freed before this returns.
    """
    bitmap = page.render(scale=scale, grayscale=grayscale, rev_byteorder=True)
    try:
        pixels = bitmap.to_numpy()
        return np.array(pixels[:, :, :3] if pixels.ndim == 3 else pixels)
    finally:
        bitmap.close()
