"""Read a Word .docx file into the canonical document model.

The reader walks the body of ``word/document.xml`` in order (paragraphs, tables, and the content of
block-level content controls) and emits one `TextBlock` per non-empty paragraph and one
`TableBlock` per table. It recognises nothing: which paragraph is a section heading and which
table is which is decided later, format-blind.

Decisions that later stages rely on:

- Merged cells. The table grid is built from the XML (``w:gridSpan``, ``w:vMerge``, the legacy
  ``w:hMerge``, ``w:gridBefore``/``w:gridAfter``), not from python-docx's per-grid-position view,
  so a merged cell appears exactly once in `Table.cells`, with its spans. Grid positions that no
  cell covers (short rows, ``w:gridBefore``) stay empty. ``Table.n_cols`` is the widest row as
  laid out by its cells, because ``w:tblGrid`` is often stale in files written by other tools.
  Text in a vertically merged continuation cell (normally empty) is appended to the merged cell.
- ``Cell.raw`` is the cell's paragraphs joined with "\\n", without the blank lines at its ends
  (Word's mandatory paragraph after a nested table, trailing empty paragraphs); ``Cell.text`` is
  ``clean_cell(raw)``. ``TextBlock.text`` is the paragraph's text as written, line breaks as "\\n".
- Nested tables. A table inside a cell is emitted as its own `TableBlock` right after the outer
  table (depth first, in reading order); its text is not part of the outer cell's ``raw``.
- Text boxes anchored in a body paragraph are read as blocks right after that paragraph; text
  boxes inside table cells are not read.
- Pages. Word files have no fixed pages. When Word saved ``w:lastRenderedPageBreak`` marks, they
  give the page each block started on as last rendered by Word. Without them, explicit page
  breaks (page-break runs, "page break before", new-page section breaks) give a lower bound and
  a warning says so. A file with neither gets ``page=None`` everywhere and ``Document.pages=None``.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import docx
from docx.oxml.ns import qn
from lxml import etree
from PIL import Image

from parsers import pictures
from pipeline.errors import UnreadableDocument
from pipeline.model import Block, Cell, Document, GridRef, Table, TableBlock, TextBlock
from pipeline.textnorm import clean_cell

__all__ = ["read_docx"]

# Leading bytes of an OLE compound file: a password-protected .docx (the OOXML package is
# wrapped in an encrypted OLE container) or a Word 97-2003 .doc renamed to .docx.
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_MC_NS = "http://schemas.openxmlformats.org/markup-compatibility/2006"

_P = qn("w:p")
_TBL = qn("w:tbl")
_TR = qn("w:tr")
_TC = qn("w:tc")
_R = qn("w:r")
_SDT = qn("w:sdt")
_SDT_CONTENT = qn("w:sdtContent")
_CUSTOM_XML = qn("w:customXml")
_TXBX_CONTENT = qn("w:txbxContent")
_LAST_RENDERED = qn("w:lastRenderedPageBreak")
_VAL = qn("w:val")
_TYPE = qn("w:type")
_T = qn("w:t")
_BR = qn("w:br")
_TABS = (qn("w:tab"), qn("w:ptab"))
_PPR = qn("w:pPr")
_CR = qn("w:cr")
_NB_HYPHEN = qn("w:noBreakHyphen")
_BLIP = qn("a:blip")
_EMBED = qn("r:embed")
_IMAGEDATA = "{urn:schemas-microsoft-com:vml}imagedata"
_REL_ID = qn("r:id")
_INLINE, _ANCHOR, _EXTENT = qn("wp:inline"), qn("wp:anchor"), qn("wp:extent")
_EMU_PER_INCH = 914400
_VML_WIDTH = re.compile(r"(?:^|;)\s*width\s*:\s*([0-9.]+)pt", re.IGNORECASE)

# Elements whose subtree never contributes visible paragraph text: properties, deleted or
# moved-away revisions, field instructions, and the fallback copy of alternate content (its
# Choice branch holds the same text, so reading both would double it).
_SKIP_IN_PARAGRAPH = frozenset(
    {
        qn("w:pPr"),
        qn("w:rPr"),
        qn("w:del"),
        qn("w:moveFrom"),
        qn("w:delText"),
        qn("w:instrText"),
        qn("w:fldData"),
        qn("w:sdtPr"),
        f"{{{_MC_NS}}}Fallback",
    }
)
_OFF_VALUES = frozenset({"0", "false", "off", "none"})
_HEADING_NAME = re.compile(r"^(?:heading|标题)\s*([1-9])$", re.IGNORECASE)


def read_docx(path: str | Path) -> Document:
    """Read a .docx file into a `Document` of text and table blocks in body order.

    Raises `UnreadableDocument` when the file is missing, empty, not a zip archive, a truncated
    or corrupt archive, an encrypted or legacy OLE file, or a zip without a Word document.
    """
    path = Path(path)
    word = _open_docx(path)
    reader = _BodyReader(_StyleSheet(word.styles.element), word.element.body, _PictureParts(word.part))
    blocks = tuple(reader.walk(word.element.body))
    warnings: tuple[str, ...] = tuple(reader.warnings)
    if reader.pages.mode == "explicit":
        warnings = ("page numbers count explicit page breaks only (no pages rendered by Word); they are lower bounds",
                    *warnings)
    return Document(
        source_path=str(path),
        format="docx",
        blocks=blocks,
        pages=reader.pages.page,
        warnings=warnings,
    )


# --- opening ---------------------------------------------------------------------------------


def _open_docx(path: Path) -> docx.document.Document:
    """Open `path` with python-docx, turning every way bad bytes can fail into UnreadableDocument."""
    try:
        with path.open("rb") as fh:
            head = fh.read(8)
    except OSError as exc:
        raise UnreadableDocument(f"cannot read {path}: {exc.strerror or exc}") from exc
    if not head:
        raise UnreadableDocument("empty file (0 bytes)")
    if head.startswith(_OLE_MAGIC):
        raise UnreadableDocument(
            "encrypted or legacy OLE file (a password-protected .docx or a Word 97-2003 .doc), not a readable .docx"
        )
    if not zipfile.is_zipfile(path):
        if head.startswith(b"PK"):
            raise UnreadableDocument("truncated or corrupt zip archive (no central directory)")
        raise UnreadableDocument("not a Word .docx file (not a zip archive)")
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise UnreadableDocument(f"corrupt zip archive: {exc}") from exc
    try:
        word = docx.Document(str(path))
    # The bytes are untrusted: python-docx, zipfile, zlib and lxml each raise their own
    # exception types for damaged input, and any of them means the file cannot be read.
    except Exception as exc:
        # The main part is found through the package relationships, so its usual name is only
        # checked to explain a failure (an .xlsx, an .odt or a plain zip has no word/document.xml).
        if "word/document.xml" not in names:
            raise UnreadableDocument("zip archive without word/document.xml (not a Word document)") from exc
        if isinstance(exc, ValueError) and "content type" in str(exc):
            # python-docx reads only .docx; a .docm or .dotx renamed to .docx stops here.
            raise UnreadableDocument(f"not a plain Word .docx document ({exc})") from exc
        raise UnreadableDocument(f"corrupt Word document ({type(exc).__name__}: {exc})") from exc
    if word.element.tag != qn("w:document") or word.element.find(qn("w:body")) is None:
        raise UnreadableDocument("unsupported Word document (no transitional w:body; Strict Open XML?)")
    return word


# --- pictures --------------------------------------------------------------------------------


class _PictureParts:
    """The pictures of the document part, by relationship id; at most pictures.MAX_PICTURES are read."""

    def __init__(self, part: Any) -> None:
        self.part = part
        self.read = 0

    def picture(self, rel_id: str) -> Image.Image | None:
        """Return the picture the relationship names, or None (an external link, not a picture, too many)."""
        if self.read >= pictures.MAX_PICTURES:
            return None
        target = self.part.related_parts.get(rel_id) if rel_id else None
        blob = getattr(target, "blob", None)
        if not isinstance(blob, bytes):
            return None
        self.read += 1
        return pictures.open_picture(blob)


def _shown_inches(blip: etree._Element) -> float | None:
    """Return the width (inches) a DrawingML picture is shown at: the extent of its inline or anchor."""
    for holder in blip.iterancestors(_INLINE, _ANCHOR):
        extent = holder.find(_EXTENT)
        width = _int_or_none(extent.get("cx")) if extent is not None else None
        return width / _EMU_PER_INCH if width else None
    return None


def _vml_inches(imagedata: etree._Element) -> float | None:
    """Return the width (inches) of a VML picture from its shape's style ("width:415.3pt")."""
    shape = imagedata.getparent()
    match = _VML_WIDTH.search(shape.get("style") or "") if shape is not None else None
    return float(match.group(1)) / 72 if match else None


