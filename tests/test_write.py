import pandas as pd
import pyarrow.parquet as pq
import pytest

from pipeline.output.schema import TABLES
from pipeline.output.write import to_arrow, write_tables


def sample_tables():
    records = [{"doc_id": "abc", "table": "applications", "item": None, "row": "new_received",
                "column": "natural_person", "value": 21.0, "raw": "21", "page": 3},
               {"doc_id": "abc", "table": "active_disclosure", "item": "20.8", "row": "administrative_fees",
                "column": "amount_10k_yuan", "value": None, "raw": "—", "page": 2}]
    return {"records": to_arrow("records", records), "findings": to_arrow("findings", [])}


def test_parquet_keeps_the_contract_schema(tmp_path):
    write_tables(tmp_path, sample_tables(), ["parquet"])
    table = pq.read_table(tmp_path / "records.parquet")
    assert table.schema.equals(TABLES["records"])
    assert table.column("value").to_pylist() == [21.0, None]
    assert pq.read_table(tmp_path / "findings.parquet").num_rows == 0
    assert not (tmp_path / "records.csv").exists()


def test_csv_has_a_bom_and_reads_back_in_pandas(tmp_path):
    write_tables(tmp_path, sample_tables(), ["csv"])
    data = (tmp_path / "records.csv").read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    frame = pd.read_csv(tmp_path / "records.csv", encoding="utf-8-sig")
    assert list(frame.columns) == TABLES["records"].names
    assert frame.loc[0, "value"] == 21
    assert frame.loc[1, "raw"] == "—"
    assert pd.isna(frame.loc[1, "value"])


def test_a_failed_write_leaves_the_previous_file_intact(tmp_path, monkeypatch):
    write_tables(tmp_path, sample_tables(), ["parquet"])
    before = (tmp_path / "records.parquet").read_bytes()

    def broken(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr("pipeline.output.write.pq.write_table", broken)
    with pytest.raises(OSError, match="disk full"):
        write_tables(tmp_path, sample_tables(), ["parquet"])
    assert (tmp_path / "records.parquet").read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["findings.parquet", "records.parquet"]
