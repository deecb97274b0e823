"""A review page of one report: every value read, on the page it was read from.

`govreport review REPORT -o DIR` writes DIR/index.html and DIR/assets/ (page pictures and crops), a
folder that works offline. Each page holding a table or a section heading is shown with every value
read overlaid on its cell's box, the boxes coloured by how the cell was read (grid, positions, ocr,
html, docx, text) and OCR cells by their confidence; section headings are framed. Tables without page
geometry (web pages, Word files, text, a source file that is gone) are shown as the grid the records
give. Then the findings, each error and warning with the crop of its cells (pipeline.evidence).
"""

from __future__ import annotations

import shutil
from collections import defaultdict
from collections.abc import Mapping, Sequence
from html import escape
from pathlib import Path
from typing import Any

from PIL import Image

from pipeline import evidence
from pipeline.checks import DocView, Finding, run_checks, views_from_rows
from pipeline.checks.view import TABLE_LABELS, cell_label, column_label, number, row_label
from pipeline.errors import PipelineError
from pipeline.output.write import atomic
from pipeline.records import Record

Rows = Mapping[str, Sequence[Mapping[str, Any]]]

PAGE_WIDTH = 1000  # pixels of a page picture on the review page
LOW_CONFIDENCE = 0.9  # as the ocr.low_confidence rule
METHOD_COLOURS = {"grid": "#2f855a", "positions": "#2b6cb0", "ocr": "#dd6b20", "html": "#805ad5",
                  "docx": "#b83280", "text": "#718096"}
LOW_COLOUR = "#e53e3e"  # an OCR value read below LOW_CONFIDENCE
HEADING_COLOUR = "#3182ce"
ASSETS = "assets"

STYLE = """
body{font-family:system-ui,"Noto Sans CJK SC","Microsoft YaHei",sans-serif;margin:24px;color:#1a202c;max-width:1100px}
h1{font-size:20px}h2{font-size:17px;margin-top:28px;border-bottom:1px solid #cbd5e0}
table{border-collapse:collapse;font-size:13px}th,td{border:1px solid #e2e8f0;padding:3px 6px;vertical-align:top}
th{background:#edf2f7;text-align:left}.num{text-align:right}small{color:#718096}
.sheet{position:relative;display:inline-block;border:1px solid #a0aec0}.sheet img{display:block}
.sheet svg{position:absolute;left:0;top:0;width:100%;height:100%}
.cell{fill-opacity:.14;stroke-width:.8}.cell.low{fill-opacity:.35;stroke-width:1.4}
.flag{fill:none;stroke:#c53030;stroke-width:2.2}.heading{fill:none;stroke-dasharray:4 2;stroke-width:1.2}
.value{font-size:6px;paint-order:stroke;stroke:#fff;stroke-width:1.6px;font-weight:bold}
.tag{font-size:8px;fill:#3182ce;paint-order:stroke;stroke:#fff;stroke-width:2px}
.legend span{display:inline-block;padding:1px 8px;margin:0 6px 4px 0;border:2px solid}
.error{background:#fed7d7}.warning{background:#feebc8}.info{background:#bee3f8}
.finding{margin:10px 0;padding:6px;border-left:4px solid #cbd5e0}.finding img{max-width:100%;height:auto}
.note{color:#c53030;font-weight:bold}
"""


class ReviewError(PipelineError):
    """The report to review cannot be found in the output folder."""


def rows_of_file(path: str | Path) -> dict[str, list[dict[str, Any]]]:
    """Return the output rows of one report file, parsed now."""
    from pipeline.run import parse_file  # the parser is only needed when a file is reviewed

    return parse_file(path).rows()


def rows_in_folder(out_dir: str | Path, key: str) -> dict[str, list[dict[str, Any]]]:
    """Return the rows of one report of an output folder, named by its doc_id (or a prefix of it) or by its
    file's name or path as documents.source_path holds it."""
    from pipeline.output.readback import read_rows

    rows = read_rows(out_dir)
    matches = [d for d in rows["documents"] if _names(d, key)]
    if len(matches) != 1:
        found = "no report" if not matches else f"{len(matches)} reports"
        raise ReviewError(f"{found} in {out_dir} named {key!r}: give a doc_id or a file name of its documents table")
    doc_id = matches[0]["doc_id"]
    return {name: [r for r in table if r.get("doc_id") == doc_id] for name, table in rows.items()}


