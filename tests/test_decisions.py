"""Decisions on findings and corrections of values: files beside the output that outlive a re-parse."""

from __future__ import annotations

import csv
import json
import shutil

import openpyxl
import pandas as pd
import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner
from conftest import SYNTHETIC

from pipeline import decisions
from pipeline.checks import Finding, fingerprint, fingerprints
from pipeline.cli import cli
from pipeline.report import write_report

REPORT = SYNTHETIC / "city-luyuan-2024-t2021.docx"  # a published error: three error findings on table 三


def _parse(inputs: list, out) -> None:
    run = CliRunner().invoke(cli, ["parse", *map(str, inputs), "-o", str(out)])
    assert run.exit_code in (0, 1), run.output


def _decide(out, fp: str, *options: str) -> str:
    run = CliRunner().invoke(cli, ["decide", str(out), fp, *options])
    assert run.exit_code == 0, run.output
    return run.output


@pytest.fixture(scope="module")
def first(tmp_path_factory):
    """An output folder with one decision of each kind."""
    out = tmp_path_factory.mktemp("first")
    _parse([REPORT], out)
    found = decisions.current_findings(out)
    errors = [fp for fp, f in found if f.severity == "error"]
    assert len(errors) == 3
    _decide(out, errors[0], "--confirm", "--note", "总计 printed 2 digits transposed", "--by", "wl")
    _decide(out, errors[1][:8], "--dismiss", "--note", "same cause as the first", "--by", "zh")  # a prefix will do
    return out, found, errors


