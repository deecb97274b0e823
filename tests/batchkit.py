"""Inputs and comparisons for the batch tests: bad files made in code, tables read back."""

from __future__ import annotations

import io
import os
import shutil
import signal
import time
from pathlib import Path

import pandas as pd
from conftest import SYNTHETIC

BUDGET_NOTICE = """关于2024年部门预算公开的说明

根据《中华人民共和国预算法》和财政部门的要求，现将本部门2024年部门预算公开如下。

一、总体情况
2024年本部门收支总预算1234.56万元，比上年增加12.3万元。

二、收入预算情况
财政拨款收入1200万元，其他收入34.56万元。

三、支出预算情况
基本支出1000万元，项目支出234.56万元。
"""


def copy_reports(folder: Path, count: int) -> list[Path]:
    """Copy `count` distinct synthetic reports (PDF and Word, alternating) into `folder` under new names."""
    folder.mkdir(parents=True, exist_ok=True)
    pdfs = sorted(SYNTHETIC.glob("*.pdf"))
    docxs = sorted(SYNTHETIC.glob("*.docx"))
    picked = [p for pair in zip(pdfs, docxs[1:] + docxs[:1], strict=True) for p in pair][:count]
    copies = []
    for index, source in enumerate(picked):
        target = folder / f"report-{index:02d}{source.suffix}"
        shutil.copyfile(source, target)
        copies.append(target)
    return copies


def blank_pdf(path: Path, pages: int) -> Path:
    """Write a PDF of `pages` empty pages (cheap even for thousands)."""
    from pypdf import PdfWriter

    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(595, 842)
    with open(path, "wb") as handle:
        writer.write(handle)
    return path


def encrypted_pdf(path: Path) -> Path:
    """Write a copy of a synthetic report that needs a password to open."""
    from pypdf import PdfWriter

    writer = PdfWriter(clone_from=SYNTHETIC / "city-luyuan-2024-t2021.pdf")
    writer.encrypt("secret", algorithm="AES-128")
    with open(path, "wb") as handle:
        writer.write(handle)
    return path


def image_pdf(path: Path) -> Path:
    """Write a one-page PDF whose page is a picture of a table: no text layer at all."""
    from PIL import Image, ImageDraw

    picture = Image.new("RGB", (600, 800), "white")
    draw = ImageDraw.Draw(picture)
    for y in range(100, 700, 50):
        draw.line((50, y, 550, y), fill="black", width=2)
    picture.save(path, "PDF")
    return path


def budget_notice_docx(path: Path) -> Path:
    """Write the budget notice as a Word file."""
    import docx

    document = docx.Document()
    for line in BUDGET_NOTICE.strip().splitlines():
        if line.strip():
            document.add_paragraph(line)
    buffer = io.BytesIO()
    document.save(buffer)
    path.write_bytes(buffer.getvalue())
    return path


def dataset_frames(out: Path, names) -> dict[str, pd.DataFrame]:
    """Return each table of a batch folder, in canonical order."""
    return {name: canonical(pd.read_parquet(out / name)) for name in names}


def parse_frames(out: Path, names) -> dict[str, pd.DataFrame]:
    """Return each table written by `govreport parse`, in canonical order."""
    return {name: canonical(pd.read_parquet(out / f"{name}.parquet")) for name in names}


def canonical(frame: pd.DataFrame) -> pd.DataFrame:
    """Return the rows sorted by every column (doc_id first), so that equal tables compare equal."""
    return frame.sort_values(list(frame.columns), na_position="first", kind="stable").reset_index(drop=True)


def assert_same_tables(left: dict[str, pd.DataFrame], right: dict[str, pd.DataFrame]) -> None:
    """Assert that two sets of tables hold the same rows."""
    assert left.keys() == right.keys()
    for name in left:
        pd.testing.assert_frame_equal(left[name], right[name], obj=name)


def kill_or_hang_on_name(job):
    """A job function for a Dask worker: a file named crash* kills the worker, as a crash in a
    native library would; one named hang* never ends; any other file is parsed as usual."""
    from pipeline.batch.job import run_job

    name = Path(job.source_path).name
    if name.startswith("crash"):
        os.kill(os.getpid(), signal.SIGKILL)
    if name.startswith("hang"):
        time.sleep(600)
    return run_job(job)


def alive(pid: int) -> bool:
    """Return True while process `pid` runs (a zombie nobody has reaped yet counts as gone)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"
