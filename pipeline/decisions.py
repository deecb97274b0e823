"""A person's layers beside the output: decisions on findings and corrections of misread values.

Both are small UTF-8 CSV files in the output folder, written by `govreport decide` and
`govreport correct` (atomically) or edited by hand, and never touched by `parse` or `batch`:

- OUT/decisions.csv — one row per decided finding: fingerprint, decision (confirmed | dismissed),
  note, by, at, then doc_id, rule, table, row, column for people (only the fingerprint matches).
  A finding's fingerprint depends on its document's bytes, rule and cell keys
  (pipeline.checks.fingerprint), so a decision holds when the same files are parsed again, into
  another folder, or by a later parser version. Where a hand-edited file names a fingerprint twice,
  the last row wins.
- OUT/corrections.csv — one row per corrected cell: doc_id, table, row, column, value (what the
  printed page says; empty for a blank cell), parsed_value (records.value at the time), note, by, at.
  records.value is never overwritten: a reader joins the layer on (doc_id, table, row, column).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pipeline.checks import Finding, run_checks, views_from_rows
from pipeline.checks.fingerprint import document_keys, fingerprints
from pipeline.errors import PipelineError
from pipeline.output import datapackage
from pipeline.output.readback import read_rows
from pipeline.output.schema import CORRECTIONS, DECISIONS
from pipeline.output.write import atomic

DECISIONS_FILE = "decisions.csv"
CORRECTIONS_FILE = "corrections.csv"
CHOICES = ("confirmed", "dismissed")
CELL_KEYS = ("doc_id", "table", "row", "column")
_MIN_PREFIX = 6  # a fingerprint may be given by a unique prefix this long, as git takes commits


class LayerError(PipelineError, ValueError):
    """A decisions or corrections file, or a command's arguments, that cannot be used."""


def now() -> str:
    """Return the current time as ISO 8601 in UTC, to the second."""
    return datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def read_decisions(out_dir: str | Path) -> dict[str, dict[str, Any]]:
    """Return OUT/decisions.csv as fingerprint → row (none when the file is absent)."""
    out: dict[str, dict[str, Any]] = {}
    for line, row in _read(Path(out_dir) / DECISIONS_FILE, DECISIONS.names):
        fingerprint = (row.get("fingerprint") or "").strip().lower()
        decision = (row.get("decision") or "").strip().lower()
        if not fingerprint:
            continue
        if decision not in CHOICES:
            raise LayerError(f"{DECISIONS_FILE} line {line}: decision {decision!r} is neither confirmed nor dismissed")
        out[fingerprint] = {**row, "fingerprint": fingerprint, "decision": decision}
    return out


def read_corrections(out_dir: str | Path) -> list[dict[str, Any]]:
    """Return the rows of OUT/corrections.csv, values as numbers (None for a blank cell); the last row of a
    cell wins where a hand-edited file names it twice."""
    cells: dict[tuple[str, ...], dict[str, Any]] = {}
    for line, row in _read(Path(out_dir) / CORRECTIONS_FILE, CORRECTIONS.names):
        if not all(row.get(k) for k in CELL_KEYS):
            raise LayerError(f"{CORRECTIONS_FILE} line {line}: doc_id, table, row and column are all needed")
        for name in ("value", "parsed_value"):
            row[name] = _number(row.get(name), f"{CORRECTIONS_FILE} line {line}")
        cells[tuple(row[k] for k in CELL_KEYS)] = row
    return list(cells.values())


def current_findings(out_dir: str | Path) -> list[tuple[str, Finding]]:
    """Return (fingerprint, finding) for every finding of the folder, the checks run as the report runs them."""
    rows = read_rows(out_dir)
    views = views_from_rows(rows["documents"], rows["sections"], rows["records"], rows.get("ocr_values", ()))
    findings = run_checks(views)
    return list(zip(fingerprints(findings, document_keys(rows["documents"])), findings, strict=True))


def resolve(given: str, known: Iterable[str]) -> str:
    """Return the one fingerprint among `known` that `given` is, or a unique prefix of (at least 6 digits)."""
    given = given.strip().lower()
    known = list(known)
    if given in known:
        return given
    matches = [k for k in known if k.startswith(given)] if len(given) >= _MIN_PREFIX else []
    if len(matches) == 1:
        return matches[0]
    if matches:
        raise LayerError(f"fingerprint {given} is the prefix of {len(matches)} findings: give more digits")
    raise LayerError(f"no finding has fingerprint {given} (govreport report OUT lists every finding's fingerprint)")


