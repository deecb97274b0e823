"""One-file copies of a batch folder's tables: CSV beside the folders, and a DuckDB database.

Both are written from what the folder holds, at the end of a run, each to a temporary name
renamed into place. Rows are ordered by doc_id, a document's rows in their printed order, so
the copies are the same however the run was split into chunks or resumed. DuckDB reads the
Parquet parts and sorts them, spilling to disk past a memory limit, and the CSV files are
written batch by batch: an archive's tables need not fit in memory.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pyarrow as pa

from pipeline.batch.resume import Dataset
from pipeline.output.schema import ALL_TABLES
from pipeline.output.write import atomic, write_csv_batches

MEMORY_LIMIT = "256MB"  # what DuckDB may hold while it sorts a table; the rest spills to disk
_BATCH_ROWS = 100_000
# A document's rows all lie in one chunk part (and, for findings, the whole-batch part after it),
# in printed order: file and row number keep that order within each doc_id. A table without
# doc_id (bodies) is ordered by its first column, its key.
_ORDER = ("SELECT * EXCLUDE (filename, file_row_number) "
          "FROM read_parquet($files, filename = true, file_row_number = true) "
          "ORDER BY {key} NULLS LAST, filename, file_row_number")


def _ordered(name: str) -> str:
    """Return the query reading table `name` in export order."""
    names = ALL_TABLES[name].names
    return _ORDER.format(key="doc_id" if "doc_id" in names else names[0])


def export_csv(dataset: Dataset, names: Sequence[str] = tuple(ALL_TABLES)) -> list[Path]:
    """Write OUT/<table>.csv (UTF-8 with BOM) for each named table; return the paths."""
    with duckdb_sorter(dataset) as con:
        return [write_csv_batches(dataset.root / f"{name}.csv", ALL_TABLES[name], ordered_batches(con, dataset, name))
                for name in names]


def export_duckdb(dataset: Dataset, target: str | Path, names: Sequence[str] = tuple(ALL_TABLES)) -> Path:
    """Write a DuckDB database holding each named table; return its path."""
    import duckdb

    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)

    def build(tmp: str) -> None:
        os.unlink(tmp)  # DuckDB creates the file itself and refuses an empty one
        try:
            with duckdb.connect(tmp) as con:
                _limit(con, dataset)
                for name in names:
                    files = _files(dataset, name)
                    if files:
                        con.execute(f'CREATE TABLE "{name}" AS {_ordered(name)}', {"files": files})
                    else:
                        con.register("arrow_rows", ALL_TABLES[name].empty_table())
                        con.execute(f'CREATE TABLE "{name}" AS SELECT * FROM arrow_rows')
                        con.unregister("arrow_rows")
        except BaseException:
            Path(tmp + ".wal").unlink(missing_ok=True)
            raise

    try:
        atomic(target, build)
    finally:
        shutil.rmtree(_spill(dataset), ignore_errors=True)
    return target


def ordered_batches(con: Any, dataset: Dataset, name: str) -> Iterator[pa.RecordBatch]:
    """Yield table `name` of the folder in export order, with the contract's schema, batch by batch."""
    schema = ALL_TABLES[name]
    files = _files(dataset, name)
    if not files:
        yield from schema.empty_table().to_batches()
        return
    for batch in con.sql(_ordered(name), params={"files": files}).to_arrow_reader(_BATCH_ROWS):
        yield batch.cast(schema)


@contextmanager
def duckdb_sorter(dataset: Dataset) -> Iterator[Any]:
    """Yield an in-memory DuckDB connection that sorts within MEMORY_LIMIT and spills into the folder's work area."""
    import duckdb

    try:
        with duckdb.connect() as con:
            _limit(con, dataset)
            yield con
    finally:
        shutil.rmtree(_spill(dataset), ignore_errors=True)


def _limit(con: Any, dataset: Dataset) -> None:
    con.execute(f"SET memory_limit = '{MEMORY_LIMIT}'")
    con.execute("SET temp_directory = $dir", {"dir": str(_spill(dataset))})


def _spill(dataset: Dataset) -> Path:
    return dataset.work / "duckdb-spill"


def _files(dataset: Dataset, name: str) -> list[str]:
    return [str(path) for path in dataset.files(name)]
