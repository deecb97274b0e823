"""Where jobs run: the local isolated pool, or a Dask distributed cluster. Both yield (job, outcome).

The same per-document function (pipeline.batch.job.run_job) runs on either. The local engine runs
each document in a worker process of its own pool, under the time and memory limits. Dask
workers are daemonic processes and cannot start such child processes, and a Dask task runs
in a thread, which cannot be stopped: there a watchdog thread ends the whole worker process
when a document runs past the time limit (its nanny starts a new one), and on a LocalCluster
the memory limit becomes each worker's Dask memory limit (the nanny restarts a worker that
grows past it). Either way the document becomes a failed row. The page limit holds on both
engines, since it is checked inside run_job. With a remote scheduler the workers must see
the input files, and the batch's output folder, at the same paths as this machine.
"""

from __future__ import annotations

import logging
import os
import threading
import time
import uuid
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any, Protocol

from pipeline.batch.job import Job, Outcome, failed_outcome, preload, run_job
from pipeline.batch.workers import Limits, WorkerPool
from pipeline.errors import PipelineError

ENGINES = ("local", "dask")
_IN_FLIGHT_PER_WORKER = 2  # enough to keep a worker busy while its next result travels
_TIMED_OUT_EXIT = 70  # exit status of a Dask worker ended by the time limit
_NANNY_ENVIRON = "distributed.nanny.pre-spawn-environ"  # variables a nanny sets before it starts its worker


class Engine(Protocol):
    """Runs jobs and yields (job, outcome) as they finish."""

    workers: int

    def map(self, jobs: Iterable[Job]) -> Iterator[tuple[Job, Outcome]]:
        """Yield (job, outcome) for every job, in completion order."""
        ...

    def close(self) -> None:
        """Release the workers."""
        ...


class LocalEngine:
    """Jobs in forked worker processes on this machine, each under the time and memory limits."""

    def __init__(self, workers: int, limits: Limits) -> None:
        self.workers = max(1, workers)
        preload()
        self._pool = WorkerPool(self.workers, limits)

    def map(self, jobs: Iterable[Job]) -> Iterator[tuple[Job, Outcome]]:
        """Yield (job, outcome) for every job, in completion order."""
        return self._pool.imap_unordered(jobs)

    def close(self) -> None:
        """Stop the worker processes."""
        self._pool.close()


