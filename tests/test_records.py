"""Where every record was printed: the box of a PDF cell holds exactly its text, a scanned cell's box
lies where the same cell is printed, and an HTML or Word record names the grid cell that prints it.

Each check is made against the document itself (pdfplumber's reading of the page, the file's own
table markup), not against the reader that produced the record.
"""

from __future__ import annotations

import email
import email.policy
import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import cast

import lxml.html
import pdfplumber
import pytest
from conftest import CORPUS, FORMATS, SYNTHETIC
from docx.oxml.ns import qn
from lxml import etree

from parsers.html import decode_html
from pipeline.output.schema import RECORDS
from pipeline.records import RECORD_FIELDS, Record, to_records
from pipeline.run import ParseResult, parse_file
from pipeline.tables.grid import KeyedCell

_WS = re.compile(r"\s+")
_BOX = ("x0", "top", "x1", "bottom")
_GRID = ("grid_table", "grid_row", "grid_col")


def _squeezed(text: str | None) -> str:
    return _WS.sub("", text or "")


def _box(r: Record) -> tuple[float, float, float, float]:
    """Return a record's box, asserting it has one."""
    box = (r.x0, r.top, r.x1, r.bottom)
    assert None not in box, r
    return cast(tuple[float, float, float, float], box)


def _born_digital_pdfs() -> list[Path]:
    files = sorted(SYNTHETIC.glob("*.pdf")) + sorted(p for p in FORMATS.glob("*.pdf") if "-scan" not in p.name)
    return files + (sorted(CORPUS.glob("*.pdf")) if CORPUS.is_dir() else [])


_PARSED: dict[Path, ParseResult] = {}


def _parsed(path: Path) -> ParseResult:
    """Parse each file once for the whole module (the crop and scan tests share the synthetic PDFs)."""
    if path not in _PARSED:
        _PARSED[path] = parse_file(path)
    return _PARSED[path]


def test_record_columns_follow_the_schema() -> None:
    """The records table's columns: the contract's, in order, the place columns after `method`."""
    assert tuple(RECORDS.names) == RECORD_FIELDS
    assert RECORD_FIELDS[RECORD_FIELDS.index("method") + 1:] == (*_BOX, *_GRID)


def test_to_records_carries_the_place() -> None:
    from pipeline.model import Box, GridRef

    cells = [KeyedCell("applications", "granted", "total", "12", 3, box=Box(10.004, 20, 30, 40.126)),
             KeyedCell("applications", "granted", "other_org", " ", None, grid_ref=GridRef(2, 7, 8))]
    first, second = to_records("d", cells)
    assert (first.x0, first.top, first.x1, first.bottom) == (10.0, 20, 30, 40.13)
    assert (first.grid_table, first.grid_row, first.grid_col) == (None, None, None)
    assert (second.x0, second.grid_table, second.grid_row, second.grid_col) == (None, 2, 7, 8)


@pytest.fixture(scope="module")
def pdf_records() -> dict[Path, list[Record]]:
    return {path: _parsed(path).records for path in _born_digital_pdfs()}


def test_pdf_box_holds_exactly_the_raw_text(pdf_records: dict[Path, list[Record]]) -> None:
    """For every record of every born-digital PDF of the evaluation set, the text pdfplumber reads
    inside the record's box is the record's raw text (whitespace aside)."""
    counts: Counter[str] = Counter()
    mismatches = []
    for path, records in pdf_records.items():
        with pdfplumber.open(path) as pdf:
            for r in records:
                if r.method not in ("grid", "positions"):
                    continue  # a picture of a table on a text page: its text is no text of the page
                assert r.page is not None
                got = pdf.pages[r.page - 1].crop(_box(r)).extract_text()
                counts[r.method] += 1
                if _squeezed(got) != _squeezed(r.raw):
                    mismatches.append((path.name, r.table, r.row, r.column, r.raw, got))
    assert mismatches == []
    # Every synthetic report (26) and the other born-digital PDFs: both ways of reading are checked.
    assert counts["grid"] >= 5000, counts
    assert counts["positions"] >= 390, counts


