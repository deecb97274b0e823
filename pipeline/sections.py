"""Split a Document into the preamble and the six standard report sections.

A heading is recognised by its number (一 … 六, followed by 、 . ， or nothing) and by its
title matching one of the section's titles by meaning (pipeline.labels), in document order
only: a section can follow only the sections before it, so table row labels such as
"四、结转下年度继续办理" never open a section. Under its own number a short title needs only to
name the section's concept (五、存在的主要问题及整改措施, 五、下一步工作打算, 二、主动公开情况).
A heading without a number must look like one: a line of its own, short, marked as a heading
or bold by the reader or standing after a finished sentence, never the continuation of a
wrapped sentence ("公开申请情况、因政府信息公开工作被申请行政复议和提起行政" in a preamble
that lists the sections). A heading may wrap over two blocks, carry spaces or Markdown marks,
or sit in the first cell of a table. Sub-headings （一）（二） stay in their section.
Never edits, drops or reorders blocks: every block belongs to exactly one section.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from pipeline.labels import unnumbered_key
from pipeline.model import Block, Document, Table, TableBlock, TextBlock
from pipeline.spec import SECTION_SPECS, SectionSpec
from pipeline.textnorm import label_key, nfkc, similarity, squeeze

_HEADING = re.compile(r"^(?:第)?([一二三四五六])(?:部分)?\s*[、.,，．:：]?\s*(.*)$", re.S)
_SUB_NUMBERING = re.compile(r"^(?:[(（][一二三四五六七八九十\d]+[)）]|\d+[、.,，．)）])")
_MAX_HEADING_CHARS = 40  # a longer block is running text that merely starts with 一、
_RUN_IN_CHARS = 6  # more characters than this after a heading on its line are its paragraph's
_MAX_CONCEPT_CHARS = 24  # a numbered title named by its concept alone is short
_TITLE_ENDINGS = ("情况", "措施", "打算", "计划", "事项", "概述", "概况", "问题", "不足", "方向", "信息", "申请",
                  "诉讼")
_MIN_TITLE_SCORE = 0.8
# A title under another number than its section's must be one of the section's titles in full:
# at least this long, and at least this alike ("三、主动公开工作情况" names a sub-part, not 二).
_FULL_TITLE_CHARS = 6
_RENUMBERED_SCORE = 0.9
# A line ending in one of these finished its sentence; a line after a long one that did not is its
# continuation (a wrapped sentence), never a heading of its own.
_SENTENCE_END = tuple("。！？!?：:；;）)」”\"")
_CLAUSE_END = tuple("、，,")  # a line ending in one of these goes on in the next
_FULL_STOP = tuple("。！？!?；;")  # a line ending in one of these is a sentence, never an unnumbered heading
_WRAPPED_LINE_CHARS = 16
# Decoration around a heading that says nothing about which one it is: Markdown marks, brackets.
_DECORATION = re.compile(r"^[#*_>\s【\[]+|[*_】\]\s]+$")


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
    rows = (row_text(block.table, r) for r in range(block.table.n_rows))
    return "\n".join(row for row in rows if row.strip())


def row_text(table: Table, row: int) -> str:
    """Return a table row as text: its cells (each merged cell once) tab-separated, a label wrapped
    inside its cell one word again."""
    return "\t".join(c.raw.replace("\n", "") for c in table.row_cells(row))


def appended(document: Document, section: Section, anchor: str, others: Sequence[str]) -> Sequence[Block]:
    """Return the blocks after `section` that hold its table when the report appends its tables after
    section 六 (附表一 …): from there up to the first block after `anchor` (the table's own header
    words) that holds another table's header words (`others`); none when `anchor` is not printed there."""
    blocks = document.blocks[section.end:]
    keys = [label_key(block_text(b)) for b in blocks]
    own = next((i for i, key in enumerate(keys) if label_key(anchor) in key), None)
    if own is None:
        return ()
    other_keys = [label_key(a) for a in others]
    end = next((i for i in range(own + 1, len(keys)) if any(a in keys[i] for a in other_keys)), len(blocks))
    return blocks[:end]


_Start = tuple[int, SectionSpec, str, int]  # block index, section, heading as printed, blocks it uses


