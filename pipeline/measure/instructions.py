"""Instructions per page: what `parse_file`, the plain pdfplumber pass and the floor execute, counted by
valgrind's callgrind, so that two versions can be compared on a shared host.

`python -m pipeline.measure.instructions DIR [DIR ...] [--sides ours,plain,floor]` reads every PDF under
each folder given, once per side, under `valgrind --tool=callgrind` with the counting off, and turns it
on around each file's reading only (the imports, the loading of dictionaries and models, and the file
read before it are not counted). It prints, for each folder and side, the pages and the millions of
instructions per page, and, beside `ours`, how many times its instructions each other side executes.

Why a count beside the timed benchmark (`pipeline.measure.benchmark`): on a shared host, CPU time per
page moves by several per cent between runs, even taking turns file by file, so a change of 1 to 3 % is
not seen. The count of instructions does not move: the same files, version and hash seed (set to 0
here) give the same count to a few parts in a million, whatever else the machine runs. It is not a time:
pdfium's C and the Python interpreter run different numbers of instructions per cycle, so the ratio of
two sides' instructions is not the ratio of their CPU, which is `pipeline.measure.benchmark`'s to give.
Compare one side of two versions (`git worktree`, then this command in each), not two sides.

As in the benchmark, each file of `ours` is read as a batch's worker reads a report
(`benchmark.as_a_batch_worker`): the caches of text emptied, the file before it read, uncounted (before
the first file, the last one). What loads at a process's first reading is loaded before any count.

Needs valgrind, a C compiler and valgrind's header callgrind.h (Debian: valgrind, gcc): the counting is
turned on and off from Python by four calls of callgrind's client requests, compiled into a small
library in a temporary folder at each run. Prints figures; it asserts nothing.
"""

from __future__ import annotations

import argparse
import ctypes
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from pipeline.measure.benchmark import _READERS, _load, as_a_batch_worker, find_pdfs

SIDES = ["ours", "plain", "floor"]
_TOGGLES = """\
#include <valgrind/callgrind.h>
void count_from_zero(void) { CALLGRIND_ZERO_STATS; CALLGRIND_START_INSTRUMENTATION; }
void stop_and_dump(void) { CALLGRIND_STOP_INSTRUMENTATION; CALLGRIND_DUMP_STATS; }
"""
_TOTALS = re.compile(r"^totals:\s*(\d+)", re.MULTILINE)


def build_toggles(folder: Path) -> Path:
    """Compile the library that turns callgrind's counting on and off into `folder`; return its path.

    Exits with the reason when valgrind, a C compiler or callgrind.h is missing."""
    if shutil.which("valgrind") is None:
        raise SystemExit("valgrind is not installed (Debian: apt-get install valgrind)")
    compiler = os.environ.get("CC") or shutil.which("cc") or shutil.which("gcc")
    if compiler is None:
        raise SystemExit("no C compiler (cc or gcc) to build the counting toggles")
    source, library = folder / "toggles.c", folder / "libtoggles.so"
    source.write_text(_TOGGLES, encoding="utf-8")
    built = subprocess.run([compiler, "-O2", "-shared", "-fPIC", "-o", str(library), str(source)],
                           capture_output=True, text=True)
    if built.returncode != 0:
        raise SystemExit(f"cannot build the counting toggles (is valgrind/callgrind.h installed?): {built.stderr}")
    return library


def dump_totals(out: Path) -> list[int]:
    """Return the instructions of each dump callgrind wrote for the run whose output file is `out`
    (`out.1`, `out.2` …, one per file read), in the order they were written."""
    dumps = sorted(out.parent.glob(out.name + ".*"), key=lambda p: int(p.suffix[1:]))
    totals = []
    for dump in dumps:
        found = _TOTALS.search(dump.read_text(encoding="utf-8", errors="replace"))
        if found is None:
            raise SystemExit(f"{dump}: no totals line in callgrind's dump")
        totals.append(int(found.group(1)))
    return totals


