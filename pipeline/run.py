"""One report end to end: read → segment → recognize tables → records → metadata → status.

`parse_file` never raises for a bad input: an unreadable file becomes a result with status
"failed" and the reason in `error`, so a batch always goes on.
"""

from __future__ import annotations

import gc
import hashlib
import logging
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from pipeline import metadata
from pipeline.analytics.facts import fact_rows
from pipeline.analytics.indicators import indicator_rows
from pipeline.analytics.keywords import keyword_rows
from pipeline.checks import DocView, Prose, check_document, coverage_rows
from pipeline.checks.engine import is_checked
from pipeline.checks.evidence import mark_views, verdict
from pipeline.checks.fingerprint import stamp
from pipeline.checks.view import confidence_map
from pipeline.errors import PipelineError
from pipeline.model import Block, Box, Document, TableBlock, TextBlock
from pipeline.records import Record, ocr_rows, to_records
from pipeline.sections import Section, block_text, segment
from pipeline.spec import SECTION_KEYS, TABLE_KEYS
from pipeline.tables import Recognized, recognize
from pipeline.template import detect_template
from pipeline.version import PARSER_VERSION

log = logging.getLogger(__name__)

_MIN_REPORT_SECTIONS = 3  # of the six standard sections, without any standard table


@dataclass
class SectionText:
    """A row of the sections table."""

    doc_id: str
    section: str
    heading: str
    text: str
    page_start: int | None
    page_end: int | None
    # The heading's box on page_start (PDF points from the page's top-left), where the reader knows it.
    heading_x0: float | None = None
    heading_top: float | None = None
    heading_x1: float | None = None
    heading_bottom: float | None = None


@dataclass
class ParseResult:
    """Everything one report yields: its documents row, sections, records and findings."""

    document: dict[str, Any]
    sections: list[SectionText] = field(default_factory=list)
    records: list[Record] = field(default_factory=list)
    findings: list[dict[str, Any]] = field(default_factory=list)
    parsed: Document | None = None
    tables: Recognized | None = None
    extras: dict[str, list[dict[str, Any]]] = field(default_factory=dict)  # metadata, keywords, facts …

    @property
    def ok(self) -> bool:
        """Return True unless the file could not be read at all."""
        return self.document["status"] != "failed"

    def rows(self) -> dict[str, list[dict[str, Any]]]:
        """Return the result as rows of the output tables (the contract's four, then the extras)."""
        return {
            "documents": [self.document],
            "sections": [_as_row(s) for s in self.sections],
            "records": [_as_row(r) for r in self.records],
            "findings": list(self.findings),
            **self.extras,
        }


def _as_row(item: Record | SectionText) -> dict[str, Any]:
    """Return a flat dataclass as a dict (dataclasses.asdict deep-copies every value: three times slower)."""
    return {name: getattr(item, name) for name in _FIELDS[type(item)]}


_FIELDS: dict[type, tuple[str, ...]] = {kind: tuple(f.name for f in fields(kind)) for kind in (Record, SectionText)}


def file_sha256(path: Path) -> str:
    """Return the hex sha256 of the file's bytes."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def doc_id_for(sha256: str) -> str:
    """Return the stable document id: the first 16 hex digits of the file's sha256."""
    return sha256[:16]


@contextmanager
def _fewer_gc_passes() -> Iterator[None]:
    # Reading a PDF allocates hundreds of thousands of small objects that stay alive until the
    # page is done; the default gen-0 threshold (700) runs the cycle collector thousands of
    # times for nothing (about 10 % of the parse). The setting is restored afterwards.
    old = gc.get_threshold()
    gc.set_threshold(50_000, old[1], old[2])
    try:
        yield
    finally:
        gc.set_threshold(*old)


def parse_file(path: str | Path, source_path: str | None = None, sha256: str | None = None) -> ParseResult:
    """Parse one report; bad input gives a failed result with the reason, never an exception.

    `source_path` is the path recorded in the documents row when it differs from where the
    bytes are read (a member of a .zip archive read from a work copy); by default `path`.
    `sha256` is the file's hash when the caller has it already (a batch hashes every input to
    plan its run), so the bytes are not hashed twice.
    """
    with _fewer_gc_passes():
        return _parse_file(Path(path), str(path) if source_path is None else source_path, sha256)


def _parse_file(path: Path, source_path: str, sha: str | None) -> ParseResult:
    from parsers import detect_format, reader_for

    row: dict[str, Any] = {"source_path": source_path, "parser_version": PARSER_VERSION, "status": "failed"}
    try:
        sha = sha or file_sha256(path)
    except OSError as exc:
        row.update(doc_id=None, error=f"cannot read file: {exc.strerror or exc}")
        return ParseResult(row)
    row.update(doc_id=doc_id_for(sha), sha256=sha)
    try:
        row["format"] = detect_format(path)
        document = reader_for(row["format"])(path)
    except PipelineError as exc:
        row["error"] = str(exc)
        return ParseResult(row)
    except Exception as exc:  # a reader bug must not stop a batch; say what happened
        log.debug("reader failed on %s", path, exc_info=True)
        row["error"] = f"reader error ({exc.__class__.__name__}: {exc})"
        return ParseResult(row)
    return parse_document(document, row)


class StageError(Exception):
    """A stage of the per-document pipeline raised: the document fails, naming the stage, and the run goes on."""

    def __init__(self, stage: str, exc: BaseException) -> None:
        super().__init__(f"{stage}: {exc.__class__.__name__}: {exc}")
        self.stage = stage


