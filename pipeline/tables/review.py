"""Table 四 (行政复议 / 行政诉讼): fifteen figures under a three-level header.

Each data column is placed by its header path (every header cell above it): the group
(行政复议, 未经复议直接起诉, 复议后起诉) from the path, the result (结果维持 … 总计) from its
lowest cell. The first row of values below the header is the data row.
"""

from __future__ import annotations

from pipeline.labels import best_match
from pipeline.model import Table
from pipeline.spec import REVIEW_COLUMNS, REVIEW_ROWS
from pipeline.tables.grid import KeyedCell, distinct, is_value, keyed

TABLE = "review_litigation"
_ROWS = tuple((r.key, r.labels) for r in REVIEW_ROWS)
_COLUMNS = tuple((c.key, c.labels) for c in REVIEW_COLUMNS)
# Most specific first: 复议后起诉 and 未经复议直接起诉 sit under 行政诉讼, beside 行政复议.
_PRECEDENCE = ("litigation_after_review", "litigation_direct", "administrative_review")


def recognize(table: Table) -> list[KeyedCell]:
    """Return the keyed cells of the data row of a table-四 grid (empty when none is printed)."""
    grid = table.grid()
    header_end = _first_data_row(grid)
    if header_end is None or header_end == 0:
        return []
    out: list[KeyedCell] = []
    seen_cells: set[int] = set()
    for col, cell in enumerate(grid[header_end]):
        if cell is None or id(cell) in seen_cells:
            continue
        seen_cells.add(id(cell))
        path = distinct([grid[r][col] for r in range(header_end)])
        groups = {best_match(c.raw, _ROWS) for c in path}
        group = next((g for g in _PRECEDENCE if g in groups), None)
        column = best_match(path[-1].raw, _COLUMNS) if path else None
        if group and column:
            out.append(keyed(TABLE, group, column, cell))
    return _unique(out)


def _first_data_row(grid: list) -> int | None:
    started = False
    for r, row in enumerate(grid):
        cells = distinct(row)
        if not started:
            started = any(best_match(c.raw, _ROWS) == "administrative_review" for c in cells)
            continue
        if cells and all(is_value(c) for c in cells) and len(cells) >= 5:
            return r
    return None


def _unique(cells: list[KeyedCell]) -> list[KeyedCell]:
    seen: set[tuple[str, str]] = set()
    out = []
    for cell in cells:
        if (cell.row, cell.column) not in seen:
            seen.add((cell.row, cell.column))
            out.append(cell)
    return out


def looks_like(table: Table) -> float:
    """Return a 0…1 score of how much `table` looks like table 四."""
    texts = [c.raw for c in table.cells]
    groups = {best_match(t, _ROWS) for t in texts} - {None}
    columns = {best_match(t, _COLUMNS) for t in texts} - {None}
    return min(1.0, (len(groups) + len(columns)) / 6)
