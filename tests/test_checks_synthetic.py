"""On the synthetic set (fixtures/synthetic) the error findings are exactly each truth's expected_errors.

The whole set is parsed as one batch, so the cross-year rule runs between the consecutive
reports of each body (a .docx and a .pdf of every report).
"""

from __future__ import annotations

import json

import pytest
from conftest import SYNTHETIC

from pipeline.batch.inprocess import gather, parse_many
from pipeline.batch.inputs import expand_sources
from pipeline.checks import truth_keys
from pipeline.measure.evaluate import find_reports, truth_path

REPORTS = sorted(find_reports([SYNTHETIC])) if SYNTHETIC.is_dir() else []

pytestmark = pytest.mark.skipif(not REPORTS, reason="fixtures/synthetic holds no truth files (make fixtures)")


@pytest.fixture(scope="module")
def findings_by_path():
    tables = gather(parse_many(expand_sources([SYNTHETIC])))
    paths = dict(zip(tables["documents"].column("doc_id").to_pylist(),
                     tables["documents"].column("source_path").to_pylist(), strict=True))
    out: dict[str, list[dict]] = {}
    for row in tables["findings"].to_pylist():
        out.setdefault(paths[row["doc_id"]], []).append(row)
    return out


@pytest.mark.parametrize("report", REPORTS, ids=lambda p: p.name)
def test_errors_are_exactly_the_expected_errors(report, findings_by_path):
    truth = json.loads(truth_path(report).read_text(encoding="utf-8"))
    findings = findings_by_path.get(str(report), [])
    assert truth_keys(findings) == sorted(truth["expected_errors"])
    assert not [f for f in findings if f["message"].startswith("check failed")]


def test_the_set_exercises_the_cross_year_rule():
    expected = [e for r in REPORTS for e in json.loads(truth_path(r).read_text(encoding="utf-8"))["expected_errors"]]
    assert any(e.startswith("cross_year.carried_over:") for e in expected)
