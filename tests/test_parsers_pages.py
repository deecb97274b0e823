"""Tests for tables continued over a page break as other producers print them (parsers.pages, parsers.pdf).

The documents are made here from a synthetic report, by the robustness set's own generators:
a web page printed by headless Chromium with 1 px collapsed borders (table 三 continues on a page
without its header, the row-spanning label 三、本年度办理结果 cut by the break and run out below
the last rule), a 三线表 drawn by reportlab on Letter pages, and a table without rules exported by
LibreOffice. Every cell is checked against the report's truth.
"""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import pytest
from conftest import ROOT, SYNTHETIC

from parsers.pdf import read_pdf
from pipeline.evaluate import compare
from pipeline.model import TableBlock
from pipeline.run import parse_file

sys.path.insert(0, str(ROOT / "fixtures"))

import robust_layouts
import robust_producers

CUT_LABEL = SYNTHETIC / "city-luyuan-2024-t2021"  # table 三 breaks inside 三、本年度办理结果 in Chromium's print
CONTINUED = SYNTHETIC / "city-xiuzhou-2022-t2021"  # table 三 runs over two pages in every layout


def _every_cell_right(pdf: Path, source: Path) -> None:
    truth = json.loads(source.with_suffix(".docx.truth.json").read_text(encoding="utf-8"))
    result = parse_file(pdf)
    score = compare(result, truth)
    assert sum(score.total.values()) >= 190
    assert score.misses == []
    assert result.document["status"] == "ok"


@pytest.mark.skipif(shutil.which("chromium") is None, reason="chromium is not installed")
def test_chromium_print_continued_without_header_and_label_cut_is_read_whole(tmp_path: Path) -> None:
    pdf = tmp_path / "chromium-ruled.pdf"
    robust_producers._chromium("ruled", CUT_LABEL, pdf)
    tables = [b.table for b in read_pdf(pdf).blocks if isinstance(b, TableBlock)]
    applications = next(t for t in tables if any("本年新收" in c.text for c in t.cells))
    # One table over the break, its group label rejoined from three pieces on two pages.
    assert applications.method == "grid"
    assert applications.n_rows == 28
    assert any(c.text == "三、本年度办理结果" and c.row_span == 22 for c in applications.cells)
    assert {c.page for c in applications.cells} == {2, 3}
    _every_cell_right(pdf, CUT_LABEL)


def test_three_line_table_drawn_by_reportlab_is_read_cell_by_cell(tmp_path: Path) -> None:
    pdf = tmp_path / "three-line.pdf"
    robust_layouts._reportlab("three-line", CONTINUED, pdf)
    _every_cell_right(pdf, CONTINUED)


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
def test_table_without_rules_exported_by_libreoffice_is_read_cell_by_cell(tmp_path: Path) -> None:
    pdf = tmp_path / "none.pdf"
    robust_layouts._libreoffice("none", CONTINUED, pdf)
    tables = [b.table for b in read_pdf(pdf).blocks if isinstance(b, TableBlock)]
    assert tables
    assert all(t.method == "positions" for t in tables)
    _every_cell_right(pdf, CONTINUED)
