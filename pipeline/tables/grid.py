"""Shared helpers for reading a Table as a grid: value cells, distinct cells of a row, header paths."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from pipeline.model import Box, Cell, GridRef, Table
from pipeline.textnorm import looks_numeric, squeeze


@dataclass(frozen=True, slots=True)
class KeyedCell:
    """A printed table cell placed under the contract's keys."""

    table: str
    row: str
    column: str
    raw: str
    page: int | None
    item: str | None = None
    confidence: float | None = None  # OCR confidence 0…1 when the cell was read from a scan
    method: str | None = None  # how the table was read: grid / positions / ocr / html / docx / text
    box: Box | None = None  # where it is printed on `page` (PDF points); None where unknown
    grid_ref: GridRef | None = None  # its place in the file's table markup (HTML, Word)


def with_method(cell: KeyedCell, method: str) -> KeyedCell:
    """Return `cell` marked as read by `method`: `dataclasses.replace(cell, method=method)` written out, as it
    runs for every cell of a report (tests/test_tables_grid.py holds it to `replace` over every field)."""
    return KeyedCell(cell.table, cell.row, cell.column, cell.raw, cell.page, cell.item, cell.confidence, method,
                     cell.box, cell.grid_ref)


def keyed(table: str, row: str, column: str, cell: Cell, item: str | None = None) -> KeyedCell:
    """Return the KeyedCell of a printed grid cell, with its text, page, OCR confidence and place."""
    return KeyedCell(table, row, column, cell.raw, cell.page, item, cell.ocr_confidence, box=cell.box,
                     grid_ref=cell.grid_ref)


Grid = list[list[Cell | None]]
# A grid whose recognizer scores it this much (0…1) is that table; below, it is read only as the
# continuation of the same table right before it.
OWN_TABLE_SCORE = 0.5


def is_value(cell: Cell | None) -> bool:
    """Return True for a data cell: a number, or blank / a placeholder (—, /, 无)."""
    return cell is None or looks_numeric(cell.raw)


def is_blank_cell(cell: Cell | None) -> bool:
    return cell is None or not squeeze(cell.raw)


def distinct(cells: Sequence[Cell | None]) -> list[Cell]:
    """Return the cells of a grid row left to right, a merged cell once, positions with no cell skipped."""
    seen: set[int] = set()
    out: list[Cell] = []
    for cell in cells:
        if cell is not None and id(cell) not in seen:
            seen.add(id(cell))
            out.append(cell)
    return out


def overlap(a_start: int, a_end: int, b_start: int, b_end: int) -> int:
    """Return how many grid columns two half-open ranges share."""
    return max(0, min(a_end, b_end) - max(a_start, b_start))


def assign_columns(values: Sequence[Cell], columns: Sequence[tuple[str, int, int]]) -> list[tuple[str, Cell]]:
    """Place the value cells of a row under header columns (key, first col, end col).

    Equal counts pair in order: header and data spans often disagree in reports typed by hand
    (a header over columns 2–3 above data in 1–2). Otherwise each value goes to the header it
    overlaps most; where several land on one header, the first one that prints something wins.
    """
    if len(values) == len(columns):
        return [(key, cell) for (key, _, _), cell in zip(columns, values, strict=True)]
    chosen: dict[str, Cell] = {}
    for cell in values:
        best = max(columns, key=lambda col: overlap(cell.col, cell.col + cell.col_span, col[1], col[2]), default=None)
        if best is None or overlap(cell.col, cell.col + cell.col_span, best[1], best[2]) == 0:
            continue
        current = chosen.get(best[0])
        if current is None or (is_blank_cell(current) and not is_blank_cell(cell)):
            chosen[best[0]] = cell
    return [(key, chosen[key]) for key, _, _ in columns if key in chosen]


def table_text_cells(table: Table) -> list[Cell]:
    """Return the cells of a table that hold text other than a number."""
    return [c for c in table.cells if squeeze(c.raw) and not looks_numeric(c.raw)]
