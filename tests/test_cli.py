"""The command line on real and bad inputs: outputs, failed rows, exit codes."""

import zipfile

import pandas as pd
import pytest
from click.testing import CliRunner
from conftest import CORPUS, needs_corpus

from pipeline.cli import cli


@pytest.fixture
def bad_inputs(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "empty.pdf").write_bytes(b"")
    (folder / "truncated.pdf").write_bytes(b"%PDF-1.7\n1 0 obj <<")
    (folder / "notes.docx").write_text("not a zip", encoding="utf-8")
    with zipfile.ZipFile(folder / "other.docx", "w") as z:
        z.writestr("hello.txt", "a zip, not a Word file")
    return folder


@needs_corpus
def test_parse_writes_the_four_tables_and_survives_bad_files(tmp_path, bad_inputs):
    good = CORPUS / "huaian-hongze-2023.pdf"
    out = tmp_path / "out"
    run = CliRunner().invoke(cli, ["parse", str(good), str(bad_inputs), "-o", str(out)])
    assert run.exit_code == 1
    for name in ("documents", "sections", "records", "findings"):
        assert (out / f"{name}.parquet").exists()
        assert (out / f"{name}.csv").exists()
    docs = pd.read_parquet(out / "documents.parquet").set_index("source_path")
    assert docs.loc[str(good), "status"] == "ok"
    failed = docs[docs.status == "failed"]
    assert len(failed) == 4
    reasons = dict(zip(failed.index.map(lambda p: p.rsplit("/", 1)[-1]), failed.error, strict=True))
    assert "empty" in reasons["empty.pdf"]
    assert "not a DOCX file" in reasons["notes.docx"]
    assert "not a Word" in reasons["other.docx"]
    assert reasons["truncated.pdf"]
    assert "Traceback" not in run.output
    records = pd.read_parquet(out / "records.parquet")
    assert len(records) == 10 + 23 * 7 + 15
    assert set(records.doc_id) == {docs.loc[str(good), "doc_id"]}
    assert "failed: " in run.output


@needs_corpus
def test_parse_exit_zero_when_every_input_parses(tmp_path):
    run = CliRunner().invoke(cli, ["parse", str(CORPUS / "huaian-city-2024.pdf"), "-o", str(tmp_path), "--format", "csv"])
    assert run.exit_code == 0, run.output
    assert (tmp_path / ".lock").is_file()  # the folder's lock, hidden, as in a batch folder
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.startswith(".")) == [
        "bodies.csv", "coverage.csv", "datapackage.json", "documents.csv", "facts.csv", "findings.csv", "indicators.csv",
        "keywords.csv",
        "metadata.csv", "ocr_values.csv", "records.csv", "sections.csv"]
    frame = pd.read_csv(tmp_path / "records.csv", encoding="utf-8-sig")
    fees = frame[(frame.row == "administrative_fees")].iloc[0]
    assert (fees["value"], fees["item"], fees["page"]) == (96171.6, 20.8, 4)


@needs_corpus
def test_show_prints_sections_and_tables():
    run = CliRunner().invoke(cli, ["show", str(CORPUS / "huaian-city-2024.pdf")])
    assert run.exit_code == 0
    assert "淮安市人民政府" in run.output
    assert "三、收到和处理政府信息公开申请情况" in run.output
    line = next(line for line in run.output.splitlines() if line.strip().startswith("new_received"))
    assert line.split()[1:] == ["3001", "53", "0", "0", "61", "4", "3119"]


def test_show_on_a_bad_file_says_why(tmp_path):
    bad = tmp_path / "x.pdf"
    bad.write_bytes(b"")
    run = CliRunner().invoke(cli, ["show", str(bad)])
    assert run.exit_code == 1
    assert "empty file" in run.output


def test_help_texts_carry_an_example():
    for command in ("parse", "show"):
        run = CliRunner().invoke(cli, [command, "--help"])
        assert "Example" in run.output
        assert "govreport" in run.output


def _documents(out):
    return pd.read_parquet(out / "documents.parquet").set_index("source_path")


