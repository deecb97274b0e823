"""The oversight report as an Excel workbook: the same content as the HTML page, one sheet each.

Sheets: Summary (headline figures, with the findings open, confirmed and dismissed), Coverage
(reports × checks, coloured, each cell linked to its first finding), Findings (with the decision
and fingerprint of each, and a link to the printed cells where there is a crop), Reports (most
urgent first, with the reason a report failed or needs review), Corrections (when people made
any), Applications and Review (the figures behind the charts). Every sheet has a bold, frozen
header row, an autofilter and columns as wide as their text (CJK characters count double);
numbers are numbers. Text from documents is always written as text: a cell starting with "="
never becomes a formula.
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.hyperlink import Hyperlink
from openpyxl.worksheet.worksheet import Worksheet

from pipeline import evidence
from pipeline.checks import Finding
from pipeline.checks.view import TABLE_LABELS, cell_label
from pipeline.report.data import (
    DECISIONS,
    OUTCOME_SERIES,
    RESULT_SERIES,
    ReportData,
    file_name,
    finding_cell,
    outcomes_by_body,
    received_by_body,
    results_by_body,
    view_key,
)

FILLS = {"error": "FED7D7", "warning": "FEEBC8", "info": "BEE3F8", "pass": "C6F6D5", "n/a": "F7FAFC",
         "failed": "FED7D7", "needs_review": "FEEBC8", "confirmed": "FED7D7", "dismissed": "E2E8F0"}
MIN_WIDTH, MAX_WIDTH = 6, 60  # characters (a CJK character counts two)
_LINK = Font(color="2B6CB0", underline="single")
_BODY = ("agency", "region", "body_id")


def write(data: ReportData, path: str | Path) -> Path:
    """Write the workbook to `path` and return it."""
    book = build(data, Path(path).parent / "crops")
    finish(book)
    book.save(path)
    return Path(path)


def build(data: ReportData, crops: Path | None = None) -> Workbook:
    """Return the workbook of the report (crops of the printed cells written into `crops`, when given)."""
    book = Workbook()
    findings_at = _finding_rows(data)
    reports_at = {view_key(v): index + 2 for index, v in enumerate(data.by_urgency())}
    _summary(book.active, data)
    _coverage(book.create_sheet("Coverage"), data, findings_at)
    _findings(book.create_sheet("Findings"), data, crops, reports_at)
    _reports(book.create_sheet("Reports"), data, findings_at)
    if data.corrections:
        _corrections(book.create_sheet("Corrections"), data)
    views, label = data.ordered_views(), data.label
    _figures(book.create_sheet("Applications"), ["本年新收", *(n for n, _ in OUTCOME_SERIES)],
             _joined(received_by_body(views, label), outcomes_by_body(views, label), len(OUTCOME_SERIES)))
    review = results_by_body(views, ("administrative_review",), label)
    litigation = results_by_body(views, ("litigation_direct", "litigation_after_review"), label)
    names = [n for n, _ in RESULT_SERIES]
    _figures(book.create_sheet("Review"), [f"行政复议 {n}" for n in names] + [f"行政诉讼 {n}" for n in names],
             _joined(review, litigation, len(names), first_width=len(names)))
    return book


def finish(book: Workbook) -> None:
    """Give every sheet a bold frozen header, an autofilter over its table and columns that fit their text."""
    for sheet in book.worksheets:
        if sheet.max_row < 1 or sheet.max_column < 1:
            continue
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        if sheet.freeze_panes is None:
            sheet.freeze_panes = "A2"
        sheet.auto_filter.ref = sheet.dimensions
        fit_columns(sheet)


def fit_columns(sheet: Worksheet) -> None:
    """Set each column's width to its longest line of text (CJK characters count two), within bounds; long
    text wraps."""
    widths: dict[int, int] = {}
    for row in sheet.iter_rows():
        for cell in row:
            if cell.value is None:
                continue
            width = max(display_width(line) for line in str(cell.value).splitlines() or [""])
            widths[cell.column] = max(widths.get(cell.column, 0), width)
            if width > MAX_WIDTH:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    for column, width in widths.items():
        letter = get_column_letter(column)
        if sheet.column_dimensions[letter].width and sheet.title == "Coverage" and column > 2:
            continue  # the rule columns keep their narrow width: their headers are turned upright
        sheet.column_dimensions[letter].width = min(max(width + 2, MIN_WIDTH), MAX_WIDTH)


def display_width(text: str) -> int:
    """Return how many character cells `text` takes: wide and full-width characters (CJK) count two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _summary(sheet: Worksheet, data: ReportData) -> None:
    """Fill the Summary sheet: the headline figures, numbers as numbers."""
    sheet.title = "Summary"
    _rows(sheet, [("Figure", "Value"), *data.figures(), ("Source", data.source)])