def segment(document: Document) -> list[Section]:
    """Return the sections of `document` in order: the preamble first, then each heading found."""
    blocks = document.blocks
    starts: list[_Start] = []
    next_spec = 0
    i = 0
    while i < len(blocks):
        found = _heading_at(blocks, i, SECTION_SPECS[next_spec:]) if next_spec < len(SECTION_SPECS) else None
        if found is None:
            i += 1
            continue
        spec, heading, used = found
        starts.append((i, spec, heading, used))
        next_spec = SECTION_SPECS.index(spec) + 1
        i += used if used else 1
    starts = _renumbered(blocks, starts)
    first = starts[0][0] if starts else len(blocks)
    sections = [Section("preamble", "", 0, first)]
    for n, (start, spec, heading, used) in enumerate(starts):
        end = starts[n + 1][0] if n + 1 < len(starts) else len(blocks)
        sections.append(Section(spec.key, heading, start, end, heading_blocks=used))
    return sections


def _renumbered(blocks: Sequence[Block], starts: list[_Start]) -> list[_Start]:
    """Add the sections a report prints under a numbering of its own, between the sections found.

    Some reports number their parts their own way: the three tables under captions 一、二、三 inside
    one part ("二、政府信息公开工作统计情况" / "一、主动公开政府信息情况" …), the last sections
    numbered on from there (三、存在的主要问题及改进情况), or the sub-headings of 一 numbered like
    sections. A section not found under its own number is then found by its full standard title
    under any number, a line of its own, in its place among the sections found.
    """
    out = sorted(starts, key=lambda s: s[0])
    for k, spec in enumerate(SECTION_SPECS):
        if any(s[1] is spec for s in out):
            continue
        before = [s for s in out if SECTION_SPECS.index(s[1]) < k]
        after = [s for s in out if SECTION_SPECS.index(s[1]) > k]
        low = max((s[0] + max(s[3], 1) for s in before), default=0)
        high = min((s[0] for s in after), default=len(blocks))
        for i in range(low, high):
            found = _titled_heading(blocks, i, spec, high)
            if found is not None:
                out = sorted([*out, (i, spec, *found)], key=lambda s: s[0])
                break
    return out


def _titled_heading(blocks: Sequence[Block], i: int, spec: SectionSpec, end: int) -> tuple[str, int] | None:
    """Return (heading, blocks used) when block i is a numbered line of its own printing one of the
    section's titles in full (any number), alone or wrapped onto the next block before `end`."""
    block = blocks[i]
    if not isinstance(block, TextBlock) or not _heading_shaped(blocks, i):
        return None
    texts = [(block.text.strip(), 1)]
    following = blocks[i + 1] if i + 1 < end else None
    if isinstance(following, TextBlock):
        texts.append((block.text.strip() + following.text.strip(), 2))
    for text, used in texts:
        flat = _DECORATION.sub("", squeeze(nfkc(text)))
        match = _HEADING.match(flat)
        if match is None or len(flat) > _MAX_HEADING_CHARS:
            continue
        title = unnumbered_key(_DECORATION.sub("", match.group(2)))
        if len(title) >= _FULL_TITLE_CHARS and any(
                similarity(title, unnumbered_key(known), _RENUMBERED_SCORE) >= _RENUMBERED_SCORE
                for known in spec.titles):
            return text, used
    return None


def _heading_at(
    blocks: Sequence[Block], i: int, candidates: Sequence[SectionSpec]
) -> tuple[SectionSpec, str, int] | None:
    """Return (section, printed heading, blocks used) when a heading starts at block i."""
    text = _candidate_text(blocks[i])
    if text is None:
        return None
    shaped = _heading_shaped(blocks, i)
    spec = _match_heading(text, candidates, unnumbered_ok=shaped)
    if spec is not None:
        if not isinstance(blocks[i], TextBlock):
            return spec, text.strip(), 0
        head = _run_in_heading(text, spec)
        if head is not None:
            # A heading run into its paragraph ("一、总体情况 2024年，…"): the line stays in the body,
            # so no word of the paragraph (nor a table flattened into it) is lost.
            return spec, head, 0
        return spec, text.strip(), 1
    # A heading wrapped onto the next block: "三、收到和处理" / "政府信息公开申请情况".
    following = blocks[i + 1] if i + 1 < len(blocks) else None
    if isinstance(following, TextBlock) and isinstance(blocks[i], TextBlock):
        joined = text.strip() + following.text.strip()
        spec = _match_heading(joined, candidates, wrapped=True, unnumbered_ok=shaped)
        if spec is not None and _is_title_start(text, spec):
            return spec, joined, 2
    return None


