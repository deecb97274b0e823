"""Tests for running headers and footers (parsers.furniture)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import robust_producers
from conftest import SYNTHETIC

from parsers.furniture import drop_running_lines
from pipeline.measure.evaluate import compare
from pipeline.model import Box, Cell, Table, TableBlock, TextBlock
from pipeline.run import parse_file


def _line(text: str, page: int, top: float) -> TextBlock:
    return TextBlock(text=text, page=page, box=Box(40.0, top, 500.0, top + 10.0))


def _browser_pages(n: int) -> list[TextBlock | TableBlock]:
    """Pages as a browser prints them: date and title above, address and page count below."""
    blocks: list[TextBlock | TableBlock] = []
    for page in range(1, n + 1):
        blocks.append(_line("12/6/26, 7:43 PM 岚江省人民政府办公厅2019年政府信息公开工作年度报告", page, 15.5))
        # Body lines differ in their figures only: not furniture, as they are not at the page's edge.
        blocks.extend(_line(f"正文第{page}页第{n}行", page, 100.0 + 20 * n) for n in range(5))
        blocks.append(_line(f"https://www.lanjiang.gov.cn/art/2020/1/{page}.html {page}/{n}", page, 767.7))
    return blocks


def test_browser_header_and_footer_on_every_page_are_dropped() -> None:
    kept = drop_running_lines(_browser_pages(4))
    assert [b.text for b in kept if isinstance(b, TextBlock)] == [
        f"正文第{p}页第{n}行" for p in range(1, 5) for n in range(5)]


def test_a_line_on_fewer_than_half_the_pages_or_at_another_height_stays() -> None:
    blocks = [_line("（一）主动公开情况", 1, 80.0), _line("（一）主动公开情况", 2, 80.0),
              _line("单位：件", 3, 300.0), _line("单位：件", 4, 420.0), _line("单位：件", 5, 510.0),
              _line("其他", 6, 90.0), _line("其他", 7, 91.0)]
    # Seven pages: a running line would be printed on four of them at least.
    assert drop_running_lines(blocks) == blocks


def test_a_one_page_document_and_tables_are_left_alone() -> None:
    one = [_line("12/6/26, 7:43 PM 标题", 1, 15.5), _line("正文", 1, 100.0)]
    assert drop_running_lines(one) == one
    cell = Cell(raw="合计", text="合计", row=0, col=0, page=1)
    table = TableBlock(Table(cells=(cell,), n_rows=1, n_cols=1, page=1, method="grid"))
    blocks = [table, *_browser_pages(2)]
    assert drop_running_lines(blocks)[0] is table
    assert len(drop_running_lines(blocks)) == 11


def test_lines_without_a_place_on_the_page_are_kept() -> None:
    # Word and web pages give no line positions: nothing can be told running there.
    blocks = [TextBlock(text="页眉", page=p) for p in (1, 2, 3)]
    assert drop_running_lines(blocks) == blocks


@pytest.mark.skipif(shutil.which("chromium") is None, reason="chromium is not installed")
def test_a_browser_print_with_its_default_header_and_footer_reads_as_the_page(tmp_path: Path) -> None:
    source = SYNTHETIC / "city-xiuzhou-2022-t2021"
    pdf = tmp_path / "printed.pdf"
    robust_producers._chromium("ruled-browser-print", source, pdf)
    truth = json.loads(source.with_suffix(".docx.truth.json").read_text(encoding="utf-8"))
    result = parse_file(pdf)
    score = compare(result, truth)
    assert score.misses == []
    assert sum(score.total.values()) >= 190
    assert (result.document["agency"], result.document["year"]) == (truth["agency"], truth["year"])
    text = " ".join(s.text for s in result.sections)
    assert "file://" not in text
    assert "PM" not in text
