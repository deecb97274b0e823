"""The measuring instrument: parse reports that have truth files and compare cell by cell.

A truth file NAME.truth.json sits next to each report NAME (format: ../shared/corpus/README.md).
`compare` returns every difference (wrong value, missing cell, extra cell, wrong item, template,
agency, year, sections); `python -m pipeline.measure.evaluate DIR…` prints one summary table per table,
format and variant, lists every miss, and exits non-zero when any cell is wrong. With `--robust`
(`make eval-robust`, on the set fixtures/robust.py writes) it prints the robustness curve instead:
cells exact per axis and level, statuses, silent failures (status ok below 99 % of cells right) and
error findings the documents do not contain.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipeline.checks import truth_keys
from pipeline.run import ParseResult, parse_file
from pipeline.spec import TABLE_KEYS

_TOLERANCE = 1e-9
SILENT_SHARE = 0.99  # a document that says ok with fewer cells right than this is a silent failure


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
        expected_errors = set(truth.get("expected_errors", []))
        errors = [f for f in result.findings if f["severity"] == "error"]
        wrong = [f for f in errors if truth_keys([f])[0] not in expected_errors]
        robust = truth.get("robust") or {}
        rows.append({
            "file": report.name,
            "axis": robust.get("axis", "—"),
            "level": robust.get("level", "—"),
            "producer": robust.get("producer", "—"),
            "false_errors": sum(1 for f in wrong if not f.get("needs_review")),
            "marked_errors": sum(1 for f in wrong if f.get("needs_review")),
            "missed_errors": len(expected_errors - set(truth_keys(errors))),
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
    return [(k, v[0], v[1], v[2]) for k, v in sorted(groups.items())]


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


def is_silent_failure(row: Mapping[str, Any]) -> bool:
    """Return True for a document that says `ok` although fewer than 99 % of its cells are right."""
    total = sum(row["total"].values())
    right = sum(row["exact"].values())
    return row["status"] == "ok" and total > 0 and right < SILENT_SHARE * total


def robustness(rows: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Return one line per (axis, level): documents, cells exact / total, statuses, silent failures,
    sections found, and error findings the documents do not contain (unmarked and marked)."""
    groups: dict[tuple[str, str], list[Mapping[str, Any]]] = defaultdict(list)
    for row in rows:
        groups[(row["axis"], row["level"])].append(row)
    out = []
    for (axis, level), members in sorted(groups.items()):
        out.append({
            "axis": axis, "level": level, "producer": members[0]["producer"], "docs": len(members),
            "exact": sum(sum(m["exact"].values()) for m in members),
            "total": sum(sum(m["total"].values()) for m in members),
            "ok": sum(1 for m in members if m["status"] == "ok"),
            "needs_review": sum(1 for m in members if m["status"] == "needs_review"),
            "other_status": sum(1 for m in members if m["status"] not in ("ok", "needs_review")),
            "silent": sum(1 for m in members if is_silent_failure(m)),
            "sections": sum(m["sections"] for m in members),
            "false_errors": sum(m["false_errors"] for m in members),
            "marked_errors": sum(m["marked_errors"] for m in members),
            "missed_errors": sum(m["missed_errors"] for m in members),
        })
    return out


def _print_robustness(rows: Sequence[Mapping[str, Any]], misses: Sequence[Miss]) -> None:
    lines = robustness(rows)
    print(f"{len(rows)} documents in {len(lines)} variants\n")
    header = (f"{'axis':<22}{'level':<22}{'producer':<13}{'docs':>5}{'cells exact':>14}{'%':>9}{'ok':>4}"
              f"{'review':>7}{'other':>6}{'silent':>7}{'sections':>10}{'false err':>10}{'marked':>7}{'missed':>7}")
    print(header)
    print("-" * len(header))
    for g in lines:
        share = f"{100 * g['exact'] / g['total']:.2f}" if g["total"] else "—"
        print(f"{g['axis']:<22}{g['level']:<22}{g['producer']:<13}{g['docs']:>5}"
              f"{str(g['exact']) + '/' + str(g['total']):>14}{share:>9}{g['ok']:>4}{g['needs_review']:>7}"
              f"{g['other_status']:>6}{g['silent']:>7}{str(g['sections']) + '/' + str(6 * g['docs']):>10}"
              f"{g['false_errors']:>10}{g['marked_errors']:>7}{g['missed_errors']:>7}")
    exact = sum(g["exact"] for g in lines)
    total = sum(g["total"] for g in lines)
    silent = sum(g["silent"] for g in lines)
    print(f"\nall: {exact}/{total} cells exact ({100 * exact / max(total, 1):.2f} %), {silent} silent failures "
          f"(status ok below {100 * SILENT_SHARE:g} % of cells right), "
          f"{sum(g['false_errors'] for g in lines)} unmarked error findings the documents do not contain")
    if misses:
        print(f"\n{len(misses)} misses:")
        for m in misses:
            print(f"  {m.file}  {m.what}  {m.key}  expected {m.expected!r}  got {m.got!r}")


def main(argv: Sequence[str] | None = None) -> int:
    """Evaluate the reports with truth files under the given folders; exit 1 on any miss."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="+", type=Path)
    parser.add_argument("--robust", action="store_true",
                        help="print the robustness table: cells exact per axis and level, silent failures")
    args = parser.parse_args(argv)
    reports = find_reports(args.paths)
    if not reports:
        print("no reports with truth files found", file=sys.stderr)
        return 2
    rows, misses = evaluate(reports)
    if args.robust:
        _print_robustness(rows, misses)
        failed = any(is_silent_failure(r) or r["false_errors"] for r in rows)
        return 1 if misses or failed else 0
    _print_report(rows, misses)
    return 1 if misses else 0


if __name__ == "__main__":
    sys.exit(main())
