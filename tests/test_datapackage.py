"""datapackage.json beside every output folder: validated with the frictionless package, rows counted."""

from __future__ import annotations

import json

import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner
from conftest import SYNTHETIC

from pipeline.cli import cli
from pipeline.output.schema import ALL_TABLES

frictionless = pytest.importorskip("frictionless", reason="frictionless is a test tool (pip install -e '.[dev]')")

REPORTS = [SYNTHETIC / "city-xiuzhou-2021-t2021.docx", SYNTHETIC / "county-qingyu-2019-t2019.pdf"]


@pytest.fixture(scope="module")
def parsed(tmp_path_factory):
    out = tmp_path_factory.mktemp("parsed")
    run = CliRunner().invoke(cli, ["parse", *map(str, REPORTS), "-o", str(out)])
    assert run.exit_code == 0, run.output
    return out


def test_a_parse_folder_describes_itself_and_validates(parsed):
    report = frictionless.validate(str(parsed / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])[:5]
    package = json.loads((parsed / "datapackage.json").read_text(encoding="utf-8"))
    resources = {r["name"]: r for r in package["resources"]}
    assert set(resources) == {name for name in ALL_TABLES if name != "sources"}
    records = resources["records"]
    assert records["path"] == "records.csv"
    assert [f["name"] for f in records["schema"]["fields"]] == ALL_TABLES["records"].names
    assert all(f["description"] for r in resources.values() for f in r["schema"]["fields"])
    assert records["schema"]["primaryKey"] == ["doc_id", "table", "row", "column"]
    assert records["schema"]["foreignKeys"][0]["reference"] == {"resource": "documents", "fields": ["doc_id"]}
    status = next(f for f in resources["documents"]["schema"]["fields"] if f["name"] == "status")
    assert status["constraints"]["enum"] == ["ok", "partial", "needs_review", "failed", "not_a_report", "needs_ocr"]
    rows = frictionless.Package(str(parsed / "datapackage.json")).get_resource("records").read_rows()
    assert len(rows) == pq.read_table(parsed / "records.parquet").num_rows > 300


def test_a_value_outside_its_enum_makes_the_package_invalid(parsed, tmp_path):
    for path in parsed.iterdir():
        (tmp_path / path.name).write_bytes(path.read_bytes())
    documents = (tmp_path / "documents.csv").read_text(encoding="utf-8-sig")
    (tmp_path / "documents.csv").write_text(documents.replace(',"ok",', ',"fine",', 1), encoding="utf-8-sig")
    report = frictionless.validate(str(tmp_path / "datapackage.json"))
    assert not report.valid
    assert {kind for (kind,) in report.flatten(["type"])} == {"constraint-error"}


def test_a_batch_folder_describes_its_parts_and_csv_copies(tmp_path):
    out = tmp_path / "batch"
    run = CliRunner().invoke(cli, ["batch", *map(str, REPORTS), "-o", str(out), "--workers", "1", "--csv"])
    assert run.exit_code == 0, run.output
    report = frictionless.validate(str(out / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])[:5]
    package = frictionless.Package(str(out / "datapackage.json"))
    parts = [r for r in package.resources if r.format == "parquet" and r.custom["govreport_table"] == "records"]
    assert sum(len(r.read_rows()) for r in parts) == sum(pq.read_table(out / r.path).num_rows for r in parts) > 300
    assert len(package.get_resource("records").read_rows()) == sum(len(r.read_rows()) for r in parts)
