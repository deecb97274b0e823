"""Keyed cells → output records: values parsed, raw text kept, provenance carried (the page, how the
cell was read and where it is printed: its box on the page, or its place in an HTML or Word table; the
OCR confidence in rows of its own, so that the records table keeps the contract's columns)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, fields
from typing import Any

from pipeline.model import Box, GridRef
from pipeline.tables.grid import KeyedCell
from pipeline.textnorm import parse_number


@dataclass(frozen=True, slots=True)
class Record:
    """One printed table cell under the contract's keys (a row of the records table)."""

    doc_id: str
    table: str
    item: str | None
    row: str
    column: str
    value: float | None  # None where the cell is blank, a placeholder (—, /, 无) or not a number
    raw: str  # the cell text as printed
    page: int | None
    method: str | None = None  # how the cell was read: grid / positions / ocr / html / docx / text
    # The cell's box on its page, PDF points from the page's top-left (null without page geometry).
    x0: float | None = None
    top: float | None = None
    x1: float | None = None
    bottom: float | None = None
    # HTML and Word: the table's index in the document, the cell's row and column in its printed grid.
    grid_table: int | None = None
    grid_row: int | None = None
    grid_col: int | None = None


# How a cell was read: the Table methods of the readers, and "text" for rows recovered from running text.
METHODS = ("grid", "positions", "ocr", "html", "docx", "text")
RECORD_FIELDS = tuple(f.name for f in fields(Record))  # the records table's columns, in order


def to_records(doc_id: str, cells: Iterable[KeyedCell]) -> list[Record]:
    """Return one Record per keyed cell; the value is parsed, never invented or corrected."""
    return [
        Record(doc_id, c.table, c.item, c.row, c.column, parse_number(c.raw), c.raw.strip(), c.page,
               c.method, *_box(c.box), *_grid(c.grid_ref))
        for c in cells
    ]


_Corners = tuple[float | None, float | None, float | None, float | None]


def _box(box: Box | None) -> _Corners:
    if box is None:
        return None, None, None, None
    return round(box.x0, 2), round(box.top, 2), round(box.x1, 2), round(box.bottom, 2)


def _grid(ref: GridRef | None) -> tuple[int | None, int | None, int | None]:
    return (None, None, None) if ref is None else (ref.table, ref.row, ref.col)


def ocr_rows(doc_id: str, cells: Iterable[KeyedCell]) -> list[dict[str, Any]]:
    """Return the rows of the ocr_values table: the confidence of each record read by OCR."""
    return [
        {"doc_id": doc_id, "table": c.table, "item": c.item, "row": c.row, "column": c.column, "page": c.page,
         "confidence": c.confidence}
        for c in cells if c.confidence is not None
    ]
