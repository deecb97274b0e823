"""Keyed cells → output records: values parsed, raw text kept, provenance carried."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

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


def to_records(doc_id: str, cells: Iterable[KeyedCell]) -> list[Record]:
    """Return one Record per keyed cell; the value is parsed, never invented or corrected."""
    return [
        Record(doc_id, c.table, c.item, c.row, c.column, parse_number(c.raw), c.raw.strip(), c.page)
        for c in cells
    ]
