"""Instructions per page under callgrind: counted around each file only, the same count run after run."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import SYNTHETIC

from pipeline.measure import instructions

SAMPLE = str(SYNTHETIC / "city-luyuan-2024-t2021.pdf")  # five pages


def test_each_dump_is_read_in_the_order_callgrind_wrote_it(tmp_path: Path):
    out = tmp_path / "ours.out"
    out.write_text("# callgrind format\nevents: Ir\nsummary: 0\ntotals: 0\n")  # the run's own, at its end
    for number, total in ((1, 1771644), (2, 3537532), (10, 42)):  # (10 after 2: numbers, not names, order them)
        (tmp_path / f"ours.out.{number}").write_text(
            f"# callgrind format\nversion: 1\ncmd: python\npart: {number}\nevents: Ir\n"
            f"fn=(1) main\n0 {total}\nsummary: 0\ntotals: {total}\n")
    assert instructions.dump_totals(out) == [1771644, 3537532, 42]


def test_a_dump_without_totals_is_named(tmp_path: Path):
    (tmp_path / "ours.out.1").write_text("# callgrind format\nevents: Ir\n")
    with pytest.raises(SystemExit, match=r"ours\.out\.1: no totals line"):
        instructions.dump_totals(tmp_path / "ours.out")


def test_the_dumps_of_an_earlier_run_in_the_folder_are_not_read(tmp_path: Path):
    for number in (1, 2, 3):  # an earlier folder's three files
        (tmp_path / f"ours.out.{number}").write_text(f"totals: {number}\n")
    (tmp_path / "plain.out.1").write_text("totals: 7\n")  # another side's run stays
    out = instructions.fresh_output(tmp_path, "ours")
    assert out == tmp_path / "ours.out"
    assert instructions.dump_totals(out) == []
    assert instructions.dump_totals(tmp_path / "plain.out") == [7]


@pytest.mark.skipif(shutil.which("valgrind") is None or not Path("/usr/include/valgrind/callgrind.h").exists(),
                    reason="valgrind and its header callgrind.h are not installed on this machine")
def test_each_reading_is_counted_on_its_own_and_the_same_run_after_run(tmp_path: Path):
    library = instructions.build_toggles(tmp_path)
    runs = []
    for name in ("first", "second"):
        (tmp_path / name).mkdir()
        runs.append(instructions.count("floor", [SAMPLE, SAMPLE], tmp_path / name, library))
    (pages, once), (pages_again, again) = runs[0]
    assert pages == pages_again == 5
    # The first reading costs no more than the second: nothing but the reading is counted (starting Python and
    # importing pypdfium2, which cost far more than five pages, come before the count starts). Two readings in
    # one process still differ a little (seen: the second 0.16 % above the first), so only the first's excess
    # is bounded.
    assert once <= again * (1 + 1e-3)
    assert 1e6 < once < 1e9
    assert [pages for pages, _ in runs[1]] == [5, 5]
    assert [count for _, count in runs[1]] == pytest.approx([count for _, count in runs[0]], rel=1e-4)
