"""An isolated pool: long-lived worker processes, one document each at a time, under limits.

Each worker is a forked process fed jobs over its own pipe; the parent keeps a watchdog
(multiprocessing.connection.wait with the nearest deadline as time-out). A document that
hangs past the time limit, crashes its worker (a signal) or exhausts the memory limit
(RLIMIT_AS, set in the worker) becomes a failed row with the reason; that worker is
replaced and the others carry on. concurrent.futures.ProcessPoolExecutor is not used
because one dead worker breaks its whole pool (BrokenProcessPool).

A worker holds two jobs at a time: the one it runs and the next, waiting in its pipe, so it
starts the next document the moment it sends a result instead of waiting for the parent to
read it and answer. The time limit of the waiting job starts when the result before it is
read. The last jobs of a run go only to free workers, so that no worker ends the run with a
job waiting behind a long one while another stands idle. When a worker is replaced, the job
it was running is the one that failed; the job waiting behind it goes back to the head of
the queue and runs on another worker.
"""

from __future__ import annotations

import contextlib
import ctypes
import multiprocessing
import os
import resource
import signal
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from multiprocessing.process import BaseProcess
from types import TracebackType

from pipeline.batch.job import Job, Outcome, failed_outcome, run_job

JobFunction = Callable[[Job], Outcome]
_POLL_PARENT_SECONDS = 1.0  # how often an idle worker checks that its parent is still alive
_JOIN_SECONDS = 5.0
_DEPTH = 2  # jobs a worker holds: the one it runs and the next
_PR_SET_PDEATHSIG = 1  # prctl option (linux/prctl.h)


@dataclass(frozen=True)
class Limits:
    """What one document may take: wall time, worker memory, PDF pages."""

    timeout: float = 60.0  # seconds
    max_memory_mb: int = 2048  # address space a worker may add while parsing (RLIMIT_AS)
    max_pages: int = 500


def out_of_memory(limit_mb: int) -> str:
    """Return the error text of a document that exhausted the worker's memory."""
    return f"out of memory (limit {limit_mb} MB)"


def death_reason(exitcode: int | None) -> str:
    """Return why a worker process ended, from its exit code."""
    if exitcode is None:
        return "worker stopped answering"
    if exitcode < 0:
        try:
            name = signal.Signals(-exitcode).name
        except ValueError:
            return f"worker killed by signal {-exitcode}"
        return f"worker killed by signal {-exitcode} ({name})"
    return f"worker exited with code {exitcode}"


class _Feed:
    """The jobs still to run: those given back by replaced workers first, then the caller's, read ahead as needed."""

    def __init__(self, jobs: Iterable[Job]) -> None:
        self._jobs = iter(jobs)
        self._ahead: deque[Job] = deque()
        self._returned: deque[Job] = deque()

    def take(self) -> Job | None:
        """Return the next job, or None when there is none left."""
        if self._returned:
            return self._returned.popleft()
        if self._ahead:
            return self._ahead.popleft()
        return next(self._jobs, None)

    def more_than(self, count: int) -> bool:
        """Return True when more than `count` jobs remain (reading that many ahead)."""
        while len(self._returned) + len(self._ahead) <= count:
            job = next(self._jobs, None)
            if job is None:
                return False
            self._ahead.append(job)
        return True

    def give_back(self, jobs: Iterable[Job]) -> None:
        """Put jobs that were sent but never run at the head of the queue, in their order."""
        self._returned.extendleft(reversed(list(jobs)))


@dataclass
class _Worker:
    """A worker process, the parent's end of its pipe, and the jobs sent to it: the first runs."""

    process: BaseProcess
    conn: Connection
    jobs: deque[Job] = field(default_factory=deque)
    deadline: float = 0.0  # of the first job
    leaving: bool = False  # told to stop (or killed): takes no more jobs

    def has_news(self) -> bool:
        """Return True when the worker sent a result or ended."""
        return self.conn.poll() or not self.process.is_alive()


