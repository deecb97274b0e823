"""The print inside the cells of a ruled table on a page picture, and the pictures the recognizer reads of it.

A statistics table's rules are found before anything is read (parsers.ruling), so its cells need
no text detector: the print of a cell is what is clearly darker than its paper (half way from its
darkest ink to white; fainter ink right beside a figure, such as a thin minus sign, goes with it),
its lines are the bands of rows that hold print, and a line is cut where its print leaves a gap of
one and a half times its height (two figures of a merged cell whose rule a copy lost; words set
apart). Each piece is pictured with the cell's own paper around it (a comma's faint tail stays),
up to the rules and half way to the print next to it: about a third of a line's height above and
below. The recognizer reads lone figures several to a line (parsers.ocr_engine.read_packed), and
wider pieces (labels) as lines of words, the quick recognizer first (parsers.ocr_engine). A
cell whose print makes no lines (a blot, type taller than a line) is left to the caller.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import cv2
import numpy as np

from parsers import ocr_engine, raster

__all__ = ["Piece", "crop", "inside", "pieces", "print_in", "read"]

INSET = 4  # pixels inside a cell's rules where its print starts (rules are up to 3 pixels wide)
_NEAR_RULE = 2  # pixels nearer the rules than INSET that a line's picture may show
PAD = 6  # pixels of paper left and right of a piece given to the recognizer
MIN_PRINT = 12  # ink pixels that make print in a cell (a "1" at 150 dpi has about 30)
MIN_TYPE, MAX_LINE = 8, 40  # pixels: the height of one line of type at WORK_DPI (10.5 pt is about 20)
TYPE_HEIGHT = 20  # pixels: a line of 10.5 pt type at WORK_DPI, as the recognizer is given one
STROKE_RATIO = 3  # a lone stroke this many times wider than high is a dash, not a dot of dust
_FAINT_REACH = 0.6  # of a line's height: how wide fainter ink beside a piece may be and still join it (a minus)
_FAINT_GAP = 4  # pixels of paper at most between a piece and fainter ink that joins it
_FAINT_LEVEL = 232  # gray level (flattened paper) below which a pixel stands out of the paper at all
_SIGN_WIDTH, _SIGN_THICKNESS, _SIGN_OFFSET = 0.25, 0.35, 0.2  # of a line's height: a minus sign's shape and place
DOUBT = 0.5  # the confidence of a figure a faint minus sign may stand before (below pipeline.checks.ocr's flag)
RULE_SPAN = 0.85  # share of a picture's width (height) a row (column) of ink spans when it is a rule
WORD_GAP = 1.5  # a gap in a line's print wider than this many line heights parts it into pieces (Chinese type
# leaves up to about one: "上" and "一" are set apart by their strokes)


@dataclass(frozen=True, slots=True)
class Piece:
    """One line (or part of a line) of print in a cell: its bounds in page pixels and the gray level
    below which a pixel is its print."""

    x0: int
    top: int
    x1: int
    bottom: int
    level: float
    limit: tuple[int, int, int, int]  # x0, top, x1, bottom of the part of the cell its picture may show

    @property
    def height(self) -> int:
        return self.bottom - self.top


@dataclass(frozen=True, slots=True)
class _Print:
    """The print of a cell: its mask over the cell's inside, where that inside starts, and its level."""

    ink: np.ndarray
    faint: np.ndarray  # all ink of the cell, its print's lighter neighbours with it
    left: int
    upper: int
    level: float


def _print(page: np.ndarray, box: tuple[float, float, float, float]) -> _Print | None:
    """Return the print inside a cell's rules, or None for a blank cell or dust.

    What a suppressed stamp leaves (light gray strokes) or JPEG's halo around a figure is lighter
    than half way from the darkest ink to white wherever the cell holds print, so it neither widens
    the print nor reads as a glyph.
    """
    inner, left, upper = inside(page, box)
    if inner.size <= MIN_PRINT:
        return None
    ink = raster.without_dust(raster.ink_mask(inner))  # dust is not print
    if ink.sum() < MIN_PRINT:
        return None
    darkest = float(np.partition(inner[ink], MIN_PRINT - 1)[MIN_PRINT - 1])
    level = (darkest + 255) / 2
    faint = ink
    ink = raster.without_dust(faint & (inner < level))
    if not ink.any():
        return None
    return _Print(ink, faint, left, upper, level)


def inside(page: np.ndarray, box: tuple[float, float, float, float]) -> tuple[np.ndarray, int, int]:
    """Return the picture inside a cell's rules (INSET pixels in from its box) and where it starts (left, top)."""
    x0, top, x1, bottom = (round(v) for v in box)
    return page[top + INSET : bottom - INSET + 1, x0 + INSET : x1 - INSET + 1], x0 + INSET, top + INSET


def _is_stroke(height: int, width: int) -> bool:
    """Return True for a lone flat stroke (a dash): far wider than high and not a speck."""
    return height < MIN_TYPE and width >= MIN_TYPE and width >= STROKE_RATIO * height