# --- styles ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Style:
    name: str
    based_on: str | None
    bold: bool | None
    outline_level: int | None
    page_break_before: bool | None


class _StyleSheet:
    """The few style properties the reader needs, resolved through ``w:basedOn`` chains."""

    def __init__(self, styles_element: etree._Element) -> None:
        self._styles: dict[str, _Style] = {}
        self.default_paragraph: str | None = None
        for style in styles_element.iter(qn("w:style")):
            style_id = style.get(qn("w:styleId"))
            if not style_id:
                continue
            self._styles[style_id] = _Style(
                name=_child_val(style, "w:name") or "",
                based_on=_child_val(style, "w:basedOn"),
                bold=_toggle(style.find(f"{qn('w:rPr')}/{qn('w:b')}")),
                outline_level=_int_or_none(_child_val(style.find(qn("w:pPr")), "w:outlineLvl")),
                page_break_before=_toggle(style.find(f"{qn('w:pPr')}/{qn('w:pageBreakBefore')}")),
            )
            if style.get(qn("w:type")) == "paragraph" and _is_on(style.get(qn("w:default"))):
                self.default_paragraph = style_id
        self.default_bold = bool(_toggle(styles_element.find(f"{qn('w:docDefaults')}//{qn('w:rPr')}/{qn('w:b')}")))

    def _chain(self, style_id: str | None) -> Iterator[_Style]:
        """Yield the style and the styles it is based on, nearest first (cycles are cut)."""
        seen: set[str] = set()
        while style_id and style_id not in seen and style_id in self._styles:
            seen.add(style_id)
            style = self._styles[style_id]
            yield style
            style_id = style.based_on

    def bold(self, style_id: str | None) -> bool | None:
        """Return the bold setting the style (or a style it is based on) defines, if any."""
        return next((s.bold for s in self._chain(style_id) if s.bold is not None), None)

    def page_break_before(self, style_id: str | None) -> bool:
        """Return True when the paragraph style starts a new page."""
        return bool(
            next((s.page_break_before for s in self._chain(style_id) if s.page_break_before is not None), False)
        )

    def named_heading(self, style_id: str | None) -> int | None:
        """Return N when the style (or one it is based on) is named "Heading N" / "标题 N"."""
        for style in self._chain(style_id):
            match = _HEADING_NAME.match(style.name.strip())
            if match:
                return int(match.group(1))
        return None

    def outline_heading(self, style_id: str | None) -> int | None:
        """Return the style chain's outline level as a 1-based heading level, if it sets one."""
        level = next((s.outline_level for s in self._chain(style_id) if s.outline_level is not None), None)
        return _outline_to_heading(level)


