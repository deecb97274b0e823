"""A document's pages as blocks, and the join of a table that runs over a page break.

Every reader of paged documents (PDF pages read from their text, scanned pages and long
pictures read by OCR) places its blocks per page with the column lines of each table;
`join_continued_tables` then flattens the pages, joining a table continued on the next page
to its first part: same outline, header repeats dropped, a row or a label cut by the break
("（四）无" / "法提供") rejoined.
"""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache, reduce

from pipeline.labels import unnumbered_key
from pipeline.model import Block, Cell, Table, TableBlock
from pipeline.spec import STANDARD_TABLES
from pipeline.textnorm import NUMBERING, clean_cell, looks_numeric, squeeze

__all__ = ["PageBlocks", "join_continued_tables", "nearest", "page_blocks", "snap"]

# A label that opens a new row rather than continuing a cut one: （五）, 1., 2、, 一、
_JOIN_X_TOLERANCE = 4.0  # points: column lines of a continued table may drift this much


@dataclass
class PageBlocks:
    """The blocks of one page, plus the geometry needed to join tables across pages."""

    blocks: list[Block] = field(default_factory=list)
    # x positions of the column lines of each table block, keyed by index in `blocks`
    xs: dict[int, list[float]] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)  # pages read by OCR say so


def page_blocks(placed: list[tuple[float, Block, list[float] | None]]) -> PageBlocks:
    """Return a page's blocks from (top, block, column lines or None), top to bottom."""
    placed.sort(key=lambda item: item[0])
    result = PageBlocks()
    for index, (_, block, xs) in enumerate(placed):
        result.blocks.append(block)
        if xs is not None:
            result.xs[index] = xs
    return result


def _placed(cell: Cell, row: int, col: int, col_span: int) -> Cell:
    """Return `cell` at another place of its grid: `dataclasses.replace(cell, row=…, col=…, col_span=…)`
    written out, as a join moves every cell of a table (its generic field walk was a twentieth of a
    parse); tests/test_parsers_page_breaks.py holds it to `replace` over every field of Cell."""
    return Cell(cell.raw, cell.text, row, col, cell.row_span, col_span, cell.page, cell.ocr_confidence, cell.box,
                cell.grid_ref)


def nearest(lines: Sequence[float], value: float) -> int:
    """Return the index of the line nearest `value` in sorted `lines` (the lower one on a tie)."""
    i = bisect.bisect_left(lines, value)
    if i == 0:
        return 0
    if i == len(lines) or value - lines[i - 1] <= lines[i] - value:
        return i - 1
    return i


def join_continued_tables(pages: Sequence[PageBlocks]) -> list[Block]:
    """Flatten the pages into one block list, joining a table that runs over a page break."""
    blocks: list[Block] = []
    last_xs: list[float] | None = None  # column lines of blocks[-1] when it is a table
    for page in pages:
        for index, block in enumerate(page.blocks):
            xs = page.xs.get(index)
            prev = blocks[-1] if blocks else None
            cut = _label_rest(prev, block, xs, last_xs) if index == 0 else None
            if cut is not None:  # the rest of the last row's label, printed atop this page's part
                blocks[-1], block = TableBlock(cut[0]), TableBlock(cut[1])
                prev = blocks[-1]
            fitted = _fitted_lines(prev, block, xs, last_xs) if index == 0 else None
            # (Rule-less parts that fit each other's figures join by those: the end of a part's label area
            # is no rule, and snapped among the other part's lines it would split a column of figures.)
            if (index == 0 and fitted is None and isinstance(block, TableBlock) and isinstance(prev, TableBlock)
                    and xs is not None and last_xs is not None and _same_outline(xs, last_xs)):
                lines = snap([*last_xs, *xs], _JOIN_X_TOLERANCE)
                first = _regrid(prev.table, last_xs, lines)
                rest = _regrid(block.table, xs, lines)
                blocks[-1] = TableBlock(_append_rows(first, rest))
                last_xs = lines
                continue
            if (fitted is not None and isinstance(prev, TableBlock) and isinstance(block, TableBlock)
                    and xs is not None and last_xs is not None):
                # A table printed without rules, continued on the next page: its figures' columns
                # fitted to the first part's, label columns of either part kept.
                first = _regrid(prev.table, last_xs, fitted)
                blocks[-1] = TableBlock(_append_rows(first, _regrid(block.table, xs, fitted)))
                last_xs = fitted
                continue
            split = _leading_rows(prev, block, xs, last_xs) if index == 0 else None
            if split is not None and isinstance(prev, TableBlock):
                # The last rows of a rule-less table at the top of the next page, above another
                # table's heading on the same page ("行政强制" before 第二十条第（八）项).
                head, tail = split
                blocks[-1] = TableBlock(_append_rows(prev.table, head))
                blocks.append(TableBlock(tail))
                last_xs = xs
                continue
            blocks.append(block)
            last_xs = xs
    return blocks


