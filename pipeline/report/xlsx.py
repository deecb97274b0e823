"""The oversight report as an Excel workbook: the same content as the HTML page, one sheet each.

Sheets: Summary (headline figures), Coverage (reports × checks, coloured), Findings (with an
autofilter), Reports, Applications and Review (the figures behind the charts). Text from
documents is always written as text: a cell starting with "=" never becomes a formula.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from pipeline import evidence
from pipeline.report.data import (
    OUTCOME_SERIES,
    RESULT_SERIES,
    ReportData,
    file_name,
    finding_cell,
    outcomes_by_body,
    received_by_body,
    results_by_body,
)

FILLS = {"error": "FED7D7", "warning": "FEEBC8", "info": "BEE3F8", "pass": "C6F6D5", "n/a": "F7FAFC"}


def write(data: ReportData, path: str | Path) -> Path:
    """Write the workbook to `path` and return it."""
    book = Workbook()
    _summary(book.active, data)
    _coverage(book.create_sheet("Coverage"), data)
    _findings(book.create_sheet("Findings"), data, Path(path).parent / "crops")
    _reports(book.create_sheet("Reports"), data)
    views, label = data.ordered_views(), data.label
    _figures(book.create_sheet("Applications"), ["本年新收", *(n for n, _ in OUTCOME_SERIES)],
             _joined(received_by_body(views, label), outcomes_by_body(views, label), len(OUTCOME_SERIES)))
    review = results_by_body(views, ("administrative_review",), label)
    litigation = results_by_body(views, ("litigation_direct", "litigation_after_review"), label)
    names = [n for n, _ in RESULT_SERIES]
    _figures(book.create_sheet("Review"), [f"行政复议 {n}" for n in names] + [f"行政诉讼 {n}" for n in names],
             _joined(review, litigation, len(names), first_width=len(names)))
    book.save(path)
    return Path(path)


def _summary(sheet: Worksheet, data: ReportData) -> None:
    """Fill the Summary sheet: the headline figures."""
    sheet.title = "Summary"
    _rows(sheet, [("Figure", "Value"), *data.headline(), ("Source", data.source)])


def _coverage(sheet: Worksheet, data: ReportData) -> None:
    """Fill the Coverage sheet: one row per report, one coloured cell per check."""
    rules = data.rules
    _rows(sheet, [("Report", "Status", *(r.id for r in rules))])
    for view in data.ordered_views():
        states = [data.state(view, rule) for rule in rules]
        sheet.append([_text(data.label(view)), _text(view.document.get("status"))]
                     + [str(len(found)) if len(found) > 1 else state for state, found in states])
        for offset, (state, _) in enumerate(states):
            sheet.cell(sheet.max_row, 3 + offset).fill = PatternFill("solid", fgColor=FILLS[state])
    for column in range(3, 3 + len(rules)):
        sheet.cell(1, column).alignment = Alignment(text_rotation=90)
    sheet.freeze_panes = "C2"


def _findings(sheet: Worksheet, data: ReportData, crops: Path | None = None) -> None:
    """Fill the Findings sheet: every finding with its cell and page, filterable."""
    _rows(sheet, [("Report", "File", "doc_id", "Severity", "Rule", "Table", "Row", "Column", "Cell", "Page",
                   "Expected", "Actual", "Message", "Printed cells")])
    for f in data.sorted_findings():
        view = data.view(f.doc_id)
        source = file_name(view) if view else ""
        sheet.append([_text(data.label(view) if view else f.doc_id), _text(source), f.doc_id, f.severity, f.rule,
                      f.table, _text(f.row), _text(f.column), _text(finding_cell(f)), f.page, f.expected,
                      f.actual, _text(f.message)])
        sheet.cell(sheet.max_row, 4).fill = PatternFill("solid", fgColor=FILLS[f.severity])
        crop = evidence.save_crop(f, view, crops) if crops else None  # a PNG beside the workbook
        if crop:
            sheet.cell(sheet.max_row, sheet.max_column, "crop").hyperlink = crop  # the last column
    sheet.auto_filter.ref = sheet.dimensions
    sheet.freeze_panes = "A2"


def _reports(sheet: Worksheet, data: ReportData) -> None:
    """Fill the Reports sheet: the documents with their coverage."""
    columns = ("sections_present", "tables_present", "cells_total", "cells_filled", "cells_blank", "errors",
               "warnings", "infos")
    _rows(sheet, [("Report", "File", "doc_id", "Format", "Template", "Year", "Status", *columns)])
    for view in data.ordered_views():
        doc, coverage = view.document, data.coverage.get(view.doc_id, {})
        sheet.append([_text(data.label(view)), _text(file_name(view)), view.doc_id,
                      doc.get("format"), doc.get("template"), doc.get("year"), doc.get("status"),
                      *(coverage.get(c) for c in columns)])
    sheet.freeze_panes = "A2"


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
    """Append rows (the first one a bold header) and give the columns a readable width."""
    for row in rows:
        sheet.append([_text(v) if isinstance(v, str) else v for v in row])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for index in range(1, sheet.max_column + 1):
        sheet.column_dimensions[get_column_letter(index)].width = 18


def _text(value: Any) -> Any:
    """Return `value` so that openpyxl stores it as text, never as a formula."""
    if isinstance(value, str) and value.startswith("="):
        cell = Cell(None, value=None)  # a detached cell lets us set the value and its type together
        cell.value = value
        cell.data_type = "s"
        return cell
    return value
