"""The archive-scale benchmark's corpus: the archive's mix, bytes of their own, and every copy read as its seed."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from conftest import FORMATS, SYNTHETIC

from pipeline.measure.benchmark_corpus import MIX, Run, build_corpus, convert_fresh, find_seeds, report
from pipeline.run import parse_file


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> tuple[Path, dict[str, int], dict[str, list[Path]]]:
    seeds = find_seeds([SYNTHETIC, FORMATS], legacy=False)
    out = tmp_path_factory.mktemp("corpus")
    return out, build_corpus(out, seeds, 100), seeds


def test_seeds_are_sorted_by_kind_and_scans_found_by_their_missing_text_layer(corpus):
    _, _, seeds = corpus
    assert {p.name for p in seeds["scan"]} == {"county-qingyu-2019-t2019-scan.pdf", "dept-lanjiang-jyt-2022-t2021-scan.png"}
    assert all(p.suffix == ".pdf" for p in seeds["pdf"])
    assert len(seeds["pdf"]) == 28
    assert "legacy" not in seeds  # asked to leave out .doc and .wps


def test_the_corpus_has_the_archive_mix_and_distinct_bytes(corpus):
    out, counts, _ = corpus
    files = [p for p in out.rglob("*") if p.is_file()]
    assert len(files) == sum(counts.values()) == 100
    assert len({hashlib.sha256(p.read_bytes()).hexdigest() for p in files}) == 100
    shares = {kind: share for kind, share in MIX.items() if kind not in ("legacy", "txt")}  # no seeds of those here
    for kind, share in shares.items():
        assert abs(counts[kind] - 100 * share / sum(shares.values())) <= 1, kind
    assert {p.parent.name for p in files} == set(counts)


@pytest.mark.parametrize("kind", ["pdf", "docx", "html"])
def test_a_copy_reads_exactly_as_its_seed(corpus, kind):
    out, _, seeds = corpus
    copy = sorted((out / kind).iterdir())[0]
    seed = next(p for p in seeds[kind] if copy.name.endswith(p.name))
    assert copy.read_bytes() != seed.read_bytes()
    ours, theirs = parse_file(copy).rows(), parse_file(seed).rows()
    assert ours["documents"][0]["status"] == theirs["documents"][0]["status"] == "ok"
    strip = [{k: v for k, v in r.items() if k != "doc_id"} for r in ours["records"]]
    assert strip == [{k: v for k, v in r.items() if k != "doc_id"} for r in theirs["records"]]
    assert len(strip) > 100


def test_a_run_in_a_fresh_process_counts_none_of_this_process_in_its_workers_peak(tmp_path) -> None:
    # 300 MB written in this process: a worker forked from it would count those pages as resident.
    ballast = bytearray(300 << 20)
    ballast[::4096] = b"x" * len(ballast[::4096])
    corpus = tmp_path / "corpus" / "pdf"
    corpus.mkdir(parents=True)
    for name in ("city-xiuzhou-2020-t2019.pdf", "county-qingyu-2019-t2019.pdf"):
        (corpus / name).write_bytes((SYNTHETIC / name).read_bytes())
    run = convert_fresh(tmp_path / "corpus", "local, 1 worker", 1, "local")
    assert (run.documents, run.failed, run.by_kind["pdf"][0]) == (2, 0, 2)
    assert run.pages == sum(parse_file(p).document["pages"] for p in corpus.iterdir())
    assert 0 < run.peak_mb < 300
    del ballast


def test_each_run_prints_its_formats_at_its_own_parallelism() -> None:
    # 100 s of wall time; the workers spent 150 CPU-seconds, so 1.5 of them were busy on average.
    one = Run("local, 1 worker", 100.0, 30, 0, 120, 500.0, {"pdf": (20, 100, 50.0), "scan": (10, 20, 50.0)})
    two = Run("local, 2 workers", 100.0, 30, 0, 120, 600.0, {"pdf": (20, 100, 75.0), "scan": (10, 20, 75.0)})
    lines: list[str] = []
    report([one, two], {"pdf": 20, "scan": 10}, 1.0, lines.append)
    rows = {(block, line.split()[0]): line.split()[1:] for block, line in _blocks(lines) if line[:4] in ("pdf ", "scan")}
    # 1 worker, 1.0 busy: pdf 20 documents in 50 CPU-s → 0.40/s, 2.0 pages/s, 2,500 CPU-s per 1,000
    assert rows[("local, 1 worker", "pdf")] == ["20", "100", "0.40", "2.0", "2500"]
    assert rows[("local, 1 worker", "scan")] == ["10", "20", "0.20", "0.4", "5000"]
    # 2 workers, 1.5 busy: pdf 20 documents in 75 CPU-s → 0.40/s at 1.5 at once
    assert rows[("local, 2 workers", "pdf")] == ["20", "100", "0.40", "2.0", "3750"]


def _blocks(lines: list[str]) -> list[tuple[str, str]]:
    """Pair each line with the run named by the last "per format (...)" heading above it."""
    block, out = "", []
    for line in lines:
        if line.startswith("per format ("):
            block = line[len("per format ("):].split(";")[0]
        out.append((block, line))
    return out