def _names(document: Mapping[str, Any], key: str) -> bool:
    path = str(document.get("source_path") or "")
    return str(document.get("doc_id") or "").startswith(key) or path == key or path.rsplit("/", 1)[-1] == key


def write_review(rows: Rows, out_dir: str | Path) -> Path:
    """Write the review page of one report's rows (documents, sections, records, ocr_values) into OUT_DIR;
    return the path of its index.html."""
    out = Path(out_dir)
    assets = out / ASSETS
    shutil.rmtree(assets, ignore_errors=True)  # pictures of an earlier review of this folder
    assets.mkdir(parents=True, exist_ok=True)
    view = views_from_rows(rows["documents"], rows.get("sections", ()), rows.get("records", ()),
                           rows.get("ocr_values", ()))[0]
    findings = run_checks([view])
    page = _page(view, list(rows.get("sections", ())), findings, assets)
    target = out / "index.html"
    atomic(target, lambda tmp: Path(tmp).write_text(page, encoding="utf-8"))
    return target


def _page(view: DocView, sections: list[Mapping[str, Any]], findings: list[Finding], assets: Path) -> str:
    doc = view.document
    title = f"{view.name} · review"
    return "".join([
        '<!DOCTYPE html>\n<html lang="zh-CN"><head><meta charset="utf-8">',
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; "
        "img-src 'self' file: data:\">",
        f"<title>{escape(title)}</title><style>{STYLE}</style></head><body>",
        f"<h1>{escape(title)}</h1>",
        _summary(doc, findings),
        _legend(),
        _findings(view, findings, assets),
        _pages(view, sections, findings, assets),
        _sections(sections),
        "</body></html>\n",
    ])


def _summary(doc: Mapping[str, Any], findings: Sequence[Finding]) -> str:
    counts = {s: sum(1 for f in findings if f.severity == s) for s in ("error", "warning", "info")}
    fields = [("File", doc.get("source_path")), ("doc_id", doc.get("doc_id")), ("Format", doc.get("format")),
              ("Status", doc.get("status")), ("Why", doc.get("error")), ("Template", doc.get("template")),
              ("Findings", f"{counts['error']} error(s), {counts['warning']} warning(s), {counts['info']} info(s)")]
    rows = "".join(f"<tr><th>{name}</th><td>{escape(str(value))}</td></tr>" for name, value in fields if value)
    gone = "" if evidence.source_file(doc) else (
        '<p class="note">The source file is not found at this path: pages cannot be shown, the tables are drawn '
        "from the records.</p>")
    return f"<table>{rows}</table>{gone}"


def _legend() -> str:
    spans = "".join(f'<span style="border-color:{colour}">{method}</span>' for method, colour in METHOD_COLOURS.items())
    return (f'<p class="legend">How each value was read: {spans}<span style="border-color:{LOW_COLOUR}">'
            f"ocr below {LOW_CONFIDENCE}</span><span style=\"border-color:#c53030\">named by an error or "
            f'warning</span><span style="border-color:{HEADING_COLOUR};border-style:dashed">section heading</span>'
            "</p><p><small>Each box is where the value was read; the figure at its lower right is the value read "
            "(hover for its keys, raw text and OCR confidence).</small></p>")


# --- findings ----------------------------------------------------------------------------------

def _findings(view: DocView, findings: Sequence[Finding], assets: Path) -> str:
    items = []
    for index, finding in enumerate(sorted(findings, key=lambda f: ("error", "warning", "info").index(f.severity))):
        crop = evidence.finding_png(finding, view)
        picture = ""
        if crop is not None:
            name = f"crop-{index}.png"
            (assets / name).write_bytes(crop)
            picture = (f'<br><img class="crop" src="{ASSETS}/{name}" '
                       f'alt="{escape(evidence.alt_text(finding, view))}">')
        where = cell_label(finding.table, finding.row, finding.column)
        page = f" · p.{finding.page}" if finding.page else ""
        badge = " <strong>needs review: compare with the printed page</strong>" if finding.needs_review else ""
        items.append(f'<div class="finding {finding.severity}" id="finding-{index}"><b>{finding.severity}</b> '
                     f"<code>{escape(finding.rule)}</code> {escape(TABLE_LABELS.get(finding.table or '', ''))} "
                     f"{escape(where)}{page}{badge}<br>{escape(finding.message)}{picture}</div>")
    body = "".join(items) or "<p>No findings.</p>"
    return f'<h2 id="findings">Findings 问题 ({len(findings)})</h2>{body}'


