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
from pipeline.tables.grid import Grid, KeyedCell, distinct, keyed

TABLE = "applications"
_TOP_ROWS = tuple((r.key, r.labels) for r in APPLICATION_ROWS if not r.parent)
_SUB_ROWS = tuple((r.key, r.labels) for r in APPLICATION_ROWS if r.parent and r.key != "other.misc")
_COLUMNS = tuple((c.key, c.labels) for c in APPLICATION_COLUMNS)
_CONTINUATION_SCORE = 0.3  # the most a part without any top row scores (a table of its own needs 0.5)


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
    over a page break): the applicant columns ({grid column: column key}), the grid's width, and the
    figures of its last row when that row printed no label (with the column map they are read with)."""

    keys: dict[int, str]
    width: int
    unlabelled: tuple[Row, dict[int, str]] | None = None


def recognize(table: Table, columns: ColumnMap | None = None) -> tuple[list[KeyedCell], ColumnMap | None]:
    """Return the keyed cells of a table-三 grid, and the column map used (for a continuation)."""
    grid = table.grid()
    start = first_data_row(grid)
    own = column_map(grid, start) if start is not None and start > 0 else {}
    if own:
        cells, unlabelled = _rows(grid, start or 0, own)
        return cells, ColumnMap(own, table.n_cols, unlabelled)
    if columns is None or not columns.keys:
        return [], columns
    # A part without its header takes the columns of the part before. Its grid may be wider or narrower
    # (a label column split in two on one page only): its figures still end each row, so the map is also
    # tried aligned on the right, and the reading that tells more rows by their labels is kept.
    shift = table.n_cols - columns.width
    maps = [columns.keys]
    if shift and min(columns.keys) + shift > 0:
        maps.append({col + shift: key for col, key in columns.keys.items()})
    readings = [(_rows(grid, start or 0, keys, columns.unlabelled), keys) for keys in maps]
    (cells, unlabelled), keys = max(readings, key=lambda reading: len({c.row for c in reading[0][0]}))
    return cells, ColumnMap(keys, table.n_cols, unlabelled)


def _rows(grid: Grid, start: int, columns: dict[int, str], unlabelled: tuple[Row, dict[int, str]] | None = None,
          ) -> tuple[list[KeyedCell], tuple[Row, dict[int, str]] | None]:
    """Return the keyed cells of the grid's rows from `start`, read with the column map `columns`, and the
    figures of the last row when it printed no label.

    A row cut by a page break can leave its figures on one page under no label and its label on the
    next over blank cells (a browser's print of a row set in the middle): `unlabelled` are such figures
    left by the part before, and a row of figures under no label of its own waits for the next row,
    whose label takes them when it is printed on a later page over blank cells.
    """
    first_value = min(columns)
    out: list[KeyedCell] = []
    seen: set[str] = set()
    rest_of: int | None = None  # a row whose label was the rest of the row above's
    for r in range(start, len(grid)):
        if r == rest_of:
            continue
        labels = [c for c in distinct(grid[r][:first_value]) if c.raw.strip()]
        figures = _has_figures(grid[r], columns)
        key = row_key_of([c.raw for c in labels])
        if key is None and r + 1 < len(grid):
            key = _split_row_key(labels, grid[r + 1], first_value, columns)
            rest_of = r + 1 if key is not None else None
        if key is None:
            if figures or labels:  # (an empty row leaves the figures before it waiting)
                own_label = any(c.row == r for c in labels)
                unlabelled = (grid[r], columns) if figures and not own_label else None
            continue
        if key not in seen:  # a row printed twice keeps its first printing
            seen.add(key)
            if unlabelled is not None and not figures and _page_of(unlabelled[0]) < _page_of(labels):
                out.extend(_row_cells(unlabelled[0], unlabelled[1], key))
            else:
                out.extend(_row_cells(grid[r], columns, key))
        unlabelled = None
    return out, unlabelled


def _page_of(cells: Sequence[Cell | None]) -> float:
    """Return the last page the cells are printed on (infinity when none says: a format without pages)."""
    pages = [cell.page for cell in cells if cell is not None and cell.page is not None]
    return max(pages) if pages else float("inf")


def _has_figures(row: Row, columns: dict[int, str]) -> bool:
    """Return True when a row prints something in an applicant column."""
    return any(cell is not None and cell.raw.strip() for col in columns if col < len(row) and (cell := row[col]))


def _split_row_key(labels: Sequence[Cell], below: Sequence[Cell | None], first_value: int,
                   columns: dict[int, str]) -> str | None:
    """Return the key of a row whose label no key fits, when the next row prints nothing but the rest of
    that label and is no row of its own: a row cut by a page break into two grid rows ("（二）部分公开（区分处理的，只"
    with the figures, "计这一情形，不计其他情形）" over blank cells on the next page); else None."""
    if not labels or _has_figures(below, columns):
        return None
    held = {id(c) for c in labels}
    parts = [c.raw for c in distinct(below[:first_value]) if id(c) not in held and c.raw.strip()]
    if not parts or row_key_of(parts) is not None:
        return None  # nothing below, or a row of its own printed blank
    rest = "".join(parts)
    return row_key_of([*(c.raw for c in labels[:-1]), labels[-1].raw + rest])


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
    what makes a table of its own, enough to be read as the continuation of table 三 before it."""
    grid = table.grid()
    labels = {best_match(c.raw, _TOP_ROWS) for c in table.cells}
    hits = len(labels & {"new_received", "carried_over", "granted", "partially_granted", "total", "carried_forward"})
    if not hits:
        numbered = {best_match(c.raw, _SUB_ROWS, min_score=0.9) for c in table.cells} - {None}
        return _CONTINUATION_SCORE * min(1.0, len(numbered) / 4)
    has_columns = bool(column_map(grid, min(len(grid), 4)))
    return min(1.0, hits / 4) * (1.0 if has_columns else 0.6)
