"""Rows recovered from running text where a table has no grid (a text dump, a PDF without rules).

The text is cut into whitespace-separated tokens; a token that is a number (or a lone —, /)
is a value, everything else is label text. Row labels are found in order in the joined label
text (exactly, or by similarity for typos), and a row's values are the value tokens that follow
its label directly. A row whose label is printed with no value is a row of blank cells; a row
whose count of values matches no layout is left out rather than guessed.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass

from pipeline.labels import unnumbered_key
from pipeline.spec import (
    ACTIVE_COLUMNS,
    ACTIVE_ROWS,
    APPLICATION_COLUMNS,
    APPLICATION_GROUPS,
    APPLICATION_ROWS,
    REVIEW_COLUMNS,
    REVIEW_ROWS,
)
from pipeline.tables.grid import KeyedCell
from pipeline.textnorm import BLANK_MARKS, label_key, nfkc, parse_number, similarity

_GLUED_FIGURES = re.compile(r"\d{3,}")  # a row's figures run into the next label: more digits than a numbering
_RESTATED = 30  # label characters (a small table's header) between a caption and its row printed again
_MAX_GAP = 80  # label characters allowed between two consecutive row labels of one table
_TRAILING_FIGURE = re.compile(r"\d[\d,]*(\.\d+)?$")  # a figure at the end of a token
# The rows under 2021's （六） group label but the last (3.其他, too short to tell a table by).
_OTHER_2021_ROWS = tuple(r.key for r in APPLICATION_ROWS if r.parent == APPLICATION_GROUPS["other"])[:-1]
_ITEM_MARKER = re.compile(r"第二十条第?[(（]?[一二三四五六七八九十]+[)）]?项")


@dataclass(frozen=True, slots=True)
class _Token:
    text: str
    page: int | None
    is_value: bool
    confidence: float | None = None  # OCR confidence of the line the token was read from


# A line of running text, or a table row as its cells' texts (each merged cell once); its page; and
# the OCR confidence it was read with, when it was.
Line = tuple[str | Sequence[str], int | None] | tuple[str | Sequence[str], int | None, float | None]


def _words(line: str | Sequence[str]) -> list[str]:
    """Return the whitespace-separated words of a line, or of a row's cells (a wrapped label's lines joined)."""
    if isinstance(line, str):
        return nfkc(line).split()
    return [word for cell in line for word in nfkc(cell.replace("\n", "")).split()]


class TokenStream:
    """Label text joined into one key string, with each key character mapped back to its token."""

    def __init__(self, lines: Sequence[Line]) -> None:
        self.tokens: list[_Token] = []
        for line, page, *confidence in lines:
            for word in _words(line):
                is_value = parse_number(word) is not None or word.lower() in BLANK_MARKS - {""}
                self.tokens.append(_Token(word, page, is_value, *confidence))
        chars: list[str] = []
        self.owner: list[int] = []
        for i, tok in enumerate(self.tokens):
            if tok.is_value:
                continue
            for ch in label_key(tok.text):
                chars.append(ch)
                self.owner.append(i)
        self.keys = "".join(chars)

    def find(self, label: str, start: int, max_gap: int | None = _MAX_GAP) -> tuple[int, int] | None:
        """Return (start, end) in the key string of `label` at or after `start`, or None."""
        needle = unnumbered_key(label)
        if not needle:
            return None
        limit = len(self.keys) if max_gap is None else min(len(self.keys), start + max_gap + len(needle))
        at = self.keys.find(needle, start, limit)
        if at >= 0:
            return at, at + len(needle)
        best, best_score = None, 0.8
        # A typo drops or adds a character or two ("其他法律行政止公开"): windows a little shorter or longer.
        for length in range(max(1, len(needle) - 2), len(needle) + 3):
            for i in range(start, max(start, limit - length + 1)):
                s = similarity(self.keys[i:i + length], needle)
                if s > best_score:
                    best, best_score = (i, i + length), s
        return best

    def values_after(self, key_end: int, count: int) -> list[_Token] | None:
        """Return the value tokens directly after the label ending at `key_end` (None: count mismatch, or
        figures glued to the label: "予以公开710000071" cannot be cut into cells, and is not blank)."""
        token = self.owner[key_end - 1]
        rest = self.keys[key_end:key_end + len(self.tokens[token].text)]
        glued = [ch for ch, owner in zip(rest, self.owner[key_end:], strict=False) if owner == token]
        if any(ch.isdigit() for ch in glued):
            return self._glued_figure(token, "".join(glued)) if count == 1 else None
        i = token + 1
        found: list[_Token] = []
        while i < len(self.tokens) and self.tokens[i].is_value:
            found.append(self.tokens[i])
            i += 1
        if not found:
            # Figures glued to the next row's label ("10000012.申请人…") are printed, not blank.
            following = self.tokens[i].text if i < len(self.tokens) else ""
            return None if _GLUED_FIGURES.match(following) else []
        return found[:count] if len(found) >= count else None

    def row_values(self, hit: tuple[int, int], count: int) -> list[_Token] | None:
        """Return a row's values: those right after its label (`values_after`); where none follow, the
        `count` values printed inside the label. A dump of a wrapped label's cell puts the row's figures
        after the label's first lines ("（二）部分公开（区分处理的，只" 2 … 2 "计这一情形，不计其他情形）")."""
        values = self.values_after(hit[1], count)
        if values == []:
            first, last = self.owner[hit[0]], self.owner[hit[1] - 1]
            inside = [tok for tok in self.tokens[first + 1:last] if tok.is_value]
            if len(inside) == count:
                return inside
        return values

    def values_between(self, key_end: int, key_start: int) -> list[_Token]:
        """Return the value tokens after the label ending at `key_end` and before the one starting at `key_start`."""
        return [tok for tok in self.tokens[self.owner[key_end - 1] + 1:self.owner[key_start]] if tok.is_value]

    def _glued_figure(self, token: int, glued: str) -> list[_Token] | None:
        """Return the one figure a row of one column prints glued to its label ("行政事业性收费80,090.76": a
        cell set a hair from its label), when the token ends in exactly that figure and no value follows."""
        tok = self.tokens[token]
        match = _TRAILING_FIGURE.search(tok.text)
        following = self.tokens[token + 1] if token + 1 < len(self.tokens) else None
        if (match is None or label_key(match.group()) != glued or parse_number(match.group()) is None
                or (following is not None and following.is_value)):
            return None
        return [_Token(match.group(), tok.page, True, tok.confidence)]

    def page_at(self, key_pos: int) -> int | None:
        return self.tokens[self.owner[key_pos]].page