# --- pages -----------------------------------------------------------------------------------


class _PageCounter:
    """The page the walk is on; ``mode`` says which marks count ("rendered", "explicit" or None)."""

    def __init__(self, mode: str | None) -> None:
        self.mode = mode
        self.page: int | None = 1 if mode else None

    def rendered_break(self) -> None:
        """A ``w:lastRenderedPageBreak``: Word started a new page here when it last laid the file out."""
        if self.mode == "rendered" and self.page is not None:
            self.page += 1

    def explicit_break(self) -> None:
        """A page break the author put in; counted only when Word's rendered breaks are absent."""
        if self.mode == "explicit" and self.page is not None:
            self.page += 1


# --- paragraphs ------------------------------------------------------------------------------


@dataclass(slots=True)
class _ParagraphText:
    """What one scan of a ``w:p`` found."""

    parts: list[str] = field(default_factory=list)
    runs: list[tuple[str, bool]] = field(default_factory=list)  # (text, bold) per visible text piece
    text_boxes: list[etree._Element] = field(default_factory=list)
    pictures: list[tuple[str, float | None]] = field(default_factory=list)  # (relationship id, width shown)
    style_id: str | None = None
    start_page: int | None = None
    pending_break: bool = False  # a page/column break asked for a line break before the next text

    @property
    def text(self) -> str:
        return "".join(self.parts)

    @property
    def bold(self) -> bool:
        """True when the paragraph has visible text and every non-blank piece of it is bold."""
        visible = [bold for text, bold in self.runs if text.strip()]
        return bool(visible) and all(visible)


