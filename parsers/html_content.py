"""Find a report inside the page a portal wraps it in: menus, breadcrumbs, link lists, footers.

The HTML reader hands over every block with the elements it sits in. The content container is
found by descending from the page root into the child element that still holds nearly all of
the page's content (text that is not link text, and table cells), the way readability tools
do; elements whose id or class names a content area (content, article, zoom, TRS_Editor,
main …) need a little less. Navigation is link text and weighs nothing, so it never keeps the
descent at the root; a report split over sibling elements keeps their common parent.

When the report's title ("…政府信息公开工作年度报告") sits outside the container (a heading
above the article body, say), it is kept in front. Lines that are page furniture wherever they
stand (上一篇 / 下一篇, 打印本页, copyright and ICP lines) are dropped. When no child holds
enough, the whole page is kept. Never reorders blocks.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import NamedTuple

from pipeline.model import Block, TableBlock, TextBlock
from pipeline.textnorm import squeeze

__all__ = ["ElementInfo", "PlacedBlock", "select_content"]

CONTENT_SHARE = 0.85  # of the page's content weight a child must hold to be descended into
HINTED_SHARE = 0.7  # the same for an element whose id/class names a content area
PROSE_SHARE = 0.6  # of the page's running text: a wrapper around one big table is not the report
# Long names count anywhere in an id or class ("main-content", "TRS_Editor"); short ones only as
# a whole word ("main", not "domain").
_CONTENT_HINT = re.compile(
    r"content|article|zoom|editor|detail|zhengwen|wenzhang|(?<![a-z])(main|text|nr|zw|con)(?![a-z])",
    re.IGNORECASE,
)
_TITLE = re.compile(r"(政府信息公开|政务公开).{0,8}(工作)?年度报告")
_NAVIGATION = re.compile(r"^[\[【(（]?(上一篇|下一篇|上一条|下一条|相关(文章|阅读|链接|文件))")
_FURNITURE = re.compile(
    r"^[\[【(（]?(打印(本页|此页)?|关闭(窗口|本页)?|返回顶部|分享到|字号|版权所有|主办单位|承办单位|网站标识码|扫一扫)"
    r"|ICP备|公网安备|Copyright|©"
)


class ElementInfo(NamedTuple):
    """An element of the page: its tag and its id and class as written (blocks keep its serial in their path)."""

    tag: str
    hint: str


@dataclass(frozen=True, slots=True)
class PlacedBlock:
    """A block with the serials of the elements it sits in (outermost first) and whether all its
    text is link text."""

    block: Block
    path: tuple[int, ...]
    link_only: bool


def select_content(placed: Sequence[PlacedBlock], elements: Sequence[ElementInfo]) -> tuple[list[Block], str | None]:
    """Return the blocks of the report's content container and a note saying what was left out."""
    weights = [_weight(p) for p in placed]
    container = _container(placed, weights, elements)
    kept = [i for i, p in enumerate(placed) if container == 0 or container in p.path]
    title = _title_index(placed)
    if title is not None and kept and title < kept[0]:
        kept.insert(0, title)
    blocks = [placed[i].block for i in kept if not _is_furniture(placed[i].block)]
    if len(blocks) == len(placed):
        return blocks, None
    info = elements[container]
    where = f"<{info.tag}{' ' + info.hint.strip() if info.hint.strip() else ''}>"
    if container == 0:
        return blocks, f"page chrome left out: {len(placed) - len(blocks)} lines of page furniture"
    return blocks, f"page chrome left out: {len(placed) - len(blocks)} blocks outside the content of {where}"


def _weight(placed: PlacedBlock) -> tuple[int, int]:
    """Return (content weight, running-text weight): characters that are neither link text nor furniture."""
    block = placed.block
    if isinstance(block, TableBlock):
        return sum(len(squeeze(c.raw)) for c in block.table.cells), 0
    if placed.link_only or _is_furniture(block):
        return 0, 0
    size = len(squeeze(block.text))
    return size, size


def _container(placed: Sequence[PlacedBlock], weights: Sequence[tuple[int, int]],
               elements: Sequence[ElementInfo]) -> int:
    """Return the serial of the content container (0, the root, for the whole page)."""
    total = sum(w for w, _ in weights)
    prose = sum(t for _, t in weights)
    if not total:
        return 0
    current = 0
    while True:
        child, (weight, text) = _heaviest_child(current, placed, weights)
        if child is None:
            return current
        hinted = bool(_CONTENT_HINT.search(elements[child].hint))
        share = HINTED_SHARE if hinted else CONTENT_SHARE
        if weight < share * total or (prose and text < PROSE_SHARE * prose):
            return current
        current = child


def _heaviest_child(current: int, placed: Sequence[PlacedBlock],
                    weights: Sequence[tuple[int, int]]) -> tuple[int | None, tuple[int, int]]:
    """Return the child element of `current` holding the most content, with its weights."""
    sums: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for p, (weight, text) in zip(placed, weights, strict=True):
        if current == 0:
            child = p.path[0] if p.path else None
        elif current in p.path:
            at = p.path.index(current)
            child = p.path[at + 1] if at + 1 < len(p.path) else None
        else:
            continue
        if child is not None:
            sums[child][0] += weight
            sums[child][1] += text
    if not sums:
        return None, (0, 0)
    child, (weight, text) = max(sums.items(), key=lambda kv: kv[1][0])
    return child, (weight, text)


def _title_index(placed: Sequence[PlacedBlock]) -> int | None:
    """Return the index of the report's title line: the first non-link line naming the report."""
    for i, p in enumerate(placed):
        if not isinstance(p.block, TextBlock) or p.link_only:
            continue
        text = squeeze(p.block.text)
        if len(text) <= 80 and _TITLE.search(text) and not _NAVIGATION.match(text):
            return i
    return None


def _is_furniture(block: Block) -> bool:
    """Return True for a line that belongs to the page, not the report (上一篇, 打印本页, ©…)."""
    if not isinstance(block, TextBlock):
        return False
    text = squeeze(block.text)
    return bool(_NAVIGATION.match(text) or _FURNITURE.search(text))