def _finding_rows(data: ReportData) -> dict[str, int]:
    """Return fingerprint → row of the Findings sheet (the header is row 1)."""
    return {data.fingerprint(f): index + 2 for index, f in enumerate(data.sorted_findings())}


def _coverage(sheet: Worksheet, data: ReportData, findings_at: dict[str, int]) -> None:
    """Fill the Coverage sheet: one row per report (most urgent first), one coloured cell per check, linked to
    its first finding."""
    rules = data.rules
    _rows(sheet, [("Report", "Status", *(r.id for r in rules))])
    for view in data.by_urgency():
        states = [data.state(view, rule) for rule in rules]
        sheet.append([_text(data.label(view)), _text(view.document.get("status"))]
                     + [f"{state} ({len(found)})" if len(found) > 1 else state for state, found in states])
        for offset, (state, found) in enumerate(states):
            cell = sheet.cell(sheet.max_row, 3 + offset)
            cell.fill = PatternFill("solid", fgColor=FILLS[state])
            if found:
                _link(cell, "Findings", findings_at[data.fingerprint(found[0])])
    for column in range(3, 3 + len(rules)):
        sheet.cell(1, column).alignment = Alignment(text_rotation=90)
        sheet.column_dimensions[get_column_letter(column)].width = 9
    sheet.freeze_panes = "C2"


def _findings(sheet: Worksheet, data: ReportData, crops: Path | None, reports_at: dict[str, int]) -> None:
    """Fill the Findings sheet: every finding with its cell, page, decision and fingerprint."""
    _rows(sheet, [("Report", "File", "doc_id", "Agency", "Region", "body_id", "Severity", "Rule", "Table", "Row",
                   "Column", "Cell", "Page", "Expected", "Actual", "Message", "Needs review", "Decision", "Note",
                   "By", "At", "Fingerprint", "Printed cells")])
    for f in data.sorted_findings():
        view = data.view(f.doc_id)
        doc = view.document if view else {}
        decided = data.decision(f) or {}
        state = data.decision_state(f)
        sheet.append([_text(data.label(view) if view else f.doc_id), _text(file_name(view) if view else ""),
                      f.doc_id, *(_text(doc.get(k)) for k in _BODY), f.severity, f.rule, f.table, _text(f.row),
                      _text(f.column), _text(finding_cell(f)), f.page, f.expected, f.actual, _text(f.message),
                      f.needs_review, state, _text(decided.get("note")), _text(decided.get("by")),
                      _text(decided.get("at")), data.fingerprint(f), None])
        row = sheet.max_row
        sheet.cell(row, 7).fill = PatternFill("solid", fgColor=FILLS[f.severity])
        if state != "open":
            sheet.cell(row, 18).fill = PatternFill("solid", fgColor=FILLS[state])
        if view is not None:
            _link(sheet.cell(row, 1), "Reports", reports_at[view_key(view)])
        _crop(sheet.cell(row, 23), f, view, crops)


def _crop(cell: Cell, finding: Finding, view: Any, crops: Path | None) -> None:
    """Link the cell to the picture of the finding's printed cells, written beside the workbook (when any)."""
    path = evidence.save_crop(finding, view, crops) if crops else None
    if path:
        cell.value = "crop"
        cell.hyperlink = path
        cell.font = _LINK