class _BodyReader:
    """Walks block containers (body, cells, text boxes, content controls) in reading order."""

    def __init__(self, styles: _StyleSheet, body: etree._Element, parts: _PictureParts | None = None) -> None:
        self.styles = styles
        self.pages = _PageCounter(self._page_mode(body))
        self.parts = parts
        # A Word file of page pictures (scans pasted in): each picture is read whole, not for a table only.
        self.pages_pictured = parts is not None and pictures.pictured_pages(body.itertext())
        self.warnings: list[str] = []
        self.tables_opened = 0  # tables met so far, in file order (nested ones too): the next one's index

    def _page_mode(self, body: etree._Element) -> str | None:
        """Choose the page source: Word's rendered page breaks when the file has them (they count
        every page, explicit breaks included), else explicit breaks, else no pages at all."""
        if next(body.iter(_LAST_RENDERED), None) is not None:
            return "rendered"
        if any(br.get(_TYPE) == "page" for br in body.iter(_BR)):
            return "explicit"
        if any(self._breaks_before(p) or _breaks_after(p) for p in body.iter(_P)):
            return "explicit"
        return None

    def _breaks_before(self, p: etree._Element) -> bool:
        """True when the paragraph starts a new page ("page break before", direct or from its style)."""
        ppr = p.find(_PPR)
        direct = _toggle(ppr.find(qn("w:pageBreakBefore"))) if ppr is not None else None
        if direct is not None:
            return direct
        return self.styles.page_break_before(_paragraph_style(p) or self.styles.default_paragraph)

    def walk(self, container: etree._Element) -> Iterator[Block]:
        """Yield the blocks of a block container in order."""
        for element in _block_children(container):
            if element.tag == _P:
                yield from self._paragraph_blocks(element)
            else:
                yield from self._table_blocks(element)

    def _paragraph_blocks(self, p: etree._Element) -> Iterator[Block]:
        """Yield the paragraph as a TextBlock (unless empty), then the text boxes anchored in it."""
        scan = self._scan_paragraph(p)
        text = scan.text
        if clean_cell(text):
            yield TextBlock(
                text=text,
                page=scan.start_page,
                bold=scan.bold,
                heading_level=self._heading_level(p, scan.style_id),
            )
        for box in scan.text_boxes:
            yield from self.walk(box)
        yield from self._picture_blocks(scan)

    def _picture_blocks(self, scan: _ParagraphText) -> Iterator[Block]:
        """Yield the blocks of the paragraph's pictures that show a table, read by OCR (parsers.pictures);
        of every picture, in a Word file of page pictures."""
        for rel_id, inches in scan.pictures:
            picture = self.parts.picture(rel_id) if self.parts is not None else None
            if picture is None:
                continue
            blocks, warnings = pictures.read_table_picture(picture, inches, page=scan.start_page,
                                                           whole=self.pages_pictured)
            self.warnings.extend(warnings)
            yield from blocks

    def _scan_paragraph(self, p: etree._Element) -> _ParagraphText:
        """Read a paragraph's visible text, run boldness and page marks, advancing the page counter."""
        style_id = _paragraph_style(p) or self.styles.default_paragraph
        if self._breaks_before(p):
            self.pages.explicit_break()
        scan = _ParagraphText(style_id=style_id)
        self._scan(p, scan, style_id, run=None)
        if scan.start_page is None:
            scan.start_page = self.pages.page
        if _breaks_after(p):
            self.pages.explicit_break()
        return scan

    def _scan(
        self, element: etree._Element, scan: _ParagraphText, style_id: str | None, run: etree._Element | None
    ) -> None:
        """Collect text from `element`'s subtree in document order."""
        for child in element:
            tag = child.tag
            if not isinstance(tag, str) or tag in _SKIP_IN_PARAGRAPH:
                continue  # comments and processing instructions have no str tag
            if tag == _R:
                if not _is_hidden(child):
                    self._scan(child, scan, style_id, run=child)
            elif tag == _TXBX_CONTENT:
                scan.text_boxes.append(child)
            elif tag == _BLIP:
                scan.pictures.append((child.get(_EMBED) or "", _shown_inches(child)))
            elif tag == _IMAGEDATA:
                scan.pictures.append((child.get(_REL_ID) or "", _vml_inches(child)))
            elif tag == _T:
                self._add_text(scan, child.text or "", style_id, run)
            elif tag in _TABS:
                self._add_text(scan, "\t", style_id, run)
            elif tag == _CR:
                self._add_text(scan, "\n", style_id, run)
            elif tag == _NB_HYPHEN:
                self._add_text(scan, "-", style_id, run)
            elif tag == _BR:
                kind = child.get(_TYPE)
                if kind in (None, "textWrapping"):
                    self._add_text(scan, "\n", style_id, run)
                else:
                    # A page or column break separates lines but should not leave a leading or
                    # trailing "\n" on the paragraph, so it only takes effect before more text.
                    scan.pending_break = bool(scan.parts)
                    if kind == "page":
                        self.pages.explicit_break()
            elif tag == _LAST_RENDERED:
                self.pages.rendered_break()
            else:
                self._scan(child, scan, style_id, run)

    def _add_text(self, scan: _ParagraphText, text: str, style_id: str | None, run: etree._Element | None) -> None:
        """Append a piece of visible text, remembering its boldness and the page it starts on."""
        if not text:
            return
        if scan.pending_break:
            scan.parts.append("\n")
            scan.pending_break = False
        if scan.start_page is None and text.strip():
            scan.start_page = self.pages.page
        scan.parts.append(text)
        scan.runs.append((text, self._run_bold(run, style_id)))

    def _run_bold(self, run: etree._Element | None, style_id: str | None) -> bool:
        """Resolve a run's boldness: direct formatting, then character style, paragraph style, defaults."""
        rpr = run.find(qn("w:rPr")) if run is not None else None
        if rpr is not None:
            direct = _toggle(rpr.find(qn("w:b")))
            if direct is not None:
                return direct
            from_char_style = self.styles.bold(_child_val(rpr, "w:rStyle"))
            if from_char_style is not None:
                return from_char_style
        from_para_style = self.styles.bold(style_id)
        return from_para_style if from_para_style is not None else self.styles.default_bold

    def _heading_level(self, p: etree._Element, style_id: str | None) -> int | None:
        """Return the level of a heading style ("Heading N" / "标题 N"), else the paragraph's own
        outline level, else the outline level its style sets."""
        named = self.styles.named_heading(style_id)
        if named is not None:
            return named
        direct = _int_or_none(_child_val(p.find(_PPR), "w:outlineLvl"))
        if direct is not None:
            return _outline_to_heading(direct)
        return self.styles.outline_heading(style_id)

    # --- tables ------------------------------------------------------------------------------

    def _table_blocks(self, tbl: etree._Element) -> Iterator[Block]:
        """Yield the table, then the tables nested in its cells (each followed by its own nested ones)."""
        builder = _TableBuilder(self.tables_opened)
        self.tables_opened += 1
        nested: list[Block] = []
        for tr in _children(tbl, _TR):
            builder.start_row(_row_int(tr, "w:gridBefore"))
            row_start = self.pages.page
            row_end = row_start
            row_page = row_start
            for tc in _children(tr, _TC):
                # Every cell of a row starts on the same page; Word may mark a rendered break in
                # each of them, so the counter restarts per cell and the row ends on the furthest.
                self.pages.page = row_start
                raw, inner, first_text_page = self._cell_content(tc)
                nested.extend(inner)
                if first_text_page is not None and row_page is not None:
                    row_page = max(row_page, first_text_page)
                builder.add_cell(tc, raw)
                if self.pages.page is not None and row_end is not None:
                    row_end = max(row_end, self.pages.page)
            builder.end_row(_row_int(tr, "w:gridAfter"), row_page)
            self.pages.page = row_end
        table = builder.build()
        if table is not None:
            yield TableBlock(table)
        yield from nested

    def _cell_content(self, tc: etree._Element) -> tuple[str, list[Block], int | None]:
        """Return a cell's text (paragraphs joined with "\\n", nested tables left out, no blank lines
        at either end), its nested tables' blocks, and the page its first text is on."""
        lines: list[str] = []
        nested: list[Block] = []
        first_page: int | None = None
        for element in _block_children(tc):
            if element.tag == _P:
                scan = self._scan_paragraph(element)
                lines.append(scan.text)
                if first_page is None and scan.text.strip():
                    first_page = scan.start_page
            else:
                nested.extend(self._table_blocks(element))
        # Word requires a paragraph after a nested table and users leave empty ones at the end of a
        # cell; neither prints anything, so blank lines at either end are dropped.
        return "\n".join(lines).strip("\n"), nested, first_page


