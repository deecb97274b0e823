"""Page data from pdfium (pypdfium2): characters with boxes, and the ruling edges of a page.

pdfplumber rebuilds every glyph and path of a page in Python, which is most of the time a
parse takes. pdfium does the same work in C. This module returns what the PDF reader needs
in pdfplumber's own shapes (char dicts, edge dicts with top-left coordinates), so that
pdfplumber's table finder and text utilities run unchanged on it. Paths inside form XObjects are
placed with the forms' matrices; a character outside UCS-2 (pdfium gives it two indexes, its UTF-16
halves) is read whole at its first. A page pdfium fails on is refused with None, and the reader
falls back to pdfplumber for it.

A page is read in the frame its text is upright in: the page as shown (its /Rotate and its box
applied), turned by the quarter turns that set its glyphs upright. A landscape page made by turning
portrait content with /Rotate reads as shown; a page whose text runs sideways or upside down as
shown (a table turned to fit, a page rotated the wrong way) reads turned, and `PageData.frame`
carries the boxes it finds back to where they are shown.
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


_Matrix = tuple[float, float, float, float, float, float]  # (a, b, c, d, e, f): x' = ax + cy + e, y' = bx + dy + f
_IDENTITY: _Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
_DIRECTION_SAMPLE = 32  # glyphs whose direction is looked at per page, spread over its text


@dataclass(frozen=True)
class Frame:
    """How a page is read: `matrix` takes pdfium's page space (points, y up) to the reading page (points,
    y up from its bottom left, `width` × `height`); `shown` is the page's size as shown (its /Rotate and
    box applied) and `turn` the quarter turns counter-clockwise of its text as shown (0: upright)."""

    matrix: _Matrix
    width: float
    height: float
    shown: tuple[float, float]
    turn: int = 0

    def shown_box(self, x0: float, top: float, x1: float, bottom: float) -> tuple[float, float, float, float]:
        """Return a box of the reading page (top-left coordinates) where it lies on the page as shown."""
        if self.turn == 0:
            return x0, top, x1, bottom
        # (The page as shown is the reading page turned back: counter-clockwise by its turns.)
        back, size = (4 - self.turn) % 4, (self.width, self.height)
        (ax, ay), (bx, by) = turned_point(back, x0, top, size), turned_point(back, x1, bottom, size)
        return min(ax, bx), min(ay, by), max(ax, bx), max(ay, by)


@dataclass
class PageData:
    """The characters (in text order, line breaks as "\\n" chars) and ruling edges of one page, in the
    frame it is read in (`frame`: None for a page read as its page space is, upright and unturned)."""

    width: float
    height: float
    chars: list[dict[str, Any]]
    edges: list[dict[str, Any]]
    frame: Frame | None = None

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
        textpage = textpage if textpage is not None else page.get_textpage()
        frame = _frame(page, textpage)
        if frame is None:
            width, height = page.get_width(), page.get_height()
        else:
            width, height = frame.width, frame.height
        edges = _edges(objects if objects is not None else page_objects(page), height,
                       frame.matrix if frame is not None else None)
        chars = _chars(textpage, height, frame.matrix if frame is not None else None)
    except pdfium.PdfiumError:
        return None
    if chars is None:
        return None
    return PageData(width, height, chars, edges, frame)


def text_turn(page: Any) -> int:
    """Return the quarter turns counter-clockwise most of a page's glyphs stand at on the page as shown: the
    `Frame.turn` the page is read with (0 for a page without text)."""
    textpage = page.get_textpage()
    try:
        frame = _frame(page, textpage)
    finally:
        textpage.close()
    return frame.turn if frame is not None else 0


def _frame(page: Any, textpage: Any) -> Frame | None:
    """Return the frame a page is read in, None for the page space itself (a page neither turned nor
    offset, its text upright: most pages, read as before any of this was looked at)."""
    plain = page.get_rotation() == 0 and tuple(page.get_mediabox())[:2] == (0.0, 0.0)
    shown = _shown_matrix(page) if not plain else _IDENTITY
    turn = _text_turn(textpage.raw, shown)
    if plain and turn == 0:
        return None
    width, height = page.get_width(), page.get_height()  # (pdfium's: as shown)
    return Frame(_times(_turning(turn, width, height), shown), *((height, width) if turn % 2 else (width, height)),
                 (width, height), turn)


def _shown_matrix(page: Any) -> _Matrix:
    """Return the map from pdfium's page space to the page as shown (y up from its bottom left): the offset
    of the page's box and its /Rotate (clockwise), as pdfium's own page matrix places them."""
    left, bottom, right, top = page.get_bbox()  # (pdfium's box of the page: its crop box inside its media box)
    return [(1.0, 0.0, 0.0, 1.0, -left, -bottom), (0.0, -1.0, 1.0, 0.0, -bottom, right),
            (-1.0, 0.0, 0.0, -1.0, right, top), (0.0, 1.0, -1.0, 0.0, top, -left)][page.get_rotation() // 90 % 4]


def _text_turn(raw: Any, shown: _Matrix) -> int:
    """Return the quarter turns counter-clockwise most of the page's glyphs stand at on the page as shown
    (0 upright, 1 running up, 2 upside down, 3 running down), from a sample spread over its text."""
    count = pdfium_c.FPDFText_CountChars(raw)
    if count <= 0:
        return 0
    matrix = pdfium_c.FS_MATRIX()
    matrix_ref = ctypes.byref(matrix)
    votes = [0, 0, 0, 0]
    a, b, c, d = shown[:4]
    for index in range(0, count, max(1, count // _DIRECTION_SAMPLE)):
        if _IS_GENERATED(raw, index) == 1 or not _CHAR_MATRIX(raw, index, matrix_ref):
            continue
        # The glyph's own x axis on the page as shown.
        dx, dy = a * matrix.a + c * matrix.b, b * matrix.a + d * matrix.b
        if dx == 0.0 and dy == 0.0:
            continue
        votes[round(math.atan2(dy, dx) / (math.pi / 2)) % 4] += 1
    turn = max(range(4), key=votes.__getitem__)
    # Turned only when most of the sample stands turned: a few turned labels leave the page as it is.
    return turn if 2 * votes[turn] > sum(votes) else 0


def _turning(turn: int, width: float, height: float) -> _Matrix:
    """Return the map from the page as shown (`width` × `height`, y up) to the page with its text upright."""
    return [_IDENTITY, (0.0, -1.0, 1.0, 0.0, 0.0, width), (-1.0, 0.0, 0.0, -1.0, width, height),
            (0.0, 1.0, -1.0, 0.0, height, 0.0)][turn]


def turned_point(turn: int, x: float, y: float, size: tuple[float, float]) -> tuple[float, float]:
    """Return where a point (top-left coordinates) of a page or picture of `size` lies once it is turned
    clockwise by `turn` quarter turns."""
    width, height = size
    if turn == 1:
        return height - y, x
    if turn == 2:
        return width - x, height - y
    if turn == 3:
        return y, width - x
    return x, y


def _times(outer: _Matrix, inner: _Matrix) -> _Matrix:
    """Return the map `outer` after `inner`."""
    a, b, c, d, e, f = outer
    p, q, r, s, t, u = inner
    return (a * p + c * q, b * p + d * q, a * r + c * s, b * r + d * s, a * t + c * u + e, b * t + d * u + f)


def _chars(textpage: Any, height: float, frame: _Matrix | None = None) -> list[dict[str, Any]] | None:
    count = textpage.count_chars()
    text = textpage.get_text_range(0, count)
    paired = len(text) != count  # a character outside UCS-2 (𠮷) takes two indexes, its two UTF-16 halves
    if paired:
        text = _by_index(textpage.raw, count)
    glyphs = _glyphs(textpage.raw, text) if frame is None else _framed_glyphs(textpage.raw, text, frame)
    if paired:
        glyphs = [glyph for glyph in glyphs if glyph[1] != _SECOND_HALF]
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
_SECOND_HALF = "\ufffe"  # (a noncharacter: what the second index of a character outside UCS-2 is read as)


def _by_index(raw: Any, count: int) -> str:
    """Return the page's text one character per pdfium index: a character outside UCS-2 at its first index
    (its box is the one pdfium gives there) and `_SECOND_HALF` at its second, which the caller drops."""
    units = [pdfium_c.FPDFText_GetUnicode(raw, index) for index in range(count)]
    out = []
    for index, unit in enumerate(units):
        if 0xD800 <= unit < 0xDC00 and index + 1 < count and 0xDC00 <= units[index + 1] < 0xE000:
            out.append(chr(0x10000 + ((unit - 0xD800) << 10) + (units[index + 1] - 0xDC00)))
        elif 0xDC00 <= unit < 0xE000 and index and 0xD800 <= units[index - 1] < 0xDC00:
            out.append(_SECOND_HALF)
        else:
            out.append(chr(unit) if unit < 0x110000 else "\ufffd")
    return "".join(out)


def _glyphs(raw: Any, text: str) -> list[_Glyph]:
    """Return pdfium's boxes of the page's characters in text order; a line break has index -1, and
    pdfium's own word spaces are left out (spaces are placed from the gaps, as pdfplumber does)."""
    origin_x, origin_y = ctypes.c_double(), ctypes.c_double()
    rect = pdfium_c.FS_RECTF()
    # pdfium's C functions called directly with buffers made once: the helpers build new ones per call.
    loose_box, char_origin, generated = _LOOSE_BOX, _CHAR_ORIGIN, _IS_GENERATED
    rect_ref, x_ref, y_ref = ctypes.byref(rect), ctypes.byref(origin_x), ctypes.byref(origin_y)
    out: list[_Glyph] = []
    # pdfium's loose box runs from the baseline by the font's descent and ascent at the glyph's size, or
    # past one of them where the glyph itself reaches further (公 below the descent, 信 above the ascent):
    # a glyph whose box keeps the bottom or the top of the one before on its line stands on its baseline,
    # and pdfium is asked for the origin only when both change (on 305,000 glyphs of 659 pages of five
    # producers, the baseline so kept was the origin's every time: 102,000 calls instead of 154,000).
    last_bottom = last_top = math.nan
    baseline = 0.0
    for index, ch in enumerate(text):
        if ch == "\r" or ch == "\n":
            out.append((-1, "\n", 0.0, 0.0, 0.0, 0.0))
            last_bottom = last_top = math.nan  # (a line's first glyph is always asked)
            continue
        if ch.isspace() and generated(raw, index) == 1:
            continue
        if not loose_box(raw, index, rect_ref):
            raise pdfium.PdfiumError("Failed to get charbox.")
        bottom, top = rect.bottom, rect.top
        if bottom != last_bottom and top != last_top:
            char_origin(raw, index, x_ref, y_ref)
            baseline = origin_y.value
        last_bottom, last_top = bottom, top
        out.append((index, ch, rect.left, rect.right, top - bottom, baseline))
    return out


