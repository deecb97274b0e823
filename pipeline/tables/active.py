"""Table 二 (主动公开政府信息情况, the 第二十条 sub-tables), stacked in one grid or split over several.

Walks the rows keeping state: a "第二十条第（X）项" row opens a sub-table, a header row
(信息内容 + column labels) sets the columns, a data row is matched by its label (规章, 行政许可 …)
and its value cells are placed under the header's columns. Handles both templates' columns.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from pipeline.labels import best_match
from pipeline.model import Table
from pipeline.spec import ACTIVE_COLUMNS, ACTIVE_ROWS
from pipeline.tables.grid import KeyedCell, assign_columns, distinct, is_value, keyed
from pipeline.textnorm import squeeze

TABLE = "active_disclosure"
_ROWS = tuple((r.key, r.labels) for r in ACTIVE_ROWS)
_COLUMNS = tuple((c.key, c.labels) for c in ACTIVE_COLUMNS)
_ITEMS = {r.key: r.item for r in ACTIVE_ROWS}
_ITEM_MARKER = re.compile(r"第二十条第?\(?([一二三四五六七八九十]+)\)?项")


@dataclass
class State:
    """What the rows read so far say about the rows still to come (carried over split tables)."""

    columns: list[tuple[str, int, int]] = field(default_factory=list)


def recognize(table: Table, state: State | None = None) -> tuple[list[KeyedCell], State]:
    """Return the keyed cells of the 第二十条 rows in `table`, and the state for a continuation."""
    state = state or State()
    out: list[KeyedCell] = []
    seen: set[str] = set()
    for row in table.grid():
        cells = distinct(row)
        if not cells:
            continue
        if any(_ITEM_MARKER.search(squeeze(c.raw)) for c in cells):
            state.columns = []
            continue
        header = [(key, c.col, c.col + c.col_span) for c in cells if (key := best_match(c.raw, _COLUMNS))]
        if header:
            state.columns = header
            continue
        label, values = cells[0], [c for c in cells[1:] if is_value(c)]
        key = best_match(label.raw, _ROWS)
        if key is None or key in seen or not state.columns:
            continue
        seen.add(key)
        out.extend(keyed(TABLE, key, column, cell, _ITEMS[key])
                   for column, cell in assign_columns(values, state.columns))
    return out, state


def looks_like(table: Table) -> float:
    """Return a 0…1 score of how much `table` looks like a 第二十条 table."""
    # (Each printed text looked at once: a table of figures prints the same few again and again.)
    texts = Counter(c.raw for c in table.cells)
    rows = {best_match(t, _ROWS) for t in texts} - {None}
    markers = sum(n for t, n in texts.items() if _ITEM_MARKER.search(squeeze(t)))
    columns = {best_match(t, _COLUMNS) for t in texts} - {None}
    return min(1.0, (len(rows) + markers + len(columns)) / 5)
