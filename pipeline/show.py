"""A terminal view of one parsed report: its sections, its tables and its findings, for a person to read."""

from __future__ import annotations

from collections import defaultdict

from pipeline.checks import fingerprints
from pipeline.checks.view import TABLE_LABELS, cell_label
from pipeline.run import ParseResult
from pipeline.spec import TABLE_KEYS, TABLE_SPECS

_PREVIEW = 60


def render(result: ParseResult) -> str:
    """Return a plain-text summary of `result`: metadata, sections with previews, keyed tables."""
    doc = result.document
    lines = [
        f"{doc['source_path']}",
        f"  agency {doc.get('agency') or '—'}  year {doc.get('year') or '—'}  template {doc.get('template') or '—'}"
        f"  pages {doc.get('pages') or '—'}  status {doc['status']}",
    ]
    if doc.get("error"):  # why it failed, or why it needs review
        lines.append(f"  {'needs review' if doc['status'] == 'needs_review' else 'error'}: {doc['error']}")
    if not result.sections and not result.records:
        return "\n".join(lines)
    lines.append("")
    lines.append("Sections")
    for s in result.sections:
        pages = f"p{s.page_start}-{s.page_end}" if s.page_start is not None else ""
        preview = s.text.replace("\n", " ")[:_PREVIEW]
        lines.append(f"  {s.section:<22} {s.heading[:24]:<26} {pages:<8} {len(s.text):>6} chars  {preview}")
    for table in TABLE_KEYS:
        lines.append("")
        lines.extend(_table_lines(result, table))
    lines.append("")
    lines.extend(_finding_lines(result))
    return "\n".join(lines)


_SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}


def _finding_lines(result: ParseResult) -> list[str]:
    """Return the findings, worst first: severity, rule, the cell as printed, fingerprint, then the message."""
    if not result.findings:
        return ["Findings: none"]
    doc = result.document
    keys = fingerprints(result.findings, {str(doc.get("doc_id") or ""): str(doc.get("sha256") or doc.get("doc_id"))})
    ordered = sorted(zip(result.findings, keys, strict=True), key=lambda p: _SEVERITY_ORDER.get(p[0]["severity"], 3))
    lines = [f"Findings ({len(result.findings)})"]
    for finding, fingerprint in ordered:
        table = finding.get("table")
        where = cell_label(table, finding.get("row"), finding.get("column"))
        if table in TABLE_LABELS:
            where = f"{TABLE_LABELS[table]} {where}".strip()
        review = "  [needs review: may be a misread]" if finding.get("needs_review") else ""
        lines.append(f"  {finding['severity']:<8} {finding['rule']:<32} {where}  #{fingerprint}{review}")
        lines.append(f"  {'':<8} {finding['message']}")
    return lines


def _table_lines(result: ParseResult, table: str) -> list[str]:
    records = [r for r in result.records if r.table == table]
    method = result.tables.method.get(table) if result.tables else None
    head = f"Table {table}" + (f" (read from {method})" if method else " — not found")
    if not records:
        return [head, "  (no data row printed)" if method else ""]
    columns = _column_order(table, records)
    by_row: dict[str, dict[str, str]] = defaultdict(dict)
    for r in records:
        by_row[r.row][r.column] = r.raw if r.raw else "·"
    width = max(len(k) for k in by_row) + 2
    out = [head, " " * (width + 2) + " ".join(f"{c[:12]:>12}" for c in columns)]
    for row, values in by_row.items():
        out.append(f"  {row:<{width}}" + " ".join(f"{values.get(c, ''):>12}" for c in columns))
    return out


def _column_order(table: str, records: list) -> list[str]:
    """Return the columns the table prints, in the contract's order."""
    printed = {r.column for r in records}
    return [c for c in TABLE_SPECS[table].column_keys() if c in printed]
