"""`govreport batch` killed and resumed, read back by pandas, pyarrow and DuckDB, and equal to `govreport parse`."""

from __future__ import annotations

import io
import shutil
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow.csv as pacsv
import pyarrow.dataset as pads
import pytest
from batchkit import alive, assert_same_tables, copy_reports, dataset_frames, parse_frames
from click.testing import CliRunner
from conftest import SYNTHETIC

from pipeline.batch.finish import cross_document_findings
from pipeline.batch.resume import EMPTY_CHUNK, WHOLE_BATCH, Dataset
from pipeline.batch.runner import BatchSettings, run_batch
from pipeline.batch.workers import Limits
from pipeline.cli import cli
from pipeline.output.schema import ALL_TABLES, TABLES

# The batch command with every parse slowed down, so that a kill lands in the middle of the run.
SLOW_BATCH = """
import sys, time
import pipeline.batch.job as job
parse_file = job.parse_file
def slow_parse_file(*args, **kwargs):
    time.sleep(0.25)
    return parse_file(*args, **kwargs)
job.parse_file = slow_parse_file
from pipeline.cli import main
sys.argv = ["govreport", *sys.argv[1:]]
main()
"""
GOVREPORT = [sys.executable, "-c", "from pipeline.cli import main; main()"]


@pytest.fixture(scope="module")
def reports(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("archive") / "in"
    copy_reports(folder, 20)
    return folder


@pytest.fixture(scope="module")
def reference(reports, tmp_path_factory) -> Path:
    """An uninterrupted batch over the reports."""
    out = tmp_path_factory.mktemp("reference")
    run_batch([reports], out, BatchSettings(workers=2, chunk_size=3, csv=True, duckdb=out / "govreport.duckdb"))
    return out


def children(pid: int) -> list[int]:
    """Return the ids of the processes whose parent is `pid`."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def test_a_batch_killed_midway_resumes_to_the_same_tables(reports, reference, tmp_path):
    out = tmp_path / "out"
    args = ["batch", str(reports), "-o", str(out), "--workers", "2", "--chunk-size", "2"]
    run = subprocess.Popen([sys.executable, "-c", SLOW_BATCH, *args], stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while len(list(out.glob("documents/part-*.parquet"))) < 3 and time.monotonic() < deadline:
        time.sleep(0.02)  # the first part is the empty commit of a new folder; wait for two real ones
    workers = children(run.pid)
    run.kill()
    run.wait()
    done_at_kill = len(pd.read_parquet(out / "documents"))
    assert 2 <= done_at_kill < 20, "the kill should land midway"
    for pid in workers:  # orphaned workers see their pipe close and leave
        for _ in range(100):
            if not alive(pid):
                break
            time.sleep(0.05)
        assert not alive(pid), f"worker {pid} outlived the killed batch"
    # What a kill between two writes of a chunk leaves behind, beside what this kill left.
    [first_records] = [p for p in out.glob("records/part-*.parquet") if p.stat().st_size][:1]
    orphan = out / "records" / "part-deadbeefdeadbeef.parquet"
    shutil.copyfile(first_records, orphan)
    (out / "sections" / ".part-0123.parquet.x1.tmp").write_bytes(b"half")
    (out / ".work" / "groups-x1").mkdir(parents=True)  # a sort of the whole-batch step, cut short
    (out / ".work" / "groups-x1" / "records.parquet").write_bytes(b"half")

    resumed = subprocess.run([*GOVREPORT, *args], capture_output=True, text=True, timeout=120)
    assert resumed.returncode == 0, resumed.stderr
    assert f"{done_at_kill} already done" in resumed.stdout
    assert not orphan.exists()
    assert not list(out.glob("*/.*.tmp"))
    assert not (out / ".work").exists()
    assert_same_tables(dataset_frames(out, ALL_TABLES), dataset_frames(reference, ALL_TABLES))
    documents = pd.read_parquet(out / "documents")
    assert len(documents) == 20
    assert documents.doc_id.is_unique


def test_coverage_rows_are_written_once_for_the_whole_batch(reference):
    # Coverage rows come back from the workers with each document, but coverage counts the
    # cross-year findings too, so its rows are written once at the end, never in a chunk part.
    parts = {p.name: len(pd.read_parquet(p)) for p in (reference / "coverage").iterdir()}
    assert parts == {f"part-{EMPTY_CHUNK}.parquet": 0, WHOLE_BATCH: 20}
    chunks = sorted(p.name for p in (reference / "documents").iterdir())
    assert len(chunks) == 1 + 7  # the empty first commit, then 20 reports in chunks of 3
    for name in ("sources", "sections", "records"):
        assert sorted(p.name for p in (reference / name).iterdir()) == chunks


def test_every_table_can_be_read_while_the_first_chunk_is_parsed(reports, tmp_path):
    out = tmp_path / "out"
    args = ["batch", str(reports), "-o", str(out), "--workers", "1", "--chunk-size", "20"]
    run = subprocess.Popen([sys.executable, "-c", SLOW_BATCH, *args], stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 60
        while not (out / "documents" / f"part-{EMPTY_CHUNK}.parquet").exists() and time.monotonic() < deadline:
            time.sleep(0.02)  # written once the first document is parsed
        frames = {name: pd.read_parquet(out / name) for name in ALL_TABLES}
        assert run.poll() is None, "the batch should still be parsing its one chunk"
    finally:
        run.kill()
        run.wait()
    assert {name: len(frame) for name, frame in frames.items()} == dict.fromkeys(frames, 0)
    assert list(frames["records"].columns) == ALL_TABLES["records"].names


def test_the_batch_rules_give_the_same_findings_one_body_at_a_time(reference, tmp_path):
    out = tmp_path / "bodies' reports"  # the grouped route writes work files under the folder
    shutil.copytree(reference, out)
    dataset = Dataset(out)
    together = cross_document_findings(dataset)
    one_by_one = cross_document_findings(dataset, group_size=1)
    assert not any((out / ".work").iterdir())
    assert len({f["doc_id"] for f in together}) >= 3  # reports of several bodies
    assert {f["rule"] for f in together} >= {"cross_year.repeated_prose"}

    def key(finding: dict) -> tuple[str, ...]:
        return tuple(str(finding[name]) for name in ("doc_id", "rule", "table", "row", "column", "message"))

    assert sorted(one_by_one, key=key) == sorted(together, key=key)


def test_running_again_parses_nothing(reports, reference, tmp_path):
    out = tmp_path / "out"
    shutil.copytree(reference, out)
    summary = run_batch([reports], out, BatchSettings(workers=1))
    assert (summary.parsed, summary.skipped, summary.inputs) == (0, 20, 20)
    assert_same_tables(dataset_frames(out, ALL_TABLES), dataset_frames(reference, ALL_TABLES))


def test_the_tables_equal_those_of_govreport_parse(reports, reference, tmp_path):
    run = CliRunner().invoke(cli, ["parse", str(reports), "-o", str(tmp_path), "--format", "parquet"])
    assert run.exit_code == 0, run.output
    assert_same_tables(dataset_frames(reference, TABLES), parse_frames(tmp_path, TABLES))


def test_pandas_pyarrow_and_duckdb_read_the_folder(reference):
    records = pd.read_parquet(reference / "records")
    assert len(pads.dataset(reference / "records", format="parquet").to_table()) == len(records) > 0
    glob = str(reference / "records" / "*.parquet")
    assert duckdb.sql(f"SELECT count(*) FROM read_parquet('{glob}')").fetchall() == [(len(records),)]
    assert not any(p.name.startswith(".") for p in (reference / "records").iterdir())


def test_csv_and_duckdb_copies_hold_the_same_rows(reference):
    for name in ALL_TABLES:
        raw = (reference / f"{name}.csv").read_bytes()
        assert raw.startswith("\ufeff".encode())
        frame = pd.read_csv(reference / f"{name}.csv", encoding="utf-8-sig")
        assert len(frame) == len(pd.read_parquet(reference / name)), name
    with duckdb.connect(str(reference / "govreport.duckdb"), read_only=True) as con:
        counts = {name: con.sql(f'SELECT count(*) FROM "{name}"').fetchall()[0][0] for name in ALL_TABLES}
        copies = {name: con.sql(f'SELECT * FROM "{name}"').to_arrow_table() for name in ("records", "findings")}
    assert counts == {name: len(pd.read_parquet(reference / name)) for name in ALL_TABLES}
    # Both copies hold the rows ordered by doc_id, each document's rows in the folder's order.
    dataset = Dataset(reference)
    for name, copy in copies.items():
        expected = dataset.read(name).sort_by([("doc_id", "ascending")])
        assert copy.cast(ALL_TABLES[name]).equals(expected), name
        printed = io.BytesIO()
        pacsv.write_csv(expected, printed, pacsv.WriteOptions(quoting_style="needed"))
        assert (reference / f"{name}.csv").read_bytes() == "\ufeff".encode() + printed.getvalue(), name


def test_a_second_batch_on_the_same_folder_is_refused(reference, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    holder = subprocess.Popen(  # another process holds the folder's lock, as a running batch does
        [sys.executable, "-c", "import fcntl, sys, time; f = open(sys.argv[1], 'a+'); "
         "fcntl.lockf(f, fcntl.LOCK_EX); print('locked', flush=True); time.sleep(60)", str(out / ".lock")],
        stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "locked"
        run = CliRunner().invoke(cli, ["batch", str(SYNTHETIC / "city-xiuzhou-2021-t2021.docx"), "-o", str(out)])
    finally:
        holder.kill()
        holder.wait()
    assert run.exit_code == 1
    assert "another govreport run is writing to" in run.output


def test_batch_help_carries_an_example():
    run = CliRunner().invoke(cli, ["batch", "--help"])
    assert "Example" in run.output
    assert "govreport batch" in run.output


def test_missing_inputs_are_named(tmp_path):
    run = CliRunner().invoke(cli, ["batch", str(tmp_path / "nowhere"), "-o", str(tmp_path / "out")])
    assert run.exit_code == 1
    assert "nowhere" in run.output
    assert not (tmp_path / "out").exists()


def test_retry_failed_parses_again_only_the_failed_documents_and_keeps_one_row_each(tmp_path):
    folder = tmp_path / "in"
    reports = copy_reports(folder, 3)
    out = tmp_path / "out"
    first = run_batch([folder], out, BatchSettings(workers=1, limits=Limits(max_pages=4)))
    failed = {Path(path).name for path, _ in first.failures}
    assert failed == {"report-00.pdf"}  # five pages: refused by the page limit
    assert first.parsed == 2
    again = run_batch([folder], out, BatchSettings(workers=1))
    assert (again.parsed, again.failed, again.skipped, again.retried) == (0, 0, 3, 0)  # a plain rerun skips them
    retried = run_batch([folder], out, BatchSettings(workers=1, retry_failed=True))
    assert (retried.retried, retried.parsed, retried.failed) == (len(failed), len(failed), 0)
    documents = pd.read_parquet(out / "documents")
    assert sorted(Path(p).name for p in documents.source_path) == sorted(p.name for p in reports)
    assert set(documents.status) == {"ok"}
    assert documents.doc_id.is_unique
    sources = pd.read_parquet(out / "sources")
    assert sorted(sources.doc_id) == sorted(documents.doc_id)
    records = pd.read_parquet(out / "records")
    assert set(records.doc_id) == set(documents.doc_id)  # the retried documents have their cells now
    coverage = pd.read_parquet(out / "coverage")
    assert sorted(coverage.doc_id) == sorted(documents.doc_id)


def test_a_batch_runs_with_arrow_on_malloc_and_gives_back_the_callers_allocator(reports, monkeypatch, tmp_path):
    import pyarrow as pa

    from pipeline.batch import runner

    before = pa.default_memory_pool().backend_name
    seen: list[str] = []

    def failing_run(*args, **kwargs):
        seen.append(pa.default_memory_pool().backend_name)
        raise RuntimeError("a batch that fails midway")

    monkeypatch.setattr(runner, "_run", failing_run)
    with pytest.raises(RuntimeError, match="fails midway"):
        run_batch([reports], tmp_path / "out", BatchSettings(workers=1))
    assert seen == ["system"]
    assert pa.default_memory_pool().backend_name == before
