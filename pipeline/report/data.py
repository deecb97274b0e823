"""What the oversight report shows, computed once for the HTML page and the Excel workbook.

The checks are re-run on the output rows, so every finding carries the page of its cell (the
findings table has no page column), and each finding gets its fingerprint and the decision a person
made on it (OUT/decisions.csv, pipeline.decisions). Nothing here formats: html.py and xlsx.py do.
"""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from pipeline.checks import (
    RULES,
    DocView,
    Finding,
    Rule,
    coverage_rows,
    document_keys,
    fingerprints,
    run_checks,
    views_from_rows,
)
from pipeline.checks.arithmetic import outcome_rows
from pipeline.checks.cross_year import previous_reports
from pipeline.checks.engine import applies, is_checked
from pipeline.checks.view import TABLE_LABELS, cell_label

Labeller = Callable[[DocView], str]
Bars = list[tuple[str, list[float]]]  # (report, one value per series)

SEVERITY_RANK = {"error": 0, "warning": 1, "info": 2}
DECISIONS = ("open", "confirmed", "dismissed")
# How urgent a report is, most first: not read at all, read but in doubt, then by its findings.
_UNREAD = ("failed", "needs_ocr", "not_a_report")
URGENCY = ("failed", "needs_review", "errors", "warnings", "ok")

# Series of the outcomes chart: the group of each outcome row of table 三 (denied.* → denied).
OUTCOME_SERIES: tuple[tuple[str, str], ...] = (
    ("予以公开", "granted"), ("部分公开", "partially_granted"), ("不予公开", "denied"),
    ("无法提供", "unavailable"), ("不予处理", "not_processed"), ("其他处理", "other"),
)
RESULT_SERIES: tuple[tuple[str, str], ...] = (
    ("结果维持", "maintained"), ("结果纠正", "corrected"), ("其他结果", "other"), ("尚未审结", "pending"),
)

# Indicators shown per pair of years in the report (the compare table holds every cell).
YEAR_OVER_YEAR = (("applications_received", "新收申请"), ("substantive_disclosure_rate", "实质公开率"),
                  ("reviews", "行政复议"), ("lawsuits", "行政诉讼"))


