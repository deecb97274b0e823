"""PDF reader: pdfium and pdfplumber → canonical Document.

Owns everything that is special about PDF: faux-bold duplicate characters, invisible
background rectangles that look like ruling lines, running page numbers, the geometry of
ruled tables (merged cells become spans); tables that continue over a page break are joined
by parsers.page_breaks.
Two page kinds are handed to their own modules: a page without a text layer is read by OCR
(parsers.ocr), and a page without a ruled table is searched for a table printed without rules
(parsers.pdf_borderless). It never decides what a block means; segmentation and table
recognition do that later.
"""

from __future__ import annotations

import bisect
import contextlib
import re
from collections.abc import Iterable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import pdfplumber
import pypdfium2 as pdfium
from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
from pdfminer.pdfparser import PDFSyntaxError
from pdfminer.psparser import PSException

from parsers import pdf_borderless, pdfium_page, pictures, searchable, tablefinder
from parsers.chartext import chars_text
from parsers.furniture import drop_running_lines
from parsers.overprint import Overprints
from parsers.page_breaks import PageBlocks, join_continued_tables, nearest, page_blocks, snap
from parsers.pagenumbers import is_running_page_number as _is_running_page_number
from pipeline.errors import UnreadableDocument
from pipeline.model import Block, Box, Cell, Document, Table, TableBlock, TextBlock
from pipeline.textnorm import clean_cell, looks_numeric, squeeze

_SNAP = 2.0  # points: boundaries closer than this are the same grid line
_OVERFLOW_GAP = 0.6  # sizes between two lines of text run out of a cell
_OVERFLOW_PAGE_SHARE = 0.75  # a label runs out of a table only where the page ends: below this share of its height
BBox = tuple[float, float, float, float]
_TRAILING_FIGURE = re.compile(r"\d[\d,，.]*$")  # the figure ending a line of text


def read_pdf(path: str | Path) -> Document:
    """Return the Document of a PDF: text lines and ruled tables in reading order, with pages."""
    path = Path(path)
    try:
        fast = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as exc:
        if "password" in str(exc).lower():
            raise UnreadableDocument("encrypted PDF (a password is needed to read it)") from exc
        raise UnreadableDocument(f"not a readable PDF ({exc})") from exc
    slow = _Plumber(path)
    try:
        pages: list[PageBlocks] = []
        read: dict[int, pdfium_page.PageData] = {}
        kept: dict[int, pdfium_page.PageData] = {}
        searched: dict[int, pdf_borderless.PageLines] = {}  # the lines of the pages searched for rule-less tables
        for number in range(1, len(fast) + 1):
            pages.append(_read_number(fast, slow, number, read, searched))
            _keep_for_headers(pages, read, kept, searched)
        n_pages = len(fast)
        _carry_headers(fast, pages, kept, searched)
    except UnreadableDocument:
        raise
    except Exception as exc:  # pdfminer raises many unrelated types on broken files
        raise UnreadableDocument(f"damaged PDF ({exc.__class__.__name__}: {exc})") from exc
    finally:
        fast.close()
        slow.close()
    blocks = drop_running_lines(join_continued_tables(pages))
    warnings = tuple(w for page in pages for w in page.warnings)
    return Document(source_path=str(path), format="pdf", blocks=tuple(blocks), pages=n_pages, warnings=warnings)


