"""Who published a report and for which year, from its title line and preamble.

The agency is the name printed in the title ("淮安市人民政府"); where the preamble names the
same body more fully ("由淮安市洪泽区人民政府办公室编制" for a title "洪泽区人民政府"), the
fuller name is kept. Nothing is guessed: a value the document does not print is None.

Titles are read as printed: the year with spaces, full-width digits or Chinese numerals
("２０２４ 年", "二〇二四年"); the lines a portal page prints above a report (索引号, 发布机构,
发布日期, 来源 …) are skipped and a "标题：" before the title is dropped.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Any

from pipeline.textnorm import arabic_years, nfkc, squeeze

# The report's own name after the year: 政府信息公开工作年度报告, 政务公开工作年度报告, 信息公开年报 …
_REPORT = r"(?:政府|政务)?信息公开(?:工作)?(?:年度?报告|年报|工作报告)|政务公开(?:工作)?(?:年度?报告|年报)"
_TITLE_TAIL = re.compile(rf"(\d{{4}})年(?:度)?(?:本?机关|本单位)?(?:{_REPORT}).*$")
_YEAR_START = re.compile(r"^\d{4}年")
_YEAR_FIRST = re.compile(rf"^(\d{{4}})年(?:度)?(.+?)(?:{_REPORT})")
# Lines of a portal page's information box above the report, and prefixes before its title.
_PORTAL_LINE = re.compile(r"^(?:索引号|发布机构|发文机关|发文机构|公开方式|发布日期|发文日期|成文日期|发布时间|"
                          r"来源|信息来源|分类|主题分类|文号|发文字号|有效性|时效|浏览次数|点击数|访问量|字号|作者|"
                          r"生成日期|所属机构|公开范围|组配分类|体裁分类)[:：|]?")
_BREADCRUMB = re.compile(r"^(?:当前位置|您的位置|您现在的位置|所在位置)[:：]|首页[>»]")
_TITLE_PREFIX = re.compile(r"^(?:标题|题目|名称|文件名称|信息名称)[:：|]")
_TITLE_LINES = 12  # how far down a title may stand (below a portal's information box)
_PERIOD_YEAR = re.compile(r"统计期限?(?:为|是)?(?:自|从)?(\d{4})年")
_ANY_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})年")  # a title naming its year elsewhere: "…年度报告（2024年）"
# A fuller name in the preamble starts after one of these (由…编制, 请与…联系, 地址：…).
_NAME_STOP = re.compile(r"[由据与请向和及,，。；;：:（(《》)）\s\d年]")
# One or more place names ending in an administrative unit, or a lone unit character.
_PLACE = re.compile(r"(?:[\u4e00-\u9fff]{1,7}?(?:省|自治区|市|自治州|州|地区|盟|区|县|旗|镇|乡|街道))+|[省市区县镇乡]")
_SUFFIXES = ("人民政府办公厅", "人民政府办公室", "人民政府", "街道办事处", "办事处", "办公厅", "委员会", "管理局",
             "局", "厅", "委", "办", "政府", "中心", "院", "所")


def title_of(lines: Sequence[str]) -> str:
    """Return the title: the leading lines of the preamble up to the one naming the 年度报告.

    Portal lines (索引号：…, 发布机构：…) before it are skipped; "标题：" before it is dropped. A title
    that names no body and no year (a portal's heading over the report's pages, "政府信息公开工作年度报告")
    gives way to a title below it that names both.
    """
    lines = lines[:_TITLE_LINES]
    title, end = _title_at(lines)
    if title and not _names_body(title):
        below, _ = _title_at(lines[end:])
        if below and _names_body(below):
            return below
    return title


def _title_at(lines: Sequence[str]) -> tuple[str, int]:
    """Return the first title of `lines` (see `title_of`) and the index of the line after it ("" and the
    number of lines when there is none)."""
    parts: list[str] = []
    for index, line in enumerate(lines):
        text = arabic_years(squeeze(line))
        if not parts and _PORTAL_LINE.match(text):
            continue
        if _BREADCRUMB.search(text):
            # A portal page printed or saved whole: the site's name and menus stand above its breadcrumb.
            parts = []
            continue
        if parts and _YEAR_START.match(text) and not _is_body("".join(parts)):
            # A title opening with its year ("2024年上海市科委…") starts here: what stood above it is page
            # furniture ("正文", a converter's page label), not a body named before the year.
            parts = []
        parts.append(_TITLE_PREFIX.sub("", text))
        if "报告" in "".join(parts) or "年报" in "".join(parts):  # a title may wrap in a word: "…年度报" / "告"
            # A line naming body, year and report on its own is the title; lines above it are page furniture
            # ("政府信息公开" of a portal's breadcrumb), not a title wrapped over them.
            return (parts[-1] if len(parts) > 1 and _names_body(parts[-1]) else "".join(parts)), index + 1
        if len(parts) == 4:
            break
    return "", len(lines)


def _names_body(line: str) -> bool:
    """True when the text before the year of a title line is a body's name (…局, …人民政府, 福州市晋安区)."""
    match = _TITLE_TAIL.search(line)
    return _is_body(line[:match.start()] if match else "")