@dataclass
class ReportData:
    """The documents of one output folder with their findings, coverage and matrix."""

    source: str
    views: list[DocView]
    findings: list[Finding]
    coverage: dict[str, dict[str, Any]]
    previous: dict[str, DocView] = field(default_factory=dict)
    year_over_year: list[dict[str, Any]] = field(default_factory=list)  # one summary row per body and pair of years
    reviews: dict[str, str] = field(default_factory=dict)  # doc_id → its review page, relative to the report
    decisions: dict[str, dict[str, Any]] = field(default_factory=dict)  # fingerprint → decisions.csv row
    corrections: list[dict[str, Any]] = field(default_factory=list)  # corrections.csv rows
    _by_cell: dict[tuple[str, str], list[Finding]] = field(init=False, repr=False)
    _labels: dict[str, str] = field(init=False, repr=False)
    _by_id: dict[str, DocView] = field(init=False, repr=False)
    _fingerprints: dict[int, str] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        # The matrix asks for every (report, rule): index the findings once.
        self._by_cell = defaultdict(list)
        for f in self.findings:
            self._by_cell[(f.doc_id, f.rule)].append(f)
        self._labels = _labels(self.views)
        self._by_id = {v.doc_id: v for v in self.views if v.doc_id}
        keys = document_keys(v.document for v in self.views)
        # Findings in the order the rules reported them: the order fingerprints count repeats in.
        self._fingerprints = {id(f): fp for f, fp in zip(self.findings, fingerprints(self.findings, keys),
                                                           strict=True)}

    def label(self, view: DocView) -> str:
        """Return the report's name for people, with its format where the batch holds it twice."""
        return self._labels.get(view_key(view), view.name)

    def fingerprint(self, finding: Finding) -> str:
        """Return the finding's stable fingerprint (pipeline.checks.fingerprint)."""
        return self._fingerprints[id(finding)]

    def decision(self, finding: Finding) -> dict[str, Any] | None:
        """Return the decisions.csv row of the finding, or None while it is open."""
        return self.decisions.get(self.fingerprint(finding))

    def decision_state(self, finding: Finding) -> str:
        """Return open, confirmed or dismissed."""
        row = self.decision(finding)
        return str(row["decision"]) if row else "open"

    def decision_counts(self) -> dict[str, int]:
        """Return how many findings are open, confirmed and dismissed."""
        counts = Counter(self.decision_state(f) for f in self.findings)
        return {state: counts[state] for state in DECISIONS}

    def stale_decisions(self) -> list[dict[str, Any]]:
        """Return the decisions that match no finding of this output (the finding is gone, or from elsewhere)."""
        current = set(self._fingerprints.values())
        return [row for fp, row in self.decisions.items() if fp not in current]

    def urgency(self, view: DocView) -> str:
        """Return how urgent a report is: failed (not read), needs_review, errors, warnings or ok."""
        status = view.document.get("status")
        if status in _UNREAD:
            return "failed"
        if status == "needs_review":
            return "needs_review"
        counts = self.coverage.get(view.doc_id, {}) if view.doc_id else {}
        if counts.get("errors"):
            return "errors"
        return "warnings" if counts.get("warnings") else "ok"

    def by_urgency(self) -> list[DocView]:
        """Return the documents most urgent first (URGENCY), then most errors, then by body and year."""
        def key(view: DocView) -> tuple[Any, ...]:
            counts = self.coverage.get(view.doc_id, {}) if view.doc_id else {}
            return (URGENCY.index(self.urgency(view)), -(counts.get("errors") or 0),
                    -(counts.get("warnings") or 0), *_body_order(view))
        return sorted(self.views, key=key)

    def reason(self, view: DocView) -> str:
        """Return why a report failed or needs review (documents.error), or ""."""
        return str(view.document.get("error") or "")

    @property
    def rules(self) -> list[Rule]:
        """Return the rules in catalogue order, worst severity first."""
        return sorted(RULES.values(), key=lambda r: (SEVERITY_RANK[r.severity], r.id))

    def ordered_views(self) -> list[DocView]:
        """Return the documents by body, then year, then file (the charts' order)."""
        return sorted(self.views, key=_body_order)

    def view(self, doc_id: str) -> DocView | None:
        """Return the document `doc_id`, or None."""
        return self._by_id.get(doc_id)

    def state(self, view: DocView, rule: Rule) -> tuple[str, list[Finding]]:
        """Return the matrix state of (document, rule) and the findings behind it.

        States, worst first: error, warning, info, pass, and n/a for a check that does not apply
        (no report of the year before in the batch, no fee statement due, a file not read).
        """
        found = self._by_cell.get((view.doc_id, rule.id), [])
        if found:
            return min((f.severity for f in found), key=SEVERITY_RANK.__getitem__), found
        if rule.scope == "batch":
            return ("pass" if view.doc_id in self.previous else "n/a"), found
        return ("pass" if applies(rule, view) else "n/a"), found

    def sorted_findings(self) -> list[Finding]:
        """Return the findings, worst first, then by document and rule."""
        names = {v.doc_id: self.label(v) for v in self.views}
        return sorted(self.findings, key=lambda f: (SEVERITY_RANK[f.severity], names.get(f.doc_id, ""), f.rule,
                                                    f.page or 0))

    def headline(self) -> list[tuple[str, str]]:
        """Return the headline figures as (label, value as shown) pairs."""
        return [(label, value if isinstance(value, str) else _whole(value)) for label, value in self.figures()]

    def figures(self) -> list[tuple[str, float | str]]:
        """Return the headline figures as (label, value): numbers as numbers, for the workbook."""
        checked = [v for v in self.views if is_checked(v)]
        bodies = {v.body for v in checked if v.body}
        years = sorted({v.year for v in checked if isinstance(v.year, int)})
        received = [v.value("applications", "new_received", "total") for v in checked]
        severities = Counter(f.severity for f in self.findings)
        with_errors = {f.doc_id for f in self.findings if f.severity == "error"}
        urgency = Counter(self.urgency(v) for v in self.views)
        decided = self.decision_counts()
        return [
            ("Reports 报告", len(self.views)),
            ("Reports read 已读取", len(checked)),
            ("Failed or unread 未能读取", urgency["failed"]),
            ("Needs review 需复核", urgency["needs_review"]),
            ("Bodies 机关", len(bodies)),
            ("Years 年度", f"{years[0]}–{years[-1]}" if years else "—"),
            ("Applications received 新收申请", sum(r for r in received if r is not None)),
            ("Reports with errors 有错误的报告", len(with_errors)),
            ("Errors 错误", severities["error"]),
            ("Warnings 警告", severities["warning"]),
            ("Infos 提示", severities["info"]),
            ("Findings open 待处理", decided["open"]),
            ("Confirmed 已确认", decided["confirmed"]),
            ("Dismissed 已排除", decided["dismissed"]),
        ]