def test_pdf_heading_box_holds_the_heading(pdf_records: dict[Path, list[Record]]) -> None:
    """The box of every section heading of the born-digital PDFs holds the heading as printed."""
    boxed = 0
    mismatches = []
    for path in pdf_records:
        with pdfplumber.open(path) as pdf:
            for s in _parsed(path).sections:
                box = (s.heading_x0, s.heading_top, s.heading_x1, s.heading_bottom)
                if s.section == "preamble" or None in box:
                    assert s.heading_x0 is None
                    continue
                assert s.page_start is not None
                got = pdf.pages[s.page_start - 1].crop(cast(tuple[float, float, float, float], box)).extract_text()
                boxed += 1
                if _squeezed(got) != _squeezed(s.heading):
                    mismatches.append((path.name, s.section, s.heading, got))
    assert mismatches == []
    assert boxed >= 6 * 28, boxed


def test_scanned_box_lies_where_the_cell_is_printed(pdf_records: dict[Path, list[Record]]) -> None:
    """A scan of a synthetic report (turned by up to 0.8°, dust): every record read by OCR has a box on
    its page, and the centre of the same cell's box in the born-digital original lies inside it.
    Records of one table are ordered by row and column, as their boxes are on the page."""
    scan = _parsed(FORMATS / "county-qingyu-2019-t2019-scan.pdf").records
    original = {(r.table, r.row, r.column): r for r in pdf_records[SYNTHETIC / "county-qingyu-2019-t2019.pdf"]}
    with pdfplumber.open(FORMATS / "county-qingyu-2019-t2019-scan.pdf") as pdf:
        sizes = [(p.width, p.height) for p in pdf.pages]
    assert len(scan) >= 150  # of 198 printed (how many OCR reads is the scan reader's tests' business)
    for r in scan:
        assert r.method == "ocr"
        assert r.page is not None
        x0, top, x1, bottom = _box(r)
        width, height = sizes[r.page - 1]
        assert 0 <= x0 < x1 <= width, r
        assert 0 <= top < bottom <= height, r
        twin = original[(r.table, r.row, r.column)]
        assert r.page == twin.page
        tx0, ttop, tx1, tbottom = _box(twin)
        assert x0 <= (tx0 + tx1) / 2 <= x1, (r, twin)
        assert top <= (ttop + tbottom) / 2 <= bottom, (r, twin)
        # The box is the ruled cell, mapped back through the straightening: within a few points.
        assert max(abs(x0 - tx0), abs(top - ttop), abs(x1 - tx1), abs(bottom - tbottom)) < 8, (r, twin)


@pytest.mark.parametrize("angle", [0.0, 2.0, -1.5])
@pytest.mark.parametrize("quarter", [None, "clockwise", "counterclockwise"])
def test_ocr_frame_maps_prepared_pixels_back_to_the_page(angle: float, quarter: str | None) -> None:
    """A mark drawn on a page picture, turned a quarter (a page lying sideways), resampled and
    straightened as the OCR reader does: its box in the prepared picture maps back onto the mark
    on the page, in points (the turn only widens the box by the slope of its sides)."""
    import cv2
    import numpy as np

    from parsers import raster
    from parsers.ocr import Placement, _Frame

    page = np.full((1000, 800), 255, np.uint8)
    page[100:120, 600:700] = 0  # pixels x 600…700, y 100…120
    code = {"clockwise": cv2.ROTATE_90_CLOCKWISE, "counterclockwise": cv2.ROTATE_90_COUNTERCLOCKWISE}.get(quarter or "")
    turned = page if code is None else cv2.rotate(page, code)
    resampled = raster.resample(turned, 300.0)  # scanned at 300 dpi, read at 150
    prepared = raster.turn(resampled, angle) if angle else resampled
    ys, xs = np.nonzero(prepared < 128)
    frame = _Frame(800, 1000, Placement(0.5, 10.0, 20.0), code)
    box = frame.box(raster.Prepared(prepared, prepared, angle), (xs.min(), ys.min(), xs.max() + 1, ys.max() + 1))
    slack = 2 + 0.5 * 100 * abs(np.sin(np.radians(angle))) * 2  # points: the resampling, the turned sides
    assert abs(box.x0 - (10 + 300)) <= slack
    assert abs(box.x1 - (10 + 350)) <= slack
    assert abs(box.top - (20 + 50)) <= slack
    assert abs(box.bottom - (20 + 60)) <= slack


