"""`govreport batch`: convert an archive of reports into a resumable, chunked Parquet dataset.

Plan chunks (pipeline.batch.plan) → run their jobs on an engine (pipeline.batch.engines) → commit each
chunk when its last document is in (pipeline.batch.resume) → write the whole-batch rows
(pipeline.batch.finish) → optional CSV and DuckDB copies (pipeline.output.export). Files already in the
output folder are skipped, so running the same command again resumes a killed run.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa

from pipeline.batch.engines import Engine, open_engine
from pipeline.batch.finish import WHOLE_ONLY, finish
from pipeline.batch.inputs import Source, ZipLimits, expand_sources
from pipeline.batch.job import Job, Outcome
from pipeline.batch.plan import Chunk, plan_chunks
from pipeline.batch.progress import Progress
from pipeline.batch.resume import Dataset
from pipeline.batch.workers import Limits
from pipeline.checks import rows_coverage
from pipeline.errors import PipelineError
from pipeline.output import datapackage
from pipeline.output.export import export_csv, export_duckdb
from pipeline.output.schema import ALL_TABLES

CHUNK_TABLES = tuple(name for name in ALL_TABLES if name not in WHOLE_ONLY)


@dataclass(frozen=True)
class BatchSettings:
    """How a batch runs; the only home of the defaults the command line shows."""

    workers: int = os.cpu_count() or 1
    engine: str = "local"
    scheduler: str | None = None
    chunk_size: int = 100
    limits: Limits = field(default_factory=Limits)
    zip_limits: ZipLimits = field(default_factory=ZipLimits)
    csv: bool = False
    duckdb: Path | None = None
    retry_failed: bool = False  # parse again the documents an earlier run of this folder left failed


@dataclass(frozen=True, slots=True)
class DocumentCost:
    """What one document cost the worker that read it."""

    source_path: str
    format: str | None
    pages: int
    seconds: float
    cpu_seconds: float


@dataclass
class Summary:
    """What a run did."""

    inputs: int = 0  # paths found (files and archive members)
    skipped: int = 0  # already in the output folder
    retried: int = 0  # failed documents of earlier runs taken out to be parsed again
    parsed: int = 0  # documents read (status ok, partial, not_a_report or needs_ocr)
    failed: int = 0  # documents that could not be read, refused inputs included
    duplicates: int = 0  # paths whose bytes were parsed under another path
    chunks: int = 0  # chunks committed
    pages: int = 0  # pages of the documents read
    max_rss_mb: float = 0.0  # peak memory of the process that ran the largest job
    costs: list[DocumentCost] = field(default_factory=list)  # what each document read in this run cost
    failures: list[tuple[str, str]] = field(default_factory=list)  # (source_path, error)
    written: list[Path] = field(default_factory=list)  # CSV and DuckDB copies

    def one_line(self, out: Path) -> str:
        """Return the summary as one line."""
        retried = f" ({self.retried} failed before, parsed again)" if self.retried else ""
        return (f"{self.inputs} file(s): {self.parsed} parsed, {self.failed} failed, {self.duplicates} duplicate(s), "
                f"{self.skipped} already done{retried}; {self.chunks} chunk(s) committed → {out}/")


def run_batch(inputs: Iterable[str | Path], out: str | Path, settings: BatchSettings = BatchSettings(),
              progress: Progress | None = None) -> Summary:
    """Convert every report under `inputs` into the dataset at `out`; return what was done."""
    sources = expand_sources(inputs, settings.zip_limits)
    if not sources:  # as `govreport parse`: nothing to convert is an error, not an empty dataset
        raise PipelineError("no report files found in the given paths")
    with _malloc_for_arrow():
        return _run(sources, out, settings, progress)


@contextmanager
def _malloc_for_arrow() -> Iterator[None]:
    """Have Arrow allocate with the C library's malloc while a batch runs, then restore its allocator.

    Arrow's default allocator (mimalloc) hands freed pages back to the system by itself; a batch's
    parent, which builds many small tables and then waits on its workers, paid for that in system
    CPU time, a quarter to a third of the parent's CPU on a batch of 28 reports. The data written
    is the same either way.
    """
    previous = pa.default_memory_pool()
    pa.set_memory_pool(pa.system_memory_pool())
    try:
        yield
    finally:
        pa.set_memory_pool(previous)


def _run(sources: list[Source], out: str | Path, settings: BatchSettings, progress: Progress | None) -> Summary:
    """Run the batch of the expanded `sources` (see run_batch)."""
    dataset = Dataset(out)
    dataset.open()
    try:
        summary = Summary(inputs=len(sources))
        if settings.retry_failed:
            summary.retried = dataset.forget(dataset.failed([source.source_path for source in sources]))
        done, recorded = dataset.done()
        chunks = plan_chunks(sources, done, recorded, dataset.inbox, settings.chunk_size,
                             settings.limits.max_pages, settings.zip_limits)
        coverage: dict[str, list[dict]] = {}
        with open_engine(settings.engine, settings.workers, settings.limits, settings.scheduler) as engine:
            progress = progress or Progress(len(sources))  # its clock starts once the workers are up
            _convert(dataset, engine, chunks, summary, progress, coverage)
        dataset.clear_inbox()
        progress.close()
        dataset.make_readable()  # a run with nothing to parse
        finish(dataset, coverage)
        if settings.csv:
            summary.written.extend(export_csv(dataset))
        if settings.duckdb is not None:
            summary.written.append(export_duckdb(dataset, settings.duckdb))
        csv = [name for name in ALL_TABLES if (dataset.root / f"{name}.csv").is_file()]
        summary.written.append(datapackage.describe_dataset(
            dataset.root, {name: dataset.files(name) for name in ALL_TABLES}, csv))
    finally:
        dataset.close()
    return summary


def _convert(dataset: Dataset, engine: Engine, chunks: Iterator[Chunk], summary: Summary,
             progress: Progress, coverage: dict[str, list[dict]]) -> None:
    """Run every chunk's jobs on the engine and commit each chunk as soon as it is complete;
    `coverage` collects each committed chunk's own coverage rows."""
    open_chunks: dict[str, Chunk] = {}

    def jobs() -> Iterator[Job]:
        for chunk in chunks:
            summary.duplicates += chunk.duplicates
            summary.skipped += chunk.skipped
            _count_refused(chunk, summary, progress)
            progress.advance(chunk.duplicates + chunk.skipped)
            if chunk.jobs:
                open_chunks[chunk.id] = chunk
                yield from chunk.jobs
            elif chunk.rows["sources"]:
                _commit(dataset, chunk, summary, coverage)

    for job, outcome in engine.map(jobs()):
        dataset.make_readable()  # once, at the first result, while the workers parse on
        chunk = open_chunks[job.chunk]
        chunk.outcomes.append(outcome)
        _count(outcome, summary, progress)
        if chunk.complete:
            _commit(dataset, open_chunks.pop(job.chunk), summary, coverage)


