"""The robustness sample: each family's cheap variants, made from a synthetic report and read cell by cell.

`make eval-robust` runs every variant on every source report; the suite runs the variants marked
`sample` on one report, so a change that breaks a family shows here. A variant whose tools are
missing on this machine is skipped, saying which.
"""

from __future__ import annotations

import json

import pytest
import robust

from pipeline.checks import truth_keys
from pipeline.measure.evaluate import compare, is_silent_failure, truth_path
from pipeline.run import parse_file

SAMPLE = [v for v in robust.variants() if v.sample]


def test_every_family_has_a_sample():
    families = {v.axis.split(".")[0] for v in robust.variants()}
    assert families <= {v.axis.split(".")[0] for v in SAMPLE}


@pytest.mark.parametrize("variant", SAMPLE, ids=lambda v: f"{v.axis}={v.level}")
def test_sample_variant_reads_every_cell(variant, tmp_path):
    missing = robust.missing_tools(variant)
    if missing:
        pytest.skip(f"{', '.join(missing)} not installed (make deps installs it)")
    built = robust.build(tmp_path, robust.DEFAULT_SYNTHETIC, robust.SAMPLE_SOURCES, [variant])
    assert not built.problems
    (document,) = built.written
    truth = json.loads(truth_path(document).read_text(encoding="utf-8"))
    result = parse_file(document)
    score = compare(result, truth)
    assert score.misses == []
    assert sum(score.total.values()) > 150
    errors = [f for f in result.findings if f["severity"] == "error"]
    assert truth_keys(errors) == sorted(truth["expected_errors"])
    row = {"status": result.document["status"], "exact": score.exact, "total": score.total}
    assert not is_silent_failure(row)
