"""The four output tables of the data contract: column order and types, one source for CSV and Parquet."""

from __future__ import annotations

import pyarrow as pa

PARSER_VERSION = "0.1.0"

DOCUMENTS = pa.schema([
    ("doc_id", pa.string()),
    ("source_path", pa.string()),
    ("sha256", pa.string()),
    ("format", pa.string()),
    ("pages", pa.int32()),
    ("agency", pa.string()),
    ("region", pa.string()),
    ("year", pa.int32()),
    ("template", pa.string()),
    ("status", pa.string()),
    ("error", pa.string()),
    ("parser_version", pa.string()),
])

SECTIONS = pa.schema([
    ("doc_id", pa.string()),
    ("section", pa.string()),
    ("heading", pa.string()),
    ("text", pa.string()),
    ("page_start", pa.int32()),
    ("page_end", pa.int32()),
])

RECORDS = pa.schema([
    ("doc_id", pa.string()),
    ("table", pa.string()),
    ("item", pa.string()),
    ("row", pa.string()),
    ("column", pa.string()),
    ("value", pa.float64()),
    ("raw", pa.string()),
    ("page", pa.int32()),
])

FINDINGS = pa.schema([
    ("doc_id", pa.string()),
    ("rule", pa.string()),
    ("severity", pa.string()),
    ("table", pa.string()),
    ("row", pa.string()),
    ("column", pa.string()),
    ("expected", pa.float64()),
    ("actual", pa.float64()),
    ("message", pa.string()),
])

TABLES: dict[str, pa.Schema] = {
    "documents": DOCUMENTS,
    "sections": SECTIONS,
    "records": RECORDS,
    "findings": FINDINGS,
}