def _label_rest(prev: Block | None, block: Block, xs: Sequence[float] | None = None,
                base: Sequence[float] | None = None) -> tuple[Table, Table] | None:
    """Move the rests of labels cut by the page break from atop a rule-less part to the last row of the
    rule-less table before the break ("行政规" / "范性文件"; "（三）不" / "予公开" beside "1.属于国" /
    "家秘密"): the part's first row prints labels and nothing else, each below a label of that last row
    (by their columns' place on the page, `xs` and `base`, or in order from the right), and the row's
    own label, no whole row label before the break, makes one with its rest."""
    if not (isinstance(prev, TableBlock) and isinstance(block, TableBlock)
            and prev.table.method == block.table.method == "positions" and block.table.n_rows > 1):
        return None
    first, rest = prev.table, block.table
    top = sorted((c for c in rest.cells if c.row == 0 and c.raw.strip()), key=lambda c: c.col)
    if not top or any(looks_numeric(c.raw) or NUMBERING.match(squeeze(c.raw)) for c in top):
        return None
    last = first.n_rows - 1
    labels = sorted((c for c in first.cells if c.row + c.row_span - 1 == last and c.raw.strip()
                     and not looks_numeric(c.raw)), key=lambda c: c.col)
    if len(labels) < len(top) or not any(c.row == last and looks_numeric(c.raw) and c.raw.strip() for c in first.cells):
        return None
    pairs = _cut_pairs(labels, top, xs, base)
    if pairs is None:
        return None
    label, tail = pairs[-1]
    if label is not labels[-1] or _whole_label(label.raw) or not _whole_label(label.raw + tail.raw):
        return None  # (joined as a cell cut by the break is, see _append_rows)
    skip = max(c.row_span for c in top)
    if any(c.row < skip and c.raw.strip() for c in rest.cells if c not in top) or skip >= rest.n_rows:
        return None
    joined = {id(upper): upper.raw + lower.raw for upper, lower in pairs}
    cells = tuple(replace(c, raw=joined[id(c)], text=clean_cell(joined[id(c)]), box=None) if id(c) in joined else c
                  for c in first.cells)
    moved = tuple(_placed(c, c.row - skip, c.col, c.col_span) for c in rest.cells if c.row >= skip)
    return replace(first, cells=cells), replace(rest, cells=moved, n_rows=rest.n_rows - skip)


def _cut_pairs(labels: Sequence[Cell], top: Sequence[Cell], xs: Sequence[float] | None,
               base: Sequence[float] | None) -> list[tuple[Cell, Cell]] | None:
    """Pair each label rest atop the next page (`top`, left to right) with the label of the last row
    before the break it goes on (`labels`, left to right): the one whose columns share most of its
    width on the page when the column lines of both parts are known, else the same from the right.
    None when two rests would go on one label."""
    if xs is None or base is None:
        return list(zip(labels[len(labels) - len(top):], top, strict=True))
    def span(lines: Sequence[float], cell: Cell) -> tuple[float, float]:
        return lines[cell.col], lines[min(cell.col + cell.col_span, len(lines) - 1)]

    pairs = []
    for cell in top:
        x0, x1 = span(xs, cell)
        shared = {id(u): min(x1, span(base, u)[1]) - max(x0, span(base, u)[0]) for u in labels}
        upper = max(labels, key=lambda u: shared[id(u)])
        if shared[id(upper)] <= 0:
            return None
        pairs.append((upper, cell))
    return pairs if len({id(u) for u, _ in pairs}) == len(pairs) else None


