"""Tests for parsers.legacy: Word 97-2003 (.doc) and WPS (.wps) files read through LibreOffice.

The fixtures are .doc files LibreOffice saved from generated reports (fixtures/formats), so every
figure is known. Failures (LibreOffice missing, a hang, a damaged or encrypted file) must be
one clear failed row each.
"""

from __future__ import annotations

import json
import shutil
import time
from pathlib import Path

import pytest
from conftest import FORMATS

from parsers import detect_format, legacy, read
from pipeline.errors import UnreadableDocument
from pipeline.model import Table, TableBlock
from pipeline.run import parse_file

DOC = FORMATS / "city-xiuzhou-2021-t2021.doc"
WPS = FORMATS / "dept-qingyu-gaj-2023-mixed.wps"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

needs_soffice = pytest.mark.skipif(legacy.soffice_path() is None, reason="LibreOffice is not installed (make deps)")


def _tables(path: Path) -> list[Table]:
    return [b.table for b in read(path).blocks if isinstance(b, TableBlock)]


def test_ole_files_are_told_apart_by_their_suffix(tmp_path: Path) -> None:
    assert detect_format(DOC) == "doc"
    assert detect_format(WPS) == "wps"
    odd = tmp_path / "report.dat"
    shutil.copyfile(DOC, odd)
    assert detect_format(odd) == "doc"  # an OLE file under another name is tried as Word 97-2003


@needs_soffice
def test_a_doc_keeps_its_format_and_path_and_reads_every_figure() -> None:
    document = read(DOC)
    assert document.format == "doc"
    assert document.source_path == str(DOC)
    applications = next(t for t in _tables(DOC) if t.n_cols == 10)
    truth = json.loads((FORMATS / f"{DOC.name}.truth.json").read_text(encoding="utf-8"))["applications"]
    total = [c.text for c in applications.row_cells(applications.n_rows - 2)]
    assert total[0] == "(七)总计"
    assert [float(v) for v in total[1:]] == [truth["total"][k] for k in (
        "natural_person", "commercial_enterprise", "research_institution", "social_welfare_org",
        "legal_service_org", "other_org", "total")]


@needs_soffice
def test_rtf_served_as_doc_is_read_too(tmp_path: Path) -> None:
    rtf = tmp_path / "report.doc"
    rtf.write_bytes(rb"{\rtf1\ansi{\fonttbl{\f0 SimSun;}}\f0 \u19968?\u12289?\u24635?\u20307?\u24773?\u20917?\par}")
    assert detect_format(rtf) == "doc"
    assert [b.text for b in read(rtf).blocks] == ["一、总体情况"]


@needs_soffice
def test_a_wps_file_is_read_like_a_doc() -> None:
    result = parse_file(WPS)
    assert result.document["format"] == "wps"
    assert result.document["status"] == "ok"
    review = {(r.row, r.column): r.value for r in result.records if r.table == "review_litigation"}
    truth = json.loads((FORMATS / f"{WPS.name}.truth.json").read_text(encoding="utf-8"))["review_litigation"]
    assert review == {(row, col): value for row, cols in truth.items() for col, value in cols.items()}


@needs_soffice
def test_a_damaged_doc_is_one_failed_row_with_the_reason(tmp_path: Path) -> None:
    damaged = tmp_path / "damaged.doc"
    damaged.write_bytes(OLE_MAGIC + b"\x00" * 4096)
    result = parse_file(damaged)
    assert result.document["status"] == "failed"
    assert result.document["format"] == "doc"
    assert result.document["error"].startswith("LibreOffice could not convert the file")


@needs_soffice
def test_a_conversion_over_the_time_limit_is_killed(tmp_path: Path) -> None:
    start = time.monotonic()
    with pytest.raises(UnreadableDocument, match=r"^LibreOffice conversion timed out after 0.2 s$"):
        legacy.read_legacy(DOC, time_limit=0.2)
    assert time.monotonic() - start < 10  # the process group was killed, not waited for


def test_without_libreoffice_the_reason_says_so(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(legacy, "soffice_path", lambda: None)
    result = parse_file(DOC)
    assert result.document["status"] == "failed"
    assert result.document["error"] == "LibreOffice is not installed (needed to read .doc and .wps files)"


def test_an_encrypted_office_file_is_refused_before_conversion(tmp_path: Path) -> None:
    locked = tmp_path / "locked.docx"
    locked.write_bytes(OLE_MAGIC + b"\x00" * 64 + "EncryptedPackage".encode("utf-16-le") + b"\x00" * 64)
    assert detect_format(locked) == "doc"
    with pytest.raises(UnreadableDocument, match=r"encrypted Word document"):
        read(locked)
