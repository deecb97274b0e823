"""Year-over-year comparison on consecutive years of one body (the synthetic 岫州市人民政府 2020–2022)."""

import pytest
from click.testing import CliRunner
from conftest import SYNTHETIC

import pipeline
from pipeline.cli import cli
from pipeline.compare import repeated_share, sentences

YEARS = ["city-xiuzhou-2020-t2019.docx", "city-xiuzhou-2021-t2021.docx", "city-xiuzhou-2022-t2021.docx"]


@pytest.fixture(scope="module")
def out(tmp_path_factory):
    folder = tmp_path_factory.mktemp("yoy")
    run = CliRunner().invoke(cli, ["parse", *[str(SYNTHETIC / y) for y in YEARS], "-o", str(folder)])
    assert run.exit_code == 0, run.output
    run = CliRunner().invoke(cli, ["compare", str(folder)])
    assert run.exit_code == 0, run.output
    assert "2 pair(s)" in run.output
    return folder


def test_every_cell_change_of_consecutive_years(out):
    tables = pipeline.load(out)
    changes = tables["compare"]
    assert set(zip(changes.year_from, changes.year_to, strict=True)) == {(2020, 2021), (2021, 2022)}
    records = tables["records"].merge(tables["documents"][["doc_id", "year"]], on="doc_id")

    def value(year, row):
        hit = records[(records.year == year) & (records.table == "applications") & (records.row == row)
                      & (records.column == "total")]
        return float(hit.value.iloc[0])

    cell = changes[(changes.kind == "cell") & (changes.year_to == 2022) & (changes.table == "applications")
                   & (changes.row == "new_received") & (changes.column == "total")].iloc[0]
    assert (cell.value_from, cell.value_to) == (value(2021, "new_received"), value(2022, "new_received"))
    assert cell.change == value(2022, "new_received") - value(2021, "new_received")
    # Last year's carried_forward is this year's carried_over in a consistent pair of reports.
    assert value(2021, "carried_forward") == value(2022, "carried_over")


def test_indicators_and_prose_are_compared(out):
    changes = pipeline.load(out)["compare"]
    indicator = changes[(changes.kind == "indicator") & (changes.row == "applications_received")]
    assert len(indicator) == 2
    prose = changes[(changes.kind == "prose") & (changes.row == "all")]
    assert len(prose) == 2
    assert ((prose.value_to > 0) & (prose.value_to < 1)).all()


def test_one_body_only(out):
    run = CliRunner().invoke(cli, ["compare", str(out), "--agency", "没有这个机关"])
    assert run.exit_code == 0
    assert pipeline.load(out)["compare"].empty


def test_repeated_share_counts_whole_sentences():
    before = set(sentences(["我们严格落实条例各项规定。全年共受理申请十件。"]))
    now = sentences(["我们严格落实条例各项规定。今年新建了公开专区平台。"])
    assert repeated_share(now, before) == 0.5


def test_a_body_printed_two_ways_is_compared_with_itself():
    import pandas as pd

    from pipeline.bodies import identify
    from pipeline.compare import compare

    names = {2022: "洪泽区人民政府", 2023: "淮安市洪泽区人民政府"}
    documents = pd.DataFrame([{"doc_id": f"d{year}", "agency": name, "year": year,
                               "body_id": identify(name).body_id} for year, name in names.items()])
    records = pd.DataFrame([{"doc_id": f"d{year}", "table": "applications", "row": "new_received", "column": "total",
                             "value": float(value)} for year, value in ((2022, 10), (2023, 12))])
    sections = pd.DataFrame(columns=["doc_id", "section", "heading", "text"])
    frames = {"documents": documents, "records": records, "sections": sections,
              "indicators": pd.DataFrame(columns=["doc_id", "indicator", "name", "value", "formula"])}
    changes = compare(frames, agency="洪泽区人民政府")
    pairs = changes[["agency", "year_from", "year_to"]].drop_duplicates().to_dict("records")
    assert pairs == [{"agency": "淮安市洪泽区人民政府", "year_from": 2022, "year_to": 2023}]