def _read_number(fast: Any, slow: _Plumber, number: int, read: dict[int, pdfium_page.PageData] | None = None,
                 searched: dict[int, pdf_borderless.PageLines] | None = None) -> PageBlocks:
    """Read page `number`: by OCR when it has no text layer but a picture, else from its text.

    The text route reads pdfium's characters and rules, or pdfplumber's where pdfium cannot
    describe the page; both feed the same table finder (pdfplumber's, on edge dicts) and the same
    cell and line building; pdfium does the glyph and path work in C, several times faster.
    """
    page = fast[number - 1]
    textpage = None
    # Closed here rather than by their finalizers: pdfium's memory for the page is given back
    # at once, in the thread that read it.
    try:
        with contextlib.suppress(pdfium.PdfiumError):  # the pdfplumber route reports what is wrong
            textpage = page.get_textpage()
        objects = pdfium_page.page_objects(page)  # listed once for the three looks below
        # A page without text, or whose text is hidden behind or under its picture, is a scan.
        if textpage is not None and (textpage.count_chars() == 0 or searchable.hidden_layer(page, objects)):
            scanned = _read_scan(page, textpage, number, objects)
            if isinstance(scanned, searchable.LayerPage):  # its layer agrees with its picture
                return searchable.mark_positions(_read_pdfium_page(scanned.data, number), scanned.note, scanned.turn)
            if scanned is not None:
                return scanned
        data = pdfium_page.read_page(page, textpage, objects) if textpage is not None else None
        if data is not None:
            texts = [ch["text"] for ch in data.chars]
        else:  # (pdfium's text where it cannot place the characters: pdfplumber's would be "(cid:5)" and the like)
            texts = list(textpage.get_text_range()) if textpage is not None else []
        garbage = searchable.garbled(texts)
        if garbage is not None:  # fonts embedded without a map to Unicode: the page is read as drawn
            from parsers import ocr

            return ocr.read_drawn_page(page, number, f"its text cannot be read as characters ({garbage})")
        # Pictures of tables among the text are read by OCR, in their place on the page (placed in page
        # space: a page read in a frame of its own keeps its pictures unread, as pdfplumber's reading did).
        pictured = pictures.pdf_pictures(page, number, objects.images) if data is not None and data.frame is None \
            else []
    finally:
        if textpage is not None:
            textpage.close()
        page.close()
    if data is not None and pictured:
        return pictures.with_pictures(data, number, pictured, _read_pdfium_page)
    if data is not None:
        if read is not None:
            read[number - 1] = data  # the page as _page_data would read it again
        return _shown(_read_pdfium_page(data, number, searched), data.frame, number)
    return _read_page(slow.page(number), number)


def _shown(blocks: PageBlocks, frame: pdfium_page.Frame | None, number: int) -> PageBlocks:
    """Return a page's blocks with their boxes where they lie on the page as shown, when its text was read
    turned upright (`Frame.turn`), and a note saying so; the blocks as they are otherwise."""
    if frame is None or frame.turn == 0:
        return blocks
    blocks.blocks[:] = [_shown_block(block, frame) for block in blocks.blocks]
    turned = {1: "turned 90° counter-clockwise", 2: "upside down", 3: "turned 90° clockwise"}[frame.turn]
    blocks.warnings.append(f"page {number} prints its text {turned} as shown; read turned upright")
    return blocks


def _shown_block(block: Block, frame: pdfium_page.Frame | None) -> Block:
    """Return a block read on a page turned upright (`_shown`) with its boxes where they are shown."""
    if frame is None or frame.turn == 0:
        return block

    def shown(box: Box | None) -> Box | None:
        return None if box is None else Box(*frame.shown_box(box.x0, box.top, box.x1, box.bottom))

    if isinstance(block, TableBlock):
        return TableBlock(replace(block.table, cells=tuple(replace(c, box=shown(c.box)) for c in block.table.cells)))
    return replace(block, box=shown(block.box))


def _keep_for_headers(pages: list[PageBlocks], read: dict[int, pdfium_page.PageData],
                      kept: dict[int, pdfium_page.PageData],
                      searched: dict[int, pdf_borderless.PageLines] | None = None) -> None:
    """Keep the pdfium data of the last two pages read when `_carry_headers` will look at them again
    (a rule-less table opening the last page after text), so that they are not read twice, with their
    lines when the search for rule-less tables read them (`searched`); the data of every other page is
    let go at once."""
    last = len(pages) - 1
    if last >= 1 and _may_carry(pages[last - 1], pages[last]):
        for index in (last - 1, last):
            if index in read:
                kept[index] = read[index]
    for index in [i for i in read if i < last]:
        del read[index]
    if searched is not None:
        for index in [i for i in searched if i < last and i not in kept]:
            del searched[index]


