"""The archive the whole-batch benchmark builds is a batch folder like any other, with five years per body."""

from __future__ import annotations

import pandas as pd
from conftest import SYNTHETIC

from pipeline.batch.finish import cross_document_findings, finish
from pipeline.batch.resume import Dataset
from pipeline.measure.benchmark_archive import build


def test_the_archive_holds_bodies_of_five_years_and_finishes_like_a_batch(tmp_path):
    pdfs = [str(SYNTHETIC / "city-luyuan-2024-t2021.pdf"), str(SYNTHETIC / "county-qingyu-2019-t2019.pdf")]
    build(tmp_path, 12, pdfs)
    documents = pd.read_parquet(tmp_path / "documents")
    assert len(documents) == 12
    assert documents.doc_id.is_unique
    assert sorted(documents.groupby("agency").year.apply(sorted)) == [
        [2019, 2020], [2019, 2020, 2021, 2022, 2023], [2019, 2020, 2021, 2022, 2023]]
    assert [p.name for p in (tmp_path / "documents").glob("part-*.parquet")] == ["part-0000000000000001.parquet"]
    counts = finish(Dataset(tmp_path))
    assert counts["coverage"] == 12
    assert counts["findings"] == len(cross_document_findings(Dataset(tmp_path), group_size=1)) > 0