class WorkerPool:
    """N worker processes that run `function` on jobs; results come back in completion order."""

    def __init__(self, workers: int, limits: Limits = Limits(), function: JobFunction = run_job) -> None:
        self.limits = limits
        self._function = function
        self._context = multiprocessing.get_context("fork")
        self._workers: list[_Worker] = []
        self._feed = _Feed(())
        for _ in range(max(1, workers)):
            self._workers.append(self._start())

    def __enter__(self) -> WorkerPool:
        return self

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None,
                 trace: TracebackType | None) -> None:
        self.close()

    def pids(self) -> list[int]:
        """Return the process ids of the current workers."""
        return [w.process.pid for w in self._workers if w.process.pid is not None]

    def imap_unordered(self, jobs: Iterable[Job]) -> Iterator[tuple[Job, Outcome]]:
        """Yield (job, outcome) for every job as workers finish; jobs are drawn a few ahead of the workers."""
        self._feed = _Feed(jobs)
        while True:
            self._fill()
            busy = [i for i, w in enumerate(self._workers) if w.jobs]
            if not busy:
                return
            nearest = min(self._workers[i].deadline for i in busy)
            wait([h for i in busy for h in (self._workers[i].conn, self._workers[i].process.sentinel)],
                 max(0.0, nearest - time.monotonic()))
            for index in busy:
                # Decided afresh per worker: the caller may take a while between two results.
                worker = self._workers[index]
                if worker.has_news():
                    result = self._collect(index)
                elif time.monotonic() >= worker.deadline:
                    result = self._time_out(index)
                else:
                    continue
                # Workers are topped up before the result is handed over: the caller may spend a
                # while on it (committing a chunk), and a replaced worker would stand idle meanwhile.
                self._fill()
                if not any(w.jobs for w in self._workers):
                    self._dismiss()  # the last result: workers wind down while the caller commits it
                yield result

    def close(self) -> None:
        """Stop every worker: idle ones are asked to leave, busy ones are killed."""
        self._dismiss()
        for worker in self._workers:
            worker.process.join(_JOIN_SECONDS)
            if worker.process.is_alive():
                worker.process.kill()
                worker.process.join()
            worker.conn.close()
        self._workers = []

    def _dismiss(self) -> None:
        """Tell every worker to leave without waiting for it: idle ones by message, busy ones by kill."""
        for worker in self._workers:
            if worker.leaving:
                continue
            worker.leaving = True
            if not worker.jobs and worker.process.is_alive():
                with contextlib.suppress(OSError):  # it died meanwhile: close() reaps it
                    worker.conn.send(None)
            else:
                worker.process.kill()

    def _start(self) -> _Worker:
        """Start one worker process and return it."""
        parent_end, child_end = self._context.Pipe()
        # The child inherits every pipe end the parent holds; it closes the parent's ends so that
        # its own pipe reports end-of-file to it when the parent dies, whatever way it dies.
        inherited = [w.conn for w in self._workers] + [parent_end]
        process = self._context.Process(
            target=_serve, name="govreport-worker", daemon=True,
            args=(child_end, inherited, self._function, self.limits.max_memory_mb, os.getpid()))
        process.start()
        child_end.close()
        return _Worker(process, parent_end)

    def _fill(self) -> None:
        """Give every free worker a job, then a waiting one to each busy worker while more jobs
        remain than there are workers (the last ones wait for whichever worker is free first)."""
        for depth in range(_DEPTH):
            for index, worker in enumerate(self._workers):
                if len(worker.jobs) != depth:
                    continue
                if depth and not self._feed.more_than(len(self._workers)):
                    return
                job = self._feed.take()
                if job is None:
                    return
                if not self._send(index, job):
                    self._feed.give_back([job])

    def _send(self, index: int, job: Job) -> bool:
        """Send `job` to worker `index`; a job that runs at once starts its clock. Return False when
        the worker died while running a job: the main loop reports that one, and `job` waits."""
        if self._workers[index].leaving:  # a pool used again after its last run
            self._replace(index)
        worker = self._workers[index]
        try:
            worker.conn.send(job)
        except OSError:
            if worker.jobs:
                return False
            self._replace(index)  # it died idle: nothing is lost, a fresh worker takes the job
            worker = self._workers[index]
            worker.conn.send(job)
        worker.jobs.append(job)
        if len(worker.jobs) == 1:
            worker.deadline = time.monotonic() + self.limits.timeout
        return True

    def _collect(self, index: int) -> tuple[Job, Outcome]:
        """Return the running job of worker `index`: its outcome, or a failed one if the worker died."""
        worker = self._workers[index]
        job = worker.jobs.popleft()
        outcome: Outcome | None = None
        try:
            if worker.conn.poll():
                outcome = worker.conn.recv()
        except Exception:  # the worker died mid-message, or sent what does not unpickle
            outcome = None
        if outcome is None:
            worker.process.join(_JOIN_SECONDS)
            outcome = failed_outcome(job, death_reason(worker.process.exitcode))
            self._replace(index)
        elif outcome.recycle:
            self._replace(index)
        elif worker.jobs:  # the waiting job started when this result was sent
            worker.deadline = time.monotonic() + self.limits.timeout
        return job, outcome

    def _time_out(self, index: int) -> tuple[Job, Outcome]:
        """Kill worker `index`, whose job ran past the time limit, and return the failed outcome."""
        job = self._workers[index].jobs.popleft()
        self._replace(index)
        return job, failed_outcome(job, f"timed out after {self.limits.timeout:g} s")

    def _replace(self, index: int) -> None:
        """Retire worker `index` and start a fresh one in its place; the jobs it held but never ran go back."""
        worker = self._workers[index]
        self._feed.give_back(worker.jobs)
        worker.jobs.clear()
        self._retire(worker)
        self._workers[index] = self._start()

    @staticmethod
    def _retire(worker: _Worker) -> None:
        """Make sure a worker process is gone and its pipe closed."""
        if worker.process.is_alive():
            worker.process.kill()
        worker.process.join(_JOIN_SECONDS)
        worker.conn.close()


