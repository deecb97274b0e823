"""The isolated pool: a hang, a crash, a memory blow-up or an error costs one row and one worker, never the batch."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from batchkit import alive

from pipeline.batch.job import Job, Outcome
from pipeline.batch.workers import Limits, WorkerPool, death_reason


def behave(job: Job) -> Outcome:
    """Do what the job's name says; a plain name parses "fine"."""
    if job.source_path == "hang":
        time.sleep(120)
    elif job.source_path == "crash":
        os.kill(os.getpid(), signal.SIGKILL)
    elif job.source_path == "hog":
        bytearray(64 << 30)  # far beyond any limit the test sets
    elif job.source_path == "raise":
        raise RuntimeError("boom")
    elif job.source_path.startswith("slow"):
        time.sleep(0.7)
    return Outcome({"documents": [{"source_path": job.source_path, "status": "ok", "pid": os.getpid()}]})


def jobs(*names: str) -> list[Job]:
    return [Job(f"{i:064x}", "/nonexistent", name, "chunk", max_pages=500) for i, name in enumerate(names)]


def run(names: list[str], workers: int = 2, **limits) -> dict[str, dict]:
    with WorkerPool(workers, Limits(**limits), behave) as pool:
        return {job.source_path: outcome.document for job, outcome in pool.imap_unordered(jobs(*names))}


def test_a_hanging_document_times_out_and_the_rest_go_on():
    start = time.monotonic()
    rows = run(["a", "hang", "b", "c", "d"], timeout=1.0)
    assert rows["hang"]["status"] == "failed"
    assert rows["hang"]["error"] == "timed out after 1 s"
    assert all(rows[n]["status"] == "ok" for n in "abcd")
    assert time.monotonic() - start < 10


def test_a_crashed_worker_is_a_failed_row_and_is_replaced():
    rows = run(["crash", "a", "b", "c"], workers=1)
    assert rows["crash"]["status"] == "failed"
    assert rows["crash"]["error"].startswith("worker killed by signal 9")
    assert all(rows[n]["status"] == "ok" for n in "abc")


def test_a_memory_blow_up_is_out_of_memory_and_the_worker_is_replaced():
    limit = 512
    with WorkerPool(1, Limits(max_memory_mb=limit), behave) as pool:
        before = pool.pids()
        rows = {job.source_path: outcome.document for job, outcome in pool.imap_unordered(jobs("a", "hog", "b"))}
        after = pool.pids()
    assert rows["hog"]["error"] == f"out of memory (limit {limit} MB)"
    assert rows["a"]["pid"] != rows["b"]["pid"]  # the worker that ran out was replaced
    assert before != after


def test_an_error_around_the_parse_is_one_failed_row():
    rows = run(["raise", "a"], workers=1)
    assert rows["raise"]["error"] == "worker error (RuntimeError: boom)"
    assert rows["a"]["status"] == "ok"


def test_workers_are_long_lived():
    rows = run(["a", "b", "c", "d", "e", "f"], workers=2)
    assert len({row["pid"] for row in rows.values()}) <= 2


def test_the_job_waiting_behind_a_hang_runs_on_the_fresh_worker():
    rows = run(["hang", "a"], workers=1, timeout=1.0)
    assert rows["hang"]["error"] == "timed out after 1 s"
    assert rows["a"]["status"] == "ok"


def test_a_waiting_job_has_its_whole_time_limit_once_it_starts():
    # Each takes 0.7 s of a 1 s limit; the second waited 0.7 s in the worker's pipe before it ran.
    rows = run(["slow1", "slow2", "slow3"], workers=1, timeout=1.0)
    assert [rows[n]["status"] for n in ("slow1", "slow2", "slow3")] == ["ok", "ok", "ok"]
    assert len({row["pid"] for row in rows.values()}) == 1


def test_jobs_are_drawn_only_a_few_ahead_of_the_results():
    drawn: list[str] = []

    def feed():
        for job in jobs(*"abcdefgh"):
            drawn.append(job.source_path)
            yield job

    seen = []
    with WorkerPool(1, Limits(), behave) as pool:
        for job, _ in pool.imap_unordered(feed()):
            seen.append(job.source_path)
            # the job running, the one waiting in the pipe, and two read ahead to know more remain
            assert len(drawn) <= len(seen) + 4
    assert seen == list("abcdefgh")


def test_the_last_jobs_go_to_the_free_worker_not_behind_a_long_one():
    rows = run(["slow", "a", "b", "c"], workers=2)
    assert len({rows[n]["pid"] for n in "abc"}) == 1
    assert rows["a"]["pid"] != rows["slow"]["pid"]


def test_workers_leave_with_the_last_result_and_a_second_run_gets_fresh_ones():
    with WorkerPool(2, Limits(), behave) as pool:
        first = {job.source_path: outcome.document for job, outcome in pool.imap_unordered(jobs("a", "b"))}
        leaving = [w.process for w in pool._workers]
        for process in leaving:
            process.join(5)  # told to leave before the last result was handed over
        assert [p.exitcode for p in leaving] == [0, 0]
        second = {job.source_path: outcome.document for job, outcome in pool.imap_unordered(jobs("c", "d"))}
    assert all(row["status"] == "ok" for row in (*first.values(), *second.values()))
    assert not {row["pid"] for row in first.values()} & {row["pid"] for row in second.values()}


# A batch whose worker is in the middle of a document that takes minutes.
BATCH_IN_A_LONG_DOCUMENT = """
import sys
sys.path.insert(0, {tests!r})
from test_workers import behave, jobs
from pipeline.batch.workers import Limits, WorkerPool
pool = WorkerPool(1, Limits(timeout=300), behave)
print(pool.pids()[0], flush=True)
for _ in pool.imap_unordered(jobs("hang", "a")):
    pass
"""


def test_a_worker_dies_with_its_killed_batch_even_in_the_middle_of_a_document():
    script = BATCH_IN_A_LONG_DOCUMENT.format(tests=str(Path(__file__).parent))
    batch = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    worker = int(batch.stdout.readline())
    time.sleep(0.5)  # the worker is inside "hang" (two minutes), with "a" waiting in its pipe
    batch.kill()
    batch.wait()
    deadline = time.monotonic() + 5
    while alive(worker) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not alive(worker)


def test_death_reasons_name_the_signal_or_the_exit_code():
    assert death_reason(-9) == "worker killed by signal 9 (SIGKILL)"
    assert death_reason(3) == "worker exited with code 3"