def _may_carry(before: PageBlocks, page: PageBlocks) -> bool:
    """Return True when `page` opens with a rule-less table, or with a line of text ending in a figure
    (a table's one row, its figure too far from any other to be read as a table alone), and the page
    `before` ends with text."""
    first = page.blocks[0] if page.blocks else None
    opens = (isinstance(first, TableBlock) and first.table.method == "positions") or (
        isinstance(first, TextBlock) and _ends_in_figure(first.text))
    return opens and bool(before.blocks) and isinstance(before.blocks[-1], TextBlock)


def _ends_in_figure(text: str) -> bool:
    """Return True for a line whose last word is a figure ("行政事业性收费80,090.76")."""
    found = _TRAILING_FIGURE.search(squeeze(text))
    return found is not None and looks_numeric(found.group())


def _carry_headers(fast: Any, pages: list[PageBlocks], kept: dict[int, pdfium_page.PageData] | None = None,
                   searched: dict[int, pdf_borderless.PageLines] | None = None) -> None:
    """Give a rule-less table at the top of a page the header left at the foot of the page before.

    A table printed without rules can start so low on a page that only its headings fit there;
    its rows follow on the next page. Those heading lines (read as text on their page) become the
    first rows of the table, which is then read with its columns named.
    """
    for index in range(len(pages) - 1):
        before, page = pages[index], pages[index + 1]
        if not _may_carry(before, page):
            continue
        known = kept or {}
        above = known[index] if index in known else _page_data(fast, index)
        below = known[index + 1] if index + 1 in known else _page_data(fast, index + 1)
        if above is None or below is None:
            continue
        # (The lines the search read of a page kept, not of one read again.)
        lines = [(searched or {}).get(i) if i in known else None for i in (index, index + 1)]
        first = page.blocks[0]
        if isinstance(first, TextBlock):
            _carry_to_text(before, page, (above, below), index, lines)
            continue
        assert isinstance(first, TableBlock)
        attempt = _with_foot_lines(before, (above, below), index, _figure_size(first.table, below.chars), lines)
        if attempt is None or attempt[2].n_rows <= first.table.n_rows:
            continue  # the lines did not join the table: leave both pages as read
        _, count, table, xs = attempt
        page.blocks[0] = _shown_block(TableBlock(table), below.frame)
        page.xs[0] = xs
        del before.blocks[len(before.blocks) - count:]


def _with_foot_lines(before: PageBlocks, data: tuple[pdfium_page.PageData, pdfium_page.PageData], index: int,
                     size: float, lines: Sequence[pdf_borderless.PageLines | None] = (None, None),
                     ) -> tuple[list[pdf_borderless.Line], int, Table, list[float]] | None:
    """Return the header lines left at the foot of page `index` (from 0), how many text blocks of that
    page they are, and the first rule-less table of the next page read with them carried over; None
    when the page ends with no such lines or the next page then holds no table. `data` are the two
    pages' characters, `lines` their lines when already read, `size` the size of the next page's figures."""
    above, below = data
    height = above.height

    def page_number(line: Any, h: float = height) -> bool:
        return _is_running_page_number(" ".join(f.text for f in line.fragments), line.top, h)

    tail = pdf_borderless.foot_lines(above.chars, size, page_number, lines[0])
    count = _trailing_text_blocks(before, tail)
    if not count:
        return None
    found = pdf_borderless.find_tables([ch for ch in below.chars if ch["text"] != "\n"], index + 2, tail, lines[1])
    if not found:
        return None
    _, table, xs = found[0]
    return tail, count, table, xs


