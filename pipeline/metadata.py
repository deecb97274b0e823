"""Who published a report and for which year, from its title line and preamble.

The agency is the name printed in the title ("淮安市人民政府"); where the preamble names the
same body more fully ("由淮安市洪泽区人民政府办公室编制" for a title "洪泽区人民政府"), the
fuller name is kept. Nothing is guessed: a value the document does not print is None.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from difflib import SequenceMatcher

from pipeline.textnorm import nfkc, squeeze

_TITLE_TAIL = re.compile(r"(\d{4})年(?:度)?(?:本?机关|本单位)?(?:政府)?信息公开(?:工作)?年度?报告.*$")
_YEAR_FIRST = re.compile(r"^(\d{4})年(?:度)?(.+?)(?:政府)?信息公开(?:工作)?年度?报告")
_PERIOD_YEAR = re.compile(r"统计期限?(?:为|是)?(?:自|从)?(\d{4})年")
# A fuller name in the preamble starts after one of these (由…编制, 请与…联系, 地址：…).
_NAME_STOP = re.compile(r"[由据与请向和及,，。；;：:（(《》)）\s\d年]")
# One or more place names ending in an administrative unit, or a lone unit character.
_PLACE = re.compile(r"(?:[\u4e00-\u9fff]{1,7}?(?:省|自治区|市|自治州|州|地区|盟|区|县|旗|镇|乡|街道))+|[省市区县镇乡]")
_SUFFIXES = ("人民政府办公厅", "人民政府办公室", "人民政府", "街道办事处", "办事处", "办公厅", "委员会", "管理局",
             "局", "厅", "委", "办", "政府", "中心", "院", "所")


def title_of(lines: Sequence[str]) -> str:
    """Return the title: the leading lines of the preamble up to the one naming the 年度报告."""
    parts: list[str] = []
    for line in lines[:4]:
        parts.append(squeeze(line))
        if "报告" in "".join(parts):  # a title may wrap inside a word: "…年度报" / "告"
            return "".join(parts)
    return ""


def year_of(title: str, preamble: str) -> int | None:
    """Return the report year from the title, else from the statistics period of the preamble."""
    for pattern, text in ((_TITLE_TAIL, title), (_YEAR_FIRST, title), (_PERIOD_YEAR, squeeze(preamble))):
        match = pattern.search(text)
        if match:
            return int(match.group(1))
    return None


def agency_of(title: str, preamble: str) -> str | None:
    """Return the publishing body as printed in the title, completed from the preamble."""
    match = _YEAR_FIRST.search(title)
    if match:
        name = match.group(2)
    elif _TITLE_TAIL.search(title):
        name = _TITLE_TAIL.sub("", title)
    else:  # no year in the title: the body is what precedes the report's name, if anything
        name = re.split(r"(?:政府)?信息公开", title)[0]
    if not name or len(name) < 2:
        return None
    return _fuller_name(name, squeeze(nfkc(preamble))) or name


def _fuller_name(name: str, preamble: str) -> str | None:
    suffix = next((s for s in _SUFFIXES if name.endswith(s)), None)
    if suffix is None:
        return None
    for match in re.finditer(re.escape(suffix), preamble):
        window = preamble[max(0, match.end() - len(name) - 8):match.end()]
        stops = list(_NAME_STOP.finditer(window))
        candidate = window[stops[-1].end():] if stops else window
        if candidate != name and _only_places_added(name, candidate):
            return candidate
    return None


def _only_places_added(name: str, candidate: str) -> bool:
    """True when `candidate` is `name` with only administrative places added (淮安市, 区 …).

    This keeps "本报告电子版可在淮安市人民政府" or "现公布…" from passing as a fuller name.
    """
    ops = SequenceMatcher(None, name, candidate, autojunk=False).get_opcodes()
    if any(op not in ("equal", "insert") for op, *_ in ops):
        return False
    inserted = [candidate[j1:j2] for op, _, _, j1, j2 in ops if op == "insert"]
    return bool(inserted) and all(_PLACE.fullmatch(piece) for piece in inserted)
