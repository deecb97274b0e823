"""Tables printed without rules: rows and columns recovered from where the text stands.

Some reports print their statistics tables with no rules at all: labels on the left, figures
centred under the column headings. On a page where no ruled table was found this module
looks for such a table and hands the PDF reader a `Table` with spans, so the format-blind
recognizers read it like a ruled one.

How a table is told from text, and its cells from each other:

1. Lines are characters on one baseline; a line splits into fragments at gaps wider than
   half a character. A *data line* has a figure (or a placeholder such as 无 / — / /) as a
   fragment of its own beside other fragments. A table is a run of lines in the table's type
   size around data lines (headings above them included), with no wide gap and no
   paragraph-wide line in between.
2. Value columns are the centres of the figures, clustered; everything left of them is the
   label area. Figures go to the nearest column; a data line gets an empty cell where it
   prints nothing in a column.
3. Fragments on successive lines are one cell when the lower one continues the upper one:
   below it, within its width, not numbered (（三）, 1., 一、), and not a second row label (the
   last label of a data line labels that row). In the header, narrow fragments stacked in one
   column are one cell ("商业企" / "业").
4. Rows are the data lines, each stretched over its row label's lines (a label wrapped over
   two lines has its figures centred between them); a cell lying on no data row opens a
   header row of its own. A group label (（三）不予公开) spans the run of rows numbered 1., 2.,
   3. … beside it, as the merged cell it stands for.
5. Label columns are the distinct left edges of labels; a label reaching past the next edge,
   or last in its row, spans to the right. A heading over value columns spans the columns
   symmetric about its centre, as far as its neighbours on the same level allow (行政复议
   over five, 行政诉讼 over ten).

The column lines returned with each table let the PDF reader join a table continued on the
next page. Never changes a page that has a ruled table (the reader does not call it there).
"""

from __future__ import annotations

import itertools
import logging
import re
from collections.abc import Callable, Sequence
from dataclasses import replace
from operator import itemgetter
from statistics import median
from typing import Any

from parsers.borderless_grid import CONTINUATION_GAP, BBox, Fragment, Line, aligned, build, header_lines, line_reach
from parsers.chartext import chars_text
from pipeline.model import Table
from pipeline.textnorm import BLANK_MARKS, NUMBERING, UNITS, looks_numeric, squeeze

__all__ = ["PageLines", "find_tables", "foot_lines"]

log = logging.getLogger(__name__)

_FRAGMENT_GAP = 0.5  # sizes: a wider gap between characters separates two fragments
_NARROW_GAP = 0.2  # sizes: a gap this wide inside a heading may still part two columns
_SAME_BASELINE = 0.25  # sizes
_LINE_GAP = 1.8  # sizes of paper between two lines of one table, at most
# Between two rows when one of them is a row of cells (a data line, or a line of several
# fragments): a web page printed without a stylesheet keeps each cell's text in a paragraph, so
# its rows stand two or three lines apart.
_ROW_GAP = 3.5
_WRAP_EDGE = 0.1  # sizes: the rest of a wrapped figure starts this close under its first digits
_CARRY_GAP = 0.5  # sizes: lines carried from the page before are set this far above the page's first line
_SIZE_TOLERANCE = 0.15  # a table line's type size may differ this much from the figures'
_PARAGRAPH_WIDTH = 0.7  # share of the page's text width a one-fragment line of prose fills
_DIGITS = re.compile(r"^\d[\d,，]*$")  # the first digits of a wrapped figure (thousands separators included)
_SECTION_HEADING = re.compile(r"^[一二三四五六七八九十]+[、.,]")
# The ideographs a figure or a blank cell may print (its units and placeholders, as pipeline.textnorm reads
# them); any other ideograph of the unified block makes a line text (NFKC leaves that block as it is).
_FIGURE_IDEOGRAPHS = frozenset(ch for mark in (*UNITS, *BLANK_MARKS) for ch in mark if "\u4e00" <= ch <= "\u9fff")