def _joined_rows(runs: list[list[int]]) -> list[list[int]]:
    """Return the row runs with each one lower than a line of type joined to the nearer of its
    neighbours (the one across less paper) while together they are no taller than a line."""
    while True:
        best: tuple[int, int, int] | None = None  # (gap, index of the upper run, index of the lower run)
        for index, (start, end) in enumerate(runs):
            if end - start >= MIN_TYPE:
                continue
            for other in (index - 1, index + 1):
                if 0 <= other < len(runs):
                    upper, lower = sorted((index, other))
                    if runs[lower][1] - runs[upper][0] <= MAX_LINE:
                        gap = runs[lower][0] - runs[upper][1]
                        best = min(best, (gap, upper, lower)) if best else (gap, upper, lower)
        if best is None:
            return runs
        _, upper, lower = best
        runs[upper:lower + 1] = [[runs[upper][0], runs[lower][1]]]


def _line_rows(ink: np.ndarray) -> list[tuple[int, int]] | None:
    """Return the row ranges of the lines of print in a cell, or None when its print makes no lines.

    A band of rows lower than a line of type is part of the line next to it (the two strokes of
    "二", the top stroke of "构" set apart on a coarse scan) when together they are no taller than a
    line; a lone flat stroke is a line (a dash).
    """
    merged = _joined_rows([list(run) for run in raster.runs(np.asarray(ink.any(axis=1)))])
    lines = []
    for start, end in merged:
        columns = np.nonzero(ink[start:end].any(axis=0))[0]
        height, width = end - start, int(columns[-1] - columns[0] + 1)
        if height > MAX_LINE:
            return None
        if height >= MIN_TYPE or _is_stroke(height, width):
            lines.append((start, end))
    return lines


def pieces(page: np.ndarray, box: tuple[float, float, float, float]) -> list[Piece] | None:
    """Return the pieces of print in a cell, top to bottom and left to right: [] for a blank cell,
    None when its print makes no lines of type (a blot, large type)."""
    found = _print(page, box)
    if found is None:
        return []
    lines = _line_rows(found.ink)
    if lines is None:
        return None
    out = []
    for index, (start, end) in enumerate(lines):
        # A piece's picture may show the cell's paper half way to the print next to it, no further.
        # The first and last lines may show paper nearer the rules than print is looked for: the tail of
        # a comma, a descender set close against a rule.
        upper = (lines[index - 1][1] + start) // 2 if index else -_NEAR_RULE
        lower = (end + lines[index + 1][0]) // 2 if index + 1 < len(lines) else found.ink.shape[0] + _NEAR_RULE
        out.extend(_line_pieces(found, start, end, upper, lower))
    return out


def _line_pieces(found: _Print, start: int, end: int, upper: int, lower: int) -> list[Piece]:
    """Return the pieces of one line of print (rows start to end of the cell's print; its picture may
    show rows upper to lower)."""
    row = found.ink[start:end]
    parts = raster.joined(raster.runs(np.asarray(row.any(axis=0))), max(round(WORD_GAP * (end - start)), MIN_TYPE))
    faint = np.asarray(found.faint[start:end].any(axis=0))
    out = []
    for index, (left, right) in enumerate(parts):
        rows = np.nonzero(row[:, left:right].any(axis=1))[0]
        height = int(rows[-1] - rows[0] + 1)
        # A speck set apart on a line of print is dust, or a rule's stub: no glyph is that small.
        if height < MIN_TYPE and not _is_stroke(height, right - left):
            continue
        left, right = _with_faint_edges(faint, left, right, end - start)
        first = (parts[index - 1][1] + left) // 2 if index else 0
        last = (right + parts[index + 1][0]) // 2 if index + 1 < len(parts) else found.ink.shape[1]
        out.append(_piece(found, (left, start + int(rows[0]), right, start + int(rows[-1]) + 1),
                          (first, upper, last, lower)))
    return out


def _with_faint_edges(columns: np.ndarray, left: int, right: int, height: int) -> tuple[int, int]:
    """Return a piece's range (columns, or rows) widened by fainter ink right beside it, within `height`
    times _FAINT_REACH: a thin minus sign is lighter than the figure it stands before, and the tail of
    a comma than its head; both are part of the number."""
    reach = round(_FAINT_REACH * height)
    for start, end in raster.runs(columns):
        if left - reach <= start < left and left - end <= _FAINT_GAP:
            left = start
        if right < end <= right + reach and start - right <= _FAINT_GAP:
            right = end
    return left, right


def _piece(found: _Print, bounds: tuple[int, int, int, int], limit: tuple[int, int, int, int]) -> Piece:
    """Return a piece from bounds inside the cell's print mask, widened by the print's gray edge, and
    the part of the cell its picture may show."""
    left, top, right, bottom = bounds
    height, width = found.ink.shape
    x, y = found.left, found.upper
    return Piece(x + max(left - 1, 0), y + max(top - 1, 0), x + min(right + 1, width), y + min(bottom + 1, height),
                 found.level, (x + limit[0], y + limit[1], x + limit[2], y + limit[3]))