def _serve(conn: Connection, inherited: Sequence[Connection], function: JobFunction, memory_mb: int,
           parent_pid: int) -> None:
    """Worker main loop: receive a job, run it, send the outcome, until told to stop or orphaned."""
    for other in inherited:
        other.close()
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    die_with_parent()
    limit_memory(memory_mb)
    while True:
        while not conn.poll(_POLL_PARENT_SECONDS):
            if os.getppid() != parent_pid:  # the batch was killed: nobody will read a result
                return
        try:
            job = conn.recv()
        except EOFError:
            return
        # A job still waiting in the pipe of a killed batch is not started.
        if job is None or os.getppid() != parent_pid:
            return
        outcome = run_guarded(function, job, memory_mb)
        conn.send(outcome)
        if outcome.recycle:
            return


def die_with_parent() -> None:
    """Have the kernel kill this process the moment its parent dies (Linux's PR_SET_PDEATHSIG).

    A batch killed with kill -9 cannot stop its workers; without this, a worker in the middle of
    a long document would parse on, unwatched, until the document ended. Elsewhere the pipe's
    end-of-file and the parent check between jobs still stop it.
    """
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):  # not Linux
        pass


def limit_memory(memory_mb: int) -> None:
    """Cap this process's address space at what it holds now plus `memory_mb`.

    The cap is counted from the worker's start because a forked worker inherits its parent's
    address space, which libraries inflate far beyond the memory really used (Arrow, NumPy
    and thread stacks reserve hundreds of MB; 1.5 GB in a test runner): a fixed cap would
    leave a different margin, or none, depending on who started the batch.
    """
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    limit = address_space() + (memory_mb << 20)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def address_space() -> int:
    """Return the bytes of address space this process holds (0 where /proc does not say)."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmSize:"):
                    return int(line.split()[1]) << 10
    except OSError:
        pass
    return 0


def run_guarded(function: JobFunction, job: Job, memory_mb: int) -> Outcome:
    """Run a job; memory exhaustion and unexpected errors become failed outcomes."""
    try:
        outcome = function(job)
    except MemoryError:
        outcome = failed_outcome(job, out_of_memory(memory_mb))
        outcome.recycle = True  # the heap may be left fragmented or half-built: start afresh
        return outcome
    except Exception as exc:  # parse_file does not raise; this is a bug around it, kept to one row
        return failed_outcome(job, f"worker error ({exc.__class__.__name__}: {exc})")
    # parse_file reports a MemoryError inside a reader as a reader error; say what it was.
    if "(MemoryError" in (outcome.document.get("error") or ""):
        outcome = failed_outcome(job, out_of_memory(memory_mb))
        outcome.recycle = True
    return outcome
