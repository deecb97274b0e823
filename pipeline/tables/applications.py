"""Table 三 (收到和处理政府信息公开申请情况): rows by meaning of their label cells, seven applicant columns.

Rows are told apart by the most specific label cell of the row (the rightmost), within the group
named by a spanning cell to its left (（三）不予公开, （四）无法提供, （五）不予处理, （六）其他处理);
the vertical "三、本年度办理结果" cell and the 勾稽 note in the header play no part. Columns come
from the lowest header cell over each grid column (自然人 / 商业企业 … / 总计).
"""

from __future__ import annotations

from collections.abc import Sequence

from pipeline.labels import best_match, score
from pipeline.model import Cell, Table
from pipeline.spec import APPLICATION_COLUMNS, APPLICATION_GROUPS, APPLICATION_ROWS
from pipeline.tables.grid import Grid, KeyedCell, distinct, keyed

TABLE = "applications"
_TOP_ROWS = tuple((r.key, r.labels) for r in APPLICATION_ROWS if not r.parent)
_SUB_ROWS = tuple((r.key, r.labels) for r in APPLICATION_ROWS if r.parent and r.key != "other.misc")
_COLUMNS = tuple((c.key, c.labels) for c in APPLICATION_COLUMNS)


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


def recognize(table: Table, columns: dict[int, str] | None = None) -> tuple[list[KeyedCell], dict[int, str]]:
    """Return the keyed cells of a table-三 grid, and the column map used (for a continuation)."""
    grid = table.grid()
    start = first_data_row(grid)
    if start is not None and start > 0:
        columns = column_map(grid, start) or columns
    if not columns:
        return [], {}
    start = start or 0
    first_value = min(columns)
    out: list[KeyedCell] = []
    seen: set[str] = set()
    for r in range(start, table.n_rows):
        labels = [c.raw for c in distinct(grid[r][:first_value]) if c.raw.strip()]
        key = row_key_of(labels)
        if key is None or key in seen:  # a row printed twice keeps its first printing
            continue
        seen.add(key)
        out.extend(_row_cells(grid[r], columns, key))
    return out, columns


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
    """Return a 0…1 score of how much `table` looks like table 三."""
    grid = table.grid()
    labels = {best_match(c.raw, _TOP_ROWS) for c in table.cells}
    hits = len(labels & {"new_received", "carried_over", "granted", "partially_granted", "total", "carried_forward"})
    has_columns = bool(column_map(grid, min(len(grid), 4)))
    return min(1.0, hits / 4) * (1.0 if has_columns else 0.6)
