"""Page pictures before OCR (OpenCV): one working resolution, stamps and shadows taken out, skew undone.

A scan comes at any resolution (100 to 300 dpi and more), turned by a few degrees, on yellowish
paper, with a shadow along the binding edge and a red seal over the figures. Before rules and
text are read, every picture is brought to the same state:

- **resolution**: resampled to WORK_DPI from its own resolution (given by the caller: the PDF's
  page size, the picture file's DPI record, or the paper width or the print's size measured by
  `line_height` when neither can be trusted), so pixel sizes of rules and type are the same for every scan;
- **colour**: a seal or stamp is saturated colour, print is not: the ink picture takes the
  brightest channel where a pixel is coloured, so a red (or blue) mark turns to paper while black
  print under it stays black; the plain luminance is kept for text outside tables (a red title);
- **light**: the paper's brightness is estimated by a morphological closing and divided out
  (flat field), so a shadow band or a gradient does not read as ink;
- **skew**: the angle (up to ±MAX_SKEW degrees) at which the ink lines up best in rows (sharpest
  horizontal projection profile), searched coarse to fine on the ink mask, then undone.

Nothing here reads text.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import cv2
import numpy as np
from PIL import Image

__all__ = ["DARK", "WORK_DPI", "Prepared", "bands", "deskew", "despeckle", "flatten", "ink_mask", "joined",
           "line_height", "neighbours", "pages", "prepare", "resample", "runs", "sideways", "skew_angle",
           "suppress_stamps", "to_gray", "to_rgb", "turn"]

WORK_DPI = 150  # every picture is read at this resolution: small print stays legible, a page OCRs in ~2 s
DARK = 200  # gray level (on flattened paper) below which a pixel is ink; thin rules are anti-aliased
MAX_SKEW = 5.0  # degrees searched either way
_COARSE_STEP = 0.25
_FINE_STEP = 0.01
_STRAIGHT = 0.04  # degrees: less moves a rule by under one pixel across a page; not worth a resample
_SAMPLE = 5  # the coarse search looks at every 5th ink pixel
_COLOURED = 40  # channel spread (max - min) above which a pixel is coloured ink (seal, stamp), not print
_COLOUR_REACH = 7  # pixels: the neighbourhood of coloured ink read by its brightest channel too
_PAPER_WINDOW = 0.2  # inches: the closing that finds the paper is wider than any stroke of type
BAND_HEIGHT = 2200  # pixels: taller pictures are read by the OCR engine in bands
_DUST = 2  # dark pixels a row may hold and still count as blank paper
_EDGE = 0.1  # share of the page on each side left out when telling which way its lines run
_SIDEWAYS_MARGIN = 0.05  # share of blank columns a sideways page shows beyond twice its blank rows
PAGE_GAP = 120  # pixels (2 cm at 150 dpi) of blank paper: the margins between pages of a long picture


@dataclass(frozen=True)
class Prepared:
    """A page picture ready to read: straight, at WORK_DPI, paper flattened."""

    text: np.ndarray  # gray for OCR: luminance, flattened (a red title stays readable)
    ink: np.ndarray  # gray for rules and table cells: stamps suppressed, flattened
    angle: float  # degrees the picture was turned back by
    upsampled: bool = False  # scanned below WORK_DPI: its type has a gray halo


def to_rgb(image: Image.Image) -> np.ndarray:
    """Return the picture as an RGB uint8 array, transparency flattened onto white."""
    if image.mode in ("RGBA", "LA", "P", "PA"):
        image = image.convert("RGBA")
        background = Image.new("RGBA", image.size, (255, 255, 255, 255))
        image = Image.alpha_composite(background, image)
    if image.mode in ("1", "L", "I", "I;16", "F"):
        return np.asarray(image.convert("L"))
    return np.asarray(image.convert("RGB"))


def to_gray(image: Image.Image) -> np.ndarray:
    """Return the picture as a 2-D uint8 array, transparency flattened onto white."""
    pixels = to_rgb(image)
    return pixels if pixels.ndim == 2 else cv2.cvtColor(pixels, cv2.COLOR_RGB2GRAY)


def resample(pixels: np.ndarray, dpi: float, target: float = WORK_DPI) -> np.ndarray:
    """Return the picture scanned at `dpi` resampled to `target` dpi (area average down, cubic up)."""
    scale = target / dpi
    if abs(scale - 1) < 0.02:
        return pixels
    height, width = pixels.shape[:2]
    size = (max(1, round(width * scale)), max(1, round(height * scale)))
    return cv2.resize(pixels, size, interpolation=cv2.INTER_AREA if scale < 1 else cv2.INTER_CUBIC)


def suppress_stamps(pixels: np.ndarray) -> np.ndarray:
    """Return gray where coloured marks (red or blue seals, stamps) are paper and print keeps its darkness.

    Print is black or gray: its channels agree. A seal's ink is saturated: its brightest channel
    stays light even where the seal is dark, and print seen through it stays dark in every channel.
    """
    if pixels.ndim == 2:
        return pixels
    gray = cv2.cvtColor(pixels, cv2.COLOR_RGB2GRAY)
    brightest = pixels.max(axis=2)
    coloured = ((brightest.astype(np.int16) - pixels.min(axis=2)) > _COLOURED).astype(np.uint8)
    # JPEG keeps colour at half resolution: a seal's edges come out grayish. Near coloured ink the
    # brightest channel is taken too; print stays dark in every channel, so nothing black is lost.
    coloured = cv2.dilate(coloured, cv2.getStructuringElement(cv2.MORPH_RECT, (_COLOUR_REACH, _COLOUR_REACH)))
    return np.where(coloured.astype(bool), brightest, gray).astype(np.uint8)


def _has_colour(pixels: np.ndarray) -> bool:
    """Return True when some of the picture (a sample of its pixels) is coloured ink or paper."""
    sample = pixels[::4, ::4]
    # (In bytes: the brightest channel is never below the darkest, so the difference cannot wrap.)
    return bool(((sample.max(axis=2) - sample.min(axis=2)) > _COLOURED).any())


def flatten(gray: np.ndarray, dpi: float = WORK_DPI) -> np.ndarray:
    """Return the picture divided by its paper brightness: shadows, gradients and tinted paper become white."""
    size = max(3, int(_PAPER_WINDOW * dpi) | 1)
    kernel = cv2.getStructuringElement(cv2.MORPH_RECT, (size, size))
    # A closing removes everything darker and narrower than the window: what is left is the paper.
    small = cv2.resize(gray, None, fx=0.5, fy=0.5, interpolation=cv2.INTER_AREA)
    paper = cv2.morphologyEx(small, cv2.MORPH_CLOSE, cv2.resize(kernel, (size // 2 | 1, size // 2 | 1)))
    paper = cv2.GaussianBlur(paper, (0, 0), 2)
    paper = cv2.resize(paper, (gray.shape[1], gray.shape[0]), interpolation=cv2.INTER_LINEAR)
    flat = cv2.divide(gray, np.maximum(paper, 1), scale=255)
    return flat


def ink_mask(gray: np.ndarray) -> np.ndarray:
    """Return the boolean ink of a flattened picture."""
    return gray < DARK


def skew_angle(gray: np.ndarray) -> float:
    """Return the angle (degrees, counter-clockwise positive) by which the page content is turned."""
    ys, xs = np.nonzero(ink_mask(gray))
    if len(ys) < 100:
        return 0.0
    coarse = np.arange(-MAX_SKEW, MAX_SKEW + 1e-9, _COARSE_STEP)
    # The coarse search looks at a sample of the ink; the fine one at all of it.
    best = _best_angle(ys[::_SAMPLE], xs[::_SAMPLE], coarse)
    fine = np.arange(best - _COARSE_STEP, best + _COARSE_STEP + 1e-9, _FINE_STEP)
    return round(_best_angle(ys, xs, fine), 3)


def _best_angle(ys: np.ndarray, xs: np.ndarray, angles: np.ndarray) -> float:
    """Return the angle whose row projection of the ink is sharpest (largest sum of squares)."""
    scores = []
    yf, xf = ys.astype(np.float64), xs.astype(np.float64)
    low_y, low_x, high_x = float(yf.min()), float(xf.min()), float(xf.max())
    shifted = np.empty_like(yf)
    for angle in angles:
        # Content turned counter-clockwise by `angle` has its rows rise by x·tan(angle) to the right.
        slope = np.tan(np.radians(angle))
        np.multiply(xf, slope, out=shifted)
        shifted += yf
        rows = np.round(shifted, out=shifted).astype(np.int64)
        # Counted from below the lowest row any pixel can take (the sum of squares does not depend on
        # where the count starts): no pass over the rows to find their least.
        rows -= math.floor(low_y + min(slope * low_x, slope * high_x)) - 1
        counts = np.bincount(rows)
        scores.append(float(np.dot(counts, counts)))
    return float(angles[int(np.argmax(scores))])


def turn(pixels: np.ndarray, angle: float) -> np.ndarray:
    """Return the picture turned clockwise by `angle` degrees (undoing a counter-clockwise skew), on white."""
    height, width = pixels.shape[:2]
    matrix = cv2.getRotationMatrix2D((width / 2, height / 2), -angle, 1.0)
    white = 255 if pixels.ndim == 2 else (255, 255, 255)
    return cv2.warpAffine(pixels, matrix, (width, height), flags=cv2.INTER_CUBIC,
                          borderMode=cv2.BORDER_CONSTANT, borderValue=white)


def deskew(gray: np.ndarray) -> tuple[np.ndarray, float]:
    """Return the picture turned straight, and the angle it was turned by (0.0 when straight)."""
    angle = skew_angle(gray)
    if abs(angle) < _STRAIGHT:
        return gray, 0.0
    return turn(gray, angle), angle


def prepare(pixels: np.ndarray, dpi: float) -> Prepared:
    """Return a page picture (gray or RGB, scanned at `dpi`) at WORK_DPI, flattened and straight."""
    pixels = resample(pixels, dpi)
    if pixels.ndim == 3 and not _has_colour(pixels):  # a gray scan saved as RGB: read once, as gray
        pixels = cv2.cvtColor(pixels, cv2.COLOR_RGB2GRAY)
    luminance = pixels if pixels.ndim == 2 else cv2.cvtColor(pixels, cv2.COLOR_RGB2GRAY)
    ink = despeckle(flatten(suppress_stamps(pixels)))
    text = ink if pixels.ndim == 2 else despeckle(flatten(luminance))
    angle = skew_angle(ink)
    upsampled = dpi < WORK_DPI * 0.98
    if abs(angle) < _STRAIGHT:
        return Prepared(text, ink, 0.0, upsampled)
    return Prepared(turn(text, angle), turn(ink, angle), angle, upsampled)


def sideways(ink: np.ndarray) -> bool:
    """Return True when the page's lines of text run up and down (a landscape page saved as a portrait
    picture, or the reverse): between lines of print lie blank rows; a sideways page has blank columns
    instead, and hardly a blank row."""
    height, width = ink.shape
    # The page's edges are left out: a copier's black border or a binding shadow inks every row.
    mask = ink_mask(ink[int(height * _EDGE) : int(height * (1 - _EDGE)), int(width * _EDGE) : int(width * (1 - _EDGE))])
    rows, columns = _blank_share(mask.sum(axis=1)), _blank_share(mask.sum(axis=0))
    return columns > _SIDEWAYS_MARGIN + 2 * rows


def _blank_share(profile: np.ndarray) -> float:
    """Return the share of blank lines (a speck of dust allowed) between the first and last inked one."""
    inked = np.nonzero(profile > _DUST)[0]
    if len(inked) < 2:
        return 0.0
    return float((profile[inked[0] : inked[-1] + 1] <= _DUST).mean())


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
    ink = ink_mask(gray)
    lone = ink & (neighbours(ink) == 0)
    if not lone.any():
        return gray
    clean = gray.copy()
    clean[lone] = 255
    return clean


def runs(profile: np.ndarray) -> list[tuple[int, int]]:
    """Return the (start, end) ranges, end exclusive, where a one-dimensional profile is true (non-zero)."""
    edges = np.diff(np.concatenate(([0], (np.asarray(profile) != 0).astype(np.int8), [0])))
    return list(zip(np.nonzero(edges == 1)[0].tolist(), np.nonzero(edges == -1)[0].tolist(), strict=True))


def joined(stretches: list[tuple[int, int]], apart: int) -> list[tuple[int, int]]:
    """Return the (start, end) stretches, in order, with each one less than `apart` from the one before joined to it."""
    out: list[tuple[int, int]] = []
    for start, end in stretches:
        if out and start - out[-1][1] < apart:
            out[-1] = (out[-1][0], end)
        else:
            out.append((start, end))
    return out


def without_dust(ink: np.ndarray) -> np.ndarray:
    """Return a boolean ink mask without its lone pixels (dust): a stroke's pixels all have an inked neighbour."""
    return ink & (neighbours(ink) > 0)


