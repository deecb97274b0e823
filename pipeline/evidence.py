"""The printed cells behind a finding: a small picture of where they stand in the report.

For a PDF (born-digital or scanned) or a picture file, the page is rendered (pypdfium2, or the
picture itself) and the region of the cells is cut out with the cells outlined and, in a gutter
beside them, the values read (Pillow). Web pages, Word files and text have no page geometry: their
table is drawn from the records' grid (grid_row / grid_col, or the template's order) with the named
cells highlighted. A source file that is gone is said so in the picture. Pictures are crops, never
whole pages: at most MAX_WIDTH × MAX_HEIGHT pixels.
"""

from __future__ import annotations

import base64
import hashlib
import io
from collections import OrderedDict, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from html import escape
from pathlib import Path
from typing import Any

import pypdfium2 as pdfium
from PIL import Image, ImageDraw, ImageFont

from pipeline.checks import DocView, Finding
from pipeline.checks.view import TABLE_LABELS, cell_label, column_label, row_label
from pipeline.records import RECORD_FIELDS, Record

SCALE = 2.0  # pixels per PDF point of a rendered page (144 dpi: small type stays legible)
MAX_WIDTH, MAX_HEIGHT = 960, 640  # a crop is scaled down to fit
SHOWN_SEVERITIES: tuple[str, ...] = ("error", "warning")  # the findings that get a crop in the oversight report
OUTLINE = (220, 38, 38)
GUTTER = 150  # pixels beside a page crop where the values read are printed
_PAD = 14.0  # points of page around the named cells
_LABEL_ROOM = 170.0  # points left of a table's first figure column: its row labels
_CAPTION = 26  # pixels of the caption strip over a crop
_FONTS = ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",
          "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf")
_PICTURE_SUFFIXES = (".png", ".jpg", ".jpeg")


class Unavailable(Exception):
    """The page picture cannot be had (the source file is gone or unreadable)."""


# --- which cells -----------------------------------------------------------------------------

def named_cells(view: DocView, table: str | None, row: str | None, column: str | None) -> list[Record]:
    """Return the records a finding names: its rows × its columns ("+"-joined keys; a missing key: every one)."""
    if not table:
        return []
    rows = set(row.split("+")) if row else None
    columns = set(column.split("+")) if column else None
    return [r for r in view.table_records(table)
            if (rows is None or r.row in rows) and (columns is None or r.column in columns)]


def as_record(item: Any) -> Record | None:
    """Return a record given as a Record, a dict or a pandas row (None when it is no record)."""
    if isinstance(item, Record):
        return item
    get = getattr(item, "get", None)
    if get is None or (get("raw", None) is None and get("value", None) is None):
        return None
    values = [_null(get(name, None)) for name in RECORD_FIELDS]
    for index, name in enumerate(RECORD_FIELDS):
        if name in ("page", "grid_table", "grid_row", "grid_col") and values[index] is not None:
            values[index] = int(values[index])
    return Record(*values)


def as_finding(item: Any) -> Finding:
    """Return a finding given as a Finding, a dict or a pandas row of the findings table."""
    if isinstance(item, Finding):
        return item
    get = item.get
    return Finding(str(get("doc_id", "") or ""), str(get("rule", "") or ""), str(get("severity", "info") or "info"),
                   _null(get("table", None)), _null(get("row", None)), _null(get("column", None)),
                   _null(get("expected", None)), _null(get("actual", None)), str(get("message", "") or ""))


def _null(value: Any) -> Any:
    """Return None for pandas' missing values (NaN, None, NA)."""
    try:
        return None if value is None or value != value else value  # NaN is the one value unequal to itself
    except (TypeError, ValueError):  # pandas.NA refuses comparison
        return None


# --- the pictures ----------------------------------------------------------------------------

def finding_crop(finding: Finding, view: DocView) -> Image.Image | None:
    """Return the crop of the cells a finding names, or None when it names no printed cell."""
    cells = named_cells(view, finding.table, finding.row, finding.column)
    if not cells:
        return None
    return cells_crop(view, cells, _caption(finding.table, finding.row, finding.column, finding.rule))


def record_crop(record: Record, view: DocView) -> Image.Image:
    """Return the crop of one record's cell."""
    return cells_crop(view, [record], _caption(record.table, record.row, record.column, record.method or ""))


