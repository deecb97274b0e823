"""Split a Document into the preamble and the six standard report sections.

A heading is recognised by its number (一 … 六, followed by 、 . ， or nothing) and by its
title matching one of the section's titles by meaning (pipeline.labels), in document order
only: a section can follow only the sections before it, so table row labels such as
"四、结转下年度继续办理" never open a section. A heading may wrap over two blocks, carry
spaces, or sit in the first cell of a table. Sub-headings （一）（二） stay in their section.
Never edits, drops or reorders blocks: every block belongs to exactly one section.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from pipeline.labels import core_key
from pipeline.model import Block, Document, TableBlock, TextBlock
from pipeline.spec import SECTIONS, SectionSpec
from pipeline.textnorm import nfkc, similarity, squeeze

_HEADING = re.compile(r"^(?:第)?([一二三四五六])(?:部分)?\s*[、.,，．:：]?\s*(.*)$", re.S)
_SUB_NUMBERING = re.compile(r"^(?:[(（][一二三四五六七八九十\d]+[)）]|\d+[、.,，．)）])")
_MAX_HEADING_CHARS = 40  # a longer block is running text that merely starts with 一、
_MIN_TITLE_SCORE = 0.8


@dataclass(frozen=True, slots=True)
class Section:
    """A run of consecutive blocks under one standard heading."""

    key: str
    heading: str  # as printed ("" for the preamble)
    start: int  # index of the first block (the heading's block for the six sections)
    end: int  # one past the last block
    heading_blocks: int = 0  # how many leading blocks form the heading

    def blocks(self, document: Document) -> Sequence[Block]:
        """Return the blocks of this section, heading included."""
        return document.blocks[self.start:self.end]

    def body(self, document: Document) -> Sequence[Block]:
        """Return the blocks after the heading."""
        return document.blocks[self.start + self.heading_blocks:self.end]


def block_text(block: Block) -> str:
    """Return the text of a block; a table as rows of tab-separated cells (each merged cell once)."""
    if isinstance(block, TextBlock):
        return block.text
    table = block.table
    rows = ("\t".join(c.raw.replace("\n", "") for c in table.row_cells(r)) for r in range(table.n_rows))
    return "\n".join(row for row in rows if row.strip())


def segment(document: Document) -> list[Section]:
    """Return the sections of `document` in order: the preamble first, then each heading found."""
    blocks = document.blocks
    starts: list[tuple[int, SectionSpec, str, int]] = []
    next_spec = 0
    i = 0
    while i < len(blocks):
        found = _heading_at(blocks, i, SECTIONS[next_spec:]) if next_spec < len(SECTIONS) else None
        if found is None:
            i += 1
            continue
        spec, heading, used = found
        starts.append((i, spec, heading, used))
        next_spec = SECTIONS.index(spec) + 1
        i += used if used else 1
    first = starts[0][0] if starts else len(blocks)
    sections = [Section("preamble", "", 0, first)]
    for n, (start, spec, heading, used) in enumerate(starts):
        end = starts[n + 1][0] if n + 1 < len(starts) else len(blocks)
        sections.append(Section(spec.key, heading, start, end, heading_blocks=used))
    return sections


def _heading_at(
    blocks: Sequence[Block], i: int, candidates: Sequence[SectionSpec]
) -> tuple[SectionSpec, str, int] | None:
    """Return (section, printed heading, blocks used) when a heading starts at block i."""
    text = _candidate_text(blocks[i])
    if text is None:
        return None
    spec = _match_heading(text, candidates)
    if spec is not None:
        return spec, text.strip(), 1 if isinstance(blocks[i], TextBlock) else 0
    # A heading wrapped onto the next block: "三、收到和处理" / "政府信息公开申请情况".
    if i + 1 < len(blocks) and isinstance(blocks[i + 1], TextBlock) and isinstance(blocks[i], TextBlock):
        joined = text.strip() + blocks[i + 1].text.strip()
        spec = _match_heading(joined, candidates, wrapped=True)
        if spec is not None and _is_title_start(text, spec):
            return spec, joined, 2
    return None


def _is_title_start(text: str, spec: SectionSpec) -> bool:
    """True when `text` is the beginning of one of the section's titles (the first line of a wrap)."""
    match = _HEADING.match(squeeze(nfkc(text)))
    start = core_key(match.group(2)) if match else ""
    return len(start) >= 2 and any(core_key(t).startswith(start) for t in spec.titles)


def _candidate_text(block: Block) -> str | None:
    if isinstance(block, TextBlock):
        text = block.text
    elif isinstance(block, TableBlock):
        # A heading sitting in a table's first cell (a layout table around the whole section).
        first = block.table.row_cells(0)
        text = first[0].raw if first else ""
    else:
        return None
    return text if text.strip() else None


def _match_heading(text: str, candidates: Sequence[SectionSpec], wrapped: bool = False) -> SectionSpec | None:
    """Return the section whose heading `text` is, among `candidates` (the sections still to come)."""
    flat = squeeze(nfkc(text))
    if _SUB_NUMBERING.match(flat):
        return None  # （二）… and 1.… number sub-headings inside a section, never a section
    match = _HEADING.match(flat)
    number, title = (match.group(1), match.group(2)) if match else (None, flat)
    title_key = core_key(title)
    if not title_key:
        return None
    for spec in candidates:
        if number is not None and number != spec.number:
            continue
        for known in spec.titles:
            known_key = core_key(known)
            if _title_matches(title_key, known_key, numbered=number is not None, long_ok=not wrapped):
                return spec
    return None


def _title_matches(title: str, known: str, *, numbered: bool, long_ok: bool) -> bool:
    if title == known:
        return True
    if len(title) <= _MAX_HEADING_CHARS and similarity(title, known, _MIN_TITLE_SCORE) >= _MIN_TITLE_SCORE:
        return True
    # A heading run into its paragraph ("一、总体情况。2020年…") or a longer wording around the
    # standard title ("政府信息公开工作存在的主要问题及改进情况"), numbered headings only.
    if not (numbered and long_ok):
        return False
    return title.startswith(known) or (known in title and len(title) <= len(known) + 12)
