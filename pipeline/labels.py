"""Matching printed labels to canonical ones by meaning, not by exact text.

A label is reduced to a key (NFKC, no whitespace or punctuation, numbering such as 一、 （三）
1. removed) and compared with the canonical labels of the spec by similarity, so that typos
(其他法律行政止公开), stray spaces, line breaks and full-width forms never need their own rule.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import lru_cache
from typing import TypeVar

from pipeline.textnorm import NUMBERING, label_key, nfkc, similarity

_HAS_CJK = re.compile(r"[\u4e00-\u9fff]")
MIN_SCORE = 0.8

T = TypeVar("T")


def strip_numbering(text: str) -> str:
    """Return `text` without its leading outline numbering (一、 （三） 1. …), repeated as in "三、（一）"."""
    text = nfkc(text).strip()
    while True:
        stripped = NUMBERING.sub("", text, count=1).lstrip()
        if stripped == text:
            return text
        text = stripped


@lru_cache(maxsize=65536)
def unnumbered_key(text: str) -> str:
    """Return the matching key of a label with its numbering removed."""
    return label_key(strip_numbering(re.sub(r"\s+", "", nfkc(text))))


def score(text: str, label: str, floor: float = 0.0) -> float:
    """Return how well the printed `text` matches the canonical `label`, 0…1 (0.0 when below `floor`)."""
    return _key_score(unnumbered_key(text), unnumbered_key(label), floor)


@lru_cache(maxsize=262144)
def _key_score(a: str, b: str, floor: float) -> float:
    if not a or not b:
        return 0.0
    if a == b:
        return 1.0
    return similarity(a, b, floor)


def best_match(text: str, options: Iterable[tuple[T, Sequence[str]]], min_score: float = MIN_SCORE) -> T | None:
    """Return the option whose labels best match `text`, or None when none reaches `min_score`.

    A text is matched by its key alone (`unnumbered_key`): a label wrapped at another place, spaced or
    numbered otherwise is the same text to match. Options given as a tuple (a recognizer's fixed rows or
    columns, labels in tuples) are matched once per key: every recognizer asks of the same cells again,
    and every report prints the template's labels, wrapped as its layout wraps them.
    """
    if not _label_like(text):
        return None  # numbers and blanks are never labels; most cells of a table are such
    if isinstance(options, tuple):
        return _fixed_match(unnumbered_key(text), options, min_score)
    return _best_match(unnumbered_key(text), options, min_score)


@lru_cache(maxsize=65536)
def _fixed_match(key: str, options: tuple[tuple[T, Sequence[str]], ...], min_score: float) -> T | None:
    return _best_match(key, options, min_score)


def _best_match(key: str, options: Iterable[tuple[T, Sequence[str]]], min_score: float) -> T | None:
    best: T | None = None
    best_score = min_score
    length = len(key)
    for value, labels in options:
        for label in labels:
            other = unnumbered_key(label)
            # A label whose key is too much shorter or longer cannot reach the score (similarity's own
            # first bound): most labels of a table against a cell, skipped before the pair is scored.
            if min_score > 0 and (not length or not other
                                  or 2 * min(length, len(other)) / (length + len(other)) < min_score):
                continue
            s = _key_score(key, other, min_score)
            if s > best_score or (s == best_score and best is None and s >= min_score):
                best, best_score = value, s
    return best


@lru_cache(maxsize=65536)
def _label_like(text: str) -> bool:
    """Return True when the key of `text` holds a Chinese character (only such a text can be a label)."""
    return bool(_HAS_CJK.search(unnumbered_key(text)))


def contains_label(text: str, label: str) -> bool:
    """Return True when the key of `label` occurs inside the key of `text`."""
    needle = unnumbered_key(label)
    return bool(needle) and needle in label_key(text)
