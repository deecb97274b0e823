"""The output tables: column order, types and meaning, one source for Parquet, CSV and datapackage.json.

documents, sections, records and findings are the data contract's four tables; the others are written
beside them. Each column carries its description as field metadata, so the Data Package that describes
an output folder (pipeline.output.datapackage) is generated from the very schemas the writers use.
"""

from __future__ import annotations

import pyarrow as pa

DESCRIPTION = b"description"


def _table(*columns: tuple[str, pa.DataType, str]) -> pa.Schema:
    """Return a schema whose fields carry their descriptions."""
    return pa.schema([pa.field(name, kind, metadata={DESCRIPTION: text.encode()}) for name, kind, text in columns])


def description(field: pa.Field) -> str:
    """Return the description of an output column."""
    return (field.metadata or {}).get(DESCRIPTION, b"").decode()


_DOC_ID = ("doc_id", pa.string(), "the document: the first 16 hex digits of the file's sha256")

DOCUMENTS = _table(
    _DOC_ID,
    ("source_path", pa.string(), "where the file was read (ARCHIVE.zip!member for a member of an archive)"),
    ("sha256", pa.string(), "sha256 of the file's bytes"),
    ("format", pa.string(), "the format read: pdf, docx, doc, wps, txt, html, mht or image"),
    ("pages", pa.int32(), "pages of the document, where the format has them"),
    ("agency", pa.string(), "the publishing body as the title names it, completed from the preamble"),
    ("region", pa.string(), "province, city and county of the body as one name"),
    ("year", pa.int32(), "the report year"),
    ("template", pa.string(), "the national template the tables follow: 2019, 2021 or mixed"),
    ("status", pa.string(), "ok, partial, needs_review, failed, not_a_report or needs_ocr (README: Decisions)"),
    ("error", pa.string(), "why the document failed or needs review: each table, how it was read and why"),
    ("parser_version", pa.string(), "the version of govreport that wrote the row"),
    ("body_id", pa.string(), "the publishing body: the same in every year however its name is printed (bodies)"),
)

SECTIONS = _table(
    _DOC_ID,
    ("section", pa.string(), "preamble or one of the six standard sections"),
    ("heading", pa.string(), "the heading as printed (empty for the preamble)"),
    ("text", pa.string(), "the section's text after its heading; tables as rows of tab-separated cells"),
    ("page_start", pa.int32(), "first page of the section (null where the format has no pages)"),
    ("page_end", pa.int32(), "last page of the section"),
    ("heading_x0", pa.float64(), "left edge of the heading's box on page_start, in PDF points from the page's left; "
                                 "null where unknown (no page geometry, the preamble, a heading run into its text)"),
    ("heading_top", pa.float64(), "top edge of the heading's box, in PDF points from the top of the page"),
    ("heading_x1", pa.float64(), "right edge of the heading's box, in PDF points from the page's left"),
    ("heading_bottom", pa.float64(), "bottom edge of the heading's box, in PDF points from the top of the page"),
)

RECORDS = _table(
    _DOC_ID,
    ("table", pa.string(), "active_disclosure (表二), applications (表三) or review_litigation (表四)"),
    ("item", pa.string(), "the item of 第二十条 a row of table 二 reports (20.1, 20.5 …); null elsewhere"),
    ("row", pa.string(), "the row key of the data contract"),
    ("column", pa.string(), "the column key of the data contract"),
    ("value", pa.float64(), "the number printed; null where the cell is blank, a placeholder or not a number"),
    ("raw", pa.string(), "the cell as printed"),
    ("page", pa.int32(), "the page the cell is printed on"),
    ("method", pa.string(), "how the cell was read: grid, positions, ocr, html, docx or text"),
    ("x0", pa.float64(), "left edge of the cell's box on its page, in PDF points from the page's left (OCR: the "
                         "picture's pixels mapped to points); null where the format has no page geometry"),
    ("top", pa.float64(), "top edge of the cell's box, in PDF points from the top of the page"),
    ("x1", pa.float64(), "right edge of the cell's box, in PDF points from the page's left"),
    ("bottom", pa.float64(), "bottom edge of the cell's box, in PDF points from the top of the page"),
    ("grid_table", pa.int32(), "HTML and Word: the table's index among the document's tables (from 0, in file "
                               "order, nested tables included); null elsewhere"),
    ("grid_row", pa.int32(), "HTML and Word: the cell's row in its table's printed grid (from 0, spans laid out)"),
    ("grid_col", pa.int32(), "HTML and Word: the cell's column in its table's printed grid (from 0, spans laid out)"),
)