# --- pages with the values read ------------------------------------------------------------------

def _pages(view: DocView, sections: Sequence[Mapping[str, Any]], findings: Sequence[Finding], assets: Path) -> str:
    source = evidence.source_file(view.document)
    boxed = [r for r in view.records if _boxed(r)]
    headings = [s for s in sections if s.get("page_start") and s.get("heading_x0") is not None]
    pages: dict[int, list[Record]] = defaultdict(list)
    for record in boxed:
        pages[int(record.page or 1)].append(record)
    for section in headings:
        pages.setdefault(int(section["page_start"]), [])
    flagged = _flagged(view, findings)
    parts, drawn_tables = [], []
    for number_, records in sorted(pages.items()):
        if source is None:
            break
        try:
            parts.append(_page_figure(view, source, number_, records, headings, flagged, assets))
        except evidence.Unavailable as exc:
            parts.append(f'<p class="note">{escape(str(exc))}</p>')
    shown = {r.table for r in boxed} if source is not None else set()
    for table in dict.fromkeys(r.table for r in view.records):
        if table not in shown:
            drawn_tables.append(_grid_table(view, table, flagged))
    return (f'<h2 id="tables">Tables as read 表格</h2>{"".join(parts)}{"".join(drawn_tables)}'
            if parts or drawn_tables else "")


def _boxed(record: Record) -> bool:
    return record.page is not None and None not in (record.x0, record.top, record.x1, record.bottom)


def _flagged(view: DocView, findings: Sequence[Finding]) -> set[tuple[str, str, str]]:
    """Return the cells that an error or warning names."""
    return {(r.table, r.row, r.column) for f in findings if f.severity in evidence.SHOWN_SEVERITIES
            for r in evidence.named_cells(view, f.table, f.row, f.column)}


def _page_figure(view: DocView, source: Path, page: int, records: Sequence[Record],
                 headings: Sequence[Mapping[str, Any]], flagged: set[tuple[str, str, str]], assets: Path) -> str:
    picture, points_per_pixel = evidence.page_picture(source, page)
    width_pt, height_pt = picture.width * points_per_pixel, picture.height * points_per_pixel
    name = f"page-{page}.jpg"
    shown = picture.convert("RGB")
    if shown.width > PAGE_WIDTH:
        shown = shown.resize((PAGE_WIDTH, round(shown.height * PAGE_WIDTH / shown.width)), Image.Resampling.LANCZOS)
    shown.save(assets / name, "JPEG", quality=80, optimize=True)
    marks = [_cell_mark(view, r, flagged) for r in records]
    marks += [_heading_mark(s) for s in headings if int(s["page_start"]) == page]
    tables = ", ".join(dict.fromkeys(TABLE_LABELS.get(r.table, r.table) for r in records)) or "section headings"
    return (f'<figure id="page-{page}"><figcaption>p.{page} · {escape(tables)}</figcaption><div class="sheet">'
            f'<img src="{ASSETS}/{name}" width="{shown.width}" height="{shown.height}" alt="page {page}">'
            f'<svg viewBox="0 0 {width_pt:.1f} {height_pt:.1f}" preserveAspectRatio="none" '
            f'xmlns="http://www.w3.org/2000/svg">{"".join(marks)}</svg></div></figure>')


