"""OCR rules: numbers read with a low confidence, cells where the engine read nothing."""

from __future__ import annotations

import viewbuilders as vb

from pipeline.checks import check_document


def _scanned(rows, confidences):
    """Return the view of `rows` as if its records were read by OCR with these confidences (0.99 elsewhere)."""
    return vb.view(vb.scanned(rows, confidence=confidences))


def _fired(view, prefix="ocr."):
    return [f for f in check_document(view) if f.rule.startswith(prefix)]


def test_a_number_read_with_low_confidence_is_a_warning_to_verify():
    view = _scanned(vb.report(), {("review_litigation", "administrative_review", "maintained"): 0.62})
    [found] = _fired(view)
    assert (found.rule, found.severity, found.table, found.row, found.column) == (
        "ocr.low_confidence", "warning", "review_litigation", "administrative_review", "maintained")
    assert found.actual == 3
    assert found.page == 4
    assert "行政复议 结果维持" in found.message
    assert "0.62" in found.message


def test_cells_where_ocr_read_nothing_are_counted_per_table():
    rows = vb.report(tables={"active_disclosure": vb.active(), "applications": vb.applications(),
                             "review_litigation": {**vb.review(), "litigation_after_review": dict.fromkeys(
                                 ("maintained", "corrected", "other", "pending", "total"))}})
    blank = {("review_litigation", "litigation_after_review", c): 0.0
             for c in ("maintained", "corrected", "other", "pending", "total")}
    [found] = _fired(_scanned(rows, blank))
    assert (found.rule, found.severity, found.table, found.actual) == ("ocr.blank_cells", "info",
                                                                       "review_litigation", 5.0)


def test_a_consistent_scanned_report_gets_no_ocr_finding():
    assert _fired(vb.view(vb.scanned(vb.report()))) == []


def test_a_document_with_a_text_layer_gets_no_ocr_finding():
    view = vb.view(vb.report())
    assert view.confidence == {}
    assert _fired(view) == []