def _leading_rows(prev: Block | None, block: Block, xs: Sequence[float] | None,
                  base: Sequence[float] | None) -> tuple[Table, Table] | None:
    """Split a rule-less table at the top of a page into the rows that continue the rule-less table
    before the break (its leading rows of figures, each figure within a column of the first part)
    and the rest; None when its first row does not continue it."""
    if not (isinstance(prev, TableBlock) and isinstance(block, TableBlock) and xs and base
            and prev.table.method == block.table.method == "positions"):
        return None
    first_value, rest_value = _first_value_column(prev.table), _first_value_column(block.table)
    rest = block.table
    if first_value is None or rest_value is None or first_value == 0 or len(base) - first_value < 2:
        return None
    count = 0
    while count < rest.n_rows and any(c.raw.strip() and looks_numeric(c.raw) for c in rest.row_cells(count)):
        count += 1
    if count == 0 or count == rest.n_rows:
        return None
    values = list(base[first_value:])
    half = min(b - a for a, b in itertools.pairwise(values)) / 2
    moved = []
    for cell in (c for c in rest.cells if c.row < count):
        if not cell.raw.strip():
            continue  # a blank printed nowhere: the first part's grid has its own
        if looks_numeric(cell.raw):
            centre = (xs[cell.col] + xs[cell.col + cell.col_span]) / 2
            col = min(range(len(values) - 1), key=lambda i: abs((values[i] + values[i + 1]) / 2 - centre))
            if abs((values[col] + values[col + 1]) / 2 - centre) > half:
                return None
            moved.append(replace(cell, col=first_value + col, col_span=1))
        elif cell.col + cell.col_span <= rest_value:
            label = min(nearest(base, xs[cell.col]), first_value - 1)
            moved.append(replace(cell, col=label, col_span=first_value - label))
        else:
            return None
    head = Table(cells=tuple(moved), n_rows=count, n_cols=prev.table.n_cols, page=rest.page, method=rest.method)
    tail = Table(cells=tuple(_placed(c, c.row - count, c.col, c.col_span) for c in rest.cells if c.row >= count),
                 n_rows=rest.n_rows - count, n_cols=rest.n_cols, page=rest.page, method=rest.method)
    return head, tail


def _fitted_lines(prev: Block | None, block: Block, xs: Sequence[float] | None,
                  base: Sequence[float] | None) -> list[float] | None:
    """Return the column lines of a rule-less table and its rest on the next page, or None when the
    rest is no continuation of it.

    The parts of a table rebuilt from text positions share their figures' columns only roughly
    (the figures of each page set them): each line of the rest's figure columns must stand within
    half the narrowest column of the first part's, in the same number. Their label columns may
    differ (a group label column that stayed on the page before, a sub-label column the first part
    did not need): the lines of both are kept.
    """
    if not (isinstance(prev, TableBlock) and isinstance(block, TableBlock) and xs and base
            and prev.table.method == block.table.method == "positions"):
        return None
    first_value, rest_value = _first_value_column(prev.table), _first_value_column(block.table)
    if first_value is None or rest_value is None:
        return None
    values, rest_values = list(base[first_value:]), list(xs[rest_value:])
    if len(values) != len(rest_values) or len(values) < 2:
        return None
    tolerance = min(b - a for a, b in itertools.pairwise(values)) / 2
    if any(abs(a - b) > tolerance for a, b in zip(values, rest_values, strict=True)):
        return None
    labels = [x for x in snap([*base[:first_value], *xs[:rest_value]], _JOIN_X_TOLERANCE) if x < values[0] - tolerance]
    return [*labels, *values]


def _first_value_column(table: Table) -> int | None:
    """Return the first column of a table's figures (the column line where its label area ends)."""
    return min((c.col for c in table.cells if c.raw.strip() and looks_numeric(c.raw)), default=None)


