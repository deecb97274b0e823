"""Tests for parsers.ocr_cells: the print inside a ruled cell, found without a text detector.

The cells are drawn here, so every line and gap of print is known; the recognizer runs only in the
last tests (short pictures read several to a line must read as they do one by one).
"""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from parsers import ocr_cells, ocr_engine

CELL = (100, 100, 300, 160)  # x0, top, x1, bottom of the ruled cell every picture here draws


def _cell(draw_print) -> np.ndarray:
    """A page with one ruled cell (CELL), its print drawn by `draw_print`."""
    picture = Image.new("L", (400, 260), 255)
    draw = ImageDraw.Draw(picture)
    draw.rectangle(CELL, outline=0, width=2)
    draw_print(draw)
    return np.asarray(picture)


def _bounds(pieces: list[ocr_cells.Piece] | None) -> list[tuple[int, int, int, int]]:
    assert pieces is not None
    return [(p.x0, p.top, p.x1, p.bottom) for p in pieces]


def test_a_blank_cell_and_a_cell_of_dust_have_no_print() -> None:
    assert ocr_cells.pieces(_cell(lambda d: None), CELL) == []
    dusty = _cell(lambda d: [d.point((120 + 9 * k, 110 + 4 * k), fill=0) for k in range(10)])
    assert ocr_cells.pieces(dusty, CELL) == []


def test_one_line_of_print_is_one_piece_with_its_gray_edge() -> None:
    page = _cell(lambda d: d.rectangle((150, 120, 189, 139), fill=0))
    assert _bounds(ocr_cells.pieces(page, CELL)) == [(149, 119, 191, 141)]


def test_two_lines_of_a_label_are_two_pieces_top_to_bottom() -> None:
    def label(draw: ImageDraw.ImageDraw) -> None:
        draw.rectangle((110, 108, 280, 125), fill=0)
        draw.rectangle((110, 132, 200, 150), fill=0)

    assert _bounds(ocr_cells.pieces(_cell(label), CELL)) == [(109, 107, 282, 127), (109, 131, 202, 152)]


def test_the_strokes_of_one_line_that_leave_a_gap_between_them_stay_one_line() -> None:
    # "二": two flat strokes one above the other, lower than a line of type together.
    def two(draw: ImageDraw.ImageDraw) -> None:
        draw.rectangle((150, 120, 170, 122), fill=0)
        draw.rectangle((146, 134, 174, 136), fill=0)

    assert _bounds(ocr_cells.pieces(_cell(two), CELL)) == [(145, 119, 176, 138)]


def test_a_dash_is_print_given_a_line_of_paper() -> None:
    page = _cell(lambda d: d.rectangle((190, 129, 207, 130), fill=0))
    (piece,) = ocr_cells.pieces(page, CELL) or []
    assert (piece.x0, piece.top, piece.x1, piece.bottom) == (189, 128, 209, 132)
    picture = ocr_cells.crop(page, piece)
    assert picture.shape[0] >= ocr_cells.TYPE_HEIGHT  # the recognizer is given a line, not a sliver
    assert ocr_cells.print_in(page, CELL) == piece


def test_figures_set_far_apart_on_a_line_are_separate_pieces() -> None:
    # A cell over two columns whose rule a copy lost: "77" and "17" must not read as one number.
    def figures(draw: ImageDraw.ImageDraw) -> None:
        draw.rectangle((120, 120, 140, 139), fill=0)
        draw.rectangle((240, 120, 260, 139), fill=0)

    assert _bounds(ocr_cells.pieces(_cell(figures), CELL)) == [(119, 119, 142, 141), (239, 119, 262, 141)]


def test_a_speck_set_apart_on_a_line_is_not_a_piece() -> None:
    def figure_and_speck(draw: ImageDraw.ImageDraw) -> None:
        draw.rectangle((150, 120, 170, 139), fill=0)
        draw.rectangle((250, 130, 252, 133), fill=0)

    assert _bounds(ocr_cells.pieces(_cell(figure_and_speck), CELL)) == [(149, 119, 172, 141)]