# --- HTML and Word: the file's own tables -------------------------------------------------------


def _html_text(path: Path) -> str:
    data = path.read_bytes()
    if path.suffix == ".mht":
        message = email.message_from_bytes(data, policy=email.policy.compat32)
        part = next(p for p in message.walk() if p.get_content_type() == "text/html")
        data = part.get_payload(decode=True)
    return decode_html(data)[0]


def _html_grids(path: Path) -> list[dict[tuple[int, int], str]]:
    """Return every <table> of the page in file order as {(row, col): text of the cell starting there},
    rowspan and colspan laid out as a browser lays them out."""
    root = lxml.html.fromstring(_html_text(path))
    grids = []
    for table in root.iter("table"):
        grid: dict[tuple[int, int], str] = {}
        busy: set[tuple[int, int]] = set()
        rows = [tr for tr in table.iter("tr") if next(tr.iterancestors("table")) is table]
        for r, tr in enumerate(rows):
            c = 0
            for td in (e for e in tr if e.tag in ("td", "th")):
                while (r, c) in busy:
                    c += 1
                colspan, rowspan = int(td.get("colspan") or 1), int(td.get("rowspan") or 1)
                nested = "".join("".join(t.itertext()) for t in td.iter("table"))
                grid[(r, c)] = _squeezed("".join(td.itertext())).replace(_squeezed(nested), "", 1)
                busy.update((r + i, c + j) for i in range(rowspan) for j in range(colspan))
                c += colspan
        grids.append(grid)
    return grids


def _docx_grids(path: Path) -> list[dict[tuple[int, int], str]]:
    """Return every w:tbl of the body in file order as {(row, col): text of the w:tc starting there},
    with w:gridBefore and w:gridSpan laid out (a vertically merged cell starts at its first row)."""
    from docx import Document as open_docx

    body = open_docx(str(path)).element.body
    grids = []
    for tbl in body.iter(qn("w:tbl")):
        grid: dict[tuple[int, int], str] = {}
        for r, tr in enumerate(tbl.findall(qn("w:tr"))):
            before = tr.find(f"{qn('w:trPr')}/{qn('w:gridBefore')}")
            c = int(before.get(qn("w:val"))) if before is not None else 0
            for tc in tr.findall(qn("w:tc")):
                span = tc.find(f"{qn('w:tcPr')}/{qn('w:gridSpan')}")
                grid[(r, c)] = _squeezed("".join(_own_text(tc)))
                c += int(span.get(qn("w:val"))) if span is not None else 1
        grids.append(grid)
    return grids


def _own_text(element: etree._Element) -> Iterator[str]:
    """Yield the w:t texts of a cell, leaving out the tables nested in it."""
    for child in element:
        if child.tag == qn("w:tbl"):
            continue
        if child.tag == qn("w:t"):
            yield child.text or ""
        yield from _own_text(child)


def _markup_files() -> list[Path]:
    files = [*sorted(SYNTHETIC.glob("*.docx")), *sorted(FORMATS.glob("*.html")), *sorted(FORMATS.glob("*.mht"))]
    return files + (sorted([*CORPUS.glob("*.html"), *CORPUS.glob("*.docx")]) if CORPUS.is_dir() else [])


def test_html_and_word_records_name_their_grid_cell() -> None:
    """Every record of every web page and Word file of the evaluation set names the grid cell that
    prints its raw text in the file's own table markup."""
    checked: Counter[str] = Counter()
    misses = []
    for path in _markup_files():
        grids = _docx_grids(path) if path.suffix == ".docx" else _html_grids(path)
        for r in _parsed(path).records:
            if r.method not in ("html", "docx"):
                assert (r.grid_table, r.grid_row, r.grid_col) == (None, None, None)
                continue
            assert None not in (r.grid_table, r.grid_row, r.grid_col), r
            assert r.x0 is None  # no page geometry in markup
            printed = grids[cast(int, r.grid_table)].get((cast(int, r.grid_row), cast(int, r.grid_col)))
            checked[r.method] += 1
            if printed != _squeezed(r.raw):
                misses.append((path.name, r.table, r.row, r.column, r.raw, printed))
    assert misses == []
    assert checked["docx"] >= 5000, checked
    assert checked["html"] >= 400, checked
