"""The output tables: column order and types, one source for CSV and Parquet.

documents, sections, records and findings are the data contract's four tables; coverage is a
per-document summary written beside them (it is not part of the contract).
"""

from __future__ import annotations

import pyarrow as pa

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
    ("method", pa.string()),  # how the cell was read: grid / positions / ocr / html / docx / text
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
    ("needs_review", pa.bool_()),  # the finding's table needs review: it may come from a misread
])

# One row per document: how much of the report was read, and how many findings of each severity
# the checks made, so an oversight office sees at a glance which reports need a second look.
COVERAGE = pa.schema([
    ("doc_id", pa.string()),
    ("sections_present", pa.int32()),  # of the six standard sections 一 … 六
    ("tables_present", pa.int32()),  # of the three tables 二 三 四 (a header without data rows counts)
    ("cells_total", pa.int32()),  # records: printed cells
    ("cells_filled", pa.int32()),  # printed cells holding a number
    ("cells_blank", pa.int32()),  # printed cells blank or holding a placeholder (—, /, 无)
    ("errors", pa.int32()),
    ("warnings", pa.int32()),
    ("infos", pa.int32()),
])

# --- Extra tables beside the contract's four (who published, what the prose says) -------------

METADATA = pa.schema([
    ("doc_id", pa.string()),
    ("title", pa.string()),
    ("agency_printed", pa.string()),  # the body as the title prints it
    ("agency", pa.string()),  # completed from the preamble (the documents table's agency)
    ("level", pa.string()),  # province / city / county / township / department
    ("parent", pa.string()),  # for a department, the government it belongs to
    ("province", pa.string()),
    ("city", pa.string()),
    ("county", pa.string()),
    ("region", pa.string()),  # province + city + county as one name (the documents table's region)
    ("year", pa.int32()),
    ("period_start", pa.string()),  # ISO dates of the statistics period stated in the preamble
    ("period_end", pa.string()),
    ("published", pa.string()),  # ISO date of publication, where the document states it
    ("phone", pa.string()),
    ("email", pa.string()),
    ("address", pa.string()),
])

KEYWORDS = pa.schema([
    ("doc_id", pa.string()),
    ("section", pa.string()),
    ("term", pa.string()),
    ("weight", pa.float64()),
])

FACTS = pa.schema([
    ("doc_id", pa.string()),
    ("section", pa.string()),
    ("subject", pa.string()),
    ("value", pa.float64()),
    ("unit", pa.string()),
    ("sentence", pa.string()),
])

INDICATORS = pa.schema([
    ("doc_id", pa.string()),
    ("indicator", pa.string()),
    ("name", pa.string()),
    ("value", pa.float64()),
    ("formula", pa.string()),
])

# Provenance of values read by OCR from a scan or picture: one row per record so read, under the
# records' keys, with the engine's confidence (0…1; 0 where it read nothing in the cell).
OCR_VALUES = pa.schema([
    ("doc_id", pa.string()),
    ("table", pa.string()),
    ("item", pa.string()),
    ("row", pa.string()),
    ("column", pa.string()),
    ("page", pa.int32()),
    ("confidence", pa.float64()),
])

TABLES: dict[str, pa.Schema] = {
    "documents": DOCUMENTS,
    "sections": SECTIONS,
    "records": RECORDS,
    "findings": FINDINGS,
    "coverage": COVERAGE,
    "metadata": METADATA,
    "keywords": KEYWORDS,
    "facts": FACTS,
    "indicators": INDICATORS,
    "ocr_values": OCR_VALUES,
}

# Written by `govreport batch` beside the tables above: every path under which a file was found.
# Identical files (same sha256) are parsed once; each of their paths is a row here. A member of
# a .zip archive is named "ARCHIVE.zip!member/path.pdf".
SOURCES = pa.schema([
    ("sha256", pa.string()),
    ("doc_id", pa.string()),
    ("source_path", pa.string()),
])

ALL_TABLES: dict[str, pa.Schema] = {**TABLES, "sources": SOURCES}
