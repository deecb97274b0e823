"""What a file is before it is read (parsers.probe): its format, and a PDF's pages from its page tree."""

from __future__ import annotations

import pypdfium2 as pdfium
from conftest import SYNTHETIC

from parsers import Probe, probe


def test_a_pdf_gives_its_format_and_page_count():
    pdf = SYNTHETIC / "city-xiuzhou-2022-t2021.pdf"
    document = pdfium.PdfDocument(str(pdf))
    try:
        pages = len(document)
    finally:
        document.close()
    assert probe(pdf) == Probe("pdf", pages)
    assert pages > 1


def test_other_formats_and_bad_files_are_probed_without_raising(tmp_path):
    assert probe(SYNTHETIC / "city-xiuzhou-2022-t2021.docx") == Probe("docx", None)
    (tmp_path / "empty.pdf").write_bytes(b"")
    (tmp_path / "broken.pdf").write_bytes(b"%PDF-1.7\n1 0 obj <<")
    assert probe(tmp_path / "empty.pdf") == Probe(None)
    assert probe(tmp_path / "broken.pdf") == Probe("pdf", None)
    assert probe(tmp_path / "missing.pdf") == Probe(None)
