"""Benchmark: the whole-batch step of `govreport batch` (pipeline.batch.finish) at archive scale.

A batch ends by reading back what the batch rules compare (a body's reports of consecutive
years) and by writing the coverage of every report; both grow with the archive. They are
measured here on a batch folder of N reports made from the rows of real parses: each parsed
report is copied under a new id as one year (2019-2023) of a body with five reports, in chunks
of 100 as a batch commits them. The step then runs in a fresh process: with the coverage rows a
run collects as it goes (the usual end of a batch), and without them (a resumed run, which reads
every chunk back); then the --csv and --duckdb copies are written. Prints seconds and peak
memory; asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from pipeline.measure.benchmark import find_pdfs

_YEARS = 5  # reports per body: 2019-2023
_CHUNK = 100


def build(out: Path, reports: int, paths: list[str]) -> None:
    """Write a batch folder of `reports` reports made from the parses of `paths`."""
    from pipeline.batch.resume import Dataset
    from pipeline.batch.runner import CHUNK_TABLES
    from pipeline.run import parse_file

    templates = [rows for rows in (parse_file(p).rows() for p in paths) if rows["documents"][0]["status"] == "ok"]
    dataset = Dataset(out)
    dataset.open()
    try:
        chunk: dict[str, list[dict[str, Any]]] = {name: [] for name in CHUNK_TABLES}
        for index in range(reports):
            for name, rows in _copy(templates[index % len(templates)], index).items():
                if name in chunk:  # coverage is written by the whole-batch step measured here
                    chunk[name].extend(rows)
            if (index + 1) % _CHUNK == 0 or index + 1 == reports:
                dataset.commit(f"{index // _CHUNK + 1:016x}", chunk)  # 0…0 is the empty commit's id
                chunk = {name: [] for name in CHUNK_TABLES}
    finally:
        dataset.close()


def _copy(template: dict[str, list[dict[str, Any]]], index: int) -> dict[str, list[dict[str, Any]]]:
    """Return the rows of a parsed report as report `index` of the archive (new id, body and year)."""
    doc_id, sha = f"{index:016x}", f"{index:064x}"
    rows = {name: [{**row, "doc_id": doc_id} for row in found] for name, found in template.items()}
    rows["documents"][0].update(sha256=sha, source_path=f"archive/{index}.pdf",
                                agency=f"岫州市第{index // _YEARS}局", year=2019 + index % _YEARS)
    rows["sources"] = [{"sha256": sha, "doc_id": doc_id, "source_path": f"archive/{index}.pdf"}]
    return rows


def _child(out: str, step: str) -> None:
    """Run one end-of-batch step on the folder `out` and print its seconds and memory as JSON."""
    from pipeline.batch.finish import finish
    from pipeline.batch.resume import Dataset
    from pipeline.checks import rows_coverage
    from pipeline.output.export import export_csv, export_duckdb

    dataset = Dataset(out)
    coverage = None
    if step == "known":  # what a run collects chunk by chunk while its workers parse
        tables = ("documents", "sections", "records", "ocr_values", "findings")
        coverage = {chunk: rows_coverage({name: dataset.read(name, chunk=chunk).to_pylist() for name in tables})
                    for chunk in dataset.committed()}
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    start = time.perf_counter()
    if step == "copies":
        export_csv(dataset)
        export_duckdb(dataset, Path(out) / "batch.duckdb")
        counts = {}
    else:
        counts = finish(dataset, coverage)
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"seconds": seconds, "before_mb": before, "peak_mb": peak, **counts}))


def _measure(out: Path, step: str) -> dict[str, float]:
    command = [sys.executable, "-m", "pipeline.measure.benchmark_archive", "--child", str(out), "--step", step]
    result = subprocess.run(command, check=True, capture_output=True, text=True)
    return json.loads(result.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    """Build the archive folder, then time the whole-batch step on it."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", help="PDFs, or folders of them, whose parses make up the archive")
    parser.add_argument("--reports", type=int, default=20_000)
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--step", choices=["known", "resumed", "copies"], help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        _child(args.child, args.step)
        return 0
    pdfs = find_pdfs(args.paths)
    with tempfile.TemporaryDirectory(prefix="govreport-archive-") as folder:
        out = Path(folder) / "batch"
        start = time.perf_counter()
        build(out, args.reports, pdfs)
        print(f"archive of {args.reports:,} reports ({args.reports // _YEARS:,} bodies × {_YEARS} years, made from "
              f"{len(pdfs)} parsed PDFs) written in {time.perf_counter() - start:.0f} s")
        print(f"{'end of a batch':<44}{'seconds':>10}{'MB before':>11}{'peak MB':>10}{'findings':>10}")
        for step, label in (("known", "whole-batch step, coverage collected"),
                            ("resumed", "whole-batch step, resumed run"),
                            ("copies", "--csv and --duckdb copies of every table")):
            run = _measure(out, step)
            findings = f"{run['findings']:,}" if "findings" in run else "—"
            print(f"{label:<44}{run['seconds']:>10.1f}{run['before_mb']:>11.0f}{run['peak_mb']:>10.0f}{findings:>10}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
