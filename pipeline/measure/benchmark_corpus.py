"""Benchmark: `govreport batch` over an archive-sized corpus in the real mix of formats.

A corpus of N documents (2,000 by default) is built from seed reports of every format the
project reads: born-digital PDFs, Word files, web pages (.html, .mht), text dumps, legacy Word
(.doc, .wps, when LibreOffice is installed) and scans (image-only PDFs and pictures), in about
the proportions an archive holds them (`MIX`: a tenth scans). Each copy is given bytes of its
own, so that the batch, which parses identical bytes once, reads every one.

The same corpus is then converted by the local engine with 1 and 2 workers and by the Dask
engine (a LocalCluster of 2 workers), each run into a fresh folder from a fresh process. Printed: documents/s and
pages/s overall and, for each run, per format (at that run's parallelism: its workers'
CPU-seconds over its wall seconds), CPU-seconds per 1,000 reports by format, peak memory of a
worker, the 1 → 2 worker scaling beside the machine's own (a pure-Python loop in 1 and 2
processes), Dask's overhead against the local engine, and the projected cost of 100,000 reports
on 1, 16 and 64 cores. Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import importlib
import io
import multiprocessing
import shutil
import sys
import tempfile
import time
import zipfile
from collections import defaultdict
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pipeline.measure.benchmark import machine_scaling

# Share of each kind of document in the corpus: what a national archive holds, about.
MIX: dict[str, float] = {"pdf": 0.55, "docx": 0.18, "html": 0.12, "txt": 0.03, "legacy": 0.02, "scan": 0.10}
_KINDS_OF_SUFFIX = {".pdf": "pdf", ".docx": "docx", ".html": "html", ".htm": "html", ".mht": "html",
                    ".txt": "txt", ".md": "txt", ".doc": "legacy", ".wps": "legacy", ".png": "scan",
                    ".jpg": "scan", ".jpeg": "scan", ".tif": "scan", ".tiff": "scan"}
ARCHIVE_REPORTS = 100_000  # reports a year, nationally, about
CORES = (1, 16, 64)


@dataclass(frozen=True, slots=True)
class Run:
    """One conversion of the corpus."""

    name: str
    seconds: float
    documents: int
    failed: int
    pages: int
    peak_mb: float
    by_kind: dict[str, tuple[int, int, float]]  # kind → (documents, pages, CPU-seconds in the workers)


def seed_kind(path: Path) -> str | None:
    """Return the corpus kind of a seed file: its format, a PDF without a text layer being a scan."""
    kind = _KINDS_OF_SUFFIX.get(path.suffix.lower())
    if kind == "pdf" and _is_image_only(path):
        return "scan"
    return kind


def _is_image_only(path: Path) -> bool:
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(str(path))
    try:
        return all(page.get_textpage().count_chars() == 0 for page in document)
    finally:
        document.close()


def find_seeds(roots: Iterable[str | Path], legacy: bool) -> dict[str, list[Path]]:
    """Return the report files under `roots` (those with a truth file beside them) by kind."""
    seeds: dict[str, list[Path]] = defaultdict(list)
    for root in map(Path, roots):
        for path in sorted(root.rglob("*.truth.json") if root.is_dir() else []):
            source = path.with_name(path.name[: -len(".truth.json")])
            kind = seed_kind(source) if source.is_file() else None
            if kind is not None and (kind != "legacy" or legacy):
                seeds[kind].append(source)
    return dict(seeds)


def _distinct(data: bytes, suffix: str, n: int) -> bytes:
    """Return `data` made unique by `n` in a way its format ignores."""
    tag = f"govreport-bench-{n:07d}"
    if suffix == ".docx":
        buffer = io.BytesIO(data)
        with zipfile.ZipFile(buffer, "a") as archive:
            archive.comment = tag.encode()
        return buffer.getvalue()
    if suffix in (".html", ".htm", ".mht"):
        return data + f"\n<!-- {tag} -->\n".encode()
    if suffix in (".txt", ".md"):
        return data + b"\n" + b" " * (n % 997 + 1) + b"\n" * (n // 997 + 1)  # blank space only: no new text
    if suffix == ".pdf":
        return data + f"\n%{tag}\n".encode()
    return data + tag.encode()  # pictures and OLE files: bytes after the end are never read


def build_corpus(out: Path, seeds: dict[str, list[Path]], documents: int) -> dict[str, int]:
    """Write `documents` files with distinct bytes into `out` in the proportions of MIX; return counts by kind."""
    out.mkdir(parents=True, exist_ok=True)
    shares = {kind: share for kind, share in MIX.items() if seeds.get(kind)}
    total_share = sum(shares.values())
    counts = {kind: round(documents * share / total_share) for kind, share in shares.items()}
    counts[max(counts, key=lambda k: counts[k])] += documents - sum(counts.values())
    n = 0
    for kind, count in counts.items():
        pool = seeds[kind]
        for i in range(count):
            seed = pool[i % len(pool)]
            target = out / kind / f"{n:07d}-{seed.name}"
            target.parent.mkdir(exist_ok=True)
            target.write_bytes(_distinct(seed.read_bytes(), seed.suffix.lower(), n))
            n += 1
    return counts


def convert_fresh(corpus: Path, name: str, workers: int, engine: str) -> Run:
    """Run `convert` in a process of its own, started afresh, as `govreport batch` runs from a shell.

    The local engine forks its workers, and a forked process counts every page of its parent's heap
    as its own resident memory: converting in this process, which built the corpus and converted it
    before, would add its state to each worker's peak.
    """
    spawn = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=1, mp_context=spawn) as pool:
        return pool.submit(_module().convert, corpus, name, workers, engine).result()


def _module() -> Any:
    """Return this module by its import name (run as `python -m`, it is also `__main__`): a spawned process
    finds its functions there."""
    return importlib.import_module("pipeline.measure.benchmark_corpus")


def convert(corpus: Path, name: str, workers: int, engine: str) -> Run:
    """Convert the corpus with `govreport batch` into a fresh folder; return what it cost."""
    from pipeline.batch.progress import Progress
    from pipeline.batch.runner import BatchSettings, run_batch

    files = [p for p in corpus.rglob("*") if p.is_file()]
    kind_of = {str(p): p.parent.name for p in files}
    with tempfile.TemporaryDirectory(prefix="govreport-bench-corpus-") as out:
        start = time.perf_counter()
        summary = run_batch([corpus], out, BatchSettings(workers=workers, engine=engine),
                            progress=Progress(len(files), io.StringIO()))
        seconds = time.perf_counter() - start
    by_kind: dict[str, list[float]] = defaultdict(lambda: [0, 0, 0.0])
    for cost in summary.costs:
        entry = by_kind[kind_of.get(cost.source_path, cost.format or "?")]
        entry[0] += 1
        entry[1] += cost.pages
        entry[2] += cost.cpu_seconds
    return Run(name, seconds, summary.parsed + summary.failed, summary.failed, summary.pages, summary.max_rss_mb,
               {k: (int(v[0]), int(v[1]), v[2]) for k, v in by_kind.items()})


def _dask_available() -> bool:
    try:
        import distributed  # noqa: F401
    except ImportError:
        return False
    return True


def report(runs: list[Run], counts: dict[str, int], ceiling: float, emit: Callable[[str], None] = print) -> None:
    """Print the figures of the runs."""
    emit(f"corpus: {sum(counts.values())} documents, distinct bytes: "
         + ", ".join(f"{kind} {count}" for kind, count in counts.items()))
    emit("")
    emit(f"{'run':<22}{'seconds':>9}{'docs/s':>9}{'pages/s':>9}{'failed':>8}{'peak MB/worker':>16}")
    for run in runs:
        emit(f"{run.name:<22}{run.seconds:>9.1f}{run.documents / run.seconds:>9.2f}{run.pages / run.seconds:>9.1f}"
             f"{run.failed:>8}{run.peak_mb:>16.0f}")
    for run in runs:
        _per_format(run, emit)
    one = runs[0]
    local2 = next((r for r in runs if r.name == "local, 2 workers"), None)
    efficiency = 1.0
    if local2 is not None:
        efficiency = (one.seconds / local2.seconds) / 2
        emit("")
        emit(f"scaling 1 → 2 workers: {efficiency:.0%} of twice (speed-up {2 * efficiency:.2f}x); this machine's "
             f"own, a pure-Python loop in 1 vs 2 processes: {ceiling:.0%}; the batch relative to it: "
             f"{efficiency / ceiling:.0%}")
    dask = next((r for r in runs if r.name.startswith("dask")), None)
    if dask is not None and local2 is not None:
        emit(f"Dask (LocalCluster, 2 workers) against the local engine with 2 workers: "
             f"{dask.seconds / local2.seconds - 1:+.0%} time")
    _projection(one, efficiency / ceiling if local2 is not None else 1.0, emit)


def _per_format(run: Run, emit: Callable[[str], None]) -> None:
    """Print each format's steady rate in `run`: what the run's workers convert of that format per second
    of wall time, at the run's own parallelism (its workers' CPU-seconds over its wall seconds)."""
    cpu_total = sum(c for _, _, c in run.by_kind.values())
    busy = cpu_total / run.seconds if run.seconds else 0.0
    emit("")
    emit(f"per format ({run.name}; workers busy {busy:.2f} on average): documents/s and pages/s, "
         "CPU-seconds per 1,000 reports")
    emit(f"{'format':<10}{'documents':>10}{'pages':>8}{'docs/s':>9}{'pages/s':>9}{'CPU-s/1000':>12}")
    for kind, (docs, pages, cpu) in sorted(run.by_kind.items()):
        rate = docs * busy / cpu if cpu else float("nan")
        page_rate = f"{pages * busy / cpu:>9.1f}" if pages and cpu else f"{'':>9}"
        emit(f"{kind:<10}{docs:>10}{pages:>8}{rate:>9.2f}{page_rate}{1000 * cpu / docs:>12.0f}")


def _projection(run: Run, efficiency: float, emit: Callable[[str], None]) -> None:
    """Print the cost of an archive year in the measured mix, on 1, 16 and 64 cores."""
    docs = sum(d for d, _, _ in run.by_kind.values())
    cpu = sum(c for _, _, c in run.by_kind.values())
    per_report = cpu / docs
    emit("")
    emit(f"projected cost of {ARCHIVE_REPORTS:,} reports in this mix: {per_report * ARCHIVE_REPORTS / 3600:.1f} "
         f"CPU-hours ({per_report:.3f} CPU-s a report); wall time at the measured scaling per extra core "
         f"({efficiency:.0%} of the machine's own):")
    for cores in CORES:
        speedup = 1 + (cores - 1) * min(1.0, efficiency)
        emit(f"  {cores:>3} cores: {per_report * ARCHIVE_REPORTS / speedup / 3600:8.2f} hours")


def main(argv: list[str] | None = None) -> int:
    """Build the corpus from the seed folders, convert it three ways, and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("seeds", nargs="+", help="folders of reports with NAME.truth.json beside them")
    parser.add_argument("--documents", type=int, default=2000, help="documents in the corpus (default 2,000)")
    parser.add_argument("--corpus", type=Path, help="build the corpus here and keep it (default: a temporary folder)")
    parser.add_argument("--no-dask", action="store_true", help="leave out the Dask run")
    args = parser.parse_args(argv)
    seeds = find_seeds(args.seeds, legacy=shutil.which("soffice") is not None)
    if not seeds:
        raise SystemExit("no seed reports found (files with NAME.truth.json beside them)")
    work = Path(tempfile.mkdtemp(prefix="govreport-corpus-")) if args.corpus is None else args.corpus
    try:
        if work.exists():
            shutil.rmtree(work)
        counts = build_corpus(work, seeds, args.documents)
        ceiling = machine_scaling(3)
        runs = [convert_fresh(work, "local, 1 worker", 1, "local"), convert_fresh(work, "local, 2 workers", 2, "local")]
        if not args.no_dask and _dask_available():
            runs.append(convert_fresh(work, "dask, 2 workers", 2, "dask"))
        report(runs, counts, ceiling)
    finally:
        if args.corpus is None:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
