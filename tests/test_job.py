"""One document as batch work: its rows come back with the document's coverage row, made in the worker."""

from __future__ import annotations

import json

from conftest import SYNTHETIC

from pipeline.batch.job import Job, failed_outcome, run_job

REPORT = SYNTHETIC / "city-luyuan-2024-t2021.pdf"
TABLE_KEYS = ("active_disclosure", "applications", "review_litigation")


def _job(path=REPORT) -> Job:
    return Job(sha256="ab" * 32, path=str(path), source_path="archive/report.pdf", chunk="c1", max_pages=500)


def _truth_cells(truth: dict) -> tuple[int, int]:
    """Return (printed cells, filled cells) of a truth file's three tables."""
    values = [value for table in TABLE_KEYS for row in truth[table].values()
              for column, value in row.items() if column != "item"]
    return len(values), sum(value is not None for value in values)


def test_a_parsed_document_comes_back_with_its_coverage_row():
    truth = json.loads(REPORT.with_name(REPORT.name + ".truth.json").read_text(encoding="utf-8"))
    outcome = run_job(_job())
    [row] = outcome.rows["coverage"]
    total, filled = _truth_cells(truth)
    assert total == 200
    assert row == {
        "doc_id": outcome.document["doc_id"],
        "sections_present": len(truth["sections_present"]) - 1,  # the preamble is not one of the six
        "tables_present": 3,
        "cells_total": total,
        "cells_filled": filled,
        "cells_blank": total - filled,
        "errors": len(truth["expected_errors"]),
        "warnings": sum(f["severity"] == "warning" for f in outcome.rows["findings"]),
        "infos": sum(f["severity"] == "info" for f in outcome.rows["findings"]),
    }
    assert row["errors"] == 3


def test_a_failed_document_has_a_coverage_row_of_nothing_read():
    outcome = failed_outcome(_job(), "timed out after 60 s")
    assert outcome.document["status"] == "failed"
    assert outcome.rows["coverage"] == [{
        "doc_id": "ab" * 8, "sections_present": 0, "tables_present": 0, "cells_total": 0, "cells_filled": 0,
        "cells_blank": 0, "errors": 0, "warnings": 0, "infos": 0}]


def test_a_pdf_over_the_page_limit_is_refused_before_it_is_read():
    job = Job(sha256="cd" * 32, path=str(REPORT), source_path="archive/report.pdf", chunk="c1", max_pages=2)
    outcome = run_job(job)
    assert outcome.document["error"].startswith("too many pages (")
    assert outcome.document["pages"] > 2
    assert "records" not in outcome.rows


def test_a_job_keeps_the_hash_its_plan_made(monkeypatch):
    # The plan hashed every input already: the worker takes that hash and reads the bytes only to parse them.
    import pipeline.run as run

    def no_second_hash(path):
        raise AssertionError(f"{path} hashed again")

    monkeypatch.setattr(run, "file_sha256", no_second_hash)
    outcome = run_job(_job())
    assert outcome.document["sha256"] == "ab" * 32
    assert outcome.document["doc_id"] == "ab" * 8
    assert outcome.document["status"] == "ok"
