"""The oversight report as one self-contained HTML page.

Headline figures (with the findings open, confirmed and dismissed), the reports that could not be
read or need review with their reason, the coverage matrix (reports × checks, most urgent report
first, each cell linked to its finding), charts as inline SVG, every finding with its decision and
fingerprint, the corrections people made, and the reports read. Every table sorts by a click on a
header and filters by a box and menus, with small inline JavaScript. No external file, font or
script is loaded. Every text taken from a document passes through `escape`, and the page's
Content-Security-Policy allows only the one script it ships (by its hash), so a report cannot
inject markup or script.
"""

from __future__ import annotations

import base64
import hashlib
from collections import Counter
from collections.abc import Iterable
from datetime import date
from html import escape
from typing import Any

from pipeline import evidence
from pipeline.checks import DocView, Finding
from pipeline.checks.view import TABLE_LABELS, cell_label, number
from pipeline.report import svg
from pipeline.report.data import (
    DECISIONS,
    OUTCOME_SERIES,
    RESULT_SERIES,
    SEVERITY_RANK,
    URGENCY,
    YEAR_OVER_YEAR,
    ReportData,
    anchor,
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
.matrix td.state a{color:inherit;text-decoration:none;display:block}
.error{background:#fed7d7}.warning{background:#feebc8}.info{background:#bee3f8}.pass{background:#c6f6d5}
.na{background:#f7fafc;color:#a0aec0}.legend span{padding:2px 8px;margin-right:6px}
table.sortable thead th{cursor:pointer;user-select:none}table.sortable th[aria-sort=ascending]::after{content:" ▲"}
table.sortable th[aria-sort=descending]::after{content:" ▼"}.num{text-align:right}small{color:#718096}
.controls{margin:8px 0;display:flex;gap:12px;align-items:center}.chart{margin:12px 0}
figcaption{font-weight:bold;margin-bottom:4px}.reason{max-width:560px;white-space:pre-wrap}
.u-failed{background:#fed7d7}.u-needs_review{background:#feebc8}.confirmed{background:#fed7d7}
.dismissed{color:#718096;text-decoration:line-through}.fingerprint{font-family:monospace;font-size:12px}
tr:target{outline:3px solid #3182ce}
"""

# One script for every table: click a header to sort by its column (numbers by data-sort), type in the
# table's filter box to keep the rows holding every word, pick in its menus to keep rows by an attribute.
# A link to a row hidden by a filter (a matrix cell's) clears that table's filters first.
SCRIPT = """
(function () {
  "use strict";
  var each = function (list, f) { Array.prototype.forEach.call(list, f); };
  function key(row, index, numeric) {
    var cell = row.cells[index];
    if (!cell) { return numeric ? Infinity : ""; }
    var raw = cell.hasAttribute("data-sort") ? cell.getAttribute("data-sort") : cell.textContent.trim();
    if (!numeric) { return raw; }
    return raw === "" ? Infinity : parseFloat(raw);
  }
  function wire(table) {
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    var id = table.id;
    var box = document.querySelector('input[data-for="' + id + '"]');
    var menus = document.querySelectorAll('select[data-for="' + id + '"]');
    var shown = document.querySelector('span.shown[data-for="' + id + '"]');
    var noun = table.getAttribute("data-noun") || "rows";
    function apply() {
      var terms = box ? box.value.toLowerCase().split(/\\s+/).filter(Boolean) : [];
      var count = 0;
      rows.forEach(function (row) {
        var text = row.textContent.toLowerCase();
        var visible = terms.every(function (term) { return text.indexOf(term) !== -1; });
        each(menus, function (menu) {
          if (menu.value && row.getAttribute(menu.getAttribute("data-attr")) !== menu.value) { visible = false; }
        });
        row.hidden = !visible;
        if (visible) { count += 1; }
      });
      if (shown) { shown.textContent = count + " of " + rows.length + " " + noun + " shown"; }
    }
    function sortBy(header, index) {
      var ascending = header.getAttribute("aria-sort") !== "ascending";
      var numeric = header.getAttribute("data-type") === "num";
      each(header.parentNode.cells, function (th) { th.removeAttribute("aria-sort"); });
      header.setAttribute("aria-sort", ascending ? "ascending" : "descending");
      rows.sort(function (a, b) {
        var x = key(a, index, numeric), y = key(b, index, numeric);
        if (numeric && (x === Infinity) !== (y === Infinity)) { return x === Infinity ? 1 : -1; }  // blanks last
        var order = numeric ? (x === y ? 0 : (x < y ? -1 : 1)) : String(x).localeCompare(String(y), "zh");
        return ascending ? order : -order;
      });
      rows.forEach(function (row) { body.appendChild(row); });
    }
    var head = table.tHead.rows[table.tHead.rows.length - 1];
    each(head.cells, function (header, index) {
      header.addEventListener("click", function () { sortBy(header, index); });
    });
    if (box) { box.addEventListener("input", apply); }
    each(menus, function (menu) { menu.addEventListener("change", apply); });
    apply();
    return function () {
      if (box) { box.value = ""; }
      each(menus, function (menu) { menu.value = ""; });
      apply();
    };
  }
  var resets = {};
  each(document.querySelectorAll("table.sortable"), function (table) { resets[table.id] = wire(table); });
  function reveal() {
    var target = location.hash ? document.getElementById(decodeURIComponent(location.hash.slice(1))) : null;
    if (target && target.hidden) {
      var table = target.closest("table");
      if (table && resets[table.id]) { resets[table.id](); }
      target.scrollIntoView();
    }
  }
  window.addEventListener("hashchange", reveal);
  reveal();
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
        _headline(data), _problems(data), _matrix(data), _charts(data), _findings(data), _corrections(data),
        _year_over_year(data), _documents(data),
        f"<script>{SCRIPT}</script></body></html>\n",
    ])


def _controls(table_id: str, placeholder: str, menus: str = "") -> str:
    """Return a table's filter box, its menus and the count of rows shown."""
    return (f'<div class="controls"><input class="filter" data-for="{table_id}" type="search" '
            f'placeholder="{escape(placeholder)}" size="40" aria-label="filter {table_id}">{menus}'
            f'<span class="shown" data-for="{table_id}"></span></div>')


def _menu(table_id: str, attr: str, label: str, values: Iterable[str], element_id: str = "") -> str:
    """Return a menu that keeps the rows whose attribute `attr` is the value picked."""
    options = "".join(f'<option value="{escape(v)}">{escape(v)}</option>' for v in values)
    ident = f' id="{element_id}"' if element_id else ""
    return (f'<select{ident} data-for="{table_id}" data-attr="{attr}" aria-label="{escape(label)}">'
            f'<option value="">all {escape(label)}</option>{options}</select>')


def _headline(data: ReportData) -> str:
    """Return the headline figures as cards."""
    cards = "".join(f'<div class="card"><b>{escape(value)}</b><span>{escape(label)}</span></div>'
                    for label, value in data.headline())
    stale = data.stale_decisions()
    note = (f"<p><small>{len(stale)} decision(s) in decisions.csv match no finding of this output (the finding "
            "is gone, or the decision comes from other files).</small></p>") if stale else ""
    return f'<h2 id="headline">Headline figures 概况</h2><div class="cards">{cards}</div>{note}'


def _problems(data: ReportData) -> str:
    """Return the reports that could not be read or need review, each with its reason (documents.error)."""
    views = [v for v in data.by_urgency() if data.urgency(v) in ("failed", "needs_review")]
    if not views:
        return ""
    rows = "".join(
        f'<tr class="u-{data.urgency(v)}" data-status="{escape(str(v.document.get("status") or ""))}">'
        f'<td><a href="#{anchor(v)}">{escape(data.label(v))}</a></td><td>{escape(file_name(v))}</td>'
        f'<td data-sort="{URGENCY.index(data.urgency(v))}">{escape(str(v.document.get("status") or ""))}</td>'
        f'<td class="reason">{escape(data.reason(v)) or "<small>no reason recorded</small>"}</td></tr>'
        for v in views)
    head = "".join(f'<th scope="col"{kind}>{name}</th>' for name, kind in
                   (("Report", ""), ("File", ""), ("Status", ' data-type="num"'), ("Reason 原因", "")))
    return (f'<h2 id="problems">Not read or needing review 未能读取或需复核</h2>'
            f'{_controls("problems-table", "filter: file, status, reason")}'
            f'<table id="problems-table" class="sortable" data-noun="reports"><thead><tr>{head}</tr></thead>'
            f"<tbody>{rows}</tbody></table>")


def _matrix(data: ReportData) -> str:
    """Return the coverage matrix: reports × checks, each cell coloured by its worst finding and linked to it."""
    rules = data.rules
    head = "".join(f'<th class="rule" data-type="num" title="{escape(r.description)}">{escape(r.id)}</th>'
                   for r in rules)
    body = []
    for view in data.by_urgency():
        cells = []
        for rule in rules:
            state, found = data.state(view, rule)
            tip = "\n".join(f.message for f in found) or {"pass": "passed", "n/a": "not applicable"}.get(state, "")
            count = escape(str(len(found)) if len(found) > 1 else _STATE_MARK[state])
            mark = f'<a href="#f-{data.fingerprint(found[0])}">{count}</a>' if found else count
            cells.append(f'<td class="state {_css(state)}" data-rule="{escape(rule.id)}" '
                         f'data-sort="{_STATE_RANK[state]}" title="{escape(tip)}">{mark}</td>')
        status = view.document.get("status") or ""
        body.append(f'<tr data-urgency="{data.urgency(view)}"><th data-sort="{escape(data.label(view))}">'
                    f'<a href="#{anchor(view)}">{escape(data.label(view))}</a> <small>{escape(status)}</small></th>'
                    f"{''.join(cells)}</tr>")
    legend = "".join(f'<span class="{_css(s)}">{_STATE_MARK[s]} {s}</span>' for s in _STATE_MARK)
    menu = _menu("matrix-table", "data-urgency", "reports", URGENCY)
    return (f'<h2 id="coverage">Coverage matrix 检查矩阵</h2><p class="legend">{legend}</p>'
            f'{_controls("matrix-table", "filter: report", menu)}'
            f'<table id="matrix-table" class="matrix sortable" data-noun="reports"><thead><tr><th>Report</th>{head}'
            f"</tr></thead><tbody>{''.join(body)}</tbody></table>")


_STATE_RANK = {"error": 0, "warning": 1, "info": 2, "pass": 3, "n/a": 4}


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
                    ("Expected", "num"), ("Actual", "num"), ("Message", "text"), ("Decision 处理", "text"),
                    ("Fingerprint", "text"))


def _findings(data: ReportData) -> str:
    """Return the findings table with its filter box and its severity and decision menus."""
    head = "".join(f'<th data-type="{kind}" scope="col">{name}</th>' for name, kind in _FINDING_COLUMNS)
    rows = "".join(_finding_row(f, data) for f in data.sorted_findings())
    menus = (_menu("findings-table", "data-severity", "severities", SEVERITY_RANK, "severity")
             + _menu("findings-table", "data-decision", "decisions", DECISIONS, "decision"))
    counts = data.decision_counts()
    tally = ", ".join(f"{counts[state]} {state}" for state in DECISIONS)
    return (f'<h2 id="findings">Findings 问题清单</h2><p>{escape(tally)} — decide with <code>govreport decide OUT '
            f"FINGERPRINT --confirm|--dismiss --note … --by …</code> or in decisions.csv.</p>"
            + _controls("findings-table", "filter: words all must match", menus).replace(
                '<input class="filter"', '<input id="filter" class="filter"').replace(
                '<span class="shown"', '<span id="shown" class="shown"')
            + f'<table id="findings-table" class="sortable" data-noun="findings"><thead><tr>{head}</tr></thead>'
              f"<tbody>{rows}</tbody></table>")


def _finding_row(finding: Finding, data: ReportData) -> str:
    """Return one finding as a table row; numbers carry data-sort for the script."""
    view = data.view(finding.doc_id)
    report = data.label(view) if view else finding.doc_id
    source = file_name(view) if view else ""
    keys = ".".join(k for k in (finding.table, finding.row, finding.column) if k)
    fingerprint = data.fingerprint(finding)
    state = data.decision_state(finding)
    link = f'<a href="#{anchor(view)}">{escape(report)}</a>' if view else escape(report)
    cells = [
        f"<td>{link}<br><small>{escape(source)}</small></td>",
        f'<td class="{finding.severity}" data-sort="{SEVERITY_RANK[finding.severity]}">{finding.severity}</td>',
        f"<td>{escape(finding.rule)}</td>",
        f"<td>{escape(finding_cell(finding))}<br><small>{escape(keys)}</small></td>",
        _num_cell(finding.page),
        _num_cell(finding.expected),
        _num_cell(finding.actual),
        f"<td>{_review_badge(finding)}{escape(finding.message)}{evidence.finding_img(finding, view)}</td>",
        f'<td class="{state}" data-sort="{DECISIONS.index(state)}">{_decision(data.decision(finding), state)}</td>',
        f'<td class="fingerprint" title="govreport decide OUT {fingerprint} --confirm|--dismiss --note … --by …">'
        f"{fingerprint}</td>",
    ]
    return (f'<tr id="f-{fingerprint}" data-severity="{finding.severity}" data-doc="{escape(finding.doc_id)}" '
            f'data-rule="{escape(finding.rule)}" data-decision="{state}">{"".join(cells)}</tr>')


def _decision(row: dict[str, Any] | None, state: str) -> str:
    """Return a finding's decision for people: the state, then the note, who and when."""
    if row is None:
        return state
    said = " · ".join(escape(str(row.get(k))) for k in ("by", "at") if row.get(k))
    note = f"<br>{escape(str(row['note']))}" if row.get("note") else ""
    return f"{state}{note}<br><small>{said}</small>"


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


def _corrections(data: ReportData) -> str:
    """Return the values people corrected (corrections.csv), beside the values parsed; nothing when none."""
    if not data.corrections:
        return ""
    head = "".join(f'<th scope="col"{kind}>{name}</th>' for name, kind in (
        ("Report", ""), ("Cell", ""), ("Parsed", ' data-type="num"'), ("Corrected", ' data-type="num"'),
        ("Note", ""), ("By", ""), ("At", "")))
    rows = []
    for c in data.corrections:
        view = data.view(str(c["doc_id"]))
        label = cell_label(c["table"], c["row"], c["column"])
        rows.append("<tr>" + "".join([
            f"<td>{escape(data.label(view) if view else str(c['doc_id']))}</td>",
            f"<td>{escape(TABLE_LABELS.get(c['table'], c['table']))} · {escape(label)}<br><small>"
            f"{escape('.'.join((c['table'], c['row'], c['column'])))}</small></td>",
            _num_cell(c.get("parsed_value")), _num_cell(c.get("value")),
            *(f"<td>{escape(str(c.get(k) or ''))}</td>" for k in ("note", "by", "at"))]) + "</tr>")
    return (f'<h2 id="corrections">Corrections 人工更正</h2><p>Values people read on the printed page '
            f"(corrections.csv); records keep the values parsed.</p>"
            f'{_controls("corrections-table", "filter: report, cell, who")}'
            f'<table id="corrections-table" class="sortable" data-noun="corrections"><thead><tr>{head}</tr>'
            f"</thead><tbody>{''.join(rows)}</tbody></table>")


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
    return (f'<h2 id="year-over-year">Year over year 年度对比</h2>'
            f'{_controls("yoy-table", "filter: body")}'
            f'<table id="yoy-table" class="documents sortable" data-noun="pairs"><thead><tr>{head}'
            f"</tr></thead><tbody>{''.join(body)}</tbody></table>")


def _change(pair: object) -> str:
    if not isinstance(pair, tuple):
        return ""
    before, after = (number(v) if v is not None else "—" for v in pair)
    return f"{before} → {after}"


_COVERAGE_COLUMNS = ("sections_present", "tables_present", "cells_total", "cells_filled", "cells_blank", "errors",
                     "warnings", "infos")


def _documents(data: ReportData) -> str:
    """Return the table of reports read, most urgent first, with the reason, the body and the coverage."""
    texts = ("Report", "File", "Format", "Template", "Status", "Reason 原因", "Agency", "Region", "body_id")
    numbers = (*_COVERAGE_COLUMNS, *DECISIONS)
    head = "".join([*(f'<th scope="col">{escape(c)}</th>' for c in texts),
                    *(f'<th scope="col" data-type="num">{escape(c)}</th>' for c in numbers)])
    decided: dict[str, Counter[str]] = {}
    for f in data.findings:
        decided.setdefault(f.doc_id, Counter())[data.decision_state(f)] += 1
    rows = []
    for view in data.by_urgency():
        doc, coverage = view.document, data.coverage.get(view.doc_id, {}) if view.doc_id else {}
        urgency = data.urgency(view)
        fields: Iterable[object] = (file_name(view), doc.get("format"), doc.get("template"))
        counts = decided.get(view.doc_id, Counter())
        rows.append(
            f'<tr id="{anchor(view)}" class="u-{urgency}" data-urgency="{urgency}">'
            f"<td>{escape(data.label(view))}{_review_link(data, view)}</td>"
            + "".join(f"<td>{escape('' if v is None else str(v))}</td>" for v in fields)
            + f'<td data-sort="{URGENCY.index(urgency)}">{escape(str(doc.get("status") or ""))}</td>'
            + f'<td class="reason">{escape(data.reason(view))}</td>'
            + "".join(f"<td>{escape(str(doc.get(k) or ''))}</td>" for k in ("agency", "region", "body_id"))
            + "".join(_num_cell(coverage.get(c)) for c in _COVERAGE_COLUMNS)
            + "".join(_num_cell(counts[s] if view.doc_id else None) for s in DECISIONS)
            + "</tr>")
    menu = _menu("documents-table", "data-urgency", "reports", URGENCY)
    return (f'<h2 id="documents">Reports read 报告</h2>'
            f'{_controls("documents-table", "filter: report, file, reason, region", menu)}'
            f'<table id="documents-table" class="documents sortable" data-noun="reports"><thead><tr>{head}</tr>'
            f"</thead><tbody>{''.join(rows)}</tbody></table>")


def _review_link(data: ReportData, view: DocView) -> str:
    """Return the link to the report's review page, where one was written."""
    page = data.reviews.get(view.doc_id or "")
    return f' <a class="review" href="{escape(page)}">review 核对</a>' if page else ""
