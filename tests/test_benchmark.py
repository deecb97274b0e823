"""The born-digital benchmark: the program that made each PDF, and CPU per page by folder and by producer."""

from __future__ import annotations

from conftest import CORPUS, SYNTHETIC, needs_corpus

from pipeline.measure.benchmark import _floor, _paired, _print_groups, producer


def test_the_producer_is_the_program_without_its_version():
    assert producer(str(SYNTHETIC / "city-luyuan-2024-t2021.pdf")) == "LibreOffice"  # "LibreOffice 7.x"


@needs_corpus
def test_a_real_report_is_grouped_by_the_program_that_made_it():
    # Its metadata has no Producer; its Creator is "WPS 文字(Jisupdf Editor)".
    assert producer(str(CORPUS / "huaian-city-2024.pdf")) == "WPS 文字"


@needs_corpus
def test_cpu_per_page_is_printed_for_each_folder_and_producer(capsys):
    own, real = str(SYNTHETIC / "city-luyuan-2024-t2021.pdf"), str(CORPUS / "huaian-city-2024.pdf")
    measured = {"ours": {"files": {own: (4, 0.040), real: (6, 0.060)}},
                "plain": {"files": {own: (4, 0.160), real: (6, 0.600)}}}
    _print_groups(measured, [str(SYNTHETIC), str(CORPUS)])
    lines = capsys.readouterr().out.splitlines()
    folders = lines[lines.index("CPU per page by folder (each file's least over the runs)") + 2:][:2]
    assert sorted(line.split() for line in folders) == sorted([
        [str(CORPUS), "1", "6", "10.0", "100.0", "10.00x"],
        [str(SYNTHETIC), "1", "4", "10.0", "40.0", "4.00x"],
    ])
    producers = lines[lines.index("CPU per page by producer (PDF metadata) (each file's least over the runs)") + 2:]
    assert [line.split() for line in producers] == [
        ["LibreOffice", "1", "4", "10.0", "40.0", "4.00x"],
        ["WPS", "文字", "1", "6", "10.0", "100.0", "10.00x"],
    ]


def test_one_group_prints_nothing_more(capsys):
    own = str(SYNTHETIC / "city-luyuan-2024-t2021.pdf")
    _print_groups({"ours": {"files": {own: (4, 0.04)}}, "plain": {"files": {own: (4, 0.16)}}}, [str(SYNTHETIC)])
    assert capsys.readouterr().out == ""


def test_the_floor_reads_every_page_of_each_file():
    own = str(SYNTHETIC / "city-luyuan-2024-t2021.pdf")
    files: dict[str, tuple[int, float]] = {}
    assert _floor([own], files) == 5  # the sample's pages
    assert list(files) == [own]
    assert files[own][0] == 5


@needs_corpus
def test_the_floor_is_printed_beside_each_group(capsys):
    own, real = str(SYNTHETIC / "city-luyuan-2024-t2021.pdf"), str(CORPUS / "huaian-city-2024.pdf")
    measured = {"ours": {"files": {own: (4, 0.040), real: (6, 0.060)}},
                "plain": {"files": {own: (4, 0.160), real: (6, 0.600)}},
                "floor": {"files": {own: (4, 0.008), real: (6, 0.024)}}}
    _print_groups(measured, [str(SYNTHETIC), str(CORPUS)])
    lines = capsys.readouterr().out.splitlines()
    producers = lines[lines.index("CPU per page by producer (PDF metadata) (each file's least over the runs)") + 1:]
    assert producers[0].split() == ["files", "pages", "ours", "ms", "plain", "ms", "/", "plain", "floor", "ms",
                                    "plain", "/", "floor"]
    assert [line.split() for line in producers[1:]] == [
        ["LibreOffice", "1", "4", "10.0", "40.0", "4.00x", "2.0", "20.00x"],
        ["WPS", "文字", "1", "6", "10.0", "100.0", "10.00x", "4.0", "25.00x"],
    ]


