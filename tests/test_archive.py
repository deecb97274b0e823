"""Reports inside .zip archives: members read safely, unsafe members refused with a row."""

from __future__ import annotations

import zipfile

import pandas as pd
import pytest
from conftest import SYNTHETIC

from pipeline.batch.inputs import ZipLimits, archive_sources, display_name
from pipeline.batch.runner import BatchSettings, run_batch

REPORT = SYNTHETIC / "city-xiuzhou-2021-t2021.pdf"


def settings(**zip_limits) -> BatchSettings:
    return BatchSettings(workers=1, chunk_size=2, zip_limits=ZipLimits(**zip_limits))


def documents_of(out) -> pd.DataFrame:
    return pd.read_parquet(out / "documents").set_index("source_path")


def test_members_are_parsed_under_archive_paths_and_the_inbox_is_emptied(tmp_path):
    archive = tmp_path / "2023.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.write(REPORT, "city/report.pdf")
        z.write(SYNTHETIC / "county-qingyu-2019-t2019.docx", "county/报告.docx")
        z.writestr("readme.md", "not a report: skipped")
    out = tmp_path / "out"
    run_batch([archive], out, settings())
    documents = documents_of(out)
    assert sorted(documents.index) == [f"{archive}!city/report.pdf", f"{archive}!county/报告.docx"]
    assert (documents.status == "ok").all()
    assert not (out / ".inbox").exists()


@pytest.mark.parametrize("member", ["../escaped.pdf", "/tmp/absolute.pdf", "a/../../escaped.pdf"])
def test_zip_slip_members_are_refused_and_nothing_is_written_outside(tmp_path, member):
    archive = tmp_path / "in" / "evil.zip"
    archive.parent.mkdir()
    with zipfile.ZipFile(archive, "w") as z:
        z.write(REPORT, "fine.pdf")
        z.writestr(zipfile.ZipInfo(member), REPORT.read_bytes())
    before = set(tmp_path.parent.rglob("*escaped*"))
    out = tmp_path / "out"
    summary = run_batch([archive], out, settings())
    documents = documents_of(out)
    row = documents.loc[f"{archive}!{member}"]
    assert row["status"] == "failed"
    assert row["error"] == f"unsafe path in zip archive (absolute or ../, zip-slip): {member}"
    assert documents.loc[f"{archive}!fine.pdf", "status"] == "ok"
    assert summary.failed == 1
    assert set(tmp_path.parent.rglob("*escaped*")) == before
    assert not (tmp_path / "absolute.pdf").exists()


def test_a_zip_bomb_member_is_refused_by_its_ratio(tmp_path):
    archive = tmp_path / "bomb.zip"
    with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED) as z:
        z.writestr("huge.pdf", b"%PDF-1.7\n" + bytes(20 << 20))  # 20 MB of zeros: about 1000:1
        z.write(REPORT, "fine.pdf")
    out = tmp_path / "out"
    run_batch([archive], out, settings())
    documents = documents_of(out)
    assert documents.loc[f"{archive}!huge.pdf", "error"].startswith("zip bomb suspected (compression ratio ")
    assert documents.loc[f"{archive}!fine.pdf", "status"] == "ok"


def test_a_member_over_the_size_limit_is_refused(tmp_path):
    archive = tmp_path / "big.zip"
    with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_STORED) as z:
        z.writestr("large.pdf", b"%PDF-1.7\n" + bytes(2 << 20))
    run_batch([archive], tmp_path / "out", settings(max_member_mb=1))
    error = documents_of(tmp_path / "out").loc[f"{archive}!large.pdf", "error"]
    assert error == "zip member too large (2 MB uncompressed; limit 1 MB): large.pdf"


def test_a_nested_archive_is_not_expanded(tmp_path):
    inner = tmp_path / "inner.zip"
    with zipfile.ZipFile(inner, "w") as z:
        z.write(REPORT, "deep.pdf")
    outer = tmp_path / "outer.zip"
    with zipfile.ZipFile(outer, "w") as z:
        z.write(inner, "sub/inner.zip")
    inner.unlink()
    run_batch([outer], tmp_path / "out", settings())
    documents = documents_of(tmp_path / "out")
    assert list(documents.index) == [f"{outer}!sub/inner.zip"]
    assert documents.iloc[0]["error"] == "nested archive not expanded: sub/inner.zip"


def test_a_damaged_archive_is_one_failed_row(tmp_path):
    archive = tmp_path / "broken.zip"
    archive.write_bytes(b"PK\x03\x04 not really a zip")
    [source] = archive_sources(archive)
    assert source.refused.startswith("damaged zip archive")


def test_gbk_member_names_are_decoded():
    info = zipfile.ZipInfo("2023年报告.pdf".encode("gbk").decode("cp437"))
    info.flag_bits = 0  # no UTF-8 flag: how Chinese Windows archivers store names
    assert display_name(info) == "2023年报告.pdf"


def test_running_again_over_an_archive_adds_no_row(tmp_path):
    archive = tmp_path / "mixed.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.write(REPORT, "fine.pdf")
        z.writestr(zipfile.ZipInfo("../escaped.pdf"), b"%PDF-1.7")
    out = tmp_path / "out"
    run_batch([archive], out, settings())
    again = run_batch([archive], out, settings())
    assert (again.parsed, again.failed, again.skipped) == (0, 0, 2)
    assert len(pd.read_parquet(out / "documents")) == 2
    assert len(pd.read_parquet(out / "sources")) == 2
    assert not (out / ".inbox").exists()