def build(rows: Mapping[str, Sequence[Mapping[str, Any]]], source: str,
          decisions: Mapping[str, Mapping[str, Any]] | None = None,
          corrections: Sequence[Mapping[str, Any]] = ()) -> ReportData:
    """Return the report data of output rows (documents, sections, records), with a person's decisions
    (fingerprint → decisions.csv row) and corrections (corrections.csv rows)."""
    views = views_from_rows(rows["documents"], rows["sections"], rows["records"], rows.get("ocr_values", ()))
    findings = run_checks(views)
    coverage = {row["doc_id"]: row for row in coverage_rows(views, findings) if row["doc_id"]}
    return ReportData(source, views, findings, coverage, previous_reports([v for v in views if is_checked(v)]),
                      decisions={k: dict(v) for k, v in (decisions or {}).items()},
                      corrections=[dict(c) for c in corrections])


def view_key(view: DocView) -> str:
    """Return a key that tells every documents row apart: its doc_id, or its path for an input refused unread
    (those have no doc_id)."""
    return view.doc_id or f"path:{view.document.get('source_path') or ''}"


def anchor(view: DocView) -> str:
    """Return the HTML id of a report's row: doc-<doc_id>, or doc-<digest of the path> for a refused input."""
    if view.doc_id:
        return f"doc-{view.doc_id}"
    return "doc-" + hashlib.sha256(view_key(view).encode("utf-8")).hexdigest()[:16]


def file_name(view: DocView) -> str:
    """Return the name of the report's file without its folder; an archive member as ARCHIVE.zip!member/path."""
    path = str(view.document.get("source_path") or "")
    if "!" in path:
        archive, member = path.split("!", 1)
        return f"{archive.rsplit('/', 1)[-1]}!{member}"
    return path.rsplit("/", 1)[-1]


def _name(view: DocView) -> str:
    """Return the report's own name: agency and year."""
    return view.name


def _body_order(view: DocView) -> tuple[Any, ...]:
    """Return the sort key by body, then year, then file."""
    return (view.document.get("agency") or "~", view.year or 0, view.name, view.doc_id,
            str(view.document.get("source_path") or ""))


def _labels(views: Sequence[DocView]) -> dict[str, str]:
    """Return view key → name, told apart by format (then file) where names repeat (a .docx and its .pdf);
    a report that has no agency (a failed file, a refused archive member) is named by its file."""
    base = {view_key(v): (v.name if v.document.get("agency") else file_name(v) or v.name) for v in views}
    counts = Counter(base.values())
    out = {}
    for view in views:
        label = base[view_key(view)]
        if counts[label] > 1 and view.document.get("agency"):
            label += f" · {view.document.get('format') or ''}"
        out[view_key(view)] = label
    repeated = Counter(out.values())
    for view in views:
        if repeated[out[view_key(view)]] > 1:
            # Two files of one name in two folders (or two archives of one name) are named by their paths.
            own = str(view.document.get("source_path") or view.doc_id)
            out[view_key(view)] = f"{view.name} · {file_name(view) or view.doc_id}" if view.document.get(
                "agency") else own
    return out


def finding_cell(finding: Finding) -> str:
    """Return where a finding points, for people: "表四 行政复议、行政诉讼 · 行政复议 总计"."""
    if finding.table in TABLE_LABELS:
        label = cell_label(finding.table, finding.row, finding.column)
        return f"{TABLE_LABELS[finding.table]} · {label}" if label else TABLE_LABELS[finding.table]
    if finding.table == "sections":
        return cell_label("sections", finding.row, None)
    return "document"


def received_by_body(views: Sequence[DocView], label: Labeller = _name) -> Bars:
    """Return (report, [本年新收 总计]) for each report that prints it."""
    out = []
    for view in views:
        value = view.value("applications", "new_received", "total")
        if value is not None:
            out.append((label(view), [value]))
    return out


def outcomes_by_body(views: Sequence[DocView], label: Labeller = _name) -> Bars:
    """Return (report, [one sum per OUTCOME_SERIES]) from the 总计 column of table 三."""
    out = []
    for view in views:
        sums: dict[str, float] = defaultdict(float)
        for row in outcome_rows(view.printed_rows("applications")):
            value = view.value("applications", row, "total")
            if value is not None:
                sums[row.split(".")[0]] += value
        if sums:
            out.append((label(view), [sums[group] for _, group in OUTCOME_SERIES]))
    return out


def results_by_body(views: Sequence[DocView], rows: Sequence[str], label: Labeller = _name) -> Bars:
    """Return (report, [维持, 纠正, 其他, 未审结]) summed over `rows` of table 四, for reports that print them."""
    out = []
    for view in views:
        values = [[view.value("review_litigation", row, column) for row in rows] for _, column in RESULT_SERIES]
        if any(v is not None for group in values for v in group):
            out.append((label(view), [sum(v for v in group if v is not None) for group in values]))
    return out


def _whole(value: float) -> str:
    """Return a headline figure: 3,999 or 1,234.50."""
    return f"{int(value):,}" if float(value).is_integer() else f"{value:,.2f}"
