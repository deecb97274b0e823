"""The canonical document model every reader produces and every later stage reads.

Readers (parsers/) turn a PDF, Word, text, HTML or picture file into a `Document`: an ordered list
of blocks, each a text line/paragraph or a table, with page provenance. Nothing after the readers
knows which format a block came from. The model holds no I/O and no format-specific logic. Text
read by OCR says so in `ocr_confidence` (None everywhere else), so provenance survives the model.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

SCHEMA_VERSION = 1


@dataclass(frozen=True, slots=True)
class Box:
    """A rectangle on a page in PDF points, origin at the page's top-left (pdfplumber's x0, top, x1, bottom)."""

    x0: float
    top: float
    x1: float
    bottom: float

    def union(self, other: Box | None) -> Box:
        """Return the smallest box holding this box and `other`."""
        if other is None:
            return self
        return Box(min(self.x0, other.x0), min(self.top, other.top), max(self.x1, other.x1),
                   max(self.bottom, other.bottom))

    @staticmethod
    def around(boxes: Iterable[Box | None]) -> Box | None:
        """Return the smallest box holding every box given (None when none is)."""
        out: Box | None = None
        for box in boxes:
            if box is not None:
                out = box.union(out)
        return out


@dataclass(frozen=True, slots=True)
class GridRef:
    """Where a cell stands in the file's own table markup (HTML, Word): the table's index among the
    document's tables in file order (nested ones included), and the cell's first row and column in
    that table's printed grid, spans laid out as a browser or Word lays them out (all from 0)."""

    table: int
    row: int
    col: int


@dataclass(frozen=True, slots=True)
class Cell:
    """One visual cell of a table; a merged cell appears once, with its spans."""

    raw: str  # exactly as the reader saw it
    text: str  # normalized (NFKC, whitespace folded) for matching and parsing
    row: int
    col: int
    row_span: int = 1
    col_span: int = 1
    page: int | None = None
    ocr_confidence: float | None = None  # 0…1 when the text was read by OCR from an image; None when printed as text
    # Where the cell is printed (on `page`, in points; None where the format has no page geometry) and its
    # place in the file's table markup (HTML, Word). Provenance only: two cells of the same text and grid
    # position compare equal wherever they were printed.
    box: Box | None = field(default=None, compare=False)
    grid_ref: GridRef | None = field(default=None, compare=False)

    def __post_init__(self) -> None:
        if self.row < 0 or self.col < 0 or self.row_span < 1 or self.col_span < 1:
            raise ValueError(f"bad cell geometry: {self.row},{self.col} span {self.row_span}x{self.col_span}")

    def covers(self, row: int, col: int) -> bool:
        """Return True when the grid position (row, col) lies inside this cell."""
        return self.row <= row < self.row + self.row_span and self.col <= col < self.col + self.col_span


@dataclass(frozen=True, slots=True)
class Table:
    """A grid of cells with spans, the page it starts on, and how it was read."""

    cells: tuple[Cell, ...]
    n_rows: int
    n_cols: int
    page: int | None = None
    # How the grid was read: "grid" (rules drawn in a born-digital file), "positions" (rows and columns
    # rebuilt from text positions), "ocr" (from a picture), "html", "docx" (the file's own table markup).
    method: str = "grid"

    def grid(self) -> list[list[Cell | None]]:
        """Return a dense n_rows × n_cols grid; a merged cell fills every position it covers."""
        out: list[list[Cell | None]] = [[None] * self.n_cols for _ in range(self.n_rows)]
        for cell in self.cells:
            for r in range(cell.row, min(cell.row + cell.row_span, self.n_rows)):
                for c in range(cell.col, min(cell.col + cell.col_span, self.n_cols)):
                    out[r][c] = cell
        return out

    def row_cells(self, row: int) -> list[Cell]:
        """Return the cells that start in `row`, left to right."""
        return sorted((c for c in self.cells if c.row == row), key=lambda c: c.col)


@dataclass(frozen=True, slots=True)
class TextBlock:
    """A line or paragraph of running text."""

    text: str
    page: int | None = None
    bold: bool = False
    heading_level: int | None = None  # from a Word heading style or HTML <h1>…, when the reader knows it
    ocr_confidence: float | None = None  # 0…1 when the line was read by OCR from an image; None otherwise
    box: Box | None = field(default=None, compare=False)  # where a line is printed on `page`, when known


@dataclass(frozen=True, slots=True)
class TableBlock:
    """A table in the flow of the document."""

    table: Table

    @property
    def page(self) -> int | None:
        return self.table.page


Block = TextBlock | TableBlock


@dataclass(frozen=True, slots=True)
class Document:
    """What a reader returns: the blocks in reading order, plus where they came from."""

    source_path: str
    format: str  # pdf / docx / doc / wps / txt / html / image
    blocks: tuple[Block, ...]
    pages: int | None = None
    warnings: tuple[str, ...] = field(default=())
    schema_version: int = SCHEMA_VERSION
    # The publication date the file states beside its printed text (a web page's metadata), ISO; None elsewhere.
    published: str | None = None
