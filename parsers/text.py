"""Plain-text reader: a text dump of a report (UTF-8 or GB18030) → Document of lines and tables.

Tables flattened to lines stay lines here and are recovered later from their labels and numbers
(pipeline.tables.textual). Tables that other conversion tools keep as markup become real tables:

- Markdown pipe tables (``| 自然人 | 705 | … |``, with or without ``|---|`` separator rows, leading
  and trailing pipes optional when a separator row is there): one `TableBlock` per run of rows,
  ``method = "text"``. Cells are placed one per column as printed; a merged cell repeated in every
  position it covers (as some converters write it) is joined into one cell with a span when its
  text is a label, never when it is a number (two equal figures side by side stay two cells).
  ``<br>`` inside a cell is a line break; ``\\|`` is a literal pipe.
- Tables laid out in columns under a line of dash runs (``-------- ------ ----``), as pandoc writes
  its simple and multiline tables (Markdown and plain text): a cell is the text under its dash run,
  counted in display columns (a CJK character is two), a multiline row's lines joined; merged cells
  come out blank after their text and are joined as in pipe tables, ``method = "text"``.
- HTML ``<table>`` markup inside the text (pandoc's GitHub Markdown keeps tables with merged cells
  that way): read by the HTML reader's table builder, ``method = "html"``.

Markdown headings (``## 一、总体情况``) and lines in bold (``**一、总体情况**``) lose their marks and
keep what they said as `heading_level` / `bold`. A form feed starts a new page.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator
from pathlib import Path
from unicodedata import east_asian_width

from pipeline.errors import UnreadableDocument
from pipeline.model import Block, Cell, Document, Table, TableBlock, TextBlock
from pipeline.textnorm import clean_cell, looks_numeric

_ENCODINGS = ("utf-8-sig", "gb18030")
_TABLE_TAG = re.compile(r"<(/?)table\b[^>]*>", re.I)
_SEPARATOR_CELL = re.compile(r"^\s*:?-{2,}:?\s*$")
_CELL_SPLIT = re.compile(r"(?<!\\)\|")
_BREAK = re.compile(r"<br\s*/?>", re.I)
_MD_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|<>])")
_MD_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_MD_BOLD = re.compile(r"^(\*\*|__)(.+)\1$")
_BORDER = re.compile(r"^\s*-{3,}\s*$")  # the top or bottom line of a multiline table
_RUN_ON = 600  # characters: a line longer than any paragraph of a report is a page run into one line
# After a full stop, and before an outline number glued to the figures of a flattened table ("…0000000四、").
_SENTENCE_END = re.compile(r"(?<=。)|(?<=\d)(?=[一二三四五六七八九十]、)")
_DASH_RUNS = re.compile(r"^\s*-{2,}(?:\s+-{2,})+\s*$")  # the column line: a run of dashes per column


def decode(data: bytes) -> str:
    """Return the text of `data`, trying UTF-8 (with or without BOM) and then GB18030."""
    if b"\x00" in data[:4096]:
        raise UnreadableDocument("binary data, not a text file")
    for encoding in _ENCODINGS:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise UnreadableDocument("text is neither UTF-8 nor GB18030")


def read_text(path: str | Path) -> Document:
    """Return the Document of a text file: text lines and tables, pages split at form feeds."""
    path = Path(path)
    text = decode(path.read_bytes())
    if not text.strip():
        raise UnreadableDocument("empty text file")
    blocks: list[Block] = []
    pages = text.split("\f")
    for number, page in enumerate(pages, start=1):
        blocks.extend(text_blocks(page, number if len(pages) > 1 else None, str(path)))
    n_pages = len(pages) if len(pages) > 1 else None
    return Document(source_path=str(path), format="txt", blocks=tuple(blocks), pages=n_pages)


def text_blocks(text: str, page: int | None = None, source_path: str = "") -> list[Block]:
    """Return the blocks of one page of a text dump: HTML tables, pipe tables and lines, in order."""
    blocks: list[Block] = []
    for kind, piece in _split_html_tables(text):
        if kind == "html":
            blocks.extend(_html_tables(piece, page, source_path))
        else:
            blocks.extend(_line_blocks(piece.splitlines(), page))
    return blocks


# --- HTML tables -------------------------------------------------------------------------------


def _split_html_tables(text: str) -> Iterator[tuple[str, str]]:
    """Yield ("text", …) and ("html", "<table>…</table>") pieces; nested tables stay in their outer one."""
    depth, start, last = 0, 0, 0
    for match in _TABLE_TAG.finditer(text):
        if match.group(1):  # </table>
            if depth == 0:
                continue  # a stray end tag is text
            depth -= 1
            if depth == 0:
                yield "text", text[last:start]
                yield "html", text[start:match.end()]
                last = match.end()
        else:
            if depth == 0:
                start = match.start()
            depth += 1
    yield "text", text[last:]  # an unclosed <table> stays text


def _html_tables(markup: str, page: int | None, source_path: str) -> list[Block]:
    from parsers.html import html_document  # the HTML reader's table builder, imported when needed

    document = html_document(markup, source_path, "txt", [])
    out: list[Block] = []
    for block in document.blocks:
        if isinstance(block, TableBlock):
            table = block.table
            cells = tuple(_on_page(c, page) for c in table.cells)
            out.append(TableBlock(Table(cells, table.n_rows, table.n_cols, page, table.method)))
        else:
            out.append(TextBlock(block.text, page, block.bold, block.heading_level))
    return out


def _on_page(cell: Cell, page: int | None) -> Cell:
    return Cell(cell.raw, cell.text, cell.row, cell.col, cell.row_span, cell.col_span, page)


# --- lines and pipe tables ---------------------------------------------------------------------


def _line_blocks(lines: list[str], page: int | None) -> list[Block]:
    blocks: list[Block] = []
    i = 0
    while i < len(lines):
        end, rows = _dash_table(lines, i)
        if end > i:
            table = pipe_table(rows, page)
            if table is not None:
                blocks.append(TableBlock(table))
            i = end
            continue
        end = _pipe_table_end(lines, i)
        if end > i:
            table = pipe_table([_cells_of(line) for line in lines[i:end] if not _is_separator(line)], page)
            if table is not None:
                blocks.append(TableBlock(table))
            i = end
            continue
        if lines[i].strip():
            blocks.extend(_text_line(sentence, page) for sentence in _sentences(lines[i]))
        i += 1
    return blocks


def _sentences(line: str) -> list[str]:
    """Return a line as it stands, or cut after each 。 when it runs on for a whole page.

    A crawler that strips a web page's tags leaves the report as one or a few lines of thousands of
    characters, headings run into the sentence or the table before them ("…12月31日。一、总体情况 2024年，…",
    "…0000000四、政府信息公开行政复议…"); cut there, a heading starts a line again. Lines of ordinary
    length are kept whole.
    """
    if len(line) <= _RUN_ON:
        return [line]
    return [part for part in _SENTENCE_END.split(line) if part.strip()]


def _pipe_table_end(lines: list[str], i: int) -> int:
    """Return one past the last line of the pipe table starting at line i (i when none starts there)."""
    end = i
    while end < len(lines) and "|" in lines[end] and lines[end].strip():
        end += 1
    rows = lines[i:end]
    if not rows:
        return i
    framed = all(line.strip().startswith("|") for line in rows) and len(rows) >= 2
    # Without leading pipes, only a separator row tells a table from prose that holds a "|".
    if framed or any(_is_separator(line) for line in rows[:3]):
        return end
    return i


def _dash_table(lines: list[str], i: int) -> tuple[int, list[list[str]]]:
    """Return (one past its last line, rows) of a dash-line table starting at line i, or (i, [])."""
    if _BORDER.match(lines[i]):  # a multiline table: border, header lines, dash runs, rows, border
        runs = next((j for j in range(i + 1, min(i + 8, len(lines))) if _DASH_RUNS.match(lines[j])), None)
        if runs is None or not all(lines[k].strip() for k in range(i + 1, runs)):
            return i, []
        end = next((k for k in range(runs + 1, len(lines)) if _BORDER.match(lines[k])), None)
        if end is None:
            return i, []
        starts = _run_starts(lines[runs])
        groups = [lines[i + 1:runs], *_blank_separated(lines[runs + 1:end])]
        return end + 1, [_joined_row(group, starts) for group in groups if group]
    if i + 1 < len(lines) and lines[i].strip() and _DASH_RUNS.match(lines[i + 1]):  # a simple table
        starts = _run_starts(lines[i + 1])
        end = next((k for k in range(i + 2, len(lines)) if not lines[k].strip()), len(lines))
        return end, [_sliced(line, starts) for line in [lines[i], *lines[i + 2:end]]]
    return i, []


def _run_starts(line: str) -> list[int]:
    return [m.start() for m in re.finditer(r"-+", line)]


def _blank_separated(lines: list[str]) -> list[list[str]]:
    groups: list[list[str]] = [[]]
    for line in lines:
        if line.strip():
            groups[-1].append(line)
        elif groups[-1]:
            groups.append([])
    return groups


def _joined_row(lines: list[str], starts: list[int]) -> list[str]:
    """Return the cells of a row printed over several lines: each column's pieces joined."""
    pieces = [_sliced(line, starts) for line in lines]
    return ["".join(p[c] for p in pieces).strip() for c in range(len(starts))]


