"""Facts stated in the prose: a number with its unit and what it counts.

"主动公开政府信息 1136 条" → (主动公开政府信息, 1136, 条). The subject is the run of words just
before the number (custom terms whole), at most eight characters, stopping at a verb (制作 …),
a channel (平台, 网站) or a stop word (我区, 全年), so that only what is counted remains.
Numbers in table rows and dates (2023 年) are not facts.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from pipeline.analytics.terms import stopwords, verbs, words
from pipeline.textnorm import nfkc

_SENTENCE = re.compile(r"[^。；;！？!?\n]+[。；;！？!?]?")
_FACT = re.compile(r"(\d[\d,]*(?:\.\d+)?)\s*(余)?\s*(人次|万元|元|条|件|篇|个|次|场|期|家|项|份|人|%)")
_CJK = re.compile(r"[\u4e00-\u9fff]")
_MAX_SUBJECT = 8
# Where something was published, not what: "在政府网站平台主动公开政府信息" counts 主动公开政府信息.
_CHANNELS = frozenset({"平台", "网站", "门户网站", "政府网站", "渠道", "栏目", "专栏", "载体"})


def facts(text: str) -> list[dict[str, Any]]:
    """Return the facts of a text: subject, value, unit and the sentence they come from."""
    out = []
    for sentence in _SENTENCE.findall(_prose(nfkc(text))):
        sentence = sentence.strip()
        if not sentence:
            continue
        for match in _FACT.finditer(sentence):
            subject = _subject(sentence[: match.start()])
            if subject is None:
                continue
            value = float(match.group(1).replace(",", ""))
            out.append({"subject": subject, "value": value, "unit": match.group(3), "sentence": sentence})
    return out


def _prose(text: str) -> str:
    """Return running text with table rows left out and wrapped lines joined.

    Chinese needs no space between words, and a PDF line ends wherever the page ran out
    ("…主动公开政" / "府信息 1136 条"); a line ending a sentence keeps its 。 so nothing merges.
    """
    return "".join(line.strip() for line in text.splitlines() if "\t" not in line)


def _subject(before: str) -> str | None:
    clause = re.split(r"[,，、:：（(《》]", before)[-1]
    if re.search(r"\d\s*$", clause) or not clause.strip():
        return None
    picked: list[str] = []
    for word in reversed([w for w in words(clause) if w.strip()]):
        if (word in stopwords() or word in verbs() or word in _CHANNELS or not _CJK.search(word)
                or len("".join(picked)) + len(word) > _MAX_SUBJECT):
            break
        picked.insert(0, word)
    return "".join(picked) or None


def fact_rows(doc_id: str, sections: Iterable[Any]) -> list[dict[str, Any]]:
    """Return rows of the facts table (doc_id, section, subject, value, unit, sentence)."""
    return [{"doc_id": doc_id, "section": s.section, **fact} for s in sections for fact in facts(s.text)]
