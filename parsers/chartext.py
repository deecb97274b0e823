"""The text of a group of PDF characters, as pdfplumber would extract it, but faster for one line.

Table cells (a figure, a short label) and the lines between tables are one line of characters
each, thousands per report. For them the words are built here with pdfplumber's own rules (a
gap wider than its x tolerance, a step back, a space, a step in height) without its generic
machinery, which took a tenth of a parse. Anything else (several lines, rotated text,
ligatures) is handed to pdfplumber itself, so the result is always the same as its own.
"""

from __future__ import annotations

from collections.abc import Sequence
from operator import itemgetter, methodcaller
from typing import Any

from pdfplumber.utils import extract_text
from pdfplumber.utils.text import LIGATURES

__all__ = ["chars_text"]

_TOLERANCE = 3.0  # points: pdfplumber's default x and y tolerance when it builds words and lines
_LIGATURES = frozenset(LIGATURES)
_UPRIGHT = methodcaller("get", "upright", True)


def chars_text(chars: Sequence[dict[str, Any]]) -> str:
    """Return the text of characters (a cell, a line), exactly as pdfplumber's `extract_text(chars).strip()`."""
    if not chars:
        return ""
    tops = [ch["top"] for ch in chars]
    texts = [ch["text"] for ch in chars]
    if (max(tops) - min(tops) > _TOLERANCE or not _LIGATURES.isdisjoint(texts)
            or not all(map(_UPRIGHT, chars))):
        return extract_text(list(chars)).strip()
    if len(chars) == 1:  # a figure or a character alone: one word, or nothing
        return "" if texts[0].isspace() else texts[0].strip()
    # pdfplumber clusters the line by top, then sorts it by x0 (stably): the same order here; when
    # the left edges already rise strictly, that is their order.
    lefts = [ch["x0"] for ch in chars]
    if lefts == sorted(lefts) and len(set(lefts)) == len(lefts):
        ordered: Sequence[dict[str, Any]] = chars
    else:
        ordered = sorted(sorted(chars, key=itemgetter("top")), key=itemgetter("x0"))
    words: list[str] = []
    word: list[dict[str, Any]] = []
    for ch in ordered:
        if ch["text"].isspace():
            word = _flush(word, words)
        elif word and (ch["x0"] < word[-1]["x0"] or ch["x0"] > word[-1]["x1"] + _TOLERANCE
                       or abs(ch["top"] - word[-1]["top"]) > _TOLERANCE):
            word = _flush(word, words)
            word.append(ch)
        else:
            word.append(ch)
    _flush(word, words)
    return " ".join(words).strip()


def _flush(word: list[dict[str, Any]], words: list[str]) -> list[dict[str, Any]]:
    """Add the word's text to `words` (when it has any) and return a new empty word."""
    if word:
        words.append("".join(ch["text"] for ch in word))
    return []
