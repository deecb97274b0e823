"""On the real reports of ../shared/corpus the error findings are exactly the truth's expected_errors."""

from __future__ import annotations

import json

import pytest
from conftest import CORPUS, needs_corpus

from pipeline.batch.inprocess import gather, parse_many
from pipeline.batch.inputs import expand_sources
from pipeline.checks import truth_keys
from pipeline.measure.evaluate import find_reports, truth_path
from pipeline.run import parse_file

pytestmark = needs_corpus

REPORTS = sorted(find_reports([CORPUS])) if CORPUS.is_dir() else []


@pytest.fixture(scope="module")
def batch_findings():
    tables = gather(parse_many(expand_sources([CORPUS])))
    paths = dict(zip(tables["documents"].column("doc_id").to_pylist(),
                     tables["documents"].column("source_path").to_pylist(), strict=True))
    by_path: dict[str, list[dict]] = {}
    for row in tables["findings"].to_pylist():
        by_path.setdefault(paths[row["doc_id"]], []).append(row)
    return by_path


def test_the_corpus_has_truth_files():
    assert len(REPORTS) >= 4


@pytest.mark.parametrize("report", REPORTS, ids=lambda p: p.name)
def test_parse_finds_exactly_the_expected_errors(report):
    truth = json.loads(truth_path(report).read_text(encoding="utf-8"))
    result = parse_file(report)
    assert truth_keys(result.findings) == sorted(truth["expected_errors"])


@pytest.mark.parametrize("report", REPORTS, ids=lambda p: p.name)
def test_a_batch_of_the_corpus_adds_no_error(report, batch_findings):
    truth = json.loads(truth_path(report).read_text(encoding="utf-8"))
    findings = batch_findings.get(str(report), [])
    assert truth_keys(findings) == sorted(truth["expected_errors"])
    assert not [f for f in findings if f["message"].startswith("check failed")]


def test_hongze_review_errors_name_cell_and_page():
    result = parse_file(CORPUS / "huaian-hongze-2023.pdf")
    messages = [f["message"] for f in result.findings if f["severity"] == "error"]
    assert messages == ["行政复议 总计 printed 0, parts sum to 11 (p.4)",
                        "行政诉讼·复议后起诉 总计 printed 0, parts sum to 5 (p.4)"]


def test_consistent_narratives_raise_no_warning():
    # huaian-city states 受理申请 3119, 答复 3050, 上年度结转 34, 行政复议 351 and 行政诉讼 46 as its tables do
    for name in ("huaian-city-2024.pdf", "shanghai-office-2019.html", "huaian-hongze-2023.pdf"):
        result = parse_file(CORPUS / name)
        assert [f for f in result.findings if f["rule"].startswith("narrative.")] == [], name
