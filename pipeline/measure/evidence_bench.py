"""Build time and size of the oversight report with and without the crops of the printed cells.

    python -m pipeline.measure.evidence_bench fixtures/synthetic fixtures/formats ../shared/corpus

The reports are parsed once into a temporary folder (or give --out of a parsed folder); the report is
then written three times each way, keeping the best time, and the sizes of the page, the workbook, the
crops beside it and the crops themselves are printed.
"""

from __future__ import annotations

import argparse
import io
import statistics
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from PIL import Image

from pipeline import evidence
from pipeline.batch.inprocess import gather, parse_many
from pipeline.batch.inputs import expand_sources
from pipeline.output.write import write_tables
from pipeline.report import write_report

_RUNS = 3


@contextmanager
def _without_crops() -> Iterator[None]:
    """Write the report as it was before crops: no <img>, no crops/ folder."""
    shown = evidence.SHOWN_SEVERITIES
    evidence.SHOWN_SEVERITIES = ()
    try:
        yield
    finally:
        evidence.SHOWN_SEVERITIES = shown


def _build(out: Path, target: Path) -> tuple[float, int, int, int, int]:
    """Return the best build time of the report of `out` and the sizes of page, workbook and crops/ folder."""
    best = float("inf")
    for _ in range(_RUNS):
        evidence._PNG_CACHE.clear()  # every run renders its crops
        evidence._page_picture.cache_clear()
        crops = target.parent / "crops"
        for old in crops.glob("*.png"):
            old.unlink()
        start = time.perf_counter()
        page, workbook, _ = write_report(out, target)
        best = min(best, time.perf_counter() - start)
    files = list((target.parent / "crops").glob("*.png"))
    return best, page.stat().st_size, workbook.stat().st_size, sum(p.stat().st_size for p in files), len(files)


def main() -> None:
    """Parse the sample set (unless --out names a parsed folder) and print the report's time and size."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("paths", nargs="*", default=["fixtures/synthetic", "fixtures/formats"])
    parser.add_argument("--out", type=Path, default=None, help="an output folder already parsed")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="govreport-evidence-") as scratch:
        out = args.out
        if out is None:
            out = Path(scratch) / "output"
            tables = gather(parse_many(expand_sources(args.paths)))
            write_tables(out, tables, ("parquet",))
        report = Path(scratch) / "report" / "report.html"
        with _without_crops():
            before = _build(out, report)
        after = _build(out, report)
        sizes = [Image.open(io.BytesIO(p.read_bytes())).size for p in (report.parent / "crops").glob("*.png")]
    print(f"{'':<16}{'build s':>9}{'page KB':>10}{'workbook KB':>13}{'crops/ KB':>11}{'crops':>7}")
    for name, (seconds, page, book, folder, count) in (("without crops", before), ("with crops", after)):
        print(f"{name:<16}{seconds:>9.2f}{page / 1024:>10.0f}{book / 1024:>13.0f}{folder / 1024:>11.0f}{count:>7}")
    if sizes:
        pixels = sorted(w * h for w, h in sizes)
        print(f"crop pixels: median {statistics.median(pixels):,.0f}, largest {max(sizes, key=lambda s: s[0] * s[1])}"
              f"; PNG bytes per crop: {after[3] / len(sizes) / 1024:.1f} KB on average")


if __name__ == "__main__":
    main()
