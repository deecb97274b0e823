"""Faux-bold text (each glyph painted twice, slightly offset) reads once, by both PDF routes."""

import pytest

from parsers.overprint import Overprints
from parsers.pdf import read_pdf
from pipeline.model import TextBlock


def faux_bold_pdf(path, text: str, offset: float) -> None:
    """Write a one-page PDF that paints `text` twice, the second time `offset` points to the right."""
    content = (f"BT /F1 14 Tf 72 720 Td ({text}) Tj ET BT /F1 14 Tf {72 + offset} 720.2 Td ({text}) Tj ET "
               "BT /F1 12 Tf 72 690 Td (plain line) Tj ET").encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >> "
        b"/Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    path.write_bytes(bytes(out))


@pytest.mark.parametrize("offset", [0.3, 0.5, 0.8])
@pytest.mark.parametrize("route", ["pdfium", "pdfplumber"])
def test_faux_bold_reads_once(tmp_path, monkeypatch, offset, route):
    if route == "pdfplumber":
        from parsers import pdfium_page

        monkeypatch.setattr(pdfium_page, "read_page", lambda page, textpage=None, objects=None: None)
    path = tmp_path / "bold.pdf"
    faux_bold_pdf(path, "Annual Report", offset)
    lines = [b.text for b in read_pdf(path).blocks if isinstance(b, TextBlock)]
    assert lines == ["Annual Report", "plain line"]


def test_overprints_tolerance_crosses_grid_boundaries():
    seen = Overprints()
    assert not seen.repeat("总", 99.9, 700.0)
    assert seen.repeat("总", 100.4, 700.3)  # across an integer boundary
    assert not seen.repeat("总", 102.0, 700.0)
    assert not seen.repeat("体", 100.4, 700.3)


def test_overprint_look_out_misses_no_repeat():
    """pdfium's reader walks a page glyph by glyph only where its look at all glyphs at once says two may
    overprint: over random pages (repeats near and just beyond the tolerance, on grid lines, at negative
    coordinates) it never says no where the walk finds a repeat."""
    import random

    from parsers.pdfium_page import _may_overprint

    rng = random.Random(17)
    for trial in range(400):
        glyphs = []
        for index in range(rng.randint(2, 60)):
            x = rng.choice([rng.uniform(-50, 600), float(rng.randint(0, 300))])
            y = rng.choice([rng.uniform(-20, 800), float(rng.randint(0, 400))])
            glyphs.append((index, rng.choice("总体0 \u3000"), x, x + 5, 10.0, y))
        for _ in range(rng.randint(0, 2)):  # a glyph painted again, within the tolerance or just beyond it
            index, ch, x, _, _, y = rng.choice(glyphs)
            dx, dy = (rng.uniform(-1.05, 1.05) for _ in range(2))
            glyphs.append((len(glyphs), ch, x + dx, x + dx + 5, 10.0, y + dy))
        if trial % 5 == 0:
            glyphs.append((-1, "\n", 0.0, 0.0, 0.0, 0.0))
        seen = Overprints()
        walk = any(index >= 0 and not ch.isspace() and seen.repeat(ch, x, y) for index, ch, x, _, _, y in glyphs)
        assert _may_overprint(glyphs) or not walk
