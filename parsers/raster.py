"""Page pictures before OCR: grayscale pixels, skew measured and undone, tall pictures cut into bands.

A scan is rarely straight: a page fed at half a degree moves a table rule by ten pixels from
one side of the page to the other, enough to break the ruling-line search. The skew angle is
the one at which the dark pixels line up best in rows (the sharpest horizontal projection
profile), searched coarse to fine; the picture is rotated back by it. Nothing here reads text.
"""

from __future__ import annotations

import numpy as np
from PIL import Image

__all__ = ["DARK", "bands", "deskew", "despeckle", "neighbours", "pages", "to_gray"]

DARK = 200  # gray level below which a pixel is ink (rules are thin and anti-aliased: not 128)
MAX_SKEW = 3.0  # degrees searched either way
_COARSE_STEP = 0.2
_FINE_STEP = 0.01
_STRAIGHT = 0.05  # degrees: less moves a rule by about one pixel across a page; not worth a resample
_SAMPLE = 7  # the coarse search looks at every 7th ink pixel
BAND_HEIGHT = 2200  # pixels: taller pictures are read by the OCR engine in bands
_DUST = 2  # dark pixels a row may hold and still count as blank paper
PAGE_GAP = 120  # pixels (2 cm at 150 dpi) of blank paper: the margins between pages of a long picture


def to_gray(image: Image.Image) -> np.ndarray:
    """Return the picture as a 2-D uint8 array, transparency flattened onto white."""
    if image.mode in ("RGBA", "LA", "P"):
        image = image.convert("RGBA")
        background = Image.new("RGBA", image.size, (255, 255, 255, 255))
        image = Image.alpha_composite(background, image)
    return np.asarray(image.convert("L"))


def skew_angle(gray: np.ndarray) -> float:
    """Return the angle (degrees, counter-clockwise positive) by which the page content is turned."""
    ys, xs = np.nonzero(gray < DARK)
    if len(ys) < 100:
        return 0.0
    coarse = np.arange(-MAX_SKEW, MAX_SKEW + 1e-9, _COARSE_STEP)
    # The coarse search looks at a sample of the ink; the fine one at all of it.
    best = _best_angle(ys[::_SAMPLE], xs[::_SAMPLE], coarse)
    fine = np.arange(best - _COARSE_STEP, best + _COARSE_STEP + 1e-9, _FINE_STEP)
    return _best_angle(ys, xs, fine)


def _best_angle(ys: np.ndarray, xs: np.ndarray, angles: np.ndarray) -> float:
    """Return the angle whose row projection of the ink is sharpest (largest sum of squares)."""
    scores = []
    for angle in angles:
        # Content turned counter-clockwise by `angle` has its rows rise by x·tan(angle) to the right.
        rows = np.round(ys + xs * np.tan(np.radians(angle))).astype(np.int64)
        counts = np.bincount(rows - rows.min())
        scores.append(float(np.dot(counts, counts)))
    return float(angles[int(np.argmax(scores))])


def deskew(gray: np.ndarray) -> tuple[np.ndarray, float]:
    """Return the picture turned straight, and the angle it was turned by (0.0 when straight)."""
    angle = skew_angle(gray)
    if abs(angle) < _STRAIGHT:
        return gray, 0.0
    image = Image.fromarray(gray).rotate(-angle, resample=Image.Resampling.BICUBIC, fillcolor=255)
    return np.asarray(image), angle


def bands(gray: np.ndarray, height: int = BAND_HEIGHT) -> list[tuple[int, int]]:
    """Return (top, bottom) row ranges covering the picture, each at most `height` tall, cut at
    blank rows so that no line of text is split (a row of a ruled table is never blank)."""
    out: list[tuple[int, int]] = []
    blank = _blank_rows(gray)
    top = 0
    total = gray.shape[0]
    while total - top > height:
        window = np.nonzero(blank[top + height // 2 : top + height])[0]
        cut = top + height // 2 + int(window[-1]) if len(window) else top + height
        out.append((top, cut))
        top = cut
    out.append((top, total))
    return out


def despeckle(gray: np.ndarray) -> np.ndarray:
    """Return the picture with lone dark pixels (dust) turned white; strokes and rules are never
    a single pixel with no dark neighbour."""
    ink = gray < DARK
    lone = ink & (neighbours(ink) == 0)
    if not lone.any():
        return gray
    clean = gray.copy()
    clean[lone] = 255
    return clean


def neighbours(ink: np.ndarray) -> np.ndarray:
    """Return, for every pixel of a boolean ink mask, how many of its eight neighbours are ink."""
    padded = np.pad(ink, 1).astype(np.int8)
    height, width = ink.shape
    total = np.zeros((height, width), dtype=np.int8)
    for dy in (-1, 0, 1):
        for dx in (-1, 0, 1):
            if dy or dx:
                total += padded[1 + dy : 1 + dy + height, 1 + dx : 1 + dx + width]
    return total


def pages(gray: np.ndarray) -> list[tuple[int, int]]:
    """Return (top, bottom) of the pages of a long picture: parts separated by PAGE_GAP blank rows.

    A picture of one page is one part. Pages scanned one by one are turned by different
    angles, so each part is straightened on its own.
    """
    blank = _blank_rows(gray)
    parts: list[tuple[int, int]] = []
    top = 0
    run_start: int | None = None
    for row, is_blank in enumerate([*blank.tolist(), True]):
        if is_blank and run_start is None:
            run_start = row
        elif not is_blank and run_start is not None:
            if row - run_start >= PAGE_GAP and run_start > top:
                parts.append((top, run_start + (row - run_start) // 2))
                top = run_start + (row - run_start) // 2
            run_start = None
    parts.append((top, gray.shape[0]))
    return [(a, b) for a, b in parts if (gray[a:b] < DARK).any()] or [(0, gray.shape[0])]


def _blank_rows(gray: np.ndarray) -> np.ndarray:
    """Return, per row, whether it is blank paper (a speck or two of dust allowed)."""
    return (gray < DARK).sum(axis=1) <= _DUST
