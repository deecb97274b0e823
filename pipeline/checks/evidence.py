"""Is a table's reading supported by its evidence: which tables need a person's review, and why.

A born-digital grid (ruled PDF, Word or HTML table) is the body's own printing: when its numbers
break a 勾稽 rule, that is the body's error, reported as a finding. A table that had to be
reconstructed — read by OCR, rebuilt from text positions, or recovered from running text — is
different: a broken rule there may be a misread. Such a table needs review when its printed cells
break an error rule, or when OCR read values below the confidence threshold. Any table needs review
when rows its template prints are missing (a row lost at a page break is never silent), when cells
its rows should hold are missing, or when a cell prints digits that make no number, and a report
whose every table cell is blank is never taken as good. Everything here reads what the output
tables hold, so `govreport check` on written output reaches the same verdict.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from pipeline.checks.ocr import LOW_CONFIDENCE
from pipeline.checks.registry import Finding
from pipeline.checks.view import TABLE_LABELS, DocView
from pipeline.records import Record
from pipeline.spec import (
    APPLICATION_COLUMNS,
    APPLICATION_GROUPS,
    APPLICATION_ROWS,
    REVIEW_COLUMNS,
    REVIEW_ROWS,
    TABLE_KEYS,
    TABLE_SPECS,
)
from pipeline.textnorm import label_key, squeeze

# Ways of reading that rebuild a table rather than take the grid the file prints.
RECONSTRUCTED = frozenset({"ocr", "positions", "text"})
UNREAD = "unread"  # the method of a table printed in the text that no reader could read
_SHOWN = 4  # keys named in a reason before "…"

# The cells each row of table 二 prints, per template (the contract's table of columns).
_ACTIVE_2021: dict[str, tuple[str, ...]] = {
    "regulations": ("issued", "repealed", "in_force"),
    "normative_documents": ("issued", "repealed", "in_force"),
    "administrative_licensing": ("decisions",),
    "administrative_penalty": ("decisions",),
    "administrative_coercion": ("decisions",),
    "administrative_fees": ("amount_10k_yuan",),
}
_ACTIVE_2019: dict[str, tuple[str, ...]] = {
    "regulations": ("new_made", "new_published", "total_published"),
    "normative_documents": ("new_made", "new_published", "total_published"),
    "administrative_licensing": ("previous_year_items", "change", "decisions"),
    "other_external_services": ("previous_year_items", "change", "decisions"),
    "administrative_penalty": ("previous_year_items", "change", "decisions"),
    "administrative_coercion": ("previous_year_items", "change", "decisions"),
    "administrative_fees": ("previous_year_items", "change"),
    "government_procurement": ("procurement_items", "procurement_amount"),
}
_APPLICATION_COLUMNS = tuple(c.key for c in APPLICATION_COLUMNS)
_OTHER_2021 = tuple(r.key for r in APPLICATION_ROWS if r.parent == APPLICATION_GROUPS["other"])  # （六） 1.–3.
_APPLICATION_BASE = tuple(r.key for r in APPLICATION_ROWS if r.key != "other" and r.key not in _OTHER_2021)
_REVIEW_COLUMNS = tuple(c.key for c in REVIEW_COLUMNS)


@dataclass(frozen=True, slots=True)
class Doubt:
    """A table whose reading needs review: how it was read and why it is doubted."""

    table: str
    method: str
    reasons: tuple[str, ...]

    def describe(self) -> str:
        """Return the reason as `documents.error` states it: table, how it was read, why."""
        label = TABLE_LABELS.get(self.table, self.table)
        how = f", read as {self.method}" if self.method != UNREAD else ""
        return f"{self.table} ({label}{how}): {'; '.join(self.reasons)}"


def assess(view: DocView, findings: Iterable[Finding]) -> list[Doubt]:
    """Return the tables of a document whose reading needs review, in table order."""
    errors: dict[str, set[str]] = {}
    for f in findings:
        if f.severity == "error" and f.table:
            errors.setdefault(f.table, set()).add(f.rule)
    doubts = []
    for table in TABLE_KEYS:
        records = view.table_records(table)
        if not records:
            if _printed_but_unread(view, table):
                doubts.append(Doubt(table, UNREAD, (
                    f"printed (its header {TABLE_SPECS[table].anchor} and figures after its row labels are in "
                    "the text) but no cell could be read",)))
            continue
        method = _method(records)
        reasons = _missing(table, records)
        if method in RECONSTRUCTED:
            if table in errors:
                reasons.append(f"its printed cells break {', '.join(sorted(errors[table]))}")
            low = [r for r in records if r.value is not None
                   and view.confidence.get((r.table, r.row, r.column), 1.0) < LOW_CONFIDENCE]
            if low:
                reasons.append(f"{len(low)} values read by OCR with confidence below {LOW_CONFIDENCE:g}")
        # Digits that make no number ("2,28": a figure whose end went elsewhere, in a grid too: the rest of
        # a figure wrapped onto the next page is a row of its own there) are a misread, not a blank.
        garbled = [f"{r.row}.{r.column}" for r in records if r.value is None and any(c.isdigit() for c in r.raw)]
        if garbled:
            reasons.append(f"{len(garbled)} cells print digits that read as no number ({_names(garbled)})")
        if reasons:
            doubts.append(Doubt(table, method, tuple(reasons)))
    return doubts


def _printed_but_unread(view: DocView, table: str) -> bool:
    """Return True when a table without records is printed all the same: its section holds its header
    words and figures right after one of its row or total labels (a table flattened beyond reading)."""
    spec = TABLE_SPECS[table]
    section = view.section(spec.section)
    text = squeeze(section.text) if section is not None else ""
    if spec.anchor not in text:
        return False
    labels = {label_key(r.labels[-1]) for r in spec.rows} | {label_key(spec.columns[-1].labels[0])}
    return any(re.search(re.escape(label) + r"\d", text) for label in labels if label)


def all_blank(view: DocView) -> bool:
    """Return True when the report prints table cells and every one of them is blank."""
    return bool(view.records) and all(r.value is None for r in view.records)


def _method(records: Sequence[Record]) -> str:
    """Return how a table was read: its cells' method, the reconstructed one where parts differ."""
    methods = sorted({r.method or "grid" for r in records})
    return next((m for m in methods if m in RECONSTRUCTED), methods[0])