def _cell_mark(view: DocView, record: Record, flagged: set[tuple[str, str, str]]) -> str:
    x0, top, x1, bottom = (float(v or 0) for v in (record.x0, record.top, record.x1, record.bottom))
    confidence = view.confidence.get((record.table, record.row, record.column))
    low = confidence is not None and confidence < LOW_CONFIDENCE
    colour = LOW_COLOUR if low else METHOD_COLOURS.get(record.method or "", "#4a5568")
    tip = (f"{TABLE_LABELS.get(record.table, record.table)} · {cell_label(record.table, record.row, record.column)}"
           f"\n{record.table}.{record.row}.{record.column}\nraw: {record.raw!r} · value: {number(record.value)}"
           f"\nread as {record.method}" + (f" · OCR confidence {confidence:.2f}" if confidence is not None else ""))
    flag = (f'<rect class="flag" x="{x0:.1f}" y="{top:.1f}" width="{x1 - x0:.1f}" height="{bottom - top:.1f}"/>'
            if (record.table, record.row, record.column) in flagged else "")
    shown = record.raw if record.raw else "∅"
    return (f'<g><title>{escape(tip)}</title><rect class="cell{" low" if low else ""}" x="{x0:.1f}" y="{top:.1f}" '
            f'width="{x1 - x0:.1f}" height="{bottom - top:.1f}" fill="{colour}" stroke="{colour}"/>{flag}'
            f'<text class="value" x="{x1 - 1:.1f}" y="{bottom - 1.2:.1f}" text-anchor="end" fill="{colour}">'
            f"{escape(shown)}</text></g>")


def _heading_mark(section: Mapping[str, Any]) -> str:
    x0, top, x1, bottom = (float(section[k]) for k in ("heading_x0", "heading_top", "heading_x1", "heading_bottom"))
    return (f'<g><title>{escape(section["section"])}: {escape(section.get("heading") or "")}</title>'
            f'<rect class="heading" x="{x0 - 2:.1f}" y="{top - 2:.1f}" width="{x1 - x0 + 4:.1f}" '
            f'height="{bottom - top + 4:.1f}" stroke="{HEADING_COLOUR}"/>'
            f'<text class="tag" x="{x1 + 4:.1f}" y="{bottom - 2:.1f}">§ {escape(section["section"])}</text></g>')


def _grid_table(view: DocView, table: str, flagged: set[tuple[str, str, str]]) -> str:
    """Return a table without page geometry as HTML, laid out by the records' grid, coloured by method."""
    records = view.table_records(table)
    rows, columns = evidence.grid_axes(records)
    by_key = {(r.row, r.column): r for r in records}
    head = "".join(f"<th>{escape(column_label(table, c))}</th>" for c in columns)
    body = []
    for row in rows:
        cells = [f"<th>{escape(row_label(table, row))}</th>"]
        for column in columns:
            record = by_key.get((row, column))
            if record is None:
                cells.append("<td></td>")
                continue
            confidence = view.confidence.get((table, row, column))
            colour = LOW_COLOUR if confidence is not None and confidence < LOW_CONFIDENCE else \
                METHOD_COLOURS.get(record.method or "", "#4a5568")
            outline = ";outline:3px solid #c53030" if (table, row, column) in flagged else ""
            where = (f"grid {record.grid_table}:{record.grid_row},{record.grid_col}" if record.grid_table is not None
                     else f"read as {record.method}")
            cells.append(f'<td class="num" style="box-shadow:inset 0 -3px 0 {colour}{outline}" '
                         f'title="{escape(f"{table}.{row}.{column} · {where}")}">{escape(record.raw)}</td>')
        body.append(f"<tr>{''.join(cells)}</tr>")
    methods = ", ".join(sorted({r.method or "" for r in records}))
    return (f"<figure><figcaption>{escape(TABLE_LABELS.get(table, table))} <small>(read as {escape(methods)}; "
            f"no page picture: drawn from the records)</small></figcaption><table><thead><tr><th></th>{head}</tr>"
            f"</thead><tbody>{''.join(body)}</tbody></table></figure>")


def _sections(sections: Sequence[Mapping[str, Any]]) -> str:
    rows = []
    for s in sections:
        pages = "" if s.get("page_start") is None else f"p.{s['page_start']}" + (
            f"–{s['page_end']}" if s.get("page_end") not in (None, s["page_start"]) else "")
        marked = "framed on its page" if s.get("heading_x0") is not None else ""
        rows.append(f"<tr><td><code>{escape(str(s['section']))}</code></td><td>{escape(s.get('heading') or '')}</td>"
                    f"<td>{pages}</td><td>{marked}</td></tr>")
    return (f'<h2 id="sections">Sections 章节 ({len(sections)})</h2><table><thead><tr><th>Key</th><th>Heading</th>'
            f"<th>Pages</th><th>Heading box</th></tr></thead><tbody>{''.join(rows)}</tbody></table>")

