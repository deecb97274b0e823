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
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "coverage.csv", "documents.csv", "facts.csv", "findings.csv", "indicators.csv", "keywords.csv",
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
