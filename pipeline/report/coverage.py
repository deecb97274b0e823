"""Compliance coverage in the oversight report: a heat table of bodies × years and the reports to act on.

Read from OUT/compliance.parquet (written by `govreport coverage`); the report shows nothing of it
when that file is absent. A cell is `published`, `late` (published after 31 January of the next
year), `inconsistent` (published, with error findings), `missing`, or `unknown` / `ambiguous` (the
roster name matched no body, or two). Counts and rates are given per year; no body is ranked.
"""

from __future__ import annotations

from collections import Counter
from html import escape
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq

from pipeline.compliance import to_act

FILE = "compliance.parquet"
_COLOURS = {"published": "#d9f2d9", "late": "#ffe9b3", "inconsistent": "#ffd1d1", "missing": "#e6e6e6",
            "unknown": "#f2f2f2", "ambiguous": "#f2f2f2"}
_FILLS = {state: colour.lstrip("#").upper() for state, colour in _COLOURS.items()}


def load(out_dir: str | Path) -> list[dict[str, Any]]:
    """Return the rows of OUT/compliance.parquet, or none when `govreport coverage` was not run."""
    path = Path(out_dir) / FILE
    return pq.read_table(path).to_pylist() if path.is_file() else []


def cell_state(row: dict[str, Any]) -> str:
    """Return what a body-year cell shows: published, late, inconsistent, missing, unknown or ambiguous."""
    if row["state"] != "published":
        return str(row["state"])
    if row.get("on_time") is False:
        return "late"
    return "inconsistent" if (row.get("errors") or 0) > 0 else "published"


def _grid(rows: list[dict[str, Any]]) -> tuple[list[int], list[str], dict[tuple[str, int], dict[str, Any]]]:
    years = sorted({r["year"] for r in rows})
    bodies = list(dict.fromkeys(r["body_name"] or r["roster_name"] for r in
                                sorted(rows, key=lambda r: (r.get("adcode") or "~", r["roster_name"]))))
    cells = {(r["body_name"] or r["roster_name"], r["year"]): r for r in rows}
    return years, bodies, cells


def html_section(rows: list[dict[str, Any]]) -> str:
    """Return the coverage section of the page: the heat table, counts and rates per year, the to-act list."""
    if not rows:
        return ""
    years, bodies, cells = _grid(rows)
    head = "".join(f"<th>{year}</th>" for year in years)
    lines = []
    for body in bodies:
        heat = []
        for year in years:
            state = cell_state(cells[(body, year)]) if (body, year) in cells else ""
            heat.append(f'<td class="coverage-{state}" style="background:{_COLOURS.get(state, "#fff")}" '
                       f'title="{escape(state)}">{escape(state)}</td>')
        lines.append(f"<tr><td>{escape(body)}</td>{''.join(heat)}</tr>")
    totals = []
    counted = ("published", "late", "inconsistent", "missing")  # rates over the bodies matched, per year
    counts = [Counter(cell_state(r) for r in rows if r["year"] == year) for year in years]
    for state in counted:
        tds = "".join(f"<td>{c[state]} ({c[state] / max(sum(c[k] for k in counted), 1):.0%})</td>" for c in counts)
        totals.append(f"<tr><th>{state}</th>{tds}</tr>")
    act = "".join(f"<li>{escape(r['body_name'] or r['roster_name'])} {r['year']}: "
                  f"{'missing' if r['state'] == 'missing' else 'late, published ' + str(r['published_date'])}</li>"
                  for r in to_act(rows))
    # Sortable and filterable by the page's one script (html.py): the totals stay below, in the footer.
    controls = ('<div class="controls"><input class="filter" data-for="coverage-heat-table" type="search" '
                'placeholder="filter: body, state" size="40" aria-label="filter coverage">'
                '<span class="shown" data-for="coverage-heat-table"></span></div>')
    return (f'<h2 id="compliance">Coverage 发布情况</h2>{controls}<table id="coverage-heat-table" '
            f'class="documents coverage-heat sortable" data-noun="bodies"><thead><tr><th>Body</th>'
            f"{head}</tr></thead><tbody>{''.join(lines)}</tbody><tfoot>{''.join(totals)}</tfoot></table>"
            f'<h3 id="to-act">To act on 待督促</h3><ul class="to-act">{act or "<li>none</li>"}</ul>')


def insert_html(page: str, rows: list[dict[str, Any]]) -> str:
    """Return the page with the coverage section before the list of reports read."""
    section = html_section(rows)
    marker = '<h2 id="documents">'
    return page.replace(marker, section + marker, 1) if section and marker in page else page


def add_sheet(path: str, rows: list[dict[str, Any]]) -> None:
    """Add the Compliance coverage sheet to the workbook at `path` (see add_to)."""
    if not rows:
        return
    from openpyxl import load_workbook

    with open(path, "rb") as handle:  # a file object: openpyxl refuses the atomic writer's .tmp name
        book = load_workbook(handle)
    add_to(book, rows)
    book.save(path)


def add_to(book: Any, rows: list[dict[str, Any]]) -> None:
    """Add the Compliance coverage sheet (one row per body, one coloured cell per year) to an openpyxl workbook."""
    if not rows:
        return
    from openpyxl.styles import PatternFill

    sheet = book.create_sheet("Compliance coverage")
    years, bodies, cells = _grid(rows)
    sheet.append(["Body", *years])
    for body in bodies:
        states = [cell_state(cells[(body, y)]) if (body, y) in cells else "" for y in years]
        sheet.append([body, *states])
        for offset, state in enumerate(states):
            if state:
                sheet.cell(sheet.max_row, 2 + offset).fill = PatternFill("solid", fgColor=_FILLS[state])
    sheet.append([])
    sheet.append(["To act on", "Year", "State", "Published"])
    for row in to_act(rows):
        sheet.append([row["body_name"] or row["roster_name"], row["year"], cell_state(row), row["published_date"]])
