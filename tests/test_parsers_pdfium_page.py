"""Tests for pdfium's drawing of a page into pixels (parsers.pdfium_page.drawn)."""

from __future__ import annotations

import pypdfium2 as pdfium
from conftest import FORMATS

from parsers import pdfium_page, raster

SCAN = FORMATS / "county-qingyu-2019-t2019-scan.pdf"


def test_a_red_stamp_is_drawn_red(tmp_path) -> None:
    from reportlab.pdfgen import canvas

    path = tmp_path / "stamp.pdf"
    sheet = canvas.Canvas(str(path), pagesize=(200, 100))
    sheet.setFillColorRGB(1, 0, 0)
    sheet.rect(50, 25, 100, 50, stroke=0, fill=1)
    sheet.save()
    document = pdfium.PdfDocument(str(path))
    try:
        pixels = pdfium_page.drawn(document[0], 1.0)
    finally:
        document.close()
    assert pixels.shape == (100, 200, 3)
    assert pixels[50, 100].tolist() == [255, 0, 0]  # red, in RGB order
    assert pixels[5, 5].tolist() == [255, 255, 255]


def test_a_page_is_drawn_into_the_pixels_pil_would_give() -> None:
    document = pdfium.PdfDocument(str(SCAN))
    try:
        page = document[0]
        width, height = page.get_size()
        for grayscale, scale in ((False, 150 / 72), (True, 200 / 72)):
            pixels = pdfium_page.drawn(page, scale, grayscale=grayscale)
            bitmap = page.render(scale=scale, grayscale=grayscale)
            try:
                expected = raster.to_gray(bitmap.to_pil()) if grayscale else raster.to_rgb(bitmap.to_pil())
            finally:
                bitmap.close()
            assert pixels.shape == expected.shape == ((round(height * scale), round(width * scale))
                                                      + (() if grayscale else (3,)))
            assert (pixels == expected).all()
            assert pixels.flags.owndata  # a copy: pdfium's buffer is gone
            assert pixels.min() < 100 < 250 <= pixels.max()  # print on paper, not a blank page
    finally:
        document.close()
