"""One-file copies of a batch folder's tables: CSV beside the folders, and a DuckDB database.

Both are written from what the folder holds, at the end of a run, each to a temporary name
renamed into place. Rows are ordered by doc_id (a stable sort: a document's rows keep their
printed order), so the copies are the same however the run was split into chunks or resumed.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Sequence
from pathlib import Path

import pyarrow as pa

from pipeline.dataset import Dataset
from pipeline.schema import ALL_TABLES
from pipeline.write import write_tables


def sorted_table(dataset: Dataset, name: str) -> pa.Table:
    """Return table `name` of the folder, ordered by doc_id (stable)."""
    table = dataset.read(name)
    return table.sort_by([("doc_id", "ascending")]) if table.num_rows else table


def export_csv(dataset: Dataset, names: Sequence[str] = tuple(ALL_TABLES)) -> list[Path]:
    """Write OUT/<table>.csv (UTF-8 with BOM) for each named table; return the paths."""
    return write_tables(dataset.root, {name: sorted_table(dataset, name) for name in names}, ("csv",))


def export_duckdb(dataset: Dataset, target: str | Path, names: Sequence[str] = tuple(ALL_TABLES)) -> Path:
    """Write a DuckDB database holding each named table; return its path."""
    import duckdb

    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(fd)
    os.unlink(tmp)  # DuckDB creates the file itself and refuses an empty one
    try:
        with duckdb.connect(tmp) as con:
            for name in names:
                con.register("arrow_rows", sorted_table(dataset, name))
                con.execute(f'CREATE TABLE "{name}" AS SELECT * FROM arrow_rows')
                con.unregister("arrow_rows")
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        Path(tmp + ".wal").unlink(missing_ok=True)
        raise
    return target
