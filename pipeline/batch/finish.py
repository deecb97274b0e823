"""The rows of a batch that need every document: cross-document findings, coverage and bodies.

A chunk's findings part holds the findings of each of its documents. The rules across
documents (a body's report against its report of the year before) and the coverage table,
which counts each document's findings, can only be made once every chunk is in; they are
rewritten as the whole-batch parts at the end of every run, from what the folder holds.
The result is what `govreport parse` writes for the same files (pipeline.batch.gather).
"""

from __future__ import annotations

import tempfile
from collections import Counter
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.dataset as pads

from pipeline.batch.resume import EMPTY_CHUNK, Dataset
from pipeline.bodies import body_rows
from pipeline.checks import check_batch, rows_coverage, views_from_rows
from pipeline.checks.cross_year import body_groups
from pipeline.checks.engine import CHECKED_STATUSES
from pipeline.checks.evidence import mark_views
from pipeline.checks.fingerprint import document_keys, stamp
from pipeline.output.schema import ALL_TABLES
from pipeline.records import RECORD_FIELDS, Record

# Tables written only here (the other tables are written chunk by chunk).
WHOLE_ONLY = ("coverage", "bodies")
_BODY_COLUMNS = ("body_id", "body_name", "adcode", "level", "parent_body_id", "province", "city", "county")
_VIEW_TABLES = ("documents", "sections", "records", "ocr_values")
_COUNTS = {"error": "errors", "warning": "warnings", "info": "infos"}  # severity → coverage column
PAIR_GROUP = 1000  # reports read back at once for the batch rules (their sections and records)
# A table's rows of paired reports, sorted by their group (a document's rows keep their order).
_BY_GROUP = ("COPY (SELECT t.* EXCLUDE (filename, file_row_number), m.grp "
             "FROM read_parquet($files, filename = true, file_row_number = true) t JOIN members m USING (doc_id) "
             "ORDER BY m.grp, t.filename, t.file_row_number) TO '{target}' (FORMAT parquet, ROW_GROUP_SIZE 20000)")


def finish(dataset: Dataset, known: Mapping[str, Sequence[dict[str, Any]]] | None = None) -> dict[str, int]:
    """Write the whole-batch parts of findings, coverage and bodies; return their row counts.

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
    # Each body once, from the metadata of every chunk: a body whose reports span chunks is one row.
    bodies = body_rows(dataset.read("metadata", columns=_BODY_COLUMNS).to_pylist())
    dataset.write_whole("bodies", bodies)
    return {"findings": len(cross), "coverage": len(coverage), "bodies": len(bodies)}


def records_of(table: pa.Table) -> list[Record]:
    """Return the rows of a records table as Records, column by column (no dict per row)."""
    # A part written before a column was added reads it as null.
    columns = [table.column(name).to_pylist() if name in table.column_names else [None] * table.num_rows
               for name in RECORD_FIELDS]
    return [Record(*values) for values in zip(*columns, strict=True)]


def cross_document_findings(dataset: Dataset, group_size: int = PAIR_GROUP) -> list[dict[str, Any]]:
    """Return the findings of the batch rules over every checked document of the folder.

    The batch rules compare a body's consecutive years: only the reports with a neighbour year
    are read back (in an archive of one year, none are), a group of bodies at a time.
    """
    documents = dataset.read("documents", whole=False)
    statuses = pa.array(sorted(CHECKED_STATUSES), pa.string())
    checked = documents.filter(pc.is_in(documents.column("status"), value_set=statuses)).to_pylist()
    groups = body_groups(views_from_rows(checked, (), ()), group_size)
    findings: list[dict[str, Any]] = []
    with _grouped_rows(dataset, groups) as read:
        for index, ids in enumerate(groups):
            views = views_from_rows([row for row in checked if row["doc_id"] in ids],
                                    read("sections", index).to_pylist(), records_of(read("records", index)))
            findings.extend(stamp([f.as_row() for f in mark_views(views, check_batch(views))],
                                  document_keys(checked)))
    return findings


@contextmanager
def _grouped_rows(dataset: Dataset, groups: Sequence[set[str]]) -> Iterator[Callable[[str, int], pa.Table]]:
    """Yield a reader of the sections or records of group `index`.

    One group is read straight from the folder. Several are first sorted by group, in one pass
    per table, into work files whose row groups each reader skips but for its own: the folder
    is read once, not once per group (DuckDB sorts within its memory limit, spilling beyond).
    """
    if len(groups) <= 1:
        yield lambda name, index: dataset.read(name, whole=False, doc_ids=groups[index])
        return
    from pipeline.output.export import duckdb_sorter

    with tempfile.TemporaryDirectory(prefix="groups-", dir=dataset.work) as work:
        members = pa.table({"doc_id": [i for ids in groups for i in ids],
                            "grp": [index for index, ids in enumerate(groups) for _ in ids]})
        with duckdb_sorter(dataset) as con:
            con.register("members", members)
            for name in ("sections", "records"):
                target = str(Path(work) / f"{name}.parquet").replace("'", "''")  # a quoted SQL literal
                con.execute(_BY_GROUP.format(target=target), {"files": [str(p) for p in dataset.parts(name)]})
        schemas = {name: ALL_TABLES[name] for name in ("sections", "records")}
        yield lambda name, index: pads.dataset(Path(work) / f"{name}.parquet", format="parquet").to_table(
            columns=schemas[name].names, filter=pc.field("grp") == index).cast(schemas[name])