def fresh_output(folder: Path, side: str) -> Path:
    """Return the callgrind output file of a side's run in `folder`, the dumps of an earlier run there (another
    folder's files) removed, so that only this run's dumps are read."""
    out = folder / f"{side}.out"
    for stale in folder.glob(out.name + ".*"):
        stale.unlink()
    return out


def count(side: str, paths: list[str], folder: Path, library: Path) -> list[tuple[int, int]]:
    """Return (pages, instructions) of each file of `paths` read by `side`, counted under callgrind."""
    listing, out = folder / f"{side}.json", fresh_output(folder, side)
    listing.write_text(json.dumps(paths), encoding="utf-8")
    command = ["valgrind", "--tool=callgrind", "--instr-atstart=no", f"--callgrind-out-file={out}",
               sys.executable, "-m", "pipeline.measure.instructions", "--inside", side, str(library), str(listing)]
    run = subprocess.run(command, capture_output=True, text=True, env={**os.environ, "PYTHONHASHSEED": "0"})
    if run.returncode != 0:
        raise SystemExit(f"the {side} side failed under valgrind:\n{run.stderr[-2000:]}")
    pages = json.loads(run.stdout.strip().splitlines()[-1])
    totals = dump_totals(out)
    if len(totals) != len(paths):
        raise SystemExit(f"{len(totals)} dumps of callgrind for {len(paths)} files of the {side} side")
    return list(zip(pages, totals, strict=True))


def _inside(side: str, library: str, listing: str) -> None:
    """Under valgrind: read each file with the side's reader, counting only that; print the pages (JSON)."""
    toggles = ctypes.CDLL(library)
    paths = json.loads(Path(listing).read_text(encoding="utf-8"))
    _load(side)
    read = _READERS[side]
    read([paths[-1]], {})  # (uncounted: what loads at a first reading, such as OpenCC's dictionaries)
    pages, last = [], paths[-1]
    for path in paths:
        if side == "ours":
            as_a_batch_worker(last, path)
            last = path
        files: dict[str, tuple[int, float]] = {}
        toggles.count_from_zero()
        read([path], files)
        toggles.stop_and_dump()
        pages.append(files[path][0])
    print(json.dumps(pages))


def main(argv: list[str] | None = None) -> int:
    """Count each side's instructions per page on each folder given and print them, one row per folder."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", help="folders (or PDFs): one row each")
    parser.add_argument("--sides", default="ours", help=f"comma-separated, of {','.join(SIDES)} (default: ours)")
    parser.add_argument("--inside", nargs=3, help=argparse.SUPPRESS)  # (the process run under valgrind)
    args = parser.parse_args(argv)
    if args.inside:
        _inside(*args.inside)
        return 0
    if not args.paths:
        parser.error("give at least one folder or PDF")
    sides = [s for s in args.sides.split(",") if s]
    unknown = set(sides) - set(SIDES)
    if unknown:
        parser.error(f"unknown sides: {', '.join(sorted(unknown))}")
    with tempfile.TemporaryDirectory(prefix="instructions-") as temp:
        folder = Path(temp)
        library = build_toggles(folder)
        print("millions of instructions per page (callgrind, hash seed 0)")
        print(f"{'folder':<28}{'pages':>7}" + "".join(f"{side:>12}" for side in sides)
              + ("".join(f"{s + '/ours':>13}" for s in sides if s != "ours") if "ours" in sides else ""))
        for root in args.paths:
            pdfs = find_pdfs([root])
            counted = {side: count(side, pdfs, folder, library) for side in sides}
            pages = sum(p for p, _ in counted[sides[0]])
            per_page = {side: sum(n for _, n in found) / max(pages, 1) / 1e6 for side, found in counted.items()}
            row = f"{(Path(root).name or root)[:27]:<28}{pages:>7}" + "".join(f"{per_page[s]:>12.2f}" for s in sides)
            if "ours" in sides:
                row += "".join(f"{per_page[s] / per_page['ours']:>12.2f}×" for s in sides if s != "ours")
            print(row, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