@contextmanager
def _stage(name: str) -> Iterator[None]:
    """Run a block as the stage `name`: any exception in it becomes a StageError naming the stage."""
    try:
        yield
    except StageError:
        raise
    except Exception as exc:  # a bug on one document's input must cost only that document
        log.debug("stage %s failed", name, exc_info=True)
        raise StageError(name, exc) from exc


def parse_document(document: Document, row: dict[str, Any]) -> ParseResult:
    """Run the format-blind stages on a read Document; `row` holds doc_id, sha256, source_path.

    Never raises: an exception in any stage gives a failed result whose error names the stage.
    """
    try:
        return _parse_document(document, row)
    except StageError as exc:
        failed = {key: row.get(key) for key in ("doc_id", "sha256", "source_path", "parser_version")}
        failed.update(format=document.format, pages=document.pages, status="failed", error=str(exc))
        return ParseResult(failed, parsed=document)


def _parse_document(document: Document, row: dict[str, Any]) -> ParseResult:
    doc_id = row["doc_id"]
    with _stage("segmentation"):
        sections = segment(document)
    with _stage("table recognition"):
        tables = recognize(document, sections)
        cells = [c for key in TABLE_KEYS for c in tables.cells[key]]
    with _stage("metadata"):
        preamble_lines = [b.text for b in sections[0].body(document) if isinstance(b, TextBlock)]
        title = metadata.title_of(preamble_lines)
        preamble = "\n".join(preamble_lines)
        closing = [b.text for b in document.blocks[-8:] if isinstance(b, TextBlock)]
        meta = metadata.describe(title, preamble, closing, document.published)
        row.update(format=document.format, pages=document.pages, agency=meta["agency"], region=meta["region"],
                   year=meta["year"], template=detect_template(cells), error=None, body_id=meta["body_id"])
        row["status"] = _status(document, sections, tables)
    with _stage("records"):
        texts = [_section_text(doc_id, document, s) for s in sections]
        records = to_records(doc_id, cells)
        read_by_ocr = ocr_rows(doc_id, cells)
    with _stage("checks"):
        view = DocView(row, tuple(Prose(t.section, t.heading, t.text, t.page_start, t.page_end) for t in texts),
                       tuple(records), confidence_map(read_by_ocr))
        found = check_document(view)
        if is_checked(view):
            judged = verdict(view, found)
            if judged.needs_review:
                row.update(status="needs_review", error=judged.error)
        findings = stamp([f.as_row() for f in mark_views([view], found)], {doc_id: row.get("sha256") or doc_id})
        coverage = coverage_rows([view], findings)  # from the view at hand, not rebuilt from the rows later
    with _stage("analytics"):
        extras = {
            "metadata": [{"doc_id": doc_id, **meta}],
            "keywords": keyword_rows(doc_id, texts),
            "facts": fact_rows(doc_id, texts),
            "indicators": indicator_rows(doc_id, records),
            "ocr_values": read_by_ocr,
            "coverage": coverage,
        }
    return ParseResult(row, texts, records, findings, document, tables, extras)


def _section_text(doc_id: str, document: Document, section: Section) -> SectionText:
    blocks = section.body(document)
    pages = [p for b in section.blocks(document) for p in _pages(b)]
    text = "\n".join(t for t in (block_text(b) for b in blocks) if t.strip())
    box = _heading_box(document.blocks[section.start:section.start + section.heading_blocks])
    corners = (None, None, None, None) if box is None else (box.x0, box.top, box.x1, box.bottom)
    return SectionText(doc_id, section.key, section.heading, text, min(pages, default=None), max(pages, default=None),
                       *(None if v is None else round(v, 2) for v in corners))


def _heading_box(blocks: Sequence[Block]) -> Box | None:
    """Return the box of a heading's lines when each has one on the same page (None for the preamble,
    a heading run into its paragraph, a heading in a table cell, or one without page geometry)."""
    boxes = [b.box for b in blocks if isinstance(b, TextBlock)]
    if not blocks or len(boxes) < len(blocks) or None in boxes or len({b.page for b in blocks}) > 1:
        return None
    return Box.around(boxes)


def _pages(block: TextBlock | TableBlock) -> list[int]:
    if isinstance(block, TableBlock):
        return sorted({c.page for c in block.table.cells if c.page is not None})
    return [block.page] if block.page is not None else []


def _status(document: Document, sections: Sequence[Section], tables: Recognized) -> str:
    has_text = any(isinstance(b, TableBlock) or b.text.strip() for b in document.blocks)
    if not has_text:
        # A scan or picture that OCR could not read (or where it found nothing) still needs OCR.
        return "needs_ocr" if document.format in ("pdf", "image") else "not_a_report"
    found_sections = {s.key for s in sections} - {"preamble"}
    found_tables = {k for k in TABLE_KEYS if tables.present(k)}
    # Other notices share a heading or two with the template (a budget notice opens with
    # 一、总体情况), so a report needs at least half of the six sections or one standard table.
    if len(found_sections) < _MIN_REPORT_SECTIONS and not found_tables:
        return "not_a_report"
    complete = found_sections == set(SECTION_KEYS) - {"preamble"} and found_tables == set(TABLE_KEYS)
    return "ok" if complete else "partial"
