"""What a rule sees of one document: its documents row, its sections and its records, indexed.

Views are built from output rows (dicts with the contract's columns), so they come out the
same whether the rows were just parsed or read back from Parquet. Also here: the printed
names of cells, for messages a person can find in the document.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from pipeline.records import RECORD_FIELDS, Record
from pipeline.spec import (
    ACTIVE_ROWS,
    APPLICATION_ROWS,
    SECTION_KEYS,
    SECTION_SPECS,
    STANDARD_TABLES,
    RowSpec,
)
from pipeline.textnorm import squeeze

_SHORT_LABEL = 12  # longer template labels are shown by their unnumbered variant
_MAX_LABEL = 18


@dataclass(frozen=True, slots=True)
class Prose:
    """A row of the sections table."""

    section: str
    heading: str
    text: str
    page_start: int | None = None
    page_end: int | None = None

    def prose_lines(self) -> list[str]:
        """Return the running-text lines, without the rows of tables printed in the section."""
        # block_text joins the cells of a table row with tabs; running text has none.
        return [line for line in self.text.splitlines() if "\t" not in line and line.strip()]

    def pages(self) -> str:
        """Return "p.3" or "p.3–4" (or "" when the reader gives no pages)."""
        if self.page_start is None:
            return ""
        if self.page_end in (None, self.page_start):
            return f"p.{self.page_start}"
        return f"p.{self.page_start}–{self.page_end}"


@dataclass
class DocView:
    """One document as the rules read it."""

    document: Mapping[str, Any]
    sections: tuple[Prose, ...] = ()
    records: tuple[Record, ...] = ()
    # OCR confidence of the records read from a scan, by (table, row, column); empty for text documents.
    confidence: Mapping[tuple[str, str, str], float] = field(default_factory=dict)
    _cells: dict[tuple[str, str, str], Record] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._cells = {(r.table, r.row, r.column): r for r in self.records}

    @property
    def doc_id(self) -> str:
        """Return the document id."""
        return self.document.get("doc_id") or ""

    @property
    def year(self) -> int | None:
        """Return the report year (None when not found)."""
        return self.document.get("year")

    @property
    def body(self) -> str | None:
        """Return the publishing body as a matching key: its body_id (the same body however its name is
        printed), else the agency without spaces (NFKC) for rows written before body_id."""
        if self.document.get("body_id"):
            return str(self.document["body_id"])
        agency = self.document.get("agency")
        return squeeze(agency) if agency else None

    @property
    def name(self) -> str:
        """Return how the report is named for people: agency and year, else the file name."""
        agency = self.document.get("agency")
        if agency:
            return f"{agency} {self.year}" if self.year else agency
        return str(self.document.get("source_path") or self.doc_id).rsplit("/", 1)[-1]

    def cell(self, table: str, row: str, column: str) -> Record | None:
        """Return the record of a printed cell, or None when the document does not print it."""
        return self._cells.get((table, row, column))

    def value(self, table: str, row: str, column: str) -> float | None:
        """Return the printed number of a cell (None when blank or not printed)."""
        record = self.cell(table, row, column)
        return record.value if record is not None else None

    def table_records(self, table: str) -> list[Record]:
        """Return the records of one table, in printed order."""
        return [r for r in self.records if r.table == table]

    def printed_rows(self, table: str) -> set[str]:
        """Return the keys of the rows the document prints in `table`."""
        return {r.row for r in self.records if r.table == table}

    def section(self, key: str) -> Prose | None:
        """Return the section `key`, or None when the document has none."""
        return next((s for s in self.sections if s.section == key), None)


def confidence_map(ocr_values: Iterable[Mapping[str, Any]]) -> dict[tuple[str, str, str], float]:
    """Return the OCR confidence of ocr_values rows (of one document) by (table, row, column)."""
    return {(r["table"], r["row"], r["column"]): r["confidence"] for r in ocr_values}


def views_from_rows(documents: Iterable[Mapping[str, Any]], sections: Iterable[Mapping[str, Any]],
                    records: Iterable[Mapping[str, Any] | Record],
                    ocr_values: Iterable[Mapping[str, Any]] = ()) -> list[DocView]:
    """Return one DocView per documents row, in order, with its sections, records (rows, or Records
    already built) and OCR confidences."""
    by_doc_sections: dict[str, list[Prose]] = defaultdict(list)
    for row in sections:
        by_doc_sections[row["doc_id"]].append(Prose(row["section"], row.get("heading") or "", row.get("text") or "",
                                                    row.get("page_start"), row.get("page_end")))
    by_doc_records: dict[str, list[Record]] = defaultdict(list)
    for item in records:
        if not isinstance(item, Record):
            values: list[Any] = [item.get(name) for name in RECORD_FIELDS]  # a missing column reads as null
            item = Record(*values)
        record = item
        by_doc_records[record.doc_id].append(record)
    by_doc_confidence: dict[str, dict[tuple[str, str, str], float]] = defaultdict(dict)
    for row in ocr_values:
        by_doc_confidence[row["doc_id"]][(row["table"], row["row"], row["column"])] = row["confidence"]
    return [DocView(doc, tuple(by_doc_sections.get(doc.get("doc_id") or "", ())),
                    tuple(by_doc_records.get(doc.get("doc_id") or "", ())),
                    by_doc_confidence.get(doc.get("doc_id") or "", {}))
            for doc in documents]


def number(value: float | None) -> str:
    """Return a value as printed in a message: 12 rather than 12.0; "blank" for None."""
    if value is None:
        return "blank"
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def page_note(*records: Record | None) -> str:
    """Return " (p.N)" for the first record with a page, or ""."""
    page = first_page(*records)
    return f" (p.{page})" if page is not None else ""


def first_page(*records: Record | None) -> int | None:
    """Return the page of the first record that has one."""
    return next((r.page for r in records if r is not None and r.page is not None), None)


def _row_label(spec: RowSpec) -> str:
    """Return a row's label short enough for a message, with its group (不予公开 …) where it has one."""
    label = spec.labels[0] if len(spec.labels[0]) <= _SHORT_LABEL else spec.labels[-1]
    if spec.parent:
        label = f"{spec.parent[0]} {label}"
    return label if len(label) <= _MAX_LABEL else label[:_MAX_LABEL] + "…"