def _missing(table: str, records: Sequence[Record]) -> list[str]:
    """Return the reasons a table misses rows or cells that its template and printed rows call for."""
    by_row: dict[str, set[str]] = {}
    for r in records:
        by_row.setdefault(r.row, set()).add(r.column)
    rows, cells = _expected(table, by_row)
    reasons = []
    absent = [key for key in rows if key not in by_row]
    if absent:
        reasons.append(f"{len(absent)} rows of the template missing ({_names(absent)})")
    short = [f"{row}.{col}" for row, columns in cells.items() if row in by_row
             for col in columns if col not in by_row[row]]
    if short:
        reasons.append(f"{len(short)} cells of printed rows missing ({_names(short)})")
    return reasons


def _expected(table: str, by_row: dict[str, set[str]]) -> tuple[list[str], dict[str, Sequence[str]]]:
    """Return the rows a table must print and the cells of each, given the rows and columns it prints."""
    if table == "applications":
        other_rows = ["other"] if "other" in by_row or not any(k in by_row for k in _OTHER_2021) else list(_OTHER_2021)
        rows = [*_APPLICATION_BASE, *other_rows]
        return rows, dict.fromkeys({*rows, *by_row}, _APPLICATION_COLUMNS)
    if table == "review_litigation":
        rows = [r.key for r in REVIEW_ROWS]
        return rows, dict.fromkeys(rows, _REVIEW_COLUMNS)
    columns = {c for cs in by_row.values() for c in cs}
    template = _ACTIVE_2019 if columns & {c for cs in _ACTIVE_2019.values() for c in cs} - {"decisions"} \
        else _ACTIVE_2021
    rows = list(template)
    cells: dict[str, Sequence[str]] = {row: template.get(row) or _ACTIVE_2019.get(row, ()) for row in by_row}
    # A row printed with the other template's columns (a mixed table 二) is complete on its own terms;
    # a row printing a column of this template besides is this template's, missing its other cells.
    for row, printed in by_row.items():
        other: Sequence[str] = _ACTIVE_2021.get(row, ()) if template is _ACTIVE_2019 else _ACTIVE_2019.get(row, ())
        if other and printed == set(other):
            cells[row] = other
    return rows, cells


def _names(keys: Sequence[str]) -> str:
    """Return the first keys of a list, "…" for the rest."""
    return ", ".join(keys[:_SHOWN]) + (", …" if len(keys) > _SHOWN else "")


@dataclass(frozen=True, slots=True)
class Verdict:
    """Whether a document read as a report needs review, why, and which tables its findings doubt."""

    needs_review: bool
    error: str | None
    doubtful: frozenset[str]  # tables whose findings may come from a misread


def verdict(view: DocView, findings: Iterable[Finding]) -> Verdict:
    """Return the review verdict of one document from its records and its own findings."""
    doubts = assess(view, findings)
    reasons = [d.describe() for d in doubts]
    if all_blank(view):
        reasons.append(f"every one of the {len(view.records)} printed table cells is blank: nothing to check")
    return Verdict(bool(reasons), "; ".join(reasons) or None, frozenset(d.table for d in doubts))


def mark_views(views: Iterable[DocView], findings: Iterable[Finding]) -> list[Finding]:
    """Return the findings of several documents, marked where a document's table needs review.

    In a `needs_review` document that is every table its verdict doubts, and every reconstructed
    table besides (a cross-year finding is made where the OCR confidences are not at hand). The
    same function marks at parse time, across a batch and on written output, so all three agree.
    """
    findings = list(findings)
    by_doc: dict[str, list[Finding]] = {}
    for f in findings:
        by_doc.setdefault(f.doc_id, []).append(f)
    doubtful = {v.doc_id: verdict(v, by_doc.get(v.doc_id, ())).doubtful | _reconstructed(v)
                for v in views if v.document.get("status") == "needs_review"}
    return [replace(f, needs_review=True) if f.table in doubtful.get(f.doc_id, ()) else f for f in findings]


def _reconstructed(view: DocView) -> frozenset[str]:
    """Return the tables of a document that were reconstructed (OCR, text positions, running text)."""
    return frozenset(r.table for r in view.records if r.method in RECONSTRUCTED)
