"""Ruled tables on a page picture: ink → rules (morphology) → grids → cells with spans.

A rule is a long straight run of dark pixels. Horizontal and vertical rules are found with
OpenCV morphology over the whole picture (gaps from noise, JPEG and copiers closed first, then an
opening with a long thin line keeps only long straight ink), and kept only when they meet lines
of the other direction: a stroke of a character or a "——" never
meets two rules. Rules that touch form one table; its distinct line positions are the grid.
A cell grows right while the rule on its right is missing and down while the rule below it is
missing, so merged cells come out once, with their spans. A table cut by a page break often
lacks its closing rule; vertical rules ending together imply it, as in the PDF reader.

Works in pixels of a straight (deskewed) picture. Knows nothing about text.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Sequence
from dataclasses import dataclass, field

import cv2
import numpy as np

from parsers import raster

__all__ = ["GridCell", "RasterTable", "find_tables"]

# Gray levels below which a pixel can be part of a rule, tried in turn: a thin rule brought down
# from a higher resolution, or a blurred one, is gray; in a scan upsampled from a low resolution,
# only solid ink is sure not to be the gray halo of type.
_RULE_LEVELS = (raster.DARK, 160)
MIN_H_RUN = 80  # pixels (≈ 13 mm at 150 dpi): longer than strokes of neighbouring characters joined
MIN_PIECE = 30  # pixels (5 mm): a piece of a broken horizontal rule; a stroke of type is shorter
MIN_V_RUN = 20  # one table row is about 30 pixels tall; shorter strokes of text never meet two rules
MAX_THICKNESS = 6  # pixels: a rule is thin; neighbouring strokes of a glyph merged sideways are not
MIN_CELL = 18  # pixels (3 mm): a row holds a line of type; a "grid" of smaller cells is strokes of characters
_GAP = 1  # pixels of noise a rule may miss before the opening (more would join type to rules)
_JOIN = 9  # pixels between pieces of one rule joined after the opening (broken print, JPEG)
_SNAP = 4  # pixels: positions closer than this are the same line
_TOUCH = 2  # pixels: a rule that ends this close to another meets it
_PRESENT = 0.85  # share of a cell side a rule must cover to count as drawn (a stroke of text on a
# rule's line can reach two thirds of a row)
_CLOSE_MIN = 8  # pixels vertical rules must run past the last horizontal rule to imply a closing one
_SIDE = (2, 3)  # pixels beyond a rule's edge that are paper (cell padding), where text has more strokes
_CROSSING = 6  # pixels of ink beside a rule that are a crossing rule, not text against it


@dataclass(frozen=True, slots=True)
class Segment:
    """A straight rule: `at` is its row (horizontal) or column (vertical); it runs from `start` to `end`;
    its ink lies between rows (columns) `first` and `last`."""

    at: float
    start: float
    end: float
    first: int = 0
    last: int = 0


@dataclass(frozen=True, slots=True)
class GridCell:
    """A visual cell: its grid position and spans, and its box in pixels."""

    row: int
    col: int
    row_span: int
    col_span: int
    box: tuple[float, float, float, float]  # x0, top, x1, bottom


@dataclass(frozen=True, slots=True)
class RasterTable:
    """A ruled table found on a picture: its grid lines and its cells."""

    xs: tuple[float, ...]
    ys: tuple[float, ...]
    cells: tuple[GridCell, ...]
    # The index in `cells` of the cell covering each grid position (row, col); the cells tile the grid.
    _owner: dict[tuple[int, int], int] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        owner = {(r, c): index for index, cell in enumerate(self.cells)
                 for r in range(cell.row, cell.row + cell.row_span)
                 for c in range(cell.col, cell.col + cell.col_span)}
        object.__setattr__(self, "_owner", owner)

    @property
    def bbox(self) -> tuple[float, float, float, float]:
        return self.xs[0], self.ys[0], self.xs[-1], self.ys[-1]

    def cell_at(self, x: float, y: float) -> GridCell | None:
        """Return the first cell whose box holds the point (edges included), or None outside the table."""
        found = [self._owner[(r, c)] for r in _intervals(self.ys, y) for c in _intervals(self.xs, x)
                 if (r, c) in self._owner]
        return self.cells[min(found)] if found else None


def _intervals(lines: Sequence[float], value: float) -> range:
    """Return the indexes i of the grid intervals with lines[i] <= value <= lines[i + 1]."""
    return range(max(bisect.bisect_left(lines, value) - 1, 0), min(bisect.bisect_right(lines, value), len(lines) - 1))


def find_tables(gray: np.ndarray, upsampled: bool = False) -> list[RasterTable]:
    """Return the ruled tables of a straight page picture (flattened gray at raster.WORK_DPI), top to bottom.

    Rules are looked for among all ink, and on a page where none are found there, among solid ink
    only. A picture `upsampled` from a low resolution is searched the other way round: there the
    gray halo of type would join strokes into runs. But where its rules are gray through and through
    (blurred, then JPEG), solid ink shows them in pieces and cells merge: all ink is taken when its
    grids hold every line of those of solid ink, and more cells.
    """
    if upsampled:
        # A faint rule shows in solid ink only in pieces: each grows along all ink, where it is whole.
        light = gray < _RULE_LEVELS[0]
        solid, every = _find(gray < _RULE_LEVELS[1], light), _find(light)
        return every if _completes(every, solid) else solid or every
    for level in _RULE_LEVELS:
        tables = _find(gray < level)
        if tables:
            return tables
    return []


def _completes(fuller: Sequence[RasterTable], tables: Sequence[RasterTable]) -> bool:
    """Return True when `fuller` is the same tables with more of their rules: one for each, its grid
    lines including all of the other's, and more cells in all."""
    if not tables or len(fuller) != len(tables):
        return False

    def holds(lines: Sequence[float], within: Sequence[float]) -> bool:
        return all(any(abs(a - b) <= _SNAP for b in lines) for a in within)

    same = all(holds(f.xs, t.xs) and holds(f.ys, t.ys) for f, t in zip(fuller, tables, strict=True))
    return same and sum(len(f.cells) for f in fuller) > sum(len(t.cells) for t in tables)


