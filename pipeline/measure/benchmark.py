"""Benchmark: pages/s and peak memory of `parse_file` beside a plain pdfplumber pass, same files, same run.

The plain pass is what a user would write first: for every page, `extract_text()` and
`extract_tables()`. Each side runs in its own fresh process so that peak memory (max RSS)
belongs to that side alone. `govreport batch` is measured the same way with 1 and 2 workers and
otherwise its default settings, each run into a fresh temporary folder: pages/s and documents/s
of the whole run (planning, hashing, parsing in the isolated workers, Parquet commits, the
whole-batch step), the scaling efficiency from 1 to 2 workers, and the peak memory of a worker process (the largest
ru_maxrss the workers report with their results). The machine's own ceiling for that scaling
is printed beside it: a fixed pure-Python loop in 1 and then 2 processes at once (on a shared
virtual machine two vCPUs seldom give twice the work of one). Prints figures; it asserts nothing
(speed is measured, not tested). `--sides ours,batch1` runs only those sides beside the plain pass
(the scaling lines need both batch sides). CPU per page of `parse_file` and of the plain pass is
also printed for each folder given and for each program that made the PDFs (their metadata), when
the files fall into several: the plain pass costs four times as much on some producers' files as on
others', so one ratio over all pages says little about any of them. Beside them, whenever `parse_file`
is measured, the floor: pypdfium2 alone opening each page, its text and every character's loose box,
in a process of its own. What `parse_file` costs above it is the reader's own work; the plain pass
over it is the most any reader built on pdfium could gain on those files.

`parse_file`, the plain pass and the floor take turns file by file: each runs in a process of its own
that stays up for the whole benchmark, and each file is read by every side, one after the other, before
the next file is (the side that goes first changes from file to file). A slow spell of a shared machine
then falls on every side alike, instead of on whichever side ran through all the files in it: on this
kind of machine, whole runs of one side an hour apart differ by up to a third, and a producer's ratio
with them. A file's figure is its least over the runs; a side's, its least total over the runs.

`parse_file` keeps what it has worked out of text it has read before (a label's key, a printed label's
match): a worker of a batch has read other reports when it reads one, never that report itself. Before
each file its server empties those caches and reads the file read before it, untimed: the template's
labels are known, the file's own text is not, as in a batch. (Read again and again instead, a report
would find its own prose in the caches and cost a few per cent less than it does in a batch.)

A batch is a whole run, which the host's drift moves (two runs a quarter of an hour apart gave the same
version 4.70× and 4.03×). Beside it, the batch with 1 worker is also measured file by file: what its
worker does with each file (`pipeline.batch.job.run_job`, its outcome pickled as for the parent) takes
turns with the other sides, and the parent's own CPU over its whole run (planning and hashing, collecting,
Parquet commits, the whole-batch step) is added to it.

`--formats` measures the other readers instead (`formats_report`): OCR seconds per page of
scans (image-only PDFs and pictures, one OCR thread), wall-clock and CPU (the CPU seconds are
what one core costs, whatever else runs on a shared machine), and the peak memory of the process
that OCRs (a fresh process of its own, models loaded before the clock starts); then documents/s
of Word files, web pages and legacy Word files in this process.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

SIDES = ["ours", "plain", "floor", "job", "batch1", "batch2"]  # what a run measures; plain is the yardstick


def _plain(paths: list[str], files: dict[str, tuple[int, float]]) -> int:
    import pdfplumber

    pages = 0
    for path in paths:
        cpu, before = time.process_time(), pages
        with pdfplumber.open(path) as pdf:
            for page in pdf.pages:
                page.extract_text()
                page.extract_tables()
                pages += 1
        files[path] = (pages - before, time.process_time() - cpu)
    return pages


def _floor(paths: list[str], files: dict[str, tuple[int, float]]) -> int:
    """Read every page as pypdfium2 alone would: the page, its text and each character's loose box.

    Any reader built on pdfium pays this before it looks at a character: `parse_file` cannot cost
    less, and the plain pass over the floor is the most any such reader could gain on these files.
    """
    import pypdfium2 as pdfium

    pages = 0
    for path in paths:
        cpu, before = time.process_time(), pages
        document = pdfium.PdfDocument(path)
        try:
            for index in range(len(document)):
                page = document[index]
                textpage = page.get_textpage()
                textpage.get_text_range()
                for char in range(textpage.count_chars()):
                    textpage.get_charbox(char, loose=True)
                textpage.close()
                page.close()
                pages += 1
        finally:
            document.close()
        files[path] = (pages - before, time.process_time() - cpu)
    return pages


def _ours(paths: list[str], files: dict[str, tuple[int, float]]) -> int:
    from pipeline.run import parse_file

    pages = 0
    for path in paths:
        cpu = time.process_time()
        result = parse_file(path)
        if not result.ok:
            raise SystemExit(f"{path}: {result.document['error']}")
        pages += result.document["pages"] or 0
        files[path] = (result.document["pages"] or 0, time.process_time() - cpu)
    return pages


def _job(paths: list[str], files: dict[str, tuple[int, float]]) -> int:
    """Run each file as `govreport batch` runs a document in its worker (`pipeline.batch.job.run_job`: the
    page limit, the parse, its rows and coverage) and pickle the outcome as the worker sends it to the
    batch's parent. The file's hash, which the parent computes when it plans the run, is taken before
    the clock starts."""
    import pickle

    from pipeline.batch.job import Job, run_job
    from pipeline.batch.workers import Limits
    from pipeline.run import file_sha256

    pages = 0
    for path in paths:
        job = Job(file_sha256(Path(path)), path, path, "benchmark", Limits().max_pages)
        cpu = time.process_time()
        outcome = run_job(job)
        pickle.dumps(outcome, protocol=pickle.HIGHEST_PROTOCOL)
        document = outcome.document
        if document["status"] == "failed":
            raise SystemExit(f"{path}: {document['error']}")
        pages += document["pages"] or 0
        files[path] = (document["pages"] or 0, time.process_time() - cpu)
    return pages


def _batch(paths: list[str], workers: int) -> dict[str, float]:
    from pipeline.batch.progress import Progress
    from pipeline.batch.runner import BatchSettings, run_batch

    with tempfile.TemporaryDirectory(prefix="govreport-bench-") as out:
        start = time.perf_counter()
        summary = run_batch(paths, out, BatchSettings(workers=workers),
                            progress=Progress(len(paths), io.StringIO()))
        seconds = time.perf_counter() - start
    return {"pages": summary.pages, "documents": summary.parsed + summary.failed, "seconds": seconds,
            "peak_mb": summary.max_rss_mb}


def _load(side: str) -> None:
    """Load a side's imports (and jieba's dictionary) before its clock starts.

    Throughput is what is compared, as a batch pays them once in its parent. The plain side imports only
    pdfplumber, and the floor only pypdfium2, so that their peak memory is their own.
    """
    if side == "floor":
        import pypdfium2  # noqa: F401
    else:
        import pdfplumber  # noqa: F401

    if side not in ("plain", "floor"):
        from pipeline.batch.job import preload

        preload()
    if side.startswith("batch"):
        # The batch's own modules (pandas and pyarrow for its output) load before the clock too: a
        # run pays them once, not per document, as parse_file's side pays its imports before the clock.
        from pipeline.batch import progress, runner  # noqa: F401


_READERS = {"ours": _ours, "plain": _plain, "floor": _floor, "job": _job}  # the sides that read file by file
_NAMES = {"ours": "parse_file", "plain": "the plain pass", "floor": "the floor", "job": "the batch's worker job"}


def _child(side: str, paths: list[str]) -> None:
    """Run a batch side over every file once and print its figures (one JSON line)."""
    _load(side)
    cpu, own = _cpu_seconds(), _own_cpu_seconds()
    run = _batch(paths, int(side[len("batch"):]))
    print(json.dumps({**run, "cpu": _cpu_seconds() - cpu, "parent_cpu": _own_cpu_seconds() - own}))


def _serve(side: str) -> None:
    """Read each file named on a line of stdin with a side's reader and answer with one JSON line (pages,
    CPU and wall-clock seconds); at the end of stdin, answer with the process's peak memory."""
    _load(side)
    read = _READERS[side]
    last = None
    for line in sys.stdin:
        path = line.rstrip("\n")
        files: dict[str, tuple[int, float]] = {}
        if side in ("ours", "job"):
            as_a_batch_worker(last, path)
            last = path
        start = time.perf_counter()
        pages = read([path], files)
        print(json.dumps({"pages": pages, "cpu": files[path][1], "seconds": time.perf_counter() - start}),
              flush=True)
    print(json.dumps({"peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}), flush=True)


def as_a_batch_worker(previous: str | None, path: str) -> None:
    """Set `parse_file`'s caches as a batch's worker has them when it comes to `path`: emptied of what was
    worked out of text, then `previous` (another file) read, untimed, so that the template's labels are
    known and `path`'s own text is not (see the module's notes)."""
    _empty_text_caches()
    if previous is not None and previous != path:
        from pipeline.run import parse_file

        parse_file(previous)


def _empty_text_caches() -> None:
    """Empty the project's caches of what it worked out of text (`functools.lru_cache` of a thousand entries
    or more: keys, matches, normalized strings); the small ones, which hold a loaded model or dictionary,
    stay."""
    for name, module in list(sys.modules.items()):
        if name.partition(".")[0] not in ("pipeline", "parsers"):
            continue
        for value in list(vars(module).values()):
            info = getattr(value, "cache_info", None)
            if callable(info) and (info().maxsize or 0) >= 1024:
                value.cache_clear()


def _own_cpu_seconds() -> float:
    """Return the CPU seconds (user + system) of this process alone: a batch's parent without its workers."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    return own.ru_utime + own.ru_stime


def _cpu_seconds() -> float:
    """Return the CPU seconds (user + system) of this process and of its ended children (a batch's workers).

    On a machine shared with other jobs the CPU a side costs is steadier than its wall-clock time.
    """
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _spin(_: int = 0) -> float:
    """Return the seconds a fixed pure-Python loop takes in this process."""
    start = time.perf_counter()
    total = 0
    for i in range(_SPIN_LOOPS):
        total += i
    return time.perf_counter() - start


_SPIN_LOOPS = 10_000_000


def machine_scaling(repeat: int) -> float:
    """Return how much of a second CPU the machine gives: 1-process / 2-process time of the same loop."""
    import multiprocessing

    context = multiprocessing.get_context("fork")
    one, two = [], []
    with context.Pool(2) as pool:
        for _ in range(repeat):
            one.append(pool.apply(_spin))
            two.append(max(pool.map(_spin, [0, 1], chunksize=1)))
    return min(one) / min(two)


def _measure(sides: list[str], paths: list[str], repeat: int) -> dict[str, dict[str, Any]]:
    """Run each side `repeat` times and keep each side's fastest run.

    The sides that read file by file take turns on every file (`_paired`); the batch sides, which run
    over all the files at once, take turns run by run (batch1, batch2, batch1, …).
    """
    measured = _paired([side for side in sides if side in _READERS], paths, repeat)
    batches = [side for side in sides if side not in _READERS]
    runs: dict[str, list[dict[str, Any]]] = {side: [] for side in batches}
    for _ in range(repeat):
        for side in batches:
            out = subprocess.run([sys.executable, "-m", "pipeline.measure.benchmark", "--child", side, *paths],
                                 check=True, capture_output=True, text=True).stdout
            runs[side].append(json.loads(out.strip().splitlines()[-1]))
    for side, found in runs.items():
        best = min(found, key=lambda r: r["seconds"])
        # The CPU figure of a side is its least over the runs, apart from its fastest run's wall-clock time.
        measured[side] = {**best, "pages_per_s": best["pages"] / best["seconds"],
                          "cpu": min(r["cpu"] for r in found), "cpu_runs": [r["cpu"] for r in found],
                          "parent_cpu": min(r["parent_cpu"] for r in found)}
    return measured


def _paired(sides: list[str], paths: list[str], repeat: int) -> dict[str, dict[str, Any]]:
    """Measure the file-by-file sides taking turns on every file, each in a process of its own (`_serve`)."""
    # runs[side][r][path] = (pages, cpu seconds, wall-clock seconds) of run r
    runs: dict[str, list[dict[str, tuple[int, float, float]]]] = {side: [] for side in sides}
    with contextlib.ExitStack() as stack:
        # (Each server's stderr goes to a file of its own: pdfminer warns on many files, and a pipe left
        # unread would fill and stop the server; the file's end says why a server stopped.)
        logs = {side: stack.enter_context(tempfile.TemporaryFile(mode="w+")) for side in sides}
        servers = {side: subprocess.Popen([sys.executable, "-m", "pipeline.measure.benchmark", "--serve", side, "-"],
                                          stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=logs[side], text=True)
                   for side in sides}
        stack.callback(_stop, list(servers.values()))
        for round_ in range(repeat):
            for side in sides:
                runs[side].append({})
            for index, path in enumerate(paths):
                turn = (index + round_) % len(sides)
                for side in sides[turn:] + sides[:turn]:  # (the side that goes first changes from file to file)
                    answer = _ask(servers[side], path, logs[side])
                    runs[side][round_][path] = (answer["pages"], answer["cpu"], answer["seconds"])
        peaks = {side: _ask(server, None, logs[side])["peak_mb"] for side, server in servers.items()}
    measured: dict[str, dict[str, Any]] = {}
    for side, found in runs.items():
        totals = [(sum(p for p, _, _ in run.values()), sum(c for _, c, _ in run.values()),
                   sum(s for _, _, s in run.values())) for run in found]
        pages, _, seconds = min(totals, key=lambda t: t[2])
        measured[side] = {"pages": pages, "seconds": seconds, "pages_per_s": pages / seconds, "peak_mb": peaks[side],
                          "cpu": min(c for _, c, _ in totals), "cpu_runs": [c for _, c, _ in totals],
                          "files": {path: (found[0][path][0], min(run[path][1] for run in found)) for path in paths}}
    return measured


def _stop(servers: list[subprocess.Popen[str]]) -> None:
    """End the servers (killed when one is still reading: the benchmark stopped early)."""
    for server in servers:
        if server.poll() is None and server.stdin is not None and not server.stdin.closed:
            server.kill()
        server.wait()


def _ask(server: subprocess.Popen[str], path: str | None, log: Any) -> dict[str, Any]:
    """Send a server a file to read (None: the end) and return its answer; a server that stopped raises
    with the end of its stderr (`log`)."""
    assert server.stdin is not None
    assert server.stdout is not None
    if path is None:
        server.stdin.close()
    else:
        server.stdin.write(path + "\n")
        server.stdin.flush()
    line = server.stdout.readline()
    if not line:
        code = server.wait()
        log.seek(0)
        said = log.read().strip().splitlines()[-5:]
        raise SystemExit(f"the benchmark's reader stopped on {path or 'the last file'} (exit {code}): "
                         + " / ".join(said))
    return json.loads(line)


def formats_report(paths: list[str]) -> int:
    """Print OCR seconds per page of the scans and documents/s of the other formats under `paths`."""
    groups = _by_format(paths)
    if not groups:
        print("no scans, Word, web or legacy Word files found", file=sys.stderr)
        return 2
    from parsers import ocr_engine
    from pipeline.run import parse_file

    scans = groups.pop("scan", [])
    if scans and ocr_engine.available():
        out = subprocess.run([sys.executable, "-m", "pipeline.measure.benchmark", "--ocr-child", *map(str, scans)],
                             check=True, capture_output=True, text=True).stdout
        run = json.loads(out.strip().splitlines()[-1])
        print(f"OCR, {len(scans)} scans, {run['pages']} pages, one process, one OCR thread:")
        print(f"{'':<10}{'s/page':>10}{'CPU s/page':>12}{'peak MB':>10}")
        print(f"{'scan':<10}{run['seconds'] / run['pages']:>10.2f}{run['cpu'] / run['pages']:>12.2f}"
              f"{run['peak_mb']:>10.0f}")
        print()
    if not groups:
        return 0
    print(f"{'format':<10}{'documents':>10}{'seconds':>10}{'docs/s':>10}")
    for fmt, members in sorted(groups.items()):
        start = time.perf_counter()
        for path in members:
            parse_file(path)
        seconds = time.perf_counter() - start
        print(f"{fmt:<10}{len(members):>10}{seconds:>10.2f}{len(members) / seconds:>10.2f}")
    return 0


def _ocr_child(paths: list[str]) -> None:
    """Print (JSON) pages, seconds, CPU seconds and peak MB of parsing the scans in this fresh process."""
    import numpy as np

    from parsers import ocr_engine
    from pipeline.batch.job import preload
    from pipeline.run import parse_file

    preload()
    ocr_engine.recognize(np.full((64, 64), 255, dtype=np.uint8))  # the models load before the clock starts
    pages = 0
    start, cpu = time.perf_counter(), time.process_time()
    for path in paths:
        pages += _ocr_pages(parse_file(path).parsed)
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"pages": pages, "seconds": seconds, "cpu": cpu, "peak_mb": peak_mb}))


def _by_format(paths: list[str]) -> dict[str, list[Path]]:
    """Return the files under `paths` by format; image-only PDFs and pictures are "scan", other PDFs left out."""
    from parsers import detect_format
    from pipeline.errors import PipelineError

    groups: dict[str, list[Path]] = {}
    for root in map(Path, paths):
        for path in sorted([root] if root.is_file() else root.rglob("*")):
            if not path.is_file() or path.name.endswith(".truth.json"):
                continue
            try:
                fmt = detect_format(path)
            except PipelineError:
                continue
            if fmt == "pdf" and not _is_scan(path):
                continue
            groups.setdefault("scan" if fmt in ("pdf", "image") else fmt, []).append(path)
    return groups


def _is_scan(path: Path) -> bool:
    """Return True for a PDF whose first page has no text layer."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(str(path))
    try:
        return document[0].get_textpage().count_chars() == 0
    finally:
        document.close()


def _ocr_pages(document: object) -> int:
    """Return how many page pictures OCR read (the readers note each one in the warnings)."""
    warnings = getattr(document, "warnings", ())
    return sum(1 for w in warnings if "read by OCR" in w or "OCR found no text" in w) or 1


def find_pdfs(paths: list[str]) -> list[str]:
    """Return the PDFs among `paths` and under the folders among them, sorted; exit when there is none."""
    found = sorted(str(p) for root in map(Path, paths)
                   for p in ([root] if root.is_file() else root.rglob("*.pdf")) if p.suffix.lower() == ".pdf")
    if not found:
        raise SystemExit("no PDFs found")
    return found


def main(argv: list[str] | None = None) -> int:
    """Run both sides over the PDFs under the given folders and print the comparison."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="+")
    parser.add_argument("--child", choices=SIDES, help=argparse.SUPPRESS)
    parser.add_argument("--serve", choices=sorted(_READERS), help=argparse.SUPPRESS)
    parser.add_argument("--repeat", type=int, default=5, help="runs per side; the fastest counts")
    parser.add_argument("--sides", default=",".join(SIDES),
                        help="comma-separated sides to run (ours, plain, floor, batch1, batch2); plain is always "
                             "run, as every ratio is to it, floor whenever ours is, and the batch's worker job "
                             "file by file whenever batch1 is")
    parser.add_argument("--formats", action="store_true",
                        help="measure OCR s/page and documents/s of .docx, .html, .doc instead")
    parser.add_argument("--ocr-child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.ocr_child:
        _ocr_child(args.paths)
        return 0
    if args.formats:
        return formats_report(args.paths)
    if args.child:
        _child(args.child, args.paths)
        return 0
    if args.serve:
        _serve(args.serve)
        return 0
    asked = args.sides.split(",")
    sides = [side for side in SIDES if side == "plain" or side in asked or (side == "floor" and "ours" in asked)
             or (side == "job" and "batch1" in asked)]
    pdfs = find_pdfs(args.paths)
    measured = _measure(sides, pdfs, args.repeat)
    plain = measured["plain"]
    turns = ", ".join(_NAMES[side] for side in sides if side in _READERS)
    print(f"{len(pdfs)} PDFs, {plain['pages']} pages (best of {args.repeat} runs each, one process per side; "
          f"{turns} taking turns file by file)")
    print(f"{'':<34}{'pages/s':>10}{'seconds':>10}{'peak MB':>10}")
    if "ours" in measured:
        ours = measured["ours"]
        print(f"{'govreport parse_file':<34}{ours['pages_per_s']:>10.1f}{ours['seconds']:>10.2f}"
              f"{ours['peak_mb']:>10.0f}")
    print(f"{'pdfplumber text + tables':<34}{plain['pages_per_s']:>10.1f}{plain['seconds']:>10.2f}"
          f"{plain['peak_mb']:>10.0f}")
    if "ours" in measured:
        print(f"speed ratio (govreport / plain pass): {ours['pages_per_s'] / plain['pages_per_s']:.2f}x")
    _print_cpu(measured)
    if "ours" in measured:
        _print_groups(measured, args.paths)
    batch = {n: measured[f"batch{n}"] for n in (1, 2) if f"batch{n}" in measured}
    if len(batch) == 2:  # the scaling needs both worker counts
        _print_batch(batch, plain)
    return 0


def _print_cpu(measured: dict[str, dict[str, Any]]) -> None:
    """Print each side's CPU milliseconds per page (least and most over the runs) and its ratio to the plain pass."""
    plain = measured["plain"]["cpu"] / measured["plain"]["pages"]
    print()
    print("CPU per page (user + system, this process and its workers; least .. most over the runs)")
    print(f"{'':<34}{'ms/page':>10}{'range':>16}{'/ plain':>10}")
    for side, label in (("ours", "govreport parse_file"), ("plain", "pdfplumber text + tables"),
                        ("floor", "pdfium's own reading (the floor)"), ("job", "batch's worker job, file by file"),
                        ("batch1", "govreport batch, 1 worker"), ("batch2", "govreport batch, 2 workers")):
        if side not in measured:
            continue
        run = measured[side]
        per_page = [1000 * cpu / run["pages"] for cpu in run["cpu_runs"]]
        spread = f"{min(per_page):.1f}..{max(per_page):.1f}"
        print(f"{label:<34}{min(per_page):>10.1f}{spread:>16}{plain / (run['cpu'] / run['pages']):>9.2f}x")
    if "job" in measured and "batch1" in measured:
        # The batch with 1 worker, its documents read taking turns with the plain pass: what its worker
        # spends on each (the job side) and what its parent spends of its own (planning and hashing,
        # collecting, Parquet commits, the whole-batch step: the least over the whole runs).
        job, batch = measured["job"], measured["batch1"]
        worker, parent = 1000 * job["cpu"] / job["pages"], 1000 * batch["parent_cpu"] / batch["pages"]
        spread = f"{worker:.1f}+{parent:.1f}"
        print(f"{'batch, 1 worker, file by file':<34}{worker + parent:>10.1f}{spread:>16}"
              f"{1000 * plain / (worker + parent):>9.2f}x")
        print("  (its worker's job for each file, taking turns with the plain pass, + its parent's own CPU)")


def producer(path: str) -> str:
    """Return the program that made a PDF, from its metadata (Producer, else Creator), without its version."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(path)
    try:
        meta = document.get_metadata_dict()
    finally:
        document.close()
    name = (meta.get("Producer") or meta.get("Creator") or "").strip()
    # "LibreOffice 7.4", "Skia/PDF m156", "WeasyPrint 70.0": the version is no part of the producer.
    return re.sub(r"\s*\(.*$|\s+(m?\d[\w.]*|-.*)$", "", name) or "unknown"


def _print_groups(measured: dict[str, dict[str, Any]], roots: list[str]) -> None:
    """Print CPU per page of parse_file and of the plain pass for each folder given and each producer, when
    the files fall into more than one: a ratio over all pages is mostly that of the slowest pages to read.

    With the floor measured, also its CPU per page and the plain pass over it: the ratio a reader would
    reach if everything after pdfium's reading cost nothing (`ours - floor` is what the reader adds)."""
    ours, plain = measured["ours"]["files"], measured["plain"]["files"]
    floor = measured.get("floor", {}).get("files")
    folders = {path: next((root for root in roots if Path(path).is_relative_to(root)), path) for path in ours}
    for title, group_of in (("folder", folders.__getitem__), ("producer (PDF metadata)", producer)):
        groups: dict[str, list[str]] = {}
        for path in ours:
            groups.setdefault(group_of(path), []).append(path)
        if len(groups) < 2:
            continue
        width = max(34, *(len(name) + 2 for name in groups))
        print()
        print(f"CPU per page by {title} (each file's least over the runs)")
        print(f"{'':<{width}}{'files':>6}{'pages':>7}{'ours ms':>9}{'plain ms':>10}{'/ plain':>9}"
              + (f"{'floor ms':>10}{'plain / floor':>15}" if floor else ""))
        for name, paths in sorted(groups.items()):
            pages = sum(ours[p][0] for p in paths)
            mine, theirs = (1000 * sum(side[p][1] for p in paths) / max(pages, 1) for side in (ours, plain))
            line = f"{name:<{width}}{len(paths):>6}{pages:>7}{mine:>9.1f}{theirs:>10.1f}{theirs / mine:>8.2f}x"
            if floor:
                least = 1000 * sum(floor[p][1] for p in paths) / max(pages, 1)
                line += f"{least:>10.1f}{theirs / least:>14.2f}x"
            print(line)


def _print_batch(batch: dict[int, dict[str, float]], plain: dict[str, float]) -> None:
    """Print the batch figures: per worker count, then scaling and the ratio to the plain pass."""
    print()
    print("govreport batch, default settings (whole run, one fresh process each; peak MB = largest worker)")
    print(f"{'workers':<10}{'pages/s':>10}{'docs/s':>10}{'seconds':>10}{'peak MB':>10}{'/ plain':>10}")
    for workers, run in batch.items():
        print(f"{workers:<10}{run['pages_per_s']:>10.1f}{run['documents'] / run['seconds']:>10.2f}"
              f"{run['seconds']:>10.2f}{run['peak_mb']:>10.0f}{run['pages_per_s'] / plain['pages_per_s']:>9.2f}x")
    efficiency = batch[2]["pages_per_s"] / (2 * batch[1]["pages_per_s"])
    print(f"scaling efficiency 1 → 2 workers: {efficiency:.0%} (speed-up {2 * efficiency:.2f}x on "
          f"{os.cpu_count()} CPU(s))")
    ceiling = machine_scaling(5)
    print(f"this machine's own scaling, a pure-Python loop in 1 vs 2 processes: {ceiling:.0%}; "
          f"batch relative to it: {efficiency / ceiling:.0%}")


if __name__ == "__main__":
    sys.exit(main())
