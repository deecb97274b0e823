"""Table recognition: every table of a Document placed under the contract's keys, format-blind.

Each grid is scored against the three standard tables and read by the recognizer it fits
best; a table split into several grids (a page break a reader could not join, separate
第二十条 sub-tables) is read with the state the previous part left. Where a standard table has
no grid at all, its rows are recovered from the section's running text (pipeline.tables.textual).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from pipeline.model import Document, TableBlock, TextBlock
from pipeline.sections import Section
from pipeline.spec import TABLE_KEYS
from pipeline.tables import active, applications, review, textual
from pipeline.tables.grid import KeyedCell

_MIN_SCORE = 0.5


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
    active_state: active.State | None = None
    app_columns: dict[int, str] | None = None
    last_kind: str | None = None
    for block in document.blocks:
        if not isinstance(block, TableBlock):
            continue
        kind = _kind_of(block, last_kind)
        if kind == "active_disclosure":
            cells, active_state = active.recognize(block.table, active_state)
        elif kind == "applications":
            cells, app_columns = applications.recognize(block.table, app_columns)
        elif kind == "review_litigation":
            cells = review.recognize(block.table)
        else:
            last_kind = None
            continue
        _add(result, kind, cells, block.table.method)
        last_kind = kind
    for kind in TABLE_KEYS:
        if not result.cells[kind]:
            _from_text(document, sections, kind, result)
    return result


def _kind_of(block: TableBlock, last_kind: str | None) -> str | None:
    scores = {
        "active_disclosure": active.looks_like(block.table),
        "applications": applications.looks_like(block.table),
        "review_litigation": review.looks_like(block.table),
    }
    kind, best = max(scores.items(), key=lambda kv: kv[1])
    if best >= _MIN_SCORE:
        return kind
    # A headless continuation of the table just before it (rows only, no header).
    if last_kind is not None and scores[last_kind] > 0:
        return last_kind
    return None


def _add(result: Recognized, kind: str, cells: Sequence[KeyedCell], method: str) -> None:
    known = {(c.row, c.column) for c in result.cells[kind]}
    result.cells[kind].extend(replace(c, method=method) for c in cells if (c.row, c.column) not in known)
    result.method.setdefault(kind, method)


_TEXT_READERS = {"active_disclosure": textual.active, "applications": textual.applications,
                 "review_litigation": textual.review}


def _from_text(document: Document, sections: Sequence[Section], kind: str, result: Recognized) -> None:
    """Recover a table from the running text of its section (no grid was printed or found)."""
    section = next((s for s in sections if s.key == kind), None)
    if section is None:
        return
    lines = [(b.text, b.page, b.ocr_confidence) for b in section.body(document) if isinstance(b, TextBlock)]
    stream = textual.TokenStream(lines)
    cells = _TEXT_READERS[kind](stream)
    if cells or _has_header(stream, kind):
        _add(result, kind, cells, "text")


def _has_header(stream: textual.TokenStream, kind: str) -> bool:
    anchors = {"active_disclosure": "信息内容", "applications": "申请人情况", "review_litigation": "尚未审结"}
    return stream.find(anchors[kind], 0, max_gap=None) is not None
