"""Ruled tables on a page picture: ink runs → rules → grids → cells with spans.

A rule is a long straight run of dark pixels. Horizontal and vertical runs are found with
numpy over the whole picture (small gaps from noise closed first), grouped into lines, and kept
only when they meet lines of the other direction: a stroke of a character or a "——" never
meets two rules. Rules that touch form one table; its distinct line positions are the grid.
A cell grows right while the rule on its right is missing and down while the rule below it is
missing, so merged cells come out once, with their spans. A table cut by a page break often
lacks its closing rule; vertical rules ending together imply it, as in the PDF reader.

Works in pixels of a straight (deskewed) picture. Knows nothing about text.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from parsers.raster import DARK

__all__ = ["GridCell", "RasterTable", "find_tables"]

MIN_H_RUN = 80  # pixels (≈ 13 mm at 150 dpi): longer than strokes of neighbouring characters joined
MIN_V_RUN = 20  # one table row is about 30 pixels tall; shorter strokes of text never meet two rules
MAX_THICKNESS = 6  # pixels: a rule is thin; neighbouring strokes of a glyph merged sideways are not
MIN_CELL = 12  # pixels: a "grid" of smaller cells is the strokes of a character
_GAP = 1  # pixels of noise a rule may miss and still be one run (more would join text to rules)
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


def find_tables(gray: np.ndarray) -> list[RasterTable]:
    """Return the ruled tables of a straight page picture, top to bottom."""
    ink = gray < DARK
    horizontal = [p for h in _lines(_runs(_close(ink), MIN_H_RUN)) if h.last - h.first < MAX_THICKNESS
                  for p in _clean_parts(ink, h, MIN_H_RUN)]
    vertical = [p for v in _lines(_runs(_close(ink.T), MIN_V_RUN)) if v.last - v.first < MAX_THICKNESS
                for p in _clean_parts(ink.T, v, MIN_V_RUN)]
    # Only long runs can be horizontal rules, so a vertical rule is one that meets two of them;
    # then a horizontal rule is one that meets two vertical rules.
    vertical = [v for v in vertical if _meets(v, horizontal) >= 2]
    horizontal = [h for h in horizontal if _meets(h, vertical) >= 2]
    tables = [_grid(h, v) for h, v in _connected(horizontal, vertical)]
    return sorted((t for t in tables if t is not None), key=lambda t: t.ys[0])


def _close(ink: np.ndarray) -> np.ndarray:
    """Return `ink` with gaps of up to _GAP pixels along rows filled (a morphological closing)."""
    grown = ink.copy()
    for shift in range(1, _GAP + 1):
        grown[:, shift:] |= ink[:, :-shift]
        grown[:, :-shift] |= ink[:, shift:]
    shrunk = grown.copy()
    for shift in range(1, _GAP + 1):
        shrunk[:, shift:] &= grown[:, :-shift]
        shrunk[:, :-shift] &= grown[:, shift:]
    return shrunk


def _runs(ink: np.ndarray, min_length: int) -> np.ndarray:
    """Return (row, start, end) of the runs of ink along each row at least `min_length` long."""
    padded = np.zeros((ink.shape[0], ink.shape[1] + 2), dtype=np.int8)
    padded[:, 1:-1] = ink
    rows, starts = np.nonzero(np.diff(padded, axis=1) == 1)
    _, ends = np.nonzero(np.diff(padded, axis=1) == -1)
    keep = ends - starts >= min_length
    return np.stack([rows[keep], starts[keep], ends[keep]], axis=1)


def _lines(runs: np.ndarray) -> list[Segment]:
    """Merge runs on neighbouring rows that cover the same stretch (a rule two or three pixels thick)."""
    segments: list[list[float]] = []  # [first row, last row, start, end]
    open_: list[list[float]] = []
    for row, start, end in runs.tolist():
        open_ = [s for s in open_ if row - s[1] <= 1]
        match = next((s for s in open_ if _same_run(start, end, s[2], s[3])), None)
        if match is None:
            match = [row, row, start, end]
            segments.append(match)
            open_.append(match)
        else:
            match[1], match[2], match[3] = row, min(match[2], start), max(match[3], end)
    return [Segment((first + last) / 2, start, end, int(first), int(last)) for first, last, start, end in segments]


def _clean_parts(ink: np.ndarray, segment: Segment, min_length: int) -> list[Segment]:
    """Return the parts of a run with paper beside it, at least `min_length` long.

    `ink` is in the run's orientation (rows along the run). Beside a rule lies cell padding;
    beside a stroke of text lie other strokes. A run that is a rule continued by a character
    drawn against it (a header word touching a column line) keeps its rule part. Short inked
    stretches are where other rules cross and do not cut a rule.
    """
    start, end = int(segment.start), int(segment.end)
    beside = np.zeros(end - start, dtype=bool)
    for row in (segment.first - _SIDE[1], segment.first - _SIDE[0], segment.last + _SIDE[0], segment.last + _SIDE[1]):
        if 0 <= row < ink.shape[0]:
            beside |= ink[row, start:end]
    # Stretches of ink beside the run longer than a crossing are text: cut them out.
    padded = np.concatenate([[False], beside, [False]]).astype(np.int8)
    starts = np.nonzero(np.diff(padded) == 1)[0]
    ends = np.nonzero(np.diff(padded) == -1)[0]
    cuts = [(a, b) for a, b in zip(starts.tolist(), ends.tolist(), strict=True) if b - a > _CROSSING]
    parts: list[Segment] = []
    position = 0
    for cut_start, cut_end in [*cuts, (len(beside), len(beside))]:
        if cut_start - position >= min_length:
            parts.append(Segment(segment.at, start + position, start + cut_start, segment.first, segment.last))
        position = cut_end
    return parts


def _same_run(start: float, end: float, other_start: float, other_end: float) -> bool:
    """Return True when two runs on neighbouring rows are one rule: they cover mostly the same stretch.

    A stroke of text drawn against a rule overlaps it only briefly and stays a run of its own.
    """
    shared = min(end, other_end) - max(start, other_start)
    return shared >= 0.5 * max(end - start, other_end - other_start)


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
