"""`govreport batch --engine dask` on a real LocalCluster of two worker processes equals the local engine."""

from __future__ import annotations

import time

from batchkit import assert_same_tables, copy_reports, dataset_frames, kill_or_hang_on_name

from pipeline.batch.engines import DaskEngine
from pipeline.batch.job import Job, run_job
from pipeline.batch.runner import BatchSettings, run_batch
from pipeline.batch.workers import Limits
from pipeline.output.schema import ALL_TABLES


def test_the_dask_engine_writes_the_tables_of_the_local_engine(tmp_path):
    folder = tmp_path / "in"
    copy_reports(folder, 6)
    (folder / "empty.pdf").write_bytes(b"")
    local = run_batch([folder], tmp_path / "local", BatchSettings(workers=2, chunk_size=3))
    on_dask = run_batch([folder], tmp_path / "dask", BatchSettings(workers=2, chunk_size=3, engine="dask"))
    assert (on_dask.parsed, on_dask.failed) == (local.parsed, local.failed) == (6, 1)
    assert on_dask.max_rss_mb > 0
    assert_same_tables(dataset_frames(tmp_path / "dask", ALL_TABLES), dataset_frames(tmp_path / "local", ALL_TABLES))


def _run_on_dask(paths, limits=None):
    """Return the jobs of `paths` and their outcomes by source path, run on a LocalCluster of two workers."""
    jobs = [Job(f"{index:064x}", str(path), str(path), "c0", 500) for index, path in enumerate(paths)]
    engine = DaskEngine(2, limits or Limits(), function=kill_or_hang_on_name)
    try:
        return jobs, {job.source_path: outcome for job, outcome in engine.map(jobs)}
    finally:
        engine.close()


def _assert_read_as_usual(jobs, outcomes):
    for job in jobs:
        expected = run_job(job)
        assert outcomes[job.source_path].document["status"] == expected.document["status"] != "failed"
        assert outcomes[job.source_path].rows["records"] == expected.rows["records"] != []


def test_a_document_that_kills_its_dask_worker_is_the_only_one_to_fail(tmp_path):
    reports = copy_reports(tmp_path / "in", 5)
    culprit = reports[0].rename(reports[0].with_name("crash.pdf"))
    jobs, outcomes = _run_on_dask([culprit, *reports[1:]])
    assert len(outcomes) == 5
    assert outcomes.pop(str(culprit)).document["error"] == "dask worker died while running it alone (KilledWorker)"
    # The worker that died also held a document queued behind the culprit: it was run again and read.
    _assert_read_as_usual(jobs[1:], outcomes)


def test_a_document_that_hangs_on_dask_times_out_and_the_rest_go_on(tmp_path):
    reports = copy_reports(tmp_path / "in", 4)
    culprit = reports[0].rename(reports[0].with_name("hang.pdf"))
    start = time.monotonic()
    jobs, outcomes = _run_on_dask([culprit, *reports[1:]], Limits(timeout=2.0))
    assert outcomes.pop(str(culprit)).document["error"] == "timed out after 2 s"
    _assert_read_as_usual(jobs[1:], outcomes)
    assert time.monotonic() - start < 60


def _worker_settings():
    import os

    import dask

    variables = {name: os.environ.get(name) for name in ("MALLOC_TRIM_THRESHOLD_", "MALLOC_ARENA_MAX", "OMP_NUM_THREADS")}
    return {**variables, "profile": dask.config.get("distributed.worker.profile.enabled")}


def test_the_workers_of_a_local_cluster_run_with_the_allocator_settings_of_a_local_worker():
    # MALLOC_TRIM_THRESHOLD_ pins glibc's mmap threshold, and OCR's page-sized arrays are then mapped
    # and unmapped afresh on every allocation (a third more CPU on scans); the task's thread gets the
    # one arena a local worker's parse has, and no profiler samples its stack.
    engine = DaskEngine(2, Limits())
    try:
        seen = engine._client.run(_worker_settings)
    finally:
        engine.close()
    expected = {"MALLOC_TRIM_THRESHOLD_": None, "MALLOC_ARENA_MAX": "1", "OMP_NUM_THREADS": "1", "profile": False}
    assert list(seen.values()) == [expected] * 2
