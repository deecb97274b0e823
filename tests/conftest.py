"""Shared paths and markers for the test suite."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus"
SYNTHETIC = ROOT / "fixtures" / "synthetic"

needs_corpus = pytest.mark.skipif(
    not CORPUS.is_dir(), reason="../shared/corpus is absent (a clone outside the team); CI always has it"
)
FORMATS = ROOT / "fixtures" / "formats"
