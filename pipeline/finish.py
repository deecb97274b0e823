"""The rows of a batch that need every document: cross-document findings and coverage.

A chunk's findings part holds the findings of each of its documents. The rules across
documents (a body's report against its report of the year before) and the coverage table,
which counts each document's findings, can only be made once every chunk is in; they are
rewritten as the whole-batch parts at the end of every run, from what the folder holds.
The result is what `govreport parse` writes for the same files (pipeline.batch.gather).
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from pipeline.checks import check_batch, coverage_rows, views_from_rows
from pipeline.checks.cross_year import paired_documents
from pipeline.checks.engine import CHECKED_STATUSES
from pipeline.dataset import Dataset

# Tables written only here (the other tables are written chunk by chunk).
WHOLE_ONLY = ("coverage",)
_VIEW_TABLES = ("documents", "sections", "records", "ocr_values")


def finish(dataset: Dataset) -> dict[str, int]:
    """Write the whole-batch parts of findings and coverage; return their row counts."""
    cross = cross_document_findings(dataset)
    dataset.write_whole("findings", cross)
    by_doc: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in cross:
        by_doc[row["doc_id"]].append(row)
    coverage: list[dict[str, Any]] = []
    # One chunk at a time, so that memory follows the chunk size, not the batch size.
    for chunk in dataset.committed():
        rows = {name: dataset.read(name, chunk=chunk).to_pylist() for name in (*_VIEW_TABLES, "findings")}
        views = views_from_rows(rows["documents"], rows["sections"], rows["records"], rows["ocr_values"])
        findings = rows["findings"] + [f for v in views for f in by_doc.get(v.doc_id, ())]
        coverage.extend(coverage_rows(views, findings))
    dataset.write_whole("coverage", coverage)
    return {"findings": len(cross), "coverage": len(coverage)}


def cross_document_findings(dataset: Dataset) -> list[dict[str, Any]]:
    """Return the findings of the batch rules over every checked document of the folder."""
    documents = dataset.read("documents", whole=False)
    statuses = pa.array(sorted(CHECKED_STATUSES), pa.string())
    checked = documents.filter(pc.is_in(documents.column("status"), value_set=statuses)).to_pylist()
    # The batch rules compare a body's consecutive years: only the reports with a neighbour year
    # need their sections and records read back (in an archive of one year, none do).
    paired = paired_documents(views_from_rows(checked, (), ()))
    if not paired:
        return []
    ids = pa.array(sorted(paired), pa.string())
    rows = {"documents": [row for row in checked if row["doc_id"] in paired]}
    for name in ("sections", "records"):
        table = dataset.read(name, whole=False)
        rows[name] = table.filter(pc.is_in(table.column("doc_id"), value_set=ids)).to_pylist()
    views = views_from_rows(rows["documents"], rows["sections"], rows["records"])
    return [f.as_row() for f in check_batch(views)]

