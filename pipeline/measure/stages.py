"""Profile: CPU per page of each stage of `parse_file` on born-digital PDFs, beside pdfium's floor.

`python -m pipeline.measure.stages DIR [DIR ...]` parses every PDF under each folder given (each right
after another file, with the caches as a batch's worker has them: `benchmark.as_a_batch_worker`), with
the reader's stages timed in CPU seconds, and prints milliseconds per page for each folder: pdfium's own calls
(page load, text page, page objects), each step of the PDF reader, the format-blind stages after
it, all of `parse_file`, and the floor (`pipeline.measure.benchmark._floor`: pypdfium2 alone reading
each page, its text and every character's box). A stage's time is its own: what it spends in
another stage named here counts there (pdfium's page load inside the carrying of a header counts
as page load), so the rows add up to `parse_file`; "other reading" and "other" hold what no row
names. Each figure is the least over `--repeat` runs. Timing every stage costs a little itself:
the ratio to the plain pass is `pipeline.measure.benchmark`'s to give, not this profile's.

The stages are timed by wrapping the functions that run them for the length of the run (and
restored after): a function renamed in the reader makes this fail loudly instead of silently
printing less. Prints figures; it asserts nothing (speed is measured, not tested).
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import sys
import time
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from pipeline.measure.benchmark import _floor, as_a_batch_worker, find_pdfs

# (row, module, attribute): the functions timed, in the order printed. Reading first (inside read_pdf),
# then what parse_file does around and after it.
READING: list[tuple[str, str, str]] = [
    ("pdfium: page load", "pypdfium2._helpers.document", "PdfDocument.get_page"),
    ("pdfium: text page", "pypdfium2._helpers.page", "PdfPage.get_textpage"),
    ("pdfium: page objects", "parsers.pdfium_page", "page_objects"),
    ("characters into pdfplumber's shapes", "parsers.pdfium_page", "_chars"),
    ("rules (paths into edges)", "parsers.pdfium_page", "_edges"),
    ("scan, hidden layer and garbled-text looks", "parsers.pdf", "_looks"),
    ("pictures among the text", "parsers.pictures", "pdf_pictures"),
    ("ruled tables: search", "parsers.tablefinder", "find_tables"),
    ("ruled tables: cells", "parsers.pdf", "_table_from_cells"),
    ("ruled tables: text run out of a cell", "parsers.pdf", "_absorb_overflow"),
    ("rule-less tables", "parsers.pdf", "_borderless_tables"),
    ("text lines", "parsers.pdf", "_lines_outside"),
    ("headers carried over a page break", "parsers.pdf", "_carry_headers"),
    ("tables joined over page breaks", "parsers.pdf", "join_continued_tables"),
    ("running heads and feet", "parsers.pdf", "drop_running_lines"),
    ("pages read by pdfplumber", "parsers.pdf", "_read_page"),
]
_LOOKS = [("parsers.searchable", "hidden_layer"), ("parsers.searchable", "garbled")]
_READ = ("parsers.pdf", "read_pdf")
_HASH = ("pipeline.run", "file_sha256")


def _target(module: str, attribute: str) -> tuple[Any, str]:
    """Return the object holding `attribute` (a module, or a class of it for "Class.method") and its name."""
    owner: Any = importlib.import_module(module)
    *classes, name = attribute.split(".")
    for cls in classes:
        owner = getattr(owner, cls)
    if not hasattr(owner, name):
        raise AttributeError(f"{module}.{attribute} is gone: the stage table of pipeline.measure.stages needs it")
    return owner, name


@contextlib.contextmanager
def timed(spent: defaultdict[str, float]) -> Iterator[None]:
    """Time every stage into `spent` (CPU seconds by row) while the block runs; restore the functions after."""
    import pipeline.run as run

    patched: list[tuple[Any, str, Any]] = []
    inner: list[float] = []  # per stage running, the time spent so far in the named stages it called

    def count(row: str, start: float) -> None:
        elapsed = time.process_time() - start
        spent[row] += elapsed - inner.pop()
        if inner:
            inner[-1] += elapsed

    def wrap(row: str, module: str, attribute: str) -> None:
        owner, name = _target(module, attribute)
        original = owner.__dict__[name] if isinstance(owner, type) else getattr(owner, name)

        def counted(*args: Any, **kwargs: Any) -> Any:
            inner.append(0.0)
            start = time.process_time()
            try:
                return original(*args, **kwargs)
            finally:
                count(row, start)

        patched.append((owner, name, original))
        setattr(owner, name, counted)

    stage = run._stage

    @contextlib.contextmanager
    def counted_stage(name: str) -> Iterator[None]:
        inner.append(0.0)
        start = time.process_time()
        try:
            with stage(name):
                yield
        finally:
            count(f"after reading: {name}", start)

    try:  # (a stage found missing halfway leaves none of those before it wrapped)
        for row, module, attribute in READING:
            for look_module, look in _LOOKS if attribute == "_looks" else [(module, attribute)]:
                wrap(row, look_module, look)
        wrap("other reading", *_READ)
        wrap("hashing the file", *_HASH)
        patched.append((run, "_stage", stage))
        run._stage = counted_stage  # type: ignore[assignment]
        yield
    finally:
        for owner, name, original in reversed(patched):
            setattr(owner, name, original)


def profile(paths: list[str], repeat: int = 3) -> tuple[int, dict[str, float], float]:
    """Return the pages of `paths`, each stage's least CPU seconds over `repeat` runs of `parse_file` on
    them (with "parse_file" for the whole), and the least CPU seconds of the floor on them."""
    from pipeline.batch.job import preload
    from pipeline.run import parse_file

    preload()
    least: dict[str, float] = {}
    pages = 0
    for _ in range(repeat):
        spent: defaultdict[str, float] = defaultdict(float)
        pages = 0
        total = 0.0
        for index, path in enumerate(paths):
            # Each file read as a batch's worker reads a report: after another one (untimed), not after itself.
            as_a_batch_worker(paths[index - 1], path)
            with timed(spent):
                start = time.process_time()
                result = parse_file(path)
                total += time.process_time() - start
            if not result.ok:
                raise SystemExit(f"{path}: {result.document['error']}")
            pages += result.document["pages"] or 0
        spent["parse_file"] = total
        for row, seconds in spent.items():
            least[row] = min(least.get(row, seconds), seconds)
    floor = min(_timed_floor(paths) for _ in range(repeat))
    return pages, least, floor


def _timed_floor(paths: list[str]) -> float:
    files: dict[str, tuple[int, float]] = {}
    _floor(paths, files)
    return sum(seconds for _, seconds in files.values())


def rows(pages: int, spent: dict[str, float], floor: float) -> list[tuple[str, float]]:
    """Return (row, ms per page) in the order printed: the reading stages and their sum, the stages after
    reading, "other" (what no row names), parse_file, the floor and what parse_file costs above it."""
    def per_page(seconds: float) -> float:
        return 1000 * seconds / max(pages, 1)

    reading = [(row, per_page(spent.get(row, 0.0))) for row, _, _ in READING]
    reading.append(("other reading", per_page(spent.get("other reading", 0.0))))
    after = [(row, seconds) for row, seconds in spent.items() if row.startswith("after reading: ")]
    total = spent.get("parse_file", 0.0)
    named = sum(seconds for row, seconds in spent.items() if row != "parse_file")
    return [
        *reading,
        ("reading, all", sum(ms for _, ms in reading)),
        ("hashing the file", per_page(spent.get("hashing the file", 0.0))),
        *((row, per_page(seconds)) for row, seconds in after),  # (in the order parse_file runs them)
        ("other", per_page(total - named)),
        ("parse_file", per_page(total)),
        ("floor: pypdfium2 alone", per_page(floor)),
        ("parse_file above the floor", per_page(total - floor)),
    ]


def main(argv: list[str] | None = None) -> int:
    """Profile each folder given and print a table of milliseconds per page, one column per folder."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="+", help="folders (or PDFs): one column each")
    parser.add_argument("--repeat", type=int, default=3, help="runs per folder; each stage's least counts")
    args = parser.parse_args(argv)
    columns: list[tuple[str, int, list[tuple[str, float]]]] = []
    for folder in args.paths:
        pdfs = find_pdfs([folder])
        pages, spent, floor = profile(pdfs, args.repeat)
        columns.append((Path(folder).name or folder, pages, rows(pages, spent, floor)))
    width = max(len(row) for row, _ in columns[0][2]) + 2
    print(f"CPU ms per page, each stage's own (least over {args.repeat} runs)")
    print(f"{'':<{width}}" + "".join(f"{name[:14]:>16}" for name, _, _ in columns))
    print(f"{'pages':<{width}}" + "".join(f"{pages:>16}" for _, pages, _ in columns))
    for index, (row, _) in enumerate(columns[0][2]):
        print(f"{row:<{width}}" + "".join(f"{found[index][1]:>16.2f}" for _, _, found in columns))
    return 0


if __name__ == "__main__":
    sys.exit(main())