def applications(stream: TokenStream) -> list[KeyedCell]:
    """Return the table-三 cells found in the stream, all seven columns in template order."""
    start = stream.find("本年新收政府信息公开申请数量", 0, max_gap=None)
    if start is None:
        return []
    columns = [c.key for c in APPLICATION_COLUMNS]
    rows = [(r.key, r.labels, None) for r in APPLICATION_ROWS]
    # The 2021 table prints （六）其他处理 as a group label over numbered rows: where one of those rows is
    # printed, the 2019 single row is not looked for (its label, matched loosely, would be found past them
    # where a dump interleaves the group label with their labels: "（六）其" … "他处理").
    if any(stream.find(label, start[0], max_gap=None) for key, labels, _ in rows
           if key in _OTHER_2021_ROWS for label in labels):
        rows = [row for row in rows if row[0] != "other"]
    cells = _rows(stream, rows, columns, start[0], "applications")
    # In the 2021 table （六）其他处理 is a group label over three numbered rows: printed with no figures
    # of its own, it is not the 2019 single row.
    if any(c.row.startswith("other.") for c in cells) and all(not c.raw for c in cells if c.row == "other"):
        cells = [c for c in cells if c.row != "other"]
    return cells


def review(stream: TokenStream) -> list[KeyedCell]:
    """Return the table-四 cells: fifteen values after the last header label, in template order."""
    anchor = stream.find("复议后起诉", 0, max_gap=None)
    if anchor is None:
        return []
    pos = anchor[1]
    values: list[_Token] | None = []
    # The header ends with the third 总计 (or 合计); the data row, if printed, follows it directly.
    for _ in range(3):
        hit = stream.find(REVIEW_COLUMNS[-1].labels[0], pos) or stream.find(REVIEW_COLUMNS[-1].labels[1], pos)
        if hit is None:
            break
        pos = hit[1]
        values = stream.values_after(pos, 15)
        if values:
            break
    if not values:
        values = _under_header(stream, anchor[1], len(REVIEW_ROWS) * len(REVIEW_COLUMNS))
    groups = tuple(r.key for r in REVIEW_ROWS)
    if not values:
        return _review_by_row(stream)  # the one data row is not printed; maybe a row per group
    keys = [(g, c.key) for g in groups for c in REVIEW_COLUMNS]
    return [KeyedCell("review_litigation", g, c, tok.text, tok.page, confidence=tok.confidence)
            for (g, c), tok in zip(keys, values, strict=True)]


# The characters of table 四's header: its row, group and column labels.
_REVIEW_HEADER = frozenset(label_key("".join([*(label for row in REVIEW_ROWS for label in row.labels),
                                              *(label for column in REVIEW_COLUMNS for label in column.labels),
                                              "行政诉讼"])))


def _under_header(stream: TokenStream, key_end: int, count: int) -> list[_Token] | None:
    """Return the `count` values that follow the label ending at `key_end` after nothing but more words
    of table 四's header, as a dump that keeps the page's layout prints it: the header's words line by line
    across its columns ("结果 结果 其他 尚未 总计 …" / "维持 纠正 结果 审结 …"), then the data row. None
    unless exactly `count` values stand there."""
    i = stream.owner[key_end - 1] + 1
    tokens = stream.tokens
    while i < len(tokens) and not tokens[i].is_value:
        if not set(label_key(tokens[i].text)) <= _REVIEW_HEADER:
            return None
        i += 1
    run = list(itertools.takewhile(lambda tok: tok.is_value, tokens[i:]))
    return run if len(run) == count else None