def _coverage(chunk: Chunk) -> list[dict]:
    """Return the chunk's coverage rows in the order of its documents rows: the refused inputs',
    then each outcome's, which the worker made (pipeline.batch.job) so that the parent only collects."""
    rows = rows_coverage(chunk.rows)
    for outcome in chunk.outcomes:
        rows.extend(outcome.rows["coverage"])
    return rows


def _count(outcome: Outcome, summary: Summary, progress: Progress) -> None:
    """Add a finished document to the summary and the progress."""
    document = outcome.document
    failed = document["status"] == "failed"
    pages = 0 if failed else document.get("pages") or 0  # a PDF refused by its page count was not read
    summary.pages += pages
    summary.max_rss_mb = max(summary.max_rss_mb, outcome.max_rss_mb)
    summary.costs.append(DocumentCost(document["source_path"], document.get("format"), pages, outcome.seconds,
                                      outcome.cpu_seconds))
    if failed:
        summary.failed += 1
        summary.failures.append((document["source_path"], document.get("error") or ""))
    else:
        summary.parsed += 1
    progress.advance(1, failed=int(failed), pages=pages)


def _count_refused(chunk: Chunk, summary: Summary, progress: Progress) -> None:
    """Add the refused inputs of a chunk to the summary and the progress."""
    for row in chunk.rows["documents"]:
        summary.failed += 1
        summary.failures.append((row["source_path"], row["error"]))
    progress.advance(chunk.refused, failed=chunk.refused)


def _commit(dataset: Dataset, chunk: Chunk, summary: Summary, coverage: dict[str, list[dict]]) -> None:
    """Write the chunk's parts (documents last), then drop its work copies; note its coverage rows."""
    dataset.commit(chunk.id, chunk.table_rows(CHUNK_TABLES))
    coverage[chunk.id] = _coverage(chunk)
    for path in chunk.inbox:
        path.unlink(missing_ok=True)
    summary.chunks += 1