def _find(ink: np.ndarray, grow: np.ndarray | None = None) -> list[RasterTable]:
    """Return the ruled tables drawn in a boolean ink mask, top to bottom; rules found in `ink` grow
    at their ends along `grow` (a fuller mask), or along `ink` itself."""
    pixels = ink.astype(np.uint8)
    grow = ink if grow is None else grow
    # A run is a rule when part of it, a rule's length, has paper on both sides; it is kept whole,
    # since type set close against a rule (a low-resolution scan) covers only part of it.
    # Column rules crossing a horizontal one are at least a cell apart. (A vertical rule is often one
    # row tall, a crossing at each end; a stroke of type near an end is not joined to it.)
    horizontal = [h for h in _rules(pixels, grow, MIN_PIECE, MIN_H_RUN, _JOIN, _JOIN)
                  if _clean_parts(ink, h, MIN_H_RUN, MIN_CELL)]
    # Vertical pieces are never joined across a horizontal rule: strokes of type in a column of
    # labels, one above the other, are only a few pixels apart across the rule between them.
    barrier = np.zeros_like(pixels)
    for h in horizontal:
        barrier[max(0, h.first - _SIDE[1]) : h.last + _SIDE[1] + 1, int(h.start) : int(h.end)] = 1
    # Only long runs can be horizontal rules, so a vertical rule is one that meets two of them (asked
    # first: most vertical runs are strokes of type, and meeting is the cheaper test; a run no two of
    # them cross at its column is not even grown); then a horizontal rule is one that meets two vertical
    # rules.
    vertical = [v for v in _rules(pixels, grow, MIN_V_RUN, MIN_V_RUN, _JOIN, _GAP + 1, barrier, across=horizontal)
                if _meets(v, horizontal) >= 2 and _clean_parts(ink.T, v, MIN_V_RUN)]
    horizontal = [h for h in horizontal if _meets(h, vertical) >= 2]
    tables = [_grid(h, v) for h, v in _connected(horizontal, vertical)]
    return sorted((t for t in tables if t is not None), key=lambda t: t.ys[0])