# --- table grid ------------------------------------------------------------------------------


@dataclass(slots=True)
class _CellDraft:
    row: int
    col: int
    col_span: int
    raw: str
    row_span: int = 1
    page: int | None = None


class _TableBuilder:
    """Lays ``w:tc`` elements out on the table grid, merging spans into single cells."""

    def __init__(self, index: int = 0) -> None:
        self.index = index  # the table's index among the document's tables
        self.cells: list[_CellDraft] = []
        self.row = -1
        self.col = 0
        self.width = 0
        self.row_pages: list[int | None] = []
        # Vertical merges still open, by the grid column they start at.
        self._open: dict[int, _CellDraft] = {}
        self._next_open: dict[int, _CellDraft] = {}
        self._row_cells: list[_CellDraft] = []

    def start_row(self, grid_before: int) -> None:
        """Begin a row; ``w:gridBefore`` grid columns at its start are left empty."""
        self.row += 1
        self.col = grid_before
        self._next_open = {}
        self._row_cells = []

    def add_cell(self, tc: etree._Element, raw: str) -> None:
        """Place one ``w:tc`` at the current grid column."""
        tcpr = tc.find(qn("w:tcPr"))
        span = max(1, _int_or_none(_child_val(tcpr, "w:gridSpan")) or 1)
        v_merge = _merge_kind(tcpr, "w:vMerge")
        h_merge = _merge_kind(tcpr, "w:hMerge")
        above = self._open.get(self.col)
        if v_merge == "continue" and above is not None:
            above.row_span += 1
            if clean_cell(raw):
                above.raw = f"{above.raw}\n{raw}" if above.raw else raw
            self._next_open[self.col] = above
        elif h_merge == "continue" and self._row_cells and self._ends_here(self._row_cells[-1]):
            # Legacy horizontal merge: this tc widens the cell to its left.
            left = self._row_cells[-1]
            left.col_span += span
            if clean_cell(raw):
                left.raw = f"{left.raw}\n{raw}" if left.raw else raw
        else:
            draft = _CellDraft(row=self.row, col=self.col, col_span=span, raw=raw)
            self.cells.append(draft)
            self._row_cells.append(draft)
            if v_merge is not None:
                # "restart", or "continue" with nothing above it to continue (Word then starts a
                # merge here), so later rows can extend it.
                self._next_open[self.col] = draft
        self.col += span

    def _ends_here(self, draft: _CellDraft) -> bool:
        return draft.col + draft.col_span == self.col

    def end_row(self, grid_after: int, page: int | None) -> None:
        """Finish a row: ``w:gridAfter`` columns still count toward the grid width."""
        self.width = max(self.width, self.col + grid_after)
        self.row_pages.append(page)
        for draft in self._row_cells:
            draft.page = page
        self._open = self._next_open

    def build(self) -> Table | None:
        """Return the Table, or None when the XML held no rows or no cells."""
        n_rows = self.row + 1
        if n_rows == 0 or not self.cells:
            return None
        cells = tuple(
            Cell(
                raw=d.raw,
                text=clean_cell(d.raw),
                row=d.row,
                col=d.col,
                row_span=d.row_span,
                col_span=d.col_span,
                page=d.page,
                grid_ref=GridRef(self.index, d.row, d.col),
            )
            for d in self.cells
        )
        return Table(cells=cells, n_rows=n_rows, n_cols=self.width, page=self.row_pages[0], method="docx")