def _reports(sheet: Worksheet, data: ReportData, findings_at: dict[str, int]) -> None:
    """Fill the Reports sheet: the documents most urgent first, with the reason, the body and the coverage."""
    columns = ("sections_present", "tables_present", "cells_total", "cells_filled", "cells_blank", "errors",
               "warnings", "infos")
    _rows(sheet, [("Report", "File", "doc_id", "Format", "Template", "Year", "Status", "Reason", "Agency", "Region",
                   "body_id", *columns, *DECISIONS, "First finding")])
    first: dict[str, int] = {}
    decided: dict[str, Counter[str]] = {}
    for f in data.findings:
        row = findings_at[data.fingerprint(f)]
        first[f.doc_id] = min(first.get(f.doc_id, row), row)
        decided.setdefault(f.doc_id, Counter())[data.decision_state(f)] += 1
    for view in data.by_urgency():
        doc = view.document
        coverage = data.coverage.get(view.doc_id, {}) if view.doc_id else {}
        counts = decided.get(view.doc_id, Counter())
        sheet.append([_text(data.label(view)), _text(file_name(view)), view.doc_id or None, doc.get("format"),
                      _number(doc.get("template")), doc.get("year"), doc.get("status"),
                      _text(data.reason(view)) or None,
                      *(_text(doc.get(k)) for k in _BODY), *(coverage.get(c) for c in columns),
                      *((counts[s] for s in DECISIONS) if view.doc_id else (None,) * len(DECISIONS)), None])
        urgency = data.urgency(view)
        if urgency in FILLS:
            sheet.cell(sheet.max_row, 7).fill = PatternFill("solid", fgColor=FILLS[urgency])
        if view.doc_id in first:
            cell = sheet.cell(sheet.max_row, sheet.max_column)
            cell.value = "findings"
            _link(cell, "Findings", first[view.doc_id])


def _corrections(sheet: Worksheet, data: ReportData) -> None:
    """Fill the Corrections sheet: the values people read on the printed page, beside the values parsed."""
    _rows(sheet, [("Report", "doc_id", "Table", "Row", "Column", "Cell", "Parsed", "Corrected", "Note", "By", "At")])
    for c in data.corrections:
        view = data.view(str(c["doc_id"]))
        where = f"{TABLE_LABELS.get(c['table'], c['table'])} · {cell_label(c['table'], c['row'], c['column'])}"
        sheet.append([_text(data.label(view) if view else c["doc_id"]), c["doc_id"], c["table"], _text(c["row"]),
                      _text(c["column"]), _text(where),
                      c.get("parsed_value"), c.get("value"), *(_text(c.get(k)) for k in ("note", "by", "at"))])


def _figures(sheet: Worksheet, series: Sequence[str], rows: Iterable[tuple[str, Sequence[float | None]]]) -> None:
    """Fill a sheet of chart figures: one row per report."""
    _rows(sheet, [("Report", *series)])
    for name, values in rows:
        sheet.append([_text(name), *values])
    sheet.freeze_panes = "B2"


def _joined(first: Sequence[tuple[str, Sequence[float]]], second: Sequence[tuple[str, Sequence[float]]],
            second_width: int, first_width: int = 1) -> list[tuple[str, list[float | None]]]:
    """Return one row per report named in either list: the first list's values, then the second's."""
    a, b = dict(first), dict(second)
    names = [n for n, _ in first] + [n for n, _ in second if n not in a]
    blank: list[float | None] = [None] * max(first_width, second_width)
    return [(n, [*(a.get(n) or blank[:first_width]), *(b.get(n) or blank[:second_width])]) for n in names]


def _rows(sheet: Worksheet, rows: Sequence[Sequence[Any]]) -> None:
    """Append rows (the first one the header)."""
    for row in rows:
        sheet.append([_text(v) if isinstance(v, str) else v for v in row])


def _number(value: Any) -> Any:
    """Return a text of digits as a number ("2021" → 2021), anything else unchanged."""
    return int(value) if isinstance(value, str) and value.isdigit() else value


def _link(cell: Cell, sheet: str, row: int) -> None:
    """Make the cell a link to row `row` of sheet `sheet` of this workbook."""
    cell.hyperlink = Hyperlink(ref=cell.coordinate, location=f"'{sheet}'!A{row}")
    cell.font = _LINK


def _text(value: Any) -> Any:
    """Return `value` so that openpyxl stores it as text, never as a formula."""
    if isinstance(value, str) and value.startswith("="):
        cell = Cell(None, value=None)  # a detached cell lets us set the value and its type together
        cell.value = value
        cell.data_type = "s"
        return cell
    return value
