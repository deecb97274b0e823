"""Tests for page pictures before OCR: skew measured and undone, stamps and shadows taken out, resolution.

The pictures are drawn here (a page of text lines and a ruled table), so every angle is known.
"""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image, ImageDraw

from parsers import raster


def _page(width: int = 1240, height: int = 1754) -> Image.Image:
    """An A4 page at 150 dpi: lines of 'words' (short bars of type) and a ruled table below them."""
    picture = Image.new("L", (width, height), 255)
    draw = ImageDraw.Draw(picture)
    rng = np.random.default_rng(7)
    for top in range(150, 700, 45):  # lines of text: words of varying length, 24 px high
        x = 150
        while x < width - 200:
            length = int(rng.integers(20, 90))
            draw.rectangle((x, top, x + length, top + 22), fill=30)
            x += length + int(rng.integers(8, 20))
    xs, ys = range(150, 1100, 95), range(800, 1400, 30)
    for y in ys:
        draw.line((xs[0], y, xs[-1], y), fill=0, width=2)
    for x in xs:
        draw.line((x, ys[0], x, ys[-1]), fill=0, width=2)
    return picture


@pytest.mark.parametrize("angle", [-4.2, -1.5, -0.3, 0.6, 1.5, 3.0])
def test_a_known_skew_is_measured_to_a_tenth_of_a_degree(angle: float) -> None:
    turned = np.asarray(_page().rotate(angle, resample=Image.Resampling.BICUBIC, fillcolor=255))
    assert raster.skew_angle(turned) == pytest.approx(angle, abs=0.1)


def test_a_turned_page_is_straightened_whatever_its_resolution() -> None:
    page = _page()
    for dpi in (100, 300):  # the same page scanned at another resolution, turned by 2°
        scanned = page.resize((round(page.width * dpi / 150), round(page.height * dpi / 150)))
        turned = np.asarray(scanned.rotate(2.0, resample=Image.Resampling.BICUBIC, fillcolor=255))
        prepared = raster.prepare(turned, dpi)
        assert prepared.ink.shape == pytest.approx((1754, 1240), abs=2)  # brought to the working resolution
        assert prepared.angle == pytest.approx(2.0, abs=0.1)
        assert raster.skew_angle(prepared.ink) == pytest.approx(0.0, abs=0.05)


def test_a_red_seal_turns_to_paper_and_the_print_under_it_stays_black() -> None:
    picture = Image.new("RGB", (300, 200), (255, 255, 255))
    draw = ImageDraw.Draw(picture)
    draw.rectangle((100, 80, 200, 110), fill=(0, 0, 0))  # a figure
    pixels = np.asarray(picture).astype(float)
    ring = np.zeros(pixels.shape[:2], dtype=bool)
    yy, xx = np.mgrid[:200, :300]
    ring |= np.abs(np.hypot(yy - 100, xx - 150) - 70) < 5
    ring |= np.hypot(yy - 100, xx - 150) < 20  # the star in the middle, over the figure
    red = np.array([0.88, 0.18, 0.2])
    pixels[ring] = pixels[ring] * 0.4 + pixels[ring] * red * 0.6  # translucent red ink multiplies
    gray = raster.suppress_stamps(pixels.astype(np.uint8))
    assert (gray[ring & (pixels.sum(axis=2) > 200)] > raster.DARK).all()  # the seal is gone
    assert (gray[85:105, 105:195] < 60).all()  # the figure under it stays black
    plain = np.asarray(picture.convert("L"))
    assert (raster.suppress_stamps(np.asarray(picture)) == plain).all()  # print alone is untouched


def test_a_blue_stamp_is_suppressed_too() -> None:
    pixels = np.full((50, 50, 3), 255, dtype=np.uint8)
    pixels[10:40, 10:40] = (40, 70, 200)
    assert (raster.suppress_stamps(pixels)[10:40, 10:40] >= raster.DARK).all()


def test_a_shadow_along_the_binding_edge_is_not_ink() -> None:
    page = np.asarray(_page()).astype(float)
    xs = np.linspace(0, 1, page.shape[1])
    shadowed = (page * (1 - 0.55 * np.exp(-xs / 0.06))[None, :]).astype(np.uint8)
    assert raster.ink_mask(shadowed)[:, :40].mean() > 0.9  # a plain threshold sees a black band
    flat = raster.flatten(shadowed)
    assert raster.ink_mask(flat)[:, :40].mean() < 0.01
    assert (raster.ink_mask(flat) == raster.ink_mask(np.asarray(_page())))[:, 150:1100].mean() > 0.99


def test_a_picture_is_resampled_to_the_working_resolution() -> None:
    pixels = np.full((300, 200), 255, dtype=np.uint8)
    assert raster.resample(pixels, 300).shape == (150, 100)
    assert raster.resample(pixels, 100).shape == (450, 300)
    assert raster.resample(pixels, 151) is pixels  # within 2 %: left alone


def test_a_page_lying_sideways_is_told_from_an_upright_one() -> None:
    page = np.asarray(_page())
    assert not raster.sideways(page)
    assert raster.sideways(np.ascontiguousarray(np.rot90(page)))


@pytest.mark.parametrize("scale", [0.5, 1.0, 2.0, 3.0])
def test_the_print_is_measured_in_pixels_whatever_the_resolution(scale: float) -> None:
    """Lines of type 23 pixels high at 150 dpi (the table's rules left out), measured at half, once,
    twice and three times that resolution (the last two shrunk to be measured), straight and turned."""
    page = _page()
    page = page.resize((round(page.width * scale), round(page.height * scale)), Image.Resampling.LANCZOS)
    assert raster.line_height(np.asarray(page)) == pytest.approx(23 * scale, rel=0.12)
    turned = np.asarray(page.rotate(2.5, resample=Image.Resampling.BICUBIC, fillcolor=255))
    assert raster.line_height(turned) == pytest.approx(23 * scale, rel=0.25)


def test_a_blank_page_has_no_measure_of_its_print() -> None:
    assert raster.line_height(np.full((1754, 1240), 255, dtype=np.uint8)) is None


def test_runs_are_the_ranges_a_profile_is_true() -> None:
    assert raster.runs(np.array([0, 1, 1, 0, 0, 1, 0, 1, 1, 1])) == [(1, 3), (5, 6), (7, 10)]
    assert raster.runs(np.array([True, True])) == [(0, 2)]
    assert raster.runs(np.zeros(4, dtype=bool)) == []


def test_runs_less_than_apart_from_the_one_before_are_joined() -> None:
    stretches = [(1, 3), (5, 6), (9, 10), (10, 12)]
    assert raster.joined(stretches, 2) == [(1, 3), (5, 6), (9, 12)]
    assert raster.joined(stretches, 3) == [(1, 6), (9, 12)]
    assert raster.joined(stretches, 0) == stretches
    assert raster.joined([], 5) == []