# --- XML helpers -----------------------------------------------------------------------------


def _block_children(container: etree._Element) -> Iterator[etree._Element]:
    """Yield the ``w:p`` and ``w:tbl`` children, looking through content controls and custom XML."""
    for child in container:
        if child.tag in (_P, _TBL):
            yield child
        elif child.tag == _SDT:
            content = child.find(_SDT_CONTENT)
            if content is not None:
                yield from _block_children(content)
        elif child.tag == _CUSTOM_XML:
            yield from _block_children(child)


def _children(parent: etree._Element, tag: str) -> Iterator[etree._Element]:
    """Yield children with `tag`, including those wrapped in content controls or custom XML."""
    for child in parent:
        if child.tag == tag:
            yield child
        elif child.tag == _SDT:
            content = child.find(_SDT_CONTENT)
            if content is not None:
                yield from _children(content, tag)
        elif child.tag == _CUSTOM_XML:
            yield from _children(child, tag)


def _child_val(parent: etree._Element | None, tag: str) -> str | None:
    """Return the ``w:val`` of `parent`'s child `tag`, or None."""
    if parent is None:
        return None
    child = parent.find(qn(tag))
    return child.get(_VAL) if child is not None else None


def _paragraph_style(p: etree._Element) -> str | None:
    return _child_val(p.find(_PPR), "w:pStyle")


