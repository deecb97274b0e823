"""The Python API for analysis: parse one report, or load an output folder, as pandas DataFrames.

    >>> import pipeline
    >>> report = pipeline.parse("report.pdf")
    >>> report.tables["applications"].loc["new_received", "total"]
    >>> tables = pipeline.load("output/")        # {"documents": DataFrame, "records": …}
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow.parquet as pq
from PIL import Image

from pipeline.checks import views_from_rows
from pipeline.output.readback import MissingOutput, table_path
from pipeline.output.schema import TABLES
from pipeline.run import ParseResult, parse_file
from pipeline.spec import TABLE_KEYS, TABLE_SPECS


@dataclass
class Report:
    """One parsed report: its document row, section texts, keyed tables, findings and metadata."""

    document: dict[str, Any]
    sections: dict[str, str]  # section key → text
    tables: dict[str, pd.DataFrame]  # table key → values indexed by row key, the contract's columns
    records: pd.DataFrame
    findings: pd.DataFrame
    metadata: dict[str, Any]
    result: ParseResult

    @property
    def status(self) -> str:
        return str(self.document["status"])

    def evidence(self, finding_or_record: Any) -> Image.Image | None:
        """Return the printed cells of a finding or a record (a row of `.findings` or `.records`) as a PIL image:
        the page region with the cells outlined and the values read beside them, or, without page geometry,
        the table drawn from its grid. None for a finding that names no cell. A notebook shows it as it is."""
        from pipeline import evidence

        rows = self.result.rows()
        view = views_from_rows(rows["documents"], rows["sections"], self.result.records, rows.get("ocr_values", ()))
        return evidence.picture_of(finding_or_record, view[0])


def parse(path: str | Path) -> Report:
    """Parse one report into a Report; a bad file gives status "failed" and the reason, never an exception."""
    result = parse_file(path)
    rows = result.rows()
    records = _frame("records", rows["records"])
    return Report(
        document=result.document,
        sections={s.section: s.text for s in result.sections},
        tables={key: table_frame(records, key) for key in TABLE_KEYS},
        records=records,
        findings=_frame("findings", rows["findings"]),
        metadata=(rows.get("metadata") or [{}])[0],
        result=result,
    )


def table_frame(records: pd.DataFrame, table: str) -> pd.DataFrame:
    """Return one table's values as a DataFrame indexed by row key, columns in the contract's order.

    Cells the report prints blank are NaN; columns the report does not print are left out.
    """
    part = records[records["table"] == table]
    if part.empty:
        return pd.DataFrame(columns=[])
    wide = part.pivot_table(index="row", columns="column", values="value", aggfunc="first", dropna=False)
    order = [c for c in TABLE_SPECS[table].column_keys() if c in wide.columns]
    rows = list(dict.fromkeys(part["row"]))  # the order the report prints them in
    return wide.reindex(index=rows, columns=order).rename_axis(index="row", columns=None)


def load(out_dir: str | Path) -> dict[str, pd.DataFrame]:
    """Return every output table found in `out_dir` (written by parse or batch) as a DataFrame."""
    out = Path(out_dir)
    frames = {}
    for name in (*TABLES, "compare"):  # compare.parquet is written by `govreport compare`
        try:
            frames[name] = pq.read_table(table_path(out, name)).to_pandas()
        except MissingOutput:
            continue
    if "documents" not in frames:
        raise MissingOutput(f"no documents table in {out}: write it with `govreport parse REPORTS -o {out}`")
    return frames


def _frame(name: str, rows: list[dict[str, Any]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=TABLES[name].names)