class PageLines:
    """A page's lines as read from its characters, kept for a second search of the page (the carrying of
    a header over a page break): each search is given new lines, as it changes the fragments of the
    lines it builds a table of; the fragments themselves are read once and never changed."""

    def __init__(self, chars: Sequence[dict[str, Any]]) -> None:
        self._groups = _baseline_groups([c for c in chars if c.get("text", "\n").strip()])
        self._rows: list[tuple[list[Fragment], float, float, float, bool]] | None = None

    def lines(self) -> list[Line]:
        """Return the page's lines, as `_lines` reads them."""
        if self._rows is None:  # (read at the first search: most pages are never searched)
            self._rows = [(line.fragments, line.top, line.bottom, line.size, line.between_labels)
                          for line in _lines(self._groups)]
        return [Line(list(fragments), top, bottom, size, between)
                for fragments, top, bottom, size, between in self._rows]

    def may_hold_table(self) -> bool:
        """Return False when no line of the page can be a data line, so that `find_tables` would find
        nothing on it without lines carried from the page before; True when one may be.

        A data line is a line of several fragments, or a lone figure between two lines (`_lines`).
        Most pages are prose, whose lines have neither: they are told apart here from the characters'
        gaps and ideographs, without building fragments, which cost more than the search itself.
        """
        last = len(self._groups) - 1
        for index, group in enumerate(self._groups):
            previous = group[0]
            for ch in group[1:]:  # (left to right: `_fragments` splits at the same gaps)
                if ch["x0"] - previous["x1"] > _FRAGMENT_GAP * ch["size"]:
                    return True
                previous = ch
            if 0 < index < last and not any(_prose_ideograph(ch["text"]) for ch in group):
                text = chars_text(group)
                if looks_numeric(text) and squeeze(text):
                    return True
        return False


def find_tables(chars: Sequence[dict[str, Any]], page: int, carry: Sequence[Line] = (),
                read: PageLines | None = None) -> list[tuple[BBox, Table, list[float]]]:
    """Return (bbox, Table, column lines) of the tables printed without rules on a page.

    `carry` are lines left at the foot of the page before (a table's header, see `foot_lines`):
    they are set right above this page's first line, so that a table at the top of this page
    takes them as its header. `read` are the page's lines when they were read from `chars` already.
    """
    lines = (read if read is not None else PageLines(chars)).lines()
    if carry and lines and _figures_only(carry[-1]):
        # A row cut by the page break: its figures end the carried lines, its label opens this page.
        if not _takes_figures(lines[0], carry[-1]):
            return []
        shift = lines[0].bottom - carry[-1].bottom
        moved = [_shifted(line, shift) for line in carry]
        row = [replace(f, line=lines[0].fragments[0].line) for f in moved[-1].fragments]
        first = Line(sorted([*lines[0].fragments, *row], key=lambda f: f.x0), lines[0].top, lines[0].bottom,
                     lines[0].size)
        lines = [*moved[:-1], first, *lines[1:]]
    elif carry and lines:
        shift = lines[0].top - _CARRY_GAP * lines[0].size - carry[-1].bottom
        lines = [*(_shifted(line, shift) for line in carry), *lines]
        _split_tight_rows(lines)  # (a row's label and figure under the headings carried: "行政事业性收费80,090.76")
    out = []
    for region in _regions(lines):
        try:
            built = build(region, page)
        # A layout this heuristic cannot make sense of stays running text: the page is still read.
        except (ValueError, IndexError, KeyError, ZeroDivisionError):
            log.debug("no borderless table built on page %d", page, exc_info=True)
            continue
        if built is not None:
            out.append(built)
    return out


def foot_lines(chars: Sequence[dict[str, Any]], size: float, furniture: Callable[[Line], bool],
               read: PageLines | None = None) -> list[Line]:
    """Return the lines at the foot of a page that may head a table continued on the next page.

    Read upwards from the last line that is not page furniture (`furniture`: a running page
    number): lines in the table's type `size`, close together, no figures among them, none a
    section heading, none a line of a table above them (the rest of its last row's label), at least
    one a row of several fragments (the column headings). Under such a header, a last line of
    nothing but figures is carried too: a row whose label opens the next page.
    """
    lines = [line for line in (read if read is not None else PageLines(chars)).lines() if not furniture(line)]
    if not lines:
        return []
    tail = _header_tail(lines, size)
    if tail or not _figures_only(lines[-1]) or abs(lines[-1].size - size) > _SIZE_TOLERANCE * size:
        return tail
    # The figures of a row whose label the page break put atop the next page, under the header.
    head = _header_tail(lines[:-1], size)
    return [*head, lines[-1]] if head and lines[-1].top - head[-1].bottom <= _ROW_GAP * size else []


