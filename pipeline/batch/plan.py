"""From Sources to chunks of work: hashing, de-duplication, archive members copied to the inbox.

A chunk is a handful of documents committed together. It holds the jobs to run and the rows
known before any parse: a sources row for every new path, and a failed documents row for
every refused input. Every input is hashed: bytes (sha256) parsed already, in an earlier run
or earlier in this one, are not parsed again, and a path recorded already with the same bytes
adds nothing; a file changed in place is parsed anew. Chunks are planned lazily, one at a
time, so archive members are copied to the inbox only shortly before they are parsed.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipeline.batch.inputs import MemberRefused, Source, ZipLimits, copy_member, member_sha256
from pipeline.batch.job import Job, Outcome
from pipeline.run import doc_id_for, file_sha256
from pipeline.version import PARSER_VERSION


@dataclass
class Chunk:
    """Documents committed together: the jobs to run, the rows known already, the outcomes so far."""

    id: str
    jobs: list[Job]
    rows: dict[str, list[dict[str, Any]]]
    inbox: list[Path] = field(default_factory=list)  # work copies to delete once committed
    duplicates: int = 0  # new paths whose bytes are parsed under another path
    skipped: int = 0  # paths recorded, with the same bytes, by an earlier run
    refused: int = 0
    outcomes: list[Outcome] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        """Return True when every job of the chunk has its outcome."""
        return len(self.outcomes) == len(self.jobs)

    def table_rows(self, names: Iterable[str]) -> dict[str, list[dict[str, Any]]]:
        """Return the chunk's rows of each named table: those known at planning, then the outcomes'."""
        out: dict[str, list[dict[str, Any]]] = {name: list(self.rows.get(name, ())) for name in names}
        for outcome in self.outcomes:
            for name, rows in out.items():
                rows.extend(outcome.rows.get(name, ()))
        return out


@dataclass
class _Draft:
    """A chunk being filled."""

    pending: list[tuple[str, Path, str]] = field(default_factory=list)  # (sha256, where, source_path)
    documents: list[dict[str, Any]] = field(default_factory=list)
    sources: list[dict[str, Any]] = field(default_factory=list)
    inbox: list[Path] = field(default_factory=list)
    duplicates: int = 0
    skipped: int = 0

    @property
    def size(self) -> int:
        """Return how many documents the draft will commit."""
        return len(self.pending) + len(self.documents)

    @property
    def empty(self) -> bool:
        """Return True when the draft holds nothing to count or commit."""
        return not (self.sources or self.skipped)


@dataclass
class _Known:
    """What the output folder holds already, and what this run has planned so far."""

    shas: set[str]  # bytes parsed (or being parsed)
    recorded: set[tuple[str | None, str]]  # (sha256, source_path) of every sources row


def plan_chunks(sources: Iterable[Source], done: set[str], recorded: set[tuple[str | None, str]], inbox: Path,
                size: int, max_pages: int, limits: ZipLimits | None = None) -> Iterator[Chunk]:
    """Yield chunks of at most `size` documents to parse or refuse.

    `done` holds the sha256 parsed by earlier runs, `recorded` the (sha256, source_path) pairs
    of their sources rows (sha256 None for a refused input).
    """
    known = _Known(set(done), set(recorded))
    limits = limits or ZipLimits()
    draft = _Draft()
    for source in sources:
        _add(draft, source, known, inbox, limits)
        if draft.size >= max(1, size):
            yield _seal(draft, max_pages)
            draft = _Draft()
    if not draft.empty:
        yield _seal(draft, max_pages)


def _add(draft: _Draft, source: Source, known: _Known, inbox: Path, limits: ZipLimits) -> None:
    """Add one source to the draft: a job, a duplicate or recorded path, or a refused row."""
    if source.refused:
        _refuse(draft, known, source.source_path, source.refused)
        return
    try:
        sha = file_sha256(source.path) if source.path is not None else member_sha256(source, limits)
    except MemberRefused as exc:
        _refuse(draft, known, source.source_path, str(exc))
        return
    except OSError as exc:
        _refuse(draft, known, source.source_path, f"cannot read file: {exc.strerror or exc}")
        return
    if (sha, source.source_path) in known.recorded:
        draft.skipped += 1
        return
    known.recorded.add((sha, source.source_path))
    draft.sources.append({"sha256": sha, "doc_id": doc_id_for(sha), "source_path": source.source_path})
    if sha in known.shas:
        draft.duplicates += 1
        return
    try:
        where = source.path or copy_member(source, inbox / f"{sha}{source.suffix}", limits)
    except MemberRefused as exc:  # the archive changed under us between the two reads
        draft.sources.pop()
        known.recorded.discard((sha, source.source_path))
        _refuse(draft, known, source.source_path, str(exc))
        return
    known.shas.add(sha)
    draft.pending.append((sha, where, source.source_path))
    if source.path is None:
        draft.inbox.append(where)


def _refuse(draft: _Draft, known: _Known, source_path: str, reason: str) -> None:
    """Record an input that is not read: a failed documents row and its sources row (once per path)."""
    if (None, source_path) in known.recorded:
        draft.skipped += 1
        return
    known.recorded.add((None, source_path))
    draft.documents.append({"doc_id": None, "sha256": None, "source_path": source_path, "status": "failed",
                            "error": reason, "parser_version": PARSER_VERSION})
    draft.sources.append({"sha256": None, "doc_id": None, "source_path": source_path})


def _seal(draft: _Draft, max_pages: int) -> Chunk:
    """Return the draft as a chunk with a new id."""
    # Random, never derived from the contents: a path may come back with new bytes, and a
    # committed chunk's parts must never be overwritten by a later one.
    chunk_id = uuid.uuid4().hex[:16]
    # Absolute, so that a worker in another working folder (a Dask worker) finds the file too.
    jobs = [Job(sha, str(Path(where).absolute()), source_path, chunk_id, max_pages)
            for sha, where, source_path in draft.pending]
    rows = {"documents": draft.documents, "sources": draft.sources}
    return Chunk(chunk_id, jobs, rows, draft.inbox, draft.duplicates, draft.skipped, len(draft.documents))
