"""Running headers and footers: page furniture printed at the same place on every page.

A browser prints the date, the page title and the address above and below every page of a
web page it saves as PDF; word processors repeat a running header ("XX市人民政府文件") or a
footer. They are not report text, and the first of them would be taken for the report's title.
A line is furniture when it is among the outermost lines of its page and the same text (its
figures aside: dates and page counts change) stands at the same height on most pages.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence

from pipeline.model import Block, TextBlock

__all__ = ["drop_running_lines"]

_FIGURES = re.compile(r"\d+")
_SAME_HEIGHT = 2.0  # points: a running line stands at the same height on every page it is printed on
_SHARE = 0.5  # of the document's pages a running line is printed on at least
_MIN_PAGES = 2
_EDGE = 1  # lines at the top and at the bottom of a page that may be furniture (page numbers are gone already)


def drop_running_lines(blocks: Sequence[Block]) -> list[Block]:
    """Return `blocks` without the text lines printed at the same height on most pages."""
    pages = {b.page for b in blocks if b.page is not None}
    need = max(_MIN_PAGES, int(len(pages) * _SHARE + 0.999))
    if len(pages) < need:
        return list(blocks)
    # figures-free text → (height, page, block) of each line printing it
    seen: dict[str, list[tuple[float, int, TextBlock]]] = defaultdict(list)
    for line in _edge_lines(blocks):
        key = _FIGURES.sub("#", "".join(line.text.split()))
        if key and line.box is not None and line.page is not None:
            seen[key].append((line.box.top, line.page, line))
    running: set[int] = set()
    for lines in seen.values():
        for top, _, _ in lines:
            level = [(page, block) for other, page, block in lines if abs(other - top) <= _SAME_HEIGHT]
            if len({page for page, _ in level}) >= need:
                running.update(id(block) for _, block in level)
    return [b for b in blocks if id(b) not in running]


def _edge_lines(blocks: Sequence[Block]) -> list[TextBlock]:
    """Return the placed text lines nearest the top and the bottom of each page."""
    by_page: dict[int, list[TextBlock]] = defaultdict(list)
    for block in blocks:
        if isinstance(block, TextBlock) and block.box is not None and block.page is not None:
            by_page[block.page].append(block)
    edges: list[TextBlock] = []
    for lines in by_page.values():
        lines.sort(key=lambda line: line.box.top if line.box else 0.0)
        edges.extend(lines if len(lines) <= 2 * _EDGE else [*lines[:_EDGE], *lines[-_EDGE:]])
    return edges