def test_the_sides_take_turns_file_by_file_each_in_a_process_of_its_own():
    files = [str(SYNTHETIC / "city-luyuan-2024-t2021.pdf"), str(SYNTHETIC / "county-qingyu-2019-t2019.pdf")]
    measured = _paired(["plain", "floor"], files, 2)
    for side in ("plain", "floor"):
        run = measured[side]
        assert {path: pages for path, (pages, _) in run["files"].items()} == {files[0]: 5, files[1]: _pages(files[1])}
        assert run["pages"] == 5 + _pages(files[1])
        assert len(run["cpu_runs"]) == 2
        assert run["cpu"] == min(run["cpu_runs"]) > 0
        # A file's figure is its least over the runs: never more than the least run's total.
        assert sum(cpu for _, cpu in run["files"].values()) <= run["cpu"] + 1e-9
        assert run["peak_mb"] > 10  # the side's own process, which loaded its reader
    assert measured["plain"]["cpu"] > measured["floor"]["cpu"]  # pdfplumber costs more than pdfium's reading


def _pages(path: str) -> int:
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(path)
    try:
        return len(document)
    finally:
        document.close()


def test_each_file_is_read_without_what_was_worked_out_of_its_own_text():
    from pipeline import labels, textnorm
    from pipeline.measure.benchmark import _empty_text_caches, as_a_batch_worker
    from pipeline.run import parse_file

    report, other = SYNTHETIC / "city-luyuan-2024-t2021.pdf", SYNTHETIC / "county-qingyu-2019-t2019.pdf"
    assert parse_file(report).ok
    converter = textnorm._converter()  # the dictionary a label's traditional forms are read with
    assert labels._key_score.cache_info().currsize > 100
    assert textnorm._short_squeeze.cache_info().currsize > 10
    _empty_text_caches()
    assert labels._key_score.cache_info().currsize == 0
    assert textnorm._short_squeeze.cache_info().currsize == 0
    assert labels.unnumbered_key.cache_info().currsize == 0
    assert textnorm._converter() is converter  # a loaded dictionary is kept: a batch's worker loads it once
    # As a worker comes to a report: after another report, whose labels are the template's too.
    as_a_batch_worker(str(other), str(report))
    known = labels._fixed_match.cache_info().currsize
    assert known > 10
    assert parse_file(report).ok
    assert labels._fixed_match.cache_info().hits > 0
    as_a_batch_worker(str(report), str(report))  # never after itself: the caches are only emptied
    assert labels.unnumbered_key.cache_info().currsize == 0


def test_the_batch_is_also_measured_file_by_file_its_worker_beside_the_plain_pass(capsys):
    from pipeline.measure.benchmark import _print_cpu

    files = [str(SYNTHETIC / "city-luyuan-2024-t2021.pdf")]
    measured = _paired(["plain", "job"], files, 1)
    assert measured["job"]["pages"] == measured["plain"]["pages"] == 5
    assert measured["job"]["files"][files[0]][0] == 5
    assert 0 < measured["job"]["cpu"] < measured["plain"]["cpu"]
    # The printed row: the worker's job per page plus the parent's own CPU per page, against the plain pass.
    measured = {"plain": {"pages": 10, "cpu": 0.8, "cpu_runs": [0.8]},
                "job": {"pages": 10, "cpu": 0.1, "cpu_runs": [0.1, 0.12]},
                "batch1": {"pages": 10, "cpu": 0.13, "cpu_runs": [0.13], "parent_cpu": 0.02}}
    _print_cpu(measured)
    lines = capsys.readouterr().out.splitlines()
    assert next(line for line in lines if line.startswith("batch's worker job")).split()[-3:] == [
        "10.0", "10.0..12.0", "8.00x"]
    assert next(line for line in lines if line.startswith("batch, 1 worker, file by file")).split()[-3:] == [
        "12.0", "10.0+2.0", "6.67x"]
