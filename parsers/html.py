"""Read an HTML page into the canonical document model, with the standard library's parser.

Running text becomes one `TextBlock` per block element (p, div, h1-h6, li, …) and per line
separated by ``<br>``; each ``<table>`` becomes a `TableBlock`. Like the other readers it
recognises nothing: which block is a section heading or which table is which is decided later.

Decisions that later stages rely on:

- Encoding: a byte-order mark wins, then a ``<meta charset>`` / ``http-equiv`` declaration, then
  UTF-8, then GB18030 (a superset of GBK and GB2312, which are read as GB18030). A declaration the
  bytes contradict is overridden and a warning says so.
- Whitespace is folded as a browser renders it (ASCII whitespace runs → one space); no-break
  spaces are kept in ``Cell.raw`` (``&nbsp;`` prints as "\\xa0") and vanish in ``Cell.text``.
- Tables: cells are placed on the grid as browsers do, skipping positions taken by rowspans of
  rows above; a merged cell appears once with its spans. Rowspans running past the last row are
  cut there. ``<br>`` and block boundaries inside a cell become "\\n" in ``Cell.raw``.
- Nested tables are emitted as their own `TableBlock` right after the outer table (depth first,
  in reading order); their text is not part of the outer cell's ``raw``.
- script, style, noscript, template, iframe, object, svg and the whole ``<head>`` are ignored.
- Web pages have no pages: ``page`` is None everywhere and ``Document.pages`` is None.
- Page chrome: a page saved from a portal wraps the report in menus, breadcrumbs, link lists
  and footers. Only the blocks of the report's content container are kept (chosen by
  `parsers.html_content`); the whole page is kept when no container stands out.
- Pictures: an ``<img>`` whose picture is a ``data:`` URI or a file saved beside the page (never
  a remote address) is read by OCR in its place when it shows a ruled table (parsers.pictures);
  other pictures leave no block.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

from parsers import pictures
from parsers.files import read_document_bytes
from parsers.html_content import ElementInfo, PlacedBlock, select_content
from pipeline.errors import UnreadableDocument
from pipeline.model import Block, Cell, Document, GridRef, Table, TableBlock, TextBlock
from pipeline.textnorm import clean_cell

__all__ = ["codec_name", "decode_html", "html_document", "read_html"]

_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),  # before UTF-16 LE, whose BOM is its prefix
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# Matches both <meta charset="gbk"> and <meta http-equiv="Content-Type" content="text/html; charset=gbk">.
_META_CHARSET = re.compile(rb"""<meta\b[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.IGNORECASE)
_PRESCAN_BYTES = 16384
# Labels browsers treat as another encoding (WHATWG Encoding Standard), narrowed to what Chinese
# government pages declare. GB18030 decodes every GBK / GB2312 page and then some.
_ENCODING_ALIASES = {
    "gb2312": "gb18030",
    "gb_2312": "gb18030",
    "gb_2312-80": "gb18030",
    "gbk": "gb18030",
    "x-gbk": "gb18030",
    "cp936": "gb18030",
    "windows-936": "gb18030",
    "csgb2312": "gb18030",
    "euc-cn": "gb18030",
    "chinese": "gb18030",
    "utf8": "utf-8",
    "unicode": "utf-8",  # a meta tag cannot really declare UTF-16: browsers read UTF-8
    "utf-16": "utf-8",
    "utf-16le": "utf-8",
    "utf-16be": "utf-8",
    "iso-8859-1": "cp1252",
    "latin1": "cp1252",
    "latin-1": "cp1252",
    "us-ascii": "cp1252",
    "ascii": "cp1252",
}
# Declarations that are often wrong on Chinese pages (an editor default left in the template).
_WESTERN_SINGLE_BYTE = frozenset({"cp1252"})

_WS = re.compile(r"[ \t\n\r\f]+")  # HTML whitespace; U+00A0 and U+3000 are text, not whitespace
_FONT_WEIGHT = re.compile(r"font-weight\s*:\s*([a-z0-9]+)", re.IGNORECASE)