def cells_crop(view: DocView, cells: Sequence[Record], caption: str) -> Image.Image:
    """Return the picture of `cells`: cut from their pages where they have boxes, else drawn from the grid."""
    boxed = [c for c in cells if _has_box(c)]
    source = source_file(view.document)
    note = ""
    if boxed and source is not None:
        try:
            return _stack([_page_crop(view, source, page, part, caption) for page, part in _by_page(boxed)])
        except Unavailable as exc:
            note = str(exc)
    elif boxed:
        note = f"source file not found: {view.document.get('source_path') or '(no path)'}"
    return drawn_table(view, cells, caption, note)


def source_file(document: Mapping[str, Any]) -> Path | None:
    """Return the document's source file (documents.source_path) when it is still there."""
    path = document.get("source_path")
    if not path:
        return None
    candidate = Path(str(path))
    return candidate if candidate.is_file() else None


def _has_box(record: Record) -> bool:
    return record.page is not None and None not in (record.x0, record.top, record.x1, record.bottom)


def _by_page(cells: Iterable[Record]) -> list[tuple[int, list[Record]]]:
    pages: dict[int, list[Record]] = defaultdict(list)
    for cell in cells:
        pages[int(cell.page or 1)].append(cell)
    return sorted(pages.items())


@dataclass(frozen=True)
class _Region:
    """A rectangle in PDF points."""

    x0: float
    top: float
    x1: float
    bottom: float


def _page_crop(view: DocView, source: Path, page: int, cells: Sequence[Record], caption: str) -> Image.Image:
    """Return the crop of one page around `cells`, outlined, with the values read in a gutter at the right;
    cut from the page turned upright when it shows its text turned (`page_turn`)."""
    from parsers.pdfium_page import turned_point

    picture, points_per_pixel = page_picture(source, page)
    turn = page_turn(source, page)
    shown = (picture.width * points_per_pixel, picture.height * points_per_pixel)
    if turn:
        picture = picture.rotate(-90 * turn, expand=True)  # (clockwise, by the quarter turns the text stands at)

    def upright(record: Record) -> Record:
        """Return the record with its box on the page turned upright."""
        if not turn:
            return record
        x0, top = turned_point(turn, record.x0 or 0, record.top or 0, shown)
        x1, bottom = turned_point(turn, record.x1 or 0, record.bottom or 0, shown)
        return replace(record, x0=min(x0, x1), top=min(top, bottom), x1=max(x0, x1), bottom=max(top, bottom))

    cells = [upright(cell) for cell in cells]
    scale = 1 / points_per_pixel  # pixels per point of this picture
    region = _region(view, page, cells, picture.width * points_per_pixel, picture.height * points_per_pixel, upright)
    crop = picture.crop((round(region.x0 * scale), round(region.top * scale), round(region.x1 * scale),
                         round(region.bottom * scale)))
    fit = min(1.0, (MAX_WIDTH - GUTTER) / max(crop.width, 1), (MAX_HEIGHT - _CAPTION) / max(crop.height, 1))
    crop = _scaled(crop, fit)
    caption = f"{caption} · p.{page}"
    width = min(MAX_WIDTH, max(crop.width + GUTTER, round(_font(14).getlength(caption)) + 12))
    canvas = Image.new("RGB", (width, crop.height + _CAPTION), "white")
    canvas.paste(crop.convert("RGB"), (0, _CAPTION))
    draw = ImageDraw.Draw(canvas)
    _draw_caption(draw, caption, canvas.width)
    factor = scale * fit

    def place(record: Record) -> tuple[float, float, float, float]:
        return ((record.x0 or 0) - region.x0) * factor, ((record.top or 0) - region.top) * factor + _CAPTION, \
               ((record.x1 or 0) - region.x0) * factor, ((record.bottom or 0) - region.top) * factor + _CAPTION

    font = _font(13)
    next_free = float(_CAPTION)
    for record in sorted(cells, key=lambda r: (r.top or 0, r.x0 or 0)):
        x0, top, x1, bottom = place(record)
        draw.rectangle((x0, top, x1, bottom), outline=OUTLINE, width=3)
        y = max(next_free, (top + bottom) / 2 - 9)
        draw.line((x1, (top + bottom) / 2, crop.width + 4, y + 9), fill=OUTLINE, width=1)
        draw.text((crop.width + 6, y), _value_tag(view, record), fill=OUTLINE, font=font)
        next_free = y + 19
    return canvas