_ROW_LABELS: dict[str, dict[str, str]] = {
    "active_disclosure": {r.key: r.labels[0] for r in ACTIVE_ROWS},
    "applications": {r.key: _row_label(r) for r in APPLICATION_ROWS},
    # The contract names the litigation rows with their group: 行政诉讼·未经复议直接起诉.
    "review_litigation": {"administrative_review": "行政复议", "litigation_direct": "行政诉讼·未经复议直接起诉",
                          "litigation_after_review": "行政诉讼·复议后起诉"},
}
_COLUMN_LABELS: dict[str, dict[str, str]] = {t.key: {c.key: c.labels[0] for c in t.columns} for t in STANDARD_TABLES}
_SECTION_LABELS: dict[str, str] = {"preamble": "前言", **{s.key: f"{s.number}、{s.titles[0]}" for s in SECTION_SPECS}}
TABLE_LABELS: dict[str, str] = {t.key: t.label for t in STANDARD_TABLES}


def row_label(table: str | None, row: str | None) -> str:
    """Return the printed label of a row key (the key itself when unknown)."""
    if table == "sections":
        return _SECTION_LABELS.get(row or "", row or "")
    if row and "+" in row:  # a finding that points at two rows (a sum, or a split cell)
        return " + ".join(row_label(table, part) for part in row.split("+"))
    return _ROW_LABELS.get(table or "", {}).get(row or "", row or "")


def column_label(table: str | None, column: str | None) -> str:
    """Return the printed label of a column key (the key itself when unknown)."""
    if column and "+" in column:
        return " + ".join(column_label(table, part) for part in column.split("+"))
    return _COLUMN_LABELS.get(table or "", {}).get(column or "", column or "")


def cell_label(table: str | None, row: str | None, column: str | None) -> str:
    """Return "行政复议 总计": the row and column labels of a cell, as a person finds it."""
    parts = [row_label(table, row) if row else "", column_label(table, column) if column else ""]
    return " ".join(p for p in parts if p)


def section_keys() -> Sequence[str]:
    """Return the six standard section keys (the preamble excluded), in order."""
    return SECTION_KEYS[1:]
