"""Places printed in a name the gazetteer does not know, and the bundled telephone area-code mapping.

A body's region comes from the national gazetteer (pipeline.gazetteer, pipeline.bodies). This module
serves the rest: the telephone area codes (pipeline/data/area_codes.csv: the provincial capitals,
the four municipalities and the cities of Jiangsu and a few others) that tell apart two places of
one name (宝山区 in Shanghai or in Shuangyashan), and, for a name whose places are in no gazetteer,
those places as printed, read by their administrative suffixes (省 / 市 / 区 / 县 …), filled in from
the address and area code. Nothing is guessed beyond that.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

MUNICIPALITIES = ("北京市", "上海市", "天津市", "重庆市")
_PROVINCE = re.compile(r"([\u4e00-\u9fff]{2,7}?(?:省|自治区))")
_CITY = re.compile(r"([\u4e00-\u9fff]{2,6}?(?:市|自治州|地区|盟))")
_COUNTY = re.compile(r"([\u4e00-\u9fff]{1,6}?(?:区|县|旗|自治县))")
AREA_CODE = re.compile(r"(?<!\d)(0\d{2,3})[-－—\s]?\d{7,8}(?!\d)")
# Words that end in a place suffix without being a place (…城区 in 主城区, 开发区 is a place).
_NOT_PLACES = ("政府", "城区", "辖区", "园区", "社区", "片区", "地区级")


@dataclass(frozen=True, slots=True)
class Region:
    """Province, city and county (or district) named for a body; None where not stated."""

    province: str | None = None
    city: str | None = None
    county: str | None = None

    def label(self) -> str | None:
        """Return the region as one name from the top down ("江苏省淮安市洪泽区"), or None."""
        parts = [p for p in (self.province, self.city, self.county) if p]
        unique = [p for i, p in enumerate(parts) if p not in parts[:i]]
        return "".join(unique) or None


@lru_cache(maxsize=1)
def area_codes() -> dict[str, tuple[str, str]]:
    """Return {area code: (province, city)} from the bundled mapping."""
    path = Path(__file__).with_name("data") / "area_codes.csv"
    with open(path, encoding="utf-8") as handle:
        return {row["code"]: (row["province"], row["city"]) for row in csv.DictReader(handle)}


def places_in(text: str) -> Region:
    """Return the province, city and county named at the start of `text` (a body's name or address)."""
    province = _first(_PROVINCE, text)
    rest = text.split(province, 1)[1] if province else text
    municipality = next((m for m in MUNICIPALITIES if rest.startswith(m) or text.startswith(m)), None)
    city = municipality or _first(_CITY, rest, anchored=True)
    rest = rest.split(city, 1)[1] if city and city in rest else rest
    county = _first(_COUNTY, rest, anchored=True)
    if municipality:
        province = province or municipality
    return Region(province, city, county)


def _first(pattern: re.Pattern[str], text: str, anchored: bool = False) -> str | None:
    match = pattern.match(text) if anchored else pattern.search(text)
    if match is None or any(word in match.group(1) for word in _NOT_PLACES):
        return None
    return match.group(1)


def region_of(agency: str | None, address: str | None, phone: str | None) -> Region:
    """Return the region of a body from its name, then its address, then its phone's area code."""
    found = places_in(agency or "")
    if address:
        from_address = places_in(address)
        found = Region(found.province or from_address.province, found.city or from_address.city,
                       found.county or from_address.county)
    code = AREA_CODE.search(phone or "")
    if code and code.group(1) in area_codes():
        province, city = area_codes()[code.group(1)]
        same_city = found.city in (None, city)
        found = Region(found.province or province, found.city or (city if same_city else None), found.county)
    return found
