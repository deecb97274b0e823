"""Tests for ruled tables on page pictures: rules found by morphology on turned, noisy, broken scans."""

from __future__ import annotations

import io
import itertools

import numpy as np
import pytest
from PIL import Image, ImageDraw

from parsers import raster, ruling

XS = [150, 330, 480, 630, 780, 930, 1080]
YS = [300, 345, 390, 420, 450, 480, 510, 540, 570]


def _table(dpi: int = 150, width: int = 2) -> Image.Image:
    """A page with a ruled table (a header over the figure columns, a label over two rows) and text around."""
    scale = dpi / 150
    picture = Image.new("L", (round(1240 * scale), round(1754 * scale)), 255)
    draw = ImageDraw.Draw(picture)
    s = [[round(v * scale) for v in vs] for vs in (XS, YS)]
    xs, ys = s
    line = max(1, round(width * scale))
    for i, y in enumerate(ys):  # no rule under the header row's spanning cell between columns 1 and 6
        start = xs[1] if i == 1 else xs[0]
        draw.line((start, y, xs[-1], y), fill=0, width=line)
    for i, x in enumerate(xs):
        top = ys[1] if 1 < i < len(xs) - 1 else ys[0]
        draw.line((x, top, x, ys[-1]), fill=0, width=line)
    for top in range(round(120 * scale), round(260 * scale), round(40 * scale)):  # text above the table
        for x in range(round(150 * scale), round(1050 * scale), round(60 * scale)):
            draw.rectangle((x, top, x + round(45 * scale), top + round(22 * scale)), fill=20)
    for r in range(2, len(ys) - 1):  # figures in the cells
        for c in range(1, len(xs) - 1):
            draw.text((xs[c] + 20 * scale, ys[r] + 8 * scale), str(r * 7 + c), fill=0)
    return picture


def _layout(table: ruling.RasterTable) -> list[tuple[int, int, int, int]]:
    return sorted((c.row, c.col, c.row_span, c.col_span) for c in table.cells)


def _scanned(picture: Image.Image, angle: float, quality: int, seed: int) -> np.ndarray:
    """The page turned, grainy, with toner dropouts, saved as a JPEG."""
    turned = np.asarray(picture.rotate(angle, resample=Image.Resampling.BICUBIC, fillcolor=255)).astype(float)
    rng = np.random.default_rng(seed)
    turned += rng.normal(0, 12, turned.shape)
    turned[(turned < 128) & (rng.random(turned.shape) < 0.03)] = 230
    buffer = io.BytesIO()
    Image.fromarray(np.clip(turned, 0, 255).astype(np.uint8)).save(buffer, "JPEG", quality=quality)
    return np.asarray(Image.open(buffer))


def test_the_table_drawn_is_the_table_found() -> None:
    [table] = ruling.find_tables(np.asarray(_table()))
    assert table.xs == pytest.approx(XS, abs=1)  # a rule two pixels wide lies between two pixel rows
    assert table.ys == pytest.approx(YS, abs=1)
    cells = _layout(table)
    assert (0, 0, 2, 1) in cells  # the label over the header's two rows
    assert (0, 1, 1, 5) in cells  # the header over the five figure columns
    assert len(cells) == 2 + 5 + 6 * 6


@pytest.mark.parametrize(("angle", "dpi", "quality"), [(0.6, 150, 70), (-1.5, 200, 50), (3.0, 100, 40),
                                                       (-2.4, 300, 60)])
def test_rules_are_found_on_a_turned_noisy_page_at_any_resolution(angle: float, dpi: int, quality: int) -> None:
    expected = _layout(ruling.find_tables(np.asarray(_table()))[0])
    prepared = raster.prepare(_scanned(_table(dpi), angle, quality, seed=dpi), dpi)
    [table] = ruling.find_tables(prepared.ink)
    assert _layout(table) == expected
    # Back at the working resolution, the grid is where it was drawn (the picture turns about its centre).
    assert np.diff(table.xs) == pytest.approx(np.diff(XS), abs=2.5)
    assert np.diff(table.ys) == pytest.approx(np.diff(YS), abs=2.5)


@pytest.mark.parametrize("angle", [2.5, -1.5])
def test_gray_rules_of_a_blurred_low_resolution_scan_are_found_whole(angle: float) -> None:
    """Hair rules at 130 dpi, blurred and JPEG-compressed: gray through and through. The picture is
    upsampled to the working resolution, yet its grid is the one drawn, with no cell merged."""
    import cv2

    expected = _layout(ruling.find_tables(np.asarray(_table()))[0])
    blurred = cv2.GaussianBlur(np.asarray(_table(130, width=1)), (0, 0), 1.0)
    turned = Image.fromarray(blurred).rotate(angle, resample=Image.Resampling.BICUBIC, fillcolor=255)
    buffer = io.BytesIO()
    turned.save(buffer, "JPEG", quality=45)
    prepared = raster.prepare(np.asarray(Image.open(buffer)), 130)
    assert prepared.upsampled
    [table] = ruling.find_tables(prepared.ink, prepared.upsampled)
    assert _layout(table) == expected


def test_a_rule_broken_by_a_copier_is_one_rule() -> None:
    picture = np.asarray(_table()).copy()
    for x in range(160, 1080, 45):  # gaps of 5 pixels every 45 pixels along every horizontal rule
        for y in YS:
            picture[y - 2 : y + 2, x : x + 5] = 255
    [table] = ruling.find_tables(picture)
    assert _layout(table) == _layout(ruling.find_tables(np.asarray(_table()))[0])


def test_a_lightly_shaded_header_row_is_not_a_rule() -> None:
    picture = _table()
    ImageDraw.Draw(picture).rectangle((XS[0] + 2, YS[0] + 2, XS[-1] - 2, YS[1] - 2), fill=215)
    [table] = ruling.find_tables(raster.flatten(np.asarray(picture)))
    assert table.ys == pytest.approx(YS, abs=1)


def test_the_foot_of_a_line_of_small_type_is_not_a_rule() -> None:
    # A header of two lines of small print (a page shrunk to a smaller paper): the feet of the first
    # line's characters, one after another and close to the column rules, make a straight run
    # across the cells, with the characters' stems standing on it.
    xs, ys = [150, 330, 394, 458, 522, 586, 650], [300, 326, 378, 404, 430]
    picture = Image.new("L", (800, 600), 255)
    draw = ImageDraw.Draw(picture)
    for y in ys:
        draw.line((xs[0], y, xs[-1], y), fill=0, width=2)
    for x in xs:
        draw.line((x, ys[0], x, ys[-1]), fill=0, width=2)
    for left, right in itertools.pairwise(xs[1:]):
        for x in range(left + 5, right - 5, 12):  # feet, a pixel apart
            draw.rectangle((x, 350, min(x + 10, right - 5), 351), fill=0)
        for x in range(left + 5, right - 5, 5):  # stems
            draw.rectangle((x, 338, x + 1, 349), fill=0)
    [table] = ruling.find_tables(np.asarray(picture))
    assert table.ys == pytest.approx(ys, abs=1)
    assert table.xs == pytest.approx(xs, abs=1)
