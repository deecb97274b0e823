"""`govreport batch` on bad inputs: each is one clear documents row, and nothing else is disturbed."""

from __future__ import annotations

import shutil
import time

import pandas as pd
import pytest
from batchkit import BUDGET_NOTICE, blank_pdf, budget_notice_docx, copy_reports, encrypted_pdf, image_pdf
from conftest import SYNTHETIC

from pipeline.batch.runner import BatchSettings, run_batch
from pipeline.batch.workers import Limits


def settings(**limits) -> BatchSettings:
    return BatchSettings(workers=2, chunk_size=3, limits=Limits(**limits))


@pytest.fixture(scope="module")
def bad_batch(tmp_path_factory):
    """One batch over a folder of bad inputs beside two good reports."""
    folder = tmp_path_factory.mktemp("bad")
    copy_reports(folder, 2)
    (folder / "zero-bytes.pdf").write_bytes(b"")
    good = (SYNTHETIC / "city-xiuzhou-2021-t2021.pdf").read_bytes()
    (folder / "truncated.pdf").write_bytes(good[: len(good) // 3])
    encrypted_pdf(folder / "encrypted.pdf")
    blank_pdf(folder / "thousands-of-pages.pdf", 3000)
    (folder / "not-a-zip.docx").write_text("plain text saved as .docx", encoding="utf-8")
    image_pdf(folder / "scanned.pdf")
    (folder / "budget-notice.txt").write_text(BUDGET_NOTICE, encoding="utf-8")
    budget_notice_docx(folder / "budget-notice.docx")
    shutil.copyfile(SYNTHETIC / "county-qingyu-2019-t2019.pdf", folder / "pdf-named.docx")
    out = tmp_path_factory.mktemp("out")
    start = time.monotonic()
    summary = run_batch([folder], out, settings())
    seconds = time.monotonic() - start
    documents = pd.read_parquet(out / "documents")
    return summary, seconds, documents.set_index(documents.source_path.str.rsplit("/", n=1).str[-1]), out


@pytest.mark.parametrize(("name", "status", "error"), [
    ("zero-bytes.pdf", "failed", "empty file (0 bytes)"),
    ("truncated.pdf", "failed", "not a readable PDF"),
    ("encrypted.pdf", "failed", "encrypted PDF (a password is needed to read it)"),
    ("thousands-of-pages.pdf", "failed", "too many pages (3000; --max-pages is 500)"),
    ("not-a-zip.docx", "failed", "not a DOCX file"),
    ("scanned.pdf", "needs_ocr", None),
    ("budget-notice.txt", "not_a_report", None),
    ("budget-notice.docx", "not_a_report", None),
    ("pdf-named.docx", "ok", None),
])
def test_each_bad_input_is_one_clear_row(bad_batch, name, status, error):
    _, _, documents, _ = bad_batch
    row = documents.loc[name]
    assert row["status"] == status
    if error is None:
        assert pd.isna(row["error"])
    else:
        assert row["error"].startswith(error)


def test_bad_inputs_leave_the_good_reports_alone(bad_batch):
    summary, _, documents, out = bad_batch
    assert (documents.loc[["report-00.pdf", "report-01.docx"], "status"] == "ok").all()
    assert documents.loc["pdf-named.docx", "format"] == "pdf"  # read by its bytes, not its name
    records = pd.read_parquet(out / "records")
    assert set(records.doc_id) == set(documents[documents.status.isin(["ok"])].doc_id)
    assert summary.failed == 5
    assert len(documents) == summary.inputs == 11


def test_a_pdf_of_thousands_of_pages_fails_fast_by_its_page_count(bad_batch):
    _, seconds, documents, _ = bad_batch
    assert documents.loc["thousands-of-pages.pdf", "pages"] == 3000
    assert seconds < 20  # the whole batch: the 3000 pages are counted, never read


def test_a_smaller_max_pages_refuses_a_report_that_is_longer(tmp_path):
    folder = tmp_path / "in"
    [report] = copy_reports(folder, 1)  # a synthetic PDF of 4-6 pages
    blank_pdf(folder / "three-pages.pdf", 3)
    run_batch([folder], tmp_path / "out", settings(max_pages=3))
    documents = pd.read_parquet(tmp_path / "out" / "documents").set_index("source_path")
    assert documents.loc[str(report), "error"].startswith("too many pages (")
    assert documents.loc[str(report), "error"].endswith("; --max-pages is 3)")
    assert documents.loc[str(folder / "three-pages.pdf"), "status"] == "needs_ocr"  # blank, but read


def test_identical_files_under_two_names_are_parsed_once(tmp_path):
    folder = tmp_path / "in"
    [report] = copy_reports(folder, 1)
    (folder / "sub").mkdir()
    twin = folder / "sub" / "same-bytes-other-name.pdf"
    shutil.copyfile(report, twin)
    summary = run_batch([folder], tmp_path / "out", settings())
    documents = pd.read_parquet(tmp_path / "out" / "documents")
    sources = pd.read_parquet(tmp_path / "out" / "sources")
    assert (summary.parsed, summary.duplicates) == (1, 1)
    assert len(documents) == 1
    assert sorted(sources.source_path) == sorted([str(report), str(twin)])
    assert set(sources.doc_id) == set(documents.doc_id)
    assert set(sources.sha256) == set(documents.sha256)
    records = pd.read_parquet(tmp_path / "out" / "records")
    assert not records.duplicated().any()


def test_a_file_changed_in_place_is_parsed_again(tmp_path):
    folder = tmp_path / "in"
    [report] = copy_reports(folder, 1)
    out = tmp_path / "out"
    run_batch([folder], out, settings())
    shutil.copyfile(SYNTHETIC / "town-qingyu-liuwan-2022-t2021.pdf", report)  # new bytes, same name
    again = run_batch([folder], out, settings())
    assert again.parsed == 1
    sources = pd.read_parquet(out / "sources")
    assert list(sources.source_path) == [str(report)] * 2
    assert sources.sha256.nunique() == 2
    assert len(pd.read_parquet(out / "documents")) == 2