def _sliced(line: str, starts: list[int]) -> list[str]:
    """Return the text of a line under each dash run, by display column (wide characters count two)."""
    cells = [""] * len(starts)
    x = 0
    for ch in line:
        column = max(0, bisect_right(starts, x) - 1)
        cells[column] += ch
        x += 2 if east_asian_width(ch) in ("W", "F") else 1
    return [cell.strip() for cell in cells]


def _is_separator(line: str) -> bool:
    cells = _cells_of(line)
    return bool(cells) and all(_SEPARATOR_CELL.match(c) for c in cells)


def _cells_of(line: str) -> list[str]:
    """Return the cells of a pipe-table row, outer pipes removed, escapes and <br> resolved."""
    inner = line.strip()
    if inner.startswith("|"):
        inner = inner[1:]
    if inner.endswith("|") and not inner.endswith("\\|"):
        inner = inner[:-1]
    return [_BREAK.sub("\n", _MD_ESCAPE.sub(r"\1", part)).strip() for part in _CELL_SPLIT.split(inner)]


def pipe_table(rows: list[list[str]], page: int | None = None) -> Table | None:
    """Return the Table of pipe-table rows, with the merged cells that the rows imply as spans.

    A merge is written by converters either as its label repeated in every position it covers, or as
    the label once with blank positions after it. Repeated labels are joined; a blank position joins
    the label to its left in a header row or a row's label columns, or the label above when that
    label starts in its column (总计 over two header rows, 三、本年度办理结果 down the outcome rows).
    Numbers are never joined, and a blank among a row's figures stays a blank cell. A row with fewer
    cells than the table (a converter that drops the positions a label above covers) is placed by
    `_placed`, or left as printed when no placement fits.
    """
    printed = [row for row in rows if any(text.strip() for text in row)]
    if not printed:
        return None
    n_cols = max(len(row) for row in printed)
    figure_columns = {c for row in printed if len(row) == n_cols for c, t in enumerate(row) if _is_figure(t)}
    first_data = next((r for r, row in enumerate(printed) if any(_is_figure(t) for t in row)), len(printed))
    owner: dict[tuple[int, int], _Draft] = {}
    drafts: list[_Draft] = []
    placed_rows: list[list[str | None]] = []
    for r, printed_row in enumerate(printed):
        row: list[str | None] = list(printed_row)
        if r > 0 and len(row) < n_cols:
            row = _placed(printed_row, r, owner, n_cols, figure_columns)
        placed_rows.append(row)
        figures = [c for c, t in enumerate(row) if t is not None and _is_figure(t)]
        label_columns = len(row) if r < first_data else (figures[0] if figures else len(row))
        for c, text in enumerate(row):
            if (r, c) in owner:
                continue
            draft: _Draft | None
            if text is None:  # a position the label above covers
                draft = owner[(r - 1, c)]
            else:
                draft = _continued(owner, placed_rows, r, c, text, label_columns, r < first_data)
            if draft is None:
                draft = _Draft(text or "", r, c)
                drafts.append(draft)
            owner[(r, c)] = draft
            draft.cover(r, c)
    cells = tuple(Cell(d.text, clean_cell(d.text), d.row, d.col, d.bottom - d.row + 1, d.right - d.col + 1, page)
                  for d in drafts)
    return Table(cells, len(printed), n_cols, page, method="text")


