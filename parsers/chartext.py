"""The text of a group of PDF characters, as pdfplumber would extract it, but faster.

Table cells (a figure, a short label) and the lines between tables are one line of characters
each, thousands per report; a wrapped label is a few lines. For them the lines and words are
built here with pdfplumber's own rules (lines clustered by top; a gap wider than its x tolerance,
a step back, a space, a step in height start a word) without its generic machinery, which took a
tenth of a parse. Anything else (rotated text, ligatures) is handed to pdfplumber itself, so the
result is always the same as its own.
"""

from __future__ import annotations

from collections.abc import Sequence
from operator import itemgetter, methodcaller
from typing import Any, TypeVar

from pdfplumber.utils import extract_text
from pdfplumber.utils.text import LIGATURES

__all__ = ["chars_text", "clusters"]

_TOLERANCE = 3.0  # points: pdfplumber's default x and y tolerance when it builds words and lines
_LIGATURES = frozenset(LIGATURES)
_UPRIGHT = methodcaller("get", "upright", True)


def chars_text(chars: Sequence[dict[str, Any]]) -> str:
    """Return the text of characters (a cell, a line), exactly as pdfplumber's `extract_text(chars).strip()`."""
    if not chars:
        return ""
    if len(chars) == 1:  # a figure or a character alone: one word, or nothing
        text = chars[0]["text"]
        if text in _LIGATURES or not _UPRIGHT(chars[0]):
            return extract_text(list(chars)).strip()
        return "" if text.isspace() else text.strip()
    plain = _one_word(chars)
    if plain is not None:
        return plain
    tops = [ch["top"] for ch in chars]
    texts = [ch["text"] for ch in chars]
    if not _LIGATURES.isdisjoint(texts) or not all(map(_UPRIGHT, chars)):
        return extract_text(list(chars)).strip()
    if max(tops) - min(tops) > _TOLERANCE:
        return _lines_text(chars)
    # pdfplumber clusters the line by top, then sorts it by x0 (stably): the same order here; when
    # the left edges already rise strictly, that is their order.
    lefts = [ch["x0"] for ch in chars]
    if lefts == sorted(lefts) and len(set(lefts)) == len(lefts):
        ordered: Sequence[dict[str, Any]] = chars
    else:
        ordered = sorted(sorted(chars, key=itemgetter("top")), key=itemgetter("x0"))
    # The words of the line, as `_words` cuts them, built as text at once.
    words: list[str] = []
    word: list[str] = []
    last: dict[str, Any] | None = None  # the last character of the word being built
    for ch in ordered:
        text = ch["text"]
        if text.isspace():
            if word:
                words.append("".join(word))
            word, last = [], None
            continue
        if last is not None and (ch["x0"] < last["x0"] or ch["x0"] > last["x1"] + _TOLERANCE
                                 or abs(ch["top"] - last["top"]) > _TOLERANCE):
            words.append("".join(word))
            word = [text]
        else:
            word.append(text)
        last = ch
    if word:
        words.append("".join(word))
    return " ".join(words).strip()


def _one_word(chars: Sequence[dict[str, Any]]) -> str | None:
    """Return the text of characters that make one word on one line, or None when they may not.

    Most cells and lines: upright single characters, no space, each left edge right of the one
    before and within the tolerance of its right edge, the tops within the tolerance. pdfplumber
    keeps their order and cuts no word among them: their text is the characters joined. Looked at
    in one pass that stops at the first character that breaks the pattern.
    """
    low = high = chars[0]["top"]
    previous = None
    texts = []
    for ch in chars:
        text = ch["text"]
        if len(text) != 1 or text in _LIGATURES or text.isspace() or not ch.get("upright", True):
            return None
        if previous is not None:
            if not previous["x0"] < ch["x0"] <= previous["x1"] + _TOLERANCE:
                return None
            top = ch["top"]
            if top < low:
                low = top
            elif top > high:
                high = top
        texts.append(text)
        previous = ch
    return "".join(texts) if high - low <= _TOLERANCE else None


def _lines_text(chars: Sequence[dict[str, Any]]) -> str:
    """Return the text of upright characters over several lines, as pdfplumber's `extract_text(chars).strip()`.

    Its steps, without its generic machinery: the characters clustered into lines by top, each line
    sorted by x0 and cut into words, the words clustered into lines again by their tops, words joined
    by a space and lines by a line break.
    """
    words: list[tuple[float, str]] = []
    for line in clusters(chars, [ch["top"] for ch in chars]):
        for word in _words(sorted(line, key=itemgetter("x0"))):
            words.append((min(ch["top"] for ch in word), "".join(ch["text"] for ch in word)))
    lines = clusters(words, [top for top, _ in words])
    return "\n".join(" ".join(text for _, text in line) for line in lines).strip()


_T = TypeVar("_T")


def clusters(items: Sequence[_T], keys: Sequence[float], tolerance: float = _TOLERANCE) -> list[list[_T]]:
    """Group items as pdfplumber's `cluster_objects(items, key, tolerance)`: the distinct keys sorted and cut
    where one exceeds the last by more than the tolerance; groups in key order, items in their order."""
    cluster_of: dict[float, int] = {}
    number, last = -1, None
    for value in sorted(set(keys)):
        if last is None or value > last + tolerance:
            number += 1
        cluster_of[value] = number
        last = value
    groups: list[list[_T]] = [[] for _ in range(number + 1)]
    for item, key in zip(items, keys, strict=True):
        groups[cluster_of[key]].append(item)
    return [group for group in groups if group]


def _words(ordered: Sequence[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """Cut a line's characters (in x order) into words by pdfplumber's rules: a space ends a word, and
    a step back, a gap wider than the tolerance or a step in height starts one."""
    words: list[list[dict[str, Any]]] = []
    word: list[dict[str, Any]] = []
    for ch in ordered:
        if ch["text"].isspace():
            if word:
                words.append(word)
            word = []
        elif word and (ch["x0"] < word[-1]["x0"] or ch["x0"] > word[-1]["x1"] + _TOLERANCE
                       or abs(ch["top"] - word[-1]["top"]) > _TOLERANCE):
            words.append(word)
            word = [ch]
        else:
            word.append(ch)
    if word:
        words.append(word)
    return words
