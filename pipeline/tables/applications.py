"""Table 三 (收到和处理政府信息公开申请情况): rows by meaning of their label cells, seven applicant columns.

Rows are told apart by the most specific label cell of the row (the rightmost), within the group
named by a spanning cell to its left (（三）不予公开, （四）无法提供, （五）不予处理, （六）其他处理);
the vertical "三、本年度办理结果" cell and the 勾稽 note in the header play no part. Columns come
from the lowest header cell over each grid column (自然人 / 商业企业 … / 总计).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from pipeline.labels import best_match, score
from pipeline.model import Cell, Table
from pipeline.spec import APPLICATION_COLUMNS, APPLICATION_GROUPS, APPLICATION_ROWS
from pipeline.tables.grid import OWN_TABLE_SCORE, Grid, KeyedCell, distinct, keyed
from pipeline.textnorm import looks_numeric

TABLE = "applications"
_TOP_ROWS = tuple((r.key, r.labels) for r in APPLICATION_ROWS if not r.parent)
_SUB_ROWS = tuple((r.key, r.labels) for r in APPLICATION_ROWS if r.parent and r.key != "other.misc")
_COLUMNS = tuple((c.key, c.labels) for c in APPLICATION_COLUMNS)
_CONTINUATION_SCORE = 0.3  # the most a part without any top row scores (below OWN_TABLE_SCORE)
_HEADER_COLUMNS = 5  # of the seven applicant columns a header printed alone names at least


def row_key_of(labels: Sequence[str]) -> str | None:
    """Return the row key for the label cells of one row, left to right."""
    if not labels:
        return None
    group = None
    for text in labels[:-1]:
        group = _group_of(text) or group
    specific = labels[-1]
    if group is not None and _group_of(specific) != group:
        options = [(r.key, r.labels) for r in APPLICATION_ROWS if r.parent == APPLICATION_GROUPS[group]]
        key = best_match(specific, options)
        if key is not None:
            return key
    found = best_match(specific, _TOP_ROWS) or best_match("".join(labels), _TOP_ROWS)
    # A sub-row whose group cell was lost (cut by a page break, say): its own label still tells.
    return found or best_match(specific, _SUB_ROWS, min_score=0.9)


def _group_of(text: str) -> str | None:
    for group, labels in APPLICATION_GROUPS.items():
        if any(score(text, label) >= 0.8 for label in labels):
            return group
    return None


def column_map(grid: Grid, header_rows: int) -> dict[int, str]:
    """Return {grid column: column key} from the lowest header cell that names each column."""
    out: dict[int, str] = {}
    n_cols = len(grid[0]) if grid else 0
    for col in range(n_cols):
        for row in range(header_rows - 1, -1, -1):
            cell = grid[row][col]
            key = best_match(cell.raw, _COLUMNS) if cell is not None else None
            if key is not None:
                out[col] = key
                break
    # Two grid columns under one merged header cell: the data sits in the first.
    first: dict[str, int] = {}
    for col, key in sorted(out.items()):
        first.setdefault(key, col)
    return {col: key for key, col in sorted(first.items(), key=lambda kv: kv[1])}


def first_data_row(grid: Grid) -> int | None:
    """Return the index of the first row whose label is a table-三 row label, or None."""
    for r, row in enumerate(grid):
        for cell in distinct(row):
            if best_match(cell.raw, _TOP_ROWS, min_score=0.85) in ("new_received", "carried_over"):
                return r
    return None


Row = Sequence[Cell | None]


@dataclass(frozen=True)
class ColumnMap:
    """What a part of table 三 leaves the part after it, printed without its header (the rest of the table
    over a page break): the applicant columns ({grid column: column key}), the grid's width, and its last
    row when that row printed figures that no label tells yet (its label completed on the next page)."""

    keys: dict[int, str]
    width: int
    waiting: Waiting | None = None


def recognize(table: Table, columns: ColumnMap | None = None) -> tuple[list[KeyedCell], ColumnMap | None]:
    """Return the keyed cells of a table-三 grid, and the column map used (for a continuation)."""
    grid = table.grid()
    start = first_data_row(grid)
    if start is None and _header_only(table):
        # The header alone, its rows on the next page (a page picture, a Word table split at a page):
        # its columns are what the next part is read with.
        own = column_map(grid, len(grid))
        return [], ColumnMap(own, table.n_cols) if own else columns
    own = column_map(grid, start) if start is not None and start > 0 else {}
    if own:
        cells, waiting = _rows(grid, start or 0, own)
        return cells, ColumnMap(own, table.n_cols, waiting)
    if columns is None or not columns.keys:
        return [], columns
    # A part without its header takes the columns of the part before. Its grid may be wider or narrower
    # (a label column split in two on one page only): its figures still end each row, so the map is also
    # tried aligned on the right, and the reading that tells more rows by their labels is kept.
    shift = table.n_cols - columns.width
    maps = [columns.keys]
    if shift and min(columns.keys) + shift > 0:
        maps.append({col + shift: key for col, key in columns.keys.items()})
    readings = [(_rows(grid, start or 0, keys, columns.waiting), keys) for keys in maps]
    (cells, waiting), keys = max(readings, key=lambda reading: len({c.row for c in reading[0][0]}))
    return cells, ColumnMap(keys, table.n_cols, waiting)


def _rows(grid: Grid, start: int, columns: dict[int, str], waiting: Waiting | None = None,
          ) -> tuple[list[KeyedCell], Waiting | None]:
    """Return the keyed cells of the grid's rows from `start`, read with the column map `columns`, and
    the last row when it printed figures that no label of its own tells (`Waiting`).

    A row cut by a page break prints its figures on one page and the rest of its label, over blank
    cells, on the next: the label's first lines beside the figures ("（二）部分公开（区分处理的，只" /
    "计这一情形，不计其他情形）"), or none of it (a browser's print of a row set in the middle: the
    figures under an empty label cell, "7.属于行政执法案卷" atop the next page). Such figures wait for
    the next row, here or in the next part (`waiting`), whose label completes theirs.
    """
    first_value = min(columns)
    out: list[KeyedCell] = []
    seen: set[str] = set()
    for r in range(start, len(grid)):
        labels = [c for c in distinct(grid[r][:first_value]) if c.raw.strip()]
        figures = _has_figures(grid[r], columns)
        if not figures and not labels:
            continue  # an empty row: figures before it still wait
        key = row_key_of([c.raw for c in labels])
        source: tuple[Row, dict[int, str]] = (grid[r], columns)
        if waiting is not None and not figures:
            completed = waiting.completed_by(labels, key)
            if completed is not None:
                key, source = completed, (waiting.row, waiting.columns)
        waiting = None
        if key is None:
            if figures:
                waiting = Waiting(grid[r], columns, tuple(labels), any(c.row == r for c in labels))
            continue
        if key not in seen:  # a row printed twice keeps its first printing
            seen.add(key)
            out.extend(_row_cells(*source, key))
    return out, waiting


@dataclass(frozen=True)
class Waiting:
    """A row of figures that no label tells yet: its cells, the column map they are read with, its label
    cells (those spanning from rows above included) and whether it prints a label of its own."""

    row: Row
    columns: dict[int, str]
    labels: tuple[Cell, ...]
    own_label: bool

    def completed_by(self, labels: Sequence[Cell], key: str | None) -> str | None:
        """Return the key of this row completed by the label cells of the next row, printed over blank
        cells: the rest of its own label (no row of its own), or, where it printed none, the next row's
        label on a later page; None when they do not complete it."""
        if not self.own_label:
            return key if key is not None and _page_of(self.row) < _page_of(labels) else None
        held = {id(c) for c in self.labels}
        parts = [c.raw for c in labels if id(c) not in held]
        if not parts or row_key_of(parts) is not None:
            return None  # nothing of its own below, or a row of its own printed blank
        return row_key_of([*(c.raw for c in self.labels[:-1]), self.labels[-1].raw + "".join(parts)])


def _header_only(table: Table) -> bool:
    """Return True for a grid that prints no figure (a header whose rows are on the next page)."""
    return not any(c.raw.strip() and looks_numeric(c.raw) for c in table.cells)


def _page_of(cells: Sequence[Cell | None]) -> float:
    """Return the last page the cells are printed on (infinity when none says: a format without pages)."""
    pages = [cell.page for cell in cells if cell is not None and cell.page is not None]
    return max(pages) if pages else float("inf")


def _has_figures(row: Row, columns: dict[int, str]) -> bool:
    """Return True when a row prints something in an applicant column."""
    return any(cell is not None and cell.raw.strip() for col in columns if col < len(row) and (cell := row[col]))


def _row_cells(row: Sequence[Cell | None], columns: dict[int, str], key: str) -> list[KeyedCell]:
    seen: set[int] = set()
    out = []
    for col, column in sorted(columns.items()):
        # A continuation grid can be narrower than the header it takes its columns from (a ragged grid).
        cell = row[col] if col < len(row) else None
        if cell is None or id(cell) in seen:
            continue
        seen.add(id(cell))
        out.append(keyed(TABLE, key, column, cell))
    return out


def looks_like(table: Table) -> float:
    """Return a 0…1 score of how much `table` looks like table 三; a part printing none of its top rows but
    some of its numbered ones (the middle of the table, between two page breaks) scores a little, below
    what makes a table of its own, enough to be read as the continuation of table 三 before it; its header
    printed alone (the rows on the next page) scores just what makes a table of its own."""
    grid = table.grid()
    texts = {c.raw for c in table.cells}  # (each printed text matched once)
    labels = {best_match(text, _TOP_ROWS) for text in texts}
    hits = len(labels & {"new_received", "carried_over", "granted", "partially_granted", "total", "carried_forward"})
    columns = column_map(grid, min(len(grid), 4))
    if len(columns) >= _HEADER_COLUMNS and _header_only(table):  # its rows on the next page
        return OWN_TABLE_SCORE  # a table of its own, just
    if not hits:
        numbered = {best_match(text, _SUB_ROWS, min_score=0.9) for text in texts} - {None}
        return _CONTINUATION_SCORE * min(1.0, len(numbered) / 4)
    return min(1.0, hits / 4) * (1.0 if columns else 0.6)
