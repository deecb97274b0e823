"""`govreport batch --engine dask` on a real LocalCluster of two worker processes equals the local engine."""

from __future__ import annotations

from batchkit import assert_same_tables, copy_reports, dataset_frames, kill_on_crash_name

from pipeline.bulk import BatchSettings, run_batch
from pipeline.engines import DaskEngine
from pipeline.job import Job, run_job
from pipeline.schema import ALL_TABLES
from pipeline.workers import Limits


def test_the_dask_engine_writes_the_tables_of_the_local_engine(tmp_path):
    folder = tmp_path / "in"
    copy_reports(folder, 6)
    (folder / "empty.pdf").write_bytes(b"")
    local = run_batch([folder], tmp_path / "local", BatchSettings(workers=2, chunk_size=3))
    on_dask = run_batch([folder], tmp_path / "dask", BatchSettings(workers=2, chunk_size=3, engine="dask"))
    assert (on_dask.parsed, on_dask.failed) == (local.parsed, local.failed) == (6, 1)
    assert on_dask.max_rss_mb > 0
    assert_same_tables(dataset_frames(tmp_path / "dask", ALL_TABLES), dataset_frames(tmp_path / "local", ALL_TABLES))


def test_a_document_that_kills_its_dask_worker_is_the_only_one_to_fail(tmp_path):
    reports = copy_reports(tmp_path / "in", 5)
    culprit = reports[0].rename(reports[0].with_name("crash.pdf"))
    jobs = [Job(f"{index:064x}", str(path), str(path), "c0", 500)
            for index, path in enumerate([culprit, *reports[1:]])]
    engine = DaskEngine(2, Limits(), function=kill_on_crash_name)
    try:
        outcomes = {job.source_path: outcome for job, outcome in engine.map(jobs)}
    finally:
        engine.close()
    assert len(outcomes) == 5
    assert outcomes.pop(str(culprit)).document["error"] == "dask worker died while running it alone (KilledWorker)"
    # The worker that died also held a document queued behind the culprit: it was run again and read.
    for job in jobs[1:]:
        expected = run_job(job)
        assert outcomes[job.source_path].document["status"] == expected.document["status"] != "failed"
        assert outcomes[job.source_path].rows["records"] == expected.rows["records"] != []
