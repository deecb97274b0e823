"""Corrections of the OCR engine's known confusions in table figures, checked against the picture.

- A lone "/" (printed for 0 or "nothing") is often read as "1": the two glyphs differ only in
  slant at 150 dpi. A "1" read with less than full confidence whose stroke leans like a slash
  (its ink drifts left going down) is a "/". A printed 1 stands upright and is read with full
  confidence; both tests must agree before the text changes.
- Dust next to a figure is read as a dot or comma ("0." / ".0"): a figure never starts or ends
  with one, so it is dropped.
- A lone "1" is read as a Latin "I" or "l" or a bar "|": in a cell of a statistics table, which
  holds arabic figures, that lone upright stroke is the figure (and then checked for a slash).
- A dash printed for "nothing" ("—") is read as the numeral "一", or as "-" or "_": the glyphs are
  one horizontal stroke. A cell of a statistics table holding that stroke alone holds no numeral
  written in Chinese (figures are arabic): by the meaning of the cell it is the dash placeholder.
  On a copier's black-and-white print the stroke is sometimes read as a "1": one glyph read where
  the picture shows a flat stroke (far wider than high; no figure is) is the dash too.
- A figure is read with Latin letters of its shape ("O" for 0, "S" for 5), mostly at low
  resolution: a cell whose reading is figures and such letters only is figures.
"""

from __future__ import annotations

import re

import cv2
import numpy as np

from parsers.ocr_engine import TextBox
from parsers.raster import without_dust

__all__ = ["fix_box"]

_SURE = 0.995  # a printed "1" is read with at least this confidence
_SLANT = -0.2  # pixels of leftward drift per pixel down: a slash leans about 0.3, a 1 stands at 0
_STRAY = re.compile(r"^[.,·'`:]*(\d+(?:,\d{3})*(?:\.\d+)?)[.,·'`:]*$")
_INK = 128
# Readings of a lone horizontal stroke: the numeral one, hyphens, dashes, a low line, a macron.
_STROKES = frozenset("一-_—–\uff0d\u2010\u2011\u2012\u2015ー¯~\uff5e")
DASH = "—"
_RULE_SPAN = 0.85  # of a crop's width: ink across that much of a row at its top or bottom is a rule
_FLAT, _MIN_STROKE = 3, 8  # a dash is three times as wide as high and 8 pixels (1.4 mm at 150 dpi) or more
_LOOKALIKES = str.maketrans({"O": "0", "o": "0", "S": "5"})  # Latin letters read for figures
_LIKE_FIGURES = re.compile(r"[\dOoS][\dOoS,.]*")
_UPRIGHTS = frozenset({"I", "l", "|", "丨", "\uff5c"})  # readings of a lone upright stroke


def fix_box(box: TextBox, gray: np.ndarray) -> TextBox:
    """Return the box with its text corrected where the picture shows the engine misread it."""
    text = "1" if box.text.strip() in _UPRIGHTS else box.text
    if _LIKE_FIGURES.fullmatch(text.strip()):
        text = text.translate(_LOOKALIKES)
    if len(text.strip()) and set(text.strip()) <= _STROKES:
        text = DASH
    elif len(text.strip()) == 1 and _flat(_crop(gray, box)):
        text = DASH  # one glyph read where the print is one flat stroke: no figure is flat
    elif text == "1" and box.confidence < _SURE and _slant(_crop(gray, box)) <= _SLANT:
        text = "/"
    else:
        match = _STRAY.match(text)
        if match:
            text = match.group(1)
    if text == box.text:
        return box
    return TextBox(text, box.confidence, box.x0, box.top, box.x1, box.bottom)


def _crop(gray: np.ndarray, box: TextBox) -> np.ndarray:
    return gray[max(0, int(box.top)) : int(box.bottom) + 1, max(0, int(box.x0)) : int(box.x1) + 1]


def _flat(crop: np.ndarray) -> bool:
    """Return True when the print in the crop is one horizontal stroke (a dash): at least _FLAT times as
    wide as it is high. Ink running from edge to edge of the crop is a rule it caught, not print."""
    ink = crop < _INK
    if ink.size == 0:
        return False
    ink = without_dust(ink)
    ink[ink.all(axis=1)] = False
    ink[:, ink.all(axis=0)] = False
    # A blurred rule the box caught is not whole at this level: a row nearly all ink in the outer
    # quarter of the crop is rule too (a dash stands in the middle of its line, not at its edge).
    outer = max(1, crop.shape[0] // 4)
    for index in (*range(outer), *range(crop.shape[0] - outer, crop.shape[0])):
        if ink[index].mean() >= _RULE_SPAN:
            ink[index] = False
    rows, columns = np.nonzero(ink.any(axis=1))[0], np.nonzero(ink.any(axis=0))[0]
    if not len(rows):
        return False
    height, width = rows[-1] - rows[0] + 1, columns[-1] - columns[0] + 1
    return bool(width >= _MIN_STROKE and width >= _FLAT * height)


def _tallest(ink: np.ndarray) -> np.ndarray:
    """Return the mask of the tallest connected piece of ink (the upright stroke of a 1 or a slash)."""
    count, labels, stats, _ = cv2.connectedComponentsWithStats(ink.astype(np.uint8), connectivity=8)
    if count <= 2:
        return ink
    tallest = 1 + int(np.argmax(stats[1:, cv2.CC_STAT_HEIGHT]))
    return np.asarray(labels == tallest)


def _slant(crop: np.ndarray) -> float:
    """Return how far the glyph's stroke moves right per pixel down (negative: it leans like /)."""
    ink = crop < _INK
    if ink.size == 0:
        return 0.0
    ink = without_dust(ink)  # a lone dark pixel is dust, not part of the stroke
    ink = _tallest(ink)  # the glyph's stroke, without a piece of a rule the box caught beside it
    # Rows where ink spans half the box are a table rule or a serif, not the stroke.
    rows = [y for y in range(ink.shape[0]) if 0 < ink[y].sum() < 0.5 * ink.shape[1]]
    if len(rows) < 5:
        return 0.0
    centres = [float(np.nonzero(ink[y])[0].mean()) for y in rows]
    return float(np.polyfit(np.array(rows, dtype=float), np.array(centres), 1)[0])