def test_a_decision_is_a_row_of_decisions_csv(first):
    out, _, errors = first
    with open(out / "decisions.csv", encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [(r["fingerprint"], r["decision"], r["by"]) for r in rows] == [(errors[0], "confirmed", "wl"),
                                                                           (errors[1], "dismissed", "zh")]
    assert rows[0]["note"] == "总计 printed 2 digits transposed"
    assert rows[0]["rule"].startswith("applications.")
    assert rows[0]["doc_id"]
    assert rows[0]["at"].endswith("Z")
    package = json.loads((out / "datapackage.json").read_text(encoding="utf-8"))
    assert "decisions" in {r["name"] for r in package["resources"]}


def test_decisions_survive_a_reparse_into_a_fresh_folder(first, tmp_path):
    out, found, errors = first
    renamed = tmp_path / "inputs" / "另一个名字.docx"  # same bytes under another name: same fingerprints
    renamed.parent.mkdir()
    shutil.copy(REPORT, renamed)
    fresh = tmp_path / "fresh"
    _parse([renamed], fresh)
    shutil.copy(out / "decisions.csv", fresh / "decisions.csv")
    page, workbook, data = write_report(fresh, fresh / "report.html")
    assert data.decision_counts() == {"open": len(found) - 2, "confirmed": 1, "dismissed": 1}
    assert [fp for fp, _ in decisions.current_findings(fresh)] == [fp for fp, _ in found]
    states = {data.fingerprint(f): data.decision_state(f) for f in data.findings}
    assert (states[errors[0]], states[errors[1]], states[errors[2]]) == ("confirmed", "dismissed", "open")
    html = page.read_text(encoding="utf-8")
    assert f"{len(found) - 2} open, 1 confirmed, 1 dismissed" in html
    assert f'id="f-{errors[1]}"' in html
    assert "same cause as the first" in html
    summary = dict(openpyxl.load_workbook(workbook)["Summary"].iter_rows(values_only=True))
    assert (summary["Confirmed 已确认"], summary["Dismissed 已排除"], summary["Findings open 待处理"]) == (
        1, 1, len(found) - 2)
    sheet = openpyxl.load_workbook(workbook)["Findings"]
    header = [c.value for c in sheet[1]]
    rows = {r[header.index("Fingerprint")]: r for r in sheet.iter_rows(min_row=2, values_only=True)}
    assert rows[errors[0]][header.index("Decision")] == "confirmed"
    assert rows[errors[1]][header.index("By")] == "zh"


def test_reopen_removes_a_decision_and_an_unknown_fingerprint_is_refused(first, tmp_path):
    out, _, errors = first
    copy = tmp_path / "copy"
    shutil.copytree(out, copy)
    _decide(copy, errors[0], "--reopen", "--by", "wl")
    assert set(decisions.read_decisions(copy)) == {errors[1]}
    run = CliRunner().invoke(cli, ["decide", str(copy), "0123456789abcdef", "--confirm", "--by", "wl"])
    assert run.exit_code == 1
    assert "no finding has fingerprint 0123456789abcdef" in run.output


def test_a_hand_written_decisions_file_is_read(first, tmp_path):
    out, _found, errors = first
    folder = tmp_path / "hand"
    shutil.copytree(out, folder)
    (folder / "decisions.csv").write_text(f"fingerprint,decision,note\n{errors[2].upper()},Dismissed,\n",
                                          encoding="utf-8")
    assert decisions.read_decisions(folder)[errors[2]]["decision"] == "dismissed"
    (folder / "decisions.csv").write_text(f"fingerprint,decision\n{errors[2]},maybe\n", encoding="utf-8")
    with pytest.raises(decisions.LayerError, match="line 2"):
        decisions.read_decisions(folder)


def test_a_correction_is_a_row_of_its_own_and_the_record_keeps_its_value(first, tmp_path):
    out, _, _ = first
    folder = tmp_path / "corrected"
    shutil.copytree(out, folder)
    records = pd.read_parquet(folder / "records.parquet")
    cell = records[(records.table == "applications") & (records.row == "total") & (records.column == "total")]
    doc_id, parsed = cell.doc_id.iloc[0], cell.value.iloc[0]
    run = CliRunner().invoke(cli, ["correct", str(folder), doc_id, "applications", "total", "total", "1234",
                                   "--by", "wl", "--note", "p.3 prints 1234"])
    assert run.exit_code == 0, run.output
    after = pd.read_parquet(folder / "records.parquet")
    pd.testing.assert_frame_equal(after, records)  # the parsed value is never overwritten
    layer = pd.read_csv(folder / "corrections.csv", encoding="utf-8-sig")
    assert layer[["doc_id", "table", "row", "column", "value", "parsed_value", "by", "note"]].values.tolist() == [
        [doc_id, "applications", "total", "total", 1234, parsed, "wl", "p.3 prints 1234"]]
    joined = decisions.apply_corrections(after, layer)
    corrected = joined[(joined.table == "applications") & (joined.row == "total") & (joined.column == "total")]
    assert corrected.corrected.iloc[0] == 1234
    assert corrected.value.iloc[0] == parsed
    others = joined.drop(corrected.index)
    assert others.corrected.equals(others.value)
    package = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    assert {"decisions", "corrections"} <= {r["name"] for r in package["resources"]}
    page, workbook, _data = write_report(folder, folder / "report.html")
    assert "Corrections 人工更正" in page.read_text(encoding="utf-8")
    assert [r.value for r in openpyxl.load_workbook(workbook)["Corrections"]["H"]][1:] == [1234]


def test_a_correction_of_a_cell_the_output_does_not_hold_is_refused(first):
    out, _, _ = first
    run = CliRunner().invoke(cli, ["correct", str(out), "nosuchdoc", "applications", "total", "total", "1",
                                   "--by", "wl"])
    assert run.exit_code == 1
    assert "no record nosuchdoc applications total total" in run.output
    assert not (out / "corrections.csv").exists()


def test_the_fingerprint_depends_on_the_document_rule_and_cell_only():
    base = fingerprint("a" * 64, "applications.balance", "applications", "total", "total")
    assert base == fingerprint("a" * 64, "applications.balance", "applications", "total", "total")
    assert base != fingerprint("b" * 64, "applications.balance", "applications", "total", "total")
    assert base != fingerprint("a" * 64, "applications.balance", "applications", "total", "natural_person")
    one = Finding("d", "narrative.figures", "warning", "applications", "new_received", "total", 1, 2, "in 一")
    two = Finding("d", "narrative.figures", "warning", "applications", "new_received", "total", 1, 3, "in 二")
    first, second = fingerprints([one, two], {"d": "a" * 64})
    assert first != second  # the same cell named twice by one rule: an ordinal tells them apart
    assert fingerprints([two], {"d": "a" * 64}) == [first]  # the message is no part of it


def test_fingerprints_ignore_the_path_and_the_parser_version(first, tmp_path):
    from pipeline.output.write import to_arrow, write_tables

    out, found, _ = first
    folder = tmp_path / "later"
    shutil.copytree(out, folder)
    documents = pq.read_table(folder / "documents.parquet").to_pylist()
    for row in documents:
        row.update(source_path="/elsewhere/renamed.docx", parser_version="99.0")
    write_tables(folder, {"documents": to_arrow("documents", documents)}, ("parquet",))
    assert [fp for fp, _ in decisions.current_findings(folder)] == [fp for fp, _ in found]


def test_the_findings_table_carries_the_fingerprints_decisions_use(first):
    out, found, _ = first
    findings = pq.read_table(out / "findings.parquet").to_pylist()
    assert [f["fingerprint"] for f in findings] == [fp for fp, _ in found]
    assert len({f["fingerprint"] for f in findings}) == len(findings) >= 3
