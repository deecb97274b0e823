"""The output folder of `govreport batch`: Parquet parts committed chunk by chunk, and resume.

    OUT/<table>/part-<chunk>.parquet   one part per committed chunk per table
    OUT/<table>/whole-batch.parquet    rows that need every document (cross-document findings, coverage)
    OUT/.inbox/                        work copies of archive members while their chunk is in flight
    OUT/.work/                         work files of the end of a run (sorts spilled to disk)
    OUT/.lock                          held while a batch writes here

Every file is written to a hidden temporary name and renamed into place. A chunk's documents
part is written last: it is the chunk's commit marker. Parts of a chunk without one are the
orphans of a killed run and are deleted when the next run opens the folder. So at any moment
the folder holds whole chunks only, and pandas, pyarrow.dataset and DuckDB can read each
table folder (hidden and .tmp files are ignored by all three).
"""

from __future__ import annotations

import shutil
from collections.abc import Collection, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.dataset as pads

from pipeline.batch.lock import OutputLock
from pipeline.errors import PipelineError
from pipeline.output.schema import ALL_TABLES
from pipeline.output.write import to_arrow, write_parquet

COMMIT_TABLE = "documents"
PART_PREFIX = "part-"
WHOLE_BATCH = "whole-batch.parquet"
INBOX = ".inbox"
WORK = ".work"  # work files of the end of a run (sorts that spill to disk)
EMPTY_CHUNK = "0" * 16  # the first commit of a new folder: every table readable early on