def _carry_to_text(before: PageBlocks, page: PageBlocks, data: tuple[pdfium_page.PageData, pdfium_page.PageData],
                   index: int, lines: Sequence[pdf_borderless.PageLines | None] = (None, None)) -> None:
    """Make one table of a header left at the foot of page `index` (from 0) and the lines of text
    holding figures that open the next page: its rows, read as text there because nothing on that
    page lines up with their figures. The page is changed only when the table takes exactly the
    header's lines and the page's first lines of text."""
    first = page.blocks[0]
    assert isinstance(first, TextBlock)
    attempt = _with_foot_lines(before, data, index, _text_figure_size(first.text, data[1].chars), lines)
    if attempt is None:
        return
    tail, count, table, xs = attempt
    carried = squeeze("".join(f.text for line in tail for f in line.fragments))
    rows = _text_blocks_printing(page.blocks, sorted(squeeze("".join(c.raw for c in table.cells))), carried)
    if not rows:
        return  # the table is not the header and the page's first lines alone: leave both pages as read
    page.blocks[:rows] = [_shown_block(TableBlock(table), data[1].frame)]
    page.xs = {0: xs, **{i - rows + 1: lines for i, lines in page.xs.items()}}
    del before.blocks[len(before.blocks) - count:]


def _text_blocks_printing(blocks: Iterable[Block], wanted: list[str], carried: str = "") -> int:
    """Return how many text blocks, taken in the order given, print with the characters `carried`
    exactly the sorted characters `wanted` (0 when they do not)."""
    found = list(carried)
    for count, block in enumerate(blocks, start=1):
        if not isinstance(block, TextBlock):
            return 0
        found.extend(squeeze(block.text))
        if len(found) >= len(wanted):
            return count if sorted(found) == wanted else 0
    return 0


def _text_figure_size(text: str, chars: Sequence[dict[str, Any]]) -> float:
    """Return the type size of the figure ending a line of text: of the page's digits printed in it."""
    found = _TRAILING_FIGURE.search(squeeze(text))
    return _digit_size(chars, set(found.group()) if found else set())