def _framed_glyphs(raw: Any, text: str, frame: _Matrix) -> list[_Glyph]:
    """Return `_glyphs` of a page read in a frame (`Frame.matrix`): each box and baseline where it lies on
    the reading page (the frame is a quarter turn, so a box stays a box), in reading order.

    pdfium orders and breaks the text of a turned page in its page space, where turned text breaks at
    every few glyphs and a line's first glyph can stand lines away from it: the glyphs are ordered here
    instead, as pdfplumber orders a page's characters, in lines by baseline from the top, each line left
    to right.
    """
    a, b, c, d, e, f = frame
    origin_x, origin_y = ctypes.c_double(), ctypes.c_double()
    rect = pdfium_c.FS_RECTF()
    rect_ref, x_ref, y_ref = ctypes.byref(rect), ctypes.byref(origin_x), ctypes.byref(origin_y)
    placed: list[_Glyph] = []
    for index, ch in enumerate(text):
        if ch == "\r" or ch == "\n" or (ch.isspace() and _IS_GENERATED(raw, index) == 1):
            continue
        if not _LOOSE_BOX(raw, index, rect_ref):
            raise pdfium.PdfiumError("Failed to get charbox.")
        _CHAR_ORIGIN(raw, index, x_ref, y_ref)
        x0, x1 = a * rect.left + c * rect.bottom + e, a * rect.right + c * rect.top + e
        y0, y1 = b * rect.left + d * rect.bottom + f, b * rect.right + d * rect.top + f
        placed.append((index, ch, min(x0, x1), max(x0, x1), abs(y1 - y0), b * origin_x.value + d * origin_y.value + f))
    lines: list[list[_Glyph]] = []
    for glyph in sorted(placed, key=lambda g: -g[5]):  # (y up: the top line has the highest baseline)
        if lines and lines[-1][0][5] - glyph[5] <= 0.5 * max(glyph[4], lines[-1][0][4]):
            lines[-1].append(glyph)
        else:
            lines.append([glyph])
    out: list[_Glyph] = []
    for line in lines:
        if out:
            out.append((-1, "\n", 0.0, 0.0, 0.0, 0.0))
        out.extend(sorted(line, key=lambda g: g[2]))
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


