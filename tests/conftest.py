"""Shared paths and markers for the test suite."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus"
SYNTHETIC = ROOT / "fixtures" / "synthetic"
# The robustness set's generators (fixtures/robust*.py) make the documents many tests read.
sys.path.insert(0, str(ROOT / "fixtures"))

needs_corpus = pytest.mark.skipif(
    not CORPUS.is_dir(), reason="../shared/corpus is absent (a clone outside the team); CI always has it"
)
FORMATS = ROOT / "fixtures" / "formats"


def scanned_page(path: Path, number: int) -> Any:
    """Return the OCR reading (a PageBlocks) of page `number` (from 1) of a scanned PDF."""
    import pypdfium2 as pdfium

    from parsers import ocr

    document = pdfium.PdfDocument(str(path))
    try:
        page = ocr.read_pdf_page(document[number - 1], number)
    finally:
        document.close()
    assert page is not None
    return page


def read_every_cell(path: Path, truth_path: Path) -> tuple[Any, Any]:
    """Parse `path`, assert every cell of its truth file read as printed, and return the result and its score."""
    import json

    from pipeline.measure.evaluate import compare
    from pipeline.run import parse_file

    result = parse_file(path)
    score = compare(result, json.loads(truth_path.read_text(encoding="utf-8")))
    assert score.misses == []
    return result, score
