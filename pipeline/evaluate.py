"""The measuring instrument: parse reports that have truth files and compare cell by cell.

A truth file NAME.truth.json sits next to each report NAME (format: ../shared/corpus/README.md).
`compare` returns every difference (wrong value, missing cell, extra cell, wrong item, template,
agency, year, sections); `python -m pipeline.evaluate DIR…` prints one summary table per table,
format and variant, lists every miss, and exits non-zero when any cell is wrong.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipeline.run import ParseResult, parse_file
from pipeline.spec import TABLE_KEYS

_TOLERANCE = 1e-9


@dataclass(frozen=True, slots=True)
class Miss:
    """One difference between the parse and the truth."""

    file: str
    what: str  # table name, or "template" / "agency" / "year" / "sections"
    key: str
    expected: Any
    got: Any


@dataclass
class Score:
    """Cells exact / total, per table, for one document."""

    exact: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    total: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    misses: list[Miss] = field(default_factory=list)


def truth_path(report: Path) -> Path:
    """Return the path of the truth file of `report`."""
    return report.with_name(report.name + ".truth.json")


def compare(result: ParseResult, truth: dict[str, Any]) -> Score:
    """Return the cell-by-cell score of `result` against `truth`."""
    score = Score()
    name = Path(result.document["source_path"]).name
    lenient = result.document.get("format") == "txt"  # a text dump may omit blank cells
    for table in TABLE_KEYS:
        _compare_table(name, table, truth.get(table), result, lenient, score)
    for field_name in ("template", "agency", "year"):
        if field_name in truth and truth[field_name] != result.document.get(field_name):
            score.misses.append(Miss(name, field_name, "", truth[field_name], result.document.get(field_name)))
    if "sections_present" in truth:
        got = [s.section for s in result.sections]
        if got != truth["sections_present"]:
            score.misses.append(Miss(name, "sections", "", truth["sections_present"], got))
    return score


def _compare_table(name: str, table: str, expected: dict[str, dict[str, Any]] | None, result: ParseResult,
                   lenient: bool, score: Score) -> None:
    got = {(r.row, r.column): r for r in result.records if r.table == table}
    expected = expected or {}
    for row, columns in expected.items():
        for column, value in columns.items():
            if column == "item":
                items = {r.item for (rk, _), r in got.items() if rk == row}
                if items and items != {value}:
                    score.misses.append(Miss(name, table, f"{row}.item", value, sorted(map(str, items))))
                continue
            score.total[table] += 1
            record = got.pop((row, column), None)
            if _matches(value, record, lenient):
                score.exact[table] += 1
            else:
                shown = "(no record)" if record is None else (record.value, record.raw)
                score.misses.append(Miss(name, table, f"{row}.{column}", value, shown))
    for (row, column), record in got.items():  # records of cells the truth says are not printed
        if lenient and record.value is None:
            continue
        score.total[table] += 1
        score.misses.append(Miss(name, table, f"{row}.{column}", "(not printed)", (record.value, record.raw)))


def _matches(expected: Any, record: Any, lenient: bool) -> bool:
    if record is None:
        return expected is None and lenient
    if expected is None:
        return record.value is None
    return record.value is not None and abs(record.value - float(expected)) <= _TOLERANCE


def find_reports(paths: Iterable[Path]) -> list[Path]:
    """Return every report under `paths` that has a truth file beside it."""
    out: list[Path] = []
    for path in paths:
        if path.is_dir():
            out.extend(sorted(p.with_name(p.name[: -len(".truth.json")]) for p in path.rglob("*.truth.json")))
        elif truth_path(path).exists():
            out.append(path)
    return [p for p in out if p.exists()]


def evaluate(reports: Sequence[Path]) -> tuple[list[dict[str, Any]], list[Miss]]:
    """Parse and score each report; return one summary row per document and all misses."""
    rows: list[dict[str, Any]] = []
    misses: list[Miss] = []
    for report in reports:
        truth = json.loads(truth_path(report).read_text(encoding="utf-8"))
        result = parse_file(report)
        score = compare(result, truth)
        misses.extend(score.misses)
        rows.append({
            "file": report.name,
            "format": result.document.get("format") or report.suffix.lstrip("."),
            "template": truth.get("template"),
            "variants": truth.get("variants", []),
            "status": result.document["status"],
            "sections": sum(1 for s in result.sections if s.section != "preamble"),
            "exact": dict(score.exact),
            "total": dict(score.total),
            "misses": len(score.misses),
        })
    return rows, misses


def summary(rows: Sequence[dict[str, Any]], by: str) -> list[tuple[str, int, int, int]]:
    """Return (group, documents, cells exact, cells total) grouped by a row field (lists expand)."""
    groups: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    for row in rows:
        keys = row[by] if isinstance(row[by], list) else [row[by]]
        for key in keys or ["—"]:
            g = groups[str(key)]
            g[0] += 1
            g[1] += sum(row["exact"].values())
            g[2] += sum(row["total"].values())
    return [(k, *v) for k, v in sorted(groups.items())]


def _print_report(rows: Sequence[dict[str, Any]], misses: Sequence[Miss]) -> None:
    def pct(a: int, b: int) -> str:
        return f"{100 * a / b:6.2f} %" if b else "     — "

    print(f"{len(rows)} documents")
    print(f"\n{'table':<20}{'exact':>10}{'total':>10}{'':>10}")
    for table in TABLE_KEYS:
        exact = sum(r["exact"].get(table, 0) for r in rows)
        total = sum(r["total"].get(table, 0) for r in rows)
        print(f"{table:<20}{exact:>10}{total:>10}{pct(exact, total):>10}")
    for by in ("format", "template", "variants"):
        print(f"\n{'by ' + by:<28}{'docs':>6}{'exact':>10}{'total':>10}{'':>10}")
        for key, docs, exact, total in summary(rows, by):
            print(f"{key:<28}{docs:>6}{exact:>10}{total:>10}{pct(exact, total):>10}")
    sections = sum(r["sections"] for r in rows)
    print(f"\nsections found: {sections} / {6 * len(rows)}")
    wrong_template = sum(1 for m in misses if m.what == "template")
    print(f"template detected: {len(rows) - wrong_template} / {len(rows)} correct")
    other = [m for m in misses if m.what in ("template", "agency", "year", "sections")]
    print(f"metadata misses (template, agency, year, sections): {len(other)}")
    if misses:
        print(f"\n{len(misses)} misses:")
        for m in misses:
            print(f"  {m.file}  {m.what}  {m.key}  expected {m.expected!r}  got {m.got!r}")


def main(argv: Sequence[str] | None = None) -> int:
    """Evaluate the reports with truth files under the given folders; exit 1 on any miss."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="+", type=Path)
    args = parser.parse_args(argv)
    reports = find_reports(args.paths)
    if not reports:
        print("no reports with truth files found", file=sys.stderr)
        return 2
    rows, misses = evaluate(reports)
    _print_report(rows, misses)
    return 1 if misses else 0


if __name__ == "__main__":
    sys.exit(main())