def _figures_only(line: Line) -> bool:
    """Return True for a line of nothing but figures."""
    return all(f.numeric for f in line.fragments)


def _takes_figures(line: Line, figures: Line) -> bool:
    """Return True when `line` may be the label of a row whose `figures` stand at the foot of the page
    before: no figures of its own, in the same type, all of it left of the figures."""
    return (not any(f.numeric for f in line.fragments) and abs(line.size - figures.size) <= _SIZE_TOLERANCE * line.size
            and max(f.x1 for f in line.fragments) < min(f.x0 for f in figures.fragments))


def _header_tail(lines: Sequence[Line], size: float) -> list[Line]:
    """Return the lines of a table's header ending `lines` (see `foot_lines`), or none."""
    if not lines:
        return []
    tables = {id(line) for run in _regions(lines) for line in run}
    width = max(f.x1 for line in lines for f in line.fragments) - min(f.x0 for line in lines for f in line.fragments)
    tail: list[Line] = []
    for line in reversed(lines):
        if tail:
            gap = tail[0].top - line.bottom
            if gap > (_ROW_GAP if _is_row(line) or _is_row(tail[0]) else _LINE_GAP) * size:
                break
        heading = len(line.fragments) == 1 and _SECTION_HEADING.match(squeeze(line.fragments[0].text))
        if line.is_data or heading or id(line) in tables or not _is_table_line(line, size, width):
            break
        tail.insert(0, line)
    return tail if any(len(line.fragments) > 1 for line in tail) else []


def _shifted(line: Line, dy: float) -> Line:
    """Return a copy of `line` moved down by `dy` points."""
    # (Gaps and pieces kept: the parts of a heading set with no padding are still parted on the next page.)
    fragments = [replace(f, top=f.top + dy, bottom=f.bottom + dy, line=f.line - 10_000) for f in line.fragments]
    return Line(fragments, line.top + dy, line.bottom + dy, line.size, line.between_labels)


# --- lines and fragments ------------------------------------------------------------------


def _prose_ideograph(text: str) -> bool:
    """Return True for a character no figure and no blank cell prints: an ideograph but those of units and
    placeholders."""
    return len(text) == 1 and "\u4e00" <= text <= "\u9fff" and text not in _FIGURE_IDEOGRAPHS


