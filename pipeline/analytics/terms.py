"""jieba set up for government-disclosure prose: a custom dictionary and a stop-word list.

The bundled dictionary (pipeline/data/terms.txt) keeps the field's terms whole — 政务公开,
依申请公开, 政策解读, 政务新媒体, 信息处理费 … — so that keywords and fact subjects are the
terms a reader expects rather than their pieces. Only jieba's tokenizer is used, without its
HMM for unknown words: the part-of-speech tagger and the keyword module would add some 50 MB to
every worker process and double the time a report takes, for no better result on this prose.
"""

from __future__ import annotations

import logging
import math
import os
import sys
from functools import lru_cache
from pathlib import Path

import jieba

_DATA = Path(__file__).resolve().parent.parent / "data"


@lru_cache(maxsize=1)
def tokenizer() -> jieba.Tokenizer:
    """Return jieba's tokenizer with the disclosure terms loaded (once per process)."""
    jieba.setLogLevel(logging.WARNING)  # jieba prints its dictionary loading at INFO
    # jieba keeps its dictionary cache in the shared temporary folder by default (/tmp/jieba.cache), a file
    # any user of the machine can replace and jieba then loads with marshal: keep it in a folder of ours.
    jieba.dt.tmp_dir = str(cache_dir())
    jieba.load_userdict(str(_DATA / "terms.txt"))
    return jieba.dt


def cache_dir() -> Path:
    """Return a private cache folder: inside the Python environment, or the user's cache folder when
    the environment cannot be written to."""
    for folder in (Path(sys.prefix) / "var" / "cache" / "jieba",
                   Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "govreport" / "jieba"):
        try:
            folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        except OSError:
            continue
        if os.access(folder, os.W_OK):
            return folder
    raise OSError("no writable cache folder for jieba's dictionary")


@lru_cache(maxsize=1)
def stopwords() -> frozenset[str]:
    """Return the stop words that carry no topic (的, 工作, 进一步 …)."""
    return frozenset((_DATA / "stopwords.txt").read_text(encoding="utf-8").split())


@lru_cache(maxsize=1)
def verbs() -> frozenset[str]:
    """Return the verbs that come before what a report counts (制作, 受理, 收取 …)."""
    return frozenset((_DATA / "verbs.txt").read_text(encoding="utf-8").split())


def words(text: str) -> list[str]:
    """Return the words of `text` (custom terms whole)."""
    # jieba cuts each run of Chinese, letters and digits on its own (jieba.re_han_default splits
    # them off), so cutting run by run gives its words; reports repeat their template's clauses,
    # and a run already cut is looked up instead of cut again.
    return [word for run in _RUNS.split(text) if run for word in _run_words(run)]


_RUNS = jieba.re_han_default


@lru_cache(maxsize=65_536)
def _run_words(run: str) -> tuple[str, ...]:
    """Return jieba's words of one run of `text` (a clause between punctuation, or the text between)."""
    return tuple(tokenizer().lcut(run, HMM=False))


def rarity(word: str) -> float:
    """Return how rare a word is in general Chinese, log(total / frequency) from jieba's dictionary."""
    dt = tokenizer()
    return math.log(dt.total / max(dt.FREQ.get(word) or 0, 1))