def decide(out_dir: str | Path, fingerprint: str, decision: str | None, by: str, note: str = "") -> dict[str, Any]:
    """Record a decision on the finding `fingerprint` (a unique prefix will do) of OUT_DIR and return its row;
    `decision` None removes the decision (the finding is open again)."""
    if decision is not None and decision not in CHOICES:
        raise LayerError(f"decision must be one of {', '.join(CHOICES)}")
    found = dict(current_findings(out_dir))
    decisions = read_decisions(out_dir)
    try:
        key = resolve(fingerprint, found)
    except LayerError:
        if decision is not None or fingerprint.strip().lower() not in decisions:
            raise
        key = fingerprint.strip().lower()  # reopening a finding that is gone: the decision is just removed
    row: dict[str, Any] = {"fingerprint": key, "decision": decision, "note": note, "by": by, "at": now()}
    if key in found:
        row.update({k: getattr(found[key], k) for k in ("doc_id", "rule", "table", "row", "column")})
    decisions.pop(key, None)
    if decision is not None:
        decisions[key] = row
    _write(Path(out_dir) / DECISIONS_FILE, DECISIONS.names, decisions.values())
    describe(out_dir)
    return row


def correct(out_dir: str | Path, cell: Sequence[str], value: float | None, by: str, note: str = "") -> dict[str, Any]:
    """Record that the cell (doc_id, table, row, column) of OUT_DIR prints `value` (None: blank) and return
    the correction's row; the record itself is left as parsed."""
    doc_id, table, row_key, column = cell
    rows = read_rows(out_dir, ("records",))["records"]
    record = next((r for r in rows if (r["doc_id"], r["table"], r["row"], r["column"]) == tuple(cell)), None)
    if record is None:
        raise LayerError(f"no record {doc_id} {table} {row_key} {column} in {out_dir} (keys as in records)")
    row = {"doc_id": doc_id, "table": table, "row": row_key, "column": column, "value": value,
           "parsed_value": record["value"], "note": note, "by": by, "at": now()}
    corrections = {tuple(r[k] for k in CELL_KEYS): r for r in read_corrections(out_dir)}
    corrections[tuple(cell)] = row
    _write(Path(out_dir) / CORRECTIONS_FILE, CORRECTIONS.names, corrections.values())
    describe(out_dir)
    return row


def apply_corrections(records: Any, corrections: Any) -> Any:
    """Return a copy of a records DataFrame with a `corrected` column: the corrected value where a person
    corrected the cell, else the parsed value (records.value stays as parsed)."""
    layer = corrections[[*CELL_KEYS, "value"]].rename(columns={"value": "corrected_value"})
    joined = records.merge(layer, on=list(CELL_KEYS), how="left", indicator="_layer")
    corrected = joined["_layer"] == "both"
    joined["corrected"] = joined["value"].where(~corrected, joined["corrected_value"])
    return joined.drop(columns=["_layer", "corrected_value"])


def describe(out_dir: str | Path) -> Path | None:
    """Add the folder's decisions and corrections files to its datapackage.json (when it has one)."""
    folder = Path(out_dir)
    if not (folder / datapackage.FILE_NAME).is_file():
        return None
    return datapackage.add_resources(folder, datapackage.layer_resources(folder))


def _read(path: Path, names: Sequence[str]) -> Iterable[tuple[int, dict[str, Any]]]:
    """Yield (line number, row) of a layer CSV (a BOM is allowed); blank cells as None."""
    if not path.is_file():
        return
    reader = csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig")))
    unknown = [n for n in reader.fieldnames or () if n not in names]
    if unknown:
        raise LayerError(f"{path.name}: unknown column(s) {', '.join(unknown)}; the columns are {', '.join(names)}")
    for row in reader:
        yield reader.line_num, {k: (v.strip() if isinstance(v, str) and v.strip() else None) for k, v in row.items()}


def _write(path: Path, names: Sequence[str], rows: Iterable[Mapping[str, Any]]) -> Path:
    """Write a layer CSV atomically: UTF-8 with a BOM (Excel), numbers without a trailing .0."""
    rows = list(rows)

    def write(tmp: str) -> None:
        with open(tmp, "w", encoding="utf-8-sig", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=list(names), extrasaction="ignore")
            writer.writeheader()
            for row in rows:
                writer.writerow({k: _cell(row.get(k)) for k in names})

    return atomic(path, write)


def _cell(value: Any) -> str:
    """Return a CSV cell: blank for None, 12 rather than 12.0."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _number(text: str | None, where: str) -> float | None:
    """Return a layer's number (None when blank)."""
    if text is None:
        return None
    try:
        return float(text)
    except ValueError as exc:
        raise LayerError(f"{where}: {text!r} is not a number") from exc