FINDINGS = _table(
    _DOC_ID,
    ("rule", pa.string(), "the rule (govreport rules lists them)"),
    ("severity", pa.string(), "error, warning or info"),
    ("table", pa.string(), "the table (or sections) the finding concerns"),
    ("row", pa.string(), "the row key, several joined by +"),
    ("column", pa.string(), "the column key, several joined by +"),
    ("expected", pa.float64(), "what the rule expects (the sum of the parts …)"),
    ("actual", pa.float64(), "what is printed"),
    ("message", pa.string(), "the finding in words, with the printed labels"),
    ("needs_review", pa.bool_(), "true where the finding's table needs review: it may come from a misread"),
    ("fingerprint", pa.string(), "the finding's stable id: the document's sha256, the rule and the cell keys "
     "(decisions.csv refers to it; the same finding of the same bytes keeps it in every run and version)"),
)

# One row per document: how much of the report was read, and how many findings of each severity
# the checks made, so an oversight office sees at a glance which reports need a second look.
COVERAGE = _table(
    _DOC_ID,
    ("sections_present", pa.int32(), "of the six standard sections 一 … 六"),
    ("tables_present", pa.int32(), "of the three tables 二 三 四 (a header without data rows counts)"),
    ("cells_total", pa.int32(), "records: printed cells"),
    ("cells_filled", pa.int32(), "printed cells holding a number"),
    ("cells_blank", pa.int32(), "printed cells blank or holding a placeholder (—, /, 无)"),
    ("errors", pa.int32(), "findings of severity error"),
    ("warnings", pa.int32(), "findings of severity warning"),
    ("infos", pa.int32(), "findings of severity info"),
)

# --- Extra tables beside the contract's four (who published, what the prose says) -------------

METADATA = _table(
    _DOC_ID,
    ("title", pa.string(), "the title as printed"),
    ("agency_printed", pa.string(), "the body as the title prints it"),
    ("agency", pa.string(), "completed from the preamble (the documents table's agency)"),
    ("level", pa.string(), "province, city, county, township, street, department or special_zone"),
    ("parent", pa.string(), "the body above: a department's or township's government, a county's city …"),
    ("province", pa.string(), "province of the body"),
    ("city", pa.string(), "city of the body"),
    ("county", pa.string(), "county of the body"),
    ("region", pa.string(), "province + city + county as one name, a special zone's own name in its county's "
                            "place (the documents table's region)"),
    ("year", pa.int32(), "the report year"),
    ("period_start", pa.string(), "ISO date the statistics period stated in the preamble starts"),
    ("period_end", pa.string(), "ISO date it ends"),
    ("published", pa.string(), "ISO date of publication, where the document states it"),
    ("phone", pa.string(), "contact phone"),
    ("email", pa.string(), "contact e-mail"),
    ("address", pa.string(), "contact address"),
    ("adcode", pa.string(), "6-digit GB/T 2260 code of the place the body governs or belongs to (gazetteer)"),
    ("body_id", pa.string(), "the body (bodies table)"),
    ("body_name", pa.string(), "the body's canonical name (bodies table)"),
    ("parent_body_id", pa.string(), "the body above it (bodies table)"),
    ("published_source", pa.string(), "where the publication date is printed: web_page (a portal's 发布日期 above "
                                      "the report) or document (a date the report prints)"),
)

# One row per reporting body, however many reports and years: who it is and where it sits.
BODIES = _table(
    ("body_id", pa.string(), "<adcode>-<first 8 hex digits of the sha256 of the canonical name> (README: Bodies)"),
    ("name", pa.string(), "canonical name: the places as the gazetteer spells them, then the body's own part"),
    ("adcode", pa.string(), "6-digit GB/T 2260 code of the place the body governs or belongs to"),
    ("level", pa.string(), "province, city, county, township, street, department or special_zone"),
    ("parent_body_id", pa.string(), "the body above: a department's or township's government, a county's city …"),
    ("province", pa.string(), "province, as the gazetteer spells it"),
    ("city", pa.string(), "prefecture-level city (the municipality for its districts)"),
    ("county", pa.string(), "county-level division"),
)

KEYWORDS = _table(
    _DOC_ID,
    ("section", pa.string(), "the section"),
    ("term", pa.string(), "a keyword of the section"),
    ("weight", pa.float64(), "its TF-IDF weight"),
)

FACTS = _table(
    _DOC_ID,
    ("section", pa.string(), "the section"),
    ("subject", pa.string(), "what the prose counts"),
    ("value", pa.float64(), "the number stated"),
    ("unit", pa.string(), "its unit (条, 件, 万元 …)"),
    ("sentence", pa.string(), "the sentence stating it"),
)

INDICATORS = _table(
    _DOC_ID,
    ("indicator", pa.string(), "the indicator's key"),
    ("name", pa.string(), "its name"),
    ("value", pa.float64(), "its value"),
    ("formula", pa.string(), "how it is derived from the records"),
)