def _is_body(name: str) -> bool:
    """True when `name` reads as a body's name: a body suffix (…局, …人民政府) or a place (福州市晋安区)."""
    return len(name) >= 2 and (name.endswith(_SUFFIXES) or _PLACE.fullmatch(name) is not None)


def year_of(title: str, preamble: str) -> int | None:
    """Return the report year from the title, else from the statistics period of the preamble."""
    periods = arabic_years(squeeze(preamble))
    for pattern, text in ((_TITLE_TAIL, title), (_YEAR_FIRST, title), (_ANY_YEAR, title), (_PERIOD_YEAR, periods)):
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


# --- Contacts, period, publication, level -------------------------------------------------------

_PHONE = re.compile(r"(?:电话|联系电话|咨询电话|电话号码)[:：]?((?:0\d{2,3}[-－—]?)?\d{7,8}(?:[-－转]\d{1,5})?)")
_ANY_PHONE = re.compile(r"(?<!\d)(0\d{2,3}[-－—]\d{7,8})(?!\d)")
_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")
_ADDRESS = re.compile(r"(?:通讯地址|联系地址|办公地址|地址)[:：]([^，,；;。)）]+)")
_PERIOD = re.compile(
    r"统计期限?(?:为|是)?(?:自|从)?(\d{4})年(\d{1,2})月(\d{1,2})日(?:起)?(?:至|到|—|-)(?:(\d{4})年)?(\d{1,2})月(\d{1,2})日"
)
_PUBLISHED = re.compile(r"(发布|公开|印发)(?:日期|时间)[:：](\d{4})[-年/.](\d{1,2})[-月/.](\d{1,2})")
_DATE_LINE = re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日$")
_GOVERNMENT = re.compile(r"(人民政府|政府)(办公厅|办公室)?$")
_STREET = ("街道办事处", "街道", "办事处")
_TOWNSHIP = ("镇人民政府", "乡人民政府", "镇政府", "乡政府")


@dataclass(frozen=True, slots=True)
class Contacts:
    """How to reach the body, as the preamble prints it (None where it does not)."""

    phone: str | None
    email: str | None
    address: str | None


def contacts_of(preamble: str) -> Contacts:
    """Return the phone, e-mail and address stated in the preamble."""
    flat = squeeze(nfkc(preamble))
    phone = _PHONE.search(flat) or _ANY_PHONE.search(flat)
    email = _EMAIL.search(flat)
    address = _ADDRESS.search(flat)
    return Contacts(phone.group(1) if phone else None, email.group(0) if email else None,
                    address.group(1) if address else None)


def period_of(preamble: str) -> tuple[str | None, str | None]:
    """Return the statistics period (ISO start and end dates) stated in the preamble."""
    match = _PERIOD.search(squeeze(nfkc(preamble)))
    if match is None:
        return None, None
    y1, m1, d1, y2, m2, d2 = match.groups()
    return _iso(y1, m1, d1), _iso(y2 or y1, m2, d2)