def _review_by_row(stream: TokenStream) -> list[KeyedCell]:
    """Return the table-四 cells printed as one small table per group (行政复议 / 未经复议直接起诉 /
    复议后起诉, each with its own 结果维持 … 总计 header and five figures), or none unless all three are."""
    out: list[KeyedCell] = []
    pos = 0
    for row in REVIEW_ROWS:
        hit = stream.find(row.labels[0], pos, max_gap=None)
        total = stream.find(REVIEW_COLUMNS[-1].labels[0], hit[1], max_gap=_RESTATED) if hit else None
        values = stream.values_after(total[1], len(REVIEW_COLUMNS)) if total else None
        if not values or total is None:
            return []
        out.extend(KeyedCell("review_litigation", row.key, c.key, tok.text, tok.page, confidence=tok.confidence)
                   for c, tok in zip(REVIEW_COLUMNS, values, strict=True))
        pos = total[1]
    return out


def active(stream: TokenStream) -> list[KeyedCell]:
    """Return the 第二十条 cells: each row's values under the column labels printed before it."""
    first = min((hit[0] for label in ("信息内容", *ACTIVE_COLUMNS[0].labels, *ACTIVE_COLUMNS[3].labels)
                 if (hit := stream.find(label, 0, max_gap=None))), default=None)
    if first is None:
        return []
    out: list[KeyedCell] = []
    pos = first
    columns: list[str] = []
    for row in ACTIVE_ROWS:
        hit = stream.find(row.labels[0], pos, max_gap=200)
        if hit is None and len(row.labels) > 1:
            hit = stream.find(row.labels[1], pos, max_gap=200)
        if hit is None:
            continue
        printed = _columns_between(stream, pos, hit[0])
        columns = printed or columns
        values = stream.row_values(hit, len(columns)) if columns else None
        if values is not None:
            out.extend(_cells("active_disclosure", row.key, columns, values, stream.page_at(hit[0]), row.item))
        pos = hit[1]
    return out


def _columns_between(stream: TokenStream, start: int, end: int) -> list[str]:
    hits = []
    for column in ACTIVE_COLUMNS:
        for label in column.labels:
            at = stream.keys.find(unnumbered_key(label), start, end)
            if at >= 0:
                hits.append((at, column.key))
                break
    hits.sort()
    # 本年处理决定数量 contains 处理决定数量: keep one key per position range.
    out: list[str] = []
    for _, key in hits:
        if key not in out:
            out.append(key)
    return out


def _rows(stream: TokenStream, rows: Sequence[tuple[str, Sequence[str], str | None]], columns: Sequence[str],
          start: int, table: str) -> list[KeyedCell]:
    out: list[KeyedCell] = []
    pos = start
    blank: tuple[str, tuple[int, int], str | None] | None = None  # the row found before, when read blank
    blank_index = -1
    for index, (key, labels, item) in enumerate(rows):
        # The longest wording first: a label wrapped or split by a stray space ("只计这一情 形") must be
        # passed whole, or its tail is taken for the row's first figures.
        wordings = sorted(labels, key=len, reverse=True)
        hit = next((h for label in wordings if (h := stream.find(label, pos))), None)
        if hit is None:
            continue
        if blank is not None and index == blank_index + 1:
            # A row read blank whose figures stand after other words, before the next row's label: a dump
            # that keeps the page's layout sets a group label's rest between a row's label and its figures
            # ("2.没有现成信息需要另行制" / "法提供  2 0 0 0 0 0 2" / "作"). Those figures are the row's, when
            # the two rows follow each other in the template (no row's label between them went unfound).
            figures = stream.values_between(blank[1][1], hit[0])
            if len(figures) == len(columns):
                out = [c for c in out if c.row != blank[0]]
                out.extend(_cells(table, blank[0], columns, figures, stream.page_at(blank[1][0]), blank[2]))
        values = stream.row_values(hit, len(columns))
        if values == []:
            # A label printed twice, first as a caption with no figures after it ("### 一、本年新收…" above
            # its own small table): the printing with figures is the row.
            again = next((h for label in wordings if (h := stream.find(label, hit[1], max_gap=_RESTATED))), None)
            restated = stream.values_after(again[1], len(columns)) if again is not None else None
            if again is not None and restated:
                hit, values = again, restated
        if values is not None:
            out.extend(_cells(table, key, columns, values, stream.page_at(hit[0]), item))
        blank, blank_index = ((key, hit, item) if values == [] else None), index
        pos = hit[1]
    return out


def _cells(table: str, key: str, columns: Sequence[str], values: Sequence[_Token], page: int | None,
           item: str | None) -> list[KeyedCell]:
    if not values:  # a label printed with no values: a row of blank cells
        return [KeyedCell(table, key, column, "", page, item) for column in columns]
    pairs = zip(columns, values, strict=True)
    return [KeyedCell(table, key, column, tok.text, tok.page, item, tok.confidence) for column, tok in pairs]