def _same_outline(xs: Sequence[float], base: Sequence[float]) -> bool:
    """True when two tables share their left and right borders (the rest of one table)."""
    return abs(xs[0] - base[0]) <= _JOIN_X_TOLERANCE and abs(xs[-1] - base[-1]) <= _JOIN_X_TOLERANCE


def snap(values: Iterable[float], tolerance: float) -> list[float]:
    """Return the sorted distinct positions, treating values within `tolerance` of the last kept one as it."""
    out: list[float] = []
    for value in sorted(values):
        if not out or value - out[-1] > tolerance:
            out.append(value)
    return out


def _regrid(table: Table, xs: Sequence[float], lines: Sequence[float]) -> Table:
    """Return `table` on the finer column lines `lines` (a header drawn without inner rules, say)."""
    places = [nearest(lines, x) for x in xs]  # the line each column line falls on
    if places == list(range(len(xs))) and all(c.col + c.col_span < len(xs) for c in table.cells):
        cells = table.cells  # every column line is a line of its own among `lines`: no cell moves
    else:
        cells = tuple(_placed(c, c.row, places[c.col], max(1, places[c.col + c.col_span] - places[c.col]))
                      for c in table.cells)
    return Table(cells=cells, n_rows=table.n_rows, n_cols=len(lines) - 1, page=table.page, method=table.method)


def _append_rows(first: Table, rest: Table) -> Table:
    """Return `first` with the rows of `rest` below it (header repeats dropped, cut cells rejoined)."""
    skip = _repeated_header_rows(first, rest)
    moved = [c for c in rest.cells if c.row >= skip]
    offset = first.n_rows - skip
    cells = list(first.cells)
    bottom = {c.col: i for i, c in enumerate(cells) if c.row + c.row_span == first.n_rows}
    top_row = [c for c in moved if c.row == skip]
    split_row = _is_split_row(top_row, cells, bottom)
    # Only a group label (one with the row's own label to its right) can be cut by the break;
    # the rightmost label of a row with values is a new row ("规章" / "行政规范性文件").
    last_label = max((c.col for c in top_row if c.raw.strip() and not looks_numeric(c.raw)), default=-1)
    for cell in moved:
        i = bottom.get(cell.col)
        upper = cells[i] if i is not None else None
        group_cut = cell.col < last_label and upper is not None and _continues(upper, cell)
        joins = upper is not None and upper.col_span == cell.col_span and (split_row or group_cut)
        if cell.row == skip and joins and i is not None and upper is not None:
            cells[i] = replace(upper, raw=upper.raw + cell.raw, text=clean_cell(upper.raw + cell.raw),
                               row_span=upper.row_span + cell.row_span,
                               ocr_confidence=_joined_confidence(upper, cell),
                               # Printed on two pages, it has no one box on its page.
                               box=upper.box if not cell.raw.strip() else None)
            continue
        cells.append(_placed(cell, cell.row + offset, cell.col, cell.col_span))
    if rest.method == "positions":
        split_rows = max((c.row_span for c in top_row), default=1) if split_row else 0
        _extend_cut_groups(cells, bottom, moved, skip, last_label, split_rows)
    return Table(cells=tuple(cells), n_rows=first.n_rows + rest.n_rows - skip, n_cols=first.n_cols, page=first.page,
                 method=first.method)


def _extend_cut_groups(cells: list[Cell], bottom: dict[int, int], moved: Sequence[Cell], skip: int,
                       last_label: int, split_rows: int) -> None:
    """Stretch a group label left on the page before over the numbered rows that continue it.

    A table printed without rules prints a group label ((六)其他处理) once, beside its first rows:
    when the break falls inside the group, the rows after it have nothing in the label's column,
    and their own labels go on numbering (2., 3. …).
    """
    for col, i in bottom.items():
        upper = cells[i]
        if col >= last_label or not upper.raw.strip() or looks_numeric(upper.raw):
            continue
        # The rest of a row cut by the break was joined to the row above: the group goes over it.
        extra = split_rows
        row = skip + extra
        while True:
            here = [c for c in moved if c.row == row]
            numbered = any(c.col > col and NUMBERING.match(squeeze(c.raw)) for c in here)
            if not here or not numbered or any(c.col <= col < c.col + c.col_span for c in here):
                break
            extra += 1
            row += 1
        if extra:
            cells[i] = replace(upper, row_span=upper.row_span + extra)