_VOID = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr"}
)
_IGNORED = frozenset({"script", "style", "noscript", "template", "head", "title", "iframe", "object", "svg"})
_HEADINGS = {f"h{n}": n for n in range(1, 7)}
# What may stand in <head>; any other start tag there means the body has begun.
_HEAD_CONTENT = frozenset({"base", "link", "meta", "noscript", "script", "style", "template", "title"})
_TABLE_PARTS = frozenset({"tr", "td", "th", "tbody", "thead", "tfoot", "caption", "colgroup", "col"})
# Elements whose start and end separate lines of text.
_BLOCK = frozenset(
    {
        "address", "article", "aside", "blockquote", "body", "center", "dd", "details", "dialog", "dir",
        "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "header", "hgroup", "hr",
        "html", "legend", "li", "main", "menu", "nav", "ol", "p", "pre", "section", "summary", "ul",
        "table", "caption", "tr", "td", "th", "tbody", "thead", "tfoot",
        *_HEADINGS,
    }
)  # fmt: skip
# Start tags that close an open <p>, as in the HTML parsing algorithm.
_CLOSES_P = _BLOCK - {"body", "html", "caption", "tr", "td", "th", "tbody", "thead", "tfoot", "dd", "dt"}
# An end tag does not close elements beyond these: a cell or table bounds what its content can end.
_SCOPE = frozenset({"table", "td", "th", "caption", "html"})
_FORMATTING = frozenset(
    {"a", "b", "big", "code", "em", "font", "i", "nobr", "s", "small", "strike", "strong", "tt", "u", "span"}
)
_BOLD_TAGS = frozenset({"b", "strong", *_HEADINGS})
_PICTURE = "\x00img:"  # a block standing for an <img> until its picture is read (text never holds NUL)
_MAX_COLSPAN = 1000  # the limits browsers apply
_MAX_ROWSPAN = 65534


def read_html(path: str | Path) -> Document:
    """Read an HTML file into a `Document` of text and table blocks in reading order.

    Raises `UnreadableDocument` when the file is missing, empty or binary.
    """
    path = Path(path)
    data = read_document_bytes(path)
    text, _encoding, warnings = decode_html(data)
    return html_document(text, str(path), "html", warnings)


def html_document(text: str, source_path: str, fmt: str, warnings: list[str],
                  fetch: Callable[[str], bytes | None] | None = None) -> Document:
    """Return the Document of decoded page text: the blocks of the report's content container.

    `fetch` returns the bytes of a picture the page names in an ``<img src>`` (None when it has
    none to give); by default a ``data:`` URI or a file beside the page. A picture of a table is
    read by OCR in its place (parsers.pictures).
    """
    parser = _BlockParser()
    parser.feed(text)
    parser.close()
    placed = [PlacedBlock(b, p, link) for b, p, link in zip(parser.blocks, parser.paths, parser.link_only, strict=True)]
    if fetch is None:
        folder = Path(source_path).parent
        fetch = lambda src: pictures.data_uri_bytes(src) or pictures.local_picture(src, folder)  # noqa: E731
    placed, picture_notes = _read_pictures(placed, fetch)
    warnings = [*warnings, *picture_notes]
    blocks, note = select_content(placed, parser.elements)
    return Document(
        source_path=source_path,
        format=fmt,
        blocks=tuple(blocks),
        pages=None,
        warnings=tuple([*warnings, note] if note else warnings),
        published=page_date(text),
    )


def page_date(text: str) -> str | None:
    """Return the publication date a web page states in its markup (PubDate, article:published_time, a
    <time> element …), ISO; None where it states none. The page's running text is not searched: a report
    prints many dates (its statistics period) that are no publication date."""
    from htmldate import find_date  # loaded with the first web page read

    try:
        return find_date(text, extensive_search=False, original_date=True, outputformat="%Y-%m-%d")
    except (ValueError, TypeError):  # a page whose markup the date finder cannot take
        return None


def _read_pictures(placed: list[PlacedBlock],
                   fetch: Callable[[str], bytes | None]) -> tuple[list[PlacedBlock], list[str]]:
    """Replace each picture placeholder by the blocks OCR reads from it (none unless it shows a table, or
    the page's own text is too scant to be the report: then each picture is a page of it)."""
    sources = [p.block.text[len(_PICTURE):] for p in placed
               if isinstance(p.block, TextBlock) and _is_picture(p.block)]
    if not sources:
        return placed, []
    # A page of page pictures (a report posted as pictures of its pages): each is read whole.
    own = [p.block.text for p in placed if isinstance(p.block, TextBlock) and not _is_picture(p.block)]
    own += [c.raw for p in placed if isinstance(p.block, TableBlock) for c in p.block.table.cells]
    read = iter(pictures.read_sources(sources, fetch, whole=pictures.pictured_pages(own)))
    out: list[PlacedBlock] = []
    notes: list[str] = []
    for item in placed:
        if not _is_picture(item.block):
            out.append(item)
            continue
        blocks, warnings = next(read)
        out.extend(PlacedBlock(block, item.path, False) for block in blocks)
        notes.extend(warnings)
    return out, notes