def neighbours(ink: np.ndarray) -> np.ndarray:
    """Return, for every pixel of a boolean ink mask, how many of its eight neighbours are ink."""
    kernel = np.ones((3, 3), dtype=np.float32)
    kernel[1, 1] = 0
    counts = cv2.filter2D(ink.astype(np.uint8), cv2.CV_16S, kernel, borderType=cv2.BORDER_CONSTANT)
    return counts.astype(np.int8)


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
    return [(a, b) for a, b in parts if ink_mask(gray[a:b]).any()] or [(0, gray.shape[0])]


def _blank_rows(gray: np.ndarray) -> np.ndarray:
    """Return, per row, whether it is blank paper (a speck or two of dust allowed)."""
    return ink_mask(gray).sum(axis=1) <= _DUST


_A4_INCHES = 8.27  # the paper window of a picture whose resolution is still unknown: one A4 page wide
_MEASURE_STRIPS = 32  # a page is measured in narrow strips: a turn of a few degrees barely tilts a line in one
_MEASURE_RULE = 20  # a straight run longer than the page's width over this is a rule, not type (0.4 in on A4)
_MEASURE_INK = 2  # ink pixels a row of a strip holds to be part of a line of print (a speck is not)
_MEASURE_LINES = 30  # lines of print (pieces in strips) a page shows before its type can be told
_MEASURE_SHARE = 75  # percentile of the lines measured: a line of text, not a shorter row of figures