def print_in(page: np.ndarray, box: tuple[float, float, float, float]) -> Piece | None:
    """Return the print of a cell when it is one line of type or a lone horizontal stroke (a dash),
    in one piece; None for a blank cell, dust, or several lines."""
    found = _print(page, box)
    if found is None:
        return None
    rows, columns = np.nonzero(found.ink.any(axis=1))[0], np.nonzero(found.ink.any(axis=0))[0]
    height, width = int(rows[-1] - rows[0] + 1), int(columns[-1] - columns[0] + 1)
    if not _is_stroke(height, width) and (height < MIN_TYPE or height > MAX_LINE):
        return None
    inside = (0, -_NEAR_RULE, found.ink.shape[1], found.ink.shape[0] + _NEAR_RULE)
    return _piece(found, (int(columns[0]), int(rows[0]), int(columns[-1]) + 1, int(rows[-1]) + 1), inside)


def crop(page: np.ndarray, piece: Piece, clean: bool = False) -> np.ndarray:
    """Return the picture of a piece with paper around it: the cell's own (a comma's faint tail stays)
    up to the rules and half way to the next print, blank paper beyond; `clean`: what is lighter than
    its print turned to paper.

    A lone stroke (a dash) gets paper up to a line of type's height: the recognizer reads a line,
    and a sliver one pixel high is no line to it.
    """
    air = max(PAD, (TYPE_HEIGHT - piece.height) // 2)
    x0, top = max(piece.x0 - PAD, piece.limit[0]), max(piece.top - air, piece.limit[1])
    x1, bottom = min(piece.x1 + PAD, piece.limit[2]), min(piece.bottom + air, piece.limit[3])
    picture = page[max(top, 0) : bottom, max(x0, 0) : x1].copy()
    # A rule the picture reaches into (a thick or blurred one) is paper to the recognizer.
    ink = picture < raster.DARK
    picture[ink.mean(axis=1) >= RULE_SPAN] = 255
    picture[:, ink.mean(axis=0) >= RULE_SPAN] = 255
    if clean:
        picture = np.where(picture < piece.level, picture, 255).astype(np.uint8)
    return cv2.copyMakeBorder(picture, max(top, 0) - (piece.top - air), piece.bottom + air - bottom,
                              max(x0, 0) - (piece.x0 - PAD), piece.x1 + PAD - x1, cv2.BORDER_CONSTANT, value=255)


def read(page: np.ndarray, found: Sequence[Piece], clean: bool = False) -> list[ocr_engine.TextBox | None]:
    """Return what the recognizer reads in each piece (in one batch), None where it reads nothing."""
    pictures = [crop(page, piece, clean) for piece in found]
    # A dash is read alone: set among figures, the recognizer reads the lone stroke as nothing.
    strokes = [i for i, piece in enumerate(found) if piece.height < MIN_TYPE + 2]
    rest = [i for i, piece in enumerate(found) if piece.height >= MIN_TYPE + 2]
    readings: list[tuple[str, float]] = [("", 0.0)] * len(found)
    # The other pieces too wide to pack are labels mostly, read as lines of words (a long figure among them
    # is read by the exact recognizer all the same); a stroke is read by the exact one alone.
    for indexes, pack in ((strokes, False), (rest, True)):
        for index, reading in zip(indexes, ocr_engine.read_lines([pictures[i] for i in indexes], pack=pack,
                                                                     words=ocr_engine.LABELS if pack else None),
                                  strict=True):
            readings[index] = reading
    # A figure with what may be a minus sign too faint to be its print is in doubt: the sign is the value's.
    readings = [(text, min(score, DOUBT)) if text[:1].isdigit() and _faint_sign(page, piece) else (text, score)
                for piece, (text, score) in zip(found, readings, strict=True)]
    return [ocr_engine.TextBox(text, score, piece.x0, piece.top, piece.x1, piece.bottom) if text else None
            for piece, (text, score) in zip(found, readings, strict=True)]


def _faint_sign(page: np.ndarray, piece: Piece) -> bool:
    """Return True when a flat stroke lighter than print, but not paper, stands right before the piece
    at the middle of its height: a blurred minus sign."""
    height = piece.bottom - piece.top
    left = max(piece.limit[0], piece.x0 - round(_FAINT_REACH * height) - _FAINT_GAP)
    if left >= piece.x0 or height < MIN_TYPE:
        return False
    region = page[piece.top : piece.bottom, left : piece.x0]
    faint = region < _FAINT_LEVEL
    faint &= raster.neighbours(faint) > 1
    runs = raster.runs(np.asarray(faint.any(axis=0)))
    if not runs or piece.x0 - left - runs[-1][1] > _FAINT_GAP:
        return False
    start, end = runs[-1]
    rows = np.nonzero(faint[:, start:end].any(axis=1))[0]
    thick, middle = int(rows[-1] - rows[0] + 1), (rows[0] + rows[-1]) / 2
    return bool(end - start >= _SIGN_WIDTH * height and thick <= _SIGN_THICKNESS * height
                and abs(middle - height / 2) <= _SIGN_OFFSET * height)