def test_print_taller_than_a_line_is_left_to_the_detector() -> None:
    assert ocr_cells.pieces(_cell(lambda d: d.rectangle((150, 106, 200, 154), fill=0)), CELL) is None
    assert ocr_cells.print_in(_cell(lambda d: d.rectangle((150, 106, 200, 154), fill=0)), CELL) is None


@pytest.mark.parametrize(("minus", "doubt"), [
    (215, True),  # a blurred minus sign, lighter than the ink level: the figure "1" is in doubt
    (245, False),  # paper's own tint, no sign
    (None, False),  # nothing before the figure
])
def test_a_minus_sign_too_faint_to_be_print_leaves_its_figure_in_doubt(minus: int | None, doubt: bool) -> None:
    def minus_one(draw: ImageDraw.ImageDraw) -> None:
        if minus is not None:
            draw.rectangle((182, 126, 188, 128), fill=minus)  # "-", at the middle of the figure's height
        draw.rectangle((192, 118, 196, 136), fill=150)  # "1"

    page = _cell(minus_one)
    (piece,) = ocr_cells.pieces(page, CELL) or []
    assert (piece.x0, piece.x1) == (191, 198)  # the sign is not print
    assert ocr_cells._faint_sign(page, piece) is doubt


def test_what_a_stamp_leaves_in_a_cell_is_not_its_print() -> None:
    def figure_under_stamp(draw: ImageDraw.ImageDraw) -> None:
        for k in range(0, 200, 9):  # light gray strokes of a suppressed seal across the cell
            draw.line((100 + k, 160, 120 + k, 100), fill=195, width=3)
        draw.rectangle((193, 118, 195, 136), fill=20)  # a figure one

    page = _cell(figure_under_stamp)
    (piece,) = ocr_cells.pieces(page, CELL) or []
    assert (piece.x0, piece.top, piece.x1, piece.bottom) == (192, 117, 197, 138)
    assert piece.level < 195
    assert ocr_cells.print_in(page, CELL) == piece
    clean = ocr_cells.crop(page, piece, clean=True)
    assert set(np.unique(clean)) <= {20, 255}  # the stamp's gray is paper in the clean picture


needs_engine = pytest.mark.skipif(not ocr_engine.available(), reason="rapidocr is not installed")
FIGURES = ["0", "17", "305", "4", "1,280", "0", "9", "62", "0", "3873"]


def _figure(text: str) -> np.ndarray:
    """A figure printed in 28 px type with paper around it, as a cell's piece is cropped."""
    font = ImageFont.load_default(size=28)
    left, top, right, bottom = font.getbbox(text)
    picture = Image.new("L", (right - left + 12, bottom - top + 12), 255)
    ImageDraw.Draw(picture).text((6 - left, 6 - top), text, font=font, fill=0)
    return np.asarray(picture)


@needs_engine
def test_short_pictures_read_several_to_a_line_read_as_one_by_one() -> None:
    pictures = [_figure(text) for text in FIGURES]
    packed = ocr_engine.read_lines(pictures, pack=True)
    assert [text for text, _ in packed] == FIGURES
    assert all(score > 0.9 for _, score in packed)
    assert [text for text, _ in ocr_engine.read_lines(pictures)] == FIGURES


@needs_engine
def test_a_blank_picture_among_packed_ones_reads_as_nothing() -> None:
    blank = np.full((34, 30), 255, dtype=np.uint8)
    packed = ocr_engine.read_packed([_figure("12"), blank, _figure("7")])
    assert [text for text, _ in packed] == ["12", "", "7"]
    assert packed[1][1] == 0.0


def test_a_stroke_set_apart_above_a_line_joins_that_line_not_the_one_above() -> None:
    # "构" on a coarse scan: its top stroke stands apart from the rest, nearer its own line than the line above.
    def label(draw: ImageDraw.ImageDraw) -> None:
        draw.rectangle((150, 108, 230, 126), fill=0)  # line one
        draw.rectangle((172, 131, 190, 133), fill=0)  # the top stroke of line two
        draw.rectangle((170, 135, 192, 152), fill=0)  # the rest of line two

    assert _bounds(ocr_cells.pieces(_cell(label), CELL)) == [(149, 107, 232, 128), (169, 130, 194, 154)]
