"""Faux bold: the same glyph drawn twice (or more) a fraction of a point apart.

Word processors and PDF printers fake a bold face by painting each glyph again slightly offset;
text extraction then reads every character twice ("总总体体情情况况"). A glyph is a repeat when
the same character was already placed within TOLERANCE points in both directions.
"""

from __future__ import annotations

TOLERANCE = 1.0  # points, as pdfplumber's dedupe_chars
_SQUARE = 2 * TOLERANCE


class Overprints:
    """Remembers placed glyphs; `repeat` tells whether a glyph was already drawn at that place."""

    def __init__(self) -> None:
        self._cells: dict[tuple[str, int, int], list[tuple[float, float]]] = {}

    def repeat(self, text: str, x: float, y: float) -> bool:
        """Return True when `text` was already placed within TOLERANCE of (x, y); else remember it."""
        # Grid squares twice the tolerance wide: a glyph within the tolerance lies in the square of
        # x - TOLERANCE or of x + TOLERANCE (the same one, mostly), and likewise for y.
        cells = self._cells
        gx0, gx1 = int((x - TOLERANCE) // _SQUARE), int((x + TOLERANCE) // _SQUARE)
        gy0, gy1 = int((y - TOLERANCE) // _SQUARE), int((y + TOLERANCE) // _SQUARE)
        for key in ((text, gx0, gy0), (text, gx1, gy0), (text, gx0, gy1), (text, gx1, gy1)):
            for px, py in cells.get(key, ()):
                if abs(px - x) <= TOLERANCE and abs(py - y) <= TOLERANCE:
                    return True
        cells.setdefault((text, int(x // _SQUARE), int(y // _SQUARE)), []).append((x, y))
        return False