def _breaks_after(p: etree._Element) -> bool:
    """True when a section ends with this paragraph and the next section starts on a new page
    (every section type but "continuous" and "nextColumn")."""
    ppr = p.find(_PPR)
    sect = ppr.find(qn("w:sectPr")) if ppr is not None else None
    return sect is not None and _child_val(sect, "w:type") not in ("continuous", "nextColumn")


def _is_on(value: str | None) -> bool:
    return value is not None and value.lower() not in _OFF_VALUES


def _toggle(element: etree._Element | None) -> bool | None:
    """Read an on/off property such as ``<w:b/>`` (absent → None; no ``w:val`` means on)."""
    if element is None:
        return None
    value = element.get(_VAL)
    return value is None or value.lower() not in _OFF_VALUES


def _is_hidden(run: etree._Element) -> bool:
    """True for a run formatted as hidden text, which Word does not print."""
    return bool(_toggle(run.find(f"{qn('w:rPr')}/{qn('w:vanish')}")))


def _int_or_none(value: str | None) -> int | None:
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None


def _outline_to_heading(level: int | None) -> int | None:
    """Map a Word outline level (0-8, 9 = body text) to a 1-based heading level."""
    return level + 1 if level is not None and 0 <= level <= 8 else None


def _row_int(tr: etree._Element, tag: str) -> int:
    """Return a non-negative integer row property such as ``w:gridBefore`` (0 when absent)."""
    return max(0, _int_or_none(_child_val(tr.find(qn("w:trPr")), tag)) or 0)


def _merge_kind(tcpr: etree._Element | None, tag: str) -> str | None:
    """Return "restart", "continue" or None for ``w:vMerge`` / ``w:hMerge`` (no val means continue)."""
    if tcpr is None:
        return None
    element = tcpr.find(qn(tag))
    if element is None:
        return None
    return "restart" if element.get(_VAL) == "restart" else "continue"
