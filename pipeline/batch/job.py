"""One document as a unit of batch work: the page limit, the parse, the rows, the resources used.

`run_job` is the function every engine runs, in a worker process of the local pool or on a
Dask worker; it never raises for a bad document (pipeline.run.parse_file does not). Failures
that happen around it (time-outs, crashes, memory) are turned into rows by `failed_outcome`.
"""

from __future__ import annotations

import importlib
import resource
import time
from dataclasses import dataclass
from typing import Any

from parsers import probe
from pipeline.checks import rows_coverage
from pipeline.run import doc_id_for, parse_file
from pipeline.version import PARSER_VERSION


@dataclass(frozen=True)
class Job:
    """A document to parse: where its bytes are, the path to record, and the chunk it belongs to."""

    sha256: str
    path: str
    source_path: str
    chunk: str
    max_pages: int


@dataclass
class Outcome:
    """What a job gives back: its output rows (with the document's coverage row) and what it cost."""

    rows: dict[str, list[dict[str, Any]]]
    seconds: float = 0.0
    cpu_seconds: float = 0.0  # CPU time of the process that ran it, spent on this document
    max_rss_mb: float = 0.0  # peak resident memory of the process that ran it
    recycle: bool = False  # the worker should be replaced (it ran out of memory)

    @property
    def document(self) -> dict[str, Any]:
        """Return the documents row."""
        return self.rows["documents"][0]


def run_job(job: Job) -> Outcome:
    """Parse one document, refusing a PDF with more pages than the job allows before reading it."""
    start, cpu = time.perf_counter(), cpu_seconds()
    found = probe(job.path)
    if found.pages is not None and found.pages > job.max_pages:
        outcome = failed_outcome(job, f"too many pages ({found.pages}; --max-pages is {job.max_pages})",
                                 format=found.format, pages=found.pages)
    else:
        outcome = Outcome(with_coverage(parse_file(job.path, source_path=job.source_path, sha256=job.sha256).rows()))
    outcome.seconds = time.perf_counter() - start
    outcome.cpu_seconds = cpu_seconds() - cpu
    outcome.max_rss_mb = peak_rss_mb()
    return outcome


def preload() -> None:
    """Import every reader and load jieba now, so that workers forked later start with them shared."""
    from parsers import READERS

    for module, _ in READERS.values():
        try:
            importlib.import_module(module)
        except ImportError:  # a reader without its dependencies says so when a file needs it
            continue
    import pypdfium2  # noqa: F401  (the page count of parsers.probe)

    from pipeline.analytics.terms import tokenizer

    tokenizer()  # jieba's dictionary: about half a second to load, once here instead of once per worker


def failed_outcome(job: Job, error: str, **columns: Any) -> Outcome:
    """Return the outcome of a job that produced no parse: a failed documents row with the reason."""
    row = {"doc_id": doc_id_for(job.sha256), "sha256": job.sha256, "source_path": job.source_path,
           "format": probe(job.path).format, "pages": None, "status": "failed", "error": error,
           "parser_version": PARSER_VERSION}
    row.update(columns)
    return Outcome(with_coverage({"documents": [row]}))


def with_coverage(rows: dict[str, list[dict[str, Any]]]) -> dict[str, list[dict[str, Any]]]:
    """Add the coverage row of the document to its output rows (its own findings counted).

    Made where the document was parsed: the batch's parent process then only collects the rows,
    and the batch rules' findings are added to the counts once every chunk is in (pipeline.batch.finish).
    """
    if "coverage" not in rows:  # a parsed document brings the row made from its view; a failed one has none
        rows["coverage"] = rows_coverage(rows)
    return rows


def cpu_seconds() -> float:
    """Return the CPU time of this process and of the programs it ran (LibreOffice for .doc and .wps)."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


def peak_rss_mb() -> float:
    """Return the peak resident memory of this process in MB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux reports kB
