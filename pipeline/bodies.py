"""Who published a report: one identity per body, the same in every year however its name is printed.

A body's name is read against the national gazetteer (pipeline.gazetteer): the places it starts
with give the adcode of the place the body governs or belongs to, and what follows the places
gives its kind — the government itself (人民政府, or its 办公厅 / 办公室 reporting for it), a
special zone's management committee (平潭综合实验区管委会), a township or street
(云渡镇人民政府, 红旗街道办事处) or a department (教育局). The canonical name is the places as the
gazetteer spells them, top down, then the body's own part: "江苏省淮安市洪泽区人民政府" whether
the report prints 洪泽区人民政府, 淮安市洪泽区人民政府办公室 or 江苏省淮安市洪泽县人民政府.

body_id is "<adcode>-<8 hex digits of the sha256 of the canonical name>" (README: Bodies): the
adcode lets a researcher select a region by prefix, the digest keeps two bodies of one place apart.
A name the gazetteer cannot place (an invented place, or one that fits two places and that neither
the phone's area code nor the address tells apart) keeps its printed places, no adcode, and the id
"000000-<digest of the name as printed>": never a guessed place.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from pipeline import gazetteer
from pipeline.gazetteer import Division, Match
from pipeline.metadata import level_of, parent_of
from pipeline.regions import AREA_CODE, Region, area_codes, region_of
from pipeline.textnorm import nfkc, squeeze

LEVELS = ("province", "city", "county", "township", "street", "department", "special_zone")
UNPLACED = "000000"  # the adcode part of the id of a body the gazetteer cannot place
# What follows the places when the government itself reports (or its general office for it).
_GOVERNMENT = re.compile(r"^(?:人民政府|政府)?(?:办公厅|办公室)?$")
_ZONE_GOVERNMENT = re.compile(r"^(?:党工委)?(?:管委会|管理委员会|管委)?(?:办公室)?$")
_TOWNSHIP = re.compile(r"^([\u4e00-\u9fff]{1,8}?)(镇|乡|街道)(?:人民政府|政府|办事处|街道办事处)?(?:办公室)?$")
_GOVERNMENT_NAME = "人民政府"
_RANK_LEVEL = ("province", "city", "county")


@dataclass(frozen=True, slots=True)
class Body:
    """A reporting body: its identity, where it sits, and the body above it."""

    body_id: str
    name: str
    adcode: str | None
    level: str | None
    parent_body_id: str | None
    parent: str | None  # the parent government's canonical name
    province: str | None
    city: str | None
    county: str | None
    region: str | None

    def row(self) -> dict[str, Any]:
        """Return the body as a row of the bodies table."""
        return {"body_id": self.body_id, "name": self.name, "adcode": self.adcode, "level": self.level,
                "parent_body_id": self.parent_body_id, "province": self.province, "city": self.city,
                "county": self.county}


def body_id_for(adcode: str | None, canonical: str) -> str:
    """Return the id of the body of canonical name `canonical` governing or belonging to `adcode`."""
    digest = hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:8]
    return f"{adcode or UNPLACED}-{digest}"


def identify(agency: str | None, address: str | None = None, phone: str | None = None,
             adcode: str | None = None) -> Body | None:
    """Return the body named `agency` (its telephone, address or a known adcode only tell apart places of one name)."""
    if not agency:
        return None
    name = squeeze(nfkc(agency))
    match = gazetteer.locate(name)
    if adcode and len(match.chains) > 1:
        match = Match(tuple(c for c in match.chains if c[-1].code == adcode), match.zone, match.end, match.built_on)
    chain = _one_chain(match, address, phone)
    if chain is None:
        return _unplaced(name, address, phone)
    return _placed(chain, match, name[match.end:])


def _one_chain(match: Match, address: str | None, phone: str | None) -> tuple[Division, ...] | None:
    """Return the one reading of the name's places, narrowed by the phone's area code and the address."""
    chains = list(match.chains)
    if len(chains) > 1 and phone:
        code = AREA_CODE.search(phone)
        place = area_codes().get(code.group(1)) if code else None
        if place:
            chains = [c for c in chains if _in_place(c[-1], *place)] or chains
    if len(chains) > 1 and address:
        printed = {d.code for c in gazetteer.locate(squeeze(nfkc(address))).chains for d in c}
        chains = [c for c in chains if c[-1].code in printed] or chains
    return gazetteer.full_chain(chains[0][-1:]) if len(chains) == 1 else None


def _in_place(division: Division, province: str, city: str) -> bool:
    names = [d.name for d in gazetteer.full_chain((division,))]
    return province in names and (city in names or province == city)


def _labels(chain: Sequence[Division]) -> tuple[str, str | None, str | None]:
    """Return province, city and county of a chain as the gazetteer spells them (a municipality is its city)."""
    last = chain[-1]
    province = gazetteer.province_of(last) or last
    city = gazetteer.city_of(last)
    municipality = gazetteer.is_municipality(province)
    city_name = city.name if city else (province.name if municipality and last.rank else None)
    return province.name, city_name, last.name if last.rank == 2 else None


def _region(chain: Sequence[Division], zone: str | None, built_on: bool) -> str:
    """Return the region as one name; a zone named after its county stands in the county's place."""
    province, city, county = _labels(chain)
    if zone and built_on and county:
        county = zone
    elif zone:
        county = (county or "") + zone
    return Region(province, city, county).label() or ""


