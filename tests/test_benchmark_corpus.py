"""The archive-scale benchmark's corpus: the archive's mix, bytes of their own, and every copy read as its seed."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from conftest import FORMATS, SYNTHETIC

from pipeline.measure.benchmark_corpus import MIX, build_corpus, find_seeds
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
