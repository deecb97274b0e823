"""Chinese text helpers: normalization for matching, label keys and number parsing.

Everything here is pure and format-blind. Readers call `clean_cell` to fill `Cell.text`;
recognizers call `label_key` to compare printed labels with canonical ones; the normalizer
calls `parse_number` to turn a printed cell into a value.
"""

from __future__ import annotations

import re
import unicodedata
from difflib import SequenceMatcher
from functools import lru_cache
from typing import Any

_WS = re.compile(r"\s+")
# Outline numbering that opens a label, on NFKC text without spaces: 一、 (三) 1. 2、 (12) 3, and
# the same with one parenthesis missing or a 、 after "(": (一、 一). Group 1 holds an arabic number.
NUMBERING = re.compile(r"^\(?(?:[一二三四五六七八九十]{1,3}|(\d{1,3}))[).、,]")
# Everything that is not a CJK ideograph, Latin letter or digit is dropped from label keys, so
# that spaces, line breaks, full/half-width punctuation and quotes never decide a match.
_NON_KEY = re.compile(r"[^0-9a-z\u4e00-\u9fff]")
# Ideographs that OCR reads one for another because they differ by a stroke's length or a gap
# (尚末审结 for 尚未审结): label keys fold each group to one member, on both sides of a match, so
# a misread label still finds its canonical one. Label keys only, never values. Groups are pairs
# no report label tells apart; 八 stays out of 人/入 because it numbers outline items.
_LOOKALIKES = ("未末", "已己巳", "日曰", "土士", "人入", "戊戌戍", "候侯", "拔拨")
_FOLD_LOOKALIKES = str.maketrans({ch: group[0] for group in _LOOKALIKES for ch in group[1:]})
_NUMBER = re.compile(r"^[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$")
# Printed placeholders for "nothing here"; the value is null, the raw text is kept.
BLANK_MARKS = frozenset({"", "-", "--", "---", "—", "——", "–", "/", "\\", "无", "空", "／", "不适用", "null", "none"})
# Units a figure may print after its digits (the unit is not part of the value), longest first.
UNITS = ("万元", "元", "件", "个", "条", "项", "次", "人", "%")
_UNIT_SUFFIX = re.compile(f"({'|'.join(map(re.escape, UNITS))})$")


def nfkc(text: str) -> str:
    """Return `text` in NFKC form (full-width digits, letters and punctuation to half-width)."""
    if text.isascii():
        return text  # ASCII is its own NFKC form
    if len(text) <= _SHORT:
        return _short_nfkc(text)
    # A long text (a section, the prose of a report) is normalized line by line: the checks and the
    # metadata normalize texts made of the same lines again and again, and a line break ends every
    # normalization segment (no decomposition, no composition, combining class 0), so the lines'
    # forms joined are the text's form.
    return "\n".join([_line_nfkc(line) for line in text.split("\n")])


_SHORT = 64  # characters: cells and labels, normalized again and again by every recognizer and check


@lru_cache(maxsize=65_536)
def _short_nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


@lru_cache(maxsize=8_192)
def _line_nfkc(text: str) -> str:
    return text if text.isascii() else unicodedata.normalize("NFKC", text)


def clean_cell(raw: str | None) -> str:
    """Return the normalized text of a cell or line: NFKC, whitespace runs folded to one space."""
    if not raw:
        return ""
    if len(raw) <= _SHORT:
        return _short_clean(raw)  # a cell's text: the same figures and labels again and again
    return _clean(raw)


def _clean(raw: str) -> str:
    return _WS.sub(" ", nfkc(raw).replace("\u3000", " ")).strip()


_short_clean = lru_cache(maxsize=65_536)(_clean)


def outline_number(text: str) -> int | None:
    """Return the arabic outline number that opens `text` ("3." "(3)" → 3), or None."""
    found = NUMBERING.match(squeeze(text))
    return int(found.group(1)) if found and found.group(1) else None


def squeeze(text: str) -> str:
    """Return `text` NFKC-normalized with every whitespace character removed."""
    if len(text) <= _SHORT:
        return _short_squeeze(text)
    return _WS.sub("", nfkc(text).replace("\u3000", ""))


@lru_cache(maxsize=65_536)
def _short_squeeze(text: str) -> str:
    return _WS.sub("", nfkc(text).replace("\u3000", ""))


