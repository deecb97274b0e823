"""The oversight report of an output folder: one self-contained HTML page and an Excel workbook.

Both are built from the output tables alone (pipeline.output.readback), with the checks re-run so that
every finding carries its page, and with the decisions and corrections people made beside them
(OUT/decisions.csv, OUT/corrections.csv: pipeline.decisions). Both files are written atomically.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pyarrow.parquet as pq

from pipeline.decisions import read_corrections, read_decisions
from pipeline.output.readback import read_rows
from pipeline.output.write import atomic
from pipeline.report import coverage, html, xlsx
from pipeline.report.data import YEAR_OVER_YEAR, ReportData, build
from pipeline.review import write_review

__all__ = ["ReportData", "build", "write_report"]


def write_report(out_dir: str | Path, html_path: str | Path, reviews: bool = False) -> tuple[Path, Path, ReportData]:
    """Write HTML_PATH and the workbook beside it (same name, .xlsx); return both paths and the data.

    With `reviews`, every report that is not plainly ok (failed, needs_review, with errors or warnings)
    also gets its review page under review/<doc_id>/ beside HTML_PATH, linked from its row.
    """
    rows = read_rows(out_dir)
    data = build(rows, str(out_dir), read_decisions(out_dir), read_corrections(out_dir))
    data.year_over_year = year_over_year_summary(out_dir)
    target = Path(html_path)
    target.parent.mkdir(parents=True, exist_ok=True)
    if reviews:
        data.reviews = write_reviews(rows, data, target.parent)
    compliance = coverage.load(out_dir)  # written by `govreport coverage`, when it was run
    page = coverage.insert_html(html.render(data), compliance)
    atomic(target, lambda tmp: Path(tmp).write_text(page, encoding="utf-8"))
    workbook = target.with_suffix(".xlsx")
    atomic(workbook, lambda tmp: _workbook(data, tmp, compliance))
    return target, workbook, data


def write_reviews(rows: dict[str, list[dict[str, Any]]], data: ReportData, folder: Path) -> dict[str, str]:
    """Write the review page of each report that is not plainly ok; return doc_id → page, relative to `folder`."""
    wanted = {v.doc_id for v in data.views if v.doc_id and data.urgency(v) != "ok"}
    by_doc: dict[str, dict[str, list[dict[str, Any]]]] = {d: {} for d in wanted}
    for name, table in rows.items():
        for row in table:
            if row.get("doc_id") in wanted:
                by_doc[row["doc_id"]].setdefault(name, []).append(row)
    pages = {}
    for doc_id, doc_rows in sorted(by_doc.items()):
        page = write_review(doc_rows, folder / "review" / doc_id)
        pages[doc_id] = page.relative_to(folder).as_posix()
    return pages


def _workbook(data: ReportData, path: str, compliance: list[dict[str, object]]) -> None:
    book = xlsx.build(data, Path(path).parent / "crops")
    coverage.add_to(book, compliance)
    xlsx.finish(book)
    book.save(path)


def year_over_year_summary(out_dir: str | Path) -> list[dict[str, object]]:
    """Return one row per body and pair of years from OUT_DIR/compare.parquet (none when absent)."""
    path = Path(out_dir) / "compare.parquet"
    if not path.is_file():
        return []
    rows = pq.read_table(path).to_pylist()
    pairs: dict[tuple[object, object, object], dict[str, object]] = {}
    for row in rows:
        key = (row["agency"], row["year_from"], row["year_to"])
        summary = pairs.setdefault(key, {"agency": key[0], "year_from": key[1], "year_to": key[2]})
        if row["kind"] == "indicator" and row["row"] in dict(YEAR_OVER_YEAR):
            summary[row["row"]] = (row["value_from"], row["value_to"])
        elif row["kind"] == "prose" and row["row"] == "all":
            summary["repeated_prose"] = row["value_to"]
    return list(pairs.values())
