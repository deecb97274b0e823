"""`govreport batch --engine dask` on a real LocalCluster of two worker processes equals the local engine."""

from __future__ import annotations

from batchkit import assert_same_tables, copy_reports, dataset_frames

from pipeline.bulk import BatchSettings, run_batch
from pipeline.schema import ALL_TABLES


def test_the_dask_engine_writes_the_tables_of_the_local_engine(tmp_path):
    folder = tmp_path / "in"
    copy_reports(folder, 6)
    (folder / "empty.pdf").write_bytes(b"")
    local = run_batch([folder], tmp_path / "local", BatchSettings(workers=2, chunk_size=3))
    on_dask = run_batch([folder], tmp_path / "dask", BatchSettings(workers=2, chunk_size=3, engine="dask"))
    assert (on_dask.parsed, on_dask.failed) == (local.parsed, local.failed) == (6, 1)
    assert on_dask.max_rss_mb > 0
    assert_same_tables(dataset_frames(tmp_path / "dask", ALL_TABLES), dataset_frames(tmp_path / "local", ALL_TABLES))
