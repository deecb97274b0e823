"""Table recognition: every table of a Document placed under the contract's keys, format-blind.

Each grid is scored against the three standard tables and read by the recognizer it fits
best; a table split into several grids (a page break a reader could not join, separate
第二十条 sub-tables) is read with the state the previous part left. Where a standard table has
no grid at all, its rows are recovered from the section's running text (pipeline.tables.textual).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from pipeline.model import Document, Table, TableBlock, TextBlock
from pipeline.sections import Section, appended
from pipeline.spec import TABLE_KEYS, TABLE_SPECS, TableSpec
from pipeline.tables import active, applications, review, textual
from pipeline.tables.grid import OWN_TABLE_SCORE, KeyedCell, with_method

_FULL_SCORE = 1.0  # the most a recognizer's looks_like gives (its scores are 0…1)


@dataclass(frozen=True)
class Recognizer:
    """How one standard table is recognized: how much a grid looks like it, how a grid is read (with the
    state a previous part of the same table left, for a table split over grids), and how its rows are
    recovered from running text where no grid was printed."""

    spec: TableSpec
    looks_like: Callable[[Table], float]
    read: Callable[[Table, Any], tuple[list[KeyedCell], Any]]
    from_text: Callable[[textual.TokenStream], list[KeyedCell]]


def _stateless(read: Callable[[Table], list[KeyedCell]]) -> Callable[[Table, Any], tuple[list[KeyedCell], Any]]:
    """Return a grid reader that needs no state from a previous part."""
    return lambda table, state: (read(table), state)


# The one registry: a new table is a TableSpec in pipeline/spec.py and a line here.
RECOGNIZERS: dict[str, Recognizer] = {r.spec.key: r for r in (
    Recognizer(TABLE_SPECS["active_disclosure"], active.looks_like, active.recognize, textual.active),
    Recognizer(TABLE_SPECS["applications"], applications.looks_like, applications.recognize, textual.applications),
    Recognizer(TABLE_SPECS["review_litigation"], review.looks_like, _stateless(review.recognize), textual.review),
)}


@dataclass
class Recognized:
    """The keyed cells of each standard table found, and how each was read."""

    cells: dict[str, list[KeyedCell]] = field(default_factory=lambda: {k: [] for k in TABLE_KEYS})
    # table → how its first part was read: grid / positions / ocr / html / docx (Table.method), or text
    method: dict[str, str] = field(default_factory=dict)

    def present(self, table: str) -> bool:
        """Return True when the table was found (even with no data row printed)."""
        return table in self.method


def recognize(document: Document, sections: Sequence[Section]) -> Recognized:
    """Return the keyed cells of the three standard tables of `document`."""
    result = Recognized()
    states: dict[str, Any] = {}
    last_kind: str | None = None
    for block in document.blocks:
        if not isinstance(block, TableBlock):
            continue
        kind = _kind_of(block, last_kind)
        if kind is None:
            last_kind = None
            continue
        cells, states[kind] = RECOGNIZERS[kind].read(block.table, states.get(kind))
        _add(result, kind, cells, block.table.method)
        last_kind = kind
    for kind in TABLE_KEYS:
        read = {c.row for c in result.cells[kind]}
        if 2 * len(read) >= len(TABLE_SPECS[kind].rows):
            continue
        # No grid of the table, or one read for less than half of its rows (a conversion that lost its
        # header, split it into fragments): its rows in the text, grids flattened, take its place when
        # they are more.
        found = _from_text(document, sections, RECOGNIZERS[kind])
        if found is not None and (not read or len({c.row for c in found}) > len(read)):
            result.cells[kind] = []
            result.method.pop(kind, None)
            _add(result, kind, found, "text")
    return result


def _kind_of(block: TableBlock, last_kind: str | None) -> str | None:
    scores: dict[str, float] = {}
    for key, recognizer in RECOGNIZERS.items():
        scores[key] = recognizer.looks_like(block.table)
        if scores[key] >= _FULL_SCORE:
            return key  # no later recognizer can score higher, and a tie goes to the first
    kind, best = max(scores.items(), key=lambda kv: kv[1])
    if best >= OWN_TABLE_SCORE:
        return kind
    # A headless continuation of the table just before it (rows only, no header).
    if last_kind is not None and scores[last_kind] > 0:
        return last_kind
    return None


def _add(result: Recognized, kind: str, cells: Sequence[KeyedCell], method: str) -> None:
    known = {(c.row, c.column) for c in result.cells[kind]}
    result.cells[kind].extend(with_method(c, method) for c in cells if (c.row, c.column) not in known)
    result.method.setdefault(kind, method)


def _lines_of(block: TextBlock | TableBlock) -> list[textual.Line]:
    """Return a block as lines: a grid that no recognizer could read (its header lost in a conversion,
    rows cut into fragments) row by row, its cells' texts (label and figures) in printed order."""
    if isinstance(block, TextBlock):
        return [(block.text, block.page, block.ocr_confidence)]
    lines: list[textual.Line] = []
    for row in range(block.table.n_rows):
        cells = block.table.row_cells(row)
        if not cells:
            continue
        scores = [c.ocr_confidence for c in cells if c.ocr_confidence is not None]
        lines.append((tuple(c.raw for c in cells), cells[0].page, min(scores) if scores else None))
    return lines


def _from_text(document: Document, sections: Sequence[Section], recognizer: Recognizer) -> list[KeyedCell] | None:
    """Return a table's cells recovered from the text of its section (None when the text does not print it)."""
    spec = recognizer.spec
    section = next((s for s in sections if s.key == spec.section), None)
    if section is None:
        return None
    others = [t.anchor for t in TABLE_SPECS.values() if t.key != spec.key]
    # Its section first, then the text after it, where reports append their tables (附表一 … after 六).
    for blocks in (section.body(document), appended(document, section, spec.anchor, others)):
        stream = textual.TokenStream([line for b in blocks for line in _lines_of(b)])
        cells = recognizer.from_text(stream)
        if cells or stream.find(spec.anchor, 0, max_gap=None) is not None:
            return cells
    return None