def _is_picture(block: Block) -> bool:
    return isinstance(block, TextBlock) and block.text.startswith(_PICTURE)


# --- encoding --------------------------------------------------------------------------------


def decode_html(data: bytes) -> tuple[str, str, list[str]]:
    """Decode an HTML page: BOM, then the declared charset, then UTF-8, then GB18030.

    Returns the text, the encoding used and warnings (a declaration the bytes contradict, bytes
    no candidate decodes). Raises `UnreadableDocument` for binary data.
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data[len(bom) :].decode(encoding, errors="replace"), encoding, []
    if b"\x00" in data[:_PRESCAN_BYTES]:
        raise UnreadableDocument("binary data (NUL bytes), not an HTML page")
    declared = _declared_encoding(data)
    candidates = ["utf-8", "gb18030"]
    if declared in _WESTERN_SINGLE_BYTE:
        # Every byte sequence "decodes" as cp1252, so trying it first would hide Chinese text in
        # mojibake; it is tried only after the encodings this corpus actually uses.
        candidates.append(declared)
    elif declared:
        candidates.insert(0, declared)
    for encoding in dict.fromkeys(candidates):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        warnings = []
        if declared and encoding != declared and not data.isascii():
            warnings.append(f"declared charset {declared} does not match the bytes; decoded as {encoding}")
        return text, encoding, warnings
    fallback = declared or "gb18030"
    return (
        data.decode(fallback, errors="replace"),
        fallback,
        [f"bytes that are not valid {fallback} were replaced with U+FFFD"],
    )


def _declared_encoding(data: bytes) -> str | None:
    """Return the Python codec named by the page's meta charset declaration, if it names one."""
    head = data[:_PRESCAN_BYTES]
    body_at = head.lower().find(b"<body")
    if body_at >= 0:
        head = head[:body_at]  # a charset quoted in the article text says nothing about the page
    match = _META_CHARSET.search(head)
    if not match:
        return None
    return codec_name(match.group(1).decode("ascii", errors="ignore"))


def codec_name(label: str) -> str | None:
    """Return the Python codec for a charset label as browsers read it (gbk → gb18030), or None."""
    label = label.strip().lower()
    label = _ENCODING_ALIASES.get(label, label)
    try:
        name = codecs.lookup(label).name
    except LookupError:
        return None
    return _ENCODING_ALIASES.get(name, name)


# --- text sinks ------------------------------------------------------------------------------


@dataclass(slots=True)
class _Piece:
    text: str
    bold: bool
    heading: int | None
    link: bool = False


@dataclass(slots=True)
class _Sink:
    """Text collected for one destination: the page flow (TextBlocks) or one table cell."""

    pieces: list[_Piece] = field(default_factory=list)

    def add(self, text: str, bold: bool, heading: int | None, link: bool = False) -> None:
        self.pieces.append(_Piece(text, bold, heading, link))

    def newline(self) -> None:
        self.pieces.append(_Piece("\n", False, None))

    def soft_newline(self) -> None:
        """End the current line unless it is empty: block boundaries never make blank lines."""
        text = "".join(p.text for p in self.pieces)
        if text.strip(" \t\r\f") and not text.rstrip(" \t\r\f").endswith("\n"):
            self.newline()

    def take_text(self) -> str:
        """Return the collected text, whitespace folded as rendered, and empty the sink."""
        text = "".join(p.text for p in self.pieces)
        self.pieces.clear()
        text = re.sub(r" {2,}", " ", text)
        text = re.sub(r" *\n *", "\n", text)
        return text.strip(" \t\n\r\f")


# --- tables ----------------------------------------------------------------------------------


@dataclass(slots=True)
class _CellDraft:
    row: int
    col: int
    row_span: int
    col_span: int
    sink: _Sink = field(default_factory=_Sink)
    raw: str = ""