def test_parse_takes_globs_and_zip_archives_as_batch_does(tmp_path):
    from conftest import SYNTHETIC

    archive = tmp_path / "2023.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.write(SYNTHETIC / "city-xiuzhou-2021-t2021.docx", "reports/city-xiuzhou-2021.docx")
        z.writestr(zipfile.ZipInfo("../escape.pdf"), b"%PDF-1.7")
    pattern = str(SYNTHETIC / "county-qingyu-20*-t2019.docx")
    out = tmp_path / "out"
    run = CliRunner().invoke(cli, ["parse", pattern, str(archive), "-o", str(out)])
    assert run.exit_code == 1, run.output
    docs = _documents(out)
    assert docs.loc[f"{archive}!reports/city-xiuzhou-2021.docx", "status"] == "ok"
    assert docs.loc[str(SYNTHETIC / "county-qingyu-2019-t2019.docx"), "status"] == "ok"
    assert docs.loc[str(SYNTHETIC / "county-qingyu-2020-t2019.docx"), "status"] == "ok"
    assert docs.loc[f"{archive}!../escape.pdf", "error"] == \
        "unsafe path in zip archive (absolute or ../, zip-slip): ../escape.pdf"
    member = docs.loc[f"{archive}!reports/city-xiuzhou-2021.docx", "doc_id"]
    records = pd.read_parquet(out / "records.parquet")
    assert len(records[records.doc_id == member]) > 150


def test_parse_follows_linked_folders_and_names_loops(tmp_path):
    from conftest import SYNTHETIC

    real = tmp_path / "real"
    real.mkdir()
    (real / "a.docx").write_bytes((SYNTHETIC / "city-xiuzhou-2021-t2021.docx").read_bytes())
    top = tmp_path / "top"
    top.mkdir()
    (top / "linked").symlink_to(real, target_is_directory=True)
    (top / "loop").symlink_to(top, target_is_directory=True)
    (top / "gone.pdf").symlink_to(tmp_path / "nowhere.pdf")
    out = tmp_path / "out"
    run = CliRunner().invoke(cli, ["parse", str(top), "-o", str(out)])
    docs = _documents(out)
    assert docs.loc[str(top / "linked" / "a.docx"), "status"] == "ok"
    assert docs.loc[str(top / "loop"), "error"] == f"symbolic link loop: {top / 'loop'} leads back to {top}"
    assert docs.loc[str(top / "gone.pdf"), "error"] == f"broken symbolic link: {top / 'gone.pdf'} → " \
                                                       f"{tmp_path / 'nowhere.pdf'}"
    assert run.exit_code == 1


def test_parse_and_batch_refuse_alike_when_there_is_no_input(tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    for command in ("parse", "batch"):
        run = CliRunner().invoke(cli, [command, str(empty), "-o", str(tmp_path / command)])
        assert run.exit_code == 1
        assert "no report files found in the given paths" in run.output
        missing = CliRunner().invoke(cli, [command, str(tmp_path / "nope"), "-o", str(tmp_path / command)])
        assert missing.exit_code == 1
        assert f"no such file, folder or match: {tmp_path / 'nope'}" in missing.output


def test_a_parse_into_a_folder_a_batch_is_writing_to_is_refused(tmp_path):
    import subprocess
    import sys

    from conftest import SYNTHETIC

    out = tmp_path / "out"
    holder = subprocess.Popen(  # another process holds the folder, as a running batch or parse does
        [sys.executable, "-c", "import sys, time; from pipeline.batch.lock import OutputLock; lock = OutputLock(sys.argv[1]); "
         "lock.acquire(); print('locked', flush=True); time.sleep(60)", str(out)],
        stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "locked"
        run = CliRunner().invoke(cli, ["parse", str(SYNTHETIC / "city-xiuzhou-2021-t2021.docx"), "-o", str(out)])
    finally:
        holder.kill()
        holder.wait()
    assert run.exit_code == 1
    assert f"another govreport run is writing to {out}" in run.output
    assert not (out / "documents.parquet").exists()
