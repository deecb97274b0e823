"""Tiny builders for canonical-model objects, so recognizer tests need no file at all.

A table is written as rows of strings; "<" marks a position merged into the cell on its left,
"^" a position merged into the cell above.
"""

from __future__ import annotations

from collections.abc import Sequence

from pipeline.model import Cell, Document, Table, TableBlock, TextBlock
from pipeline.textnorm import clean_cell


def table(rows: Sequence[Sequence[str]], page: int | None = 1) -> Table:
    """Return a Table from rows of strings with "<" and "^" merge marks."""
    n_rows, n_cols = len(rows), max(len(r) for r in rows)
    owner: dict[tuple[int, int], tuple[int, int]] = {}
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            if text == "<":
                owner[(r, c)] = owner[(r, c - 1)]
            elif text == "^":
                owner[(r, c)] = owner[(r - 1, c)]
            else:
                owner[(r, c)] = (r, c)
    cells = []
    for (r, c), (orow, ocol) in owner.items():
        if (r, c) != (orow, ocol):
            continue
        covered = [pos for pos, o in owner.items() if o == (r, c)]
        row_span = max(p[0] for p in covered) - r + 1
        col_span = max(p[1] for p in covered) - c + 1
        raw = rows[r][c]
        cells.append(Cell(raw=raw, text=clean_cell(raw), row=r, col=c, row_span=row_span, col_span=col_span, page=page))
    return Table(cells=tuple(cells), n_rows=n_rows, n_cols=n_cols, page=page)


def document(*items: str | Table, fmt: str = "docx") -> Document:
    """Return a Document of text lines (str) and tables, in order."""
    blocks = [TextBlock(item, page=1) if isinstance(item, str) else TableBlock(item) for item in items]
    return Document(source_path="built-in-test", format=fmt, blocks=tuple(blocks))


APPLICATION_HEADER = [
    ["（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", "<", "<", "申请人情况", "<", "<", "<", "<", "<", "<"],
    ["^", "^", "^", "自然人", "法人或其他组织", "<", "<", "<", "<", "总计"],
    ["^", "^", "^", "^", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "^"],
]