def _edges(objects: PageObjects, height: float, frame: _Matrix | None = None) -> list[dict[str, Any]]:
    """Return the ruling edges of the page's paths and of the paths its form XObjects draw; placed on the
    reading page of `frame` (`Frame.matrix`) when one is given.

    The page's objects are walked with pdfium's own calls: pypdfium2's iterator wraps every
    object (thousands of text objects) in a Python helper, most of the time this step took.
    """
    edges: list[dict[str, Any]] = []
    fill, stroke = ctypes.c_int(), ctypes.c_int()
    left, bottom, right, top = ctypes.c_float(), ctypes.c_float(), ctypes.c_float(), ctypes.c_float()
    modes = ctypes.byref(fill), ctypes.byref(stroke)
    bounds = ctypes.byref(left), ctypes.byref(bottom), ctypes.byref(right), ctypes.byref(top)
    segments = _Segments(height)  # (buffers made once per page: a page of ruled tables has hundreds of paths)
    # Each path with the map from the space it is drawn in to the reading page (None: page space is that).
    drawn: list[tuple[Any, _Matrix | None]] = [(obj, frame) for obj in objects.paths]
    for form in objects.forms:
        _form_paths(form, 0, frame or _IDENTITY, drawn)
    for obj, outer in drawn:
        _DRAW_MODE(obj, *modes)
        if not _BOUNDS(obj, *bounds):
            raise pdfium.PdfiumError("Failed to get bounds.")
        width, tall = right.value - left.value, top.value - bottom.value
        if outer is not None:  # (a form's own scale makes its rules thinner or thicker on the page)
            a, b, c, d = outer[:4]
            width, tall = abs(a * width) + abs(c * tall), abs(b * width) + abs(d * tall)
        if not (stroke.value or min(width, tall) <= RULE_THICKNESS):
            continue  # a filled background box, not a rule
        segments.edges(obj, edges, outer)
    return edges


