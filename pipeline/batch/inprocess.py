"""Many reports in one `govreport parse` run: parse each input in turn, gather the output tables."""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

import pyarrow as pa

from pipeline.batch.finish import WHOLE_ONLY, finish
from pipeline.batch.inputs import MemberRefused, Source, ZipLimits, copy_member
from pipeline.batch.job import with_coverage
from pipeline.batch.resume import Dataset
from pipeline.output.schema import TABLES
from pipeline.run import ParseResult, parse_file
from pipeline.version import PARSER_VERSION


def parse_many(sources: Iterable[Source], progress: Callable[[ParseResult], None] | None = None,
               limits: ZipLimits | None = None) -> Iterator[ParseResult]:
    """Yield the result of each input in order; a bad or refused input yields a failed result and the run goes on.

    `sources` come from the one input expander (`pipeline.batch.inputs.expand_sources`): files, folders,
    globs and .zip archives, with archive members refused for the same reasons as in `govreport batch`.
    """
    for source in sources:
        result = _parse_source(source, limits or ZipLimits())
        if progress is not None:
            progress(result)
        yield result


def _parse_source(source: Source, limits: ZipLimits) -> ParseResult:
    """Parse one Source: a file where it lies, an archive member from a private work copy."""
    if source.refused:
        return ParseResult({"doc_id": None, "sha256": None, "source_path": source.source_path, "status": "failed",
                            "error": source.refused, "parser_version": PARSER_VERSION})
    if source.path is not None:
        return parse_file(source.path)
    with tempfile.TemporaryDirectory(prefix="govreport-member-") as work:
        try:
            copy = copy_member(source, Path(work) / f"member{source.suffix}", limits)
        except MemberRefused as exc:
            return _parse_source(Source(source.source_path, refused=str(exc)), limits)
        return parse_file(copy, source_path=source.source_path)


def gather(results: Iterable[ParseResult]) -> dict[str, pa.Table]:
    """Return the output tables for `results`, with the contract's schemas.

    The end of the run is the batch's own (pipeline.batch.finish): the rows are committed as one chunk
    of a work folder, which gains the findings of the cross-document rules (a body's report
    against the year before), the coverage of each document and the bodies, exactly as a
    `govreport batch` folder does at its end; the tables are then read back whole.
    """
    rows: dict[str, list[dict]] = {name: [] for name in TABLES}
    for result in results:
        for name, table_rows in with_coverage(result.rows()).items():
            rows[name].extend(table_rows)
    with tempfile.TemporaryDirectory(prefix="govreport-parse-") as work:
        dataset = Dataset(work)
        dataset.open()
        try:
            dataset.commit(_ONE_CHUNK, {name: table_rows for name, table_rows in rows.items()
                                        if name not in WHOLE_ONLY})
            finish(dataset, {_ONE_CHUNK: rows["coverage"]})
            return {name: dataset.read(name) for name in TABLES}
        finally:
            dataset.close()


_ONE_CHUNK = "1".zfill(16)  # the one chunk of a parse run's work folder