class Dataset:
    """One batch output folder."""

    def __init__(self, root: str | Path) -> None:
        self.root = Path(root)
        self.inbox = self.root / INBOX
        self._lock = OutputLock(self.root)
        self._readable = False  # a chunk is known to be committed

    def open(self) -> list[Path]:
        """Lock the folder for this run, clear what a killed run left, and return what was removed."""
        self._lock.acquire()
        return self.recover()

    def make_readable(self) -> None:
        """Commit an empty chunk if nothing is committed yet, so that every table can be read.

        A batch does this once its first document is being parsed, not before: the workers
        need not wait for these files.
        """
        if self._readable:
            return
        if not self.committed():
            self.commit(EMPTY_CHUNK, {name: [] for name in ALL_TABLES})
        self._readable = True

    def close(self) -> None:
        """Remove the work files and release the folder."""
        if self._lock.held:
            shutil.rmtree(self.root / WORK, ignore_errors=True)
            self._lock.release()

    def recover(self) -> list[Path]:
        """Delete temporary files, parts of uncommitted chunks and the inbox; return what was deleted."""
        committed = set(self.committed())
        removed: list[Path] = []
        for folder in self._table_folders():
            for path in folder.iterdir():
                orphan = (path.name.startswith(PART_PREFIX) and path.suffix == ".parquet"
                          and chunk_of(path) not in committed)
                if path.name.startswith(".") or orphan:
                    path.unlink()
                    removed.append(path)
        if self.inbox.exists():
            self.clear_inbox()
            removed.append(self.inbox)
        if (self.root / WORK).exists():
            shutil.rmtree(self.root / WORK, ignore_errors=True)
            removed.append(self.root / WORK)
        return removed

    @property
    def work(self) -> Path:
        """Return the folder for work files (made on demand; a killed run's are removed by recover())."""
        path = self.root / WORK
        path.mkdir(exist_ok=True)
        return path

    def clear_inbox(self) -> None:
        """Remove the work folder of archive members (no chunk may be in flight)."""
        shutil.rmtree(self.inbox, ignore_errors=True)

    def committed(self) -> list[str]:
        """Return the ids of the committed chunks."""
        return sorted(chunk_of(p) for p in self.parts(COMMIT_TABLE))

    def commit(self, chunk: str, rows: Mapping[str, Sequence[Mapping[str, Any]]]) -> None:
        """Write the chunk's part of every table in `rows`, the documents part last."""
        if (self.root / COMMIT_TABLE / f"{PART_PREFIX}{chunk}.parquet").exists():
            raise PipelineError(f"chunk {chunk} is committed already in {self.root}")
        names = sorted(rows, key=lambda name: name == COMMIT_TABLE)
        for name in names:
            folder = self.root / name
            folder.mkdir(exist_ok=True)
            write_parquet(folder / f"{PART_PREFIX}{chunk}.parquet", to_arrow(name, rows[name]))

    def write_whole(self, name: str, rows: Iterable[Mapping[str, Any]]) -> Path:
        """Write (replace) the whole-batch part of table `name`."""
        folder = self.root / name
        folder.mkdir(exist_ok=True)
        return write_parquet(folder / WHOLE_BATCH, to_arrow(name, rows))

    def parts(self, name: str) -> list[Path]:
        """Return the chunk parts of table `name`, in chunk order."""
        folder = self.root / name
        if not folder.is_dir():
            return []
        return sorted(folder.glob(f"{PART_PREFIX}*.parquet"))

    def files(self, name: str) -> list[Path]:
        """Return every Parquet file of table `name`: the chunk parts, then the whole-batch part."""
        whole = self.root / name / WHOLE_BATCH
        return self.parts(name) + ([whole] if whole.is_file() else [])

    def read(self, name: str, columns: Sequence[str] | None = None, chunk: str | None = None,
             whole: bool = True, doc_ids: Collection[str] | None = None) -> pa.Table:
        """Return table `name` (one chunk's part only, when `chunk` is given), with its schema;
        only the rows of `doc_ids` when they are given (filtered while the files are read)."""
        if chunk is not None:
            path = self.root / name / f"{PART_PREFIX}{chunk}.parquet"
            files = [path] if path.is_file() else []
        else:
            files = self.files(name) if whole else self.parts(name)
        schema = ALL_TABLES[name]
        if not files:
            table = schema.empty_table()
            return table.select(list(columns)) if columns else table
        wanted = None if doc_ids is None else pc.field("doc_id").isin(pa.array(sorted(doc_ids), pa.string()))
        return pads.dataset([str(f) for f in files], schema=schema, format="parquet").to_table(
            columns=list(columns) if columns else None, filter=wanted)

    def done(self) -> tuple[set[str], set[tuple[str | None, str]]]:
        """Return the sha256 of every committed document, and the (sha256, source_path) of every sources row."""
        shas = {s for s in self.read(COMMIT_TABLE, ["sha256"]).column("sha256").to_pylist() if s}
        sources = self.read("sources", ["sha256", "source_path"])
        recorded = set(zip(sources.column("sha256").to_pylist(), sources.column("source_path").to_pylist(),
                           strict=True))
        return shas, recorded

    def failed(self, source_paths: Collection[str]) -> list[str]:
        """Return the doc_id of every committed document that failed and was found under one of
        `source_paths` (refused inputs, which have no doc_id, aside)."""
        table = self.read(COMMIT_TABLE, ["doc_id", "status"], whole=False)
        failed = {d for d, s in zip(table.column("doc_id").to_pylist(), table.column("status").to_pylist(),
                                    strict=True) if d and s == "failed"}
        sources = self.read("sources", ["doc_id", "source_path"], whole=False)
        paths = set(source_paths)
        return sorted({d for d, p in zip(sources.column("doc_id").to_pylist(),
                                         sources.column("source_path").to_pylist(), strict=True)
                       if d in failed and p in paths})

    def forget(self, doc_ids: Collection[str]) -> int:
        """Remove every row of `doc_ids` from the committed chunks, so that the next run parses them again.

        The sources rows go first and the documents rows last: a run killed in between leaves a
        document still committed and its path unrecorded, which the next run records again as a
        duplicate of what it has, never a document lost. Returns the documents rows removed.
        """
        wanted = pa.array(sorted(doc_ids), pa.string())
        removed = 0
        names = sorted((n for n, schema in ALL_TABLES.items()
                        if "doc_id" in schema.names and (self.root / n).is_dir()),
                       key=lambda n: (n != "sources", n == COMMIT_TABLE))
        for name in names:
            for part in self.parts(name):
                table = self.read(name, chunk=chunk_of(part))
                keep = pc.invert(pc.fill_null(pc.is_in(table.column("doc_id"), value_set=wanted), False))
                if pc.all(keep).as_py() is not False:
                    continue
                kept = table.filter(keep)
                if name == COMMIT_TABLE:
                    removed += table.num_rows - kept.num_rows
                write_parquet(part, kept)
        return removed

    def _table_folders(self) -> list[Path]:
        """Return the table folders present under the root."""
        return [self.root / name for name in ALL_TABLES if (self.root / name).is_dir()]


def chunk_of(part: Path) -> str:
    """Return the chunk id of a part file name (part-<chunk>.parquet)."""
    return part.name[len(PART_PREFIX):-len(".parquet")]