def _form_paths(form: Any, level: int, outer: _Matrix, out: list[tuple[Any, _Matrix | None]]) -> None:
    """Append each path a form XObject (at nesting `level`) draws, with the map from its space to the reading
    page (`outer` maps the space the form is drawn in), nested forms walked into as deep as `_FORM_DEPTH`."""
    if level + 1 >= _FORM_DEPTH:
        return  # its objects lie deeper than the search goes
    matrix = pdfium_c.FS_MATRIX()
    if not _OBJECT_MATRIX(form, ctypes.byref(matrix)):
        raise pdfium.PdfiumError("Failed to get a form's matrix.")
    inner = _times(outer, (matrix.a, matrix.b, matrix.c, matrix.d, matrix.e, matrix.f))
    for index in range(pdfium_c.FPDFFormObj_CountObjects(form)):
        obj = pdfium_c.FPDFFormObj_GetObject(form, index)
        kind = pdfium_c.FPDFPageObj_GetType(obj)
        if kind == pdfium_c.FPDF_PAGEOBJ_PATH:
            out.append((obj, inner))
        elif kind == pdfium_c.FPDF_PAGEOBJ_FORM:
            _form_paths(obj, level + 1, inner, out)


class _Segments:
    """The straight segments of a page's paths, read with pdfium's calls into buffers made once."""

    def __init__(self, height: float) -> None:
        self.height = height
        self.matrix = pdfium_c.FS_MATRIX()
        self.matrix_ref = ctypes.byref(self.matrix)
        self.x, self.y = ctypes.c_float(), ctypes.c_float()
        self.point_refs = ctypes.byref(self.x), ctypes.byref(self.y)

    def edges(self, obj: Any, out: list[dict[str, Any]], outer: _Matrix | None = None) -> None:
        """Append the horizontal and vertical straight segments of a path to `out`, in the reading page's
        coordinates; `outer` maps the space the path is drawn in (a form XObject's, a turned page's) to the
        reading page (None: page space is that)."""
        matrix, x, y, x_ref, y_ref, height = self.matrix, self.x, self.y, *self.point_refs, self.height
        _OBJECT_MATRIX(obj, self.matrix_ref)
        a, b, c, d, e, f = matrix.a, matrix.b, matrix.c, matrix.d, matrix.e, matrix.f
        if outer is not None:
            a, b, c, d, e, f = _times(outer, (a, b, c, d, e, f))
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