class DaskEngine:
    """Jobs on a Dask distributed cluster: the one at `scheduler`, or a LocalCluster of `workers` processes.

    A worker that dies takes every task it holds with it, the one that killed it and those only
    queued behind it. Those documents are run again one at a time, with nothing else in flight:
    a document that kills its worker when it runs alone is the culprit and becomes a failed row
    (timed out, when it ran as long as the time limit); the others are parsed as usual.
    """

    def __init__(self, workers: int, limits: Limits, scheduler: str | None = None,
                 function: Callable[[Job], Outcome] = run_job) -> None:
        try:
            import dask
            from distributed import Client, LocalCluster
        except ImportError as exc:
            raise PipelineError("the dask engine needs Dask: pip install 'govreport[dask]'") from exc

        # Dask logs every worker and connection at INFO; a batch's own progress says what matters.
        self._log = logging.getLogger("distributed")
        self._log_level = self._log.level
        self._log.setLevel(logging.ERROR)
        self._cluster: Any = None
        if scheduler:
            self._client = Client(scheduler)
        else:
            # One failure is enough: a document that kills its worker would kill the next one too.
            # Dask's nanny sets MALLOC_TRIM_THRESHOLD_ in its workers, and any such variable turns off
            # glibc's sliding mmap threshold: every large buffer (an OCR page's arrays) is then mapped
            # and unmapped afresh, which cost scans a third more CPU, half of it in the kernel. A task
            # runs in a thread of its own, which glibc gives an arena of its own beside the main one;
            # one arena, and no sampling of every thread's stack for a dashboard nobody sees, brought
            # the CPU of scans on Dask to within 1–3 % of the local engine's (from about 5 % above).
            with dask.config.set({"distributed.scheduler.allowed-failures": 0,
                                  f"{_NANNY_ENVIRON}.MALLOC_TRIM_THRESHOLD_": None,
                                  f"{_NANNY_ENVIRON}.MALLOC_ARENA_MAX": 1,
                                  "distributed.worker.profile.enabled": False}):
                self._cluster = LocalCluster(n_workers=max(1, workers), processes=True, threads_per_worker=1,
                                             dashboard_address=None, memory_limit=f"{limits.max_memory_mb}MiB",
                                             silence_logs=logging.ERROR)
            self._client = Client(self._cluster)
        self.workers = max(1, len(self._client.scheduler_info().get("workers", {})))
        self._run = uuid.uuid4().hex[:8]  # task keys unique to this run on a shared scheduler
        self._function = function
        self._timeout = limits.timeout

    def map(self, jobs: Iterable[Job]) -> Iterator[tuple[Job, Outcome]]:
        """Yield (job, outcome) for every job, in completion order, a few jobs per worker in flight."""
        from distributed import KilledWorker, as_completed

        pending = iter(jobs)
        limit = self.workers * _IN_FLIGHT_PER_WORKER
        submitted: dict[str, tuple[Job, bool, float]] = {}  # task key → (job, whether it runs alone, when sent)
        suspects: deque[Job] = deque()  # held by a worker that died: to be run again, alone
        finished = as_completed()

        def submit(job: Job, alone: bool) -> None:
            key = f"govreport-{self._run}-{job.sha256}" + ("-alone" if alone else "")
            future = self._client.submit(run_within, job, self._function, self._timeout, key=key, pure=False)
            submitted[str(future.key)] = (job, alone, time.monotonic())
            finished.add(future)

        def refill() -> None:
            if suspects:
                if not submitted:
                    submit(suspects.popleft(), alone=True)
                return
            while len(submitted) < limit:
                job = next(pending, None)
                if job is None:
                    return
                submit(job, alone=False)

        refill()
        for future in finished:
            job, alone, sent = submitted.pop(future.key)
            outcome: Outcome | None
            try:
                outcome = future.result()
            except KilledWorker:
                if alone:
                    # Alone on the cluster, it started as it was sent: did the watchdog end it?
                    timed_out = time.monotonic() - sent >= self._timeout
                    outcome = failed_outcome(job, f"timed out after {self._timeout:g} s" if timed_out
                                             else "dask worker died while running it alone (KilledWorker)")
                else:
                    outcome = None
                    suspects.append(job)
            except Exception as exc:  # a lost connection, a task that could not run: one failed row
                outcome = failed_outcome(job, f"dask task failed ({exc.__class__.__name__}: {exc})")
            future.release()
            if outcome is not None:
                yield job, outcome
            refill()

    def close(self) -> None:
        """Disconnect from the scheduler, and stop the LocalCluster if this engine started one."""
        self._client.close()
        if self._cluster is not None:
            self._cluster.close()
        self._log.setLevel(self._log_level)


def run_within(job: Job, function: Callable[[Job], Outcome], timeout: float) -> Outcome:
    """Run `function(job)` on a Dask worker; past `timeout` seconds, end the worker process.

    The task's thread cannot be stopped, and a document that hangs would hold the worker for
    good: the watchdog ends the process instead, its nanny starts a fresh one, and the client
    sees the task's worker die (DaskEngine.map tells a time-out from a crash). The readers are
    loaded before the clock starts: a worker the nanny has just started would otherwise spend
    seconds of the document's time importing them.
    """
    preload()
    done = threading.Event()

    def watchdog() -> None:
        if not done.wait(timeout):
            os._exit(_TIMED_OUT_EXIT)

    threading.Thread(target=watchdog, name="govreport-time-limit", daemon=True).start()
    try:
        return function(job)
    finally:
        done.set()


@contextmanager
def open_engine(name: str, workers: int, limits: Limits, scheduler: str | None = None) -> Iterator[Engine]:
    """Open the named engine ("local" or "dask") and close it on the way out."""
    if name not in ENGINES:
        raise ValueError(f"unknown engine {name!r} (choose from {', '.join(ENGINES)})")
    engine: Engine = DaskEngine(workers, limits, scheduler) if name == "dask" else LocalEngine(workers, limits)
    try:
        yield engine
    finally:
        engine.close()
