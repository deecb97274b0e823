"""Compliance coverage: which expected bodies published their report for each year, on time, complete.

The roster (a CSV) names the bodies an office oversees: `name`, and optionally `adcode`, `level` and
`parent` (the government a department belongs to, when its name is printed without places: 教育局
under 洪泽区人民政府). Each roster name is read as a body identity (pipeline.bodies) and matched to the
reports of an output folder by body_id, never by its text: 洪泽区人民政府 on the roster finds a report
titled 淮安市洪泽区人民政府. A name that fits two places (and no adcode tells which) is `ambiguous`; one
that no gazetteer knows and no report carries is `unknown`: each is reported, never guessed.

One row per roster body × year: `published` or `missing` (or `unknown` / `ambiguous`), the document,
its publication date and where that date comes from — a user's manifest, the web page's own date (a
portal's 发布日期), or a date the report prints — `on_time` (by 31 January of the next year; null where
no date is known), the document's status, sections and tables, errors and warnings, `needs_review`.
"""

from __future__ import annotations

import csv
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa

from pipeline import gazetteer
from pipeline.bodies import Body, identify
from pipeline.checks.timeliness import deadline
from pipeline.errors import PipelineError
from pipeline.output.schema import COMPLIANCE
from pipeline.textnorm import nfkc, squeeze

STATES = ("published", "missing", "unknown", "ambiguous")
DATE_SOURCES = ("manifest", "web_page", "document")  # the order in which a date is taken
_GOVERNMENT_TAIL = re.compile(r"(?:人民政府|政府)(?:办公厅|办公室)?$")
_YEARS = re.compile(r"^\s*(\d{4})\s*(?:-\s*(\d{4}))?\s*$")


class RosterError(PipelineError, ValueError):
    """A roster or manifest file that cannot be read (no `name` column, a bad year range …)."""


@dataclass(frozen=True, slots=True)
class Expected:
    """A roster row read as a body: the body, or why it could not be matched."""

    printed: str
    body: Body | None
    state: str | None  # None when matched to a body; "unknown" or "ambiguous" otherwise
    note: str | None = None


def parse_years(text: str) -> list[int]:
    """Return the years of "2019-2025" or "2023"."""
    match = _YEARS.match(text)
    if match is None:
        raise RosterError(f"years must read 2019-2025 or 2023, not {text!r}")
    first, last = int(match.group(1)), int(match.group(2) or match.group(1))
    if last < first:
        raise RosterError(f"years {text!r} run backwards")
    return list(range(first, last + 1))


def read_roster(path: str | Path) -> list[dict[str, str]]:
    """Return the rows of a roster CSV (UTF-8, with or without BOM); it needs a `name` column."""
    with open(path, encoding="utf-8-sig", newline="") as handle:
        rows = [{k.strip(): (v or "").strip() for k, v in row.items() if k} for row in csv.DictReader(handle)]
    if rows and "name" not in rows[0]:
        raise RosterError(f"{path}: the roster needs a `name` column (and optionally adcode, level, parent)")
    return [row for row in rows if row.get("name")]


def read_manifest(path: str | Path) -> dict[str, str]:
    """Return {file name or doc_id: ISO date} from a manifest CSV with columns `file` (or doc_id) and `published`."""
    out: dict[str, str] = {}
    with open(path, encoding="utf-8-sig", newline="") as handle:
        for row in csv.DictReader(handle):
            key = (row.get("file") or row.get("doc_id") or "").strip()
            date = (row.get("published") or "").strip()
            if key and re.fullmatch(r"\d{4}-\d{2}-\d{2}", date):
                out[Path(key).name] = date
    return out


def governments_under(place: str) -> list[dict[str, str]]:
    """Return roster rows for the government of every division directly under `place` (淮安市 → its
    counties and districts; a province → its cities), as the gazetteer lists them."""
    chains = gazetteer.locate(squeeze(nfkc(place))).chains
    if len(chains) != 1:
        raise RosterError(f"{place!r} names {'no place' if not chains else 'more than one place'} in the gazetteer")
    rows = []
    for division in gazetteer.children(chains[0][-1]):
        names = "".join(d.name for d in gazetteer.full_chain((division,)))
        rows.append({"name": f"{names}人民政府", "adcode": division.code})
    return rows


def expected_body(row: Mapping[str, str], known: Mapping[str, Mapping[str, Any]]) -> Expected:
    """Return the body a roster row names; `known` maps the output's body_ids to their bodies rows."""
    printed = squeeze(nfkc(row["name"]))
    name = _with_parent_places(printed, squeeze(nfkc(row.get("parent") or "")))
    body = identify(name, adcode=row.get("adcode") or None)
    if body is None:
        return Expected(printed, None, "unknown", "no name")
    if body.adcode is not None or body.body_id in known:
        return Expected(printed, body, None)
    chains = gazetteer.locate(name).chains
    if len(chains) > 1:
        places = ", ".join(_place(chain) for chain in chains)
        return Expected(printed, None, "ambiguous", f"{row['name']} fits {places}: give its adcode")
    return Expected(printed, None, "unknown", f"{row['name']}: no gazetteer place and no report of that name")