@dataclass(slots=True)
class _TableDraft:
    """A table being read: its cells on the grid, an open cell, and the tables nested in it."""

    outer: _Sink  # where stray text inside the table but outside cells goes (as browsers move it)
    path: tuple[int, ...] = ()  # the elements the table sits in (see _BlockParser.paths)
    index: int = 0  # the table's index among the document's tables, in the order they open (nested ones too)
    cells: list[_CellDraft] = field(default_factory=list)
    n_rows: int = 0
    row_open: bool = False
    cursor: int = 0
    cell: _CellDraft | None = None
    nested: list[tuple[Block, tuple[int, ...]]] = field(default_factory=list)
    # For each grid column, the first row index no longer covered by a rowspan from above.
    busy_until: dict[int, int] = field(default_factory=dict)

    def start_row(self) -> None:
        self.end_row()
        self.n_rows += 1
        self.row_open = True
        self.cursor = 0

    def end_row(self) -> None:
        self.end_cell()
        self.row_open = False

    def start_cell(self, colspan: int, rowspan: int) -> _CellDraft:
        """Open a cell at the first grid column of the current row not taken by a rowspan."""
        if not self.row_open:
            self.start_row()  # a cell outside any <tr> gets an implied row, as in browsers
        self.end_cell()
        row = self.n_rows - 1
        col = self.cursor
        while self.busy_until.get(col, 0) > row:
            col += 1
        for c in range(col, col + colspan):
            self.busy_until[c] = max(self.busy_until.get(c, 0), row + rowspan)
        self.cursor = col + colspan
        self.cell = _CellDraft(row=row, col=col, row_span=rowspan, col_span=colspan)
        self.cells.append(self.cell)
        return self.cell

    def end_cell(self) -> None:
        if self.cell is not None:
            self.cell.raw = self.cell.sink.take_text()
            self.cell = None

    def build(self) -> Table | None:
        """Return the Table, or None when it has no cells (an empty or layout-only shell)."""
        self.end_row()
        if not self.cells:
            return None
        cells = tuple(
            Cell(
                raw=d.raw,
                text=clean_cell(d.raw),
                row=d.row,
                col=d.col,
                row_span=max(1, min(d.row_span, self.n_rows - d.row)),
                col_span=d.col_span,
                grid_ref=GridRef(self.index, d.row, d.col),
            )
            for d in self.cells
        )
        n_cols = max(c.col + c.col_span for c in cells)
        return Table(cells=cells, n_rows=self.n_rows, n_cols=n_cols, method="html")


# --- the parser ------------------------------------------------------------------------------


@dataclass(slots=True)
class _Open:
    """An open element and the state its content inherits."""

    tag: str
    bold: bool
    heading: int | None
    ignored: bool
    pre: bool
    own_bold: bool | None = None  # what the element itself sets (tag or inline style); None inherits
    serial: int = 0  # index in _BlockParser.elements
    link: bool = False  # inside an <a>