def _placed(chain: tuple[Division, ...], match: Match, rest: str) -> Body:
    """Return the body of a name whose places the gazetteer knows; `rest` follows the places."""
    last = chain[-1]
    province, city, county = _labels(chain)
    region = _region(chain, match.zone, match.built_on)
    government = _government(chain, match)
    township = _TOWNSHIP.match(rest)
    if match.zone and _ZONE_GOVERNMENT.match(rest):
        level, name, parent = "special_zone", region, None
    elif not match.zone and _GOVERNMENT.match(rest):
        level, name = _RANK_LEVEL[last.rank], government[0]
        parent = _government(gazetteer.full_chain((up,)), None) if (up := gazetteer.parent_of(last)) else None
    elif township and not match.zone:
        place, unit = township.group(1), township.group(2)
        level = "street" if unit == "街道" else "township"
        name = f"{region}{place}{unit}{'办事处' if unit == '街道' else _GOVERNMENT_NAME}"
        parent = government
    else:
        level, name, parent = "department", f"{region}{rest}", government
    return Body(body_id_for(last.code, name), name, last.code, level,
                body_id_for(parent[1], parent[0]) if parent else None, parent[0] if parent else None,
                province, city, county, region)


def _government(chain: tuple[Division, ...], match: Match | None) -> tuple[str, str]:
    """Return the canonical name and adcode of the government of a chain's place (a zone's committee)."""
    if match is not None and match.zone:
        return _region(chain, match.zone, match.built_on), chain[-1].code
    return f"{_region(chain, None, False)}{_GOVERNMENT_NAME}", chain[-1].code


def _unplaced(name: str, address: str | None, phone: str | None) -> Body:
    """Return the body of a name the gazetteer cannot place: its places as printed, no adcode."""
    region = region_of(name, address, phone)
    level = level_of(name)
    canonical = _GOVERNMENT_SUFFIX.sub(_GOVERNMENT_NAME, name)
    parent = parent_of(name, level)
    return Body(body_id_for(None, canonical), canonical, None, level,
                body_id_for(None, parent) if parent else None, parent, region.province, region.city,
                region.county, region.label())


# A government's general office reports for the government: one body (人民政府办公厅 → 人民政府).
_GOVERNMENT_SUFFIX = re.compile(r"(?:人民政府|政府)(?:办公厅|办公室)$")


def body_rows(rows: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Return the bodies table from metadata rows: one row per body_id, sorted by body_id."""
    seen: dict[str, dict[str, Any]] = {}
    for row in rows:
        body_id = row.get("body_id")
        if body_id and body_id not in seen:
            seen[body_id] = {"body_id": body_id, "name": row.get("body_name"), "adcode": row.get("adcode"),
                             "level": row.get("level"), "parent_body_id": row.get("parent_body_id"),
                             "province": row.get("province"), "city": row.get("city"), "county": row.get("county")}
    return [seen[key] for key in sorted(seen)]
