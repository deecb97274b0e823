"""Keywords per section (TF-IDF over jieba's bundled IDF, custom terms whole, stop words out)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import jieba.analyse

from pipeline.analytics.terms import stopwords, tokenizer

TOP_K = 10
_POS = ("n", "nz", "vn", "v", "nt", "ns", "l", "eng")


def keywords(text: str, top_k: int = TOP_K) -> list[tuple[str, float]]:
    """Return the `top_k` (term, weight) pairs of a text, heaviest first."""
    tokenizer()
    stop = stopwords()
    found = jieba.analyse.extract_tags(text, topK=top_k * 3, withWeight=True, allowPOS=_POS)
    kept = [(term, round(float(weight), 6)) for term, weight in found
            if term not in stop and len(term) > 1 and not term.isdigit()]
    return kept[:top_k]


def keyword_rows(doc_id: str, sections: Iterable[Any]) -> list[dict[str, Any]]:
    """Return rows of the keywords table (doc_id, section, term, weight) for a report's sections."""
    rows = []
    for section in sections:
        if section.section == "preamble" or not section.text.strip():
            continue
        rows.extend({"doc_id": doc_id, "section": section.section, "term": term, "weight": weight}
                    for term, weight in keywords(_prose(section.text)))
    return rows


def _prose(text: str) -> str:
    """Return the running text of a section: table rows (tab-separated cells) left out."""
    return "\n".join(line for line in text.splitlines() if "\t" not in line)
