"""The oversight report of an output folder: one self-contained HTML page and an Excel workbook.

Both are built from the output tables alone (pipeline.output), with the checks re-run so that
every finding carries its page. Both files are written atomically.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from pipeline.output import read_rows
from pipeline.report import html, xlsx
from pipeline.report.data import ReportData, build

__all__ = ["ReportData", "build", "write_report"]


def write_report(out_dir: str | Path, html_path: str | Path) -> tuple[Path, Path, ReportData]:
    """Write HTML_PATH and the workbook beside it (same name, .xlsx); return both paths and the data."""
    data = build(read_rows(out_dir), str(out_dir))
    target = Path(html_path)
    target.parent.mkdir(parents=True, exist_ok=True)
    page = html.render(data)
    _atomic(target, lambda tmp: Path(tmp).write_text(page, encoding="utf-8"))
    workbook = target.with_suffix(".xlsx")
    _atomic(workbook, lambda tmp: xlsx.write(data, tmp))
    return target, workbook, data


def _atomic(target: Path, write: Callable[[str], object]) -> None:
    """Write through a temporary file in the same folder, then rename it over `target`."""
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(fd)
    try:
        write(tmp)
        os.chmod(tmp, 0o644)  # mkstemp makes 0600; a report is meant to be shared
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