def _rules(ink: np.ndarray, grow: np.ndarray, piece: int, min_length: int, join: int, reach: int,
           barrier: np.ndarray | None = None, across: Sequence[Segment] | None = None) -> list[Segment]:
    """Return the straight runs of ink along the rows of `ink` (uint8 0/1), at least `min_length` long:
    rules, by morphology; with `across` (the horizontal rules), the runs down its columns instead, in
    the page's picture turned on its diagonal (rows for columns), each one that two of `across` may meet.

    One-pixel gaps (toner dropouts, dust) are closed; an opening with a line `piece` long then
    keeps only what is that long and straight (strokes of type are shorter); pieces of one rule
    broken by wider gaps (JPEG blocks, a copier's broken lines) are joined afterwards, when no type
    is left to join them to (gaps up to `join` pixels, none over a `barrier`); the ends grow over
    gaps of up to `reach` pixels of `grow` (the ink, or a fuller mask). A piece thicker than
    MAX_THICKNESS is a bar or shading, not a rule.
    """
    def line(length: int) -> np.ndarray:
        return cv2.getStructuringElement(cv2.MORPH_RECT, (1, length) if across is not None else (length, 1))

    # (Down the columns the morphology runs on the page as it is, with upright lines, and only its
    # result and the growth mask are turned, by OpenCV: turning the page and the barrier too took a
    # tenth of the search, and numpy's copy of a transposed page as much again.)
    closed = cv2.morphologyEx(ink, cv2.MORPH_CLOSE, line(2 * _GAP + 1))
    pieces = cv2.morphologyEx(closed, cv2.MORPH_OPEN, line(piece))
    lines = cv2.morphologyEx(pieces, cv2.MORPH_CLOSE, line(join))
    if barrier is not None:  # no bridge over a `barrier` pixel
        lines[(lines > pieces) & (barrier > 0)] = 0
    if across is not None:
        lines, grow = cv2.transpose(lines), cv2.transpose(grow.view(np.uint8)).view(bool)
    segments = []
    for x, y, width, height in _components(lines):
        if height > MAX_THICKNESS:
            continue
        at = y + (height - 1) / 2
        if across is not None and _meets(Segment(at, -math.inf, math.inf), across) < 2:
            continue  # (growing moves a run's ends, never the run sideways: at any length no two rules meet it)
        start, end = _extend(np.asarray(grow[y : y + height].any(axis=0)), x, x + width, reach)
        if end - start >= min_length:
            segments.append(Segment(at, start, end, y, y + height - 1))
    return segments


def _components(lines: np.ndarray) -> list[tuple[int, int, int, int]]:
    """Return (x, y, width, height) of the connected pieces of a uint8 mask, in OpenCV's order.

    Labelled band by band of the rows that hold any: bands apart share no piece, and most of a page
    has no rule (labelling whole pages took a twentieth of a scanned page's CPU).
    """
    rows = np.flatnonzero(lines.any(axis=1))
    if not len(rows):
        return []
    breaks = np.flatnonzero(np.diff(rows) > 1)
    out: list[tuple[int, int, int, int]] = []
    for first, last in zip(np.r_[rows[0], rows[breaks + 1]].tolist(), np.r_[rows[breaks], rows[-1]].tolist(),
                           strict=True):
        count, _, stats, _ = cv2.connectedComponentsWithStats(lines[first : last + 1], connectivity=8)
        out.extend((x, first + y, width, height) for x, y, width, height, _ in stats[1:count].tolist())
    return out


def _extend(band: np.ndarray, start: int, end: int, join: int) -> tuple[int, int]:
    """Return the run [start, end) grown along `band` (ink on the rule's rows) over gaps of up to `join`
    pixels: the end of a broken rule, shorter than the opening, still reaches the rule it meets."""
    while start > 0:
        before = np.nonzero(band[max(0, start - join) : start])[0]
        if not len(before):
            break
        start = max(0, start - join) + int(before[0])
    while end < len(band):
        after = np.nonzero(band[end : end + join])[0]
        if not len(after):
            break
        end = end + int(after[-1]) + 1
    return start, end


def _clean_parts(ink: np.ndarray, segment: Segment, min_length: int, apart: int = 0) -> list[Segment]:
    """Return the parts of a run with paper on both sides, at least `min_length` long.

    `ink` is in the run's orientation (rows along the run). Beside a rule lies cell padding;
    beside a stroke of text lie other strokes. A run that is a rule continued by a character
    drawn against it (a header word touching a column line) keeps its rule part. Short inked
    stretches are where other rules cross and do not cut a rule; but crossing rules are at
    least `apart` pixels from each other, so short stretches closer together than that are the
    strokes of a line of type (the foot of a line of small print reads as a run) and cut as one.
    """
    start, end = int(segment.start), int(segment.end)
    sides = []
    for rows in ((segment.first - _SIDE[1], segment.first - _SIDE[0]),
                 (segment.last + _SIDE[0], segment.last + _SIDE[1])):
        side = np.zeros(end - start, dtype=bool)
        for row in rows:
            if 0 <= row < ink.shape[0]:
                side |= ink[row, start:end]
        sides.append(side)
    beside = sides[0] | sides[1]
    stretches = raster.joined(raster.runs(beside), apart)
    # Stretches of ink beside the run longer than a crossing are text: cut them out.
    cuts = [(a, b) for a, b in stretches if b - a > _CROSSING]
    parts: list[Segment] = []
    position = 0
    for cut_start, cut_end in [*cuts, (len(beside), len(beside))]:
        if cut_start - position >= min_length:
            parts.append(Segment(segment.at, start + position, start + cut_start, segment.first, segment.last))
        position = cut_end
    return parts


