"""Running the catalogue: per document, across a batch, and the per-document coverage summary.

Rules yield findings; a rule that breaks on unexpected input is reported as a warning finding
of that rule (with the exception named), so one bad document never stops a batch.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

from pipeline.checks.completeness import tables_present
from pipeline.checks.evidence import mark_views
from pipeline.checks.fingerprint import document_keys, stamp
from pipeline.checks.registry import RULES, Finding, Rule, finding, where_of
from pipeline.checks.view import DocView, section_keys, views_from_rows

log = logging.getLogger(__name__)

# A failed, unreadable or non-report file has nothing to check; its status already says why.
CHECKED_STATUSES = frozenset({"ok", "partial", "needs_review"})


def is_checked(view: DocView) -> bool:
    """Return True when the rules run on this document (it was read as a report)."""
    return view.document.get("status") in CHECKED_STATUSES


def applies(rule: Rule, view: DocView) -> bool:
    """Return True when the document rule `rule` runs on `view`."""
    return is_checked(view) and (rule.applies is None or bool(rule.applies(view)))


def check_document(view: DocView) -> list[Finding]:
    """Return the findings of every document rule on one document."""
    out: list[Finding] = []
    for registered in RULES.values():
        if registered.scope == "document" and applies(registered, view):
            out.extend(_run(registered, view, view.doc_id))
    return out


def check_batch(views: Sequence[DocView]) -> list[Finding]:
    """Return the findings of every batch rule over the documents of one run."""
    checked = [v for v in views if is_checked(v)]
    out: list[Finding] = []
    for registered in RULES.values():
        if registered.scope == "batch":
            out.extend(_run(registered, checked, ""))
    return out


def run_checks(views: Sequence[DocView]) -> list[Finding]:
    """Return the findings of the whole catalogue: each document's, then the batch's, those on a
    table that needs review marked so."""
    return mark_views(views, [f for v in views for f in check_document(v)] + check_batch(views))


def _run(registered: Rule, argument: Any, doc_id: str) -> list[Finding]:
    """Return the findings of one rule; a rule that raises gives one warning naming the exception."""
    try:
        return list(registered.check(argument))
    except Exception as exc:  # a rule bug must not stop a batch: say which rule failed and why
        log.warning("rule %s failed on %s", registered.id, doc_id or "the batch", exc_info=True)
        return [finding(registered.id, doc_id, f"check failed: {exc.__class__.__name__}: {exc}",
                        severity="warning")]


def coverage_rows(views: Iterable[DocView], findings: Iterable[Mapping[str, Any] | Finding]) -> list[dict[str, Any]]:
    """Return one coverage row per document: what was read, and how many findings of each severity."""
    counts: Counter[tuple[str, str]] = Counter()
    for f in findings:
        doc_id, severity = (f.doc_id, f.severity) if isinstance(f, Finding) else (f["doc_id"], f["severity"])
        counts[(doc_id, severity)] += 1
    rows = []
    for view in views:
        present = {s.section for s in view.sections}
        filled = sum(1 for r in view.records if r.value is not None)
        rows.append({
            "doc_id": view.document.get("doc_id"),  # None for a file that could not be read at all
            "sections_present": sum(1 for key in section_keys() if key in present),
            "tables_present": len(tables_present(view)) if is_checked(view) else 0,
            "cells_total": len(view.records),
            "cells_filled": filled,
            "cells_blank": len(view.records) - filled,
            "errors": counts[(view.doc_id, "error")],
            "warnings": counts[(view.doc_id, "warning")],
            "infos": counts[(view.doc_id, "info")],
        })
    return rows


def rows_coverage(rows: Mapping[str, Sequence[Mapping[str, Any]]]) -> list[dict[str, Any]]:
    """Return the coverage rows of the documents among output rows, counting the findings among them."""
    return coverage_rows(_views(rows), rows.get("findings", ()))


def _views(rows: Mapping[str, Sequence[Mapping[str, Any]]]) -> list[DocView]:
    """Return the DocViews of output rows."""
    return views_from_rows(rows.get("documents", ()), rows.get("sections", ()), rows.get("records", ()),
                           rows.get("ocr_values", ()))


def recheck(rows: Mapping[str, Sequence[Mapping[str, Any]]]) -> dict[str, list[dict[str, Any]]]:
    """Return findings and coverage computed afresh from documents, sections and records rows."""
    views = _views(rows)
    findings = run_checks(views)
    rows_found = stamp([f.as_row() for f in findings], document_keys(rows.get("documents", ())))
    return {"findings": rows_found, "coverage": coverage_rows(views, findings)}


def truth_keys(findings: Iterable[Mapping[str, Any] | Finding], severity: str = "error") -> list[str]:
    """Return the sorted "RULE:WHERE" strings of the findings of `severity`, as truth files write them."""
    keys: Iterator[str] = (
        f"{f.rule}:{f.where}" if isinstance(f, Finding) else f"{f['rule']}:{_where(f)}"
        for f in findings
        if (f.severity if isinstance(f, Finding) else f["severity"]) == severity
    )
    return sorted(keys)


def _where(row: Mapping[str, Any]) -> str:
    """Return the WHERE part of a findings row."""
    return where_of(row["rule"], row.get("table"), row.get("row"), row.get("column"))
