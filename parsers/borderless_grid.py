"""The grid of a table printed without rules, from its lines of text (see parsers.pdf_borderless).

Owns the step from lines and fragments to a `Table`: value columns from figure centres,
label columns from label left edges, cells joined over their lines, rows from data lines
and their labels, spans of headings and group labels. Knows nothing about pages or PDF.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from statistics import median
from typing import Any

from pipeline.model import Box, Cell, Table
from pipeline.textnorm import NUMBERING, clean_cell, looks_numeric, outline_number, squeeze

__all__ = ["CONTINUATION_GAP", "BBox", "Fragment", "Line", "aligned", "build", "header_lines", "line_reach"]

CONTINUATION_GAP = 0.6  # sizes between a cell's lines, at most (unless the table sets its lines farther apart)
_REACH_MARGIN = 0.25  # sizes allowed over the leading measured inside a table's cells
_MAX_REACH = 2.3  # sizes between a cell's lines, at most, however far apart a table sets them (double spacing)
_COLUMN_TOLERANCE = 0.8  # sizes between figure centres of one column
_ALIGNED = 0.3  # sizes: the lines of one cell share an edge or their centre this closely
_OVERLAP = 0.5  # points: two bands that share more than this lie side by side
_WORD_SPACE = 3.0  # points: a wider gap between characters is a space in the text (pdfplumber's tolerance)
_SPACE_GROUPED = re.compile(r"^\d{1,3}$")  # the first group of a number grouped by spaces ("10 718")
_SPACE_GROUP = re.compile(r"^\d{3}(\.\d+)?$")  # a following group

BBox = tuple[float, float, float, float]


@dataclass(slots=True)
class Fragment:
    """A run of characters on one line with no wide gap: a word, a label, a figure."""

    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    line: int
    numeric: bool = False
    # Where the run has a gap narrower than a fragment break but wider than a word's own spacing
    # (x of its left and right side): columns of a table printed with no padding stand this close.
    gaps: list[tuple[float, float]] = field(default_factory=list, repr=False)
    # The run parted at its last such gap, when a figure follows a label there ([label, figure]).
    tail_figure: list[Fragment] | None = field(default=None, repr=False)
    # The run parted at every such gap, left to right (when it has any).
    pieces: list[Fragment] = field(default_factory=list, repr=False)

    @property
    def cx(self) -> float:
        return (self.x0 + self.x1) / 2


@dataclass(slots=True)
class Line:
    """The fragments on one baseline, left to right."""

    fragments: list[Fragment]
    top: float
    bottom: float
    size: float
    # A lone figure between the lines of a label wrapped beside it (a table of one value column
    # whose figures are centred on their row): a data line although it has one fragment.
    between_labels: bool = False

    @property
    def is_data(self) -> bool:
        """A figure stands alone beside other fragments, and nothing but figures follows the first
        one: labels are on the left ("申请 82 件，其中…" is prose)."""
        # (Written out as a loop: it is asked for every line many times over while a table is built.)
        fragments = self.fragments
        if len(fragments) < 2 and not self.between_labels:
            return False
        seen = False
        for f in fragments:
            if f.numeric:
                seen = True
            elif seen:
                return False
        return seen


@dataclass(slots=True)
class _Cell:
    parts: list[Fragment]
    area: str  # "label", "head" (a heading over value columns) or "value"
    headed: bool = False  # on a line that has headings over value columns
    row_label: bool = False
    data_lines: int = 0  # how many of its lines are data lines
    rows: list[int] = field(default_factory=list)
    col: int = 0
    col_span: int = 1

    # (A cell of one part, every figure, reads it straight: these are asked many times over.)
    @property
    def x0(self) -> float:
        parts = self.parts
        return parts[0].x0 if len(parts) == 1 else min(p.x0 for p in parts)

    @property
    def x1(self) -> float:
        parts = self.parts
        return parts[0].x1 if len(parts) == 1 else max(p.x1 for p in parts)

    @property
    def top(self) -> float:
        parts = self.parts
        return parts[0].top if len(parts) == 1 else min(p.top for p in parts)

    @property
    def bottom(self) -> float:
        parts = self.parts
        return parts[0].bottom if len(parts) == 1 else max(p.bottom for p in parts)

    @property
    def raw(self) -> str:
        parts = self.parts
        return parts[0].text if len(parts) == 1 else "\n".join(p.text for p in parts)



def build(region: Sequence[Line], page: int) -> tuple[BBox, Table, list[float]] | None:
    """Return the table a region prints, with its bbox and column lines."""
    size = median(f.size for line in region for f in line.fragments)
    split_figure_runs(region, size)
    centres = _value_columns([f for line in region if line.is_data for f in line.fragments if f.numeric], size)
    if not centres:
        return None
    spacing = min((b - a for a, b in itertools.pairwise(centres)), default=8 * size)
    # The label area ends half a column before the first column of figures, or where its figures begin
    # when they are set flush left in a wide column (a label column beside it may reach that far).
    figures = [f for line in region if line.is_data for f in line.fragments if f.numeric]
    first_left = min(f.x0 for f in figures if _nearest(centres, f.cx) == 0)
    label_edge = max(centres[0] - spacing / 2, first_left - _ALIGNED * size)
    labels = [f for line in region for f in line.fragments if not (line.is_data and f.numeric) and f.cx < label_edge]
    data_lines = {line.fragments[0].line for line in region if line.is_data}
    reach = line_reach(labels, data_lines | header_lines(region, lambda f: f.cx >= label_edge), size)
    label_cols = _label_columns([f for f in labels if not _centred_under(f, labels, size, reach)], size)
    for line in region:
        line.fragments = [part for f in line.fragments for part in _split_at_columns(f, label_cols, label_edge, size)]
    # (Headings measured on rows of headings only: a caption centred above the table is no heading's line.
    # A row of headings set with no padding is one run of characters, parted at its narrow gaps.)
    heads = [piece for line in region for f in line.fragments if not f.numeric and f.cx >= label_edge
             for pieces in [_split_heading(f, centres, label_edge)] if len(line.fragments) > 1 or len(pieces) > 1
             for piece in pieces]
    cells = _cells(region, label_cols, label_edge, spacing, size, centres, (reach, line_reach(heads, data_lines, size)))
    rows = _rows(region, cells)
    _place_labels(cells, label_cols, size)
    figures = [f for line in region if line.is_data for f in line.fragments if f.numeric]
    lefts = _left_edges(figures, centres, size, [c for c in cells if c.area == "head" and c.x1 - c.x0 > spacing])
    if lefts is not None:
        _place_left_heads([c for c in cells if c.area == "head"], centres, lefts, len(label_cols), spacing, size)
    else:
        _place_heads([c for c in cells if c.area == "head"], centres, len(label_cols), spacing)
    for cell in (c for c in cells if c.area == "value"):
        cell.col = len(label_cols) + _nearest(centres, cell.parts[0].cx)
    _extend_groups(cells, len(rows))
    table = _table(cells, len(rows), len(label_cols), len(centres), page)
    bbox = (min(c.x0 for c in cells), min(c.top for c in cells), max(c.x1 for c in cells),
            max(c.bottom for c in cells))
    # Column lines: the label columns' left edges, the label area's end, midway between figures.
    xs = [min(bbox[0], label_edge), *label_cols[1:], label_edge,
          *[(a + b) / 2 for a, b in itertools.pairwise(centres)], centres[-1] + spacing / 2]
    return bbox, table, xs


def header_lines(region: Sequence[Line], heading: Callable[[Fragment], bool]) -> set[int]:
    """Return the numbers of the lines of headings (a `heading` fragment beside any labels) and of the
    line right above each (a part's caption): a row's distance apart, no lines of a wrapped label."""
    out = set()
    for above, line in zip([None, *region], region, strict=False):
        if not line.is_data and any(not f.numeric and heading(f) for f in line.fragments):
            out.add(line.fragments[0].line)
            if above is not None and not above.is_data:
                out.add(above.fragments[0].line)
    return out


def _nearest(centres: Sequence[float], x: float) -> int:
    """Return the index of the column centre nearest to `x`."""
    best, distance = 0, abs(centres[0] - x)
    for i in range(1, len(centres)):  # (the first of equally near ones, as min() picks)
        if abs(centres[i] - x) < distance:
            best, distance = i, abs(centres[i] - x)
    return best


def _value_columns(figures: Sequence[Fragment], size: float) -> list[float]:
    """Return the centres of the value columns: figure centres clustered."""
    clusters: list[list[float]] = []
    for centre in sorted(f.cx for f in figures):
        if clusters and centre - clusters[-1][-1] <= _COLUMN_TOLERANCE * size:
            clusters[-1].append(centre)
        else:
            clusters.append([centre])
    return [sum(c) / len(c) for c in clusters]


def line_reach(texts: Sequence[Fragment], data_lines: set[int], size: float) -> float:
    """Return how far apart (points) two lines of one cell may stand in this table.

    `CONTINUATION_GAP` sizes, or more when the table sets its lines farther apart (paragraph spacing,
    1.5 lines, double or fixed spacing in its cells): a little more than the narrowest gap between a
    line of the label area (`texts`) and the next line aligned with it that may be the rest of a
    wrapped label (not on a line of figures, not numbered), which is the leading inside a cell (rows
    stand apart by that and their padding). Never more than `_MAX_REACH` sizes.
    """
    # (Sorted by top, so that only the rests below a line are looked at.)
    rests = sorted((f for f in texts if f.line not in data_lines and not NUMBERING.match(squeeze(f.text))),
                   key=lambda f: f.top)
    tops = [f.top for f in rests]
    gaps = []
    for upper in texts:
        # (Lines carried from the page before, numbered below zero, stand at a made-up distance above
        # the page's first line: no measure of the leading.) The rests are in order of their tops, so
        # the first one aligned below is the nearest.
        carried = upper.line < 0
        for f in itertools.islice(rests, bisect.bisect_right(tops, upper.bottom), None):
            if (aligned(upper, f, size) and min(f.x1, upper.x1) > max(f.x0, upper.x0)
                    and carried == (f.line < 0)):
                gaps.append(f.top - upper.bottom)
                break
    reach = min(gaps, default=0.0) + _REACH_MARGIN * size
    # (A gap wider than any leading is between rows: no label of this table wraps.)
    return max(CONTINUATION_GAP * size, reach if reach <= _MAX_REACH * size else 0.0)


def _split_at_columns(fragment: Fragment, label_cols: Sequence[float], label_edge: float,
                      size: float) -> list[Fragment]:
    """Return a label run split where, at a narrow gap, a piece starts on the left edge of another label
    column ("三、本 （一）予以公" of label columns three characters wide with a pixel of padding)."""
    if fragment.numeric or len(fragment.pieces) < 2 or fragment.cx >= label_edge:
        return [fragment]
    groups: list[list[Fragment]] = [[fragment.pieces[0]]]
    for piece in fragment.pieces[1:]:
        if any(abs(piece.x0 - x) <= _ALIGNED * size for x in label_cols if x > fragment.x0 + _ALIGNED * size):
            groups.append([piece])
        else:
            groups[-1].append(piece)
    if len(groups) == 1:
        return [fragment]
    out = []
    for group in groups:
        text = group[0].text
        for a, b in itertools.pairwise(group):
            text += (" " if b.x0 - a.x1 > _WORD_SPACE else "") + b.text  # spaced as the whole run was
        part = Fragment(text, group[0].x0, group[-1].x1, fragment.top, fragment.bottom, fragment.size,
                        fragment.line, numeric=looks_numeric(text) and bool(squeeze(text)),
                        gaps=[(a.x1, b.x0) for a, b in itertools.pairwise(group)])
        part.pieces = group if len(group) > 1 else []
        out.append(part)
    return out


def _centred_under(fragment: Fragment, labels: Sequence[Fragment], size: float, reach: float) -> bool:
    """Return True when a label line is a narrower line centred under a label line right above it
    (the "可" of 行政许 / 可 in a narrow column of centred labels): its left edge starts no column."""
    return any(0 <= fragment.top - u.bottom <= reach and u.x0 < fragment.x0
               and fragment.x1 < u.x1 and abs(u.cx - fragment.cx) <= _ALIGNED * size for u in labels)


def _label_columns(labels: Sequence[Fragment], size: float) -> list[float]:
    """Return the left edges of the label columns: label left edges clustered."""
    edges: list[list[float]] = []
    for x0 in sorted(f.x0 for f in labels):
        if edges and x0 - edges[-1][-1] <= _COLUMN_TOLERANCE * size:
            edges[-1].append(x0)
        else:
            edges.append([x0])
    return [min(e) for e in edges]


@dataclass(frozen=True)
class _Region:
    """What placing a fragment needs to know of the other lines of its region."""

    leads: set[int]  # label lines right above a row's figures: the start of a label wrapped around them
    captions: set[int]  # lines right above a row of headings (a caption of the next part)
    others: list[Fragment]  # every fragment (what stands between a carried heading and its rest)
    headed_bands: list[tuple[float, float]]  # (top, bottom) of the lines with headings over value columns
    data_bands: list[tuple[float, float]]  # (top, bottom) of the data lines
    figures: list[Fragment]  # the figures of the data lines


def _region(region: Sequence[Line], label_edge: float, reach: float) -> _Region:
    """Return what the lines of `region` tell of each other, before any fragment is placed."""
    # (Not a lead when the row's own label starts numbered on the figures' line: "3.其他".)
    leads = {id(a) for a, b in itertools.pairwise(region)
             if b.is_data and not a.is_data and b.top - a.bottom <= reach
             and not any(NUMBERING.match(squeeze(f.text)) for f in b.fragments if not f.numeric)}
    headed_bands = [(line.top, line.bottom) for line in region
                    if any(not f.numeric and f.cx >= label_edge for f in line.fragments)]
    captions = {id(a) for a, b in itertools.pairwise(region)
                if (b.top, b.bottom) in headed_bands and not b.is_data and b.top - a.bottom <= reach}
    return _Region(leads, captions, [f for line in region for f in line.fragments], headed_bands,
                   [(line.top, line.bottom) for line in region if line.is_data],
                   [f for line in region if line.is_data for f in line.fragments if f.numeric])


def _cells(region: Sequence[Line], label_cols: list[float], label_edge: float, spacing: float,
           size: float, centres: list[float], reaches: tuple[float, float]) -> list[_Cell]:
    """Return the cells: figures of data lines, and text fragments joined with their continuations
    (lines of a label at most `reaches[0]` apart, of a heading `reaches[1]`)."""
    reach, head_reach = reaches
    facts = _region(region, label_edge, reach)
    cells: list[_Cell] = []
    last_label: dict[int, _Cell] = {}  # label column → the cell last opened in it
    heads: list[_Cell] = []
    for line in region:
        line.fragments = [piece for f in line.fragments for piece in _split_heading(f, centres, label_edge)]
        if line.is_data:
            line.fragments = [piece for f in line.fragments for piece in _split_figure(f, centres, size, facts.figures)]
        headed = any(not f.numeric and f.cx >= label_edge for f in line.fragments)
        # The rightmost label of a data line names that row: it never continues another row's label.
        row_label = max((f for f in line.fragments if not f.numeric and f.cx < label_edge),
                        key=lambda f: f.x0, default=None) if line.is_data else None
        for fragment in line.fragments:
            if line.is_data and fragment.numeric:
                cells.append(_Cell([fragment], "value"))
                continue
            if fragment.cx >= label_edge:
                width = _column_width(fragment, spacing, centres)  # (once, not once per heading tried)
                host = next((c for c in reversed(heads)
                             if _stacks(c, fragment, spacing, size, width, head_reach, facts.others)), None)
                if host is None:
                    host = _Cell([fragment], "head", headed=True)
                    cells.append(host)
                    heads.append(host)
                else:
                    host.parts.append(fragment)
                continue
            col = _label_column(fragment, label_cols, last_label, line, (headed, size, reach))
            last_column = col == len(label_cols) - 1
            host = _label_host(fragment, line, last_label.get(col), facts, (headed, size, reach),
                               (last_column, last_column or fragment is row_label))
            if host is None:
                host = _Cell([fragment], "label", headed=headed)
                cells.append(host)
                last_label[col] = host
            else:
                host.parts.append(fragment)
            host.data_lines += int(line.is_data)
    return cells


def _label_column(fragment: Fragment, label_cols: list[float], last_label: dict[int, _Cell], line: Line,
                  context: tuple[bool, float, float]) -> int:
    """Return the label column a label fragment stands in."""
    col = max([i for i, x in enumerate(label_cols) if x <= fragment.x0 + 0.5] or [0])
    return _centred_rest_column(fragment, col, last_label, line, context)


def _label_host(fragment: Fragment, line: Line, host: _Cell | None, facts: _Region,
                context: tuple[bool, float, float], columns: tuple[bool, bool]) -> _Cell | None:
    """Return the label cell `host` (the last opened in the fragment's column) when the label fragment
    continues it, or None when the fragment begins a cell of its own. `columns`: whether the fragment
    stands in the last label column, and whether it is in the last column or names its row."""
    headed, size, reach = context
    last_label_column, last_column = columns
    if host is None:
        return None
    # A label of the header (beside a heading line, "信息内" / "容") is centred on it: once it
    # has as many lines below the heading as above, the next line begins a row. A row label
    # that has its figures ends where the next row's label begins above its own.
    header_done = not headed and _header_done(host, fragment, facts.headed_bands)
    top, bottom = host.top, host.bottom  # (measured over its parts once, not once per band)
    has_figures = host.data_lines > 0 or any(top <= band[0] and band[1] <= bottom for band in facts.data_bands)
    next_row = has_figures and last_label_column and (
        id(line) in facts.leads or _row_done(host, fragment, facts.data_bands))
    # A line wrapped in a cell is never wider than the line before it and a character: a wider
    # one right above the next part's headings is that part's caption, not the rest of a row label.
    caption = has_figures and id(line) in facts.captions and (
        fragment.x1 - fragment.x0 > host.parts[-1].x1 - host.parts[-1].x0 + size)
    if header_done or next_row or caption or not _continues(host, fragment, line, headed, last_column, size, reach):
        return None
    return host


def _centred_rest_column(fragment: Fragment, col: int, last_label: dict[int, _Cell], line: Line,
                         how: tuple[bool, float, float]) -> int:
    """Return the label column of `fragment`: `col`, or a column to its left whose last label it goes on
    centred under ("规范性文" / "件": a label's short last line, centred, starts right of its column's
    edge, where another column's labels may start).  `how`: headed, size, reach."""
    headed, size, reach = how
    for left in sorted((c for c in last_label if c < col), reverse=True):
        cell = last_label[left]
        upper = cell.parts[-1]
        if (upper.x0 < fragment.x0 and fragment.x1 < upper.x1 and abs(upper.cx - fragment.cx) <= _ALIGNED * size
                and _continues(cell, fragment, line, headed, False, size, reach)):
            return left
    return col


def _header_done(host: _Cell, fragment: Fragment, headed_bands: Sequence[tuple[float, float]]) -> bool:
    """Return True when `fragment`, below the heading lines beside the label `host`, cannot continue it:
    the label already has as many lines below those headings as above them."""
    host_top, host_bottom = host.top, host.bottom
    bands = [band for band in headed_bands if host_top < band[1] and band[0] < host_bottom]
    if not bands:
        return False
    top, bottom = min(b[0] for b in bands), max(b[1] for b in bands)
    # Compared by centres: in tight type a label's lines overlap the heading line they are set around.
    quarter = (bands[0][1] - bands[0][0]) / 4
    if (fragment.top + fragment.bottom) / 2 <= bottom - quarter:
        return False  # still beside the headings
    above = sum((p.top + p.bottom) / 2 < top + quarter for p in host.parts)
    below = sum((p.top + p.bottom) / 2 > bottom - quarter for p in host.parts)
    return below >= above


def _row_done(host: _Cell, fragment: Fragment, data_bands: Sequence[tuple[float, float]]) -> bool:
    """Return True when `fragment` cannot continue the row label `host`, centred on its row's figures.

    A label that begins above its figures is set in a cell centred on them (Word, LibreOffice and
    browsers centre a row's cells by default): once it has as many lines below its figures as above
    them, it is whole, and the next line begins the next row's label. A label that begins on its
    figures' line (a cell set at the top) may go on below them for any number of lines.
    """
    top, bottom = host.top, host.bottom
    band = next((b for b in data_bands if top < b[1] and b[0] < bottom), None)
    if band is None:
        return False
    middle, half = (band[0] + band[1]) / 2, (band[1] - band[0]) / 4
    if (fragment.top + fragment.bottom) / 2 <= middle + half:
        return False  # still beside the figures
    # (Compared by centres: lines of a label wrapped around a figure overlap its line.)
    above = sum((p.top + p.bottom) / 2 < middle - half for p in host.parts)
    below = sum((p.top + p.bottom) / 2 > middle + half for p in host.parts)
    return 0 < above <= below


def _split_figure(fragment: Fragment, centres: list[float], size: float,
                  figures: Sequence[Fragment] = ()) -> list[Fragment]:
    """Return a label of a data line split from the figures that follow it at narrow gaps, when those
    figures stand in value columns ("5.属于三类内部事务信息 —" of a table with no padding)."""
    # (Parted by where the characters stand, not by the text's spaces: a gap a hair under a space's
    # width is printed without one, "行政规范性文件11".)
    if fragment.numeric or len(fragment.pieces) < 2:
        return [fragment]
    rest = list(fragment.pieces)
    tail: list[Fragment] = []
    while len(rest) > 1 and rest[-1].numeric and _in_column(rest[-1], centres, size, figures):
        tail.insert(0, replace(rest.pop(), top=fragment.top, bottom=fragment.bottom, numeric=True))
    if not tail:
        return [fragment]
    label = Fragment(_joined(rest), fragment.x0, rest[-1].x1, fragment.top, fragment.bottom,
                     fragment.size, fragment.line, gaps=fragment.gaps[:len(rest) - 1])
    label.pieces = rest if len(rest) > 1 else []
    return [label, *tail]


def _in_column(figure: Fragment, centres: Sequence[float], size: float, figures: Sequence[Fragment]) -> bool:
    """Return True when a figure stands in a value column: near a column's centre, or sharing an edge with
    a figure of another row (a column of figures set flush left whose widths differ skews its centre)."""
    return (min(abs(c - figure.cx) for c in centres) <= _COLUMN_TOLERANCE * size
            or any(f.line != figure.line and aligned(f, figure, size) for f in figures))


def _joined(pieces: Sequence[Fragment]) -> str:
    """Return the text of pieces of one run, spaced as the whole run was."""
    text = pieces[0].text
    for a, b in itertools.pairwise(pieces):
        text += (" " if b.x0 - a.x1 > _WORD_SPACE else "") + b.text
    return text


def split_figure_runs(region: Sequence[Line], size: float) -> None:
    """Part the figures of adjacent columns set closer than a fragment break ("21 2,434", "10 718": columns
    as narrow as their figures with a pixel of padding) on the data lines of `region`, in place.

    The gap between two figures' characters is wider than any gap inside a figure (its digits touch).
    A run that may be one number grouped by spaces ("10 718") is parted only when its pieces stand in
    different columns of the figures printed apart; one that cannot ("21 2,434", "16 3310") always.
    """
    alone = [f for line in region if line.is_data for f in line.fragments if f.numeric and not f.pieces]
    centres = _value_columns(alone, size)
    for line in (line for line in region if line.is_data):
        line.fragments = [part for f in line.fragments for part in _figure_pieces(f, centres, size)]


def _figure_pieces(fragment: Fragment, centres: Sequence[float], size: float) -> list[Fragment]:
    """Return a figure run as its figures (see `split_figure_runs`), or the run itself."""
    pieces = fragment.pieces
    if not fragment.numeric or len(pieces) < 2 or not all(p.numeric and squeeze(p.text) for p in pieces):
        return [fragment]
    grouped = bool(_SPACE_GROUPED.match(squeeze(pieces[0].text))) and all(
        _SPACE_GROUP.match(squeeze(p.text)) for p in pieces[1:])
    if grouped:
        columns = [_nearest(centres, p.cx) for p in pieces] if centres else []
        apart = len(set(columns)) == len(pieces) and all(
            abs(centres[c] - p.cx) <= _COLUMN_TOLERANCE * size for c, p in zip(columns, pieces, strict=True))
        if not apart:
            return [fragment]
    return [replace(p, top=fragment.top, bottom=fragment.bottom) for p in pieces]


def _split_heading(fragment: Fragment, centres: list[float], label_edge: float) -> list[Fragment]:
    """Return a heading over the value columns split at its narrow gaps when its pieces stand over
    different columns ("商业 科研" of a table printed with no padding), else the heading itself."""
    if fragment.numeric or not fragment.gaps or fragment.cx < label_edge:
        return [fragment]
    edges = [fragment.x0, *[x for gap in fragment.gaps for x in gap], fragment.x1]
    spans = list(zip(edges[::2], edges[1::2], strict=True))
    columns = [_nearest(centres, (a + b) / 2) for a, b in spans]
    if len(set(columns)) < len(columns):
        return [fragment]
    words = [p.text for p in fragment.pieces] if len(fragment.pieces) == len(spans) else fragment.text.split()
    if len(words) != len(spans):
        return [fragment]
    return [Fragment(word, a, b, fragment.top, fragment.bottom, fragment.size, fragment.line)
            for word, (a, b) in zip(words, spans, strict=True)]


def _column_width(fragment: Fragment, spacing: float, centres: Sequence[float]) -> float:
    """Return the width of the value column a heading fragment stands over: the distance to its farther
    neighbour (figures set flush left skew the centres), `spacing` (the narrowest) when the centres
    are not given."""
    if len(centres) < 2:
        return spacing
    i = _nearest(centres, fragment.cx)
    return max(spacing, *(abs(centres[j] - centres[i]) for j in (i - 1, i + 1) if 0 <= j < len(centres)))


def _stacks(cell: _Cell, fragment: Fragment, spacing: float, size: float, width: float,
            reach: float | None = None, others: Sequence[Fragment] = ()) -> bool:
    """Return True when a heading fragment is the next line of a narrow heading in its column
    ("商业企" / "业"), `width` wide (see `_column_width`); a heading over several columns stands alone."""
    # (The cheap tests first: most headings stand in another column, or on a line above.)
    last = cell.parts[-1]
    if abs(fragment.cx - cell.parts[0].cx) > spacing / 2 or fragment.line <= last.line:
        return False
    x0, x1 = cell.x0, cell.x1
    if max(x1 - x0, fragment.x1 - fragment.x0) > width:
        return False  # not narrow
    # A heading cut by a page break goes on at the top of the next page, whatever the distance, on the
    # first line there that prints anything in its column (the lines carried from the page before are
    # numbered below zero, see pdf_borderless), when nothing carried stands under it: a heading with
    # another one under it is a level above ("行政诉讼" over "未经复议直接起诉"), not cut.
    across = last.line < 0 <= fragment.line and not any(
        last.line < g.line < fragment.line and min(g.x1, x1) > max(g.x0, x0) for g in others)
    reach = CONTINUATION_GAP * size if reach is None else reach
    return across or fragment.top - cell.bottom <= reach


def _continues(cell: _Cell, fragment: Fragment, line: Line, headed: bool, last_column: bool,
               size: float, reach: float) -> bool:
    """Return True when a label fragment is the next line of the cell above it in its column."""
    if fragment.top - cell.bottom > reach or NUMBERING.match(squeeze(fragment.text)):
        return False
    if cell.headed != headed and (line.is_data or headed):
        return False  # a heading line starts under a label, or a data row under a heading line
    widest = max(cell.parts, key=lambda p: p.x1 - p.x0)
    if not (aligned(cell.parts[-1], fragment, size) and aligned(widest, fragment, size)):
        # Lines of one cell share an edge or centre with each other and with its widest line (which
        # fills the column); a heading centred over the table, or a label centred in a narrow column
        # under a caption set flush left, does not.
        return False
    # In the last label column, and as the rightmost label of its line, every data row has its
    # own label ("规章" / "行政规范性文件", "行政处罚" / "行政强制").
    return not (last_column and line.is_data and cell.data_lines)


def aligned(upper: Fragment, lower: Fragment, size: float) -> bool:
    """Return True when two lines of text are aligned as the lines of one cell are (left, centred or right)."""
    limit = _ALIGNED * size
    # (The three distances taken one at a time, the centres' last: this runs for every pair of label lines.)
    return (abs(upper.x0 - lower.x0) <= limit or abs(upper.x1 - lower.x1) <= limit
            or abs((upper.x0 + upper.x1) / 2 - (lower.x0 + lower.x1) / 2) <= limit)


def _rows(region: Sequence[Line], cells: list[_Cell]) -> list[tuple[float, float]]:
    """Give every cell its rows and return the row bands, top to bottom.

    A data row's band reaches over the label that names it: the rightmost label cell beside
    its figures. Cells on no data row open rows of their own, one per line.
    """
    # (Each cell's extent measured once: its parts are all placed by now.)
    extent = {id(c): (c.top, c.bottom) for c in cells}
    labels = [c for c in cells if c.area == "label"]
    bands: list[list[float]] = []
    named: dict[tuple[float, float], _Cell] = {}  # a data band → its row label
    for line in region:
        if not line.is_data:
            continue
        band = [line.top, line.bottom]
        beside = [c for c in labels if _overlaps(*extent[id(c)], *band)]
        label = None
        if beside:
            label = max(beside, key=lambda c: (c.x0, -abs(c.top - line.top)))
            label.row_label = True
            band = [min(band[0], label.top), max(band[1], label.bottom)]
        bands.append(band)
        if label is not None:
            named[(band[0], band[1])] = label
    data_bands = sorted((b[0], b[1]) for b in bands)
    between = {id(c): pair for c in labels if (pair := _between_numbered(c, data_bands, named)) is not None}
    tops = [band[0] for band in data_bands]
    standalone = [c for c in cells if id(c) not in between and not _on_band(*extent[id(c)], data_bands, tops)]
    standalone_lines = {p.line for c in standalone for p in c.parts}
    own_lines = {(line.top, line.bottom) for line in region
                 if standalone_lines and line.fragments[0].line in standalone_lines}
    rows = sorted([*data_bands, *own_lines])
    # (Each band's kind and middle found once; a figure keeps only its first row, so its search stops there.)
    kinds = [(i, band in own_lines, (band[0] + band[1]) / 2, band[0], band[1]) for i, band in enumerate(rows)]
    for cell in cells:
        top, bottom = extent[id(cell)]
        found = (i for i, own, middle, band_top, band_bottom in kinds
                 if (own and top <= middle <= bottom)
                 or (not own and min(bottom, band_bottom) - max(top, band_top) > _OVERLAP))
        cell.rows = list(itertools.islice(found, 1)) if cell.area == "value" else list(found)
        if id(cell) in between:
            cell.rows = [rows.index(band) for band in between[id(cell)]]
        if not cell.rows:
            gaps = [abs(band[0] - top) for band in rows]
            cell.rows = [gaps.index(min(gaps))]  # (the first of equally near ones, as min() picks)
        if cell.area == "value":
            cell.rows = cell.rows[:1]
    return rows


def _on_band(top: float, bottom: float, bands: Sequence[tuple[float, float]], tops: Sequence[float]) -> bool:
    """Return True when the extent top…bottom overlaps one of the `bands` (sorted, `tops` their tops).

    Asked first of the bands starting above it, nearest first (a figure's own row is mostly the one
    right above or at its top): a figure is found on its band at once.
    """
    start = bisect.bisect_right(tops, top)
    for band_top, band_bottom in itertools.chain(reversed(bands[:start]), bands[start:]):
        if min(bottom, band_bottom) - max(top, band_top) > _OVERLAP:
            return True
    return False


def _between_numbered(cell: _Cell, data_bands: Sequence[tuple[float, float]],
                      named: dict[tuple[float, float], _Cell]) -> tuple[tuple[float, float], ...] | None:
    """Return the two data bands a group label stands between, left of their row labels numbered n. and
    n+1. ("（三）不予公开" centred on eight rows spaced a paragraph apart falls in the gap between the
    fourth and the fifth), else None."""
    top, bottom = cell.top, cell.bottom
    above = [b for b in data_bands if b[1] <= top]
    below = [b for b in data_bands if b[0] >= bottom]
    if not above or not below:
        return None
    upper, lower = above[-1], below[0]
    a, b = named.get(upper), named.get(lower)
    if a is None or b is None or cell.x1 > min(a.x0, b.x0):
        return None
    upper_number, lower_number = outline_number(a.raw), outline_number(b.raw)
    if upper_number is None or lower_number != upper_number + 1:
        return None
    return upper, lower


def _overlaps(top: float, bottom: float, band_top: float, band_bottom: float) -> bool:
    return min(bottom, band_bottom) - max(top, band_top) > _OVERLAP


def _place_labels(cells: list[_Cell], label_cols: list[float], size: float) -> None:
    """Give label cells their column and span; figures go after the label columns."""
    labels = [c for c in cells if c.area == "label"]
    for cell in labels:
        cell.col = max((i for i, x in enumerate(label_cols) if x <= cell.x0 + 0.5), default=0)
        end = cell.col
        while end + 1 < len(label_cols) and label_cols[end + 1] < cell.x1 - 0.3 * size:
            end += 1
        cell.col_span = end - cell.col + 1
    for cell in labels:
        # The last label of its rows reaches the value columns, like a merged cell would.
        if not any(o is not cell and o.col > cell.col and set(o.rows) & set(cell.rows) for o in labels):
            cell.col_span = len(label_cols) - cell.col


def _left_edges(figures: Sequence[Fragment], centres: list[float], size: float,
                wide: Sequence[_Cell]) -> list[float] | None:
    """Return the left edge of each value column when the table sets its text flush left, else None.

    Flush left (a web page or a Word table with no alignment set): in a column, figures of
    different widths share their left edge and not their right one; in a table of one row, every
    heading wider than a column starts exactly where the figures of a column start.
    """
    by_column: dict[int, list[Fragment]] = {}
    for figure in figures:
        by_column.setdefault(_nearest(centres, figure.cx), []).append(figure)
    lefts = [min((f.x0 for f in by_column.get(i, [])), default=centre) for i, centre in enumerate(centres)]
    spreads = [(max(f.x0 for f in col) - min(f.x0 for f in col), max(f.x1 for f in col) - min(f.x1 for f in col))
               for col in by_column.values() if len(col) > 1]
    varied = [(left, right) for left, right in spreads if right > 0.3 * size]
    if varied:
        return lefts if sum(left <= 0.1 * size for left, _ in varied) >= 0.8 * len(varied) else None
    # (A line of text above the table, left of every column, is no heading of it.)
    flush = [any(abs(x - cell.x0) <= 0.1 * size for x in lefts) for cell in wide if cell.x0 >= lefts[0] - 0.1 * size]
    return lefts if len(flush) >= 2 and all(flush) else None


def _place_left_heads(heads: list[_Cell], centres: list[float], lefts: list[float], first: int, spacing: float,
                      size: float) -> None:
    """Place the headings of a table set flush left: a heading starts over the column whose figures start
    where it starts, and runs to the column before the next heading on its row (or to the table's end)."""
    def start(cell: _Cell) -> int:
        return min(range(len(lefts)), key=lambda i: abs(lefts[i] - cell.x0))

    starts = [start(cell) for cell in heads]  # (each heading's, asked of every other heading on its rows)
    for cell, col in zip(heads, starts, strict=True):
        if cell.x1 - cell.x0 <= spacing or abs(lefts[col] - cell.x0) > size:
            col = _nearest(centres, cell.parts[0].cx)  # a narrow heading names the column it stands over
            cell.col, cell.col_span = first + col, 1
            continue
        rows = set(cell.rows)
        after = [at for o, at in zip(heads, starts, strict=True)
                 if o is not cell and not rows.isdisjoint(o.rows) and o.x0 > cell.x1]
        end = min([i for i in after if i > col], default=len(centres)) - 1
        cell.col, cell.col_span = first + col, max(1, end - col + 1)


def _place_heads(heads: list[_Cell], centres: list[float], first: int, spacing: float) -> None:
    """Place the headings over the value columns.

    A heading as narrow as a column names that column. A wider one (行政复议, 申请人情况) spans
    the columns symmetric about its centre, as far as the wide headings beside it on the same
    level allow; the one nearest the table's edge is placed first.
    """
    def index(x: float) -> float:
        if len(centres) == 1:
            return 0.0
        i = next((i for i in range(len(centres) - 2) if x <= centres[i + 1]), len(centres) - 2)
        return i + (x - centres[i]) / (centres[i + 1] - centres[i])

    low, high = -0.5, len(centres) - 0.5
    wide = [c for c in heads if c.x1 - c.x0 > spacing]
    for cell in heads:
        if cell not in wide:
            cell.col, cell.col_span = first + _nearest(centres, cell.parts[0].cx), 1
    placed: list[tuple[_Cell, float, float]] = []
    for cell in sorted(wide, key=lambda c: min(index(c.parts[0].cx) - low, high - index(c.parts[0].cx))):
        centre = min(max(index(cell.parts[0].cx), low), high)
        level = [(a, b) for o, a, b in placed if set(o.rows) & set(cell.rows)]
        left = max([low, *[b for a, b in level if b <= centre]])
        right = min([high, *[a for a, b in level if a >= centre]])
        radius = max(0.5, min(centre - left, right - centre))
        # (Kept inside the table: a heading that reaches past the last column names it too.)
        start = min(len(centres) - 1, max(0, min(round(centre - radius + 0.5), round(centre))))
        end = max(start, min(len(centres) - 1, max(round(centre + radius - 0.5), round(centre))))
        placed.append((cell, start - 0.5, end + 0.5))
        cell.col, cell.col_span = first + start, end - start + 1


def _extend_groups(cells: list[_Cell], n_rows: int) -> None:
    """Stretch a group label over the run of rows numbered 1., 2., 3. … beside it."""
    labels = [c for c in cells if c.area == "label"]
    row_labels = {r: c for c in labels if c.row_label for r in c.rows}
    for cell in labels:
        if cell.row_label or not cell.rows:
            continue
        covers = {r for o in labels if o is not cell and o.col <= cell.col < o.col + o.col_span for r in o.rows}
        rows = sorted(cell.rows)
        while rows[0] > 0 and rows[0] - 1 not in covers and _in_sequence(row_labels, rows[0] - 1, rows[0]):
            rows.insert(0, rows[0] - 1)
        while rows[-1] + 1 < n_rows and rows[-1] + 1 not in covers and _in_sequence(row_labels, rows[-1], rows[-1] + 1):
            rows.append(rows[-1] + 1)
        cell.rows = rows


def _in_sequence(row_labels: dict[int, _Cell], upper: int, lower: int) -> bool:
    """Return True when the row labels of two rows are numbered n. and n+1."""
    a, b = row_labels.get(upper), row_labels.get(lower)
    if a is None or b is None:
        return False
    upper_number, lower_number = outline_number(a.raw), outline_number(b.raw)
    return upper_number is not None and lower_number == upper_number + 1


def _table(cells: list[_Cell], n_rows: int, n_labels: int, n_values: int, page: int) -> Table:
    """Return the Table; positions already taken keep their first cell, a later one moves its text in."""
    taken: dict[tuple[int, int], int] = {}
    drafts: list[list[Any]] = []
    value_rows = {r for c in cells if c.area == "value" for r in c.rows}
    n_cols = n_labels + n_values
    for cell in sorted(cells, key=lambda c: (c.area != "value", min(c.rows), c.col)):
        row, row_span = min(cell.rows), max(cell.rows) - min(cell.rows) + 1
        spots = [(r, c) for r in range(row, row + row_span) for c in range(cell.col, cell.col + cell.col_span)]
        clash = next((taken[s] for s in spots if s in taken), None)
        box = Box(cell.x0, cell.top, cell.x1, cell.bottom)  # the union of its words' boxes
        if clash is not None:
            drafts[clash][0] = f"{drafts[clash][0]}\n{cell.raw}".strip("\n")
            drafts[clash][5] = box.union(drafts[clash][5])
            continue
        for spot in spots:
            taken[spot] = len(drafts)
        drafts.append([cell.raw, row, cell.col, row_span, cell.col_span, box])
    printed = [d for d in drafts if d[0] and d[5] is not None]  # (blank cells added below print nothing)
    bands = _Bands(printed)
    for row in sorted(value_rows):  # a data row prints nothing in some columns: blank cells
        for col in range(n_labels, n_cols):
            if (row, col) not in taken:
                taken[(row, col)] = len(drafts)
                drafts.append(["", row, col, 1, 1, bands.blank(row, col)])
    out = tuple(Cell(raw=raw, text=clean_cell(raw), row=r, col=c, row_span=rs, col_span=cs, page=page, box=box)
                for raw, r, c, rs, cs, box in drafts)
    return Table(cells=out, n_rows=n_rows, n_cols=n_cols, page=page, method="positions")


class _Bands:
    """The bands of a table's printed cells, each column's and each row's measured once."""

    def __init__(self, printed: Sequence[Sequence[Any]]) -> None:
        columns: dict[int, list[Box]] = {}
        rows: dict[int, list[Box]] = {}
        for draft in printed:
            if draft[4] == 1:
                columns.setdefault(draft[2], []).append(draft[5])
            if draft[3] == 1:
                rows.setdefault(draft[1], []).append(draft[5])
        self._columns = {col: Box.around(boxes) for col, boxes in columns.items()}
        self._rows = {row: Box.around(boxes) for row, boxes in rows.items()}

    def blank(self, row: int, col: int) -> Box | None:
        """Return the box of a blank cell: its column's band (the printed cells in that column alone) across
        its row's band (the printed cells in that row alone); None when either prints nothing."""
        across, down = self._columns.get(col), self._rows.get(row)
        if across is None or down is None:
            return None
        return Box(across.x0, down.top, across.x1, down.bottom)
