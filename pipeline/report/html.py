"""The oversight report as one self-contained HTML page.

Headline figures, the coverage matrix (reports × checks), charts as inline SVG, and every
finding in a table that small inline JavaScript sorts and filters. No external file, font or
script is loaded. Every text taken from a document passes through `escape`, and the page's
Content-Security-Policy allows only the one script it ships (by its hash), so a report cannot
inject markup or script.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Iterable
from datetime import date
from html import escape

from pipeline import evidence
from pipeline.checks import Finding
from pipeline.checks.view import number
from pipeline.report import svg
from pipeline.report.data import (
    OUTCOME_SERIES,
    RESULT_SERIES,
    SEVERITY_RANK,
    YEAR_OVER_YEAR,
    ReportData,
    file_name,
    finding_cell,
    outcomes_by_body,
    received_by_body,
    results_by_body,
)

_STATE_MARK = {"error": "✖", "warning": "▲", "info": "i", "pass": "✓", "n/a": "–"}

STYLE = """
body{font-family:system-ui,"Noto Sans CJK SC","Microsoft YaHei",sans-serif;margin:24px;color:#1a202c}
h1{font-size:22px}h2{font-size:18px;margin-top:32px;border-bottom:1px solid #cbd5e0}
.cards{display:flex;flex-wrap:wrap;gap:12px}.card{border:1px solid #cbd5e0;border-radius:6px;padding:8px 14px}
.card b{display:block;font-size:20px}.card span{font-size:12px;color:#4a5568}
table{border-collapse:collapse;font-size:13px}th,td{border:1px solid #e2e8f0;padding:3px 6px;vertical-align:top}
th{background:#edf2f7;text-align:left}
.matrix td.state{text-align:center;min-width:22px}.matrix th.rule{writing-mode:vertical-rl;font-weight:normal}
.error{background:#fed7d7}.warning{background:#feebc8}.info{background:#bee3f8}.pass{background:#c6f6d5}
.na{background:#f7fafc;color:#a0aec0}.legend span{padding:2px 8px;margin-right:6px}
#findings-table th{cursor:pointer;user-select:none}#findings-table th[aria-sort=ascending]::after{content:" ▲"}
#findings-table th[aria-sort=descending]::after{content:" ▼"}.num{text-align:right}small{color:#718096}
.controls{margin:8px 0;display:flex;gap:12px;align-items:center}.chart{margin:12px 0}
figcaption{font-weight:bold;margin-bottom:4px}
"""

SCRIPT = """
(function () {
  "use strict";
  var table = document.getElementById("findings-table");
  var body = table.tBodies[0];
  var rows = Array.prototype.slice.call(body.rows);
  var filter = document.getElementById("filter");
  var severity = document.getElementById("severity");
  var shown = document.getElementById("shown");
  function apply() {
    var terms = filter.value.toLowerCase().split(/\\s+/).filter(Boolean);
    var wanted = severity.value;
    var count = 0;
    rows.forEach(function (row) {
      var text = row.textContent.toLowerCase();
      var visible = (!wanted || row.getAttribute("data-severity") === wanted) &&
        terms.every(function (term) { return text.indexOf(term) !== -1; });
      row.hidden = !visible;
      if (visible) { count += 1; }
    });
    shown.textContent = count + " of " + rows.length + " findings shown";
  }
  function key(row, index, numeric) {
    var cell = row.cells[index];
    var raw = cell.hasAttribute("data-sort") ? cell.getAttribute("data-sort") : cell.textContent.trim();
    if (!numeric) { return raw; }
    return raw === "" ? Infinity : parseFloat(raw);
  }
  function sortBy(header, index) {
    var ascending = header.getAttribute("aria-sort") !== "ascending";
    var numeric = header.getAttribute("data-type") === "num";
    Array.prototype.forEach.call(header.parentNode.cells, function (th) { th.removeAttribute("aria-sort"); });
    header.setAttribute("aria-sort", ascending ? "ascending" : "descending");
    rows.sort(function (a, b) {
      var x = key(a, index, numeric), y = key(b, index, numeric);
      var order = numeric ? (x === y ? 0 : (x < y ? -1 : 1)) : String(x).localeCompare(String(y), "zh");
      return ascending ? order : -order;
    });
    rows.forEach(function (row) { body.appendChild(row); });
  }
  Array.prototype.forEach.call(table.tHead.rows[0].cells, function (header, index) {
    header.addEventListener("click", function () { sortBy(header, index); });
  });
  filter.addEventListener("input", apply);
  severity.addEventListener("change", apply);
  apply();
})();
"""


def render(data: ReportData) -> str:
    """Return the whole page."""
    digest = base64.b64encode(hashlib.sha256(SCRIPT.encode()).digest()).decode()
    policy = f"default-src 'none'; style-src 'unsafe-inline'; img-src data:; script-src 'sha256-{digest}'"
    return "".join([
        '<!DOCTYPE html>\n<html lang="zh-CN"><head><meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{escape(policy)}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        "<title>政府信息公开工作年度报告 · oversight report</title>",
        f"<style>{STYLE}</style></head><body>",
        "<h1>政府信息公开工作年度报告 · oversight report</h1>",
        f"<p>{len(data.views)} report(s) from <code>{escape(data.source)}</code>, checked {date.today():%Y-%m-%d}.</p>",
        _headline(data), _matrix(data), _charts(data), _findings(data), _year_over_year(data), _documents(data),
        f"<script>{SCRIPT}</script></body></html>\n",
    ])


def _headline(data: ReportData) -> str:
    """Return the headline figures as cards."""
    cards = "".join(f'<div class="card"><b>{escape(value)}</b><span>{escape(label)}</span></div>'
                    for label, value in data.headline())
    return f'<h2 id="headline">Headline figures 概况</h2><div class="cards">{cards}</div>'


def _matrix(data: ReportData) -> str:
    """Return the coverage matrix: reports × checks, each cell coloured by its worst finding."""
    rules = data.rules
    head = "".join(f'<th class="rule" title="{escape(r.description)}">{escape(r.id)}</th>' for r in rules)
    body = []
    for view in data.ordered_views():
        cells = []
        for rule in rules:
            state, found = data.state(view, rule)
            tip = "\n".join(f.message for f in found) or {"pass": "passed", "n/a": "not applicable"}.get(state, "")
            count = str(len(found)) if len(found) > 1 else _STATE_MARK[state]
            cells.append(f'<td class="state {_css(state)}" data-rule="{escape(rule.id)}" title="{escape(tip)}">'
                         f"{escape(count)}</td>")
        status = view.document.get("status") or ""
        body.append(f"<tr><th>{escape(data.label(view))} <small>{escape(status)}</small></th>{''.join(cells)}</tr>")
    legend = "".join(f'<span class="{_css(s)}">{_STATE_MARK[s]} {s}</span>' for s in _STATE_MARK)
    return (f'<h2 id="coverage">Coverage matrix 检查矩阵</h2><p class="legend">{legend}</p>'
            f'<table class="matrix"><thead><tr><th>Report</th>{head}</tr></thead>'
            f"<tbody>{''.join(body)}</tbody></table>")


def _css(state: str) -> str:
    """Return the CSS class of a matrix state."""
    return "na" if state == "n/a" else state


def _charts(data: ReportData) -> str:
    """Return the four charts."""
    views = data.ordered_views()
    return "".join([
        '<h2 id="charts">Applications, review and litigation 申请与复议诉讼</h2>',
        svg.bar_chart("Applications received by body 本年新收申请", ["本年新收"], received_by_body(views, data.label)),
        svg.bar_chart("Outcomes of applications by body 办理结果", [n for n, _ in OUTCOME_SERIES],
                      outcomes_by_body(views, data.label)),
        svg.bar_chart("Administrative review outcomes 行政复议", [n for n, _ in RESULT_SERIES],
                      results_by_body(views, ("administrative_review",), data.label)),
        svg.bar_chart("Litigation outcomes 行政诉讼", [n for n, _ in RESULT_SERIES],
                      results_by_body(views, ("litigation_direct", "litigation_after_review"), data.label)),
    ])


_FINDING_COLUMNS = (("Report", "text"), ("Severity", "num"), ("Rule", "text"), ("Cell", "text"), ("Page", "num"),
                    ("Expected", "num"), ("Actual", "num"), ("Message", "text"))


def _findings(data: ReportData) -> str:
    """Return the findings table with its filter box and severity menu."""
    head = "".join(f'<th data-type="{kind}" scope="col">{name}</th>' for name, kind in _FINDING_COLUMNS)
    rows = "".join(_finding_row(f, data) for f in data.sorted_findings())
    options = "".join(f'<option value="{s}">{s}</option>' for s in SEVERITY_RANK)
    return (f'<h2 id="findings">Findings 问题清单</h2><div class="controls">'
            f'<input id="filter" type="search" placeholder="filter: words all must match" size="40" '
            f'aria-label="filter findings"><select id="severity" aria-label="severity"><option value="">all '
            f'severities</option>{options}</select><span id="shown"></span></div>'
            f'<table id="findings-table"><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>')


def _finding_row(finding: Finding, data: ReportData) -> str:
    """Return one finding as a table row; numbers carry data-sort for the script."""
    view = data.view(finding.doc_id)
    report = data.label(view) if view else finding.doc_id
    source = file_name(view) if view else ""
    keys = ".".join(k for k in (finding.table, finding.row, finding.column) if k)
    cells = [
        f"<td>{escape(report)}<br><small>{escape(source)}</small></td>",
        f'<td class="{finding.severity}" data-sort="{SEVERITY_RANK[finding.severity]}">{finding.severity}</td>',
        f"<td>{escape(finding.rule)}</td>",
        f"<td>{escape(finding_cell(finding))}<br><small>{escape(keys)}</small></td>",
        _num_cell(finding.page),
        _num_cell(finding.expected),
        _num_cell(finding.actual),
        f"<td>{_review_badge(finding)}{escape(finding.message)}{evidence.finding_img(finding, view)}</td>",
    ]
    return (f'<tr data-severity="{finding.severity}" data-doc="{escape(finding.doc_id)}" '
            f'data-rule="{escape(finding.rule)}">{"".join(cells)}</tr>')


def _review_badge(finding: Finding) -> str:
    """Return the warning shown before a finding on a table that needs review (it may be a misread)."""
    if not finding.needs_review:
        return ""
    return ('<strong class="needs-review">needs review: the table was reconstructed and is not supported by '
            'its evidence; compare with the printed page before acting on this finding.</strong><br>')


def _num_cell(value: float | None) -> str:
    """Return a right-aligned number cell that sorts by value (blank sorts last)."""
    if value is None:
        return '<td class="num" data-sort=""></td>'
    return f'<td class="num" data-sort="{value!r}">{escape(number(value))}</td>'


def _year_over_year(data: ReportData) -> str:
    """Return the year-over-year table (from `govreport compare`), or nothing when it was not run."""
    if not data.year_over_year:
        return ""

    head = "".join(f"<th>{escape(h)}</th>" for h in ("Body", "Years", *(name for _, name in YEAR_OVER_YEAR),
                                                      "Prose repeated 重复文字"))
    body = []
    for row in data.year_over_year:
        pairs = [row.get(key) for key, _ in YEAR_OVER_YEAR]
        cells = [f"<td>{escape(str(row['agency']))}</td>", f"<td>{row['year_from']}→{row['year_to']}</td>"]
        cells += [f"<td>{escape(_change(p))}</td>" for p in pairs]
        share = row.get("repeated_prose")
        cells.append(f"<td>{'' if share is None else f'{share:.0%}'}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    return (f'<h2 id="year-over-year">Year over year 年度对比</h2><table class="documents"><thead><tr>{head}'
            f"</tr></thead><tbody>{''.join(body)}</tbody></table>")


def _change(pair: object) -> str:
    if not isinstance(pair, tuple):
        return ""
    before, after = (number(v) if v is not None else "—" for v in pair)
    return f"{before} → {after}"


def _documents(data: ReportData) -> str:
    """Return the table of reports read, with their coverage."""
    columns = ("sections_present", "tables_present", "cells_total", "cells_filled", "cells_blank", "errors",
               "warnings", "infos")
    head = "".join(f"<th>{escape(c)}</th>" for c in ("Report", "File", "Format", "Template", "Status", *columns))
    rows = []
    for view in data.ordered_views():
        doc, coverage = view.document, data.coverage.get(view.doc_id, {})
        fields: Iterable[object] = (data.label(view), file_name(view),
                                    doc.get("format"), doc.get("template"), doc.get("status"),
                                    *(coverage.get(c) for c in columns))
        rows.append("<tr>" + "".join(f"<td>{escape('' if v is None else str(v))}</td>" for v in fields) + "</tr>")
    return (f'<h2 id="documents">Reports read 报告</h2><table class="documents"><thead><tr>{head}</tr></thead>'
            f"<tbody>{''.join(rows)}</tbody></table>")