def _run_in_heading(text: str, spec: SectionSpec) -> str | None:
    """Return the heading part of a line that runs on into its paragraph, or None when the line is the
    heading alone (or carries no more than a few characters after it)."""
    stripped = text.strip()
    titles = [unnumbered_key(t) for t in spec.titles]
    for end in range(2, min(len(stripped), _MAX_HEADING_CHARS + 8) + 1):
        key = unnumbered_key(stripped[:end])
        if any(key.endswith(t) for t in titles if t):
            rest = stripped[end:].strip()
            return stripped[:end] if len(squeeze(rest)) > _RUN_IN_CHARS else None
    return None


def _heading_shaped(blocks: Sequence[Block], i: int) -> bool:
    """True when block i can be a heading without a number: marked as one, or a line of its own.

    A line that continues a long line which did not finish its sentence is part of a wrapped
    paragraph (a preamble listing the sections' names), whatever words it starts with.
    """
    block = blocks[i]
    if not isinstance(block, TextBlock) or block.heading_level is not None:
        return True
    if block.text.strip().endswith(_FULL_STOP):
        return False  # a sentence ("无其他需要报告的事项。"), however it is set
    if block.bold:
        return True
    if block.text.strip().endswith(_CLAUSE_END):
        return False  # an item of a list in running text
    previous = blocks[i - 1] if i > 0 else None
    if not isinstance(previous, TextBlock) or previous.heading_level is not None or previous.bold:
        return True
    before = previous.text.strip()
    if before.endswith(_CLAUSE_END):
        return False
    return len(squeeze(before)) < _WRAPPED_LINE_CHARS or before.endswith(_SENTENCE_END)


def _is_title_start(text: str, spec: SectionSpec) -> bool:
    """True when `text` is the beginning of one of the section's titles (the first line of a wrap)."""
    match = _HEADING.match(squeeze(nfkc(text)))
    start = unnumbered_key(match.group(2)) if match else ""
    return len(start) >= 2 and any(unnumbered_key(t).startswith(start) for t in spec.titles)


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


def _match_heading(text: str, candidates: Sequence[SectionSpec], wrapped: bool = False,
                   unnumbered_ok: bool = True) -> SectionSpec | None:
    """Return the section whose heading `text` is, among `candidates` (the sections still to come)."""
    flat = _DECORATION.sub("", squeeze(nfkc(text)))
    if _SUB_NUMBERING.match(flat):
        return None  # （二）… and 1.… number sub-headings inside a section, never a section
    match = _HEADING.match(flat)
    number, title = (match.group(1), match.group(2)) if match else (None, flat)
    if number is None and not unnumbered_ok:
        return None
    title_key = unnumbered_key(_DECORATION.sub("", title))
    if not title_key:
        return None
    for spec in candidates:
        if number is not None and number != spec.number:
            continue
        for known in spec.titles:
            known_key = unnumbered_key(known)
            if _title_matches(title_key, known_key, numbered=number is not None, long_ok=not wrapped):
                return spec
        if number is not None and not wrapped and _names_concept(title, title_key, spec):
            return spec
    return None


def _names_concept(title: str, title_key: str, spec: SectionSpec) -> bool:
    """True when a short numbered title names the section's concept (五、存在的不足和改进措施).

    It must end as a section title does (…情况, …措施, …事项): a numbered point of running text
    such as "二、加强主动公开" names the concept too, but as a task, not a title.
    """
    if len(title_key) > _MAX_CONCEPT_CHARS or re.search(r"[。；;！？!?]", title.rstrip("。")):
        return False  # a sentence, not a title
    return title_key.endswith(_TITLE_ENDINGS) and any(word in title_key for word in spec.concept)


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