def _baseline_groups(chars: Sequence[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """Group characters by baseline, top to bottom, each group left to right."""
    groups: list[list[dict[str, Any]]] = []
    group: list[dict[str, Any]] = []
    last = 0.0  # the bottom of the character before, the last of `group`
    for ch in sorted(chars, key=itemgetter("bottom")):
        bottom = ch["bottom"]
        if group and abs(bottom - last) <= _SAME_BASELINE * ch["size"]:
            group.append(ch)
        else:
            group = [ch]
            groups.append(group)
        last = bottom
    for group in groups:
        group.sort(key=itemgetter("x0"))
    return groups


def _lines(groups: Sequence[Sequence[dict[str, Any]]]) -> list[Line]:
    """Return the lines of characters grouped by baseline (`_baseline_groups`), each split into fragments."""
    lines = []
    for index, group in enumerate(groups):
        fragments = _fragments(group, index)
        lines.append(Line(fragments, min(f.top for f in fragments), max(f.bottom for f in fragments),
                           _median([c["size"] for c in group])))
    for above, line, below in zip(lines, lines[1:], lines[2:], strict=False):
        if len(line.fragments) == 1 and line.fragments[0].numeric:
            line.between_labels = _label_beside(above, line) and _label_beside(below, line)
    _split_tight_rows(lines)
    return _join_wrapped_figures(lines)


def _split_tight_rows(lines: list[Line]) -> None:
    """Part a label from the figure that follows it at a narrow gap, when the figure stands in a column.

    A web page printed with columns as narrow as their text ("行政事业性收费 80,090.76", a pixel of
    padding) sets a row's label and figure closer than a fragment break. The figure is a cell of its
    own when its left edge, centre or right edge is that of a figure or a heading of another row of
    cells on the page: prose that ends in a number stands in no such column.
    """
    anchors = [f for line in lines if len(line.fragments) > 1 for f in line.fragments[1:]]
    for line in lines:
        if len(line.fragments) != 1:
            continue
        parts = line.fragments[0].tail_figure
        if parts is None:
            continue
        figure = parts[1]
        if any(aligned(a, figure, line.size) and a.line != figure.line for a in anchors):
            line.fragments = parts


def _join_wrapped_figures(lines: list[Line]) -> list[Line]:
    """Join the digits a column too narrow for its figure wrapped onto the next line ("13" / "8").

    Such a line prints nothing but the rest of some figures of the row above, right under them,
    flush with their left edge, at the row's own line pitch (and, left of them, the rest of the
    row's label): a row of its own would print its label or a figure in every column.
    """
    out: list[Line] = []
    for line in lines:
        upper = out[-1] if out else None
        if upper is None or not _wraps_figures(upper, line):
            out.append(line)
            continue
        for fragment in (f for f in line.fragments if f.numeric):
            host = next(f for f in _figures(upper) if abs(f.x0 - fragment.x0) <= _WRAP_EDGE * line.size)
            host.text += fragment.text
            host.x1 = max(host.x1, fragment.x1)
            host.numeric = looks_numeric(host.text)
        labels = [f for f in line.fragments if not f.numeric]
        if labels:  # the rest of the row's label stays a line of its own
            out.append(Line(labels, min(f.top for f in labels), max(f.bottom for f in labels), line.size))
    return out


def _wraps_figures(upper: Line, line: Line) -> bool:
    """Return True when the figures of `line` are the rests of figures of the data line `upper` and its
    labels the rests of `upper`'s labels."""
    figures = _figures(upper)
    if not figures or any(not (f.numeric or _DIGITS.match(squeeze(f.text))) for f in upper.fragments
                          if f.x0 >= figures[0].x0):
        return False  # not a row of figures (the first digits of a wrapped one need not read as a number)
    rests = [f for f in line.fragments if f.numeric]
    labels = [f for f in line.fragments if not f.numeric]
    if not rests or len(rests) >= len(figures) or line.top - upper.bottom > CONTINUATION_GAP * line.size:
        return False
    if not all(squeeze(f.text).isdigit() and any(abs(u.x0 - f.x0) <= _WRAP_EDGE * line.size
                                                 and _DIGITS.match(squeeze(u.text)) for u in figures) for f in rests):
        return False
    upper_labels = [f for f in upper.fragments if f.x1 < figures[0].x0]
    return all(f.x1 < figures[0].x0 and not NUMBERING.match(squeeze(f.text))
               and any(aligned(u, f, line.size) for u in upper_labels) for f in labels)


def _figures(line: Line) -> list[Fragment]:
    """Return the fragments of a line that are figures or the first digits of one."""
    return [f for f in line.fragments if f.numeric or _DIGITS.match(squeeze(f.text))]


def _label_beside(other: Line, line: Line) -> bool:
    """Return True when `other` is a line of a label left of the lone figure of `line`, close above or below it."""
    gap = max(line.top - other.bottom, other.top - line.bottom)
    figure = line.fragments[0]
    return (gap <= CONTINUATION_GAP * line.size and abs(other.size - line.size) <= _SIZE_TOLERANCE * line.size
            and all(not f.numeric and f.x1 < figure.x0 for f in other.fragments))


def _fragments(chars: Sequence[dict[str, Any]], line: int) -> list[Fragment]:
    """Split a line's characters (left to right) at wide gaps."""
    pieces: list[list[dict[str, Any]]] = [[chars[0]]]
    for previous, ch in itertools.pairwise(chars):
        if ch["x0"] - previous["x1"] > _FRAGMENT_GAP * ch["size"]:
            pieces.append([ch])
        else:
            pieces[-1].append(ch)
    out = []
    for piece in pieces:
        fragment = _fragment(piece, line)  # spaced as pdfplumber spaces the text of a ruled cell
        narrow = _narrow_gaps(piece)
        fragment.gaps = [(piece[i - 1]["x1"], piece[i]["x0"]) for i in narrow]
        if narrow:
            # (A figure run's pieces too: two columns' figures set closer than a fragment break, "21 2,434".)
            fragment.pieces = _pieces(piece, narrow, line)
            if not fragment.numeric:
                fragment.tail_figure = _tail_figure(piece, narrow, fragment.pieces, line)
        out.append(fragment)
    return out


def _fragment(part: Sequence[dict[str, Any]], line: int) -> Fragment:
    """Return a run of characters as a fragment: its text, its box and the median of its type sizes."""
    text = chars_text(part)
    first = part[0]
    if len(part) == 1:
        x1, top, bottom, size = first["x1"], first["top"], first["bottom"], first["size"]
    else:
        x1, top = max([c["x1"] for c in part]), min([c["top"] for c in part])
        bottom, size = max([c["bottom"] for c in part]), _median([c["size"] for c in part])
    return Fragment(text, first["x0"], x1, top, bottom, size, line, numeric=looks_numeric(text) and bool(squeeze(text)))


def _median(values: list[float]) -> float:
    """Return the median of type sizes: the one size when all are equal (most runs and lines: no sort)."""
    return values[0] if values.count(values[0]) == len(values) else median(values)


def _narrow_gaps(piece: Sequence[dict[str, Any]]) -> list[int]:
    """Return the indexes of the characters of a run that stand a narrow gap right of the one before."""
    return [i for i in range(1, len(piece)) if piece[i]["x0"] - piece[i - 1]["x1"] > _NARROW_GAP * piece[i]["size"]]


def _pieces(piece: Sequence[dict[str, Any]], narrow: Sequence[int], line: int) -> list[Fragment]:
    """Return a run of characters parted at every narrow gap (`narrow`, see `_narrow_gaps`), each part a fragment."""
    return [_fragment(piece[a:b], line) for a, b in itertools.pairwise([0, *narrow, len(piece)])]


def _tail_figure(piece: Sequence[dict[str, Any]], narrow: Sequence[int], pieces: Sequence[Fragment],
                 line: int) -> list[Fragment] | None:
    """Return [label, figure] of a run of characters whose last part, after its last narrow gap, is a
    figure and whose first part is not; else None. `narrow` are the run's narrow gaps and `pieces` its
    parts between them (`_pieces`)."""
    cut = narrow[-1]
    label, figure = _fragment(piece[:cut], line), _fragment(piece[cut:], line)
    if not figure.numeric or label.numeric:
        return None
    # (The label part keeps its own narrow gaps: another column's figure may stand that close to it. Its
    # parts are the run's but the last.)
    label.gaps = [(piece[i - 1]["x1"], piece[i]["x0"]) for i in narrow[:-1]]
    label.pieces = list(pieces[:-1]) if label.gaps else []
    return [label, figure]


# --- regions -------------------------------------------------------------------------------


def _regions(lines: Sequence[Line]) -> list[list[Line]]:
    """Return runs of lines that form a table: data lines and the table lines around them."""
    data_sizes = [f.size for line in lines if line.is_data for f in line.fragments if f.numeric]
    if not data_sizes:
        return []
    size = median(data_sizes)
    left = min(f.x0 for line in lines for f in line.fragments)
    right = max(f.x1 for line in lines for f in line.fragments)
    runs: list[list[Line]] = []
    current: list[Line] = []
    for line in lines:
        fits = _is_table_line(line, size, right - left)
        gap = line.top - current[-1].bottom if current else 0.0
        rows = _is_row(line) or bool(current and _is_row(current[-1])) or _in_label_column(line, current)
        close = current and (gap <= _LINE_GAP * size or (rows and gap <= _ROW_GAP * size))
        if fits and (close or not current):
            current.append(line)
            continue
        runs.append(current)
        current = [line] if fits else []
    runs.append(current)
    return [run for run in (_trim(r) for r in _join_label_rests(runs, size)) if run and _is_table(run)]


def _join_label_rests(runs: list[list[Line]], size: float) -> list[list[Line]]:
    """Join a run of lines without figures to the table right below it when every line stands in that
    table's label column or heads a column of its figures: the rest of a label cut by a page break
    ("“三安全" / "一稳定”" at the top of the page, its figures on the page before), or a header whose
    label and heading stand on lines of their own, set a row's distance above the next row. Read from
    the foot up, so that lines printed over several runs (double spaced) join line by line."""
    out: list[list[Line]] = []
    for run in reversed(runs):
        below = out[0] if out else None
        if (below and run and not any(line.is_data for line in run) and below[0].top - run[-1].bottom
                <= _ROW_GAP * size and all(_in_label_column(line, below) or _heads_column(line, below)
                                           or _beside_label_column(line, below) for line in run)):
            out[0] = [*run, *below]
        else:
            out.insert(0, run)
    return out


def _in_label_column(line: Line, current: Sequence[Line]) -> bool:
    """Return True for a line of text inside the label column of the table read so far: left of its
    figures, not left of its labels. A table that spaces its cells' paragraphs sets the lines of two
    rows' labels as far apart as rows of cells."""
    area = _label_area(current)
    if area is None or len(line.fragments) != 1 or line.fragments[0].numeric:
        return False
    only = line.fragments[0]
    return only.x1 < area[1] and only.x0 >= area[0] - line.size


def _beside_label_column(line: Line, table: Sequence[Line]) -> bool:
    """Return True for a line of labels left of the figures of `table` with a part that starts at the
    table's label column: a group label (（六）其他处理) in a column of its own beside the first lines of
    its first row's label, where the rows below print no group label."""
    area = _label_area(table)
    if area is None or any(f.numeric for f in line.fragments):
        return False
    parts = [p for f in line.fragments for p in f.pieces or [f]]
    return (max(f.x1 for f in line.fragments) < area[1]
            and any(abs(p.x0 - area[0]) <= _WRAP_EDGE * line.size for p in parts))


def _label_area(table: Sequence[Line]) -> tuple[float, float] | None:
    """Return where the labels of the lines read as a table start and where its figures start (None
    before a line of figures): its label column lies between."""
    figures = [f.x0 for line in table if line.is_data for f in line.fragments if f.numeric]
    if not figures:
        return None
    return min(f.x0 for line in table for f in line.fragments), min(figures)


def _is_row(line: Line) -> bool:
    """Return True for a line that prints a row of cells: figures, or several fragments side by side."""
    return line.is_data or len(line.fragments) > 1


def _is_table_line(line: Line, size: float, text_width: float) -> bool:
    """Return True for a line that may belong to a table printed in type of `size`."""
    if abs(line.size - size) > _SIZE_TOLERANCE * size:
        return False
    if line.is_data:
        return True
    only = line.fragments[0]
    return len(line.fragments) > 1 or only.x1 - only.x0 < _PARAGRAPH_WIDTH * text_width


def _trim(run: list[Line]) -> list[Line]:
    """Drop lines before the last section-heading-like line above the first data line."""
    first_data = next((i for i, line in enumerate(run) if line.is_data), None)
    if first_data is None:
        return []
    start = 0
    for i in range(first_data):
        line = run[i]
        if (len(line.fragments) == 1 and _SECTION_HEADING.match(squeeze(line.fragments[0].text))
                and not _labels_figures(run[i:first_data + 1])):
            start = i + 1
    last_data = max(i for i, line in enumerate(run) if line.is_data)
    end = last_data + 1
    reach = _label_reach(run[start:end])
    # (A label's lines in its column: the leading measured over the lines below too, where the one
    # label that wraps may be the last row's.)
    column_reach = max(reach, _label_reach(run[start:]))
    while end < len(run) and _continues_labels(run[end - 1], run[end], run[start:end], (reach, column_reach)):
        end += 1  # the rest of the last row's label, printed below its figures (or cut by the page's end)
    return run[start:end]


def _labels_figures(lines: Sequence[Line]) -> bool:
    """Return True when a heading-like line is the first line of a wrapped row label: the figures of
    its row follow within a line or two, each line close under the one before."""
    close = all(b.top - a.bottom <= CONTINUATION_GAP * a.size for a, b in itertools.pairwise(lines))
    return len(lines) <= 3 and close


def _label_reach(table: Sequence[Line]) -> float:
    """Return how far apart (points) two lines of a label of this table may stand (see line_reach)."""
    figures = min(f.x0 for line in table if line.is_data for f in line.fragments if f.numeric)
    labels = [f for line in table for f in line.fragments if not f.numeric and f.x1 < figures]
    rows = {line.fragments[0].line for line in table if line.is_data} | header_lines(table, lambda f: f.cx >= figures)
    return line_reach(labels, rows, median(line.size for line in table))


def _continues_labels(upper: Line, lower: Line, table: Sequence[Line], reaches: tuple[float, float]) -> bool:
    """Return True when every fragment of `lower` is the next line of a label above it: close below
    the line before (`reaches[0]`), left of the table's figures, and each the next line of the label
    above it in its own column (`reaches[1]`, see `_next_line_of`): a group label's rest ("度办理结" /
    "果") stands beside the rest of its row's label ("（二）部分公开" / "（区分处理的，只")."""
    figures = min(f.x0 for line in table if line.is_data for f in line.fragments if f.numeric)
    size = upper.size
    if lower.top - upper.bottom > reaches[0]:
        return False
    # (A label set a narrow gap from its figure, "或重新 8", counts by its pieces.)
    labels = [p for line in table for f in line.fragments if not f.numeric for p in f.pieces or [f]
              if not p.numeric and p.x1 < figures]
    return all(f.x1 < figures and not f.numeric and _next_line_of(f, labels, reaches[1], size)
               for f in lower.fragments)


def _next_line_of(fragment: Fragment, labels: Sequence[Fragment], reach: float, size: float) -> bool:
    """Return True when the nearest label above `fragment` that shares some of its width (a piece of a
    run of labels set a narrow gap apart counts alone) is aligned with it and at most `reach` above."""
    above = [u for u in labels if u.bottom <= fragment.top + _SAME_BASELINE * size
             and min(u.x1, fragment.x1) > max(u.x0, fragment.x0)]
    if not above:
        return False
    nearest = max(above, key=lambda u: u.bottom)
    return fragment.top - nearest.bottom <= reach and aligned(nearest, fragment, size)


def _is_table(run: Sequence[Line]) -> bool:
    """Return True when the run is a table: two data lines, a data line under a heading line, one line
    of three figures, or a lone figure with its label wrapped around it (the one row of a table whose
    header stayed on the page before: "行政事业" / "80,090.76" / "性收费")."""
    data = [line for line in run if line.is_data]
    headed = any(len(line.fragments) > 1 and not line.is_data for line in run) or any(
        _heads_column(line, run) for line in run if not line.is_data)
    return len(data) >= 2 or (len(data) == 1 and (headed or _wrapped_row(data[0], run))) or any(
        sum(f.numeric for f in line.fragments) >= 3 for line in data)


def _wrapped_row(line: Line, run: Sequence[Line]) -> bool:
    """Return True for a line of nothing but figures set between two lines of a label left of them."""
    at = next(i for i, other in enumerate(run) if other is line)
    return (all(f.numeric for f in line.fragments) and 0 < at < len(run) - 1
            and _label_beside(run[at - 1], line) and _label_beside(run[at + 1], line))


def _heads_column(line: Line, run: Sequence[Line]) -> bool:
    """Return True when a line holds a heading over a column of figures: a fragment standing right of the
    run's labels, over a figure below it (centred on it, or flush left with it). In tight type a header
    label and its heading are on different baselines ("信息内" / "本年处理决定数量" / "容")."""
    left = min(f.x0 for other in run for f in other.fragments)
    figures = [f for other in run if other.is_data and other.top > line.top for f in other.fragments if f.numeric]
    return any(f.x0 > left + 2 * line.size and any(f.x0 - line.size <= g.x0 and g.cx <= f.x1 for g in figures)
               for f in line.fragments if not f.numeric)


# --- building ------------------------------------------------------------------------------


