"""Compliance checks of parsed reports: the rule catalogue and the functions that run it.

The catalogue is `RULES` (pipeline.checks.registry); the rules themselves live by theme:
arithmetic (勾稽关系 of tables 三 and 四, whole numbers, split cells), completeness (sections,
tables, preamble facts, template), narrative (prose against tables), timeliness (published by 31
January) and cross_year (a body's report against its report of the year before). Importing this
package registers them all.
"""

from pipeline.checks import (  # noqa: F401  (registers the rules)
    arithmetic,
    completeness,
    cross_year,
    narrative,
    ocr,
    timeliness,
)
from pipeline.checks.engine import (
    check_batch,
    check_document,
    coverage_rows,
    recheck,
    rows_coverage,
    run_checks,
    truth_keys,
)
from pipeline.checks.fingerprint import document_keys, fingerprint, fingerprints
from pipeline.checks.registry import RULES, SEVERITIES, Finding, Rule
from pipeline.checks.view import DocView, Prose, views_from_rows

__all__ = [
    "RULES",
    "SEVERITIES",
    "DocView",
    "Finding",
    "Prose",
    "Rule",
    "check_batch",
    "check_document",
    "coverage_rows",
    "document_keys",
    "fingerprint",
    "fingerprints",
    "recheck",
    "rows_coverage",
    "run_checks",
    "truth_keys",
    "views_from_rows",
]
