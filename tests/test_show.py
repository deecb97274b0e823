"""`govreport show`: a report's sections, tables and findings in the terminal."""

from __future__ import annotations

import pandas as pd
from click.testing import CliRunner
from conftest import SYNTHETIC

from pipeline import decisions
from pipeline.cli import cli

REPORT = SYNTHETIC / "city-luyuan-2024-t2021.docx"  # a published error on table 三


def test_show_prints_each_finding_with_its_cell_message_and_fingerprint(tmp_path):
    run = CliRunner().invoke(cli, ["show", str(REPORT)])
    assert run.exit_code == 0, run.output
    findings = run.output.split("\nFindings (", 1)[1]
    lines = findings.splitlines()[1:]
    errors = [i for i, line in enumerate(lines) if line.split()[0] == "error"]
    assert len(errors) == 3
    assert all(lines[i].split()[1].startswith("applications.") for i in errors)
    assert all("表三" in lines[i] for i in errors)
    assert CliRunner().invoke(cli, ["parse", str(REPORT), "-o", str(tmp_path)]).exit_code == 0
    written = pd.read_parquet(tmp_path / "findings.parquet")
    assert int(findings.split(")", 1)[0]) == len(written)
    messages = [line.strip() for i, line in enumerate(lines) if i - 1 in errors]
    assert sorted(messages) == sorted(written[written.severity == "error"].message)  # each under its finding
    # The fingerprint shown is the one `govreport decide` takes.
    shown = {line.rsplit("#", 1)[1].split()[0] for line in lines if "#" in line}
    assert {fp for fp, _ in decisions.current_findings(tmp_path)} == shown


def test_show_a_failed_file_gives_its_reason_and_no_findings(tmp_path):
    bad = tmp_path / "empty.pdf"
    bad.write_bytes(b"")
    run = CliRunner().invoke(cli, ["show", str(bad)])
    assert run.exit_code == 1
    assert "status failed" in run.output
    assert "error:" in run.output
    assert "Findings" not in run.output