def _joined_confidence(upper: Cell, lower: Cell) -> float | None:
    """Return the OCR confidence of a cell joined from its parts on two pages: the lower of the parts
    that hold text (an empty part read nothing and lowers nothing), 0.0 when neither does."""
    printed = [c.ocr_confidence for c in (upper, lower) if c.raw.strip()]
    if not printed:
        return _lower(upper.ocr_confidence, lower.ocr_confidence)
    return reduce(_lower, printed)


def _lower(a: float | None, b: float | None) -> float | None:
    """Return the lower of two OCR confidences (None: the text was not read by OCR)."""
    return a if b is None else b if a is None else min(a, b)


def _is_split_row(row: Sequence[Cell], cells: Sequence[Cell], bottom: dict[int, int]) -> bool:
    """True when the first row after a page break is the rest of the last row before it.

    The lower part of a cut row prints no number and only unnumbered rests of the cells above.
    When its first cell holds text and the rest is empty it may as well be a new row with blank
    values: it counts as cut only when the row above prints a number (a data row whose label
    ran over); a header row or a row of blanks above keeps it as a row of its own.
    """
    if not row:
        return False
    uppers = {c.col: cells[bottom[c.col]] for c in row if c.col in bottom}
    for cell in row:
        if not cell.raw.strip():
            continue
        upper = uppers.get(cell.col)
        if upper is None or looks_numeric(cell.raw) or NUMBERING.match(squeeze(cell.raw)):
            return False
        if not _continues(upper, cell):
            return False
    first = min(row, key=lambda c: c.col)
    if not first.raw.strip():
        return True  # the rest of a header or label: the row's first cell continues a merged cell
    others_empty = all(not c.raw.strip() for c in row if c is not first)
    upper_has_number = any(cells[i].raw.strip() and looks_numeric(cells[i].raw) for i in bottom.values())
    # The label of a row of figures that is already whole is complete ("行政强制" / 第二十条第（八）项).
    whole = any(_whole_label(u.raw) for u in uppers.values() if u.raw.strip())
    return others_empty and upper_has_number and not whole


def _continues(upper: Cell, lower: Cell) -> bool:
    """True when `lower` (first row after the break) is the rest of the merged label cell `upper`."""
    if upper.col_span != lower.col_span or (looks_numeric(upper.raw) and upper.raw.strip()):
        return False
    if not lower.raw.strip():
        return upper.row_span > 1 or bool(upper.raw.strip())  # an empty stub of a merged label cell
    if looks_numeric(lower.raw) or not upper.raw.strip():
        return False
    # A cut label ("（四）无" / "法提供") continues; a numbered label opens a new row.
    return not NUMBERING.match(squeeze(lower.raw))


@lru_cache(maxsize=1)
def _row_label_keys() -> frozenset[str]:
    """Return the matching keys of every canonical row label of the standard tables."""
    return frozenset(unnumbered_key(label) for table in STANDARD_TABLES for row in table.rows for label in row.labels)


def _whole_label(text: str) -> bool:
    """Return True when `text` reads as one of the standard tables' row labels, whole."""
    return unnumbered_key(text) in _row_label_keys()


def _repeated_header_rows(first: Table, rest: Table) -> int:
    """Return how many leading rows of `rest` repeat the leading rows of `first`."""
    def row_text(table: Table, row: int) -> str:
        return "|".join(squeeze(c.raw) for c in table.row_cells(row))

    count = 0
    while count < min(first.n_rows, rest.n_rows) - 1:
        text = row_text(rest, count)
        if not text.strip("|") or text != row_text(first, count):
            break
        count += 1
    return count
