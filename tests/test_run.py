"""One document end to end: a stage that raises fails only its own document, naming the stage."""

from __future__ import annotations

import shutil

import pandas as pd
import pytest
from click.testing import CliRunner
from conftest import SYNTHETIC

import pipeline.run as run
from pipeline.cli import cli

GOOD = ("city-xiuzhou-2021-t2021.docx", "county-qingyu-2019-t2019.docx")
# Each bad document makes one stage raise; the exception names the stage in the documents row.
STAGES = {
    "segmentation": ("segment", "city-xiuzhou-2022-t2021.docx"),
    "table recognition": ("recognize", "county-qingyu-2020-t2019.docx"),
    "metadata": ("detect_template", "city-luyuan-2024-t2021.docx"),
    "records": ("to_records", "dept-qingyu-gaj-2023-mixed.docx"),
    "checks": ("check_document", "dept-hongxi-rsj-2022-t2021.docx"),
    "analytics": ("keyword_rows", "county-yanchuan-2023-t2021.docx"),
}


@pytest.fixture
def failing_stages(monkeypatch):
    """Make each stage raise on its own document (found by the document's source path)."""
    current: dict[str, str] = {}
    original_parse = run._parse_file

    def remember(path, source_path, sha):
        current["name"] = str(source_path).rsplit("/", 1)[-1]
        return original_parse(path, source_path, sha)

    monkeypatch.setattr(run, "_parse_file", remember)
    for stage, (function, name) in STAGES.items():
        original = getattr(run, function)

        def broken(*args, _original=original, _name=name, _stage=stage, **kwargs):
            if current.get("name") == _name:
                raise IndexError(f"list index out of range in {_stage}")
            return _original(*args, **kwargs)

        monkeypatch.setattr(run, function, broken)


def test_a_stage_that_raises_fails_only_its_document(tmp_path, failing_stages):
    inputs = tmp_path / "in"
    inputs.mkdir()
    for name in [*GOOD, *(name for _, name in STAGES.values())]:
        shutil.copyfile(SYNTHETIC / name, inputs / name)
    result = CliRunner().invoke(cli, ["parse", str(inputs), "-o", str(tmp_path / "out")])
    assert result.exit_code == 1, result.output
    documents = pd.read_parquet(tmp_path / "out" / "documents.parquet")
    by_name = {p.rsplit("/", 1)[-1]: row for p, row in zip(documents.source_path, documents.itertuples(), strict=True)}
    for stage, (_, name) in STAGES.items():
        assert by_name[name].status == "failed"
        assert by_name[name].error == f"{stage}: IndexError: list index out of range in {stage}"
        assert by_name[name].format == "docx"
    records = pd.read_parquet(tmp_path / "out" / "records.parquet")
    for name in GOOD:
        assert by_name[name].status == "ok"
        cells = records[records.doc_id == by_name[name].doc_id]
        assert len(cells) > 150
        assert set(cells.method) == {"docx"}
    failed_ids = {by_name[name].doc_id for _, name in STAGES.values()}
    assert not set(records.doc_id) & failed_ids


def test_a_good_document_parses_as_before():
    result = run.parse_file(SYNTHETIC / GOOD[0])
    assert result.document["status"] == "ok"
    assert result.document["error"] is None