def _with_parent_places(name: str, parent: str) -> str:
    """Return a department's name with its government's places before it, when the roster prints it bare."""
    if not parent or gazetteer.locate(name).chains:
        return name
    return _GOVERNMENT_TAIL.sub("", parent) + name


def _place(chain: Sequence[gazetteer.Division]) -> str:
    full = gazetteer.full_chain(chain[-1:])
    return "".join(d.name for d in full) + f" ({chain[-1].code})"


def coverage_table(roster: Sequence[Mapping[str, str]], rows: Mapping[str, Sequence[Mapping[str, Any]]],
                   years: Sequence[int] | None = None, manifest: Mapping[str, str] | None = None) -> pa.Table:
    """Return the compliance table of `roster` against the output `rows` (documents, metadata, coverage)."""
    documents = [d for d in rows["documents"] if d.get("body_id") and d.get("year")]
    known = {d["body_id"]: d for d in documents}
    years = list(years or sorted({int(d["year"]) for d in documents}))
    meta = {m["doc_id"]: m for m in rows.get("metadata", ())}
    counts = {c["doc_id"]: c for c in rows.get("coverage", ())}
    by_body_year: dict[tuple[str, int], list[Mapping[str, Any]]] = defaultdict(list)
    for doc in documents:
        by_body_year[(doc["body_id"], int(doc["year"]))].append(doc)
    out = []
    for entry in roster:
        expected = expected_body(entry, known)
        for year in years:
            found = by_body_year.get((expected.body.body_id, year), []) if expected.body else []
            out.append(_row(expected, year, _best(found, counts), meta, counts, manifest or {}))
    return pa.Table.from_pylist(out, schema=COMPLIANCE)


def _best(found: Sequence[Mapping[str, Any]], counts: Mapping[str, Mapping[str, Any]]) -> Mapping[str, Any] | None:
    """Return the report that counts when a year was read twice (a .docx and its PDF): the fullest."""
    def fullness(doc: Mapping[str, Any]) -> tuple[int, int, str]:
        seen = counts.get(doc["doc_id"], {})
        return (-(seen.get("sections_present") or 0), -(seen.get("tables_present") or 0), doc["doc_id"])
    return min(found, key=fullness) if found else None


def _row(expected: Expected, year: int, doc: Mapping[str, Any] | None, meta: Mapping[str, Mapping[str, Any]],
         counts: Mapping[str, Mapping[str, Any]], manifest: Mapping[str, str]) -> dict[str, Any]:
    body = expected.body
    row: dict[str, Any] = {"roster_name": expected.printed, "year": year, "note": expected.note}
    if body is not None:
        row.update(body_id=body.body_id, body_name=body.name, adcode=body.adcode, level=body.level,
                   province=body.province, city=body.city, county=body.county, parent_body_id=body.parent_body_id)
    if expected.state:
        return {**row, "state": expected.state}
    if doc is None:
        return {**row, "state": "missing"}
    date, source = _publication(doc, meta.get(doc["doc_id"], {}), manifest)
    seen = counts.get(doc["doc_id"], {})
    on_time = None if date is None else date <= deadline(year).isoformat()
    return {**row, "state": "published", "doc_id": doc["doc_id"], "source_path": doc.get("source_path"),
            "published_date": date, "date_source": source, "on_time": on_time, "status": doc.get("status"),
            "sections_present": seen.get("sections_present"), "tables_present": seen.get("tables_present"),
            "errors": seen.get("errors"), "warnings": seen.get("warnings"),
            "needs_review": doc.get("status") == "needs_review"}


def _publication(doc: Mapping[str, Any], meta: Mapping[str, Any],
                 manifest: Mapping[str, str]) -> tuple[str | None, str | None]:
    """Return the publication date and its source: the manifest, else the web page's date, else the report's."""
    name = Path(str(doc.get("source_path") or "")).name
    for key in (doc["doc_id"], name):
        if key in manifest:
            return manifest[key], "manifest"
    if meta.get("published"):
        return meta["published"], meta.get("published_source") or "document"
    return None, None


def problems(table: pa.Table) -> list[str]:
    """Return one line per roster name that matched no body or two (each once)."""
    seen: dict[str, str] = {}
    for row in table.to_pylist():
        if row["state"] in ("unknown", "ambiguous"):
            seen.setdefault(row["roster_name"], f"{row['state']}: {row['note'] or row['roster_name']}")
    return list(seen.values())


def to_act(table: pa.Table | Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Return the rows an office acts on: reports missing or published late, by region, body and year."""
    rows = table.to_pylist() if isinstance(table, pa.Table) else list(table)
    wanted = [r for r in rows if r["state"] == "missing" or r.get("on_time") is False]
    return sorted(wanted, key=lambda r: (r.get("adcode") or "", r.get("body_name") or r["roster_name"], r["year"]))