def line_height(gray: np.ndarray) -> float | None:
    """Return the height in pixels of the page's lines of print (the ink of one line of type, rules left
    out: the upper quartile over pieces of lines in narrow strips), or None when the picture shows too
    little print to tell.

    The scale of the print itself, whatever resolution the picture claims: a picture's declared size
    can be a tenth of the page it shows, or three times it. A picture wider than an A4 page at twice
    WORK_DPI is measured shrunk by a whole factor to about that width: its print measures the same
    (a 300-dpi page: 54 pixels either way), in a fifth of the time.
    """
    factor = gray.shape[1] // round(_A4_INCHES * WORK_DPI)
    if factor >= 2:
        small = cv2.resize(gray, None, fx=1 / factor, fy=1 / factor, interpolation=cv2.INTER_AREA)
        measured = line_height(small)
        return None if measured is None else measured * factor
    width = gray.shape[1]
    ink = ink_mask(despeckle(flatten(gray, width / _A4_INCHES))).astype(np.uint8)
    reach = max(8, width // _MEASURE_RULE)
    rules = np.maximum(
        cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (reach, 1))),
        cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (1, reach))))
    ink[cv2.dilate(rules, np.ones((3, 3), np.uint8)) > 0] = 0
    heights: list[int] = []
    step = max(1, width // _MEASURE_STRIPS)
    for left in range(0, width - step + 1, step):
        inked = ink[:, left : left + step].sum(axis=1) >= _MEASURE_INK
        heights.extend(end - start for start, end in runs(inked))
    tall = [h for h in heights if h >= 3]  # a dot, a comma or a dash is not a line
    if len(tall) < _MEASURE_LINES:
        return None
    return float(np.percentile(tall, _MEASURE_SHARE))
