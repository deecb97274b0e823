"""Many reports in one run: expand inputs, parse each, gather the four output tables."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path

import pyarrow as pa

from parsers import SUFFIXES
from pipeline.checks import finish_batch
from pipeline.run import ParseResult, parse_file
from pipeline.schema import TABLES
from pipeline.write import to_arrow


def expand_inputs(paths: Iterable[str | Path]) -> list[Path]:
    """Return the files to parse: named files as given, folders searched for supported suffixes."""
    out: list[Path] = []
    for path in map(Path, paths):
        if path.is_dir():
            out.extend(sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUFFIXES
                              and not p.name.startswith(".")))
        else:
            out.append(path)
    seen: set[Path] = set()
    return [p for p in out if not (p.resolve() in seen or seen.add(p.resolve()))]


def parse_many(paths: Sequence[Path], progress: Callable[[ParseResult], None] | None = None) -> Iterator[ParseResult]:
    """Yield the result of each file in order; a bad file yields a failed result and the run goes on."""
    for path in paths:
        result = parse_file(path)
        if progress is not None:
            progress(result)
        yield result


def gather(results: Iterable[ParseResult]) -> dict[str, pa.Table]:
    """Return the output tables for `results`, with the contract's schemas.

    The findings gain those of the cross-document rules (a body's report against the year
    before), which need the whole batch; coverage summarises each document.
    """
    rows: dict[str, list[dict]] = {name: [] for name in TABLES}
    for result in results:
        for name, table_rows in result.rows().items():
            rows[name].extend(table_rows)
    rows.update(finish_batch(rows))
    return {name: to_arrow(name, table_rows) for name, table_rows in rows.items()}
