"""What the oversight report shows, computed once for the HTML page and the Excel workbook.

The checks are re-run on the output rows, so every finding carries the page of its cell (the
findings table has no page column). Nothing here formats: html.py and xlsx.py do.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from pipeline.checks import RULES, DocView, Finding, Rule, coverage_rows, run_checks, views_from_rows
from pipeline.checks.arithmetic import outcome_rows
from pipeline.checks.cross_year import previous_reports
from pipeline.checks.engine import applies, is_checked
from pipeline.checks.view import TABLE_LABELS, cell_label

Labeller = Callable[[DocView], str]
Bars = list[tuple[str, list[float]]]  # (report, one value per series)

SEVERITY_RANK = {"error": 0, "warning": 1, "info": 2}

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
    _by_cell: dict[tuple[str, str], list[Finding]] = field(init=False, repr=False)
    _labels: dict[str, str] = field(init=False, repr=False)
    _by_id: dict[str, DocView] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        # The matrix asks for every (report, rule): index the findings once.
        self._by_cell = defaultdict(list)
        for f in self.findings:
            self._by_cell[(f.doc_id, f.rule)].append(f)
        self._labels = _labels(self.views)
        self._by_id = {v.doc_id: v for v in self.views}

    def label(self, view: DocView) -> str:
        """Return the report's name for people, with its format where the batch holds it twice."""
        return self._labels.get(view.doc_id, view.name)

    @property
    def rules(self) -> list[Rule]:
        """Return the rules in catalogue order, worst severity first."""
        return sorted(RULES.values(), key=lambda r: (SEVERITY_RANK[r.severity], r.id))

    def ordered_views(self) -> list[DocView]:
        """Return the documents by body, then year, then file."""
        return sorted(self.views, key=lambda v: (v.document.get("agency") or "~", v.year or 0, v.name, v.doc_id))

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
        """Return the headline figures as (label, value) pairs."""
        checked = [v for v in self.views if is_checked(v)]
        bodies = {v.body for v in checked if v.body}
        years = sorted({v.year for v in checked if isinstance(v.year, int)})
        received = [v.value("applications", "new_received", "total") for v in checked]
        severities = Counter(f.severity for f in self.findings)
        with_errors = {f.doc_id for f in self.findings if f.severity == "error"}
        return [
            ("Reports 报告", f"{len(checked)} of {len(self.views)} read"),
            ("Bodies 机关", str(len(bodies))),
            ("Years 年度", f"{years[0]}–{years[-1]}" if years else "—"),
            ("Applications received 新收申请", _whole(sum(r for r in received if r is not None))),
            ("Reports with errors 有错误的报告", f"{len(with_errors)} of {len(checked)}"),
            ("Errors 错误", str(severities["error"])),
            ("Warnings 警告", str(severities["warning"])),
            ("Infos 提示", str(severities["info"])),
        ]


def build(rows: Mapping[str, Sequence[Mapping[str, Any]]], source: str) -> ReportData:
    """Return the report data of output rows (documents, sections, records)."""
    views = views_from_rows(rows["documents"], rows["sections"], rows["records"], rows.get("ocr_values", ()))
    findings = run_checks(views)
    coverage = {row["doc_id"]: row for row in coverage_rows(views, findings)}
    return ReportData(source, views, findings, coverage, previous_reports([v for v in views if is_checked(v)]))


def file_name(view: DocView) -> str:
    """Return the name of the report's file, without its folder."""
    return str(view.document.get("source_path") or "").rsplit("/", 1)[-1]


def _name(view: DocView) -> str:
    """Return the report's own name: agency and year."""
    return view.name


def _labels(views: Sequence[DocView]) -> dict[str, str]:
    """Return doc_id → name, told apart by format (then file) where names repeat (a .docx and its .pdf)."""
    counts = Counter(v.name for v in views)
    out = {}
    for view in views:
        label = view.name
        if counts[label] > 1:
            label += f" · {view.document.get('format') or ''}"
        out[view.doc_id] = label
    repeated = Counter(out.values())
    for view in views:
        if repeated[out[view.doc_id]] > 1:
            out[view.doc_id] = f"{view.name} · {file_name(view) or view.doc_id}"
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