def _region(view: DocView, page: int, cells: Sequence[Record], width: float, height: float,
            upright: Callable[[Record], Record] | None = None) -> _Region:
    """Return the page region to show: the cells, the figures of their table on that page to their left and
    the row labels before them, and a margin; within the page (`upright` places a record on the page turned
    upright, when it is)."""
    table = [r for r in view.table_records(cells[0].table) if r.page == page and _has_box(r)]
    if upright is not None:
        table = [upright(r) for r in table]
    left = min((r.x0 or 0) for r in table) if table else min((c.x0 or 0) for c in cells)
    top = min((c.top or 0) for c in cells)
    bottom = max((c.bottom or 0) for c in cells)
    right = max((c.x1 or 0) for c in cells)
    return _Region(max(0.0, left - _LABEL_ROOM), max(0.0, top - _PAD - (bottom - top) * 0.5 - 12),
                   min(width, right + _PAD), min(height, bottom + _PAD + 12))


def _value_tag(view: DocView, record: Record) -> str:
    """Return what is printed beside an outlined cell: the value read, and the OCR confidence."""
    shown = record.raw if record.raw else "(blank)"
    confidence = view.confidence.get((record.table, record.row, record.column))
    return f"{shown}  ocr {confidence:.2f}" if confidence is not None else f"{shown}  {record.method or ''}"


def _stack(parts: Sequence[Image.Image]) -> Image.Image:
    """Return the crops of several pages one above the other, scaled down to the size limit."""
    if len(parts) == 1:
        return parts[0]
    canvas = Image.new("RGB", (max(p.width for p in parts), sum(p.height for p in parts)), "white")
    y = 0
    for part in parts:
        canvas.paste(part, (0, y))
        y += part.height
    return _fit(canvas)


def _fit(image: Image.Image) -> Image.Image:
    return _scaled(image, min(1.0, MAX_WIDTH / image.width, MAX_HEIGHT / image.height))


def _scaled(image: Image.Image, fit: float) -> Image.Image:
    if fit >= 1.0:
        return image
    size = (max(1, round(image.width * fit)), max(1, round(image.height * fit)))
    return image.resize(size, Image.Resampling.LANCZOS)


def page_picture(source: Path, page: int) -> tuple[Image.Image, float]:
    """Return the picture of a page (PDF pages rendered at SCALE) and the PDF points per pixel."""
    picture, points_per_pixel, _ = _rendered(source, page)
    return picture, points_per_pixel


def page_turn(source: Path, page: int) -> int:
    """Return the quarter turns counter-clockwise a PDF page shows its text at, as the reader read it (0 for
    upright pages and for picture files): its crops are turned back, so that they read upright."""
    return _rendered(source, page)[2]


def _rendered(source: Path, page: int) -> tuple[Image.Image, float, int]:
    try:
        return _page_picture(str(source), source.stat().st_mtime_ns, page)
    except (OSError, pdfium.PdfiumError, IndexError, ValueError, Image.DecompressionBombError) as exc:
        raise Unavailable(f"page {page} of {source.name} could not be rendered ({exc.__class__.__name__})") from exc


@lru_cache(maxsize=4)  # the findings of one page come together; a page picture is a few MB
def _page_picture(path: str, _mtime: int, page: int) -> tuple[Image.Image, float, int]:
    """Return a page's picture, its PDF points per pixel and the quarter turns its text stands at (one opening
    of the file for both)."""
    if path.lower().endswith(_PICTURE_SUFFIXES):
        with Image.open(path) as picture:
            picture.load()
            return picture.convert("RGB"), 72 / picture_dpi(picture), 0
    from parsers.pdfium_page import text_turn  # the reader's own choice, so boxes and pixels agree

    document = pdfium.PdfDocument(path)
    try:
        shown = document[page - 1]
        bitmap = shown.render(scale=SCALE)
        image = bitmap.to_pil().convert("RGB")  # a copy: the bitmap's buffer goes with the document
        turn = text_turn(shown)
    finally:
        document.close()
    return image, 1 / SCALE, turn


def picture_dpi(picture: Image.Image) -> float:
    """Return the resolution the reader measured a picture file's boxes at (72 / dpi points a pixel)."""
    from parsers.ocr import _picture_dpi  # the reader's own rule, so boxes and pixels agree

    return _picture_dpi(picture)


# --- a table drawn from the grid -----------------------------------------------------------

_ROW_HEIGHT, _COLUMN_WIDTH, _LABEL_WIDTH = 24, 78, 230
_CONTEXT_ROWS = 2  # rows drawn above and below the named ones
_MAX_ROWS = 14


