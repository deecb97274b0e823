"""Faux bold: the same glyph drawn twice (or more) a fraction of a point apart.

Word processors and PDF printers fake a bold face by painting each glyph again slightly offset;
text extraction then reads every character twice ("总总体体情情况况"). A glyph is a repeat when
the same character was already placed within TOLERANCE points in both directions.
"""

from __future__ import annotations

TOLERANCE = 1.0  # points, as pdfplumber's dedupe_chars


class Overprints:
    """Remembers placed glyphs; `repeat` tells whether a glyph was already drawn at that place."""

    def __init__(self) -> None:
        self._cells: dict[tuple[str, int, int], list[tuple[float, float]]] = {}

    def repeat(self, text: str, x: float, y: float) -> bool:
        """Return True when `text` was already placed within TOLERANCE of (x, y); else remember it."""
        gx, gy = int(x // TOLERANCE), int(y // TOLERANCE)
        for dx in (-1, 0, 1):
            for dy in (-1, 0, 1):
                for px, py in self._cells.get((text, gx + dx, gy + dy), ()):
                    if abs(px - x) <= TOLERANCE and abs(py - y) <= TOLERANCE:
                        return True
        self._cells.setdefault((text, gx, gy), []).append((x, y))
        return False
