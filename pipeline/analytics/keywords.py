"""Keywords per section: TF-IDF with jieba's word frequencies as the general corpus.

A term's weight is its share of the section's words times its rarity in general Chinese
(log of jieba's dictionary total over the word's frequency). Stop words, numbers and single
characters are left out; the field's terms come whole from the custom dictionary.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from typing import Any

from pipeline.analytics.terms import rarity, stopwords, words

TOP_K = 10
_CJK = re.compile(r"[\u4e00-\u9fff]")


def keywords(text: str, top_k: int = TOP_K) -> list[tuple[str, float]]:
    """Return the `top_k` (term, weight) pairs of a text, heaviest first (ties by first use)."""
    stop = stopwords()
    tokens = [w for w in words(text) if len(w) > 1 and _CJK.search(w) and w not in stop]
    if not tokens:
        return []
    counts = Counter(tokens)
    scored = [(term, round(n / len(tokens) * rarity(term), 6)) for term, n in counts.items()]
    scored.sort(key=lambda pair: -pair[1])
    return scored[:top_k]


def keyword_rows(doc_id: str, sections: Iterable[Any]) -> list[dict[str, Any]]:
    """Return rows of the keywords table (doc_id, section, term, weight) for a report's sections."""
    rows: list[dict[str, Any]] = []
    for section in sections:
        if section.section == "preamble" or not section.text.strip():
            continue
        rows.extend({"doc_id": doc_id, "section": section.section, "term": term, "weight": weight}
                    for term, weight in keywords(_prose(section.text)))
    return rows


def _prose(text: str) -> str:
    """Return the running text of a section: table rows (tab-separated cells) left out."""
    return "\n".join(line for line in text.splitlines() if "\t" not in line)
