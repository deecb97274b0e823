"""Written output read back: the Parquet tables of an output folder as plain rows.

`govreport check` and `govreport report` start from here, so they need only what
`govreport parse` wrote, never the source documents.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq

from pipeline.errors import PipelineError

INPUT_TABLES: tuple[str, ...] = ("documents", "sections", "records")
# Read with them when the folder has it: written by parsers from this version on.
OPTIONAL_TABLES: tuple[str, ...] = ("ocr_values",)


class MissingOutput(PipelineError, FileNotFoundError):
    """An output folder lacks a table that `govreport parse` writes."""


def read_rows(out_dir: str | Path, names: Sequence[str] = INPUT_TABLES) -> dict[str, list[dict[str, Any]]]:
    """Return the rows of each named table of `out_dir`, read from its Parquet file (nulls as None)."""
    out = Path(out_dir)
    rows: dict[str, list[dict[str, Any]]] = {}
    for name in names:
        rows[name] = pq.read_table(table_path(out, name)).to_pylist()
    for name in (n for n in OPTIONAL_TABLES if n not in rows):
        try:
            rows[name] = pq.read_table(table_path(out, name)).to_pylist()
        except MissingOutput:
            rows[name] = []
    return rows


def table_path(out: Path, name: str) -> Path:
    """Return where table `name` lives in `out`: `<name>.parquet` (parse) or `<name>/` (a batch dataset)."""
    for path in (out / f"{name}.parquet", out / name):
        if path.is_file() or (path.is_dir() and any(path.glob("*.parquet"))):
            return path
    raise MissingOutput(f"{out / name}.parquet not found: write it first with `govreport parse REPORTS -o {out}`")


def written_formats(out_dir: str | Path) -> tuple[str, ...]:
    """Return the formats the folder was written in: parquet always, csv when records.csv is there."""
    return ("parquet", "csv") if (Path(out_dir) / "records.csv").is_file() else ("parquet",)
