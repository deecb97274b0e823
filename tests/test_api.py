"""The analysis API, and the README's example run as written."""

import os
import re

import pandas as pd
from click.testing import CliRunner
from conftest import ROOT, SYNTHETIC

import pipeline
from pipeline.cli import cli


def test_parse_gives_keyed_dataframes():
    report = pipeline.parse(SYNTHETIC / "city-xiuzhou-2022-t2021.pdf")
    assert report.status == "ok"
    apps = report.tables["applications"]
    assert list(apps.columns) == ["natural_person", "commercial_enterprise", "research_institution",
                                  "social_welfare_org", "legal_service_org", "other_org", "total"]
    assert apps.index[0] == "new_received"
    assert apps.index[-1] == "carried_forward"
    records = report.records.set_index(["table", "row", "column"])["value"]
    assert apps.loc["granted", "total"] == records[("applications", "granted", "total")]
    assert report.tables["review_litigation"].shape == (3, 5)
    assert report.metadata["agency"] == report.document["agency"] == "岫州市人民政府"


def test_a_bad_file_is_a_failed_report_not_an_exception(tmp_path):
    bad = tmp_path / "x.pdf"
    bad.write_bytes(b"%PDF-1.4 broken")
    report = pipeline.parse(bad)
    assert report.status == "failed"
    assert report.document["error"]
    assert report.tables["applications"].empty


def test_load_reads_what_parse_wrote(tmp_path):
    run = CliRunner().invoke(cli, ["parse", str(SYNTHETIC / "city-xiuzhou-2021-t2021.docx"), "-o", str(tmp_path)])
    assert run.exit_code == 0, run.output
    tables = pipeline.load(tmp_path)
    assert {"documents", "sections", "records", "findings", "metadata", "keywords", "facts", "indicators"} <= set(tables)
    assert isinstance(tables["records"], pd.DataFrame)
    assert len(tables["documents"]) == 1


def test_the_readme_example_runs(tmp_path, capsys):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Python API", 1)[1]
    code = re.search(r"```python\n(.*?)```", section, re.S).group(1)
    (tmp_path / "fixtures").symlink_to(ROOT / "fixtures")
    files = [str(SYNTHETIC / n) for n in ("city-xiuzhou-2021-t2021.docx", "city-xiuzhou-2022-t2021.docx")]
    assert CliRunner().invoke(cli, ["parse", *files, "-o", str(tmp_path / "output")]).exit_code == 0
    cwd = os.getcwd()
    os.chdir(tmp_path)
    try:
        exec(compile(code, "README.md", "exec"), {})
    finally:
        os.chdir(cwd)
    printed = capsys.readouterr().out
    assert "岫州市人民政府 2022 ok" in printed
    assert "2021" in printed
    assert "2022" in printed