# Provenance of values read by OCR from a scan or picture: one row per record so read, under the
# records' keys, with the engine's confidence (0…1; 0 where it read nothing in the cell).
OCR_VALUES = _table(
    _DOC_ID,
    ("table", pa.string(), "the record's table"),
    ("item", pa.string(), "the record's item"),
    ("row", pa.string(), "the record's row"),
    ("column", pa.string(), "the record's column"),
    ("page", pa.int32(), "the page"),
    ("confidence", pa.float64(), "the OCR engine's confidence, 0…1 (0 where it read nothing in the cell)"),
)

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
    "bodies": BODIES,
}

# Written by `govreport batch` beside the tables above: every path under which a file was found.
# Identical files (same sha256) are parsed once; each of their paths is a row here. A member of
# a .zip archive is named "ARCHIVE.zip!member/path.pdf".
SOURCES = _table(
    ("sha256", pa.string(), "sha256 of the file's bytes (null for an input refused unread)"),
    ("doc_id", pa.string(), "the document those bytes are (null for a refused input)"),
    ("source_path", pa.string(), "a path the file was found under"),
)

ALL_TABLES: dict[str, pa.Schema] = {**TABLES, "sources": SOURCES}

# Written by `govreport coverage OUT --roster ROSTER.csv`: one row per expected body × year.
COMPLIANCE = _table(
    ("roster_name", pa.string(), "the body as the roster names it"),
    ("body_id", pa.string(), "the body the roster name is (bodies); null when it matched none or two"),
    ("body_name", pa.string(), "its canonical name"),
    ("adcode", pa.string(), "6-digit GB/T 2260 code of its place"),
    ("level", pa.string(), "province, city, county, township, street, department or special_zone"),
    ("province", pa.string(), "province"),
    ("city", pa.string(), "city"),
    ("county", pa.string(), "county"),
    ("parent_body_id", pa.string(), "the body above it"),
    ("year", pa.int32(), "the report year"),
    ("state", pa.string(), "published, missing, unknown (the roster name matched no body) or ambiguous (two)"),
    ("doc_id", pa.string(), "the report (documents), where published"),
    ("source_path", pa.string(), "where the report was read"),
    ("published_date", pa.string(), "ISO date the report was published, where known"),
    ("date_source", pa.string(), "where that date comes from: manifest (the user's), web_page (the portal's "
                                 "发布日期) or document (a date the report prints)"),
    ("on_time", pa.bool_(), "published by 31 January of the year after the report year; null where no date is known"),
    ("status", pa.string(), "the document's status"),
    ("sections_present", pa.int32(), "of the six standard sections"),
    ("tables_present", pa.int32(), "of the three tables"),
    ("errors", pa.int32(), "findings of severity error"),
    ("warnings", pa.int32(), "findings of severity warning"),
    ("needs_review", pa.bool_(), "the document needs review (a table read from a picture or rebuilt is in doubt)"),
    ("note", pa.string(), "why a roster name matched no body, or two"),
)

# A person's layers beside the output, written by `govreport decide` and `govreport correct` (or by hand)
# as OUT/decisions.csv and OUT/corrections.csv; never written by parse or batch, which keep them.
DECISIONS = _table(
    ("fingerprint", pa.string(), "the finding (its stable fingerprint: the document's sha256, rule and cell keys)"),
    ("decision", pa.string(), "confirmed (the finding stands) or dismissed (it does not)"),
    ("note", pa.string(), "why, in the words of the person who decided"),
    ("by", pa.string(), "who decided"),
    ("at", pa.string(), "when, ISO 8601 in UTC"),
    ("doc_id", pa.string(), "the finding's document, for people and joins (not needed to match the decision)"),
    ("rule", pa.string(), "the finding's rule, for people"),
    ("table", pa.string(), "the finding's table, for people"),
    ("row", pa.string(), "the finding's row, for people"),
    ("column", pa.string(), "the finding's column, for people"),
)
CORRECTIONS = _table(
    _DOC_ID,
    ("table", pa.string(), "the record's table"),
    ("row", pa.string(), "the record's row"),
    ("column", pa.string(), "the record's column"),
    ("value", pa.float64(), "the value a person read on the printed page (null: the cell is blank)"),
    ("parsed_value", pa.float64(), "records.value when the correction was made (records keep it unchanged)"),
    ("note", pa.string(), "why, in the words of the person who corrected it"),
    ("by", pa.string(), "who corrected it"),
    ("at", pa.string(), "when, ISO 8601 in UTC"),
)

# Tables that datapackage.json can describe: the output tables and the ones commands derive from them.
DESCRIBED: dict[str, pa.Schema] = {**ALL_TABLES, "compliance": COMPLIANCE, "decisions": DECISIONS,
                                   "corrections": CORRECTIONS}