def drawn_table(view: DocView, cells: Sequence[Record], caption: str, note: str = "",
                highlight: bool = True) -> Image.Image:
    """Return the table of `cells` drawn from the records: its grid around them, the named cells highlighted.

    Rows and columns are the file's own grid (grid_row / grid_col) where the records give it, otherwise the
    order the table prints them in.
    """
    table = cells[0].table
    records = view.table_records(table) or list(cells)
    rows, columns = grid_axes(records)
    named = {(c.row, c.column) for c in cells} if highlight else set()
    wanted = [i for i, row in enumerate(rows) if any(c.row == row for c in cells)]
    first = max(0, min(wanted) - _CONTEXT_ROWS)
    last = min(len(rows), max(wanted) + _CONTEXT_ROWS + 1, first + _MAX_ROWS)
    shown_rows = rows[first:last]
    by_key = {(r.row, r.column): r for r in records}
    header = _ROW_HEIGHT * 2
    lines = [_where(cells[0]), *([note] if note else [])]
    top = _CAPTION + 18 * len(lines)
    width = max(_LABEL_WIDTH + _COLUMN_WIDTH * len(columns) + 4, round(_font(14).getlength(caption)) + 12)
    canvas = Image.new("RGB", (width, top + header + _ROW_HEIGHT * len(shown_rows) + 4), "white")
    draw = ImageDraw.Draw(canvas)
    _draw_caption(draw, caption, canvas.width)
    small, font = _font(11), _font(13)
    for index, line in enumerate(lines):
        draw.text((6, _CAPTION + 18 * index), line, fill=OUTLINE if line == note else (74, 85, 104), font=font)
    for index, column in enumerate(columns):
        x = _LABEL_WIDTH + index * _COLUMN_WIDTH
        draw.rectangle((x, top, x + _COLUMN_WIDTH, top + header), fill=(237, 242, 247), outline=(160, 174, 192))
        _wrapped(draw, (x + 3, top + 3), column_label(table, column), small, _COLUMN_WIDTH - 6)
    for index, row in enumerate(shown_rows):
        y = top + header + index * _ROW_HEIGHT
        draw.rectangle((0, y, _LABEL_WIDTH, y + _ROW_HEIGHT), fill=(247, 250, 252), outline=(160, 174, 192))
        draw.text((4, y + 4), _clip(row_label(table, row), 17), fill=(26, 32, 44), font=font)
        for col_index, column in enumerate(columns):
            x = _LABEL_WIDTH + col_index * _COLUMN_WIDTH
            record = by_key.get((row, column))
            hit = (row, column) in named
            draw.rectangle((x, y, x + _COLUMN_WIDTH, y + _ROW_HEIGHT), fill=(254, 243, 199) if hit else "white",
                           outline=(160, 174, 192))
            if record is not None:
                draw.text((x + 4, y + 4), _clip(record.raw, 9), fill=(26, 32, 44), font=font)
    for index, row in enumerate(shown_rows):  # outlines last, over the neighbours' borders
        for col_index, column in enumerate(columns):
            if (row, column) in named:
                x, y = _LABEL_WIDTH + col_index * _COLUMN_WIDTH, top + header + index * _ROW_HEIGHT
                draw.rectangle((x, y, x + _COLUMN_WIDTH, y + _ROW_HEIGHT), outline=OUTLINE, width=3)
    return _fit(canvas)


def grid_axes(records: Sequence[Record]) -> tuple[list[str], list[str]]:
    """Return the table's row keys and column keys in printed order (by the file's grid where it has one)."""
    def order(key: str, place: str) -> list[str]:
        first: dict[str, tuple[float, int]] = {}
        for index, record in enumerate(records):
            value = getattr(record, key)
            spot = getattr(record, place)
            first.setdefault(value, (spot if spot is not None else float("inf"), index))
        return sorted(first, key=first.__getitem__)

    return order("row", "grid_row"), order("column", "grid_col")


def _where(record: Record) -> str:
    """Return where a drawn cell is in its file: "HTML table 2, grid row 7" or how it was read."""
    if record.grid_table is not None:
        kind = {"html": "HTML", "docx": "Word"}.get(record.method or "", "file")
        return f"{kind} table {record.grid_table}, grid row {record.grid_row}, column {record.grid_col}"
    if record.page is not None:
        return f"p.{record.page} (drawn from the records)"
    return f"read as {record.method or 'text'} (drawn from the records)"


# --- drawing helpers ---------------------------------------------------------------------------

def _caption(table: str | None, row: str | None, column: str | None, rule: str) -> str:
    name = TABLE_LABELS.get(table or "", table or "")
    return " · ".join(p for p in (name, cell_label(table, row, column), rule) if p)


