"""The stable fingerprint of a finding: what a person's decision on it is attached to.

A fingerprint depends on the document's bytes (its sha256), the rule and the cell keys (table,
row, column) — never on the message, the file's path or the parser version — so the same finding
of the same file keeps its fingerprint when the file is parsed again, under another name, into
another folder, or by a later version of the parser. Where one rule names the same cell twice in
one document (prose stating a figure in two sections), the second and later get their ordinal
(#2, #3) in the order the rule reports them; the first keeps the plain fingerprint.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Any

from pipeline.checks.registry import Finding

LENGTH = 16  # hex digits: 64 bits, as doc_id


def fingerprint(document: str, rule: str, table: str | None, row: str | None, column: str | None,
                occurrence: int = 1) -> str:
    """Return the fingerprint of a finding of `rule` at (table, row, column) in the document whose sha256
    is `document` (its doc_id where the sha256 is not known)."""
    keys = [document, rule, table or "", row or "", column or ""]
    if occurrence > 1:
        keys.append(str(occurrence))
    return hashlib.sha256("\x1f".join(keys).encode("utf-8")).hexdigest()[:LENGTH]


def document_keys(documents: Iterable[Mapping[str, Any]]) -> dict[str, str]:
    """Return doc_id → the document's sha256 (its doc_id when the row has none) for documents rows."""
    return {str(d["doc_id"]): str(d.get("sha256") or d["doc_id"]) for d in documents if d.get("doc_id")}


def fingerprints(findings: Iterable[Finding | Mapping[str, Any]], documents: Mapping[str, str]) -> list[str]:
    """Return the fingerprint of each finding (objects or findings rows), in order.

    `documents` maps doc_id to the document's sha256 (document_keys); findings must be given in the
    order their rules reported them, as the findings table holds them.
    """
    seen: Counter[tuple[str, ...]] = Counter()
    out = []
    for item in findings:
        f = item.as_row() if isinstance(item, Finding) else item
        doc_id = str(f.get("doc_id") or "")
        keys = (doc_id, f["rule"], f.get("table") or "", f.get("row") or "", f.get("column") or "")
        seen[keys] += 1
        out.append(fingerprint(documents.get(doc_id, doc_id), *keys[1:], occurrence=seen[keys]))
    return out


def stamp(rows: list[dict[str, Any]], documents: Mapping[str, str]) -> list[dict[str, Any]]:
    """Return findings rows (in the order their rules reported them) with their fingerprint column set."""
    return [{**row, "fingerprint": fp} for row, fp in zip(rows, fingerprints(rows, documents), strict=True)]