def published_of(preamble: str, closing_lines: Sequence[str]) -> str | None:
    """Return the publication date: a 发布日期 in the preamble, else a date line closing the report."""
    return publication_of(preamble, closing_lines)[0]


def publication_of(preamble: str, closing_lines: Sequence[str]) -> tuple[str | None, str | None]:
    """Return the publication date and where it is printed: "web_page" for the 发布日期 / 发布时间 of a
    portal's information box above the report, "document" for a date the report itself prints (印发日期,
    or the date line that closes it)."""
    match = _PUBLISHED.search(squeeze(nfkc(preamble)))
    if match:
        return _iso(*match.groups()[1:]), "document" if match.group(1) == "印发" else "web_page"
    for line in reversed(closing_lines):
        date = _DATE_LINE.match(squeeze(nfkc(line)))
        if date:
            return _iso(*date.groups()), "document"
    return None, None


def _iso(year: str, month: str, day: str) -> str | None:
    try:
        return dt.date(int(year), int(month), int(day)).isoformat()
    except ValueError:
        return None


def level_of(agency: str | None) -> str | None:
    """Return province / city / county / township / street / department for a body's name, or None.

    Read from the name's suffixes: the level of a body whose places the gazetteer does not know
    (pipeline.bodies). A government's general office (办公厅 / 办公室) reports for the government and
    takes its level; the four municipalities are provincial.
    """
    if not agency:
        return None
    if agency.endswith(_STREET):
        return "street"
    if agency.endswith(_TOWNSHIP):
        return "township"
    government = _GOVERNMENT.search(agency)
    if government is None:
        return "department"
    place = agency[: government.start()]
    if place.endswith(("省", "自治区")) or place in ("北京市", "上海市", "天津市", "重庆市"):
        return "province"
    if place.endswith(("区", "县", "旗")) or place.endswith("自治县"):
        return "county"
    if place.endswith(("市", "州", "盟", "地区")):
        return "city"
    return None


def parent_of(agency: str | None, level: str | None) -> str | None:
    """Return the government a department belongs to ("岫州市生态环境局" → "岫州市人民政府")."""
    if not agency or level != "department":
        return None
    match = re.match(r"(.+?(?:自治区|省|自治州|市|地区|盟|自治县|区|县|旗))", agency)
    return f"{match.group(1)}人民政府" if match else None


def describe(title: str, preamble: str, closing_lines: Sequence[str], page_date: str | None = None) -> dict[str, Any]:
    """Return the metadata row of a report (the `metadata` table, without doc_id).

    Who the body is, where it sits and its level come from the national gazetteer (pipeline.bodies).
    `page_date` is the date a web page states in its markup, used where no date is printed.
    """
    from pipeline.bodies import identify

    agency = agency_of(title, preamble)
    printed = _printed_agency(title)
    contacts = contacts_of(preamble)
    start, end = period_of(preamble)
    body = identify(agency, contacts.address, contacts.phone)
    published, published_source = publication_of(preamble, closing_lines)
    if published is None and page_date is not None:
        published, published_source = page_date, "web_page"
    return {
        "title": title or None, "agency_printed": printed, "agency": agency, "level": body and body.level,
        "parent": body and body.parent, "province": body and body.province, "city": body and body.city,
        "county": body and body.county, "region": body and body.region, "year": year_of(title, preamble),
        "period_start": start, "period_end": end, "published": published,
        "phone": contacts.phone, "email": contacts.email, "address": contacts.address,
        "adcode": body and body.adcode, "body_id": body and body.body_id, "body_name": body and body.name,
        "parent_body_id": body and body.parent_body_id, "published_source": published and published_source,
    }


def _printed_agency(title: str) -> str | None:
    match = _YEAR_FIRST.search(title)
    name = match.group(2) if match else _TITLE_TAIL.sub("", title) if _TITLE_TAIL.search(title) else ""
    return name or None