def _digit_size(chars: Sequence[dict[str, Any]], digits: set[str]) -> float:
    """Return the median type size of the page's characters that are one of `digits` (0 with none)."""
    sizes = sorted(ch["size"] for ch in chars if ch["text"].isdigit() and ch["text"] in digits)
    return sizes[len(sizes) // 2] if sizes else 0.0


def _page_data(fast: Any, index: int) -> pdfium_page.PageData | None:
    """Return pdfium's characters and rules of page `index` (from 0), or None when it cannot describe it."""
    page = fast[index]
    try:
        return pdfium_page.read_page(page)
    finally:
        page.close()


def _figure_size(table: Table, chars: Sequence[dict[str, Any]]) -> float:
    """Return the type size of a table's figures: of the characters of its first numeric cell's text."""
    figures = {squeeze(c.raw) for c in table.cells if c.raw.strip() and looks_numeric(c.raw)}
    return _digit_size(chars, {digit for figure in figures for digit in figure})


def _trailing_text_blocks(page: PageBlocks, tail: Sequence[Any]) -> int:
    """Return how many text blocks end the page and print exactly the characters of the lines `tail`
    (0 when they do not); the text lines follow the file's text order, the tail's lines the baselines."""
    wanted = sorted(squeeze("".join(f.text for line in tail for f in line.fragments)))
    return _text_blocks_printing(reversed(page.blocks), wanted)


def _read_scan(page: Any, textpage: Any, number: int,
               objects: pdfium_page.PageObjects) -> PageBlocks | searchable.LayerPage | None:
    """Read a scanned page: by OCR when it has no text layer (None when it shows nothing to read);
    a searchable page (a picture with an invisible layer) as parsers.searchable decides. A page that
    draws paths but no text and no picture has its text drawn as outlines: it is read as drawn."""
    if textpage.count_chars():
        return searchable.read_page(page, textpage, number)
    from parsers import ocr  # numpy and the OCR engine load only when a scan turns up

    scanned = ocr.read_pdf_page(page, number)
    if scanned is not None or not objects.paths:
        return scanned
    return ocr.read_drawn_page(page, number, "it has no text layer and no picture, its text drawn as outlines")


class _Plumber:
    """pdfplumber's view of the file, opened only when a page needs it."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.pdf: Any = None

    def page(self, number: int) -> Any:
        if self.pdf is None:
            try:
                self.pdf = pdfplumber.open(self.path)
            except (PDFPasswordIncorrect, PDFEncryptionError) as exc:
                raise UnreadableDocument("encrypted PDF (a password is needed to read it)") from exc
            except (PDFSyntaxError, PSException) as exc:
                raise UnreadableDocument(f"not a readable PDF ({exc.__class__.__name__}: {exc})") from exc
        return self.pdf.pages[number - 1]

    def close(self) -> None:
        if self.pdf is not None:
            self.pdf.close()


def _read_pdfium_page(data: pdfium_page.PageData, number: int,
                      searched: dict[int, pdf_borderless.PageLines] | None = None) -> PageBlocks:
    chars = [ch for ch in data.chars if ch["text"] != "\n"]
    tables = tablefinder.find_tables(data, data.edges) if data.edges else []
    placed: list[tuple[float, Block, list[float] | None]] = []
    boxes = []
    for bbox, cells in tables:
        table, xs = _table_from_cells(cells, chars, number)
        table, bbox = _absorb_overflow(table, xs, bbox, chars, data.height)
        boxes.append(bbox)
        placed.extend(_placed_table(table, xs, bbox, number))
    if not tables:
        boxes.extend(_borderless_tables(chars, number, placed, searched))
    for box, line in _lines_outside(data.chars, boxes):
        if line.strip() and not _is_running_page_number(line, box.top, data.height):
            placed.append((box.top, TextBlock(line, page=number, box=box), None))
    return page_blocks(placed)


def _lines_outside(chars: Sequence[dict[str, Any]], boxes: Sequence[Any]) -> list[tuple[Box, str]]:
    """Return (box, text) of the text lines, leaving out characters inside tables; the box holds the
    line's printed characters."""
    lines: list[tuple[Box, str]] = []
    # (Each line sliced out between its breaks, found at once, rather than gathered a character at a time.)
    breaks = [index for index, ch in enumerate(chars) if ch["text"] == "\n"]
    start = 0
    for end in [*breaks, len(chars)]:
        kept = _outside(chars[start:end], boxes)
        start = end + 1
        printed = [c for c in kept if c["text"].strip()]
        if printed:
            box = Box(min([c["x0"] for c in printed]), min([c["top"] for c in printed]),
                      max([c["x1"] for c in printed]), max([c["bottom"] for c in printed]))
            lines.append((box, chars_text(kept)))
    return lines


def _outside(line: Sequence[dict[str, Any]], boxes: Sequence[BBox]) -> Sequence[dict[str, Any]]:
    """Return the characters of a line whose centre lies in none of the boxes."""
    if not line or not boxes:
        return line
    # A centre lies between its character's top and bottom: only boxes across the line's band can hold one.
    low, high = min([c["top"] for c in line]), max([c["bottom"] for c in line])
    near = [b for b in boxes if b[1] <= high and b[3] >= low]
    if len(near) == 1:  # mostly: the one table beside the line (_inside_any's test, written out)
        x0, top, x1, bottom = near[0]
        return [c for c in line if not (x0 <= (c["x0"] + c["x1"]) / 2 <= x1
                                         and top <= (c["top"] + c["bottom"]) / 2 <= bottom)]
    return [c for c in line if not _inside_any(c, near)] if near else line


def _absorb_overflow(table: Table, xs: Sequence[float], bbox: BBox, chars: Sequence[dict[str, Any]],
                     height: float) -> tuple[Table, BBox]:
    """Return the table with the text that runs out of a label cell of its last row, where the page ends.

    A browser that breaks a table across pages lets the text of a row-spanning label run on below
    the table's last rule ("三、本年" / "度办理结" under it, "果" on the next page). Lines right
    below the table, each inside the columns of one label cell of the last row, in the lower part of
    the page, belong to that cell.
    """
    if bbox[3] < _OVERFLOW_PAGE_SHARE * height:
        return table, bbox
    last = {c.col: c for c in table.cells if c.row + c.row_span == table.n_rows}
    if not any(c.raw.strip() and looks_numeric(c.raw) for c in last.values()):
        return table, bbox  # only a label beside figures runs out of its row
    below = sorted((ch for ch in chars if ch["text"].strip() and ch["text"] != "\n" and ch["top"] >= bbox[3] - 1),
                   key=lambda ch: (ch["top"], ch["x0"]))
    inside = sorted(ch["size"] for ch in chars if ch["text"].strip() and ch["text"] != "\n"
                    and bbox[1] <= ch["top"] and ch["bottom"] <= bbox[3])
    if not inside:
        return table, bbox
    table_size = inside[len(inside) // 2]
    extra: dict[int, list[dict[str, Any]]] = {}
    bottom = bbox[3]
    for line in _rows_of(below):
        size = max(ch["size"] for ch in line)
        x0, x1 = min(ch["x0"] for ch in line), max(ch["x1"] for ch in line)
        cell = next((c for c in last.values() if xs[c.col] - 1 <= x0 and x1 <= xs[c.col + c.col_span] + 1), None)
        # The run-out text is the cell's own type, going on at its line pitch (the first line touches
        # the rule); a heading or a note below the table stands apart, mostly in another size.
        gap = _OVERFLOW_GAP * size if extra else 0.0
        if (line[0]["top"] - bottom > gap or abs(size - table_size) > 0.05 * table_size or cell is None
                or (cell.raw.strip() and looks_numeric(cell.raw))
                or _is_running_page_number(chars_text(line), line[0]["top"], height)):
            break
        extra.setdefault(cell.col, []).extend(line)
        bottom = max(ch["bottom"] for ch in line)
    if not extra:
        return table, bbox
    runs = {col: chars_text(found) for col, found in extra.items()}
    cells = tuple(replace(c, raw=c.raw + runs[c.col], text=clean_cell(c.raw + runs[c.col]))
                  if c.col in runs and last.get(c.col) is c else c for c in table.cells)
    return replace(table, cells=cells), (bbox[0], bbox[1], bbox[2], bottom)


def _rows_of(chars: Sequence[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """Group characters sorted by top into lines (tops within half a character)."""
    rows: list[list[dict[str, Any]]] = []
    for ch in chars:
        if rows and abs(ch["top"] - rows[-1][0]["top"]) <= ch["size"] / 2:
            rows[-1].append(ch)
        else:
            rows.append([ch])
    return [sorted(row, key=lambda ch: ch["x0"]) for row in rows]


def _placed_table(
    table: Table, xs: list[float], bbox: Any, number: int
) -> list[tuple[float, Block, list[float] | None]]:
    if not any(cell.raw.strip() for cell in table.cells):
        return []  # empty boxes: the rest of a table's rules left on a page by a browser's page break
    if table.n_cols > 1:
        return [(bbox[1], TableBlock(table), xs)]
    # A one-column "table" is a box drawn around running text, not a statistics table.
    return [(bbox[1] + cell.row / 1000, TextBlock(line, page=number), None)
            for cell in sorted(table.cells, key=lambda c: c.row)
            for line in cell.raw.split("\n") if line.strip()]


def _read_page(page: Any, number: int) -> PageBlocks:
    if _has_overprinted_chars(page.chars):
        page = page.dedupe_chars()  # faux-bold text is drawn twice, slightly offset
    ruled = page.filter(_is_visible_ruling)
    placed: list[tuple[float, Block, list[float] | None]] = []
    boxes: list[tuple[float, float, float, float]] = []
    for bbox, cells in tablefinder.find_tables(ruled, ruled.edges):
        table, xs = _table_from_cells(cells, page.chars, number)
        table, bbox = _absorb_overflow(table, xs, bbox, page.chars, page.height)
        boxes.append(bbox)
        placed.extend(_placed_table(table, xs, bbox, number))
    if not boxes:
        boxes.extend(_borderless_tables(page.chars, number, placed))
    outside = page.filter(lambda obj: obj.get("object_type") != "char" or not _inside_any(obj, boxes))
    for line in outside.extract_text_lines(return_chars=True):
        text = line["text"]
        if _is_running_page_number(text, line["top"], page.height):
            continue
        bold = all("bold" in (ch.get("fontname") or "").lower() for ch in line["chars"] if ch["text"].strip())
        placed.append((line["top"], TextBlock(text, page=number, bold=bold,
                                              box=Box(line["x0"], line["top"], line["x1"], line["bottom"])), None))
    return page_blocks(placed)


def _borderless_tables(chars: Sequence[dict[str, Any]], number: int,
                       placed: list[tuple[float, Block, list[float] | None]],
                       searched: dict[int, pdf_borderless.PageLines] | None = None) -> list[BBox]:
    """Place the tables of a page without ruled ones that are printed in aligned columns; return their boxes.

    The page's lines go into `searched` (by page index from 0) when it is given."""
    lines = pdf_borderless.PageLines(chars)
    if searched is not None:
        searched[number - 1] = lines
    if not lines.may_hold_table():
        return []
    boxes = []
    for bbox, table, xs in pdf_borderless.find_tables(chars, number, read=lines):
        boxes.append(bbox)
        placed.append((bbox[1], TableBlock(table), xs))
    return boxes


def _has_overprinted_chars(chars: Sequence[dict[str, Any]]) -> bool:
    """Return True when some character is drawn twice at (almost) the same place (faux bold).

    A cheap look before pdfplumber's dedupe_chars, which sorts and clusters every character.
    """
    overprints = Overprints()
    return any(ch["text"].strip() and overprints.repeat(ch["text"], ch["x0"], ch["top"]) for ch in chars)


def _is_visible_ruling(obj: dict[str, Any]) -> bool:
    """Keep objects that can be table borders; drop filled background boxes drawn without a stroke."""
    if obj.get("object_type") != "rect":
        return True
    thin = min(obj["width"], obj["height"]) <= 2.0  # a rule drawn as a thin filled rectangle
    return bool(obj.get("stroke")) or thin


def _inside_any(obj: dict[str, Any], boxes: Sequence[tuple[float, float, float, float]]) -> bool:
    cx = (obj["x0"] + obj["x1"]) / 2
    cy = (obj["top"] + obj["bottom"]) / 2
    return any(x0 <= cx <= x1 and top <= cy <= bottom for x0, top, x1, bottom in boxes)


def _table_from_cells(
    bboxes: Sequence[tuple[float, float, float, float]], chars: Sequence[dict[str, Any]], page: int
) -> tuple[Table, list[float]]:
    """Turn pdfplumber's cell rectangles into a Table with spans; return it with its column lines."""
    xs = snap([b[0] for b in bboxes] + [b[2] for b in bboxes], _SNAP)
    ys = snap([b[1] for b in bboxes] + [b[3] for b in bboxes], _SNAP)
    bboxes = list(bboxes) + _uncovered_positions(bboxes, xs, ys)
    texts = [chars_text(bucket) for bucket in _chars_by_cell(bboxes, chars, xs, ys)]
    cells: list[Cell] = []
    taken: set[tuple[int, int]] = set()
    col_of, row_of = _nearest_of(xs, [b[0] for b in bboxes] + [b[2] for b in bboxes]), \
        _nearest_of(ys, [b[1] for b in bboxes] + [b[3] for b in bboxes])
    for bbox, raw in zip(bboxes, texts, strict=True):
        row, col = row_of[bbox[1]], col_of[bbox[0]]
        if (row, col) in taken:  # pdfplumber can report a cell twice when lines overlap
            continue
        taken.add((row, col))
        row_span = max(1, row_of[bbox[3]] - row)
        col_span = max(1, col_of[bbox[2]] - col)
        cells.append(Cell(raw=raw, text=clean_cell(raw), row=row, col=col,
                          row_span=row_span, col_span=col_span, page=page, box=Box(*bbox)))
    table = Table(cells=tuple(cells), n_rows=max(1, len(ys) - 1), n_cols=max(1, len(xs) - 1), page=page)
    return table, xs


def _uncovered_positions(
    bboxes: Sequence[tuple[float, float, float, float]], xs: Sequence[float], ys: Sequence[float]
) -> list[tuple[float, float, float, float]]:
    """Return the grid positions no detected cell covers (a border missing), so no text is lost."""
    covered = set()
    col_of = _nearest_of(xs, [b[0] for b in bboxes] + [b[2] for b in bboxes])
    row_of = _nearest_of(ys, [b[1] for b in bboxes] + [b[3] for b in bboxes])
    for x0, top, x1, bottom in bboxes:
        for r in range(row_of[top], row_of[bottom]):
            for c in range(col_of[x0], col_of[x1]):
                covered.add((r, c))
    return [(xs[c], ys[r], xs[c + 1], ys[r + 1])
            for r in range(len(ys) - 1) for c in range(len(xs) - 1) if (r, c) not in covered]


def _chars_by_cell(
    bboxes: Sequence[tuple[float, float, float, float]], chars: Sequence[dict[str, Any]],
    xs: Sequence[float], ys: Sequence[float],
) -> list[list[dict[str, Any]]]:
    """Return the characters of each cell: those whose centre lies inside it."""
    buckets: list[list[dict[str, Any]]] = [[] for _ in bboxes]
    x_min = min(b[0] for b in bboxes)
    x_max = max(b[2] for b in bboxes)
    y_min = min(b[1] for b in bboxes)
    y_max = max(b[3] for b in bboxes)
    # The cell that covers each grid position (the first one listed, as pdfplumber can list a cell
    # twice): a character finds its cell by two bisections instead of a scan of every cell.
    owner: dict[tuple[int, int], int] = {}
    col_of = _nearest_of(xs, [b[0] for b in bboxes] + [b[2] for b in bboxes])
    row_of = _nearest_of(ys, [b[1] for b in bboxes] + [b[3] for b in bboxes])
    for index, (x0, top, x1, bottom) in enumerate(bboxes):
        row, col = row_of[top], col_of[x0]
        for r in range(row, max(row + 1, row_of[bottom])):
            for c in range(col, max(col + 1, col_of[x1])):
                owner.setdefault((r, c), index)
    right_of, owner_of = bisect.bisect_right, owner.get
    for ch in chars:
        cy = (ch["top"] + ch["bottom"]) / 2
        if not y_min <= cy <= y_max:  # most characters of a page lie above or below the table
            continue
        cx = (ch["x0"] + ch["x1"]) / 2
        if not x_min <= cx <= x_max:
            continue
        i: int | None = owner_of((right_of(ys, cy) - 1, right_of(xs, cx) - 1))
        if i is None or not _holds(bboxes[i], cx, cy):
            # Near a border that snapping moved by a point or two: ask every cell.
            i = next((j for j, bbox in enumerate(bboxes) if _holds(bbox, cx, cy)), None)
        if i is not None:
            buckets[i].append(ch)
    return buckets


def _nearest_of(lines: Sequence[float], values: Sequence[float]) -> dict[float, int]:
    """Return the index of the nearest line (`nearest`) of each value; cells share their few edges."""
    return {value: nearest(lines, value) for value in set(values)}


def _holds(bbox: tuple[float, float, float, float], cx: float, cy: float) -> bool:
    x0, top, x1, bottom = bbox
    return x0 <= cx <= x1 and top <= cy <= bottom