def _placed(row: list[str], r: int, owner: dict[tuple[int, int], _Draft], n_cols: int,
            figure_columns: set[int]) -> list[str | None]:
    """Return a short row spread over the table's columns, None where a label above runs on into it.

    From the left, a label above that starts in the column runs on when the row is short by at least
    its width (三、本年度办理结果, 自然人). In a row of figures the placement must put every figure in a
    column where the full rows print figures and every label where they print none; otherwise the row
    stays as printed.
    """
    missing = n_cols - len(row)
    out: list[str | None] = []
    rest = list(row)
    c = 0
    while c < n_cols and (rest or missing):
        above = owner.get((r - 1, c))
        width = above.right - c + 1 if above is not None else 0
        if above is not None and above.col == c and 0 < width <= missing and above.text.strip() \
                and not _is_figure(above.text):
            out.extend([None] * width)
            missing -= width
            c += width
            continue
        if not rest:
            break
        out.append(rest.pop(0))
        c += 1
    data_row = any(_is_figure(t) for t in row)  # a header row's labels stand over the figure columns
    fits = not rest and missing == 0 and (not data_row or all(
        (c in figure_columns) == _is_figure(t) for c, t in enumerate(out) if t is not None and t.strip()))
    return out if fits else list(row)


class _Draft:
    """A cell being built: its text, top-left position and the bottom-right position it reaches."""

    def __init__(self, text: str, row: int, col: int) -> None:
        self.text, self.row, self.col, self.bottom, self.right = text, row, col, row, col

    def cover(self, row: int, col: int) -> None:
        self.bottom, self.right = max(self.bottom, row), max(self.right, col)