class _BlockParser(HTMLParser):
    """Turns the tag stream into blocks; tolerant of the unclosed tags real pages are full of."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[Block] = []
        # For each block: the serials of the elements it sits in, outermost first, and whether
        # all its text is link text; `elements` describes each serial. The content picker
        # (parsers.html_content) uses them to tell the report from the page around it.
        self.paths: list[tuple[int, ...]] = []
        self.link_only: list[bool] = []
        self.elements: list[ElementInfo] = [ElementInfo("#root", "")]
        self._flow = _Sink()
        self._flow_path: tuple[int, ...] | None = None
        self._stack: list[_Open] = [_Open("#root", bold=False, heading=None, ignored=False, pre=False)]
        self._tables: list[_TableDraft] = []
        self._tables_opened = 0

    # -- where text goes --

    def _sink(self) -> _Sink:
        """Return the current destination of text: the open cell, else the table's outer sink, else the flow."""
        if not self._tables:
            return self._flow
        table = self._tables[-1]
        return table.cell.sink if table.cell is not None else table.outer

    def _boundary(self) -> None:
        """A block starts or ends: the flow emits its pending line, a cell starts a new line."""
        sink = self._sink()
        if sink is self._flow:
            self._flush_flow()
        else:
            sink.soft_newline()

    def _line_break(self) -> None:
        """A ``<br>``: a new TextBlock in the flow, a "\\n" in a cell."""
        sink = self._sink()
        if sink is self._flow:
            self._flush_flow()
        else:
            sink.newline()

    def _picture(self, src: str) -> None:
        """An <img>: a placeholder block where it stands (after the table around it, as nested tables)."""
        if not src.strip():
            return
        placeholder = TextBlock(_PICTURE + src.strip())
        if self._tables:
            self._tables[-1].nested.append((placeholder, self._path()))
            return
        self._flush_flow()
        self.blocks.append(placeholder)
        self.paths.append(self._path())
        self.link_only.append(False)

    def _flush_flow(self) -> None:
        """Emit the text collected in the flow as a TextBlock, unless it is blank."""
        pieces = [p for p in self._flow.pieces if p.text.strip()]
        text = self._flow.take_text()
        path, self._flow_path = self._flow_path, None
        if not clean_cell(text):
            return
        self.paths.append(path or ())
        self.link_only.append(all(p.link for p in pieces))
        self.blocks.append(
            TextBlock(
                text=text,
                bold=all(p.bold for p in pieces),
                heading_level=pieces[0].heading,
            )
        )

    # -- tag events --

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        parent = self._stack[-1]
        if parent.tag == "head" and tag not in _HEAD_CONTENT:
            self._pop()  # body content implies the end of an unclosed <head>
        elif parent.ignored and tag != "body":
            if tag not in _VOID:
                self._push(tag, attrs)
            return
        if tag == "body":
            # An unclosed <head> ends where the body starts.
            self._pop_through("head", scope=frozenset())
            return
        if tag in _TABLE_PARTS and not self._tables:
            return  # browsers drop table-part tags outside a table; their text flows on
        self._close_implied(tag)
        if tag == "br":
            self._line_break()
            return
        if tag == "img":
            self._picture(dict(attrs).get("src") or "")
            return
        if tag in _BLOCK:
            self._boundary()
        if tag == "table":
            self._tables.append(_TableDraft(outer=self._sink(), path=self._path(), index=self._tables_opened))
            self._tables_opened += 1
        elif tag == "tr":
            self._tables[-1].start_row()
        elif tag in ("td", "th"):
            attr = dict(attrs)
            self._tables[-1].start_cell(
                colspan=_span(attr.get("colspan"), default=1, low=1, high=_MAX_COLSPAN),
                rowspan=_span(attr.get("rowspan"), default=1, low=0, high=_MAX_ROWSPAN) or _MAX_ROWSPAN,
            )
        if tag not in _VOID:
            self._push(tag, attrs)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        # <br/> must not also count as </br>, which browsers read as another <br>.
        self.handle_starttag(tag, attrs)
        if tag not in _VOID:
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if self._stack[-1].ignored:
            # Inside ignored content an end tag closes only ignored elements.
            index = self._find(tag, frozenset())
            if index is not None and all(e.ignored for e in self._stack[index:]):
                self._pop_through(tag, scope=frozenset())
            return
        if tag == "br":
            self._line_break()  # browsers read a stray </br> as <br>
        elif tag in _VOID:
            return
        elif tag == "p" and self._find(tag, _SCOPE) is None:
            self._boundary()  # a stray </p> still ends a paragraph in browsers
        elif tag == "table":
            self._pop_through(tag, scope=frozenset())
        elif tag in _TABLE_PARTS:
            self._pop_through(tag, scope=frozenset({"table"}))
        elif tag in _BLOCK:
            self._pop_through(tag, scope=_SCOPE)
        elif tag in _FORMATTING:
            self._close_formatting(tag)
        else:
            # Any other end tag closes its element unless a block or table element is in the way.
            self._pop_through(tag, scope=_SCOPE, stop_at_block=True)

    def handle_data(self, data: str) -> None:
        top = self._stack[-1]
        if top.ignored:
            return
        sink = self._sink()
        if sink is self._flow and self._flow_path is None and data.strip():
            self._flow_path = self._path()  # where the line starts: its text may outlive the element
        if top.pre:
            # Preformatted text keeps its lines: each source line break is a <br>.
            for i, line in enumerate(data.split("\n")):
                if i:
                    self._line_break()
                    sink = self._sink()
                if line:
                    sink.add(line, top.bold, top.heading, top.link)
            return
        sink.add(_WS.sub(" ", data), top.bold, top.heading, top.link)

    def close(self) -> None:
        super().close()
        while len(self._stack) > 1:
            self._pop()
        self._flush_flow()

    # -- the element stack --

    def _path(self) -> tuple[int, ...]:
        """Return the serials of the open elements, outermost first."""
        return tuple(entry.serial for entry in self._stack[1:] if not entry.ignored)

    def _push(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        parent = self._stack[-1]
        attr = dict(attrs)
        own_bold: bool | None = True if tag in _BOLD_TAGS else None
        weight = _FONT_WEIGHT.search(attr.get("style") or "")
        serial = len(self.elements)
        self.elements.append(ElementInfo(tag, f"{attr.get('id') or ''} {attr.get('class') or ''}"))
        if weight:
            own_bold = _is_bold_weight(weight.group(1).lower(), own=own_bold)
        self._stack.append(
            _Open(
                tag=tag,
                bold=parent.bold if own_bold is None else own_bold,
                own_bold=own_bold,
                heading=_HEADINGS.get(tag, parent.heading),
                ignored=parent.ignored or tag in _IGNORED,
                pre=parent.pre or tag in ("pre", "textarea", "listing", "xmp"),
                serial=serial,
                link=parent.link or tag == "a",
            )
        )

    def _pop(self) -> None:
        """Close the innermost element, with the effect its end has on text and tables."""
        entry = self._stack.pop()
        if entry.ignored:
            return
        tag = entry.tag
        if tag == "table":
            self._finish_table()
        elif tag in ("td", "th"):
            self._tables[-1].end_cell()
        elif tag == "tr":
            self._tables[-1].end_row()
        elif tag in _BLOCK:
            self._boundary()

    def _find(self, tag: str, scope: frozenset[str], stop_at_block: bool = False) -> int | None:
        """Return the stack index of the innermost open `tag`, not looking past `scope` elements."""
        for index in range(len(self._stack) - 1, 0, -1):
            entry = self._stack[index]
            if entry.tag == tag:
                return index
            if entry.tag in scope or (stop_at_block and entry.tag in _BLOCK):
                return None
        return None

    def _pop_through(self, tag: str, scope: frozenset[str], stop_at_block: bool = False) -> bool:
        """Close elements down to and including the innermost open `tag`; False when none is open."""
        index = self._find(tag, scope, stop_at_block)
        if index is None:
            return False
        while len(self._stack) > index:
            self._pop()
        return True

    def _close_formatting(self, tag: str) -> None:
        """Close a formatting element such as </b>, even when a block was opened inside it."""
        if self._pop_through(tag, scope=_SCOPE, stop_at_block=True):
            return
        index = self._find(tag, _SCOPE)
        if index is not None:
            # Misnested (<b><p>…</b>…): end just the formatting element, as the adoption agency
            # does, so text after the end tag in the elements opened inside it is not bold.
            del self._stack[index]
            for i in range(index, len(self._stack)):
                entry = self._stack[i]
                entry.bold = self._stack[i - 1].bold if entry.own_bold is None else entry.own_bold

    def _close_implied(self, tag: str) -> None:
        """Close what a start tag implicitly ends: an open <p>, a sibling <li>, a previous cell…"""
        if tag in _CLOSES_P:
            self._pop_through("p", scope=_SCOPE)
        if tag in _HEADINGS and self._stack[-1].tag in _HEADINGS:
            self._pop()
        if tag == "li":
            self._pop_through("li", scope=_SCOPE | {"ul", "ol"})
        elif tag in ("dt", "dd"):
            if not self._pop_through("dt", scope=_SCOPE | {"dl"}):
                self._pop_through("dd", scope=_SCOPE | {"dl"})
        elif tag in ("td", "th"):
            if not self._pop_through("td", scope=frozenset({"tr", "table"})):
                self._pop_through("th", scope=frozenset({"tr", "table"}))
        elif tag == "tr":
            self._pop_through("tr", scope=frozenset({"table"}))
        elif tag in ("tbody", "thead", "tfoot"):
            for part in ("tr", "tbody", "thead", "tfoot"):
                self._pop_through(part, scope=frozenset({"table"}))

    def _finish_table(self) -> None:
        """Emit a finished table: at the top level into the blocks, else after its outer table."""
        draft = self._tables.pop()
        table = draft.build()
        out: list[tuple[Block, tuple[int, ...]]] = []
        if table is not None:
            out.append((TableBlock(table), draft.path))
        out.extend(draft.nested)
        if self._tables:
            self._tables[-1].nested.extend(out)
            self._boundary()
        else:
            self._flush_flow()  # text moved out of the table precedes it
            for block, path in out:
                self.blocks.append(block)
                self.paths.append(path)
                self.link_only.append(False)


def _span(value: str | None, default: int, low: int, high: int) -> int:
    """Parse a colspan/rowspan attribute as browsers do: leading digits, clamped to [low, high]."""
    match = re.match(r"\s*(\d+)", value or "")
    if not match:
        return default
    number = int(match.group(1))
    if number < low:
        return default
    return min(number, high)


def _is_bold_weight(weight: str, own: bool | None) -> bool | None:
    """Interpret a CSS font-weight value; `own` is kept for values that say nothing (inherit…)."""
    if weight in ("bold", "bolder"):
        return True
    if weight in ("normal", "lighter"):
        return False
    if weight.isdigit():
        return int(weight) >= 600
    return own