def label_key(text: str) -> str:
    """Return the matching key of a label: NFKC, lower case, only CJK ideographs, letters and digits.

    Traditional forms are read as simplified ones (an OCR engine reads 本年增/減 for 本年增/减), and
    ideographs OCR confuses for a look-alike (末/未, 己/已/巳, 曰/日 ...) are folded to one of them.
    """
    key = _NON_KEY.sub("", nfkc(text).lower())
    if not key.isascii():
        key = _simplified(key)
    return key.translate(_FOLD_LOOKALIKES)


@lru_cache(maxsize=1)
def _converter() -> Any:
    import opencc  # (its dictionaries load with the first label that holds an ideograph)

    return opencc.OpenCC("t2s")


def _simplified(text: str) -> str:
    """Return `text` with traditional Chinese forms in their simplified ones (OpenCC's t2s)."""
    return str(_converter().convert(text))


def similarity(a: str, b: str, floor: float = 0.0) -> float:
    """Return how alike two label keys are, 0…1 (tolerates a typo or a dropped character).

    Pairs that cannot reach `floor` (by length alone, or by the cheap upper bounds of
    difflib) return 0.0 without the full comparison: label matching runs over every cell.
    """
    if not a or not b:
        return 0.0
    if 2 * min(len(a), len(b)) / (len(a) + len(b)) < floor:
        return 0.0
    if floor:
        # Characters of `a` found anywhere in `b` bound the matches from above, at a fraction of
        # the cost of building the matcher: most pairs compared share almost nothing.
        chars = set(b)
        if 2 * sum(map(chars.__contains__, a)) / (len(a) + len(b)) < floor:
            return 0.0
    matcher = SequenceMatcher(None, a, b, autojunk=False)
    if floor and matcher.quick_ratio() < floor:
        return 0.0
    return matcher.ratio()


def parse_number(raw: str | None) -> float | None:
    """Return the number printed in a cell, or None when it is blank or not a number.

    Accepts full-width digits, thousands separators, a sign, decimals, and a trailing unit
    such as 元 / 万元 / 件 / 个 / 条 / % (the unit is not part of the value).
    """
    if raw and len(raw) <= _SHORT:
        return _short_number(raw)  # cells: the same figures are asked again by every check
    return _number(raw)


@lru_cache(maxsize=65_536)
def _short_number(raw: str) -> float | None:
    return _number(raw)


def _number(raw: str | None) -> float | None:
    text = squeeze(raw or "")
    if text.lower() in BLANK_MARKS:
        return None
    text = text.replace("，", ",").replace("．", ".")
    text = _UNIT_SUFFIX.sub("", text)
    if not _NUMBER.match(text):
        return None
    return float(text.replace(",", ""))


def is_blank(raw: str | None) -> bool:
    """Return True when a cell prints nothing or only a placeholder (—, /, 无 …)."""
    return squeeze(raw or "").lower() in BLANK_MARKS


def looks_numeric(raw: str | None) -> bool:
    """Return True when the cell holds a number or a blank placeholder (a data cell, not a label)."""
    if raw and len(raw) <= _SHORT:
        return _short_looks_numeric(raw)  # cells and a page's words: asked again and again
    return _looks_numeric(raw)


def _looks_numeric(raw: str | None) -> bool:
    return is_blank(raw) or parse_number(raw) is not None


_short_looks_numeric = lru_cache(maxsize=65_536)(_looks_numeric)


_HANZI_DIGITS = {ch: str(n) for n, ch in enumerate("〇一二三四五六七八九")} | {"零": "0", "○": "0", "O": "0"}
# Four numerals, the first 一 or 二, standing alone before 年: 二〇二四年, 二O二三年 (a Latin O as printed;
# a full-width one is a Latin O after NFKC).
_HANZI_YEAR = re.compile(r"(?<![〇零○O一二三四五六七八九])([一二][〇零○O一二三四五六七八九]{3})(?=\s*年)")


def arabic_years(text: str) -> str:
    """Return `text` with years printed in Chinese numerals as digits ("二〇二四年" → "2024年")."""
    return _HANZI_YEAR.sub(lambda m: "".join(_HANZI_DIGITS[ch] for ch in m.group(1)), text)
