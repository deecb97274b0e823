"""jieba set up for government-disclosure prose: a custom dictionary and a stop-word list.

The bundled dictionary (pipeline/data/terms.txt) keeps the field's terms whole — 政务公开,
依申请公开, 政策解读, 政务新媒体, 信息处理费 … — so that keywords and fact subjects are the
terms a reader expects rather than their pieces.
"""

from __future__ import annotations

import logging
from functools import lru_cache
from pathlib import Path

import jieba
import jieba.posseg

_DATA = Path(__file__).resolve().parent.parent / "data"


@lru_cache(maxsize=1)
def tokenizer() -> jieba.Tokenizer:
    """Return jieba's tokenizer with the disclosure terms loaded (once per process)."""
    jieba.setLogLevel(logging.WARNING)  # jieba prints its dictionary loading at INFO
    jieba.load_userdict(str(_DATA / "terms.txt"))
    return jieba.dt


@lru_cache(maxsize=1)
def terms() -> frozenset[str]:
    """Return the custom terms of the bundled dictionary."""
    lines = (_DATA / "terms.txt").read_text(encoding="utf-8").splitlines()
    return frozenset(line.split()[0] for line in lines if line.strip())


@lru_cache(maxsize=1)
def stopwords() -> frozenset[str]:
    """Return the stop words that carry no topic (的, 工作, 进一步 …)."""
    return frozenset((_DATA / "stopwords.txt").read_text(encoding="utf-8").split())


def pos_cut(text: str) -> list[tuple[str, str]]:
    """Return (word, part of speech) pairs of `text`; custom terms are tagged nz."""
    tokenizer()
    return [(pair.word, pair.flag) for pair in jieba.posseg.cut(text)]


def words(text: str) -> list[str]:
    """Return the words of `text` (custom terms whole)."""
    return list(tokenizer().cut(text))
