"""The rows of a batch that need every document: cross-document findings and coverage.

A chunk's findings part holds the findings of each of its documents. The rules across
documents (a body's report against its report of the year before) and the coverage table,
which counts each document's findings, can only be made once every chunk is in; they are
rewritten as the whole-batch parts at the end of every run, from what the folder holds.
The result is what `govreport parse` writes for the same files (pipeline.batch.gather).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from pipeline.checks import check_batch, rows_coverage, views_from_rows
from pipeline.checks.cross_year import body_groups
from pipeline.checks.engine import CHECKED_STATUSES
from pipeline.dataset import EMPTY_CHUNK, Dataset
from pipeline.records import RECORD_FIELDS, Record

# Tables written only here (the other tables are written chunk by chunk).
WHOLE_ONLY = ("coverage",)
_VIEW_TABLES = ("documents", "sections", "records", "ocr_values")
_COUNTS = {"error": "errors", "warning": "warnings", "info": "infos"}  # severity → coverage column
PAIR_GROUP = 1000  # reports read back at once for the batch rules (their sections and records)


def finish(dataset: Dataset, known: Mapping[str, Sequence[dict[str, Any]]] | None = None) -> dict[str, int]:
    """Write the whole-batch parts of findings and coverage; return their row counts.

    `known` holds the coverage rows of chunks committed by this run (each document's made by the
    worker that parsed it); the coverage of other chunks is made here from what the folder holds.
    """
    cross = cross_document_findings(dataset)
    dataset.write_whole("findings", cross)
    extra: Counter[tuple[str, str]] = Counter((row["doc_id"], row["severity"]) for row in cross)
    coverage: list[dict[str, Any]] = []
    # One chunk at a time, so that memory follows the chunk size, not the batch size.
    for chunk in dataset.committed():
        own = (known or {}).get(chunk, [] if chunk == EMPTY_CHUNK else None)
        if own is None:
            own = rows_coverage({name: dataset.read(name, chunk=chunk).to_pylist()
                                 for name in (*_VIEW_TABLES, "findings")})
        coverage.extend({**row, **{_COUNTS[s]: row[_COUNTS[s]] + extra[(row["doc_id"], s)] for s in _COUNTS}}
                        for row in own)
    dataset.write_whole("coverage", coverage)
    return {"findings": len(cross), "coverage": len(coverage)}


def records_of(table: pa.Table) -> list[Record]:
    """Return the rows of a records table as Records, column by column (no dict per row)."""
    columns = [table.column(name).to_pylist() for name in RECORD_FIELDS]
    return [Record(*values) for values in zip(*columns, strict=True)]


def cross_document_findings(dataset: Dataset, group_size: int = PAIR_GROUP) -> list[dict[str, Any]]:
    """Return the findings of the batch rules over every checked document of the folder.

    The batch rules compare a body's consecutive years: only the reports with a neighbour year
    are read back (in an archive of one year, none are), a group of bodies at a time.
    """
    documents = dataset.read("documents", whole=False)
    statuses = pa.array(sorted(CHECKED_STATUSES), pa.string())
    checked = documents.filter(pc.is_in(documents.column("status"), value_set=statuses)).to_pylist()
    findings: list[dict[str, Any]] = []
    for ids in body_groups(views_from_rows(checked, (), ()), group_size):
        views = views_from_rows([row for row in checked if row["doc_id"] in ids],
                                dataset.read("sections", whole=False, doc_ids=ids).to_pylist(),
                                records_of(dataset.read("records", whole=False, doc_ids=ids)))
        findings.extend(f.as_row() for f in check_batch(views))
    return findings
