"""Values read by OCR from a scan: which ones a person should compare with the page.

OCR on a clean scan reads digits with a confidence near 1; a smudge, a stamp over the table or
a faint print lowers it. Such a value may be right, so it is a warning to verify, never an
error; a cell where the engine read nothing is blank in the records and counted here, since a
faint digit can hide in it.
"""

from __future__ import annotations

from collections.abc import Iterator

from pipeline.checks.registry import Finding, finding, rule
from pipeline.checks.view import TABLE_LABELS, DocView, cell_label
from pipeline.spec import TABLE_KEYS

# Below this the engine itself doubts the reading; clean scans score 0.95 and above.
LOW_CONFIDENCE = 0.9


def _read_by_ocr(view: DocView) -> bool:
    return bool(view.confidence)


@rule("ocr.low_confidence", "warning", f"a number read by OCR with a confidence below {LOW_CONFIDENCE:g}",
      applies=_read_by_ocr)
def low_confidence(view: DocView) -> Iterator[Finding]:
    """Yield a warning per number that OCR read with a low confidence: check it against the scan."""
    for record in view.records:
        confidence = view.confidence.get((record.table, record.row, record.column))
        if confidence is None or record.value is None or confidence >= LOW_CONFIDENCE:
            continue
        where = f"{TABLE_LABELS.get(record.table, record.table)} {cell_label(record.table, record.row, record.column)}"
        yield finding("ocr.low_confidence", view.doc_id,
                      f"{where}: OCR read {record.raw!r} with confidence {confidence:.2f}; compare with the scan",
                      table=record.table, row=record.row, column=record.column, actual=record.value,
                      page=record.page)


@rule("ocr.blank_cells", "info", "blank cells of a scanned table (the engine read nothing in them)",
      where="table", applies=_read_by_ocr)
def blank_cells(view: DocView) -> Iterator[Finding]:
    """Yield an info per scanned table with cells where OCR read nothing, with their count."""
    for table in TABLE_KEYS:
        empty = [r for r in view.table_records(table)
                 if r.raw == "" and (r.table, r.row, r.column) in view.confidence]
        if empty:
            yield finding("ocr.blank_cells", view.doc_id,
                          f"{TABLE_LABELS[table]}: OCR read nothing in {len(empty)} cells; a faint figure may hide"
                          " in one, compare with the scan", table=table, actual=float(len(empty)), page=empty[0].page)