def _draw_caption(draw: ImageDraw.ImageDraw, text: str, width: int) -> None:
    draw.rectangle((0, 0, width, _CAPTION - 2), fill=(26, 32, 44))
    draw.text((6, 4), text, fill="white", font=_font(14))


def _wrapped(draw: ImageDraw.ImageDraw, at: tuple[int, int], text: str, font: Any, width: int) -> None:
    """Draw `text` over at most two lines of `width` pixels."""
    line, lines = "", []
    for char in text:
        if draw.textlength(line + char, font=font) > width:
            lines.append(line)
            line = ""
        line += char
    lines.append(line)
    if len(lines) > 2:
        lines = [lines[0], _clip(lines[1], max(1, len(lines[1]) - 1))]
    for index, part in enumerate(lines):
        draw.text((at[0], at[1] + index * 14), part, fill=(26, 32, 44), font=font)


def _clip(text: str, length: int) -> str:
    return text if len(text) <= length else text[: length - 1] + "…"


@lru_cache(maxsize=8)
def _font(size: int) -> Any:
    """Return a font that prints Chinese (Noto Sans CJK and the like), else Pillow's own."""
    for path in _FONTS:
        if Path(path).is_file():
            return ImageFont.truetype(path, size)
    return ImageFont.load_default(size)


# --- files and the HTML report ------------------------------------------------------------------

_PNG_CACHE: OrderedDict[tuple[Any, ...], bytes | None] = OrderedDict()
_PNG_CACHE_SIZE = 512  # the HTML page and the workbook ask for the same crops


def png_bytes(image: Image.Image) -> bytes:
    """Return a crop as a small PNG (a palette of 64 colours: print, outlines and grey shades)."""
    out = io.BytesIO()
    image.quantize(colors=64, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE).save(out, "PNG",
                                                                                             optimize=True)
    return out.getvalue()


def finding_png(finding: Finding, view: DocView | None) -> bytes | None:
    """Return the PNG of an error's or warning's crop (None for other findings and those naming no cell)."""
    if view is None or finding.severity not in SHOWN_SEVERITIES:
        return None
    key = (view.document.get("source_path"), finding.doc_id, finding.rule, finding.table, finding.row, finding.column)
    if key not in _PNG_CACHE:
        image = finding_crop(finding, view)
        _PNG_CACHE[key] = None if image is None else png_bytes(image)
        if len(_PNG_CACHE) > _PNG_CACHE_SIZE:
            _PNG_CACHE.popitem(last=False)
    return _PNG_CACHE[key]


def finding_img(finding: Finding, view: DocView | None) -> str:
    """Return an <img> of the finding's crop as a data: URI (an empty string when it has none)."""
    data = finding_png(finding, view)
    if data is None:
        return ""
    return (f'<br><img class="evidence" style="max-width:560px;height:auto" alt="{escape(alt_text(finding, view))}" '
            f'src="data:image/png;base64,{base64.b64encode(data).decode()}">')


def alt_text(finding: Finding, view: DocView | None) -> str:
    """Return what a crop shows, in words (and that the source file is gone, when it is)."""
    cells = named_cells(view, finding.table, finding.row, finding.column) if view else []
    shown = ", ".join(f"{cell_label(c.table, c.row, c.column)} = {c.raw or 'blank'}" for c in cells[:6])
    gone = "" if view is None or source_file(view.document) else " (source file not found: drawn from the records)"
    return f"printed cells: {shown}{gone}"


def crop_name(finding: Finding) -> str:
    """Return a stable file name for a finding's crop: doc_id, rule and a digest of its cell keys."""
    digest = hashlib.sha1(f"{finding.table}|{finding.row}|{finding.column}".encode()).hexdigest()[:8]
    return f"{finding.doc_id}-{finding.rule}-{digest}.png"


def save_crop(finding: Finding, view: DocView | None, folder: Path) -> str | None:
    """Write the finding's crop into `folder`; return its path relative to the folder's parent, or None."""
    data = finding_png(finding, view)
    if data is None:
        return None
    folder.mkdir(parents=True, exist_ok=True)
    (folder / crop_name(finding)).write_bytes(data)
    return f"{folder.name}/{crop_name(finding)}"


def picture_of(item: Any, view: DocView) -> Image.Image | None:
    """Return the picture of a finding's or a record's printed cells (a Finding or Record, or a row of the
    findings or records table as a dict or pandas Series); None for a finding that names no printed cell."""
    record = as_record(item)
    if record is not None:
        return record_crop(record, view)
    return finding_crop(as_finding(item), view)