def _is_figure(text: str | None) -> bool:
    return bool(text and text.strip()) and looks_numeric(text)


def _continued(owner: dict[tuple[int, int], _Draft], rows: list[list[str | None]], r: int, c: int, text: str,
               label_columns: int, header: bool) -> _Draft | None:
    """Return the merged cell that position (r, c) continues, or None when a new cell starts there."""
    left, above = owner.get((r, c - 1)), owner.get((r - 1, c))
    if text.strip():
        if _is_figure(text):
            return None
        if left is not None and left.text == text and left.bottom == r:
            return left  # a label repeated across the columns it spans
        if above is not None and above.text == text and above.col == c and _same_row_span(above, rows[r], c):
            return above  # and down the rows it spans
        return None
    if c >= label_columns:
        return None  # a blank among the figures is a blank cell
    left_label = left if left is not None and left.text.strip() and left.bottom == r else None
    down = above if above is not None and above.col == c and above.text.strip() and _blank_under(
        above, rows[r], c) else None
    # In a data row a label's own blanks follow it (（七）总计 over two label columns); in the header,
    # and under a group label, the blank continues the label above (总计 over two header rows).
    if header or (left_label is not None and left_label.row != r):
        return down or left_label
    return left_label or down


def _same_row_span(above: _Draft, row: list[str | None], c: int) -> bool:
    """True when the row repeats the label above over all of its columns."""
    return all(k < len(row) and row[k] == above.text for k in range(c, above.right + 1))


def _blank_under(above: _Draft, row: list[str | None], c: int) -> bool:
    """True when the row is blank under every column of the label above."""
    return all(k >= len(row) or not (row[k] or "").strip() for k in range(c, above.right + 1))


def _text_line(line: str, page: int | None) -> TextBlock:
    """Return a line as a TextBlock; a Markdown heading or bold line loses its marks."""
    text = line.rstrip()
    heading = _MD_HEADING.match(text.strip())
    if heading:
        inner = heading.group(2)
        bold = _MD_BOLD.match(inner)  # pandoc writes a bold heading paragraph as "# **一、总体情况**"
        return TextBlock(_MD_ESCAPE.sub(r"\1", bold.group(2) if bold else inner), page,
                         bold=bold is not None, heading_level=len(heading.group(1)))
    bold = _MD_BOLD.match(text.strip())
    if bold:
        return TextBlock(_MD_ESCAPE.sub(r"\1", bold.group(2)), page, bold=True)
    return TextBlock(text, page)
