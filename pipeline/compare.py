"""Year-over-year comparison of one body's reports: every table cell, every indicator, repeated prose.

Reports are matched by body (documents.body_id: one body however its name is printed; the agency
for output written before body_id) and paired with the body's previous report year. Where one
report year was read twice (a .docx and its PDF, say), the reading with the most printed cells
counts.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable
from typing import Any

import pandas as pd

from pipeline.textnorm import nfkc, squeeze

COLUMNS = ["agency", "year_from", "year_to", "doc_from", "doc_to", "kind", "table", "row", "column",
           "value_from", "value_to", "change"]
_SENTENCE = re.compile(r"[^。；;！？!?]+")
_MIN_SENTENCE = 8  # characters: shorter pieces (headings, "无。") say nothing about reuse


def compare(frames: dict[str, pd.DataFrame], agency: str | None = None) -> pd.DataFrame:
    """Return the changes between consecutive report years of each body (or of `agency` only)."""
    docs = _one_per_year(frames["documents"], frames["records"])
    if agency is not None:  # that body's reports, however their names are printed
        docs = docs[docs["_body"].isin(docs.loc[docs["agency"] == agency, "_body"])]
    rows: list[dict[str, Any]] = []
    for _, group in docs.sort_values("year").groupby("_body", sort=True):
        years = group.to_dict("records")
        for before, after in itertools.pairwise(years):
            rows.extend(_pair_rows(str(after["agency"]), before, after, frames))
    return pd.DataFrame(rows, columns=COLUMNS)


def _one_per_year(documents: pd.DataFrame, records: pd.DataFrame) -> pd.DataFrame:
    docs = documents[documents["agency"].notna() & documents["year"].notna()].copy()
    # One body however its name is printed: its body_id (output written before body_id: its agency).
    body_ids = docs["body_id"] if "body_id" in docs else docs["agency"]
    docs["_body"] = body_ids.where(body_ids.notna(), docs["agency"])
    counts = records[records["value"].notna()].groupby("doc_id").size()
    docs["_cells"] = docs["doc_id"].map(counts).fillna(0)
    docs = docs.sort_values(["_body", "year", "_cells", "doc_id"], ascending=[True, True, False, True])
    return docs.drop_duplicates(["_body", "year"])


def _pair_rows(agency: str, before: dict[str, Any], after: dict[str, Any],
               frames: dict[str, pd.DataFrame]) -> list[dict[str, Any]]:
    base = {"agency": agency, "year_from": int(before["year"]), "year_to": int(after["year"]),
            "doc_from": before["doc_id"], "doc_to": after["doc_id"]}
    out = [{**base, **row} for row in _cell_changes(frames["records"], before["doc_id"], after["doc_id"])]
    if "indicators" in frames:
        out += [{**base, **row} for row in _indicator_changes(frames["indicators"], before["doc_id"], after["doc_id"])]
    if "sections" in frames:
        out += [{**base, **row} for row in _prose_rows(frames["sections"], before["doc_id"], after["doc_id"])]
    return out


def _cell_changes(records: pd.DataFrame, doc_from: str, doc_to: str) -> list[dict[str, Any]]:
    keys = ["table", "row", "column"]
    a = records[records["doc_id"] == doc_from].set_index(keys)["value"]
    b = records[records["doc_id"] == doc_to].set_index(keys)["value"]
    joined = pd.concat([a.rename("value_from"), b.rename("value_to")], axis=1)
    joined = joined[~joined.index.duplicated()]
    return [{"kind": "cell", "table": t, "row": r, "column": c, **_values(row.value_from, row.value_to)}
            for (t, r, c), row in joined.iterrows()]


def _indicator_changes(indicators: pd.DataFrame, doc_from: str, doc_to: str) -> list[dict[str, Any]]:
    a = indicators[indicators["doc_id"] == doc_from].set_index("indicator")["value"]
    b = indicators[indicators["doc_id"] == doc_to].set_index("indicator")["value"]
    return [{"kind": "indicator", "table": None, "row": key, "column": None, **_values(a.get(key), b.get(key))}
            for key in dict.fromkeys([*a.index, *b.index])]


def _values(before: Any, after: Any) -> dict[str, float | None]:
    x, y = _num(before), _num(after)
    return {"value_from": x, "value_to": y, "change": None if x is None or y is None else y - x}


def _num(value: Any) -> float | None:
    return None if value is None or pd.isna(value) else float(value)


def _prose_rows(sections: pd.DataFrame, doc_from: str, doc_to: str) -> list[dict[str, Any]]:
    """Return the share of each section's sentences repeated word for word from last year's report."""
    last_year = set(sentences(sections[sections["doc_id"] == doc_from]["text"]))
    rows = []
    all_now: list[str] = []
    for record in sections[sections["doc_id"] == doc_to].to_dict("records"):
        now = sentences([record["text"]])
        all_now += now
        if now:
            rows.append({"kind": "prose", "table": None, "row": record["section"], "column": None,
                         "value_from": None, "value_to": repeated_share(now, last_year), "change": None})
    if all_now:
        rows.append({"kind": "prose", "table": None, "row": "all", "column": None, "value_from": None,
                     "value_to": repeated_share(all_now, last_year), "change": None})
    return rows


def sentences(texts: Iterable[str]) -> list[str]:
    """Return the normalized sentences of running text (table rows left out), long enough to count."""
    out = []
    for text in texts:
        prose = "".join(line for line in str(text or "").splitlines() if "\t" not in line)
        out += [s for s in (squeeze(nfkc(p)) for p in _SENTENCE.findall(prose)) if len(s) >= _MIN_SENTENCE]
    return out


def repeated_share(now: list[str], before: set[str]) -> float:
    """Return the share (0…1) of `now` sentences that appear in `before`."""
    return round(sum(1 for s in now if s in before) / len(now), 6) if now else 0.0