def _meets(segment: Segment, others: Sequence[Segment]) -> int:
    """Return how many distinct crossing-direction lines among `others` touch `segment`.

    Pieces of one rule on neighbouring rows (a rule drawn two pixels thick) count once.
    """
    touching = [o.at for o in others
                if segment.start - _TOUCH <= o.at <= segment.end + _TOUCH
                and o.start - _TOUCH <= segment.at <= o.end + _TOUCH]
    return len(_positions(touching))


def _connected(horizontal: list[Segment], vertical: list[Segment]) -> list[tuple[list[Segment], list[Segment]]]:
    """Group the rules into tables: rules that touch, directly or through others, are one table."""
    parent = list(range(len(horizontal) + len(vertical)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, h in enumerate(horizontal):
        for j, v in enumerate(vertical):
            if _meets(h, [v]):
                parent[find(i)] = find(len(horizontal) + j)
    groups: dict[int, tuple[list[Segment], list[Segment]]] = {}
    for i, h in enumerate(horizontal):
        groups.setdefault(find(i), ([], []))[0].append(h)
    for j, v in enumerate(vertical):
        groups.setdefault(find(len(horizontal) + j), ([], []))[1].append(v)
    return [g for g in groups.values() if g[0] and len(g[1]) >= 2]


def _positions(values: Sequence[float]) -> list[float]:
    """Return the distinct line positions, values within _SNAP pixels averaged into one."""
    out: list[list[float]] = []
    for value in sorted(values):
        if out and value - out[-1][-1] <= _SNAP:
            out[-1].append(value)
        else:
            out.append([value])
    return [sum(group) / len(group) for group in out]


def _closing_rows(horizontal: list[Segment], vertical: list[Segment]) -> list[Segment]:
    """Return horizontal rules implied where two or more vertical rules end past the drawn ones."""
    top = min(h.at for h in horizontal)
    bottom = max(h.at for h in horizontal)
    implied = []
    for ends, beyond in (([v.end for v in vertical if v.end > bottom + _CLOSE_MIN]), True), \
                        (([v.start for v in vertical if v.start < top - _CLOSE_MIN]), False):
        if len(ends) >= 2:
            y = max(ends) if beyond else min(ends)
            xs = [v.at for v in vertical if abs((v.end if beyond else v.start) - y) <= 3 * _SNAP]
            if len(xs) >= 2:
                implied.append(Segment(y, min(xs), max(xs), int(y), int(y)))
    return implied


def _grid(horizontal: list[Segment], vertical: list[Segment]) -> RasterTable | None:
    """Return the table the rules draw, or None when they enclose no cell."""
    horizontal = horizontal + _closing_rows(horizontal, vertical)
    xs = _positions([v.at for v in vertical])
    ys = _positions([h.at for h in horizontal])
    if len(xs) < 2 or len(ys) < 2 or np.median(np.diff(xs)) < MIN_CELL or np.median(np.diff(ys)) < MIN_CELL:
        return None
    h_at = {i: [s for s in horizontal if abs(s.at - y) <= _SNAP] for i, y in enumerate(ys)}
    v_at = {i: [s for s in vertical if abs(s.at - x) <= _SNAP] for i, x in enumerate(xs)}

    def drawn(segments: list[Segment], start: float, end: float) -> bool:
        covered = sum(max(0.0, min(end, s.end) - max(start, s.start)) for s in segments)
        return covered >= _PRESENT * (end - start)

    cells: list[GridCell] = []
    taken = np.zeros((len(ys) - 1, len(xs) - 1), dtype=bool)
    for r in range(len(ys) - 1):
        for c in range(len(xs) - 1):
            if taken[r, c]:
                continue
            col_span = 1
            while c + col_span < len(xs) - 1 and not drawn(v_at[c + col_span], ys[r], ys[r + 1]):
                col_span += 1
            row_span = 1
            while r + row_span < len(ys) - 1 and not any(
                    drawn(h_at[r + row_span], xs[k], xs[k + 1]) for k in range(c, c + col_span)):
                row_span += 1
            taken[r:r + row_span, c:c + col_span] = True
            box = (xs[c], ys[r], xs[c + col_span], ys[r + row_span])
            cells.append(GridCell(r, c, row_span, col_span, box))
    return RasterTable(tuple(xs), tuple(ys), tuple(cells))
