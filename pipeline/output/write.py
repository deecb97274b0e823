"""Writers for the output tables: Parquet (explicit schema) and CSV (UTF-8 with BOM), atomically.

Each file is written to a temporary name in the same folder and renamed over the target, so a
reader never sees a half-written file and an interrupted run leaves the previous file intact.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from pipeline.output.schema import ALL_TABLES

FORMATS = ("parquet", "csv")


def to_arrow(name: str, rows: Iterable[Mapping[str, Any]]) -> pa.Table:
    """Return the rows of output table `name` as an Arrow table with the contract's schema."""
    # Arrow takes the schema's columns from each row (others are ignored, missing ones are null).
    return pa.Table.from_pylist(list(rows), schema=ALL_TABLES[name])


def write_tables(out_dir: str | Path, tables: Mapping[str, pa.Table], formats: Sequence[str] = FORMATS) -> list[Path]:
    """Write each table as DIR/<name>.parquet and/or DIR/<name>.csv; return the paths written."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, table in tables.items():
        if "parquet" in formats:
            written.append(atomic(out / f"{name}.parquet", lambda p, t=table: pq.write_table(t, p)))
        if "csv" in formats:
            written.append(atomic(out / f"{name}.csv", lambda p, t=table: _write_csv(t, p)))
    return written


def write_parquet(path: str | Path, table: pa.Table) -> Path:
    """Write one table to `path` as Parquet, atomically; return the path."""
    return atomic(Path(path), lambda p: pq.write_table(table, p))


def write_csv_batches(path: str | Path, schema: pa.Schema, batches: Iterable[pa.RecordBatch]) -> Path:
    """Write record batches to `path` as CSV (UTF-8 with BOM), one batch at a time, atomically."""
    return atomic(Path(path), lambda p: _write_csv_batches(p, schema, batches))


def _write_csv(table: pa.Table, path: str) -> None:
    _write_csv_batches(path, table.schema, table.to_batches())


def _write_csv_batches(path: str, schema: pa.Schema, batches: Iterable[pa.RecordBatch]) -> None:
    # The BOM lets Excel open the Chinese text as UTF-8.
    with open(path, "wb") as handle:
        handle.write("\ufeff".encode())
        with pacsv.CSVWriter(handle, schema, write_options=pacsv.WriteOptions(quoting_style="needed")) as writer:
            for batch in batches:
                writer.write_batch(batch)


def atomic(target: Path, write: Any) -> Path:
    """Write `target` through `write(tmp_path)` on a temporary file in the same folder, then rename it into
    place: a reader never sees a half-written file, and a failed write leaves the old one."""
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(fd)
    try:
        write(tmp)
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600; outputs get the usual permissions
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_frame(out_dir: str | Path, name: str, frame: Any, formats: Sequence[str] = FORMATS) -> list[Path]:
    """Write a pandas DataFrame as DIR/<name>.parquet and/or .csv, atomically (tables outside TABLES)."""
    return write_tables(out_dir, {name: pa.Table.from_pandas(frame, preserve_index=False)}, formats)
